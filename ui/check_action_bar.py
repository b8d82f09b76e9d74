"""The buttons under the results table: browse, mark fixed, accept, withdraw, map layer, export.

Emits one signal per action; which buttons are enabled follows the current
error (update()). F8 / Shift+F8 walk the list while the dock has focus.
"""
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import QHBoxLayout, QPushButton, QShortcut, QVBoxLayout, QWidget


class CheckActionBar(QWidget):
    previousRequested = pyqtSignal()  # noqa: N815 (Qt naming)
    nextRequested = pyqtSignal()  # noqa: N815
    verifyRequested = pyqtSignal()  # noqa: N815
    acceptRequested = pyqtSignal()  # noqa: N815
    withdrawRequested = pyqtSignal()  # noqa: N815
    layerToggled = pyqtSignal(bool)  # noqa: N815
    exportRequested = pyqtSignal()  # noqa: N815

    def __init__(self, shortcut_parent, parent=None):
        """shortcut_parent: the widget (the dock) in which F8 / Shift+F8 work."""
        super().__init__(parent)
        self._shortcut_parent = shortcut_parent
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.prev_btn = self._button(row, "/mActionArrowLeft.svg", self.tr("Previous"),
                                     self.tr("Previous error"), self.previousRequested, "Shift+F8")
        self.next_btn = self._button(row, "/mActionArrowRight.svg", self.tr("Next"),
                                     self.tr("Next error"), self.nextRequested, "F8")
        self.verify_btn = self._button(row, "/mActionRefresh.svg", self.tr("Mark fixed"),
                                       self.tr("Re-check the objects of this error; it is marked "
                                               "fixed when it is no longer found"), self.verifyRequested)
        self.accept_btn = self._button(row, "/mActionCheckQgisVersion.svg", self.tr("Accept…"),
                                       self.tr("Accept this error with a reason"), self.acceptRequested)
        self.withdraw_btn = self._button(row, "/mActionUndo.svg", self.tr("Withdraw"),
                                         self.tr("Withdraw the acceptance: the error is open again"),
                                         self.withdrawRequested)
        outer.addLayout(row)
        row = QHBoxLayout()
        self.layer_btn = self._button(row, "/mActionAddLayer.svg", self.tr("Show on map"),
                                      self.tr("Show the errors as a styled layer group"), None)
        self.layer_btn.setCheckable(True)
        self.layer_btn.setChecked(True)
        self.layer_btn.clicked.connect(lambda on: self.layerToggled.emit(bool(on)))
        self.export_btn = self._button(row, "/mActionSaveAsXLSX.svg", self.tr("Export list…"),
                                       self.tr("Export the filtered list to Excel"), self.exportRequested)
        row.addStretch(1)
        outer.addLayout(row)

    def _button(self, layout, icon, text, tip, signal, shortcut=None):
        btn = QPushButton(QgsApplication.getThemeIcon(icon), text)
        btn.setToolTip(tip)
        if signal is not None:
            btn.clicked.connect(lambda *_: signal.emit())
        if shortcut:
            sc = QShortcut(QKeySequence(shortcut), self._shortcut_parent)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(signal.emit)
            btn.setToolTip("%s (%s)" % (tip, shortcut))
        layout.addWidget(btn)
        return btn

    def follow(self, rec, has_rows, busy):
        """Enable what makes sense for the current error record (or None)."""
        self.prev_btn.setEnabled(has_rows)
        self.next_btn.setEnabled(has_rows)
        self.export_btn.setEnabled(has_rows)
        self.verify_btn.setEnabled(rec is not None and rec.state != "fixed" and not busy)
        self.accept_btn.setEnabled(rec is not None and rec.state == "open" and rec.acceptable)
        if rec is not None and not rec.acceptable:
            self.accept_btn.setToolTip(self.tr("{0} cannot be accepted (S01, S02, T01 and T02 must be "
                                               "fixed in the data)").format(rec.rule))
        else:
            self.accept_btn.setToolTip(self.tr("Accept this error with a reason"))
        self.withdraw_btn.setEnabled(rec is not None and rec.state == "accepted")
