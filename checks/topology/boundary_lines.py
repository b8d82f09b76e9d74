"""T16 (b) and (e) for 界址线 (JZX): along the boundary of its plots, ends named right.

A JZX segment equal to an edge of one of its plots (hashed lookup of the plot
edges, verified within 0.001 m) is on the boundary; only the other segments are
measured exactly with GEOS (segment minus buffer(plot boundaries, 0.001 m)).
"""
from itertools import repeat
from typing import Dict

import numpy as np
import shapely

from ..finding import Finding
from .common import fmt_xy
from .geomops import directed_distance, safe_binary
from .jz_tables import JzxTable, first_index, flat_codes_to_plots
from .vertex_index import cyclic_neighbours



def _mix(q: np.ndarray, plot: np.ndarray) -> np.ndarray:
    """64-bit hash of a rounded segment (x1, y1, x2, y2) and a plot (wrapping ints)."""
    m = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                  0x27D4EB2F165667C5, 0x94D049BB133111EB], dtype=np.uint64)
    qq = q.astype(np.uint64)
    h = (qq[:, 0] * m[0]) ^ (qq[:, 1] * m[1]) ^ (qq[:, 2] * m[2]) ^ (qq[:, 3] * m[3])
    return h ^ (plot.astype(np.uint64) * m[4])


def _canonical(p, q):
    """Segments with endpoints in lexicographic order (direction does not matter)."""
    swap = (p[:, 0] > q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] > q[:, 1]))
    return np.where(swap[:, None], q, p), np.where(swap[:, None], p, q)


class EdgeIndex:
    """Hashed plot edges: is segment (p, q) an edge of plot k within tolerance?"""

    def __init__(self, rv, tol):
        _, nxt = cyclic_neighbours(rv)
        self.tol = tol
        self.a, self.b = _canonical(rv.xy, rv.xy[nxt])
        self.plot = rv.plot
        h = self._hash(self.a, self.b, self.plot)
        self.order = np.argsort(h, kind="stable")
        self.h = h[self.order]

    def _hash(self, a, b, plot):
        return _mix(np.round(np.hstack([a, b]) / self.tol).astype(np.int64), plot)

    def matches(self, p, q, plot) -> np.ndarray:
        a, b = _canonical(p, q)
        ok = np.zeros(len(a), dtype=bool)
        if not len(self.h) or not len(a):
            return ok
        h = self._hash(a, b, plot)
        pos = np.minimum(np.searchsorted(self.h, h), len(self.h) - 1)
        hit = self.h[pos] == h
        e = self.order[pos[hit]]
        # verified on the real coordinates: the rounding is only the lookup
        ok[hit] = ((self.plot[e] == plot[hit])
                   & (np.hypot(*(self.a[e] - a[hit]).T) <= self.tol)
                   & (np.hypot(*(self.b[e] - b[hit]).T) <= self.tol))
        return ok


def off_boundary(tp, vt, jx, ptr, plots, tol) -> Dict[int, tuple]:
    """{line index: (segments off the boundary, largest distance)} for (b); line i (of
    jx) belongs to plots[ptr[i]:ptr[i + 1]]."""
    counts = np.diff(ptr)
    if not counts.any():
        return {}
    local = np.full(jx.lines.n, -1, dtype=np.int64)     # LineTable row -> jx index
    local[jx.rows] = np.arange(len(jx.rows))
    p0, p1, row = jx.lines.segments()
    seg_line = local[row]
    use = seg_line >= 0
    use[use] = counts[seg_line[use]] > 0
    p0, p1, seg_line = p0[use], p1[use], seg_line[use]
    cnt = counts[seg_line]
    seg = np.repeat(np.arange(len(seg_line)), cnt)
    plot = plots[np.repeat(ptr[seg_line], cnt) + (np.arange(int(cnt.sum())) -
                                                   np.repeat(np.cumsum(cnt) - cnt, cnt))]
    ok_pair = EdgeIndex(vt.rv, tol).matches(p0[seg], p1[seg], plot)
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
    ptr, plots, _ = flat_codes_to_plots(jx.counts, jx.tokens, pos)
    bad_b = off_boundary(tp, vt, jx, ptr, plots, tol)
    ctx.feedback.check()
    q, z = jx.ends_named["QJZDH"], jx.ends_named["ZJZDH"]
    bad_e = end_problems(jx, jz, tol) if len(jz) or any(q) or any(z) else {}
    report = sorted(set(bad_b) | set(bad_e))
    if not report:
        return []
    mids = shapely.line_interpolate_point(jx.lines.geoms(jx.rows[report].tolist()), 0.5,
                                          normalized=True)
    out = []
    for i, mid in zip(report, mids):
        dk = jx.plots(i)
        key = jx.label(i)
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
