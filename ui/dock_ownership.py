"""地块权属 dock: who holds which plot, households, contracts, disputes; every edit undoable.

The dock is a view over core.ownership: it follows the DK layer selection (or a
search), shows the plot, its 承包方 with members, contract and register status,
and runs each edit as a QgsTask (one transaction with audit rows, validated
before commit). After an edit the QGIS layers of the database are reloaded.
"""
from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget,
                                 QListWidgetItem, QMessageBox, QProgressBar, QPushButton, QTabWidget,
                                 QVBoxLayout, QWidget)

from ..core.ownership import disputes, history, queries
from ..core.township_db import DatabaseError, TownshipDB
from .database_picker import DatabasePicker
from .ownership_actions import OwnershipActions
from .ownership_dispute_layer import DisputeLayer
from .ownership_highlight import PlotHighlighter
from .ownership_layers import find_dk_layer, load_dk_layer
from .ownership_panels import DisputePanel, HouseholdPanel, LogPanel, PlotPanel


class OwnershipDock(OwnershipActions, QgsDockWidget):
    TITLE = "Plot ownership"
    OBJECT_NAME = "QueQuanOwnershipDock"
    ICON = "ownership_dock.svg"

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Plot ownership"))
        self.iface, self.canvas = iface, iface.mapCanvas()
        self.path, self.db, self.dk_layer, self.task = None, None, None, None
        self.info, self.household = None, None
        self.highlighter = PlotHighlighter(self.canvas)
        self.dispute_layer = DisputeLayer(self.tr("Boundary disputes"))
        self._build()
        QgsProject.instance().layersAdded.connect(self._detect)
        self._detect()

    # --- layout ------------------------------------------------------------------------
    def _build(self):
        self.picker = DatabasePicker(self.iface)
        self.picker.chosen.connect(self.set_database)
        self.search = QLineEdit()
        self.search.setObjectName("searchEdit")
        self.search.setPlaceholderText(self.tr("Search plot code or name, contractor, member or ID number"))
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setMaximumHeight(110)
        self.results.hide()
        self.plot_panel, self.household_panel = PlotPanel(), HouseholdPanel()
        self.dispute_panel, self.log_panel = DisputePanel(), LogPanel()
        self.tabs = QTabWidget()
        for panel, title in ((self.plot_panel, self.tr("Plot")), (self.household_panel, self.tr("Household")),
                             (self.dispute_panel, self.tr("Disputes")), (self.log_panel, self.tr("Log"))):
            self.tabs.addTab(panel, title)
        self.undo_button, self.redo_button = QPushButton(self.tr("Undo")), QPushButton(self.tr("Redo"))
        self.undo_button.setObjectName("undoButton")
        self.redo_button.setObjectName("redoButton")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(120)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        bottom = QHBoxLayout()
        for w in (self.undo_button, self.redo_button, self.progress, self.cancel_button):
            bottom.addWidget(w)
        bottom.addStretch(1)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(self.picker)
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)
        lay.addWidget(self.status)
        self.setWidget(body)
        self._set_busy(False)
        self.search.textChanged.connect(self.run_search)
        self.results.itemClicked.connect(self.open_hit)
        p, h, d = self.plot_panel, self.household_panel, self.dispute_panel
        p.reassign.clicked.connect(self.reassign)
        p.unassign.clicked.connect(self.unassign)
        p.household.clicked.connect(lambda: self.tabs.setCurrentWidget(self.household_panel))
        p.assign_code.clicked.connect(self.assign_code)
        p.dispute.clicked.connect(self.new_dispute)
        h.new_contractor.clicked.connect(self.new_contractor)
        h.add_member.clicked.connect(self.add_member)
        h.edit_member.clicked.connect(self.edit_member)
        h.remove_member.clicked.connect(self.remove_member)
        h.set_head.clicked.connect(self.set_head)
        h.zoom.clicked.connect(self.zoom_household)
        d.new.clicked.connect(self.new_dispute)
        d.resolve.clicked.connect(self.resolve_dispute)
        d.filter.currentIndexChanged.connect(lambda _: self.refresh_disputes())
        d.show_layer.toggled.connect(lambda _: self.refresh_disputes())
        self.log_panel.scope.currentIndexChanged.connect(lambda _: self.refresh_log())
        self.undo_button.clicked.connect(lambda: self.step_history(False))
        self.redo_button.clicked.connect(lambda: self.step_history(True))
        self.cancel_button.clicked.connect(lambda: self.task.cancel() if self.task else None)

    # --- database and layers -------------------------------------------------------------
    def _detect(self, *_):
        if self.path is None:
            self.picker.detect()

    def choose_database(self):
        self.picker.browse()

    def set_database(self, path):
        try:
            db = TownshipDB(path)
        except DatabaseError as exc:
            return self.show_status(str(exc), error=True)
        self._close_db()
        self.path, self.db = path, db
        self.picker.set_path(path)
        self.dk_layer = find_dk_layer(path) or load_dk_layer(path, self.tr("DK plots"))
        if self.dk_layer is not None:
            self.dk_layer.selectionChanged.connect(self.on_selection)
            self.dk_layer.willBeDeleted.connect(self._layer_gone)
        self.refresh_all()

    def _layer_gone(self):
        self.dk_layer = None
        self.highlighter.clear()

    def _close_db(self):
        if self.dk_layer is not None:
            try:
                self.dk_layer.selectionChanged.disconnect(self.on_selection)
                self.dk_layer.willBeDeleted.disconnect(self._layer_gone)
            except (TypeError, RuntimeError):
                pass
        if self.db is not None:
            self.db.close()
        self.db = None

    # --- showing ------------------------------------------------------------------------
    def selected_fids(self):
        return sorted(self.dk_layer.selectedFeatureIds()) if self.dk_layer is not None else []

    def on_selection(self, *_):
        fids = self.selected_fids()
        if fids:
            self.show_plot(fid=fids[0])
        else:
            self.plot_panel.show_info(self.info, 0)

    def show_plot(self, dkbm=None, fid=None):
        if self.db is None:
            return
        self.info = queries.plot_info(self.db, dkbm, fid)
        self.plot_panel.show_info(self.info, len(self.selected_fids()))
        link = (self.info or {}).get("link")
        if link is not None:
            self.show_household(link["CBFBM"], switch=False)
        self.refresh_log()

    def show_household(self, cbfbm, switch=True):
        self.household = queries.household(self.db, cbfbm) if self.db is not None and cbfbm else None
        self.household_panel.show_household(self.household)
        fids = [p["DK_FID"] for p in (self.household or {}).get("plots", []) if p.get("DK_FID") is not None]
        self.highlighter.show(self.dk_layer, fids)
        if switch:
            self.tabs.setCurrentWidget(self.household_panel)
        self.refresh_log()

    def refresh_all(self):
        if self.db is None:
            return
        plot = (self.info or {}).get("plot")
        if plot is not None:
            self.show_plot(fid=plot["FID"])
        elif self.selected_fids():
            self.on_selection()
        if self.household is not None:
            self.show_household(self.household["cbf"]["CBFBM"], switch=False)
        self.refresh_disputes()
        self.refresh_log()
        self._update_history_buttons()

    def refresh_disputes(self):
        if self.db is None:
            return
        self.dispute_panel.show_rows(disputes.list_disputes(self.db, self.dispute_panel.filter.currentData()))
        if self.dispute_panel.show_layer.isChecked() and disputes.list_disputes(self.db):
            crs = self.dk_layer.crs() if self.dk_layer is not None else \
                QgsCoordinateReferenceSystem("EPSG:%s" % self.db.epsg())
            self.dispute_layer.update(self.db, crs)
        else:
            self.dispute_layer.remove()

    def refresh_log(self):
        if self.db is None:
            return
        scope = self.log_panel.scope.currentData()
        plot = (self.info or {}).get("plot") or {}
        if scope == "plot":
            rows = queries.audit_rows(self.db, dkbm=plot.get("DKBM") or "-") if plot.get("DKBM") else []
        elif scope == "household":
            code = (self.household or {}).get("cbf", {}).get("CBFBM")
            rows = queries.audit_rows(self.db, cbfbm=code) if code else []
        else:
            rows = queries.audit_rows(self.db)
        self.log_panel.show_rows(rows)

    def _update_history_buttons(self):
        undo = history.undoable(self.db) if self.db is not None else None
        redo = history.redoable(self.db) if self.db is not None else None
        for button, step, word in ((self.undo_button, undo, self.tr("Undo")),
                                   (self.redo_button, redo, self.tr("Redo"))):
            button.setEnabled(step is not None and self.task is None)
            button.setToolTip("%s: %s" % (word, step.label) if step else "")

    def show_status(self, text, error=False):
        self.status.setText(text)
        self.status.setStyleSheet("color: %s;" % ("#c62828" if error else "#1a7f37"))
        bar = self.iface.messageBar()
        # pushMessage, not pushWarning/pushSuccess: the message bar of the test iface has only it;
        # duration -1 = the level's default timeout (QGIS ≥ 3.18)
        bar.pushMessage("QueQuan", text.splitlines()[0] if text else "",
                        Qgis.Warning if error else Qgis.Success, -1)

    # --- search ------------------------------------------------------------------------------
    def run_search(self, text):
        self.results.clear()
        hits = queries.search(self.db, text) if self.db is not None and len(text.strip()) >= 2 else []
        for hit in hits:
            item = QListWidgetItem("%s  ·  %s" % (hit["title"], hit["detail"]))
            item.setData(Qt.UserRole, hit)
            self.results.addItem(item)
        self.results.setVisible(bool(hits))

    def open_hit(self, item):
        hit = item.data(Qt.UserRole)
        if hit["kind"] == "CBF":
            self.show_household(hit["key"])
            return
        fid = hit.get("fid")
        if self.dk_layer is not None and fid is not None:
            self.dk_layer.selectByIds([fid])
            self.zoom_to(self.dk_layer.boundingBoxOfSelected())
        else:
            self.show_plot(dkbm=hit["key"])
        self.tabs.setCurrentWidget(self.plot_panel)

    def zoom_to(self, extent):
        if extent.isEmpty() or self.dk_layer is None:
            return
        transform = QgsCoordinateTransform(self.dk_layer.crs(), self.canvas.mapSettings().destinationCrs(),
                                           QgsProject.instance())
        box = transform.transformBoundingBox(extent)
        box.scale(1.5)
        self.canvas.setExtent(box)
        self.canvas.refresh()

    def zoom_household(self):
        if self.dk_layer is not None and self.highlighter.fids:
            self.zoom_to(self.highlighter.show(self.dk_layer, list(self.highlighter.fids)))

    # --- questions (tests replace these) -------------------------------------------------------------
    def confirm(self, text):
        return QMessageBox.question(self, self.tr("Plot ownership"), text) == QMessageBox.Yes

    def ask_text(self, title, label):
        text, ok = QInputDialog.getMultiLineText(self, title, label)
        return text.strip() if ok else ""

    def ask_item(self, title, label, items):
        item, ok = QInputDialog.getItem(self, title, label, items, 0, False)
        return item if ok else ""

    # --- unload ---------------------------------------------------------------------------------
    def shutdown(self):
        """Called by the plugin on unload: stop the task, remove highlights, layer and signals."""
        if self.task is not None:
            self.task.cancel()
        try:
            QgsProject.instance().layersAdded.disconnect(self._detect)
        except (TypeError, RuntimeError):
            pass
        self.highlighter.clear()
        self.dispute_layer.remove()
        self._close_db()


DOCKS = [OwnershipDock]
