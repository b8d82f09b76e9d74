"""界址点/界址线 and KJZB built from the plots (core.boundary.build, quequan:buildboundary)."""
import os
import shutil
import sqlite3
import sys

import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

sys.path.insert(0, os.path.dirname(__file__))
from boundary_helpers import X0, Y0, dkbm, make_db  # noqa: E402

from quequan.core.boundary.build import (build_boundary_for_plots,  # noqa: E402
                                         build_township_boundary)
from quequan.core.township_db import TownshipDB  # noqa: E402

P1, P2, P3, P4 = dkbm(1), dkbm(2), dkbm(3), dkbm(4)


def _t16(path):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    with TownshipDB(path) as db:
        return run_checks(CheckContext(db), ["T16"]).findings


def _jzd(path):
    with TownshipDB(path) as db:
        rows, wkbs = db.read_geometries("JZD", ["JZDH", "DKBM", "XZBZ", "YZBZ", "BSM"])
    pts = shapely.from_wkb(wkbs)
    return {r["JZDH"]: (round(p.x - X0, 3), round(p.y - Y0, 3), r["DKBM"]) for r, p in zip(rows, pts)}


def _jzx(path):
    with TownshipDB(path) as db:
        return db.read("JZX", ["JZXH", "DKBM", "QJZDH", "ZJZDH", "JZXLB", "JXXZ", "JZXWZ", "JZXSM",
                               "PLDWQLR", "PLDWZJR", "BSM"])


def _kjzb(path):
    with TownshipDB(path) as db:
        return {r["DKBM"]: r["KJZB"] for r in db.read("DK", ["DKBM", "KJZB"])}


def _dump(path):
    con = sqlite3.connect(path)
    try:
        return (con.execute("SELECT JZDH, DKBM, XZBZ, YZBZ, BSM, hex(geom) FROM JZD ORDER BY fid").fetchall(),
                con.execute("SELECT JZXH, DKBM, QJZDH, ZJZDH, JZXLB, JXXZ, JZXWZ, JZXSM, PLDWQLR, PLDWZJR, "
                            "BSM, hex(geom) FROM JZX ORDER BY fid").fetchall(),
                con.execute("SELECT DKBM, KJZB FROM DK ORDER BY fid").fetchall())
    finally:
        con.close()


@pytest.fixture
def grid(tmp_path):
    """Four 10 m squares: P1 NW, P2 NE, P3 SW, P4 SE; a 4 m road along the east side."""
    plots = [(P1, box(0, 10, 10, 20), "甲"), (P2, box(10, 10, 20, 20), "乙"),
             (P3, box(0, 0, 10, 10), "丙"), (P4, box(10, 0, 20, 10), "丁")]
    feats = [("XZDW", LineString([(22, -10), (22, 30)]), "机耕路", 4.0)]
    return make_db(str(tmp_path / "grid.gpkg"), plots, feats)


def test_numbering_clockwise_from_north_west(grid):
    build_township_boundary(grid)
    pts = _jzd(grid)
    assert {k: v[:2] for k, v in pts.items()} == {
        "J1": (0, 20), "J2": (10, 20), "J3": (10, 10), "J4": (0, 10), "J5": (20, 20),
        "J6": (20, 10), "J7": (10, 0), "J8": (0, 0), "J9": (20, 0)}
    assert _kjzb(grid) == {P1: "J1/J2/J3/J4", P2: "J2/J5/J6/J3", P3: "J4/J3/J7/J8",
                           P4: "J3/J6/J9/J7"}
    assert pts["J3"][2] == "/".join([P1, P2, P3, P4])        # every plot meeting there
    with TownshipDB(grid) as db:
        row = db.read("JZD", ["XZBZ", "YZBZ"], "JZDH='J5'")[0]
    assert (row["XZBZ"], row["YZBZ"]) == (Y0 + 20, X0 + 20)   # X = northing, Y = easting


def test_shared_lines_once_with_both_plots(grid):
    build_township_boundary(grid)
    lines = _jzx(grid)
    assert len(lines) == 12                                   # 8 outer + 4 shared edges
    by_plots = {}
    for r in lines:
        by_plots.setdefault(r["DKBM"], []).append(r)
    shared = {k: v for k, v in by_plots.items() if "/" in k}
    assert sorted(shared) == sorted(["%s/%s" % (P1, P2), "%s/%s" % (P1, P3), "%s/%s" % (P2, P4),
                                     "%s/%s" % (P3, P4)])
    assert all(len(v) == 1 for v in shared.values())
    l12 = shared["%s/%s" % (P1, P2)][0]
    # in P1's clockwise order J2 -> J3; the neighbour's 承包方 and 指界人; a 田埂 in the middle
    assert (l12["QJZDH"], l12["ZJZDH"], l12["JZXLB"], l12["JZXWZ"], l12["JZXSM"]) == \
        ("J2", "J3", "01", "2", "10.00")
    assert (l12["PLDWQLR"], l12["PLDWZJR"], l12["JXXZ"]) == ("乙", "乙", "600001")
    road = [r for r in by_plots[P2] if r["QJZDH"] == "J5"][0]
    assert (road["ZJZDH"], road["JZXLB"], road["PLDWQLR"], road["JZXWZ"]) == ("J6", "03", "机耕路", "1")
    west = [r for r in by_plots[P1] if r["QJZDH"] == "J4"][0]
    assert west["PLDWQLR"] == "无" and west["PLDWZJR"] == "无"
    assert sorted(int(r["JZXH"]) for r in lines) == list(range(1, 13))


def _triggers(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' "
                           "AND tbl_name IN ('JZD', 'JZX') ORDER BY name").fetchall()
    finally:
        con.close()


def test_layers_replaced_with_index_counts_and_triggers_intact(grid):
    from osgeo import ogr
    before = _triggers(grid)
    build_township_boundary(grid)
    assert _triggers(grid) == before and len(before) >= 4
    ds = ogr.Open(grid)
    lyr = ds.GetLayerByName("JZD")
    assert lyr.GetFeatureCount() == 9
    lyr.SetSpatialFilterRect(X0 + 9, Y0 + 9, X0 + 11, Y0 + 21)     # J2 (10, 20) and J3 (10, 10)
    assert sorted(f.GetField("JZDH") for f in lyr) == ["J2", "J3"]
    jzx = ds.GetLayerByName("JZX")
    assert jzx.GetFeatureCount() == 12
    jzx.SetSpatialFilterRect(X0 + 19.5, Y0 + 12, X0 + 20.5, Y0 + 18)
    assert [f.GetField("QJZDH") + "-" + f.GetField("ZJZDH") for f in jzx] == ["J5-J6"]
    ds = None
    with TownshipDB(grid) as db:                       # the restored triggers index new rows
        db.insert("JZD", [{"JZDH": "J99"}], geoms=[shapely.Point(X0 + 50, Y0 + 50)])
        # (R-tree bounds are float32, rounded outwards: ask for a box around the point)
        n = db.conn.execute("SELECT count(*) FROM rtree_JZD_geom WHERE maxx >= ? AND minx <= ? "
                            "AND maxy >= ? AND miny <= ?", (X0 + 49.9, X0 + 50.1, Y0 + 49.9,
                                                           Y0 + 50.1)).fetchone()[0]
    assert n == 1


def test_straight_vertex_is_not_a_point_but_a_junction_is(tmp_path):
    """P1's north edge has a straight-through vertex at x = 5 (no other plot): no JZD; its
    south edge has a vertex at x = 4 where P3 and P4 meet: a JZD although straight."""
    p1 = Polygon([(0, 10), (0, 20), (5, 20), (10, 20), (10, 10), (4, 10)])
    plots = [(P1, p1, "甲"), (P2, box(0, 0, 4, 10), "乙"), (P3, box(4, 0, 10, 10), "丙")]
    path = make_db(str(tmp_path / "v.gpkg"), plots)
    build_township_boundary(path)
    pts = {v[:2]: k for k, v in _jzd(path).items()}
    assert (5, 20) not in pts and (4, 10) in pts
    assert _kjzb(path)[P1] == "J1/J2/J3/J4/J5"
    assert _t16(path) == []


def test_points_closer_than_merge_tol_are_one(tmp_path):
    plots = [(P1, box(0, 0, 10, 10), "甲"),
             (P2, Polygon([(10, 0), (10.03, 10), (20, 10), (20, 0)]), "乙")]
    path = make_db(str(tmp_path / "m.gpkg"), plots)
    s = build_township_boundary(path, merge_tol=0.05)
    assert s.jzd == 6
    pts = _jzd(path)
    assert pts["J2"][2] == "%s/%s" % (P1, P2)
    s = build_township_boundary(path, merge_tol=0.01)
    assert s.jzd == 7


def test_l_shape_and_hole(tmp_path):
    ell = Polygon([(0, 0), (30, 0), (30, 10), (10, 10), (10, 30), (0, 30)])
    ring = Polygon(box(40, 0, 60, 20).exterior.coords, [box(45, 5, 55, 15).exterior.coords])
    plots = [(P1, ell, "甲"), (P2, ring, "乙"), (P3, box(45, 5, 55, 15), "丙")]
    path = make_db(str(tmp_path / "l.gpkg"), plots)
    build_township_boundary(path)
    assert _kjzb(path)[P1] == "J1/J2/J3/J4/J5/J6"
    pts = _jzd(path)
    assert [pts["J%d" % i][:2] for i in range(1, 7)] == [(0, 30), (10, 30), (10, 10), (30, 10),
                                                         (30, 0), (0, 0)]
    # the island's outline is the ring plot's hole: one set of points, shared lines once
    lines = _jzx(path)
    assert sum(1 for r in lines if r["DKBM"] == "%s/%s" % (P2, P3)) == 4
    assert _t16(path) == []


def test_disputed_pair_is_a_disputed_line(grid):
    from quequan.core.ownership.disputes import open_dispute
    with TownshipDB(grid) as db:
        open_dispute(db, P1, P2, parties="甲、乙", description="田埂位置")
    build_township_boundary(grid)
    l12 = [r for r in _jzx(grid) if r["DKBM"] == "%s/%s" % (P1, P2)][0]
    assert l12["JXXZ"] == "600003"
    assert sorted(r["JXXZ"] for r in _jzx(grid)) == ["600001"] * 11 + ["600003"]


def test_idempotent_audited_with_backup_and_t16_silent(grid):
    s1 = build_township_boundary(grid, who="测试员")
    first = _dump(grid)
    assert os.path.exists(s1.backup) and s1.kjzb_changed == 4
    s2 = build_township_boundary(grid)
    assert _dump(grid) == first and s2.kjzb_changed == 0 and s2.removed_jzd == 9
    with TownshipDB(grid) as db:
        audit = db.read("qq_audit", ["action", "table_name", "field", "new_value", "batch", "who"],
                        "batch=?", (s1.batch,))
        assert {(a["TABLE_NAME"], a["FIELD"]) for a in audit} == {("JZD", "*"), ("JZX", "*"), ("DK", "KJZB")}
        assert {a["ACTION"] for a in audit} == {"生成界址点线"} and {a["WHO"] for a in audit} == {"测试员"}
        from quequan.core.plugin_tables import get_setting
        assert float(get_setting(db, "boundary.angle_tol")) == 5.0
    assert _t16(grid) == []


def test_partial_rebuild_after_a_split_keeps_other_numbers(tmp_path):
    """A 3 × 2 grid; P2 (top middle) is split into a west and an east half (new code P7):
    only P2, P7 and their neighbours are redone, every other point keeps its JZDH."""
    plots = [(dkbm(i + 1), box(10 * (i % 3), 10 * (1 - i // 3), 10 * (i % 3) + 10,
                                 10 * (1 - i // 3) + 10), "户%d" % (i + 1)) for i in range(6)]
    path = make_db(str(tmp_path / "split.gpkg"), plots)
    build_township_boundary(path)
    before = _jzd(path)
    before_kjzb = _kjzb(path)
    with TownshipDB(path) as db:
        west, east = box(10, 10, 15, 20), box(15, 10, 20, 20)
        with db.transaction():
            db.conn.execute('UPDATE DK SET geom=NULL WHERE DKBM=?', (dkbm(2),))
        from quequan.core.gpkg_blob import blob_of
        srs = db.srs_id("DK")
        g = shapely.MultiPolygon([shapely.affinity.translate(west, X0, Y0)])
        db.conn.execute("UPDATE DK SET geom=? WHERE DKBM=?",
                        (blob_of(shapely.to_wkb(g), srs, g.bounds), dkbm(2)))
        g = shapely.MultiPolygon([shapely.affinity.translate(east, X0, Y0)])
        db.insert("DK", [{"BSM": 7, "YSDM": "211011", "DKBM": dkbm(7), "DKLB": "10"}], geoms=[g])
        s = build_boundary_for_plots(db, [dkbm(2), dkbm(7)], who="外业")
    after = _jzd(path)
    # the old points keep their numbers and places; the split line's ends are new numbers
    for name, (x, y, _) in before.items():
        assert after[name][:2] == (x, y)
    new = sorted(set(after) - set(before), key=lambda n: int(n[1:]))
    assert [after[n][:2] for n in new] == [(15, 20), (15, 10)]
    assert new == ["J%d" % (len(before) + 1), "J%d" % (len(before) + 2)]
    kj = _kjzb(path)
    assert kj[dkbm(2)] == "J2/%s/%s/J3" % tuple(new)
    assert kj[dkbm(7)] == "%s/J5/J6/%s" % tuple(new)
    # P5 below has no vertex at (15, 10) (a T12 matter): the point is P2's and P7's only
    assert after[new[1]][2] == "%s/%s" % (dkbm(2), dkbm(7))
    assert all(kj[k] == before_kjzb[k] for k in (dkbm(1), dkbm(3), dkbm(4), dkbm(5), dkbm(6)))
    assert s.notes == [] and s.jzd > 0
    assert _t16(path) == []
    # one line per edge, no duplicates
    lines = _jzx(path)
    keys = [(r["DKBM"], r["QJZDH"], r["ZJZDH"]) for r in lines]
    assert len(keys) == len(set(keys))
    assert len({r["JZXH"] for r in lines}) == len(lines)
    assert len({r for r in after}) == len(after)


def test_partial_rebuild_after_a_merge_cleans_the_vanished_plot(tmp_path):
    plots = [(dkbm(i + 1), box(10 * i, 0, 10 * i + 10, 10), "户%d" % (i + 1)) for i in range(3)]
    path = make_db(str(tmp_path / "merge.gpkg"), plots)
    build_township_boundary(path)
    before = _jzd(path)
    with TownshipDB(path) as db:
        from quequan.core.gpkg_blob import blob_of
        g = shapely.MultiPolygon([shapely.affinity.translate(box(0, 0, 20, 10), X0, Y0)])
        db.conn.execute("UPDATE DK SET geom=? WHERE DKBM=?",
                        (blob_of(shapely.to_wkb(g), db.srs_id("DK"), g.bounds), dkbm(1)))
        db.conn.execute("DELETE FROM DK WHERE DKBM=?", (dkbm(2),))
        s = build_boundary_for_plots(db, [dkbm(1), dkbm(2)])
    assert any(dkbm(2) in n for n in s.notes)
    after = _jzd(path)
    assert all(dkbm(2) not in v[2] for v in after.values())
    assert all(dkbm(2) not in r["DKBM"] for r in _jzx(path))
    assert set(after) <= set(before)                           # no new points: all kept numbers
    assert _t16(path) == []


def test_processing_buildboundary_report(provider, grid, tmp_path):
    import processing
    from openpyxl import load_workbook
    report = str(tmp_path / "jzd.xlsx")
    res = processing.run("quequan:buildboundary", {"DATABASE": grid, "ANGLE_TOL": 5.0,
                                                   "MERGE_TOL": 0.05, "REPORT": report})
    assert (res["JZD"], res["JZX"], res["KJZB_CHANGED"]) == (9, 12, 4)
    assert os.path.exists(res["BACKUP"])
    wb = load_workbook(report)
    assert wb.sheetnames[:2] == ["汇总", "地块界址"]
    rows = [[c.value for c in r] for r in wb["地块界址"].iter_rows(min_row=2)]
    assert rows[0] == [P1, 4, "J1/J2/J3/J4"]
    summary = {r[0].value: r[1].value for r in wb["汇总"].iter_rows(min_row=2)}
    assert summary["写入界址点（JZD）"] == 9 and summary["批次号"] == res["BATCH"]


def test_demo_township_rebuilt_t16_silent(demo_db, tmp_path):
    path = str(tmp_path / "demo.gpkg")
    shutil.copy(demo_db, path)
    s = build_township_boundary(path)
    assert s.jzd > s.plots and s.jzx > s.plots
    assert _t16(path) == []
    first = _dump(path)
    build_township_boundary(path)
    assert _dump(path) == first
