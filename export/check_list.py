"""The results dock's filtered error list as an xlsx workbook (Chinese headers, A4 landscape)."""
from typing import Sequence

from openpyxl import Workbook

from .xlsx_style import write_table

HEADERS = ("序号", "规则", "规则名称", "级别", "图层/表", "编码", "相关编码", "村", "组",
           "问题描述", "状态", "说明", "首次发现", "最近发现")


def _unit(name: str, code: str) -> str:
    return name or code


def list_rows(records: Sequence) -> list:
    """One row per ErrorRecord, in the order given (the dock's sort and filter)."""
    rows = []
    for i, r in enumerate(records, 1):
        rows.append((i, r.rule, r.rule_title, r.severity_text, r.layer, r.key, r.related_text,
                     _unit(r.village_name, r.village), _unit(r.group_name, r.group), r.message,
                     r.state_text, r.reason, r.first_seen, r.last_seen))
    return rows


def write_check_list(path: str, records: Sequence, title: str = "检查结果") -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    write_table(ws, HEADERS, list_rows(records))
    wb.save(path)
    return path
