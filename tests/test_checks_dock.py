"""检查结果 dock driven as a user would: run, filter, select, accept, edit and re-check.

A small hand-made township (village 204, groups 01 and 02, twelve 50 m plots)
with known defects: plot …0100003 has SCMJ 2400 for a 2500 m² square (M01),
plot …0200002 has only two 四至 (A13). The demo township with injected
defects (conftest defect_db) is used when its generator is installed.
"""
import os
import sqlite3

import pytest

pytest.importorskip("quequan.checks.persistence", reason="checks.persistence not installed")

from qgis.core import QgsProject, QgsRectangle  # noqa: E402

from dock_helpers import (add_dk_layer, chinese, is_chinese, shown_dock, tr_sources,  # noqa: E402
                          ts_messages, ui_files)

VILLAGE = "370832110204"
G1, G2 = VILLAGE + "01", VILLAGE + "02"
M01_KEY, A13_KEY = G1 + "00003", G2 + "00002"
X0, Y0, SIDE = 39500000.0, 4000000.0, 50.0


def build_township(path):
    """Twelve adjacent 50 m plots in two groups with one M01 and one A13 defect."""
    from shapely.geometry import MultiPolygon, box
    from quequan.core.township_db import TownshipDB, create_database
    create_database(path, 4526)
    with TownshipDB(path) as db:
        db.insert("CJQY", [{"BSM": 1, "YSDM": "162030", "CJQYDM": VILLAGE, "CJQYMC": "红星村"}],
                  geoms=[MultiPolygon([box(X0, Y0, X0 + 6 * SIDE, Y0 + 2 * SIDE)])])
        db.insert("ZJQY", [{"BSM": 2, "YSDM": "162040", "ZJQYDM": G1, "ZJQYMC": "一组"},
                           {"BSM": 3, "YSDM": "162040", "ZJQYDM": G2, "ZJQYMC": "二组"}],
                  geoms=[MultiPolygon([box(X0, Y0, X0 + 6 * SIDE, Y0 + SIDE)]),
                         MultiPolygon([box(X0, Y0 + SIDE, X0 + 6 * SIDE, Y0 + 2 * SIDE)])])
        db.insert("FBF", [{"FBFBM": G1, "FBFMC": "红星村一组"}, {"FBFBM": G2, "FBFMC": "红星村二组"}])
        rows, geoms = [], []
        for gi, fbf in enumerate((G1, G2)):
            for n in range(1, 7):
                key = "%s%05d" % (fbf, n)
                rows.append({"BSM": 100 + len(rows), "YSDM": "211011", "DKBM": key, "DKMC": "东洼地",
                             "DKLB": "10", "SCMJ": 2400.0 if key == M01_KEY else 2500.0,
                             "DKDZ": "道路", "DKNZ": "" if key == A13_KEY else "李四",
                             "DKXZ": "水渠", "DKBZ": "" if key == A13_KEY else "林带", "ZJRXM": "王大明"})
                x, y = X0 + (n - 1) * SIDE, Y0 + gi * SIDE
                geoms.append(MultiPolygon([box(x, y, x + SIDE, y + SIDE)]))
        db.insert("DK", rows, geoms=geoms)
    return path


def qq_error(path, **where):
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    sql = "SELECT * FROM qq_error" + (" WHERE " + " AND ".join("%s=?" % k for k in where) if where else "")
    rows = [dict(r) for r in con.execute(sql, list(where.values()))]
    con.close()
    return rows


@pytest.fixture
def township(tmp_path):
    return build_township(str(tmp_path / "township.gpkg"))


@pytest.fixture
def dk_layer(township, qgis_iface):
    layer = add_dk_layer(township, qgis_iface.mapCanvas())
    yield layer
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture
def dock(qgis_iface, qtbot, dk_layer):
    from quequan.ui.dock_checks import ChecksDock
    with shown_dock(ChecksDock, qgis_iface, qtbot) as d:
        yield d


def run_and_wait(dock, qtbot, **kwargs):
    task = dock.start_check(**kwargs)
    assert task is not None
    qtbot.waitUntil(lambda: not dock.is_running(), timeout=120000)
    return task


def shown_keys(dock):
    return sorted(r.key for r in dock.proxy.shown_records())


def test_database_detected_from_dk_layer(dock, township):
    assert os.path.abspath(dock.db_path) == os.path.abspath(township)
    assert dock.dk_layer() is not None
    assert dock.run_panel.unit_combo.findData(G2) >= 0


def test_run_lists_errors_and_filters_update_counts(dock, qtbot, township):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    assert dock.model.rowCount() == 2
    assert shown_keys(dock) == sorted([M01_KEY, A13_KEY])
    assert dock.counts_label.text() == "Showing 2 / 2 in total; 2 errors, 0 warnings"
    stored = qq_error(township)
    assert sorted((r["rule"], r["key"], r["state"]) for r in stored) == [
        ("A13", A13_KEY, "open"), ("M01", M01_KEY, "open")]
    dock.filters.set_value("rule", "M01")
    assert shown_keys(dock) == [M01_KEY]
    assert dock.counts_label.text() == "Showing 1 / 2 in total; 1 errors, 0 warnings"
    dock.filters.set_value("rule", None)
    dock.filters.set_value("village", VILLAGE)
    dock.filters.set_value("group", G2)
    assert shown_keys(dock) == [A13_KEY]
    dock.filters.set_value("group", None)
    dock.filters.search.setValue("四至")
    assert shown_keys(dock) == [A13_KEY]
    dock.filters.search.setValue("")
    dock.filters.set_value("severity", "W")
    assert dock.proxy.rowCount() == 0
    assert dock.counts_label.text() == "Showing 0 / 2 in total; 0 errors, 0 warnings"


def test_select_zooms_highlights_and_selects_plots(dock, qtbot, dk_layer, qgis_iface):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    canvas = qgis_iface.mapCanvas()
    canvas.setExtent(QgsRectangle(X0 + 5000, Y0 + 5000, X0 + 5100, Y0 + 5100))   # far away
    dock.filters.set_value("rule", "M01")
    dock.select_row(0)
    rec = dock.current_record()
    assert rec.key == M01_KEY
    x0, y0, x1, y1 = rec.bbox
    assert canvas.extent().contains(QgsRectangle(x0, y0, x1, y1))
    assert canvas.extent().width() < 500          # zoomed in, not to the whole township
    assert sorted(f["DKBM"] for f in dk_layer.selectedFeatures()) == [M01_KEY]
    assert dock.map.highlight._bands and dock.map.highlight._bands[0].isVisible()


def test_keyboard_navigation(dock, qtbot, dk_layer):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    dock.select_row(0)
    first = dock.current_record().key
    dock.next_error()
    second = dock.current_record().key
    assert {first, second} == {M01_KEY, A13_KEY}
    assert sorted(f["DKBM"] for f in dk_layer.selectedFeatures()) == [second]
    dock.next_error()                              # stays on the last row
    assert dock.current_record().key == second
    dock.previous_error()
    assert dock.current_record().key == first


def test_f8_keys_walk_the_list(dock, qtbot):
    from qgis.PyQt.QtCore import Qt
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    dock.select_row(0)
    first = dock.current_record().key
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key_F8)
    assert dock.current_record().key != first
    qtbot.keyClick(dock.table, Qt.Key_F8, Qt.ShiftModifier)
    assert dock.current_record().key == first


def test_accept_dialog_requires_a_reason(dock, qtbot):
    from qgis.PyQt.QtWidgets import QDialogButtonBox
    from quequan.ui.check_accept_dialog import CheckAcceptDialog
    run_and_wait(dock, qtbot, rules=["A13"])
    dock.select_row(0)
    dlg = CheckAcceptDialog(dock.current_record())
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.Ok)
    dlg.who.setText("审核员甲")
    assert not ok.isEnabled()
    dlg.reason.setPlainText("   ")
    assert not ok.isEnabled()
    dlg.reason.setPlainText("村民小组会议确认")
    assert ok.isEnabled()
    assert dlg.values() == ("村民小组会议确认", "审核员甲")


def test_accept_and_withdraw_are_stored(dock, qtbot, township):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    dock.filters.set_value("state", "open+accepted")
    dock.filters.set_value("rule", "A13")
    dock.select_row(0)
    assert dock.accept_btn.isEnabled() and not dock.withdraw_btn.isEnabled()
    assert dock.accept_current("四至由村组出具证明，已现场确认", "审核员甲")
    row = qq_error(township, rule="A13")[0]
    assert row["state"] == "accepted"
    assert row["reason"] == "四至由村组出具证明，已现场确认"
    assert row["state_by"] == "审核员甲" and row["state_at"]
    assert dock.current_record().state == "accepted"
    assert "四至由村组出具证明" in dock.detail.text() and "审核员甲" in dock.detail.text()
    assert dock.withdraw_btn.isEnabled() and not dock.accept_btn.isEnabled()
    assert dock.withdraw_current("审核员甲")
    assert qq_error(township, rule="A13")[0]["state"] == "open"


def test_accepted_error_leaves_the_default_open_list(dock, qtbot, township):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    assert dock.filters.states() == ("open",)
    dock.filters.set_value("rule", "A13")
    dock.select_row(0)
    assert dock.accept_current("插花地", "审核员甲")
    assert dock.proxy.rowCount() == 0
    dock.filters.set_value("state", "accepted")
    assert shown_keys(dock) == [A13_KEY]


def test_structure_errors_cannot_be_accepted(dock, qtbot, township):
    con = sqlite3.connect(township)
    con.execute('DROP TABLE "JZX"')
    con.commit()
    con.close()
    run_and_wait(dock, qtbot, rules=["S01"])
    dock.filters.set_value("rule", "S01")
    dock.select_row(0)
    assert dock.current_record().key == "JZX"
    assert not dock.accept_btn.isEnabled()
    assert "cannot be accepted" in dock.accept_btn.toolTip()
    assert dock.accept_current("不需要", "审核员甲") is False
    assert qq_error(township, rule="S01")[0]["state"] == "open"


def test_recheck_after_attribute_edit_marks_error_fixed(dock, qtbot, township, dk_layer):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    assert qq_error(township, rule="M01")[0]["state"] == "open"
    fid = next(f.id() for f in dk_layer.getFeatures() if f["DKBM"] == M01_KEY)
    assert dk_layer.startEditing()
    assert dk_layer.changeAttributeValue(fid, dk_layer.fields().indexOf("SCMJ"), 2500.0)
    assert dk_layer.commitChanges()
    qtbot.waitUntil(lambda: qq_error(township, rule="M01")[0]["state"] == "fixed", timeout=60000)
    qtbot.waitUntil(lambda: not dock.is_running(), timeout=60000)
    assert qq_error(township, rule="A13")[0]["state"] == "open"   # still found
    run = sqlite3.connect(township).execute(
        "SELECT scope, rules_run FROM qq_check_run ORDER BY fid DESC LIMIT 1").fetchone()
    # the edited plot's group and that of its neighbour …0200003 across the group boundary
    assert run[0].split(",") == [G1, G2]
    assert "M01" in run[1] and "T04" in run[1] and "S01" not in run[1]
    dock.filters.set_value("state", "fixed")
    assert shown_keys(dock) == [M01_KEY]


def test_recheck_after_geometry_edit_lists_the_new_overlap(dock, qtbot, township, dk_layer):
    from qgis.core import QgsGeometry
    run_and_wait(dock, qtbot, rules=["T04", "M01"])
    assert [r["rule"] for r in qq_error(township)] == ["M01"]
    key = G1 + "00002"
    fid = next(f.id() for f in dk_layer.getFeatures() if f["DKBM"] == key)
    x = X0 + SIDE
    # plot 2 drawn 0.3 m into plot 3 along their 50 m edge (15 m²); its SCMJ no longer fits
    moved = QgsGeometry.fromWkt("MULTIPOLYGON(((%f %f, %f %f, %f %f, %f %f, %f %f)))" % (
        x, Y0, x + SIDE + 0.3, Y0, x + SIDE + 0.3, Y0 + SIDE, x, Y0 + SIDE, x, Y0))
    assert dk_layer.startEditing()
    assert dk_layer.changeGeometry(fid, moved)
    assert dk_layer.commitChanges()
    qtbot.waitUntil(lambda: any(r["rule"] == "T04" for r in qq_error(township)), timeout=60000)
    qtbot.waitUntil(lambda: not dock.is_running(), timeout=60000)
    dock.filters.set_value("rule", "T04")
    rec = dock.proxy.shown_records()[0]
    assert sorted([rec.key] + [v for _, v in rec.related]) == [key, M01_KEY]
    assert rec.geom_wkt.startswith(("POLYGON", "MULTIPOLYGON"))
    dock.select_row(0)
    assert sorted(f["DKBM"] for f in dk_layer.selectedFeatures()) == [key, M01_KEY]


def test_scope_selected_plots(dock, qtbot, township, dk_layer):
    dk_layer.selectByExpression("\"DKBM\" IN ('%s', '%s')" % (M01_KEY, G1 + "00001"))
    run_and_wait(dock, qtbot, rules=["M01", "A13"], scope_kind="selection")
    assert [r["key"] for r in qq_error(township)] == [M01_KEY]


def test_scope_one_group(dock, qtbot, township):
    run_and_wait(dock, qtbot, rules=["M01", "A13"], scope_kind="unit", unit=G2)
    assert [r["key"] for r in qq_error(township)] == [A13_KEY]


def test_only_in_map_extent(dock, qtbot, qgis_iface):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    canvas = qgis_iface.mapCanvas()
    # the first three plots of group 01 only
    canvas.setExtent(QgsRectangle(X0 + 1, Y0 + 1, X0 + 3 * SIDE - 1, Y0 + SIDE - 1))
    dock.filters.in_extent.setChecked(True)
    assert shown_keys(dock) == [M01_KEY]
    dock.filters.in_extent.setChecked(False)
    assert dock.proxy.rowCount() == 2


def test_error_layer_group_shown_and_removed(dock, qtbot):
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    assert dock.layer_btn.isChecked() and dock.error_layers.is_shown()   # shown after each run
    written_by_task = dock.error_layers.path
    path = dock.show_error_layer()
    assert os.path.exists(path) and path != written_by_task
    assert not os.path.exists(written_by_task)       # replaced files are deleted
    from quequan.export.error_layer import read_error_layer
    assert sorted(r["rule"] for r in read_error_layer(path)) == ["A13", "M01"]
    layers = dock.error_layers.layers()
    assert [l.featureCount() for l in layers] == [2]          # points only (plot records)
    assert layers[0].renderer().type() == "categorizedSymbol"
    assert sorted(c.value() for c in layers[0].renderer().categories()) == ["A13", "M01"]
    group = QgsProject.instance().layerTreeRoot().findGroup("Self-check results")
    assert group is not None and len(group.findLayers()) == 1
    dock.remove_error_layer()
    assert QgsProject.instance().layerTreeRoot().findGroup("Self-check results") is None
    assert all(QgsProject.instance().mapLayer(l) is None for l in dock.error_layers.layer_ids)
    dock.shutdown()
    assert not os.path.exists(path)


def test_export_filtered_list_to_xlsx(dock, qtbot, tmp_path):
    from openpyxl import load_workbook
    run_and_wait(dock, qtbot, rules=["M01", "A13"])
    dock.filters.set_value("rule", "M01")
    out = dock.export_xlsx(str(tmp_path / "list.xlsx"))
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("序号", "规则", "规则名称", "级别", "图层/表", "编码", "相关编码", "村", "组",
                       "问题描述", "状态", "说明", "首次发现", "最近发现")
    assert len(rows) == 2
    assert rows[1][:6] == (1, "M01", "实测面积与图形面积不符", "错误", "DK", M01_KEY)
    assert rows[1][7:9] == ("红星村", "一组") and rows[1][10] == "未处理"
    assert ws.freeze_panes == "A2"


def test_cancel_leaves_the_dock_idle(dock, qtbot):
    assert dock.start_check(rules=["M01", "A13"]) is not None
    dock.run_panel.cancel()
    qtbot.waitUntil(lambda: not dock.is_running(), timeout=60000)
    assert dock.run_panel.run_btn.isEnabled() and not dock.run_panel.cancel_btn.isEnabled()
    outcome = dock.run_panel.last_outcome
    assert outcome["canceled"] or outcome["ok"]    # cancelled, or done before the cancel came
    if outcome["canceled"]:
        assert qq_error(dock.db_path) == [] and "cancelled" in dock.status.text()


@pytest.fixture
def demo_defects(request):
    pytest.importorskip("quequan.core.demo.generate", reason="demo generator not installed")
    return request.getfixturevalue("defect_db")


def test_demo_township_with_defects(demo_defects, tmp_path, qgis_iface, qtbot):
    """The demo township: every rule runs, the manifest's overlaps are listed, selected and
    zoomed to, T01 cannot be accepted, a village filter's counts follow."""
    import shutil
    from quequan.ui.dock_checks import ChecksDock
    path = str(tmp_path / "demo.gpkg")
    shutil.copy(demo_defects[0], path)
    manifest = demo_defects[1]
    layer = add_dk_layer(path)
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(layer.crs())
    d = ChecksDock(qgis_iface)
    qtbot.addWidget(d)
    try:
        assert os.path.abspath(d.db_path) == os.path.abspath(path)
        run_and_wait(d, qtbot)
        total = d.model.rowCount()
        assert total > 0 and total == len(qq_error(path))
        d.filters.set_value("state", "all")
        d.filters.set_value("rule", "T04")
        overlaps = [sorted(e["keys"]) for e in manifest if e["rule"] == "T04" and not e.get("lookalike")]
        assert overlaps
        rows = {tuple(r.plot_keys): i for i, r in enumerate(d.proxy.shown_records())}
        for keys in overlaps:
            d.select_row(rows[tuple(keys)])
            rec = d.current_record()
            assert rec.geom_wkt.startswith(("POLYGON", "MULTIPOLYGON"))
            assert sorted(f["DKBM"] for f in layer.selectedFeatures()) == keys
            assert canvas.extent().contains(QgsRectangle(*rec.bbox))
        assert d.accept_current("界址纠纷已现场调解", "审核员甲")
        assert qq_error(path, fingerprint=rec.fingerprint)[0]["state"] == "accepted"
        d.filters.set_value("rule", "T01")
        d.select_row(0)
        assert d.current_record().rule == "T01" and not d.accept_btn.isEnabled()
        d.filters.set_value("rule", None)
        villages = [d.filters.village.itemData(i) for i in range(1, d.filters.village.count())]
        assert villages
        d.filters.set_value("village", villages[0])
        shown, all_, errors, warnings = d.proxy.counts()
        assert shown == sum(1 for r in d.model.records() if r.village == villages[0]) > 0
        assert all_ == total and errors + warnings == shown
        assert d.counts_label.text().startswith("Showing %d / %d" % (shown, total))
    finally:
        d.shutdown()
        QgsProject.instance().removeAllMapLayers()


def _tr_sources():
    """(context, English source) of every tr() literal and tr'd table in the dock's modules."""
    out = tr_sources(ui_files("dock_checks.py", "check_*.py"))
    from quequan.ui import check_error_layer, check_filter_bar, check_results_model, check_rule_tree
    from quequan.ui import check_run_panel
    out |= {("CheckResultsModel", label) for _, label in check_results_model.CheckResultsModel.COLUMNS}
    out |= {("CheckRuleTree", label) for _, label in check_rule_tree.CheckRuleTree.FAMILIES}
    out |= {("CheckRunPanel", label) for _, label in check_run_panel.SCOPES}
    out |= {("CheckFilterBar", label) for label, _ in check_filter_bar.STATE_CHOICES}
    out |= {("CheckErrorLayers", label) for _, label in check_error_layer.CheckErrorLayers.GEOMETRY_TYPES}
    out |= {("ChecksDock", "Check results"), ("QueQuanPlugin", "Check results")}
    return out


def test_every_ui_string_has_a_chinese_translation():
    have = ts_messages("checks_zh_CN.ts")
    missing = sorted(_tr_sources() - set(have))
    assert missing == []
    assert all(is_chinese(have[k]) for k in _tr_sources())


def test_dock_in_chinese(qgis_iface, qtbot, tmp_path):
    with chinese("checks_zh_CN.ts", tmp_path):
        from quequan.ui.dock_checks import ChecksDock
        d = ChecksDock(qgis_iface)
        qtbot.addWidget(d)
        assert d.windowTitle() == "检查结果"
        assert d.counts_label.text() == "显示 0 / 共 0 条；错误 0，警告 0"
        assert d.model.headerData(0, 1) == "规则"
        assert d.run_panel.scope_combo.itemText(0) == "全镇"
        d.shutdown()
