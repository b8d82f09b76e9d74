"""The demo township's geometry plan, in integer millimetres so that shared points are exact.

Villages are rectangles of a treemap separated by village roads; inside each
village, bands of blocks are separated by field roads and ditches; each block is a
jittered grid of cells whose interior nodes (and optional bends on interior edges)
are shared by the cells around them. Cells become plots (alone or merged with one
or two neighbours), ponds, or plots of the village-level 发包方. Groups take runs of
block columns in serpentine order, so a group boundary follows either a road or
ditch centre line or a column line of shared nodes.
"""
from dataclasses import dataclass, field
from typing import List, Tuple

import numpy as np

from . import names
from .rings import region_pieces

MEAN_CELL_M2 = 475.0
CELLS_PER_PLOT = 1.42
ROAD = "机耕路"
VILLAGE_ROAD = "村道"
DITCH = "水渠"


@dataclass
class Block:
    village: int
    band: int
    xb: np.ndarray                 # column base lines (nc+1), mm
    yb: np.ndarray                 # row base lines (nr+1), south to north, mm
    ext: Tuple[int, int, int, int]  # expanded rectangle to strip centre lines: x0, y0, x1, y1
    node: np.ndarray = None        # (nr+1, nc+1) point ids
    hbend: np.ndarray = None       # (nr+1, nc) point id of a bend on the horizontal side, -1 none
    vbend: np.ndarray = None       # (nr, nc+1)
    group: np.ndarray = None       # (nr, nc) group index
    kind: np.ndarray = None        # (nr, nc) 0 plot, 1 pond, 2 village-level plot
    plot: np.ndarray = None        # (nr, nc) plot index (-1 pond)

    @property
    def nr(self):
        return len(self.yb) - 1

    @property
    def nc(self):
        return len(self.xb) - 1


@dataclass
class Plan:
    xs: np.ndarray
    ys: np.ndarray
    villages: List[dict]
    groups: List[dict]
    blocks: List[Block]
    strips: List[dict]
    plot_block: np.ndarray
    plot_group: np.ndarray          # -1 for a village-level plot
    plot_village: np.ndarray
    plot_seq: np.ndarray
    plot_cells: List[list]
    ponds: List[Tuple[int, int, int]]
    pieces: List[Tuple[int, list]] = field(default_factory=list)   # (group, ring of (x, y) mm)

    def add_point(self, x: int, y: int) -> int:
        self.xs = np.append(self.xs, np.int64(x))
        self.ys = np.append(self.ys, np.int64(y))
        return len(self.xs) - 1

    def xy(self, ids) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        return np.c_[self.xs[ids], self.ys[ids]] / 1000.0


class _Points:
    def __init__(self):
        self.chunks, self.n = [], 0

    def add(self, x, y) -> np.ndarray:
        x, y = np.asarray(x, np.int64).ravel(), np.asarray(y, np.int64).ravel()
        self.chunks.append((x, y))
        ids = np.arange(self.n, self.n + len(x))
        self.n += len(x)
        return ids

    def arrays(self):
        if not self.chunks:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return (np.concatenate([c[0] for c in self.chunks]),
                np.concatenate([c[1] for c in self.chunks]))


def counts(n_plots: int):
    """(groups, villages): about 100 plots a group (60–100 in small townships)."""
    per_group = min(100.0, max(60.0, n_plots / 12.0))
    n_groups = max(4, int(round(n_plots / per_group)))
    n_villages = max(2, -(-n_groups // 75),
                     int(round(0.9 * np.sqrt(n_groups))))
    return n_groups, min(n_villages, n_groups // 2 if n_groups >= 4 else 1)


def _split_counts(total, parts, rng, lo, hi):
    w = rng.uniform(0.7, 1.3, parts)
    c = np.maximum(lo, np.floor(total * w / w.sum()).astype(int))
    c = np.minimum(c, hi)
    while c.sum() < total:
        k = int(rng.integers(parts))
        if c[k] < hi:
            c[k] += 1
    while c.sum() > total:
        c[int(np.argmax(c))] -= 1
    return c


def _kd(rng, road: bool) -> int:
    """Strip width in cm: field roads 4.00–4.50 m, ditches 0.30–1.00 m."""
    return int(rng.integers(400, 451)) if road else int(rng.integers(30, 101))


def _treemap(rect, items, rng, out, strips):
    """Split rect (x0, y0, x1, y1, halves{W,S,E,N}) among items [(village, weight)]."""
    x0, y0, x1, y1, half = rect
    if len(items) == 1:
        out[items[0][0]] = rect
        return
    w = np.array([it[1] for it in items], float)
    cum = np.cumsum(w) / w.sum()
    k = int(np.argmin(np.abs(cum[:-1] - 0.5))) + 1
    frac = cum[k - 1]
    kd = int(rng.integers(500, 601))
    h = kd * 5
    if x1 - x0 >= y1 - y0:
        xc = int(round(x0 + (x1 - x0) * frac, -2))
        strips.append({"a": (xc, y0), "b": (xc, y1), "kd_cm": kd, "name": VILLAGE_ROAD})
        _treemap((x0, y0, xc, y1, dict(half, E=h)), items[:k], rng, out, strips)
        _treemap((xc, y0, x1, y1, dict(half, W=h)), items[k:], rng, out, strips)
    else:
        yc = int(round(y1 - (y1 - y0) * frac, -2))
        strips.append({"a": (x0, yc), "b": (x1, yc), "kd_cm": kd, "name": VILLAGE_ROAD})
        _treemap((x0, yc, x1, y1, dict(half, S=h)), items[:k], rng, out, strips)
        _treemap((x0, y0, x1, yc, dict(half, N=h)), items[k:], rng, out, strips)


def _fill(length, rng, size_lo, size_hi, counts_choice, road_share):
    """Cut a length (mm) into runs of cells separated by strips: [(start, end, n, kd_cm, road)]."""
    out, pos = [], 0
    while True:
        size = int(rng.integers(size_lo, size_hi + 1)) // 10 * 10
        n = int(rng.choice(counts_choice))
        run = n * size
        road = bool(rng.random() < road_share)
        kd = _kd(rng, road)
        min_run = 2 * size_lo
        if length - pos - run - kd * 10 < min_run + 1:
            rest = length - pos
            n = max(1, int(round(rest / float(size))))
            out.append((pos, length, n, 0, False))
            return out
        out.append((pos, pos + run, n, kd, road))
        pos += run + kd * 10


def _jitter(rng, n, scale):
    return np.round(rng.uniform(-0.18, 0.18, n) * scale).astype(np.int64)


def _grid(blk: Block, pts: _Points, rng):
    nr, nc = blk.nr, blk.nc
    cw = (blk.xb[-1] - blk.xb[0]) / nc
    ch = (blk.yb[-1] - blk.yb[0]) / nr
    gx = np.tile(blk.xb, (nr + 1, 1)).astype(np.int64)
    gy = np.tile(blk.yb[:, None], (1, nc + 1)).astype(np.int64)
    inner_x = np.zeros((nr + 1, nc + 1), bool)
    inner_x[:, 1:-1] = True                    # x moves except on the west/east edges
    inner_y = np.zeros((nr + 1, nc + 1), bool)
    inner_y[1:-1, :] = True                    # y moves except on the south/north edges
    gx[inner_x] += _jitter(rng, int(inner_x.sum()), cw)
    gy[inner_y] += _jitter(rng, int(inner_y.sum()), ch)
    blk.node = pts.add(gx, gy).reshape(nr + 1, nc + 1)
    blk.hbend = np.full((nr + 1, nc), -1, np.int64)
    blk.vbend = np.full((nr, nc + 1), -1, np.int64)
    for arr, a_idx, b_idx in ((blk.hbend, (slice(1, nr), slice(0, nc)), (slice(1, nr), slice(1, nc + 1))),
                              (blk.vbend, (slice(0, nr), slice(1, nc)), (slice(1, nr + 1), slice(1, nc)))):
        ax, ay = gx[a_idx], gy[a_idx]
        bx, by = gx[b_idx], gy[b_idx]
        if not ax.size:
            continue
        pick = rng.random(ax.shape) < 0.3
        off = rng.uniform(0.06, 0.11, ax.shape) * np.where(rng.random(ax.shape) < 0.5, -1, 1)
        mx = (ax + bx) / 2.0 - (by - ay) * off
        my = (ay + by) / 2.0 + (bx - ax) * off
        ids = pts.add(np.round(mx[pick]), np.round(my[pick]))
        view = arr[a_idx]
        view[pick] = ids
        arr[a_idx] = view


def build_plan(n_plots: int, rng: np.random.Generator, village_fbf_share: float = 0.3) -> Plan:
    n_groups, n_villages = counts(n_plots)
    g_per_v = _split_counts(n_groups, n_villages, rng, 2 if n_groups >= 2 * n_villages else 1, 99)
    g_weight = rng.uniform(0.6, 1.4, n_groups)
    scale = 1.0
    for _attempt in range(8):
        try:
            return _build(n_plots, rng, g_per_v, g_weight, scale, village_fbf_share)
        except _Retry as r:
            scale *= r.factor
    raise ValueError("cannot lay out %d plots" % n_plots)


class _Retry(Exception):
    def __init__(self, factor):
        super().__init__(factor)
        self.factor = factor


def _build(n_plots, rng, g_per_v, g_weight, scale, village_fbf_share):
    n_villages = len(g_per_v)
    first_g = np.r_[0, np.cumsum(g_per_v)[:-1]]
    v_weight = [float(g_weight[first_g[v]:first_g[v] + g_per_v[v]].sum()) for v in range(n_villages)]
    area = n_plots * CELLS_PER_PLOT * MEAN_CELL_M2 / 0.9 * scale
    width = int(round(np.sqrt(area * 1.25) * 1000, -2))
    height = int(round(area * 1e6 / width, -2))
    x0, y0 = names.ORIGIN_E_MM, names.ORIGIN_N_MM
    strips, rects = [], {}
    _treemap((x0, y0, x0 + width, y0 + height, {"W": 0, "S": 0, "E": 0, "N": 0}),
             list(zip(range(n_villages), v_weight)), rng, rects, strips)
    pts = _Points()
    blocks: List[Block] = []
    villages = []
    for v in range(n_villages):
        rx0, ry0, rx1, ry1, half = rects[v]
        land = (rx0 + half["W"], ry0 + half["S"], rx1 - half["E"], ry1 - half["N"])
        bands = _fill(land[3] - land[1], rng, 13000, 25000, [2, 3, 3, 4, 4, 5, 6], 0.35)
        vb = []
        for b, (s, e, nr, kd, road) in enumerate(bands):
            top, bottom = land[3] - s, land[3] - e
            if kd:
                yc = bottom - kd * 5
                strips.append({"a": (land[0], yc), "b": (land[2], yc), "kd_cm": kd,
                               "name": ROAD if road else DITCH})
            ey1 = ry1 if b == 0 else (top + bands[b - 1][3] * 5)
            ey0 = ry0 if b == len(bands) - 1 else bottom - kd * 5
            cols = _fill(land[2] - land[0], rng, 17000, 33000, [3, 4, 5, 6, 7, 8, 10], 0.3)
            for c, (cs, ce, nc, ckd, croad) in enumerate(cols):
                bx0, bx1 = land[0] + cs, land[0] + ce
                if ckd:
                    xc = bx1 + ckd * 5
                    strips.append({"a": (xc, bottom), "b": (xc, top), "kd_cm": ckd,
                                   "name": ROAD if croad else DITCH})
                ex0 = rx0 if c == 0 else bx0 - cols[c - 1][3] * 5
                ex1 = rx1 if c == len(cols) - 1 else bx1 + ckd * 5
                xb = bx0 + np.round(np.arange(nc + 1) * (bx1 - bx0) / nc).astype(np.int64)
                yb = bottom + np.round(np.arange(nr + 1) * (top - bottom) / nr).astype(np.int64)
                blk = Block(v, b, xb, yb, (ex0, ey0, ex1, ey1))
                _grid(blk, pts, rng)
                vb.append(len(blocks))
                blocks.append(blk)
        villages.append({"index": v, "rect": (rx0, ry0, rx1, ry1), "land": land, "blocks": vb})
    xs, ys = pts.arrays()
    groups = _assign_groups(villages, blocks, g_per_v, g_weight, first_g)
    _kinds(villages, blocks, rng, village_fbf_share)
    cells = _merge(blocks, n_plots, rng)
    plan = Plan(xs, ys, villages, groups, blocks, strips, *cells)
    plan.pieces = region_pieces(plan)
    return plan


def _columns(block_ids, blocks):
    """(block, column) in serpentine order: bands north to south, odd bands east to west."""
    by_band = {}
    for bi in block_ids:
        by_band.setdefault(blocks[bi].band, []).append(bi)
    out = []
    for b in sorted(by_band):
        east_to_west = b % 2 == 1
        for bi in (by_band[b][::-1] if east_to_west else by_band[b]):
            nc = blocks[bi].nc
            out.extend((bi, j) for j in (range(nc - 1, -1, -1) if east_to_west else range(nc)))
    return out


def _assign_groups(villages, blocks, g_per_v, g_weight, first_g):
    groups = []
    for v, vil in enumerate(villages):
        cols = _columns(vil["blocks"], blocks)
        k = int(g_per_v[v])
        if len(cols) < 2 * k:
            raise _Retry(1.3)
        cum = np.cumsum([blocks[bi].nr for bi, _ in cols]).astype(float)
        w = g_weight[first_g[v]:first_g[v] + k]
        bounds = np.cumsum(w)[:-1] / w.sum() * cum[-1]
        cuts, prev = [], 0
        for g, bound in enumerate(bounds):
            c = int(np.searchsorted(cum, bound))            # cum[c] >= bound
            if c > 0 and bound - cum[c - 1] < cum[c] - bound:
                c -= 1
            c = min(max(c + 1, prev + 1), len(cols) - (k - 1 - g))
            cuts.append(c)
            prev = c
        g_of_col = np.searchsorted(np.array(cuts, np.int64), np.arange(len(cols)), side="right")
        base = len(groups)
        vil["groups"] = list(range(base, base + k))
        for g in range(k):
            groups.append({"index": base + g, "village": v, "number": g + 1})
        for bi in vil["blocks"]:
            blocks[bi].group = np.zeros((blocks[bi].nr, blocks[bi].nc), np.int64)
        for (bi, j), g in zip(cols, g_of_col.tolist()):
            blocks[bi].group[:, j] = base + g
    return groups


def _kinds(villages, blocks, rng, village_fbf_share):
    for v, vil in enumerate(villages):
        for bi in vil["blocks"]:
            blk = blocks[bi]
            blk.kind = np.where(rng.random((blk.nr, blk.nc)) < 0.02, 1, 0).astype(np.int8)
        vil["has_fbf"] = v == 0 or bool(rng.random() < village_fbf_share)
        if vil["has_fbf"]:
            cand = [(bi, i, j) for bi in vil["blocks"] for i in range(blocks[bi].nr)
                    for j in range(blocks[bi].nc) if blocks[bi].kind[i, j] == 0]
            for k in rng.choice(len(cand), size=min(len(cand) // 4, int(rng.integers(3, 6))),
                                replace=False).tolist():
                bi, i, j = cand[k]
                blocks[bi].kind[i, j] = 2


def _merge(blocks, n_plots, rng):
    offs = np.cumsum([0] + [b.nr * b.nc for b in blocks])
    kind = np.concatenate([b.kind.ravel() for b in blocks])
    group = np.concatenate([b.group.ravel() for b in blocks])
    singles = int((kind == 0).sum()) + int((kind == 2).sum())
    need = singles - n_plots
    if need < 0:
        raise _Retry(1.0 + max(0.05, -need / float(n_plots) * 1.1))
    cand = []
    for bi, b in enumerate(blocks):
        idx = offs[bi] + np.arange(b.nr * b.nc).reshape(b.nr, b.nc)
        ok = (b.kind == 0)
        h = ok[:, :-1] & ok[:, 1:] & (b.group[:, :-1] == b.group[:, 1:])
        v = ok[:-1, :] & ok[1:, :] & (b.group[:-1, :] == b.group[1:, :])
        cand.append(np.c_[idx[:, :-1][h], idx[:, 1:][h]])
        cand.append(np.c_[idx[:-1, :][v], idx[1:, :][v]])
    cand = np.concatenate(cand) if cand else np.zeros((0, 2), np.int64)
    cand = cand[rng.permutation(len(cand))].tolist()
    parent = list(range(len(kind)))
    size = [1] * len(kind)
    done = 0
    for limit, goal in ((2, int(round(need * 0.92))), (3, need)):
        for a, b in cand:
            if done >= goal:
                break
            ra, rb = _root(parent, a), _root(parent, b)
            if ra == rb or size[ra] + size[rb] > limit:
                continue
            parent[rb] = ra
            size[ra] += size[rb]
            done += 1
    if done < need:
        raise _Retry(0.93)
    parent = np.array(parent, np.int64)
    root = parent.copy()
    while True:
        up = root[root]
        if np.array_equal(up, root):
            break
        root = up
    return _number(blocks, offs, kind, group, root)


def _root(parent, i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _number(blocks, offs, kind, group, root):
    """Plots in DKBM order: per village its village-level plots, then its groups."""
    by_village = {}
    for bi, b in enumerate(blocks):
        by_village.setdefault(b.village, []).append(bi)
    cell_block = np.repeat(np.arange(len(blocks)), np.diff(offs))
    order_cells = []
    for v in sorted(by_village):
        for bi, j in _columns(by_village[v], blocks):
            b = blocks[bi]
            order_cells.extend(offs[bi] + np.arange(b.nr - 1, -1, -1) * b.nc + j)
    order_cells = np.array(order_cells, np.int64)
    order_cells = order_cells[kind[order_cells] != 1]
    roots = root[order_cells]
    uroots, first = np.unique(roots, return_index=True)
    first_cell = order_cells[first]                       # first cell of each plot (by root)
    blk = cell_block[first_cell]
    vil = np.array([b.village for b in blocks], np.int64)[blk]
    grp = np.where(kind[first_cell] == 2, -1, group[first_cell])
    order = np.lexsort((first, grp, vil))                  # DKBM order
    plot_of_root = np.full(len(kind), -1, np.int64)
    plot_of_root[uroots[order]] = np.arange(len(order))
    unit = vil[order] * 1000 + grp[order]
    new_unit = np.r_[True, unit[1:] != unit[:-1]]
    start = np.maximum.accumulate(np.where(new_unit, np.arange(len(unit)), 0))
    seq = np.arange(len(unit)) - start + 1
    plot_cells = [[] for _ in range(len(order))]
    for b in blocks:
        b.plot = np.full((b.nr, b.nc), -1, np.int64)
    for c in order_cells.tolist():
        p = int(plot_of_root[root[c]])
        bi = int(cell_block[c])
        i, j = divmod(c - int(offs[bi]), blocks[bi].nc)
        blocks[bi].plot[i, j] = p
        plot_cells[p].append((i, j))
    ponds = [(bi, int(i), int(j)) for bi, b in enumerate(blocks) for i, j in zip(*np.nonzero(b.kind == 1))]
    return blk[order], grp[order], vil[order], seq, plot_cells, ponds
