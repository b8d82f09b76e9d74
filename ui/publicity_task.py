"""The publicity job as a background QgsTask plus main-thread drawing of the 公示图.

The task reads the database, writes tables and household documents and plans
the sheets; each planned sheet is drawn in the main thread as soon as it is
ready (print layouts with labels are rendered in the GUI thread), one sheet per
timer tick, so QGIS stays responsive and the two run side by side.
"""
import traceback

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..checks.context import Cancelled, Feedback


class PublicityTask(QgsTask):
    def __init__(self, job, description):
        super().__init__(description, QgsTask.CanCancel)
        self.job = job
        self.error = ""

    def run(self):
        self.job.fb = Feedback(progress=self.setProgress, is_canceled=self.isCanceled)
        try:
            self.job.prepare()
            return True
        except Cancelled:
            return False
        except Exception as exc:  # noqa: BLE001 (reported in the dock, never crashes QGIS)
            self.error = "%s\n%s" % (exc, traceback.format_exc(limit=3))
            return False


class PublicityRunner(QObject):
    """Runs one job: the task in the background, sheet drawing on a main-thread timer."""
    progress = pyqtSignal(float, str)
    finished = pyqtSignal(object, str)       # JobReport, error text ('' when fine)

    def __init__(self, job, parent=None):
        super().__init__(parent)
        self.job = job
        self.task = PublicityTask(job, "公示文件 %s" % job.req.out_dir)
        self.timer = QTimer(self)
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._tick)
        self.done = 0
        self.canceled = False
        self._ended = False
        self._task_over = False
        self.error = ""
        self.task.taskCompleted.connect(self._task_ended)
        self.task.taskTerminated.connect(self._task_ended)

    def start(self):
        QgsApplication.taskManager().addTask(self.task)
        self.timer.start()

    def cancel(self):
        self.canceled = True
        try:
            self.task.cancel()
        except RuntimeError:       # the task object is already gone
            pass

    def task_error(self) -> str:
        try:
            return self.task.error
        except RuntimeError:
            return ""

    def running(self) -> bool:
        return not self._ended

    def _task_ended(self):
        self._task_over = True
        self.error = self.task.error      # the task object may be deleted after this

    def _tick(self):
        if self._ended:
            return
        if self.canceled:
            self._end(self.job.finish(), "已取消")
            return
        try:
            um = self.job.next_map(block=False)
        except Cancelled:
            self._end(self.job.finish(), "已取消")
            return
        except Exception as exc:  # noqa: BLE001 (the task's error is shown below)
            self._end(self.job.finish(), self.error or self.task_error() or str(exc))
            return
        from ..export.publicity.jobs import _DONE
        if um is _DONE:
            self._end(self.job.finish(), self.error or self.task_error())
            return
        if um is None:
            if self._task_over and self.job.map_queue.empty():
                # the task ended without its end marker (terminated before it started)
                self._end(self.job.finish(), self.error or ("已取消" if self.canceled else ""))
                return
            self._report()
            return
        try:
            self.job.render(um)
        except Exception as exc:  # noqa: BLE001
            self._end(self.job.finish(), "公示图 %s：%s" % (um.unit.code, exc))
            return
        self.done += 1
        self._report("公示图 %s" % um.unit.short_name)

    def _report(self, text=""):
        maps = self.job.map_total
        try:
            task = self.task.progress() if not self._task_over else 100.0
        except RuntimeError:
            task = 100.0
        pct = task if not maps else 0.5 * task + 50.0 * self.done / maps
        self.progress.emit(min(99.0, pct), text)

    def _end(self, report, error):
        self._ended = True
        self.timer.stop()
        self.finished.emit(report, error or "")
