"""M01–M04 (checks.md §7 M): must-catch and must-not-flag cases on hand-made databases."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import test_area_fixtures as fx  # noqa: E402
from test_area_fixtures import G1, G2, cbdkxx, cbf, cbht, dk, rect  # noqa: E402


def run(path, rules, scope=None, **params):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        return run_checks(CheckContext(db, parameters=params or None, scope=scope), rules)


def keys(result, rule):
    return sorted(str(f.key) for f in result.by_rule(rule))


def test_area_family_is_registered():
    from quequan.checks import registry
    assert {"M01", "M02", "M03", "M04"} <= set(registry.implemented())


# --- M01 ------------------------------------------------------------------------

def test_m01_catch_and_not_flag(tmp_path):
    p = fx.fresh(tmp_path)
    plots = [
        dk(G1 + "00015", rect(0, 0, 10, 123.61), 1234.56),          # area 1236.10: catch
        dk(G1 + "00016", rect(20, 0, 10, 123.45649), 1234.56),      # 1234.5649: not flagged
        dk(G1 + "00017", rect(40, 0, 10, 10.5), 100.00),            # reshaped after writing
        dk(G1 + "00018", rect(60, 0, 10, 10.01), 100.00),           # exactly 0.1 off: not flagged
        dk(G1 + "00019", rect(80, 0, 10, 10.01001), 100.00),        # 0.1001 off: caught
        dk(G1 + "00020", rect(100, 0, 10, 10), None),               # empty SCMJ: A01's matter
    ]
    fx.write(p, plots)
    res = run(p, ["M01"])
    assert keys(res, "M01") == [G1 + "00015", G1 + "00017", G1 + "00019"]
    f = res.by_rule("M01")[0]
    assert f.message == ("地块 %s00015 实测面积 1234.56 平方米，图形面积 1236.10 平方米，相差 1.54（容差 0.1）" % G1)
    assert f.layer == "DK" and f.key_field == "DKBM" and f.unit_code == G1 and f.severity == "E"
    assert f.geom.geom_type == "Point" and rect(0, 0, 10, 123.61).contains(f.geom)
    assert f.values["tol"] == 0.1 and abs(f.values["diff"] + 1.54) < 1e-9


def test_m01_tolerance_parameter_and_repaired_geometry(tmp_path):
    p = fx.fresh(tmp_path)
    bow = fx.poly([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])   # bow-tie, two 25 m² triangles
    fx.write(p, [dk(G1 + "00001", bow, 50.0), dk(G1 + "00002", rect(20, 0, 10, 10.05), 100.0)])
    assert keys(run(p, ["M01"]), "M01") == [G1 + "00002"]       # repaired bow-tie measures 50
    assert keys(run(p, ["M01"], AREA_TOL=1.0), "M01") == []
    fx.write(p, [dk(G1 + "00003", fx.poly([(40, 0), (50, 10), (50, 0), (40, 10), (40, 0)]), 60.0)])
    f = [x for x in run(p, ["M01"], AREA_TOL=1.0).findings if x.key == G1 + "00003"][0]
    assert f.message.endswith("（容差 1）（按修复后图形检查）")


def test_m01_scope(tmp_path):
    p = fx.fresh(tmp_path)
    fx.write(p, [dk(G1 + "00001", rect(0, 0, 10, 10), 90.0), dk(G2 + "00001", rect(0, 20, 10, 10), 90.0)])
    assert keys(run(p, ["M01"], scope=[G2]), "M01") == [G2 + "00001"]


# --- M02 ------------------------------------------------------------------------

def test_m02_rounding_edges(tmp_path):
    p = fx.fresh(tmp_path)
    c = G1 + "0021"
    plots = [
        dk(G1 + "00001", rect(0, 0, 10, 100), 1000.00, 1.60),      # catch
        dk(G1 + "00002", rect(20, 0, 10, 100), 1000.00, 1.49),     # |1.49 − 1.50| = 0.01: not flagged
        dk(G1 + "00003", rect(40, 0, 10, 167), 1670.00, 2.50),     # float rounding would give 2.50
        dk(G1 + "00004", rect(60, 0, 10, 167), 1670.00, 2.51),     # decimal half up: 2.51
        dk(G1 + "00005", rect(80, 0, 10, 167), 1670.00, 2.53),     # catch (0.02 off)
        dk(G1 + "00006", rect(100, 0, 10, 10), 100.00, None),      # 亩 empty: nothing to compare
    ]
    rows = [cbdkxx(G1 + "00001", c, htmj=1000.00, htmjm=1.50, yhtmj=666.67, yhtmjm=1.02)]
    fx.write(p, plots, cbf=[cbf(c, "王某")], cbdkxx=rows,
             cbht=[cbht(c, htzmj=2666.67, htzmjm=4.02, cbdkzs=1)],
             extra={"MZDW": ([{"DWMC": "坟地", "MJ": 100.0, "MJM": 0.17, "YSDM": "196031", "BSM": 1}],
                             [rect(0, 200, 10, 10)])})
    res = run(p, ["M02"])
    got = sorted((f.layer, f.key, f.values["field"]) for f in res.by_rule("M02"))
    assert got == [("CBDKXX", G1 + "00001", "YHTMJM"), ("CBHT", c + "J", "HTZMJM"),
                   ("DK", G1 + "00001", "SCMJM"), ("DK", G1 + "00005", "SCMJM"),
                   ("MZDW", "坟地", "MJM")]
    f = [x for x in res.findings if x.layer == "DK" and x.key == G1 + "00001"][0]
    assert f.message == ("地块 %s00001 SCMJM（实测面积(亩)）1.60 亩，按 SCMJ 1000.00 平方米应为 1.50 亩，"
                         "相差 0.10（容差 0.01）" % G1)
    assert f.geom is not None and f.geom.geom_type == "Point"
    cb = [x for x in res.findings if x.layer == "CBDKXX"][0]
    assert cb.geom is not None            # the plot's point on surface
    assert [x.geom for x in res.findings if x.layer == "CBHT"] == [None]
    assert len({x.fingerprint for x in res.findings}) == len(res.findings)


def test_m02_two_fields_of_one_row_are_two_records(tmp_path):
    p = fx.fresh(tmp_path)
    c = G1 + "0021"
    fx.write(p, cbdkxx=[cbdkxx(G1 + "00001", c, htmj=1000.00, htmjm=1.70, yhtmj=1000.00, yhtmjm=1.70)])
    res = run(p, ["M02"])
    assert sorted(f.values["field"] for f in res.findings) == ["HTMJM", "YHTMJM"]
    assert len({f.fingerprint for f in res.findings}) == 2


# --- M03 ------------------------------------------------------------------------

def _household(code, name, scmjs, origin_total=None, origin_rows=None, first=1, y=0):
    plots, rows = [], []
    for n, s in enumerate(scmjs):
        dkbm = "%s%05d" % (code[:14], first + n)
        plots.append(dk(dkbm, rect(n * 100, y, 10, 10), s))
        rows.append(cbdkxx(dkbm, code, htmj=s, yhtmj=(origin_rows[n] if origin_rows else None)))
    return plots, rows, [cbf(code, name)], [cbht(code, htzmj=sum(scmjs), cbdkzs=len(scmjs), yhtzmj=origin_total)]


def test_m03_contract_vs_measured(tmp_path):
    p = fx.fresh(tmp_path)
    parts = [
        _household(G1 + "0021", "王某", [1533.33, 1533.34], origin_total=2666.67, first=1, y=0),   # +15 %
        _household(G1 + "0022", "李某", [1080.00], origin_total=1000.00, first=10, y=100),        # +8 %
        _household(G1 + "0023", "赵某", [1100.00], origin_total=1000.00, first=20, y=200),        # exactly 10 %
        _household(G1 + "0024", "新户", [900.00], first=30, y=300),                               # no original
        _household(G1 + "0025", "钱某", [700.00, 100.00], origin_rows=[500.00, 200.00], first=40, y=400),  # Σ YHTMJ
    ]
    plots, rows, cbfs, cbhts = ([x for part in parts for x in part[i]] for i in range(4))
    fx.write(p, plots, cbf=cbfs, cbdkxx=rows, cbht=cbhts)
    res = run(p, ["M03"])
    assert keys(res, "M03") == [G1 + "0021", G1 + "0025"]
    f = res.by_rule("M03")[0]
    assert f.message == "承包方 %s0021 王某 实测 4.60 亩，二轮合同 4.00 亩，相差 15.0%%（阈值 10%%）" % G1
    assert f.severity == "W" and f.geom is None and f.layer == "CBF"
    assert res.by_rule("M03")[1].values["source"] == "YHTMJ"
    assert keys(run(p, ["M03"], CONTRACT_DIFF_PCT=20), "M03") == []


def test_m03_silent_where_cbdkxx_is_empty(tmp_path):
    p = fx.fresh(tmp_path)
    fx.write(p, [dk(G2 + "00001", rect(0, 0, 10, 10), 100.0)], cbf=[cbf(G2 + "0001", "孙某")],
             cbht=[cbht(G2 + "0001", htzmj=100.0, cbdkzs=1, yhtzmj=500.0)])
    assert run(p, ["M03"]).findings == []


# --- M04 ------------------------------------------------------------------------

def test_m04_coverage(tmp_path):
    p = fx.fresh(tmp_path)
    plots = [dk(G1 + "00001", rect(0, 0, 10, 10), 1300.0),          # r = 1300 / 1000 = 1.30
             dk(G2 + "00001", rect(0, 200, 10, 10), 780.0)]         # r = 0.78
    fx.write(p, plots, regions={"ZJQY": [(G1, "一组", rect(0, 0, 10, 100)),
                                         (G2, "二组", rect(0, 200, 10, 100))]})
    res = run(p, ["M04"])
    assert keys(res, "M04") == [G1]
    f = res.by_rule("M04")[0]
    assert f.message == ("组级区域 %s 一组 地块实测面积合计 1300.00 平方米，区域面积 1000.00 平方米，"
                         "覆盖率 1.30（范围 0.20–1.00）" % G1)
    assert rect(0, 0, 10, 100).contains(f.geom) and f.severity == "W"
    assert keys(run(p, ["M04"], COVERAGE_MAX=1.5), "M04") == []


def test_m04_skipped_without_regions(tmp_path):
    p = fx.fresh(tmp_path)
    fx.write(p, [dk(G1 + "00001", rect(0, 0, 10, 10), 100.0)])
    res = run(p, ["M04"])
    assert res.findings == [] and "M04" in res.run["rules_skipped"]


def test_clean_grid_has_no_area_findings(tmp_path):
    p = fx.fresh(tmp_path)
    fx.write(p, fx.grid_group(G1, 5, 4, size=20.0),
             regions={"ZJQY": [(G1, "一组", rect(0, 0, 100, 100))]})
    assert run(p, ["M01", "M02", "M03", "M04"]).findings == []
