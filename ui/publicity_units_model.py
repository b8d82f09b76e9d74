"""Village → group tree with check boxes and the publicity preconditions of each group."""
from typing import Dict, List

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

CODE_ROLE = Qt.UserRole + 1
STATE_COLOURS = {"ok": "#1a7f37", "blocked": "#c62828", "override": "#b26a00", "note": "#555555"}


def _tr(text):
    return QCoreApplication.translate("PublicityUnitsModel", text)


class PublicityUnitsModel(QStandardItemModel):
    COLUMNS = ("Unit", "Plots", "Status")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHorizontalHeaderLabels([_tr(c) for c in self.COLUMNS])
        self._units: Dict[str, QStandardItem] = {}
        self.itemChanged.connect(self._propagate)
        self._updating = False

    def set_units(self, tree):
        """tree: [(village code, village name, [Unit])] (core.publicity.units.village_tree)."""
        self._updating = True
        self.removeRows(0, self.rowCount())
        self._units = {}
        for vcode, vname, units in tree:
            v = QStandardItem("%s（%s）" % (vname, vcode))
            v.setCheckable(True)
            v.setEditable(False)
            v.setData(vcode, CODE_ROLE)
            total = QStandardItem(str(sum(u.plots for u in units)))
            total.setEditable(False)
            total.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            status = QStandardItem("")
            status.setEditable(False)
            for u in units:
                name = u.group or _tr("Village-level unit")
                item = QStandardItem("%s（%s）" % (name, u.code))
                item.setCheckable(True)
                item.setEditable(False)
                item.setData(u.code, CODE_ROLE)
                item.setToolTip(u.name)
                plots = QStandardItem(str(u.plots))
                plots.setEditable(False)
                plots.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                state = QStandardItem("")
                state.setEditable(False)
                v.appendRow([item, plots, state])
                self._units[u.code] = item
            self.appendRow([v, total, status])
        self._updating = False

    # --- check states --------------------------------------------------------------
    def _propagate(self, item):
        if self._updating or item.column() != 0:
            return
        self._updating = True
        try:
            if item.hasChildren():
                for r in range(item.rowCount()):
                    item.child(r, 0).setCheckState(item.checkState())
            elif item.parent() is not None:
                parent = item.parent()
                states = {parent.child(r, 0).checkState() for r in range(parent.rowCount())}
                parent.setCheckState(states.pop() if len(states) == 1 else Qt.PartiallyChecked)
        finally:
            self._updating = False

    def set_all(self, checked: bool):
        for r in range(self.rowCount()):
            self.item(r, 0).setCheckState(Qt.Checked if checked else Qt.Unchecked)

    def set_checked(self, codes):
        codes = set(codes)
        for code, item in self._units.items():
            item.setCheckState(Qt.Checked if code in codes else Qt.Unchecked)

    def checked_units(self) -> List[str]:
        return sorted(c for c, item in self._units.items() if item.checkState() == Qt.Checked)

    def unit_codes(self) -> List[str]:
        return sorted(self._units)

    def index_of(self, code):
        item = self._units.get(code)
        return item.index() if item is not None else None

    # --- preconditions -----------------------------------------------------------
    def set_conditions(self, code, pre):
        """Show a unit's preconditions (core.publicity.stage.Preconditions) in its status cell."""
        item = self._units.get(code)
        if item is None:
            return
        cell = item.parent().child(item.row(), 2)
        if pre is None:
            cell.setText("")
            cell.setToolTip("")
            return
        if pre.blocking and pre.override:
            state, text = "override", _tr("Override: {0}").format(pre.override.get("reason", ""))
        elif pre.blocking:
            state, text = "blocked", "；".join(c.message for c in pre.blocking)
        elif pre.conditions:
            # ready; the notes (e.g. no self-check run yet) are in the tooltip and details
            state, text = "note", _tr("Ready") + " *"
        else:
            state, text = "ok", _tr("Ready")
        cell.setText(text)
        cell.setToolTip(pre.summary)
        cell.setData(state, CODE_ROLE)
        cell.setForeground(QBrush(QColor(STATE_COLOURS[state])))

    def state_of(self, code) -> str:
        item = self._units.get(code)
        if item is None:
            return ""
        return item.parent().child(item.row(), 2).data(CODE_ROLE) or ""

    def status_text(self, code) -> str:
        item = self._units.get(code)
        return item.parent().child(item.row(), 2).text() if item is not None else ""
