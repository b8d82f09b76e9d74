"""Export 公示图 sheets: one PDF per unit (and PNG on request), optionally one merged PDF.

Print layouts are rendered in the main thread (QGIS 3.22 renders layouts with
labels from the GUI thread only; its own layout-export algorithms are flagged
no-threading). Data and label plans are prepared beforehand in a task, so each
sheet here is one short step the caller can interleave with event processing.
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from qgis.core import QgsLabelingEngineSettings, QgsLayoutExporter, QgsProject, QgsRenderContext
from qgis.PyQt.QtCore import QMarginsF, QSize, QSizeF
from qgis.PyQt.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from .map_layers import BaseLayers, UnitLayers
from .map_layout import build_layout


@dataclass
class MapResult:
    unit: str
    pdf: str
    png: Optional[str]
    paper: str
    scale: int
    pages: int
    modes: Dict[str, int]
    placed: Dict[str, str] = field(default_factory=dict)     # DKBM -> text drawn by QGIS
    unplaced: List[str] = field(default_factory=list)
    label_geoms: List[tuple] = field(default_factory=list)   # (DKBM, WKT of the drawn label)
    numbered: List[tuple] = field(default_factory=list)      # (number, DKBM)


class MapExporter:
    def __init__(self, db_path: str, epsg: int, family: str, settings, merged_path: str = "",
                 png: bool = False, present=("XZDW", "MZDW", "DZDW")):
        self.project = QgsProject()
        # fewer label candidates for roads and ponds: their names are secondary
        engine = self.project.labelingEngineSettings()
        engine.setMaximumLineCandidatesPerCm(1.0)
        engine.setMaximumPolygonCandidatesPerCmSquared(0.5)
        engine.setFlag(QgsLabelingEngineSettings.UsePartialCandidates, False)
        self.project.setLabelingEngineSettings(engine)
        self.family = family
        self.settings = settings
        self.png = png
        self.base = BaseLayers(self.project, db_path, epsg, family, settings.base_image, present)
        self.merged_path = merged_path
        self._writer = None
        self._painter = None
        self.results: List[MapResult] = []

    def export(self, unit_map, pdf_path: str) -> Optional[MapResult]:
        if unit_map.choice is None:          # a unit without plot geometries
            return None
        layers = UnitLayers(self.project, unit_map, self.base.crs, self.family,
                            0.35, self.base.image is not None)
        neighbours = self.base.get("DK")
        if self.base.image is not None and neighbours is not None:
            # the veil of the neighbours' plots must leave the unit's own plots clear
            neighbours.setSubsetString("substr(\"DKBM\", 1, 14) <> '%s'" % unit_map.unit.code)
        try:
            layout, _ = build_layout(self.project, unit_map, self.base, layers, self.family,
                                     self.settings)
            exporter = QgsLayoutExporter(layout)
            st = QgsLayoutExporter.PdfExportSettings()
            st.dpi = 300
            st.rasterizeWholeImage = False
            st.forceVectorOutput = True
            st.appendGeoreference = True
            st.exportMetadata = True
            # text stays text: searchable names, smaller files
            st.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
            os.makedirs(os.path.dirname(os.path.abspath(pdf_path)), exist_ok=True)
            status = exporter.exportToPdf(pdf_path, st)
            if status != QgsLayoutExporter.Success:
                raise IOError("公示图 %s 导出失败（%s）" % (pdf_path, exporter.errorFile() or status))
            result = self._result(unit_map, pdf_path, layout, exporter, layers)
            if self.png:
                # rendered to an image directly: exportToImage would also try to
                # georeference the PNG through GDAL, which cannot update PNG files
                png_path = os.path.splitext(pdf_path)[0] + ".png"
                image = exporter.renderPageToImage(0, QSize(), self.settings.png_dpi)
                if not image.isNull() and image.save(png_path, "PNG"):
                    result.png = png_path
            if self.merged_path:
                self._append_merged(layout, exporter)
        finally:
            layers.remove()
        self.results.append(result)
        return result

    def _result(self, unit_map, pdf_path, layout, exporter, layers) -> MapResult:
        plan = unit_map.plan
        modes: Dict[str, int] = {}
        for lab in plan.labels:
            modes[lab.mode] = modes.get(lab.mode, 0) + 1
        res = MapResult(unit_map.unit.code, pdf_path, None, unit_map.choice.frame.name,
                        unit_map.choice.scale, layout.pageCollection().pageCount(), modes,
                        numbered=[(lab.number, lab.key) for lab in plan.numbered])
        results = exporter.labelingResults() if hasattr(exporter, "labelingResults") else {}
        for lr in results.values():
            for pos in lr.allLabels():
                if pos.layerID != layers.labels.id():
                    continue
                key = layers.key_of_feature(pos.featureId)
                if key is None:
                    continue
                if pos.isUnplaced:
                    res.unplaced.append(key)
                else:
                    res.placed[key] = pos.labelText
                    geom = getattr(pos, "labelGeometry", None)
                    if geom is not None and not geom.isEmpty():
                        res.label_geoms.append((key, geom.asWkt(3)))
        return res

    def _append_merged(self, layout, exporter):
        for i in range(layout.pageCollection().pageCount()):
            size = layout.pageCollection().page(i).pageSize()   # mm
            page = QPageSize(QSizeF(size.width(), size.height()), QPageSize.Millimeter)
            if self._writer is None:
                os.makedirs(os.path.dirname(os.path.abspath(self.merged_path)), exist_ok=True)
                self._writer = QPdfWriter(self.merged_path)
                self._writer.setResolution(300)
                self._writer.setCreator("QueQuan 确权助手")
                self._writer.setTitle("农村土地承包经营权地块分布图（公示图）")
                self._writer.setPageLayout(QPageLayout(page, QPageLayout.Portrait,
                                                       QMarginsF(0, 0, 0, 0)))
                self._painter = QPainter(self._writer)
            else:
                self._writer.setPageLayout(QPageLayout(page, QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
                self._writer.newPage()
            exporter.renderPage(self._painter, i)

    def close(self) -> Optional[str]:
        """Finish the merged PDF; the job's layers are released with its project."""
        if self._painter is not None:
            self._painter.end()
            self._painter = None
            self._writer = None
            return self.merged_path
        return None
