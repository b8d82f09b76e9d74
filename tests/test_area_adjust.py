"""Adjustments (重算/平差): previews, exact sums, refusals, backup, audit and undo, read back from the gpkg."""
import os
import random
import sys
from decimal import Decimal as D

import pytest
from shapely.geometry import MultiLineString

sys.path.insert(0, os.path.dirname(__file__))
import test_area_fixtures as fx  # noqa: E402
from test_area_fixtures import G1, G2, cbdkxx, cbf, cbht, dk, rect  # noqa: E402


def _open(path):
    from quequan.core.township_db import TownshipDB
    return TownshipDB(path)


def plan(path, action, scope=None, **kw):
    from quequan.core.areas.adjust import make_plan
    with _open(path) as db:
        return make_plan(db, action, scope, **kw)


def snapshot(path):
    with _open(path) as db:
        return {t: sorted(db.read(t), key=lambda r: r["FID"]) for t in ("DK", "CBDKXX", "CBHT")}


def no_blockers(db, groups, rules, parameters):
    return {}, []


def dk_values(path, field="SCMJ"):
    with _open(path) as db:
        return {r["DKBM"]: r[field] for r in db.read("DK", ["DKBM", field])}


# --- largest remainder ------------------------------------------------------------

def test_largest_remainder_hand_examples():
    from quequan.core.areas.rounding import largest_remainder
    assert largest_remainder([D(1), D(1), D(1)], D("1.00")) == [D("0.34"), D("0.33"), D("0.33")]
    # ties go by the order keys, not by position
    assert largest_remainder([D(1), D(1), D(1)], D("1.00"), order=["c", "b", "a"]) == [
        D("0.33"), D("0.33"), D("0.34")]
    # 100.005 each: three of six get the extra cent
    got = largest_remainder([D(100)] * 6, D("600.03"))
    assert sum(got) == D("600.03") and sorted(got) == [D("100.00")] * 3 + [D("100.01")] * 3
    # remainders 0.6 / 0.3 / 0.1 (in cents): the largest ones win
    assert largest_remainder([D("1.006"), D("1.003"), D("1.001")], D("3.01")) == [
        D("1.01"), D("1.00"), D("1.00")]


def test_largest_remainder_random_sums_exact():
    from quequan.core.areas.rounding import largest_remainder
    rnd = random.Random(5)
    for _ in range(200):
        w = [D(repr(rnd.uniform(0.5, 5000))) for _ in range(rnd.randint(1, 60))]
        total = (sum(w) + D(repr(rnd.uniform(-3, 3)))).quantize(D("0.01"))
        shares = largest_remainder(w, total)
        assert sum(shares) == total
        wsum = sum(w)
        for wi, si in zip(w, shares):
            assert abs(si - wi * total / wsum) < D("0.01")
            assert si == si.quantize(D("0.01"))


def test_sums_of_rounded_values_differ_from_rounded_sum():
    from quequan.core.codes import m2_to_mu
    parts = [D("1000.33")] * 3   # 1.500495 -> 1.50 each
    assert sum(m2_to_mu(p) for p in parts) == D("4.50")
    assert m2_to_mu(sum(parts)) == D("4.50")
    parts = [D("1003.33")] * 3   # 1.504995 -> 1.50 each; total 3009.99 -> 4.514985 -> 4.51
    assert sum(m2_to_mu(p) for p in parts) == D("4.50") and m2_to_mu(sum(parts)) == D("4.51")


# --- recompute --------------------------------------------------------------------

def test_recompute_mu(tmp_path):
    p = fx.fresh(tmp_path)
    c = G1 + "0021"
    fx.write(p, [dk(G1 + "00001", rect(0, 0, 10, 167), 1670.00, 2.50),
                 dk(G1 + "00002", rect(20, 0, 10, 100), 1000.00, 1.49),
                 dk(G1 + "00003", rect(40, 0, 10, 100), 1000.00, 1.50),
                 dk(G2 + "00001", rect(0, 200, 10, 10), 100.00, 9.99)],
             cbdkxx=[cbdkxx(G1 + "00001", c, htmj=1670.0, yhtmj=1003.33)],
             cbht=[cbht(c, htzmj=1670.0, cbdkzs=1, htzmjm=2.5)])
    pl = plan(p, "mu", scope=G1)
    got = {(ch.table, ch.key, ch.field): (ch.old, ch.new) for ch in pl.changes}
    assert got == {("DK", G1 + "00001", "SCMJM"): (2.5, D("2.51")),
                   ("DK", G1 + "00002", "SCMJM"): (1.49, D("1.50")),
                   ("CBDKXX", G1 + "00001", "HTMJM"): (None, D("2.51")),
                   ("CBDKXX", G1 + "00001", "YHTMJM"): (None, D("1.50")),
                   ("CBHT", c + "J", "HTZMJM"): (2.5, D("2.51"))}
    from quequan.core.areas.apply import apply_plan
    res = apply_plan(p, pl, who="测试员")
    assert res.changed == 5 and os.path.exists(res.backup)
    mu = dk_values(p, "SCMJM")
    assert mu[G1 + "00001"] == 2.51 and mu[G2 + "00001"] == 9.99     # out of scope: untouched
    with _open(p) as db:
        audit = db.read("qq_audit")
    assert len(audit) == 5 and {a["BATCH"] for a in audit} == {res.batch}
    a = [x for x in audit if x["KEY"] == G1 + "00001" and x["FIELD"] == "SCMJM"][0]
    assert (a["TABLE_NAME"], a["OLD_VALUE"], a["NEW_VALUE"], a["WHO"], a["ACTION"]) == (
        "DK", "2.5", "2.51", "测试员", "重算亩面积")


def test_recompute_scmj_and_invalid_geometry_refused(tmp_path):
    p = fx.fresh(tmp_path)
    bow = fx.poly([(0, 200), (10, 210), (10, 200), (0, 210), (0, 200)])
    fx.write(p, [dk(G1 + "00001", rect(0, 0, 10, 123.45649), 1200.00, 1.80),
                 dk(G1 + "00002", rect(20, 0, 10, 10), 100.00, 0.15),
                 dk(G2 + "00001", bow, 80.0, 0.12)])
    pl = plan(p, "scmj")
    got = {(ch.key, ch.field): ch.new for ch in pl.changes}
    assert got == {(G1 + "00001", "SCMJ"): D("1234.56"), (G1 + "00001", "SCMJM"): D("1.85")}
    assert [r.unit for r in pl.refusals] == [G2] and "T01" in pl.refusals[0].reason
    from quequan.core.areas.apply import AdjustmentRefused, apply_plan
    with pytest.raises(AdjustmentRefused, match="T01"):
        apply_plan(p, pl)
    assert dk_values(p)[G1 + "00001"] == 1200.0                       # nothing written
    apply_plan(p, plan(p, "scmj", scope=G1))
    assert dk_values(p)[G1 + "00001"] == 1234.56


def test_recompute_contract_totals(tmp_path):
    p = fx.fresh(tmp_path)
    c, c2 = G1 + "0021", G1 + "0022"
    rows = [cbdkxx(G1 + "%05d" % n, c, htmj=h, yhtmj=y) for n, h, y in
            ((1, 1000.00, 900.0), (2, 1000.00, 900.0), (3, 1000.00, None), (4, 334.50, 300.0))]
    fx.write(p, cbdkxx=rows + [cbdkxx(G1 + "00009", c2, htmj=None)],
             cbht=[cbht(c, htzmj=3335.00, cbdkzs=5, htzmjm=5.0), cbht(c2, htzmj=10.0, cbdkzs=1),
                   cbht(G1 + "0023", htzmj=50.0, cbdkzs=1)])
    pl = plan(p, "contracts")
    got = {ch.field: (ch.old, ch.new) for ch in pl.changes}
    # HTZMJM stays: 3334.50 m² -> 5.00175 -> 5.00 亩, equal to the stored 5.0
    assert got == {"HTZMJ": (3335.0, D("3334.50")), "CBDKZS": (5, 4),
                   "YHTZMJ": (None, D("2100.00")), "YHTZMJM": (None, D("3.15"))}
    assert any("HTMJ 为空" in n for n in pl.notes) and any("没有承包地块信息" in n for n in pl.notes)
    from quequan.core.areas.apply import apply_plan
    apply_plan(p, pl)
    with _open(p) as db:
        row = db.read("CBHT", where='"CBHTBM"=?', params=(c + "J",))[0]
    assert (row["HTZMJ"], row["HTZMJM"], row["CBDKZS"], row["YHTZMJ"], row["YHTZMJM"]) == (
        3334.5, 5.0, 4, 2100.0, 3.15)


# --- 面积平差 -----------------------------------------------------------------------

def _grid_db(tmp_path, scmj_noise=False):
    p = fx.fresh(tmp_path)
    plots = fx.grid_group(G1, 5, 4, size=20.0) + fx.grid_group(G2, 2, 2, size=20.0, oy=300)
    if scmj_noise:
        plots[3]["SCMJ"], plots[7]["SCMJM"] = 403.0, 0.70
    fx.write(p, plots, regions={"ZJQY": [(G1, "一组", rect(0, 0, 100, 80)),
                                         (G2, "二组", rect(0, 300, 40, 40))]})
    return p


def test_balance_distributes_closing_difference(tmp_path):
    from quequan.core.areas.apply import apply_plan
    p = _grid_db(tmp_path, scmj_noise=True)
    pl = plan(p, "balance", scope=G1, controls={G1: "8001.50"}, blockers=no_blockers)
    assert pl.refusals == []
    (b,) = pl.balances
    assert (b.control, b.plots, b.closing, b.tolerance) == (D("8001.50"), 20, D("1.5000"), D("1.80"))
    assert b.new_total == D("8001.50") and b.max_move <= D("0.09")
    apply_plan(p, pl)
    scmj, mu = dk_values(p), dk_values(p, "SCMJM")
    g1 = {k: D(repr(v)) for k, v in scmj.items() if k.startswith(G1)}
    assert sum(g1.values()) == D("8001.50")                      # exactly the control
    assert sorted(set(g1.values())) == [D("400.07"), D("400.08")]   # 400 + 1.5/20 = 400.075
    assert all(v == 0.6 for k, v in mu.items() if k.startswith(G1))  # 400.08 * 0.0015 = 0.60012
    assert all(v == 400.0 for k, v in scmj.items() if k.startswith(G2))
    from test_area_rules import run
    assert run(p, ["M01", "M02"]).findings == []


def test_balance_refused_beyond_tolerance(tmp_path):
    from quequan.core.areas.apply import AdjustmentRefused, apply_plan
    p = _grid_db(tmp_path)
    before = snapshot(p)
    pl = plan(p, "balance", controls={G1: 8005.00, G2: 1600.00}, blockers=no_blockers)
    assert [r.unit for r in pl.refusals] == [G1]
    assert pl.refusals[0].reason == (
        "组 %s 控制面积 8005.00 平方米，地块图形面积合计 8000.00 平方米，闭合差 5.00 平方米，"
        "超过限差 1.80 平方米（超出 3.20）；请核实控制面积或先修正地块图形" % G1)
    with pytest.raises(AdjustmentRefused, match="超出 3.20"):
        apply_plan(p, pl)
    assert snapshot(p) == before


def test_balance_refuses_when_a_plot_would_break_m01(tmp_path):
    p = _grid_db(tmp_path)
    pl = plan(p, "balance", scope=G1, controls={G1: 8003.00}, tolerance=10, blockers=no_blockers)
    assert len(pl.refusals) == 1 and pl.changes == []
    reason = pl.refusals[0].reason
    assert "平差后地块 %s00001 实测面积 400.15 平方米，图形面积 400.00 平方米，相差 0.15，超过容差 0.1（M01）" % G1 in reason


def test_balance_refused_for_open_topology_errors(tmp_path):
    p = _grid_db(tmp_path)

    def blockers(db, groups, rules, parameters):
        assert set(rules) == {"T01", "T04", "T05"}
        return {G1: ["T04 地块 %s00001 与地块 %s00002 重叠，重叠面积 12.0000 平方米（阈值 0.0001）" % (G1, G1)]}, []
    pl = plan(p, "balance", controls={G1: 8000.50, G2: 1600.00}, blockers=blockers)
    assert [r.unit for r in pl.refusals] == [G1] and "T04" in pl.refusals[0].reason
    assert {c.unit for c in pl.changes} <= {G2}


def test_balance_default_topology_guard_finds_invalid_plot(tmp_path):
    p = _grid_db(tmp_path)
    fx.write(p, [dk(G2 + "00009", fx.poly([(50, 300), (60, 310), (60, 300), (50, 310), (50, 300)]), 50.0)])
    pl = plan(p, "balance", controls={G2: 1650.00})
    assert [r.unit for r in pl.refusals] == [G2] and "T01" in pl.refusals[0].reason


def test_balance_control_from_region_minus_features(tmp_path):
    p = _grid_db(tmp_path)
    # group 01 region 100 × 80 = 8000 m²; the plots cover it exactly. A 2 m wide ditch on the
    # edge, outside the plots, enlarges the region by 200 m² and is masked again.
    with _open(p) as db:
        with db.transaction():
            db.conn.execute('DELETE FROM "ZJQY" WHERE "ZJQYDM"=?', (G1,))
            db.insert("ZJQY", [{"ZJQYDM": G1, "ZJQYMC": "一组", "YSDM": "162040", "BSM": 9}],
                      geoms=[rect(0, 0, 100, 82)])
            db.insert("XZDW", [{"DWMC": "沟渠", "KD": 2.0, "YSDM": "196021", "BSM": 1}],
                      geoms=[MultiLineString([[(fx.X0 - 5, fx.Y0 + 81), (fx.X0 + 105, fx.Y0 + 81)]])])
            db.insert("MZDW", [{"DWMC": "坑塘", "YSDM": "196031", "BSM": 1}], geoms=[rect(0, 300, 40, 40)])
    from quequan.core.areas.control import region_controls
    with _open(p) as db:
        got = region_controls(db, [G1, G2])
    assert got[G1] == (D("8000.00"), "组级区域面积 − 面状/线状地物")
    assert got[G2][0] == D("0.00")
    pl = plan(p, "balance", scope=G1, blockers=no_blockers)
    assert pl.refusals == [] and pl.changes == [] and pl.balances[0].control == D("8000.00")


def test_read_controls_csv_and_xlsx(tmp_path):
    from openpyxl import Workbook
    from quequan.core.areas.control import read_controls
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("组代码,控制面积(平方米)\n%s,8001.5\n%s,abc\n123,5\n" % (G1, G2), encoding="gbk")
    got, problems = read_controls(str(csv_path))
    assert got == {G1: D("8001.50")} and problems == ["第 4 行：组代码 123 不是 14 位数字"]
    wb = Workbook()
    wb.active.append(["组代码", "控制面积(亩)"])
    wb.active.append([int(G1), 1.23])
    wb.save(tmp_path / "c.xlsx")
    got, problems = read_controls(str(tmp_path / "c.xlsx"))
    assert got == {G1: D("820.00")} and problems == []      # 1.23 亩 -> 820.00 m²


# --- apply, backup, undo ----------------------------------------------------------

def _messy(tmp_path):
    p = fx.fresh(tmp_path)
    plots = fx.grid_group(G1, 5, 4, size=20.0)
    plots[0]["SCMJ"], plots[1]["SCMJM"], plots[2]["SCMJ"] = 397.5, 0.99, None
    c = G1 + "0021"
    rows = [cbdkxx(G1 + "%05d" % n, c, htmj=400.0, htmjm=0.7, yhtmj=380.0) for n in (1, 2, 3)]
    fx.write(p, plots, cbf=[cbf(c, "王某")], cbdkxx=rows,
             cbht=[cbht(c, htzmj=1250.0, cbdkzs=4, htzmjm=1.0)],
             regions={"ZJQY": [(G1, "一组", rect(0, 0, 100, 80))]})
    return p


def test_undo_restores_every_value(tmp_path):
    from quequan.core.areas.adjust import AdjustmentError
    from quequan.core.areas.apply import apply_plan, batches, undo_batch
    p = _messy(tmp_path)
    before = snapshot(p)
    done = []
    for action, kw in (("mu", {}), ("scmj", {"blockers": no_blockers}), ("contracts", {})):
        done.append(apply_plan(p, plan(p, action, **kw)))
    assert all(r.changed for r in done)
    assert snapshot(p) != before
    for r in reversed(done):
        u = undo_batch(p, r.batch)
        assert u.changed == r.changed
    assert snapshot(p) == before                                 # every value, read back
    with pytest.raises(AdjustmentError, match="已经撤销过"):
        undo_batch(p, done[0].batch)
    with pytest.raises(AdjustmentError, match="找不到调整批次"):
        undo_batch(p, "19990101-000000-abcdef")
    with _open(p) as db:
        listed = {b["batch"]: b for b in batches(db)}
    assert all(listed[r.batch]["undone"] for r in done) and len(listed) == 6
    backups = os.listdir(tmp_path / "backup")
    assert len(backups) == 6 and all(b.startswith("t_") and b.endswith(".gpkg") for b in backups)


def test_backup_holds_the_old_values(tmp_path):
    from quequan.core.areas.apply import apply_plan
    p = _messy(tmp_path)
    before = snapshot(p)
    res = apply_plan(p, plan(p, "mu"))
    assert snapshot(res.backup) == before and snapshot(p) != before


def test_undo_conflict_and_force(tmp_path):
    from quequan.core.areas.adjust import AdjustmentError
    from quequan.core.areas.apply import apply_plan, undo_batch
    p = _messy(tmp_path)
    res = apply_plan(p, plan(p, "mu"))
    with _open(p) as db:
        db.update("DK", "DKBM", G1 + "00002", {"SCMJM": 0.77})
    with pytest.raises(AdjustmentError, match="又被修改"):
        undo_batch(p, res.batch)
    assert dk_values(p, "SCMJM")[G1 + "00002"] == 0.77
    undo_batch(p, res.batch, force=True)
    assert dk_values(p, "SCMJM")[G1 + "00002"] == 0.99


def test_stale_preview_is_not_written(tmp_path):
    from quequan.core.areas.adjust import AdjustmentError
    from quequan.core.areas.apply import apply_plan
    p = _messy(tmp_path)
    pl = plan(p, "mu")
    with _open(p) as db:
        db.update("DK", "DKBM", G1 + "00002", {"SCMJM": 0.5})
    before = snapshot(p)
    with pytest.raises(AdjustmentError, match="预览后已被修改"):
        apply_plan(p, pl)
    assert snapshot(p) == before                                   # the transaction rolled back


def test_recompute_and_balance_leave_no_area_errors(tmp_path):
    """The full sequence: recompute 亩, SCMJ and contract totals, then 平差 against a control table."""
    from quequan.checks import registry
    from quequan.core.areas.apply import apply_plan
    from test_area_rules import run
    p = _messy(tmp_path)
    pre = run(p, ["M01", "M02"])
    assert pre.by_rule("M01") and pre.by_rule("M02")
    for action, kw in (("mu", {}), ("scmj", {}), ("contracts", {}),
                       ("balance", {"controls": {G1: "8000.90"}})):
        pl = plan(p, action, **kw)
        assert pl.refusals == [], pl.refusals
        apply_plan(p, pl)
    rules = ["M01", "M02"] + (["X04"] if "X04" in registry.implemented() else [])
    assert run(p, rules).findings == []
    with _open(p) as db:
        total = sum(D(repr(r["SCMJ"])) for r in db.read("DK", ["SCMJ"]))
        (ht,) = db.read("CBHT")
        xs = db.read("CBDKXX")
    assert total == D("8000.90")
    # X04 by hand as well (the cross-table family may not be installed)
    assert abs(D(repr(ht["HTZMJ"])) - sum(D(repr(x["HTMJ"])) for x in xs)) <= D("0.01")
    assert ht["CBDKZS"] == len(xs)


# --- processing -------------------------------------------------------------------

def test_processing_preview_apply_undo(provider, tmp_path):
    import processing
    from openpyxl import load_workbook
    from qgis.core import QgsProcessingException
    p = _grid_db(tmp_path)
    (tmp_path / "control.csv").write_text("%s,8001.20\n" % G1, encoding="utf-8")
    before = snapshot(p)
    params = {"DATABASE": p, "ACTION": 2, "SCOPE": G1, "CONTROL": str(tmp_path / "control.csv"),
              "OUTPUT": str(tmp_path / "preview.xlsx")}
    res = processing.run("quequan:areaadjust", params)
    assert res["BATCH"] is None and res["CHANGES"] == 20 and res["REFUSED"] == 0
    assert snapshot(p) == before                                    # preview only
    ws = load_workbook(res["OUTPUT"])["变更预览"]
    assert [c.value for c in ws[1]] == ["序号", "单位代码", "表", "编码", "字段", "字段名称", "原值", "新值", "变化量"]
    assert ws.max_row == 21 and ws.cell(2, 5).value == "SCMJ" and ws.cell(2, 7).value == 400.0
    assert load_workbook(res["OUTPUT"])["平差汇总"].cell(2, 3).value == 8001.2
    res = processing.run("quequan:areaadjust", dict(params, PREVIEW_ONLY=False,
                                                    OUTPUT=str(tmp_path / "record.xlsx")))
    assert res["BATCH"] and os.path.exists(res["BACKUP"])
    assert sum(D(repr(v)) for k, v in dk_values(p).items() if k.startswith(G1)) == D("8001.20")
    meta = {r[0].value: r[1].value for r in load_workbook(res["OUTPUT"])["参数"].iter_rows(min_row=2)}
    assert meta["批次"] == res["BATCH"] and meta["状态"] == "已写入数据库"
    with pytest.raises(QgsProcessingException):
        processing.run("quequan:areaundo", {"DATABASE": p})          # lists batches, asks for one
    undo = processing.run("quequan:areaundo", {"DATABASE": p, "BATCH": res["BATCH"]})
    assert undo["RESTORED"] == 20 and snapshot(p) == before


def test_processing_refusal_fails_when_writing(provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    p = _grid_db(tmp_path)
    (tmp_path / "control.csv").write_text("%s,8100\n" % G1, encoding="utf-8")
    before = snapshot(p)
    params = {"DATABASE": p, "ACTION": 2, "SCOPE": G1, "CONTROL": str(tmp_path / "control.csv"),
              "PREVIEW_ONLY": False, "OUTPUT": str(tmp_path / "r.xlsx")}
    with pytest.raises(QgsProcessingException, match="闭合差 100.00"):
        processing.run("quequan:areaadjust", params)
    assert snapshot(p) == before


def test_undo_without_row_fid_column_and_duplicate_keys(tmp_path):
    """Databases made before qq_audit had row_fid: duplicates are told apart by the written value."""
    from quequan.core.areas.apply import apply_plan, undo_batch
    p = fx.fresh(tmp_path)
    fx.write(p, [dk(G1 + "00001", rect(0, 0, 10, 10), 100.0, 0.10),
                 dk(G1 + "00001", rect(20, 0, 10, 20), 200.0, 0.20),     # A06 duplicate
                 dk(G1 + "00002", rect(40, 0, 10, 10), 100.0, None)])
    with _open(p) as db:
        db.conn.execute("DROP TABLE qq_audit")
        db.conn.execute("CREATE TABLE qq_audit (fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, who TEXT, "
                        "action TEXT, table_name TEXT, key TEXT, field TEXT, old_value TEXT, "
                        "new_value TEXT, batch TEXT)")
    before = snapshot(p)
    res = apply_plan(p, plan(p, "mu"))
    assert res.changed == 3
    with _open(p) as db:
        assert sorted(r["SCMJM"] for r in db.read("DK", ["SCMJM"])) == [0.15, 0.15, 0.3]
    undo_batch(p, res.batch)
    assert snapshot(p) == before


def test_balance_refused_for_real_overlap(tmp_path):
    """With the topology family installed, an overlap (T04) in the group blocks 平差."""
    from quequan.checks import registry
    if "T04" not in registry.implemented():
        pytest.skip("topology rules not installed")
    p = fx.fresh(tmp_path)
    fx.write(p, [dk(G1 + "00001", rect(0, 0, 40, 20), 800.0, 1.2),
                 dk(G1 + "00002", rect(0, 19.7, 40, 20), 800.0, 1.2)])     # 0.3 m into plot 1
    pl = plan(p, "balance", scope=G1, controls={G1: 1588.0})
    assert [r.unit for r in pl.refusals] == [G1]
    assert "T04" in pl.refusals[0].reason and "重叠" in pl.refusals[0].reason


def test_undo_refuses_batches_of_other_tools(tmp_path):
    from quequan.core.areas.adjust import AdjustmentError
    from quequan.core.areas.apply import batches, undo_batch
    p = _messy(tmp_path)
    with _open(p) as db:
        db.conn.execute("INSERT INTO qq_audit (at, who, action, table_name, key, field, old_value, new_value, "
                        "batch) VALUES ('2026-01-01T00:00:00', 'x', '地块分割', 'DK', ?, 'SCMJ', '1', '2', 'B1')",
                        (G1 + "00001",))
        assert batches(db) == []
    with pytest.raises(AdjustmentError, match="不是面积调整"):
        undo_batch(p, "B1")
