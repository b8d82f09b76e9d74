"""Import a plot layer with arbitrary field names (shapefile, GeoPackage …) and
an optional ledger (台账, xlsx/csv) through a field mapping."""
import os
import re
from typing import List, Optional, Union

from ..township_db import DatabaseError, TownshipDB
from .errors import ExchangeError
from .import_submission import Progress, township_epsg, write_prepared
from .ledger import ledger_tables
from .mapping import FieldMapping, load_mapping, save_mapping, suggest_layer, suggest_sheet
from .prepare import prepare
from .report import INFO, ImportReport
from .shapefile import read_shapefile
from .source import SourceTable
from .tabular import read_table_file

MappingArg = Union[None, str, dict, FieldMapping]
_KINDS = {1: "POINT", 4: "POINT", 2: "LINE", 5: "LINE", 3: "POLYGON", 6: "POLYGON"}


def read_layer(path: str, layer_name: Optional[str] = None, encoding: Optional[str] = None) -> SourceTable:
    """A vector layer: shapefiles through our DBF reader, anything else through OGR.
    `path|layername=NAME|subset=…` (as QGIS writes it) selects a layer of a GeoPackage and
    applies its filter; a filtered shapefile is refused (its DBF is read directly)."""
    path, _, options = path.partition("|")          # QGIS sources: path|layername=X|subset=…
    m = re.search(r"(?:^|\|)layername=([^|]+)", options)
    if m:
        layer_name = m.group(1)
    m = re.search(r"(?:^|\|)subset=(.+)$", options)
    subset = m.group(1) if m else None
    if not os.path.exists(path):
        raise ExchangeError("找不到文件 %s" % path)
    if path.lower().endswith(".shp"):
        if subset:
            raise ExchangeError("图层 %s 设置了筛选条件（%s）；请先把筛选结果导出为新文件再导入"
                                % (os.path.basename(path), subset))
        return read_shapefile(path, encoding)
    from osgeo import ogr
    from .shapefile import _GdalErrors
    with _GdalErrors() as errs:
        ds = ogr.Open(path, 0)
        if ds is None:
            raise ExchangeError("无法打开 %s：%s" % (path, "; ".join(errs.messages) or "格式无法识别"))
        layer = ds.GetLayerByName(layer_name) if layer_name else None
        if layer_name and layer is None:
            raise ExchangeError("%s 中没有图层 %s" % (os.path.basename(path), layer_name))
        if layer is None:
            polys = [ds.GetLayer(i) for i in range(ds.GetLayerCount())
                     if _KINDS.get(ogr.GT_Flatten(ds.GetLayer(i).GetGeomType()) % 1000) == "POLYGON"]
            if len(polys) != 1:
                raise ExchangeError("%s 含 %d 个面图层，请指定要导入的图层名" % (os.path.basename(path), len(polys)))
            layer = polys[0]
        if subset and layer.SetAttributeFilter(subset) != 0:
            raise ExchangeError("无法应用图层筛选条件 %s" % subset)
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        rows, nums, wkbs = [], [], []
        for feat in layer:
            rows.append({name: feat.GetField(name) for name in names})
            nums.append(feat.GetFID())      # "row" in the report = the feature's FID
            g = feat.GetGeometryRef()
            wkbs.append(bytes(g.ExportToIsoWkb()) if g is not None and not g.IsEmpty() else None)
        srs = layer.GetSpatialRef()
        kind = _KINDS.get(ogr.GT_Flatten(layer.GetGeomType()) % 1000)
        label = "%s[%s]" % (os.path.basename(path), layer.GetName())
        ds = None
    if errs.messages:
        raise ExchangeError("%s 读取出错：%s" % (label, errs.messages[0]))
    return SourceTable(label, path, names, rows, nums, wkbs, srs.ExportToWkt() if srs else None, kind,
                       encoding="utf-8", encoding_source="GeoPackage/OGR")


def read_ledger(path: str, encoding: Optional[str] = None) -> List[SourceTable]:
    sheets = read_table_file(path, encoding)
    for s in sheets:
        if not s.sheet:
            s.sheet = os.path.splitext(os.path.basename(path))[0]
    return sheets


def suggest_mapping(source: str, ledger: Optional[str] = None, layer_name: Optional[str] = None,
                    encoding: Optional[str] = None) -> FieldMapping:
    """A first mapping for the user to confirm; scores tell how sure each line is."""
    src = read_layer(source, layer_name, encoding)
    layer, scores = suggest_layer(src.fields)
    mapping = FieldMapping(layer=layer, scores=dict(scores))
    if ledger:
        for sheet in read_ledger(ledger, encoding):
            cols, sc = suggest_sheet(sheet.sheet, sheet.fields)
            mapping.ledger[sheet.sheet] = cols
            mapping.scores.update({"%s/%s" % (sheet.sheet, k): v for k, v in sc.items()})
    return mapping


def _as_mapping(mapping: MappingArg, db_path: str, mapping_name: Optional[str]) -> Optional[FieldMapping]:
    if isinstance(mapping, FieldMapping):
        mapping.validate()
        return mapping
    if isinstance(mapping, dict):
        m = FieldMapping(dict(mapping.get("layer") or {}), dict(mapping.get("ledger") or {}),
                         mapping.get("name", ""))
        m.validate()
        return m
    if isinstance(mapping, str) and mapping:
        return load_mapping(path=mapping)
    if mapping_name:
        with TownshipDB(db_path, readonly=True) as db:
            return load_mapping(db=db, name=mapping_name)
    return None


def import_layer(source: str, township_db_path: str, mapping: MappingArg = None,
                 ledger: Optional[str] = None, progress=None, *, layer_name: Optional[str] = None,
                 mapping_name: Optional[str] = None, save_mapping_as: Optional[str] = None,
                 on_collision: str = "skip", encoding: Optional[str] = None,
                 allow_datum_change: bool = False, strict: bool = False, backup: bool = True,
                 run_edge_check: bool = True, is_canceled=None) -> ImportReport:
    """Plots (DK) from `source` and households/members/plot assignments from `ledger`.

    mapping: FieldMapping, dict {"layer": {...}, "ledger": {sheet: {col: "TABLE.FIELD"}}},
    path of a .json file, or None (use mapping_name saved in the database, else the
    automatic suggestion, which the report lists). YSDM is filled and missing BSM
    assigned; colliding keys follow on_collision as in import_submission.
    """
    prog = Progress(progress, is_canceled)
    report = ImportReport(source=source + (" + " + ledger if ledger else ""), database=township_db_path)
    try:
        with TownshipDB(township_db_path, readonly=True) as db:
            report.epsg = township_epsg(db)
    except DatabaseError as exc:
        raise ExchangeError(str(exc))
    src = read_layer(source, layer_name, encoding)
    sheets = read_ledger(ledger, encoding) if ledger else []
    fm = _as_mapping(mapping, township_db_path, mapping_name)
    if fm is None:
        fm = FieldMapping(layer=suggest_layer(src.fields)[0])
        for s in sheets:
            fm.ledger[s.sheet] = suggest_sheet(s.sheet, s.fields)[0]
        report.messages.append("未提供字段对应关系，已按自动建议导入（见报告“字段对应”）")
    report.mapping = {"layer": dict(fm.layer), "ledger": {k: dict(v) for k, v in fm.ledger.items()}}
    if "DKBM" not in fm.layer.values():
        report.add(INFO, "DK", None, "DKBM", "", "字段对应中没有地块编码（DKBM），地块导入后编码为空", "置空",
                   src.label)
    missing_cols = [c for c in fm.layer if c not in src.fields]
    if missing_cols:
        raise ExchangeError("字段对应中的字段 %s 在 %s 中不存在" % ("、".join(missing_cols), src.label))
    prog.check()
    prepared = [prepare("DK", src, dict(fm.layer), report, report.epsg, allow_datum_change,
                        fill_ysdm=True)]
    chosen = []
    for s in sheets:
        cols = fm.sheet(s.sheet, only_sheet=len(sheets) == 1)
        absent = [c for c in cols if c not in s.fields]
        if absent:
            raise ExchangeError("字段对应中的列 %s 在台账 %s 中不存在" % ("、".join(absent), s.label))
        if not cols:
            report.messages.append("台账 %s 没有字段对应，未导入" % s.label)
        chosen.append((s, cols))
    prepared.extend(ledger_tables(chosen, report))
    prog(40)
    if strict and report.errors:
        first = report.errors[0]
        raise ExchangeError("导入中止（严格模式）：%d 个值不符合标准，例如 %s 第 %s 行 %s=%s：%s；数据库未改变"
                            % (len(report.errors), first.source, first.row, first.field, first.value,
                               first.reason))
    write_prepared(township_db_path, prepared, report, prog, on_collision, backup, run_edge_check,
                   assign_missing_bsm=True)
    if save_mapping_as:
        with TownshipDB(township_db_path) as db:
            save_mapping(fm, db=db, name=save_mapping_as)
        report.messages.append("字段对应关系已保存到乡镇数据库：%s" % save_mapping_as)
    return report
