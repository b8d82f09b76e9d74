"""T05, T06 and T13(b) slivers: the uncovered area between plots.

U = extent − ∪DK − mask (checks.md §7), split into connected parts P. The
uncovered faces come from the arrangement of the unshared plot edges
(coverage.py), so no union of all plots is needed. Widths are erosion tests on
all parts at once; bordering plots come from one STRtree 'dwithin' query.
"""
from dataclasses import dataclass
from typing import List

import numpy as np
import shapely

from ..finding import Finding
from ..registry import register
from .common import fmt_xy, gc_paused, join_keys, params, representative, topo_plots, unit_label
from .coverage import arrangement, build_extent
from .geomops import narrower_than, width_of
from .masks import grown_masks, subtract_masks
from .prefetch import value
from .layers import allowed_masks


@dataclass
class GapPart:
    geom: object
    area: float
    width: float           # measured for slivers only (0 for holes)
    plots: List[int]       # bordering plots (TopoPlots positions), ordered by key
    kind: str              # "sliver" (0.001 < width < GAP_MAX_WIDTH) or "hole"


def uncovered_parts(tp, faces, extent, masks, p, feedback=None, grown=None) -> List[GapPart]:
    """Slivers and small enclosed holes of U = extent − ∪plots − masks, with their
    bordering plots (faces: the uncovered parts of extent − ∪plots)."""
    if not len(tp) or extent is None or extent.is_empty:
        return []
    parts = subtract_masks(faces, masks, grown)
    if not len(parts):
        return []
    parts = parts[shapely.get_type_id(parts) == 3]
    if not len(parts):
        return []
    area = shapely.area(parts)
    # a point of the part at half the gap width from its boundary proves it wide;
    # only the others need the erosion tests (eroding a road network is slow)
    probe = shapely.point_on_surface(parts)
    wide = 2.0 * shapely.distance(probe, shapely.boundary(parts)) >= p["gap_width"]
    narrow = np.zeros(len(parts), dtype=bool)
    coincident = np.zeros(len(parts), dtype=bool)
    test = np.flatnonzero(~wide)
    if len(test):
        narrow[test] = narrower_than(parts[test], p["gap_width"])
        thin = test[narrow[test]]
        coincident[thin] = narrower_than(parts[thin], p["xy"])
    sliver = narrow & ~coincident
    hole = ~narrow & (area < p["hole_area"])
    if hole.any():
        edge = shapely.boundary(extent)
        shapely.prepare(edge)
        hole[hole] = ~shapely.dwithin(edge, parts[hole], p["xy"])
    cand = np.flatnonzero(sliver | hole)
    if feedback:
        feedback.progress(75)
    if not len(cand):
        return []
    ci, pj = tp.tree.query(parts[cand], predicate="dwithin", distance=p["xy"])
    border = {}
    for c, j in zip(ci.tolist(), pj.tolist()):
        border.setdefault(c, []).append(j)
    sl = [c for c in range(len(cand)) if sliver[cand[c]]]
    widths = dict(zip(sl, width_of(parts[cand[sl]], p["xy"], p["gap_width"]))) if sl else {}
    out = []
    for c, k in enumerate(cand):
        plots = tp.ordered(border.get(c, []))
        out.append(GapPart(parts[k], float(area[k]), float(widths.get(c, 0.0)), plots,
                           "sliver" if sliver[k] else "hole"))
    return out


def gap_finding(tp, g: GapPart, p) -> Finding:
    keys = [tp.keys[k] for k in g.plots]
    first = g.plots[0]
    units = sorted({tp.units[k] for k in g.plots})
    rp = representative(g.geom)
    where = fmt_xy(*rp) if rp else ""
    note = tp.note(*g.plots)
    values = {"area": round(g.area, 4), "width": round(g.width, 3), "unit": "m2"}
    if g.kind == "hole":
        inside = "地块 %s 内有孔洞" % keys[0] if len(keys) == 1 else "地块 %s 之间有孔洞" % join_keys(keys)
        rule = "T06"
        msg = "%s，面积 %.2f 平方米（阈值 %g 平方米），未被地物覆盖，位置 %s%s" % (
            inside, g.area, p["hole_area"], where, note)
        values["threshold"] = p["hole_area"]
    elif len(units) > 1:
        rule = "T13"
        named = join_keys("%s（%s）" % (tp.keys[k], unit_label(tp.units[k])) for k in g.plots)
        msg = ("地块 %s 之间有跨发包方缝隙，最大宽度 %.3f 米，面积 %.2f 平方米（宽度阈值 %g 米），"
               "位置 %s%s" % (named, g.width, g.area, p["gap_width"], where, note))
        values.update(threshold=p["gap_width"], units=units)
    else:
        rule = "T05"
        msg = "地块 %s 之间有缝隙，最大宽度 %.3f 米，面积 %.2f 平方米（宽度阈值 %g 米），位置 %s%s" % (
            join_keys(keys), g.width, g.area, p["gap_width"], where, note)
        values["threshold"] = p["gap_width"]
    return Finding(rule, "DK", keys[0], msg, key_field="DKBM", related=tuple(keys[1:]),
                   related_field="DKBM", unit_code=tp.ps.fbfbm[tp.idx[first]], values=values,
                   geom=g.geom, anchor=rp)


def reportable(g: GapPart) -> bool:
    """Slivers need two bordering plots (one plot beside the extent edge is not a gap
    between plots); holes need one."""
    return len(g.plots) >= (2 if g.kind == "sliver" else 1)


@register
class PlotGapRules:
    ids = ("T05", "T06", "T13")

    @gc_paused
    def run(self, ctx, wanted):
        tp = topo_plots(ctx)
        p = params(ctx)
        ctx.feedback.progress(5)
        arr = arrangement(ctx, tp)
        extent = build_extent(ctx, tp)
        masks = allowed_masks(ctx, p["gap_width"])
        grown = value(ctx, "topo:masks:grown", lambda: grown_masks(masks))
        ctx.feedback.progress(50)
        ctx.feedback.check()
        parts = ctx.cached("topo:gaps", lambda: uncovered_parts(tp, arr.uncovered, extent, masks,
                                                                p, ctx.feedback, grown))
        out = []
        for g in parts:
            if not reportable(g):
                continue
            f = gap_finding(tp, g, p)
            if f.rule in wanted:
                out.append(f)
        ctx.feedback.progress(100)
        return out
