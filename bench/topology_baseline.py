"""The QGIS 3.22 Geometry Checker's overlap and gap checks, reproduced with PyQGIS.

The baseline of bench_topology.py. It follows the C++ of the Geometry Checker
(qgis/QGIS, src/analysis/vector/geometry_checker/):

- qgsvectordataproviderfeaturepool.cpp, qgsfeaturepool.cpp: the layer is read once
  (a default QgsFeatureRequest: all attributes); every feature with a geometry goes
  into a QgsSpatialIndex and the feature cache. Checks get features by id from the
  pool (QgsFeaturePool::getFeature) and candidates by bounding box
  (getIntersects: the index's ids as a set).
- qgsgeometryoverlapcheck.cpp, QgsGeometryOverlapCheck::collectErrors: for every
  feature A a GEOS engine (QgsGeometryCheckerUtils::createGeomEngine), the engine's
  isValid(), the features B of the spatial index in A's bounding box with
  id(B) < id(A), engine.overlaps(B), then engine.intersection(B) with its 1-D parts
  filtered out (filter1DTypes) and each part's area kept when
  reducedTolerance < area < maxOverlapArea.
- qgsgeometrygapcheck.cpp, QgsGeometryGapCheck::collectErrors: combine() (GEOS unary
  union) of all geometries, the union's envelope buffered by 2 (square caps, mitre
  joins, limit 4), envelope − union, and for every part of it that is not the outer
  part (bounding box equal to the envelope's, snapped to the tolerance grid) and whose
  area is within the threshold, the features in its bounding box that share an edge
  with it (QgsGeometryCheckerUtils::sharedEdgeLength > 0) are its neighbours.
- qgsgeometrycheckcontext.cpp: tolerance = 10^-precision, reducedTolerance =
  10^-(precision / 2); the dialog's default precision is 8.

Where PyQGIS cannot do exactly the same, the closest native call is used:
QgsGeometryCheckerUtils::sharedEdgeLength (a C++ segment-pair loop with the reduced
tolerance) is not exposed to Python: the shared edge length is the length of the
linear part of gap ∩ neighbour (QgsGeometryEngine.intersection), which is exact
for the gap parts an overlay produces; QgsGeometry.createGeometryEngine takes no
precision in 3.22 (the C++ rounds coordinates to 1e-8, a no-op at this scale).

The feature cache: qgsfeaturepool.h keeps CACHE_SIZE = 1000 features and
getFeature() reads every other one again from the provider (all attributes) and
adds it to the index once more. By default (cache_size 0) this baseline keeps all
geometries in memory instead, which spares it those reads: the figure the ratio is
taken against. cache_size=1000 reproduces the pool (bench --pool-cache 1000), for
information. The checks are driven from Python: the interpreter's share is measured
separately (python_overhead) so the ratio can also be stated without it.
"""
import math
import time
from collections import OrderedDict
from typing import Dict, List

PRECISION = 8
TOLERANCE = 10.0 ** -PRECISION
REDUCED_TOLERANCE = 10.0 ** -(PRECISION // 2)

STEPS = (
    "read: QgsVectorLayer features (all attributes) into a QgsSpatialIndex (feature pool)",
    "overlaps: per feature a GEOS engine + isValid, index candidates by bbox with smaller id, "
    "engine.overlaps, engine.intersection, polygonal parts' areas",
    "gaps: unaryUnion of all features, envelope buffered 2 (square, mitre), "
    "envelope − union, per inner gap part within the area threshold the neighbours "
    "(index by bbox, shared edge length > 0)",
)


class FeaturePool:
    """The features with a geometry, their QgsSpatialIndex, and getFeature() by id:
    from memory (cache_size 0) or through an LRU cache of cache_size features that
    re-reads misses from the layer, as QgsFeaturePool does."""

    def __init__(self, path: str, layer: str = "DK", limit: int = 0, cache_size: int = 0):
        from qgis.core import QgsFeatureRequest, QgsSpatialIndex, QgsVectorLayer
        self.layer = QgsVectorLayer("%s|layername=%s" % (path, layer), layer, "ogr")
        if not self.layer.isValid():
            raise RuntimeError("cannot open %s|layername=%s" % (path, layer))
        req = QgsFeatureRequest()
        if limit:
            req.setLimit(limit)
        self.cache_size = cache_size
        self.geoms: Dict[int, object] = {}
        self.cache: "OrderedDict[int, object]" = OrderedDict()
        self.index = QgsSpatialIndex()
        self.rereads = 0
        ids = []
        for f in self.layer.getFeatures(req):
            if f.hasGeometry() and not f.geometry().isEmpty():
                ids.append(f.id())
                self.index.addFeature(f)
                if cache_size:
                    self._keep(f.id(), f.geometry())
                else:
                    self.geoms[f.id()] = f.geometry()
        self.ids: List[int] = sorted(ids)

    def __len__(self):
        return len(self.ids)

    def _keep(self, fid, geom):
        self.cache[fid] = geom
        self.cache.move_to_end(fid)
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)

    def get(self, fid):
        """QgsFeaturePool::getFeature: the feature's geometry."""
        if not self.cache_size:
            return self.geoms[fid]
        geom = self.cache.get(fid)
        if geom is not None:
            self.cache.move_to_end(fid)
            return geom
        f = self.layer.getFeature(fid)            # the provider, all attributes
        self.rereads += 1
        self.index.addFeature(f)                  # as getFeature() does on a miss
        self._keep(fid, f.geometry())
        return f.geometry()

    def intersects(self, rect):
        """QgsFeaturePool::getIntersects: the ids in rect, as a set."""
        return set(self.index.intersects(rect))


def _parts(geom):
    """QgsGeometryCheckerUtils::getGeomPart over all parts."""
    from qgis.core import QgsGeometryCollection
    if isinstance(geom, QgsGeometryCollection):
        return [geom.geometryN(i) for i in range(geom.numGeometries())]
    return [geom]


def _areal_parts(geom):
    """filter1DTypes: only the surfaces of a collection."""
    from qgis.core import QgsSurface
    return [p for p in _parts(geom) if isinstance(p, QgsSurface)]


def overlap_check(pool: FeaturePool, max_overlap_area: float = math.inf):
    """QgsGeometryOverlapCheck::collectErrors; [(fid A, fid B, area)], messages."""
    from qgis.core import QgsGeometry
    errors, messages = [], []
    for fa in pool.ids:
        a = pool.get(fa).constGet()
        engine = QgsGeometry.createGeometryEngine(a)
        if not engine.isValid():
            messages.append("Overlap check failed for (%d): the geometry is invalid" % fa)
            continue
        for fb in pool.intersects(a.boundingBox()):
            b = pool.get(fb).constGet()          # LayerFeatures B fetches every candidate
            if fb >= fa:
                continue
            if engine.overlaps(b):
                inter = engine.intersection(b)
                if inter is None or inter.isEmpty():
                    continue
                for part in _areal_parts(inter):
                    area = part.area()
                    if REDUCED_TOLERANCE < area < max_overlap_area:
                        errors.append((fa, fb, area))
    return errors, messages


def shared_edge_length(gap_engine, other) -> float:
    """Length of the linear part of gap ∩ other (stand-in for sharedEdgeLength)."""
    inter = gap_engine.intersection(other)
    return 0.0 if inter is None or inter.isEmpty() else inter.length()


def gap_check(pool: FeaturePool, gap_threshold: float = 0.0):
    """QgsGeometryGapCheck::collectErrors; [(area, neighbour fids)], messages."""
    from qgis.core import Qgis, QgsGeometry
    geom_list = [pool.get(f) for f in pool.ids]
    if not geom_list:
        return [], []
    union = QgsGeometry.unaryUnion(geom_list)
    if union.isNull() or union.isEmpty():
        return [], ["Gap check: union failed"]
    u = union.constGet()
    engine = QgsGeometry.createGeometryEngine(u)
    engine.prepareGeometry()
    envelope = engine.envelope()
    engine = QgsGeometry.createGeometryEngine(envelope)
    engine.prepareGeometry()
    envelope = engine.buffer(2, 0, Qgis.EndCapStyle.Square, Qgis.JoinStyle.Miter, 4.0)
    engine = QgsGeometry.createGeometryEngine(envelope)
    engine.prepareGeometry()
    diff = engine.difference(u)
    if diff is None:
        return [], ["Gap check: difference failed"]
    outer = envelope.boundingBox().snappedToGrid(TOLERANCE)
    errors = []
    for gap in _parts(diff):
        if gap.boundingBox().snappedToGrid(TOLERANCE) == outer:
            continue                       # the gap between the features and the envelope
        area = gap.area()
        if (gap_threshold > 0 and area > gap_threshold) or area < REDUCED_TOLERANCE:
            continue
        gap_engine = QgsGeometry.createGeometryEngine(gap)
        neighbours = [f for f in pool.intersects(gap.boundingBox())
                      if shared_edge_length(gap_engine, pool.get(f).constGet()) > 0]
        if neighbours:
            errors.append((area, neighbours))
    return errors, []


def python_overhead(pool: FeaturePool) -> float:
    """Seconds of the overlap loops without any GEOS call: the part a C++ loop would not
    pay (iteration, method dispatch; the index queries are left out of it since the
    C++ does them too)."""
    saved, pool.cache_size = pool.cache_size, 0
    if saved:
        pool.geoms = {f: pool.layer.getFeature(f).geometry() for f in pool.ids}
    try:
        t0 = time.perf_counter()
        n = 0
        for fa in pool.ids:
            a = pool.get(fa).constGet()
            for fb in pool.intersects(a.boundingBox()):
                b = pool.get(fb).constGet()
                if fb >= fa:
                    continue
                n += b is not None
        loops = time.perf_counter() - t0
        t0 = time.perf_counter()
        for fa in pool.ids:
            pool.intersects(pool.get(fa).constGet().boundingBox())
        queries = time.perf_counter() - t0
    finally:
        pool.cache_size = saved
    return max(loops - queries, 0.0)


def run(path: str, limit: int = 0, gap_threshold: float = 0.0, cache_size: int = 0) -> dict:
    """Read, overlap check and gap check, timed (wall and CPU) step by step."""
    out = {}

    def step(name, fn):
        t0, c0 = time.perf_counter(), time.process_time()
        res = fn()
        out[name] = (time.perf_counter() - t0, time.process_time() - c0)
        return res
    pool = step("read", lambda: FeaturePool(path, limit=limit, cache_size=cache_size))
    overlaps, _ = step("overlaps", lambda: overlap_check(pool))
    gaps, _ = step("gaps", lambda: gap_check(pool, gap_threshold))
    out["features"] = len(pool)
    out["overlap_errors"] = len(overlaps)
    out["gap_errors"] = len(gaps)
    out["rereads"] = pool.rereads
    out["wall"] = sum(out[k][0] for k in ("read", "overlaps", "gaps"))
    out["cpu"] = sum(out[k][1] for k in ("read", "overlaps", "gaps"))
    out["python_overhead"] = python_overhead(pool)
    return out
