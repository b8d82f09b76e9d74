"""quequan:publicitymaps and quequan:publicitytables — the 公示 documents per 发包方."""
import datetime as _dt
import os

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingOutputNumber,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFile, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterString)

from ..checks.context import Cancelled
from ..core.publicity.settings import DOCUMENTS, ORIENTATIONS, PAGE_SIZES
from .base import QueQuanAlgorithm, core_feedback, fail, require_dependencies

ROUNDS = ("一轮公示", "二轮公示")
ORIENTATION_NAMES = ("自动", "纵向", "横向")
PAGE_NAMES = ("自动", "A0", "A1", "A2", "A3")
TABLE_DOCUMENTS = [d for d in DOCUMENTS if d[0] != "map"]
TABLE_DOCUMENT_NAMES = ("调查信息公示表（xlsx+pdf）", "公示结果归户表（xlsx+pdf）", "公示公告（pdf）",
                        "公示无异议声明书（pdf）")


def _date(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text.replace("/", "-")[:10])
    except ValueError:
        fail("日期 %s 无法识别，请写成 YYYY-MM-DD" % text)


class _PublicityBase(QueQuanAlgorithm):
    GROUP_ID = "publicity"
    GROUP = "公示"

    def _common(self):
        self.addParameter(QgsProcessingParameterFile(
            "DATABASE", self.tr("乡镇数据库（GeoPackage）"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterString(
            "UNITS", self.tr("发包方（组）代码，逗号分隔；留空为全部"), optional=True))
        self.addParameter(QgsProcessingParameterEnum("ROUND", self.tr("公示轮次"), ROUNDS, False, 0))

    def _request(self, parameters, context, documents):
        from ..core.publicity.settings import load_settings
        from ..core.township_db import DatabaseError, TownshipDB
        from ..export.publicity.fonts import pick_font
        from ..export.publicity.jobs import PublicityRequest
        path = self.parameterAsFile(parameters, "DATABASE", context)
        if not path or not os.path.exists(path):
            fail("找不到乡镇数据库：%s" % path)
        try:
            with TownshipDB(path) as db:
                settings = load_settings(db)
        except DatabaseError as exc:
            fail(str(exc))
        units = self.parameterAsString(parameters, "UNITS", context)
        units = [u.strip() for u in units.replace("，", ",").split(",") if u.strip()] or None
        for u in units or []:
            if not u.isdigit() or len(u) not in (9, 12, 14):
                fail("发包方代码 %s 无效：应为 14 位组代码（或 12 位村代码、9 位乡代码）" % u)
        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        return PublicityRequest(
            db_path=path, out_dir=out, documents=documents,
            round_no=self.parameterAsEnum(parameters, "ROUND", context) + 1, units=units,
            settings=settings, family=pick_font(settings.fonts),
            override_reason=self.parameterAsString(parameters, "OVERRIDE", context) or "")

    def _run(self, request, feedback):
        from ..export.publicity.jobs import PublicityJob
        from ..core.publicity.stage import StageError
        job = PublicityJob(request, core_feedback(feedback))
        try:
            report = job.run()
        except Cancelled:
            return None
        except (StageError, OSError, IOError) as exc:
            fail(str(exc))
        for unit, reason in sorted(report.skipped.items()):
            feedback.reportError("%s 未生成：%s（可在公示面板或用 OVERRIDE 参数填写原因后强制继续）"
                                 % (unit, reason))
        for unit, pre in sorted(report.conditions.items()):
            if unit not in report.skipped and pre.conditions:
                feedback.pushWarning("%s：%s" % (unit, pre.summary))
        for msg in report.messages:
            feedback.pushInfo(msg)
        feedback.pushInfo("共生成 %d 个文件，输出目录：%s" % (len(report.files), request.out_dir))
        return report

    def _override_param(self):
        self.addParameter(QgsProcessingParameterString(
            "OVERRIDE", self.tr("强制继续的原因（有未处理错误或异议的组也生成，原因记入公示记录）"),
            optional=True))


class PublicityMapsAlgorithm(_PublicityBase):
    NAME = "publicitymaps"
    DISPLAY = "公示图（地块分布图）"
    HELP = ("按发包方（组）生成农村土地承包经营权地块分布图（公示图）PDF：本组地块标注承包方名称、"
            "地块编码后5位和面积（亩），小地块缩小字号、引线标注或编号列表；相邻组地块灰色显示，"
            "含道路、沟渠、坑塘、组界、图例、比例尺、指北针和制图/审核信息。纸张 A0–A3 与方向可自动"
            "选择。MERGED 另生成一个合并 PDF，PNG 另生成预览图。有未处理错误、无承包方的承包地块"
            "或未处理异议的组不生成，除非填写 OVERRIDE 原因。BASE_IMAGE 为可选的正射影像底图。")

    def flags(self):
        # print layouts with labels are rendered in the main thread
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        self._common()
        self.addParameter(QgsProcessingParameterEnum("PAGE_SIZE", self.tr("纸张"), PAGE_NAMES, False, 0))
        self.addParameter(QgsProcessingParameterEnum("ORIENTATION", self.tr("方向"),
                                                     ORIENTATION_NAMES, False, 0))
        self.addParameter(QgsProcessingParameterBoolean("MERGED", self.tr("另生成合并 PDF"), False))
        self.addParameter(QgsProcessingParameterBoolean("PNG", self.tr("另生成 PNG 预览"), False))
        self.addParameter(QgsProcessingParameterString("MAKER", self.tr("制图人"), optional=True))
        self.addParameter(QgsProcessingParameterString("REVIEWER", self.tr("审核人"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "BASE_IMAGE", self.tr("正射影像底图（GeoTIFF，可选）"), optional=True,
            fileFilter="GeoTIFF (*.tif *.tiff)"))
        self._override_param()
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", self.tr("输出目录")))
        self.addOutput(QgsProcessingOutputNumber("MAPS", self.tr("公示图数")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        req = self._request(parameters, context, ["map"])
        s = req.settings
        s.page_size = PAGE_SIZES[self.parameterAsEnum(parameters, "PAGE_SIZE", context)]
        s.orientation = ORIENTATIONS[self.parameterAsEnum(parameters, "ORIENTATION", context)]
        s.maker = self.parameterAsString(parameters, "MAKER", context) or s.maker
        s.reviewer = self.parameterAsString(parameters, "REVIEWER", context) or s.reviewer
        s.base_image = self.parameterAsFile(parameters, "BASE_IMAGE", context) or s.base_image
        if s.base_image and not os.path.exists(s.base_image):
            fail("找不到底图影像：%s" % s.base_image)
        req.merged = self.parameterAsBoolean(parameters, "MERGED", context)
        req.png = self.parameterAsBoolean(parameters, "PNG", context)
        report = self._run(req, feedback)
        if report is None:
            return {}
        return {"OUTPUT_FOLDER": req.out_dir, "MAPS": len(report.maps), "FILES": report.files,
                "MERGED": report.merged}


class PublicityTablesAlgorithm(_PublicityBase):
    NAME = "publicitytables"
    DISPLAY = "公示表、归户表、公告和声明书"
    HELP = ("按发包方（组）生成调查信息公示表（xlsx 和 pdf，13 列，按户合并）、公示结果归户表"
            "（每户一页）、公示公告和公示无异议声明书。START/END 为公示起止日期（YYYY-MM-DD），"
            "并记入公示记录。MASK_IDS 为是（默认）时张贴公示的文件中身份证号只显示前6位和后4位；"
            "归户表和声明书交给农户或存档，显示完整号码。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self._common()
        self.addParameter(QgsProcessingParameterString("START", self.tr("公示开始日期（YYYY-MM-DD）"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString("END", self.tr("公示结束日期（YYYY-MM-DD）"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "DOCUMENTS", self.tr("文件"), TABLE_DOCUMENT_NAMES, True, [0, 1, 2, 3]))
        self.addParameter(QgsProcessingParameterBoolean("MASK_IDS", self.tr("公示文件隐藏身份证号中间位"),
                                                        True))
        self.addParameter(QgsProcessingParameterString("MAKER", self.tr("制表人"), optional=True))
        self.addParameter(QgsProcessingParameterString("REVIEWER", self.tr("审核人"), optional=True))
        self._override_param()
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", self.tr("输出目录")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        picked = self.parameterAsEnums(parameters, "DOCUMENTS", context)
        docs = [TABLE_DOCUMENTS[i][0] for i in sorted(picked)] or [d for d, _ in TABLE_DOCUMENTS]
        req = self._request(parameters, context, docs)
        req.start = _date(self.parameterAsString(parameters, "START", context))
        req.end = _date(self.parameterAsString(parameters, "END", context))
        if req.start and req.end and req.end < req.start:
            fail("公示结束日期早于开始日期")
        if not self.parameterAsBoolean(parameters, "MASK_IDS", context):
            req.settings.masking = {k: False for k in req.settings.masking}
        s = req.settings
        s.maker = self.parameterAsString(parameters, "MAKER", context) or s.maker
        s.reviewer = self.parameterAsString(parameters, "REVIEWER", context) or s.reviewer
        report = self._run(req, feedback)
        if report is None:
            return {}
        return {"OUTPUT_FOLDER": req.out_dir, "FILES": report.files}


ALGORITHMS = [PublicityMapsAlgorithm, PublicityTablesAlgorithm]
