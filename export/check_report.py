"""The self-check report workbook: all findings, counts per rule, run parameters."""
import json

from openpyxl import Workbook

from ..checks import catalogue
from .xlsx_style import write_table

FINDING_HEADERS = ("序号", "规则", "规则名称", "级别", "图层/表", "编码字段", "编码", "相关编码",
                   "单位代码", "问题描述")


def write_check_report(path, result):
    wb = Workbook()
    ws = wb.active
    ws.title = "自查结果"
    rows = [(i, f.rule, catalogue.RULES[f.rule][1], f.severity_text, f.layer, f.key_field,
             str(f.key), f.related_text, f.unit_code, f.message)
            for i, f in enumerate(result.findings, 1)]
    write_table(ws, FINDING_HEADERS, rows)
    ws2 = wb.create_sheet("规则统计")
    counts = result.counts()
    stat = [(r, catalogue.RULES[r][1], catalogue.SEVERITY_TEXT[catalogue.severity(r)],
             counts.get(r, 0), result.run.get("rules_skipped", {}).get(r, ""))
            for r in result.run.get("rules_run", [])]
    write_table(ws2, ("规则", "规则名称", "级别", "数量", "说明"), stat, landscape=False)
    ws3 = wb.create_sheet("运行参数")
    meta = [(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
            for k, v in result.run.items() if k != "parameters"]
    meta += [("参数 " + k, v) for k, v in result.run.get("parameters", {}).items()]
    write_table(ws3, ("项目", "值"), meta, landscape=False)
    wb.save(path)
    return path
