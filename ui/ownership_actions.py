"""The edit actions of the ownership dock (mixed into OwnershipDock; strings in its context).

Each action gathers its input (dialogs), then runs one core step as an EditTask;
on success the layers are reloaded and the views refreshed, on refusal the core's
Chinese message is shown and nothing was written.
"""
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QDialog

from ..core import codelists
from ..core.ownership import contracts, disputes, history, households, plots, queries
from ..core.ownership.records import parse_date
from .ownership_dialogs import ContractorPickerDialog, DisputeDialog, NewContractorDialog, PlotCodeDialog
from .ownership_layers import reload_layers
from .ownership_member_dialog import MemberDialog
from .ownership_panels import selected_row
from .ownership_task import EditTask


class OwnershipActions:
    # --- running a step -------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.task is not None

    def _set_busy(self, busy):
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setRange(0, 0 if busy else 100)
        for w in (self.plot_panel, self.household_panel, self.dispute_panel):
            w.setEnabled(not busy)
        if not busy and self.db is not None:
            self._update_history_buttons()
        else:
            self.undo_button.setEnabled(False)
            self.redo_button.setEnabled(False)

    def run_step(self, description, job, after=None):
        if self.db is None or self.path is None:
            return self.show_status(self.tr("Choose the township database first"), error=True)
        if self.task is not None:
            return self.show_status(self.tr("Another edit is still running"), error=True)
        task = EditTask(description, self.path, job)
        task.signals.done.connect(lambda result: self._step_done(result, after))
        task.signals.failed.connect(self._step_failed)
        task.signals.cancelled.connect(lambda: self._step_failed(self.tr("Cancelled; nothing was written")))
        self.task = task
        self._set_busy(True)
        self.show_status(description + "…")
        QgsApplication.taskManager().addTask(task)

    def _step_done(self, result, after):
        self.task = None
        reload_layers(self.path)
        self._set_busy(False)
        if after is not None:
            after(result)
        self.refresh_all()
        self.show_status(result.message if result is not None else "")

    def _step_failed(self, message):
        self.task = None
        self._set_busy(False)
        self.show_status(message, error=True)

    # --- plots ----------------------------------------------------------------------------------
    def selected_dkbms(self):
        fids = self.selected_fids()
        rows = queries.plot_fids_to_codes(self.db, fids) if fids else []
        if not rows and (self.info or {}).get("plot", {}).get("DKBM"):
            rows = [self.info["plot"]["DKBM"]]
        return rows

    def reassign(self):
        dkbms = self.selected_dkbms()
        if not dkbms:
            return self.show_status(self.tr("Select coded plots on the map first"), error=True)
        holder = ((self.info or {}).get("link") or {}).get("CBFBM") or ""
        dialog = ContractorPickerDialog(self.db, dkbms[0][:14], exclude=holder, parent=self)
        if dialog.exec_() != QDialog.Accepted or not dialog.selected():
            return
        target = dialog.selected()
        self.run_step(self.tr("Reassigning {0} plot(s)").format(len(dkbms)),
                      lambda db: contracts.reassign(db, dkbms, target),
                      after=lambda _: self.show_household(target, switch=False))

    def unassign(self):
        dkbms = self.selected_dkbms()
        if dkbms and self.confirm(self.tr("Remove the contractor of {0}?").format("、".join(dkbms))):
            self.run_step(self.tr("Unassigning"), lambda db: contracts.unassign(db, dkbms))

    def assign_code(self):
        plot = (self.info or {}).get("plot")
        if plot is None:
            return
        if self.dk_layer is not None and self.dk_layer.isEditable() and self.dk_layer.isModified():
            return self.show_status(self.tr("Save the edits of the DK layer first"), error=True)
        geom = plots.plot_geometry(self.db, plot["FID"])
        area = geom.area if geom is not None else 0.0
        dialog = PlotCodeDialog(self.db, area, plots.suggest_fbfbm(self.db, geom), parent=self)
        if dialog.exec_() != QDialog.Accepted:
            return
        v, fid = dialog.values(), plot["FID"]
        self.run_step(self.tr("Assigning the plot code"),
                      lambda db: plots.assign_plot_code(db, fid, v["fbfbm"], v["values"]))

    # --- disputes -----------------------------------------------------------------------------
    def new_dispute(self):
        plot = (self.info or {}).get("plot") or {}
        if not plot.get("DKBM"):
            return self.show_status(self.tr("Select a coded plot first"), error=True)
        others = [d for d in self.selected_dkbms() if d != plot["DKBM"]]
        dialog = DisputeDialog(plot["DKBM"], others[0] if others else "", parent=self)
        if dialog.exec_() != QDialog.Accepted:
            return
        v, a = dialog.values(), plot["DKBM"]
        self.run_step(self.tr("Recording the dispute"), lambda db: disputes.open_dispute(db, a, **v),
                      after=lambda _: self.tabs.setCurrentWidget(self.dispute_panel))

    def resolve_dispute(self):
        row = selected_row(self.dispute_panel.view)
        if row is None:
            return self.show_status(self.tr("Select a dispute in the list"), error=True)
        how = self.ask_text(self.tr("Resolve dispute"), self.tr("How was it settled?"))
        if how:
            fid = row["fid"]
            self.run_step(self.tr("Resolving the dispute"), lambda db: disputes.resolve(db, fid, how))

    # --- households -----------------------------------------------------------------------------
    def _household_code(self):
        return ((self.household or {}).get("cbf") or {}).get("CBFBM")

    def new_contractor(self):
        plot = (self.info or {}).get("plot") or {}
        fbf = (plot.get("DKBM") or self._household_code() or "")[:14]
        dialog = NewContractorDialog(self.db, fbf, parent=self)
        if dialog.exec_() != QDialog.Accepted:
            return
        v = dialog.values()
        fbfbm, kind = v.pop("fbfbm"), v.pop("cbflx")
        self.run_step(self.tr("Creating the contractor"),
                      lambda db: households.create_contractor(db, fbfbm, kind, **v),
                      after=lambda r: self.show_household(r.data["cbfbm"]))

    def _member_dialog(self, member=None):
        hh = self.household
        heads = [m for m in hh["members"] if m["IS_HEAD"]]
        return MemberDialog("%s %s" % (hh["cbf"]["CBFBM"], hh["cbf"].get("CBFMC") or ""), member,
                            head_exists=bool(heads), survey_date=parse_date(hh["cbf"].get("CBFDCRQ")),
                            parent=self)

    def add_member(self):
        code = self._household_code()
        if not code:
            return
        dialog = self._member_dialog()
        if dialog.exec_() == QDialog.Accepted:
            v = dialog.values()
            self.run_step(self.tr("Adding the member"), lambda db: households.add_member(db, code, v))

    def edit_member(self):
        member = selected_row(self.household_panel.member_view)
        if member is None:
            return self.show_status(self.tr("Select a member in the list"), error=True)
        dialog = self._member_dialog(member)
        if dialog.exec_() == QDialog.Accepted:
            v, fid = dialog.values(), member["FID"]
            self.run_step(self.tr("Saving the member"), lambda db: households.edit_member(db, fid, v))

    def remove_member(self):
        member = selected_row(self.household_panel.member_view)
        if member is None:
            return self.show_status(self.tr("Select a member in the list"), error=True)
        if self.confirm(self.tr("Remove member {0}?").format(member["CYXM"])):
            fid = member["FID"]
            self.run_step(self.tr("Removing the member"), lambda db: households.remove_member(db, fid))

    def set_head(self):
        member = selected_row(self.household_panel.member_view)
        if member is None or member["IS_HEAD"]:
            return self.show_status(self.tr("Select a member who is not the head"), error=True)
        items = ["%s %s" % (c, n) for c, n in codelists.CODE_LISTS["GB4761"].items()
                 if c not in codelists.HEAD_RELATIONS]
        choice = self.ask_item(self.tr("Set as head"),
                               self.tr("Relation of the former head to {0}").format(member["CYXM"]), items)
        if choice:
            fid, rel = member["FID"], choice.split()[0]
            self.run_step(self.tr("Changing the head"), lambda db: households.set_head(db, fid, rel))

    # --- history --------------------------------------------------------------------------------
    def step_history(self, forward):
        step = (history.redoable if forward else history.undoable)(self.db) if self.db else None
        if step is None:
            return
        batch = step.batch
        job = (lambda db: history.redo(db, batch)) if forward else (lambda db: history.undo(db, batch))
        self.run_step(self.tr("Redo") if forward else self.tr("Undo"), job)
