"""Source values -> values of the township schema (schema.md §1, §5, §6).

Char stays text (numbers from spreadsheets become text, code-list values get
their leading zeros back); Float is rounded half-up to its decimals; Int must
be whole; Date becomes ISO YYYY-MM-DD from YYYYMMDD, DateTime, ISO or Excel
serial numbers. A value that cannot be converted is set empty and reported as
an error; a value that converts but breaks a width is kept and reported
(A03 reports it again in the self-check) — nothing is truncated or dropped.
"""
import datetime as _dt
import re
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from .. import schema
from ..codelists import CODE_LISTS
from .report import ERROR, INFO, WARNING, ImportReport
from .source import SourceTable

KEEP, NULLED, PADDED = "原样导入", "置空", "已补前导零"
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")


@lru_cache(maxsize=None)
def _fixed_length_of(domain: Optional[str]) -> Optional[int]:
    codes = CODE_LISTS.get(domain or "")
    if not codes:
        return None
    lengths = {len(c) for c in codes}
    return lengths.pop() if len(lengths) == 1 and all(c.isdigit() for c in codes) else None


@lru_cache(maxsize=None)
def _names_of(domain: Optional[str]) -> Dict[str, str]:
    """Code-list name -> code, for names that belong to exactly one code."""
    out: Dict[str, Optional[str]] = {}
    for code, name in CODE_LISTS.get(domain or "", {}).items():
        out[name] = None if name in out else code
    return {n: c for n, c in out.items() if c is not None}


def _fixed_code_length(fld: schema.Field) -> Optional[int]:
    """Length shared by every code of the field's list (for restoring leading zeros)."""
    return _fixed_length_of(fld.domain)


def _code_of_name(fld: schema.Field, text: str) -> Optional[str]:
    """'男' -> '1', '户主' -> '02', '家庭承包' -> '110' (ledgers write names, not codes)."""
    codes = CODE_LISTS.get(fld.domain or "")
    if not codes or text in codes:
        return None
    return _names_of(fld.domain).get(text.strip())


def _number_text(value) -> Optional[str]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    text = str(value).strip().translate(_FULLWIDTH).replace(",", "")
    return text or None


def _decimal(value) -> Optional[Decimal]:
    text = _number_text(value)
    if text is None:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _int_digits(d: Decimal) -> int:
    whole = abs(d).to_integral_value(rounding="ROUND_DOWN")
    return len(str(whole)) if whole else 1


def coerce_value(fld: schema.Field, value, coordinate: bool = False):
    """(value, problem) where problem is None or (level, reason, action)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if fld.kind == schema.CHAR:
        return _char(fld, value)
    if fld.kind == schema.DATE:
        return _date(value)
    d = _decimal(value)
    if d is None:
        kind = "数值" if fld.kind == schema.FLOAT else "整数"
        return None, (ERROR, "不是%s" % kind, NULLED)
    if fld.kind == schema.INT:
        if d != d.to_integral_value():
            return None, (ERROR, "不是整数", NULLED)
        iv = int(d)
        if len(str(abs(iv))) > fld.length:
            return iv, (WARNING, "超过 Int(%d) 的位数" % fld.length, KEEP)
        return iv, None
    width, dec = (12, 3) if coordinate else (fld.length, fld.decimals)
    q = d.quantize(Decimal(1).scaleb(-dec), rounding=ROUND_HALF_UP)
    problem = None
    if _int_digits(q) > width - dec:
        problem = (WARNING, "整数部分超过 %d 位（Float(%d,%d)）" % (width - dec, width, dec), KEEP)
    elif q != d:
        problem = (INFO, "按 %d 位小数四舍五入" % dec, "已修约")
    return float(q), problem


def _char(fld: schema.Field, value):
    if isinstance(value, str) and len(value) <= fld.length:
        codes = CODE_LISTS.get(fld.domain or "")
        if not codes or value in codes:
            return value, None       # the usual case, decided without further work
    problem = None
    if isinstance(value, bool):
        text = "1" if value else "2"
        problem = (WARNING, "逻辑值转为代码 %s（1 是，2 否）" % text, "已转换")
    elif isinstance(value, (int, float, Decimal)):
        d = _decimal(value)
        if isinstance(value, float) and d is not None and abs(d) >= Decimal(10) ** 15:
            return None, (ERROR, "数字超过 15 位有效数字，表格软件已丢失精度；请把该列设为文本后重新录入",
                          NULLED)
        text = str(int(d)) if d is not None and d == d.to_integral_value() else str(value)
    elif isinstance(value, _dt.datetime):
        text = value.date().isoformat()
    elif isinstance(value, _dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    code = _code_of_name(fld, text)
    if code is not None:
        text, problem = code, (INFO, "按代码表名称“%s”转换为代码 %s" % (text, code), "已转换")
    fixed = _fixed_code_length(fld)
    if fixed and text.isdigit() and len(text) < fixed:
        text, problem = text.zfill(fixed), (WARNING, "代码缺少前导零", PADDED)
    if len(text) > fld.length:
        problem = (WARNING, "长度 %d 超过 Char(%d)" % (len(text), fld.length), KEEP)
    return text, problem


def _date(value):
    if isinstance(value, _dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, _dt.date):
        return value.isoformat(), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:   # Excel serial day number (1954–2119)
            day = _EXCEL_EPOCH + _dt.timedelta(days=int(value))
            return day.isoformat(), (INFO, "Excel 日期序号转换为 %s" % day.isoformat(), "已转换")
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip().translate(_FULLWIDTH)
    for pat in _DATE_PATTERNS:
        m = pat.match(text)
        if m:
            try:
                day = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
            return day.isoformat(), None
    return None, (ERROR, "不是有效日期（可用 YYYYMMDD、YYYY-MM-DD 或日期单元格）", NULLED)


# --- field names -------------------------------------------------------------

def standard_mapping(table: schema.Table, source_fields: Sequence[str]) -> Tuple[Dict[str, str], List[str]]:
    """source field -> standard code by code (any case) or by the standard's Chinese
    name (承包方代码 …); and the unknown fields."""
    by_name = {_plain(f.name): f.code for f in table.fields}
    mapping, unknown = {}, []
    taken = set()
    for name in source_fields:
        code = name.strip().upper()
        if not table.has_field(code):
            code = by_name.get(_plain(name), "")
        if code and code not in taken:
            mapping[name] = code
            taken.add(code)
        else:
            unknown.append(name)
    return mapping, unknown


def _plain(name: str) -> str:
    """A header for comparison: no blanks, ASCII brackets."""
    return re.sub(r"\s+", "", str(name)).replace("（", "(").replace("）", ")").upper()


def coerce_rows(table_code: str, src: SourceTable, mapping: Dict[str, str],
                report: ImportReport) -> List[Dict[str, object]]:
    """Rows with every field of the standard table (None when absent), problems reported."""
    table = schema.BY_CODE[table_code]
    codes = table.field_codes
    coords = schema.COORDINATE_FIELDS
    # Notes (rounding, names turned into codes) are counted, not listed per value:
    # a ledger of 5000 rows would otherwise bury the errors.
    notes: Dict[Tuple[str, str, str], list] = {}
    out = []
    plan = [(name, code, table.field(code), code in coords) for name, code in mapping.items()]
    for raw, rowno in zip(src.rows, src.row_numbers):
        row = dict.fromkeys(codes)
        for name, code, fld, coord in plan:
            if name not in raw:
                continue
            value, problem = coerce_value(fld, raw[name], coordinate=coord)
            row[code] = value
            if problem is None:
                continue
            level, reason, action = problem
            if level == INFO:
                note = notes.setdefault((code, reason, action), [0, rowno, raw[name]])
                note[0] += 1
                continue
            report.add(level, table_code, rowno, code, raw[name], reason, action, src.label)
        out.append(row)
    for (code, reason, action), (n, first, value) in sorted(notes.items(), key=lambda kv: kv[1][1]):
        report.add(INFO, table_code, first, code, value,
                   reason if n == 1 else "%s（共 %d 个值，首个在第 %d 行）" % (reason, n, first),
                   action, src.label)
    return out
