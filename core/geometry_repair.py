"""Repairing an invalid plot geometry into a valid areal one, the same way everywhere
(the checks' repaired plots, the 四至 and 界址 tools' plots)."""
import numpy as np
import shapely


def repair_polygon(g):
    """Valid areal copy of an invalid geometry, or None; never raises (one bad plot
    must not stop a run). NaN/Inf coordinates make GEOS throw: they are dropped first."""
    try:
        coords = shapely.get_coordinates(g)
        if not np.isfinite(coords).all():
            g = _drop_non_finite(g)
            if g is None:
                return None
        fixed = shapely.make_valid(g)
        parts = shapely.get_parts(fixed)
        parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]   # keep only the areal part
        if not len(parts):
            return None
        out = shapely.union_all(parts)
        return None if out.is_empty else out
    except Exception:  # noqa: BLE001 (GEOS errors on degenerate input)
        return None


def _drop_non_finite(g):
    polys = []
    for part in shapely.get_parts(g):
        rings = []
        for ring in [part.exterior] + list(part.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            xy = xy[np.isfinite(xy).all(axis=1)]
            if len(xy) >= 3:
                rings.append(np.vstack([xy, xy[:1]]))
        if rings and len(rings[0]) >= 4:
            polys.append(shapely.Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
