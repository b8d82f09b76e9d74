"""A self-check (whole township, units, or named plots) as a background QgsTask.

The task opens its own connection to the township database: sqlite3
connections belong to the thread that made them. Results are stored with
checks.persistence.store_run before the task reports success.
"""
import traceback

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from .check_error_layer import write_layer_file


class CheckTask(QgsTask):
    done = pyqtSignal(bool)

    def __init__(self, description, db_path, rules=None, scope=None, plot_keys=None,
                 box=None, neighbours=False, parameters=None, layer_path=None):
        """scope: unit code prefixes; plot_keys: DKBM list (with neighbours: also the units of
        the plots next to them); box: (minx, miny, maxx, maxy) in the database CRS. Plots and
        boxes are checked as the 发包方 units that hold them (checks.recheck). layer_path: also
        write the error layer file there, off the main thread."""
        super().__init__(description, QgsTask.CanCancel)
        self.db_path = db_path
        self.rules = list(rules) if rules else None
        self.scope = list(scope) if scope else None
        self.plot_keys = list(plot_keys) if plot_keys is not None else None
        self.box = tuple(box) if box is not None else None
        self.neighbours = neighbours
        self.parameters = parameters
        self.layer_path = layer_path
        self.records = None       # the whole register after the run (checks.error_records)
        self.latest_run = None
        self.result = None
        self.summary = None
        self.error = ""
        self.canceled_by_user = False

    def run(self):
        from ..checks.context import Cancelled, CheckContext, Feedback
        from ..checks.engine import run_checks
        from ..checks import error_records, recheck
        from ..core.township_db import TownshipDB
        try:
            from ..checks.persistence import store_run
        except ImportError:
            self.error = "缺少检查结果存储模块（checks/persistence.py），无法保存检查结果"
            return False
        feedback = Feedback(progress=lambda p: self.setProgress(min(95.0, p * 0.95)),
                            is_canceled=self.isCanceled)
        try:
            with TownshipDB(self.db_path) as db:
                if self.box is not None or self.plot_keys is not None:
                    keys = list(self.plot_keys or [])
                    if self.box is not None:
                        keys += recheck.keys_in_box(db, self.box)
                    if not keys:
                        self.error = "范围内没有地块"
                        return False
                    result = recheck.run_for_plots(db, keys, self.rules, feedback, self.parameters,
                                                   neighbours=self.neighbours,
                                                   data_source=self.db_path)
                else:
                    ctx = CheckContext(db, self.parameters, scope=self.scope, feedback=feedback)
                    result = run_checks(ctx, self.rules, data_source=self.db_path)
                feedback.check()
                self.summary = store_run(db, result)
                self.result = result
                # what the dock shows next, read here so that the map and list swap at once
                self.records = error_records.load_records(db)
                self.latest_run = error_records.latest_run(db)
                if self.layer_path:
                    write_layer_file(self.layer_path, self.records, db.epsg("DK") if db.has("DK") else None)
            self.setProgress(100.0)
            return True
        except Cancelled:
            self.canceled_by_user = True
            return False
        except Exception as exc:  # noqa: BLE001 (reported to the user, never crashes QGIS)
            self.error = "%s\n%s" % (exc, traceback.format_exc())
            return False

    def finished(self, ok):
        self.done.emit(bool(ok))
