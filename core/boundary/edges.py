"""Plot boundaries as oriented edges with outward normals, and shared edges.

Every ring is walked with its plot on the right (exterior clockwise, holes
counter-clockwise), so the left normal of each edge points away from the plot:
the direction in which its neighbour lies. Vectorised over all plots at once.
"""
from dataclasses import dataclass

import numpy as np
import shapely

from ..boundary_points import part_rings

SHARED_QUANTUM = 0.001      # m: edges whose end points agree at this grid are one edge


@dataclass
class Edges:
    plot: np.ndarray        # input index of the plot
    p0: np.ndarray          # (n, 2) start, in walking order
    p1: np.ndarray          # (n, 2) end
    length: np.ndarray
    normal: np.ndarray      # (n, 2) unit outward normal (0 for zero-length edges)

    def __len__(self):
        return len(self.plot)

    def take(self, sel) -> "Edges":
        return Edges(self.plot[sel], self.p0[sel], self.p1[sel], self.length[sel], self.normal[sel])


def plot_edges(polys: np.ndarray, only=None) -> Edges:
    """Edges of the plots (None entries have none); only: indices of the plots wanted."""
    polys = np.asarray(polys, dtype=object)
    idx = np.arange(len(polys)) if only is None else np.asarray(only, dtype=np.int64)
    have = np.array([polys[i] is not None for i in idx], dtype=bool)
    idx = idx[have]
    if not len(idx):
        z = np.zeros((0, 2))
        return Edges(np.zeros(0, np.int64), z, z, np.zeros(0), z)
    parts, part_of = shapely.get_parts(polys[idx], return_index=True)
    rings, ring_part, ring_hole, _ = part_rings(parts)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    k = np.flatnonzero(same)
    p0, p1 = coords[k], coords[k + 1]
    er = ring_of[k]
    # signed area per ring (shoelace about a local origin for precision)
    origin = coords.min(axis=0) if len(coords) else np.zeros(2)
    a, b = p0 - origin, p1 - origin
    area2 = np.bincount(er, a[:, 0] * b[:, 1] - b[:, 0] * a[:, 1], minlength=len(rings))
    # exterior must be clockwise (negative area), holes counter-clockwise (positive)
    flip = np.where(ring_hole, area2 < 0, area2 > 0)[er]
    p0, p1 = np.where(flip[:, None], p1, p0), np.where(flip[:, None], p0, p1)
    d = p1 - p0
    length = np.hypot(d[:, 0], d[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = np.where(length[:, None] > 0, np.c_[-d[:, 1], d[:, 0]] / length[:, None], 0.0)
    plot = idx[part_of[ring_part[er]]]
    return Edges(plot, p0, p1, length, normal)


def shared_neighbour(edges: Edges, rank: np.ndarray, quantum: float = SHARED_QUANTUM) -> np.ndarray:
    """Per edge, the other plot having the same edge (end points equal at quantum), or -1.

    rank: sort rank of each plot (e.g. by DKBM); where three or more plots have one
    edge (overlapping duplicates) the lowest-ranked other plot is taken.
    """
    n = len(edges)
    out = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return out
    origin = np.minimum(edges.p0.min(axis=0), edges.p1.min(axis=0))
    q0 = np.round((edges.p0 - origin) / quantum).astype(np.int64)
    q1 = np.round((edges.p1 - origin) / quantum).astype(np.int64)
    swap = (q0[:, 0] > q1[:, 0]) | ((q0[:, 0] == q1[:, 0]) & (q0[:, 1] > q1[:, 1]))
    a = np.where(swap[:, None], q1, q0)
    b = np.where(swap[:, None], q0, q1)
    r = rank[edges.plot]
    order = np.lexsort((r, b[:, 1], b[:, 0], a[:, 1], a[:, 0]))
    ka = np.c_[a, b][order]
    new = np.r_[True, (ka[1:] != ka[:-1]).any(axis=1)]
    gid = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    size = np.diff(np.r_[first, n])
    plot_sorted = edges.plot[order]
    g = gid
    f = first[g]
    has2 = size[g] >= 2
    second = np.where(has2, f + 1, f)
    p_first, p_second = plot_sorted[f], plot_sorted[second]
    me = plot_sorted
    nb = np.where(me == p_first, np.where(has2, p_second, -1), p_first)
    nb = np.where(nb == me, -1, nb)
    out[order] = nb
    return out
