"""The "run self-check" part of the results dock: rules, scope, run/cancel, progress.

Owns the background CheckTask; the dock only learns when a run has ended.
"""
from qgis.core import QgsApplication
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QProgressBar,
                                 QPushButton, QVBoxLayout)

from ..checks import recheck, registry
from .check_rule_tree import CheckRuleTree
from .check_task import CheckTask

SCOPES = (("township", "Whole township"), ("unit", "One village or group"),
          ("selection", "Groups of the selected plots"), ("extent", "Groups in the map extent"))


class CheckRunPanel(QgsCollapsibleGroupBox):
    runStarted = pyqtSignal()  # noqa: N815 (Qt naming)
    runFinished = pyqtSignal(bool, str)  # noqa: N815  ok, message for the user

    def __init__(self, selected_keys, canvas_box, parent=None):
        """selected_keys() -> DKBM of the selected plots; canvas_box() -> map extent in the db CRS."""
        super().__init__(parent)
        self.setTitle(self.tr("Run self-check"))
        self._selected_keys, self._canvas_box = selected_keys, canvas_box
        self.db_path = ""
        self.task = None
        self.last_outcome = None   # plain values: QGIS deletes a finished task soon after
        self.layer_path_factory = None   # () -> path for the error layer file, or None
        self._queued_keys = set()
        lay = QVBoxLayout(self)
        self.rule_tree = CheckRuleTree(registry.implemented())
        self.rule_tree.setMinimumHeight(110)
        self.rule_tree.setMaximumHeight(170)
        lay.addWidget(self.rule_tree)
        row = QHBoxLayout()
        self.scope_combo = QComboBox()
        for key, label in SCOPES:
            self.scope_combo.addItem(self.tr(label), key)
        self.unit_combo = QComboBox()
        self.unit_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.setMinimumContentsLength(10)
        self.unit_combo.setEnabled(False)
        self.scope_combo.currentIndexChanged.connect(
            lambda *_: self.unit_combo.setEnabled(self.scope_combo.currentData() == "unit"))
        row.addWidget(QLabel(self.tr("Scope")))
        row.addWidget(self.scope_combo)
        row.addWidget(self.unit_combo, 1)
        lay.addLayout(row)
        row = QHBoxLayout()
        self.run_btn = QPushButton(QgsApplication.getThemeIcon("/mActionStart.svg"), self.tr("Run check"))
        self.run_btn.clicked.connect(lambda *_: self.start())
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        row.addWidget(self.run_btn)
        row.addWidget(self.cancel_btn)
        row.addWidget(self.progress, 1)
        lay.addLayout(row)
        self.auto_recheck = QCheckBox(self.tr("Re-check edited plots when edits are saved"))
        self.auto_recheck.setChecked(True)
        lay.addWidget(self.auto_recheck)
        self._update()

    def set_database(self, path, names):
        """names: unit code -> name (villages 12 digits, groups 14 digits)."""
        self.db_path = path
        self.unit_combo.clear()
        for code in sorted(c for c in names if len(c) in (12, 14)):
            indent = "    " if len(code) == 14 else ""
            self.unit_combo.addItem("%s%s %s" % (indent, code, names[code]), code)

    def is_running(self):
        return self.task is not None

    def _update(self):
        self.run_btn.setEnabled(self.task is None)
        self.cancel_btn.setEnabled(self.task is not None)

    def start(self, rules=None, scope_kind=None, unit=None):
        """Start a run with the chosen rules and scope; returns the task or a refusal text."""
        if self.task is not None:
            return self.tr("A check is already running.")
        if not self.db_path:
            return self.tr("Choose the township database first.")
        rules = list(rules) if rules is not None else self.rule_tree.checked_rules()
        if not rules:
            return self.tr("Choose at least one rule.")
        kind = scope_kind or self.scope_combo.currentData()
        kwargs = {}
        if kind == "unit":
            unit = unit or self.unit_combo.currentData()
            if not unit:
                return self.tr("Choose a village or group.")
            kwargs["scope"] = [unit]
        elif kind == "selection":
            keys = self._selected_keys()
            if not keys:
                return self.tr("Select plots in the DK layer first.")
            kwargs["plot_keys"] = keys
        elif kind == "extent":
            kwargs["box"] = self._canvas_box()
        return self.launch(self.tr("Self-check"), rules, **kwargs)

    def recheck_plots(self, keys, rules=None):
        """The plot rules on the groups of these plots and of their neighbours; queued while a
        run is busy."""
        if not self.db_path or not keys:
            return None
        if self.task is not None:
            self._queued_keys |= set(keys)
            return None
        implemented = set(registry.implemented())
        rules = [r for r in (rules or recheck.PLOT_RULES) if r in implemented]
        return self.launch(self.tr("Re-check edited plots"), rules, plot_keys=list(keys),
                           neighbours=True)

    def launch(self, title, rules, **kwargs):
        if self.task is not None:
            return self.tr("A check is already running.")
        if self.layer_path_factory is not None:
            kwargs.setdefault("layer_path", self.layer_path_factory())
        self.task = CheckTask(title, self.db_path, rules, **kwargs)
        self.task.progressChanged.connect(lambda p: self.progress.setValue(int(p)))
        self.task.done.connect(self._done)
        self.progress.setValue(0)
        self._update()
        self.runStarted.emit()
        QgsApplication.taskManager().addTask(self.task)
        return self.task

    def cancel(self):
        if self.task is not None:
            self.task.cancel()

    def _done(self, ok):
        task, self.task = self.task, None
        canceled = not ok and (task.canceled_by_user or task.isCanceled())
        if ok and task.result is not None:
            found = task.result.findings
            errors = sum(1 for f in found if f.severity == "E")
            message = self.tr("Check finished: {0} errors, {1} warnings found.").format(
                errors, len(found) - errors)
        elif canceled:
            message = self.tr("Check cancelled; nothing was stored.")
        else:
            message = self.tr("Check failed: {0}").format(
                task.error.splitlines()[0] if task.error else "")
        self.last_outcome = {"ok": bool(ok), "canceled": canceled, "message": message,
                             "result": task.result, "summary": task.summary, "error": task.error,
                             "records": task.records, "latest_run": task.latest_run,
                             "layer_path": task.layer_path if ok else None}
        self.progress.setValue(100 if ok else 0)
        self._update()
        self.runFinished.emit(bool(ok), message)
        if self._queued_keys:
            keys, self._queued_keys = sorted(self._queued_keys), set()
            self.recheck_plots(keys)

    def shutdown(self):
        self._queued_keys = set()
        if self.task is not None:
            self.task.cancel()
