"""The database row shared by the docks: typed, picked or taken from the loaded DK layer."""
import ast
import os
import xml.etree.ElementTree as ET

import pytest
from qgis.core import QgsProject, QgsVectorLayer


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
    layer = QgsVectorLayer(empty_db + "|layername=DK", "DK", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    try:
        assert os.path.abspath(picker.detect()) == os.path.abspath(empty_db)
        assert [os.path.abspath(p) for p in picker.seen] == [os.path.abspath(empty_db)]
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_every_string_has_a_chinese_translation():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tree = ast.parse(open(os.path.join(root, "ui", "database_picker.py"), encoding="utf-8").read())
    sources = {n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call)
               and getattr(n.func, "attr", "") == "tr" and n.args and isinstance(n.args[0], ast.Constant)}
    ts = ET.parse(os.path.join(root, "i18n", "quequan_zh_CN.ts")).getroot()
    have = {m.findtext("source"): m.findtext("translation") for c in ts.iter("context")
            if c.findtext("name") == "DatabasePicker" for m in c.iter("message")}
    assert len(sources) == 6 and sources <= set(have)
    assert all(any(ord(ch) > 0x2E80 for ch in have[s]) for s in sources if s != "GeoPackage (*.gpkg)")
