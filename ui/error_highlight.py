"""Shows the current error on the map canvas: a rubber band, and zooming to it."""
from qgis.core import (QgsCoordinateTransform, QgsGeometry, QgsProject, QgsRectangle,
                       QgsWkbTypes)
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtGui import QColor

STROKE = QColor(230, 0, 160, 255)
FILL = QColor(230, 0, 160, 60)


class ErrorHighlight:
    """One highlighted error at a time; clear() or remove() leaves nothing on the canvas."""

    def __init__(self, canvas, min_extent=40.0):
        self.canvas = canvas
        self.min_extent = min_extent   # metres: a vertex error still shows its surroundings
        self._bands = []

    def clear(self):
        for band in self._bands:
            band.reset()
            if self.canvas is not None and self.canvas.scene() is not None:
                self.canvas.scene().removeItem(band)
        self._bands = []

    remove = clear

    def show(self, geometry: QgsGeometry, crs):
        """Highlight a geometry given in crs (the township database's CRS)."""
        self.clear()
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            return
        gtype = geometry.type()
        band = QgsRubberBand(self.canvas, gtype)
        band.setStrokeColor(STROKE)
        band.setWidth(3)
        if gtype == QgsWkbTypes.PointGeometry:
            band.setIcon(QgsRubberBand.ICON_CIRCLE)
            band.setIconSize(18)
            band.setFillColor(QColor(0, 0, 0, 0))
        else:
            band.setFillColor(FILL)
        band.setToGeometry(geometry, crs)
        band.show()
        self._bands.append(band)

    def extent_for(self, rect: QgsRectangle, crs) -> QgsRectangle:
        """The canvas extent (canvas CRS) showing rect (crs) with some margin."""
        rect = QgsRectangle(rect)
        grow_x = max(self.min_extent - rect.width(), rect.width() * 0.5) / 2.0
        grow_y = max(self.min_extent - rect.height(), rect.height() * 0.5) / 2.0
        rect = QgsRectangle(rect.xMinimum() - grow_x, rect.yMinimum() - grow_y,
                            rect.xMaximum() + grow_x, rect.yMaximum() + grow_y)
        dest = self.canvas.mapSettings().destinationCrs()
        if crs is not None and crs.isValid() and dest.isValid() and dest != crs:
            rect = QgsCoordinateTransform(crs, dest, QgsProject.instance()).transformBoundingBox(rect)
        return rect

    def zoom_to(self, rect: QgsRectangle, crs):
        if rect is None or rect.isNull():
            return
        self.canvas.setExtent(self.extent_for(rect, crs))
        self.canvas.refresh()
