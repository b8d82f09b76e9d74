"""Label placement for the 公示图: every plot of the unit gets a legible label.

Order of fallbacks (task issue 9): the label inside the plot at the base size;
inside at a smaller size down to the legible minimum (also turned along a
strip); outside with a leader line (callout); finally a number inside or
beside the plot, listed in a numbered key table on the sheet. Placement is
computed here, deterministically, and drawn as given by the map renderer, so a
test can check that every plot is labelled and no two labels overlap.
Units: ground metres; sizes in paper millimetres; scale = 1:denominator.
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import shapely

from .label_geometry import pole_points, rect, strip_angles
from .label_outside import _Placed, _place_outside
from .label_types import (CALLOUT, IN_PLOT, INSIDE, NUMBER, NUMBER_CALLOUT, SHRUNK, LabelPlan,
                          LabelSpec, Metrics, PlacedLabel, Prepared, default_measure, size_steps)

__all__ = ["CALLOUT", "IN_PLOT", "INSIDE", "NUMBER", "NUMBER_CALLOUT", "SHRUNK", "LabelPlan",
           "LabelSpec", "Metrics", "PlacedLabel", "Prepared", "default_measure", "inside_count",
           "plan_labels", "prepare"]


def prepare(specs: Sequence[LabelSpec]) -> Prepared:
    specs = sorted(specs, key=lambda s: s.key)
    geoms = np.array([s.geom for s in specs], dtype=object)
    xy, radius = pole_points(geoms)
    return Prepared(specs, geoms, xy, radius, strip_angles(geoms))


def inside_count(prep: Prepared, scale, base_mm, min_mm, metrics: Optional[Metrics] = None) -> int:
    """How many labels fit inside their plot at this scale (cheap: no callout search)."""
    return sum(1 for v in _inside_pass(prep, scale, base_mm, min_mm, metrics or Metrics())
               if v is not None)


def _inside_pass(prep: Prepared, scale, base_mm, min_mm, metrics):
    specs, geoms, xy, angles = prep.specs, prep.geoms, prep.xy, prep.angles
    k = scale / 1000.0            # ground metres per paper millimetre
    result: List[Optional[tuple]] = [None] * len(specs)
    todo = np.arange(len(specs))
    for size in size_steps(base_mm, min_mm):
        for use_angle in (False, True):
            if not len(todo):
                return result
            # along a strip (elongated plot) the label is written on one line, turned with it
            strip = ~np.isnan(angles[todo])
            if use_angle and not strip.any():
                continue
            lines = [(" ".join(specs[i].lines),) if use_angle else specs[i].lines for i in todo]
            dims = np.array([metrics.box_mm(ls, size) for ls in lines]) * k
            ang = np.where(strip & use_angle, np.nan_to_num(angles[todo]), 0.0)
            boxes = rect(xy[todo, 0], xy[todo, 1], dims[:, 0], dims[:, 1], ang)
            ok = shapely.contains(geoms[todo], boxes)
            if use_angle:
                ok &= strip
            for j in np.flatnonzero(ok):
                result[todo[j]] = (size, float(ang[j]), boxes[j], tuple(lines[j]))
            todo = todo[~ok]
    return result


def plan_labels(specs, scale: float, extent: Tuple[float, float, float, float],
                base_mm: float = 2.6, min_mm: float = 1.9, metrics: Optional[Metrics] = None,
                margin_mm: float = 3.0) -> LabelPlan:
    """Place one label per plot (specs, or a Prepared); extent = the map frame (ground)."""
    metrics = metrics or Metrics()
    prep = specs if isinstance(specs, Prepared) else prepare(specs)
    specs, xy = prep.specs, prep.xy
    plan = LabelPlan(scale)
    if not specs:
        return plan
    k = scale / 1000.0
    m = margin_mm * k
    frame = (extent[0] + m, extent[1] + m, extent[2] - m, extent[3] - m)
    inside = _inside_pass(prep, scale, base_mm, min_mm, metrics)
    placed = _Placed()
    results: List[Optional[PlacedLabel]] = [None] * len(specs)
    # labels inside their plot: only overlapping plots (bad data) can make them collide
    boxes = [v[2] for v in inside if v is not None]
    clash = set()
    if len(boxes) > 1:
        idx = [i for i, v in enumerate(inside) if v is not None]
        arr = np.array(boxes, dtype=object)
        a, b = shapely.STRtree(arr).query(arr, predicate="intersects")
        clash = {idx[max(i, j)] for i, j in zip(a, b) if i < j}
    for i, v in enumerate(inside):
        if v is None or i in clash:
            continue
        size, angle, box, lines = v
        anchor = (float(xy[i, 0]), float(xy[i, 1]))
        mode = INSIDE if size >= base_mm - 1e-9 else SHRUNK
        results[i] = PlacedLabel(specs[i].key, mode, lines, size, anchor[0], anchor[1],
                                 angle, anchor, box)
        placed.add(box)
    pending = [i for i in range(len(specs)) if results[i] is None]
    if pending:
        _place_outside(prep, pending, results, placed, frame, k, base_mm, min_mm, metrics)
    plan.labels = [r for r in results if r is not None]
    return plan
