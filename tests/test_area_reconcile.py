"""Reconciliation tables (面积核对) per level: hand-computed values, exact totals, processing output."""
import os
import sys
from decimal import Decimal as D

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import test_area_fixtures as fx  # noqa: E402
from test_area_fixtures import G1, G2, cbdkxx, cbf, cbht, dk, rect  # noqa: E402

V2 = "37083211020501"   # group 01 of village 205


def _open(path):
    from quequan.core.township_db import TownshipDB
    return TownshipDB(path)


@pytest.fixture
def township(tmp_path):
    """Two villages, three groups, awkward 2-decimal areas whose float sums drift."""
    p = fx.fresh(tmp_path)
    plots = [
        dk(G1 + "00001", rect(0, 0, 10, 16.7), 167.00, 0.25),            # 0.2505 -> 0.25
        dk(G1 + "00002", rect(20, 0, 10, 167), 1670.00, 2.51),
        dk(G1 + "00003", rect(40, 0, 10, 10), 100.10, 0.15, dklb="21"),   # 0.1 m² off: M01 passes
        dk(G1 + "00004", rect(60, 0, 10, 10), 0.10 + 0.20, 0.0, dklb="22"),
        dk(G2 + "00001", rect(0, 100, 10, 33.333), 333.33, 0.50),
        dk(G2 + "00002", rect(20, 100, 10, 33.333), 333.33, 0.50, dklb="23"),
        dk(G2 + "00003", rect(40, 100, 10, 33.334), 333.34, 0.50, dklb="99"),
        dk(V2 + "00001", rect(0, 300, 10, 66.667), 666.67, 1.00, dklb="xx"),
        dk(V2 + "00002", rect(20, 300, 10, 10), None, None),
    ]
    c1, c2 = G1 + "0021", G1 + "0022"
    fx.write(p, plots,
             cbf=[cbf(c1, "王某"), cbf(c2, "李某")],
             cbdkxx=[cbdkxx(G1 + "00001", c1, htmj=160.00, yhtmj=150.00),
                     cbdkxx(G1 + "00002", c1, htmj=1600.00, yhtmj=1500.00),
                     cbdkxx(G1 + "00003", c2, htmj=100.00)],
             cbht=[cbht(c1, htzmj=1760.00, cbdkzs=2, yhtzmj=1500.00), cbht(c2, htzmj=100.0, cbdkzs=1)],
             regions={"ZJQY": [(G1, "一组", rect(0, 0, 100, 50))],
                      "CJQY": [(G1[:12], "204村", rect(0, 0, 100, 200))],
                      "XJQY": [(G1[:9], "示例镇", rect(0, 0, 100, 1000))]})
    return p


def test_plot_level_values(township):
    from quequan.core.areas.reconcile import reconcile
    with _open(township) as db:
        t = reconcile(db, "plot")
    rows = {r["DKBM"]: r for r in t.rows}
    r2 = rows[G1 + "00002"]
    assert (r2["SCMJ"], r2["SCMJM"], r2["TXMJ"], r2["MJCZ"], r2["HSMJM"], r2["MCZ"]) == (
        D("1670.00"), D("2.51"), D("1670.00"), D("0.00"), D("2.51"), D("0.00"))
    assert r2["CBFBM"] == G1 + "0021" and r2["CBFMC"] == "王某" and r2["HTMJ"] == D("1600.00")
    assert r2["BZ"] == "相符"
    r1 = rows[G1 + "00001"]
    assert r1["HSMJM"] == D("0.25") and r1["MCZ"] == D("0.00")      # 167 m² = 0.2505 亩 -> 0.25
    r3 = rows[G1 + "00003"]
    assert r3["MJCZ"] == D("0.10") and r3["BZ"] == "相符"            # exactly AREA_TOL: passes
    assert "实测面积为空" in rows[V2 + "00002"]["BZ"]
    assert t.totals["DKBM"] == "合计"
    assert t.totals["SCMJ"] == sum((r["SCMJ"] for r in t.rows if r["SCMJ"] is not None), D(0))
    assert "TQMJ" not in [c.code for c in t.columns]               # no ellipsoid asked


def test_plot_level_flags_with_smaller_tolerance(township):
    from quequan.core.areas.reconcile import reconcile
    with _open(township) as db:
        t = reconcile(db, "plot", area_tol=0.05)
    r3 = [r for r in t.rows if r["DKBM"] == G1 + "00003"][0]
    assert r3["BZ"] == "实测面积与图形面积相差 0.10 平方米，超过容差 0.05"


def test_household_level(township):
    from quequan.core.areas.reconcile import reconcile
    with _open(township) as db:
        t = reconcile(db, "household")
    rows = {r["CBFBM"]: r for r in t.rows}
    w = rows[G1 + "0021"]
    assert (w["DKS"], w["HTMJ"], w["SCMJ"], w["YHTMJ"]) == (2, D("1760.00"), D("1837.00"), D("1500.00"))
    assert (w["HTMJM"], w["SCMJM"], w["YHTMJM"]) == (D("2.64"), D("2.76"), D("2.25"))
    assert w["SC_HT"] == D("77.00") and w["SC_HT_BL"] == D("4.4")
    assert w["SC_YHT"] == D("337.00") and w["SC_YHT_BL"] == D("22.5")
    assert w["BZ"] == "实测与原合同面积相差超过 10%"
    li = rows[G1 + "0022"]
    assert li["YHTMJ"] is None if "YHTMJ" in li else True
    assert li["BZ"] == "相符" and li["SCMJ"] == D("100.10")
    assert t.totals["SCMJ"] == D("1937.10") and t.totals["SCMJM"] == D("2.91")


def test_levels_add_up_exactly(township):
    from quequan.core.areas.reconcile import reconcile
    with _open(township) as db:
        tables = {lv: reconcile(db, lv) for lv in ("plot", "group", "village", "township")}
    plot_total = sum((r["SCMJ"] for r in tables["plot"].rows if r["SCMJ"] is not None), D(0))
    assert plot_total == D("3604.07")
    for lv in ("group", "village", "township"):
        t = tables[lv]
        assert sum((r["SCMJ"] for r in t.rows), D(0)) == plot_total == t.totals["SCMJ"]
        assert sum((r["DKS"] for r in t.rows)) == 9
        for r in t.rows:   # the DKLB columns add up to the row total
            assert r["CBDMJ"] + r["ZLDMJ"] + r["JDDMJ"] + r["KHDMJ"] + r["QTMJ"] + r["BMMJ"] == r["SCMJ"]
    village = {r["DWDM"]: r for r in tables["village"].rows}
    groups = tables["group"].rows
    for code, r in village.items():
        assert r["SCMJ"] == sum((g["SCMJ"] for g in groups if g["DWDM"].startswith(code)), D(0))
    (town,) = tables["township"].rows
    assert town["SCMJ"] == sum((r["SCMJ"] for r in village.values()), D(0))
    assert town["SCMJM"] == D("5.41")                         # from the m² total, not Σ 亩
    g1 = [g for g in groups if g["DWDM"] == G1][0]
    assert (g1["CBDMJ"], g1["ZLDMJ"], g1["JDDMJ"], g1["DWMC"]) == (D("1837.00"), D("100.10"), D("0.30"), "一组")
    assert g1["QYMJ"] == D("5000.00") and g1["FGL"] == D("0.3875")
    assert [g for g in groups if g["DWDM"] == V2][0]["BMMJ"] == D("666.67")
    assert village[G1[:12]]["FGL"] == D("0.1469") and town["QYMJ"] == D("100000.00")


def test_scope_restricts_rows(township):
    from quequan.core.areas.reconcile import reconcile
    with _open(township) as db:
        t = reconcile(db, "group", scope=G1[:12])
    assert [r["DWDM"] for r in t.rows] == [G1, G2]


def test_unknown_level_is_refused(township):
    from quequan.core.areas.reconcile import reconcile
    with _open(township) as db, pytest.raises(ValueError, match="未知的核对级别"):
        reconcile(db, "county")


# --- processing -------------------------------------------------------------------

def test_processing_group_table_and_report(provider, township, tmp_path):
    import processing
    from openpyxl import load_workbook
    from qgis.core import QgsVectorLayer
    out, report = str(tmp_path / "recon.gpkg"), str(tmp_path / "recon.xlsx")
    res = processing.run("quequan:areareconcile", {"DATABASE": township, "LEVEL": 2,
                                                   "OUTPUT": out, "REPORT": report})
    assert res["ROWS"] == 3
    lyr = QgsVectorLayer(res["OUTPUT"], "t", "ogr")
    assert lyr.isValid() and not lyr.isSpatial()
    feats = {f["DWDM"]: f for f in lyr.getFeatures()}
    assert sorted(feats) == [G1, G2, V2]
    assert abs(feats[G1]["SCMJ"] - 1937.40) < 1e-9 and feats[G1]["DKS"] == 4
    wb = load_workbook(report)
    ws = wb["面积核对"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["单位代码", "单位名称", "地块数"] and "覆盖率" in headers
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and abs(last[headers.index("实测面积合计(平方米)")] - 3604.07) < 1e-9
    assert last[headers.index("实测面积合计(亩)")] == 5.41
    # groups printed per village with a subtotal row, then the township total
    col = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert col == [G1, G2, "村 %s 小计" % G1[:12], V2, "村 %s 小计" % V2[:12], "合计"]
    sub = [c.value for c in ws[4]]
    assert abs(sub[headers.index("实测面积合计(平方米)")] - 2937.40) < 1e-9
    assert sub[headers.index("实测面积合计(亩)")] == 4.41          # 2937.40 × 0.0015 = 4.4061
    assert sub[headers.index("覆盖率")] is None or sub[headers.index("区域面积(平方米)")] == 5000.0
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_processing_plot_level_ellipsoidal(provider, township, tmp_path):
    import processing
    from qgis.core import QgsVectorLayer
    res = processing.run("quequan:areareconcile", {"DATABASE": township, "LEVEL": 0, "ELLIPSOIDAL": True,
                                                   "OUTPUT": str(tmp_path / "plots.gpkg")})
    lyr = QgsVectorLayer(res["OUTPUT"], "t", "ogr")
    feats = {f["DKBM"]: f for f in lyr.getFeatures()}
    f = feats[G1 + "00002"]
    assert f["TXMJ"] == 1670.0 and f["HSMJM"] == 2.51
    # at the central meridian of the zone (scale factor 1) the ellipsoidal area is close to the planar one
    assert f["TQMJ"] and abs(f["TQMJ"] - 1670.0) / 1670.0 < 1e-3
