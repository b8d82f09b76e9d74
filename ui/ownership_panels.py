"""The views inside the ownership dock: plot, household, disputes and audit log panels.

Panels only show what core.ownership.queries returns and expose their buttons;
the dock decides what the buttons do.
"""
from qgis.PyQt.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGridLayout,
                                 QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableView,
                                 QVBoxLayout, QWidget)

from ..core.ownership import disputes
from .ownership_models import RecordTableModel, cell_text


def table_view(model, name):
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


def selected_row(view):
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return view.model().row_at(rows[0].row()) if rows else None


def button(text, name, parent_layout):
    b = QPushButton(text)
    b.setObjectName(name)
    parent_layout.addWidget(b)
    return b


def area_text(m2, mu) -> str:
    if m2 in (None, ""):
        return ""
    return "%s m²（%s 亩）" % (cell_text(float(m2)), cell_text(float(mu)) if mu not in (None, "") else "–")


class FormBox(QGroupBox):
    """A titled form of read-only labels, set by key."""

    def __init__(self, title, rows):
        super().__init__(title)
        self.labels = {}
        form = QFormLayout(self)
        for key, text in rows:
            label = QLabel()
            label.setWordWrap(True)
            label.setObjectName("value_" + key)
            form.addRow(text, label)
            self.labels[key] = label

    def set(self, values):
        for key, label in self.labels.items():
            label.setText(cell_text(values.get(key)) if values else "")


class PlotPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_box = FormBox(self.tr("Plot"), [
            ("DKBM", self.tr("Code")), ("DKMC", self.tr("Name")), ("DKLB", self.tr("Category")),
            ("AREA", self.tr("Measured area")), ("SIZHI", self.tr("Neighbours")),
            ("ZJRXM", self.tr("Boundary pointer"))])
        self.right_box = FormBox(self.tr("Contractor and contract"), [
            ("CBF", self.tr("Contractor")), ("CBHTBM", self.tr("Contract")),
            ("HTMJ", self.tr("Contract area")), ("WAY", self.tr("Acquired by")),
            ("STATUS", self.tr("Register / certificate"))])
        buttons = QGridLayout()
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.reassign = button(self.tr("Reassign…"), "reassignButton", row1)
        self.unassign = button(self.tr("Unassign"), "unassignButton", row1)
        self.household = button(self.tr("Household"), "householdButton", row1)
        self.assign_code = button(self.tr("Assign code…"), "assignCodeButton", row2)
        self.dispute = button(self.tr("Dispute…"), "disputeButton", row2)
        buttons.addLayout(row1, 0, 0)
        buttons.addLayout(row2, 1, 0)
        self.selection = QLabel()
        self.selection.setObjectName("selectionLabel")
        lay = QVBoxLayout(self)
        lay.addWidget(self.selection)
        lay.addWidget(self.plot_box)
        lay.addWidget(self.right_box)
        lay.addLayout(buttons)
        lay.addStretch(1)
        self.show_info(None, 0)

    def show_info(self, info, selected_count):
        plot = info["plot"] if info else None
        link, cbf = (info or {}).get("link"), (info or {}).get("contractor")
        self.selection.setText(self.tr("{0} plot(s) selected on the map").format(selected_count))
        if plot is not None:
            coded = bool(plot.get("DKBM"))
            values = dict(plot)
            values["DKBM"] = plot.get("DKBM") or self.tr("(no code yet, fid {0})").format(plot["FID"])
            values["DKLB"] = ("%s %s" % (plot.get("DKLB") or "", plot.get("DKLB_NAME") or "")).strip()
            values["AREA"] = area_text(plot.get("SCMJ"), plot.get("SCMJM"))
            self.plot_box.set(values)
        else:
            coded = False
            self.plot_box.set(None)
        right = {}
        if link is not None:
            contract = info.get("contract")
            code = link.get("CBHTBM")
            if contract is not None:
                code = self.tr("{0} ({1}); {2} plots, total {3}").format(
                    code, contract.get("CBFS_NAME") or "", cell_text(contract.get("CBDKZS")),
                    area_text(contract.get("HTZMJ"), contract.get("HTZMJM")))
            right = {"CBF": "%s %s" % (link.get("CBFBM") or "", (cbf or {}).get("CBFMC") or ""),
                     "CBHTBM": code, "HTMJ": area_text(link.get("HTMJ"), link.get("HTMJM")),
                     "WAY": link.get("CBJYQQDFS_NAME"), "STATUS": info.get("status")}
        elif plot is not None:
            right = {"CBF": self.tr("(no contractor)")}
        self.right_box.set(right)
        self.reassign.setEnabled(coded)
        self.unassign.setEnabled(link is not None)
        self.household.setEnabled(link is not None)
        self.dispute.setEnabled(coded)
        self.assign_code.setEnabled(plot is not None and not coded)


class HouseholdPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.box = FormBox(self.tr("Contractor"), [
            ("CBF", self.tr("Contractor")), ("TYPE", self.tr("Type")), ("ID", self.tr("ID number")),
            ("CONTRACT", self.tr("Contract")), ("STATUS", self.tr("Register / certificate")),
            ("TOTALS", self.tr("Totals"))])
        self.members = RecordTableModel([
            ("CYXM", self.tr("Name")), ("CYXB_NAME", self.tr("Gender")), ("BIRTH", self.tr("Born")),
            ("CYZJHM", self.tr("ID number")), ("YHZGX_NAME", self.tr("Relation")),
            ("SFGYR_NAME", self.tr("Co-holder")), ("CYBZ_NAME", self.tr("Remark"))], bold_key="IS_HEAD")
        self.plots = RecordTableModel([
            ("DKBM", self.tr("Plot")), ("DKMC", self.tr("Plot name")), ("DKLB_NAME", self.tr("Category")),
            ("SCMJ", self.tr("Measured m²")), ("HTMJ", self.tr("Contract m²")),
            ("HTMJM", self.tr("Contract mu")), ("CBJYQQDFS_NAME", self.tr("Acquired by"))])
        self.member_view = table_view(self.members, "memberTable")
        self.plot_view = table_view(self.plots, "householdPlotTable")
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.add_member = button(self.tr("Add member…"), "addMemberButton", row1)
        self.edit_member = button(self.tr("Edit member…"), "editMemberButton", row1)
        self.remove_member = button(self.tr("Remove member"), "removeMemberButton", row1)
        self.set_head = button(self.tr("Set as head…"), "setHeadButton", row1)
        self.new_contractor = button(self.tr("New contractor…"), "newContractorButton", row2)
        self.zoom = button(self.tr("Zoom to plots"), "zoomHouseholdButton", row2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.box)
        lay.addWidget(QLabel(self.tr("Members")))
        lay.addWidget(self.member_view, 2)
        lay.addLayout(row1)
        lay.addWidget(QLabel(self.tr("Plots")))
        lay.addWidget(self.plot_view, 2)
        lay.addLayout(row2)
        self.show_household(None)

    def show_household(self, hh):
        cbf = (hh or {}).get("cbf")
        if cbf is None:
            self.box.set(None)
            self.members.set_rows([])
            self.plots.set_rows([])
        else:
            t = hh["totals"]
            contract = hh.get("contract") or {}
            self.box.set({
                "CBF": "%s %s" % (cbf["CBFBM"], cbf.get("CBFMC") or ""), "TYPE": cbf.get("CBFLX_NAME"),
                "ID": "%s %s" % (cbf.get("CBFZJLX_NAME") or "", cbf.get("CBFZJHM") or ""),
                "CONTRACT": ("%s（%s）" % (contract.get("CBHTBM"), contract.get("CBFS_NAME") or "")
                             if contract else self.tr("(none)")),
                "STATUS": hh.get("status"),
                "TOTALS": self.tr("{0} plots; contract {1}; measured {2}").format(
                    t["count"], area_text(t["HTMJ"], t["HTMJM"]), area_text(t["SCMJ"], t["SCMJM"]))})
            self.members.set_rows(hh["members"])
            self.plots.set_rows(hh["plots"])
            for v in (self.member_view, self.plot_view):
                v.resizeColumnsToContents()
        is_farmer = cbf is not None and cbf.get("CBFLX") == "1"
        for b in (self.add_member, self.edit_member, self.remove_member, self.set_head):
            b.setEnabled(is_farmer)
        self.zoom.setEnabled(bool(hh and hh["plots"]))


class DisputePanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.filter = QComboBox()
        self.filter.setObjectName("disputeFilter")
        self.filter.addItem(self.tr("All"), "")
        self.filter.addItem(self.tr("Open"), disputes.OPEN)
        self.filter.addItem(self.tr("Resolved"), disputes.RESOLVED)
        self.model = RecordTableModel([
            ("fid", self.tr("No.")), ("status_name", self.tr("Status")), ("dkbm_a", self.tr("Plot")),
            ("other", self.tr("Other side")), ("parties", self.tr("Parties")),
            ("description", self.tr("Description")), ("opened", self.tr("Opened")),
            ("resolution", self.tr("Resolution")), ("resolved_by", self.tr("Resolved by")),
            ("resolved_at", self.tr("Resolved on"))], muted=("status", disputes.RESOLVED))
        self.view = table_view(self.model, "disputeTable")
        self.show_layer = QCheckBox(self.tr("Show disputes on the map"))
        self.show_layer.setObjectName("showDisputeLayer")
        self.show_layer.setChecked(True)
        row = QHBoxLayout()
        self.new = button(self.tr("New dispute…"), "newDisputeButton", row)
        self.resolve = button(self.tr("Resolve…"), "resolveDisputeButton", row)
        top = QHBoxLayout()
        top.addWidget(self.filter)
        top.addWidget(self.show_layer)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view)
        lay.addLayout(row)

    def show_rows(self, rows):
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()


class LogPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.scope = QComboBox()
        self.scope.setObjectName("logScope")
        self.scope.addItem(self.tr("Current plot"), "plot")
        self.scope.addItem(self.tr("Current household"), "household")
        self.scope.addItem(self.tr("Whole database"), "all")
        self.model = RecordTableModel([
            ("at", self.tr("Time")), ("who", self.tr("User")), ("action", self.tr("Action")),
            ("table_name", self.tr("Table")), ("key", self.tr("Key")), ("field", self.tr("Field")),
            ("old_value", self.tr("Old value")), ("new_value", self.tr("New value")),
            ("batch", self.tr("Step"))])
        self.view = table_view(self.model, "auditTable")
        lay = QVBoxLayout(self)
        lay.addWidget(self.scope)
        lay.addWidget(self.view)

    def show_rows(self, rows):
        # whole-row snapshots are long JSON: the table shows their start, the tooltip all of it
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        for c in (6, 7):
            self.view.setColumnWidth(c, min(self.view.columnWidth(c), 220))
