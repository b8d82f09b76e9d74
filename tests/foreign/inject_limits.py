"""Defects just inside and look-alikes just outside the catalogue's thresholds.

T04 overlap 0.0015 m wide (> 0.001; the bulging vertices then also sit 0.0015 m from
A's edge where A has no vertex: T12 too), T05 gap 0.48 m (< 0.5), T06 hole 49 m²
(< 50) vs 51.8 m², T08 0.98 m² vs 1.02 m², T09 4.8° vs 5.2°, T10 0.048 m vs 0.052 m,
T11 0.0015 m (> the 0.001 m XY tolerance).
"""
import math

from shapely.geometry import Polygon

from .inject_pairs import _bulge, _keys, _single_cell, _sliver, _unsnap
from .inject_shapes import _carve, _pair_cand, _road_cand, _spike
from .rings import insert_between, lerp, length


def inject(inj):
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 30), 0)
    _bulge(inj, ka, kb, a, b, 0.0015)
    inj.expect("T04", *_keys(inj, ka, kb), what="overlap 0.0015 m wide (just above 0.001)")
    inj.expect("T12", inj.plot(kb).dkbm, [inj.plot(ka).dkbm],
               what="the overlapping plot's vertices 0.0015 m from A's edge, A without vertex")
    ka, kb, a, b = inj.find(_pair_cand(inj, "v", 30), 1)
    _sliver(inj, ka, kb, a, b, 0.48)
    inj.expect("T05", *_keys(inj, ka, kb), what="0.48 m sliver (just below 0.5)")
    for side, kind in ((7.0, "defect"), (7.2, "lookalike")):
        k = inj.find(lambda c: _room(inj, c, side), 2)
        p = inj.plot(k)
        c = Polygon(p.parts[0][0]).centroid
        h = side / 2
        p.parts[0].append([(round(c.x + dx, 4), round(c.y + dy, 4))
                           for dx, dy in ((-h, -h), (-h, h), (h, h), (h, -h))])
        what = "unmapped %.2f m² hole inside one plot" % (side * side)
        (inj.expect if kind == "defect" else inj.lookalike)("T06", p.dkbm, what=what)
    for width, kind in ((0.98, "defect"), (1.02, "lookalike")):
        ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), 0 if kind == "defect" else 1)
        crumb = _carve(inj, ka, kb, a, b, 8.0, 1.0, width)
        (inj.expect if kind == "defect" else inj.lookalike)("T08", crumb.dkbm, what="%.2f m² plot" % width)
    for deg, kind in ((4.8, "defect"), (5.2, "lookalike")):
        k, (a, b) = inj.find(_road_cand(inj, 10, True), 1 if kind == "defect" else 2)
        _spike(inj, k, a, b, 3.0, 6.0 * math.tan(math.radians(deg / 2)))
        (inj.expect if kind == "defect" else inj.lookalike)("T09", inj.plot(k).dkbm, what="%.1f° spike" % deg)
    for d, kind in ((0.048, "defect"), (0.052, "lookalike")):
        k, (a, b) = inj.find(_road_cand(inj, 10), 2 if kind == "defect" else 0)
        L = length(a, b)
        assert insert_between(inj.plot(k).parts[0][0], a, b, [lerp(a, b, 0.5), lerp(a, b, 0.5 + d / L)])
        (inj.expect if kind == "defect" else inj.lookalike)(
            "T10", inj.plot(k).dkbm, what="consecutive vertices %.3f m apart" % d)
    ka, kb = _unsnap(inj, 0.0015, 0)
    inj.expect("T11", *_keys(inj, ka, kb), what="corners 0.0015 m apart (just above the XY tolerance)")


def _room(inj, c, side):
    """A single plot with room for a side x side hole 1.5 m clear of its boundary."""
    got = _single_cell(inj, c)
    if got is None:
        return None
    ring = inj.plot(got[1]).parts[0][0]
    poly = Polygon(ring)
    cen = poly.centroid
    hole = Polygon([(cen.x - side / 2, cen.y - side / 2), (cen.x - side / 2, cen.y + side / 2),
                    (cen.x + side / 2, cen.y + side / 2), (cen.x + side / 2, cen.y - side / 2)])
    return got if hole.buffer(1.5).within(poly) else None
