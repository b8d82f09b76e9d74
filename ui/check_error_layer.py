"""The "自查结果" layer group: the error register written as a GeoPackage and styled by rule."""
import os
import tempfile

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from ..checks import catalogue
from ..export.error_layer import ERROR_LAYER_NAME, write_error_layer
from .error_style import apply_rule_style


def error_layer_path(db_path: str) -> str:
    """<database>_自查结果.gpkg next to the database, or a temp file when that folder is read-only."""
    base = os.path.splitext(os.path.basename(db_path))[0]
    folder = os.path.dirname(os.path.abspath(db_path))
    if os.access(folder, os.W_OK):
        return os.path.join(folder, base + "_自查结果.gpkg")
    return os.path.join(tempfile.gettempdir(), base + "_自查结果.gpkg")


class CheckErrorLayers:
    GEOMETRY_TYPES = (("Polygon", "Errors (polygons)"), ("Point", "Errors (points)"))

    def __init__(self, project=None):
        self.project = project or QgsProject.instance()
        self.group = None
        self.layer_ids = []
        self.path = ""

    @staticmethod
    def tr(text):
        return QCoreApplication.translate("CheckErrorLayers", text)

    def is_shown(self) -> bool:
        return bool(self.layers())

    def layers(self):
        return [self.project.mapLayer(i) for i in self.layer_ids if self.project.mapLayer(i)]

    def show(self, records, db_path, epsg):
        """(Re)write the file from records (fixed ones left out) and load it in a group on top."""
        self.remove()
        self.path = error_layer_path(db_path)
        write_error_layer(self.path, [r for r in records if r.state != "fixed"], epsg)
        layers = []
        for gtype, label in self.GEOMETRY_TYPES:
            uri = "%s|layername=%s|geometrytype=%s" % (self.path, ERROR_LAYER_NAME, gtype)
            layer = QgsVectorLayer(uri, self.tr(label), "ogr")
            if layer.isValid() and layer.featureCount() > 0:
                apply_rule_style(layer, catalogue.RULES)
                layers.append(layer)
        if layers:
            self.group = self.project.layerTreeRoot().insertGroup(0, self.tr("Self-check results"))
            for layer in layers:
                self.project.addMapLayer(layer, False)
                self.group.addLayer(layer)
                self.layer_ids.append(layer.id())
        return self.path

    def remove(self):
        for lid in self.layer_ids:
            if self.project.mapLayer(lid) is not None:
                self.project.removeMapLayer(lid)
        self.layer_ids = []
        if self.group is not None:
            try:
                parent = self.group.parent()
                if parent is not None:
                    parent.removeChildNode(self.group)
            except RuntimeError:   # the project was cleared and took the group with it
                pass
            self.group = None
