"""A memory layer showing boundary disputes: open = red dashed, resolved = grey."""
from qgis.core import (QgsFeature, QgsField, QgsGeometry, QgsLineSymbol, QgsProject,
                       QgsRuleBasedRenderer, QgsVectorLayer)
from qgis.PyQt.QtCore import QVariant

from ..core.ownership import disputes

FIELDS = (("dispute", QVariant.Int), ("status", QVariant.String), ("status_name", QVariant.String),
          ("dkbm_a", QVariant.String), ("other", QVariant.String), ("parties", QVariant.String),
          ("opened", QVariant.String), ("resolution", QVariant.String))


def _style(layer):
    root = QgsRuleBasedRenderer.Rule(None)
    styles = ((disputes.OPEN, {"color": "227,26,28,255", "width": "1.2", "line_style": "dash"}),
              (disputes.RESOLVED, {"color": "140,140,140,255", "width": "1.0", "line_style": "dash"}))
    for status, props in styles:
        rule = QgsRuleBasedRenderer.Rule(QgsLineSymbol.createSimple(props), 0, 0,
                                         "\"status\" = '%s'" % status, disputes.STATUS_NAMES[status])
        root.appendChild(rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))


class DisputeLayer:
    """Owns one memory layer in the project; rebuilt from qq_dispute after each change."""

    def __init__(self, name):
        self.name = name
        self.layer = None

    def update(self, db, crs):
        rows = disputes.list_disputes(db)
        layer = self._ensure(crs)
        provider = layer.dataProvider()
        provider.truncate()
        features = []
        for r in rows:
            geom = disputes.dispute_geometry(db, r)
            if geom is None or geom.is_empty:
                continue
            f = QgsFeature(layer.fields())
            f.setGeometry(QgsGeometry.fromWkt(geom.wkt))
            f.setAttributes([r["fid"], r["status"], r["status_name"], r["dkbm_a"], r["other"],
                             r["parties"], r["opened"], r["resolution"]])
            features.append(f)
        provider.addFeatures(features)
        layer.updateExtents()
        layer.triggerRepaint()
        return layer

    def _ensure(self, crs):
        if self.layer is not None and QgsProject.instance().mapLayer(self.layer.id()) is not None:
            return self.layer
        layer = QgsVectorLayer("MultiLineString?crs=%s" % crs.authid(), self.name, "memory")
        layer.dataProvider().addAttributes([QgsField(n, t) for n, t in FIELDS])
        layer.updateFields()
        _style(layer)
        QgsProject.instance().addMapLayer(layer)
        self.layer = layer
        return layer

    def remove(self):
        if self.layer is not None and QgsProject.instance().mapLayer(self.layer.id()) is not None:
            QgsProject.instance().removeMapLayer(self.layer.id())
        self.layer = None
