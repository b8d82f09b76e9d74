"""T04, T07 and T13(b) overlaps: plots whose interiors intersect.

Only plots with an unshared edge or inside a multiply covered face of the
arrangement (coverage.py) can overlap another plot; for them candidates come from
one STRtree query: the plots eroded by 0.4 mm against the plots, predicate
'intersects' (prepared geometries, no per-pair relate). An
overlap wider than the 0.001 m topology tolerance contains a disk of radius
0.5 mm, whose centre lies in the 0.4 mm erosion of both plots, so no reportable
overlap is missed; a clean coverage gives no candidate at all (shared edges and
corners are not in the erosion). Exact area and width are then computed on the
few candidate pairs only. Duplicates (T07, Hausdorff ≤ 0.001 m) are candidates
too and take precedence over T04/T13 (checks.md §6).
"""
from dataclasses import dataclass
from typing import List

import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from .coverage import arrangement
from .common import gc_paused, params, representative, topo_plots, TopoPlots, unit_label
from .geomops import chunked, narrower_than, polygonal, polygonal_array, query_pairs, \
    safe_binary, safe_unary, width_of, \
    width_upper_bound

ERODE = 0.0004


@dataclass
class Overlap:
    a: int            # array positions in TopoPlots, a has the smaller key
    b: int
    geom: object      # polygonal intersection (None for duplicates)
    area: float
    width: float
    duplicate: bool
    hausdorff: float = 0.0


def find_overlaps(tp: TopoPlots, p, feedback=None, with_duplicates=True,
                  candidates=None) -> List[Overlap]:
    """Overlapping pairs; `candidates` (positions) limits the plots queried: every
    overlapping pair must have at least one plot among them (coverage.py)."""
    n = len(tp)
    if n < 2:
        return []
    qi = np.arange(n) if candidates is None else np.asarray(candidates, dtype=np.int64)
    eroded = chunked(lambda a: safe_unary(lambda g: shapely.buffer(g, -ERODE, quad_segs=2), a),
                     tp.geoms[qi])
    usable = ~(shapely.is_empty(eroded) | shapely.is_missing(eroded))
    qi, eroded = qi[usable], eroded[usable]
    a, b = query_pairs(tp.tree, eroded, "intersects")
    a = qi[a]
    keep = a != b
    a, b = a[keep], b[keep]
    if feedback:
        feedback.progress(40)
        feedback.check()
    if not len(a):
        return []
    # each pair once, the smaller key first
    lo = np.where(tp.rank[a] < tp.rank[b], a, b)
    hi = np.where(tp.rank[a] < tp.rank[b], b, a)
    pairs = np.unique(np.stack([lo, hi], axis=1), axis=0)
    lo, hi = pairs[:, 0], pairs[:, 1]
    out: List[Overlap] = []
    dup = np.zeros(len(lo), dtype=bool)
    hd = np.full(len(lo), np.inf)
    if with_duplicates:
        bl, bh = shapely.bounds(tp.geoms[lo]), shapely.bounds(tp.geoms[hi])
        near = np.flatnonzero(np.abs(bl - bh).max(axis=1) <= p["xy"])
        if len(near):
            hd[near] = shapely.hausdorff_distance(tp.geoms[lo[near]], tp.geoms[hi[near]])
            dup = hd <= p["xy"]
        for k in np.flatnonzero(dup):
            out.append(Overlap(int(lo[k]), int(hi[k]), None, float(tp.geoms[lo[k]].area), 0.0,
                               True, float(hd[k])))
    rest = np.flatnonzero(~dup)
    if not len(rest):
        return out
    inter = safe_binary(shapely.intersection, tp.geoms[lo[rest]], tp.geoms[hi[rest]])
    inter = polygonal_array(inter)
    area = shapely.area(inter)
    area = np.where(shapely.is_missing(inter), 0.0, area)
    big = area > p["overlap_area"]
    wide = np.zeros(len(rest), dtype=bool)
    # width(A∩B) > 0.001 m  ⇔  not narrower than 0.001 m (erosion by 0.0005 non-empty)
    wide[big] = ~narrower_than(inter[big], p["xy"]) if big.any() else []
    hit = np.flatnonzero(big & wide)
    widths = width_of(inter[hit], p["xy"], width_upper_bound(inter[hit]).max() if len(hit) else 1.0,
                      precision=0.0005) if len(hit) else []
    for k, w in zip(hit, widths):
        r = rest[k]
        out.append(Overlap(int(lo[r]), int(hi[r]), inter[k], float(area[k]), float(w), False))
    if feedback:
        feedback.progress(90)
    return out


def overlap_finding(tp: TopoPlots, o: Overlap, p, cross_unit: bool) -> Finding:
    ka, kb = tp.keys[o.a], tp.keys[o.b]
    note = tp.note(o.a, o.b)
    values = {"area": round(o.area, 4), "width": round(o.width, 3),
              "threshold": p["overlap_area"], "unit": "m2"}
    if cross_unit:
        ua, ub = tp.units[o.a], tp.units[o.b]
        msg = ("地块 %s（%s）与地块 %s（%s）跨发包方重叠，重叠面积 %.4f 平方米，最大宽度 %.3f 米"
               "（阈值 %g）%s" % (ka, unit_label(ua), kb, unit_label(ub), o.area, o.width,
                                 p["overlap_area"], note))
        values["units"] = [ua, ub]
        rule = "T13"
    else:
        msg = "地块 %s 与地块 %s 重叠，重叠面积 %.4f 平方米（阈值 %g），最大宽度 %.3f 米%s" % (
            ka, kb, o.area, p["overlap_area"], o.width, note)
        rule = "T04"
    return Finding(rule, "DK", ka, msg, key_field="DKBM", related=(kb,), related_field="DKBM",
                   unit_code=tp.ps.fbfbm[tp.idx[o.a]], values=values, geom=o.geom,
                   anchor=representative(o.geom))


def duplicate_finding(tp: TopoPlots, o: Overlap, p) -> Finding:
    ka, kb = tp.keys[o.a], tp.keys[o.b]
    pt = shapely.point_on_surface(tp.geoms[o.a])
    return Finding(
        "T07", "DK", ka,
        "地块 %s 与地块 %s 图形重复（豪斯多夫距离 %.4f 米，容差 %g 米），疑为同一地块重复录入%s"
        % (ka, kb, o.hausdorff, p["xy"], tp.note(o.a, o.b)),
        key_field="DKBM", related=(kb,), related_field="DKBM",
        unit_code=tp.ps.fbfbm[tp.idx[o.a]], geom=pt,
        values={"hausdorff": round(o.hausdorff, 4), "area": round(o.area, 2)})


@register
class PlotOverlapRules:
    ids = ("T04", "T07", "T13")

    @gc_paused
    def run(self, ctx, wanted):
        tp = topo_plots(ctx)
        p = params(ctx)
        ctx.feedback.progress(5)
        arr = arrangement(ctx, tp)
        ctx.feedback.progress(20)
        found = ctx.cached("topo:overlaps", lambda: find_overlaps(tp, p, ctx.feedback,
                                                                  candidates=arr.open_plots))
        dup_first = "T07" in wanted     # §6: duplicates are T07 only (when T07 runs)
        out = []
        for o in found:
            if o.duplicate:
                if "T07" in wanted:
                    out.append(duplicate_finding(tp, o, p))
                if dup_first:
                    continue
                o = Overlap(o.a, o.b, polygonal(shapely.intersection(tp.geoms[o.a], tp.geoms[o.b])),
                            o.area, width_of([tp.geoms[o.a]], p["xy"],
                                             float(width_upper_bound([tp.geoms[o.a]])[0]))[0],
                            False)
            cross = tp.units[o.a] != tp.units[o.b]
            rule = "T13" if cross else "T04"
            if rule in wanted:
                out.append(overlap_finding(tp, o, p, cross))
        ctx.feedback.progress(100)
        return out
