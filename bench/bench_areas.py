"""Benchmark: area reconciliation of a 100,000-plot township (issue 5 budget: household level ≤ 10 s).

    python bench/bench_areas.py [--plots 100000] [--db path] [--generator] [--budget 10]

Without --db (or when that file does not exist yet) a township is synthesised
(10 villages × 10 groups, 4 plots per household, rectangles of 20 × 15–40 m,
SCMJ/SCMJM consistent, a few original contracts); --generator uses core.demo.generate.generate_township instead when
it is installed. Only the reconciliation is timed, not the synthesis; the peak
memory of the run is printed last.
Exit status 1 when the household level exceeds the budget.
"""
import argparse
import sys

import common  # first: makes the quequan package importable

TOWN = "370832110"
X0, Y0 = 38500000.0, 4000000.0


def synthesise(path, plots):
    import numpy as np
    import shapely
    from quequan.core.codes import m2_to_mu
    from quequan.core.township_db import TownshipDB, create_database
    create_database(path, 4526, overwrite=True)
    rng = np.random.default_rng(5)
    per_group = max(4, plots // 100)
    heights = np.round(rng.uniform(15, 40, plots), 2)
    dk, cbf, cbdkxx, cbht, boxes = [], [], [], [], []
    n = 0
    for v in range(10):
        for g in range(10):
            group = "%s%03d%02d" % (TOWN, 201 + v, 1 + g)
            for k in range(per_group):
                if n == plots:
                    break
                x, y = X0 + v * 2000 + (k % 50) * 20, Y0 + g * 2000 + (k // 50) * 45
                h = float(heights[n])
                boxes.append((x, y, x + 20, y + h))
                area = round(20 * h, 2)
                dkbm = "%s%05d" % (group, k + 1)
                cbfbm = "%s%04d" % (group, k // 4 + 1)
                dk.append({"DKBM": dkbm, "DKMC": "地块%d" % (k + 1), "DKLB": "10" if k % 10 else "21",
                           "SCMJ": area, "SCMJM": float(m2_to_mu(area)), "YSDM": "211011", "BSM": n + 1})
                if k % 10:
                    cbdkxx.append({"DKBM": dkbm, "FBFBM": group, "CBFBM": cbfbm, "HTMJ": area,
                                   "YHTMJ": round(area * 0.95, 2) if k % 3 else None,
                                   "CBHTBM": cbfbm + "J", "CBJYQZBM": cbfbm + "J", "CBJYQQDFS": "110"})
                if k % 4 == 0:
                    cbf.append({"CBFBM": cbfbm, "CBFLX": "1", "CBFMC": "户主%d" % (k // 4 + 1), "CBFCYSL": 3})
                    cbht.append({"CBHTBM": cbfbm + "J", "FBFBM": group, "CBFBM": cbfbm, "CBFS": "110",
                                 "YHTZMJ": 2400.0 if k % 8 == 0 else None})
                n += 1
    geoms = shapely.multipolygons([[b] for b in shapely.box(*np.array(boxes).T)])
    with TownshipDB(path) as db:
        with db.transaction():
            db.insert("DK", dk, geoms=list(geoms))
            db.insert("CBF", cbf)
            db.insert("CBDKXX", cbdkxx)
            db.insert("CBHT", cbht)
    return path


def _adjust(path):
    from quequan.core.areas.adjust import make_plan
    from quequan.core.areas.apply import apply_plan, undo_batch
    from quequan.core.township_db import TownshipDB
    out = []
    with TownshipDB(path) as db:
        db.conn.execute('UPDATE "DK" SET "SCMJM" = NULL')
        plan = common.timed("plan mu", lambda: make_plan(db, "mu"), out, quiet=True)
    res = common.timed("apply", lambda: apply_plan(path, plan), out, quiet=True)
    undo = common.timed("undo", lambda: undo_batch(path, res.batch), out, quiet=True)
    t = dict(out)
    print("重算亩面积：预览 %d 个值 %.2f 秒，写入（含备份、审计）%.2f 秒，撤销 %d 个值 %.2f 秒"
          % (len(plan.changes), t["plan mu"], t["apply"], undo.changed, t["undo"]))
    return t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plots", type=int, default=100000)
    ap.add_argument("--db", help="a township database (synthesised there first when it does not exist)")
    ap.add_argument("--generator", action="store_true", help="use core.demo.generate.generate_township")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds for the household level")
    ap.add_argument("--all-levels", action="store_true", help="also time plot/group/village/township and M01–M04")
    ap.add_argument("--adjust", action="store_true",
                    help="also time recomputing every SCMJM (all cleared first): preview, apply, undo")
    args = ap.parse_args(argv)
    make = common.demo_maker(args.plots, 5) if args.generator else (lambda p: synthesise(p, args.plots))
    with common.township(make, args.db, prefix="qq_bench_areas_") as path:
        timings = _run(path, args)
    common.print_peak_memory()
    return 0 if timings["household"] <= args.budget else 1


def _reconcile(path, level):
    from quequan.core.areas.reconcile import reconcile
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        return reconcile(db, level)


def _run(path, args):
    results = []
    table = common.timed("household", lambda: _reconcile(path, "household"), results, quiet=True)
    timings = dict(results)
    print("承包方级核对：%d 个承包方，实测面积合计 %s 平方米，%.2f 秒（预算 %.0f 秒）"
          % (len(table.rows), table.totals["SCMJ"], timings["household"], args.budget))
    if args.all_levels:
        for level in ("plot", "group", "village", "township"):
            t = common.timed(level, lambda: _reconcile(path, level), results, quiet=True)
            print("%s 级：%d 行，%.2f 秒" % (level, len(t.rows), dict(results)[level]))
        from quequan.checks.context import CheckContext
        from quequan.checks.engine import run_checks
        from quequan.core.township_db import TownshipDB

        def m_rules():
            with TownshipDB(path) as db:
                return run_checks(CheckContext(db), ["M01", "M02", "M03", "M04"])
        res = common.timed("M01-M04", m_rules, results, quiet=True)
        print("M01–M04：%d 条记录 %s，%.2f 秒" % (len(res.findings), res.counts(), dict(results)["M01-M04"]))
    timings = dict(results)
    if args.adjust:
        timings.update(_adjust(path))
    return timings

if __name__ == "__main__":
    sys.exit(main())
