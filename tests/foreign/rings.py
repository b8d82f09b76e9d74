"""Ring helpers for the injections: exact vertex edits on the model's rings.

Shells are counter-clockwise: along a shell segment a -> b the plot lies on the left.
Points are (x, y) tuples rounded to 0.0001 m; a point shared by two plots is the same
tuple in both rings, so inserting it into both keeps the neighbours snapped.
"""
import math

from .lattice import r4


def lerp(a, b, t):
    return (r4(a[0] + t * (b[0] - a[0])), r4(a[1] + t * (b[1] - a[1])))


def unit(a, b):
    d = math.dist(a, b)
    return ((b[0] - a[0]) / d, (b[1] - a[1]) / d)


def left_normal(a, b):
    ux, uy = unit(a, b)
    return (-uy, ux)


def move(p, v, d):
    return (r4(p[0] + v[0] * d), r4(p[1] + v[1] * d))


def seg_at(ring, a, b):
    """Index k with ring[k] == a and ring[k + 1] == b (cyclic), else None."""
    n = len(ring)
    for k in range(n):
        if ring[k] == a and ring[(k + 1) % n] == b:
            return k
    return None


def insert_between(ring, a, b, pts):
    """Insert pts (ordered from a to b) between the consecutive vertices a, b, in
    whichever direction the ring runs. Returns True when the segment was found."""
    k = seg_at(ring, a, b)
    if k is not None:
        ring[k + 1:k + 1] = list(pts)
        return True
    k = seg_at(ring, b, a)
    if k is not None:
        ring[k + 1:k + 1] = list(pts)[::-1]
        return True
    return False


def replace_vertex(ring, v, new):
    k = ring.index(v)
    ring[k:k + 1] = list(new)


def shell(plot):
    return plot.parts[0][0]


def segments(ring):
    return list(zip(ring, ring[1:] + ring[:1]))


def shared_segments(pa, pb):
    """Shell segments (a, b) of plot pa run as (b, a) by plot pb."""
    rb = set(segments(shell(pb)))
    return [(a, b) for a, b in segments(shell(pa)) if (b, a) in rb]


def length(a, b):
    return math.dist(a, b)
