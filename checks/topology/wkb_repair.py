"""Read polygon WKB that GEOS refuses (ring not closed, fewer than 4 points).

GEOS throws on such rings, so PlotSet reads them as NULL; T01 must report them as
invalid (not T02 empty) and later rules need a repaired copy. This small reader
closes open rings and keeps what can be kept.
"""
import struct
from typing import List, Optional, Tuple

import numpy as np
import shapely

from ..plots import repair_polygon

_POLYGON, _MULTIPOLYGON = 3, 6


def _dims(type_code: int) -> Tuple[int, int]:
    """(base type, coordinates per point) for ISO and EWKB type codes."""
    ndim = 2
    if type_code & 0x80000000:
        ndim += 1
    if type_code & 0x40000000:
        ndim += 1
    type_code &= 0x0FFFFFFF
    if type_code >= 3000:
        ndim, type_code = 4, type_code - 3000
    elif type_code >= 2000:
        ndim, type_code = 3, type_code - 2000
    elif type_code >= 1000:
        ndim, type_code = 3, type_code - 1000
    return type_code, ndim


def _read_polygon(buf: bytes, pos: int) -> Tuple[List[np.ndarray], int]:
    order = "<" if buf[pos] == 1 else ">"
    gtype, ndim = _dims(struct.unpack_from(order + "I", buf, pos + 1)[0])
    pos += 5
    if gtype != _POLYGON:
        raise ValueError("not a polygon")
    nrings = struct.unpack_from(order + "I", buf, pos)[0]
    pos += 4
    rings = []
    for _ in range(nrings):
        npts = struct.unpack_from(order + "I", buf, pos)[0]
        pos += 4
        xy = np.frombuffer(buf, dtype=order + "f8", count=npts * ndim, offset=pos)
        pos += 8 * npts * ndim
        rings.append(xy.reshape(npts, ndim)[:, :2].copy())
    return rings, pos


def read_lenient(wkb: bytes) -> Tuple[Optional[object], str]:
    """(repaired geometry or None, Chinese reason) for WKB that GEOS cannot read."""
    try:
        buf = bytes(wkb)
        order = "<" if buf[0] == 1 else ">"
        gtype, _ = _dims(struct.unpack_from(order + "I", buf, 1)[0])
        polys = []
        if gtype == _POLYGON:
            polys.append(_read_polygon(buf, 0)[0])
        elif gtype == _MULTIPOLYGON:
            n = struct.unpack_from(order + "I", buf, 5)[0]
            pos = 9
            for _ in range(n):
                rings, pos = _read_polygon(buf, pos)
                polys.append(rings)
        else:
            return None, "几何类型不是面"
    except (struct.error, ValueError, IndexError):
        return None, "WKB 数据损坏，无法读取"
    reasons, out = set(), []
    for rings in polys:
        fixed = []
        for xy in rings:
            xy = xy[np.isfinite(xy).all(axis=1)]
            if len(xy) and not np.array_equal(xy[0], xy[-1]):
                reasons.add("环未闭合")
                xy = np.vstack([xy, xy[:1]])
            if len(xy) < 4:
                reasons.add("环点数少于 4 个")
                continue
            fixed.append(xy)
        if fixed:
            out.append(shapely.Polygon(fixed[0], fixed[1:]))
    why = "、".join(sorted(reasons)) or "无法读取"
    if not out:
        return None, why
    g = out[0] if len(out) == 1 else shapely.MultiPolygon(out)
    return (g if g.is_valid else repair_polygon(g)), why


def unparsed_plots(ctx, ps) -> dict:
    """PlotSet index -> Chinese reason, for plots whose stored shape exists but GEOS
    could not read it; their repaired copy (if any) is put into ps.repaired.

    Raw WKB comes from ctx.cache['topo:raw_wkb'] ({index: wkb}, set by callers
    without a database) or from the township database for the NULL-read plots."""
    def factory():
        missing = [i for i in range(len(ps)) if ps.geoms[i] is None]
        raw = dict(ctx.cache.get("topo:raw_wkb") or {})
        if not raw and missing and ctx.db is not None and ctx.db.has("DK"):
            raw = _raw_from_db(ctx.db, ps, missing)
        out = {}
        for i in missing:
            wkb = raw.get(i)
            if not wkb:
                continue
            geom, why = read_lenient(wkb)
            out[i] = why
            if geom is not None and not geom.is_empty:
                ps.repaired[i] = geom
        return out
    return ctx.cached("topo:unparsed", factory)


def _raw_from_db(db, ps, missing) -> dict:
    from ...core.gpkg_blob import wkb_of
    pk, gcol, name = db.primary_key("DK"), db.geometry_column("DK"), db.name("DK")
    by_fid = {int(ps.fids[i]): i for i in missing}
    fids = list(by_fid)
    out = {}
    for s in range(0, len(fids), 500):
        chunk = fids[s:s + 500]
        sql = 'SELECT "%s", "%s" FROM "%s" WHERE "%s" IN (%s)' % (
            pk, gcol, name, pk, ",".join("?" * len(chunk)))
        for fid, blob in db.conn.execute(sql, chunk):
            wkb = wkb_of(blob)
            if wkb:
                out[by_fid[int(fid)]] = wkb
    return out
