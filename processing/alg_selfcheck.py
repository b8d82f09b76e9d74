"""quequan:selfcheck — the umbrella self-check (数据自查) on a township database."""
from qgis.core import (QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterString, QgsProcessingParameterVectorDestination,
                       QgsProcessingOutputNumber)

from ..checks import catalogue
from .base import (QueQuanAlgorithm, core_feedback, database_parameter, database_path, fail,
                   open_database, require_dependencies)
from .error_output import write_outputs


class SelfCheckAlgorithm(QueQuanAlgorithm):
    NAME = "selfcheck"
    DISPLAY = "数据自查（全部规则）"
    HELP = ("对乡镇数据库运行数据自查：结构(S)、拓扑(T)、属性(A)、表间(X)、面积(M)、完整性(C)。"
            "RULES 可填规则编号子集（如 T04,T05,A07 或 T*），留空运行全部已实现规则。"
            "ADMIN_LIST 为乡镇的村组名单（xlsx/csv：代码、名称、级别），用于 C 类规则。"
            "输出错误图层（字段 rule, severity, layer, key, related, message）和可选的 xlsx 报告。")

    def initAlgorithm(self, config=None):  # noqa: N802
        database_parameter(self)
        self.addParameter(QgsProcessingParameterString(
            "RULES", self.tr("规则（逗号分隔，留空为全部）"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "ADMIN_LIST", self.tr("村组名单（xlsx/csv，可选）"), optional=True,
            fileFilter="名单 (*.xlsx *.csv)"))
        self.addParameter(QgsProcessingParameterVectorDestination(
            "OUTPUT", self.tr("自查错误图层")))
        self.addParameter(QgsProcessingParameterFileDestination(
            "REPORT", self.tr("自查报告（xlsx，可选）"), "Excel (*.xlsx)", optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterFolderDestination(
            "LISTS_FOLDER", self.tr("每日错误清单和缺失清单输出目录（可选）"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", self.tr("错误数")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", self.tr("警告数")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..checks.context import CheckContext
        from ..checks.engine import run_checks
        path = database_path(self, parameters, context)
        try:
            rules = catalogue.parse_rule_list(self.parameterAsString(parameters, "RULES", context))
        except ValueError as exc:
            fail(str(exc))
        admin_path = self.parameterAsFile(parameters, "ADMIN_LIST", context)
        db = open_database(path)
        try:
            admin_units = None
            if admin_path:
                from ..core.admin_list import read_admin_list, store_admin_units
                admin_units, problems = read_admin_list(admin_path)
                for p in problems:
                    feedback.reportError(p)
                if admin_units:
                    # kept in qq_admin_unit so later runs need not be given the list again
                    store_admin_units(db, admin_units)
            ctx = CheckContext(db, feedback=core_feedback(feedback), admin_units=admin_units)
            result = run_checks(ctx, rules or None, data_source=path)
            if feedback.isCanceled():
                return {}
            self._store(db, result, feedback)
            out = write_outputs(self, parameters, context, feedback, result, db.epsg("DK"))
            folder = self.parameterAsString(parameters, "LISTS_FOLDER", context)
            if folder:
                from ..export.daily_lists import write_daily_lists
                out["LISTS"] = write_daily_lists(db, folder)
                for p in out["LISTS"]:
                    feedback.pushInfo("清单：%s" % p)
        finally:
            db.close()
        return out

    @staticmethod
    def _store(db, result, feedback):
        from ..checks.persistence import store_run
        c = store_run(db, result)
        feedback.pushInfo("检查记录已保存：新增 %d，重新出现 %d，仍存在 %d（其中已接受 %d），已修正 %d"
                          % (c.get("new", 0), c.get("reopened", 0), c.get("still", 0),
                             c.get("accepted", 0), c.get("fixed", 0)))


ALGORITHMS = [SelfCheckAlgorithm]
