"""The print layout (QgsPrintLayout) of one 公示图 sheet.

Title band on top; map frame left with north arrow and scale bar; side panel
right with legend, the numbered key table (plots too small for their label)
and the notes: round, scale, area unit, CRS, 制图单位, 制图/审核 with dates.
"""
from qgis.core import (QgsLayerTree, QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemManualTable,
                       QgsLayoutItemMap, QgsLayoutItemPage, QgsLayoutItemPicture,
                       QgsLayoutItemPolygon, QgsLayoutItemScaleBar, QgsLayoutFrame, QgsLayoutMeasurement,
                       QgsLayoutMultiFrame,
                       QgsLayoutPoint, QgsLayoutSize, QgsLayoutTableColumn, QgsLegendRenderer, QgsLegendStyle,
                       QgsPrintLayout, QgsRectangle, QgsTableCell, QgsUnitTypes)
from qgis.PyQt.QtCore import QFile, QPointF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QPolygonF

from .map_style import text_format

NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"


def _label(layout, text, rect, family, size_mm, bold=False, halign=Qt.AlignLeft,
           valign=Qt.AlignTop):
    item = QgsLayoutItemLabel(layout)
    item.setText(text)
    if hasattr(item, "setTextFormat"):
        item.setTextFormat(text_format(family, size_mm, bold))
    else:   # QGIS 3.22
        f = QFont(family)
        f.setPointSizeF(size_mm / 0.3528)
        f.setBold(bold)
        item.setFont(f)
    item.setHAlign(halign)
    item.setVAlign(valign)
    item.setMarginX(0)
    item.setMarginY(0)
    item.attemptMove(QgsLayoutPoint(rect[0], rect[1], QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(rect[2], rect[3], QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


def _place(item, x, y, w, h):
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))


def _north_arrow(layout, x, y, size, family):
    if QFile.exists(NORTH_ARROW):
        pic = QgsLayoutItemPicture(layout)
        pic.setPicturePath(NORTH_ARROW)
        _place(pic, x, y, size * 0.6, size)
        layout.addLayoutItem(pic)
        return pic
    # drawn arrow when the QGIS resources are not available (e.g. some test set-ups)
    poly = QPolygonF([QPointF(x + size * 0.3, y), QPointF(x + size * 0.55, y + size * 0.8),
                      QPointF(x + size * 0.3, y + size * 0.62), QPointF(x + size * 0.05, y + size * 0.8)])
    item = QgsLayoutItemPolygon(poly, layout)
    layout.addLayoutItem(item)
    _label(layout, "北", (x, y + size * 0.8, size * 0.6, size * 0.35), family, size * 0.25, True,
           Qt.AlignHCenter)
    return item


def _nice_segment(scale: float, target_mm: float) -> float:
    raw = target_mm * scale / 1000.0
    exp = 10 ** int(f"{raw:e}".split("e")[1])
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= raw:
            return step * exp
    return 10 * exp


def build_layout(project, unit_map, base, unit_layers, family: str, settings):
    """A QgsPrintLayout for the sheet; returns (layout, map item)."""
    ch = unit_map.choice
    fr = ch.frame
    z = fr.zoom
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(unit_map.title)
    page = layout.pageCollection().page(0)
    page.setPageSize(fr.paper, QgsLayoutItemPage.Landscape if fr.orientation == "landscape"
                     else QgsLayoutItemPage.Portrait)

    tx, ty, tw, th = fr.title
    _label(layout, unit_map.title, (tx, ty, tw, th * 0.62), family, 7.0 * z, True, Qt.AlignHCenter,
           Qt.AlignVCenter)
    _label(layout, unit_map.subtitle, (tx, ty + th * 0.62, tw, th * 0.3), family, 3.6 * z, False,
           Qt.AlignHCenter, Qt.AlignTop)

    mx, my, mw, mh = fr.map
    m = QgsLayoutItemMap(layout)
    m.setCrs(unit_layers.plots.crs())
    _place(m, mx, my, mw, mh)
    layers = [unit_layers.labels, unit_layers.leaders, unit_layers.boundary]
    layers += [lyr for lyr in (base.get("DZDW"), base.get("XZDW")) if lyr is not None]
    layers.append(unit_layers.plots)
    layers += [lyr for lyr in (base.get("MZDW"), base.get("DK")) if lyr is not None]
    if base.image is not None:
        layers.append(base.image)
    m.setLayers(layers)
    m.setKeepLayerSet(True)
    e = ch.extent
    m.setExtent(QgsRectangle(e[0], e[1], e[2], e[3]))
    m.setScale(ch.scale)
    m.setFrameEnabled(True)
    m.setFrameStrokeWidth(QgsLayoutMeasurement(0.4))
    layout.addLayoutItem(m)

    arrow = 16.0 * z
    _north_arrow(layout, mx + mw - arrow * 0.6 - 4 * z, my + 4 * z, arrow, family)
    sb = QgsLayoutItemScaleBar(layout)
    sb.setStyle("Single Box")
    sb.setLinkedMap(m)
    sb.setUnits(QgsUnitTypes.DistanceMeters)
    sb.setUnitLabel("米")
    sb.setNumberOfSegmentsLeft(0)
    sb.setNumberOfSegments(3)
    sb.setUnitsPerSegment(_nice_segment(ch.scale, 15.0 * z))
    sb.setHeight(2.0 * z)
    if hasattr(sb, "setTextFormat"):
        sb.setTextFormat(text_format(family, 2.6 * z))
    sb.setBackgroundEnabled(True)
    sb.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(sb)
    sb.attemptMove(QgsLayoutPoint(mx + 4 * z, my + mh - 12 * z, QgsUnitTypes.LayoutMillimeters))
    sb.update()

    px, py, pw, ph = fr.panel
    legend = _legend(layout, m, base, unit_layers, family, z)
    # the legend item only learns its size when painted: measure it with its renderer
    legend_h = QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize().height()
    _place(legend, px, py, pw, legend_h)
    info_lines = unit_map.info
    info_h = len(info_lines) * 4.6 * z + 4 * z
    _label(layout, "\n".join(info_lines), (px, py + ph - info_h, pw, info_h), family, 2.8 * z)
    numbered = unit_map.plan.numbered
    if numbered:
        top = py + legend_h + 6 * z
        _label(layout, "地块编号表（编号为图上小地块的序号）", (px, top, pw, 5 * z), family, 2.8 * z, True)
        _key_table(layout, numbered, unit_map, (px, top + 6 * z, pw, py + ph - info_h - top - 10 * z),
                   family, z)
    return layout, m


def _legend(layout, map_item, base, unit_layers, family, z):
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("图  例")
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    root = QgsLayerTree()
    root.addLayer(unit_layers.plots)
    root.addLayer(unit_layers.boundary)
    for name in ("DK", "XZDW", "MZDW", "DZDW"):
        lyr = base.get(name)
        if lyr is not None:
            node = root.addLayer(lyr)
            if name == "DK":
                node.setName("相邻组地块")
    legend.model().setRootGroup(root)
    legend._root = root          # keep the tree alive as long as the legend
    for style, size, bold in ((QgsLegendStyle.Title, 4.0, True), (QgsLegendStyle.Group, 3.0, True),
                              (QgsLegendStyle.Subgroup, 3.0, False),
                              (QgsLegendStyle.SymbolLabel, 2.8, False)):
        st = legend.style(style)
        f = QFont(family)
        f.setPointSizeF(size * z / 0.3528)
        f.setBold(bold)
        st.setFont(f)
        legend.setStyle(style, st)
    legend.setSymbolWidth(7 * z)
    legend.setSymbolHeight(4 * z)
    legend.setBackgroundEnabled(False)
    layout.addLayoutItem(legend)
    return legend


def _key_table(layout, numbered, unit_map, rect, family, z):
    owners = {p.dkbm: p for p in unit_map.plots}
    rows = []
    for lab in numbered:
        p = owners.get(lab.key)
        rows.append([str(lab.number), p.owner if p and p.owner else "—", lab.key[-5:],
                     p.area if p else ""])
    row_h = 3.9 * z
    capacity = max(1, int(rect[3] / row_h) - 1)
    sets = 2 if len(rows) > capacity else 1
    headers = ["编号", "承包方", "编码", "面积"] * sets
    per = -(-len(rows) // sets)
    body = []
    for i in range(per):
        line = []
        for s in range(sets):
            k = i + s * per
            line += rows[k] if k < len(rows) else ["", "", "", ""]
        body.append([QgsTableCell(v) for v in line])
    table = QgsLayoutItemManualTable.create(layout)
    table.setHeaders([QgsLayoutTableColumn(h) for h in headers])
    table.setIncludeTableHeader(True)
    table.setTableContents(body)
    if hasattr(table, "setContentTextFormat"):
        table.setContentTextFormat(text_format(family, 2.4 * z))
        table.setHeaderTextFormat(text_format(family, 2.4 * z, True))
    table.setCellMargin(0.6 * z)
    table.setResizeMode(QgsLayoutMultiFrame.ExtendToNextPage)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    _place(frame, *rect)
    table.addFrame(frame)
    table.refresh()
    return table
