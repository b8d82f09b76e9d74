"""Neighbour defects: T04, T05, T06, T11, T12 and their look-alikes."""

import shapely
import shapely.affinity
from shapely.geometry import Polygon

from .inject_shapes import _new_plot, _pair_cand
from .rings import insert_between, left_normal, lerp, length, move, replace_vertex, unit


def inject(inj, n):
    t04(inj, n)
    t05(inj, n)
    t06(inj, n)
    t11(inj, n)
    t12(inj, n)


def _keys(inj, *ks):
    codes = sorted(inj.plot(k).dkbm for k in ks)
    return codes[0], codes[1:]


def _bulge(inj, ka, kb, a, b, depth):
    """B drawn `depth` metres into A along 80 % of their edge a -> b (A on the left)."""
    nrm = left_normal(a, b)
    q0, q1 = move(lerp(a, b, 0.1), nrm, depth), move(lerp(a, b, 0.9), nrm, depth)
    assert insert_between(inj.plot(kb).parts[0][0], a, b, [q0, q1])


def _sliver(inj, ka, kb, a, b, width):
    """B's edge pulled `width` metres back from A between 10 % and 90 % of a -> b."""
    p1, q1 = lerp(a, b, 0.1), lerp(a, b, 0.9)
    for k in (ka, kb):
        assert insert_between(inj.plot(k).parts[0][0], a, b, [p1, q1])
    nx, ny = left_normal(a, b)
    assert insert_between(inj.plot(kb).parts[0][0], p1, q1,
                          [move(p1, (-nx, -ny), width), move(q1, (-nx, -ny), width)])


def _nudge_middle(inj, ka, kb, a, b, dist):
    """A vertex in the middle of a -> b in both plots; B's copy moved `dist` metres
    (positive: into A, negative: away from A)."""
    m = lerp(a, b, 0.5)
    for k in (ka, kb):
        assert insert_between(inj.plot(k).parts[0][0], a, b, [m])
    replace_vertex(inj.plot(kb).parts[0][0], m, [move(m, left_normal(a, b), dist)])


# --- T04 -------------------------------------------------------------------
def t04(inj, n):
    for inst in range(n):
        if inst % 3 == 2:
            ka = inj.find(lambda c: _single_cell(inj, c), inst % 3)
            a = inj.plot(ka)
            c = Polygon(a.parts[0][0]).centroid
            shed = shapely.affinity.rotate(shapely.box(c.x - 3, c.y - 2.5, c.x + 3, c.y + 2.5), 30)
            ring = [(round(x, 4), round(y, 4)) for x, y in list(shed.exterior.coords)[:-1]]
            if not Polygon(ring).exterior.is_ccw:
                ring.reverse()
            kb = _new_plot(inj, a, [[ring]])
            key, rel = _keys(inj, ka, kb)
            inj.expect("T04", key, rel, what="30 m² plot drawn inside another plot")
            continue
        depth = (0.3, 0.5)[inst % 3]
        ka, kb, a, b = inj.find(_pair_cand(inj, "v", 40), inst % 3)
        _bulge(inj, ka, kb, a, b, depth)
        key, rel = _keys(inj, ka, kb)
        inj.expect("T04", key, rel, what="B drawn %.1f m into A along %.0f m" % (depth, 0.8 * length(a, b)))
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), 1)
    _nudge_middle(inj, ka, kb, a, b, 0.0005)
    inj.lookalike("T04", *_keys(inj, ka, kb), what="overlap only 0.0005 m wide (<= 0.001)")
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), 2)
    inj.lookalike("T04", *_keys(inj, ka, kb), what="identical shared edge")
    ka, kb = inj.find(lambda c: _diagonal(inj, c), 0)
    inj.lookalike("T04", *_keys(inj, ka, kb), what="touching at one corner")


def _single_cell(inj, c):
    k = inj.single(c)
    return None if k is None else ([c], k)


def _diagonal(inj, c):
    d = (c[0] + 1, c[1] + 1)
    if d not in inj.tw.label or inj.lat.vhalf[c[0] + 1] or inj.lat.hhalf[c[1] + 1]:
        return None
    ka, kb = inj.single(c), inj.single(d)
    return None if ka is None or kb is None else ([c, d], (ka, kb))


# --- T05 -------------------------------------------------------------------
def t05(inj, n):
    for inst in range(n):
        w = (0.2, 0.1, 0.45)[inst % 3]
        ka, kb, a, b = inj.find(_pair_cand(inj, "v", 30), inst % 3)
        _sliver(inj, ka, kb, a, b, w)
        inj.expect("T05", *_keys(inj, ka, kb), what="%.2f m x %.0f m sliver" % (w, 0.8 * length(a, b)))
    for kind, what in (("road", "4 m unmapped road between"), ("ditch", "0.3 m ditch in XZDW between")):
        ka, kb = inj.find(lambda c, kind=kind: _across(inj, c, kind, 0.15 if kind == "ditch" else None), 1)
        inj.lookalike("T05", *_keys(inj, ka, kb), what=what)
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), 2)
    _nudge_middle(inj, ka, kb, a, b, -0.0005)
    inj.lookalike("T05", *_keys(inj, ka, kb), what="boundaries 0.0005 m apart")


def _across(inj, c, kind, half=None):
    """Two single plots on both sides of a vertical road or ditch."""
    d = (c[0] + 1, c[1])
    if d not in inj.tw.label or inj.lat.vkind(c[0] + 1) != kind:
        return None
    if half is not None and inj.lat.vhalf[c[0] + 1] != half:
        return None
    ka, kb = inj.single(c), inj.single(d)
    return None if ka is None or kb is None else ([c, d], (ka, kb))


# --- T06 -------------------------------------------------------------------
def t06(inj, n):
    for inst in range(n):
        kind = inst % 3
        if kind == 0:
            ks = inj.find(lambda c: _four_way(inj, c), inst % 3)
            _diamond(inj, ks)
            inj.expect("T06", *_keys(inj, *ks), what="12.5 m² diamond enclosed by four plots")
        elif kind == 1:
            k = inj.find(lambda c: _single_cell(inj, c), inst % 3)
            p = inj.plot(k)
            c = Polygon(p.parts[0][0]).centroid
            hole = [(round(c.x + dx, 4), round(c.y + dy, 4))
                    for dx, dy in ((-1.75, -1.75), (-1.75, 1.75), (1.75, 1.75), (1.75, -1.75))]
            p.parts[0].append(hole)                      # clockwise
            inj.expect("T06", p.dkbm, what="unmapped 12.25 m² hole inside one plot")
        else:
            ka, kb, a, b = inj.find(_pair_cand(inj, "v", 40, max_len=60), inst % 3)
            _sliver(inj, ka, kb, a, b, 0.6)
            inj.expect("T06", *_keys(inj, ka, kb), what="0.6 m x %.0f m enclosed gap (>= 0.5 m wide, < 50 m²)"
                       % (0.8 * length(a, b)))
    for p in inj.tw.plots:
        if p.attrs.get("hole") == "grave":
            inj.lookalike("T06", p.dkbm, what="30 m² grave site mapped in MZDW")
        elif p.attrs.get("hole") == "pond":
            inj.lookalike("T06", p.dkbm, what="enclosed 123 m² pond, not mapped (>= 50 m²)")


def _four_way(inj, c):
    i, j = c
    cells = [(i - 1, j - 1), (i, j - 1), (i - 1, j), (i, j)]
    if any(x not in inj.tw.label for x in cells) or inj.lat.vhalf[i] or inj.lat.hhalf[j]:
        return None
    ks = [inj.single(x) for x in cells]
    if None in ks or len({inj.tw.label[x] for x in cells}) != 1:
        return None
    node = inj.lat.centre[(i, j)]
    for k in ks:
        ring = inj.plot(k).parts[0][0]
        m = ring.index(node)
        if min(length(node, ring[m - 1]), length(node, ring[(m + 1) % len(ring)])) < 4.0:
            return None
    return cells, ks


def _diamond(inj, ks, s=2.5):
    node = None
    for k in ks:
        ring = inj.plot(k).parts[0][0]
        node = node or next(v for v in ring if all(v in inj.plot(q).parts[0][0] for q in ks))
        m = ring.index(node)
        prev, nxt = ring[m - 1], ring[(m + 1) % len(ring)]
        replace_vertex(ring, node, [move(node, unit(node, prev), s), move(node, unit(node, nxt), s)])


# --- T11 -------------------------------------------------------------------
def t11(inj, n):
    for inst in range(n):
        d = (0.03, 0.02, 0.045)[inst % 3]
        ka, kb = _unsnap(inj, d, inst % 3)
        inj.expect("T11", *_keys(inj, ka, kb), what="road-side corners %.3f m apart, not snapped" % d)
    for d, what in ((0.0008, "corners 0.0008 m apart (same point)"), (0.1, "corners 0.1 m apart")):
        ka, kb = _unsnap(inj, d, 1)
        inj.lookalike("T11", *_keys(inj, ka, kb), what=what)
    ka, kb = inj.find(lambda c: _across(inj, c, "ditch", 0.2), 2)
    inj.lookalike("T11", *_keys(inj, ka, kb), what="corners 0.4 m apart across a ditch (KD 0.4)")
    inj.lookalike("T05", *_keys(inj, ka, kb), what="0.4 m ditch in XZDW (KD 0.4)")


def _unsnap(inj, d, village):
    """The corner shared by A (below) and B (above) on a road side: B's copy moved up the road side."""
    lat = inj.lat

    def cand(c):
        i, j = c
        below = (i, j - 1)
        if below not in inj.tw.label or lat.vkind(i) != "road" or lat.hhalf[j]:
            return None
        ka, kb = inj.single(below), inj.single(c)
        if ka is None or kb is None or inj.tw.label[below] != inj.tw.label[c]:
            return None
        return [below, c], (ka, kb)
    ka, kb = inj.find(cand, village)
    c = inj.plot(kb).cells[0]
    p, top = lat.edge_polyline(lat.edge_id(c[0], c[1], "l"))
    replace_vertex(inj.plot(kb).parts[0][0], p, [move(p, unit(p, top), d)])
    return ka, kb


# --- T12 -------------------------------------------------------------------
def t12(inj, n):
    for inst in range(n):
        if inst % 3 == 1:
            halves, kb, pb = inj.find(lambda c: _split_over(inj, c, "plain"), inst % 3)
            inj.plot(kb).parts[0][0].remove(pb)
            # one missing vertex, one finding: either half may be named as plot A
            codes = sorted(inj.plot(h).dkbm for h in halves)
            inj.expect("T12", codes[0], [inj.plot(kb).dkbm], alt_keys=codes[1:],
                       what="common corner of two plots on B's straight edge, B without vertex")
            continue
        ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), inst % 3)
        assert insert_between(inj.plot(ka).parts[0][0], a, b, [lerp(a, b, 0.5)])
        inj.expect("T12", inj.plot(ka).dkbm, [inj.plot(kb).dkbm],
                   what="A has a vertex on the shared edge, B does not")
    halves, kb, pb = inj.find(lambda c: _split_over(inj, c, "plain"), 2)
    inj.lookalike("T12", inj.plot(halves[0]).dkbm, [inj.plot(kb).dkbm], what="B has a vertex at the corner")
    halves, kb, pb = inj.find(lambda c: _split_over(inj, c, "ditch"), 0)
    inj.lookalike("T12", inj.plot(halves[0]).dkbm, [inj.plot(kb).dkbm],
                  what="corner 0.3 m from B's edge across a ditch")


def _split_over(inj, c, kind):
    """A split cell whose bottom line is `kind`, above a single plot B; returns the two
    halves, B and the split point on the bottom edge."""
    i, j = c
    below = (i, j - 1)
    ks = inj.cell_plots.get(c, [])
    if below not in inj.tw.label or len(ks) != 2 or c in inj.special or inj.lat.hkind(j) != kind:
        return None
    if any(inj.plot(k).kind != "normal" or len(inj.plot(k).cells) != 1 for k in ks):
        return None
    kb = inj.single(below)
    if kb is None:
        return None
    eid = inj.lat.edge_id(i, j, "b")
    pts = [p for _, p in inj.lat.edge_pts.get(eid, [])]
    common = [p for p in pts if all(p in inj.plot(k).parts[0][0] for k in ks)]
    if len(common) != 1:
        return None
    return [c, below], (ks, kb, common[0])
