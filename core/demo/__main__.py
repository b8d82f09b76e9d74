"""python3 -m <plugin>.core.demo --output out/demo.gpkg --plots 3000 --seed 1 [--defects] [--manifest m.json]
[--geometry-only] [--epsg 4526]"""
import argparse
import os
import sys
import time

from .generate import generate_township


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m quequan.core.demo",
                                description="生成确定性的演示乡镇（湖南省衡东县）GeoPackage")
    p.add_argument("--output", required=True, help="GeoPackage to write (overwritten)")
    p.add_argument("--plots", type=int, default=3000, help="number of plots (default 3000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--defects", action="store_true", help="inject the catalogue's defects")
    p.add_argument("--manifest", default=None, help="defect manifest JSON (default next to output)")
    p.add_argument("--geometry-only", action="store_true",
                   help="only DK, regions and other features (no ownership tables, no JZD/JZX)")
    p.add_argument("--epsg", type=int, default=4526)
    a = p.parse_args(argv)
    manifest = a.manifest
    if a.defects and not manifest:
        manifest = os.path.splitext(a.output)[0] + "_manifest.json"
    out_dir = os.path.dirname(os.path.abspath(a.output))
    os.makedirs(out_dir, exist_ok=True)
    t0 = time.perf_counter()

    def progress(pct):
        sys.stderr.write("\r%3d%%" % pct)
        sys.stderr.flush()
    try:
        summary = generate_township(a.output, plots=a.plots, seed=a.seed, defects=a.defects,
                                    manifest_path=manifest, geometry_only=a.geometry_only,
                                    epsg=a.epsg, progress=progress)
    except ValueError as exc:
        sys.stderr.write("\n错误：%s\n" % exc)
        return 2
    sys.stderr.write("\n")
    print("%s：%d 个村，%d 个组，%.1f 秒" % (a.output, summary["villages"], summary["groups"],
                                        time.perf_counter() - t0))
    for k, v in summary.items():
        if k.startswith("count_"):
            print("  %-12s %d" % (k[6:], v))
    if manifest:
        print("缺陷清单：%s（%d 条）" % (manifest, len(summary["manifest"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
