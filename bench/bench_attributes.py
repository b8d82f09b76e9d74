"""Benchmark: the A, X and C rules on a 100,000-plot township (issue 4 budget: ≤ 10 s).

    python bench/bench_attributes.py [--plots 100000] [--db path] [--generator]
                                     [--defects 0.01] [--budget 10] [--store]

Without --db (or when that file does not exist yet: it is written there for the next
run) a complete township is synthesised (10 villages × 10 groups, 4 plots
per household: 25,000 households, 90,000 members with valid ID numbers, plots,
contracts, registers, certificates); --generator uses
core.demo.generate.generate_township instead when it is installed. --defects
spoils that share of households and plots (empty 四至, bad ID numbers, plots
without contract …) so that findings, their geometry and --store (persistence)
are timed too. Only the check run (and the store) is timed, not the synthesis.
Exit status 1 when the run exceeds the budget.
"""
import argparse
import os
import sys
import time

import common  # first: makes the quequan package importable

TOWN = "370832110"
X0, Y0 = 38500000.0, 4000000.0
RULES = ["A%02d" % i for i in range(1, 18)] + ["X%02d" % i for i in range(1, 6)] + \
    ["C01", "C02", "C03"]
SIZES = (3, 4, 4, 3, 4)          # members per household: 3.6 on average


def _id(birth, seq, check_char, region="370832"):
    body = region + birth + seq
    return body + check_char(body)


def synthesise(path, plots, defects=0.0):
    import numpy as np
    import shapely
    from quequan.core.codes import id_check_char, m2_to_mu
    from quequan.core.township_db import TownshipDB, create_database
    create_database(path, 4526, overwrite=True)
    rng = np.random.default_rng(4)
    bad = set(rng.choice(plots, int(plots * defects), replace=False).tolist()) if defects else set()
    per_group = max(4, plots // 100)
    t = {k: [] for k in ("FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB", "CBJYQZ",
                         "QSLYZLFJ", "DK", "ZJQY", "CJQY")}
    boxes, regions, villages = [], [], []
    n = 0
    for v in range(10):
        vcode = "%s%03d" % (TOWN, 201 + v)
        t["CJQY"].append({"BSM": 900 + v, "YSDM": "162030", "CJQYDM": vcode,
                          "CJQYMC": "第%d村" % (v + 1)})
        villages.append((X0 + v * 2000, Y0, X0 + v * 2000 + 2000, Y0 + 20000))
        for g in range(10):
            group = "%s%02d" % (vcode, 1 + g)
            t["FBF"].append({"FBFBM": group, "FBFMC": "某镇第%d村%d组" % (v + 1, g + 1),
                             "FBFFZRXM": "组长", "FZRZJLX": "1",
                             "FZRZJHM": _id("19600101", "%03d" % (v * 10 + g), id_check_char),
                             "FBFDZ": "某村", "YZBM": "272100", "FBFDCY": "调查员",
                             "FBFDCRQ": "2015-02-01"})
            t["ZJQY"].append({"BSM": 1000 + v * 10 + g, "YSDM": "162040", "ZJQYDM": group,
                              "ZJQYMC": "%d组" % (g + 1)})
            regions.append((X0 + v * 2000, Y0 + g * 2000, X0 + v * 2000 + 2000, Y0 + g * 2000 + 2000))
            for k in range(per_group):
                if n == plots:
                    break
                hh, first = k // 4, k % 4 == 0
                cbfbm = "%s%04d" % (group, hh + 1)
                code = cbfbm + "J"
                if first:
                    size = SIZES[hh % len(SIZES)]
                    members = []
                    for m in range(size):
                        # unique in the township: region per group, birth per household/member
                        sex = "1" if m % 2 == 0 else "2"
                        birth = "%04d%02d%02d" % (1950 + hh % 50, 1 + (hh // 50) % 12, 1 + m)
                        seq = "%02d%d" % (hh // 600, 1 if sex == "1" else 2)
                        members.append({"CBFBM": cbfbm, "CYXM": "成员%d" % m, "CYXB": sex,
                                        "CYZJLX": "1", "YHZGX": "02" if m == 0 else "20",
                                        "CYZJHM": _id(birth, seq, id_check_char,
                                                      "3708%02d" % (v * 10 + g)),
                                        "SFGYR": "1"})
                    if n in bad:
                        members[-1]["CYZJHM"] = members[-1]["CYZJHM"][:17] + (
                            "0" if members[-1]["CYZJHM"][17] != "0" else "1")
                    t["CBF_JTCY"].extend(members)
                    t["CBF"].append({"CBFBM": cbfbm, "CBFLX": "1", "CBFMC": "成员0",
                                     "CBFZJLX": "1", "CBFZJHM": members[0]["CYZJHM"],
                                     "CBFDZ": "某村", "YZBM": "272100", "CBFCYSL": size,
                                     "CBFDCRQ": "2015-03-01", "CBFDCY": "调查员", "GSJSR": "记事人",
                                     "GSSHRQ": "2015-06-10", "GSSHR": "审核人"})
                    t["CBHT"].append({"CBHTBM": code, "FBFBM": group, "CBFBM": cbfbm, "CBFS": "110",
                                      "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31", "HTZMJ": 0.0,
                                      "CBDKZS": 0, "QDSJ": "2016-07-01"})
                    t["CBJYQZDJB"].append({
                        "CBJYQZBM": code, "FBFBM": group, "CBFBM": cbfbm, "CBFS": "110",
                        "CBQX": "1998年01月01日至2027年12月31日", "CBQXQ": "1998-01-01",
                        "CBQXZ": "2027-12-31", "DKSYT": "图件\\%s\\DKSYT%s.pdf" % (group, code),
                        "CBJYQZLSH": "鲁（2016）某县农村土地承包经营权证第%06d号" % (len(t["CBHT"])),
                        "DBR": "登簿人", "DJSJ": "2016-09-01"})
                    t["CBJYQZ"].append({"CBJYQZBM": code, "FZJG": "某县人民政府",
                                        "FZRQ": "2016-10-01", "QZSFLQ": "2"})
                    t["QSLYZLFJ"].append({"CBJYQZBM": code, "ZLFJBH": "F" + cbfbm[-12:],
                                          "ZLFJMC": "原承包合同", "ZLFJRQ": "2015-01-01",
                                          "FJ": "其他资料\\权属来源附件\\F%s.pdf" % cbfbm[-12:]})
                x, y = X0 + v * 2000 + (k % 50) * 40, Y0 + g * 2000 + (k // 50) * 45
                h = 15.0 + (k * 7 % 25)
                boxes.append((x, y, x + 20, y + h))
                area = round(20 * h, 2)
                dkbm = "%s%05d" % (group, k + 1)
                contracted = k % 10 != 9
                t["DK"].append({"BSM": n + 1, "YSDM": "211011", "DKBM": dkbm,
                                "DKMC": "地块%d" % (k + 1), "SYQXZ": "31",
                                "DKLB": "10" if contracted else "21", "TDLYLX": "013",
                                "DLDJ": "05", "TDYT": "1", "SFJBNT": "2", "SCMJ": area,
                                "SCMJM": float(m2_to_mu(area)), "DKDZ": "道路",
                                "DKXZ": None if n in bad else "水渠", "DKNZ": "沟",
                                "DKBZ": None if n in bad else "林带", "ZJRXM": "成员0",
                                "KJZB": "J1/J2/J3/J4"})
                if contracted and not (n in bad and k % 4 == 1):
                    t["CBDKXX"].append({"DKBM": dkbm, "FBFBM": group, "CBFBM": cbfbm,
                                        "CBJYQQDFS": "110", "HTMJ": area, "CBHTBM": code,
                                        "CBJYQZBM": code, "SFQQQG": "2"})
                    t["CBHT"][-1]["HTZMJ"] = round(t["CBHT"][-1]["HTZMJ"] + area, 2)
                    t["CBHT"][-1]["CBDKZS"] += 1
                n += 1
    for ht in t["CBHT"]:          # a household whose plots are all 自留地 has no contract
        if ht["CBDKZS"] == 0:
            ht["HTZMJ"], ht["CBDKZS"] = 1.0, 1
    geoms = {"DK": list(shapely.multipolygons([[b] for b in shapely.box(*np.array(boxes).T)])),
             "ZJQY": list(shapely.multipolygons([[b] for b in shapely.box(*np.array(regions).T)])),
             "CJQY": list(shapely.multipolygons([[b] for b in shapely.box(*np.array(villages).T)]))}
    with TownshipDB(path) as db:
        with db.transaction():
            for table, rows in t.items():
                keys = sorted({k for r in rows for k in r})
                db.insert(table, [{k: r.get(k) for k in keys} for r in rows],
                          geoms=geoms.get(table))
    return path


def admin_units():
    out = []
    for v in range(10):
        vcode = "%s%03d" % (TOWN, 201 + v)
        out.append({"code": vcode, "name": "第%d村" % (v + 1), "level": "village", "is_fbf": False})
        out += [{"code": "%s%02d" % (vcode, g + 1), "name": "%d组" % (g + 1), "level": "group",
                 "is_fbf": True} for g in range(10)]
    return out


def run(path, store=False):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        counts = {t: db.count(t) for t in ("DK", "CBF", "CBF_JTCY", "CBDKXX", "CBHT")}
        # the demo generator writes its list into qq_admin_unit; the synthesised one does not
        listed = db.has("qq_admin_unit") and db.count("qq_admin_unit") > 0
        ctx = CheckContext(db, admin_units=None if listed else admin_units())
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_checks(ctx, RULES)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        stored = None
        if store:
            from quequan.checks.persistence import store_run
            t1 = time.perf_counter()
            store_run(db, result)
            stored = time.perf_counter() - t1
    return counts, result, elapsed, cpu, stored


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plots", type=int, default=100000)
    ap.add_argument("--db")
    ap.add_argument("--generator", action="store_true")
    ap.add_argument("--defects", type=float, default=0.0)
    ap.add_argument("--budget", type=float, default=10.0)
    ap.add_argument("--store", action="store_true")
    args = ap.parse_args(argv)
    if args.generator:
        make = common.demo_maker(args.plots, 4, defects=args.defects > 0)
    else:
        def make(path):
            synthesise(path, args.plots, args.defects)
    with common.township(make, args.db, prefix="qq_bench_attr_") as path:
        elapsed = report(path, args)
    common.print_peak_memory()
    return 0 if elapsed <= args.budget else 1


def report(path, args):
    counts, result, elapsed, cpu, stored = run(path, args.store)
    print("data: " + ", ".join("%s %d" % kv for kv in counts.items()))
    print("A/X/C rules: %.2f s wall, %.2f s CPU for %d rules, %d findings (budget %.0f s; "
          "load average %.1f)" % (elapsed, cpu, len(result.run["rules_run"]),
                                  len(result.findings), args.budget, os.getloadavg()[0]))
    timings = result.run["timings"]
    groups = {}
    for name, sec in timings.items():
        if name.startswith("load:"):
            kind = name.split(":")[1]
            groups["loading: " + kind] = groups.get("loading: " + kind, 0.0) + sec
    for name, sec in sorted(groups.items(), key=lambda kv: -kv[1]):
        print("  %-40s %6.2f s" % (name, sec))
    for name, sec in sorted(timings.items(), key=lambda kv: -kv[1]):
        if not name.startswith("load:") and sec >= 0.05:
            print("  %-40s %6.2f s" % (name, sec))
    for rule, c in sorted(result.run["counts"].items()):
        print("  %s  错误 %d  警告 %d" % (rule, c["E"], c["W"]))
    for rule, why in result.run["rules_skipped"].items():
        print("  %s skipped: %s" % (rule, why))
    if stored is not None:
        print("store_run: %.2f s" % stored)
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
