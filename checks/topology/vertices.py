"""T09–T12: vertices — sharp angles, duplicated vertices, unsnapped and missing
common vertices between neighbours.

T09/T10 are ring arithmetic on the vertex arrays. T11/T12 work on the distinct
vertex locations (exactly coincident vertices of neighbours are one location):
a grid hash finds locations closer than 0.05 m, one STRtree 'dwithin' query finds
plot edges near each location; membership tests are numpy set operations.
"""
import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from . import prefetch
from .common import fmt_xy, gc_paused, params, topo_plots
from .vertex_index import (cyclic_neighbours, near_pairs, owners_csr, points_in_boxes,
                           ring_vertices, unique_locations)

ZERO_LEN = 0.0001    # coordinate precision: shorter segments count as zero (T09)


def sharp_angles(rv, min_angle):
    """(vertex indices, interior angles in degrees) of vertices sharper than min_angle."""
    prev, nxt = cyclic_neighbours(rv)
    d0 = rv.xy - rv.xy[prev]
    seg = np.hypot(d0[:, 0], d0[:, 1])
    long_enough = seg > ZERO_LEN
    if long_enough.all():             # the usual case: every vertex is kept
        kept, ring, count = np.arange(len(seg)), rv.ring, rv.count
        d1, d2 = d0, d0[nxt]          # the incoming segments of a vertex and of its next
    else:
        kept = np.flatnonzero(long_enough)
        if not len(kept):
            return kept, np.zeros(0)
        ring = rv.ring[kept]
        count = np.bincount(ring, minlength=len(rv.count))
        start = np.r_[0, np.cumsum(count)[:-1]]
        pos = np.arange(len(kept)) - start[ring]
        c = np.maximum(count[ring], 1)
        p = kept[start[ring] + (pos - 1) % c]
        n = kept[start[ring] + (pos + 1) % c]
        v = rv.xy[kept]
        d1 = v - rv.xy[p]
        d2 = rv.xy[n] - v
    cross = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]
    dot = d1[:, 0] * d2[:, 0] + d1[:, 1] * d2[:, 1]
    cand = np.arange(len(kept))
    if min_angle < 80:
        # an interior angle under min_angle turns by more than 180° − min_angle: the
        # segments point nearly back (dot < 0, small cross); only those get atan2
        slack = np.tan(np.radians(min_angle)) * 1.000001
        cand = np.flatnonzero((dot < 0) & (np.abs(cross) <= slack * -dot))
    turn = np.arctan2(cross[cand], dot[cand])
    ring_c = ring[cand]
    sign = np.where(rv.interior_left[ring_c], 1.0, -1.0)
    interior = np.degrees(np.mod(np.pi - sign * turn, 2 * np.pi))
    bad = (interior < min_angle) & (count[ring_c] >= 3)
    return kept[cand[bad]], interior[bad]


def short_edges(rv, min_dist):
    """(vertex indices, distances to the next vertex) where that distance < min_dist."""
    _, nxt = cyclic_neighbours(rv)
    d = np.hypot(*(rv.xy[nxt] - rv.xy).T)
    bad = np.flatnonzero((d < min_dist) & (rv.count[rv.ring] >= 3))
    return bad, d[bad]


def group_min(idx, values, plot):
    """{plot: (count, vertex index with the smallest value, that value)}."""
    out = {}
    for i, v in zip(idx.tolist(), values.tolist()):
        k = int(plot[i])
        if k in out:
            cnt, bi, bv = out[k]
            out[k] = (cnt + 1, i, v) if v < bv else (cnt + 1, bi, bv)
        else:
            out[k] = (1, i, v)
    return out


class VertexTables:
    """Distinct vertex locations and their plots; close location pairs on demand."""

    def __init__(self, tp):
        self.rv = ring_vertices(tp.geoms)
        self.loc, self.inv = unique_locations(self.rv.xy)
        self._owners = None
        self.n_plot = max(len(tp), 1)
        self.pi = self.pj = np.zeros(0, dtype=np.int64)
        self.pd = np.zeros(0)

    @property
    def ptr(self):
        return self._owner_table()[0]

    @property
    def own(self):
        return self._owner_table()[1]

    def _owner_table(self):
        """The plots at each location (CSR), made on first use: the arrangement, which
        comes first, does not need them."""
        if self._owners is None:
            self._owners = owners_csr(self.inv, self.rv.plot, len(self.loc))
        return self._owners

    def search(self, radius):
        """All pairs (i < j) of locations closer than radius, with their distance."""
        self.pi, self.pj, self.pd = near_pairs(self.loc, radius)

    def owners(self, i):
        return self.own[self.ptr[i]:self.ptr[i + 1]]

    def plot_bounds(self, n_plots: int) -> np.ndarray:
        """(minx, miny, maxx, maxy) per plot from its vertices (they come in plot order),
        as shapely.bounds gives them, without a GEOS call per plot."""
        out = np.full((n_plots, 4), np.nan)
        plot = self.rv.plot
        if len(plot):
            first = np.r_[0, np.flatnonzero(np.diff(plot)) + 1]
            xy = self.rv.xy
            for k, (fn, col) in enumerate(((np.minimum, 0), (np.minimum, 1),
                                           (np.maximum, 0), (np.maximum, 1))):
                out[plot[first], k] = fn.reduceat(xy[:, col], first)
        return out

    def owner_keys(self):
        counts = np.diff(self.ptr)
        return np.repeat(np.arange(len(self.loc)), counts) * self.n_plot + self.own

    def near_keys(self, owners=True):
        """loc * n + plot for every plot with a vertex within the radius of loc (without
        the plots having a vertex at loc itself when owners is False)."""
        counts = np.diff(self.ptr)
        parts = [self.owner_keys()] if owners else []
        for a, b in ((self.pi, self.pj), (self.pj, self.pi)):
            c = counts[b]
            starts = np.repeat(self.ptr[b], c) + (np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c))
            parts.append(np.repeat(a, c) * self.n_plot + self.own[starts])
        return np.concatenate(parts)


def vertex_tables(ctx, tp) -> VertexTables:
    return prefetch.value(ctx, "topo:vertices", lambda: VertexTables(tp))


def searched_tables(ctx, tp) -> VertexTables:
    """Vertex tables with the pairs of locations closer than the T11/T12 radius."""
    def factory():
        p = params(ctx)
        vt = vertex_tables(ctx, tp)
        vt.search(max(p["t11"], p["t12"]))
        return vt
    return ctx.cached("topo:vertex_pairs", factory)


def near_edges(ctx, tp, vt, radius):
    """T12 pairs (location, plot, distance): the plot's boundary within radius of the
    location and no vertex of the plot within radius of it. Candidates are the plots
    whose bounding box grown by the radius holds the location (a numpy grid join);
    the plot's own locations and the close ones go by key lookups, so exact distances
    are computed for the few pairs left."""
    e = np.zeros(0, dtype=np.int64)
    if not len(vt.loc):
        return e, e, np.zeros(0)
    grow = radius * (1 + 1e-9) + 1e-9
    b = vt.plot_bounds(len(tp))
    li, pj = points_in_boxes(vt.loc, b[:, :2] - grow, b[:, 2:] + grow)
    key = li.astype(np.int64) * vt.n_plot + pj
    own = vt.owner_keys()                      # sorted: unique loc * n + plot
    if len(own):
        pos = np.minimum(np.searchsorted(own, key), len(own) - 1)
        keep = own[pos] != key
        li, pj, key = li[keep], pj[keep], key[keep]
    if len(li) and len(vt.pi):
        keep = ~np.isin(key, vt.near_keys(owners=False))
        li, pj = li[keep], pj[keep]
    if not len(li):
        return e, e, np.zeros(0)
    bnd = ctx.cache.get("topo:boundaries")
    edges = bnd[pj] if bnd is not None else shapely.boundary(tp.geoms[pj])
    dist = shapely.distance(shapely.points(vt.loc[li]), edges)
    near = dist <= radius
    return li[near], pj[near], dist[near]


@register
class VertexRules:
    ids = ("T09", "T10", "T11", "T12")

    @gc_paused
    def run(self, ctx, wanted):
        topo_plots(ctx)               # may have started this family in the worker
        done = prefetch.take(ctx, self, wanted)
        return done if done is not None else self.compute(ctx, wanted)

    def compute(self, ctx, wanted):
        tp = topo_plots(ctx)
        p = params(ctx)
        if not len(tp):
            return []
        vt = vertex_tables(ctx, tp)
        rv = vt.rv
        out = []
        ctx.feedback.progress(20)
        if "T09" in wanted:
            idx, ang = sharp_angles(rv, p["t09"])
            for k, (cnt, i, v) in sorted(group_min(idx, ang, rv.plot).items()):
                out.append(self._vertex_finding(
                    "T09", tp, k, rv.xy[i], "地块 %s 有 %d 处狭长角，最小 %.2f°（阈值 %g°）" % (
                        tp.keys[k], cnt, v, p["t09"]), {"angle": round(v, 3), "count": cnt,
                                                       "threshold": p["t09"], "unit": "deg"}))
        if "T10" in wanted:
            idx, dist = short_edges(rv, p["t10"])
            for k, (cnt, i, v) in sorted(group_min(idx, dist, rv.plot).items()):
                out.append(self._vertex_finding(
                    "T10", tp, k, rv.xy[i], "地块 %s 有 %d 处相邻节点间距小于 %g 米，最小 %.4f 米（节点重复）"
                    % (tp.keys[k], cnt, p["t10"], v), {"distance": round(v, 4), "count": cnt,
                                                      "threshold": p["t10"], "unit": "m"}))
        ctx.feedback.progress(40)
        ctx.feedback.check()
        if "T11" in wanted or "T12" in wanted:
            vt = searched_tables(ctx, tp)
        if "T11" in wanted:
            out.extend(self._t11(tp, vt, p))
        ctx.feedback.progress(60)
        ctx.feedback.check()
        if "T12" in wanted:
            out.extend(self._t12(ctx, tp, vt, p))
        ctx.feedback.progress(100)
        return out

    @staticmethod
    def _vertex_finding(rule, tp, k, xy, msg, values, related=()):
        values["_fp"] = "%.1f,%.1f" % (xy[0], xy[1])
        return Finding(rule, "DK", tp.keys[k], "%s，位置 %s%s" % (msg, fmt_xy(*xy), tp.note(k, *related)),
                       key_field="DKBM", related=tuple(tp.keys[r] for r in related),
                       related_field="DKBM" if related else "", unit_code=tp.ps.fbfbm[tp.idx[k]],
                       geom=shapely.Point(xy), values=values)

    def _t11(self, tp, vt, p):
        out = []
        sel = np.flatnonzero((vt.pd > p["xy"]) & (vt.pd <= p["t11"]))
        for s in sel:
            i, j, d = int(vt.pi[s]), int(vt.pj[s]), float(vt.pd[s])
            oi = sorted(vt.owners(i).tolist(), key=lambda k: tp.rank[k])
            oj = sorted(vt.owners(j).tolist(), key=lambda k: tp.rank[k])
            pair = next(((a, b) for a in oi for b in oj if a != b), None)
            if pair is None:
                continue          # both vertices belong to the same single plot
            a, b = pair
            if tp.rank[b] < tp.rank[a]:
                a, b, i, j = b, a, j, i
            xy = vt.loc[i]
            out.append(self._vertex_finding(
                "T11", tp, a, xy, "地块 %s 与地块 %s 节点相距 %.4f 米，未重合（相邻节点），容差 %g 米，阈值 %g 米"
                % (tp.keys[a], tp.keys[b], d, p["xy"], p["t11"]),
                {"distance": round(d, 4), "threshold": p["t11"], "unit": "m",
                 "other": fmt_xy(*vt.loc[j])}, related=(b,)))
        return out

    def _t12(self, ctx, tp, vt, p):
        li, pj, dist = near_edges(ctx, tp, vt, p["t12"])
        if not len(li):
            return []
        out = []
        for i, b, d in sorted(zip(li.tolist(), pj.tolist(), dist.tolist())):
            xy = vt.loc[i]
            # a corner shared by A and C on B's edge is a vertex of A and of C (checks.md:
            # "a vertex V of plot A"): one record for each, in key order
            for a in sorted((k for k in vt.owners(i).tolist() if k != b),
                            key=lambda k: tp.rank[k]):
                out.append(self._vertex_finding(
                    "T12", tp, a, xy, "地块 %s 的节点距地块 %s 的边 %.4f 米，地块 %s 在此处缺少公用节点（阈值 %g 米）"
                    % (tp.keys[a], tp.keys[b], d, tp.keys[b], p["t12"]),
                    {"distance": round(d, 4), "threshold": p["t12"], "unit": "m"}, related=(b,)))
        return out
