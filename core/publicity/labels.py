"""Label placement for the 公示图: every plot of the unit gets a legible label.

Order of fallbacks (task issue 9): the label inside the plot at the base size;
inside at a smaller size down to the legible minimum (also turned along a
strip); outside with a leader line (callout); finally a number inside or
beside the plot, listed in a numbered key table on the sheet. Placement is
computed here, deterministically, and drawn as given by the map renderer, so a
test can check that every plot is labelled and no two labels overlap.
Units: ground metres; sizes in paper millimetres; scale = 1:denominator.
"""
import math
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import shapely

INSIDE, SHRUNK, CALLOUT, NUMBER, NUMBER_CALLOUT = "inside", "shrunk", "callout", "number", "number_callout"
IN_PLOT = (INSIDE, SHRUNK)


def default_measure(line: str, size_mm: float) -> float:
    """Width in mm of one line: CJK one em, digits and Latin about half."""
    em = 0.0
    for ch in line:
        o = ord(ch)
        if o > 0x2E80:
            em += 1.0
        elif ch in ".,:;!|il'":
            em += 0.3
        else:
            em += 0.58
    return em * size_mm


@dataclass
class Metrics:
    """Text measurement; export/ passes one measured with the real font."""
    measure: Callable[[str, float], float] = default_measure
    line_factor: float = 1.25      # line spacing / font size
    halo_mm: float = 0.35          # white buffer around the text

    def box_mm(self, lines: Sequence[str], size_mm: float) -> Tuple[float, float]:
        w = max((self.measure(s, size_mm) for s in lines), default=0.0)
        h = len(lines) * size_mm * self.line_factor
        return w + 2 * self.halo_mm, h + 2 * self.halo_mm


@dataclass
class LabelSpec:
    key: str                 # DKBM
    geom: object             # shapely Polygon (ground units)
    lines: Tuple[str, ...]


@dataclass
class PlacedLabel:
    key: str
    mode: str
    lines: Tuple[str, ...]
    size_mm: float
    x: float                 # label centre (ground)
    y: float
    angle: float             # degrees, counter-clockwise
    anchor: Tuple[float, float]
    box: object              # shapely Polygon of the text box (ground)
    number: Optional[int] = None
    leader: Optional[Tuple[Tuple[float, float], Tuple[float, float]]] = None
    forced: bool = False     # no free place was found: drawn at the plot anyway

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class LabelPlan:
    scale: float
    labels: List[PlacedLabel] = field(default_factory=list)

    def by_mode(self, *modes) -> List[PlacedLabel]:
        return [p for p in self.labels if p.mode in modes]

    @property
    def numbered(self) -> List[PlacedLabel]:
        return sorted((p for p in self.labels if p.number is not None), key=lambda p: p.number)

    @property
    def full_share(self) -> float:
        """Share of plots whose whole label is shown (inside or with a leader)."""
        return len(self.by_mode(INSIDE, SHRUNK, CALLOUT)) / len(self.labels) if self.labels else 1.0

    @property
    def inside_share(self) -> float:
        return len(self.by_mode(*IN_PLOT)) / len(self.labels) if self.labels else 1.0

    def overlaps(self) -> List[Tuple[str, str]]:
        """Pairs of labels whose text boxes intersect (should be none)."""
        if len(self.labels) < 2:
            return []
        boxes = np.array([p.box for p in self.labels], dtype=object)
        tree = shapely.STRtree(boxes)
        a, b = tree.query(boxes, predicate="intersects")
        pairs = {(min(i, j), max(i, j)) for i, j in zip(a, b) if i != j}
        out = []
        for i, j in sorted(pairs):
            if shapely.area(shapely.intersection(boxes[i], boxes[j])) > 1e-9:
                out.append((self.labels[i].key, self.labels[j].key))
        return out


# --- geometry helpers ----------------------------------------------------------

def pole_points(geoms: np.ndarray, grid: int = 7) -> Tuple[np.ndarray, np.ndarray]:
    """Approximate poles of inaccessibility (x, y) and their distance to the boundary.

    A coarse grid, then a finer grid around the best point; vectorised, so a few
    thousand plots take milliseconds (shapely 2.0 has no maximum_inscribed_circle).
    """
    n = len(geoms)
    if n == 0:
        return np.zeros((0, 2)), np.zeros(0)
    bounds = shapely.bounds(geoms)
    boundary = shapely.boundary(geoms)
    cand = [shapely.get_coordinates(shapely.point_on_surface(geoms)),
            shapely.get_coordinates(shapely.centroid(geoms))]
    best_xy = cand[0].copy()
    best_d = shapely.distance(boundary, shapely.points(best_xy))
    inside_c = shapely.contains_xy(geoms, cand[1][:, 0], cand[1][:, 1])
    dc = np.where(inside_c, shapely.distance(boundary, shapely.points(cand[1])), -1.0)
    better = dc > best_d
    best_xy[better] = cand[1][better]
    best_d = np.where(better, dc, best_d)
    t = (np.arange(grid) + 0.5) / grid
    for level in range(2):
        if level == 0:
            x0, y0 = bounds[:, 0], bounds[:, 1]
            w, h = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
        else:
            w, h = (bounds[:, 2] - bounds[:, 0]) / grid * 2, (bounds[:, 3] - bounds[:, 1]) / grid * 2
            x0, y0 = best_xy[:, 0] - w / 2, best_xy[:, 1] - h / 2
        gx = (x0[:, None, None] + w[:, None, None] * t[None, :, None]) + 0 * t[None, None, :]
        gy = (y0[:, None, None] + h[:, None, None] * t[None, None, :]) + 0 * t[None, :, None]
        gx, gy = gx.reshape(n, -1), gy.reshape(n, -1)
        owner = np.repeat(np.arange(n), gx.shape[1])
        xs, ys = gx.ravel(), gy.ravel()
        inside = shapely.contains_xy(geoms[owner], xs, ys)
        d = np.full(xs.shape, -1.0)
        if inside.any():
            d[inside] = shapely.distance(boundary[owner[inside]], shapely.points(xs[inside], ys[inside]))
        d = d.reshape(n, -1)
        j = np.argmax(d, axis=1)
        dj = d[np.arange(n), j]
        better = dj > best_d
        best_xy[better, 0] = gx[np.arange(n), j][better]
        best_xy[better, 1] = gy[np.arange(n), j][better]
        best_d = np.where(better, dj, best_d)
    return best_xy, best_d


def _long_axis(hull_xy: np.ndarray):
    """(length, width, angle°) of the minimum-area rectangle around a convex ring."""
    edges = np.diff(hull_xy, axis=0)
    keep = np.hypot(edges[:, 0], edges[:, 1]) > 0
    if not keep.any():
        return 0.0, 0.0, 0.0
    theta = np.arctan2(edges[keep, 1], edges[keep, 0])
    c, s = np.cos(theta), np.sin(theta)
    # hull points in the frame of every edge direction (rotating calipers)
    u = hull_xy[:, 0][None, :] * c[:, None] + hull_xy[:, 1][None, :] * s[:, None]
    v = -hull_xy[:, 0][None, :] * s[:, None] + hull_xy[:, 1][None, :] * c[:, None]
    du, dv = u.max(axis=1) - u.min(axis=1), v.max(axis=1) - v.min(axis=1)
    j = int(np.argmin(du * dv))
    a = math.degrees(theta[j])
    if dv[j] > du[j]:
        a += 90.0
    return max(du[j], dv[j]), min(du[j], dv[j]), a


def strip_angles(geoms: np.ndarray, min_elongation: float = 1.6) -> np.ndarray:
    """Angle (deg, −90…90) of the long axis of elongated plots (0 when nearly level); NaN
    for compact ones. Minimum-area rectangle by rotating calipers on the convex hull
    (shapely's own is a slow Python fallback without GEOS 3.12)."""
    out = np.full(len(geoms), np.nan)
    if not len(geoms):
        return out
    coords, owner = shapely.get_coordinates(shapely.convex_hull(geoms), return_index=True)
    starts = np.searchsorted(owner, np.arange(len(geoms)))
    ends = np.searchsorted(owner, np.arange(len(geoms)), side="right")
    for i in range(len(geoms)):
        ring = coords[starts[i]:ends[i]]
        if len(ring) < 4:
            continue
        length, width, a = _long_axis(ring)
        if width <= 0 or length / width < min_elongation:
            continue
        while a > 90:
            a -= 180
        while a <= -90:
            a += 180
        out[i] = 0.0 if abs(a) <= 3 else a     # nearly level strips are written level
    return out


def rect(cx, cy, w, h, angle_deg=0.0):
    """Rectangle polygon(s) of width w, height h centred at (cx, cy), turned by angle."""
    cx, cy, w, h = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (cx, cy, w, h))
    a = np.radians(np.atleast_1d(np.asarray(angle_deg, dtype=float)))
    ca, sa = np.cos(a), np.sin(a)
    dx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])
    dy = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    px = cx[:, None] + (dx[None, :] * w[:, None]) * ca[:, None] - (dy[None, :] * h[:, None]) * sa[:, None]
    py = cy[:, None] + (dx[None, :] * w[:, None]) * sa[:, None] + (dy[None, :] * h[:, None]) * ca[:, None]
    coords = np.stack([px, py], axis=-1)
    return shapely.polygons(coords)


# --- planning ------------------------------------------------------------------------

def size_steps(base: float, minimum: float, step: float = 0.2) -> List[float]:
    sizes, s = [], base
    while s >= minimum - 1e-9:
        sizes.append(round(s, 2))
        s -= step
    if sizes[-1] > minimum + 1e-9:
        sizes.append(minimum)
    return sizes


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


@dataclass
class Prepared:
    """Per-plot geometry facts that do not depend on the scale (computed once per unit)."""
    specs: List[LabelSpec]
    geoms: np.ndarray
    xy: np.ndarray
    radius: np.ndarray
    angles: np.ndarray


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


def _edge_point(box, ax, ay):
    """Where the leader meets the text box: the box boundary point nearest the anchor."""
    from shapely.ops import nearest_points
    p = nearest_points(shapely.boundary(box), shapely.Point(ax, ay))[0]
    return (p.x, p.y)


def plan_labels(specs, scale: float, extent: Tuple[float, float, float, float],
                base_mm: float = 2.6, min_mm: float = 1.9, metrics: Optional[Metrics] = None,
                margin_mm: float = 3.0) -> LabelPlan:
    """Place one label per plot (specs, or a Prepared); extent = the map frame (ground)."""
    metrics = metrics or Metrics()
    prep = specs if isinstance(specs, Prepared) else prepare(specs)
    specs, xy, radius = prep.specs, prep.xy, prep.radius
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
