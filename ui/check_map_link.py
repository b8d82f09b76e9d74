"""Links the results dock to the map: the township's DK layer, plot selection, canvas extent."""
import os

from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeatureRequest,
                       QgsGeometry, QgsProject, QgsProviderRegistry, QgsRectangle, QgsVectorLayer,
                       QgsWkbTypes)

from .error_highlight import ErrorHighlight


def layer_db_path(layer):
    """(GeoPackage path, layer name) of an OGR layer; ('', '') for anything else."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return "", ""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    return parts.get("path") or "", parts.get("layerName") or ""


def loaded_dk_databases(layers):
    """Paths of the GeoPackages whose DK layer is among layers, in the order given."""
    out = []
    for layer in layers:
        path, name = layer_db_path(layer)
        if name.upper() == "DK" and path.lower().endswith(".gpkg") and path not in out:
            out.append(path)
    return out


class CheckMapLink:
    CONTEXT_MAX = 300.0   # metres: largest plot extent shown around a point error
    def __init__(self, canvas):
        self.canvas = canvas
        self.highlight = ErrorHighlight(canvas)
        self.db_path = ""
        self.crs = QgsCoordinateReferenceSystem()

    def set_database(self, path, epsg):
        self.db_path = path or ""
        self.crs = QgsCoordinateReferenceSystem("EPSG:%d" % epsg) if epsg else QgsCoordinateReferenceSystem()

    @property
    def epsg(self):
        return int(self.crs.authid().split(":")[1]) if self.crs.isValid() else None

    def dk_layer(self):
        """The loaded DK layer of the current database (None when it is not in the project)."""
        if not self.db_path:
            return None
        for layer in QgsProject.instance().mapLayers().values():
            path, name = layer_db_path(layer)
            if name.upper() == "DK" and path and os.path.abspath(path) == os.path.abspath(self.db_path):
                return layer
        return None

    def canvas_box(self):
        """Canvas extent in the database CRS as (minx, miny, maxx, maxy)."""
        rect = self.canvas.extent()
        dest = self.canvas.mapSettings().destinationCrs()
        if self.crs.isValid() and dest.isValid() and dest != self.crs:
            rect = QgsCoordinateTransform(dest, self.crs, QgsProject.instance()).transformBoundingBox(rect)
        return rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()

    def show(self, rec):
        """Highlight and zoom to the error; select the plots it involves in the DK layer."""
        layer = self.dk_layer()
        if layer is not None:
            self.select_plots(layer, rec.plot_keys)
        geom = QgsGeometry.fromWkt(rec.geom_wkt) if rec.geom_wkt else QgsGeometry()
        if not geom.isNull() and not geom.isEmpty():
            self.highlight.show(geom, self.crs)
            rect = geom.boundingBox()
            if geom.type() == QgsWkbTypes.PointGeometry and layer is not None \
                    and layer.selectedFeatureCount():
                # a point names a plot or a vertex: show the plots around it too, unless they
                # are so large that the point would be lost
                plots = self._to_db_crs(layer.boundingBoxOfSelected(), layer.crs())
                plots.combineExtentWith(rect)
                if max(plots.width(), plots.height()) <= self.CONTEXT_MAX:
                    rect = plots
            self.highlight.zoom_to(rect, self.crs)
        else:
            # household and table records have no shape: show their plots, if any
            self.highlight.clear()
            if layer is not None and layer.selectedFeatureCount():
                self.highlight.zoom_to(layer.boundingBoxOfSelected(), layer.crs())

    def _to_db_crs(self, rect, crs):
        if self.crs.isValid() and crs.isValid() and crs != self.crs:
            return QgsCoordinateTransform(crs, self.crs, QgsProject.instance()).transformBoundingBox(rect)
        return QgsRectangle(rect)

    @staticmethod
    def select_plots(layer, keys):
        idx = layer.fields().indexOf("DKBM")
        if idx < 0:
            return
        fids = []
        if keys:
            quoted = ",".join("'%s'" % k.replace("'", "''") for k in keys)
            req = QgsFeatureRequest().setFilterExpression('"DKBM" IN (%s)' % quoted)
            req.setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([idx])
            fids = [f.id() for f in layer.getFeatures(req)]
        layer.selectByIds(fids)

    def selected_keys(self):
        """DKBM of the plots selected in the DK layer."""
        layer = self.dk_layer()
        idx = layer.fields().indexOf("DKBM") if layer is not None else -1
        if idx < 0:
            return []
        return sorted({str(f.attribute(idx)).strip() for f in layer.selectedFeatures()
                       if f.attribute(idx) not in (None, "")})

    def clear(self):
        self.highlight.clear()
