"""T16: 界址点 (JZD) and 界址线 (JZX) agree with the plots.

(a) JZD on a plot vertex; (b) JZX along the boundary of its plots; (c) KJZB names
existing JZD of the plot; (d) JZD.DKBM plots pass through the point; (e) JZD
coordinates attributes and JZX end point names. Vertex matching uses the grid
hash; a JZX segment equal to a plot edge is accepted by a hashed edge lookup and
only the other segments are measured with GEOS.
"""
from typing import Dict, List

import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from .common import fmt_xy, params, topo_plots
from .geomops import directed_distance, safe_binary
from .layers import has_features, read_layer
from .vertex_index import cyclic_neighbours, near_pairs
from .vertices import VertexTables

JZD_FIELDS = ("JZDH", "DKBM", "XZBZ", "YZBZ", "BSM")
JZX_FIELDS = ("JZXH", "BSM", "DKBM", "QJZDH", "ZJZDH")


def split_codes(text) -> List[str]:
    return [t.strip() for t in str(text or "").replace("，", "/").replace(",", "/").split("/")
            if t.strip()]


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


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
    a = np.where(swap[:, None], q, p)
    b = np.where(swap[:, None], p, q)
    return a, b


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
        q = np.round(np.hstack([a, b]) / self.tol).astype(np.int64)
        return _mix(q, plot)

    def matches(self, p, q, plot) -> np.ndarray:
        a, b = _canonical(p, q)
        h = self._hash(a, b, plot)
        pos = np.searchsorted(self.h, h)
        pos = np.minimum(pos, len(self.h) - 1) if len(self.h) else pos
        ok = np.zeros(len(h), dtype=bool)
        if not len(self.h):
            return ok
        hit = self.h[pos] == h
        e = self.order[pos[hit]]
        # verify: same plot and both ends within the tolerance (rounding is not a test)
        ok[hit] = ((self.plot[e] == plot[hit])
                   & (np.hypot(*(self.a[e] - a[hit]).T) <= self.tol)
                   & (np.hypot(*(self.b[e] - b[hit]).T) <= self.tol))
        return ok


@register
class BoundaryPointRules:
    ids = ("T16",)

    def run(self, ctx, wanted):
        if not (has_features(ctx, "JZD") or has_features(ctx, "JZX")):
            ctx.skip("T16", "JZD/JZX 为空，T16 跳过")
            return []
        p = params(ctx)
        tp = topo_plots(ctx)
        pos: Dict[str, int] = {}
        for k, key in enumerate(tp.keys):
            pos.setdefault(key, k)
        vt = ctx.cached("topo:vertices", lambda: VertexTables(tp, max(p["t11"], p["t12"])))
        bnd = shapely.boundary(tp.geoms)
        jrows, jgeoms = read_layer(ctx, "JZD", JZD_FIELDS)
        keep = [i for i, (r, g) in enumerate(zip(jrows, jgeoms)) if g is not None
                and (ctx.scope is None or any(ctx.in_scope(c) for c in split_codes(r.get("DKBM"))))]
        jrows = [jrows[i] for i in keep]
        jgeoms = np.array([jgeoms[i] for i in keep], dtype=object)
        out = []
        out.extend(self._points(tp, vt, bnd, pos, jrows, jgeoms, p))
        ctx.feedback.progress(40)
        ctx.feedback.check()
        if has_features(ctx, "JZD"):
            out.extend(self._kjzb(ctx, tp, jrows))
        ctx.feedback.progress(60)
        out.extend(self._lines(ctx, tp, vt, bnd, pos, jrows, jgeoms, p))
        ctx.feedback.progress(100)
        return out

    # --- JZD -------------------------------------------------------------------
    @staticmethod
    def _jzd_finding(r, g, part, msg, related=(), values=None):
        key = str(r.get("JZDH") or "").strip() or "fid:%s" % r.get("FID")
        values = dict(values or {})
        values["_fp"] = "%s:%.1f,%.1f" % (part, g.x, g.y)
        return Finding("T16", "JZD", key, "界址点 %s %s，位置 %s" % (key, msg, fmt_xy(g.x, g.y)),
                       key_field="JZDH", related=tuple(related), related_field="DKBM",
                       unit_code=(split_codes(r.get("DKBM")) or [""])[0][:14], geom=g,
                       values=values)

    def _points(self, tp, vt, bnd, pos, jrows, jgeoms, p):
        if not len(jgeoms):
            return []
        out = []
        xy = shapely.get_coordinates(jgeoms)
        tol = p["xy"]
        # (a) on a plot vertex
        ji, _, _ = near_pairs(xy, tol, vt.loc)
        on_vertex = np.zeros(len(xy), dtype=bool)
        on_vertex[ji] = True
        lone = np.flatnonzero(~on_vertex)
        if len(lone):
            tree = shapely.STRtree(shapely.points(vt.loc)) if len(vt.loc) else None
            dist = np.full(len(lone), np.inf)
            if tree is not None:
                _, d = tree.query_nearest(jgeoms[lone], return_distance=True, all_matches=False)
                dist = d
            for i, d in zip(lone.tolist(), np.atleast_1d(dist).tolist()):
                out.append(self._jzd_finding(
                    jrows[i], jgeoms[i], "a", "距最近的地块节点 %.4f 米，不在地块节点上（容差 %g 米）"
                    % (d, tol), split_codes(jrows[i].get("DKBM")), {"distance": round(d, 4)}))
        # (d) the plots it names pass through it
        pj, pk = [], []
        for i, r in enumerate(jrows):
            for c in split_codes(r.get("DKBM")):
                if c in pos:
                    pj.append(i)
                    pk.append(pos[c])
        if pj:
            pj, pk = np.array(pj), np.array(pk)
            d = shapely.distance(jgeoms[pj], bnd[pk])
            for i, k, dd in zip(pj.tolist(), pk.tolist(), d.tolist()):
                if dd > tol:
                    out.append(self._jzd_finding(
                        jrows[i], jgeoms[i], "d", "所属地块 %s 的边界距该点 %.3f 米（容差 %g 米）"
                        % (tp.keys[k], dd, tol), (tp.keys[k],), {"distance": round(dd, 4)}))
        # (e) XZBZ = northing, YZBZ = easting
        for i, r in enumerate(jrows):
            xz, yz = _num(r.get("XZBZ")), _num(r.get("YZBZ"))
            g = jgeoms[i]
            if xz is None or yz is None:
                continue
            dev = max(abs(xz - g.y), abs(yz - g.x))
            if dev > tol:
                out.append(self._jzd_finding(
                    r, g, "e", "坐标属性 X=%.3f Y=%.3f 与图形相差 %.3f 米（容差 %g 米）" % (xz, yz, dev, tol),
                    values={"deviation": round(dev, 4)}))
        return out

    @staticmethod
    def _kjzb(ctx, tp, jrows):
        """(c) every JZDH in a plot's KJZB is a JZD of that plot."""
        have = set()
        for r in jrows:
            h = str(r.get("JZDH") or "").strip()
            for c in split_codes(r.get("DKBM")):
                have.add((c, h))
        out = []
        ps = tp.ps
        for i, row in enumerate(ps.rows):
            key = ps.keys[i]
            names = split_codes(row.get("KJZB"))
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

    # --- JZX -------------------------------------------------------------------
    def _lines(self, ctx, tp, vt, bnd, pos, jrows, jgeoms, p):
        rows, lines = read_layer(ctx, "JZX", JZX_FIELDS)
        sel = [i for i, (r, g) in enumerate(zip(rows, lines)) if g is not None
               and (ctx.scope is None or any(ctx.in_scope(c) for c in split_codes(r.get("DKBM"))))]
        if not sel:
            return []
        tol = p["xy"]
        out = []
        by_name: Dict[str, list] = {}
        for r, g in zip(jrows, jgeoms):
            by_name.setdefault(str(r.get("JZDH") or "").strip(), []).append(g)
        plots_of = {i: [pos[c] for c in split_codes(rows[i].get("DKBM")) if c in pos] for i in sel}
        bad_b = self._off_boundary(tp, vt, bnd, rows, lines, sel, plots_of, tol)
        for i in sel:
            r, g = rows[i], lines[i]
            key = str(r.get("JZXH") or "").strip() or str(r.get("BSM") or "").strip() \
                or "fid:%s" % r.get("FID")
            mid = shapely.line_interpolate_point(g, 0.5, normalized=True)
            dk = tuple(split_codes(r.get("DKBM")))
            if i in bad_b:
                nseg, depth = bad_b[i]
                out.append(Finding(
                    "T16", "JZX", key, "界址线 %s 有 %d 段偏离所属地块 %s 的边界，最远 %.3f 米（容差 %g 米），位置 %s"
                    % (key, nseg, "/".join(dk), depth, tol, fmt_xy(mid.x, mid.y)),
                    key_field="JZXH", related=dk, related_field="DKBM",
                    unit_code=(dk or ("",))[0][:14], geom=mid,
                    values={"segments": nseg, "distance": round(depth, 4), "_fp": "b"}))
            probs = self._end_problems(r, g, by_name, tol)
            if probs:
                out.append(Finding(
                    "T16", "JZX", key, "界址线 %s %s，位置 %s" % (key, "；".join(probs), fmt_xy(mid.x, mid.y)),
                    key_field="JZXH", related=tuple(h for h in (str(r.get("QJZDH") or "").strip(),
                                                            str(r.get("ZJZDH") or "").strip()) if h),
                    related_field="JZDH", unit_code=(dk or ("",))[0][:14], geom=mid,
                    values={"_fp": "e"}))
        return out

    @staticmethod
    def _off_boundary(tp, vt, bnd, rows, lines, sel, plots_of, tol):
        """{jzx index: (segments off the boundary, largest distance)} for (b)."""
        use = [i for i in sel if plots_of[i]]
        if not use:
            return {}
        parts, part_of = shapely.get_parts(np.array([lines[i] for i in use], dtype=object),
                                           return_index=True)
        coords, ci = shapely.get_coordinates(parts, return_index=True)
        same = ci[1:] == ci[:-1]
        s0 = np.flatnonzero(same)
        seg_line = part_of[ci[s0]]                  # position in `use`
        p0, p1 = coords[s0], coords[s0 + 1]
        # expand each segment to each plot it names
        cnt = np.array([len(plots_of[use[u]]) for u in seg_line], dtype=np.int64)
        seg = np.repeat(np.arange(len(s0)), cnt)
        plot = np.concatenate([plots_of[use[u]] for u in seg_line]) if len(seg_line) else \
            np.zeros(0, dtype=np.int64)
        edges = EdgeIndex(vt.rv, tol)
        ok_pair = edges.matches(p0[seg], p1[seg], plot)
        ok = np.zeros(len(s0), dtype=bool)
        ok[seg[ok_pair]] = True
        todo = np.flatnonzero(~ok)
        if not len(todo):
            return {}
        # exact test for the others: the part of the segment beyond buffer(boundaries, tol)
        segs = shapely.linestrings(np.stack([p0[todo], p1[todo]], axis=1))
        zone = {}
        for u in sorted(set(seg_line[todo].tolist())):
            zone[u] = shapely.buffer(shapely.union_all(bnd[plots_of[use[u]]]), tol)
        beyond = safe_binary(shapely.difference, segs,
                             np.array([zone[u] for u in seg_line[todo]], dtype=object))
        out = {}
        for t, g in zip(todo.tolist(), beyond):
            if g is None or g.is_empty or g.length <= 1e-9:
                continue
            u = int(seg_line[t])
            i = use[u]
            d = directed_distance(g, shapely.union_all(bnd[plots_of[i]]))
            n, best = out.get(i, (0, 0.0))
            out[i] = (n + 1, max(best, d))
        return out

    @staticmethod
    def _end_problems(r, g, by_name, tol):
        """(e) QJZDH / ZJZDH exist and are the ends of the line (either direction)."""
        coords = shapely.get_coordinates(g)
        ends = [shapely.Point(coords[0]), shapely.Point(coords[-1])]
        probs, at = [], []
        for field, label in (("QJZDH", "起界址点"), ("ZJZDH", "止界址点")):
            h = str(r.get(field) or "").strip()
            if not h:
                continue
            cands = by_name.get(h)
            if not cands:
                probs.append("%s %s 不存在" % (label, h))
                continue
            hits = {e for e, end in enumerate(ends) if any(c.distance(end) <= tol for c in cands)}
            if not hits:
                probs.append("%s %s 不在界址线端点上" % (label, h))
            at.append(hits)
        if len(at) == 2 and at[0] and at[1] and len(at[0] | at[1]) < 2 \
                and ends[0].distance(ends[1]) > tol:
            probs.append("起止界址点在同一端")
        return probs
