"""界址点 (JZD), 界址线 (JZX), KJZB and 四至 derived from plot polygons (codes.md §4).

Generic over any set of plots keyed by DKBM; Qt-free; vectorised with numpy and
shapely 2 except the final row building. The convention implemented:

- plots are taken in ascending DKBM; exterior rings are walked clockwise, holes
  counter-clockwise (the plot always on the right), each ring from its kept point
  nearest the north-west corner of its bounding box;
- points closer than ``same_point_tol`` are one point and keep the number (and the
  coordinates) of their first occurrence; numbers run J<start>, J<start+1>, …;
- a vertex is a 界址点 where three or more plots meet, where the neighbour changes
  (plot, feature or nothing), or where the boundary turns by at least
  ``min_turn_deg``; a ring keeps at least 4 points (all of them when it has fewer);
- one JZX per stretch between consecutive 界址点, a stretch shared by several plots
  stored once with DKBM "A/B" and QJZDH/ZJZDH in the walking order of plot A;
- optionally (``fixed_points``/``fixed_names``) points that already have a number keep
  it (a partial rebuild after an edit), only new points are numbered, and lines between
  plots in dispute (``disputed``) get JXXZ 600003 争议界;
- 四至: per direction the neighbour (plot label, feature label or ``outside_label``)
  with the longest boundary whose outward normal lies within 60° of that direction.

Neighbours are found by shared segments (identical end points) and, for the other
segments, by a probe point just outside the segment: inside another plot, inside a
feature polygon, or nothing.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np
import shapely

QUANTUM = 1e-4          # geometry precision (m): coordinates equal at this grid are one point
PROBE = 0.05            # distance (m) of the probe point outside a segment
FOUR_FIELDS = ("DKDZ", "DKNZ", "DKXZ", "DKBZ")          # 东 南 西 北
_DIRS = np.array([[1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 1.0]])
_COS_60 = 0.5


@dataclass
class Boundary:
    """Result of build_boundary; per-plot lists follow the input order."""
    kjzb: List[str]
    four: List[Tuple[str, str, str, str]]          # (东至, 南至, 西至, 北至)
    jzd_rows: List[dict] = field(default_factory=list)
    jzd_points: list = field(default_factory=list)
    jzx_rows: List[dict] = field(default_factory=list)
    jzx_lines: list = field(default_factory=list)
    next_number: int = 1


def part_rings(parts: np.ndarray):
    """Every ring of polygon parts, vectorised: (rings, part of each ring, is it a hole,
    0 for an exterior ring / 1 + its index among the part's holes). Exteriors come first."""
    n_holes = shapely.get_num_interior_rings(parts)
    hole_part = np.repeat(np.arange(len(parts)), n_holes)
    hole_k = np.arange(len(hole_part)) - np.repeat(np.cumsum(n_holes) - n_holes, n_holes)
    rings = np.concatenate([shapely.get_exterior_ring(parts),
                            shapely.get_interior_ring(parts[hole_part], hole_k)])
    r_part = np.concatenate([np.arange(len(parts)), hole_part])
    r_hole = np.concatenate([np.zeros(len(parts), bool), np.ones(len(hole_part), bool)])
    r_k = np.concatenate([np.zeros(len(parts), np.int64), hole_k + 1])
    return rings, r_part, r_hole, r_k


def _rings(polys: np.ndarray):
    """Rings of the plots (in the given order): coords, ring of each coord, ring tables."""
    parts, part_plot = shapely.get_parts(polys, return_index=True)
    part_no = np.zeros(len(parts), dtype=np.int64)
    if len(parts):
        first = np.r_[0, np.flatnonzero(np.diff(part_plot)) + 1]
        part_no = np.arange(len(parts)) - np.repeat(first, np.diff(np.r_[first, len(parts)]))
    rings, r_part, r_hole, r_k = part_rings(parts)
    order = np.lexsort((r_k, part_no[r_part], part_plot[r_part]))
    rings, r_part, r_hole = rings[order], r_part[order], r_hole[order]
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    n = np.bincount(ring_of, minlength=len(rings))
    last = np.cumsum(n) - 1
    keep = np.ones(len(coords), bool)
    keep[last[n > 0]] = False                      # closing point
    keep &= ~np.isnan(coords).any(axis=1)
    return coords[keep], ring_of[keep], part_plot[r_part], r_hole


def _ring_tables(ring_of: np.ndarray, n_rings: int):
    count = np.bincount(ring_of, minlength=n_rings)
    start = np.cumsum(count) - count
    pos = np.arange(len(ring_of)) - start[ring_of]
    return count, start, pos


def _next_prev(ring_of, count, start, pos):
    c = count[ring_of]
    nxt = start[ring_of] + (pos + 1) % c
    prv = start[ring_of] + (pos - 1) % c
    return nxt, prv


def _cluster(coords: np.ndarray, tol: float) -> np.ndarray:
    """Point id per coordinate: equal at QUANTUM, then merged when closer than tol."""
    if not len(coords):
        return np.zeros(0, np.int64)
    q = np.round((coords - coords.min(axis=0)) / QUANTUM).astype(np.int64)
    key = q[:, 0] * (1 << 31) + q[:, 1]
    uniq, first, inv = np.unique(key, return_index=True, return_inverse=True)
    label = np.arange(len(uniq))
    if tol > QUANTUM and len(uniq) > 1:
        pts = shapely.points(coords[first])
        a, b = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=tol)
        sel = a < b
        if sel.any():
            parent = list(range(len(uniq)))

            def root(i):
                while parent[i] != i:
                    parent[i] = parent[parent[i]]
                    i = parent[i]
                return i
            for i, j in zip(a[sel].tolist(), b[sel].tolist()):
                ri, rj = root(i), root(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
            label = np.array([root(i) for i in range(len(uniq))])
    return label[inv]


def build_boundary(keys: Sequence[str], polygons, labels: Optional[Sequence[str]] = None,
                   pointers: Optional[Sequence[str]] = None,
                   features: Sequence[Tuple[object, str, str]] = (), outside_label: str = "",
                   same_point_tol: float = 0.05, min_turn_deg: float = 0.0,
                   start_number: int = 1, with_lines: bool = True, jzdlx: str = "1",
                   jblx: str = "6", jzd_bsm_start: int = 1, jzx_bsm_start: int = 1,
                   jzxh_start: int = 1, fixed_points=None, fixed_names: Sequence[str] = (),
                   disputed=()) -> Boundary:
    """JZD/JZX rows and geometries, KJZB and 四至 of the plots.

    keys: DKBM per plot; polygons: shapely (Multi)Polygons (None/empty: no boundary);
    labels: how each plot is named by its neighbours (承包方 name …; default the DKBM);
    pointers: 指界人 per plot (PLDWZJR; default the label); features: (polygon, label,
    JZXLB) of other features (roads buffered by half their width, ponds …);
    fixed_points / fixed_names: (k, 2) coordinates and JZDH of points numbered before: a
    point within same_point_tol of one keeps its name (each name once), the others are
    numbered from start_number; disputed: pairs of keys whose shared lines are 争议界.
    """
    n = len(keys)
    keys = [str(k) for k in keys]
    labels = list(labels) if labels is not None else list(keys)
    pointers = list(pointers) if pointers is not None else list(labels)
    polys = np.asarray(polygons, dtype=object)
    ok = np.array([g is not None and not g.is_empty for g in polys], dtype=bool)
    rank_order = np.array(sorted(np.flatnonzero(ok).tolist(), key=lambda i: keys[i]),
                          dtype=np.int64)
    kjzb = [""] * n
    four = [("", "", "", "")] * n
    if not len(rank_order):
        return Boundary(kjzb, four, next_number=start_number)
    coords, ring_of, ring_plot_rank, ring_hole = _rings(polys[rank_order])
    ring_plot = rank_order[ring_plot_rank]                      # input index per ring
    n_rings = len(ring_plot)
    origin = coords.min(axis=0)
    local = coords - origin

    # orientation: exterior clockwise, holes counter-clockwise (plot on the right)
    count, start, pos = _ring_tables(ring_of, n_rings)
    nxt, _ = _next_prev(ring_of, count, start, pos)
    area2 = np.bincount(ring_of, local[:, 0] * local[nxt, 1] - local[nxt, 0] * local[:, 1],
                        minlength=n_rings)
    flip = np.where(ring_hole, area2 < 0, area2 > 0)
    src = np.where(flip[ring_of], start[ring_of] + count[ring_of] - 1 - pos, np.arange(len(pos)))
    coords, local = coords[src], local[src]

    pid = _cluster(coords, same_point_tol)
    # drop consecutive repeats of one point (exact duplicates, points merged by tol)
    for _ in range(3):
        count, start, pos = _ring_tables(ring_of, n_rings)
        _, prv = _next_prev(ring_of, count, start, pos)
        c = count[ring_of]
        dup = (c > 1) & (((pid == pid[prv]) & (pos > 0))
                         | ((pos == c - 1) & (pid == pid[start[ring_of]])))
        if not dup.any():
            break
        keep = ~dup
        coords, local, pid, ring_of = coords[keep], local[keep], pid[keep], ring_of[keep]
    count, start, pos = _ring_tables(ring_of, n_rings)
    nxt, prv = _next_prev(ring_of, count, start, pos)
    occ_plot = ring_plot[ring_of]
    n_pts = int(pid.max()) + 1 if len(pid) else 0

    # neighbours along each segment (occurrence k -> nxt[k])
    a, b = pid, pid[nxt]
    seg = np.minimum(a, b).astype(np.int64) * n_pts + np.maximum(a, b)
    _, seg_inv, seg_cnt = np.unique(seg, return_inverse=True, return_counts=True)
    by_seg = np.argsort(seg_inv, kind="stable")
    seg_start = np.cumsum(seg_cnt) - seg_cnt
    nb = np.full(len(pid), -1, dtype=np.int64)                   # neighbour plot (input idx)
    two = np.flatnonzero(seg_cnt == 2)
    o1, o2 = by_seg[seg_start[two]], by_seg[seg_start[two] + 1]
    nb[o1], nb[o2] = occ_plot[o2], occ_plot[o1]
    for g in np.flatnonzero(seg_cnt > 2).tolist():     # a stretch of three or more plots
        occ = by_seg[seg_start[g]:seg_start[g] + seg_cnt[g]].tolist()
        for k in occ:
            others = sorted({int(occ_plot[j]) for j in occ if occ_plot[j] != occ_plot[k]},
                            key=lambda i: keys[i])
            nb[k] = others[0] if others else -1
    nb[nb == occ_plot] = -1

    d = local[nxt] - local
    seg_len = np.hypot(d[:, 0], d[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = np.where(seg_len[:, None] > 0, np.c_[-d[:, 1], d[:, 0]] / seg_len[:, None], 0.0)
    feat = np.full(len(pid), -1, dtype=np.int64)                 # feature index
    loose = np.flatnonzero((nb < 0) & (seg_len > 0))
    if len(loose):
        probes = shapely.points(coords[loose] + d[loose] / 2 + normal[loose] * PROBE)
        tree = shapely.STRtree(polys[rank_order])
        pi, ti = tree.query(probes, predicate="intersects")
        hit = rank_order[ti]
        good = hit != occ_plot[loose[pi]]
        pi, hit = pi[good], hit[good]
        first = np.unique(pi, return_index=True)[1]
        nb[loose[pi[first]]] = hit[first]
        still = loose[nb[loose] < 0]
        if len(features) and len(still):
            fgeoms = np.array([f[0] for f in features], dtype=object)
            probes = shapely.points(coords[still] + d[still] / 2 + normal[still] * PROBE)
            pi, fi = shapely.STRtree(fgeoms).query(probes, predicate="intersects")
            order = np.lexsort((fi, pi))
            pi, fi = pi[order], fi[order]
            first = np.unique(pi, return_index=True)[1]
            feat[still[pi[first]]] = fi[first]
    # neighbour identity and label per segment
    ident = np.where(nb >= 0, nb, np.where(feat >= 0, -2 - feat, -1))
    label_list = labels + [f[1] for f in features] + [outside_label]
    n_lab = len(label_list)
    seg_label = np.where(nb >= 0, nb, np.where(feat >= 0, n + feat, n_lab - 1))

    # which points are 界址点
    din = local - local[prv]
    cross = din[:, 0] * d[:, 1] - din[:, 1] * d[:, 0]
    dot = (din * d).sum(axis=1)
    turn = np.degrees(np.abs(np.arctan2(cross, dot)))
    pair = np.unique(pid.astype(np.int64) * (n + 1) + occ_plot)
    n_plots = np.bincount(pair // (n + 1), minlength=n_pts)
    occ_keep = (turn >= min_turn_deg) | (ident != ident[prv])
    keep_pt = np.zeros(n_pts, bool)
    keep_pt[pid[occ_keep]] = True
    keep_pt[n_plots >= 3] = True
    for _ in range(4):
        kept = np.bincount(ring_of, keep_pt[pid], minlength=n_rings)
        short = np.flatnonzero(kept < np.minimum(4, count))
        if not len(short):
            break
        keep_pt[pid[np.isin(ring_of, short)]] = True
    occ_kept = keep_pt[pid]

    # walk: each ring from its kept point nearest the NW corner of the ring's bbox
    minx = np.full(n_rings, np.inf)
    maxy = np.full(n_rings, -np.inf)
    np.minimum.at(minx, ring_of, local[:, 0])
    np.maximum.at(maxy, ring_of, local[:, 1])
    dist = np.where(occ_kept, np.hypot(local[:, 0] - minx[ring_of], local[:, 1] - maxy[ring_of]),
                    np.inf)
    best = np.lexsort((pos, dist, ring_of))
    s_pos = np.zeros(n_rings, np.int64)
    firsts = best[np.r_[0, np.flatnonzero(np.diff(ring_of[best])) + 1]]
    s_pos[ring_of[firsts]] = pos[firsts]
    walk = start[ring_of] + (pos + s_pos[ring_of]) % count[ring_of]   # occurrence at walk slot
    walk_kept = walk[occ_kept[walk]]
    kept_pid = pid[walk_kept]
    uniq, first_at = np.unique(kept_pid, return_index=True)
    rank = np.empty(n_pts, np.int64)
    rank[uniq[np.argsort(first_at)]] = np.arange(len(uniq))
    names, n_new = _names(coords[walk_kept[np.sort(first_at)]], start_number, fixed_points,
                          fixed_names, same_point_tol)
    pt_name = np.empty(n_pts, dtype=object)
    pt_name[uniq] = names[rank[uniq]]

    # KJZB from the exterior rings
    ext = ~ring_hole[ring_of[walk_kept]]
    wk_plot = occ_plot[walk_kept][ext]
    wk_name = pt_name[kept_pid][ext]
    cut = np.flatnonzero(np.diff(wk_plot)) + 1
    for p, chunk in zip(wk_plot[np.r_[0, cut]].tolist() if len(wk_plot) else [],
                        np.split(wk_name, cut)):
        kjzb[p] = "/".join(chunk.tolist())

    four = _four(n, occ_plot, normal, seg_len, seg_label, label_list)
    result = Boundary(kjzb, four, next_number=start_number + n_new)
    if with_lines:
        _lines(result, keys, labels, pointers, features, coords, pid, ring_of, walk, occ_kept,
               occ_plot, nb, feat, uniq, first_at, walk_kept, pt_name, rank, n_plots,
               pair, n, outside_label, jzdlx, jblx, jzd_bsm_start, jzx_bsm_start, jzxh_start,
               {frozenset((str(a), str(b))) for a, b in disputed})
    return result


def _names(xy: np.ndarray, start_number: int, fixed_points, fixed_names, tol: float):
    """JZDH of the kept points in walking order: an earlier number within tol is kept (the
    nearest, each once, first come first served); the others get start_number, +1, …"""
    names = np.empty(len(xy), dtype=object)
    taken = np.zeros(len(xy), bool)
    if fixed_points is not None and len(fixed_names) and len(xy):
        fixed_points = np.asarray(fixed_points, dtype=float).reshape(-1, 2)
        tree = shapely.STRtree(shapely.points(fixed_points))
        a, b = tree.query(shapely.points(xy), predicate="dwithin", distance=tol)
        if len(a):
            d = np.hypot(*(xy[a] - fixed_points[b]).T)
            used = set()
            for i, j in zip(*(arr[np.lexsort((d, a))].tolist() for arr in (a, b))):
                name = str(fixed_names[j] or "").strip()
                if name and not taken[i] and name not in used:
                    names[i], taken[i] = name, True
                    used.add(name)
    new = np.flatnonzero(~taken)
    names[new] = ["J%d" % (start_number + k) for k in range(len(new))]
    return names, len(new)


def _four(n, occ_plot, normal, seg_len, seg_label, label_list):
    cos = normal @ _DIRS.T                                        # (segments, 4)
    s, dirn = np.nonzero(cos > _COS_60)
    w = seg_len[s] * cos[s, dirn]
    n_lab = len(label_list)
    key = (occ_plot[s] * 4 + dirn) * n_lab + seg_label[s]
    ukey, inv = np.unique(key, return_inverse=True)
    tot = np.bincount(inv, w)
    pd = ukey // n_lab
    order = np.lexsort((ukey % n_lab, -tot, pd))
    firsts = order[np.r_[0, np.flatnonzero(np.diff(pd[order])) + 1]] if len(order) else order
    out = [["", "", "", ""] for _ in range(n)]
    for k in firsts.tolist():
        lab = label_list[int(ukey[k] % n_lab)]
        out[int(pd[k] // 4)][int(pd[k] % 4)] = lab
    return [tuple(x) for x in out]


def _lines(res, keys, labels, pointers, features, coords, pid, ring_of, walk, occ_kept, occ_plot,
           nb, feat, uniq, first_at, walk_kept, pt_name, rank, n_plots, pair, n,
           outside_label, jzdlx, jblx, jzd_bsm, jzx_bsm, jzxh, disputed=frozenset()):
    # JZD: one per numbered point, at its first occurrence
    rep = walk_kept[first_at[np.argsort(rank[uniq])]]             # occurrence per number
    pts_sorted = uniq[np.argsort(rank[uniq])]
    pair_pid = pair // (n + 1)
    pair_plot = pair % (n + 1)
    plots_of = {}
    for p, q in zip(pair_pid.tolist(), pair_plot.tolist()):
        plots_of.setdefault(p, []).append(q)
    xy = np.round(coords[rep], 3)
    for i, (p, (x, y)) in enumerate(zip(pts_sorted.tolist(), xy.tolist())):
        res.jzd_rows.append({
            "BSM": jzd_bsm + i, "YSDM": "211021", "JZDH": pt_name[p], "JZDLX": jzdlx,
            "JBLX": jblx, "DKBM": "/".join(sorted(keys[q] for q in plots_of[p])),
            "XZBZ": y, "YZBZ": x})
    res.jzd_points = shapely.points(coords[rep])
    # JZX: stretches between consecutive kept occurrences along the walk
    lines = _stretches(walk, ring_of, occ_kept, pid, occ_plot, nb, feat)
    pid_l = pid.tolist()
    # all paths at once: their coordinates, lengths and geometries
    n_path = np.array([len(rec["path"]) for rec in lines], dtype=np.int64)
    path_occ = np.fromiter((o for rec in lines for o in rec["path"]), dtype=np.int64,
                           count=int(n_path.sum()))
    path_xy = coords[path_occ]
    line_of = np.repeat(np.arange(len(lines)), n_path)
    step = np.hypot(*np.diff(path_xy, axis=0).T) if len(path_xy) else np.zeros(0)
    step = np.where(line_of[1:] == line_of[:-1], step, 0.0)
    lengths = np.bincount(line_of[1:], step, minlength=len(lines)) if len(step) else \
        np.zeros(len(lines))
    for k, rec in enumerate(lines):
        plots = [rec["plots"][0]] + sorted(rec["plots"][1:], key=lambda q: keys[q])
        others = plots[1:] or ([rec["nb"]] if rec["nb"] >= 0 else [])
        if others:
            qlr = "/".join(labels[q] for q in others)
            zjr = "/".join(pointers[q] for q in others)
            lb = "01"
        elif rec["feat"] >= 0:
            f = features[rec["feat"]]
            qlr = zjr = f[1]
            lb = f[2] if len(f) > 2 and f[2] else "99"
        else:
            qlr = zjr = outside_label
            lb = "99"
        length = float(lengths[k])
        jxxz = "600001"
        if disputed and len(plots) > 1 and any(
                frozenset((keys[p], keys[q])) in disputed for p in plots for q in plots if p != q):
            jxxz = "600003"
        res.jzx_rows.append({
            "BSM": jzx_bsm + k, "YSDM": "211031", "JXXZ": jxxz, "JZXLB": lb,
            "JZXWZ": "2" if len(plots) > 1 else "1", "JZXSM": "%.2f" % length,
            "PLDWQLR": qlr, "PLDWZJR": zjr, "JZXH": str(jzxh + k),
            "QJZDH": pt_name[pid_l[rec["path"][0]]], "ZJZDH": pt_name[pid_l[rec["path"][-1]]],
            "DKBM": "/".join(keys[q] for q in plots)})
    res.jzx_lines = shapely.multilinestrings(
        shapely.linestrings(path_xy, indices=line_of), indices=np.arange(len(lines))) \
        if len(lines) else np.array([], dtype=object)


def _stretches(walk, ring_of, occ_kept, pid, occ_plot, nb, feat) -> List[dict]:
    """One record per distinct stretch between consecutive kept occurrences of a ring walk,
    in order of first appearance: plots (first walker first), path (occurrences), nb, feat.

    A stretch walked by several plots (both sides of a shared boundary) is the same stretch:
    same end points and the same points between them. Vectorised: each ring's walk starts
    at a kept point, so a stretch runs from one kept slot to the next, and the last one of
    a ring wraps to the ring's first slot."""
    ring_w = ring_of[walk]
    kept_slots = np.flatnonzero(occ_kept[walk])
    if not len(kept_slots):
        return []
    ring_first = np.r_[0, np.flatnonzero(np.diff(ring_w)) + 1]
    ring_end = np.r_[ring_first[1:], len(walk)]
    slot_ring = np.searchsorted(ring_first, np.arange(len(walk)), side="right") - 1
    k_ring = slot_ring[kept_slots]
    same = np.r_[k_ring[1:] == k_ring[:-1], False]
    nxt = np.where(same, np.r_[kept_slots[1:], 0], ring_end[k_ring])     # ring_end: wraps
    length = nxt - kept_slots + 1                                        # slots on the path
    rep = np.repeat(np.arange(len(kept_slots)), length)
    slot = kept_slots[rep] + (np.arange(len(rep)) - np.repeat(np.cumsum(length) - length, length))
    slot = np.where(slot == ring_end[k_ring][rep], ring_first[k_ring][rep], slot)
    occ = walk[slot]
    first_occ = occ[np.cumsum(length) - length]
    last_occ = occ[np.cumsum(length) - 1]
    pa, pb = pid[first_occ], pid[last_occ]
    skip = (pa == pb) & (length <= 2)
    lo, hi = np.minimum(pa, pb).astype(np.int64), np.maximum(pa, pb).astype(np.int64)
    starts = np.cumsum(length) - length
    # group ids: plain stretches (no point between the ends) by (lo, hi); the others by
    # (lo, hi, set of the points between), in Python, only for them
    gid = np.full(len(kept_slots), -1, dtype=np.int64)
    plain = ~skip & (length == 2)
    if plain.any():
        code = lo[plain] * (int(pid.max()) + 1) + hi[plain]
        _, inv = np.unique(code, return_inverse=True)
        gid[plain] = inv
    base = int(gid.max()) + 1
    inner = {}
    occ_l, pid_l = occ.tolist(), pid.tolist()
    for t in np.flatnonzero(~skip & (length > 2)).tolist():
        s0 = int(starts[t])
        key = (int(lo[t]), int(hi[t]), frozenset(pid_l[o] for o in occ_l[s0 + 1:s0 + int(length[t]) - 1]))
        gid[t] = inner.setdefault(key, base + len(inner))
    use = np.flatnonzero(~skip)
    order = np.argsort(gid[use], kind="stable")
    g_sorted = gid[use][order]
    t_sorted = use[order]
    bounds = np.r_[0, np.flatnonzero(np.diff(g_sorted)) + 1, len(g_sorted)]
    plot_first = occ_plot[first_occ]
    recs = []
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        ts = t_sorted[a:b].tolist()
        t0 = ts[0]
        plots = []
        for t in ts:
            q = int(plot_first[t])
            if q not in plots:
                plots.append(q)
        s0 = int(starts[t0])
        o0 = int(first_occ[t0])
        recs.append((t0, {"plots": plots, "path": occ_l[s0:s0 + int(length[t0])],
                          "nb": int(nb[o0]), "feat": int(feat[o0])}))
    recs.sort(key=lambda x: x[0])
    return [r for _, r in recs]
