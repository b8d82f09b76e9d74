"""Single-plot defects: T01, T02, T03, T07, T08, T09, T10 and their look-alikes."""
import copy
import math

from shapely.geometry import Polygon

from .rings import insert_between, left_normal, lerp, length, move, unit
from .township import Plot


def inject(inj, n):
    """The road strip goes first (it needs a long free stretch), the rest in rule order."""
    t01(inj, n)
    t02(inj, n)
    t03(inj, n)
    t07(inj, n)
    t08(inj, n)
    t09(inj, n)
    t10(inj, n)


def _single(inj):
    def cand(c):
        k = inj.single(c)
        return None if k is None else ([c], k)
    return cand


def _new_plot(inj, host, parts, cells=None):
    p = Plot(inj.tw.next_dkbm(host.fbfbm), host.village, host.group,
             list(cells if cells is not None else host.cells), parts)
    p.attrs.update(DKLB=host.attrs.get("DKLB", "10"), DKMC=host.attrs.get("DKMC", "地"))
    return inj.add_plot(p)


# --- T01 -------------------------------------------------------------------
def t01(inj, n):
    lat = inj.lat
    for inst in range(n):
        p = inj.plot(inj.find(_single(inj), inst % 3))
        c = p.cells[0]
        bottom = lat.edge_polyline(lat.edge_id(c[0], c[1], "b"))      # BL .. BR
        top = lat.edge_polyline(lat.edge_id(c[0], c[1], "t"))         # TL .. TR
        p.parts = [[bottom + top]]          # BR -> TL and TR -> BL cross
        p.kind = "raw"
        p.attrs["no_jzd"] = True
        inj.expect("T01", p.dkbm, what="bow-tie: the two long sides joined crosswise")
    for inst in range(2):
        p = inj.plot(inj.find(_single(inj), inst % 3))
        ring = p.parts[0][0]
        bl = ring[0]
        d1, d2 = unit(bl, ring[1]), unit(bl, ring[-1])
        u = unit((0, 0), (d1[0] + d2[0], d1[1] + d2[1]))
        hole = [bl] + [move(bl, _rot(u, a), 14.0) for a in (20, -20)]
        if Polygon(hole).exterior.is_ccw:
            hole.reverse()                      # holes run clockwise in the model
        assert Polygon(ring, [hole]).is_valid and Polygon(hole).area > 55
        p.parts[0].append(hole)
        p.attrs["hole"] = "touch"
        inj.lookalike("T01", p.dkbm, what="hole touching the outer ring at one point")
        inj.lookalike("T06", p.dkbm, what="unmapped hole of %.0f m² (>= 50)" % Polygon(hole).area)
    for inst in range(2):
        p = inj.plot(inj.find(lambda c: _ccw(inj, c), inst % 3))
        inj.lookalike("T01", p.dkbm, what="exterior ring written counter-clockwise")


def _ccw(inj, c):
    k = inj.single(c)
    return None if k is None or not inj.plot(k).ccw else ([c], k)


def _rot(v, deg):
    a = math.radians(deg)
    return (v[0] * math.cos(a) - v[1] * math.sin(a), v[0] * math.sin(a) + v[1] * math.cos(a))


# --- T02 -------------------------------------------------------------------
def t02(inj, n):
    tw = inj.tw
    for inst in range(n):
        v = tw.villages[inst % 3]
        fbf = v["groups"][inst % len(v["groups"])]
        p = Plot(tw.next_dkbm(fbf), inst % 3, int(fbf[-2:]) - 1, [], [],
                 kind="empty" if inst == n - 1 else "null")
        p.attrs.update(DKLB="10", DKMC="表格导入")
        inj.add_plot(p)
        inj.expect("T02", p.dkbm, what="record without shape (%s geometry)" % p.kind)


# --- T03 -------------------------------------------------------------------
def t03(inj, n):
    lat = inj.lat
    kinds = [("ditch", 1), ("road", 1), ("plain", 2)]
    for inst in range(n):
        kind, step = kinds[inst % 3]

        def cand(c, kind=kind, step=step):
            d = (c[0] + step, c[1])
            line = lat.vkind(c[0] + 1) if c[0] + 1 <= lat.nx else None
            if d not in inj.tw.label or line != kind or inj.tw.label[c] != inj.tw.label[d]:
                return None
            if step == 2 and (lat.vkind(c[0] + 2) != "plain" or inj.single((c[0] + 1, c[1])) is None):
                return None
            ka, kb = inj.single(c), inj.single(d)
            if ka is None or kb is None:
                return None
            return [c, d] + ([(c[0] + 1, c[1])] if step == 2 else []), (ka, kb)
        ka, kb = inj.find(cand, inst % 3)
        a, b = inj.plot(ka), inj.plot(kb)
        a.parts = a.parts + b.parts
        a.cells = a.cells + b.cells
        b.kind = "gone"
        inj.expect("T03", a.dkbm, what="two parts on both sides of a %s (plot %s folded in)"
                   % (kind, b.dkbm))
    graves = [p for p in inj.tw.plots if p.attrs.get("hole") == "grave"]
    for p in graves[:2]:
        inj.lookalike("T03", p.dkbm, what="one polygon with a grave-site hole (MZDW)")
    for inst in range(2):
        p = inj.plot(inj.find(lambda c: _multi(inj, c), inst % 3))
        inj.lookalike("T03", p.dkbm, what="MULTIPOLYGON holding one part")


def _multi(inj, c):
    k = inj.single(c)
    return None if k is None or not inj.plot(k).multi else ([c], k)


# --- T07 -------------------------------------------------------------------
def t07(inj, n):
    for inst in range(n):
        a = inj.plot(inj.find(_single(inj), inst % 3))
        parts = copy.deepcopy(a.parts)
        how = "the same plot imported again"
        if inst % 3 == 1:
            ring = parts[0][0]
            parts[0][0] = ring[3:] + ring[:3]
            how = "again, ring started elsewhere and written the other way round"
        elif inst % 3 == 2:
            ring = parts[0][0]
            ring[1] = (round(ring[1][0] + 0.0003, 4), round(ring[1][1] + 0.0004, 4))
            how = "again, one corner 0.0005 m off (Hausdorff <= 0.001)"
        k = _new_plot(inj, a, parts)
        dup = inj.plot(k)
        dup.ccw = a.ccw if inst % 3 != 1 else not a.ccw
        dup.multi = not a.multi
        inj.expect("T07", a.dkbm, [dup.dkbm], what=how)
    for blk in inj.tw.regular[:2]:
        ks = [inj.cell_plots[c][0] for c in (blk[0], blk[-1])]
        inj.lookalike("T07", inj.plot(ks[0]).dkbm, [inj.plot(ks[1]).dkbm],
                      what="equal shape and area in different places (regular block)")


# --- T08 -------------------------------------------------------------------
def _carve(inj, ka, kb, a, b, start, along, width):
    """A plot cut out of A along its straight edge a -> b shared with B: from `start`
    metres after a, `along` metres long, `width` metres into A. Returns the new plot."""
    L = length(a, b)
    p1, p2 = lerp(a, b, start / L), lerp(a, b, (start + along) / L)
    A, B = inj.plot(ka), inj.plot(kb)
    assert insert_between(A.parts[0][0], a, b, [p1, p2])
    assert insert_between(B.parts[0][0], a, b, [p1, p2])
    nrm = left_normal(a, b)
    q1, q2 = move(p1, nrm, width), move(p2, nrm, width)
    assert insert_between(A.parts[0][0], p1, p2, [q1, q2])
    return inj.plot(_new_plot(inj, A, [[[p1, p2, q2, q1]]]))


def _pair_cand(inj, direction, min_len=0.0, same_label=True, max_len=1e9):
    def cand(c):
        got = inj.pair(c, direction, same_label)
        if got is None or not min_len <= length(got[2], got[3]) <= max_len:
            return None
        return got[4], got[:4]
    return cand


def t08(inj, n):
    sizes = [(0.8, 0.5), (1.0, 0.6), (1.0, 0.9)]
    crumbs = []
    for inst in range(n):
        along, width = sizes[inst % 3]
        ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), inst % 3)
        crumb = _carve(inj, ka, kb, a, b, 8.0, along, width)
        crumbs.append(crumb)
        inj.expect("T08", crumb.dkbm, what="%.1f m² crumb left after a split" % (along * width))
    inj.lookalike("T02", crumbs[0].dkbm, what="0.4 m² plot: T08, not empty")
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), 1)
    p = _carve(inj, ka, kb, a, b, 8.0, 1.2, 1.0)
    inj.lookalike("T08", p.dkbm, what="1.2 m² plot")
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 54), 2)
    p = _carve(inj, ka, kb, a, b, 2.0, 50.0, 0.8)
    inj.lookalike("T08", p.dkbm, what="0.8 m x 50 m strip (40 m²)")
    inj.lookalike("T09", p.dkbm, what="0.8 m x 50 m strip, corners 90°")


# --- T09 / T10 on road sides -------------------------------------------------
def _road_cand(inj, min_len, same_group=False):
    def cand(c):
        k = inj.single(c)
        if k is None:
            return None
        sides = [s for s in inj.road_sides(k, same_group) if length(*s) >= min_len]
        return None if not sides else ([c], (k, sides[0]))
    return cand


def _spike(inj, k, a, b, long, base):
    L = length(a, b)
    b1, b2 = lerp(a, b, 0.5 - base / 2 / L), lerp(a, b, 0.5 + base / 2 / L)
    nx, ny = left_normal(a, b)
    apex = move(lerp(a, b, 0.5), (-nx, -ny), long)
    assert insert_between(inj.plot(k).parts[0][0], a, b, [b1, apex, b2])


def t09(inj, n):
    spikes = [(3.0, 0.1), (2.0, 0.12), (3.0, 0.2)]
    for inst in range(n):
        long, base = spikes[inst % 3]
        k, (a, b) = inj.find(_road_cand(inj, 10, True), inst % 3)
        _spike(inj, k, a, b, long, base)
        inj.expect("T09", inj.plot(k).dkbm, what="spike %.0f m long, %.2f m base into a road (%.1f°)"
                   % (long, base, 2 * math.degrees(math.atan(base / 2 / long))))
    k, (a, b) = inj.find(_road_cand(inj, 10, True), 1)
    _spike(inj, k, a, b, 3.0, 0.3145)
    inj.lookalike("T09", inj.plot(k).dkbm, what="6° corner (spike 3 m, base 0.3145 m)")


def road_strip(inj):
    """A 2 m wide plot along the lower half of a road, over the longest run of cells of
    one group between vertical lines that are plain inside (all corners ~90°)."""
    lat, tw = inj.lat, inj.tw
    best = None
    for j in range(1, lat.ny):
        if lat.hkind(j) != "road":
            continue
        i0 = 0
        while i0 < lat.nx:
            i1 = i0 + 1
            lab = tw.label[(i0, j - 1)]
            while (i1 < lat.nx and lat.vkind(i1) == "plain" and tw.label[(i1, j - 1)] == lab):
                i1 += 1
            cells = [(i, jj) for i in range(i0, i1) for jj in (j - 1, j)]
            if lab[1] >= 0 and inj.free(cells) and (best is None or i1 - i0 > best[2] - best[1]):
                best = (j, i0, i1)
            i0 = i1
    if best is None or best[2] - best[1] < 5:
        raise RuntimeError("no road stretch for the strip")
    j, i0, i1 = best
    below = [(i, j - 1) for i in range(i0, i1)]
    lower = []
    for i in range(i0, i1):
        lower.extend(lat.edge_polyline(lat.edge_id(i, j - 1, "t"))[:-1])
    lower.append(lat.corner(i1, j, -1, -1))
    upper = [_on_centre(lat, i1, j, -1)] + [lat.centre[(i, j)] for i in range(i1 - 1, i0, -1)] + \
        [_on_centre(lat, i0, j, 1)]
    inj.take(below + [(i, j) for i in range(i0, i1)])
    host = inj.plot(inj.cell_plots[below[0]][0])
    p = inj.plot(_new_plot(inj, host, [[lower + upper]], below))
    assert Polygon(lower + upper).is_valid
    inj.lookalike("T09", p.dkbm, what="2 m x %.0f m strip along a road, corners ~90°"
                  % (lower[-1][0] - lower[0][0]))


def _on_centre(lat, i, j, sx):
    """The road centre line point above corner (i, j) of the strip's end: the node itself
    on a plain vertical line, else the point on the centre line level with the road side."""
    if lat.vhalf[i] == 0:
        return lat.centre[(i, j)]
    c, d = lat.centre[(i, j)], lat.centre[(i + sx, j)]
    return lerp(c, d, lat.vhalf[i] / abs(d[0] - c[0]))


def t10(inj, n):
    gaps = [0.02, 0.0, 0.045]
    for inst in range(n):
        d = gaps[inst % 3]
        k, (a, b) = inj.find(_road_cand(inj, 10), inst % 3)
        L = length(a, b)
        m = lerp(a, b, 0.5)
        m2 = lerp(a, b, 0.5 + d / L) if d else m
        assert insert_between(inj.plot(k).parts[0][0], a, b, [m, m2])
        inj.expect("T10", inj.plot(k).dkbm, what="two consecutive vertices %.3f m apart on a road side" % d)
    k, (a, b) = inj.find(_road_cand(inj, 10), 2)
    L = length(a, b)
    assert insert_between(inj.plot(k).parts[0][0], a, b, [lerp(a, b, 0.5), lerp(a, b, 0.5 + 0.06 / L)])
    inj.lookalike("T10", inj.plot(k).dkbm, what="consecutive vertices 0.06 m apart")
    k, ring = inj.find(lambda c: _corner_cell(inj, c), 0)
    inj.plot(k).parts[0][0] = ring
    inj.lookalike("T10", inj.plot(k).dkbm, what="non-consecutive vertices 0.03 m apart at a narrow neck")


def _corner_cell(inj, c):
    """A single plot with two road sides meeting at one corner: (corner, far ends)."""
    k = inj.single(c)
    if k is None:
        return None
    lat = inj.lat
    roads = {s: lat.edge_polyline(lat.edge_id(c[0], c[1], s)) for s in "brtl"
             if (lat.hkind(c[1] + (s == "t")) if s in "bt" else lat.vkind(c[0] + (s == "r"))) == "road"}
    for s1, s2 in (("t", "l"), ("t", "r"), ("b", "l"), ("b", "r")):
        if s1 in roads and s2 in roads:
            e1, e2 = roads[s1], roads[s2]
            if len(e1) != 2 or len(e2) != 2:
                continue
            x = (set(e1) & set(e2)).pop()
            ring = _neck(list(inj.plot(k).parts[0][0]), x, next(p for p in e1 if p != x),
                         next(p for p in e2 if p != x))
            if ring is not None:
                return [c], (k, ring)
    return None


def _neck(ring, x, y1, y2):
    """Notches from the two road sides meeting at x, whose tips stop 0.03 m apart
    (None when the cell is too skewed for them)."""
    cx, cy = Polygon(ring).centroid.coords[0]
    m1, m2 = lerp(x, y1, 0.4), lerp(x, y2, 0.4)
    d1, d2 = left_normal(x, y1), left_normal(x, y2)
    if d1[0] * (cx - m1[0]) + d1[1] * (cy - m1[1]) < 0:
        d1 = (-d1[0], -d1[1])
    if d2[0] * (cx - m2[0]) + d2[1] * (cy - m2[1]) < 0:
        d2 = (-d2[0], -d2[1])
    det = d1[0] * (-d2[1]) - d1[1] * (-d2[0])            # K = m1 + s d1 = m2 + u d2
    rx, ry = m2[0] - m1[0], m2[1] - m1[1]
    s = (rx * (-d2[1]) - ry * (-d2[0])) / det
    kk = move(m1, d1, s)
    l1, l2 = length(x, y1), length(x, y2)
    ok = insert_between(ring, x, y1, [lerp(x, y1, 0.4 - 1.5 / l1), move(kk, d1, -0.03),
                                      lerp(x, y1, 0.4 + 1.5 / l1)])
    ok = ok and insert_between(ring, x, y2, [lerp(x, y2, 0.4 - 1.5 / l2), kk,
                                             lerp(x, y2, 0.4 + 1.5 / l2)])
    return ring if ok and Polygon(ring).is_valid else None
