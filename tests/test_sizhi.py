"""四至 from adjacency (core.boundary.sizhi, quequan:computesizhi) on hand-built layouts."""
import os
import sys

import pytest
from shapely.geometry import LineString, Polygon, box

sys.path.insert(0, os.path.dirname(__file__))
from boundary_helpers import dkbm, make_db  # noqa: E402

from quequan.core.boundary.sizhi import (FIELDS, apply_sizhi, compute_sizhi,  # noqa: E402
                                         sizhi_batches, undo_sizhi)
from quequan.core.township_db import TownshipDB  # noqa: E402


def _by_key(result):
    return {p.dkbm: p for p in result.plots}


@pytest.fixture
def road_layout(tmp_path):
    """A (40 × 30) with a 4 m road to its east, B (30 m) and C (10 m) along its north side,
    a 机动地 plot to its south, D across the road and E touching A only at its SW corner."""
    plots = [(dkbm(1), box(0, 0, 40, 30), "王大明"),
             (dkbm(2), box(0, 30, 30, 50), "张三"),
             (dkbm(3), box(30, 30, 40, 50), "李四"),
             (dkbm(4), box(44, 0, 80, 30), "赵六"),
             (dkbm(5), box(-20, -20, 0, 0), "孙五"),
             (dkbm(6), box(0, -20, 40, 0), None, "22")]
    feats = [("XZDW", LineString([(42, -30), (42, 60)]), "机耕路", 4.0)]
    return make_db(str(tmp_path / "road.gpkg"), plots, feats)


def test_road_and_longest_shared_boundary(road_layout):
    with TownshipDB(road_layout) as db:
        res = _by_key(compute_sizhi(db))
    a = res[dkbm(1)]
    # 东 the road (not D across it), 南 the 机动地 by category, 西 nothing, 北 the 30 m neighbour
    assert a.new == ("机耕路", "机动地", "", "张三")
    assert a.lengths == (30.0, 40.0, 0.0, 30.0)
    assert res[dkbm(4)].new[2] == "机耕路"                     # D's west is the road too
    # C: 东 road, 南 A (王大明), 西 B
    assert res[dkbm(3)].new == ("机耕路", "王大明", "张三", "")


def test_corner_contact_is_not_a_neighbour(road_layout):
    with TownshipDB(road_layout) as db:
        res = _by_key(compute_sizhi(db))
    assert "孙五" not in res[dkbm(1)].new                       # E touches A only at (0, 0)
    assert "王大明" not in res[dkbm(5)].new
    assert res[dkbm(5)].new == ("机动地", "", "", "")           # E's east side is the 机动地


def test_search_distance_limits_what_is_found(tmp_path):
    plots = [(dkbm(1), box(0, 0, 20, 20), "甲"), (dkbm(2), box(26, 0, 46, 20), "乙")]
    p = make_db(str(tmp_path / "gap.gpkg"), plots)
    with TownshipDB(p) as db:
        near = _by_key(compute_sizhi(db, search_distance=5.0))
        far = _by_key(compute_sizhi(db, search_distance=7.0))
    assert near[dkbm(1)].new[0] == ""                           # 6 m away: beyond 5 m
    assert far[dkbm(1)].new[0] == "乙" and far[dkbm(2)].new[2] == "甲"


def test_l_shaped_plot(tmp_path):
    """L: the arm (0..10 × 10..30) over the foot (0..30 × 0..10). North of the arm lies N1
    (10 m), north of the foot's step lies N2 (20 m): the longer north boundary wins; the arm's
    east side (20 m) faces N2's west neighbour W2, the foot's east (10 m) faces E1."""
    ell = Polygon([(0, 0), (30, 0), (30, 10), (10, 10), (10, 30), (0, 30)])
    plots = [(dkbm(1), ell, "刘一"),
             (dkbm(2), box(0, 30, 10, 40), "北甲"),        # N1 over the arm
             (dkbm(3), box(10, 10, 30, 20), "北乙"),       # N2 over the foot's step (20 m)
             (dkbm(4), box(30, 0, 40, 10), "东丙"),        # E1
             (dkbm(5), box(10, 20, 30, 30), "东丁")]       # east of the arm's upper half
    p = make_db(str(tmp_path / "ell.gpkg"), plots)
    with TownshipDB(p) as db:
        res = _by_key(compute_sizhi(db))
    ell_res = res[dkbm(1)]
    assert ell_res.new[3] == "北乙" and ell_res.lengths[3] == 20.0     # 20 m beats 10 m
    # east: 10 m of 北乙 (arm, y 10..20), 10 m of 东丁 (arm, y 20..30), 10 m of 东丙 (foot):
    # equal lengths are decided by the label, reproducibly
    assert ell_res.new[0] == min("北乙", "东丁", "东丙")
    assert ell_res.new[1] == "" and ell_res.new[2] == ""
    assert res[dkbm(3)].new[1] == "刘一" and res[dkbm(3)].new[2] == "刘一"


def test_labels_by_category_name_and_collective(tmp_path):
    plots = [(dkbm(1), box(0, 0, 10, 10), "户主甲"),
             (dkbm(2), box(10, 0, 20, 10), None, "21"),              # 自留地
             (dkbm(3), box(0, 10, 10, 20), None, "99"),              # 其他集体土地
             (dkbm(4), box(-10, 0, 0, 10), None, "10", "西大田"),     # no contractor: DKMC
             (dkbm(5), box(0, -10, 10, 0), None, "10", "")]           # no name either: 集体
    p = make_db(str(tmp_path / "labels.gpkg"), plots)
    with TownshipDB(p) as db:
        res = _by_key(compute_sizhi(db))
    assert res[dkbm(1)].new == ("自留地", "集体", "西大田", "其他集体土地")
    assert res[dkbm(2)].new[2] == "户主甲"


def test_ditch_pond_and_point_features(tmp_path):
    plots = [(dkbm(1), box(0, 0, 20, 20), "甲"),
             (dkbm(2), box(20.6, 0, 40, 20), "乙"),                   # across a 0.6 m ditch
             (dkbm(3), box(0, 20, 20, 40), "丙")]                     # shares A's north edge
    feats = [("XZDW", LineString([(20.3, -5), (20.3, 25)]), "水渠", 0.6),
             ("MZDW", box(-15, 0, 0, 20), "坑塘", None),
             ("XZDW", LineString([(20, 20), (20, 40)]), "田间沟", 0.4)]
    p = make_db(str(tmp_path / "feat.gpkg"), plots, feats)
    with TownshipDB(p) as db:
        res = _by_key(compute_sizhi(db))
    assert res[dkbm(1)].new == ("水渠", "", "坑塘", "丙")
    assert res[dkbm(2)].new[2] == "水渠"
    # a line feature along a shared boundary does not hide the neighbouring plot
    assert res[dkbm(3)].new[1] == "甲"


def test_unshared_vertex_neighbours_found_by_probes(tmp_path):
    """B and C meet on A's north edge where A has no vertex (a T12 situation)."""
    plots = [(dkbm(1), box(0, 0, 30, 10), "甲"),
             (dkbm(2), box(0, 10, 8, 20), "乙"),
             (dkbm(3), box(8, 10, 30, 20), "丙")]
    p = make_db(str(tmp_path / "t12.gpkg"), plots)
    with TownshipDB(p) as db:
        res = _by_key(compute_sizhi(db))
    assert res[dkbm(1)].new[3] == "丙"
    assert res[dkbm(2)].new[1] == "甲" and res[dkbm(3)].new[1] == "甲"


def test_single_plot_agrees_with_township(road_layout):
    with TownshipDB(road_layout) as db:
        full = _by_key(compute_sizhi(db))
        one = compute_sizhi(db, dkbms=[dkbm(1), "37083211020401099999"])
    assert [p.dkbm for p in one.plots] == [dkbm(1)]
    assert one.plots[0].new == full[dkbm(1)].new
    assert any("37083211020401099999" in n for n in one.notes)


def test_preview_policies_never_blank(road_layout):
    with TownshipDB(road_layout) as db:
        db.update("DK", "DKBM", dkbm(1), {"DKDZ": "旧路", "DKNZ": "/", "DKXZ": "老河"})
        res = compute_sizhi(db)
    fill = [c for c in res.preview("fill") if c[0] == dkbm(1)]
    assert fill == [(dkbm(1), "DKNZ", "/", "机动地"), (dkbm(1), "DKBZ", None, "张三")]
    over = [c for c in res.preview("overwrite") if c[0] == dkbm(1)]
    assert (dkbm(1), "DKDZ", "旧路", "机耕路") in over
    assert not any(c[1] == "DKXZ" for c in over)                 # 西 undetermined: 老河 stays
    with pytest.raises(ValueError):
        res.preview("everything")


def test_incomplete_plots_reported(road_layout):
    with TownshipDB(road_layout) as db:
        res = compute_sizhi(db)
    inc = {p.dkbm: p.missing for p in res.incomplete()}
    assert inc[dkbm(5)] == ["南", "西", "北"]
    assert dkbm(1) not in inc


def test_apply_audit_backup_and_undo(road_layout):
    with TownshipDB(road_layout) as db:
        res = compute_sizhi(db)
    n = len(res.changes("overwrite"))
    out = apply_sizhi(road_layout, res, "overwrite", who="测试员")
    assert out.changed == n and os.path.exists(out.backup)
    with TownshipDB(road_layout) as db:
        row = db.read("DK", FIELDS, "DKBM=?", (dkbm(1),))[0]
        assert (row["DKDZ"], row["DKNZ"], row["DKXZ"], row["DKBZ"]) == ("机耕路", "机动地", None, "张三")
        audit = db.read("qq_audit", ["action", "who", "table_name", "key", "field", "old_value",
                                     "new_value", "batch", "row_fid"], "batch=?", (out.batch,))
        assert len(audit) == n and {a["ACTION"] for a in audit} == {"计算四至"}
        assert {a["WHO"] for a in audit} == {"测试员"}
        assert all(a["ROW_FID"] for a in audit)
        assert sizhi_batches(db)[0]["batch"] == out.batch
        # a second run changes nothing: idempotent
        assert compute_sizhi(db).changes("overwrite") == []
    undo = undo_sizhi(road_layout, out.batch)
    assert undo.changed == n
    with TownshipDB(road_layout) as db:
        assert db.read("DK", ["DKDZ"], "DKBM=?", (dkbm(1),))[0]["DKDZ"] is None
        assert sizhi_batches(db)[0]["undone"]


def test_undo_refuses_other_batches(road_layout):
    from quequan.core.areas.adjust import AdjustmentError
    with TownshipDB(road_layout) as db:
        from quequan.core.plugin_tables import ensure_plugin_tables
        ensure_plugin_tables(db)
        db.conn.execute("INSERT INTO qq_audit (at, action, table_name, key, field, old_value, "
                        "new_value, batch) VALUES ('x', '调整承包方', 'DK', 'k', 'DKMC', 'a', 'b', 'B1')")
    with pytest.raises(AdjustmentError):
        undo_sizhi(road_layout, "B1")


def test_processing_preview_then_write(provider, road_layout, tmp_path):
    import processing
    from openpyxl import load_workbook
    report = str(tmp_path / "sizhi.xlsx")
    res = processing.run("quequan:computesizhi", {"DATABASE": road_layout, "POLICY": 0,
                                                  "SEARCH_DISTANCE": 5.0, "PREVIEW_ONLY": True,
                                                  "REPORT": report})
    assert res["PLOTS"] == 6 and res["BATCH"] is None and res["CHANGES"] > 0
    wb = load_workbook(report)
    assert wb.sheetnames == ["修改清单", "四至结果", "未能确定", "说明"]
    rows = [[c.value for c in r] for r in wb["修改清单"].iter_rows(min_row=2)]
    assert [dkbm(1), "东至（DKDZ）", None, "机耕路"] in rows or [dkbm(1), "东至（DKDZ）", "", "机耕路"] in rows
    assert len(rows) == res["CHANGES"]
    with TownshipDB(road_layout) as db:
        assert db.read("DK", ["DKDZ"], "DKBM=?", (dkbm(1),))[0]["DKDZ"] is None
    res = processing.run("quequan:computesizhi", {"DATABASE": road_layout, "POLICY": 0,
                                                  "SEARCH_DISTANCE": 5.0, "PREVIEW_ONLY": False})
    assert res["BATCH"] and os.path.exists(res["BACKUP"])
    with TownshipDB(road_layout) as db:
        assert db.read("DK", ["DKDZ"], "DKBM=?", (dkbm(1),))[0]["DKDZ"] == "机耕路"
    undo = processing.run("quequan:sizhiundo", {"DATABASE": road_layout, "BATCH": res["BATCH"]})
    assert undo["RESTORED"] == res["CHANGES"]


def _agreement(result, skip=()):
    """Share of plot-directions where the computed 四至 equals the generator's true one. The
    generator names DKLB 99 neighbours 集体地 (here 其他集体土地, the code list's name)."""
    same = total = 0
    for p in result.plots:
        for old, new in zip(p.old, p.new):
            if old in (None, "") or old in skip:
                continue
            total += 1
            same += (("其他集体土地" if old == "集体地" else old) == new)
    return same / float(total), total


def test_demo_township_agrees_with_true_neighbours(demo_db):
    with TownshipDB(demo_db, readonly=True) as db:
        plain = compute_sizhi(db)
        edge = compute_sizhi(db, outside_label="山林")
    share, total = _agreement(plain, skip=("山林",))     # 山林: the generator's township outside
    assert total > 1500 and share >= 0.95, share
    share, total = _agreement(edge)
    assert share >= 0.95, share
    assert len(plain.incomplete()) <= len(plain.plots) * 0.02
