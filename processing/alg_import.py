"""quequan:importsubmission and quequan:importlayer — survey data into the township map (全镇一张图)."""
import os

from qgis.core import (QgsProcessing, QgsProcessingParameterBoolean, QgsProcessingOutputNumber,
                       QgsProcessingOutputString, QgsProcessingParameterCrs, QgsProcessingParameterEnum,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterString, QgsProcessingParameterVectorLayer)

from ..core.township_db import DatabaseError, check_epsg, create_database
from .base import QueQuanAlgorithm, database_parameter, fail, require_dependencies


def _exchange():
    """core.exchange needs shapely/openpyxl: imported when an import runs, not on load."""
    from ..core import exchange
    return exchange


POLICIES = ("skip", "replace", "abort")
POLICY_LABELS = ["跳过冲突记录并列出（默认）", "替换数据库中的已有记录", "有冲突即中止导入"]


class _ImportBase(QueQuanAlgorithm):
    GROUP_ID = "database"
    GROUP = "数据库"

    def _common_parameters(self):
        database_parameter(self, "乡镇数据库（GeoPackage；不存在时新建）")
        self.addParameter(QgsProcessingParameterCrs(
            "CRS", self.tr("新建数据库的坐标系（留空取交付数据的 .prj）"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "ON_COLLISION", self.tr("键冲突（地块编码、承包方编码等已存在）时"), POLICY_LABELS,
            defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "ENCODING", self.tr("强制 DBF/CSV 编码（留空自动识别，如 GBK、UTF-8）"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "STRICT", self.tr("严格模式：有值不符合标准（须置空）时不导入"), False))
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("导入报告（xlsx，可选）"), "Excel (*.xlsx)", optional=True,
            createByDefault=False))
        for name, label in (("IMPORTED", "导入记录数"), ("SKIPPED", "键冲突跳过数"),
                            ("RENUMBERED", "BSM 重编数"), ("ERRORS", "值错误数"), ("EDGE_ERRORS", "接边问题数")):
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(label)))
        self.addOutput(QgsProcessingOutputString("BACKUP", self.tr("导入前备份")))

    def _database(self, parameters, context, feedback, fallback_epsg=None):
        path = self.parameterAsFile(parameters, "DATABASE", context)
        if not path:
            fail("请指定乡镇数据库（.gpkg）")
        if os.path.exists(path):
            return path
        crs = self.parameterAsCrs(parameters, "CRS", context)
        authid = crs.authid() if crs.isValid() else ("EPSG:%d" % fallback_epsg if fallback_epsg else "")
        if not authid:
            fail("乡镇数据库 %s 不存在，且无法从交付数据确定坐标系；请在“坐标系”中指定" % path)
        try:
            create_database(path, check_epsg(authid))
        except DatabaseError as exc:
            fail(str(exc))
        feedback.pushInfo("已新建乡镇数据库 %s（%s）" % (path, authid))
        return path

    def _finish(self, report, parameters, context, feedback, db_path):
        for line in report.summary_lines():
            feedback.pushInfo(line)
        for issue in report.errors[:50]:
            feedback.reportError("%s %s 第 %s 行 %s=%s：%s（%s）" % (
                issue.table, issue.source, issue.row, issue.field, issue.value, issue.reason, issue.action))
        out_report = None
        if parameters.get("REPORT"):
            out_report = self.parameterAsFileOutput(parameters, "REPORT", context)
            if out_report:
                from ..core.exchange.report_xlsx import write_import_report
                write_import_report(out_report, report)
                feedback.pushInfo("导入报告：%s" % out_report)
        counts = report.counts.values()
        return {"DATABASE": db_path, "REPORT": out_report, "IMPORTED": report.imported_total,
                "SKIPPED": sum(c.skipped for c in counts), "RENUMBERED": len(report.renumbered),
                "ERRORS": len(report.errors), "EDGE_ERRORS": len(report.edge.findings),
                "BACKUP": report.backup or ""}

    def _import(self, run, parameters, context, feedback, db_path):
        """run(**common options) -> ImportReport; a cancel or a refused import answered here."""
        exchange = _exchange()
        try:
            report = run(on_collision=self._policy(parameters, context),
                         encoding=self.parameterAsString(parameters, "ENCODING", context) or None,
                         strict=self.parameterAsBoolean(parameters, "STRICT", context),
                         is_canceled=feedback.isCanceled)
        except exchange.ImportCancelled:
            feedback.pushInfo("导入已取消，数据库未改变")
            return {}
        except exchange.ExchangeError as exc:
            fail(str(exc))
        return self._finish(report, parameters, context, feedback, db_path)

    def _policy(self, parameters, context):
        return POLICIES[self.parameterAsEnum(parameters, "ON_COLLISION", context)]


class ImportSubmissionAlgorithm(_ImportBase):
    NAME = "importsubmission"
    DISPLAY = "导入汇交格式数据（测绘成果）"
    HELP = ("把测绘公司按汇交格式交付的一个标段/村的数据并入乡镇数据库（全镇一张图）。"
            "FOLDER 为交付文件夹（含“矢量数据”的 DK2205812016.shp 等和“权属数据”的每表一个文件 CBF.dbf/.csv/.xlsx）。"
            "DBF 编码按 .cpg、语言驱动字节、试解码（UTF-8 否则 GBK）识别；坐标系不同时转换并提示。"
            "已存在的编码（地块编码、承包方编码等）默认不覆盖、跳过并列出；BSM 冲突时重编。"
            "导入在一个事务中完成并先备份数据库，失败时数据库不变。导入后对新接边处运行 T13 接边检查。"
            "MDB 导入尚未支持，请先导出为每表一个 DBF/CSV/XLSX 文件。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            "FOLDER", self.tr("交付数据文件夹（汇交格式）"), behavior=QgsProcessingParameterFile.Folder))
        self._common_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.exchange import import_submission
        folder = self.parameterAsFile(parameters, "FOLDER", context)
        if not folder or not os.path.isdir(folder):
            fail("找不到交付数据文件夹：%s" % folder)
        db_path = self._database(parameters, context, feedback, _delivery_epsg(folder))
        return self._import(lambda **common: import_submission(folder, db_path, feedback.setProgress, **common),
                            parameters, context, feedback, db_path)


class ImportLayerAlgorithm(_ImportBase):
    NAME = "importlayer"
    DISPLAY = "导入地块图层和台账（自定义字段）"
    HELP = ("把字段名不标准的地块图层（shapefile、GeoPackage 等）和可选的台账（xlsx/csv：承包方、家庭成员、"
            "承包地块）并入乡镇数据库。MAPPING 为字段对应关系 JSON 文件（{\"layer\": {\"地块编码\": \"DKBM\"}, "
            "\"ledger\": {\"工作表名\": {\"户主姓名\": \"CBF.CBFMC\"}}}）；留空时按字段名自动建议"
            "（地块编码→DKBM、承包方名称→CBFMC、身份证号→CYZJHM、面积→SCMJ 等），报告中列出所用对应关系。"
            "SAVE_MAPPING 填名称时把对应关系保存到乡镇数据库以便下次使用。键冲突、BSM、事务和接边检查同“导入汇交格式数据”。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(
            "INPUT", self.tr("地块图层"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFile(
            "LEDGER", self.tr("台账（xlsx/csv，可选）"), optional=True, fileFilter="台账 (*.xlsx *.csv)"))
        self.addParameter(QgsProcessingParameterFile(
            "MAPPING", self.tr("字段对应关系（json，可选）"), optional=True, fileFilter="JSON (*.json)"))
        self.addParameter(QgsProcessingParameterString(
            "MAPPING_NAME", self.tr("使用数据库中已保存的对应关系（名称，可选）"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "SAVE_MAPPING", self.tr("把所用对应关系保存到数据库（名称，可选）"), optional=True))
        self._common_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.exchange import import_layer
        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        if layer is None:
            fail("无法读取地块图层")
        if layer.providerType() != "ogr":
            fail("地块图层 %s 不是文件图层（%s）；请先导出为 shapefile 或 GeoPackage" % (
                layer.name(), layer.providerType()))
        source = layer.source()
        db_path = self._database(parameters, context, feedback,
                                 _epsg_of(layer.crs().authid()))
        return self._import(lambda **common: import_layer(
            source, db_path, self.parameterAsFile(parameters, "MAPPING", context) or None,
            self.parameterAsFile(parameters, "LEDGER", context) or None, feedback.setProgress,
            mapping_name=self.parameterAsString(parameters, "MAPPING_NAME", context) or None,
            save_mapping_as=self.parameterAsString(parameters, "SAVE_MAPPING", context) or None,
            **common), parameters, context, feedback, db_path)


def _epsg_of(authid):
    try:
        return check_epsg(authid)
    except DatabaseError:
        return None


def _delivery_epsg(folder):
    """EPSG of the delivery's DK .prj, to create a missing database in the data's own zone."""
    from ..core.exchange.crs import identify_epsg, read_prj, srs_from_text
    from ..core.exchange.layout import LAYER_CODES, VECTOR_DIR, find_files, locate_root
    root = locate_root(folder)
    vec = os.path.join(root, VECTOR_DIR) if os.path.isdir(os.path.join(root, VECTOR_DIR)) else root
    files, _ = find_files(vec, (".shp",), LAYER_CODES)
    for path in files.get("DK", []):
        text = read_prj(path)
        srs = srs_from_text(text) if text else None
        if srs is not None:
            return _epsg_of("EPSG:%s" % identify_epsg(srs))
    return None


ALGORITHMS = [ImportSubmissionAlgorithm, ImportLayerAlgorithm]
