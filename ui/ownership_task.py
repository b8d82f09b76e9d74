"""One ownership edit run as a QgsTask: its own database connection in the worker thread."""
from qgis.core import QgsTask
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.township_db import TownshipDB


class TaskSignals(QObject):
    done = pyqtSignal(object)       # EditResult (or whatever the job returned)
    failed = pyqtSignal(str)        # Chinese message from the core
    cancelled = pyqtSignal()


class EditTask(QgsTask):
    """Runs job(db) on the township database; the job is one transaction (all or nothing)."""

    def __init__(self, description, path, job):
        super().__init__(description, QgsTask.CanCancel)
        self.path = path
        self.job = job
        self.result = None
        self.error = None
        self.signals = TaskSignals()

    def run(self):
        if self.isCanceled():
            return False
        self.setProgress(10)
        try:
            with TownshipDB(self.path) as db:
                db.conn.execute("PRAGMA busy_timeout=10000")   # QGIS may hold a short read lock
                self.result = self.job(db)
        except Exception as exc:  # noqa: BLE001 (shown to the user; the transaction was rolled back)
            self.error = str(exc) or exc.__class__.__name__
            return False
        self.setProgress(100)
        return True

    def finished(self, ok):
        if ok:
            self.signals.done.emit(self.result)
        elif self.error is not None:
            self.signals.failed.emit(self.error)
        else:
            self.signals.cancelled.emit()
