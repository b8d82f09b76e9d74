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


def strip_angles(geoms: np.ndarray, min_elongation: float = 1.6) -> np.ndarray:
    """Angle (deg, −90…90) of the long axis of elongated plots; NaN for compact ones."""
    out = np.full(len(geoms), np.nan)
    if not len(geoms):
        return out
    rects = shapely.minimum_rotated_rectangle(geoms)
    for i, r in enumerate(rects):
        c = shapely.get_coordinates(r)
        if len(c) < 4:
            continue
        e1, e2 = c[1] - c[0], c[2] - c[1]
        l1, l2 = math.hypot(*e1), math.hypot(*e2)
        if min(l1, l2) <= 0 or max(l1, l2) / min(l1, l2) < min_elongation:
            continue
        ax = e1 if l1 >= l2 else e2
        a = math.degrees(math.atan2(ax[1], ax[0]))
        while a > 90:
            a -= 180
        while a <= -90:
            a += 180
        if abs(a) > 3:
            out[i] = a
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


def _inside_pass(prep: Prepared, scale, base_mm, min_mm, metrics):
    specs, geoms, xy, angles = prep.specs, prep.geoms, prep.xy, prep.angles
    k = scale / 1000.0            # ground metres per paper millimetre
    result: List[Optional[tuple]] = [None] * len(specs)
    todo = np.arange(len(specs))
    for size in size_steps(base_mm, min_mm):
        for use_angle in (False, True):
            if not len(todo):
                return result
            # along a strip the label is written on one line
            lines = [(" ".join(specs[i].lines),) if use_angle else specs[i].lines for i in todo]
            dims = np.array([metrics.box_mm(ls, size) for ls in lines]) * k
            ang = np.where(np.isnan(angles[todo]) | (not use_angle), 0.0, angles[todo])
            if use_angle and not np.any(ang != 0):
                continue
            boxes = rect(xy[todo, 0], xy[todo, 1], dims[:, 0], dims[:, 1], ang)
            ok = shapely.contains(geoms[todo], boxes)
            if use_angle:
                ok &= ang != 0
            for j in np.flatnonzero(ok):
                result[todo[j]] = (size, float(ang[j]), boxes[j], tuple(lines[j]))
            todo = todo[~ok]
    return result


def _directions(n: int = 16) -> List[float]:
    # prefer the diagonals (NE, NW, SE, SW), then the axes, then the rest
    first = [45, 135, 315, 225, 0, 180, 90, 270]
    rest = [a for a in (360.0 / n * i for i in range(n)) if a not in first]
    return [math.radians(a) for a in first + rest]


def _search_outside(ax, ay, reach, w, h, extent, placed: _Placed, rings: int = 6):
    """A free spot for a w × h box near (ax, ay) with a leader; None when there is none."""
    half = 0.5 * math.hypot(w, h)
    step = max(w, h) * 0.7
    xmin, ymin, xmax, ymax = extent
    for ring in range(rings):
        r = reach + half + ring * step
        for a in _directions():
            cx, cy = ax + r * math.cos(a), ay + r * math.sin(a)
            if cx - w / 2 < xmin or cx + w / 2 > xmax or cy - h / 2 < ymin or cy + h / 2 > ymax:
                continue
            box = rect(cx, cy, w, h)[0]
            end = _edge_point(box, ax, ay)
            leader = shapely.LineString([(ax, ay), end])
            if placed.free(box, leader):
                return box, (cx, cy), ((ax, ay), end)
    return None


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
    # callouts: the full label outside with a leader
    pending = [i for i in range(len(specs)) if results[i] is None]
    left = []
    for i in pending:
        ax, ay = float(xy[i, 0]), float(xy[i, 1])
        reach = max(float(radius[i]), 0.0) + 1.0 * k
        found = None
        for size in (base_mm, min_mm):
            w, h = (d * k for d in metrics.box_mm(specs[i].lines, size))
            found = _search_outside(ax, ay, reach, w, h, frame, placed, rings=3)
            if found:
                break
        if found:
            box, (cx, cy), leader = found
            results[i] = PlacedLabel(specs[i].key, CALLOUT, specs[i].lines, size, cx, cy, 0.0,
                                     (ax, ay), box, leader=leader)
            placed.add(box, shapely.LineString(leader))
        else:
            left.append(i)
    # numbers and the key table
    for n, i in enumerate(left, 1):
        ax, ay = float(xy[i, 0]), float(xy[i, 1])
        lines = (str(n),)
        res = None
        for size in size_steps(base_mm, min_mm):
            w, h = (d * k for d in metrics.box_mm(lines, size))
            box = rect(ax, ay, w, h)[0]
            if shapely.contains(specs[i].geom, box) and placed.free(box):
                res = PlacedLabel(specs[i].key, NUMBER, lines, size, ax, ay, 0.0, (ax, ay), box,
                                  number=n)
                break
        if res is None:
            w, h = (d * k for d in metrics.box_mm(lines, base_mm))
            found = _search_outside(ax, ay, max(float(radius[i]), 0.0) + 0.5 * k, w, h, frame,
                                    placed, rings=8)
            if found:
                box, (cx, cy), leader = found
                res = PlacedLabel(specs[i].key, NUMBER_CALLOUT, lines, base_mm, cx, cy, 0.0, (ax, ay),
                                  box, number=n, leader=leader)
            else:
                box = rect(ax, ay, w, h)[0]
                res = PlacedLabel(specs[i].key, NUMBER, lines, base_mm, ax, ay, 0.0, (ax, ay), box,
                                  number=n, forced=True)
        results[i] = res
        placed.add(res.box, shapely.LineString(res.leader) if res.leader else None)
    plan.labels = [r for r in results if r is not None]
    return plan
