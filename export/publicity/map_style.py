"""Symbols and labelling of the 公示图 layers (QGIS renderers and label settings)."""
from qgis.core import (QgsFillSymbol, QgsLineSymbol, QgsMarkerSymbol, QgsNullSymbolRenderer,
                       QgsPalLayerSettings, QgsProperty, QgsPropertyCollection,
                       QgsRuleBasedRenderer, QgsSingleSymbolRenderer, QgsTextBufferSettings,
                       QgsTextFormat, QgsUnitTypes, QgsVectorLayerSimpleLabeling)
from qgis.PyQt.QtGui import QColor, QFont

WATER = "regexp_match(coalesce(\"DWMC\", ''), '渠|沟|河|溪|水|塘|池|库|湖')"


def _rule_renderer(rules):
    root = QgsRuleBasedRenderer.Rule(None)
    for symbol, expression, label in rules:
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    return QgsRuleBasedRenderer(root)


def style_neighbours(layer, base_image: bool = False):
    """Other units' plots: faded grey (a light veil over the orthophoto)."""
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({
        "color": "255,255,255,110" if base_image else "236,236,236,255",
        "outline_color": "165,165,165,255", "outline_width": "0.12"})))


def style_unit_plots(layer, base_image: bool):
    fill = "255,255,255,0" if base_image else "255,255,255,255"
    other = "255,255,255,0" if base_image else "255,246,214,255"
    layer.setRenderer(_rule_renderer([
        (QgsFillSymbol.createSimple({"color": fill, "outline_color": "0,0,0,255",
                                     "outline_width": "0.22"}), "\"contracted\" = 1", "本组承包地块"),
        (QgsFillSymbol.createSimple({"color": other, "outline_color": "0,0,0,255",
                                     "outline_width": "0.22", "outline_style": "dash"}),
         "\"contracted\" = 0", "非承包地块（自留地、机动地等）"),
    ]))


def style_boundary(layer, label: str):
    sym = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "215,25,28,255",
                                      "outline_width": "0.7", "outline_style": "dash dot"})
    layer.setRenderer(QgsSingleSymbolRenderer(sym))
    layer.setName(label)


def style_lines(layer):
    road = QgsLineSymbol.createSimple({"color": "160,110,60,255", "width": "0.6"})
    water = QgsLineSymbol.createSimple({"color": "40,120,200,255", "width": "0.5"})
    layer.setRenderer(_rule_renderer([(water, WATER, "沟渠、河流"), (road, "NOT " + WATER, "道路")]))


def style_areas(layer):
    water = QgsFillSymbol.createSimple({"color": "190,225,250,255", "outline_color": "40,120,200,255",
                                        "outline_width": "0.2"})
    other = QgsFillSymbol.createSimple({"color": "225,235,215,255", "outline_color": "120,140,110,255",
                                        "outline_width": "0.2"})
    layer.setRenderer(_rule_renderer([(water, WATER, "坑塘、水面"), (other, "NOT " + WATER,
                                                                  "其他面状地物")]))


def style_points(layer):
    layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple({
        "name": "circle", "color": "90,90,90,255", "size": "1.2", "outline_color": "255,255,255,255"})))


def style_leaders(layer):
    sym = QgsLineSymbol.createSimple({"color": "60,60,60,255", "width": "0.15"})
    layer.setRenderer(QgsSingleSymbolRenderer(sym))


# CJK fonts have a tall line spacing (Noto Sans CJK: 1.45 em); plot labels are set tighter
LABEL_LINE_HEIGHT = 0.8


def text_format(family: str, size_mm: float, bold=False, color="0,0,0", halo_mm=0.0,
                line_height=1.0) -> QgsTextFormat:
    f = QFont(family)
    f.setBold(bold)
    tf = QgsTextFormat()
    tf.setFont(f)
    tf.setSize(size_mm)
    tf.setSizeUnit(QgsUnitTypes.RenderMillimeters)
    tf.setColor(QColor(*[int(c) for c in color.split(",")]))
    tf.setLineHeight(line_height)
    if halo_mm:
        b = QgsTextBufferSettings()
        b.setEnabled(True)
        b.setSize(halo_mm)
        b.setSizeUnit(QgsUnitTypes.RenderMillimeters)
        b.setColor(QColor(255, 255, 255))
        tf.setBuffer(b)
    return tf


def label_plot_labels(layer, family: str, halo_mm: float, halo_all: bool = False):
    """The planned labels: drawn exactly where planned (size, angle), never dropped."""
    s = QgsPalLayerSettings()
    s.fieldName = "text"
    s.placement = QgsPalLayerSettings.OverPoint
    s.quadOffset = QgsPalLayerSettings.QuadrantOver
    s.multilineAlign = QgsPalLayerSettings.MultiCenter
    s.displayAll = True
    s.priority = 10
    s.obstacleSettings().setIsObstacle(True)
    s.setFormat(text_format(family, 2.5, halo_mm=halo_mm, line_height=LABEL_LINE_HEIGHT))
    props = QgsPropertyCollection()
    props.setProperty(QgsPalLayerSettings.Size, QgsProperty.fromField("size"))
    props.setProperty(QgsPalLayerSettings.LabelRotation, QgsProperty.fromExpression('-"angle"'))
    props.setProperty(QgsPalLayerSettings.Bold, QgsProperty.fromExpression('"number" IS NOT NULL'))
    # a white halo only where a label lies over lines (leaders): inside its white plot
    # a label needs none, and halos are the costly part of drawing CJK text
    if not halo_all:     # over an orthophoto every label keeps its halo
        props.setProperty(QgsPalLayerSettings.BufferDraw,
                          QgsProperty.fromExpression("\"mode\" IN ('callout', 'number_callout')"))
    s.setDataDefinedProperties(props)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(s))
    layer.setLabelsEnabled(True)
    layer.setRenderer(QgsNullSymbolRenderer())


def label_features(layer, family: str, size_mm: float, line: bool):
    """Names of roads, ditches and ponds: placed by QGIS where free, may be dropped."""
    s = QgsPalLayerSettings()
    s.fieldName = "DWMC"
    s.placement = QgsPalLayerSettings.Line if line else QgsPalLayerSettings.OverPoint
    if line:
        s.placementFlags = QgsPalLayerSettings.OnLine
    s.priority = 2
    s.setFormat(text_format(family, size_mm, color="30,80,150" if line else "60,90,60", halo_mm=0.3))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(s))
    layer.setLabelsEnabled(True)
