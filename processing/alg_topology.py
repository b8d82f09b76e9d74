"""quequan:checktopology and quequan:checkedgematching — the topology rules on any
polygon layer, and 接边 (edge matching) of plots against regions or between two
separately surveyed plot layers.

Thin layers: features are read into a PlotSet (and region/mask geometries) that
the check context caches under the keys the topology families read, then the
check engine runs the rules exactly as in the township self-check.
"""
import re

from qgis.core import (QgsCoordinateTransform, QgsFeatureRequest, QgsProcessing,
                       QgsProcessingFeatureSource,
                       QgsProcessingOutputNumber, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterVectorDestination, QgsWkbTypes)

from ..checks.context import Cancelled
from .base import QueQuanAlgorithm, core_feedback, fail, require_dependencies
from .error_output import write_outputs

PLOT_RULES = ["T%02d" % i for i in range(1, 14)]      # what needs only the plots (T13: (b))
_DKBM = re.compile(r"^\d{19}$")


def _epsg(crs):
    authid = crs.authid() if crs is not None and crs.isValid() else ""
    return int(authid.split(":")[1]) if authid.upper().startswith("EPSG:") else None


def _transform(src_crs, dst_crs, context):
    if src_crs.isValid() and dst_crs.isValid() and src_crs != dst_crs:
        return QgsCoordinateTransform(src_crs, dst_crs, context.transformContext())
    return None


def _all(source):
    """Features without the processing validity filter (layers from ALLOWED_GAPS are
    map layers, which have no such filter)."""
    if isinstance(source, QgsProcessingFeatureSource):
        return source.getFeatures(QgsFeatureRequest(),
                                  QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    return source.getFeatures()


def read_plots(source, key_field, feedback, crs=None, context=None, base=0.0, span=10.0):
    """(fids, keys, wkbs) of a polygon source; keys from key_field (fid when empty)."""
    fids, keys, wkbs = [], [], []
    idx = source.fields().lookupField(key_field) if key_field else -1
    tr = _transform(source.sourceCrs(), crs, context) if crs is not None else None
    total = max(source.featureCount(), 1)
    # invalid shapes are what T01 reports: never let processing drop or refuse them
    feats = source.getFeatures(QgsFeatureRequest(),
                               QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    for n, feat in enumerate(feats):
        if n % 1000 == 0:
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(base + span * n / total)
        geom = feat.geometry()
        wkb = None
        if geom is not None and not geom.isNull() and not geom.isEmpty():
            if tr is not None:
                geom.transform(tr)
            wkb = bytes(geom.asWkb())
        value = feat.attribute(idx) if idx >= 0 else None
        fids.append(int(feat.id()))
        keys.append("" if value is None or str(value) in ("NULL", "") else str(value).strip())
        wkbs.append(wkb)
    return fids, keys, wkbs


def read_shapes(source, crs, context, gap_width):
    """Shapely polygons of a layer, in crs. Lines are buffered by half their width: the
    KD field (XZDW's 宽度) where the layer has one and it is positive, else
    GAP_MAX_WIDTH/2, as the township check does (checks.md, allowed-feature mask)."""
    import shapely
    out = []
    tr = _transform(source.sourceCrs(), crs, context)
    kd = next((f.name() for f in source.fields() if f.name().upper() == "KD"), None)
    for feat in _all(source):
        geom = feat.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            continue
        if tr is not None:
            geom.transform(tr)
        g = shapely.from_wkb(bytes(geom.asWkb()), on_invalid="ignore")
        if g is None or g.is_empty:
            continue
        kind = QgsWkbTypes.geometryType(geom.wkbType())
        if kind == QgsWkbTypes.LineGeometry:
            g = g.buffer(_half_width(feat[kd] if kd else None, gap_width))
        elif kind != QgsWkbTypes.PolygonGeometry:
            continue
        out.append(g if g.is_valid else shapely.make_valid(g))
    return out


def _half_width(value, gap_width) -> float:
    try:
        width = float(value)
    except (TypeError, ValueError):
        width = 0.0
    return width / 2.0 if width > 0 else gap_width / 2.0


def plot_set(parts):
    """PlotSet from [(fids, keys, wkbs, unit_prefix)]; units: FBFBM (key[:14]) when the
    key is a DKBM, else one unit per layer. Raw WKB of unreadable shapes is kept."""
    from ..checks.plots import PlotSet
    fids, keys, wkbs, fbfbm, units = [], [], [], [], []
    for layer_fids, layer_keys, layer_wkbs, prefix in parts:
        for f, k, w in zip(layer_fids, layer_keys, layer_wkbs):
            fids.append(len(fids) + 1)
            keys.append(k or "fid:%d" % f)
            wkbs.append(w)
            fb = k[:14] if _DKBM.match(k or "") else ""
            fbfbm.append(fb)
            units.append("%s:%s" % (prefix, fb) if prefix else fb)
    ps = PlotSet.from_wkb(fids, keys, wkbs, fbfbm=fbfbm)
    raw = {i: w for i, w in enumerate(wkbs) if w and ps.geoms[i] is None}
    return ps, units, raw


def _threshold_params(alg):
    alg.addParameter(QgsProcessingParameterNumber(
        "OVERLAP_MIN_AREA", alg.tr("重叠面积阈值（平方米）"), QgsProcessingParameterNumber.Double,
        0.0001, minValue=0.0))
    alg.addParameter(QgsProcessingParameterNumber(
        "GAP_MAX_WIDTH", alg.tr("缝隙最大宽度（米）"), QgsProcessingParameterNumber.Double, 0.5,
        minValue=0.0))


def _outputs(alg):
    alg.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", alg.tr("错误图层")))
    alg.addParameter(QgsProcessingParameterFileDestination(
        "REPORT", alg.tr("检查报告（xlsx，可选）"), "Excel (*.xlsx)", optional=True,
        createByDefault=False))
    alg.addOutput(QgsProcessingOutputNumber("ERRORS", alg.tr("错误数")))
    alg.addOutput(QgsProcessingOutputNumber("WARNINGS", alg.tr("警告数")))


def _run(alg, parameters, context, feedback, ctx, rules, source_name, epsg):
    from ..checks.engine import run_checks
    ctx.feedback = core_feedback(feedback).scaled(10.0, 90.0)
    try:
        result = run_checks(ctx, rules, data_source=source_name)
    except Cancelled:
        fail("已取消")
    for note in result.run.get("notes", []):
        feedback.pushInfo(note)
    return write_outputs(alg, parameters, context, feedback, result, epsg)


class CheckTopologyAlgorithm(QueQuanAlgorithm):
    NAME = "checktopology"
    DISPLAY = "地块拓扑检查（任意面图层）"
    HELP = ("对任意面图层运行地块拓扑规则 T01–T12 和 T13(b)：图形无效、空图形、多部件、重叠、缝隙、孔洞、"
            "重复、碎小图斑、狭长角、节点重复、相邻节点未重合、缺少公用节点，以及不同发包方地块之间的重叠和缝隙。"
            "KEY_FIELD 为地块编码字段（默认 DKBM）；编码为 19 位地块代码时取前 14 位为发包方，否则全部地块视为"
            "同一单位。范围为全部地块的凸包；ALLOWED_GAPS 中的面（线按 KD 字段宽度的一半缓冲，无 KD 时按缝隙宽度的一半）不算缝隙或孔洞。"
            "阈值默认值见检查规则（重叠 0.0001 平方米、缝隙 0.5 米、孔洞 50 平方米）。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("地块图层"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            "KEY_FIELD", self.tr("地块编码字段"), "DKBM", "INPUT", optional=True))
        _threshold_params(self)
        self.addParameter(QgsProcessingParameterNumber(
            "HOLE_MAX_AREA", self.tr("孔洞面积上限（平方米）"), QgsProcessingParameterNumber.Double,
            50.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "ALLOWED_GAPS", self.tr("允许的空隙（道路、沟渠、坑塘等图层，可选）"),
            QgsProcessing.TypeVectorAnyGeometry, optional=True))
        _outputs(self)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..checks.context import CheckContext
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            fail("无法读取地块图层")
        key_field = self.parameterAsString(parameters, "KEY_FIELD", context)
        if key_field and source.fields().lookupField(key_field) < 0:
            fail("地块图层没有字段 %s" % key_field)
        gap = self.parameterAsDouble(parameters, "GAP_MAX_WIDTH", context)
        crs = source.sourceCrs()
        try:
            fids, keys, wkbs = read_plots(source, key_field, feedback)
        except Cancelled:
            fail("已取消")
        ps, units, raw = plot_set([(fids, keys, wkbs, "")])
        masks = []
        for layer in self.parameterAsLayerList(parameters, "ALLOWED_GAPS", context) or []:
            masks.extend(read_shapes(layer, crs, context, gap))
        ctx = CheckContext(None, parameters={
            "OVERLAP_MIN_AREA": self.parameterAsDouble(parameters, "OVERLAP_MIN_AREA", context),
            "GAP_MAX_WIDTH": gap,
            "HOLE_MAX_AREA": self.parameterAsDouble(parameters, "HOLE_MAX_AREA", context)},
            extra_masks=masks)
        ps.crs_epsg = _epsg(crs)
        ctx.cache["plots"] = ps
        ctx.cache["topo:raw_wkb"] = raw
        feedback.pushInfo("读取地块 %d 个，允许空隙图形 %d 个" % (len(ps), len(masks)))
        return _run(self, parameters, context, feedback, ctx, PLOT_RULES,
                    source.sourceName(), _epsg(crs))


class CheckEdgeMatchingAlgorithm(QueQuanAlgorithm):
    NAME = "checkedgematching"
    DISPLAY = "接边检查（地块与区域、两个调查图层之间）"
    HELP = ("接边检查（规则 T13）：(a) 地块超出本区域 TOLERANCE 米以上、伸入其他区域的部分（面积大于重叠阈值）；"
            "(b) 不同发包方地块之间的重叠和窄缝隙（宽度小于 GAP_MAX_WIDTH）。REGIONS 为村级或组级区域图层，"
            "REGION_KEY 为区域代码字段；地块所属区域取其编码开头的区域代码，编码不是地块代码时取地块所在区域。"
            "INPUT2 为另一个单独调查的地块图层（例如合并前的相邻村）：两个图层之间的重叠、缝隙和伸入对方区域的"
            "地块都作为接边错误报告。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("地块图层"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            "KEY_FIELD", self.tr("地块编码字段"), "DKBM", "INPUT", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "REGIONS", self.tr("区域图层（村级或组级区域，可选）"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "REGION_KEY", self.tr("区域代码字段"), "CJQYDM", "REGIONS", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", self.tr("接边容差（米）"), QgsProcessingParameterNumber.Double, 0.001,
            minValue=0.0))
        _threshold_params(self)
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT2", self.tr("第二个地块图层（可选）"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "KEY_FIELD2", self.tr("第二个图层的地块编码字段"), "DKBM", "INPUT2", optional=True))
        _outputs(self)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        require_dependencies()
        from ..checks.context import CheckContext
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            fail("无法读取地块图层")
        second = self.parameterAsSource(parameters, "INPUT2", context) \
            if parameters.get("INPUT2") else None
        regions_src = self.parameterAsSource(parameters, "REGIONS", context) \
            if parameters.get("REGIONS") else None
        if second is None and regions_src is None:
            feedback.pushInfo("未提供区域图层和第二个地块图层：只检查不同发包方地块之间的重叠和缝隙")
        crs = source.sourceCrs()
        parts = []
        try:
            f1 = read_plots(source, self.parameterAsString(parameters, "KEY_FIELD", context),
                            feedback, span=5.0)
            label1 = source.sourceName() or "图层1"
            if second is not None:
                label2 = second.sourceName() or "图层2"
                if label2 == label1:
                    label1, label2 = label1 + "(1)", label2 + "(2)"
                f2 = read_plots(second, self.parameterAsString(parameters, "KEY_FIELD2", context),
                                feedback, crs, context, base=5.0, span=5.0)
                parts = [f1 + (label1,), f2 + (label2,)]
            else:
                parts = [f1 + ("",)]
        except Cancelled:
            fail("已取消")
        ps, units, raw = plot_set(parts)
        ctx = CheckContext(None, parameters={
            "OVERLAP_MIN_AREA": self.parameterAsDouble(parameters, "OVERLAP_MIN_AREA", context),
            "GAP_MAX_WIDTH": self.parameterAsDouble(parameters, "GAP_MAX_WIDTH", context),
            "REGION_TOL": self.parameterAsDouble(parameters, "TOLERANCE", context)})
        ps.crs_epsg = _epsg(crs)
        ctx.cache["plots"] = ps
        ctx.cache["topo:units"] = units
        ctx.cache["topo:raw_wkb"] = raw
        if regions_src is not None:
            ctx.cache["topo:regions:CJQY"] = self._regions(regions_src, parameters, context, crs)
            feedback.pushInfo("区域 %d 个" % len(ctx.cache["topo:regions:CJQY"]))
        return _run(self, parameters, context, feedback, ctx, ["T13"], source.sourceName(),
                    _epsg(crs))

    def _regions(self, source, parameters, context, crs):
        import shapely
        field = self.parameterAsString(parameters, "REGION_KEY", context)
        idx = source.fields().lookupField(field) if field else -1
        if idx < 0:
            fail("区域图层没有字段 %s" % field)
        tr = _transform(source.sourceCrs(), crs, context)
        parts = {}
        for feat in _all(source):
            geom = feat.geometry()
            code = feat.attribute(idx)
            if geom is None or geom.isNull() or code is None or not str(code).strip():
                continue
            if tr is not None:
                geom.transform(tr)
            g = shapely.from_wkb(bytes(geom.asWkb()), on_invalid="ignore")
            if g is not None and not g.is_empty:
                parts.setdefault(str(code).strip(), []).append(g if g.is_valid else shapely.make_valid(g))
        return {k: (v[0] if len(v) == 1 else shapely.union_all(v)) for k, v in sorted(parts.items())}


ALGORITHMS = [CheckTopologyAlgorithm, CheckEdgeMatchingAlgorithm]
