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
    """The rings of valid polygons, in plot order (parts, then exterior before holes).

    Most plots are one ring: for them the coordinates of the whole geometry are the
    ring (its first point comes back only as the last one) and the orientation is the
    sign of the shoelace sum about the first point, so no part or ring objects are
    made. The others (holes, several parts, rings too flat for a safe sign) go
    through GEOS part by part."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    coords, gidx = shapely.get_coordinates(geoms, return_index=True)
    ncoord = np.bincount(gidx, minlength=n).astype(np.int64)
    gstart = np.cumsum(ncoord) - ncoord
    single = np.zeros(n, dtype=bool)
    ccw = np.zeros(n, dtype=bool)
    if len(coords):
        rel = coords - np.repeat(coords[gstart[ncoord > 0]], ncoord[ncoord > 0], axis=0)
        same = (rel[:, 0] == 0) & (rel[:, 1] == 0)
        back = np.bincount(gidx, weights=same, minlength=n)
        last = np.maximum(gstart + ncoord - 1, 0)
        single = (ncoord >= 4) & (back == 2) & same[last]
        link = gidx[:-1] == gidx[1:]
        cross = rel[:-1, 0] * rel[1:, 1] - rel[1:, 0] * rel[:-1, 1]
        area2 = np.bincount(gidx[:-1][link], weights=cross[link], minlength=n)
        size = np.zeros(n)
        has = ncoord > 0
        size[has] = np.maximum.reduceat(np.maximum(np.abs(rel[:, 0]), np.abs(rel[:, 1])),
                                           gstart[has])
        single &= np.abs(area2) > 1e-9 * size * size     # sign beyond rounding doubt
        ccw = area2 > 0
    fast = np.flatnonzero(single)
    slow = np.flatnonzero(~single & (ncoord > 0))
    # ring table: plot, vertex count, interior on the left, where its vertices start in pool
    f_count = ncoord[fast] - 1
    keep = np.ones(len(coords), dtype=bool)
    keep[(gstart + ncoord - 1)[fast]] = False
    keep[np.repeat(~single, ncoord)] = False
    f_xy = coords[keep]
    s_xy, s_plot, s_count, s_left = _ring_vertices_geos(geoms[slow])
    plot = np.concatenate([fast, slow[s_plot]]).astype(np.int64)
    count = np.concatenate([f_count, s_count]).astype(np.int64)
    left = np.concatenate([ccw[fast], s_left]).astype(bool)
    pool = np.concatenate([f_xy, s_xy]) if len(s_xy) else f_xy
    pool_start = np.cumsum(count) - count
    order = np.argsort(plot, kind="stable")          # each plot is wholly fast or slow
    plot, count, left, pool_start = plot[order], count[order], left[order], pool_start[order]
    start = np.cumsum(count) - count
    total = int(count.sum())
    ring_of = np.repeat(np.arange(len(count)), count)
    idx = np.arange(total) - start[ring_of] + pool_start[ring_of]
    xy = pool[idx] if total else np.zeros((0, 2))
    return RingVertices(xy, plot[ring_of], ring_of, start, count, left)


def _ring_vertices_geos(geoms):
    """(xy without closing points, plot of each ring, vertices per ring, interior left)."""
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
    count = np.maximum(counts - 1, 0)
    return coords[keep].reshape(-1, 2), part_of[ring_part], count, interior_left


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
    # complex numbers sort by real, then imaginary part: one sort instead of lexsort's two
    order = np.argsort(xy[:, 0] + 1j * xy[:, 1], kind="stable")
    s = xy[order]
    new = np.r_[True, (s[1:, 0] != s[:-1, 0]) | (s[1:, 1] != s[:-1, 1])]
    gid = np.cumsum(new) - 1
    inv = np.empty(len(xy), dtype=np.int64)
    inv[order] = gid
    return s[new], inv


def exact_locations(loc: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Index in loc (unique_locations' sorted points) of each point exactly there, -1
    where none."""
    out = np.full(len(xy), -1, dtype=np.int64)
    if not len(loc) or not len(xy):
        return out
    keys = loc[:, 0] + 1j * loc[:, 1]          # unique_locations sorts them this way
    want = xy[:, 0] + 1j * xy[:, 1]
    at = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
    hit = keys[at] == want
    out[hit] = at[hit]
    return out


def points_at_locations(loc: np.ndarray, xy: np.ndarray, tol: float):
    """(i, j, d): point xy[i] at location loc[j], distance d ≤ tol. Points exactly at a
    location (the usual case) are looked up in the sorted locations and get that one;
    the grid hash searches only the others, and gives every location within tol."""
    at = exact_locations(loc, xy)
    exact = np.flatnonzero(at >= 0)
    rest = np.flatnonzero(at < 0)
    ri, lj, d = near_pairs(xy[rest], tol, loc) if len(rest) and len(loc) and tol > 0 else \
        (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    return (np.concatenate([exact, rest[ri]]), np.concatenate([at[exact], lj]),
            np.concatenate([np.zeros(len(exact)), d]))


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
    # within one set each pair is met once: its own cell and 4 of the 8 neighbours
    offsets = ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)) if self_mode else \
        [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    for dx, dy in offsets:
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
        if self_mode and dx == 0 and dy == 0:
            ok &= ia < jb
        out_i.append(ia[ok])
        out_j.append(jb[ok])
        out_d.append(d[ok])
    if not out_i:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0)
    i, j, d = np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_d)
    if self_mode:
        i, j = np.minimum(i, j), np.maximum(i, j)
    return i, j, d


def owners_csr(inv: np.ndarray, plot: np.ndarray, n_loc: int):
    """Per location the sorted distinct plots having a vertex there (CSR arrays)."""
    n_plot = int(plot.max()) + 1 if len(plot) else 1
    key = np.unique(inv.astype(np.int64) * n_plot + plot)
    loc, own = key // n_plot, key % n_plot
    ptr = np.searchsorted(loc, np.arange(n_loc + 1))
    return ptr, own


def points_in_boxes(points: np.ndarray, lo: np.ndarray, hi: np.ndarray, chunk: int = 500000):
    """(i, j): every point i inside box j (lo[j] ≤ point ≤ hi[j], closed). A uniform grid
    about the median box size: each box is listed under the cells it covers, each point
    looks up its own cell; the points go in chunks to bound the memory of the pairs."""
    e = np.zeros(0, dtype=np.int64)
    if not len(points) or not len(lo):
        return e, e
    size = np.median(np.maximum(hi - lo, 0.0), axis=0).mean()
    cell = max(float(size) * 0.65, 1e-6)
    org = np.minimum(lo.min(axis=0), points.min(axis=0))
    c0 = ((lo - org) // cell).astype(np.int64)
    c1 = ((hi - org) // cell).astype(np.int64)
    width = int(max(c1[:, 1].max(), ((points[:, 1] - org[1]) // cell).max())) + 2
    ny = c1[:, 1] - c0[:, 1] + 1
    ncell = (c1[:, 0] - c0[:, 0] + 1) * ny
    box = np.repeat(np.arange(len(lo)), ncell)
    k = np.arange(len(box)) - np.repeat(np.cumsum(ncell) - ncell, ncell)
    keys = (c0[box, 0] + k // ny[box]) * width + (c0[box, 1] + k % ny[box])
    order = np.argsort(keys, kind="stable")
    keys, box = keys[order], box[order]
    out_i, out_j = [], []
    for s in range(0, len(points), chunk):
        pts = points[s:s + chunk]
        pc = ((pts - org) // cell).astype(np.int64)
        pk = pc[:, 0] * width + pc[:, 1]
        first = np.searchsorted(keys, pk, "left")
        cnt = np.searchsorted(keys, pk, "right") - first
        gi = np.repeat(np.arange(len(pts)), cnt)
        gj = box[np.arange(len(gi)) + np.repeat(first - (np.cumsum(cnt) - cnt), cnt)]
        x, y = pts[gi, 0], pts[gi, 1]
        inside = (x >= lo[gj, 0]) & (x <= hi[gj, 0]) & (y >= lo[gj, 1]) & (y <= hi[gj, 1])
        out_i.append(gi[inside] + s)
        out_j.append(gj[inside])
    return np.concatenate(out_i), np.concatenate(out_j)
