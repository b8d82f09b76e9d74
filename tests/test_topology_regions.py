"""T13–T16: regions, edge matching and 界址点/线 against the plots (checks.md §7)."""
import os
import sys

import shapely

sys.path.insert(0, os.path.dirname(__file__))
from test_topology_helpers import (G01, G02, V204, V205, at, box, dk, findings, line,  # noqa: E402
                                   make_db, run)

G205 = V205 + "01"


def mp(g):
    return shapely.MultiPolygon([g])


def region_layers(zjqy=None, cjqy=None, xjqy=None):
    out = {}
    if cjqy:
        out["CJQY"] = [({"CJQYDM": c, "CJQYMC": c[-3:] + "村"}, mp(g)) for c, g in cjqy]
    if zjqy:
        out["ZJQY"] = [({"ZJQYDM": c, "ZJQYMC": c[-2:] + "组"}, mp(g)) for c, g in zjqy]
    if xjqy:
        out["XJQY"] = [({"XJQYDM": c, "XJQYMC": "镇"}, mp(g)) for c, g in xjqy]
    return out


VILLAGES = [(V204, box(0, 0, 100, 100)), (V205, box(100, 0, 200, 100))]


# --- T13 -------------------------------------------------------------------------
def test_t13_plot_reaching_into_other_village(tmp_path):
    plots = [(dk(1), box(50, 0, 101.5, 40)),                  # 1.5 m into village 205
             (dk(2), box(50, 50, 100, 90)),                   # edge on the village boundary
             (dk(1, G205), box(101.5, 0, 150, 40)),
             (dk(2, G205), box(100, 50, 150, 90))]
    layers = region_layers(zjqy=[(G01, box(0, 0, 100, 100)), (G205, box(100, 0, 200, 100))],
                           cjqy=VILLAGES)
    fs = findings(make_db(tmp_path, plots, layers), ["T13", "T14"])
    assert [(f.rule, f.key, f.related) for f in fs] == [("T13", dk(1), (V205,))]
    f = fs[0]
    assert "地块 %s（204村）伸入 %s 区域，最大 1.500 米，面积 60.00 平方米" % (dk(1), V205) in f.message
    assert abs(f.geom.area - 60) < 1e-6
    assert f.geom.within(box(100, 0, 101.5, 40).buffer(1e-6))


def test_t13_road_between_villages_not_a_sliver(tmp_path):
    plots = [(dk(1), box(0, 0, 98, 40)), (dk(1, G205), box(102, 0, 200, 40)),
             (dk(2), box(0, 40, 200, 80)), (dk(3), box(0, -40, 200, 0))]
    assert findings(make_db(tmp_path, plots), ["T05", "T13"]) == []


def test_t13_group_boundary_sliver(tmp_path):
    plots = [(dk(1, G01), box(0, 0, 50, 40)), (dk(1, G02), box(50.1, 0, 100, 40)),
             (dk(2, G01), box(0, 40, 100, 80)), (dk(3, G02), box(0, -40, 100, 0))]
    fs = findings(make_db(tmp_path, plots), ["T05", "T13"])
    assert [f.rule for f in fs] == ["T13"]
    assert "跨发包方缝隙，最大宽度 0.100 米，面积 4.00 平方米" in fs[0].message


def test_t13a_skipped_without_cjqy_but_b_runs(tmp_path):
    plots = [(dk(1, G01), box(0, 0, 40, 40)), (dk(2, G02), box(39.7, 0, 80, 40))]
    res = run(make_db(tmp_path, plots), ["T13"])
    assert res.run["rules_skipped"].get("T13(a)") == "CJQY 为空，T13(a) 跳过"
    assert len(res.findings) == 1


# --- T14 -------------------------------------------------------------------------
def _groups():
    return region_layers(zjqy=[(G01, box(0, 0, 50, 100)), (G02, box(50, 0, 100, 100))],
                         cjqy=[(V204, box(0, 0, 100, 100))])


def test_t14_plot_inside_other_group(tmp_path):
    plots = [(dk(1), box(20, 0, 56, 30)), (dk(2), box(20, 40, 50.0008, 70)),
             (dk(1, G02), box(56, 0, 90, 30))]
    fs = findings(make_db(tmp_path, plots, _groups()), ["T14"])
    assert [(f.key, f.related) for f in fs] == [(dk(1), (G02,))]
    assert "有 180.00 平方米超出所属区域 %s（伸入 %s），最大 6.000 米" % (G01, G02) in fs[0].message


def test_t14_skipped_without_zjqy(tmp_path):
    res = run(make_db(tmp_path, [(dk(1), box(0, 0, 10, 10))]), ["T14"])
    assert res.findings == [] and "T14" in res.run["rules_skipped"]


# --- T15 -------------------------------------------------------------------------
def test_t15_group_beyond_village_and_groups_overlapping(tmp_path):
    layers = region_layers(zjqy=[(G01, box(-3, 0, 50, 100)), (G02, box(48, 0, 100, 100))],
                           cjqy=[(V204, box(0, 0, 100, 100))],
                           xjqy=[("370832110", box(-10, -10, 300, 300))])
    fs = findings(make_db(tmp_path, [], layers), ["T15"])
    got = sorted((f.layer, f.key, f.related) for f in fs)
    assert got == sorted([("ZJQY", G01, (G02,)), ("ZJQY", G01, (V204,))])
    beyond = [f for f in fs if f.related == (V204,)][0]
    assert "超出所属村级区域 %s，最大 3.000 米" % V204 in beyond.message
    over = [f for f in fs if f.related == (G02,)][0]
    assert "重叠面积 200.00 平方米" in over.message and abs(over.geom.area - 200) < 1e-6


def test_t15_shared_edges_not_flagged_missing_parent_is(tmp_path):
    layers = region_layers(zjqy=[(G01, box(0, 0, 50, 100)), (G02, box(50, 0, 100, 100)),
                                 (V205 + "03", box(100, 0, 150, 100))],
                           cjqy=[(V204, box(0, 0, 100, 100))])
    res = run(make_db(tmp_path, [], layers), ["T15"])
    assert [(f.key, f.related) for f in res.findings] == [(V205 + "03", (V205,))]
    assert "不存在" in res.findings[0].message
    assert res.run["rules_skipped"].get("T15(b)") == "XJQY 为空，T15(b) 跳过"


# --- T16 -------------------------------------------------------------------------
def _jzd(h, x, y, plots, xz=None, yz=None):
    X, Y = at(x, y)
    return ({"JZDH": h, "DKBM": "/".join(plots), "JZDLX": "1",
             "XZBZ": round(Y if xz is None else xz, 3), "YZBZ": round(X if yz is None else yz, 3)},
            shapely.Point(X, Y))


def _jzx(n, coords, plots, q="", z=""):
    return ({"JZXH": str(n), "DKBM": "/".join(plots), "QJZDH": q, "ZJZDH": z, "JZXWZ": "2"},
            shapely.MultiLineString([line(coords)]))


def test_t16_catches_and_lookalikes(tmp_path):
    a, b, c = dk(1), dk(2), dk(3)
    plots = [(a, box(0, 0, 40, 40), {"KJZB": "J1/J2/J9"}),
             (b, box(40, 0, 80, 40), {"KJZB": "J2/J5/J6/J3"}),
             (c, box(0, 50, 40, 90), {"KJZB": ""})]
    jzd = [_jzd("J1", 0, 0, [a]), _jzd("J2", 40, 0, [a, b]), _jzd("J3", 40, 40, [a, b]),
           _jzd("J4", 0, 40, [a], xz=at(0, 40)[1] + 0.01), _jzd("J5", 80, 0, [b]),
           _jzd("J6", 80.0005, 40, [b]),                 # 0.0005 m from the vertex
           _jzd("J15", 0.2, 0, [a]),                     # 0.2 m from the nearest vertex
           _jzd("J7", 40, 40, [c])]                      # names a plot 10 m away
    jzx = [_jzx(1, [(0, 0), (40, 0)], [a], "J1", "J2"),
           _jzx(2, [(40, 0), (40, 40)], [a, b], "J2", "J3"),
           _jzx(3, [(0, 40), (40, 40), (80, 40)], [a, b], "J4", "J6"),
           _jzx(4, [(0, 0.0005), (40, 0.0004)], [a]),
           _jzx(5, [(0, 0), (40, 40)], [a]),                    # across the plot
           _jzx(6, [(80, 0), (80, 40)], [b], "J99", "J5")]     # J99 missing, J5 reversed end ok
    fs = findings(make_db(tmp_path, plots, {"JZD": jzd, "JZX": jzx}), ["T16"])
    got = sorted((f.layer, f.key, f.related) for f in fs)
    assert got == [("DK", a, ("J9",)), ("JZD", "J15", (a,)), ("JZD", "J4", ()),
                   ("JZD", "J7", (c,)), ("JZX", "5", (a,)), ("JZX", "6", ("J99", "J5"))]
    msg = {f.key: f.message for f in fs}
    assert "距最近的地块节点 0.2000 米" in msg["J15"]
    assert "边界距该点 10.000 米" in msg["J7"]
    assert "相差 0.010 米" in msg["J4"]
    assert "起界址点 J99 不存在" in msg["6"] and "止界址点" not in msg["6"]
    assert "偏离所属地块" in msg["5"]
    assert len({f.fingerprint for f in fs}) == len(fs)


def test_t16_skipped_without_jzd_jzx(tmp_path):
    res = run(make_db(tmp_path, [(dk(1), box(0, 0, 10, 10), {"KJZB": "J1/J2"})]), ["T16"])
    assert res.findings == [] and "T16" in res.run["rules_skipped"]


def test_t16_wrong_ends(tmp_path):
    a = dk(1)
    plots = [(a, box(0, 0, 40, 40), {"KJZB": "J1/J2/J3/J4"})]
    jzd = [_jzd("J1", 0, 0, [a]), _jzd("J2", 40, 0, [a]), _jzd("J3", 40, 40, [a]),
           _jzd("J4", 0, 40, [a])]
    jzx = [_jzx(1, [(0, 0), (40, 0)], [a], "J1", "J3")]
    fs = findings(make_db(tmp_path, plots, {"JZD": jzd, "JZX": jzx}), ["T16"])
    assert [f.key for f in fs] == ["1"] and "止界址点 J3 不在界址线端点上" in fs[0].message
