"""The database row shared by the docks: typed, picked or taken from the loaded DK layer."""
import os

import pytest
from dock_helpers import add_dk_layer, is_chinese, tr_sources, ts_messages, ui_files
from qgis.core import QgsProject


@pytest.fixture
def picker(qgis_iface, qtbot):
    from quequan.ui.database_picker import DatabasePicker
    w = DatabasePicker(qgis_iface)
    qtbot.addWidget(w)
    w.seen = []
    w.chosen.connect(w.seen.append)
    return w


def test_typed_path_is_chosen_once(picker, tmp_path):
    path = str(tmp_path / "a.gpkg")
    picker.edit.setText(path)
    picker.edit.editingFinished.emit()
    picker.edit.editingFinished.emit()            # focus leaving an unchanged field
    assert picker.seen == [path] and picker.path() == path
    picker.set_path(str(tmp_path / "b.gpkg"))      # shown, not announced
    assert picker.seen == [path] and picker.edit.text() == str(tmp_path / "b.gpkg")


def test_detect_takes_the_loaded_dk_layer(picker, empty_db):
    assert picker.detect() == "" and picker.seen == []
    add_dk_layer(empty_db)
    try:
        assert os.path.abspath(picker.detect()) == os.path.abspath(empty_db)
        assert [os.path.abspath(p) for p in picker.seen] == [os.path.abspath(empty_db)]
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_every_string_has_a_chinese_translation():
    sources = tr_sources(ui_files("database_picker.py"))
    have = ts_messages("quequan_zh_CN.ts")
    assert len(sources) == 6 and sorted(sources - set(have)) == []
    assert all(is_chinese(have[k]) for k in sources if k[1] != "GeoPackage (*.gpkg)")
