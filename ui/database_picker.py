"""The township database row of the docks: a path field, a file picker, and "use the database
of the loaded DK layer". The dock decides what choosing a database means (chosen signal)."""
import os

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from .check_map_link import loaded_dk_databases


class DatabasePicker(QWidget):
    chosen = pyqtSignal(str)         # a path typed, picked or taken from the DK layer

    def __init__(self, iface=None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self._path = ""
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(self.tr("Database")))
        self.edit = QLineEdit()
        self.edit.setObjectName("databaseEdit")
        self.edit.setPlaceholderText(self.tr("Township GeoPackage (*.gpkg)"))
        self.edit.editingFinished.connect(self._typed)
        lay.addWidget(self.edit, 1)
        self.browse_btn = self.add_tool("/mActionFileOpen.svg", self.tr("Choose the township database…"),
                                        self.browse)
        self.detect_btn = self.add_tool("/mActionAddOgrLayer.svg",
                                        self.tr("Use the database of the loaded DK layer"), self.detect)

    def add_tool(self, icon: str, tip: str, slot) -> QToolButton:
        """A tool button at the end of the row (the docks add their own, e.g. reload)."""
        btn = QToolButton()
        btn.setIcon(QgsApplication.getThemeIcon(icon))
        btn.setToolTip(tip)
        btn.clicked.connect(lambda *_: slot())
        self.layout().addWidget(btn)
        return btn

    def path(self) -> str:
        return self._path

    def set_path(self, path: str):
        """Show a path without announcing it (the dock has already taken it)."""
        self._path = (path or "").strip()
        self.edit.setText(self._path)
        self.edit.setToolTip(self._path)

    def _choose(self, path: str):
        self.set_path(path)
        self.chosen.emit(self._path)

    def _typed(self):
        text = self.edit.text().strip()
        if text != self._path:           # focus leaving an unchanged field chooses nothing
            self._choose(text)

    def browse(self):
        start = os.path.dirname(self._path) if self._path else ""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Township database"), start,
                                              self.tr("GeoPackage (*.gpkg)"))
        if path:
            self._choose(path)

    def loaded_databases(self):
        """GeoPackages whose DK layer is loaded, the active layer's first."""
        active = self.iface.activeLayer() if self.iface is not None else None
        return loaded_dk_databases([active] + list(QgsProject.instance().mapLayers().values()))

    def detect(self) -> str:
        """Choose the database of the active (or any) loaded DK layer; '' when there is none."""
        paths = self.loaded_databases()
        if paths:
            self._choose(paths[0])
            return paths[0]
        return ""
