"""Writing the demo township into the GeoPackage: schema field order, BSM/YSDM, chunked inserts."""
from typing import Iterable, Optional, Sequence

from .. import schema

CHUNK = 50000


def full_rows(code: str, rows: Iterable[dict], bsm_start: Optional[int] = 1):
    """Rows with every field of the standard in order; BSM running from bsm_start, YSDM fixed."""
    table = schema.BY_CODE[code]
    out = []
    for n, r in enumerate(rows):
        row = {f: r.get(f) for f in table.field_codes}
        if table.is_layer:
            if "BSM" not in r:
                row["BSM"] = bsm_start + n
            row["YSDM"] = r.get("YSDM") or table.ysdm
        out.append(row)
    return out


def write(db, code: str, rows: Sequence[dict], geoms=None, bsm_start: int = 1) -> int:
    """Insert rows (and geometries); the layer's R-tree is filled once at the end, not per row."""
    rows = full_rows(code, rows, bsm_start)
    if not rows:
        return 0
    triggers = []
    if geoms is not None:
        triggers = db.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name=? "
            "AND name LIKE 'rtree%'", (db.name(code),)).fetchall()
        for name, _ in triggers:
            db.conn.execute('DROP TRIGGER "%s"' % name)
        pk = db.primary_key(code)
        last = db.conn.execute('SELECT max("%s") FROM "%s"' % (pk, db.name(code))).fetchone()[0] or 0
    for s in range(0, len(rows), CHUNK):
        db.insert(code, rows[s:s + CHUNK], None if geoms is None else geoms[s:s + CHUNK])
    if triggers:
        import numpy as np
        import shapely
        fids = [r[0] for r in db.conn.execute('SELECT "%s" FROM "%s" WHERE "%s" > ? ORDER BY "%s"' % (
            pk, db.name(code), pk, pk), (last,))]
        bounds = shapely.bounds(np.asarray(geoms, dtype=object))
        good = ~np.isnan(bounds).any(axis=1)
        rtree = "rtree_%s_%s" % (db.name(code), db.geometry_column(code))
        db.conn.executemany('INSERT INTO "%s" VALUES (?, ?, ?, ?, ?)' % rtree, (
            (f, b[0], b[2], b[1], b[3]) for f, b, ok in zip(fids, bounds.tolist(), good) if ok))
        for _, sql in triggers:
            db.conn.execute(sql)
    return len(rows)


def write_admin_units(db, units) -> None:
    """qq_admin_unit rows, inside the caller's transaction (admin_list.store_admin_units opens its own)."""
    db.conn.executemany(
        "INSERT INTO qq_admin_unit (code, name, level, is_fbf) VALUES (?, ?, ?, ?)",
        [(u["code"], u["name"], u["level"], 1 if u["is_fbf"] else 0) for u in units])


def write_admin_csv(path: str, units) -> None:
    import csv
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "level"])
        for u in units:
            w.writerow([u["code"], u["name"], u["level"]])
