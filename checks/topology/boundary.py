"""T16: 界址点 (JZD) and 界址线 (JZX) agree with the plots.

(a) a JZD lies on a plot vertex; (b) a JZX runs along the boundary of its plots;
(c) the JZDH in a plot's KJZB are JZD of that plot; (d) the plots named in
JZD.DKBM pass through the point; (e) JZD coordinate attributes match the point,
JZX.QJZDH/ZJZDH exist and are the line's ends. All tests are vectorised; Python
loops only build the records that are reported.
"""
from itertools import repeat

import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from .boundary_lines import line_findings
from .common import fmt_xy, gc_paused, params, topo_plots
from . import prefetch
from .code_ints import IntKeyIndex
from .jz_tables import (JzdTable, PlotIndex, first_index, has_boundary_points, kjzb_texts,
                        split_codes)
from .vertex_index import points_at_locations
from .vertices import vertex_tables

__all__ = ["BoundaryPointRules", "split_codes"]


def _point_finding(jz: JzdTable, i, part, msg, related=(), values=None):
    x, y = jz.xy[i]
    values = dict(values or {})
    values["_fp"] = "%s:%.1f,%.1f" % (part, x, y)
    key = jz.names[i] or "fid:%s" % jz.fids[i]
    plots = jz.plots(i)
    return Finding("T16", "JZD", key, "界址点 %s %s，位置 %s" % (key, msg, fmt_xy(x, y)),
                   key_field="JZDH", related=tuple(related), related_field="DKBM",
                   unit_code=(plots or [""])[0][:14], geom=shapely.points(x, y),
                   values=values)


@register
class BoundaryPointRules:
    ids = ("T16",)

    @gc_paused
    def run(self, ctx, wanted):
        topo_plots(ctx)               # may have started this family in the worker
        done = prefetch.take(ctx, self, wanted)
        return done if done is not None else self.compute(ctx, wanted)

    def compute(self, ctx, wanted):
        if not has_boundary_points(ctx):
            ctx.skip("T16", "JZD/JZX 为空，T16 跳过")
            return []
        p = params(ctx)
        tp = topo_plots(ctx)
        pos = PlotIndex(tp.keys)
        vt = vertex_tables(ctx, tp)
        jz = JzdTable(ctx)
        out = []
        if len(jz):
            out.extend(self._points(tp, vt, pos, jz, p))
            ctx.feedback.progress(40)
            ctx.feedback.check()
            out.extend(self._kjzb(ctx, tp, jz))
        ctx.feedback.progress(60)
        out.extend(line_findings(ctx, tp, vt, pos, jz, p))
        ctx.feedback.progress(100)
        return out

    @staticmethod
    def _points(tp, vt, pos, jz, p):
        out = []
        tol = p["xy"]
        # (a) on a plot vertex: grid hash against the distinct vertex locations
        ji, li, _ = points_at_locations(vt.loc, jz.xy, tol)
        lone = np.setdiff1d(np.arange(len(jz)), ji)
        if len(lone):
            dist = np.full(len(lone), np.inf)
            if len(vt.loc):
                tree = shapely.STRtree(shapely.points(vt.loc))
                _, dist = tree.query_nearest(shapely.points(jz.xy[lone]), return_distance=True,
                                             all_matches=False)
            for i, d in zip(lone.tolist(), np.atleast_1d(dist).tolist()):
                out.append(_point_finding(jz, i, "a", "距最近的地块节点 %.4f 米，不在地块节点上（容差 %g 米）"
                                          % (d, tol), jz.plots(i), {"distance": round(d, 4)}))
        # (d) the plots it names pass through it: a vertex of the plot there settles it,
        # the others are measured against the plot's boundary
        ptr, pk, pn = jz.plot_csr(pos)
        if len(pk):
            pj = np.repeat(np.arange(len(jz)), np.diff(ptr))
            n_plot = max(len(tp), 1)
            c = np.diff(vt.ptr)[li]
            at = np.repeat(ji, c) * n_plot + vt.own[np.repeat(vt.ptr[li], c) + (
                np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c))]
            on_vertex = np.isin(pj * n_plot + pk, at)
            # per (point, named code): fine when any plot with that code fits
            group = pj.astype(np.int64) * (int(pn.max()) + 1) + pn
            fine = np.unique(group[on_vertex])
            todo = np.flatnonzero(~np.isin(group, fine))
            if len(todo):
                d = shapely.distance(shapely.points(jz.xy[pj[todo]]),
                                     shapely.boundary(tp.geoms[pk[todo]]))
                order = np.lexsort((d, group[todo]))
                g = group[todo][order]
                best = order[np.r_[True, g[1:] != g[:-1]]]
                for s in best[d[best] > tol].tolist():
                    i, k = int(pj[todo[s]]), int(pk[todo[s]])
                    out.append(_point_finding(jz, i, "d", "所属地块 %s 的边界距该点 %.3f 米（容差 %g 米）"
                                              % (tp.keys[k], d[s], tol), (tp.keys[k],),
                                              {"distance": round(float(d[s]), 4)}))
        # (e) XZBZ = northing, YZBZ = easting
        xz, yz = jz.coords
        dev = np.fmax(np.abs(xz - jz.xy[:, 1]), np.abs(yz - jz.xy[:, 0]))
        for i in np.flatnonzero(np.nan_to_num(dev, nan=0.0) > tol).tolist():
            out.append(_point_finding(jz, i, "e", "坐标属性 X=%.3f Y=%.3f 与图形相差 %.3f 米（容差 %g 米）"
                                      % (xz[i], yz[i], dev[i], tol),
                                      values={"deviation": round(dev[i], 4)}))
        return out

    @staticmethod
    def _kjzb(ctx, tp, jz):
        """(c) every JZDH in a plot's KJZB is a JZD of that plot."""
        from ...core.column_reader import split_lists
        ps = tp.ps
        texts = kjzb_texts(ctx, ps)
        counts, names = split_lists(texts)
        if not len(names):
            return []
        # (plot key, JZDH) pairs as integers: a key or name is numbered by its first place
        name_no = first_index(jz.names)
        width = len(jz.names) + 1
        if jz.ints is not None:
            kidx = IntKeyIndex(ps.keys)
            have_key = kidx.first_of(jz.ints)
            # keys that are no 19-digit code cannot be named by one: never matched
            mine = np.where(kidx.valid, kidx.first_of(kidx.value),
                            -2 - np.arange(len(ps.keys)))
        else:
            key_no = first_index(ps.keys)
            have_key = np.fromiter(map(key_no.get, jz.tokens, repeat(-1)), dtype=np.int64,
                                   count=len(jz.tokens))
            mine = np.fromiter(map(key_no.__getitem__, ps.keys), dtype=np.int64,
                               count=len(ps.keys))
        have_name = np.repeat(np.fromiter(map(name_no.get, jz.names), dtype=np.int64,
                                          count=len(jz.names)), jz.counts)
        have = np.unique((have_key * width + have_name)[have_key >= 0])
        plot_row = np.repeat(np.arange(len(ps.keys)), counts)
        want_key = mine[plot_row]
        want_name = np.fromiter(map(name_no.get, names, repeat(-1)), dtype=np.int64,
                                count=len(names))
        miss = (want_name < 0) | ~np.isin(want_key * width + want_name, have)
        bad = np.flatnonzero(miss)                  # token order: plot by plot
        if not len(bad):
            return []
        out = []
        rows = plot_row[bad]
        cut = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        for s, e in zip(cut.tolist(), np.r_[cut[1:], len(bad)].tolist()):
            i = int(rows[s])
            key = ps.keys[i]
            lost = [names[t] for t in bad[s:e].tolist()]
            g = ps.repaired[i]
            out.append(Finding(
                "T16", "DK", key, "地块 %s 的 KJZB 列出的界址点 %s 不是该地块的界址点（界址点图层中没有）"
                % (key, "、".join(lost)), key_field="DKBM", related=tuple(lost),
                related_field="JZDH", unit_code=ps.fbfbm[i],
                geom=shapely.point_on_surface(g) if g is not None else None,
                values={"missing": lost, "_fp": "c"}))
        return out
