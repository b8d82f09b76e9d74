"""The import report as an Excel workbook (one sheet per kind of record)."""
from ..schema import BY_CODE
from .report import ImportReport


def write_import_report(path: str, report: ImportReport) -> str:
    from openpyxl import Workbook
    from ...export.xlsx_style import write_table
    wb = Workbook()
    ws = wb.active
    ws.title = "导入汇总"
    rows = []
    order = list(BY_CODE)
    for code in sorted(report.counts, key=lambda c: order.index(c) if c in order else len(order)):
        c = report.counts[code]
        name = BY_CODE[code].name if code in BY_CODE else ""
        rows.append([code, name, c.read, c.imported, c.skipped, c.replaced, c.renumbered])
    write_table(ws, ["图层/表", "名称", "读取", "导入", "键冲突跳过", "替换", "BSM 重编"], rows)
    write_table(wb.create_sheet("问题清单"), ["级别", "图层/表", "来源文件", "行号", "字段", "值", "问题", "处理"],
                [[i.level, i.table, i.source, i.row, i.field, i.value, i.reason, i.action]
                 for i in report.issues])
    write_table(wb.create_sheet("键冲突"), ["图层/表", "键字段", "键值", "处理", "来源文件", "行号"],
                [[c.table, c.key_field, c.key, c.action, c.source, c.row] for c in report.collisions])
    write_table(wb.create_sheet("BSM重编"), ["图层", "原 BSM", "新 BSM", "要素编码"],
                [[r.table, r.old, r.new, r.key] for r in report.renumbered])
    edge = report.edge
    write_table(wb.create_sheet("接边检查"), ["规则", "地块", "相关地块/区域", "说明"],
                [[f.rule, f.key, f.related_text, f.message] for f in edge.findings]
                + [["T13", "", "", "%s：%s" % (edge.status, edge.reason)]])
    notes = [["来源", report.source], ["乡镇数据库", report.database], ["坐标系", "EPSG:%s" % report.epsg],
             ["导入前备份", report.backup or ""]]
    notes += [["编码", "%s：%s" % kv] for kv in sorted(report.encodings.items())]
    notes += [["说明", m] for m in report.messages]
    write_table(wb.create_sheet("说明"), ["项目", "内容"], notes)
    if report.mapping:
        maps = [["地块图层", src, dst] for src, dst in report.mapping.get("layer", {}).items()]
        for sheet, cols in report.mapping.get("ledger", {}).items():
            maps += [["台账 " + sheet, src, dst] for src, dst in cols.items()]
        write_table(wb.create_sheet("字段对应"), ["来源", "源字段", "标准字段"], maps)
    wb.save(path)
    return path
