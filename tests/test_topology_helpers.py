"""Hand-made township databases for the topology tests (no test functions here).

Coordinates are real-sized (EPSG:4526, zone-prefixed eastings ~38 500 000 m) so
that the tolerances are tested at the precision the data really has.
"""
import os

import shapely
from shapely import box as _box

X0, Y0 = 38500000.0, 4000000.0
G01 = "37083211020401"
G02 = "37083211020402"
V204 = "370832110204"
V205 = "370832110205"


def at(x, y):
    return (X0 + x, Y0 + y)


def box(x1, y1, x2, y2):
    return _box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def poly(coords, holes=()):
    return shapely.Polygon([at(*c) for c in coords], [[at(*c) for c in h] for h in holes])


def line(coords):
    return shapely.LineString([at(*c) for c in coords])


def dk(n, group=G01):
    return "%s%05d" % (group, n)


def make_db(tmp_path, plots, layers=None, name="t.gpkg"):
    """plots: [(DKBM, geometry or None, {extra fields})]; layers: {code: [(row, geom)]}."""
    from quequan.core.township_db import TownshipDB, create_database
    path = os.path.join(str(tmp_path), name)
    create_database(path, 4526, overwrite=True)
    with TownshipDB(path) as db:
        rows = []
        for p in plots:
            row = {"DKBM": p[0]}
            if len(p) > 2:
                row.update(p[2])
            rows.append(row)
        if rows:
            keys = sorted({k for r in rows for k in r})
            db.insert("DK", [{k: r.get(k) for k in keys} for r in rows], [p[1] for p in plots])
        for code, items in (layers or {}).items():
            keys = sorted({k for r, _ in items for k in r})
            db.insert(code, [{k: r.get(k) for k in keys} for r, _ in items], [g for _, g in items])
    return path


def run(path, rules, **kwargs):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        ctx = CheckContext(db, **kwargs)
        result = run_checks(ctx, rules)
    return result


def findings(path, rules, **kwargs):
    return run(path, rules, **kwargs).findings


def of(found, rule):
    return [f for f in found if f.rule == rule]
