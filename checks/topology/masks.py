"""Uncovered area minus the allowed-feature masks (MZDW, buffered XZDW, user layers).

Most uncovered faces meet a handful of masks and are cut directly; a face lying
inside one mask grown by EPS is skipped at once. A road-network face can meet
thousands of overlapping road buffers, whose union is the slow part: it is
halved recursively until each piece meets few masks, each piece is cut by the
union of its own masks (pieces in worker threads), and the leftovers that touch
a cut line are united again, so the parts returned are exactly the connected
parts of face − masks.
"""
import numpy as np
import shapely

from .geomops import chunked_pairs, difference, parallel_map, polygonal, settle

LEAF_MASKS = 120      # masks per piece below which a piece is cut directly
EPS = 0.00049         # < half the 0.001 m topology tolerance
CLIP_MARGIN = 1.0


def grown_masks(masks, used=None) -> np.ndarray:
    """The masks grown by EPS (for the 'face inside one mask' test); only those at the
    positions `used` when given (None elsewhere)."""
    marr = np.asarray(masks, dtype=object)
    grown = np.empty(len(marr), dtype=object)
    pick = slice(None) if used is None else used
    if len(marr):
        grown[pick] = shapely.buffer(marr[pick], EPS, quad_segs=2)
        settle(grown[pick])       # made in the worker, read by two threads later
    return grown


def subtract_masks(faces, masks, grown=None) -> np.ndarray:
    """Connected polygonal parts of (∪ faces) − (∪ masks), face by face (grown: the
    masks' grown_masks when made ahead)."""
    faces = np.asarray(faces, dtype=object)
    if not len(faces) or not len(masks):
        return faces
    marr = np.asarray(masks, dtype=object)
    tree = shapely.STRtree(marr)
    fi, mi = tree.query(faces)          # envelopes; exact below where it pays
    cnt = np.bincount(fi, minlength=len(faces))
    few = cnt[fi] <= LEAF_MASKS
    if few.any():
        hit = np.ones(len(fi), dtype=bool)
        hit[few] = shapely.intersects(faces[fi[few]], marr[mi[few]])
        fi, mi = fi[hit], mi[hit]
        cnt = np.bincount(fi, minlength=len(faces))
    out = list(faces[cnt == 0])
    # A face inside one mask grown by EPS can only leave parts narrower than
    # 2·EPS < 0.001 m (coincident boundaries, never reported): skip it. This
    # is the common case (ponds mapped in MZDW, ditches exactly as wide as KD)
    # and spares the overlay of coincident boundaries, its slowest input.
    few = cnt[fi] <= LEAF_MASKS
    if few.any():
        if grown is None:
            grown = grown_masks(marr, np.unique(mi[few]))
        inside = chunked_pairs(shapely.covered_by, faces[fi[few]], grown[mi[few]])
        done = np.unique(fi[few][inside])
        keep = ~np.isin(fi, done)
        fi, mi = fi[keep], mi[keep]
    order = np.argsort(fi, kind="stable")
    fi, mi = fi[order], mi[order]
    bounds = np.flatnonzero(np.diff(fi)) + 1
    # independent pieces: (piece, its masks, its rectangle, the face's bounds or None)
    tasks = []
    for f_group, m_group in zip(np.split(fi, bounds), np.split(mi, bounds)):
        if not len(f_group):
            continue
        face = faces[f_group[0]]
        if len(m_group) <= LEAF_MASKS:
            tasks.append((face, marr[m_group], None, None))
        else:
            tasks.extend(_split(face, marr[m_group]))
    results = parallel_map(lambda t: _cut(t[0], t[1]), tasks)
    stitch = {}
    for (_, _, rect, root), parts in zip(tasks, results):
        if root is None or not parts:
            out.extend(parts)
            continue
        cut = _on_cut(np.asarray(parts, dtype=object), rect, root)
        stitch.setdefault(root, []).extend(p for p, c in zip(parts, cut.tolist()) if c)
        out.extend(p for p, c in zip(parts, cut.tolist()) if not c)
    for root in sorted(stitch):              # leftovers cut apart by a split: join again
        merged = polygonal(shapely.union_all(np.asarray(stitch[root], dtype=object)))
        if merged is not None:
            out.extend(shapely.get_parts(merged))
    arr = np.empty(len(out), dtype=object)
    arr[:] = out
    return arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)]


def _split(face, masks):
    """A face meeting many masks halved recursively until each piece meets few:
    [(piece, masks, rectangle, face bounds)]."""
    root = tuple(shapely.bounds(face))
    leaves = []
    stack = [(face, masks, root)]
    while stack:
        piece, ms, rect = stack.pop()
        if len(ms) <= LEAF_MASKS or max(rect[2] - rect[0], rect[3] - rect[1]) < 1.0:
            leaves.append((piece, ms, rect, root))
            continue
        x0, y0, x1, y1 = rect
        if x1 - x0 >= y1 - y0:
            xm = (x0 + x1) / 2.0
            halves = [(x0, y0, xm, y1), (xm, y0, x1, y1)]
        else:
            ym = (y0 + y1) / 2.0
            halves = [(x0, y0, x1, ym), (x0, ym, x1, y1)]
        for h in halves:
            sub = _clip(piece, h)
            if sub is not None:
                stack.append((sub, ms[shapely.intersects(ms, shapely.box(*h))], h))
    return leaves


def _cut(piece, masks):
    """Parts of piece − ∪masks (masks: those whose envelope meets the piece)."""
    if not piece.is_valid:         # a rectangle clip can leave a self-touching ring
        piece = polygonal(shapely.make_valid(piece))
        if piece is None:
            return []
    if not len(masks):
        return list(shapely.get_parts(piece))
    shapely.prepare(piece)
    masks = masks[shapely.intersects(piece, masks)]    # envelopes were only a guess
    if not len(masks):
        return list(shapely.get_parts(piece))
    if len(masks) > 1:
        # road strips run far beyond the piece: their union is only needed over it
        # (identical there, since the clip leaves everything inside the rectangle)
        x0, y0, x1, y1 = shapely.bounds(piece)
        masks = shapely.clip_by_rect(masks, x0 - CLIP_MARGIN, y0 - CLIP_MARGIN,
                                     x1 + CLIP_MARGIN, y1 + CLIP_MARGIN)
        masks = masks[~shapely.is_empty(masks)]
        bad = ~shapely.is_valid(masks)
        if bad.any():
            masks[bad] = shapely.make_valid(masks[bad])
    rest = polygonal(difference(piece, shapely.union_all(masks)))
    return [] if rest is None else list(shapely.get_parts(rest))


def _clip(piece, rect):
    """piece ∩ rect by the fast rectangle clipper (validity is checked on the leaves)."""
    return polygonal(shapely.clip_by_rect(piece, *rect))


def _on_cut(parts, rect, root, eps=1e-7) -> np.ndarray:
    """Per part: does it reach a side of its piece that is a cut (not the face's own
    bounds)?"""
    b = shapely.bounds(parts)
    return (((np.abs(b[:, 0] - rect[0]) < eps) & (rect[0] > root[0] + eps))
            | ((np.abs(b[:, 2] - rect[2]) < eps) & (rect[2] < root[2] - eps))
            | ((np.abs(b[:, 1] - rect[1]) < eps) & (rect[1] > root[1] + eps))
            | ((np.abs(b[:, 3] - rect[3]) < eps) & (rect[3] < root[3] - eps)))
