"""Replacing the whole content of a GeoPackage layer quickly (JZD/JZX of a township).

Row by row, GDAL's R-tree and feature-count triggers cost more than the rows
themselves (half a million trigger calls for a 100,000-plot township). Inside
the caller's transaction the layer's triggers are set aside, the rows written
with fids 1…n, the R-tree re-created and filled from the geometries' bounds,
the feature count set, and the triggers put back exactly as they were. SQLite
DDL is transactional: a failure rolls all of it back, triggers included.
"""
import numpy as np
import shapely


def replace_layer(db, layer: str, rows, geoms) -> int:
    """Delete every feature of layer and insert rows/geoms; returns the count removed."""
    table, gcol = db.name(layer), db.geometry_column(layer)
    removed = db.count(layer)
    triggers = db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND lower(tbl_name)=lower(?) "
        "AND sql IS NOT NULL ORDER BY name", (table,)).fetchall()
    for name, _ in triggers:
        db.conn.execute('DROP TRIGGER "%s"' % name)
    db.conn.execute('DELETE FROM "%s"' % table)
    rtree = "rtree_%s_%s" % (table, gcol) if gcol else None
    if rtree and not db.conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (rtree,)).fetchone():
        rtree = None
    if rtree:
        # emptying an R-tree row by row is slow: drop and re-create it from its own SQL
        sql = db.conn.execute("SELECT sql FROM sqlite_master WHERE name=?", (rtree,)).fetchone()[0]
        db.conn.execute('DROP TABLE "%s"' % rtree)
        db.conn.execute(sql)
    if rows:
        _insert_numbered(db, layer, rows, geoms)
    if rtree and rows:
        g = np.asarray(geoms, dtype=object)
        ok = ~(shapely.is_missing(g) | shapely.is_empty(g))
        b = shapely.bounds(g[ok])
        fids = np.flatnonzero(ok) + 1
        db.conn.executemany('INSERT INTO "%s" VALUES (?, ?, ?, ?, ?)' % rtree,
                            zip(fids.tolist(), b[:, 0].tolist(), b[:, 2].tolist(),
                                b[:, 1].tolist(), b[:, 3].tolist()))
    if db.conn.execute("SELECT 1 FROM sqlite_master WHERE name='gpkg_ogr_contents'").fetchone():
        db.conn.execute("UPDATE gpkg_ogr_contents SET feature_count=? WHERE lower(table_name)=lower(?)",
                        (len(rows), table))
    for _, sql in triggers:
        db.conn.execute(sql)
    return removed


def _insert_numbered(db, layer, rows, geoms):
    """rows (dicts keyed by field code) with fids 1…n; GeoPackage blobs built in bulk."""
    cols = db.columns(layer)
    keys = [k for k in rows[0] if k.upper() in cols and k.upper() != "FID"]
    names = [db.primary_key(layer)] + [cols[k.upper()][0] for k in keys]
    values = [range(1, len(rows) + 1)] + [[r.get(k) for r in rows] for k in keys]
    gcol = db.geometry_column(layer)
    if gcol and geoms is not None:
        names.append(gcol)
        values.append(_blobs(np.asarray(geoms, dtype=object), db.srs_id(layer)))
    db.conn.executemany('INSERT INTO "%s" (%s) VALUES (%s)' % (
        db.name(layer), ", ".join('"%s"' % n for n in names), ", ".join("?" * len(names))),
        zip(*values))


_HEADER = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"),
                    ("env", "<f8", (4,))])


def _blobs(geoms, srs_id):
    """GeoPackage blobs (little-endian header with an XY envelope, as gpkg_blob.blob_of
    writes them) of non-empty geometries; None for missing ones."""
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out = [None] * len(geoms)
    idx = np.flatnonzero(present)
    if not len(idx):
        return out
    wkb = shapely.to_wkb(geoms[idx], flavor="iso")
    b = shapely.bounds(geoms[idx])
    head = np.zeros(len(idx), dtype=_HEADER)
    head["magic"], head["flags"], head["srs"] = b"GP", 0x03, srs_id
    head["env"] = b[:, [0, 2, 1, 3]]                 # minx, maxx, miny, maxy
    raw, size = head.tobytes(), _HEADER.itemsize
    for k, (i, w) in enumerate(zip(idx.tolist(), wkb)):
        out[i] = raw[k * size:(k + 1) * size] + w
    return out
