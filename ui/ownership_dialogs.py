"""Dialogs of the ownership dock: target contractor picker, new contractor, new plot code, dispute."""
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                                 QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QTableView,
                                 QVBoxLayout)

from ..core import codes
from ..core.ownership import allocation, queries
from ..core.ownership.idcheck import ID_CARD
from ..core.ownership.journal import OwnershipError
from .ownership_models import RecordTableModel
from .ownership_widgets import IdInput, code_combo, set_code

CONTRACT_WAYS = ("110", "120", "121", "122", "123", "129")


def _buttons(dialog):
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def fbf_combo(db, current=""):
    combo = QComboBox()
    for r in queries.fbf_list(db):
        combo.addItem("%s %s" % (r["FBFBM"], r.get("FBFMC") or ""), r["FBFBM"])
    set_code(combo, current)
    return combo


class ContractorPickerDialog(QDialog):
    """Search the 承包方 of a 发包方 by code, name, member or ID number and pick one."""

    def __init__(self, db, fbfbm, exclude="", parent=None):
        super().__init__(parent)
        self.db, self.fbfbm, self.exclude = db, fbfbm, exclude
        self.setWindowTitle(self.tr("Choose the new contractor"))
        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText(self.tr("Code, name, member or ID number"))
        self.model = RecordTableModel([("CBFBM", self.tr("Code")), ("CBFMC", self.tr("Name")),
                                       ("CBFLX_NAME", self.tr("Type")), ("CBFCYSL", self.tr("Members"))])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _: self.accept())
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Contractors of {0}").format(fbfbm)))
        lay.addWidget(self.search)
        lay.addWidget(self.table)
        lay.addWidget(_buttons(self))
        self.search.textChanged.connect(self.refresh)
        self.resize(560, 420)
        self.refresh()

    def refresh(self, *_):
        rows = [r for r in queries.contractors(self.db, self.fbfbm, self.search.text())
                if r["CBFBM"] != self.exclude]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if rows:
            self.table.selectRow(0)

    def selected(self) -> str:
        idx = self.table.selectionModel().selectedRows()
        row = self.model.row_at(idx[0].row()) if idx else None
        return row["CBFBM"] if row else ""


class NewContractorDialog(QDialog):
    """A new 承包方: its code is the next free one of its type under the chosen 发包方."""

    def __init__(self, db, fbfbm="", parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("New contractor"))
        self.fbf = fbf_combo(db, fbfbm)
        self.kind = code_combo("C.16")
        self.name = QLineEdit()
        self.name.setObjectName("contractorName")
        self.id_type = code_combo("C.15")
        self.id_input = IdInput()
        self.way = code_combo("C.10", only=CONTRACT_WAYS)
        self.code = QLabel()
        self.code.setObjectName("nextCode")
        form = QFormLayout()
        form.addRow(self.tr("Issuing party"), self.fbf)
        form.addRow(self.tr("Contractor type"), self.kind)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("ID type"), self.id_type)
        form.addRow(self.tr("ID number"), self.id_input)
        form.addRow(self.tr("Contract way"), self.way)
        form.addRow(self.tr("New code"), self.code)
        self.buttons = _buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        for w in (self.fbf, self.kind):
            w.currentIndexChanged.connect(self._update)
        self.id_type.currentIndexChanged.connect(lambda _: self.id_input.set_type(self.id_type.currentData()))
        self.id_input.changed.connect(self._update)
        self.name.textChanged.connect(self._update)
        self._update()

    def _update(self, *_):
        if self.sender() is self.kind:
            set_code(self.way, "110" if self.kind.currentData() == "1" else "123")
            set_code(self.id_type, ID_CARD if self.kind.currentData() != "3" else "3")
        try:
            code = allocation.next_cbfbm(self.db, self.fbf.currentData() or "", self.kind.currentData())
            self.code.setText("%s / %s" % (code, allocation.contract_code(code, self.way.currentData())))
            free = True
        except OwnershipError as exc:
            self.code.setText(str(exc))
            free = False
        ok = free and self.id_input.ok() and bool(self.name.text().strip())
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def values(self) -> dict:
        return {"fbfbm": self.fbf.currentData(), "cbflx": self.kind.currentData(),
                "name": self.name.text().strip(), "id_type": self.id_type.currentData(),
                "id_number": self.id_input.number(), "cbfs": self.way.currentData()}


class PlotCodeDialog(QDialog):
    """Code and mandatory fields of a drawn plot; SCMJ and SCMJM come from its geometry."""

    def __init__(self, db, area_m2, fbfbm="", parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Assign plot code"))
        self.fbf = fbf_combo(db, fbfbm)
        self.name = QLineEdit()
        self.name.setObjectName("plotName")
        self.kind = code_combo("C.7")
        self.grade = code_combo("C.8")
        self.use = code_combo("C.9")
        self.basic = code_combo("C.19")
        self.pointer = QLineEdit()
        self.code = QLabel()
        self.code.setObjectName("nextPlotCode")
        area = codes.round2(area_m2)
        form = QFormLayout()
        form.addRow(self.tr("Issuing party"), self.fbf)
        form.addRow(self.tr("Plot name"), self.name)
        form.addRow(self.tr("Plot category"), self.kind)
        form.addRow(self.tr("Land grade"), self.grade)
        form.addRow(self.tr("Land use"), self.use)
        form.addRow(self.tr("Basic farmland"), self.basic)
        form.addRow(self.tr("Boundary pointer"), self.pointer)
        form.addRow(self.tr("Measured area"), QLabel(self.tr("{0} m² ({1} mu)").format(
            area, codes.m2_to_mu(area))))
        form.addRow(self.tr("New code"), self.code)
        self.buttons = _buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.fbf.currentIndexChanged.connect(self._update)
        self.name.textChanged.connect(self._update)
        self._update()

    def _update(self, *_):
        try:
            self.code.setText(allocation.next_dkbm(self.db, self.fbf.currentData() or ""))
            free = True
        except OwnershipError as exc:
            self.code.setText(str(exc))
            free = False
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(free and bool(self.name.text().strip()))

    def values(self) -> dict:
        return {"fbfbm": self.fbf.currentData(), "values": {
            "DKMC": self.name.text().strip(), "DKLB": self.kind.currentData(),
            "DLDJ": self.grade.currentData(), "TDYT": self.use.currentData(),
            "SFJBNT": self.basic.currentData(), "ZJRXM": self.pointer.text().strip()}}


class DisputeDialog(QDialog):
    """Mark a boundary dispute between the current plot and another plot or a neighbour feature."""

    def __init__(self, dkbm_a, dkbm_b="", parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New boundary dispute"))
        self.other = QLineEdit(dkbm_b)
        self.other.setObjectName("otherPlot")
        self.neighbour = QLineEdit()
        self.neighbour.setPlaceholderText(self.tr("e.g. XZDW:12 ditch, or free text"))
        self.parties = QLineEdit()
        self.parties.setObjectName("parties")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow(self.tr("Plot"), QLabel(dkbm_a))
        form.addRow(self.tr("Other plot (code)"), self.other)
        form.addRow(self.tr("Or neighbour feature"), self.neighbour)
        form.addRow(self.tr("Parties"), self.parties)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Date"), self.date)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(_buttons(self))

    def values(self) -> dict:
        return {"dkbm_b": self.other.text().strip(), "neighbour": self.neighbour.text().strip(),
                "parties": self.parties.text().strip(),
                "description": self.description.toPlainText().strip(),
                "date": self.date.date().toString("yyyy-MM-dd")}
