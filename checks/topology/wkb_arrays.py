"""Coordinates of many points and lines straight from their WKB, without making a
geometry object per feature.

JZD and JZX hold hundreds of thousands of features whose coordinates T16 only
compares; GEOS objects are made for the few that are reported. The usual encodings
(little-endian 2D Point; LineString; MultiLineString of one part) are decoded with
numpy; anything else goes through shapely, so every valid WKB is read the same.
"""
from typing import List

import numpy as np
import shapely


def _gather(buf: np.ndarray, pos: np.ndarray, dtype) -> np.ndarray:
    """Values of a little-endian dtype at arbitrary byte positions: one view of the
    buffer per alignment, each read with an index array (no per-byte gather)."""
    dt = np.dtype(dtype)
    size = dt.itemsize
    out = np.empty(len(pos), dtype=dt)
    if not len(pos):
        return out
    pos = np.minimum(pos, len(buf) - size)
    rem = pos % size
    for k in range(size):
        sel = rem == k
        if sel.any():
            view = np.frombuffer(buf, dtype=dt, offset=k, count=(len(buf) - k) // size)
            out[sel] = view[pos[sel] // size]
    return out


def _u32(buf: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return _gather(buf, pos, "<u4")


def _doubles(buf: np.ndarray, starts: np.ndarray, count: int) -> np.ndarray:
    """count consecutive little-endian doubles from each start: (len(starts), count)."""
    pos = (starts[:, None] + 8 * np.arange(count)).ravel()
    return _gather(buf, pos, "<f8").reshape(len(starts), count)


def point_xy(wkbs) -> np.ndarray:
    """(n, 2) coordinates of a WkbColumn; NaN for a missing or empty geometry. A geometry that is not a
    point gives its first coordinate (a MULTIPOINT of one point reads as that point)."""
    n = len(wkbs)
    xy = np.full((n, 2), np.nan)
    if not n:
        return xy
    buf, lens, offs = wkbs.buf, wkbs.lens, wkbs.offs
    fast = lens == 21
    fast[fast] = (buf[offs[fast]] == 1) & (_u32(buf, offs[fast] + 1) == 1)
    if fast.any():
        xy[fast] = _doubles(buf, offs[fast] + 5, 2)
    other = np.flatnonzero(~fast & (lens > 0))
    if len(other):
        geoms = shapely.from_wkb(np.array([wkbs.get(i) for i in other.tolist()],
                                          dtype=object), on_invalid="ignore")
        coords, which = shapely.get_coordinates(geoms, return_index=True)
        first = np.unique(which, return_index=True)
        xy[other[first[0]]] = coords[first[1]]
    return xy


class LineTable:
    """Coordinates of n lines: `coords` (m, 2) grouped by part, `cpart` the part of each
    coordinate, `part_line` the line of each part (parts of a line consecutive and in
    order), `missing` the lines without geometry."""

    def __init__(self, wkbs):
        n = len(wkbs)
        self.n = n
        self.wkbs = wkbs
        buf, lens, offs = wkbs.buf, wkbs.lens, wkbs.offs
        bo = buf[offs] if n else np.zeros(0, dtype=np.uint8)
        kind = _u32(buf, offs + 1) if n else np.zeros(0, dtype=np.uint32)
        line = (lens >= 9) & (bo == 1) & (kind == 2)
        multi = (lens >= 18) & (bo == 1) & (kind == 5)
        multi[multi] = ((_u32(buf, offs[multi] + 5) == 1) & (buf[offs[multi] + 9] == 1)
                        & (_u32(buf, offs[multi] + 10) == 2))
        head = np.where(multi, 18, 9)
        npts = np.where(line | multi, _u32(buf, offs + head - 4).astype(np.int64), 0)
        fast = (line | multi) & (lens == head + 16 * npts)
        rows = np.flatnonzero(fast)
        cnt = npts[rows]
        starts = np.repeat(offs[rows] + head[rows], cnt) + 16 * (
            np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        coords = [_doubles(buf, starts, 2)]
        cpart = [np.repeat(np.arange(len(rows)), cnt)]
        part_line = [rows]
        other = np.flatnonzero(~fast & (lens > 0))
        if len(other):
            geoms = shapely.from_wkb(np.array([wkbs.get(i) for i in other.tolist()],
                                              dtype=object), on_invalid="ignore")
            parts, pl = shapely.get_parts(geoms, return_index=True)
            c, ci = shapely.get_coordinates(parts, return_index=True)
            coords.append(c)
            cpart.append(ci + len(rows))
            part_line.append(other[pl])
        self.coords = np.concatenate(coords) if coords else np.zeros((0, 2))
        self.cpart = np.concatenate(cpart).astype(np.int64)
        self.part_line = np.concatenate(part_line).astype(np.int64)
        has = np.zeros(n, dtype=bool)
        has[self.part_line[np.unique(self.cpart)]] = True
        self.missing = ~has

    def segments(self):
        """(p0, p1, line) of every segment: consecutive coordinates of one part."""
        s0, line = self.segment_starts()
        return self.coords[s0], self.coords[s0 + 1], line

    def segment_starts(self):
        """(index in coords of each segment's first point, line of the segment)."""
        s0 = np.flatnonzero(self.cpart[1:] == self.cpart[:-1])
        return s0, self.part_line[self.cpart[s0]]

    def ends(self) -> np.ndarray:
        """(n, 2, 2): first coordinate of each line's first part, last of its last part;
        NaN for a missing line."""
        out = np.full((self.n, 2, 2), np.nan)
        if not len(self.coords):
            return out
        line_of = self.part_line[self.cpart]
        # parts of a line are consecutive, but fast and other lines are not in line order
        order = np.argsort(line_of, kind="stable")
        lo = line_of[order]
        first = np.r_[True, lo[1:] != lo[:-1]]
        last = np.r_[lo[1:] != lo[:-1], True]
        out[lo[first], 0] = self.coords[order[first]]
        out[lo[last], 1] = self.coords[order[last]]
        return out

    def geoms(self, rows: List[int]) -> np.ndarray:
        """shapely geometries of the given lines (for what is reported)."""
        return shapely.from_wkb(np.array([self.wkbs.get(i) for i in rows], dtype=object),
                                on_invalid="ignore")
