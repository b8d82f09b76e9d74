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


# --- categorized by rule (the results dock's layer) -------------------------
# Polygon rules get their own colour so that overlaps, gaps and holes read apart
# on the map; vertex rules their own marker shape. Other rules fall back to
# the severity colour.
RULE_COLOURS = {
    "T01": "128,0,38", "T03": "197,27,138", "T04": "227,26,28", "T05": "31,120,180",
    "T06": "0,170,200", "T07": "106,61,154", "T08": "177,89,40", "T13": "152,78,163",
    "T14": "255,127,0", "T15": "140,81,10",
    "T09": "255,127,0", "T10": "51,160,44", "T11": "227,26,28", "T12": "106,61,154",
    "T16": "31,120,180",
}
RULE_MARKERS = {"T09": "triangle", "T10": "square", "T11": "cross2", "T12": "diamond",
                "T16": "star", "T01": "x"}


def _rule_symbol(geometry_type, rule, severity_text):
    rgb = RULE_COLOURS.get(rule, COLOURS.get(severity_text, COLOURS["错误"]))
    if geometry_type == QgsWkbTypes.PolygonGeometry:
        return QgsFillSymbol.createSimple({
            "color": rgb + ",80", "outline_color": rgb + ",255", "outline_width": "0.8"})
    if geometry_type == QgsWkbTypes.LineGeometry:
        from qgis.core import QgsLineSymbol
        return QgsLineSymbol.createSimple({"color": rgb + ",255", "width": "0.8"})
    return QgsMarkerSymbol.createSimple({
        "name": RULE_MARKERS.get(rule, "circle"), "color": rgb + ",220",
        "outline_color": "255,255,255" if rule not in ("T11", "T01") else rgb + ",255",
        "outline_width": "0.4", "size": "3.6"})


def apply_rule_style(layer, titles=None):
    """Categorized renderer on "rule": one class per rule present in the layer, labelled with
    the rule's title (titles: rule -> title, e.g. catalogue.RULES)."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsRendererCategory
    if layer is None or not layer.isValid():
        return
    idx = layer.fields().indexOf("rule")
    if idx < 0:
        apply_error_style(layer)
        return
    sev_idx = layer.fields().indexOf("severity")
    severity = {}
    for feat in layer.getFeatures():
        severity.setdefault(feat["rule"], feat["severity"] if sev_idx >= 0 else "错误")
    gtype = layer.geometryType()
    cats = []
    for rule in sorted(r for r in severity if r):
        title = (titles or {}).get(rule)
        label = "%s %s" % (rule, title[1] if isinstance(title, tuple) else (title or ""))
        cats.append(QgsRendererCategory(rule, _rule_symbol(gtype, rule, severity[rule]),
                                        label.strip()))
    layer.setRenderer(QgsCategorizedSymbolRenderer("rule", cats))
    layer.triggerRepaint()
