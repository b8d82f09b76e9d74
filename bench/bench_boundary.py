"""Benchmark: 四至 and 界址点/界址线 of a 100,000-plot township (issue 8 budget: each ≤ 60 s).

    python bench/bench_boundary.py [--plots 100000] [--db path] [--keep] [--budget 60]

Without --db the demo township is generated (core.demo.generate, seed 1) into a
temporary folder (with --db missing, into that file for the next run); only the
boundary tools are timed, not the generation; the peak memory is printed last. The
四至 fields are emptied first, so that every value is written: compute_sizhi over
the township, apply_sizhi (fill, backup and audit included), undo_sizhi of that
batch, build_township_boundary (backup, JZD/JZX replaced, KJZB, audit), and
the single-plot calls the ownership dock makes (compute_sizhi and
build_boundary_for_plots for one plot). Exit status 1 when a township-wide step
exceeds the budget.
"""
import argparse
import sys

import common  # first: makes the quequan package importable
from common import timed as _timed  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plots", type=int, default=100000)
    ap.add_argument("--db", help="an existing township database (copied, never modified)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--budget", type=float, default=60.0)
    args = ap.parse_args(argv)

    from quequan.core.boundary.build import build_boundary_for_plots, build_township_boundary
    from quequan.core.boundary.sizhi import apply_sizhi, compute_sizhi, undo_sizhi
    from quequan.core.township_db import TownshipDB

    with common.township(common.demo_maker(args.plots, 1), args.db, copy=True, keep=args.keep,
                         prefix="qq_bench_boundary_") as path:
        results = []
        with TownshipDB(path) as db:
            db.conn.execute("UPDATE DK SET DKDZ=NULL, DKNZ=NULL, DKXZ=NULL, DKBZ=NULL")
            n = db.count("DK")
            res = _timed("四至 compute_sizhi (township)", lambda: compute_sizhi(db), results)
        print("  plots %d, values to write %d, plots with < 3 directions %d"
              % (n, len(res.changes("fill")), len(res.incomplete())))
        applied = _timed("四至 apply_sizhi (fill)", lambda: apply_sizhi(path, res, "fill"), results)
        print("  changed %d values, batch %s" % (applied.changed, applied.batch))
        undone = _timed("四至 undo_sizhi (that batch)", lambda: undo_sizhi(path, applied.batch), results)
        print("  restored %d values" % undone.changed)
        summary = _timed("界址 build_township_boundary", lambda: build_township_boundary(path), results)
        print("  JZD %d, JZX %d, KJZB changed %d" % (summary.jzd, summary.jzx, summary.kjzb_changed))
        with TownshipDB(path) as db:
            key = db.conn.execute("SELECT DKBM FROM DK ORDER BY fid LIMIT 1 OFFSET ?",
                                  (n // 2,)).fetchone()[0]
            one = _timed("四至 compute_sizhi (one plot)", lambda: compute_sizhi(db, dkbms=[key]),
                         results)
            print("  %s: %s" % (key, " / ".join(one.plots[0].new)))
            part = _timed("界址 build_boundary_for_plots (one plot)",
                          lambda: build_boundary_for_plots(db, [key]), results)
            print("  redone plots %d, JZD written %d" % (part.plots, part.jzd))
    over = [(k, v) for k, v in results[:4] if v > args.budget]
    for k, v in over:
        print("OVER BUDGET: %s %.1f s > %.0f s" % (k, v, args.budget))
    common.print_peak_memory()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
