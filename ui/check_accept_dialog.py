"""Asks the reviewer why an error is accepted (required) and who accepts it."""
import getpass

from qgis.core import QgsSettings
from qgis.PyQt.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                                 QPlainTextEdit, QVBoxLayout)

REVIEWER_KEY = "QueQuan/checks/reviewer"


def default_reviewer() -> str:
    name = QgsSettings().value(REVIEWER_KEY, "")
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some systems)
        return ""


class CheckAcceptDialog(QDialog):
    def __init__(self, record, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Accept error"))
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        info = QLabel("<b>%s %s</b><br>%s" % (record.rule, record.rule_title, record.message))
        info.setWordWrap(True)
        lay.addWidget(info)
        form = QFormLayout()
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("e.g. boundary dispute settled on site on 2024-05-10; "
                                               "scattered plot (插花地) confirmed by the village"))
        self.reason.setFixedHeight(90)
        self.who = QLineEdit(default_reviewer())
        form.addRow(self.tr("Reason (required)"), self.reason)
        form.addRow(self.tr("Reviewer"), self.who)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self.who.textChanged.connect(self._update)
        self._update()

    def _update(self):
        ok = bool(self.reason.toPlainText().strip()) and bool(self.who.text().strip())
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def values(self):
        return self.reason.toPlainText().strip(), self.who.text().strip()

    @classmethod
    def ask(cls, record, parent=None):
        """(reason, reviewer) or None when cancelled; remembers the reviewer's name."""
        dlg = cls(record, parent)
        if dlg.exec_() != QDialog.Accepted:
            return None
        reason, who = dlg.values()
        QgsSettings().setValue(REVIEWER_KEY, who)
        return reason, who
