"""检查结果 dock: run the self-check, browse and filter the errors, zoom, accept, re-check.

Only a view: rules run in checks/ (as a QgsTask), states live in qq_error
(checks.persistence), records come from checks.error_records.
"""
import html
import os

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QDate, Qt, QTimer
from qgis.PyQt.QtWidgets import QAbstractItemView, QFileDialog, QLabel, QTableView, QVBoxLayout, QWidget

from ..checks import error_records, recheck
from ..core.township_db import DatabaseError, TownshipDB
from .check_accept_dialog import CheckAcceptDialog, default_reviewer
from .check_action_bar import CheckActionBar
from .check_edit_watch import PlotEditWatcher
from .check_error_layer import CheckErrorLayers, new_layer_path
from .check_filter_bar import CheckFilterBar
from .check_map_link import CheckMapLink
from .check_results_filter import CheckResultsFilter
from .check_results_model import CheckResultsModel
from .check_run_panel import CheckRunPanel
from .database_picker import DatabasePicker


class ChecksDock(QgsDockWidget):
    TITLE = "Check results"
    OBJECT_NAME = "QueQuanChecksDock"
    ICON = "checks_dock.svg"

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.setWindowTitle(self.tr(self.TITLE))
        self.setObjectName(self.OBJECT_NAME)
        self.db_path = ""
        self.last_message = ""
        self.map = CheckMapLink(self.canvas)
        self.error_layers = CheckErrorLayers()
        self.watcher = PlotEditWatcher(parent=self)
        self.watcher.plotsCommitted.connect(self.plots_edited)
        self.model = CheckResultsModel(self)
        self.proxy = CheckResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._extent_timer = QTimer(self, singleShot=True, interval=250)
        self._extent_timer.timeout.connect(self._apply_filters)
        self.canvas.extentsChanged.connect(self._extent_changed)
        QgsProject.instance().layersAdded.connect(self._layers_changed)
        QgsProject.instance().layersRemoved.connect(self._layers_changed)
        self.detect_database()

    # --- building ----------------------------------------------------------
    def _build(self):
        w = QWidget()
        lay = QVBoxLayout(w)
        self.picker = DatabasePicker(self.iface)
        self.picker.chosen.connect(self.set_database)
        self.refresh_btn = self.picker.add_tool("/mActionRefresh.svg", self.tr("Read the stored errors again"),
                                                lambda: self.reload(layers=True))
        lay.addWidget(self.picker)
        self.run_panel = CheckRunPanel(self.map.selected_keys, self.map.canvas_box)
        self.run_panel.runStarted.connect(self._run_started)
        self.run_panel.runFinished.connect(self._run_finished)
        self.run_panel.layer_path_factory = lambda: (
            new_layer_path(self.db_path) if self.layer_btn.isChecked() else None)
        lay.addWidget(self.run_panel)
        self.filters = CheckFilterBar()
        self.filters.changed.connect(self._apply_filters)
        lay.addWidget(self.filters)
        self.counts_label = QLabel()
        lay.addWidget(self.counts_label)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        # the register's own order (village, group, rule, code) until a header is clicked
        self.table.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setMinimumHeight(160)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in ((0, 48), (1, 44), (2, 56), (3, 165), (4, 360)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        lay.addWidget(self.table, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.detail)
        self.action_bar = CheckActionBar(self)
        for signal, slot in ((self.action_bar.previousRequested, self.previous_error),
                             (self.action_bar.nextRequested, self.next_error),
                             (self.action_bar.verifyRequested, self.verify_current),
                             (self.action_bar.acceptRequested, self.accept_current),
                             (self.action_bar.withdrawRequested, self.withdraw_current),
                             (self.action_bar.exportRequested, self.export_xlsx),
                             (self.action_bar.layerToggled, self.toggle_error_layer)):
            signal.connect(lambda *_, f=slot: f())
        # the buttons by name, for keyboard-free use and tests
        self.accept_btn, self.withdraw_btn = self.action_bar.accept_btn, self.action_bar.withdraw_btn
        self.layer_btn, self.verify_btn = self.action_bar.layer_btn, self.action_bar.verify_btn
        lay.addWidget(self.action_bar)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.setWidget(w)
        self._update_buttons()
        self._update_counts()

    # --- database -------------------------------------------------------------
    def browse_database(self):
        self.picker.browse()

    def dk_layer(self):
        return self.map.dk_layer()

    def detect_database(self):
        """Take the database of the active (or any) loaded DK layer."""
        return self.picker.detect()

    def set_database(self, path):
        path = (path or "").strip()
        if path and os.path.abspath(path) == os.path.abspath(self.db_path or "-"):
            return
        self.db_path = path
        self.picker.set_path(path)
        epsg = None
        if path:
            try:
                with TownshipDB(path, readonly=True) as db:
                    epsg = db.epsg("DK") if db.has("DK") else None
                    names = error_records.unit_names(db)
            except DatabaseError as exc:
                self._message(str(exc), Qgis.Warning)
                self.db_path = ""
                return
            self.run_panel.set_database(path, names)
        self.map.set_database(self.db_path, epsg)
        self._layers_changed()
        self.reload(layers=True)
        if self.model.rowCount():
            self.run_panel.setCollapsed(True)   # results to browse: the list gets the room

    def _layers_changed(self, *_):
        self.watcher.watch(self.dk_layer())

    # --- running ----------------------------------------------------------------
    def is_running(self):
        return self.run_panel.is_running()

    def start_check(self, rules=None, scope_kind=None, unit=None):
        """Start a run in the background; returns the task (None when refused)."""
        return self._started(self.run_panel.start(rules, scope_kind, unit))

    def recheck_plots(self, keys, rules=None):
        return self._started(self.run_panel.recheck_plots(keys, rules))

    def _started(self, outcome):
        if isinstance(outcome, str):
            self._message(outcome, Qgis.Warning)
            return None
        return outcome

    def _run_started(self):
        self.status.setText(self.tr("Checking…"))
        self._update_buttons()

    def _run_finished(self, ok, message):
        if ok:
            self.run_panel.setCollapsed(True)   # room for the list
        self.last_message = message
        if not ok and not self.run_panel.last_outcome["canceled"]:
            self._message(message, Qgis.Critical)
        outcome = self.run_panel.last_outcome
        if not ok or outcome["records"] is None:
            self.reload()
            return
        # the task has read the register and written the error layer: only swap them in
        self._set_records(outcome["records"], outcome["latest_run"])
        if outcome["layer_path"] and self.layer_btn.isChecked():
            self.error_layers.load(outcome["layer_path"])

    def plots_edited(self, keys):
        if self.run_panel.auto_recheck.isChecked():
            self.recheck_plots(keys)

    # --- records ----------------------------------------------------------------
    def reload(self, layers=False):
        """Read the error register again, keeping the current error selected when it still shows;
        layers: also rewrite the error layer (after a run; a state change does not alter it)."""
        records, run = [], None
        if self.db_path and os.path.exists(self.db_path):
            with TownshipDB(self.db_path) as db:
                records = error_records.load_records(db)
                run = error_records.latest_run(db)
        self._set_records(records, run)
        if layers and self.layer_btn.isChecked():
            self.show_error_layer()

    def _set_records(self, records, run):
        current = self.current_record()
        row = self.table.currentIndex().row()
        self.model.set_records(records)
        villages, groups = error_records.units_of(records)
        self.filters.set_choices({r.rule for r in records}, villages, groups)
        self._apply_filters()
        self._show_run(run)
        if current is not None:
            self._reselect(current, row)
        self._update_buttons()
        self._show_detail(self.current_record())

    def _show_run(self, run):
        text = self.last_message
        if run:
            text = (text + " " if text else "") + self.tr("Latest run: {0}, scope {1}.").format(
                (run.get("started") or "").replace("T", " "), self._scope_text(run.get("scope")))
        self.status.setText(text)

    def _scope_text(self, scope):
        parts = [p for p in str(scope or "").split(",") if p]
        if len(parts) > 3:
            return self.tr("{0} plots").format(len(parts))
        return "、".join(parts) or "-"

    def _reselect(self, record, row):
        src = self.model.row_of(record.fingerprint or record.error_id)
        idx = self.proxy.mapFromSource(self.model.index(src, 0)) if src >= 0 else None
        if idx is None or not idx.isValid():
            if self.proxy.rowCount() == 0:
                return
            idx = self.proxy.index(min(max(row, 0), self.proxy.rowCount() - 1), 0)
        self.table.setCurrentIndex(idx)

    def _apply_filters(self, *_):
        values = self.filters.values()
        values["extent"] = self.map.canvas_box() if self.filters.in_extent.isChecked() else None
        self.proxy.set_filters(**values)
        self._update_counts()

    def _extent_changed(self):
        if self.filters.in_extent.isChecked():
            self._extent_timer.start()

    def _update_counts(self):
        shown, total, errors, warnings = self.proxy.counts()
        self.counts_label.setText(self.tr("Showing {0} / {1} in total; {2} errors, {3} warnings")
                                  .format(shown, total, errors, warnings))

    def current_record(self):
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.model.record(self.proxy.mapToSource(idx).row())

    # --- browsing -----------------------------------------------------------------
    def select_row(self, row):
        if 0 <= row < self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(row, 0))
            self.table.scrollTo(self.proxy.index(row, 0))

    def next_error(self):
        self.select_row(self.table.currentIndex().row() + 1 if self.table.currentIndex().isValid() else 0)

    def previous_error(self):
        self.select_row(self.table.currentIndex().row() - 1)

    def _current_changed(self, *_):
        rec = self.current_record()
        self._update_buttons()
        self._show_detail(rec)
        if rec is not None:
            self.map.show(rec)
            # after the detail line has taken its height, or the row may end up hidden
            QTimer.singleShot(0, lambda: self.table.scrollTo(self.table.currentIndex()))

    def _show_detail(self, rec):
        """The full message of the current error (the table cuts it), and why it was accepted."""
        if rec is None:
            self.detail.clear()
            return
        text = "<b>%s %s</b>（%s，%s）<br>%s" % (rec.rule, html.escape(rec.rule_title), rec.severity_text,
                                                rec.state_text, html.escape(rec.message))
        if rec.reason:
            text += "<br>" + html.escape(self.tr("Reason: {0} ({1}, {2})").format(
                rec.reason, rec.state_by, rec.state_at.replace("T", " ")))
        self.detail.setText(text)

    # --- states -----------------------------------------------------------------
    def _update_buttons(self):
        self.action_bar.follow(self.current_record(), self.proxy.rowCount() > 0,
                            self.run_panel.is_running())

    def accept_current(self, reason=None, who=None):
        """Accept the current error (asks for the reason when none is given)."""
        rec = self.current_record()
        if rec is None or not rec.acceptable or rec.state != "open":
            return False
        if reason is None:
            answer = CheckAcceptDialog.ask(rec, self)
            if answer is None:
                return False
            reason, who = answer
        return self._change_state(error_records.accept_record, rec, reason, who or default_reviewer())

    def withdraw_current(self, who=None):
        rec = self.current_record()
        if rec is None or rec.state != "accepted":
            return False
        return self._change_state(error_records.withdraw_record, rec, who or default_reviewer())

    def _change_state(self, func, rec, *args):
        row = self.table.currentIndex().row()
        try:
            with TownshipDB(self.db_path) as db:
                func(db, rec, *args)
                new = error_records.load_record(db, rec.fingerprint or rec.error_id)
        except (ValueError, DatabaseError) as exc:
            self._message(str(exc), Qgis.Warning)
            return False
        if new is None or not self.model.replace_record(new):
            self.reload()
            return True
        # only this row changed: the list keeps its place; the next error follows when the
        # state filter now hides this one
        self.proxy.invalidateFilter()
        self._update_counts()
        self._reselect(new, row)
        self._update_buttons()
        self._show_detail(self.current_record())
        return True

    def verify_current(self):
        rec = self.current_record()
        if rec is None or self.run_panel.is_running():
            return None
        if rec.plot_keys and rec.rule in recheck.PLOT_RULES:
            return self.recheck_plots(rec.plot_keys)
        scope = [rec.unit_code] if rec.unit_code else None
        return self._started(self.run_panel.launch(self.tr("Re-check"), [rec.rule], scope=scope))

    # --- map layer and export -----------------------------------------------------
    def toggle_error_layer(self):
        if self.layer_btn.isChecked():
            self.show_error_layer()
        else:
            self.error_layers.remove()

    def show_error_layer(self):
        if not self.db_path:
            return None
        self.layer_btn.setChecked(True)
        return self.error_layers.show(self.model.records(), self.db_path, self.map.epsg)

    def remove_error_layer(self):
        self.layer_btn.setChecked(False)
        self.error_layers.remove()

    def export_xlsx(self, path=None):
        from ..export.check_list import write_check_list
        records = self.proxy.shown_records()
        if path is None:
            base = os.path.splitext(os.path.basename(self.db_path or "township"))[0]
            default = os.path.join(os.path.dirname(self.db_path or ""), "检查结果_%s_%s.xlsx" % (
                base, QDate.currentDate().toString("yyyyMMdd")))
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export list"), default, "Excel (*.xlsx)")
            if not path:
                return None
        write_check_list(path, records)
        self._message(self.tr("{0} records exported to {1}").format(len(records), path), Qgis.Info)
        return path

    def _message(self, text, level=Qgis.Info):
        self.iface.messageBar().pushMessage(self.tr("Check results"), text, level, 6)

    def shutdown(self):
        self.run_panel.shutdown()
        self.watcher.unwatch()
        self.map.clear()
        self.error_layers.shutdown()
        for signal, slot in ((self.canvas.extentsChanged, self._extent_changed),
                             (QgsProject.instance().layersAdded, self._layers_changed),
                             (QgsProject.instance().layersRemoved, self._layers_changed)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass


DOCKS = [ChecksDock]
