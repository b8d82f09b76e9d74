"""T01–T12: every rule's must-catch case from checks.md §7 and its look-alike."""
import os
import struct
import sys

import pytest
import shapely
import shapely.affinity

sys.path.insert(0, os.path.dirname(__file__))
from test_topology_helpers import G01, G02, at, box, dk, findings, line, make_db, of, poly  # noqa: E402

T_ALL = ["T%02d" % i for i in range(1, 17)]


def keys(fs):
    return sorted((f.key,) + tuple(f.related) for f in fs)


# --- T01 / T02 / T03 / T08 -------------------------------------------------------
def test_t01_bow_tie_reported_and_run_continues(tmp_path):
    bow = poly([(0, 100), (10, 110), (10, 100), (0, 110)])
    path = make_db(tmp_path, [(dk(1), bow), (dk(2), box(0, 0, 40, 40)),
                              (dk(3), box(39.7, 0, 80, 40))])
    fs = findings(path, T_ALL)
    t01 = of(fs, "T01")
    assert [f.key for f in t01] == [dk(1)]
    assert "自相交" in t01[0].message and "按修复后图形检查" in t01[0].message
    assert t01[0].geom.geom_type == "Point"
    assert t01[0].geom.distance(shapely.Point(at(5, 105))) < 1e-6
    assert "X=4000105.000 Y=38500005.000" in t01[0].message      # X = northing
    assert keys(of(fs, "T04")) == [(dk(2), dk(3))]              # later rules still ran
    assert of(fs, "T03") == []        # the repaired bow-tie has two parts: not a T03


def test_t01_valid_lookalikes(tmp_path):
    touching_hole = poly([(0, 0), (10, 0), (10, 10), (0, 10)], [[(0, 5), (3, 4), (3, 6)]])
    ccw = box(20, 0, 30, 10)
    assert shapely.is_ccw(ccw.exterior)
    path = make_db(tmp_path, [(dk(1), touching_hole), (dk(2), ccw)])
    assert of(findings(path, ["T01"]), "T01") == []


def _raw_wkb(path, fid, wkb):
    from quequan.core.gpkg_blob import blob_of
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        db.conn.execute('UPDATE "DK" SET geom=? WHERE fid=?',
                        (blob_of(wkb, 4526, (X, Y, X + 1, Y + 1)), fid))


X, Y = at(0, 0)


def test_t01_unclosed_ring_is_invalid_not_empty(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 10, 10)), (dk(2), box(10, 0, 20, 10))])
    pts = [at(10, 0), at(20, 0), at(20, 10), at(10, 10)]           # ring not closed
    wkb = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", 4) + struct.pack(
        "<8d", *[c for p in pts for c in p])
    _raw_wkb(path, 2, wkb)
    fs = findings(path, T_ALL)
    assert [f.key for f in of(fs, "T01")] == [dk(2)]
    assert "环未闭合" in of(fs, "T01")[0].message
    assert of(fs, "T02") == []
    assert of(fs, "T12") == [] and of(fs, "T04") == []     # repaired copy shares the edge


def test_t01_nan_coordinate_never_aborts(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 10, 10)), (dk(2), box(10, 0, 20, 10))])
    pts = [at(10, 0), (float("nan"), Y), at(20, 0), at(20, 10), at(10, 10), at(10, 0)]
    wkb = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", 6) + struct.pack(
        "<12d", *[c for p in pts for c in p])
    _raw_wkb(path, 2, wkb)
    fs = findings(path, T_ALL)
    assert [f.key for f in of(fs, "T01")] == [dk(2)]
    assert "坐标无效" in of(fs, "T01")[0].message


def test_t02_null_shape_but_not_crumb(tmp_path):
    path = make_db(tmp_path, [(dk(1), None), (dk(2), box(0, 0, 0.8, 0.5)), ("", None)])
    fs = findings(path, ["T02", "T08"])
    assert sorted(f.key for f in of(fs, "T02")) == [dk(1), "fid:3"]
    assert [f.key for f in of(fs, "T08")] == [dk(2)]
    assert "0.40 平方米" in of(fs, "T08")[0].message


def test_t03_two_parts_not_hole_or_single_multipolygon(tmp_path):
    two = shapely.MultiPolygon([box(0, 0, 30, 20), box(50, 0, 80, 20)])
    holed = poly([(0, 100), (40, 100), (40, 140), (0, 140)], [[(10, 110), (15, 110), (15, 116)]])
    single = shapely.MultiPolygon([box(100, 0, 130, 20)])
    path = make_db(tmp_path, [(dk(1), two), (dk(2), holed), (dk(3), single)])
    t03 = of(findings(path, ["T03"]), "T03")
    assert [f.key for f in t03] == [dk(1)]
    assert "20.000 米" in t03[0].message and t03[0].geom.equals(box(50, 0, 80, 20))


def test_t08_crumb_but_not_small_plot_or_strip(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 0.8, 0.5)), (dk(2), box(10, 0, 11.2, 11)),
                              (dk(3), box(20, 0, 20.8, 50))])
    fs = findings(path, ["T08"])
    assert [f.key for f in fs] == [dk(1)]


# --- T04 / T07 -------------------------------------------------------------------
def test_t04_overlap_caught_shared_edge_and_corner_not(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 40, 40)), (dk(2), box(39.7, 0, 80, 40)),
                              (dk(3), box(0, 40, 40, 80)),        # shares an edge with 1
                              (dk(4), box(40, 80, 60, 100))])     # touches 3 at a corner
    fs = findings(path, ["T04"])
    assert keys(fs) == [(dk(1), dk(2))]
    f = fs[0]
    assert "重叠面积 12.0000 平方米（阈值 0.0001）" in f.message
    assert abs(f.geom.area - 12.0) < 1e-6 and f.geom.geom_type == "Polygon"
    assert abs(f.values["width"] - 0.3) < 0.002


def test_t04_plot_inside_another_is_an_overlap(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 40, 40)), (dk(2), box(10, 10, 20, 20))])
    assert keys(findings(path, ["T04"])) == [(dk(1), dk(2))]


def test_t04_thin_or_tiny_overlaps_below_tolerance(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 40, 40)), (dk(2), box(39.9995, 0, 80, 40)),
                              (dk(3), box(0, 100, 40, 140)), (dk(4), box(39.99, 139.995, 80, 180))])
    assert findings(path, ["T04"]) == []      # width 0.0005 m; area 0.00005 m²


def test_t07_duplicate_only_t07_not_t04(tmp_path):
    path = make_db(tmp_path, [(dk(1), box(0, 0, 40, 40)), (dk(2), box(0, 0, 40, 40)),
                              (dk(3), box(100, 0, 140, 40))])      # same shape elsewhere
    fs = findings(path, ["T04", "T07"])
    assert keys(of(fs, "T07")) == [(dk(1), dk(2))]
    assert of(fs, "T04") == []


# --- T05 / T06 -------------------------------------------------------------------
def _frame(gap_left, gap_right):
    """Plots 1 (left) and 2 (right) with a vertical gap between x=gap_left and
    x=gap_right, closed by plots 3 (above) and 4 (below)."""
    return [(dk(1), box(0, 0, gap_left, 40)), (dk(2), box(gap_right, 0, 80, 40)),
            (dk(3), box(0, 40, 80, 80)), (dk(4), box(0, -40, 80, 0))]


def test_t05_sliver_caught(tmp_path):
    path = make_db(tmp_path, _frame(40, 40.2))
    fs = findings(path, ["T05", "T06"])
    assert [f.rule for f in fs] == ["T05"]
    f = fs[0]
    assert f.key == dk(1) and f.related == (dk(2), dk(3), dk(4))
    assert "最大宽度 0.200 米，面积 8.00 平方米" in f.message
    assert abs(f.geom.area - 8.0) < 1e-6 and f.anchor is not None


def test_t05_road_ditch_and_coincident_boundaries_not_flagged(tmp_path):
    road = make_db(tmp_path, _frame(40, 44), name="road.gpkg")
    assert findings(road, ["T05", "T06"]) == []
    ditch = make_db(tmp_path, _frame(40, 40.3), {"XZDW": [(
        {"DWMC": "水渠", "KD": 0.3}, shapely.MultiLineString([line([(40.15, -1), (40.15, 41)])]))]},
        name="ditch.gpkg")
    assert findings(ditch, ["T05", "T06"]) == []
    close = make_db(tmp_path, _frame(40, 40.0005), name="close.gpkg")
    assert findings(close, ["T05", "T06"]) == []


@pytest.mark.parametrize("overlay", [False, True])
@pytest.mark.parametrize("crack", [0.0, 0.0004])
def test_t05_sliver_found_when_a_crack_below_tolerance_reaches_a_road(tmp_path, monkeypatch,
                                                                     crack, overlay):
    """Boundaries 0.0004 m apart are one line (checks.md §2): the crack they leave must
    not join an enclosed sliver to an unmapped road beside it (on the faces of the
    unmatched edges, and on the union fallback)."""
    from quequan.checks.topology import coverage
    if overlay:
        monkeypatch.setattr(coverage, "ARRANGEMENT_MAX_UNMATCHED", -1.0)
    plots = [(dk(1), box(0, 0, 40, 40)), (dk(2), box(40.2, 0, 80, 40)),
             (dk(3), box(0, 40 + crack, 80, 80)), (dk(4), box(0, -40, 80, 0)),
             (dk(5), box(84, -40, 120, 80))]                 # 4 m road at x 80–84
    fs = findings(make_db(tmp_path, plots), ["T05", "T06"])
    assert [(f.rule, f.key, f.related) for f in fs] == [("T05", dk(1), (dk(2), dk(3), dk(4)))]
    assert "最大宽度 0.200 米" in fs[0].message


def test_t05_crack_below_tolerance_in_a_snapped_coverage(tmp_path):
    """The same crack where most edges are shared exactly (the arrangement path): the
    points within the tolerance are merged before the edges are matched."""
    from test_topology_helpers import run
    plots = [(dk(1), box(0, 0, 40, 40)), (dk(2), box(40.2, 0, 80, 40)),
             (dk(3), box(0, 40.0004, 80, 80)), (dk(4), box(0, -40, 80, 0)),
             (dk(5), box(84, -40, 120, 80))]
    plots += [(dk(10 + 12 * i + j), box(200 + 10 * i, 10 * j, 210 + 10 * i, 10 * j + 10))
              for i in range(12) for j in range(12)]
    result = run(make_db(tmp_path, plots), ["T05", "T06"])
    assert [(f.rule, f.key) for f in result.findings] == [("T05", dk(1))]


def test_t05_unmasked_ditch_without_kd_uses_half_gap_width(tmp_path):
    path = make_db(tmp_path, _frame(40, 40.3), {"XZDW": [(
        {"DWMC": "水渠"}, shapely.MultiLineString([line([(40.15, -1), (40.15, 41)])]))]})
    assert findings(path, ["T05"]) == []       # buffered by 0.25 m on each side


def _triangle_hole(a=(10, 10), b=(16, 10), c=(13, 14)):
    """Three plots enclosing the triangle a-b-c inside the square [0, 30]²."""
    return [(dk(1), poly([(0, 0), (30, 0), (30, 10), b, a, (0, 10)])),
            (dk(2), poly([(0, 10), a, c, (13, 30), (0, 30)])),
            (dk(3), poly([b, (30, 10), (30, 30), (13, 30), c]))]


def test_t06_enclosed_triangle_caught(tmp_path):
    path = make_db(tmp_path, _triangle_hole())
    fs = findings(path, ["T05", "T06"])
    assert [f.rule for f in fs] == ["T06"]
    assert fs[0].key == dk(1) and fs[0].related == (dk(2), dk(3))
    assert "面积 12.00 平方米" in fs[0].message
    assert abs(fs[0].geom.area - 12) < 1e-6


def test_t06_grave_in_mzdw_and_big_pond_not_flagged(tmp_path):
    grave = poly([(10, 10), (16, 10), (13, 14)])
    path = make_db(tmp_path, _triangle_hole(), {"MZDW": [({"DWMC": "坟地"},
                                                        shapely.MultiPolygon([grave]))]})
    assert findings(path, ["T06"]) == []
    pond = make_db(tmp_path, _triangle_hole((8, 8), (24, 8), (16, 23)), name="pond.gpkg")
    assert findings(pond, ["T06"]) == []        # 120 m² ≥ 50 m²


def test_t06_hole_inside_one_plot_counts(tmp_path):
    holed = poly([(0, 0), (40, 0), (40, 40), (0, 40)], [[(10, 10), (14, 10), (14, 13), (10, 13)]])
    fs = findings(make_db(tmp_path, [(dk(1), holed)]), ["T06"])
    assert [(f.key, f.related) for f in fs] == [(dk(1), ())]
    assert "地块 %s 内有孔洞" % dk(1) in fs[0].message


def test_narrow_enclosed_gap_is_t05_not_t06(tmp_path):
    # enclosed 0.3 m × 10 m slot: 3 m² < 50 m², narrower than 0.5 m
    fs = findings(make_db(tmp_path, _frame(40, 40.3)), ["T05", "T06"])
    assert [f.rule for f in fs] == ["T05"]


# --- T09 / T10 -------------------------------------------------------------------
def test_t09_spike_caught_strip_and_6_degree_corner_not(tmp_path):
    spike = poly([(0, 0), (20, 0), (20, 20), (10.05, 20), (10, 23), (9.95, 20), (0, 20)])
    strip = box(100, 0, 102, 200)
    import math
    corner = poly([(200, 0), (250, 0), (250, 50 * math.tan(math.radians(6)))])
    fs = findings(make_db(tmp_path, [(dk(1), spike), (dk(2), strip), (dk(3), corner)]), ["T09"])
    assert [f.key for f in fs] == [dk(1)]
    assert "最小 1.91°" in fs[0].message
    assert fs[0].geom.distance(shapely.Point(at(10, 23))) < 1e-6


def test_t10_double_click_caught_neck_and_closing_point_not(tmp_path):
    dbl = poly([(0, 0), (20, 0), (20.02, 0), (40, 0), (40, 20), (0, 20)])
    neck = poly([(100, 0), (110, 0), (110, 4.985), (110.5, 4.985), (110.5, 0), (120, 0),
                 (120, 10), (110.5, 10), (110.5, 5.015), (110, 5.015), (110, 10), (100, 10)])
    fs = findings(make_db(tmp_path, [(dk(1), dbl), (dk(2), neck)]), ["T10"])
    assert [f.key for f in fs] == [dk(1)]
    assert "0.0200 米" in fs[0].message


def test_t10_exact_duplicate_vertex(tmp_path):
    dup = poly([(0, 0), (20, 0), (20, 0), (40, 0), (40, 20), (0, 20)])
    fs = findings(make_db(tmp_path, [(dk(1), dup)]), ["T09", "T10"])
    assert [f.rule for f in fs] == ["T10"]          # zero-length segments skipped by T09


# --- T11 / T12 -------------------------------------------------------------------
def test_t11_unsnapped_corners(tmp_path):
    a = box(0, 0, 40, 40)
    b = poly([(40, 0), (80, 0), (80, 40), (40.03, 40)])
    c = box(0, 100, 40, 140)
    d = box(40.0005, 100, 80, 140)            # coincide within 0.001 m
    e = box(0, 200, 40, 240)
    f = box(40.4, 200, 80, 240)               # 0.4 m across a ditch
    fs = findings(make_db(tmp_path, [(dk(i + 1), g) for i, g in enumerate([a, b, c, d, e, f])]),
                  ["T11", "T12"])
    assert [(x.rule, x.key, x.related) for x in fs] == [("T11", dk(1), (dk(2),))]
    assert "节点相距 0.0300 米，未重合（相邻节点）" in fs[0].message


def test_t12_t_junction_reported_for_each_plot_at_the_corner(tmp_path):
    """The common corner of A and C on B's edge is a vertex of A and a vertex of C: one
    record each (A / B, C / B), no T11."""
    b = box(0, 0, 40, 80)
    a = box(40, 0, 80, 40)
    c = box(40, 40, 80, 80)
    fs = findings(make_db(tmp_path, [(dk(1), a), (dk(2), b), (dk(3), c)]), ["T11", "T12"])
    assert [(x.rule, x.key, x.related) for x in fs] == [("T12", dk(1), (dk(2),)),
                                                         ("T12", dk(3), (dk(2),))]
    assert all(f.geom.distance(shapely.Point(at(40, 40))) < 1e-6 for f in fs)


def test_t12_vertex_present_or_corner_away_not_flagged(tmp_path):
    b = poly([(0, 0), (40, 0), (40, 40), (40, 80), (0, 80)])
    away = box(100, 0, 139.7, 80)
    plots = [b, box(40, 0, 80, 40), box(40, 40, 80, 80), away, box(140, 0, 180, 40),
             box(140, 40, 180, 80)]
    fs = findings(make_db(tmp_path, [(dk(i + 1), g) for i, g in enumerate(plots)]), ["T12"])
    assert fs == []


# --- precedence, determinism -----------------------------------------------------
def test_different_fbfbm_overlap_and_sliver_are_t13_only(tmp_path):
    plots = [(dk(1, G01), box(0, 0, 40, 40)), (dk(2, G02), box(39.7, 0, 80, 40)),
             (dk(3, G01), box(0, 100, 40, 140)), (dk(4, G02), box(40.1, 100, 80, 140)),
             (dk(5, G01), box(0, 140, 80, 180)), (dk(6, G02), box(0, 60, 80, 100))]
    fs = findings(make_db(tmp_path, plots), ["T04", "T05", "T13"])
    assert sorted(f.rule for f in fs) == ["T13", "T13"]
    over = [f for f in fs if "重叠" in f.message][0]
    assert (over.key, over.related) == (dk(1, G01), (dk(2, G02),))
    sliver = [f for f in fs if "缝隙" in f.message][0]
    assert "跨发包方缝隙，最大宽度 0.100 米" in sliver.message


def test_results_identical_run_to_run(tmp_path):
    plots = _frame(40, 40.2) + [(dk(9), box(0, 0, 0.5, 0.5)), (dk(10), box(79.7, 0, 85, 10))]
    path = make_db(tmp_path, plots)
    a = findings(path, T_ALL)
    b = findings(path, T_ALL)
    assert [f.fingerprint for f in a] == [f.fingerprint for f in b]
    assert [f.message for f in a] == [f.message for f in b]
    assert len({f.fingerprint for f in a}) == len(a)


def test_scope_limits_plots(tmp_path):
    plots = [(dk(1, G01), box(0, 0, 40, 40)), (dk(2, G01), box(39.7, 0, 80, 40)),
             (dk(3, G02), box(0, 100, 40, 140)), (dk(4, G02), box(39.7, 100, 80, 140))]
    fs = findings(make_db(tmp_path, plots), ["T04"], scope=[G02])
    assert keys(fs) == [(dk(3, G02), dk(4, G02))]


@pytest.mark.parametrize("rule", ["T04", "T05", "T11"])
def test_progress_and_cancel(tmp_path, rule):
    from quequan.checks.context import Cancelled, Feedback
    path = make_db(tmp_path, _frame(40, 40.2))
    seen = []
    fs = findings(path, [rule], feedback=Feedback(progress=seen.append))
    assert seen and max(seen) == 100
    with pytest.raises(Cancelled):
        findings(path, [rule], feedback=Feedback(is_canceled=lambda: True))
    assert fs is not None


def test_general_path_gives_the_same_findings(tmp_path, monkeypatch):
    """Data where most edges are unshared take the overlay path: same results."""
    from quequan.checks.topology import coverage
    plots = (_frame(40, 40.2) + [(dk(5), box(100, 0, 140, 40)), (dk(6), box(139.7, 0, 180, 40)),
                                 (dk(7), box(200, 0, 240, 40)), (dk(8), box(200, 0, 240, 40))]
             + [(dk(10 + k), shapely.affinity.translate(g, 300, 300))
                for k, (_, g) in enumerate(_triangle_hole())])
    path = make_db(tmp_path, [(k, g) for k, g in plots])
    rules = ["T04", "T05", "T06", "T07", "T12"]
    fast = [(f.rule, f.key, f.related, f.message) for f in findings(path, rules)]
    monkeypatch.setattr(coverage, "ARRANGEMENT_MAX_UNMATCHED", -1.0)
    slow = [(f.rule, f.key, f.related, f.message) for f in findings(path, rules)]
    assert fast == slow
    assert {r for r, *_ in fast} == set(rules)
