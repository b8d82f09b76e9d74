"""Shapefiles of the exchange format: reading (OGR geometry + own DBF) and writing.

Geometry comes from OGR, which knows the .shp format and ring orientation;
attributes come from dbf.py, which knows encodings and widths. A damaged
file set (missing part, truncated .shp, record counts that disagree) stops
the import with a message naming the file.
"""
import os
import struct
from typing import List, Optional, Sequence

from . import dbf
from .errors import ExchangeError
from .source import SourceTable

GEOMETRY_KINDS = {1: "POINT", 11: "POINT", 21: "POINT", 8: "POINT", 18: "POINT", 28: "POINT",
                  3: "LINE", 13: "LINE", 23: "LINE", 5: "POLYGON", 15: "POLYGON", 25: "POLYGON"}


def sibling(shp_path: str, ext: str) -> Optional[str]:
    """The file of the set with extension ext, matched case-insensitively."""
    folder, stem = os.path.split(os.path.splitext(shp_path)[0])
    target = (stem + ext).lower()
    for name in os.listdir(folder or "."):
        if name.lower() == target:
            return os.path.join(folder, name)
    return None


def _check_shp(path: str) -> int:
    """Shape type from the .shp header; raise when the file is truncated."""
    name = os.path.basename(path)
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994:
        raise ExchangeError("%s 不是有效的 shapefile（文件头损坏或文件过短）" % name)
    declared = struct.unpack(">i", head[24:28])[0] * 2
    if declared > size:
        raise ExchangeError("%s 被截断：文件头声明 %d 字节，实际只有 %d 字节；请向测绘单位重新索取该文件"
                            % (name, declared, size))
    return struct.unpack("<i", head[32:36])[0]


class _GdalErrors:
    """Collect GDAL errors raised while reading instead of printing them."""

    def __init__(self):
        self.messages: List[str] = []

    def __enter__(self):
        from osgeo import gdal
        gdal.PushErrorHandler(self._handle)
        return self

    def _handle(self, cls, num, msg):
        from osgeo import gdal
        if cls >= gdal.CE_Failure:
            self.messages.append(msg)

    def __exit__(self, *exc):
        from osgeo import gdal
        gdal.PopErrorHandler()


def read_shapefile(path: str, encoding: Optional[str] = None) -> SourceTable:
    from osgeo import ogr
    name = os.path.basename(path)
    for ext, what in ((".shx", "索引文件 .shx"), (".dbf", "属性表 .dbf")):
        if sibling(path, ext) is None:
            raise ExchangeError("%s 缺少%s，无法导入；请向测绘单位索取完整的 shapefile（.shp/.shx/.dbf/.prj）"
                                % (name, what))
    shape_type = _check_shp(path)
    table = dbf.read_dbf(sibling(path, ".dbf"), encoding)
    with _GdalErrors() as errs:
        ds = ogr.Open(path, 0)
        if ds is None:
            raise ExchangeError("无法打开 %s：%s" % (name, "; ".join(errs.messages) or "格式无法识别"))
        layer = ds.GetLayer(0)
        wkbs: List[Optional[bytes]] = [None] * (len(table.records) + table.deleted)
        n_shapes = layer.GetFeatureCount()
        for feat in layer:
            geom = feat.GetGeometryRef()
            fid = feat.GetFID()
            if 0 <= fid < len(wkbs):
                wkbs[fid] = bytes(geom.ExportToIsoWkb()) if geom is not None and not geom.IsEmpty() else None
        ds = None
    if errs.messages:
        raise ExchangeError("%s 的图形无法读取（文件可能已损坏）：%s" % (name, errs.messages[0]))
    total = len(table.records) + table.deleted
    if n_shapes != total:
        raise ExchangeError("%s 的图形数 %d 与属性表记录数 %d 不一致（.shp 与 .dbf 不配套或已损坏）"
                            % (name, n_shapes, total))
    src = SourceTable(
        label=name, path=path, fields=[f.name for f in table.fields], rows=table.records,
        row_numbers=table.record_numbers, wkbs=[wkbs[n - 1] for n in table.record_numbers],
        geometry_type=GEOMETRY_KINDS.get(shape_type), encoding=table.encoding,
        encoding_source=table.encoding_source)
    from .crs import read_prj
    src.prj = read_prj(path)
    for rec, fld, raw, why in table.problems:
        src.notes.append("%s 第 %d 条记录字段 %s：%s" % (name, rec, fld, why))
    if table.deleted:
        src.notes.append("%s 含 %d 条已删除标记的记录，未导入" % (name, table.deleted))
    return src


def write_shapefile(path: str, geometry: str, epsg: int, wkbs: Sequence[Optional[bytes]],
                    fields: Sequence[dbf.DbfField], rows: Sequence[Sequence[object]],
                    encoding: str = "gbk", cpg: Optional[str] = "GBK") -> None:
    """.shp/.shx/.prj through OGR (rings clockwise), then the .dbf written by dbf.py."""
    from osgeo import ogr
    from .crs import esri_wkt
    types = {"POINT": ogr.wkbPoint, "MULTILINESTRING": ogr.wkbLineString,
             "MULTIPOLYGON": ogr.wkbPolygon}
    base = os.path.splitext(path)[0]
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        if os.path.exists(base + ext):
            os.remove(base + ext)
    drv = ogr.GetDriverByName("ESRI Shapefile")
    with _GdalErrors() as errs:
        ds = drv.CreateDataSource(path)
        if ds is None:
            raise ExchangeError("无法写入 %s：%s" % (path, "; ".join(errs.messages)))
        layer = ds.CreateLayer(os.path.basename(base), None, types[geometry])
        layer.CreateField(ogr.FieldDefn("ID", ogr.OFTInteger))
        defn = layer.GetLayerDefn()
        for wkb in wkbs:
            feat = ogr.Feature(defn)
            if wkb is not None:
                feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
            layer.CreateFeature(feat)
        ds = None
    if errs.messages:
        raise ExchangeError("写入 %s 失败：%s" % (os.path.basename(path), errs.messages[0]))
    # OGR wrote a placeholder .dbf; replace it with the standard fields and widths.
    dbf.write_dbf(base + ".dbf", fields, rows, encoding)
    with open(base + ".prj", "w", encoding="ascii") as fh:
        fh.write(esri_wkt(epsg))
    if cpg:
        with open(base + ".cpg", "w", encoding="ascii") as fh:
            fh.write(cpg)
