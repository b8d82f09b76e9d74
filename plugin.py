"""QGIS entry: processing provider, menu, toolbar and docks; removes all of it on unload."""
import importlib
import os
import pkgutil

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

PLUGIN_DIR = os.path.dirname(__file__)
MENU = "&QueQuan 确权助手"


def _icon(name):
    path = os.path.join(PLUGIN_DIR, "resources", name)
    return QIcon(path if os.path.exists(path) else os.path.join(PLUGIN_DIR, "resources", "icon.svg"))


def dock_classes():
    """Dock widgets are discovered from ui/dock_*.py modules exporting DOCKS."""
    here = os.path.join(PLUGIN_DIR, "ui")
    out = []
    for name in sorted(m.name for m in pkgutil.iter_modules([here]) if m.name.startswith("dock_")):
        module = importlib.import_module(".ui." + name, __package__)
        out.extend(getattr(module, "DOCKS", []))
    return out


class QueQuanPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []
        self.docks = {}
        self.toolbar = None
        self.translators = []
        self._install_translator()

    def tr(self, text):
        return QCoreApplication.translate("QueQuanPlugin", text)

    def _install_translator(self):
        """Install every i18n/*_<locale>.qm (one .ts per module keeps edits apart)."""
        import glob
        locale = (QSettings().value("locale/userLocale") or QLocale.system().name() or "")[:5]
        self.translators = []
        for loc in dict.fromkeys([locale, locale[:2]]):
            for qm in sorted(glob.glob(os.path.join(PLUGIN_DIR, "i18n", "*_%s.qm" % loc))):
                tr = QTranslator()
                if tr.load(qm):
                    QCoreApplication.installTranslator(tr)
                    self.translators.append(tr)
            if self.translators:
                break

    # --- processing ------------------------------------------------------
    def initProcessing(self):  # noqa: N802 (QGIS convention: also called by qgis_process)
        if self.provider is None:
            from .processing.provider import QueQuanProvider
            provider = QueQuanProvider()
            # addProvider deletes a refused duplicate; keep only one we own
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider

    # --- GUI -------------------------------------------------------------
    def initGui(self):  # noqa: N802
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(self.tr("QueQuan toolbar"))
        self.toolbar.setObjectName("QueQuanToolbar")
        self._add_action(_icon("database.svg"), self.tr("New township database…"),
                         "quequan:createdatabase")
        self._add_action(_icon("demo.svg"), self.tr("Build demo township…"), "quequan:demotownship")
        self._add_action(_icon("selfcheck.svg"), self.tr("Run self-check…"), "quequan:selfcheck")
        for cls in dock_classes():
            self._add_dock_action(cls)
        self._warn_missing_dependencies()

    def _add_action(self, icon, text, algorithm_id):
        action = QAction(icon, text, self.iface.mainWindow())
        action.triggered.connect(lambda _=False, a=algorithm_id: self._open_algorithm(a))
        self.iface.addPluginToMenu(MENU, action)
        self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def _add_dock_action(self, cls):
        action = QAction(_icon(getattr(cls, "ICON", "icon.svg")), self.tr(cls.TITLE),
                         self.iface.mainWindow())
        action.setCheckable(True)
        action.toggled.connect(lambda on, c=cls: self._toggle_dock(c, on))
        self.iface.addPluginToMenu(MENU, action)
        self.toolbar.addAction(action)
        self.actions.append(action)

    def _toggle_dock(self, cls, visible):
        dock = self.docks.get(cls.OBJECT_NAME)
        if dock is None:
            if not visible:
                return
            dock = cls(self.iface, self.iface.mainWindow())
            dock.setObjectName(cls.OBJECT_NAME)
            self.iface.addDockWidget(Qt.RightDockWidgetArea, dock)
            self.docks[cls.OBJECT_NAME] = dock
        dock.setVisible(visible)

    def show_dock(self, object_name):
        for cls in dock_classes():
            if cls.OBJECT_NAME == object_name:
                self._toggle_dock(cls, True)
                return self.docks[object_name]
        return None

    def _open_algorithm(self, algorithm_id):
        from processing import execAlgorithmDialog
        execAlgorithmDialog(algorithm_id, {})

    def _warn_missing_dependencies(self):
        from .deps import missing_dependencies
        missing = missing_dependencies()
        if missing:
            self.iface.messageBar().pushWarning(
                "QueQuan", self.tr("Missing Python packages: {0}. Install them into the Python "
                                   "used by QGIS (OSGeo4W Shell: python -m pip install {0}).")
                .format(" ".join(missing)))

    def unload(self):
        for dock in self.docks.values():
            if hasattr(dock, "shutdown"):
                dock.shutdown()
            self.iface.removeDockWidget(dock)
            dock.deleteLater()
        self.docks = {}
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        for tr in self.translators:
            QCoreApplication.removeTranslator(tr)
        self.translators = []
