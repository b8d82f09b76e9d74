"""The "自查结果" layer group: the error register written as a GeoPackage and styled by rule."""
import os
import tempfile
import uuid

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from ..checks import catalogue
from ..export.error_layer import ERROR_LAYER_NAME, write_error_layer
from .error_style import apply_rule_style


def new_layer_path(db_path: str) -> str:
    """A fresh file per write in the temp folder: QGIS may still hold the previous file open
    (and Windows then refuses to rewrite it)."""
    folder = os.path.join(tempfile.gettempdir(), "quequan_checks")
    os.makedirs(folder, exist_ok=True)
    base = os.path.splitext(os.path.basename(db_path or "township"))[0]
    return os.path.join(folder, "%s_自查结果_%s.gpkg" % (base, uuid.uuid4().hex[:8]))


def write_layer_file(path: str, records, epsg) -> str:
    """The register without its fixed errors as an error layer file (Qt-free: runs in the task)."""
    return write_error_layer(path, [r for r in records if r.state != "fixed"], epsg)


class CheckErrorLayers:
    GEOMETRY_TYPES = (("Polygon", "Errors (polygons)"), ("Point", "Errors (points)"))

    def __init__(self, project=None):
        self.project = project or QgsProject.instance()
        self.group = None
        self.layer_ids = []
        self.path = ""
        self._files = []   # files written by this object, deleted once no layer uses them

    @staticmethod
    def tr(text):
        return QCoreApplication.translate("CheckErrorLayers", text)

    def is_shown(self) -> bool:
        return bool(self.layers())

    def layers(self):
        return [self.project.mapLayer(i) for i in self.layer_ids if self.project.mapLayer(i)]

    def show(self, records, db_path, epsg):
        """Write the records (fixed ones left out) and load them in a group on top."""
        return self.load(write_layer_file(new_layer_path(db_path), records, epsg))

    def load(self, path):
        """Replace the shown layers by those of an error layer file written before."""
        self.remove()
        self.path = path
        self._files.append(path)
        layers = []
        for gtype, label in self.GEOMETRY_TYPES:
            uri = "%s|layername=%s|geometrytype=%s" % (path, ERROR_LAYER_NAME, gtype)
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
        self._delete_old_files()
        return path

    def _delete_old_files(self, keep_current=True):
        left = []
        for f in self._files:
            if keep_current and f == self.path:
                left.append(f)
                continue
            try:
                os.remove(f)
            except OSError:   # still open somewhere: try again next time
                left.append(f)
        self._files = left

    def shutdown(self):
        self.remove()
        self.path = ""
        self._delete_old_files(keep_current=False)

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
