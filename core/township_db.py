"""The township GeoPackage (全镇一张图): creation from the schema, reading and writing.

Creation goes through GDAL/OGR (valid GeoPackage metadata, SRS rows, R-tree);
bulk reading and writing through sqlite3, which is fast and Qt-free.
"""
import os
import re
import sqlite3
from contextlib import contextmanager
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np

from . import schema
from .gpkg_blob import blob_of, register_functions, wkb_of

DEFAULT_EPSG = 4526


class DatabaseError(Exception):
    """A problem with the township database, described for the user (Chinese)."""


def check_epsg(epsg) -> int:
    try:
        value = int(str(epsg).upper().replace("EPSG:", ""))
    except ValueError:
        raise DatabaseError("坐标系 %s 无法识别：请使用 CGCS2000 3度带高斯投影（EPSG:4513–4554）" % epsg)
    if not 4513 <= value <= 4554:
        raise DatabaseError(
            "坐标系 EPSG:%d 不是 CGCS2000 3度带高斯-克吕格投影；请选择 EPSG:4513–4554 之一"
            "（带号前缀 4513–4533，无前缀 4534–4554）" % value)
    return value


def _ogr_field(ogr, fld: schema.Field):
    if fld.kind == schema.CHAR:
        d = ogr.FieldDefn(fld.code, ogr.OFTString)
        d.SetWidth(fld.length)
    elif fld.kind == schema.FLOAT:
        d = ogr.FieldDefn(fld.code, ogr.OFTReal)
        d.SetWidth(fld.length)
        d.SetPrecision(fld.decimals)
    elif fld.kind == schema.INT:
        d = ogr.FieldDefn(fld.code, ogr.OFTInteger64)  # GPKG "INTEGER"
    else:
        d = ogr.FieldDefn(fld.code, ogr.OFTDate)
    return d


def create_database(path: str, epsg=DEFAULT_EPSG, overwrite: bool = False) -> str:
    """Write an empty township database with every layer and table of the standard."""
    from osgeo import ogr, osr
    epsg = check_epsg(epsg)
    if os.path.exists(path):
        if not overwrite:
            raise DatabaseError("文件 %s 已存在；请换一个文件名或先删除它" % path)
        os.remove(path)
    srs = osr.SpatialReference()
    if srs.ImportFromEPSG(epsg) != 0:
        raise DatabaseError("无法读取坐标系 EPSG:%d 的定义（GDAL/PROJ 数据缺失）" % epsg)
    geom_types = {"POINT": ogr.wkbPoint, "MULTILINESTRING": ogr.wkbMultiLineString,
                  "MULTIPOLYGON": ogr.wkbMultiPolygon}
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    if ds is None:
        raise DatabaseError("无法创建 GeoPackage 文件 %s（目录不存在或无写权限）" % path)
    try:
        for t in schema.ALL:
            if t.is_layer:
                lyr = ds.CreateLayer(t.code, srs, geom_types[t.geometry],
                                     ["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES",
                                      "DESCRIPTION=" + t.name])
            else:
                lyr = ds.CreateLayer(t.code, None, ogr.wkbNone,
                                     ["FID=fid", "DESCRIPTION=" + t.name, "ASPATIAL_VARIANT=GPKG_ATTRIBUTES"])
            for fld in t.fields:
                lyr.CreateField(_ogr_field(ogr, fld))
    finally:
        ds = None
    with TownshipDB(path) as db:
        from .plugin_tables import ensure_plugin_tables, set_setting
        ensure_plugin_tables(db)
        set_setting(db, "epsg", epsg)
    return path


_TEXT_LEN = re.compile(r"^\s*TEXT\s*\((\d+)\)\s*$", re.I)

def _wkbs(values: Sequence, stripped: Sequence) -> List[Optional[bytes]]:
    """WKB per row: as SQLite returned it where it stripped the header, else wkb_of."""
    out = list(values)
    for i in np.flatnonzero(~np.array(stripped, dtype=bool)).tolist():
        out[i] = wkb_of(out[i])
    return out


class TownshipDB:
    """sqlite3 access to a township GeoPackage; table and field names as stored."""

    def __init__(self, path: str, readonly: bool = False):
        if not os.path.exists(path):
            raise DatabaseError("找不到乡镇数据库 %s" % path)
        self.path = path
        uri = "file:%s?mode=ro" % path if readonly else path
        try:
            self.conn = sqlite3.connect(uri, uri=readonly, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys=OFF")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError("%s 不是有效的 GeoPackage/SQLite 文件（%s）" % (path, exc))
        register_functions(self.conn)
        self._tables = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # --- structure -------------------------------------------------------
    def table_names(self) -> Dict[str, str]:
        """UPPER name -> stored name, for user tables (gpkg_contents or plain)."""
        if self._tables is None:
            rows = self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table','view')").fetchall()
            self._tables = {r[0].upper(): r[0] for r in rows
                            if not r[0].startswith(("gpkg_", "rtree_", "sqlite_"))}
        return self._tables

    def refresh(self):
        self._tables = None

    def has(self, table: str) -> bool:
        return table.upper() in self.table_names()

    def name(self, table: str) -> str:
        return self.table_names()[table.upper()]

    def columns(self, table: str) -> Dict[str, tuple]:
        """UPPER column -> (stored name, declared type)."""
        rows = self.conn.execute('PRAGMA table_info("%s")' % self.name(table)).fetchall()
        cols = {r[1].upper(): (r[1], (r[2] or "").upper()) for r in rows}
        # Other tools name the key and geometry columns differently (OBJECTID, SHAPE):
        # FID and GEOM always reach them.
        pk = [r for r in rows if r[5]]
        if "FID" not in cols and len(pk) == 1:
            cols["FID"] = (pk[0][1], (pk[0][2] or "").upper())
        gcol = self.geometry_column(table)
        if gcol and "GEOM" not in cols and gcol.upper() in cols:
            cols["GEOM"] = cols[gcol.upper()]
        return cols

    def geometry_column(self, table: str) -> Optional[str]:
        try:
            row = self.conn.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)",
                (table,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def srs_id(self, table: str) -> Optional[int]:
        try:
            row = self.conn.execute(
                "SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)",
                (table,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return int(row[0]) if row else None

    def epsg(self, table: str = "DK") -> Optional[int]:
        """EPSG code of a layer (via gpkg_spatial_ref_sys organization)."""
        srs = self.srs_id(table)
        if srs is None:
            return None
        row = self.conn.execute(
            "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id=?",
            (srs,)).fetchone()
        if row and (row[0] or "").upper() == "EPSG":
            return int(row[1])
        return srs

    def count(self, table: str) -> int:
        if not self.has(table):
            return 0
        return self.conn.execute('SELECT count(*) FROM "%s"' % self.name(table)).fetchone()[0]

    # --- reading ---------------------------------------------------------
    def read(self, table: str, fields: Optional[Sequence[str]] = None,
             where: str = "", params: Sequence = (), order: str = "") -> List[dict]:
        """Rows as dicts keyed by UPPER field code; missing fields read as None.
        order: an ORDER BY expression (stored column names), default the table's order."""
        if not self.has(table):
            return []
        cols = self.columns(table)
        gcol = (self.geometry_column(table) or "GEOM").upper()
        wanted = [f.upper() for f in fields] if fields else [
            c for c in cols if c not in ("GEOM", gcol) and cols[c][0] != cols.get("FID", ("",))[0]]
        if not fields and "FID" in cols:
            wanted.insert(0, "FID")
        present = [f for f in wanted if f in cols]
        sel = ", ".join('"%s"' % cols[f][0] for f in present) or "1"
        sql = 'SELECT %s FROM "%s"' % (sel, self.name(table))
        if where:
            sql += " WHERE " + where
        if order:
            sql += " ORDER BY " + order
        out = []
        for row in self.conn.execute(sql, params):
            d = dict.fromkeys(wanted)
            d.update(zip(present, row))
            out.append(d)
        return out

    def read_geometries(self, layer: str, fields: Sequence[str] = ()):
        """(rows, wkbs): attribute dicts with FID, and the WKB (None when NULL/empty)."""
        wanted, present, data = self._fetch_with_geometry(layer, fields)
        if data is None:
            return [], []
        keys = ["FID"] + present
        rows = [dict(zip(keys, rec)) for rec in data]     # the two geometry columns
        if present != wanted:                             # are beyond the keys
            order = ["FID"] + wanted
            rows = [dict(dict.fromkeys(order), **r) for r in rows]
        return rows, _wkbs([rec[-2] for rec in data], [rec[-1] for rec in data])

    def read_geometry_columns(self, layer: str, fields: Sequence[str] = ()):
        """(fids, columns, wkbs) in FID order, column-wise: fids an int64 array, columns
        {FIELD: list of values} (None for a field the layer lacks), wkbs as in
        read_geometries. One fetch, no Python work per row beyond it: the plots of a
        township read in a fraction of a second."""
        wanted, present, data = self._fetch_with_geometry(layer, fields)
        if not data:
            return np.zeros(0, dtype=np.int64), {f: [] for f in wanted}, []
        table = list(zip(*data))
        by_field = dict(zip(present, table[1:-2]))
        n = len(data)
        columns = {f: list(by_field[f]) if f in by_field else [None] * n for f in wanted}
        return np.array(table[0], dtype=np.int64), columns, _wkbs(table[-2], table[-1])

    def fid_range(self, layer: str) -> Optional[tuple]:
        """(smallest, largest) FID of a layer, None when it is empty or absent (an index
        lookup, unlike count(), which reads the whole table)."""
        if not self.has(layer):
            return None
        pk = self.primary_key(layer)
        row = self.conn.execute('SELECT min("%s"), max("%s") FROM "%s"' % (
            pk, pk, self.name(layer))).fetchone()
        return None if row is None or row[0] is None else (int(row[0]), int(row[1]))

    def _fetch_with_geometry(self, layer: str, fields: Sequence[str]):
        """(wanted fields, present fields, [(fid, *present, geometry, stripped)]) in FID
        order; data is None without the layer or its geometry column. SQLite strips the
        usual GeoPackage header (version 0, XY envelope: 40 bytes) itself; `stripped`
        says so, the other blobs come raw (gpkg_blob.wkb_of reads them)."""
        wanted = []
        for f in fields:
            if f.upper() != "FID" and f.upper() not in wanted:
                wanted.append(f.upper())
        gcol = self.geometry_column(layer)
        if gcol is None or not self.has(layer):
            return wanted, [], None
        cols = self.columns(layer)
        present = [f for f in wanted if f in cols]
        pk = self.primary_key(layer)
        usual = "length(\"%s\") >= 8 AND substr(\"%s\", 1, 4) = X'47500003'" % (gcol, gcol)
        sql = 'SELECT "%s", %sCASE WHEN %s THEN substr("%s", 41) ELSE "%s" END, %s FROM "%s" ' \
              'ORDER BY "%s"' % (pk, "".join('"%s", ' % cols[f][0] for f in present), usual, gcol,
                                 gcol, usual, self.name(layer), pk)
        return wanted, present, self.conn.execute(sql).fetchall()

    def primary_key(self, table: str) -> str:
        for r in self.conn.execute('PRAGMA table_info("%s")' % self.name(table)):
            if r[5]:
                return r[1]
        return "rowid"

    # --- writing ---------------------------------------------------------
    @contextmanager
    def transaction(self):
        self.conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def insert(self, table: str, rows: Iterable[dict], geoms=None, srs_id: Optional[int] = None):
        """Insert rows (dicts keyed by field code); geoms: shapely geometries, same order."""
        rows = list(rows)
        if not rows:
            return 0
        cols = self.columns(table)
        keys = [k for k in rows[0].keys() if k.upper() in cols]
        names = [cols[k.upper()][0] for k in keys]
        gcol = self.geometry_column(table) if geoms is not None else None
        if gcol:
            import shapely
            srs_id = srs_id or self.srs_id(table)
            wkbs = shapely.to_wkb(geoms, include_srid=False, flavor="iso")
            bounds = shapely.bounds(geoms)
            names.append(gcol)
        sql = 'INSERT INTO "%s" (%s) VALUES (%s)' % (
            self.name(table), ", ".join('"%s"' % n for n in names), ", ".join("?" * len(names)))

        def gen():
            for i, r in enumerate(rows):
                vals = [r.get(k) for k in keys]
                if gcol:
                    g = geoms[i]
                    vals.append(None if g is None else blob_of(wkbs[i], srs_id, bounds[i]))
                yield vals
        self.conn.executemany(sql, gen())
        return len(rows)

    def update(self, table: str, key_field: str, key, values: Dict):
        cols = self.columns(table)
        sets = ", ".join('"%s"=?' % cols[k.upper()][0] for k in values)
        self.conn.execute('UPDATE "%s" SET %s WHERE "%s"=?' % (
            self.name(table), sets, cols[key_field.upper()][0]), list(values.values()) + [key])
