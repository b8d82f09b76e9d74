"""Edge matching and regions: T13, T14, T15 and their look-alikes.

Villages: 0 | 1 split by a road (lower rows) and by plain plot edges (upper rows);
1 | 2 by plain edges (lower) and a road (upper) (township.vsplits). Groups split by plain row lines on
the left of a village and by roads on the right.
"""
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from .inject_pairs import _bulge, _keys, _sliver
from .rings import left_normal, lerp, length, move, segments

EXT = 3.0


def inject(inj, n):
    t13(inj, n)
    t14(inj, n)
    t15(inj, n)


def _push(inj, k, a, b, depth):
    """Plot k's shell segment a -> b pushed `depth` metres outward (to its right)."""
    nx, ny = left_normal(a, b)
    q0, q1 = move(lerp(a, b, 0.15), (-nx, -ny), depth), move(lerp(a, b, 0.85), (-nx, -ny), depth)
    ring = inj.plot(k).parts[0][0]
    i = ring.index(a)
    assert ring[(i + 1) % len(ring)] == b
    ring[i + 1:i + 1] = [q0, q1]


def _vcode(inj, v):
    return inj.tw.villages[v]["code"]


def _gcode(inj, k):
    return inj.plot(k).fbfbm


# --- T13 -------------------------------------------------------------------
def _boundary_cell(inj, c, kind, side=None):
    """Cell c just west (side 0) or east (side 1) of a village boundary piece of `kind`:
    (line, village of c, village across, the cell across) or None."""
    for line, rows, west, east, k in inj.tw.vsplits:
        if k != kind or c[1] not in rows:
            continue
        for s in (0, 1) if side is None else (side,):
            if c[0] == line - 1 + s:
                return line, (west, east)[s], (east, west)[s], (line - s, c[1]), s
    return None


def t13(inj, n):
    tw, lat = inj.tw, inj.lat
    for inst in range(n):
        def cand(c):
            got = _boundary_cell(inj, c, "road")
            if got is None or inj.single(c) is None or inj.single(got[3]) is None:
                return None
            return [c, got[3]], (inj.single(c), got)
        k, (line, own, other, across, side) = inj.find(cand, inst % 3)
        c = inj.plot(k).cells[0]
        p0, p1 = lat.edge_polyline(lat.edge_id(c[0], c[1], "l" if side else "r"))
        a, b = (p1, p0) if side else (p0, p1)
        _push(inj, k, a, b, 3.5)
        inj.expect("T13", inj.plot(k).dkbm, [_vcode(inj, other)],
                   what="plot reaches 1.5 m past the road centre line into the other village")
    for inst in range(n):
        kind = inst % 3
        if kind == 2:
            ka, kb, a, b = inj.find(lambda c: _cross_pair(inj, c, "v", village=True))
            _sliver(inj, ka, kb, a, b, 0.1)
            inj.expect("T13", *_keys(inj, ka, kb), what="0.1 m sliver along the village boundary", gap=True)
            continue
        ka, kb, a, b = inj.find(lambda c: _cross_pair(inj, c, "h", village=False), inst % 3)
        if kind == 0:
            _sliver(inj, ka, kb, a, b, 0.1)
            inj.expect("T13", *_keys(inj, ka, kb), what="0.1 m sliver along a group boundary", gap=True)
        else:
            _bulge(inj, ka, kb, a, b, 0.3)
            inj.expect("T13", *_keys(inj, ka, kb), what="0.3 m overlap across a group boundary")
            inj.expect("T14", inj.plot(kb).dkbm, [_gcode(inj, kb)],
                       what="the overlapping plot leaves its group region (other group's region)")
    # the catalogue's own example: B reaches 1.5 m over the plain village boundary into A
    ka, kb, a, b = inj.find(lambda c: _cross_pair(inj, c, "v", village=True))
    _bulge(inj, ka, kb, a, b, 1.5)
    into = _vcode(inj, tw.label[inj.plot(ka).cells[0]][0])
    inj.expect("T13", inj.plot(kb).dkbm, [into], what="(a) plot reaching 1.5 m into the next village")
    inj.expect("T13", *_keys(inj, ka, kb), what="(b) ... and so overlapping that village's plot")
    def on_boundary(c):                      # any two plots meeting on a plain village boundary
        got = _boundary_cell(inj, c, "plain", 0)
        if got is None or not inj.cell_plots.get(c) or not inj.cell_plots.get(got[3]):
            return None
        return [c, got[3]], (inj.cell_plots[c][-1], inj.cell_plots[got[3]][0])
    ka, kb = inj.find(on_boundary)
    inj.lookalike("T13", *_keys(inj, ka, kb), what="plot edge exactly on the village boundary")

    def across_road(c):
        got = _boundary_cell(inj, c, "road", 0)
        if got is None or inj.single(c) is None or inj.single(got[3]) is None:
            return None
        return [c, got[3]], (inj.single(c), inj.single(got[3]))
    ka, kb = inj.find(across_road)
    inj.lookalike("T13", *_keys(inj, ka, kb), what="4 m road between plots of two villages")


def _cross_pair(inj, c, direction, village):
    """Single plots across a straight plain edge, in two villages (village=True) or in
    two groups of one village."""
    got = inj.pair(c, direction, same_label=False)
    if got is None:
        return None
    la, lb = inj.tw.label[got[4][0]], inj.tw.label[got[4][1]]
    if village != (la[0] != lb[0]) or la == lb or min(la[1], lb[1]) < 0:
        return None
    if length(got[2], got[3]) < 15:
        return None
    return got[4], got[:4]


# --- T14 -------------------------------------------------------------------
def t14(inj, n):
    tw = inj.tw
    for inst in range(n):
        kind = inst % 3
        if kind == 0:
            k, other = inj.find(lambda c: _group_edge(inj, c), inst % 3)
            p = inj.plot(k)
            old = p.dkbm
            p.dkbm = tw.next_dkbm(other)
            p.group = int(other[-2:]) - 1
            inj.expect("T14", p.dkbm, [other],
                       what="plot coded for group %s lying inside the neighbouring group (was %s)"
                       % (other[-2:], old))
        elif kind == 1:
            k, (a, b) = inj.find(lambda c: _road_group_edge(inj, c), inst % 3)
            _push(inj, k, a, b, 3.0)
            inj.expect("T14", inj.plot(k).dkbm, [_gcode(inj, k)],
                       what="plot reaches 1 m past the road centre line into the next group")
        else:
            k, (a, b) = inj.find(lambda c: _border(inj, c), inst % 3)
            _push(inj, k, a, b, 2.0)
            inj.expect("T14", inj.plot(k).dkbm, [_gcode(inj, k)],
                       what="plot drawn 2 m beyond the township boundary")
    k, (a, b) = inj.find(lambda c: _border(inj, c), 1)
    ring = inj.plot(k).parts[0][0]
    nx, ny = left_normal(a, b)
    i = ring.index(a)
    ring[i + 1:i + 1] = [move(lerp(a, b, 0.5), (-nx, -ny), 0.0008)]
    inj.lookalike("T14", inj.plot(k).dkbm, what="plot edge 0.0008 m outside its group boundary")
    vl = [p for p in tw.plots if p.group < 0 and p.kind == "normal"]
    inj.lookalike("T14", vl[0].dkbm, what="village-level plot inside its CJQY, in no ZJQY")


def _group_edge(inj, c):
    """A single plot in a group whose upper neighbour cell (plain line) is another group."""
    i, j = c
    up = (i, j + 1)
    if up not in inj.tw.label or inj.lat.hhalf[j + 1]:
        return None
    la, lb = inj.tw.label[c], inj.tw.label[up]
    k = inj.single(c)
    if k is None or la[0] != lb[0] or la[1] == lb[1] or min(la[1], lb[1]) < 0:
        return None
    other = inj.tw.villages[lb[0]]["groups"][lb[1]]
    return [c, up], (k, other)


def _road_group_edge(inj, c):
    i, j = c
    up = (i, j + 1)
    if up not in inj.tw.label or inj.lat.hkind(j + 1) != "road":
        return None
    la, lb = inj.tw.label[c], inj.tw.label[up]
    k = inj.single(c)
    if k is None or la[0] != lb[0] or la[1] == lb[1] or min(la[1], lb[1]) < 0:
        return None
    p0, p1 = inj.lat.edge_polyline(inj.lat.edge_id(i, j, "t"))
    return [c, up], (k, (p1, p0))


def _border_side(lat, c):
    i, j = c
    return "l" if i == 0 else "r" if i == lat.nx - 1 else "b" if j == 0 else "t" if j == lat.ny - 1 else None


def _border(inj, c):
    """A single plot on the township boundary and its longest boundary segment."""
    lat = inj.lat
    i, j = c
    side = _border_side(lat, c)
    k = inj.single(c)
    if side is None or k is None:
        return None
    pts = lat.edge_polyline(lat.edge_id(i, j, side))
    on = set(zip(pts, pts[1:])) | set(zip(pts[1:], pts))
    segs = [s for s in segments(inj.plot(k).parts[0][0]) if s in on and length(*s) > 8]
    if not segs:
        return None
    return [c], (k, max(segs, key=lambda s: length(*s)))


# --- T15 -------------------------------------------------------------------
def _strip(a, b, vec):
    return Polygon([a, b, (b[0] + vec[0], b[1] + vec[1]), (a[0] + vec[0], a[1] + vec[1])])


def _grow(regions, code, ext):
    regions[code] = shapely.union_all([regions[code], ext])


def t15(inj, n):
    tw, lat = inj.tw, inj.lat
    C = lat.centre
    # (a) a group beyond the township boundary, on the left border
    c = inj.find(lambda c: ([c], c) if c[0] == 0 and tw.label[c][1] >= 0 else None, 0)
    g = _group_of(tw, c)
    used = {g}
    _grow(tw.zjqy, g, _only(tw, _strip(C[(0, c[1])], C[(0, c[1] + 1)], (-EXT, 0)), [g]))
    inj.expect("T15", g, [g[:12]], what="group region 3 m beyond its village (township edge)")
    # (a) + (c) a group 3 m into the next village across plain plot edges
    c = inj.find(lambda c: _plain_west(inj, c, groups=True, avoid=used))
    line = _boundary_cell(inj, c, "plain", 0)[0]
    g = _group_of(tw, c)
    ext = shapely.intersection(_strip(C[(line, c[1])], C[(line, c[1] + 1)], (EXT, 0)), tw.xjqy)
    with np.errstate(invalid="ignore"):      # GEOS flags NaN internally on some overlays
        hit = [code for code, geom in tw.zjqy.items() if code != g and geom.intersection(ext).area > 0.001]
    used |= {g, *hit}
    _grow(tw.zjqy, g, ext)
    inj.expect("T15", g, [g[:12]], what="group region 3 m into the next village")
    for other in hit:
        inj.expect("T15", g, [other], what="group regions overlapping (3 m strip into the next village)")
    # (a) a group whose village region is absent
    ghost = tw.xjqy_code + "209" + "01"
    x0, y0 = C[(0, 0)]
    tw.zjqy[ghost] = shapely.box(x0 - 100, y0, x0 - 60, y0 + 40)
    inj.expect("T15", ghost, [ghost[:12]], what="group region of a village not in CJQY")
    # (b) a village 3 m beyond the township, right border
    c = inj.find(lambda c: ([c], c) if c[0] == lat.nx - 1 else None, 2)
    v = tw.villages[tw.label[c][0]]["code"]
    k = lat.nx
    _grow(tw.cjqy, v, _strip(C[(k, c[1])], C[(k, c[1] + 1)], (EXT, 0)))
    inj.expect("T15", v, [tw.xjqy_code], what="village region 3 m beyond the township region")
    # (c) two groups of one village overlapping by about 200 m²
    c = inj.find(lambda c: _group_pair(inj, c, avoid=used), 1)
    g1, g2 = _group_of(tw, c), _group_of(tw, (c[0], c[1] + 1))
    used |= {g1, g2}
    ext = _only(tw, _strip(C[(c[0], c[1] + 1)], C[(c[0] + 1, c[1] + 1)], (0, 9.0)), [g1, g2])
    _grow(tw.zjqy, g1, shapely.intersection(ext, tw.cjqy[g1[:12]]))
    inj.expect("T15", g1, [g2], what="groups of one village overlapping by ~200 m²")
    # (c) two villages overlapping
    c = inj.find(lambda c: _plain_west(inj, c, groups=False))
    line, own, other = _boundary_cell(inj, c, "plain", 0)[:3]
    ext = shapely.intersection(_strip(C[(line, c[1])], C[(line, c[1] + 1)], (EXT, 0)), tw.xjqy)
    _grow(tw.cjqy, _vcode(inj, own), ext)
    inj.expect("T15", _vcode(inj, own), [_vcode(inj, other)], what="village regions overlapping (3 m strip)")
    # look-alikes
    c, side = inj.find(lambda c: ([c], (c, _border_side(lat, c))) if _border_side(lat, c)
                       and tw.label[c][1] >= 0 and _group_of(tw, c) not in used else None, 2)
    g = _group_of(tw, c)
    used.add(g)
    edge = LineString(lat.edge_polyline(lat.edge_id(c[0], c[1], side)))
    _grow(tw.zjqy, g, edge.buffer(0.0008, cap_style=2))
    inj.lookalike("T15", g, what="group region 0.0008 m beyond its village (within REGION_TOL)")
    c = inj.find(lambda c: _group_pair(inj, c, avoid={g1, g2}), 0)
    inj.lookalike("T15", _group_of(tw, c), [_group_of(tw, (c[0], c[1] + 1))], what="two groups sharing an edge")
    c = inj.find(lambda c: ([c], c) if _boundary_cell(inj, c, "road", 0) and tw.label[c][1] >= 0 else None)
    inj.lookalike("T15", _group_of(tw, c), what="group boundary lying on the village boundary")


def _group_of(tw, c):
    v, g = tw.label[c]
    return tw.villages[v]["groups"][g]


def _group_pair(inj, c, avoid=()):
    up = (c[0], c[1] + 1)
    tw = inj.tw
    if up not in tw.label or inj.lat.hhalf[c[1] + 1]:
        return None
    la, lb = tw.label[c], tw.label[up]
    if la[0] != lb[0] or la[1] == lb[1] or min(la[1], lb[1]) < 0:
        return None
    if {_group_of(tw, c), _group_of(tw, up)} & set(avoid):
        return None
    return [c, up], c


def _plain_west(inj, c, groups, avoid=()):
    """A cell just west of a plain village boundary piece, with the cell across."""
    got = _boundary_cell(inj, c, "plain", 0)
    if got is None or (groups and (inj.tw.label[c][1] < 0 or _group_of(inj.tw, c) in avoid)):
        return None
    return [c, got[3]], c


def _only(tw, ext, groups):
    """The strip less every group region but the given ones (no unintended overlap)."""
    others = [g for code, g in tw.zjqy.items() if code not in groups]
    return shapely.difference(ext, shapely.union_all(others))
