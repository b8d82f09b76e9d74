"""Defects and look-alikes for T01-T16, placed far apart, with a manifest of expected findings.

Each injection takes a site: the lattice cells it changes. A site is accepted only when
none of its cells nor their eight neighbours belongs to another site, so one defect
never touches another (across a road or ditch included). Instances of a rule rotate
over the villages. The manifest lists, per expected finding: rule, key, related keys
and what was done; look-alikes are listed with kind "lookalike" (must not be reported).

    build_foreign(path, seed, nx, ny) -> (manifest, township)
"""
import json
import random

from . import inject_jz, inject_limits, inject_pairs, inject_regions, inject_shapes
from .boundary import build_boundary
from .township import build_township
from .writer import X0, Y0, write_township

INSTANCES = 3


class Injector:
    def __init__(self, tw, seed):
        self.tw = tw
        self.lat = tw.lat
        self.rng = random.Random(seed * 7 + 1)
        self.manifest = []
        self.taken = set()
        self.cell_plots = {}
        for k, p in enumerate(tw.plots):
            for c in p.cells:
                self.cell_plots.setdefault(c, []).append(k)
        self.special = {c for blk in tw.regular for c in blk}
        self.special |= {c for c, kind in tw.cell_kind.items() if kind != "plot"}
        self.special |= {c for c, lab in tw.label.items() if lab[1] == -1}
        self.special |= {p.cells[0] for p in tw.plots if p.attrs.get("hole")}
        self.taken |= self.special
        self.order = sorted(tw.label)
        self.rng.shuffle(self.order)

    # --- sites ------------------------------------------------------------
    @staticmethod
    def ring_of(cells):
        return {(i + di, j + dj) for i, j in cells for di in (-1, 0, 1) for dj in (-1, 0, 1)}

    def free(self, cells):
        return not (self.ring_of(cells) & self.taken)

    def take(self, cells):
        self.taken |= set(cells)

    def find(self, candidate, village=None):
        """First cell (shuffled order, preferred village first) whose candidate(c)
        returns (cells, data) with free cells; the cells are taken, data returned."""
        order = self.order
        if village is not None:
            order = [c for c in order if self.tw.label[c][0] == village] + \
                    [c for c in order if self.tw.label[c][0] != village]
        for c in order:
            got = candidate(c)
            if got is None:
                continue
            cells, data = got
            if self.free(cells):
                self.take(cells)
                return data
        raise RuntimeError("no site left for %s" % getattr(candidate, "__name__", candidate))

    # --- plots ------------------------------------------------------------
    def single(self, c):
        """The plot filling cell c alone (not split, merged, holed or special)."""
        ks = self.cell_plots.get(c, [])
        if len(ks) != 1 or c in self.special:
            return None
        p = self.tw.plots[ks[0]]
        if len(p.cells) != 1 or p.kind != "normal" or len(p.parts) != 1 or len(p.parts[0]) != 1:
            return None
        return ks[0]

    def plot(self, k):
        return self.tw.plots[k]

    def add_plot(self, plot):
        self.tw.plots.append(plot)
        k = len(self.tw.plots) - 1
        for c in plot.cells:
            self.cell_plots.setdefault(c, []).append(k)
        return k

    def pair(self, c, direction, same_label=True):
        """Two single plots across a straight plain edge: (A, B, a, b) with a -> b on A's
        shell (A on the left). direction 'v': B east of A; 'h': B north of A."""
        i, j = c
        d = (i + 1, j) if direction == "v" else (i, j + 1)
        if d not in self.tw.label:
            return None
        ka, kb = self.single(c), self.single(d)
        if ka is None or kb is None:
            return None
        if same_label and self.tw.label[c] != self.tw.label[d]:
            return None
        eid = self.lat.edge_id(i, j, "r" if direction == "v" else "t")
        if len(eid) != 3 or self.lat.edge_pts.get(eid):
            return None
        p0, p1 = self.lat.edge_ends(eid)
        a, b = (p0, p1) if direction == "v" else (p1, p0)
        return ka, kb, a, b, [c, d]

    def road_sides(self, k, same_group=False):
        """Straight road-side shell segments (a, b) of plot k, in shell order; with
        same_group only roads whose other side is the same group (no region boundary)."""
        p = self.plot(k)
        ring = p.parts[0][0]
        segs = set(zip(ring, ring[1:] + ring[:1]))
        out = []
        for c in p.cells:
            for side in "brtl":
                eid = self.lat.edge_id(c[0], c[1], side)
                if len(eid) != 4:
                    continue
                half = self.lat.hhalf[eid[2]] if eid[0] == "h" else self.lat.vhalf[eid[1]]
                if half < 1:
                    continue
                step = {"b": (0, -1), "t": (0, 1), "l": (-1, 0), "r": (1, 0)}[side]
                if same_group and self.tw.label.get((c[0] + step[0], c[1] + step[1])) != self.tw.label[c]:
                    continue
                pts = self.lat.edge_polyline(eid)
                for a, b in zip(pts, pts[1:]):
                    if (a, b) in segs:
                        out.append((a, b))
                    elif (b, a) in segs:
                        out.append((b, a))
        return out

    # --- manifest ---------------------------------------------------------
    def expect(self, rule, key, related=(), what="", alt_keys=(), gap=False):
        entry = {"rule": rule, "key": key, "related": list(related), "kind": "defect", "what": what}
        if gap:
            entry["gap"] = True        # an uncovered part: named by its bordering plots
        if alt_keys:
            entry["alt_keys"] = list(alt_keys)      # the same finding may name one of these
        self.manifest.append(entry)

    def lookalike(self, rule, key, related=(), what=""):
        self.manifest.append({"rule": rule, "key": key, "related": list(related),
                              "kind": "lookalike", "what": what})


def build_foreign(path, seed=20240601, nx=60, ny=30, manifest_path=None, instances=INSTANCES,
                  noise=0.0):
    tw = build_township(seed, nx, ny)
    inj = Injector(tw, seed)
    inject_regions.t13(inj, instances)       # scarce sites first
    inject_shapes.road_strip(inj)
    inject_regions.t14(inj, instances)
    inject_regions.t15(inj, instances)
    inject_pairs.inject(inj, instances)
    inject_shapes.inject(inj, instances)
    inject_limits.inject(inj)
    for p in tw.plots:
        if p.kind == "normal" and not p.dkbm:
            raise AssertionError("plot without DKBM")
    jzd, jzx = build_boundary(tw.plots, X0, Y0)
    inject_jz.inject(inj, instances, jzd, jzx)
    write_township(tw, path, jzd, jzx, noise)
    if manifest_path:
        with open(manifest_path, "w", encoding="utf-8") as fh:
            json.dump(inj.manifest, fh, ensure_ascii=False, indent=1)
    return inj.manifest, tw
