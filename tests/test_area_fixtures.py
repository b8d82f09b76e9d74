"""Hand-made township databases for the area tests (no tests here, only builders).

Coordinates are local metres shifted into EPSG:4526 (zone 38, prefixed eastings).
"""
import os

from shapely.geometry import MultiPolygon, Polygon, box

X0, Y0 = 38500000.0, 4000000.0
G1, G2 = "37083211020401", "37083211020402"
VILLAGE, TOWN = "370832110204", "370832110"


def rect(x, y, w, h):
    return MultiPolygon([box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)])


def poly(coords):
    return MultiPolygon([Polygon([(X0 + a, Y0 + b) for a, b in coords])])


def dk(code, geom, scmj=None, scmjm=None, dklb="10", name=None):
    return {"DKBM": code, "DKMC": name or ("地块" + code[-3:]), "DKLB": dklb, "SCMJ": scmj,
            "SCMJM": scmjm, "YSDM": "211011", "BSM": int(code[-5:]) + (int(code[12:14]) * 1000),
            "_geom": geom}


def write(path, plots=(), cbf=(), cbdkxx=(), cbht=(), regions=None, extra=None):
    """Insert rows into an existing empty township database; regions: {layer: [(code, name, geom)]}."""
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        with db.transaction():
            if plots:
                db.insert("DK", [{k: v for k, v in p.items() if k != "_geom"} for p in plots],
                          geoms=[p["_geom"] for p in plots])
            for table, rows in (("CBF", cbf), ("CBDKXX", cbdkxx), ("CBHT", cbht)):
                if rows:
                    db.insert(table, list(rows))
            for layer, items in (regions or {}).items():
                fld = {"ZJQY": "ZJQY", "CJQY": "CJQY", "XJQY": "XJQY"}[layer]
                db.insert(layer, [{fld + "DM": c, fld + "MC": n, "YSDM": "1620%s0" % {"XJQY": 2, "CJQY": 3, "ZJQY": 4}[layer],
                                   "BSM": i + 1} for i, (c, n, g) in enumerate(items)],
                          geoms=[g for _, _, g in items])
            for table, (rows, geoms) in (extra or {}).items():
                db.insert(table, rows, geoms=geoms)
    return path


def cbf(code, name):
    return {"CBFBM": code, "CBFLX": "1", "CBFMC": name, "CBFCYSL": 1}


def cbdkxx(dkbm, cbfbm, htmj=None, yhtmj=None, htmjm=None, yhtmjm=None, cbhtbm=None):
    return {"DKBM": dkbm, "FBFBM": dkbm[:14], "CBFBM": cbfbm, "CBJYQQDFS": "110", "HTMJ": htmj,
            "HTMJM": htmjm, "YHTMJ": yhtmj, "YHTMJM": yhtmjm, "CBHTBM": cbhtbm or cbfbm + "J",
            "CBJYQZBM": cbhtbm or cbfbm + "J"}


def cbht(cbfbm, htzmj=None, cbdkzs=None, htzmjm=None, yhtzmj=None, yhtzmjm=None, ycbhtbm=None):
    return {"CBHTBM": cbfbm + "J", "FBFBM": cbfbm[:14], "CBFBM": cbfbm, "CBFS": "110",
            "HTZMJ": htzmj, "CBDKZS": cbdkzs, "HTZMJM": htzmjm, "YHTZMJ": yhtzmj,
            "YHTZMJM": yhtzmjm, "YCBHTBM": ycbhtbm, "CBQXQ": "1998-01-01", "CBQXZ": "2028-12-31"}


def grid_group(group, nx, ny, size=10.0, ox=0.0, oy=0.0, first=1):
    """nx × ny square plots of `size` m, SCMJ/SCMJM consistent with the geometry."""
    from quequan.core.codes import m2_to_mu
    out = []
    n = first
    for j in range(ny):
        for i in range(nx):
            a = size * size
            out.append(dk("%s%05d" % (group, n), rect(ox + i * size, oy + j * size, size, size),
                          a, float(m2_to_mu(a))))
            n += 1
    return out


def fresh(tmp_path, name="t.gpkg"):
    from quequan.core.township_db import create_database
    path = str(tmp_path / name)
    if os.path.exists(path):
        os.remove(path)
    create_database(path, 4526)
    return path


from provider_helper import ensure_provider  # noqa: E402,F401 (used by the area tests)
