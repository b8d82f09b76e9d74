"""The 地块权属 dock driven through its widgets; every assertion reads the database or the map back."""
import os
import shutil
import sys

import pytest
import shapely
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox

sys.path.insert(0, os.path.dirname(__file__))
from dock_helpers import (add_dk_layer, chinese, is_chinese, shown_dock, tr_sources,  # noqa: E402
                          ts_messages, ui_files)
from test_ownership_core import contents  # noqa: E402
from test_ownership_sample import FBF1, X0, Y0, build_sample, make_id  # noqa: E402

from quequan.core.gpkg_blob import blob_of  # noqa: E402
from quequan.core.township_db import TownshipDB  # noqa: E402
from quequan.ui import ownership_dialogs, ownership_member_dialog  # noqa: E402
from quequan.ui.dock_ownership import OwnershipDock  # noqa: E402

H1, H2 = FBF1 + "0001", FBF1 + "0002"


def dk(n):
    return FBF1 + "%05d" % n


@pytest.fixture
def township(tmp_path, qgis_app):
    path = build_sample(str(tmp_path / "township.gpkg"))
    layer = add_dk_layer(path)
    yield path, layer
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture
def dock(township, qgis_iface, qtbot):
    with shown_dock(OwnershipDock, qgis_iface, qtbot) as d:
        yield d


def fid_of(layer, dkbm):
    return [f.id() for f in layer.getFeatures() if f["DKBM"] == dkbm][0]


def wait(dock, qtbot):
    qtbot.waitUntil(lambda: not dock.busy, timeout=20000)


def accept_with(monkeypatch, cls, fill):
    """Replace the modal exec_ of a dialog class: fill its real widgets, then press OK."""
    def fake_exec(dialog):
        fill(dialog)
        return QDialog.Accepted
    monkeypatch.setattr(cls, "exec_", fake_exec)


def read(path, table, where="", params=()):
    with TownshipDB(path) as db:
        return db.read(table, where=where, params=params)


def test_dock_detects_database_and_follows_selection(dock, township):
    path, layer = township
    assert dock.path == path and dock.dk_layer is layer
    layer.selectByIds([fid_of(layer, dk(2))])
    panel = dock.plot_panel
    assert panel.plot_box.labels["DKBM"].text() == dk(2)
    assert panel.plot_box.labels["DKLB"].text() == "10 承包地块"
    assert panel.plot_box.labels["AREA"].text() == "2000.00 m²（3.00 亩）"
    assert panel.plot_box.labels["SIZHI"].text() == "东至 路；南至 沟；西至 渠；北至 田"
    assert panel.right_box.labels["CBF"].text() == H1 + " 张三"
    assert panel.right_box.labels["STATUS"].text().startswith("已登记")
    assert panel.right_box.labels["CBHTBM"].text() == \
        "%sJ (家庭承包); 2 plots, total 4000.00 m²（6.00 亩）" % H1
    assert panel.right_box.labels["HTMJ"].text() == "2000.00 m²（3.00 亩）"
    assert panel.right_box.labels["WAY"].text() == "家庭承包"
    hh = dock.household_panel
    assert [r["CYXM"] for r in hh.members.rows] == ["张三", "王芳", "张小明"]
    assert hh.members.rows[0]["BIRTH"] == "1965-03-12"
    assert "2" in hh.box.labels["TOTALS"].text() and "4000.00 m²" in hh.box.labels["TOTALS"].text()
    assert sorted(dock.highlighter.fids) == sorted([fid_of(layer, dk(1)), fid_of(layer, dk(2))])
    qtbot_zoom = dock.household_panel.zoom
    qtbot_zoom.click()
    extent = dock.canvas.extent()
    assert extent.contains(layer.getFeature(fid_of(layer, dk(1))).geometry().boundingBox())


def test_reassign_through_the_picker_then_undo(dock, township, qtbot, monkeypatch):
    path, layer = township
    with TownshipDB(path) as db:
        before = contents(db)
    layer.selectByIds([fid_of(layer, dk(2))])

    def pick(dialog):
        dialog.search.setText("李四")
        assert [r["CBFBM"] for r in dialog.model.rows] == [H2]
        dialog.table.selectRow(0)
    accept_with(monkeypatch, ownership_dialogs.ContractorPickerDialog, pick)
    qtbot.mouseClick(dock.plot_panel.reassign, Qt.LeftButton)
    assert dock.busy
    wait(dock, qtbot)
    link = read(path, "CBDKXX", "DKBM=?", (dk(2),))[0]
    assert (link["CBFBM"], link["CBHTBM"], link["CBJYQZBM"]) == (H2, H2 + "J", H2 + "J")
    totals = {r["CBHTBM"]: (r["HTZMJ"], r["HTZMJM"], r["CBDKZS"]) for r in read(path, "CBHT")}
    assert totals[H1 + "J"] == (2000.0, 3.0, 1) and totals[H2 + "J"] == (8000.0, 12.0, 4)
    audit = read(path, "qq_audit")
    assert {r["ACTION"] for r in audit} == {"调整承包方"} and len(audit) >= 7
    assert "调整承包方" in dock.status.text() and "原权证" in dock.status.text()
    assert dock.household_panel.box.labels["CBF"].text() == H2 + " 李四"
    assert len(dock.household_panel.plots.rows) == 4
    assert dock.plot_panel.right_box.labels["CBF"].text() == H2 + " 李四"
    assert any(r["field"] == "CBFBM" for r in dock.log_panel.model.rows)   # log of the current plot
    assert dock.undo_button.isEnabled() and not dock.redo_button.isEnabled()
    qtbot.mouseClick(dock.undo_button, Qt.LeftButton)
    wait(dock, qtbot)
    with TownshipDB(path) as db:
        assert contents(db) == before
    assert dock.redo_button.isEnabled()
    assert dock.plot_panel.right_box.labels["CBF"].text() == H1 + " 张三"


def test_member_dialog_checks_the_id_as_typed(qgis_app, qtbot):
    dialog = ownership_member_dialog.MemberDialog("张三", head_exists=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    dialog.name.setText("张小华")          # QTest cannot type CJK characters
    qtbot.keyClicks(dialog.id_input.edit, "11010519491231002x")
    assert dialog.id_input.edit.text() == "11010519491231002X"
    assert dialog.gender.currentData() == "2" and not dialog.gender.isEnabled()
    assert dialog.birth.text() == "1949-12-31" and "有效" in dialog.id_input.hint.text()
    assert ok.isEnabled()
    dialog.id_input.edit.setText("110105194912310021")
    assert "校验位错误" in dialog.id_input.hint.text() and not ok.isEnabled()
    dialog.id_input.edit.setText("1101051949")
    assert "还差 8 位" in dialog.id_input.hint.text()
    assert dialog.relation.findData("02") < 0          # a second head cannot be chosen


def test_invalid_member_refused_and_member_edit_derives_gender(dock, township, qtbot, monkeypatch):
    path, layer = township
    layer.selectByIds([fid_of(layer, dk(1))])
    with TownshipDB(path) as db:
        before = contents(db, skip=())
    duplicate = make_id("19980808", "042")          # 李小红 of household 0002

    def fill_dup(dialog):
        dialog.name.setText("李小红")
        dialog.id_input.edit.setText(duplicate)
    accept_with(monkeypatch, ownership_member_dialog.MemberDialog, fill_dup)
    qtbot.mouseClick(dock.household_panel.add_member, Qt.LeftButton)
    wait(dock, qtbot)
    assert "A09" in dock.status.text() and "未保存" in dock.status.text()
    with TownshipDB(path) as db:
        assert contents(db, skip=()) == before       # nothing written, not even audit rows
    # edit the head: new number of a woman born 1966 → CYXB 2, CBF mirrors name and number
    dock.household_panel.member_view.selectRow(0)
    new_id = make_id("19660606", "222")

    def fill_edit(dialog):
        assert dialog.is_head and dialog.relation.count() == 2
        dialog.name.setText("张三丰")
        dialog.id_input.edit.setText(new_id.lower())
    accept_with(monkeypatch, ownership_member_dialog.MemberDialog, fill_edit)
    qtbot.mouseClick(dock.household_panel.edit_member, Qt.LeftButton)
    wait(dock, qtbot)
    head = read(path, "CBF_JTCY", "CYXM=?", ("张三丰",))[0]
    assert (head["CYZJHM"], head["CYXB"]) == (new_id, "2")
    cbf = read(path, "CBF", "CBFBM=?", (H1,))[0]
    assert (cbf["CBFMC"], cbf["CBFZJHM"], cbf["CBFCYSL"]) == ("张三丰", new_id, 3)
    assert dock.household_panel.members.rows[0]["BIRTH"] == "1966-06-06"


def test_new_contractor_and_code_for_a_drawn_plot(dock, township, qtbot, monkeypatch):
    path, layer = township
    layer.selectByIds([fid_of(layer, dk(6))])

    def fill(dialog):
        assert dialog.code.text() == "%s0004 / %s0004J" % (FBF1, FBF1)
        dialog.name.setText("孙八")
        dialog.id_input.edit.setText(make_id("19900101", "111"))
    accept_with(monkeypatch, ownership_dialogs.NewContractorDialog, fill)
    qtbot.mouseClick(dock.household_panel.new_contractor, Qt.LeftButton)
    wait(dock, qtbot)
    assert read(path, "CBF", "CBFBM=?", (FBF1 + "0004",))[0]["CBFMC"] == "孙八"
    assert read(path, "CBHT", "CBHTBM=?", (FBF1 + "0004J",))[0]["CBDKZS"] == 0
    assert dock.household_panel.box.labels["CBF"].text() == FBF1 + "0004 孙八"
    # a plot digitised and saved in QGIS, still without DKBM
    g = shapely.MultiPolygon([shapely.box(X0, Y0 + 100, X0 + 40, Y0 + 150)])
    with TownshipDB(path) as db:
        db.conn.execute("INSERT INTO DK (geom) VALUES (?)", (blob_of(shapely.to_wkb(g), 4526, g.bounds),))
        fid = db.conn.execute("SELECT max(fid) FROM DK").fetchone()[0]
    layer.dataProvider().reloadData()
    layer.selectByIds([fid])
    assert dock.plot_panel.assign_code.isEnabled() and not dock.plot_panel.reassign.isEnabled()

    def fill_plot(dialog):
        assert dialog.fbf.currentData() == FBF1 and dialog.code.text() == dk(7)
        dialog.name.setText("新画的田")
    accept_with(monkeypatch, ownership_dialogs.PlotCodeDialog, fill_plot)
    qtbot.mouseClick(dock.plot_panel.assign_code, Qt.LeftButton)
    wait(dock, qtbot)
    feature = layer.getFeature(fid)                      # the map layer was reloaded
    assert (feature["DKBM"], feature["DKMC"], feature["SCMJ"], feature["SCMJM"]) == (dk(7), "新画的田", 2000.0, 3.0)
    assert dock.plot_panel.plot_box.labels["DKBM"].text() == dk(7)


def test_disputes_tab_and_map_layer(dock, township, qtbot, monkeypatch):
    path, layer = township
    layer.selectByIds([fid_of(layer, dk(1)), fid_of(layer, dk(2))])

    def fill(dialog):
        assert dialog.other.text() == dk(2)
        dialog.parties.setText("张三、李四")
        dialog.description.setPlainText("田埂位置有争议")
    accept_with(monkeypatch, ownership_dialogs.DisputeDialog, fill)
    qtbot.mouseClick(dock.plot_panel.dispute, Qt.LeftButton)
    wait(dock, qtbot)
    assert dock.tabs.currentWidget() is dock.dispute_panel
    rows = dock.dispute_panel.model.rows
    assert [(r["dkbm_a"], r["other"], r["status_name"]) for r in rows] == [(dk(1), dk(2), "未解决")]
    memory = dock.dispute_layer.layer
    assert memory is not None and QgsProject.instance().mapLayer(memory.id()) is not None
    features = list(memory.getFeatures())
    assert len(features) == 1 and features[0]["status"] == "open"
    assert abs(features[0].geometry().length() - 50.0) < 1e-6
    assert [r.filterExpression() for r in memory.renderer().rootRule().children()] == [
        "\"status\" = 'open'", "\"status\" = 'resolved'"]
    dock.dispute_panel.view.selectRow(0)
    monkeypatch.setattr(dock, "ask_text", lambda *a: "现场协商，以老田埂为界")
    qtbot.mouseClick(dock.dispute_panel.resolve, Qt.LeftButton)
    wait(dock, qtbot)
    row = read(path, "qq_dispute")[0]
    assert (row["STATUS"], row["RESOLUTION"]) == ("resolved", "现场协商，以老田埂为界")
    assert [f["status"] for f in dock.dispute_layer.layer.getFeatures()] == ["resolved"]
    dock.shutdown()
    assert QgsProject.instance().mapLayersByName(dock.dispute_layer.name) == []
    assert dock.highlighter.items == []


def test_search_opens_household_and_plot(dock, township, qtbot):
    path, layer = township
    dock.search.setText("张小明")
    assert dock.results.count() == 1
    item = dock.results.item(0)
    dock.results.itemClicked.emit(item)
    assert dock.tabs.currentWidget() is dock.household_panel
    assert dock.household_panel.box.labels["CBF"].text() == H1 + " 张三"
    dock.search.clear()
    dock.search.setText("一组4号")
    dock.results.itemClicked.emit(dock.results.item(0))
    assert list(layer.selectedFeatureIds()) == [fid_of(layer, dk(4))]
    assert dock.plot_panel.plot_box.labels["DKBM"].text() == dk(4)
    assert dock.canvas.extent().contains(layer.getFeature(fid_of(layer, dk(4))).geometry().boundingBox())


def test_unassign_head_change_member_removal_and_redo(dock, township, qtbot, monkeypatch):
    path, layer = township
    layer.selectByIds([fid_of(layer, dk(5))])
    monkeypatch.setattr(dock, "confirm", lambda text: True)
    qtbot.mouseClick(dock.plot_panel.unassign, Qt.LeftButton)
    wait(dock, qtbot)
    assert read(path, "CBDKXX", "DKBM=?", (dk(5),)) == []
    assert read(path, "CBHT", "CBHTBM=?", (H2 + "J",))[0]["CBDKZS"] == 2
    assert "X02" in dock.status.text() and dock.plot_panel.right_box.labels["CBF"].text() == "(no contractor)"
    # household 0002 is still shown: make 李小红 the head, 李四 becomes her father (51)
    members = dock.household_panel.members.rows
    dock.household_panel.member_view.selectRow([m["CYXM"] for m in members].index("李小红"))
    monkeypatch.setattr(dock, "ask_item", lambda title, label, items: [i for i in items if i.startswith("51 ")][0])
    qtbot.mouseClick(dock.household_panel.set_head, Qt.LeftButton)
    wait(dock, qtbot)
    cbf = read(path, "CBF", "CBFBM=?", (H2,))[0]
    assert (cbf["CBFMC"], cbf["CBFZJHM"]) == ("李小红", make_id("19980808", "042"))
    rows = dock.household_panel.members.rows
    assert rows[0]["CYXM"] == "李小红" and rows[0]["IS_HEAD"] and rows[1]["YHZGX"] == "51"
    dock.household_panel.member_view.selectRow(1)
    qtbot.mouseClick(dock.household_panel.remove_member, Qt.LeftButton)
    wait(dock, qtbot)
    assert [m["CYXM"] for m in read(path, "CBF_JTCY", "CBFBM=?", (H2,))] == ["李小红"]
    assert read(path, "CBF", "CBFBM=?", (H2,))[0]["CBFCYSL"] == 1
    for _ in range(3):
        qtbot.mouseClick(dock.undo_button, Qt.LeftButton)
        wait(dock, qtbot)
    assert read(path, "CBF", "CBFBM=?", (H2,))[0]["CBFMC"] == "李四"
    assert read(path, "CBDKXX", "DKBM=?", (dk(5),))[0]["CBFBM"] == H2
    qtbot.mouseClick(dock.redo_button, Qt.LeftButton)
    wait(dock, qtbot)
    assert read(path, "CBDKXX", "DKBM=?", (dk(5),)) == []
    dock.log_panel.scope.setCurrentIndex(2)
    steps = {(r["batch"], r["action"][:5]) for r in dock.log_panel.model.rows}
    assert sorted(a for _, a in steps) == ["删除成员", "取消承包", "撤销批次 ", "撤销批次 ", "撤销批次 ",
                                           "设为户主", "重做批次 "]


def test_demo_township_reassign(qgis_app, qgis_iface, qtbot, tmp_path, monkeypatch, request):
    """On the generated demo township (when its generator is available): reassign and undo."""
    pytest.importorskip("quequan.core.demo.generate")
    src = request.getfixturevalue("demo_db")
    path = str(tmp_path / "demo.gpkg")
    shutil.copy(src, path)
    layer = add_dk_layer(path)
    d = OwnershipDock(qgis_iface)
    qtbot.addWidget(d)
    try:
        with TownshipDB(path) as db:
            before = contents(db)
            links = db.read("CBDKXX", ("DKBM", "CBFBM"))
            holders = {}
            for r in links:
                holders.setdefault(r["CBFBM"][:14], set()).add(r["CBFBM"])
            source = sorted((r for r in links if len(holders[r["CBFBM"][:14]]) > 1),
                            key=lambda r: r["DKBM"])[0]
            others = sorted(holders[source["CBFBM"][:14]] - {source["CBFBM"]})
        layer.selectByIds([fid_of(layer, source["DKBM"])])

        def pick(dialog):
            dialog.search.setText(others[0])
            dialog.table.selectRow(0)
        accept_with(monkeypatch, ownership_dialogs.ContractorPickerDialog, pick)
        d.plot_panel.reassign.click()
        wait(d, qtbot)
        assert read(path, "CBDKXX", "DKBM=?", (source["DKBM"],))[0]["CBFBM"] == others[0], d.status.text()
        d.undo_button.click()
        wait(d, qtbot)
        with TownshipDB(path) as db:
            assert contents(db) == before
    finally:
        d.shutdown()
        QgsProject.instance().removeAllMapLayers()


def _tr_sources():
    """(context, source) of every self.tr("…") in the dock's modules (the mixin speaks as the dock)."""
    return tr_sources(ui_files("dock_ownership.py", "ownership_*.py"), {"OwnershipActions": "OwnershipDock"})


def test_every_ui_string_has_a_chinese_translation():
    have = ts_messages("ownership_zh_CN.ts")
    sources = _tr_sources()
    assert len(sources) > 100 and sorted(sources - set(have)) == []
    assert all(is_chinese(have[k]) for k in sources if k[1] != "GeoPackage (*.gpkg)")
    assert have[("QueQuanPlugin", "Plot ownership")] == "地块权属"      # the plugin's menu entry


def test_dock_in_chinese(township, qgis_iface, qtbot, tmp_path):
    with chinese("ownership_zh_CN.ts", tmp_path):
        d = OwnershipDock(qgis_iface)
        qtbot.addWidget(d)
        assert d.windowTitle() == "地块权属"
        assert [d.tabs.tabText(i) for i in range(d.tabs.count())] == ["地块", "承包方", "争议", "日志"]
        assert d.plot_panel.reassign.text() == "调整承包方…" and d.undo_button.text() == "撤销"
        assert d.household_panel.members.headerData(0, Qt.Horizontal) == "姓名"
        township[1].selectByIds([fid_of(township[1], dk(1))])
        assert d.plot_panel.selection.text() == "地图上已选 1 个地块"
        d.shutdown()
