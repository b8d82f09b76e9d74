"""Import a delivery in the 汇交 layout (矢量数据 shapefiles + 权属数据 tables)
into the township database, merging it with what is already there."""
import os
from typing import Callable, List, Optional

from .. import schema
from ..township_db import DatabaseError, TownshipDB
from .coerce import standard_mapping
from .errors import ExchangeError, ImportCancelled
from .layout import LAYER_CODES, OWNERSHIP_DIR, VECTOR_DIR, find_files, locate_root
from .merge import Merger, Prepared, backup_database
from .ownership import open_ownership_source
from .prepare import prepare
from .report import INFO, WARNING, ImportReport
from .seam import edge_check
from .shapefile import read_shapefile
from .source import SourceTable


class Progress:
    """Phases of an import on one 0–100 bar; cancel checked between files."""

    def __init__(self, progress=None, is_canceled=None):
        self._progress, self._is_canceled = progress, is_canceled

    def __call__(self, pct: float):
        if self._progress:
            self._progress(max(0.0, min(100.0, pct)))

    def span(self, base: float, width: float) -> Callable[[float], None]:
        return lambda p: self(base + width * p / 100.0)

    def check(self):
        if self._is_canceled and self._is_canceled():
            raise ImportCancelled()


def township_epsg(db: TownshipDB) -> int:
    epsg = db.epsg("DK") if db.has("DK") else None
    if not epsg:
        raise ExchangeError("无法确定乡镇数据库 %s 的坐标系（DK 图层缺失）" % db.path)
    return int(epsg)


def map_standard(code: str, src: SourceTable, report: ImportReport):
    """Field names of a standard-layout file: codes in any case; unknown ones reported."""
    mapping, unknown = standard_mapping(schema.BY_CODE[code], src.fields)
    if unknown:
        report.add(INFO, code, None, "、".join(unknown), "", "不是标准字段，未导入", "未导入", src.label)
    missing = [f for f in schema.BY_CODE[code].field_codes if f not in mapping.values()]
    if missing and src.rows:
        report.add(WARNING, code, None, "、".join(missing), "", "文件中没有这些标准字段，导入为空",
                   "置空", src.label)
    return mapping


def read_submission(root: str, report: ImportReport, epsg: int, progress: Progress,
                    encoding=None, allow_datum_change=False) -> List[Prepared]:
    vector_dir = os.path.join(root, VECTOR_DIR)
    if not os.path.isdir(vector_dir):
        vector_dir = root
    own_dir = os.path.join(root, OWNERSHIP_DIR)
    if not os.path.isdir(own_dir):
        own_dir = root
    layer_files, other = find_files(vector_dir, (".shp",), LAYER_CODES)
    if other:
        report.messages.append("矢量数据中未识别的 shapefile（未导入）：%s" % "、".join(other))
    source = open_ownership_source(own_dir)
    tables = source.tables() if source else []
    if not layer_files and not tables:
        raise ExchangeError("在 %s 中没有找到按标准命名的 shapefile（如 DK2205812016.shp）或权属数据表"
                            "（如 CBF.dbf）" % root)
    if source:
        report.messages.extend(source.notes())
    prepared: List[Prepared] = []
    jobs = [("layer", c) for c in (t.code for t in schema.LAYERS) if c in layer_files]
    jobs += [("table", c) for c in tables]
    for i, (kind, code) in enumerate(jobs):
        progress.check()
        progress(40.0 * i / len(jobs))
        parts = ([read_shapefile(p, encoding) for p in layer_files[code]] if kind == "layer"
                 else source.read(code, encoding))
        for part in parts:
            mapping = map_standard(code, part, report)
            prepared.append(prepare(code, part, mapping, report, epsg, allow_datum_change))
    missing = [c for c in schema.REQUIRED_LAYERS if c not in layer_files]
    if missing:
        report.messages.append("交付数据中没有必选图层 %s" % "、".join(missing))
    return prepared


def write_prepared(db_path: str, prepared: List[Prepared], report: ImportReport, progress: Progress,
                   on_collision: str = "skip", backup: bool = True, run_edge_check: bool = True,
                   assign_missing_bsm: bool = False) -> ImportReport:
    """Plan (keys, BSM), back up, write in one transaction, then check the seam."""
    try:
        db = TownshipDB(db_path)
    except DatabaseError as exc:
        raise ExchangeError(str(exc))
    try:
        merger = Merger(db, report, on_collision)
        merger.check_structure(prepared)
        had_plots = db.count("DK") > 0
        planned = [merger.plan(p, assign_missing_bsm) for p in prepared]
        merger.finish_plan()
        progress.check()
        if backup:
            report.backup = backup_database(db_path)
        merger.write(planned, progress.span(45, 35))
        first_new = merger.max_fid_before.get("DK", 0) + 1 \
            if any(p.code == "DK" and p.rows for p in planned) else None
    finally:
        db.close()
    if run_edge_check:
        report.edge = edge_check(db_path, first_new, had_plots, progress.span(80, 20))
    progress(100)
    return report


def import_submission(folder: str, township_db_path: str, progress=None, *, on_collision: str = "skip",
                      encoding: Optional[str] = None, allow_datum_change: bool = False,
                      strict: bool = False, backup: bool = True, run_edge_check: bool = True,
                      is_canceled=None) -> ImportReport:
    """Read a delivery folder and merge it into the township database.

    on_collision: 'skip' (default: colliding rows are not imported and are listed),
    'replace' (existing rows with the key are deleted first) or 'abort'.
    encoding forces the DBF/CSV encoding (otherwise .cpg, language byte, trial decode).
    strict: refuse the import when any value had to be set empty.
    Raises ExchangeError with a Chinese message; the database is then unchanged.
    """
    prog = Progress(progress, is_canceled)
    root = locate_root(folder)
    report = ImportReport(source=root, database=township_db_path)
    try:
        with TownshipDB(township_db_path, readonly=True) as db:
            report.epsg = township_epsg(db)
    except DatabaseError as exc:
        raise ExchangeError(str(exc))
    prepared = read_submission(root, report, report.epsg, prog, encoding, allow_datum_change)
    if strict and report.errors:
        first = report.errors[0]
        raise ExchangeError("导入中止（严格模式）：%d 个值不符合标准，例如 %s 第 %s 行 %s=%s：%s；数据库未改变"
                            % (len(report.errors), first.source, first.row, first.field, first.value,
                               first.reason))
    return write_prepared(township_db_path, prepared, report, prog, on_collision, backup, run_edge_check)
