"""Benchmark: all topology rules (T01–T16) on a township of N plots, with a QGIS-native
baseline measured in the same run (issue 3 budget: 100 000 plots ≤ 15 s, ≤ 1/5 of
the baseline).

    python bench/bench_topology.py [--plots 100000] [--db path] [--seed 1]
                                   [--baseline-plots 5000] [--no-baseline] [--jzd]
                                   [--synthetic] [--fresh] [--budget 15]

The township comes from core.demo.generate.generate_township(geometry_only=True)
when it is installed, else from bench/topology_synth.py (or --synthetic); it is
cached in the temp directory per size and seed. --jzd adds JZD/JZX/KJZB built by
core.boundary_points so that T16 is timed too. Only the checks are timed.

Baseline (the QGIS Geometry Checker approach): QgsSpatialIndex, then for every
candidate pair QgsGeometry.intersects + intersection (area > OVERLAP_MIN_AREA),
and gaps from QgsGeometry.unaryUnion of all plots subtracted from their convex
hull. It is measured on the first --baseline-plots plots and extrapolated
linearly (generous to the baseline: unaryUnion grows faster than linearly).
Exit status 1 when a budget is missed.
"""
import argparse
import os
import resource
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "build", "pkg")
if not os.path.exists(os.path.join(PKG, "quequan")):
    os.makedirs(PKG, exist_ok=True)
    os.symlink(ROOT, os.path.join(PKG, "quequan"))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != ROOT]
sys.path.insert(0, PKG)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

T_RULES = ["T%02d" % i for i in range(1, 17)]
PLOT_ONLY = ["T%02d" % i for i in range(1, 14)]


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_township(path, plots, seed, synthetic):
    from quequan.core.township_db import TownshipDB, create_database
    if not synthetic:
        try:
            from quequan.core.demo.generate import generate_township
        except ImportError:
            generate_township = None
        if generate_township is not None:
            try:
                generate_township(path, plots=plots, seed=seed, geometry_only=True)
            except TypeError:
                generate_township(path, plots=plots, seed=seed)
            return "core.demo.generate"
    from topology_synth import synthesise
    data = synthesise(plots, seed)
    create_database(path, 4526, overwrite=True)
    with TownshipDB(path) as db, db.transaction():
        for code, (rows, geoms) in data.items():
            db.insert(code, rows, geoms)
    return "bench/topology_synth.py"


def add_boundary_points(path):
    """JZD/JZX/KJZB from the plots (core.boundary_points), when the layers are empty."""
    import shapely
    from quequan.core.boundary_points import build_boundary
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        if db.count("JZD"):
            return False
        rows, wkbs = db.read_geometries("DK", ("DKBM",))
        geoms = shapely.from_wkb(wkbs)
        res = build_boundary([r["DKBM"] for r in rows], geoms)
        with db.transaction():
            db.insert("JZD", res.jzd_rows, res.jzd_points)
            db.insert("JZX", res.jzx_rows, res.jzx_lines)
            db.conn.executemany('UPDATE "DK" SET "KJZB"=? WHERE fid=?',
                                [(k, r["FID"]) for k, r in zip(res.kjzb, rows)])
    return True


def run_ours(path, rules=T_RULES):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path, readonly=True) as db:
        ctx = CheckContext(db)
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_checks(ctx, rules)
        ctx.cpu = time.process_time() - c0
        return time.perf_counter() - t0, result, ctx


def run_ours_on(wkbs, keys, rules=PLOT_ONLY):
    """Plot-only rules on an in-memory plot set (what quequan:checktopology runs)."""
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.checks.plots import PlotSet
    t0 = time.perf_counter()
    ctx = CheckContext(None)
    ctx.cache["plots"] = PlotSet.from_wkb(list(range(1, len(wkbs) + 1)), keys, wkbs)
    result = run_checks(ctx, rules)
    return time.perf_counter() - t0, result


def qgis_load(path, m):
    """The first m plots read the QGIS way (QgsVectorLayer features); (geoms, s, CPU s)."""
    from qgis.core import QgsFeatureRequest, QgsVectorLayer
    t0, c0 = time.perf_counter(), time.process_time()
    layer = QgsVectorLayer("%s|layername=DK" % path, "DK", "ogr")
    req = QgsFeatureRequest().setLimit(m).setNoAttributes()
    geoms = [f.geometry() for f in layer.getFeatures(req) if f.hasGeometry()]
    return geoms, time.perf_counter() - t0, time.process_time() - c0


def qgis_baseline(geoms, min_area, hole_area):
    """Overlaps and gaps the Geometry Checker way; (s, CPU s, overlaps, gaps)."""
    from qgis.core import QgsGeometry, QgsSpatialIndex
    t0, c0 = time.perf_counter(), time.process_time()
    index = QgsSpatialIndex()
    for i, g in enumerate(geoms):
        index.addFeature(i, g.boundingBox())
    overlaps = 0
    for i, g in enumerate(geoms):
        for j in index.intersects(g.boundingBox()):
            if j <= i:
                continue
            h = geoms[j]
            if g.intersects(h) and g.intersection(h).area() > min_area:
                overlaps += 1
    union = QgsGeometry.unaryUnion(geoms)
    gaps = union.convexHull().difference(union)
    small = sum(1 for p in gaps.asGeometryCollection() if p.area() < hole_area)
    return time.perf_counter() - t0, time.process_time() - c0, overlaps, small


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plots", type=int, default=100000)
    ap.add_argument("--db", help="an existing township GeoPackage (no generation)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline-plots", type=int, default=5000)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--jzd", action="store_true", help="generate JZD/JZX so that T16 is timed")
    ap.add_argument("--synthetic", action="store_true", help="ignore core.demo.generate")
    ap.add_argument("--fresh", action="store_true", help="regenerate the cached township")
    ap.add_argument("--budget", type=float, default=15.0, help="seconds per 100 000 plots")
    args = ap.parse_args(argv)

    path = args.db
    if not path:
        path = os.path.join(tempfile.gettempdir(), "quequan_bench_topology_%d_%d%s%s.gpkg" % (
            args.plots, args.seed, "_synth" if args.synthetic else "", "_jzd" if args.jzd else ""))
        if args.fresh or not os.path.exists(path):
            t0 = time.perf_counter()
            how = make_township(path, args.plots, args.seed, args.synthetic)
            print("township: %s (%s, %.1f s to build)" % (path, how, time.perf_counter() - t0))
        else:
            print("township: %s (cached; --fresh to rebuild)" % path)
    if args.jzd:
        t0 = time.perf_counter()
        if add_boundary_points(path):
            print("JZD/JZX/KJZB built in %.1f s" % (time.perf_counter() - t0))

    from quequan.core.township_db import TownshipDB
    with TownshipDB(path, readonly=True) as db:
        n = db.count("DK")
        print("plots %d, JZD %d, JZX %d, CJQY %d, ZJQY %d" % (
            n, db.count("JZD"), db.count("JZX"), db.count("CJQY"), db.count("ZJQY")))
    rss0 = rss_mb()
    ours, result, ctx = run_ours(path)
    print("\nours: all T rules on %d plots: %.2f s wall, %.2f s CPU, peak RSS %.0f MB "
          "(%.0f MB before the run)" % (n, ours, ctx.cpu, rss_mb(), rss0))
    for name, sec in sorted(ctx.timings.items(), key=lambda kv: -kv[1]):
        if sec >= 0.01:
            print("  %-28s %7.2f s" % (name, sec))
    counts = result.counts()
    print("  findings: " + (", ".join("%s %d" % (r, counts[r]) for r in sorted(counts)) or "none"))
    for r, why in result.run["rules_skipped"].items():
        print("  skipped %s: %s" % (r, why))
    ok = True
    budget = args.budget * max(n, 1) / 100000.0
    if n >= 100000 or args.plots == 100000:
        ok &= ours <= budget
        print("  budget %.1f s: %s" % (budget, "ok" if ours <= budget else "MISSED"))

    if not args.no_baseline:
        ok &= baseline(path, n, ours, ctx.cpu, args.baseline_plots, ctx.params)
    return 0 if ok else 1


def baseline(path, n, ours, ours_cpu, m, params):
    from quequan.core.township_db import TownshipDB
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    with TownshipDB(path, readonly=True) as db:
        rows, wkbs = db.read_geometries("DK", ("DKBM",))
    m = min(m, len(wkbs))
    sub_w = [w for w in wkbs[:m] if w]
    sub_k = [r["DKBM"] for r, w in zip(rows[:m], wkbs[:m]) if w]
    geoms, load, load_cpu = qgis_load(path, m)
    check, check_cpu, n_over, n_gap = qgis_baseline(geoms, params["OVERLAP_MIN_AREA"],
                                                    params["HOLE_MAX_AREA"])
    base, base_cpu = load + check, load_cpu + check_cpu
    ours_sub, res_sub = run_ours_on(sub_w, sub_k)
    print("\nbaseline (QgsVectorLayer read + QgsSpatialIndex + intersects/intersection, unaryUnion "
          "gaps) on the first %d plots: %.2f s wall (read %.2f + checks %.2f), %.2f s CPU "
          "(%d overlapping pairs, %d small gap parts)"
          % (m, base, load, check, base_cpu, n_over, n_gap))
    print("ours, plot-only rules T01–T13 on the same %d plots (in memory): %.2f s (baseline "
          "checks alone are %.1f× slower)" % (m, ours_sub, check / max(ours_sub, 1e-9)))
    est = base * n / float(m)
    if m < n:
        print("baseline extrapolated linearly to %d plots: %.1f s (×%.1f; unaryUnion is "
              "super-linear, so the true baseline is slower)" % (n, est, n / float(m)))
    ratio = ours / est if est else float("inf")
    est_cpu = base_cpu * n / float(m)
    print("ratio ours / baseline at %d plots: %.3f wall (must be ≤ 0.200): %s; CPU %.2f / %.2f = %.3f"
          % (n, ratio, "ok" if ratio <= 0.2 else "MISSED", ours_cpu, est_cpu,
             ours_cpu / est_cpu if est_cpu else float("inf")))
    app.exitQgis()
    return ratio <= 0.2


if __name__ == "__main__":
    sys.exit(main())
