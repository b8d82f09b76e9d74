"""quequan:demotownship — a deterministic demo township (衡东县), optionally with defects."""
from qgis.core import (QgsProcessingParameterBoolean, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber)

from ..checks.context import Cancelled
from .base import QueQuanAlgorithm, core_feedback, fail, require_dependencies


class DemoTownshipAlgorithm(QueQuanAlgorithm):
    NAME = "demotownship"
    DISPLAY = "生成演示乡镇"
    GROUP_ID = "database"
    GROUP = "数据库"
    HELP = ("生成一个确定性的演示乡镇（湖南省衡东县），含村组、地块、界址点线、发包方、承包方、家庭成员、"
            "合同、登记簿和权证。DEFECTS 为是时按规则目录注入已知缺陷，并在 MANIFEST 中列出"
            "（rule, keys, note）。相同 SEED 得到相同数据。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("演示乡镇数据库"), "GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterNumber(
            "PLOTS", self.tr("地块数"), QgsProcessingParameterNumber.Integer, 3000, minValue=50,
            maxValue=2000000))
        self.addParameter(QgsProcessingParameterNumber(
            "SEED", self.tr("随机种子"), QgsProcessingParameterNumber.Integer, 1, minValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            "DEFECTS", self.tr("注入缺陷"), False))
        self.addParameter(QgsProcessingParameterFileDestination(
            "MANIFEST", self.tr("缺陷清单（json）"), "JSON (*.json)", optional=True,
            createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..core.demo.generate import generate_township
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        manifest = self.parameterAsFileOutput(parameters, "MANIFEST", context) or None
        defects = self.parameterAsBoolean(parameters, "DEFECTS", context)
        if defects and not manifest:
            manifest = path[:-5] + "_manifest.json" if path.lower().endswith(".gpkg") else path + ".json"
        fb = core_feedback(feedback)
        try:
            summary = generate_township(
                path, plots=self.parameterAsInt(parameters, "PLOTS", context),
                seed=self.parameterAsInt(parameters, "SEED", context), defects=defects,
                manifest_path=manifest, progress=fb.progress)
        except Cancelled:
            return {}
        except (ValueError, OSError) as exc:
            fail("生成演示乡镇失败：%s" % exc)
        feedback.pushInfo("演示乡镇已写入 %s" % path)
        if isinstance(summary, dict):
            for k, v in summary.items():
                if not isinstance(v, (list, dict)):
                    feedback.pushInfo("  %s: %s" % (k, v))
        return {"OUTPUT": path, "MANIFEST": manifest}


ALGORITHMS = [DemoTownshipAlgorithm]
