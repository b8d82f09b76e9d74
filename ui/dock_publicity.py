"""公示 dock: choose groups, round and documents, see each group's preconditions, override
with a reason, and write the publicity documents and maps in the background.

Only a view: documents come from export/publicity (PublicityJob), the stage
(preconditions, overrides) from core/publicity/stage.
"""

from qgis.core import Qgis, QgsProject
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                                 QProgressBar, QPushButton, QScrollArea, QTreeView, QVBoxLayout, QWidget)

from ..core.publicity import stage
from ..core.publicity.settings import load_settings, save_settings
from ..core.publicity.units import list_units, village_tree
from ..core.township_db import DatabaseError, TownshipDB
from .check_map_link import loaded_dk_databases
from .database_picker import DatabasePicker
from .publicity_options import PublicityOptions
from .publicity_units_model import CODE_ROLE, PublicityUnitsModel


class PublicityDock(QgsDockWidget):
    TITLE = "Publicity"
    OBJECT_NAME = "QueQuanPublicityDock"
    ICON = "publicity_dock.svg"

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setWindowTitle(self.tr(self.TITLE))
        self.setObjectName(self.OBJECT_NAME)
        self.db_path = ""
        self.runner = None
        self.last_report = None
        self.last_error = ""
        self.conditions = {}
        self.open_folder = lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        self.model = PublicityUnitsModel(self)
        self._build()
        QgsProject.instance().layersAdded.connect(self._layers_added)
        self.detect_database()

    # --- building ------------------------------------------------------------------
    def _build(self):
        inner = QWidget()
        lay = QVBoxLayout(inner)
        self.picker = DatabasePicker(self.iface)
        self.picker.chosen.connect(self.set_database)
        lay.addWidget(self.picker)

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.setMinimumHeight(180)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show_details())
        lay.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.all_btn = self._button(buttons, self.tr("All"), lambda: self.model.set_all(True))
        self.none_btn = self._button(buttons, self.tr("None"), lambda: self.model.set_all(False))
        self.check_btn = self._button(buttons, self.tr("Check conditions"), self.refresh_conditions)
        self.override_btn = self._button(buttons, self.tr("Override…"), self.override_selected)
        self.withdraw_btn = self._button(buttons, self.tr("Withdraw override"), self.withdraw_selected)
        self.records_btn = self._button(buttons, self.tr("Records…"), self.open_records)
        self.records_btn.setToolTip(self.tr("Rounds and objections of the selected unit"))
        lay.addLayout(buttons)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.details)

        box = QgsCollapsibleGroupBox(self.tr("Documents and options"))
        box_lay = QVBoxLayout(box)
        self.options = PublicityOptions()
        self.options.round_combo.currentIndexChanged.connect(lambda *_: self.refresh_conditions())
        box_lay.addWidget(self.options)
        lay.addWidget(box)

        run = QHBoxLayout()
        self.run_btn = self._button(run, self.tr("Create documents"), self.start)
        self.cancel_btn = self._button(run, self.tr("Cancel"), self.cancel)
        self.cancel_btn.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        run.addWidget(self.progress, 1)
        lay.addLayout(run)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.setWidget(scroll)

    def _button(self, row, text, slot):
        b = QPushButton(text)
        b.clicked.connect(lambda *_: slot())
        row.addWidget(b)
        return b

    # --- database ------------------------------------------------------------------
    def browse_database(self):
        self.picker.browse()

    def detect_database(self):
        return self.picker.detect()

    def _layers_added(self, layers):
        if not self.db_path:
            paths = loaded_dk_databases(layers)
            if paths:
                self.set_database(paths[0])

    def set_database(self, path):
        path = (path or "").strip()
        self.picker.set_path(path)
        if not path:
            return
        try:
            with TownshipDB(path) as db:
                units = list_units(db)
                settings = load_settings(db)
        except DatabaseError as exc:
            self._say(str(exc), error=True)
            return
        self.db_path = path
        self.model.set_units(village_tree(units))
        self.tree.expandAll()
        self.options.load(settings, path)
        self._say(self.tr("{0} units in the database").format(len(units)))
        self.refresh_conditions()

    # --- preconditions -------------------------------------------------------------
    def refresh_conditions(self):
        if not self.db_path:
            return
        round_no = self.options.round_no()
        with TownshipDB(self.db_path) as db:
            stage.ensure_stage_tables(db)
            self.conditions = {c: stage.check_preconditions(db, c, round_no) for c in self.model.unit_codes()}
        for code, pre in self.conditions.items():
            self.model.set_conditions(code, pre)
        self._show_details()

    def selected_code(self):
        idx = self.tree.currentIndex()
        if not idx.isValid():
            return None
        code = self.model.itemFromIndex(idx.sibling(idx.row(), 0)).data(CODE_ROLE)
        return code if code and len(code) == 14 else None

    def select_unit(self, code):
        idx = self.model.index_of(code)
        if idx is not None:
            self.tree.setCurrentIndex(idx)

    def _show_details(self):
        code = self.selected_code()
        pre = self.conditions.get(code)
        self.details.setText("%s：%s" % (code, pre.summary) if pre else "")
        self.override_btn.setEnabled(bool(pre and pre.blocking and not pre.override))
        self.withdraw_btn.setEnabled(bool(pre and pre.override))
        self.records_btn.setEnabled(bool(code))

    def ask_reason(self, code):
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("Override"), self.tr("Why may {0} be published anyway? (kept with your name "
                                               "and the time)").format(code))
        return text.strip() if ok else ""

    def override_selected(self, reason=None):
        code = self.selected_code()
        if not code:
            return False
        reason = reason if reason is not None else self.ask_reason(code)
        if not reason:
            return False
        try:
            with TownshipDB(self.db_path) as db:
                stage.record_override(db, code, self.options.round_no(), reason, self._who())
        except stage.StageError as exc:
            self._say(str(exc), error=True)
            return False
        self.refresh_conditions()
        return True

    def withdraw_selected(self):
        code = self.selected_code()
        if code:
            with TownshipDB(self.db_path) as db:
                stage.clear_override(db, code, self.options.round_no(), self._who())
            self.refresh_conditions()

    def open_records(self, modal=True):
        """公示记录 of the selected unit (rounds, objections, CBF publicity fields)."""
        from .publicity_stage_dialog import PublicityStageDialog
        code = self.selected_code()
        if not code or not self.db_path:
            return None
        dialog = PublicityStageDialog(self.db_path, code, self.options.round_no(), self._who(), self)
        dialog.finished.connect(lambda *_: self.refresh_conditions())
        if modal:
            dialog.exec_()
        return dialog

    def _who(self):
        return self.options.reviewer_edit.text().strip() or stage.current_user()

    # --- running ------------------------------------------------------------------
    def start(self):
        """Write the documents of the checked units; returns the runner (None when refused)."""
        from ..export.publicity.fonts import pick_font
        from ..export.publicity.jobs import PublicityJob, PublicityRequest
        from .publicity_task import PublicityRunner
        if self.is_running():
            return None
        units, docs, out = self.model.checked_units(), self.options.documents(), self.options.folder()
        if not self.db_path or not units or not docs or not out:
            self._say(self.tr("Choose a database, at least one unit, one document and the output "
                              "folder."), error=True)
            return None
        self.refresh_conditions()
        blocked = [c for c in units if not self.conditions[c].allowed]
        with TownshipDB(self.db_path) as db:
            settings = self.options.apply(load_settings(db))
            save_settings(db, settings)
        start, end = self.options.period()
        if end < start:
            self._say(self.tr("The period ends before it starts."), error=True)
            return None
        req = PublicityRequest(self.db_path, out, docs, self.options.round_no(), units, start, end,
                               settings, pick_font(settings.fonts), self.options.merged_box.isChecked(),
                               self.options.png_box.isChecked(), user=self._who())
        self.runner = PublicityRunner(PublicityJob(req), self)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.run_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.progress.setValue(0)
        note = self.tr(" {0} blocked units are skipped.").format(len(blocked)) if blocked else ""
        self._say(self.tr("Creating documents for {0} units…").format(len(units) - len(blocked)) + note)
        self.runner.start()
        return self.runner

    def is_running(self):
        return self.runner is not None and self.runner.running()

    def cancel(self):
        if self.runner is not None:
            self.runner.cancel()

    def _progress(self, pct, text):
        self.progress.setValue(int(pct))
        if text:
            self.status.setText(text)

    def _finished(self, report, error):
        self.last_report, self.last_error = report, error
        self.run_btn.setEnabled(True)
        self.cancel_btn.setEnabled(False)
        self.progress.setValue(100 if not error else self.progress.value())
        skipped = len(report.skipped)
        text = self.tr("{0} files written to {1}.").format(len(report.files), self.options.folder())
        if skipped:
            text += self.tr(" Skipped (conditions not met): {0}.").format(", ".join(sorted(report.skipped)))
        if error:
            self._say(text + " " + error, error=True)
        else:
            self._say(text)
            self.iface.messageBar().pushMessage(self.tr("Publicity"), text, Qgis.Success, 8)
            if self.options.open_box.isChecked():
                self.open_folder(self.options.folder())
        self.refresh_conditions()

    def _say(self, text, error=False):
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828" if error else "")

    def shutdown(self):
        self.cancel()
        try:
            QgsProject.instance().layersAdded.disconnect(self._layers_added)
        except TypeError:
            pass


DOCKS = [PublicityDock]
