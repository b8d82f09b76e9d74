"""A jittered lattice of field cells, written for the foreign township.

Vertical lines i = 0..nx and horizontal lines j = 0..ny carry a half width: 0 for a
plain field boundary, 2 m for an unmapped road, 0.15 / 0.2 m for a ditch. Every line
node has a jittered centre; a cell corner is the centre pushed off the line by the
half widths, so corners across plain lines are the same point. Shared edges keep
one list of intermediate points ("wiggles", split points), used by both sides.

Coordinates are local metres rounded to 0.0001 m; the writer shifts them into EPSG:4526.
"""
from typing import Dict, List, Tuple

ROAD_HALF = 2.0


def r4(v: float) -> float:
    return round(v, 4)


class Lattice:
    def __init__(self, nx: int, ny: int, rng, cw: float = 22.0, ch: float = 55.0):
        self.nx, self.ny, self.cw, self.ch = nx, ny, cw, ch
        self.rng = rng
        self.vhalf = [self._line_half(i, nx, 10, 5, 0) for i in range(nx + 1)]
        self.vhalf = [0.0 if h and h < 1 and i % 20 != 10 else h for i, h in enumerate(self.vhalf)]
        self.hhalf = [self._line_half(j, ny, 8, 4, 0) for j in range(ny + 1)]
        ditch_v = [i for i in range(1, nx) if self.vhalf[i] and self.vhalf[i] < 1]
        if ditch_v:
            self.vhalf[ditch_v[0]] = 0.2          # one 0.4 m ditch
        self.calm = set()
        self.centre = {}
        self.edge_pts: Dict[tuple, List[tuple]] = {}   # edge id -> [(t, (x, y))], sorted by t

    def place_nodes(self, calm=()):
        """Jitter every line node except the calm ones (regular blocks of equal cells)."""
        self.calm = set(calm)
        for i in range(self.nx + 1):
            for j in range(self.ny + 1):
                calm_node = (i, j) in self.calm
                jx = self.rng.uniform(-3.5, 3.5)
                jy = self.rng.uniform(-5.0, 5.0)
                # ditch lines are straight: their strip keeps the KD width up to the
                # crossings, where a round buffer of a bent centre line would leave slivers
                if calm_node or 0 < self.vhalf[i] < 1:
                    jx = 0.0
                if calm_node or 0 < self.hhalf[j] < 1:
                    jy = 0.0
                self.centre[(i, j)] = (r4(i * self.cw + jx), r4(j * self.ch + jy))

    @staticmethod
    def _line_half(k, n, period, road_at, ditch_at):
        if k in (0, n):
            return 0.0
        if k % period == road_at:
            return ROAD_HALF
        if k % period == ditch_at:
            return 0.15
        return 0.0

    # --- line kinds ------------------------------------------------------
    def vkind(self, i):
        return self._kind(self.vhalf[i])

    def hkind(self, j):
        return self._kind(self.hhalf[j])

    @staticmethod
    def _kind(h):
        if h == 0:
            return "plain"
        return "road" if h >= 1 else "ditch"

    # --- corners and edges -----------------------------------------------
    def corner(self, i, j, sx, sy):
        """Corner of the cell lying on side (sx, sy) = (+1 right / -1 left, +1 up / -1 down)."""
        cx, cy = self.centre[(i, j)]
        return (r4(cx + sx * self.vhalf[i]), r4(cy + sy * self.hhalf[j]))

    def cell_corners(self, i, j):
        return (self.corner(i, j, 1, 1), self.corner(i + 1, j, -1, 1),
                self.corner(i + 1, j + 1, -1, -1), self.corner(i, j + 1, 1, -1))

    def edge_id(self, i, j, side):
        """side: 'b', 'r', 't', 'l' of cell (i, j); plain lines give one id for both cells."""
        if side == "b":
            return ("h", i, j) if self.hhalf[j] == 0 else ("h", i, j, "+")
        if side == "t":
            return ("h", i, j + 1) if self.hhalf[j + 1] == 0 else ("h", i, j + 1, "-")
        if side == "l":
            return ("v", i, j) if self.vhalf[i] == 0 else ("v", i, j, "+")
        return ("v", i + 1, j) if self.vhalf[i + 1] == 0 else ("v", i + 1, j, "-")

    def edge_ends(self, eid):
        """Start and end of an edge: left to right (h) or bottom to top (v)."""
        kind, a, b = eid[:3]
        s = {"+": 1, "-": -1}.get(eid[3], 0) if len(eid) > 3 else 0
        if kind == "h":       # line j = b, from node (a, b) to (a + 1, b)
            return self.corner(a, b, 1, s), self.corner(a + 1, b, -1, s)
        return self.corner(a, b, s, 1), self.corner(a, b + 1, s, -1)

    def point_at(self, eid, t):
        """The point at parameter t of the edge's current polyline (on it, rounded)."""
        p0, p1 = self.edge_ends(eid)
        seq = [(0.0, p0)] + self.edge_pts.get(eid, []) + [(1.0, p1)]
        for (ta, a), (tb, b) in zip(seq, seq[1:]):
            if ta <= t <= tb:
                f = 0.0 if tb == ta else (t - ta) / (tb - ta)
                return (r4(a[0] + f * (b[0] - a[0])), r4(a[1] + f * (b[1] - a[1])))
        raise ValueError(t)

    def add_point(self, eid, t, pt=None, min_gap=2.0):
        """Insert a point on the edge at parameter t; refused (None) when closer than
        min_gap metres (along the edge) to an end or another point."""
        p0, p1 = self.edge_ends(eid)
        length = ((p1[0] - p0[0]) ** 2 + (p1[1] - p0[1]) ** 2) ** 0.5
        used = [0.0, 1.0] + [u for u, _ in self.edge_pts.get(eid, [])]
        if any(abs(u - t) * length < min_gap for u in used):
            return None
        pt = pt or self.point_at(eid, t)
        pts = self.edge_pts.setdefault(eid, [])
        pts.append((t, pt))
        pts.sort()
        return pt

    def wiggle(self, eid):
        """1-3 points pushed up to 0.3 m off a plain edge (digitised field boundary)."""
        p0, p1 = self.edge_ends(eid)
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        length = (dx * dx + dy * dy) ** 0.5
        nx_, ny_ = -dy / length, dx / length
        for t in sorted(self.rng.uniform(0.15, 0.85) for _ in range(self.rng.randint(1, 3))):
            off = self.rng.uniform(-0.3, 0.3)
            pt = (r4(p0[0] + t * dx + off * nx_), r4(p0[1] + t * dy + off * ny_))
            self.add_point(eid, t, pt, min_gap=3.0)

    def edge_polyline(self, eid, forward=True):
        p0, p1 = self.edge_ends(eid)
        seq = [p0] + [p for _, p in self.edge_pts.get(eid, [])] + [p1]
        return seq if forward else seq[::-1]

    def cell_ring(self, i, j) -> List[Tuple[float, float]]:
        """Counter-clockwise ring (not closed): bottom, right, top, left edges."""
        ring = []
        for side, fwd in (("b", True), ("r", True), ("t", False), ("l", False)):
            ring.extend(self.edge_polyline(self.edge_id(i, j, side), fwd)[:-1])
        return ring

    def footprint_ring(self, i, j):
        """The cell's share of the land: out to road and ditch centre lines; along
        plain lines exactly the plot edges (same points)."""
        ring = []
        nodes = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
        for k, (side, fwd) in enumerate((("b", True), ("r", True), ("t", False), ("l", False))):
            eid = self.edge_id(i, j, side)
            pts = [self.centre[nodes[k]]]
            if len(eid) == 3:
                pts += self.edge_polyline(eid, fwd)
            pts.append(self.centre[nodes[(k + 1) % 4]])
            for p in pts[:-1]:
                if not ring or ring[-1] != p:
                    ring.append(p)
        if ring[-1] == ring[0]:
            ring.pop()
        return ring

    def line_polyline(self, kind, k):
        """Centre line of vertical (kind 'v', i = k) or horizontal line through all nodes."""
        if kind == "v":
            return [self.centre[(k, j)] for j in range(self.ny + 1)]
        return [self.centre[(i, k)] for i in range(self.nx + 1)]
