"""Shared by the dock tests: the tr() strings of UI modules, the .ts translations, and a
dock shown in Chinese (lrelease + QTranslator). tests/ is on sys.path (conftest)."""
import ast
import contextlib
import glob
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ui_files(*patterns):
    """ui/ modules by name pattern ('dock_checks.py', 'check_*.py'), in the order given."""
    out = []
    for pattern in patterns:
        out += sorted(glob.glob(os.path.join(ROOT, "ui", pattern)))
    return out


def tr_sources(paths, contexts=None):
    """(context, source) of every self.tr("…") literal in the classes of the files; contexts
    maps a class to the context it speaks in (a mixin speaks as its dock)."""
    out = set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            ctx = (contexts or {}).get(cls.name, cls.name)
            for node in ast.walk(cls):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "tr" and node.args \
                        and isinstance(node.args[0], ast.Constant):
                    out.add((ctx, node.args[0].value))
    return out


def ts_messages(ts_name):
    """{(context, source): translation} of i18n/<ts_name>."""
    ts = ET.parse(os.path.join(ROOT, "i18n", ts_name)).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.findtext("translation")
            for c in ts.iter("context") for m in c.iter("message")}


def is_chinese(text) -> bool:
    return bool(text) and any(ord(ch) > 0x2E80 for ch in text)


@contextlib.contextmanager
def chinese(ts_name, tmp_path):
    """The translation i18n/<ts_name> compiled and installed for the duration (skips the test
    when lrelease is not installed)."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    if shutil.which("lrelease") is None:
        pytest.skip("lrelease not installed")
    qm = str(tmp_path / (os.path.splitext(ts_name)[0] + ".qm"))
    subprocess.run(["lrelease", "-silent", os.path.join(ROOT, "i18n", ts_name), "-qm", qm], check=True)
    tr = QTranslator()
    assert tr.load(qm)
    QCoreApplication.installTranslator(tr)
    try:
        yield tr
    finally:
        QCoreApplication.removeTranslator(tr)


def add_dk_layer(path, canvas=None):
    """The DK layer of a township database added to the project; with canvas: shown on it,
    in the layer's CRS and extent."""
    from qgis.core import QgsProject, QgsVectorLayer
    layer = QgsVectorLayer("%s|layername=DK" % path, "DK", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    if canvas is not None:
        canvas.setDestinationCrs(layer.crs())
        canvas.setLayers([layer])
        canvas.setExtent(layer.extent())
    return layer


@contextlib.contextmanager
def shown_dock(cls, iface, qtbot):
    """A dock of class cls shown for a test, shut down afterwards."""
    d = cls(iface)
    qtbot.addWidget(d)
    d.show()
    try:
        yield d
    finally:
        d.shutdown()
