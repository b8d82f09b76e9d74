"""A source table -> rows and geometries of one standard layer/table (Prepared)."""
from typing import Dict, Optional

import numpy as np
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
    geoms = shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="ignore") if wkbs \
        else np.array([], dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    geoms[empty] = None
    types = shapely.get_type_id(geoms)
    for i in np.flatnonzero(~empty & ~np.isin(types, _TYPE_IDS[want])):
        raise ExchangeError("%s 第 %d 条记录的图形是 %s，%s 应为%s" % (
            src.label, src.row_numbers[i], geoms[i].geom_type, code, _KIND_TEXT[want]))
    return list(_promote(geoms, types, table.geometry, code, src, report))


# shapely type ids: 0 point, 1 line, 3 polygon, 4 multipoint, 5 multiline, 6 multipolygon
_TYPE_IDS = {"POINT": (0, 4), "LINE": (1, 5), "POLYGON": (3, 6)}


def _promote(geoms, types, declared, code, src, report):
    """Single -> multi for multi-typed layers (in one vectorised step); a one-point
    multipoint -> point; larger multipoints are kept and reported."""
    single = {"MULTIPOLYGON": (3, shapely.multipolygons),
              "MULTILINESTRING": (1, shapely.multilinestrings)}.get(declared)
    if single is not None:
        idx = np.flatnonzero(types == single[0])
        if len(idx):
            geoms[idx] = single[1](geoms[idx], indices=np.arange(len(idx)))
        return geoms
    for i in np.flatnonzero(types == 4):
        parts = shapely.get_parts(geoms[i])
        if len(parts) == 1:
            geoms[i] = parts[0]
        else:
            report.add(WARNING, code, src.row_numbers[i], "geom", "",
                       "多点图形（%d 个点），按原样导入" % len(parts), "原样导入", src.label)
    return geoms
