"""Attribute tables from DBF, CSV and XLSX files (ownership tables, ledgers).

Spreadsheet row numbers are reported as Excel shows them (header = row 1),
so a technician can go straight to the cell.
"""
import csv
import io
import os
from typing import List, Optional

from . import dbf
from .encoding import decoder_name, normalize
from .errors import ExchangeError
from .source import SourceTable

TABLE_EXTENSIONS = (".dbf", ".csv", ".xlsx")


def read_table_file(path: str, encoding: Optional[str] = None) -> List[SourceTable]:
    """One SourceTable per DBF/CSV file, one per non-empty sheet of an XLSX."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".dbf":
        t = dbf.read_dbf(path, encoding)
        src = SourceTable(os.path.basename(path), path, [f.name for f in t.fields], t.records,
                          t.record_numbers, encoding=t.encoding, encoding_source=t.encoding_source)
        src.notes += ["%s 第 %d 条记录字段 %s：%s" % (src.label, r, f, why) for r, f, _, why in t.problems]
        return [src]
    if ext == ".csv":
        return [read_csv(path, encoding)]
    if ext == ".xlsx":
        return read_xlsx(path)
    if ext == ".xls":
        raise ExchangeError("%s 是旧版 Excel（.xls）文件；请在 Excel/WPS 中另存为 .xlsx 后导入"
                            % os.path.basename(path))
    raise ExchangeError("不支持的表格文件 %s（可用 .dbf、.csv、.xlsx）" % os.path.basename(path))


def _decode_csv(data: bytes, name: str, encoding: Optional[str]):
    if encoding:
        enc = normalize(encoding)
        if enc is None:
            raise ExchangeError("无法识别指定的编码 %s" % encoding)
        try:
            return data.decode(decoder_name(enc)), enc, "指定编码"
        except UnicodeDecodeError as exc:
            raise ExchangeError("%s 不是 %s 编码（第 %d 字节）；请检查导入时指定的编码"
                                % (name, enc.upper(), exc.start))
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8", "BOM"
    for enc in ("utf-8", "gbk"):
        try:
            return data.decode(decoder_name(enc)), enc, "试解码（%s）" % enc.upper()
        except UnicodeDecodeError:
            continue
    raise ExchangeError("%s 既不是 UTF-8 也不是 GBK 编码，无法识别；请另存为 UTF-8 的 CSV 后导入" % name)


def read_csv(path: str, encoding: Optional[str] = None) -> SourceTable:
    name = os.path.basename(path)
    with open(path, "rb") as fh:
        data = fh.read()
    text, enc, how = _decode_csv(data, name, encoding)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    return _from_grid(name, path, rows, enc, how)


def read_xlsx(path: str) -> List[SourceTable]:
    from openpyxl import load_workbook
    name = os.path.basename(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds for a bad file)
        raise ExchangeError("无法读取 Excel 文件 %s：%s" % (name, exc))
    out = []
    try:
        for ws in wb.worksheets:
            grid = [list(r) for r in ws.iter_rows(values_only=True)]
            src = _from_grid("%s[%s]" % (name, ws.title), path, grid, "xlsx", "")
            src.notes = []
            if src.fields:
                src.sheet = ws.title
                out.append(src)
    finally:
        wb.close()
    return out


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _from_grid(label, path, grid, enc, how) -> SourceTable:
    """First non-empty row is the header; empty rows are skipped; row numbers kept."""
    header_idx = next((i for i, r in enumerate(grid) if any(not _blank(v) for v in r)), None)
    src = SourceTable(label, path, [], [], [], encoding=enc, encoding_source=how)
    if header_idx is None:
        return src
    header = []
    for j, v in enumerate(grid[header_idx]):
        h = "" if _blank(v) else str(v).strip()
        if h and h in header:
            src.notes.append("%s 的列名“%s”重复，只导入第一列" % (label, h))
            h = ""
        header.append(h)
    src.fields = [h for h in header if h]
    for i in range(header_idx + 1, len(grid)):
        row = grid[i]
        if all(_blank(v) for v in row):
            continue
        values = {}
        for h, v in zip(header, row):
            if h:
                values[h] = None if _blank(v) else (v.strip() if isinstance(v, str) else v)
        src.rows.append(values)
        src.row_numbers.append(i + 1)
    return src
