"""T13(a), T14, T15: plots and regions (XJQY ⊃ CJQY ⊃ ZJQY ⊃ plots).

Containment is one vectorised `covers` against each plot's own buffered region
(prepared once per region); only the few plots that are not covered are cut.
Precedence (checks.md §6): the part of a plot that T13 reports in another
village is not reported again by T14.
"""
from typing import Dict, List

import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from . import prefetch
from .common import (gc_paused, is_dkbm, params, representative, topo_plots, unit_label,
                     village_label)
from .geomops import directed_distance, polygonal, polygonal_array, safe_binary, safe_pair
from .layers import own_region_codes, regions


class RegionSet:
    """Region codes and geometries with buffered, prepared copies and a tree."""

    def __init__(self, by_code: Dict[str, object], tol: float):
        self.codes = list(by_code)
        self.geoms = np.array([by_code[c] for c in self.codes], dtype=object)
        self.pos = {c: i for i, c in enumerate(self.codes)}
        self.buffered = shapely.buffer(self.geoms, tol) if len(self.geoms) else self.geoms
        shapely.prepare(self.buffered)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self):
        return len(self.codes)


def majority_region(rs: RegionSet, geoms) -> List[str]:
    """The region holding each plot's point on surface ('' if none)."""
    pts = shapely.point_on_surface(geoms)
    pi, ri = rs.tree.query(pts, predicate="within")
    out = [""] * len(geoms)
    for p_, r in sorted(zip(pi.tolist(), ri.tolist())):
        if not out[p_]:
            out[p_] = rs.codes[r]
    return out


def outside_parts(tp, rs: RegionSet, own: List[str], min_area: float):
    """(plot positions, parts beyond their own region) for the plots whose part
    farther than REGION_TOL from the region (A − buffer(R, tol)) has an area above
    min_area. The parts returned are the exact A − R, which is what is reported."""
    n = len(tp)
    ridx = np.array([rs.pos.get(c, -1) for c in own], dtype=np.int64)
    has = ridx >= 0
    covered = np.zeros(n, dtype=bool)
    if has.any():
        # prepared regions are shared: kept in one thread (lazy GEOS indexes)
        covered[has] = shapely.covers(rs.buffered[ridx[has]], tp.geoms[has])
    ks = np.flatnonzero(~covered)
    if not len(ks):
        return ks, np.empty(0, dtype=object), np.empty(0, dtype=object)
    far = np.array(tp.geoms[ks], dtype=object)
    exact = np.array(tp.geoms[ks], dtype=object)
    wo = has[ks]
    if wo.any():
        far[wo] = safe_binary(shapely.difference, tp.geoms[ks[wo]], rs.buffered[ridx[ks[wo]]])
        exact[wo] = safe_binary(shapely.difference, tp.geoms[ks[wo]], rs.geoms[ridx[ks[wo]]])
    far, exact = polygonal_array(far), polygonal_array(exact)
    keep = ~shapely.is_missing(far) & ~shapely.is_missing(exact)
    keep[keep] = shapely.area(far[keep]) > min_area
    return ks[keep], far[keep], exact[keep]


def crossings(tp, rs: RegionSet, own: List[str], min_area: float):
    """T13(a) records: (plot, other region code, exact part in it, depth)."""
    ks, far, exact = outside_parts(tp, rs, own, min_area)
    if not len(ks):
        return []
    oi, ri = rs.tree.query(far, predicate="intersects")
    keep = np.array([rs.codes[r] != own[ks[o]] for o, r in zip(oi, ri)], dtype=bool)
    oi, ri = oi[keep], ri[keep]
    if not len(oi):
        return []
    # the test is on the part farther than the tolerance, the record is the exact part
    test = safe_binary(shapely.intersection, far[oi], rs.geoms[ri])
    parts = polygonal_array(safe_binary(shapely.intersection, exact[oi], rs.geoms[ri]))
    test = polygonal_array(test)
    out = []
    for o, r, t, part in zip(oi.tolist(), ri.tolist(), test, parts):
        if t is None or t.area <= min_area or part is None:
            continue
        k = int(ks[o])
        home = rs.geoms[rs.pos[own[k]]] if own[k] in rs.pos else None
        depth = directed_distance(part, home) if home is not None else \
            directed_distance(part, shapely.boundary(rs.geoms[r]))
        out.append((k, rs.codes[r], part, depth))
    return sorted(out, key=lambda t: (tp.keys[t[0]], t[1]))


def plot_regions(ctx, tp, rs: RegionSet) -> List[str]:
    """Own region per plot: the region whose code starts its DKBM; for keys that are
    not DKBM (layers from outside the database) the region holding the plot."""
    own = own_region_codes(tp.keys, rs.codes)
    loose = [k for k, c in enumerate(own) if not c and not is_dkbm(tp.keys[k])]
    if loose:
        for k, c in zip(loose, majority_region(rs, tp.geoms[loose])):
            own[k] = c
    return own


@register
class RegionRules:
    ids = ("T13", "T14", "T15")

    @gc_paused
    def run(self, ctx, wanted):
        if "T13" in wanted or "T14" in wanted:
            topo_plots(ctx)           # may have started this family in the worker
        done = prefetch.take(ctx, self, wanted)
        return done if done is not None else self.compute(ctx, wanted)

    def compute(self, ctx, wanted):
        p = params(ctx)
        out = []
        t13 = {}
        if "T13" in wanted or "T14" in wanted:
            tp = topo_plots(ctx)
            cj = regions(ctx, "CJQY")
            if not cj:
                ctx.skip("T13(a)", "CJQY 为空，T13(a) 跳过")
            elif len(tp):
                rs = ctx.cached("topo:rs:CJQY", lambda: RegionSet(cj, p["region_tol"]))
                for k, code, part, depth in crossings(tp, rs, plot_regions(ctx, tp, rs),
                                                      p["overlap_area"]):
                    t13.setdefault(k, []).append(part)
                    if "T13" in wanted:
                        out.append(self._t13(tp, k, code, part, depth, p))
            ctx.feedback.progress(40)
            ctx.feedback.check()
            if "T14" in wanted:
                out.extend(self._t14(ctx, tp, p, t13 if "T13" in wanted else {}))
        ctx.feedback.progress(70)
        if "T15" in wanted:
            from .region_nesting import nesting_findings
            out.extend(prefetch.recorded(ctx, "topo:t15", lambda c: nesting_findings(c, p)))
        ctx.feedback.progress(100)
        return out

    @staticmethod
    def _t13(tp, k, code, part, depth, p):
        key = tp.keys[k]
        return Finding(
            "T13", "DK", key, "地块 %s（%s）伸入 %s 区域，最大 %.3f 米，面积 %.2f 平方米（阈值 %g）%s"
            % (key, village_label(key) if is_dkbm(key) else unit_label(tp.units[k]), code, depth,
               part.area, p["overlap_area"], tp.note(k)),
            key_field="DKBM", related=(code,), related_field="CJQYDM",
            unit_code=tp.ps.fbfbm[tp.idx[k]], geom=part, anchor=representative(part),
            values={"area": round(part.area, 4), "depth": round(depth, 3),
                    "threshold": p["overlap_area"], "unit": "m2"})

    def _t14(self, ctx, tp, p, t13):
        zj = regions(ctx, "ZJQY")
        cj = regions(ctx, "CJQY")
        own, missing = [], 0
        for k in tp.keys:
            code = (k[:12] if k[12:14] == "00" else k[:14]) if is_dkbm(k) else ""
            table = cj if code and len(code) == 12 else zj
            own.append(code if code in table else "")
            missing += bool(code) and code not in table
        if not zj and not any(own):
            ctx.skip("T14", "ZJQY 为空，T14 跳过")
            return []
        if missing:
            ctx.notes.append("%d 个地块的所属组级区域不存在，T14 对其跳过" % missing)
        merged = dict(zj)
        merged.update({c: cj[c] for c in set(own) if len(c) == 12})
        rs = RegionSet(merged, p["region_tol"])
        ks, fars, exacts = outside_parts(tp, rs, own, p["overlap_area"])
        out = []
        for k, far, part in zip(ks.tolist(), fars, exacts):
            if not own[k]:
                continue
            if k in t13:     # §6: the part T13 reports in another village is not T14
                done = shapely.union_all(t13[k])
                far = polygonal(safe_pair(shapely.difference, far, done))
                part = polygonal(safe_pair(shapely.difference, part, done))
            if far is None or far.area <= p["overlap_area"] or part is None:
                continue
            into = sorted({rs.codes[r] for r in rs.tree.query(part, predicate="intersects")
                           if rs.codes[r] != own[k] and len(rs.codes[r]) == 14})
            depth = directed_distance(part, rs.geoms[rs.pos[own[k]]])
            where = "（伸入 %s）" % "、".join(into) if into else ""
            out.append(Finding(
                "T14", "DK", tp.keys[k], "地块 %s 有 %.2f 平方米超出所属区域 %s%s，最大 %.3f 米（阈值 %g，容差 %g 米）%s"
                % (tp.keys[k], part.area, own[k], where, depth, p["overlap_area"], p["region_tol"],
                   tp.note(k)),
                key_field="DKBM", related=tuple(into) or (own[k],),
                related_field="ZJQYDM", unit_code=tp.ps.fbfbm[tp.idx[k]], geom=part,
                anchor=representative(part),
                values={"area": round(part.area, 4), "depth": round(depth, 3), "region": own[k]}))
        return out
