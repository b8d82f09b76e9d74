"""quequan:createdatabase — an empty township database in the NY/T 2539 structure."""
from qgis.core import (QgsProcessingParameterCrs,
                       QgsProcessingParameterFileDestination, QgsProcessingOutputString)

from ..core.township_db import DEFAULT_EPSG, DatabaseError, check_epsg, create_database
from .base import QueQuanAlgorithm, fail


class CreateDatabaseAlgorithm(QueQuanAlgorithm):
    NAME = "createdatabase"
    DISPLAY = "新建乡镇数据库"
    GROUP_ID = "database"
    GROUP = "数据库"
    HELP = ("按 NY/T 2539-2016 新建空的乡镇数据库（GeoPackage）：14 个矢量图层和 12 个权属表，"
            "图层名、字段名均为标准代码。坐标系须为 CGCS2000 3度带高斯投影（EPSG:4513–4554），默认 EPSG:4526。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("乡镇数据库"), "GeoPackage (*.gpkg)"))
        # optional with a string default: qgis_process 3.22 ignores object defaults
        self.addParameter(QgsProcessingParameterCrs(
            "CRS", self.tr("坐标系"), "EPSG:%d" % DEFAULT_EPSG, optional=True))
        self.addOutput(QgsProcessingOutputString("EPSG", self.tr("EPSG")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        crs = self.parameterAsCrs(parameters, "CRS", context)
        authid = crs.authid() if crs.isValid() else "EPSG:%d" % DEFAULT_EPSG
        try:
            epsg = check_epsg(authid or "无效")
            create_database(path, epsg, overwrite=True)
        except DatabaseError as exc:
            fail(str(exc))
        feedback.pushInfo("已创建乡镇数据库 %s（EPSG:%d）" % (path, epsg))
        return {"OUTPUT": path, "EPSG": "EPSG:%d" % epsg}


ALGORITHMS = [CreateDatabaseAlgorithm]
