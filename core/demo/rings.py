"""Rings of point ids around cells of a block: plots, ponds, protected blocks, region pieces.

A block's cells share their corner nodes and the bends of their common sides, so a ring
built here passes through every point that a neighbour's ring has on the common boundary.
"""
from typing import List


def _side(blk, t: str, i: int, j: int, fwd: bool):
    if t == "h":
        a, b, m = blk.node[i, j], blk.node[i, j + 1], blk.hbend[i, j]
    else:
        a, b, m = blk.node[i, j], blk.node[i + 1, j], blk.vbend[i, j]
    return (int(a), int(b), int(m)) if fwd else (int(b), int(a), int(m))


def cells_ring(blk, cells) -> List[int]:
    """Counter-clockwise ring (point ids, not closed) around one or more adjacent cells."""
    sides = {}
    for i, j in cells:
        for t, si, sj, fwd in (("h", i, j, True), ("v", i, j + 1, True), ("h", i + 1, j, False),
                               ("v", i, j, False)):
            k = (t, si, sj)
            if k in sides:
                del sides[k]
            else:
                sides[k] = fwd
    nxt = {}
    first = None
    for (t, i, j), fwd in sides.items():
        a, b, m = _side(blk, t, i, j, fwd)
        nxt[a] = (b, m)
        if first is None:
            first = a
    ring, a = [], first
    while True:
        b, m = nxt[a]
        ring.append(a)
        if m >= 0:
            ring.append(m)
        a = b
        if a == first:
            return ring


def plot_ring(plan, p: int) -> List[int]:
    return cells_ring(plan.blocks[plan.plot_block[p]], plan.plot_cells[p])


def _chain(blk, j: int) -> List[int]:
    """Point ids of column line j from south to north (nodes and bends)."""
    out = []
    for i in range(blk.nr):
        out.append(int(blk.node[i, j]))
        if blk.vbend[i, j] >= 0:
            out.append(int(blk.vbend[i, j]))
    out.append(int(blk.node[blk.nr, j]))
    return out


def region_pieces(plan):
    """Per block and run of one group's columns, the polygon reaching the strip centre lines."""
    pieces = []
    for blk in plan.blocks:
        ex0, ey0, ex1, ey1 = blk.ext
        g_row = blk.group[0]
        j0 = 0
        for j in range(1, blk.nc + 1):
            if j < blk.nc and g_row[j] == g_row[j0]:
                continue

            def side(c, west):
                if c == 0:
                    return [(ex0, ey0), (ex0, ey1)]
                if c == blk.nc:
                    return [(ex1, ey0), (ex1, ey1)]
                ch = _chain(blk, c)
                xy = [(int(plan.xs[q]), int(plan.ys[q])) for q in ch]
                return [(xy[0][0], ey0)] + xy + [(xy[-1][0], ey1)]
            ring = side(j, False) + side(j0, True)[::-1]
            pieces.append((int(g_row[j0]), ring))
            j0 = j
    return pieces
