"""T16 (b) and (e) for 界址线 (JZX): along the boundary of its plots, ends named right.

A JZX segment whose ends are at the ends of an edge of one of its plots (vertex
locations within 0.001 m, looked up as integers) is on the boundary; only the other
segments are measured exactly with GEOS (segment minus buffer(plot boundaries,
0.001 m)).
"""
from itertools import repeat
from typing import Dict

import numpy as np
import shapely

from ..finding import Finding
from .common import fmt_xy
from .geomops import directed_distance, safe_binary
from .coverage import tolerance_clusters_of
from .jz_tables import JzxTable, first_index
from .vertex_index import cyclic_neighbours, points_at_locations, unique_locations

_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x94D049BB133111EB],
                dtype=np.uint64)


def nearest_locations(vt, xy: np.ndarray, tol: float) -> np.ndarray:
    """Index of the vertex location each point is at, or nearest to within tol (JZX
    written with rounded coordinates); -1 where none is that close."""
    at = np.full(len(xy), -1, dtype=np.int64)
    i, j, d = points_at_locations(vt.loc, xy, tol)
    if len(i):
        o = np.lexsort((d, i))
        first = np.r_[True, i[o][1:] != i[o][:-1]]
        at[i[o][first]] = j[o][first]
    return at


class EdgeIndex:
    """Plot edges as (location, location, plot) integers: is segment (p, q) an edge of
    plot k, its ends at the edge's ends or within tol of them (then the whole segment is
    within tol of the edge)? Segments that are not are measured with GEOS."""

    def __init__(self, vt, tol: float = 0.0, canon=None):
        self.vt = vt
        self.tol = tol
        # locations within tol of each other are one point (a plot's copy of a shared
        # corner may be 0.0003 m from its neighbour's): edges are keyed by those points
        self.canon = canon if canon is not None else np.arange(len(vt.loc))
        _, nxt = cyclic_neighbours(vt.rv)
        a, b = self.canon[vt.inv], self.canon[vt.inv[nxt]]
        self.lo, self.hi = np.minimum(a, b), np.maximum(a, b)
        self.plot = vt.rv.plot.astype(np.int64)
        h = self._hash(self.lo, self.hi, self.plot)
        self.order = np.argsort(h)
        self.h = h[self.order]

    def _point(self, at):
        return np.where(at >= 0, self.canon[np.maximum(at, 0)], -1)

    @staticmethod
    def _hash(lo, hi, plot):
        u = np.uint64
        return (lo.astype(u) * _MIX[0]) ^ (hi.astype(u) * _MIX[1]) ^ (plot.astype(u) * _MIX[2])

    def points(self, xy) -> np.ndarray:
        """The (merged) vertex location of each point, -1 where none is within tol (each
        distinct point looked up once: line ends are shared by neighbouring lines)."""
        if not len(xy):
            return np.zeros(0, dtype=np.int64)
        uniq, inv = unique_locations(xy)
        return self._point(nearest_locations(self.vt, uniq, self.tol))[inv]

    def matches(self, a, b, plot) -> np.ndarray:
        """Is the segment from point a to point b (points() ids) an edge of plot?"""
        ok = np.zeros(len(a), dtype=bool)
        if not len(self.h) or not len(a):
            return ok
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        known = lo >= 0
        h = self._hash(lo[known], hi[known], plot[known])
        pos = np.minimum(np.searchsorted(self.h, h), len(self.h) - 1)
        e = self.order[pos]
        # the hash only finds the candidate: equality of the integers decides
        ok[known] = ((self.h[pos] == h) & (self.lo[e] == lo[known]) & (self.hi[e] == hi[known])
                     & (self.plot[e] == plot[known]))
        return ok


def off_boundary(tp, vt, jx, ptr, plots, tol, canon=None) -> Dict[int, tuple]:
    """{line index: (segments off the boundary, largest distance)} for (b); line i (of
    jx) belongs to plots[ptr[i]:ptr[i + 1]]."""
    counts = np.diff(ptr)
    if not counts.any():
        return {}
    local = np.full(jx.lines.n, -1, dtype=np.int64)     # LineTable row -> jx index
    local[jx.rows] = np.arange(len(jx.rows))
    s0, row = jx.lines.segment_starts()
    seg_line = local[row]
    use = seg_line >= 0
    use[use] = counts[seg_line[use]] > 0
    s0, seg_line = s0[use], seg_line[use]
    coords = jx.lines.coords
    p0, p1 = coords[s0], coords[s0 + 1]
    cnt = counts[seg_line]
    seg = np.repeat(np.arange(len(seg_line)), cnt)
    plot = plots[np.repeat(ptr[seg_line], cnt) + (np.arange(int(cnt.sum())) -
                                                   np.repeat(np.cumsum(cnt) - cnt, cnt))]
    edges = EdgeIndex(vt, tol, canon)
    at = edges.points(coords)            # each coordinate once, however many plots follow
    ok_pair = edges.matches(at[s0][seg], at[s0 + 1][seg], plot)
    ok = np.zeros(len(seg_line), dtype=bool)
    ok[seg[ok_pair]] = True
    todo = np.flatnonzero(~ok)
    if not len(todo):
        return {}
    segs = shapely.linestrings(np.stack([p0[todo], p1[todo]], axis=1))
    zone, ring = {}, {}
    for u in sorted(set(seg_line[todo].tolist())):
        ring[u] = shapely.union_all(shapely.boundary(tp.geoms[plots[ptr[u]:ptr[u + 1]]]))
        zone[u] = shapely.buffer(ring[u], tol)
    beyond = safe_binary(shapely.difference, segs,
                         np.array([zone[u] for u in seg_line[todo]], dtype=object))
    out = {}
    for t, g in zip(todo.tolist(), beyond):
        if g is None or g.is_empty or g.length <= 1e-9:
            continue
        u = int(seg_line[t])
        n, best = out.get(u, (0, 0.0))
        out[u] = (n + 1, max(best, directed_distance(g, ring[u])))
    return out


def end_problems(jx, jz, tol):
    """(e) {line index: [problem texts]}: QJZDH / ZJZDH exist and are the line's ends
    (either direction)."""
    n = len(jx)
    ends = jx.lines.ends()[jx.rows]                                   # (n, 2, 2)
    # a JZDH names one point, rarely several: the first in a dict, the others apart
    first_of = first_index(jz.names)
    more: Dict[str, list] = {}
    if len(first_of) < len(jz.names):
        for i, h in enumerate(jz.names):
            if first_of[h] != i:
                more.setdefault(h, [first_of[h]]).append(i)
    out: Dict[int, list] = {}
    hits = {}
    for field, label in (("QJZDH", "起界址点"), ("ZJZDH", "止界址点")):
        names = jx.ends_named[field]
        j = np.fromiter(map(first_of.get, names, repeat(-1)), dtype=np.int64, count=n)
        several = np.fromiter(map(more.__contains__, names), dtype=bool, count=n) if more \
            else np.zeros(n, dtype=bool)
        at = np.zeros((n, 2), dtype=bool)
        one = (j >= 0) & ~several
        if one.any():
            d = np.hypot(*(jz.xy[j[one]][:, None, :] - ends[one]).transpose(2, 0, 1))
            at[one] = d <= tol
        for i in np.flatnonzero(several):
            d = np.hypot(*(jz.xy[more[names[i]]][:, None, :] - ends[i][None]).transpose(2, 0, 1))
            at[i] = (d <= tol).any(axis=0)
        named = np.fromiter(map(bool, names), dtype=bool, count=n)
        exists = j >= 0
        at_any = at.any(axis=1)
        for i in np.flatnonzero(named & ~exists).tolist():
            out.setdefault(i, []).append("%s %s 不存在" % (label, names[i]))
        for i in np.flatnonzero(named & exists & ~at_any).tolist():
            out.setdefault(i, []).append("%s %s 不在界址线端点上" % (label, names[i]))
        ok = named & exists & at_any
        hits[field] = (ok, at)
    (qa, qat), (za, zat) = hits["QJZDH"], hits["ZJZDH"]
    both = qa & za
    span = np.hypot(*(ends[:, 0] - ends[:, 1]).T)
    # both named and both at an end, but the same single end of an open line
    same = both & ((qat | zat).sum(axis=1) < 2) & (span > tol)
    for i in np.flatnonzero(same).tolist():
        out.setdefault(i, []).append("起止界址点在同一端")
    return out


def line_findings(ctx, tp, vt, pos, jz, p):
    jx = JzxTable(ctx)
    if not len(jx):
        return []
    tol = p["xy"]
    ptr, plots, _ = jx.plot_csr(pos)
    bad_b = off_boundary(tp, vt, jx, ptr, plots, tol, tolerance_clusters_of(ctx, vt))
    ctx.feedback.check()
    q, z = jx.ends_named["QJZDH"], jx.ends_named["ZJZDH"]
    bad_e = end_problems(jx, jz, tol) if len(jz) or any(q) or any(z) else {}
    report = sorted(set(bad_b) | set(bad_e))
    if not report:
        return []
    mids = shapely.line_interpolate_point(jx.lines.geoms(jx.rows[report].tolist()), 0.5,
                                          normalized=True)
    labels = jx.labels(report)
    out = []
    for i, mid in zip(report, mids):
        dk = jx.plots(i)
        key = labels[i]
        where = fmt_xy(mid.x, mid.y)
        unit = (dk or ("",))[0][:14]
        if i in bad_b:
            nseg, depth = bad_b[i]
            out.append(Finding(
                "T16", "JZX", key, "界址线 %s 有 %d 段偏离所属地块 %s 的边界，最远 %.3f 米（容差 %g 米），位置 %s"
                % (key, nseg, "/".join(dk), depth, tol, where), key_field="JZXH", related=dk,
                related_field="DKBM", unit_code=unit, geom=mid,
                values={"segments": nseg, "distance": round(depth, 4), "_fp": "b"}))
        if i in bad_e:
            named = tuple(h for h in (q[i], z[i]) if h)
            out.append(Finding(
                "T16", "JZX", key, "界址线 %s %s，位置 %s" % (key, "；".join(bad_e[i]), where),
                key_field="JZXH", related=named, related_field="JZDH", unit_code=unit, geom=mid,
                values={"_fp": "e"}))
    return out
