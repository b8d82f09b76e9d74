"""Styling of error layers: red for 错误, orange for 警告; polygons hatched-transparent."""
from qgis.core import (QgsFillSymbol, QgsMarkerSymbol, QgsRuleBasedRenderer, QgsWkbTypes)

COLOURS = {"错误": "227,26,28", "警告": "255,127,0"}


def _symbol(geometry_type, rgb):
    if geometry_type == QgsWkbTypes.PolygonGeometry:
        return QgsFillSymbol.createSimple({
            "color": rgb + ",90", "outline_color": rgb + ",255", "outline_width": "0.6"})
    if geometry_type == QgsWkbTypes.LineGeometry:
        from qgis.core import QgsLineSymbol
        return QgsLineSymbol.createSimple({"color": rgb + ",255", "width": "0.8"})
    return QgsMarkerSymbol.createSimple({
        "name": "circle", "color": rgb + ",200", "outline_color": "255,255,255", "size": "3"})


def apply_error_style(layer):
    if layer is None or not layer.isValid():
        return
    gtype = layer.geometryType()
    root = QgsRuleBasedRenderer.Rule(None)
    for severity, rgb in COLOURS.items():
        rule = QgsRuleBasedRenderer.Rule(_symbol(gtype, rgb), 0, 0,
                                         "\"severity\" = '%s'" % severity, severity)
        root.appendChild(rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))
    layer.triggerRepaint()
