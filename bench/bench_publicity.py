"""Benchmark: 公示图 sheets of ~200 village groups in at most 90 s (issue 9).

Generates a demo township with about 200 groups (≈ 80–100 plots each) through
core.demo.generate, then times the publicity job for maps only, as processing
runs it: data and label plans in a worker thread, the PDF sheets drawn in the
main thread as soon as each is planned. Generation is not timed.

    python bench/bench_publicity.py [--groups 200] [--limit 90] [--keep DIR] [--merged]
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(os.path.dirname(HERE), "build", "pkg")
if PKG not in sys.path:
    sys.path.insert(0, PKG)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def township(path, groups):
    from quequan.core.demo.generate import generate_township
    from quequan.core.township_db import TownshipDB
    plots = groups * 80
    for _ in range(3):
        generate_township(path, plots=plots, seed=11)
        with TownshipDB(path) as db:
            n = db.conn.execute("SELECT count(DISTINCT substr(DKBM, 1, 14)) FROM DK").fetchone()[0]
        if n >= groups * 0.97:
            return n, plots
        plots = int(plots * groups / n) + 200
    return n, plots


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=200)
    ap.add_argument("--limit", type=float, default=90.0)
    ap.add_argument("--keep", default="")
    ap.add_argument("--merged", action="store_true")
    args = ap.parse_args()

    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    from quequan.core.publicity.settings import PublicitySettings
    from quequan.export.publicity.fonts import pick_font
    from quequan.export.publicity.jobs import PublicityJob, PublicityRequest

    work = args.keep or tempfile.mkdtemp(prefix="qq_bench_pub_")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "township.gpkg")
    t0 = time.perf_counter()
    units, plots = township(db, args.groups)
    gen = time.perf_counter() - t0
    out = os.path.join(work, "maps")
    shutil.rmtree(out, ignore_errors=True)

    settings = PublicitySettings(maker="制图员", reviewer="审核员")
    req = PublicityRequest(db, out, ["map"], 1, None, settings=settings,
                           family=pick_font(settings.fonts), merged=args.merged)
    job = PublicityJob(req)
    t1 = time.perf_counter()
    c1 = time.process_time()
    report = job.run()          # sheets planned in a worker thread, drawn in this one
    total = time.perf_counter() - t1
    cpu = time.process_time() - c1

    papers, modes, unplaced = {}, {}, 0
    for r in report.maps:
        papers[r.paper] = papers.get(r.paper, 0) + 1
        unplaced += len(r.unplaced)
        for k, v in r.modes.items():
            modes[k] = modes.get(k, 0) + v
    n = len(report.maps)
    print("township: %d plots, %d units (generated in %.1f s)" % (plots, units, gen))
    print("sheets: %d PDF, skipped %d units" % (n, len(report.skipped)))
    print("total: %.1f s wall = %.3f s per sheet (limit %.0f s); CPU %.1f s (load average %.1f)"
          % (total, total / max(1, n), args.limit, cpu, os.getloadavg()[0]))
    print("papers: %s" % ", ".join("%s %d" % kv for kv in sorted(papers.items())))
    print("labels: %s; unplaced by QGIS: %d" % (", ".join("%s %d" % kv for kv in sorted(modes.items())),
                                                unplaced))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    app.exitQgis()
    ok = total <= args.limit and n >= args.groups * 0.97 and unplaced == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
