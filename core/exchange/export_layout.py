"""Write a township database in the 汇交 layout: shapefiles with GBK DBFs and
the ownership tables as one DBF per table (submission.md §2–§4, schema.md §8).

The MDB and metadata XML are other work; this layout is what the importer
reads back and what the package exporter builds on.
"""
import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .. import schema
from ..township_db import DatabaseError, TownshipDB
from .coerce import _date
from .dbf import DbfField, encode_text, format_number, write_dbf
from .encoding import normalize
from .errors import ExchangeError
from .layout import OWNERSHIP_DIR, VECTOR_DIR, make_tree, shapefile_name
from .report import ERROR, Issue, WARNING
from .shapefile import write_shapefile

MAX_C_WIDTH = 254


@dataclass
class ExportReport:
    root: str
    epsg: int
    files: List[str] = field(default_factory=list)
    counts: Dict[str, int] = field(default_factory=dict)
    issues: List[Issue] = field(default_factory=list)


def dbf_field(fld: schema.Field) -> DbfField:
    """schema.md §8: Float(w,d) -> N(w+1,d); coordinates N(12,3); Int(n) -> N(n,0); Char(n) -> C(n)."""
    if fld.code in schema.COORDINATE_FIELDS:
        return DbfField(fld.code, "N", 12, 3)
    if fld.kind == schema.FLOAT:
        return DbfField(fld.code, "N", fld.length + 1, fld.decimals)
    if fld.kind == schema.INT:
        return DbfField(fld.code, "N", fld.length, 0)
    if fld.kind == schema.DATE:
        return DbfField(fld.code, "D", 8, 0)
    return DbfField(fld.code, "C", fld.length, 0)


def _cut(raw: bytes, text: str, width: int, encoding: str) -> bytes:
    """Longest prefix of text whose encoding fits width bytes (never half a character)."""
    out = b""
    for ch in text:
        b = ch.encode(encoding, "replace")
        if len(out) + len(b) > width:
            break
        out += b
    return out


class _Formatter:
    """Values -> DBF cells; widens a column (or, past 254 bytes, cuts) and says so."""

    def __init__(self, code: str, fields: List[DbfField], encoding: str, report: ExportReport):
        self.code, self.fields, self.encoding, self.report = code, fields, encoding, report

    def _issue(self, level, key, fld, value, reason, action):
        self.report.issues.append(Issue(level, self.code, None, fld, "" if value is None else str(value),
                                        reason, action, key))

    def rows(self, rows: List[dict], keyf: Optional[str]) -> List[list]:
        out = []
        for r in rows:
            key = str(r.get(keyf) or "") if keyf else ""
            out.append([self._cell(f, r.get(f.name), key) for f in self.fields])
        for i, f in enumerate(self.fields):
            need = max([len(row[i]) for row in out if row[i] is not None] + [0])
            if need > f.length:
                self.fields[i] = DbfField(f.name, f.type, min(need, MAX_C_WIDTH) if f.type == "C" else need,
                                          f.decimals)
        for row in out:
            for i, f in enumerate(self.fields):
                v = row[i]
                if f.type == "C" and v is not None and len(v) > f.length:
                    row[i] = _cut(v, v.decode(self.encoding, "replace"), f.length, self.encoding)
        return out

    def _cell(self, f: DbfField, value, key):
        if value is None or (isinstance(value, str) and not value.strip() and f.type != "C"):
            return None
        if f.type == "C":
            text = str(value)
            if text == "":
                return None
            raw, lossless = encode_text(text, self.encoding)
            if not lossless:
                self._issue(ERROR, key, f.name, text, "含 %s 编码无法表示的字符，已写为“?”"
                            % self.encoding.upper(), "已替换")
            if len(raw) > f.length:
                if len(raw) > MAX_C_WIDTH:
                    self._issue(ERROR, key, f.name, text, "%s 字节长度 %d 超过 DBF 上限 254，已截断"
                                % (self.encoding.upper(), len(raw)), "已截断")
                else:
                    self._issue(WARNING, key, f.name, text, "%s 字节长度 %d 超过 C(%d)，字段已加宽到能容纳全部内容"
                                % (self.encoding.upper(), len(raw), f.length), "字段加宽")
            return raw
        if f.type == "D":
            iso, problem = _date(value)
            if iso is None:
                self._issue(ERROR, key, f.name, value, "不是有效日期，写为空", "置空")
                return None
            return iso.replace("-", "").encode("ascii")
        try:
            text = format_number(value, f.length, f.decimals)
        except (TypeError, ValueError):
            self._issue(ERROR, key, f.name, value, "不是数值，写为空", "置空")
            return None
        if len(text) > f.length:
            self._issue(WARNING, key, f.name, value, "数值宽度 %d 超过 N(%d,%d)，字段已加宽"
                        % (len(text), f.length, f.decimals), "字段加宽")
        return text.encode("ascii")


def _ordered(db: TownshipDB, code: str, fields) -> List[dict]:
    pk = db.primary_key(code)
    return db.read(code, fields, where='1 ORDER BY "%s"' % pk)


def package_identity(db: TownshipDB, county_code=None, county_name=None, year=None):
    from ..plugin_tables import get_setting
    code, name = county_code, county_name
    regions = db.read("XJXZQ", ["XZQDM", "XZQMC"]) if db.has("XJXZQ") else []
    if not code:
        code = next((str(r["XZQDM"]) for r in regions if r["XZQDM"]), None)
    for table, f in (("FBF", "FBFBM"), ("DK", "DKBM")):
        if not code and db.has(table):
            code = next((str(r[f])[:6] for r in db.read(table, [f]) if r[f]), None)
    code = code or get_setting(db, "county_code")
    if not code or len(str(code)) != 6 or not str(code).isdigit():
        raise ExchangeError("无法确定县级行政区代码（XJXZQ、FBF、DK 均无代码）；请指定 6 位县码")
    if name is None:
        name = next((str(r["XZQMC"]) for r in regions if str(r["XZQDM"]) == str(code) and r["XZQMC"]),
                    None) or get_setting(db, "county_name", "") or ""
    year = int(year or get_setting(db, "year", 0) or _dt.date.today().year)
    return str(code), name, year


def export_submission_layout(township_db_path: str, folder: str, encoding: str = "GBK",
                             county_code: Optional[str] = None, county_name: Optional[str] = None,
                             year: Optional[int] = None, overwrite: bool = False) -> ExportReport:
    """Write <folder>/<县码><县名>/矢量数据/<LAYER><县码><年>.shp … and 权属数据/<TABLE>.dbf.

    Values whose encoded bytes exceed the standard width are reported; the column is
    widened (never truncated silently; beyond 254 bytes it is cut and reported as error).
    Returns an ExportReport whose root is the package folder.
    """
    enc = normalize(encoding)
    if enc is None:
        raise ExchangeError("无法识别编码 %s" % encoding)
    cpg = "UTF-8" if enc == "utf-8" else encoding.upper()
    try:
        db = TownshipDB(township_db_path, readonly=True)
    except DatabaseError as exc:
        raise ExchangeError(str(exc))
    try:
        code, name, year = package_identity(db, county_code, county_name, year)
        epsg = db.epsg("DK")
        root = os.path.join(folder, code + name)
        if os.path.isdir(root) and os.listdir(root) and not overwrite:
            raise ExchangeError("目标文件夹 %s 已存在且不为空；请换一个位置或先删除它" % root)
        make_tree(root)
        report = ExportReport(root, epsg)
        for t in schema.LAYERS:
            fields = [dbf_field(f) for f in t.fields]
            rows, wkbs = (db.read_geometries(t.code, t.field_codes) if db.has(t.code) else ([], []))
            cells = _Formatter(t.code, fields, enc, report).rows(rows, schema.key_field(t.code))
            path = os.path.join(root, VECTOR_DIR, shapefile_name(t.code, code, year))
            write_shapefile(path, t.geometry, epsg, wkbs, fields, cells, enc, cpg)
            report.files.append(path)
            report.counts[t.code] = len(rows)
        for t in schema.TABLES:
            fields = [dbf_field(f) for f in t.fields]
            rows = _ordered(db, t.code, t.field_codes) if db.has(t.code) else []
            cells = _Formatter(t.code, fields, enc, report).rows(rows, schema.key_field(t.code))
            path = os.path.join(root, OWNERSHIP_DIR, t.code + ".dbf")
            write_dbf(path, fields, cells, enc)
            with open(path[:-4] + ".cpg", "w", encoding="ascii") as fh:
                fh.write(cpg)
            report.files.append(path)
            report.counts[t.code] = len(rows)
    finally:
        db.close()
    return report
