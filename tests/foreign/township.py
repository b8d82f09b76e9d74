"""The foreign township: villages, groups, plots, regions, ditches, ponds, grave sites.

Built on the jittered lattice (lattice.py): about 20 % of the cells split into two strips,
a few pairs merged, regular blocks of equal cells, unmapped ponds and mapped ones (MZDW),
plots with a grave site (MZDW) or an unmapped pond as a hole. Village and group
boundaries follow road centre lines, a ditch or plain field edges (then exactly on
plot edges). One village has a village-level 发包方 (FBFBM = CJQYDM + "00").
"""
import math
import random
from dataclasses import dataclass, field
from typing import Dict, List

import shapely
import shapely.affinity
from shapely.geometry import Polygon

from .lattice import Lattice, r4

COUNTY, TOWNSHIP = "410523", "410523108"
VILLAGE_NAMES = ["东王庄村", "西岗村", "柳营村"]
GROUPS_PER_VILLAGE = [3, 4, 2]
FIELD_NAMES = ["东洼", "西坡", "大坑边", "河滩地", "老坟岗", "南大地", "北场", "渠边地", "十亩地", "窑场"]


@dataclass
class Plot:
    dkbm: str
    village: int
    group: int                    # -1: village-level 发包方
    cells: List[tuple]
    parts: List[List[list]]       # [[shell, hole, ...], ...]; shell CCW, holes CW, not closed
    ccw: bool = True              # shell written counter-clockwise
    multi: bool = True            # written as MULTIPOLYGON (one part), else POLYGON
    kind: str = "normal"          # normal | raw (rings written as they are) | null | empty
    attrs: Dict = field(default_factory=dict)

    @property
    def fbfbm(self):
        return self.dkbm[:14]

    def polygon(self):
        """Shapely geometry of the model (None for null/empty)."""
        if self.kind in ("null", "empty"):
            return None
        polys = [Polygon(p[0], p[1:]) for p in self.parts]
        return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


class Township:
    def __init__(self, seed: int, nx: int, ny: int):
        self.seed, self.nx, self.ny = seed, nx, ny
        self.rng = random.Random(seed)
        self.lat = Lattice(nx, ny, self.rng)
        self.villages = []
        for v in range(3):
            code = TOWNSHIP + "%03d" % (201 + v)
            self.villages.append({"code": code, "name": VILLAGE_NAMES[v],
                                  "groups": ["%s%02d" % (code, g + 1)
                                             for g in range(GROUPS_PER_VILLAGE[v])]})
        self.plots: List[Plot] = []
        self.cell_plot: Dict[tuple, int] = {}
        self.cell_kind: Dict[tuple, str] = {}   # plot | pond | pond_mapped
        self.label: Dict[tuple, tuple] = {}     # cell -> (village, group)
        self.mzdw: List[dict] = []
        self.xzdw: List[dict] = []
        self.zjqy: Dict[str, object] = {}
        self.cjqy: Dict[str, object] = {}
        self.xjqy = None
        self.xjqy_code = TOWNSHIP
        self.notes: List[dict] = []             # look-alikes made by the layout itself
        self.regular: List[List[tuple]] = []

    # --- partition ----------------------------------------------------------
    def _nearest(self, halves, target, want):
        cands = [k for k in range(1, len(halves) - 1) if self.lat._kind(halves[k]) == want]
        return min(cands, key=lambda k: (abs(k - target), k)) if cands else None

    def _partition(self):
        lat, nx, ny = self.lat, self.nx, self.ny
        jm = self._nearest(lat.hhalf, ny // 2, "plain")
        b1 = (self._nearest(lat.vhalf, nx * 0.33, "road"), self._nearest(lat.vhalf, nx * 0.37, "plain"))
        b2 = (self._nearest(lat.vhalf, nx * 0.64, "plain"), self._nearest(lat.vhalf, nx * 0.70, "road"))
        self.vbounds = (b1, b2, jm)
        low, high = range(0, jm), range(jm, ny)
        # village boundary pieces: (line i, rows, village west, village east, kind)
        self.vsplits = [(b1[0], low, 0, 1, "road"), (b1[1], high, 0, 1, "plain"),
                        (b2[0], low, 1, 2, "plain"), (b2[1], high, 1, 2, "road")]
        spans = []
        for i in range(nx):
            for j in range(ny):
                lo = j >= jm
                v = 0 if i < b1[lo] else (1 if i < b2[lo] else 2)
                self.label[(i, j)] = (v, None)
        for v, n in enumerate(GROUPS_PER_VILLAGE):
            cols = sorted({i for (i, j), (vv, _) in self.label.items() if vv == v})
            mid = self._nearest(lat.vhalf[:cols[-1] + 1], (cols[0] + cols[-1]) / 2, "plain")
            ts = []
            for k in range(1, n):
                base = k * ny / n
                road = self._nearest(lat.hhalf, base, "road")
                ts.append((self._nearest(lat.hhalf, base, "plain"),
                           road if road is not None and abs(road - base) <= 3 else
                           self._nearest(lat.hhalf, base + 1, "plain")))
            spans.append((mid, ts))
        for (i, j), (v, _) in list(self.label.items()):
            mid, ts = spans[v]
            g = sum(1 for t in ts if j >= t[0 if i < mid else 1])
            self.label[(i, j)] = (v, g)

    def _pick_block(self, v, w, h, avoid):
        """Cells of a w x h block inside village v, one group, away from non-plain lines."""
        lat = self.lat
        opts = []
        for i in range(1, self.nx - w):
            for j in range(1, self.ny - h):
                cells = [(a, b) for a in range(i, i + w) for b in range(j, j + h)]
                labels = {self.label[c] for c in cells}
                ring = [(a, b) for a in range(i - 1, i + w + 1) for b in range(j - 1, j + h + 1)]
                if len(labels) != 1 or labels.pop()[0] != v or any(c in avoid for c in ring):
                    continue
                if any(lat.vhalf[a] for a in range(i, i + w + 1)) or \
                        any(lat.hhalf[b] for b in range(j, j + h + 1)):
                    continue
                if any(self.label.get(c, (None,))[0] != v for c in ring):
                    continue
                opts.append(cells)
        return self.rng.choice(opts) if opts else None

    # --- build ------------------------------------------------------------
    def build(self):
        lat, rng = self.lat, self.rng
        self._partition()
        special = set()
        for v in range(3):                       # regular blocks of equal cells
            blk = self._pick_block(v, 3, 2, special)
            if blk:
                self.regular.append(blk)
                special.update(blk)
        calm = {(a + di, b + dj) for blk in self.regular for (a, b) in blk
                for di in (0, 1) for dj in (0, 1)}
        lat.place_nodes(calm)
        vl = self._pick_block(1, 2, 2, special)   # village-level 发包方 block in village 2
        special.update(vl or [])
        for c in vl or []:
            self.label[c] = (1, -1)
        free = [c for c in self.label if c not in special]
        rng.shuffle(free)
        for c in free[:3]:
            self.cell_kind[c] = "pond"
        for c in free[3:6]:
            self.cell_kind[c] = "pond_mapped"
        for c in self.label:
            self.cell_kind.setdefault(c, "plot")
        seen = set()
        for (i, j) in sorted(self.label):
            for side in "brtl":
                eid = lat.edge_id(i, j, side)
                if eid in seen or len(eid) != 3:
                    continue
                seen.add(eid)
                a, b = lat.edge_ends(eid)
                if rng.random() < 0.55 and not ({self._node_of(eid, 0), self._node_of(eid, 1)} <= calm):
                    lat.wiggle(eid)
        regular = {c for blk in self.regular for c in blk}
        splits = {}
        for c in sorted(self.label):
            if self.cell_kind[c] != "plot" or c in regular or c in (vl or []) or rng.random() > 0.22:
                continue
            t1, t2 = rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65)
            eb, et = lat.edge_id(c[0], c[1], "b"), lat.edge_id(c[0], c[1], "t")
            pb = lat.add_point(eb, t1)
            if pb is None:
                continue
            pt = lat.add_point(et, t2)
            if pt is None:
                lat.edge_pts[eb] = [(u, p) for u, p in lat.edge_pts[eb] if p != pb]
                continue
            splits[c] = (pb, pt)
        merges = {}
        for c in sorted(self.label):
            right = (c[0] + 1, c[1])
            if (right in self.label and rng.random() < 0.06 and lat.vhalf[c[0] + 1] == 0
                    and self.label[c] == self.label[right]
                    and all(self.cell_kind[x] == "plot" and x not in splits and x not in regular
                            and x not in merges and x not in merges.values() for x in (c, right))):
                merges[c] = right
        self._make_plots(splits, merges)
        self._holes(regular)
        self._number()
        self._regions()
        self._features()
        for p in self.plots:
            p.ccw = rng.random() < 0.7
            p.multi = rng.random() < 0.75
        return self

    def _node_of(self, eid, end):
        kind, a, b = eid[:3]
        return (a + end, b) if kind == "h" else (a, b + end)

    def _make_plots(self, splits, merges):
        lat, rng = self.lat, self.rng
        merged_into = {v: k for k, v in merges.items()}
        for c in sorted(self.label):
            if self.cell_kind[c] != "plot" or c in merged_into:
                continue
            v, g = self.label[c]
            ring = lat.cell_ring(*c)
            if c in splits:
                pb, pt = splits[c]
                ib, it = ring.index(pb), ring.index(pt)
                mid = (r4((pb[0] + pt[0]) / 2 + rng.uniform(-0.2, 0.2)), r4((pb[1] + pt[1]) / 2))
                rings = [ring[ib:it + 1] + [mid], ring[it:] + ring[:ib + 1] + [mid]]
                for r in rings:
                    self._add_plot(v, g, [c], r)
                continue
            cells = [c]
            if c in merges:
                cells.append(merges[c])
                ring = merge_rings(ring, lat.cell_ring(*merges[c]))
            self._add_plot(v, g, cells, ring)

    def _add_plot(self, v, g, cells, shell):
        p = Plot("", v, g, list(cells), [[shell]])
        for c in cells:
            self.cell_plot.setdefault(c, len(self.plots))
        self.plots.append(p)

    def _holes(self, regular):
        """Grave sites (MZDW) and unmapped ponds (>= 50 m²) as holes of whole-cell plots."""
        rng = self.rng
        uses = {}
        for p in self.plots:
            for c in p.cells:
                uses[c] = uses.get(c, 0) + 1
        singles = [k for k, p in enumerate(self.plots)
                   if len(p.cells) == 1 and uses[p.cells[0]] == 1
                   and p.cells[0] not in regular and p.group >= 0]
        rng.shuffle(singles)
        made = {"grave": 0, "pond": 0}
        for k in singles:
            kind = "grave" if made["grave"] < 4 else ("pond" if made["pond"] < 3 else None)
            if kind is None:
                break
            p = self.plots[k]
            shell = Polygon(p.parts[0][0])
            c = shell.centroid
            if kind == "grave":
                hole = shapely.affinity.rotate(shapely.box(c.x - 2.75, c.y - 2.75, c.x + 2.75,
                                                           c.y + 2.75), rng.uniform(0, 80), origin=c)
            else:
                hole = Polygon([(c.x + 6.6 * _cos(a), c.y + 6.6 * _sin(a))
                                for a in range(0, 360, 45)])
            if not hole.buffer(1.5).within(shell):
                continue
            ring = [(r4(x), r4(y)) for x, y in list(hole.exterior.coords)[:-1]]
            if Polygon(ring).exterior.is_ccw:
                ring.reverse()                  # holes clockwise in the model
            p.parts[0].append(ring)
            made[kind] += 1
            p.attrs["hole"] = kind
            if kind == "grave":
                self.mzdw.append({"ring": ring[::-1], "DWMC": "坟地", "BZ": "地块内坟地"})

    def _number(self):
        serial = {}
        order = sorted(range(len(self.plots)), key=lambda k: (self.plots[k].cells[0][1],
                                                              self.plots[k].cells[0][0],
                                                              Polygon(self.plots[k].parts[0][0]).centroid.x))
        for k in order:
            p = self.plots[k]
            vcode = self.villages[p.village]["code"]
            fbf = vcode + "00" if p.group < 0 else self.villages[p.village]["groups"][p.group]
            serial[fbf] = serial.get(fbf, 0) + 1
            p.dkbm = "%s%05d" % (fbf, serial[fbf])
            p.attrs.update(DKLB="22" if p.group < 0 else ("21" if self.rng.random() < 0.05 else "10"),
                           DKMC=self.rng.choice(FIELD_NAMES))
        self.serial = serial

    def next_dkbm(self, fbfbm):
        self.serial[fbfbm] = self.serial.get(fbfbm, 0) + 1
        return "%s%05d" % (fbfbm, self.serial[fbfbm])

    def _regions(self):
        lat = self.lat
        foot = {c: Polygon(lat.footprint_ring(*c)) for c in self.label}
        for v, vil in enumerate(self.villages):
            self.cjqy[vil["code"]] = shapely.union_all([foot[c] for c, (vv, _) in self.label.items()
                                                        if vv == v])
            for g, code in enumerate(vil["groups"]):
                self.zjqy[code] = shapely.union_all([foot[c] for c, lab in self.label.items()
                                                     if lab == (v, g)])
        self.xjqy = shapely.union_all(list(self.cjqy.values()))

    def _features(self):
        lat = self.lat
        for i in range(1, self.nx):
            if lat.vkind(i) == "ditch":
                self.xzdw.append({"line": lat.line_polyline("v", i), "KD": 2 * lat.vhalf[i],
                                  "DWMC": "水渠"})
        for j in range(1, self.ny):
            if lat.hkind(j) == "ditch":
                self.xzdw.append({"line": lat.line_polyline("h", j), "KD": 2 * lat.hhalf[j],
                                  "DWMC": "水渠"})
        for c, kind in sorted(self.cell_kind.items()):
            if kind == "pond_mapped":
                self.mzdw.append({"ring": lat.cell_ring(*c), "DWMC": "坑塘", "BZ": "坑塘水面"})

    # --- queries used by the injections ------------------------------------
    def index_of(self, dkbm) -> int:
        return next(k for k, p in enumerate(self.plots) if p.dkbm == dkbm)

    def fbfbm_list(self):
        out = []
        for v in self.villages:
            out.extend(v["groups"])
        out.append(self.villages[1]["code"] + "00")
        return out


def _cos(deg):
    return math.cos(math.radians(deg))


def _sin(deg):
    return math.sin(math.radians(deg))


def merge_rings(a: list, b: list) -> list:
    """Union of two CCW rings sharing a run of points: shared segments cancel."""
    segs = {}
    for ring in (a, b):
        for p, q in zip(ring, ring[1:] + ring[:1]):
            if (q, p) in segs:
                del segs[(q, p)]
            else:
                segs[(p, q)] = True
    nxt = {p: q for p, q in segs}
    start = a[0] if a[0] in nxt else next(iter(nxt))
    out, p = [start], nxt[start]
    while p != start:
        out.append(p)
        p = nxt[p]
    return out


def build_township(seed: int = 20240601, nx: int = 60, ny: int = 30) -> Township:
    return Township(seed, nx, ny).build()
