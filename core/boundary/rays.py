"""Where short rays first meet polygons: the distance along each ray, vectorised.

shapely.intersection(ray, polygon) per pair is exact but slow for the hundreds of
thousands of probes of a township. Here the pairs come from an STRtree envelope
query; a ray starting inside a polygon meets it at 0 (point-in-polygon through
the tree's prepared predicate); otherwise the first crossing of the polygon's
boundary is found by solving ray/segment intersections in numpy over the
polygon's boundary segments. A ray running exactly along a boundary segment
(parallel) does not count as crossing it.
"""
from typing import Tuple

import numpy as np
import shapely

_CHUNK = 60000          # rays per batch: bounds the memory of the pair × segment arrays
_EPS = 1e-12


class Targets:
    """Polygons (None allowed) with their boundary segments in CSR form and an STRtree."""

    def __init__(self, geoms):
        self.geoms = np.asarray(geoms, dtype=object)
        self.tree = shapely.STRtree(self.geoms)
        n = len(self.geoms)
        present = np.flatnonzero(~shapely.is_missing(self.geoms)) if n else np.zeros(0, np.int64)
        parts, part_of = shapely.get_parts(self.geoms[present], return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, ci = shapely.get_coordinates(rings, return_index=True)
        k = np.flatnonzero(ci[1:] == ci[:-1])
        owner = present[part_of[ring_part[ci[k]]]]
        order = np.argsort(owner, kind="stable")
        self.a = coords[k][order]
        self.b = coords[k + 1][order]
        cnt = np.bincount(owner, minlength=n)
        self.start = np.cumsum(cnt) - cnt
        self.count = cnt


def first_hits(targets: Targets, origin: np.ndarray, direction: np.ndarray,
               length: float) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ray index, target index, distance) for every ray/target pair the ray meets within
    length; origin (n, 2), direction (n, 2) unit vectors."""
    out_r, out_g, out_d = [], [], []
    for lo in range(0, len(origin), _CHUNK):
        o = origin[lo:lo + _CHUNK]
        v = direction[lo:lo + _CHUNK]
        r, g, d = _chunk(targets, o, v, length)
        out_r.append(r + lo)
        out_g.append(g)
        out_d.append(d)
    if not out_r:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0)
    return np.concatenate(out_r), np.concatenate(out_g), np.concatenate(out_d)


def _chunk(t: Targets, o, v, length):
    end = o + v * length
    rays = shapely.linestrings(np.stack([o, end], axis=1))
    ri, gi = t.tree.query(rays)                              # envelopes only
    # inside: the ray starts in the polygon
    pi, pg = t.tree.query(shapely.points(o), predicate="intersects")
    # crossings: every boundary segment of every candidate
    cnt = t.count[gi]
    pair = np.repeat(np.arange(len(ri)), cnt)
    seg = np.repeat(t.start[gi], cnt) + (np.arange(len(pair)) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    a, e = t.a[seg], t.b[seg] - t.a[seg]
    oo, vv = o[ri[pair]], v[ri[pair]]
    w = a - oo
    den = vv[:, 0] * e[:, 1] - vv[:, 1] * e[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        tt = (w[:, 0] * e[:, 1] - w[:, 1] * e[:, 0]) / den
        uu = (w[:, 0] * vv[:, 1] - w[:, 1] * vv[:, 0]) / den
    ok = (np.abs(den) > _EPS) & (tt >= 0) & (tt <= length) & (uu >= -1e-9) & (uu <= 1 + 1e-9)
    best = np.full(len(ri), np.inf)
    np.minimum.at(best, pair[ok], tt[ok])
    # pairs that start inside meet at 0
    if len(pi):
        key_in = pi.astype(np.int64) * (len(t.geoms) + 1) + pg
        key = ri.astype(np.int64) * (len(t.geoms) + 1) + gi
        best[np.isin(key, key_in)] = 0.0
    hit = np.isfinite(best)
    return ri[hit].astype(np.int64), gi[hit].astype(np.int64), best[hit]
