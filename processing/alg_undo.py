"""quequan:undobatch — undo one batch of the audit journal (qq_audit), whatever tool wrote it.

The base of every undo algorithm: quequan:areaundo and quequan:sizhiundo are this
algorithm limited to their own batches (alg_areas.py, alg_boundary.py).
"""
from qgis.core import (QgsProcessingOutputNumber, QgsProcessingOutputString,
                       QgsProcessingParameterBoolean, QgsProcessingParameterString)

from ..core import audit
from .base import QueQuanAlgorithm, database_parameter, database_path, fail, open_database


class UndoBatchAlgorithm(QueQuanAlgorithm):
    NAME = "undobatch"
    DISPLAY = "按批次撤销修改"
    GROUP_ID = "database"
    GROUP = "数据库"
    HELP = ("按批次号撤销 qq_audit 中记录的一次修改（面积调整、四至、承包方与家庭成员的编辑、撤销本身等）："
            "该批次改过的每个值恢复为原值，新增的记录删除，删除的记录原样恢复（撤销前自动备份，撤销本身也记入"
            " qq_audit，可再撤销）。之后又被修改过的值或记录视为冲突，默认不撤销；勾选“强制”则全部恢复。"
            "整体替换图层的批次（生成界址点线）没有逐条记录，不能撤销，请用备份恢复。批次号留空时列出最近的批次。")
    FORCE_LABEL = "强制（覆盖该批次之后又修改的值）"
    NOTHING = "数据库中没有修改记录"
    ERRORS = (audit.AuditError,)            # refusals shown as the algorithm's failure

    def accept(self, batch: audit.Batch) -> bool:
        """The batches this algorithm lists and undoes (here: all)."""
        return True

    def undo(self, path: str, batch: str, force: bool):
        return audit.undo_batch(path, batch, force=force, accept=self.accept)

    def initAlgorithm(self, config=None):  # noqa: N802
        database_parameter(self)
        self.addParameter(QgsProcessingParameterString("BATCH", self.tr("批次号"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "FORCE", self.tr(self.FORCE_LABEL), defaultValue=False))
        self.addOutput(QgsProcessingOutputString("BATCH", self.tr("撤销记录的批次号")))
        self.addOutput(QgsProcessingOutputNumber("RESTORED", self.tr("恢复的值")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        path = database_path(self, parameters, context)
        batch = (self.parameterAsString(parameters, "BATCH", context) or "").strip()
        if not batch:
            with open_database(path) as db:
                items = audit.batches(db, self.accept, newest_first=True)[:20]
            for b in items:
                feedback.pushInfo("%s  %s  %s  %s  %d 个值%s" % (
                    b.batch, b.at, b.who, b.label, b.count,
                    "（已撤销）" if b.undone else "" if b.replayable else "（整体替换，不能撤销）"))
            fail("请填写要撤销的批次号（最近的批次已列在日志中）" if items else self.NOTHING)
        try:
            result = self.undo(path, batch, self.parameterAsBoolean(parameters, "FORCE", context))
        except self.ERRORS as exc:
            fail(str(exc))
        feedback.pushInfo("已撤销批次 %s：恢复 %d 个值；撤销前备份 %s" % (batch, result.changed, result.backup))
        return {"BATCH": result.batch, "RESTORED": result.changed}


ALGORITHMS = [UndoBatchAlgorithm]
