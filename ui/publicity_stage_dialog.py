"""公示记录 of one 发包方 unit: its rounds, objections and the final CBF publicity fields.

Each action goes to core.publicity.stage (which keeps the audit trail); the
dialog only asks for the texts and shows the records.
"""
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (QAbstractItemView, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                                 QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPlainTextEdit,
                                 QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from ..core.publicity import stage
from ..core.township_db import TownshipDB


class ObjectionForm(QDialog):
    """Plot or household code, content, who raised it and when."""

    def __init__(self, unit, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record an objection"))
        form = QFormLayout(self)
        self.code_edit = QLineEdit(unit)
        self.code_edit.setToolTip(self.tr("Plot code (DKBM, 19 digits) or household code (CBFBM, 18 digits)"))
        self.content_edit = QPlainTextEdit()
        self.raised_edit = QLineEdit()
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("Plot or household code"), self.code_edit)
        form.addRow(self.tr("Objection"), self.content_edit)
        form.addRow(self.tr("Raised by"), self.raised_edit)
        form.addRow(self.tr("Received"), self.date_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self):
        d = self.date_edit.date()
        return (self.code_edit.text().strip(), self.content_edit.toPlainText().strip(),
                self.raised_edit.text().strip(), "%04d-%02d-%02d" % (d.year(), d.month(), d.day()))


class PublicityStageDialog(QDialog):
    def __init__(self, db_path, unit, round_no, who="", parent=None):
        super().__init__(parent)
        self.db_path, self.unit, self.round_no, self.who = db_path, unit, round_no, who
        self.setWindowTitle(self.tr("Publicity records of {0}").format(unit))
        self.resize(820, 520)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Rounds")))
        self.rounds = self._table(("Round", "Start", "End", "Place", "Status", "Override reason"))
        lay.addWidget(self.rounds)
        lay.addWidget(QLabel(self.tr("Objections")))
        self.objections = self._table(("No.", "Round", "Plot / household", "Objection", "Raised by",
                                       "Received", "Status", "Resolution"))
        lay.addWidget(self.objections, 1)
        row = QHBoxLayout()
        for text, slot in ((self.tr("Record objection…"), self.record_objection),
                           (self.tr("Resolve…"), self.resolve_selected),
                           (self.tr("Close round"), self.close_round),
                           (self.tr("Fill publicity results…"), self.finalize)):
            b = QPushButton(text)
            b.clicked.connect(lambda *_, s=slot: s())
            row.addWidget(b)
        lay.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.rounds.setMaximumHeight(110)
        self.reload()

    def _table(self, headers):
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectRows)
        t.setSelectionMode(QAbstractItemView.SingleSelection)
        t.horizontalHeader().setStretchLastSection(True)
        t.verticalHeader().setVisible(False)
        return t

    @staticmethod
    def _fill(table, rows):
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                table.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))
        table.resizeColumnsToContents()

    def reload(self):
        with TownshipDB(self.db_path) as db:
            rounds = stage.rounds(db, self.unit)
            self.records = stage.objections(db, self.unit)
        self._fill(self.rounds, [(r["round"], r["start_date"], r["end_date"], r["place"],
                                  stage.ROUND_STATUS.get(r["status"], r["status"]), r["override_reason"])
                                 for r in rounds])
        self._fill(self.objections, [(o["fid"], o["round"], o["dkbm"] or o["cbfbm"], o["content"],
                                      o["raised_by"], o["received"],
                                      stage.OBJECTION_STATUS.get(o["status"], o["status"]), o["resolution"])
                                     for o in self.records])

    def _do(self, action, *args, **kwargs):
        try:
            with TownshipDB(self.db_path) as db:
                out = action(db, *args, **kwargs)
        except stage.StageError as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color: #c62828")
            return None
        self.message.setText("")
        self.reload()
        return out

    # --- actions (the ask_* hooks are replaced in tests) -----------------------------
    def ask_objection(self):
        form = ObjectionForm(self.unit, self)
        return form.values() if form.exec_() == QDialog.Accepted else None

    def ask_text(self, title, label, text=""):
        value, ok = QInputDialog.getMultiLineText(self, title, label, text)
        return value.strip() if ok else ""

    def record_objection(self):
        values = self.ask_objection()
        if not values:
            return None
        code, content, raised_by, received = values
        dkbm, cbfbm = (code, "") if len(code) == 19 else ("", code)
        return self._do(stage.add_objection, self.unit, self.round_no, content, dkbm=dkbm, cbfbm=cbfbm,
                        received=received, raised_by=raised_by, who=self.who)

    def select_objection(self, fid):
        for r, o in enumerate(self.records):
            if o["fid"] == fid:
                self.objections.selectRow(r)

    def resolve_selected(self):
        rows = self.objections.selectionModel().selectedRows()
        if not rows:
            return None
        fid = self.records[rows[0].row()]["fid"]
        text = self.ask_text(self.tr("Resolve objection"), self.tr("How was the objection settled?"))
        if not text:
            return None
        return self._do(stage.resolve_objection, fid, text, who=self.who)

    def close_round(self):
        return self._do(stage.close_round, self.unit, self.round_no, who=self.who)

    def finalize(self):
        text = self.ask_text(self.tr("Publicity results"),
                             self.tr("Recorder and reviewer, one per line (written to CBF.GSJSR and GSSHR)"),
                             self.who)
        names = [t.strip() for t in text.splitlines() if t.strip()]
        if len(names) < 2:
            return None
        out = self._do(stage.finalize_publicity, self.unit, names[0], names[1], who=self.who)
        if out:
            self.message.setStyleSheet("")
            self.message.setText(self.tr("Publicity results written for {0} households.").format(
                out["households"]))
        return out
