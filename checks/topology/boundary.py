"""T16: 界址点 (JZD) and 界址线 (JZX) agree with the plots.

(a) a JZD lies on a plot vertex; (b) a JZX runs along the boundary of its plots;
(c) the JZDH in a plot's KJZB are JZD of that plot; (d) the plots named in
JZD.DKBM pass through the point; (e) JZD coordinate attributes match the point,
JZX.QJZDH/ZJZDH exist and are the line's ends. All tests are vectorised; Python
loops only build the records that are reported.
"""
import re
from typing import Dict, List

import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from .boundary_lines import line_findings
from .common import fmt_xy, gc_paused, params, topo_plots
from .layers import codes_to_plots, has_features, read_columns
from .vertex_index import near_pairs
from .vertices import vertex_tables

JZD_FIELDS = ("JZDH", "DKBM", "XZBZ", "YZBZ")
_SEP = re.compile(r"[/,，、;；]")
_OTHER = re.compile(r"[,，、;；]")


def split_codes(text) -> List[str]:
    """'A/B' (also , ， 、 ;) -> ['A', 'B']."""
    if not text:
        return []
    s = text if text.__class__ is str else str(text)
    out = [x.strip() for x in (s.split("/") if _OTHER.search(s) is None else _SEP.split(s))]
    return [t for t in out if t] if "" in out else out


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return np.nan


class JzdSet:
    """The JZD in scope with their coordinates and the plots they name (columns)."""

    def __init__(self, ctx):
        fids, cols, geoms = read_columns(ctx, "JZD", JZD_FIELDS)
        keep = np.flatnonzero(~shapely.is_missing(geoms)) if len(geoms) else \
            np.zeros(0, dtype=np.int64)
        plots = [split_codes(cols["DKBM"][i]) for i in keep.tolist()]
        if ctx.scope is not None:
            inside = [any(ctx.in_scope(c) for c in cs) for cs in plots]
            keep = keep[np.array(inside, dtype=bool)] if len(keep) else keep
            plots = [cs for cs, ok in zip(plots, inside) if ok]
        take = keep.tolist()
        self.fids = fids[keep]
        self.cols = {f: [v[i] for i in take] for f, v in cols.items()}
        self.geoms = geoms[keep]
        self.xy = shapely.get_coordinates(self.geoms) if len(keep) else np.zeros((0, 2))
        self.names = [str(v or "").strip() for v in self.cols["JZDH"]]
        self.plots = plots

    def __len__(self):
        return len(self.names)

    def key(self, i):
        return self.names[i] or "fid:%s" % self.fids[i]

    def finding(self, i, part, msg, related=(), values=None):
        x, y = self.xy[i]
        values = dict(values or {})
        values["_fp"] = "%s:%.1f,%.1f" % (part, x, y)
        key = self.key(i)
        return Finding("T16", "JZD", key, "界址点 %s %s，位置 %s" % (key, msg, fmt_xy(x, y)),
                       key_field="JZDH", related=tuple(related), related_field="DKBM",
                       unit_code=(self.plots[i] or [""])[0][:14], geom=self.geoms[i], values=values)


@register
class BoundaryPointRules:
    ids = ("T16",)

    @gc_paused
    def run(self, ctx, wanted):
        if not (has_features(ctx, "JZD") or has_features(ctx, "JZX")):
            ctx.skip("T16", "JZD/JZX 为空，T16 跳过")
            return []
        p = params(ctx)
        tp = topo_plots(ctx)
        # a DKBM used by two plots (A06) names both: a JZD/JZX fits if it fits either
        pos: Dict[str, List[int]] = {}
        for k, key in enumerate(tp.keys):
            pos.setdefault(key, []).append(k)
        vt = vertex_tables(ctx, tp)
        bnd = ctx.cached("topo:boundaries", lambda: shapely.boundary(tp.geoms))
        jz = JzdSet(ctx)
        out = []
        if len(jz):
            out.extend(self._points(tp, vt, bnd, pos, jz, p))
            ctx.feedback.progress(40)
            ctx.feedback.check()
            out.extend(self._kjzb(tp, jz))
        ctx.feedback.progress(60)
        out.extend(line_findings(ctx, tp, vt, bnd, pos, jz, p))
        ctx.feedback.progress(100)
        return out

    @staticmethod
    def _points(tp, vt, bnd, pos, jz, p):
        out = []
        tol = p["xy"]
        # (a) on a plot vertex: grid hash against the distinct vertex locations
        ji, _, _ = near_pairs(jz.xy, tol, vt.loc)
        lone = np.setdiff1d(np.arange(len(jz)), ji)
        if len(lone):
            dist = np.full(len(lone), np.inf)
            if len(vt.loc):
                tree = shapely.STRtree(shapely.points(vt.loc))
                _, dist = tree.query_nearest(jz.geoms[lone], return_distance=True, all_matches=False)
            for i, d in zip(lone.tolist(), np.atleast_1d(dist).tolist()):
                out.append(jz.finding(i, "a", "距最近的地块节点 %.4f 米，不在地块节点上（容差 %g 米）"
                                      % (d, tol), jz.plots[i], {"distance": round(d, 4)}))
        # (d) the plots it names pass through it
        ptr, pk, pn = codes_to_plots(jz.plots, pos)
        if len(pk):
            pj = np.repeat(np.arange(len(jz)), np.diff(ptr))
            d = shapely.distance(jz.geoms[pj], bnd[pk])
            # per (point, named code) the nearest of the plots with that code
            key = pj.astype(np.int64) * 1000 + pn
            order = np.lexsort((d, key))
            first = np.r_[True, key[order][1:] != key[order][:-1]]
            best = order[first]
            for s in best[d[best] > tol].tolist():
                i, k = int(pj[s]), int(pk[s])
                out.append(jz.finding(i, "d", "所属地块 %s 的边界距该点 %.3f 米（容差 %g 米）"
                                      % (tp.keys[k], d[s], tol), (tp.keys[k],),
                                      {"distance": round(float(d[s]), 4)}))
        # (e) XZBZ = northing, YZBZ = easting
        xz = np.array([_num(v) for v in jz.cols["XZBZ"]], dtype=float)
        yz = np.array([_num(v) for v in jz.cols["YZBZ"]], dtype=float)
        dev = np.fmax(np.abs(xz - jz.xy[:, 1]), np.abs(yz - jz.xy[:, 0]))
        for i in np.flatnonzero(np.nan_to_num(dev, nan=0.0) > tol).tolist():
            out.append(jz.finding(i, "e", "坐标属性 X=%.3f Y=%.3f 与图形相差 %.3f 米（容差 %g 米）"
                                  % (xz[i], yz[i], dev[i], tol), values={"deviation": round(dev[i], 4)}))
        return out

    @staticmethod
    def _kjzb(tp, jz):
        """(c) every JZDH in a plot's KJZB is a JZD of that plot."""
        have = {(c, h) for h, cs in zip(jz.names, jz.plots) for c in cs}
        out = []
        ps = tp.ps
        for i, text in enumerate(ps.column("KJZB")):
            names = split_codes(text)
            if not names:
                continue
            key = ps.keys[i]
            miss = [h for h in names if (key, h) not in have]
            if not miss:
                continue
            g = ps.repaired[i]
            out.append(Finding(
                "T16", "DK", key, "地块 %s 的 KJZB 列出的界址点 %s 不是该地块的界址点（界址点图层中没有）"
                % (key, "、".join(miss)), key_field="DKBM", related=tuple(miss),
                related_field="JZDH", unit_code=ps.fbfbm[i],
                geom=shapely.point_on_surface(g) if g is not None else None,
                values={"missing": miss, "_fp": "c"}))
        return out
