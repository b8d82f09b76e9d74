"""Map highlighting of a household's plots (QgsHighlight), kept apart from the dock."""
from qgis.core import QgsFeatureRequest, QgsRectangle
from qgis.gui import QgsHighlight
from qgis.PyQt.QtGui import QColor

HOUSEHOLD_COLOUR = QColor(0, 102, 255)   # blue: apart from green plots, yellow selection, orange MZDW


class PlotHighlighter:
    def __init__(self, canvas):
        self.canvas = canvas
        self.items = []
        self.fids = []

    def show(self, layer, fids, colour: QColor = HOUSEHOLD_COLOUR) -> QgsRectangle:
        """Highlight features of a layer by fid; returns their combined extent (layer CRS)."""
        self.clear()
        extent = QgsRectangle()
        if layer is None or not fids:
            return extent
        fill = QColor(colour)
        fill.setAlpha(70)
        for feature in layer.getFeatures(QgsFeatureRequest().setFilterFids(list(fids))):
            h = QgsHighlight(self.canvas, feature, layer)
            h.setColor(colour)
            h.setFillColor(fill)
            h.setWidth(3)
            h.show()
            self.items.append(h)
            self.fids.append(feature.id())
            if feature.hasGeometry():
                extent.combineExtentWith(feature.geometry().boundingBox())
        return extent

    def clear(self):
        for h in self.items:
            h.hide()
            if h.scene() is not None:
                h.scene().removeItem(h)
        self.items = []
        self.fids = []
