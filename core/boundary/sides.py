"""四至 geometry: what lies east, south, west and north of each plot.

Each plot's boundary is cut into edges, each edge classed by its outward normal
into the 东/南/西/北 sector (90° each, centred on the axes). Along an edge shared
with another plot the neighbour is that plot. Along the other edges probes are
cast outwards from points at most ``step`` apart, up to ``search_distance``: the
first plot or feature hit is the neighbour there, so a 4 m road between two plots
is their neighbour, not the plot across it; a plot touching the edge (within
``touch``) always wins. Per direction the neighbour with the longest boundary
length is chosen. Plots touching only at a corner share no edge and no probe
reaches them, so they are not neighbours.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np
import shapely

from .edges import plot_edges, shared_neighbour
from .rays import Targets, first_hits

DIRECTIONS = ("东", "南", "西", "北")
START = 0.001          # m: probes start just outside the edge
TOUCH = 0.05           # m: a plot this close touches the edge (same point tolerance)
_PLOT_PENALTY = 0.002  # at equal distance a feature lies between, so it wins over the plot
_NOTHING = -2          # probe result: nothing within the search distance (-1: blocked by the own plot)


@dataclass
class Sides:
    """Per plot (input order): the chosen label per direction ('' = undetermined) and its
    boundary length in m; only the target plots are filled."""
    labels: List[tuple]
    lengths: np.ndarray     # (plots, 4)

    def determined(self, i: int) -> int:
        return sum(1 for v in self.labels[i] if v)


def sector(normal: np.ndarray) -> np.ndarray:
    """0 东, 1 南, 2 西, 3 北 by the angle of the outward normal; boundaries at ±45°, ±135°
    go to 东/西 (east-west first, deterministic)."""
    ang = np.degrees(np.arctan2(normal[:, 1], normal[:, 0]))
    out = np.full(len(ang), 2, dtype=np.int64)              # 西 (|angle| > 135)
    out[(ang >= -45) & (ang <= 45)] = 0
    out[(ang > 45) & (ang < 135)] = 3
    out[(ang < -45) & (ang > -135)] = 1
    return out


def compute_sides(polys, labels: Sequence[str], features=None, search_distance: float = 5.0,
                  step: float = 5.0, targets: Optional[Sequence[int]] = None,
                  rank: Optional[np.ndarray] = None, check=None, outside_label: str = "") -> Sides:
    """四至 of the target plots (default all) among polys (the others are context).

    labels: how each plot is named; features: data.Features (or None); rank: sort rank
    of each plot for ties (default input order); check: called now and then (cancel);
    outside_label: name of what lies where nothing is found within the search distance
    (e.g. 山林 at the township's edge), competing by length like a neighbour; '' = nothing.
    """
    polys = np.asarray(polys, dtype=object)
    n = len(polys)
    rank = np.arange(n) if rank is None else np.asarray(rank)
    targets = np.arange(n) if targets is None else np.asarray(targets, dtype=np.int64)
    # edges of the targets and of everything touching them (to find shared edges)
    edges = plot_edges(polys, targets)
    keep = edges.length > 0
    edges = edges.take(keep)
    ctx = _context_edges(polys, targets, n)
    if len(ctx):
        both = plot_edges(polys, np.union1d(targets, ctx))
        both = both.take(both.length > 0)
        nb_all = shared_neighbour(both, rank)
        is_target = np.zeros(n, bool)
        is_target[targets] = True
        sel = is_target[both.plot]
        edges, nb = both.take(sel), nb_all[sel]
    else:
        nb = shared_neighbour(edges, rank)
    if check:
        check()
    feat_labels = list(features.labels) if features is not None and len(features) else []
    names, lab_id = np.unique(np.array(list(labels) + feat_labels + [outside_label or ""],
                                       dtype=object).astype(str), return_inverse=True)
    plot_lab, feat_lab = lab_id[:n], lab_id[n:n + len(feat_labels)]
    outside = int(lab_id[-1]) if outside_label else -1
    # shared edges: the neighbour plot's label over the whole edge
    s_sec = sector(edges.normal)
    rows = [np.c_[edges.plot[nb >= 0], s_sec[nb >= 0], plot_lab[nb[nb >= 0]]]]
    weights = [edges.length[nb >= 0]]
    loose = edges.take(nb < 0)
    if len(loose):
        hit_lab, piece_plot, piece_len, piece_sec = _probe(
            polys, loose, plot_lab, features, feat_lab, search_distance, step, check)
        if outside >= 0:
            hit_lab = np.where(hit_lab == _NOTHING, outside, hit_lab)
        ok = hit_lab >= 0
        rows.append(np.c_[piece_plot[ok], piece_sec[ok], hit_lab[ok]])
        weights.append(piece_len[ok])
    rows = np.concatenate(rows).astype(np.int64)
    weights = np.concatenate(weights)
    return _choose(n, targets, rows, weights, names)


def _context_edges(polys, targets, n):
    """Plots (not targets) whose envelope meets a target's: their edges are needed to see
    which target edges are shared. Empty when every plot is a target."""
    if len(targets) == n:
        return np.zeros(0, np.int64)
    tree = shapely.STRtree(polys)
    _, hit = tree.query(polys[targets], predicate="intersects")
    return np.setdiff1d(np.unique(hit), targets)


def _pieces(edges, step):
    """Cut edges into pieces of at most step: midpoints, lengths, normals, plots."""
    k = np.maximum(1, np.ceil(edges.length / step)).astype(np.int64)
    e = np.repeat(np.arange(len(edges)), k)
    j = np.arange(len(e)) - np.repeat(np.cumsum(k) - k, k)
    t = (j + 0.5) / k[e]
    mid = edges.p0[e] + (edges.p1[e] - edges.p0[e]) * t[:, None]
    return mid, (edges.length / k)[e], edges.normal[e], edges.plot[e]


def _probe(polys, loose, plot_lab, features, feat_lab, dist, step, check):
    mid, plen, normal, pplot = _pieces(loose, step)
    start = mid + normal * START
    m = len(start)
    cand_ray, cand_score, cand_lab = [], [], []
    # plots (the own plot too: a concave plot can block its own probe)
    ri, pi, d = first_hits(Targets(polys), start, normal, dist)
    if len(ri):
        own = pi == pplot[ri]
        score = np.where(~own & (d <= TOUCH), -1.0 + d, d + _PLOT_PENALTY)
        cand_ray.append(ri)
        cand_score.append(score)
        cand_lab.append(np.where(own, -1, plot_lab[pi]))
    if check:
        check()
    if features is not None and len(features):
        areas = features.areal()
        ok = np.array([g is not None and not g.is_empty for g in areas], dtype=bool)
        if ok.any():
            fidx = np.flatnonzero(ok)
            ri, fi, d = first_hits(Targets(areas[fidx]), start, normal, dist)
            if len(ri):
                cand_ray.append(ri)
                cand_score.append(d)
                cand_lab.append(feat_lab[fidx[fi]])
    hit = np.full(m, _NOTHING, dtype=np.int64)
    if cand_ray:
        r = np.concatenate(cand_ray)
        s = np.concatenate(cand_score)
        lab = np.concatenate(cand_lab)
        order = np.lexsort((lab, s, r))
        first = order[np.r_[True, r[order][1:] != r[order][:-1]]]
        hit[r[first]] = lab[first]
    return hit, pplot, plen, sector(normal)


def _choose(n, targets, rows, weights, names) -> Sides:
    labels = [("", "", "", "")] * n
    lengths = np.zeros((n, 4))
    if len(rows):
        n_lab = len(names)
        key = (rows[:, 0] * 4 + rows[:, 1]) * n_lab + rows[:, 2]
        ukey, inv = np.unique(key, return_inverse=True)
        tot = np.bincount(inv, weights)
        pd = ukey // n_lab
        lab = ukey % n_lab
        # longest first; equal lengths (within 1 mm) by label, for reproducible results
        order = np.lexsort((names[lab], -np.round(tot, 3), pd))
        firsts = order[np.r_[True, pd[order][1:] != pd[order][:-1]]]
        out = {}
        for k in firsts.tolist():
            p, dirn = divmod(int(pd[k]), 4)
            out.setdefault(p, ["", "", "", ""])[dirn] = str(names[lab[k]])
            lengths[p, dirn] = tot[k]
        for p, v in out.items():
            labels[p] = tuple(v)
    is_t = np.zeros(n, bool)
    is_t[targets] = True
    labels = [lab if is_t[i] else ("", "", "", "") for i, lab in enumerate(labels)]
    return Sides(labels, lengths)
