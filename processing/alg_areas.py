"""quequan:areareconcile, quequan:areaadjust, quequan:areaundo — 面积核对与平差.

Thin layers over core.areas: parameters in, a table / workbook out. The
ellipsoidal area is the only QGIS-specific piece (QgsDistanceArea), injected
into the core as a callable.
"""
from qgis.core import (QgsCoordinateReferenceSystem, QgsDistanceArea, QgsFeature, QgsFeatureSink,
                       QgsField, QgsFields, QgsGeometry, QgsProcessing, QgsProcessingOutputNumber,
                       QgsProcessingOutputString, QgsProcessingParameterBoolean,
                       QgsProcessingParameterEnum, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterString, QgsProject,
                       QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant

from ..checks.context import DEFAULT_PARAMETERS
from .alg_undo import UndoBatchAlgorithm
from .base import (QueQuanAlgorithm, database_parameter, database_path, fail, open_database,
                   require_dependencies)

LEVEL_KEYS = ("plot", "household", "group", "village", "township")
LEVEL_LABELS = ("地块", "承包方（农户）", "组（发包方）", "村", "乡镇")
ACTION_KEYS = ("mu", "scmj", "balance", "contracts")
ACTION_LABELS = ("重算亩面积（全部亩字段）", "重算实测面积 SCMJ（按图形面积）及 SCMJM",
                 "面积平差（按组控制面积）", "重算合同总面积 HTZMJ/HTZMJM/CBDKZS")
_QTYPES = {"text": (QVariant.String, 0, 0), "int": (QVariant.Int, 10, 0),
           "area": (QVariant.Double, 16, 2), "mu": (QVariant.Double, 16, 2),
           "pct": (QVariant.Double, 10, 1), "ratio": (QVariant.Double, 10, 4)}


def ellipsoidal_areas(epsg, transform_context=None):
    """A callable measuring shapely geometries on the CRS's ellipsoid (CGCS2000)."""
    import shapely
    da = QgsDistanceArea()
    crs = QgsCoordinateReferenceSystem("EPSG:%s" % epsg)
    da.setSourceCrs(crs, transform_context or QgsProject.instance().transformContext())
    da.setEllipsoid(crs.ellipsoidAcronym() or "EPSG:1024")

    def measure(geoms):
        out = []
        for g in geoms:
            if g is None:
                out.append(None)
                continue
            qg = QgsGeometry()
            qg.fromWkb(shapely.to_wkb(g, flavor="iso"))
            out.append(da.measureArea(qg))
        return out
    return measure


class AreaReconcileAlgorithm(QueQuanAlgorithm):
    NAME = "areareconcile"
    DISPLAY = "面积核对表"
    GROUP_ID = "areas"
    GROUP = "面积核对与平差"
    HELP = ("按地块、承包方、组、村或乡镇核对面积：实测面积 SCMJ/SCMJM 与图形面积（数据库投影坐标系的平面面积，"
            "可选椭球面积）、合同面积 Σ HTMJ、原合同面积（YHTZMJ 或 Σ YHTMJ）、按地块类别分列的面积、"
            "区域面积与覆盖率。面积用十进制按两位小数累加，各级合计严格相等；亩由平方米四舍五入换算"
            "（× 0.0015）。SCOPE 填村(12位)或组(14位)代码，逗号分隔，留空为全镇。"
            "输出无几何的表格图层和可选的 xlsx 报表（中文表头、合计行、A4 横向打印）。")

    def initAlgorithm(self, config=None):  # noqa: N802
        database_parameter(self)
        self.addParameter(QgsProcessingParameterEnum(
            "LEVEL", self.tr("核对级别"), options=list(LEVEL_LABELS), defaultValue=1))
        self.addParameter(QgsProcessingParameterString(
            "SCOPE", self.tr("范围（村/组代码，逗号分隔，留空为全镇）"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "AREA_TOL", self.tr("实测与图形面积容差 AREA_TOL（平方米）"), QgsProcessingParameterNumber.Double,
            DEFAULT_PARAMETERS["AREA_TOL"], minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "CONTRACT_DIFF_PCT", self.tr("实测与原合同面积差异阈值 CONTRACT_DIFF_PCT（%）"),
            QgsProcessingParameterNumber.Double, DEFAULT_PARAMETERS["CONTRACT_DIFF_PCT"], minValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean(
            "ELLIPSOIDAL", self.tr("同时计算椭球面积（地块级）"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("面积核对表"), QgsProcessing.TypeVector))
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("面积核对报表（xlsx，可选）"), "Excel (*.xlsx)", optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("ROWS", self.tr("行数")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.areas.reconcile import reconcile
        path = database_path(self, parameters, context)
        level = LEVEL_KEYS[self.parameterAsEnum(parameters, "LEVEL", context)]
        scope = self.parameterAsString(parameters, "SCOPE", context) or None
        area_tol = self.parameterAsDouble(parameters, "AREA_TOL", context)
        pct = self.parameterAsDouble(parameters, "CONTRACT_DIFF_PCT", context)
        db = open_database(path)
        try:
            ell = None
            if self.parameterAsBoolean(parameters, "ELLIPSOIDAL", context):
                ell = ellipsoidal_areas(db.epsg("DK"), context.transformContext())
            table = reconcile(db, level, scope, area_tol, pct,
                              (DEFAULT_PARAMETERS["COVERAGE_MIN"], DEFAULT_PARAMETERS["COVERAGE_MAX"]), ell)
        except ValueError as exc:
            fail(str(exc))
        finally:
            db.close()
        fields = QgsFields()
        for c in table.columns:
            qtype, length, prec = _QTYPES[c.kind]
            f = QgsField(c.code, qtype, len=length, prec=prec)
            f.setAlias(c.title)
            fields.append(f)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            fail("无法创建输出表")
        for n, row in enumerate(table.rows):
            if feedback.isCanceled():
                break
            feat = QgsFeature(fields)
            feat.setAttributes([_plain(row.get(c.code)) for c in table.columns])
            sink.addFeature(feat, QgsFeatureSink.FastInsert)
            if n % 1000 == 0:
                feedback.setProgress(100.0 * n / max(1, len(table.rows)))
        report = self.parameterAsFileOutput(parameters, "REPORT", context) if parameters.get("REPORT") else None
        if report:
            from ..core.areas.workbook import write_reconcile
            write_reconcile(report, table)
            feedback.pushInfo("面积核对报表：%s" % report)
        for note in table.notes:
            feedback.pushInfo(note)
        feedback.pushInfo("%s：%d 行；实测面积合计 %s 平方米" % (
            table.title, len(table.rows), table.totals.get("SCMJ")))
        return {"OUTPUT": dest, "REPORT": report, "ROWS": len(table.rows)}


def _plain(value):
    from decimal import Decimal
    return float(value) if isinstance(value, Decimal) else value


class AreaAdjustAlgorithm(QueQuanAlgorithm):
    NAME = "areaadjust"
    DISPLAY = "面积调整与平差"
    GROUP_ID = "areas"
    GROUP = "面积核对与平差"
    HELP = ("重算亩面积、按图形重算实测面积、面积平差或重算合同总面积。默认只预览：把每个将修改的值"
            "（表、编码、字段、原值、新值）写入 xlsx，不改数据库。取消“仅预览”后才写入：写入前自动把数据库备份到"
            "同目录 backup 文件夹，全部修改在一个事务中完成，每个值记入 qq_audit（批次号可用“撤销面积调整”恢复）。"
            "面积平差：把组的闭合差（控制面积 − 地块图形面积合计）按面积比例分配到各地块（最大余数法，"
            "合计与控制面积严格相等到 0.01 平方米），再重算 SCMJM。控制面积取 CONTROL 表（第一列组代码，第二列"
            "平方米；表头含“亩”时按亩），未提供时取组级区域面积减去面状/线状地物。限差 TOLERANCE 为 0 时自动取"
            "(AREA_TOL − 0.01) × 组面积 ÷ 最大地块面积，保证平差后每块地与图形面积之差不超过 AREA_TOL（M01 仍通过）；"
            "闭合差超限或任一地块改正超过 AREA_TOL 时拒绝，并说明超出多少。组内有未处理的 T01/T04/T05 图形错误时拒绝。")

    def initAlgorithm(self, config=None):  # noqa: N802
        database_parameter(self)
        self.addParameter(QgsProcessingParameterEnum(
            "ACTION", self.tr("操作"), options=list(ACTION_LABELS), defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "SCOPE", self.tr("范围（组代码，逗号分隔，留空为全镇）"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "CONTROL", self.tr("控制面积表（csv/xlsx：组代码、控制面积，可选）"), optional=True,
            fileFilter="控制面积 (*.csv *.xlsx)"))
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", self.tr("平差限差（平方米，0 = 自动）"), QgsProcessingParameterNumber.Double,
            0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "AREA_TOL", self.tr("实测与图形面积容差 AREA_TOL（平方米）"), QgsProcessingParameterNumber.Double,
            DEFAULT_PARAMETERS["AREA_TOL"], minValue=0.02))
        self.addParameter(QgsProcessingParameterBoolean(
            "PREVIEW_ONLY", self.tr("仅预览（不写入数据库）"), defaultValue=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("预览/修改记录（xlsx）"), "Excel (*.xlsx)"))
        self.addOutput(QgsProcessingOutputString("BATCH", self.tr("批次号")))
        self.addOutput(QgsProcessingOutputString("BACKUP", self.tr("备份文件")))
        self.addOutput(QgsProcessingOutputNumber("CHANGES", self.tr("修改的值")))
        self.addOutput(QgsProcessingOutputNumber("REFUSED", self.tr("拒绝的单位数")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.areas.adjust import AdjustmentError, make_plan
        from ..core.areas.apply import apply_plan
        from ..core.areas.control import read_controls
        from ..core.areas.workbook import write_plan
        path = database_path(self, parameters, context)
        action = ACTION_KEYS[self.parameterAsEnum(parameters, "ACTION", context)]
        scope = self.parameterAsString(parameters, "SCOPE", context) or None
        preview = self.parameterAsBoolean(parameters, "PREVIEW_ONLY", context)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        kw = {}
        if action == "balance":
            control_path = self.parameterAsFile(parameters, "CONTROL", context)
            if control_path:
                controls, problems = read_controls(control_path)
                for p in problems:
                    feedback.reportError(p)
                if not controls:
                    fail("控制面积表没有可用数据：%s" % control_path)
                kw["controls"] = controls
            kw["tolerance"] = self.parameterAsDouble(parameters, "TOLERANCE", context) or None
            kw["area_tol"] = self.parameterAsDouble(parameters, "AREA_TOL", context)
        if action in ("balance", "scmj"):
            kw["parameters"] = {"AREA_TOL": self.parameterAsDouble(parameters, "AREA_TOL", context)}
        db = open_database(path)
        try:
            plan = make_plan(db, action, scope, **kw)
        except AdjustmentError as exc:
            fail(str(exc))
        finally:
            db.close()
        for note in plan.notes:
            feedback.pushInfo(note)
        for r in plan.refusals:
            feedback.reportError(r.reason)
        result = None
        if not preview:
            try:
                result = apply_plan(path, plan)
            except AdjustmentError as exc:
                write_plan(out, plan)
                fail(str(exc))
            feedback.pushInfo("%s：已修改 %d 个值，批次 %s，备份 %s" % (
                plan.label, result.changed, result.batch, result.backup))
        else:
            feedback.pushInfo("%s 预览：%d 个值将被修改（未写入数据库）" % (plan.label, len(plan.changes)))
        write_plan(out, plan, result)
        return {"OUTPUT": out, "BATCH": result.batch if result else None,
                "BACKUP": result.backup if result else None,
                "CHANGES": result.changed if result else len(plan.changes),
                "REFUSED": len(plan.refusals)}


class AreaUndoAlgorithm(UndoBatchAlgorithm):
    """quequan:undobatch limited to area adjustments and their undos."""
    NAME = "areaundo"
    DISPLAY = "撤销面积调整"
    GROUP_ID = "areas"
    GROUP = "面积核对与平差"
    HELP = ("按批次号撤销一次面积调整：qq_audit 中该批次修改的每个值恢复为原值（撤销前自动备份，撤销本身也记入"
            " qq_audit）。调整后又被修改过的值视为冲突，默认不撤销；勾选“强制”则全部恢复。批次号留空时列出最近的批次。")
    FORCE_LABEL = "强制（覆盖调整后又修改的值）"
    NOTHING = "数据库中没有面积调整记录"

    def accept(self, batch):
        from ..core.areas.apply import is_area_batch
        return is_area_batch(batch)

    def undo(self, path, batch, force):
        from ..core.areas.adjust import AdjustmentError
        from ..core.areas.apply import undo_batch
        try:
            return undo_batch(path, batch, force=force)
        except AdjustmentError as exc:
            fail(str(exc))


ALGORITHMS = [AreaReconcileAlgorithm, AreaAdjustAlgorithm, AreaUndoAlgorithm]
