"""Shared helpers of defect injection: plot neighbourhoods, edges on roads, picking and renumbering."""
from typing import Dict, List, Optional, Tuple

import numpy as np


class PlotIndex:
    """Points, edges and block sides of the (single-ring) plots of a township being built."""

    def __init__(self, town):
        self.town = town
        self.plan = town.plan
        self.pt_rows: Dict[int, List[int]] = {}
        self.edge_rows: Dict[Tuple[int, int], List[int]] = {}
        self.rebuild()

    def rebuild(self):
        from .rings import cells_ring
        self.pond_pts = {q for bi, i, j in self.plan.ponds for q in cells_ring(self.plan.blocks[bi], [(i, j)])}
        self.pt_rows.clear()
        self.edge_rows.clear()
        for i, s in enumerate(self.town.shapes):
            if s is None or self.town.dk[i].get("_deleted"):
                continue
            for part in s:
                ring = part[0]
                for k, p in enumerate(ring):
                    self.pt_rows.setdefault(p, []).append(i)
                    q = ring[(k + 1) % len(ring)]
                    self.edge_rows.setdefault((min(p, q), max(p, q)), []).append(i)

    def coverage_room(self, group: int, extra_m2: float) -> bool:
        """True when adding extra_m2 of plots to the group keeps Σ plot area / region area < 0.97."""
        if not hasattr(self, "_cover"):
            import shapely
            region, plots = {}, {}
            for g, ring in self.plan.pieces:
                region[g] = region.get(g, 0.0) + shapely.Polygon(np.array(ring, float) / 1000.0).area
            for i, r in enumerate(self.town.dk):
                s = self.town.shapes[i]
                if s is not None and not r.get("_deleted") and r["_group"] >= 0:
                    a = sum(shapely.Polygon(self.plan.xy(p[0])).area for p in s)
                    plots[r["_group"]] = plots.get(r["_group"], 0.0) + a
            self._cover = (region, plots)
        region, plots = self._cover
        if group not in region:
            return False
        if plots.get(group, 0.0) + extra_m2 >= 0.97 * region[group]:
            return False
        plots[group] = plots.get(group, 0.0) + extra_m2
        return True

    def ring(self, row: int) -> List[int]:
        return self.town.shapes[row][0][0]

    def xy(self, p: int) -> np.ndarray:
        return np.array([self.plan.xs[p], self.plan.ys[p]], float)

    def block(self, row: int):
        return self.plan.blocks[int(self.plan.plot_block[self.town.dk[row]["_plot"]])]

    def neighbours(self, rows) -> set:
        out = set()
        for r in rows:
            for p in self.ring(r):
                out.update(self.pt_rows.get(p, ()))
        return out

    def on_land_edge(self, blk, p: int) -> Optional[str]:
        x, y = int(self.plan.xs[p]), int(self.plan.ys[p])
        for side, hit in (("W", x == blk.xb[0]), ("E", x == blk.xb[-1]),
                          ("S", y == blk.yb[0]), ("N", y == blk.yb[-1])):
            if hit:
                return side
        return None

    def side_info(self, blk, side: str):
        """(half strip width mm (0 at the township edge), is a village boundary) of a block side."""
        vil = self.plan.villages[blk.village]
        land = {"W": blk.xb[0], "E": blk.xb[-1], "S": blk.yb[0], "N": blk.yb[-1]}[side]
        ext = {"W": blk.ext[0], "E": blk.ext[2], "S": blk.ext[1], "N": blk.ext[3]}[side]
        rect = {"W": vil["rect"][0], "E": vil["rect"][2], "S": vil["rect"][1], "N": vil["rect"][3]}[side]
        return abs(int(land) - int(ext)), ext == rect

    def road_edges(self, row: int):
        """Edges (k, a, b, side) of the plot's ring lying on its block's land boundary."""
        blk = self.block(row)
        ring = self.ring(row)
        out = []
        for k, a in enumerate(ring):
            b = ring[(k + 1) % len(ring)]
            sa, sb = self.on_land_edge(blk, a), self.on_land_edge(blk, b)
            if sa and sa == sb and len(self.edge_rows.get((min(a, b), max(a, b)), ())) == 1:
                out.append((k, a, b, sa))
        return out

    def shared_edges(self, row: int):
        """Edges (k, a, b, other row) shared with exactly one other plot."""
        ring = self.ring(row)
        out = []
        for k, a in enumerate(ring):
            b = ring[(k + 1) % len(ring)]
            rows = self.edge_rows.get((min(a, b), max(a, b)), ())
            if len(rows) == 2:
                out.append((k, a, b, rows[0] if rows[1] == row else rows[1]))
        return out


def unit_vectors(ix: PlotIndex, a: int, b: int):
    """(length mm, unit along a->b, left normal) of a segment."""
    d = ix.xy(b) - ix.xy(a)
    length = float(np.hypot(*d))
    u = d / length
    return length, u, np.array([-u[1], u[0]])


def add_pt(plan, xy) -> int:
    return plan.add_point(int(round(xy[0])), int(round(xy[1])))


def next_seq(town, unit: str) -> int:
    return max([int(r["DKBM"][14:]) for r in town.dk if r["DKBM"][:14] == unit
                and r["DKBM"][14:].isdigit()] + [0]) + 1


def new_dkbm(town, unit: str) -> str:
    return "%s%05d" % (unit, next_seq(town, unit))


def compact(town) -> None:
    """Drop rows marked _deleted and renumber the contractors' plot references."""
    keep = [i for i, r in enumerate(town.dk) if not r.get("_deleted")]
    remap = {old: new for new, old in enumerate(keep)}
    town.dk = [town.dk[i] for i in keep]
    town.shapes = [town.shapes[i] for i in keep]
    alive = []
    for c in town.contractors:
        c.plots = [remap[i] for i in c.plots if i in remap]
        if c.plots and not c.deleted:
            alive.append(c)
    town.contractors = alive
    for r in town.dk:
        r.pop("_holder", None)
    for k, c in enumerate(town.contractors):
        for i in c.plots:
            town.dk[i]["_holder"] = k


def pick(town, candidates, used: set, count: int = 1, accept=None):
    """Up to count candidates (in a deterministic shuffled order) whose rows are all unused
    and that accept(candidate) admits."""
    out = []
    order = town.rng.permutation(len(candidates)).tolist() if candidates else []
    for k in order:
        cand = candidates[k]
        rows = cand[0] if isinstance(cand[0], (list, tuple, set, frozenset)) else [cand[0]]
        if any(r in used for r in rows) or (accept is not None and not accept(cand)):
            continue
        out.append(cand)
        used.update(rows)
        if len(out) >= count:
            break
    return out
