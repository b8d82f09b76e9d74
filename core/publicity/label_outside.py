"""Labels that do not fit inside their plot: callouts with leaders on free ground,
numbers fanned around crowded clusters, and numbers for the key table."""
import math
from typing import List

import numpy as np
import shapely

from .label_geometry import _edge_point, rect
from .label_types import CALLOUT, NUMBER, NUMBER_CALLOUT, PlacedLabel, size_steps

class _Placed:
    """The boxes and leaders placed so far, for collision tests."""

    def __init__(self):
        self.boxes: List[object] = []
        self.leaders: List[object] = []
        self._arr = None

    def add(self, box, leader=None):
        self.boxes.append(box)
        if leader is not None:
            self.leaders.append(leader)
        self._arr = None

    def free(self, box, leader=None) -> bool:
        if self._arr is None:
            self._arr = np.array(self.boxes, dtype=object)
            self._larr = np.array(self.leaders, dtype=object)
        if len(self._arr) and shapely.intersects(box, self._arr).any():
            return False
        if len(self._larr) and shapely.intersects(box, self._larr).any():
            return False
        if leader is not None and len(self._arr) and shapely.intersects(leader, self._arr).any():
            return False
        return True


def _directions(n: int = 16) -> List[float]:
    # prefer the diagonals (NE, NW, SE, SW), then the axes, then the rest
    first = [45, 135, 315, 225, 0, 180, 90, 270]
    rest = [a for a in (360.0 / n * i for i in range(n)) if a not in first]
    return [math.radians(a) for a in first + rest]


def _search_outside(ax, ay, reach, w, h, extent, placed: _Placed, rings: int = 6,
                    keep_free=None, directions: int = 16, occupied=None):
    """The best free spot for a w × h box near (ax, ay) with a leader; None when there is none.

    keep_free: plots still waiting for a label; a box covering one would take the room
    its own label needs (crowded clusters of tiny plots).
    occupied: the unit's plots; a box over other plots is only taken when no spot over
    free ground (roads, margins) is near, so a label is not read as another plot's.
    """
    half = 0.5 * math.hypot(w, h)
    step = max(w, h) * 0.7
    xmin, ymin, xmax, ymax = extent
    dirs = np.array(_directions(directions))
    ring = np.repeat(np.arange(rings), len(dirs))
    ang = np.tile(dirs, rings)
    r = reach + half + ring * step
    cx, cy = ax + r * np.cos(ang), ay + r * np.sin(ang)
    ok = (cx - w / 2 >= xmin) & (cx + w / 2 <= xmax) & (cy - h / 2 >= ymin) & (cy + h / 2 <= ymax)
    if not ok.any():
        return None
    cx, cy, ring = cx[ok], cy[ok], ring[ok]
    boxes = rect(cx, cy, np.full(len(cx), w), np.full(len(cx), h))
    good = np.ones(len(boxes), dtype=bool)
    if keep_free is not None and len(keep_free):
        hit, _ = shapely.STRtree(keep_free).query(boxes, predicate="intersects")
        good[hit] = False
    obstacles = placed.boxes + placed.leaders
    if obstacles:
        hit, _ = shapely.STRtree(np.array(obstacles, dtype=object)).query(boxes, predicate="intersects")
        good[hit] = False
    if not good.any():
        return None
    idx = np.flatnonzero(good)
    anchor = shapely.points(np.full(len(idx), ax), np.full(len(idx), ay))
    # leader: from the anchor to the nearest point of the box outline
    leaders = shapely.shortest_line(anchor, shapely.boundary(boxes[idx]))
    if placed.boxes:
        hit, _ = shapely.STRtree(np.array(placed.boxes, dtype=object)).query(leaders, predicate="intersects")
        keep = np.ones(len(idx), dtype=bool)
        keep[hit] = False
        idx, leaders = idx[keep], leaders[keep]
    if not len(idx):
        return None
    score = ring[idx] * 0.08
    if occupied is not None:
        with np.errstate(invalid="ignore"):     # GEOS NaN warnings on touching outlines
            score = score + shapely.area(shapely.intersection(boxes[idx], occupied)) / (w * h)
    j = int(np.argmin(score))             # first best: candidates are in order of preference
    i = idx[j]
    end = tuple(shapely.get_coordinates(leaders[j])[-1])
    return boxes[i], (float(cx[i]), float(cy[i])), ((ax, ay), (float(end[0]), float(end[1])))


CROWDED = 3     # other unlabelled plots near a plot: too many leaders would cross, number it


def _crowding(xy, pending, radius):
    pts = xy[pending]
    d = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1])
    return {i: int((row < radius).sum()) - 1 for i, row in zip(pending, d)}


def _place_outside(prep, pending, results, placed, frame, k, base_mm, min_mm, metrics):
    """Callouts where there is room; numbers (listed in the key table) for the rest.

    Plots in a crowded cluster are numbered first, their numbers fanned out on a circle
    around the cluster, before other labels close the way for their leaders.
    """
    specs, xy, radius = prep.specs, prep.xy, prep.radius
    diag = max(math.hypot(*metrics.box_mm(specs[i].lines, base_mm)) for i in pending) * k
    crowd = _crowding(xy, pending, diag)
    occupied = shapely.union_all(prep.geoms)
    shapely.prepare(occupied)
    crowded = sorted((i for i in pending if crowd[i] >= CROWDED), key=lambda i: (-crowd[i], specs[i].key))
    waiting = set(pending)
    numbered = []
    digits = "8" * len(str(len(pending)))        # room for the widest number

    def number(i):
        waiting.discard(i)
        results[i] = _number_label(prep, i, digits, placed, frame, k, base_mm, min_mm, metrics,
                                   prep.geoms[sorted(waiting)] if waiting else None, occupied)
        placed.add(results[i].box, shapely.LineString(results[i].leader) if results[i].leader else None)
        numbered.append(i)

    for cluster in _clusters(xy, crowded, diag):
        fan = _fan(prep, cluster, digits, placed, frame, k, base_mm, metrics)
        if fan is None:
            continue
        index = {specs[i].key: i for i in cluster}
        for lab in fan:
            i = index[lab.key]
            waiting.discard(i)
            results[i] = lab
            placed.add(lab.box, shapely.LineString(lab.leader))
            numbered.append(i)
    for i in crowded:
        if results[i] is None:
            number(i)
    for i in sorted((i for i in pending if crowd[i] < CROWDED), key=lambda i: specs[i].key):
        waiting.discard(i)
        ax, ay = float(xy[i, 0]), float(xy[i, 1])
        reach = max(float(radius[i]), 0.0) + 1.0 * k
        keep = prep.geoms[sorted(waiting)] if waiting else None
        found = None
        for size in (base_mm, min_mm):
            w, h = (d * k for d in metrics.box_mm(specs[i].lines, size))
            found = _search_outside(ax, ay, reach, w, h, frame, placed, rings=4, keep_free=keep,
                                    occupied=occupied)
            if found:
                break
        if found:
            box, (cx, cy), leader = found
            results[i] = PlacedLabel(specs[i].key, CALLOUT, specs[i].lines, size, cx, cy, 0.0,
                                     (ax, ay), box, leader=leader)
            placed.add(box, shapely.LineString(leader))
        else:
            number(i)
    # numbers in the order they are read: each fan clockwise from the top, then the others
    for n, i in enumerate(numbered, 1):
        results[i].number = n
        results[i].lines = (str(n),)


def _clusters(xy, members, radius):
    """Groups of plots whose anchors lie within radius of each other (single linkage)."""
    parent = {i: i for i in members}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for a in members:
        for b in members:
            if a < b and math.hypot(*(xy[a] - xy[b])) < radius:
                parent[root(a)] = root(b)
    groups = {}
    for i in members:
        groups.setdefault(root(i), []).append(i)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def _fan(prep, cluster, digits, placed, frame, k, size_mm, metrics):
    """Numbers of a crowded cluster on a circle around it, in the angular order of the
    plots, so that leaders run outwards side by side without crossing a number."""
    xy = prep.xy
    pts = xy[cluster]
    c = pts.mean(axis=0)
    w, h = (d * k for d in metrics.box_mm((digits,), size_mm))
    spread = float(np.max(np.hypot(*(pts - c).T)))
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    order = np.argsort(ang)
    n = len(cluster)
    gap = 0.5 * max(w, h)
    r = max(spread + math.hypot(w, h), n * (math.hypot(w, h) + gap) / (2 * math.pi))
    xmin, ymin, xmax, ymax = frame
    for _ in range(12):
        slots = ang[order[0]] + 2 * math.pi * np.arange(n) / n
        labs = [None] * n
        boxes = []
        ok = True
        for slot, j in zip(slots, order):
            cx, cy = c[0] + r * math.cos(slot), c[1] + r * math.sin(slot)
            if cx - w / 2 < xmin or cx + w / 2 > xmax or cy - h / 2 < ymin or cy + h / 2 > ymax:
                ok = False
                break
            box = rect(cx, cy, w, h)[0]
            ax, ay = float(xy[cluster[j], 0]), float(xy[cluster[j], 1])
            end = _edge_point(box, ax, ay)
            leader = shapely.LineString([(ax, ay), end])
            if not placed.free(box, leader) or any(shapely.intersects(box, b) for b in boxes):
                ok = False
                break
            boxes.append(box)
            labs[j] = PlacedLabel(prep.specs[cluster[j]].key, NUMBER_CALLOUT, (digits,), size_mm, cx, cy,
                                  0.0, (ax, ay), box, leader=((ax, ay), end))
        if ok:
            # a leader must not cross another number of the same fan
            arr = np.array(boxes, dtype=object)
            for j, lab in enumerate(labs):
                hit = shapely.intersects(shapely.LineString(lab.leader), arr)
                hit[list(order).index(j)] = False
                if hit.any():
                    ok = False
                    break
        if ok:
            clockwise = [(-math.degrees(math.atan2(lab.y - c[1], lab.x - c[0])) + 90.0) % 360.0
                         for lab in labs]
            return [labs[j] for j in np.argsort(clockwise, kind="stable")]
        r *= 1.25
    return None


def _number_label(prep, i, digits, placed, frame, k, base_mm, min_mm, metrics, keep, occupied=None):
    specs, xy, radius = prep.specs, prep.xy, prep.radius
    ax, ay = float(xy[i, 0]), float(xy[i, 1])
    lines = (digits,)
    for size in size_steps(base_mm, min_mm):
        w, h = (d * k for d in metrics.box_mm(lines, size))
        box = rect(ax, ay, w, h)[0]
        if shapely.contains(specs[i].geom, box) and placed.free(box):
            return PlacedLabel(specs[i].key, NUMBER, lines, size, ax, ay, 0.0, (ax, ay), box)
    w, h = (d * k for d in metrics.box_mm(lines, base_mm))
    # a number is small: search far enough that one is always found on the sheet,
    # first leaving the plots still to be numbered free
    reach = max(float(radius[i]), 0.0) + 0.5 * k
    found = _search_outside(ax, ay, reach, w, h, frame, placed, rings=40, keep_free=keep,
                            directions=24, occupied=occupied)
    if not found:
        found = _search_outside(ax, ay, reach, w, h, frame, placed, rings=40, directions=24,
                                occupied=occupied)
    if found:
        box, (cx, cy), leader = found
        return PlacedLabel(specs[i].key, NUMBER_CALLOUT, lines, base_mm, cx, cy, 0.0, (ax, ay), box,
                           leader=leader)
    box = rect(ax, ay, w, h)[0]
    return PlacedLabel(specs[i].key, NUMBER, lines, base_mm, ax, ay, 0.0, (ax, ay), box, forced=True)
