"""Shapely geometries of the demo township: plots, regions, strips, ponds, boundaries, control points."""
from typing import Dict, List

import numpy as np
import shapely

from ..codes import m2_to_mu, round2
from . import names
from .layout import Plan
from .rings import cells_ring

ROAD_LABEL_LB = {"村道": "03", "机耕路": "03", "水渠": "02"}


def polygons(plan: Plan, shapes: List) -> np.ndarray:
    """MultiPolygons from ring structures (parts -> rings -> point ids); None stays None."""
    out = np.empty(len(shapes), dtype=object)
    simple = [k for k, s in enumerate(shapes) if s is not None and len(s) == 1 and len(s[0]) == 1]
    if simple:
        rings = [shapes[k][0][0] for k in simple]
        ids = np.fromiter((q for r in rings for q in r), np.int64)
        coords = plan.xy(ids)
        idx = np.repeat(np.arange(len(rings)), [len(r) for r in rings])
        polys = shapely.polygons(shapely.linearrings(coords, indices=idx))
        out[simple] = shapely.multipolygons(polys, indices=np.arange(len(rings)))
    for k, s in enumerate(shapes):
        if s is None or (len(s) == 1 and len(s[0]) == 1):
            continue
        parts = [shapely.Polygon(plan.xy(p[0]), [plan.xy(h) for h in p[1:]]) for p in s]
        out[k] = shapely.MultiPolygon(parts) if parts else shapely.MultiPolygon()
    return out


def area_fields(geom):
    """(SCMJ, SCMJM) of a geometry: planar area rounded to 0.01 m² and its 亩."""
    if geom is None or geom.is_empty:
        return None, None
    a = round2(float(shapely.area(geom)))
    mu = m2_to_mu(a)
    return float(a), (float(mu) if mu > 0 else None)      # a crumb below 0.005 亩: no 亩 value


def strip_rows(plan: Plan):
    """XZDW rows and lines; and the features (buffer, label, JZXLB) for 四至 / JZX."""
    rows, lines, feats = [], [], []
    for s in plan.strips:
        (ax, ay), (bx, by) = s["a"], s["b"]
        line = shapely.LineString([(ax / 1000.0, ay / 1000.0), (bx / 1000.0, by / 1000.0)])
        kd = s["kd_cm"] / 100.0
        rows.append({"DWMC": s["name"], "CD": round(line.length, 2), "KD": kd,
                     "BZ": "硬化路面" if s["name"] == "村道" else ("土路" if s["name"] == "机耕路" else "灌溉渠")})
        lines.append(shapely.MultiLineString([line]))
        feats.append((shapely.buffer(line, kd / 2.0), s["name"], ROAD_LABEL_LB[s["name"]]))
    return rows, lines, feats


def pond_rows(plan: Plan):
    rows, geoms = [], []
    for bi, i, j in plan.ponds:
        poly = shapely.Polygon(plan.xy(cells_ring(plan.blocks[bi], [(i, j)])))
        mj = round2(poly.area)
        rows.append({"DWMC": "坑塘", "MJ": float(mj), "BZ": "养殖水面", "MJM": float(m2_to_mu(mj))})
        geoms.append(poly)
    return rows, geoms


def regions(plan: Plan):
    """ZJQY per group, CJQY per village, XJQY, XJXZQ (shapely, unions of the exact pieces)."""
    by_group: Dict[int, list] = {}
    for g, ring in plan.pieces:
        by_group.setdefault(g, []).append(shapely.Polygon(np.array(ring, float) / 1000.0))
    zj = {g: shapely.union_all(by_group[g]) for g in sorted(by_group)}
    cj = {}
    for v, vil in enumerate(plan.villages):
        cj[v] = shapely.union_all([zj[g] for g in vil["groups"]])
    town = shapely.union_all(list(cj.values()))
    return zj, cj, town, county_polygon(town)


def county_polygon(town):
    """The county (衡东县) drawn as a coarse polygon around the township."""
    minx, miny, maxx, maxy = town.bounds
    ring = [(minx - 3800, miny - 2600), (minx - 1500, miny - 5200), (maxx + 2900, miny - 4100),
            (maxx + 6100, miny + 300), (maxx + 4700, maxy + 3900), (minx + 600, maxy + 5300),
            (minx - 4400, maxy + 1200)]
    return shapely.Polygon([(round(x, 3), round(y, 3)) for x, y in ring])


def multi(g):
    if g is None or g.is_empty:
        return g
    if g.geom_type == "Polygon":
        return shapely.MultiPolygon([g])
    if g.geom_type == "LineString":
        return shapely.MultiLineString([g])
    return g


def boundary_lines(zj: Dict, cj: Dict, town):
    """QYJX rows and lines: township outline, village and group boundaries inside it."""
    tb = town.boundary
    vb = shapely.union_all([c.boundary for c in cj.values()])
    gb = shapely.union_all([z.boundary for z in zj.values()])
    out_rows, out_lines = [], []
    for geom, jxlx in ((tb, "660200"), (shapely.difference(vb, tb), "670500"),
                       (shapely.difference(gb, vb), "670901")):
        merged = shapely.line_merge(geom) if not geom.is_empty else geom
        for part in shapely.get_parts(merged):
            if part.length <= 0:
                continue
            out_rows.append({"JXLX": jxlx, "JXXZ": "600001"})
            out_lines.append(shapely.MultiLineString([part]))
    return out_rows, out_lines


def control_points(plan: Plan, rng: np.random.Generator):
    """KZD on village-road centre lines (D-grade GNSS points)."""
    roads = [s for s in plan.strips if s["name"] == "村道"] or plan.strips
    k = min(len(roads), max(4, min(12, len(roads))))
    pick = sorted(rng.choice(len(roads), size=k, replace=False).tolist())
    rows, pts = [], []
    for n, r in enumerate(pick, start=1):
        (ax, ay), (bx, by) = roads[r]["a"], roads[r]["b"]
        t = float(rng.uniform(0.3, 0.7))
        x = round((ax + (bx - ax) * t) / 1000.0, 3)
        y = round((ay + (by - ay) * t) / 1000.0, 3)
        dh = "D%02d" % n
        rows.append({"KZDMC": "%s%s" % (names.TOWNSHIP_NAME[:2], dh), "KZDDH": dh, "KZDLX": "110302",
                     "KZDDJ": "D", "BSLX": "2", "BZLX": "3", "KZDZT": "完好",
                     "DZJ": "其他资料\\点之记\\%s.jpg" % dh, "X2000": y, "Y2000": x,
                     "X80": None, "Y80": None})
        pts.append(shapely.Point(x, y))
    return rows, pts


def jbnt_rows(plan: Plan, blocks):
    rows, geoms = [], []
    for n, bi in enumerate(sorted(blocks), start=1):
        blk = plan.blocks[bi]
        ring = cells_ring(blk, [(i, j) for i in range(blk.nr) for j in range(blk.nc)])
        poly = shapely.Polygon(plan.xy(ring))
        mj = round2(poly.area)
        rows.append({"BHQBH": "%s%04d" % (names.TOWNSHIP_CODE, n), "JBNTMJ": float(mj),
                     "JBNTMJM": float(m2_to_mu(mj))})
        geoms.append(shapely.MultiPolygon([poly]))
    return rows, geoms
