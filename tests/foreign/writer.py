"""Write the foreign township into a GeoPackage of the national schema with plain OGR.

The empty schema comes from core.township_db.create_database (the national layout);
every feature is written through OGR, geometry from WKB. Local coordinates are shifted
into EPSG:4526 (CGCS2000 3° zone 38, zone-prefixed eastings like 38 5xx xxx m).
"""
import copy
import datetime

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon

X0, Y0 = 38_512_000.0, 4_031_000.0
EPSG = 4526


def shift(geom):
    return None if geom is None else shapely.transform(geom, lambda xy: xy + np.array([X0, Y0]))


def _jitter(ring, key, noise):
    """Each point moved by a pseudo-random offset fixed per (plot, point): a point used
    twice by one plot (a hole touching its shell) stays one point."""
    import random
    out = []
    for x, y in ring:
        rng = random.Random("%s %.4f %.4f" % (key, x, y))
        out.append((round(x + rng.uniform(-noise, noise), 4), round(y + rng.uniform(-noise, noise), 4)))
    return out


def plot_geometry(p, noise=0.0):
    """The plot as written: orientation and single/multi type as the plot says. With
    noise, every vertex copy moves up to `noise` m per axis, so neighbours' common
    points differ a little (rounded to 0.0001 m, as a converted data set would)."""
    if noise and p.kind != "raw" and p.parts:
        p = copy.copy(p)
        p.parts = [[_jitter(r, p.dkbm, noise) for r in part] for part in p.parts]
    if p.kind == "null":
        return None
    if p.kind == "empty":
        return MultiPolygon()
    polys = []
    for part in p.parts:
        if p.kind == "raw":
            shell, holes = part[0], part[1:]
        else:
            shell = part[0] if p.ccw else part[0][::-1]
            holes = [h if p.ccw else h[::-1] for h in part[1:]]
        polys.append(Polygon(shell, holes))
    if len(polys) == 1 and not p.multi:
        return shift(polys[0])
    return shift(MultiPolygon(polys))


def _mu(m2):
    return round(m2 * 0.0015, 2)


def _features(ds, name, rows, geoms):
    from osgeo import ogr
    lyr = ds.GetLayerByName(name)
    defn = lyr.GetLayerDefn()
    names = {defn.GetFieldDefn(k).GetName().upper(): defn.GetFieldDefn(k).GetName()
             for k in range(defn.GetFieldCount())}
    lyr.StartTransaction()
    for k, (row, g) in enumerate(zip(rows, geoms), 1):
        f = ogr.Feature(defn)
        row = dict(row)
        if "BSM" in names and "BSM" not in row:
            row["BSM"] = k
        for key, val in row.items():
            if key.upper() in names and val is not None:
                f.SetField(names[key.upper()], val)
        if g is not None:
            f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g, flavor="iso")))
        lyr.CreateFeature(f)
    lyr.CommitTransaction()


def write_township(tw, path, jzd, jzx, noise=0.0):
    from osgeo import gdal, ogr
    import os
    from quequan.core.township_db import create_database
    if os.path.exists(path):
        os.remove(path)
    create_database(path, EPSG)
    gdal.PushErrorHandler("CPLQuietErrorHandler")   # POLYGON into a MULTIPOLYGON layer warns
    ds = ogr.Open(path, 1)
    try:
        _write(ds, tw, jzd, jzx, noise)
    finally:
        ds = None
        gdal.PopErrorHandler()
    return path


def _write(ds, tw, jzd, jzx, noise):
    rows, geoms = [], []
    for p in tw.plots:
        if p.kind == "gone":
            continue
        g = plot_geometry(p, noise)
        area = 0.0 if g is None or g.is_empty else round(shapely.make_valid(g).area, 2)
        a = p.attrs
        rows.append({"YSDM": "211011", "DKBM": p.dkbm, "DKMC": a.get("DKMC", "地"),
                     "SYQXZ": "31" if p.group >= 0 else "32", "DKLB": a.get("DKLB", "10"),
                     "TDLYLX": "013", "DLDJ": "%02d" % (1 + int(p.dkbm[-2:]) % 10), "TDYT": "1",
                     "SFJBNT": "1" if int(p.dkbm[-1]) % 3 else "2", "SCMJ": area,
                     "SCMJM": _mu(area), "DKDZ": "道路", "DKXZ": "沟渠", "DKNZ": "邻地",
                     "DKBZ": "邻地", "ZJRXM": "王建国" if a.get("DKLB", "10") == "10" else None,
                     "KJZB": a.get("KJZB", "")})
        geoms.append(g)
    _features(ds, "DK", rows, geoms)
    _features(ds, "JZD", [{k: v for k, v in r.items() if k != "pt"} | {"YSDM": "211021"}
                          for r in jzd], [shift(Point(r["pt"])) for r in jzd])
    _features(ds, "JZX", [{k: v for k, v in r.items() if k != "line"} | {"YSDM": "211031"}
                          for r in jzx], [shift(MultiLineString([r["line"]])) for r in jzx])
    regions = [("CJQY", "CJQYDM", "CJQYMC", tw.cjqy), ("ZJQY", "ZJQYDM", "ZJQYMC", tw.zjqy)]
    names = {v["code"]: v["name"] for v in tw.villages}
    for v in tw.villages:
        for k, code in enumerate(v["groups"]):
            names[code] = v["name"] + "第%d村民小组" % (k + 1)
    for layer, fcode, fname, polys in regions:
        items = sorted(polys.items())
        _features(ds, layer, [{"YSDM": "162030" if layer == "CJQY" else "162040", fcode: c,
                               fname: names.get(c, "外来区域")} for c, _ in items],
                  [shift(_multi(g)) for _, g in items])
    _features(ds, "XJQY", [{"YSDM": "162020", "XJQYDM": tw.xjqy_code, "XJQYMC": "城关镇"}],
              [shift(_multi(tw.xjqy))])
    _features(ds, "XJXZQ", [{"YSDM": "162010", "XZQDM": "410523", "XZQMC": "汤阴县"}],
              [shift(_multi(tw.xjqy.buffer(800, join_style=2)))])
    lines = [shapely.boundary(g) for _, g in sorted(tw.cjqy.items())]
    _features(ds, "QYJX", [{"YSDM": "161051", "JXLX": "670500", "JXXZ": "600001"} for _ in lines],
              [shift(_mline(g)) for g in lines])
    _features(ds, "XZDW", [{"YSDM": "196021", "DWMC": d["DWMC"], "KD": d["KD"],
                            "CD": round(LineString(d["line"]).length, 2)} for d in tw.xzdw],
              [shift(MultiLineString([d["line"]])) for d in tw.xzdw])
    _features(ds, "MZDW", [{"YSDM": "196031", "DWMC": d["DWMC"], "BZ": d["BZ"],
                            "MJ": round(Polygon(d["ring"]).area, 2),
                            "MJM": _mu(Polygon(d["ring"]).area)} for d in tw.mzdw],
              [shift(MultiPolygon([Polygon(d["ring"])])) for d in tw.mzdw])
    _features(ds, "FBF", [_fbf(tw, code, names) for code in tw.fbfbm_list()], [None] * 99)


def _multi(g):
    return g if g.geom_type == "MultiPolygon" else MultiPolygon([g])


def _mline(g):
    return g if g.geom_type == "MultiLineString" else MultiLineString([g])


def _fbf(tw, code, names):
    return {"FBFBM": code, "FBFMC": names.get(code, names.get(code[:12], "") + "村集体经济组织"),
            "FBFFZRXM": "李春生", "FZRZJLX": "1", "FZRZJHM": id_number(code),
            "FBFDZ": "河南省汤阴县城关镇", "YZBM": "456150", "FBFDCY": "赵敏",
            "FBFDCRQ": datetime.date(2023, 4, 12).isoformat()}


def id_number(code):
    """A valid 18-digit resident ID number (GB 11643 check digit) derived from a code."""
    body = "410523" + "1968%02d%02d" % (1 + int(code[-3:]) % 12, 1 + int(code[-2:]) % 28) + \
        "%03d" % (int(code[-4:]) % 997)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * k for c, k in zip(body, w)) % 11
    return body + "10X98765432"[s]
