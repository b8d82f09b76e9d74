"""S01–S03 defects, written to a small companion GeoPackage (structure errors would drown the rest)."""
import os

from .. import schema
from ..township_db import create_database


def companion_path(output_path: str) -> str:
    return os.path.splitext(output_path)[0] + "_structure.gpkg"


def _field(ogr, fld, width=None, kind=None):
    kind = kind or fld.kind
    if kind == schema.CHAR:
        d = ogr.FieldDefn(fld.code, ogr.OFTString)
        d.SetWidth(fld.length if width is None else width)
    elif kind == schema.FLOAT:
        d = ogr.FieldDefn(fld.code, ogr.OFTReal)
    elif kind == schema.INT:
        d = ogr.FieldDefn(fld.code, ogr.OFTInteger64)
    else:
        d = ogr.FieldDefn(fld.code, ogr.OFTDate)
    return d


def _recreate(ds, ogr, osr, code, epsg, widths=None, kinds=None, extra=()):
    """Replace a layer/table by one with the given CRS, field widths and kinds."""
    table = schema.BY_CODE[code]
    ds.DeleteLayer(_index(ds, code))
    if table.is_layer:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(epsg)
        gtype = {"POINT": ogr.wkbPoint, "MULTILINESTRING": ogr.wkbMultiLineString,
                 "MULTIPOLYGON": ogr.wkbMultiPolygon}[table.geometry]
        lyr = ds.CreateLayer(code, srs, gtype, ["FID=fid", "GEOMETRY_NAME=geom"])
    else:
        lyr = ds.CreateLayer(code, None, ogr.wkbNone, ["FID=fid", "ASPATIAL_VARIANT=GPKG_ATTRIBUTES"])
    for fld in table.fields:
        if fld.code in (kinds or {}) and kinds[fld.code] is None:
            continue
        lyr.CreateField(_field(ogr, fld, (widths or {}).get(fld.code), (kinds or {}).get(fld.code)))
    for name in extra:
        d = ogr.FieldDefn(name, ogr.OFTString)
        d.SetWidth(50)
        lyr.CreateField(d)


def _index(ds, code):
    for i in range(ds.GetLayerCount()):
        if ds.GetLayerByIndex(i).GetName() == code:
            return i
    raise KeyError(code)


def companion(output_path: str, town, epsg: int) -> str:
    from osgeo import ogr, osr
    path = companion_path(output_path)
    create_database(path, epsg, overwrite=True)
    ds = ogr.Open(path, 1)
    try:
        for code in ("JZX", "CBHT", "CBJYQZ_QZBF"):
            ds.DeleteLayer(_index(ds, code))
        _recreate(ds, ogr, osr, "DK", epsg, widths={"DKBM": 14}, kinds={"SCMJ": schema.CHAR})
        _recreate(ds, ogr, osr, "CBF", epsg, kinds={"GSSHR": None}, extra=("BZ",))
        _recreate(ds, ogr, osr, "JZD", 4326, widths={"DKBM": 0})
        _recreate(ds, ogr, osr, "KZD", 4545 if epsg != 4545 else 4526)
    finally:
        ds = None
    name = os.path.basename(path)
    other = 4545 if epsg != 4545 else 4526
    for rule, keys, note, look in (
            ("S01", ["JZX"], "缺少必选图层 JZX", False),
            ("S01", ["CBHT"], "缺少必选表 CBHT", False),
            ("S01", ["KZD"], "KZD 存在但没有要素", True),
            ("S01", ["CBJYQZ_QZBF"], "可选表 CBJYQZ_QZBF 不存在", True),
            ("S02", ["DK.DKBM"], "DKBM 声明为 TEXT(14)（标准 19）", False),
            ("S02", ["DK.SCMJ"], "SCMJ 声明为 TEXT", False),
            ("S02", ["CBF.GSSHR"], "CBF 缺少字段 GSSHR", False),
            ("S02", ["JZD.DKBM"], "JZD.DKBM 声明为 TEXT（无长度）", True),
            ("S02", ["CBF.BZ"], "CBF 多出字段 BZ", True),
            ("S03", ["JZD:EPSG:4326"], "JZD 图层为 EPSG:4326", False),
            ("S03", ["KZD:EPSG:%d" % other], "KZD 图层为 EPSG:%d，本乡镇为 EPSG:%d" % (other, epsg), False)):
        town.note(rule, keys, note, lookalike=look, file=name)
    return path
