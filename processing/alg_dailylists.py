"""quequan:dailylists — the day's 错误清单 and 缺失清单 (Excel) of a stored check run."""
from qgis.core import (QgsProcessingOutputFile, QgsProcessingParameterBoolean,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterString)

from ..core.township_db import DatabaseError
from .base import (QueQuanAlgorithm, database_parameter, database_path, fail, open_database,
                   require_dependencies)


class DailyListsAlgorithm(QueQuanAlgorithm):
    NAME = "dailylists"
    DISPLAY = "导出错误清单和缺失清单"
    HELP = ("按一次已保存的数据自查结果（默认最近一次）导出两个 Excel 工作簿："
            "错误清单_<乡名>_<日期>.xlsx（汇总表：各村与上次检查相比的新增、已修正、仍存在；"
            "每村一个工作表）和 缺失清单_<乡名>_<日期>.xlsx（每村一个可打印的工作表，按类别分节："
            "证件号码缺失或错误、身份证号重复、地块未落实承包方、承包方无地块、四至缺失、村组缺失等）。"
            "默认只列未处理的记录；可选包含已接受、已修正的记录。同一天内最后一次导出覆盖当天的文件。")

    def initAlgorithm(self, config=None):  # noqa: N802
        database_parameter(self)
        self.addParameter(QgsProcessingParameterFolderDestination(
            "OUTPUT_FOLDER", self.tr("输出文件夹")))
        self.addParameter(QgsProcessingParameterString(
            "RUN", self.tr("检查记录编号（留空为最近一次）"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_ACCEPTED", self.tr("包含已接受的记录"), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_FIXED", self.tr("包含已修正的记录"), defaultValue=False))
        self.addOutput(QgsProcessingOutputFile("ERROR_LIST", self.tr("错误清单")))
        self.addOutput(QgsProcessingOutputFile("MISSING_LIST", self.tr("缺失清单")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..export.daily_lists import write_daily_lists
        path = database_path(self, parameters, context)
        folder = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        run_id = (self.parameterAsString(parameters, "RUN", context) or "").strip() or None
        try:
            with open_database(path, readonly=True) as db:
                err, mis = write_daily_lists(
                    db, folder, run_id,
                    include_accepted=self.parameterAsBool(parameters, "INCLUDE_ACCEPTED", context),
                    include_fixed=self.parameterAsBool(parameters, "INCLUDE_FIXED", context))
        except (DatabaseError, ValueError) as exc:
            fail(str(exc))
        feedback.pushInfo("错误清单：%s" % err)
        feedback.pushInfo("缺失清单：%s" % mis)
        return {"ERROR_LIST": err, "MISSING_LIST": mis, "OUTPUT_FOLDER": folder}


ALGORITHMS = [DailyListsAlgorithm]
