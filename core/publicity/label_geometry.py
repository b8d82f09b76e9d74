"""Geometry for label placement: poles of inaccessibility, strip axes, text boxes."""
import math
from typing import Tuple

import numpy as np
import shapely

def pole_points(geoms: np.ndarray, grid: int = 7) -> Tuple[np.ndarray, np.ndarray]:
    """Approximate poles of inaccessibility (x, y) and their distance to the boundary.

    A coarse grid, then a finer grid around the best point; vectorised, so a few
    thousand plots take milliseconds (shapely 2.0 has no maximum_inscribed_circle).
    """
    n = len(geoms)
    if n == 0:
        return np.zeros((0, 2)), np.zeros(0)
    bounds = shapely.bounds(geoms)
    boundary = shapely.boundary(geoms)
    cand = [shapely.get_coordinates(shapely.point_on_surface(geoms)),
            shapely.get_coordinates(shapely.centroid(geoms))]
    best_xy = cand[0].copy()
    best_d = shapely.distance(boundary, shapely.points(best_xy))
    inside_c = shapely.contains_xy(geoms, cand[1][:, 0], cand[1][:, 1])
    dc = np.where(inside_c, shapely.distance(boundary, shapely.points(cand[1])), -1.0)
    better = dc > best_d
    best_xy[better] = cand[1][better]
    best_d = np.where(better, dc, best_d)
    t = (np.arange(grid) + 0.5) / grid
    for level in range(2):
        if level == 0:
            x0, y0 = bounds[:, 0], bounds[:, 1]
            w, h = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
        else:
            w, h = (bounds[:, 2] - bounds[:, 0]) / grid * 2, (bounds[:, 3] - bounds[:, 1]) / grid * 2
            x0, y0 = best_xy[:, 0] - w / 2, best_xy[:, 1] - h / 2
        gx = (x0[:, None, None] + w[:, None, None] * t[None, :, None]) + 0 * t[None, None, :]
        gy = (y0[:, None, None] + h[:, None, None] * t[None, None, :]) + 0 * t[None, :, None]
        gx, gy = gx.reshape(n, -1), gy.reshape(n, -1)
        owner = np.repeat(np.arange(n), gx.shape[1])
        xs, ys = gx.ravel(), gy.ravel()
        inside = shapely.contains_xy(geoms[owner], xs, ys)
        d = np.full(xs.shape, -1.0)
        if inside.any():
            d[inside] = shapely.distance(boundary[owner[inside]], shapely.points(xs[inside], ys[inside]))
        d = d.reshape(n, -1)
        j = np.argmax(d, axis=1)
        dj = d[np.arange(n), j]
        better = dj > best_d
        best_xy[better, 0] = gx[np.arange(n), j][better]
        best_xy[better, 1] = gy[np.arange(n), j][better]
        best_d = np.where(better, dj, best_d)
    return best_xy, best_d


def _long_axis(hull_xy: np.ndarray):
    """(length, width, angle°) of the minimum-area rectangle around a convex ring."""
    edges = np.diff(hull_xy, axis=0)
    keep = np.hypot(edges[:, 0], edges[:, 1]) > 0
    if not keep.any():
        return 0.0, 0.0, 0.0
    theta = np.arctan2(edges[keep, 1], edges[keep, 0])
    c, s = np.cos(theta), np.sin(theta)
    # hull points in the frame of every edge direction (rotating calipers)
    u = hull_xy[:, 0][None, :] * c[:, None] + hull_xy[:, 1][None, :] * s[:, None]
    v = -hull_xy[:, 0][None, :] * s[:, None] + hull_xy[:, 1][None, :] * c[:, None]
    du, dv = u.max(axis=1) - u.min(axis=1), v.max(axis=1) - v.min(axis=1)
    j = int(np.argmin(du * dv))
    a = math.degrees(theta[j])
    if dv[j] > du[j]:
        a += 90.0
    return max(du[j], dv[j]), min(du[j], dv[j]), a


def strip_angles(geoms: np.ndarray, min_elongation: float = 1.6) -> np.ndarray:
    """Angle (deg, −90…90) of the long axis of elongated plots (0 when nearly level); NaN
    for compact ones. Minimum-area rectangle by rotating calipers on the convex hull
    (shapely's own is a slow Python fallback without GEOS 3.12)."""
    out = np.full(len(geoms), np.nan)
    if not len(geoms):
        return out
    coords, owner = shapely.get_coordinates(shapely.convex_hull(geoms), return_index=True)
    starts = np.searchsorted(owner, np.arange(len(geoms)))
    ends = np.searchsorted(owner, np.arange(len(geoms)), side="right")
    for i in range(len(geoms)):
        ring = coords[starts[i]:ends[i]]
        if len(ring) < 4:
            continue
        length, width, a = _long_axis(ring)
        if width <= 0 or length / width < min_elongation:
            continue
        while a > 90:
            a -= 180
        while a <= -90:
            a += 180
        out[i] = 0.0 if abs(a) <= 3 else a     # nearly level strips are written level
    return out


def rect(cx, cy, w, h, angle_deg=0.0):
    """Rectangle polygon(s) of width w, height h centred at (cx, cy), turned by angle."""
    cx, cy, w, h = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (cx, cy, w, h))
    a = np.radians(np.atleast_1d(np.asarray(angle_deg, dtype=float)))
    ca, sa = np.cos(a), np.sin(a)
    dx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])
    dy = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    px = cx[:, None] + (dx[None, :] * w[:, None]) * ca[:, None] - (dy[None, :] * h[:, None]) * sa[:, None]
    py = cy[:, None] + (dx[None, :] * w[:, None]) * sa[:, None] + (dy[None, :] * h[:, None]) * ca[:, None]
    coords = np.stack([px, py], axis=-1)
    return shapely.polygons(coords)


# --- planning ------------------------------------------------------------------------


def _edge_point(box, ax, ay):
    """Where the leader meets the text box: the box boundary point nearest the anchor."""
    from shapely.ops import nearest_points
    p = nearest_points(shapely.boundary(box), shapely.Point(ax, ay))[0]
    return (p.x, p.y)
