"""公示 dock driven as a user would: pick groups, see conditions, override, create documents."""
import os
import shutil
import sqlite3

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt


@pytest.fixture
def township(demo_db, tmp_path):
    path = str(tmp_path / "demo.gpkg")
    shutil.copy(demo_db, path)
    return path


@pytest.fixture
def dk_layer(township, qgis_iface):
    layer = QgsVectorLayer(township + "|layername=DK", "DK", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4526"))
    canvas.setLayers([layer])
    canvas.setExtent(layer.extent())
    yield layer
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture
def dock(qgis_iface, qtbot, dk_layer, tmp_path):
    from quequan.ui.dock_publicity import PublicityDock
    d = PublicityDock(qgis_iface)
    qtbot.addWidget(d)
    d.show()
    d.opened = []
    d.open_folder = d.opened.append
    d.options.folder_edit.setText(str(tmp_path / "out"))
    yield d
    d.shutdown()


def units_of(path):
    con = sqlite3.connect(path)
    codes = [r[0] for r in con.execute("SELECT DISTINCT substr(DKBM, 1, 14) FROM DK ORDER BY 1")]
    con.close()
    return codes


def test_database_and_units_from_the_loaded_dk_layer(dock, township):
    assert os.path.abspath(dock.db_path) == os.path.abspath(township)
    codes = units_of(township)
    assert dock.model.unit_codes() == codes
    villages = [dock.model.item(r, 0).data(Qt.UserRole + 1) for r in range(dock.model.rowCount())]
    assert villages == sorted({c[:12] for c in codes})
    # checking a village checks its groups
    dock.model.item(0, 0).setCheckState(Qt.Checked)
    assert dock.model.checked_units() == [c for c in codes if c.startswith(villages[0])]
    dock.model.set_all(False)
    assert dock.model.checked_units() == []
    # a clean township is ready (no self-check run yet is only noted)
    assert all(dock.model.state_of(c) in ("ok", "note") for c in codes)


def test_blocked_group_shows_why_and_can_be_overridden(dock, township):
    code = units_of(township)[1]
    con = sqlite3.connect(township)
    key = con.execute("SELECT DKBM FROM CBDKXX WHERE DKBM LIKE ? ORDER BY 1", (code + "%",)).fetchone()[0]
    con.execute("DELETE FROM CBDKXX WHERE DKBM=?", (key,))
    con.commit()
    con.close()
    dock.refresh_conditions()
    assert dock.model.state_of(code) == "blocked"
    assert key in dock.model.status_text(code)
    dock.select_unit(code)
    assert dock.override_btn.isEnabled() and key in dock.details.text()
    dock.options.reviewer_edit.setText("王审核")
    dock.ask_reason = lambda c: "该地块承包方待村民会议确定"
    assert dock.override_selected()
    assert dock.model.state_of(code) == "override"
    con = sqlite3.connect(township)
    row = con.execute("SELECT override_reason, override_by FROM qq_publicity WHERE unit_code=?",
                      (code,)).fetchone()
    con.close()
    assert row == ("该地块承包方待村民会议确定", "王审核")
    assert dock.withdraw_btn.isEnabled()
    dock.withdraw_selected()
    assert dock.model.state_of(code) == "blocked"


def test_create_documents_in_the_background(dock, qtbot, township, tmp_path):
    codes = units_of(township)
    dock.model.set_checked(codes[1:3])
    dock.options.merged_box.setChecked(True)
    dock.options.maker_edit.setText("张制表")
    runner = dock.start()
    assert runner is not None and dock.is_running()
    assert not dock.run_btn.isEnabled() and dock.cancel_btn.isEnabled()
    qtbot.waitUntil(lambda: not dock.is_running(), timeout=180000)
    assert dock.last_error == ""
    report = dock.last_report
    assert sorted(m.unit for m in report.maps) == codes[1:3]
    out = str(tmp_path / "out")
    folders = sorted(os.listdir(out))
    assert [f[:14] for f in folders if f[:2].isdigit()] == codes[1:3]
    for f in folders:
        if f[:2].isdigit():
            names = sorted(os.listdir(os.path.join(out, f)))
            assert "地块分布图_一轮公示.pdf" in names and "调查信息公示表_一轮公示.xlsx" in names
            assert "公示结果归户表.pdf" in names and "公示公告_一轮公示.pdf" in names
    assert "地块分布图_一轮公示_合并.pdf" in folders
    assert dock.opened == [out]
    assert dock.progress.value() == 100 and dock.run_btn.isEnabled()
    # the chosen names are kept for the next run, the period is recorded
    con = sqlite3.connect(township)
    assert "张制表" in con.execute("SELECT value FROM qq_settings WHERE key='publicity'").fetchone()[0]
    rows = con.execute("SELECT unit_code, status FROM qq_publicity ORDER BY unit_code").fetchall()
    con.close()
    assert rows == [(c, "posted") for c in codes[1:3]]


def test_cancel_stops_the_run(dock, qtbot, township):
    dock.model.set_all(True)
    dock.options.set_documents(["map"])
    assert dock.start() is not None
    dock.cancel()
    qtbot.waitUntil(lambda: not dock.is_running(), timeout=60000)
    assert dock.last_error == "已取消"
    assert dock.run_btn.isEnabled() and dock.opened == []
    assert len(dock.last_report.maps) < len(units_of(township))


def test_nothing_checked_is_refused(dock):
    dock.model.set_all(False)
    assert dock.start() is None
    assert "at least one unit" in dock.status.text()


def test_records_dialog_objections_close_round_and_results(dock, township):
    code = units_of(township)[1]
    con = sqlite3.connect(township)
    plot = con.execute("SELECT min(DKBM) FROM DK WHERE DKBM LIKE ?", (code + "%",)).fetchone()[0]
    con.close()
    dock.options.reviewer_edit.setText("王审核")
    dock.select_unit(code)
    dlg = dock.open_records(modal=False)
    dlg.ask_objection = lambda: (plot, "西至应为水渠", "李四", "2024-05-03")
    dlg.record_objection()
    assert dlg.objections.rowCount() == 1 and dlg.objections.item(0, 2).text() == plot
    assert dlg.objections.item(0, 6).text() == "未处理"
    dlg.close_round()
    assert "未处理的异议" in dlg.message.text()
    dlg.select_objection(dlg.records[0]["fid"])
    dlg.ask_text = lambda *a: "现场核实后已更正西至"
    dlg.resolve_selected()
    assert dlg.objections.item(0, 6).text() == "已处理"
    dlg.close_round()
    assert dlg.rounds.item(0, 4).text() == "已结束"
    dlg.ask_text = lambda *a: "张记事\n王审核"
    assert dlg.finalize() is None                   # the round had an objection: a second round
    assert "须再次公示" in dlg.message.text()
    dlg.done(0)
    # the second round: preconditions are met again once the objection is settled
    dock.options.round_combo.setCurrentIndex(1)
    assert dock.model.state_of(code) in ("ok", "note")
    from quequan.core.publicity import stage
    from quequan.core.township_db import TownshipDB
    with TownshipDB(township) as db:        # the second round's documents were posted
        stage.start_round(db, code, 2, "2024-06-01", "2024-06-07")
    dlg = dock.open_records(modal=False)
    assert dlg.rounds.rowCount() == 2
    dlg.close_round()
    dlg.ask_text = lambda *a: "张记事\n王审核"
    out = dlg.finalize()
    assert out and out["changed"] == out["households"] > 0
    con = sqlite3.connect(township)
    filled = con.execute("SELECT count(*) FROM CBF WHERE CBFBM LIKE ? AND GSJSR='张记事' AND GSSHR='王审核'",
                         (code + "%",)).fetchone()[0]
    con.close()
    assert filled == out["households"]
