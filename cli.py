"""Command line: `python -m quequan.cli demo|createdb|selfcheck` (used by make demo)."""
import argparse
import json
import os
import sys
import time


def _selfcheck(db_path, out_dir, stem, rules=None, admin_list=None):
    """Check one database; its results go to out_dir/<stem>/ (lists are named by town and day)."""
    out_dir = os.path.join(out_dir, stem)
    os.makedirs(out_dir, exist_ok=True)
    from .checks.context import CheckContext
    from .checks.engine import run_checks
    from .checks.persistence import store_run
    from .core.township_db import TownshipDB
    from .export.check_report import write_check_report
    from .export.daily_lists import write_daily_lists
    from .export.error_layer import write_error_layer
    with TownshipDB(db_path) as db:
        units = None
        if admin_list:
            from .core.admin_list import read_admin_list, store_admin_units
            units, problems = read_admin_list(admin_list)
            for p in problems:
                print("  名单问题：" + p)
            if units:
                store_admin_units(db, units)
        t0 = time.perf_counter()
        result = run_checks(CheckContext(db, admin_units=units), rules, data_source=db_path)
        elapsed = time.perf_counter() - t0
        store_run(db, result)
        layer = write_error_layer(os.path.join(out_dir, stem + "_errors.gpkg"), result.findings,
                                  db.epsg("DK"))
        report = write_check_report(os.path.join(out_dir, stem + "_自查报告.xlsx"), result)
        lists = write_daily_lists(db, out_dir)
    errors = sum(1 for f in result.findings if f.severity == "E")
    print("  %d 条规则，%.1f 秒：%d 个错误，%d 个警告" % (
        len(result.run["rules_run"]), elapsed, errors, len(result.findings) - errors))
    for rule, c in sorted(result.run["counts"].items()):
        print("    %s  错误 %d  警告 %d" % (rule, c["E"], c["W"]))
    print("  错误图层：%s\n  自查报告：%s" % (layer, report))
    for p in lists:
        print("  清单：%s" % p)
    return result


def cmd_demo(args):
    from .core.demo.generate import generate_township
    os.makedirs(args.out, exist_ok=True)
    clean = os.path.join(args.out, "demo.gpkg")
    defects = os.path.join(args.out, "demo_defects.gpkg")
    manifest = os.path.join(args.out, "demo_defects_manifest.json")
    for p in (clean, defects, defects[:-5] + "_structure.gpkg"):
        if os.path.exists(p):
            os.remove(p)
    t0 = time.perf_counter()
    generate_township(clean, plots=args.plots, seed=args.seed)
    print("演示乡镇（无缺陷）：%s（%d 块地，%.1f 秒）" % (clean, args.plots, time.perf_counter() - t0))
    generate_township(defects, plots=args.plots, seed=args.seed, defects=True, manifest_path=manifest)
    with open(manifest, encoding="utf-8") as fh:
        n = len(json.load(fh))
    print("演示乡镇（含 %d 处注入缺陷）：%s，缺陷清单 %s" % (n, defects, manifest))
    admin = os.path.join(args.out, "admin_units.csv")
    print("\n数据自查：%s" % clean)
    _selfcheck(clean, args.out, "demo", admin_list=admin if os.path.exists(admin) else None)
    print("\n数据自查：%s" % defects)
    _selfcheck(defects, args.out, "demo_defects", admin_list=admin if os.path.exists(admin) else None)
    structure = os.path.join(args.out, "demo_defects_structure.gpkg")
    if os.path.exists(structure):
        # structure defects (S01–S03) live in a companion file: they would hide everything else
        print("\n结构检查（S01–S03）：%s" % structure)
        _selfcheck(structure, args.out, "demo_defects_structure", rules=["S01", "S02", "S03"])
    print("\n结果都在 %s/" % os.path.abspath(args.out))


def cmd_createdb(args):
    from .core.township_db import create_database
    create_database(args.output, args.epsg, overwrite=args.overwrite)
    print("已创建 %s" % args.output)


def cmd_selfcheck(args):
    from .checks.catalogue import parse_rule_list
    os.makedirs(args.out, exist_ok=True)
    stem = os.path.splitext(os.path.basename(args.database))[0]
    _selfcheck(args.database, args.out, stem, parse_rule_list(args.rules) or None, args.admin_list)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="quequan", description="QueQuan 确权助手")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("demo", help="build the demo township and run every check")
    p.add_argument("--out", default="out")
    p.add_argument("--plots", type=int, default=3000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("createdb", help="create an empty township database")
    p.add_argument("output")
    p.add_argument("--epsg", type=int, default=4526)
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=cmd_createdb)
    p = sub.add_parser("selfcheck", help="run the self-check on a township database")
    p.add_argument("database")
    p.add_argument("--rules", default="")
    p.add_argument("--admin-list", default=None)
    p.add_argument("--out", default="out")
    p.set_defaults(func=cmd_selfcheck)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except Exception as exc:  # noqa: BLE001 (top level: one clear line for the user)
        from .core.township_db import DatabaseError
        if isinstance(exc, (DatabaseError, ValueError, OSError)):
            print("错误：%s" % exc, file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
