"""Other layers the topology rules read: regions, allowed-feature masks, JZD/JZX.

Everything is cached in the check context; callers without a township database
(the processing algorithms) pre-fill the same cache keys.
"""
from typing import Dict, List, Tuple

import numpy as np
import shapely

from ..plots import repair_polygon
from .geomops import settle

REGION_LAYERS = {"XJQY": "XJQYDM", "CJQY": "CJQYDM", "ZJQY": "ZJQYDM"}


def read_layer(ctx, code: str, fields=()) -> Tuple[List[dict], np.ndarray]:
    """(rows, shapely geometries) of a layer; ([], []) without database or layer.
    Invalid polygons are repaired; unreadable geometries read as None."""
    def factory():
        db = ctx.db
        if db is None or not db.has(code):
            return [], np.empty(0, dtype=object)
        rows, wkbs = db.read_geometries(code, fields)
        arr = np.array([w if w else None for w in wkbs], dtype=object)
        geoms = shapely.from_wkb(arr, on_invalid="ignore") if len(arr) else arr
        geoms = np.where(shapely.is_empty(geoms), None, geoms)
        polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
        bad = np.flatnonzero(polygonal & ~shapely.is_valid(geoms))
        for i in bad:
            geoms[i] = repair_polygon(geoms[i])
        settle(geoms)             # the prefetch worker reads these too
        return rows, geoms
    return ctx.cached("topo:layer:" + code, factory)


def regions(ctx, code: str) -> Dict[str, object]:
    """Region code -> geometry (parts with one code united) for XJQY/CJQY/ZJQY."""
    def factory():
        rows, geoms = read_layer(ctx, code, (REGION_LAYERS[code],))
        parts: Dict[str, list] = {}
        for r, g in zip(rows, geoms):
            key = str(r.get(REGION_LAYERS[code]) or "").strip()
            if key and g is not None:
                parts.setdefault(key, []).append(g)
        out = {k: (v[0] if len(v) == 1 else shapely.union_all(v)) for k, v in sorted(parts.items())}
        settle(np.array(list(out.values()), dtype=object))
        return out
    return ctx.cached("topo:regions:" + code, factory)


def own_region_codes(keys, codes) -> List[str]:
    """For each plot key the region code it starts with (longest match), else ''."""
    by_len: Dict[int, set] = {}
    for c in codes:
        by_len.setdefault(len(c), set()).add(c)
    lengths = sorted(by_len, reverse=True)
    out = []
    for k in keys:
        hit = ""
        for n in lengths:
            if k[:n] in by_len[n]:
                hit = k[:n]
                break
        out.append(hit)
    return out


def xzdw_strips(ctx, gap_width: float):
    """(XZDW lines, buffer radius each): KD/2, or GAP_MAX_WIDTH/2 where KD is empty or 0."""
    def factory():
        rows, xz = read_layer(ctx, "XZDW", ("DWMC", "KD"))
        if not len(xz):
            return np.empty(0, dtype=object), np.zeros(0)
        keep = ~shapely.is_missing(xz)
        keep[keep] = ~shapely.is_empty(xz[keep])
        kd = np.array([_number(r.get("KD")) for r in rows], dtype=float)[keep]
        return xz[keep], np.where(kd > 0, kd / 2.0, gap_width / 2.0)
    return ctx.cached("topo:strips:%g" % gap_width, factory)


def _number(v) -> float:
    try:
        return float(v or 0)
    except (TypeError, ValueError):
        return 0.0


def allowed_masks(ctx, gap_width: float) -> List[object]:
    """MZDW polygons, XZDW lines buffered by KD/2 (GAP_MAX_WIDTH/2 where KD is empty
    or 0), and the user's extra polygons: areas that are never gaps or holes."""
    def factory():
        _, mz = read_layer(ctx, "MZDW", ("DWMC",))
        lines, half = xzdw_strips(ctx, gap_width)
        out = list(mz) + (list(shapely.buffer(lines, half)) if len(lines) else [])
        for g in ctx.extra_masks:
            if g is not None and not g.is_empty:
                out.append(g if g.is_valid else repair_polygon(g))
        arr = np.empty(len(out), dtype=object)
        arr[:] = out
        return list(arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)])
    from .prefetch import value
    return value(ctx, "topo:masks", factory)


def strip_cuts(ctx, gap_width: float) -> List[object]:
    """Lines that subdivide uncovered faces without splitting any part of U − mask:
    the XZDW centre lines lie inside their own road mask. Faces then meet fewer
    masks each, so the union of road buffers stays local. (Outlines of the strips
    were tried too: they lie close to plot edges and made noding slower.)"""
    lines, _ = xzdw_strips(ctx, gap_width)
    return list(lines)


def has_features(ctx, code: str) -> bool:
    return ctx.db is not None and ctx.db.has(code) and ctx.db.count(code) > 0
