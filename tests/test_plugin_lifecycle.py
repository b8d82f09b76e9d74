"""The plugin loads and unloads in QGIS leaving nothing behind; the provider is complete."""
import importlib

import pytest

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QToolBar


class RecordingIface:
    """Wraps pytest-qgis's iface and records what the plugin adds and removes."""

    def __init__(self, iface):
        self._iface = iface
        self.menu_actions = []
        self.docks = []
        self.toolbars = []

    def __getattr__(self, name):
        return getattr(self._iface, name)

    def addPluginToMenu(self, name, action):  # noqa: N802
        self.menu_actions.append((name, action))

    def removePluginMenu(self, name, action):  # noqa: N802
        self.menu_actions.remove((name, action))

    def addToolBar(self, name):  # noqa: N802
        tb = QToolBar(name, self._iface.mainWindow())
        self.toolbars.append(tb)
        tb.destroyed.connect(lambda *_: self.toolbars.remove(tb) if tb in self.toolbars else None)
        return tb

    def addDockWidget(self, area, dock):  # noqa: N802
        self.docks.append(dock)

    def removeDockWidget(self, dock):  # noqa: N802
        self.docks.remove(dock)


def _provider_ids():
    return [p.id() for p in QgsApplication.processingRegistry().providers()]


@pytest.fixture(autouse=True)
def no_foreign_provider(qgis_app):
    """Other test modules may have registered the provider directly; start without it."""
    reg = QgsApplication.processingRegistry()
    existing = reg.providerById("quequan")
    if existing is not None:
        reg.removeProvider(existing)
    yield


def test_load_and_unload_leave_nothing_behind(qgis_app, qgis_iface, qtbot):
    import quequan
    iface = RecordingIface(qgis_iface)
    plugin = quequan.classFactory(iface)
    plugin.initGui()
    assert "quequan" in _provider_ids()
    alg_ids = [a.id() for a in QgsApplication.processingRegistry().providerById("quequan").algorithms()]
    assert {"quequan:createdatabase", "quequan:demotownship", "quequan:selfcheck"} <= set(alg_ids)
    assert len(iface.menu_actions) >= 3
    assert len(iface.toolbars) == 1 and iface.toolbars[0].actions()
    # open every dock the plugin offers, then unload
    from quequan.plugin import dock_classes
    for cls in dock_classes():
        assert plugin.show_dock(cls.OBJECT_NAME) is not None
    plugin.unload()
    qtbot.wait(10)
    assert "quequan" not in _provider_ids()
    assert iface.menu_actions == []
    assert iface.docks == []
    assert plugin.actions == [] and plugin.toolbar is None and plugin.provider is None


def test_reload_twice(qgis_app, qgis_iface):
    import quequan
    for _ in range(2):
        plugin = quequan.classFactory(RecordingIface(qgis_iface))
        plugin.initGui()
        plugin.unload()
    assert "quequan" not in _provider_ids()


def test_all_intra_plugin_imports_are_relative():
    """The plugin must work under any folder name: no 'import quequan' inside it."""
    import pathlib
    import re
    root = pathlib.Path(importlib.import_module("quequan").__file__).resolve().parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).parts
        if rel[0] in ("tests", "bench", "build", "ext-libs", ".venv", "tools", "dist"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+quequan\b", text, re.M) or "from PyQt5" in text \
                or re.search(r"^\s*import PyQt5", text, re.M):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
