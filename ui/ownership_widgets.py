"""Small input widgets of the ownership dialogs: code-list combos and the ID number field."""
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..core import codelists
from ..core.ownership.idcheck import ID_CARD, id_hint


def code_combo(list_id, blank=False, only=None, exclude=()):
    """A combo of a code list: text '110 家庭承包', data '110'."""
    combo = QComboBox()
    if blank:
        combo.addItem("", "")
    for code, name in codelists.CODE_LISTS[list_id].items():
        if (only is None or code in only) and code not in exclude:
            combo.addItem("%s %s" % (code, name), code)
    return combo


def set_code(combo, code):
    i = combo.findData(code or "")
    if i >= 0:
        combo.setCurrentIndex(i)


class IdInput(QWidget):
    """ID number input: uppercase X as typed, a live hint (valid / what is wrong), gender and birth."""

    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setMaxLength(20)
        self.edit.setObjectName("idNumber")
        self.hint = QLabel()
        self.hint.setObjectName("idHint")
        self.hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        lay.addWidget(self.hint)
        self.id_type = ID_CARD
        self.survey_date = None
        self.edit.textChanged.connect(self._typed)
        self._typed(self.edit.text())

    def set_type(self, id_type):
        self.id_type = id_type or ID_CARD
        self._typed(self.edit.text())

    def set_text(self, text):
        self.edit.setText(text or "")

    def _typed(self, text):
        if "x" in text:
            pos = self.edit.cursorPosition()
            self.edit.blockSignals(True)
            self.edit.setText(text.upper())
            self.edit.setCursorPosition(pos)
            self.edit.blockSignals(False)
        info = self.info()
        self.hint.setText(info.message)
        self.hint.setStyleSheet("color: %s;" % ("#1a7f37" if info.ok else "#c62828"))
        self.changed.emit()

    def info(self):
        return id_hint(self.edit.text(), self.id_type, self.survey_date)

    def ok(self) -> bool:
        return self.info().ok

    def number(self) -> str:
        return self.info().number
