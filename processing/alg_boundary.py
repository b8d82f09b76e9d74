"""quequan:computesizhi and quequan:buildboundary — 四至 and 界址点/界址线 from the plots.

Thin layers over core.boundary: parameters in, the core does the work, an xlsx
report and log lines out.
"""
from qgis.core import (QgsProcessingOutputNumber, QgsProcessingOutputString,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterString)

from ..checks.context import Cancelled
from ..core.township_db import DatabaseError
from .alg_undo import UndoBatchAlgorithm
from .base import (QueQuanAlgorithm, core_feedback, database_parameter, database_path, fail,
                   open_database, require_dependencies)

POLICY_KEYS = ("fill", "overwrite")
POLICY_LABELS = ("仅填写空白的四至", "全部覆盖（可确定的方向）")


def _report_path(alg, parameters, context):
    return alg.parameterAsFileOutput(parameters, "REPORT", context) if parameters.get("REPORT") else None


class ComputeSizhiAlgorithm(QueQuanAlgorithm):
    NAME = "computesizhi"
    DISPLAY = "计算四至"
    GROUP_ID = "boundary"
    GROUP = "四至与界址"
    HELP = ("按相邻关系计算每个地块的四至（DKDZ 东至、DKNZ 南至、DKXZ 西至、DKBZ 北至）。地块边界按外法线方向"
            "分为东、南、西、北四个扇区；与相邻地块共边的部分取该地块的承包方名称（自留地、机动地、开荒地、"
            "其他集体土地取类别名称，无承包方时取地块名称或“集体”），其余部分向外搜索 SEARCH_DISTANCE 米以内"
            "最先遇到的地块或地物（线状、面状、点状地物取地物名称，例如地块之间 4 米宽的道路即为四至）。"
            "每个方向取边界长度最长者；仅角点相接的地块不算相邻。默认只预览（修改清单写入 REPORT），"
            "取消“仅预览”后写入：写入前自动备份到同目录 backup 文件夹，在一个事务中完成，每个值记入 qq_audit"
            "（批次号可用于撤销）。不能确定的方向不会清空原值；少于 3 个方向的地块在日志和报表中列出。")

    def initAlgorithm(self, config=None):  # noqa: N802
        database_parameter(self)
        self.addParameter(QgsProcessingParameterEnum(
            "POLICY", self.tr("写入方式"), options=list(POLICY_LABELS), defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "SEARCH_DISTANCE", self.tr("搜索距离（米）"), QgsProcessingParameterNumber.Double, 5.0,
            minValue=0.01, maxValue=1000.0))
        self.addParameter(QgsProcessingParameterString(
            "OUTSIDE_LABEL", self.tr("搜索距离内无地块或地物时填写（可选，如“山林”；留空则不填）"),
            optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "PREVIEW_ONLY", self.tr("仅预览（不写入数据库）"), defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("四至报表（xlsx，可选）"), "Excel (*.xlsx)", optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("PLOTS", self.tr("地块数")))
        self.addOutput(QgsProcessingOutputNumber("CHANGES", self.tr("修改的值")))
        self.addOutput(QgsProcessingOutputNumber("INCOMPLETE", self.tr("少于 3 个方向的地块")))
        self.addOutput(QgsProcessingOutputString("BATCH", self.tr("批次号")))
        self.addOutput(QgsProcessingOutputString("BACKUP", self.tr("备份文件")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.areas.adjust import AdjustmentError
        from ..core.boundary.sizhi import apply_sizhi, compute_sizhi
        from ..core.boundary.workbook import write_sizhi_report
        path = database_path(self, parameters, context)
        policy = POLICY_KEYS[self.parameterAsEnum(parameters, "POLICY", context)]
        distance = self.parameterAsDouble(parameters, "SEARCH_DISTANCE", context)
        preview = self.parameterAsBoolean(parameters, "PREVIEW_ONLY", context)
        report = _report_path(self, parameters, context)
        db = open_database(path)
        try:
            result = compute_sizhi(db, search_distance=distance, feedback=core_feedback(feedback),
                                   outside_label=self.parameterAsString(parameters, "OUTSIDE_LABEL",
                                                                        context) or "")
        except Cancelled:
            fail("已取消")
        except ValueError as exc:
            fail(str(exc))
        finally:
            db.close()
        for note in result.notes:
            feedback.pushInfo(note)
        changes = result.changes(policy)
        applied = None
        if not preview and changes:
            try:
                applied = apply_sizhi(path, result, policy)
            except AdjustmentError as exc:
                fail(str(exc))
            feedback.pushInfo("四至已写入：修改 %d 个值，批次 %s，备份 %s" % (
                applied.changed, applied.batch, applied.backup))
        else:
            feedback.pushInfo("四至%s：%d 个值%s" % ("预览" if preview else "", len(changes),
                                                   "将被修改（未写入数据库）" if preview else "需要修改"))
        incomplete = result.incomplete()
        for p in incomplete[:50]:
            feedback.reportError("地块 %s 仅能确定 %d 个方向（缺少%s）" % (
                p.dkbm, p.determined, "、".join(p.missing)), False)
        if len(incomplete) > 50:
            feedback.reportError("……共 %d 个地块少于 3 个方向（见报表“未能确定”）" % len(incomplete), False)
        if report:
            write_sizhi_report(report, result, policy, applied)
            feedback.pushInfo("四至报表：%s" % report)
        return {"PLOTS": len(result.plots), "CHANGES": applied.changed if applied else len(changes),
                "INCOMPLETE": len(incomplete), "BATCH": applied.batch if applied else None,
                "BACKUP": applied.backup if applied else None, "REPORT": report}


class SizhiUndoAlgorithm(UndoBatchAlgorithm):
    """quequan:undobatch limited to 四至 writes."""
    NAME = "sizhiundo"
    DISPLAY = "撤销四至写入"
    GROUP_ID = "boundary"
    GROUP = "四至与界址"
    HELP = ("按批次号撤销一次“计算四至”的写入：该批次修改的每个四至恢复为原值（撤销前自动备份，撤销本身也记入"
            " qq_audit）。写入后又被修改过的值视为冲突，默认不撤销；勾选“强制”则全部恢复。批次号留空时列出最近的批次。")
    FORCE_LABEL = "强制（覆盖写入后又修改的值）"
    NOTHING = "数据库中没有四至写入记录"

    def accept(self, batch):
        from ..core.boundary.sizhi import is_sizhi_batch
        return is_sizhi_batch(batch)

    def undo(self, path, batch, force):
        from ..core.areas.adjust import AdjustmentError
        from ..core.boundary.sizhi import undo_sizhi
        try:
            return undo_sizhi(path, batch, force=force)
        except AdjustmentError as exc:
            fail(str(exc))


class BuildBoundaryAlgorithm(QueQuanAlgorithm):
    NAME = "buildboundary"
    DISPLAY = "生成界址点线"
    GROUP_ID = "boundary"
    GROUP = "四至与界址"
    HELP = ("由地块生成界址点（JZD）、界址线（JZX）和地块的空间坐标 KJZB，替换两图层原有内容。界址点取地块的"
            "关键节点：三个及以上地块（或地物）相交处、相邻对象改变处、以及边界转角不小于 ANGLE_TOL 度的节点；"
            "相距小于 MERGE_TOL 米的节点视为同一点。编号按地块编码升序，每个地块从其外包矩形西北角最近的点起"
            "顺时针编号，已编号的公共点沿用原号（J1、J2……，全镇唯一）。相邻两点之间为一条界址线，两地块共用的界址线"
            "只存一条，DKBM 写作“A/B”，起止点号按地块 A 的顺时针方向；界址线说明为长度（米），毗邻权利人/指界人取"
            "相邻地块的承包方和指界人，或相邻地物名称；界址线类别：地块之间为田垄（埂），沿道路、沟渠等地物按地物名称判断；"
            "有未解决界址争议的两地块之间为争议界。写入前自动备份到同目录 backup 文件夹，在一个事务中完成并记入 qq_audit。")

    def initAlgorithm(self, config=None):  # noqa: N802
        # core.codes needs no third-party package: the dialog opens even without shapely
        from ..core.codes import JZD_ANGLE_TOL as DEFAULT_ANGLE_TOL, JZD_MERGE_TOL as DEFAULT_MERGE_TOL
        database_parameter(self)
        self.addParameter(QgsProcessingParameterNumber(
            "ANGLE_TOL", self.tr("角度容差（度）：转角小于此值的节点不作界址点"),
            QgsProcessingParameterNumber.Double, DEFAULT_ANGLE_TOL, minValue=0.0, maxValue=89.0))
        self.addParameter(QgsProcessingParameterNumber(
            "MERGE_TOL", self.tr("同点容差（米）"), QgsProcessingParameterNumber.Double,
            DEFAULT_MERGE_TOL, minValue=0.0001, maxValue=1.0))
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("界址报表（xlsx，可选）"), "Excel (*.xlsx)", optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("JZD", self.tr("界址点数")))
        self.addOutput(QgsProcessingOutputNumber("JZX", self.tr("界址线数")))
        self.addOutput(QgsProcessingOutputNumber("KJZB_CHANGED", self.tr("KJZB 改变的地块")))
        self.addOutput(QgsProcessingOutputString("BATCH", self.tr("批次号")))
        self.addOutput(QgsProcessingOutputString("BACKUP", self.tr("备份文件")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.boundary.build import build_township_boundary
        from ..core.boundary.workbook import write_boundary_report
        path = database_path(self, parameters, context)
        open_database(path).close()                      # a clear message for a file that is no database
        report = _report_path(self, parameters, context)
        try:
            summary = build_township_boundary(
                path, self.parameterAsDouble(parameters, "ANGLE_TOL", context),
                self.parameterAsDouble(parameters, "MERGE_TOL", context),
                feedback=core_feedback(feedback))
        except (ValueError, DatabaseError) as exc:
            fail(str(exc))
        feedback.pushInfo("界址点 %d 个、界址线 %d 条（原 %d / %d）；KJZB 改变 %d 个地块；批次 %s；备份 %s" % (
            summary.jzd, summary.jzx, summary.removed_jzd, summary.removed_jzx, summary.kjzb_changed,
            summary.batch, summary.backup))
        for note in summary.notes:
            feedback.reportError(note, False)
        if report:
            write_boundary_report(report, summary)
            feedback.pushInfo("界址报表：%s" % report)
        return {"JZD": summary.jzd, "JZX": summary.jzx, "KJZB_CHANGED": summary.kjzb_changed,
                "BATCH": summary.batch, "BACKUP": summary.backup, "REPORT": report}


ALGORITHMS = [ComputeSizhiAlgorithm, SizhiUndoAlgorithm, BuildBoundaryAlgorithm]
