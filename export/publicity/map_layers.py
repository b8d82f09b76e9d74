"""QGIS layers of the 公示图: township layers read from the GeoPackage once per job, and
small memory layers per unit (its plots, boundary, planned labels and leaders)."""
import os
from typing import Dict, List, Optional

from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsField, QgsGeometry,
                       QgsRasterLayer, QgsVectorLayer)
from qgis.PyQt.QtCore import QVariant

from . import map_style


class BaseLayers:
    """Layers shared by every sheet of a job: neighbours, features, optional image."""

    def __init__(self, project, db_path: str, epsg: int, family: str, base_image: str = "",
                 present=()):
        self.project = project
        self.crs = QgsCoordinateReferenceSystem("EPSG:%d" % epsg)
        self.family = family
        self.layers: Dict[str, object] = {}
        image = bool(base_image and os.path.exists(base_image))
        dk = self._ogr(db_path, "DK", "相邻地块")
        if dk is not None:
            map_style.style_neighbours(dk, image)
        for name, title, styler, size, line in (
                ("MZDW", "面状地物", map_style.style_areas, 2.2, False),
                ("XZDW", "线状地物", map_style.style_lines, 2.2, True),
                ("DZDW", "点状地物", map_style.style_points, 2.0, False)):
            if name not in present:
                continue
            lyr = self._ogr(db_path, name, title)
            if lyr is not None:
                styler(lyr)
                map_style.label_features(lyr, family, size, line)
        self.image = None
        if base_image and os.path.exists(base_image):
            img = QgsRasterLayer(base_image, "正射影像")
            if img.isValid():
                project.addMapLayer(img, False)
                self.image = img

    def _ogr(self, path, layer, title):
        lyr = QgsVectorLayer("%s|layername=%s" % (path, layer), title, "ogr")
        if not lyr.isValid():
            return None
        self.project.addMapLayer(lyr, False)
        self.layers[layer] = lyr
        return lyr

    def get(self, name) -> Optional[object]:
        return self.layers.get(name)


def _memory(kind: str, name: str, crs, fields) -> QgsVectorLayer:
    uri = "%s?crs=%s" % (kind, crs.authid())
    lyr = QgsVectorLayer(uri, name, "memory")
    lyr.dataProvider().addAttributes(fields)
    lyr.updateFields()
    return lyr


def _geometry(shp) -> QgsGeometry:
    return QgsGeometry.fromWkt(shp.wkt) if shp is not None else QgsGeometry()


class UnitLayers:
    """The unit's own layers for one sheet; removed from the project afterwards."""

    def __init__(self, project, unit_map, crs, family: str, halo_mm: float, base_image: bool):
        self.project = project
        self.plots = _memory("Polygon", "本组地块", crs, [
            QgsField("dkbm", QVariant.String), QgsField("contracted", QVariant.Int)])
        feats = []
        for p in unit_map.plots:
            f = QgsFeature(self.plots.fields())
            f.setAttributes([p.dkbm, 1 if p.contracted else 0])
            f.setGeometry(_geometry(p.geom))
            feats.append(f)
        self.plots.dataProvider().addFeatures(feats)
        map_style.style_unit_plots(self.plots, base_image)

        self.boundary = _memory("Polygon", "组界", crs, [QgsField("code", QVariant.String)])
        if unit_map.region is not None:
            f = QgsFeature(self.boundary.fields())
            f.setAttributes([unit_map.unit.code])
            f.setGeometry(_geometry(unit_map.region))
            self.boundary.dataProvider().addFeatures([f])
        label = {"ZJQY": "组界", "CJQY": "村界（发包方范围）"}.get(unit_map.region_source, "本组地块范围")
        map_style.style_boundary(self.boundary, label)

        self.labels = _memory("Point", "地块标注", crs, [
            QgsField("dkbm", QVariant.String), QgsField("text", QVariant.String),
            QgsField("size", QVariant.Double), QgsField("angle", QVariant.Double),
            QgsField("mode", QVariant.String), QgsField("number", QVariant.Int)])
        self.leaders = _memory("LineString", "引线", crs, [QgsField("dkbm", QVariant.String)])
        feats, leaders = [], []
        self.label_keys: List[str] = []
        for lab in unit_map.plan.labels:
            f = QgsFeature(self.labels.fields())
            f.setAttributes([lab.key, lab.text, float(lab.size_mm), float(lab.angle), lab.mode,
                             lab.number])
            f.setGeometry(QgsGeometry.fromWkt("POINT (%r %r)" % (lab.x, lab.y)))
            feats.append(f)
            self.label_keys.append(lab.key)
            if lab.leader:
                (ax, ay), (bx, by) = lab.leader
                g = QgsFeature(self.leaders.fields())
                g.setAttributes([lab.key])
                g.setGeometry(QgsGeometry.fromWkt("LINESTRING (%r %r, %r %r)" % (ax, ay, bx, by)))
                leaders.append(g)
        self.labels.dataProvider().addFeatures(feats)
        self.leaders.dataProvider().addFeatures(leaders)
        map_style.label_plot_labels(self.labels, family, halo_mm, halo_all=base_image)
        map_style.style_leaders(self.leaders)
        self.all = [self.labels, self.leaders, self.boundary, self.plots]
        project.addMapLayers(self.all, False)

    def key_of_feature(self, fid: int) -> Optional[str]:
        """DKBM of a label feature id (memory layer ids start at 1, in insertion order)."""
        i = int(fid) - 1
        return self.label_keys[i] if 0 <= i < len(self.label_keys) else None

    def remove(self):
        self.project.removeMapLayers([lyr.id() for lyr in self.all])
        self.all = []
