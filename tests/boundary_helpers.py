"""Hand-built township databases for the 四至 and 界址 tests.

`make_db(path, plots, features)` writes DK plots (with 承包方 through CBF/CBDKXX
when an owner is given) and XZDW/MZDW/DZDW features; coordinates are local
metres moved to a CGCS2000 GK position so that JZD coordinates are realistic.
"""
import shapely
from shapely import affinity

X0, Y0 = 39500000.0, 4000000.0
FBF = "37083211020401"


def dkbm(n: int, fbf: str = FBF) -> str:
    return "%s%05d" % (fbf, n)


def at(g):
    """A local-metre geometry moved to the GK position."""
    return affinity.translate(g, X0, Y0)


def make_db(path, plots, features=(), epsg=4526):
    """plots: [(DKBM, geometry in local m, owner name or None, DKLB, DKMC)] (last items optional);
    features: [(layer, geometry, DWMC, KD)]."""
    from quequan.core.township_db import TownshipDB, create_database
    create_database(path, epsg, overwrite=True)
    dk_rows, dk_geoms, cbf, cbdkxx = [], [], [], []
    owners = {}
    for k, item in enumerate(plots):
        code, geom = item[0], item[1]
        owner = item[2] if len(item) > 2 else None
        dklb = item[3] if len(item) > 3 else "10"
        dkmc = item[4] if len(item) > 4 else "东洼地"
        if geom is not None and geom.geom_type == "Polygon":
            geom = shapely.MultiPolygon([geom])
        dk_rows.append({"BSM": 1 + k, "YSDM": "211011", "DKBM": code, "DKMC": dkmc, "DKLB": dklb,
                        "DLDJ": "05", "TDYT": "1", "SFJBNT": "2",
                        "SCMJ": round(geom.area, 2) if geom is not None else None,
                        "ZJRXM": owner or ""})
        dk_geoms.append(at(geom) if geom is not None else None)
        if owner:
            if owner not in owners:
                owners[owner] = "%s%04d" % (code[:14], len(owners) + 1)
                cbf.append({"CBFBM": owners[owner], "CBFLX": "1", "CBFMC": owner})
            cbdkxx.append({"DKBM": code, "FBFBM": code[:14], "CBFBM": owners[owner]})
    with TownshipDB(path) as db:
        with db.transaction():
            db.insert("DK", dk_rows, geoms=dk_geoms)
            db.insert("CBF", cbf)
            db.insert("CBDKXX", cbdkxx)
            for layer in ("XZDW", "MZDW", "DZDW"):
                sel = [f for f in features if f[0] == layer]
                if not sel:
                    continue
                rows, geoms = [], []
                for k, (_, g, name, kd) in enumerate(sel):
                    if layer == "XZDW" and g.geom_type == "LineString":
                        g = shapely.MultiLineString([g])
                    if layer == "MZDW" and g.geom_type == "Polygon":
                        g = shapely.MultiPolygon([g])
                    row = {"BSM": 1 + k, "YSDM": {"XZDW": "196021", "MZDW": "196031",
                                                  "DZDW": "196011"}[layer], "DWMC": name}
                    if layer == "XZDW":
                        row["KD"] = kd
                    rows.append(row)
                    geoms.append(at(g))
                db.insert(layer, rows, geoms=geoms)
    return path
