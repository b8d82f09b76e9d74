"""Village ledgers (台账): spreadsheet rows -> rows of FBF/CBF/CBF_JTCY/CBDKXX/CBHT.

One sheet may feed several tables (a member list repeats its household's
columns). Codes shared between the tables of a row (CBFBM, DKBM …) are
carried over, FBFBM is derived from a CBFBM/DKBM prefix (codes.md §1), and a
household repeated on many rows becomes one CBF row; when its repeated values
disagree the first is kept and the others are reported.
"""
from typing import Dict, List, Tuple

from .. import schema
from .coerce import coerce_rows
from .merge import Prepared
from .report import INFO, WARNING, ImportReport
from .source import SourceTable

SHARED_CODES = ("CBFBM", "DKBM", "CBHTBM", "CBJYQZBM", "FBFBM")
DEDUP_KEYS = {"CBF": "CBFBM", "FBF": "FBFBM", "CBHT": "CBHTBM"}


def _split(columns: Dict[str, str]) -> Dict[str, Dict[str, str]]:
    """{column: TABLE.FIELD} -> {TABLE: {column: FIELD}}."""
    out: Dict[str, Dict[str, str]] = {}
    for col, target in columns.items():
        table, _, fld = target.partition(".")
        out.setdefault(table.upper(), {})[col] = fld.upper()
    return out


def ledger_tables(sheets: List[Tuple[SourceTable, Dict[str, str]]], report: ImportReport) -> List[Prepared]:
    """All sheets of a ledger -> one Prepared per table (households deduplicated across sheets)."""
    acc: Dict[str, Tuple[list, list, list]] = {}
    for sheet, columns in sheets:
        for table, rows, nums in _sheet_rows(sheet, columns, report):
            a = acc.setdefault(table, ([], [], []))
            a[0].extend(rows)
            a[1].extend(nums)
            a[2].append(sheet.label)
    out = []
    for table in sorted(acc, key=lambda t: [x.code for x in schema.TABLES].index(t)):
        rows, nums, labels = acc[table]
        label = "、".join(dict.fromkeys(labels))
        rows, nums = _dedupe(table, rows, nums, report, label)
        report.count(table).read += len(rows)
        out.append(Prepared(table, rows, nums, label))
    return out


def _sheet_rows(sheet: SourceTable, columns: Dict[str, str], report: ImportReport):
    by_table = _split(columns)
    unmapped = [f for f in sheet.fields if f not in columns]
    if unmapped:
        report.add(INFO, "台账", None, "、".join(unmapped), "", "没有对应的标准字段，未导入", "未导入",
                   sheet.label)
    coerced = {t: coerce_rows(t, sheet, m, report) for t, m in by_table.items()}
    prepared = []
    for table, rows in coerced.items():
        own = set(by_table[table].values())
        t = schema.BY_CODE[table]
        for i, row in enumerate(rows):
            for code in SHARED_CODES:
                if t.has_field(code) and row.get(code) is None:
                    row[code] = next((coerced[o][i].get(code) for o in coerced
                                      if o != table and coerced[o][i].get(code)), None)
            if t.has_field("FBFBM") and row.get("FBFBM") is None:
                for code, n in (("DKBM", 19), ("CBFBM", 18)):
                    v = str(row.get(code) or "")
                    if len(v) == n and v.isdigit():
                        row["FBFBM"] = v[:14]
                        break
        keep = [i for i, r in enumerate(rows) if any(r.get(f) is not None for f in own)]
        rows = [rows[i] for i in keep]
        nums = [sheet.row_numbers[i] for i in keep]
        prepared.append((table, rows, nums))
    return prepared


def _dedupe(table, rows, nums, report, label):
    key = DEDUP_KEYS.get(table)
    seen: Dict[object, dict] = {}
    out_rows, out_nums = [], []
    for row, num in zip(rows, nums):
        k = row.get(key) if key else tuple(sorted((f, str(v)) for f, v in row.items()))
        if k is None:
            out_rows.append(row)
            out_nums.append(num)
            continue
        first = seen.get(k)
        if first is None:
            seen[k] = row
            out_rows.append(row)
            out_nums.append(num)
            continue
        for f, v in row.items():
            if v is not None and first.get(f) is not None and v != first[f]:
                report.add(WARNING, table, num, f, v, "%s %s 在台账中多次出现且该字段不一致，保留首次出现的值 %s"
                           % (key, k, first[f]), "未导入", label)
            elif v is not None and first.get(f) is None:
                first[f] = v
    return out_rows, out_nums
