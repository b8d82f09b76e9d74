"""The plots as a coverage: which edges are shared, and the faces of the others.

With every ring oriented so that its plot lies on the left, an edge shared by two
neighbours appears exactly twice, in opposite directions, from two plots. Such a
matched edge has one plot on each side, so the number of plots covering a point
(the coverage count) does not change across it. Only the unmatched edges (the
outline, slivers, overlaps, T-junctions, duplicates) can change the count: noded
together with the extent boundary and polygonised they give faces with a
constant coverage count. One point per face then tells

  count 0 inside the extent  → the uncovered area U (gaps and holes, exactly),
  count ≥ 2                  → where overlaps can be (the overlap candidates).

For a clean township the unmatched edges are a few per cent of all edges, so
this replaces the union of all plots (the slow step of a gap check) and the
pairwise overlap test. Data where most edges are unmatched (nothing snapped)
use the general path instead (coverage union / overlay, all plots as overlap
candidates).
"""
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.errors import GEOSException

from .geomops import fast_union, polygonal_array
from .layers import own_region_codes, regions
from .common import params
from .vertex_index import (cyclic_neighbours, exact_locations, near_pairs, ring_vertices,
                           unique_locations)

MAX_UNMATCHED_SHARE = 0.4        # edge matching's pair search (overlap_candidate_pairs)
# The faces of the unmatched edges beat the union of all plots even when most edges are
# unmatched (T-junctions everywhere: 100k plots 14 s against 58 s; every plot shifted:
# 12 s against 16 s), so the union is only the fallback when noding fails.
ARRANGEMENT_MAX_UNMATCHED = 1.0


@dataclass
class Arrangement:
    uncovered: np.ndarray        # polygons: parts of extent − ∪plots (before masks)
    open_plots: np.ndarray       # TopoPlots positions that may overlap another plot
                                 # (those meeting a face covered twice or more)
    general: bool                # True when the general (overlay) path was used
    unmatched: int = 0
    edges: int = 0


def build_extent(ctx, tp):
    """Union of the CJQY of the villages checked; plots in no CJQY add the convex
    hull of their vertices (the whole extent without CJQY)."""
    def factory():
        cjqy = regions(ctx, "CJQY")
        own = own_region_codes(tp.keys, list(cjqy)) if cjqy else [""] * len(tp)
        used = sorted({c for c in own if c})
        pieces = [cjqy[c] for c in used]
        loose = [k for k, c in enumerate(own) if not c]
        if loose:
            pts = shapely.multipoints(shapely.get_coordinates(tp.geoms[loose]))
            pieces.append(shapely.convex_hull(pts))
        if not pieces:
            return shapely.Polygon()
        if len(pieces) == 1:     # a copy: the extent gets prepared, the region may be in
            return shapely.transform(pieces[0], lambda xy: xy)   # use in another thread
        return shapely.union_all(pieces)
    return ctx.cached("topo:extent", factory)


def tolerance_clusters(loc: np.ndarray, tol: float):
    """Location ids merged where locations lie within tol (the XY tolerance: one point,
    checks.md §2): per location the smallest id of its cluster; None when no two are
    that close (the usual case: identical copies are one location already)."""
    if len(loc) < 2 or tol <= 0:
        return None
    i, j, _ = near_pairs(loc, tol)
    if not len(i):
        return None
    lab = np.arange(len(loc))
    while True:                    # min-label propagation with pointer jumping
        m = np.minimum(lab[i], lab[j])
        new = lab.copy()
        np.minimum.at(new, i, m)
        np.minimum.at(new, j, m)
        new = new[new]
        if np.array_equal(new, lab):
            return lab
        lab = new


def tolerance_clusters_of(ctx, vt):
    """tolerance_clusters of the run's vertex locations (cached: the coverage and T16
    use them)."""
    return ctx.cached("topo:clusters", lambda: tolerance_clusters(vt.loc, params(ctx)["xy"]))


def edge_twins(rv, loc, inv):
    """Unmatched edges as unique location-id pairs (lo, hi), and (unmatched, total)."""
    _, nxt = cyclic_neighbours(rv)
    a, b = inv, inv[nxt]
    flip = ~rv.interior_left[rv.ring]              # orient every ring plot-on-the-left
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    ok = a != b                                     # zero-length edges carry nothing
    a, b, plot = a[ok], b[ok], rv.plot[ok]
    n_loc = max(len(loc), 1)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = lo.astype(np.int64) * n_loc + hi
    order = np.argsort(key, kind="stable")
    ks, fwd, pl = key[order], (a < b)[order], plot[order]
    first = np.r_[True, ks[1:] != ks[:-1]] if len(ks) else np.zeros(0, dtype=bool)
    gid = np.cumsum(first) - 1
    size = np.bincount(gid) if len(gid) else np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(first)
    matched = np.zeros(len(size), dtype=bool)
    two = np.flatnonzero(size == 2)
    i0 = starts[two]
    matched[two] = (fwd[i0] != fwd[i0 + 1]) & (pl[i0] != pl[i0 + 1])
    un = ~matched[gid]
    uk = np.unique(ks[un])
    return uk // n_loc, uk % n_loc, int(un.sum()), len(ks)


def chain_lines(loc, lo, hi):
    """The segments (location ids lo–hi) joined into lines through every location
    where exactly two of them meet: noding and polygonising work per line, so a
    few thousand chains are far cheaper than a hundred thousand segments."""
    m = len(lo)
    if not m:
        return np.empty(0, dtype=object)
    ends = np.concatenate([lo, hi])            # half h: segment h % m entered at ends[h]
    deg = np.bincount(ends, minlength=len(loc))
    order = np.argsort(ends, kind="stable")
    se = ends[order]
    first = np.r_[True, se[1:] != se[:-1]]
    pair = np.flatnonzero(first & (deg[se] == 2))
    partner = np.full(2 * m, -1, dtype=np.int64)
    partner[order[pair]] = order[pair + 1]
    partner[order[pair + 1]] = order[pair]
    other = np.r_[np.arange(m, 2 * m), np.arange(m)]
    succ = partner[other].tolist()             # entering half -> next entering half
    other_l, ends_l = other.tolist(), ends.tolist()
    seen = bytearray(m)
    ids, which = [], []
    chain = 0
    starts = np.flatnonzero(deg[ends] != 2).tolist()
    for pass_starts in (starts, range(m)):    # open chains first, then closed rings
        for h in pass_starts:
            if seen[h % m]:
                continue
            ids.append(ends_l[h])
            which.append(chain)
            cur = h
            while True:
                seen[cur % m] = 1
                ids.append(ends_l[other_l[cur]])
                which.append(chain)
                cur = succ[cur]
                if cur < 0 or seen[cur % m]:
                    break
            chain += 1
    return shapely.linestrings(loc[np.array(ids)], indices=np.array(which))


def polygon_faces(lines, extra=()):
    """Faces of the noded lines (plus extra linework such as the extent boundary)."""
    arr = np.empty(len(lines) + len(extra), dtype=object)
    arr[:] = list(lines) + list(extra)
    arr = arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)]
    if not len(arr):
        return np.empty(0, dtype=object)
    noded = shapely.union_all(arr)
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))


def face_counts(tree, points):
    """(count, ambiguous) per test point: polygons covering it, from interior and
    closure hits. A point on matched edges of one tiling lies in the closure of the
    polygons meeting there, which together count once; several tilings meeting
    exactly at the point cannot be told apart and are flagged ambiguous."""
    n = len(points)
    i2, j2 = tree.query(points, predicate="intersects")
    inside = shapely.within(points[i2], tree.geometries[j2]) if len(i2) else np.zeros(0, bool)
    c2 = np.bincount(i2, minlength=n)
    c1 = np.bincount(i2[inside], minlength=n)
    extra = c2 - c1
    return c1 + (extra > 0), ~np.isin(extra, (0, 2))


def shared_faces(tree, faces):
    """Groups of polygons (tree positions) meeting a face covered twice or more."""
    if not len(faces):
        return []
    count, ambiguous = face_counts(tree, shapely.point_on_surface(faces))
    multi = np.flatnonzero((count >= 2) | ambiguous)
    if not len(multi):
        return []
    fi, gi = tree.query(faces[multi], predicate="intersects")
    return [gi[fi == f] for f in np.unique(fi)]


def overlap_candidate_pairs(geoms, max_unmatched=MAX_UNMATCHED_SHARE):
    """Pairs (i < j) of polygons that may overlap: both meet one multiply covered face
    of their unmatched edges; all intersecting pairs when more than max_unmatched of
    the edges are unmatched (noding them all would cost more than the pairs)."""
    geoms = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(geoms)
    rv = ring_vertices(geoms)
    loc, inv = unique_locations(rv.xy)
    lo, hi, n_un, n_all = edge_twins(rv, loc, inv)
    if n_all and n_un > max_unmatched * n_all:
        a, b = tree.query(geoms, predicate="intersects")
        keep = a < b
        return np.stack([a[keep], b[keep]], axis=1)
    out = set()
    for group in shared_faces(tree, polygon_faces(chain_lines(loc, lo, hi))):
        g = sorted(set(group.tolist()))
        out.update((g[i], g[j]) for i in range(len(g)) for j in range(i + 1, len(g)))
    return np.array(sorted(out), dtype=np.int64).reshape(-1, 2)


def build_arrangement(ctx, tp, vt, extent, check=None, cut_lines=()) -> Arrangement:
    """cut_lines (layers.strip_cuts) only subdivide faces: each road mask then meets
    small faces it covers alone, instead of one road-network face meeting every
    road buffer of the township (coverage counts are unchanged by them)."""
    if not len(tp):
        return Arrangement(np.empty(0, dtype=object), np.zeros(0, dtype=np.int64), False)
    # neighbours' common points a few 0.1 mm apart are one point: their edges are twins
    # and the cracks between them no face (a crack would join a sliver to a road)
    canon = tolerance_clusters_of(ctx, vt) if ctx is not None else None
    inv = vt.inv if canon is None else canon[vt.inv]
    lo, hi, n_un, n_all = edge_twins(vt.rv, vt.loc, inv)
    has_extent = extent is not None and not extent.is_empty
    faces = None
    if not (n_all and n_un > ARRANGEMENT_MAX_UNMATCHED * n_all):
        try:
            faces = polygon_faces(chain_lines(vt.loc, lo, hi),
                                  ([shapely.boundary(extent)] if has_extent else [])
                                  + list(cut_lines))
        except GEOSException:
            faces = None
    if faces is None:
        geoms = tp.geoms if canon is None else snapped(tp.geoms, vt.loc, canon)
        return _general(tp, geoms, extent, n_un, n_all, check)
    if check:
        check()
    if not len(faces):
        return Arrangement(np.empty(0, dtype=object), np.zeros(0, dtype=np.int64), False,
                           n_un, n_all)
    pts = shapely.point_on_surface(faces)
    count, ambiguous = face_counts(tp.tree, pts)
    inside = np.ones(len(faces), dtype=bool)
    if has_extent:
        shapely.prepare(extent)
        inside = shapely.intersects(extent, pts)
    uncovered = faces[(count == 0) & inside & ~ambiguous]
    # overlapping interiors are covered at least twice, so they lie in these faces
    multi = faces[(count >= 2) | ambiguous]
    open_plots = np.zeros(0, dtype=np.int64)
    if len(multi):
        _, hit = tp.tree.query(multi, predicate="intersects")
        open_plots = np.unique(hit)
    return Arrangement(uncovered, open_plots, False, n_un, n_all)


def snapped(geoms, loc, canon) -> np.ndarray:
    """Copies of the plots with every vertex moved to its cluster's location (≤ the XY
    tolerance); a copy made invalid by the move is repaired."""
    coords = shapely.get_coordinates(geoms)
    at = exact_locations(loc, coords)
    new = np.where((at >= 0)[:, None], loc[canon[np.maximum(at, 0)]], coords)
    out = shapely.set_coordinates(np.array(geoms, dtype=object, copy=True), new)
    bad = np.flatnonzero(~shapely.is_valid(out))
    if len(bad):
        out[bad] = polygonal_array(shapely.make_valid(out[bad]))
    return out


def _general(tp, geoms, extent, n_un, n_all, check):
    union = fast_union(geoms, check=check)
    u = shapely.difference(extent, union) if extent is not None else shapely.Polygon()
    parts = shapely.get_parts(u) if u is not None and not u.is_empty else np.empty(0, dtype=object)
    return Arrangement(parts, np.arange(len(tp)), True, n_un, n_all)


def arrangement(ctx, tp):
    """The cached arrangement of the plots (needs the vertex tables and the extent)."""
    from .layers import strip_cuts
    from .vertices import vertex_tables
    return ctx.cached("topo:arrangement", lambda: build_arrangement(
        ctx, tp, vertex_tables(ctx, tp), build_extent(ctx, tp), ctx.feedback.check,
        strip_cuts(ctx, params(ctx)["gap_width"])))
