"""Shared base of QueQuan processing algorithms: thin layers over the core."""
import os

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterFile
from qgis.PyQt.QtCore import QCoreApplication

from ..checks.context import Feedback
from ..core.township_db import DatabaseError, TownshipDB

DATABASE_LABEL = "乡镇数据库（GeoPackage）"


class QueQuanAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, DISPLAY (Chinese), GROUP_ID, GROUP and HELP."""
    NAME = ""
    DISPLAY = ""
    GROUP_ID = "checks"
    GROUP = "数据自查"
    HELP = ""

    def tr(self, text):
        return QCoreApplication.translate(type(self).__name__, text)

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.tr(self.DISPLAY)

    def group(self):
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: N802
        return self.tr(self.HELP)

    def createInstance(self):  # noqa: N802
        return type(self)()


def core_feedback(feedback) -> Feedback:
    """Bridge a QgsProcessingFeedback to the core's Feedback."""
    if feedback is None:
        return Feedback()
    return Feedback(feedback.setProgress, feedback.isCanceled, feedback.pushInfo)


def fail(message: str):
    raise QgsProcessingException(message)


def require_dependencies():
    """Raise a clear message when shapely 2 / openpyxl are not importable in this QGIS."""
    from ..deps import missing_dependencies
    missing = missing_dependencies()
    if missing:
        fail("QueQuan 缺少 Python 依赖：%s。请在 QGIS 使用的 Python 中安装（OSGeo4W Shell: "
             "python -m pip install %s），或运行 make deps。" % (", ".join(missing), " ".join(missing)))


def database_parameter(alg, label: str = DATABASE_LABEL, name: str = "DATABASE"):
    """The township GeoPackage input every database algorithm starts with."""
    alg.addParameter(QgsProcessingParameterFile(name, alg.tr(label), extension="gpkg"))


def database_path(alg, parameters, context, name: str = "DATABASE") -> str:
    """The chosen township database, which must exist."""
    path = alg.parameterAsFile(parameters, name, context)
    if not path or not os.path.exists(path):
        fail("找不到乡镇数据库：%s" % path)
    return path


def open_database(path: str, readonly: bool = False) -> TownshipDB:
    """The township database, or a processing failure saying why it cannot be opened."""
    try:
        return TownshipDB(path, readonly=readonly)
    except DatabaseError as exc:
        fail(str(exc))
