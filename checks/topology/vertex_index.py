"""Plot vertices as numpy arrays and a grid hash for "points within r" searches.

The grid hash (cell = r) finds every pair of points closer than r by joining each
cell with its 8 neighbours through a sorted key array: O(n log n) in numpy,
without a Python loop per point.
"""
from dataclasses import dataclass

import numpy as np
import shapely


@dataclass
class RingVertices:
    xy: np.ndarray          # (n, 2) vertices, ring closing point dropped
    plot: np.ndarray        # array position of the plot (TopoPlots) per vertex
    ring: np.ndarray        # ring number per vertex
    start: np.ndarray       # per ring: first vertex index
    count: np.ndarray       # per ring: number of vertices
    interior_left: np.ndarray   # per ring: the polygon interior lies left of travel


def ring_vertices(geoms) -> RingVertices:
    geoms = np.asarray(geoms, dtype=object)
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    nint = shapely.get_num_interior_rings(parts)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    # get_rings lists each part's exterior first, then its holes
    first = np.cumsum(nint + 1) - (nint + 1)   # empty when there are no parts
    is_hole = np.ones(len(rings), dtype=bool)
    is_hole[first] = False
    ccw = shapely.is_ccw(rings)
    interior_left = np.where(is_hole, ~ccw, ccw)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    counts = shapely.get_num_coordinates(rings)
    # drop each ring's closing point
    last = np.cumsum(counts) - 1
    keep = np.ones(len(coords), dtype=bool)
    keep[last[counts > 0]] = False
    xy, ring_of = coords[keep], ring_of[keep]
    count = np.maximum(counts - 1, 0)
    start = np.cumsum(count) - count
    return RingVertices(xy, part_of[ring_part[ring_of]], ring_of, start, count, interior_left)


def cyclic_neighbours(rv: RingVertices):
    """(prev, next) vertex index of every vertex within its ring."""
    n = len(rv.xy)
    idx = np.arange(n)
    s = rv.start[rv.ring]
    c = rv.count[rv.ring]
    pos = idx - s
    prev = s + (pos - 1) % np.maximum(c, 1)
    nxt = s + (pos + 1) % np.maximum(c, 1)
    return prev, nxt


def unique_locations(xy: np.ndarray):
    """(unique points, inverse index): exactly coincident vertices are one location."""
    if not len(xy):
        return xy.reshape(0, 2), np.zeros(0, dtype=np.int64)
    order = np.lexsort((xy[:, 1], xy[:, 0]))
    s = xy[order]
    new = np.r_[True, (s[1:] != s[:-1]).any(axis=1)]
    gid = np.cumsum(new) - 1
    inv = np.empty(len(xy), dtype=np.int64)
    inv[order] = gid
    return s[new], inv


def near_pairs(a: np.ndarray, radius: float, b: np.ndarray = None):
    """(i, j, d): points a[i], b[j] with distance d ≤ radius. Without b, pairs within
    a with i < j."""
    self_mode = b is None
    if self_mode:
        b = a
    if not len(a) or not len(b):
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0)
    origin = np.minimum(a.min(axis=0), b.min(axis=0))
    ca = np.floor((a - origin) / radius).astype(np.int64) + 1
    cb = np.floor((b - origin) / radius).astype(np.int64) + 1
    m = int(max(ca[:, 1].max(), cb[:, 1].max())) + 3
    kb = cb[:, 0] * m + cb[:, 1]
    order = np.argsort(kb, kind="stable")
    ks = kb[order]
    out_i, out_j, out_d = [], [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            q = (ca[:, 0] + dx) * m + (ca[:, 1] + dy)
            lo = np.searchsorted(ks, q, "left")
            hi = np.searchsorted(ks, q, "right")
            cnt = hi - lo
            tot = int(cnt.sum())
            if not tot:
                continue
            ia = np.repeat(np.arange(len(a)), cnt)
            off = np.arange(tot) - np.repeat(np.cumsum(cnt) - cnt, cnt)
            jb = order[np.repeat(lo, cnt) + off]
            d = np.hypot(a[ia, 0] - b[jb, 0], a[ia, 1] - b[jb, 1])
            ok = d <= radius
            if self_mode:
                ok &= ia < jb
            out_i.append(ia[ok])
            out_j.append(jb[ok])
            out_d.append(d[ok])
    if not out_i:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_d)


def owners_csr(inv: np.ndarray, plot: np.ndarray, n_loc: int):
    """Per location the sorted distinct plots having a vertex there (CSR arrays)."""
    n_plot = int(plot.max()) + 1 if len(plot) else 1
    key = np.unique(inv.astype(np.int64) * n_plot + plot)
    loc, own = key // n_plot, key % n_plot
    ptr = np.searchsorted(loc, np.arange(n_loc + 1))
    return ptr, own
