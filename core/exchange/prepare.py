"""A source table -> rows and geometries of one standard layer/table (Prepared)."""
from typing import Dict, Optional

import shapely

from .. import schema
from .coerce import coerce_rows
from .crs import decide
from .errors import ExchangeError
from .merge import Prepared
from .report import ImportReport, INFO, WARNING
from .source import SourceTable

_EXPECTED = {"POINT": "POINT", "MULTILINESTRING": "LINE", "MULTIPOLYGON": "POLYGON"}
_KIND_TEXT = {"POINT": "点", "LINE": "线", "POLYGON": "面"}
_TYPE_KIND = {"Point": "POINT", "MultiPoint": "POINT", "LineString": "LINE",
              "MultiLineString": "LINE", "Polygon": "POLYGON", "MultiPolygon": "POLYGON"}


def prepare(code: str, src: SourceTable, mapping: Dict[str, str], report: ImportReport,
            township_epsg: Optional[int] = None, allow_datum_change: bool = False,
            fill_ysdm: bool = False) -> Prepared:
    table = schema.BY_CODE[code]
    for note in src.notes:
        report.add(WARNING, code, None, "", "", note, source=src.label)
    if src.encoding and src.encoding != "xlsx":
        report.encodings[src.label] = "%s（%s）" % (src.encoding.upper(), src.encoding_source)
    rows = coerce_rows(code, src, mapping, report)
    report.count(code).read += len(rows)
    if fill_ysdm and table.ysdm:
        filled = sum(1 for r in rows if r.get("YSDM") is None)
        for r in rows:
            if r.get("YSDM") is None:
                r["YSDM"] = table.ysdm
        if filled:
            report.add(INFO, code, None, "YSDM", table.ysdm, "%d 条记录的要素代码按图层填为 %s"
                       % (filled, table.ysdm), "已填写", src.label)
    geoms = None
    if table.is_layer:
        geoms = _geometries(code, table, src, report, township_epsg, allow_datum_change)
    return Prepared(code, rows, list(src.row_numbers), src.label, geoms)


def _geometries(code, table, src, report, township_epsg, allow_datum_change):
    if src.wkbs is None:
        raise ExchangeError("%s 没有图形，不能导入为图层 %s" % (src.label, code))
    want = _EXPECTED[table.geometry]
    if src.geometry_type and src.geometry_type != want:
        raise ExchangeError("%s 是%s图层，%s（%s）应为%s图层" % (
            src.label, _KIND_TEXT.get(src.geometry_type, src.geometry_type), code, table.name,
            _KIND_TEXT[want]))
    decision = decide(src.label, src.prj, src.bounds(), township_epsg, allow_datum_change)
    for note in decision.notes:
        report.messages.append(note)
    wkbs = [decision.apply(w) for w in src.wkbs]
    geoms = list(shapely.from_wkb(wkbs, on_invalid="ignore")) if wkbs else []
    out = []
    for g, rowno in zip(geoms, src.row_numbers):
        if g is None or g.is_empty:
            out.append(None)
            continue
        kind = _TYPE_KIND.get(g.geom_type)
        if kind != want:
            raise ExchangeError("%s 第 %d 条记录的图形是 %s，%s 应为%s" % (
                src.label, rowno, g.geom_type, code, _KIND_TEXT[want]))
        out.append(_promote(g, table.geometry, code, rowno, report, src.label))
    return out


def _promote(g, declared, code, rowno, report, label):
    """Single -> multi for multi-typed layers; a one-point multipoint -> point."""
    if declared == "MULTIPOLYGON" and g.geom_type == "Polygon":
        return shapely.MultiPolygon([g])
    if declared == "MULTILINESTRING" and g.geom_type == "LineString":
        return shapely.MultiLineString([g])
    if declared == "POINT" and g.geom_type == "MultiPoint":
        parts = shapely.get_parts(g)
        if len(parts) == 1:
            return parts[0]
        report.add(WARNING, code, rowno, "geom", "", "多点图形（%d 个点），按原样导入" % len(parts),
                   "原样导入", label)
    return g
