"""Vectorised geometry operations the topology rules are built on.

Width (checks.md §7) is 2 × the radius of the largest inscribed circle. shapely
2.0 / GEOS 3.11 has no maximum_inscribed_circle, so width is tested by erosion:
width(P) < w  ⇔  buffer(P, −w/2) is empty. Erosion is exact along straight
edges; at reflex corners the arcs are chords, which can only make a part look
marginally wider (never narrower).
"""
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from shapely.errors import GEOSException

GRID = 0.0001   # coordinate precision of the inspection rules: fallback snapping grid
_QUAD = 16


def threads() -> int:
    """Worker threads for GEOS work (shapely releases the GIL): QUEQUAN_THREADS, else
    up to 2 (township PCs and this project's CI have few cores)."""
    try:
        n = int(os.environ.get("QUEQUAN_THREADS", "0"))
    except ValueError:
        n = 0
    return n if n > 0 else max(1, min(2, os.cpu_count() or 1))


def parallel_map(fn, items):
    """[fn(x) for x in items], in worker threads; order kept (results are deterministic)."""
    items = list(items)
    n = threads()
    if n <= 1 or len(items) < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(fn, items))


def settle(geoms) -> None:
    """Compute the geometries' envelopes here, before threads share them: GEOS caches
    an envelope on first use, and two threads doing that at once for one geometry is
    a data race (the same geometry can appear in both halves of a split)."""
    if len(geoms):
        shapely.bounds(geoms)


def chunked(fn, arr, min_size=20000):
    """fn over an array in one chunk per thread, results concatenated (vectorised fn)."""
    arr = _arr(arr)
    n = threads()
    if n <= 1 or len(arr) < min_size:
        return fn(arr)
    return np.concatenate(parallel_map(fn, np.array_split(arr, n)))


def chunked_pairs(fn, a, b, min_size=5000):
    """fn(a, b) elementwise (a binary shapely predicate or operation), one chunk per
    thread for large arrays."""
    a, b = _arr(a), _arr(b)
    n = threads()
    if n <= 1 or len(a) < min_size:
        return fn(a, b)
    settle(a)
    settle(b)
    cuts = np.linspace(0, len(a), n + 1).astype(int)
    return np.concatenate(parallel_map(lambda k: fn(a[cuts[k]:cuts[k + 1]], b[cuts[k]:cuts[k + 1]]),
                                       range(n)))


def query_pairs(tree, geoms, predicate, distance=None, min_size=20000):
    """tree.query(geoms, predicate) split over the worker threads; same result."""
    geoms = _arr(geoms)
    n = threads()
    kw = {"distance": distance} if distance is not None else {}
    if n <= 1 or len(geoms) < min_size:
        return tree.query(geoms, predicate=predicate, **kw)
    starts = np.linspace(0, len(geoms), n + 1).astype(int)
    parts = parallel_map(lambda k: tree.query(geoms[starts[k]:starts[k + 1]], predicate=predicate,
                                              **kw), range(n))
    return (np.concatenate([p[0] + starts[k] for k, p in enumerate(parts)]),
            np.concatenate([p[1] for p in parts]))


def _arr(geoms):
    return np.asarray(geoms, dtype=object)


def narrower_than(geoms, width) -> np.ndarray:
    """True where width(g) < width (scalar or per geometry); None/empty count as narrower."""
    geoms = _arr(geoms)
    if not len(geoms):
        return np.zeros(0, dtype=bool)
    half = np.broadcast_to(np.asarray(width, dtype=float) / 2.0, geoms.shape)
    try:
        eroded = shapely.buffer(geoms, -half, quad_segs=_QUAD)
    except GEOSException:
        eroded = np.empty(len(geoms), dtype=object)
        for i, g in enumerate(geoms):
            try:
                eroded[i] = shapely.buffer(g, -half[i], quad_segs=_QUAD)
            except GEOSException:
                eroded[i] = None      # cannot erode: treat as narrow (reported, never lost)
    return shapely.is_empty(eroded) | shapely.is_missing(eroded)


def width_of(geoms, lo: float, hi: float, precision: float = 0.0001) -> np.ndarray:
    """Width of each polygon, known to lie in [lo, hi), by vectorised bisection."""
    geoms = _arr(geoms)
    n = len(geoms)
    lo_a = np.full(n, float(lo))
    hi_a = np.full(n, float(hi))
    while n and (hi_a - lo_a).max() > precision:
        mid = (lo_a + hi_a) / 2.0
        narrow = narrower_than(geoms, mid)
        hi_a = np.where(narrow, mid, hi_a)
        lo_a = np.where(narrow, lo_a, mid)
    return (lo_a + hi_a) / 2.0


def width_upper_bound(geoms) -> np.ndarray:
    """A width no polygon can exceed: the diameter of a circle of its area."""
    return 2.0 * np.sqrt(np.maximum(shapely.area(_arr(geoms)), 0.0) / np.pi) + 0.001


def polygonal(g):
    """The areal part of an overlay result (drops lines and points), or None."""
    if g is None or g.is_empty:
        return None
    tid = shapely.get_type_id(g)
    if tid in (3, 6):
        return g
    parts = shapely.get_parts(g)
    parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
    if not len(parts):
        return None
    if len(parts) == 1:
        return parts[0]
    # the polygons of one overlay result are disjoint: no union needed
    return shapely.multipolygons(shapely.get_parts(parts))


def polygonal_array(geoms) -> np.ndarray:
    """polygonal() over an array; Polygon/MultiPolygon pass through untouched."""
    geoms = _arr(geoms)
    tid = shapely.get_type_id(geoms)
    out = np.where(np.isin(tid, (3, 6)) & ~shapely.is_empty(geoms), geoms, None)
    for i in np.flatnonzero(tid == 7):
        out[i] = polygonal(geoms[i])
    return out


def safe_unary(fn, geoms) -> np.ndarray:
    """fn over an array; on a GEOS error, element by element (a failure gives None)."""
    geoms = _arr(geoms)
    try:
        return _arr(fn(geoms))
    except GEOSException:
        out = np.empty(len(geoms), dtype=object)
        for i, g in enumerate(geoms):
            try:
                out[i] = fn(g)
            except GEOSException:
                out[i] = None
        return out


def safe_binary(fn, a, b) -> np.ndarray:
    """Overlay fn(a, b) vectorised; a GEOS TopologyException on one pair retries it on
    the 0.0001 m grid, and gives None only if that fails too."""
    a, b = _arr(a), _arr(b)
    try:
        return _arr(fn(a, b))
    except GEOSException:
        out = np.empty(len(a), dtype=object)
        for i in range(len(a)):
            out[i] = safe_pair(fn, a[i], b[i])
        return out


def safe_pair(fn, a, b):
    try:
        return fn(a, b)
    except GEOSException:
        try:
            return fn(a, b, grid_size=GRID)
        except GEOSException:
            return None


def directed_distance(part, target) -> float:
    """Largest distance from a vertex of `part` to `target` (how far it reaches)."""
    if part is None or part.is_empty or target is None or target.is_empty:
        return 0.0
    pts = shapely.points(shapely.get_coordinates(part))
    return float(shapely.distance(pts, target).max()) if len(pts) else 0.0


# --- union of many plots ----------------------------------------------------------
def _try_coverage(geoms, total_area):
    """coverage_union_all if the input really is a clean coverage, else None.

    GEOS CoverageUnion (fast: cancels shared segments) throws on some bad input and
    silently returns an invalid polygon on other bad input (crossing edges); a
    valid result with the summed area is the union."""
    try:
        u = shapely.coverage_union_all(geoms)
    except GEOSException:
        return None
    if u is None or not shapely.is_valid(u):
        return None
    if abs(u.area - total_area) > 1e-9 * max(total_area, 1.0) + 1e-6:
        return None
    return u


def fast_union(geoms, tile_size: int = 1500, check=None):
    """Union of valid polygons: coverage union where the data is a clean coverage,
    full overlay (union_all) only for the tiles where it is not."""
    geoms = _arr([g for g in geoms if g is not None and not g.is_empty])
    if not len(geoms):
        return shapely.Polygon()
    areas = shapely.area(geoms)
    u = _try_coverage(geoms, float(areas.sum()))
    if u is not None:
        return u
    # spatial tiles of ~tile_size plots (centroid grid, row-major)
    c = shapely.get_coordinates(shapely.centroid(geoms))
    k = max(1, int(np.ceil(np.sqrt(len(geoms) / float(tile_size)))))
    lo, hi = c.min(axis=0), c.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    cell = np.minimum((k * (c - lo) / span).astype(np.int64), k - 1)
    tile = cell[:, 0] * k + cell[:, 1]
    order = np.argsort(tile, kind="stable")
    bounds = np.flatnonzero(np.diff(tile[order])) + 1
    pieces = []
    for chunk in np.split(order, bounds):
        if check:
            check()
        piece = _try_coverage(geoms[chunk], float(areas[chunk].sum()))
        if piece is None:
            piece = _union_all(geoms[chunk])
        pieces.append(piece)
    pieces = _arr(pieces)
    u = _try_coverage(pieces, float(shapely.area(pieces).sum()))
    return u if u is not None else _union_all(pieces)


def _union_all(geoms):
    try:
        return shapely.union_all(geoms)
    except GEOSException:
        return shapely.union_all(geoms, grid_size=GRID)


def difference(a, b):
    if b is None or b.is_empty:
        return a
    return safe_pair(shapely.difference, a, b)
