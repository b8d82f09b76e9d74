"""xlsx output of reconciliation tables and adjustment previews/records (Chinese headers)."""
import datetime as _dt
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter

from ...export.xlsx_style import FONT, text_width, write_table
from .reconcile import ReconcileTable, blocks

FORMATS = {"area": "0.00", "mu": "0.00", "pct": "0.0", "ratio": "0.0000", "int": "0"}
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def cell_value(value):
    """Decimals become floats for Excel; everything else as is."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def _formats(ws, kinds, first_row, last_row):
    for c, kind in enumerate(kinds, 1):
        fmt = FORMATS.get(kind)
        if fmt:
            for r in range(first_row, last_row + 1):
                ws.cell(row=r, column=c).number_format = fmt


def _put_row(ws, row, values, bold=False):
    for col, v in enumerate(values, 1):
        cell = ws.cell(row=row, column=col, value=cell_value(v))
        cell.font = Font(name=FONT, bold=bold)
        cell.border = _BORDER


def _fit_widths(ws, widths_max=40):
    """Column widths from the content (write_table only saw the header)."""
    for col in ws.iter_cols(min_row=1, max_row=ws.max_row):
        width = max(text_width(c.value if not isinstance(c.value, float) else "%.2f" % c.value)
                    for c in col)
        ws.column_dimensions[get_column_letter(col[0].column)].width = min(widths_max, max(6, width + 2))


def write_reconcile(path: str, table: ReconcileTable, title_extra: str = "") -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = "面积核对"
    headers = [c.title for c in table.columns]
    write_table(ws, headers, [])
    parts = blocks(table)
    n = 1
    for rows, subtotal in parts:
        for r in rows:
            n += 1
            _put_row(ws, n, [r.get(c.code) for c in table.columns])
        if subtotal is not None and len(parts) > 1:
            n += 1
            _put_row(ws, n, [subtotal.get(c.code) for c in table.columns], bold=True)
    _put_row(ws, n + 1, [table.totals.get(c.code) for c in table.columns], bold=True)
    _fit_widths(ws)
    _formats(ws, [c.kind for c in table.columns], 2, ws.max_row)
    meta = wb.create_sheet("说明")
    items = [("表名", table.title + title_extra), ("生成时间", _dt.datetime.now().isoformat(timespec="seconds")),
             ("行数", len(table.rows))]
    items += [("参数 " + k, str(v)) for k, v in table.parameters.items()]
    items += [("备注", n) for n in table.notes]
    items += [("说明", "面积按存储的两位小数值用十进制累加，上下级合计严格相等；亩合计由平方米合计换算"
                     "（round(平方米 × 0.0015, 2)，四舍五入），可能与各行亩值之和相差几个 0.01 亩")]
    write_table(meta, ("项目", "内容"), items, landscape=False)
    wb.save(path)
    return path


CHANGE_HEADERS = ("序号", "单位代码", "表", "编码", "字段", "字段名称", "原值", "新值", "变化量")
BALANCE_HEADERS = ("组代码", "控制面积来源", "控制面积(平方米)", "地块数", "图形面积合计(平方米)",
                   "原实测面积合计(平方米)", "闭合差(平方米)", "限差(平方米)", "单块最大改正(平方米)",
                   "平差后合计(平方米)")


def write_plan(path: str, plan, result=None) -> str:
    """Preview (result None) or record of an applied plan (result = ApplyResult)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "变更预览" if result is None else "变更记录"
    rows = [(i, c.unit, c.table, c.key, c.field, c.field_name, cell_value(c.old),
             cell_value(c.new), cell_value(c.delta))
            for i, c in enumerate(plan.changes, 1)]
    write_table(ws, CHANGE_HEADERS, rows)
    _formats(ws, [""] * 6 + ["area"] * 3, 2, ws.max_row)
    if plan.balances:
        bs = wb.create_sheet("平差汇总")
        brow = [(b.unit, b.source, cell_value(b.control), b.plots, cell_value(b.planar_total),
                 cell_value(b.stored_total), cell_value(b.closing), cell_value(b.tolerance),
                 cell_value(b.max_move), cell_value(b.new_total)) for b in plan.balances]
        write_table(bs, BALANCE_HEADERS, brow)
    if plan.refusals or plan.notes:
        rs = wb.create_sheet("未执行与说明")
        items = [(r.unit, "拒绝", r.reason) for r in plan.refusals]
        items += [("", "说明", n) for n in plan.notes]
        write_table(rs, ("单位代码", "类型", "内容"), items)
    meta = wb.create_sheet("参数")
    items = [("操作", plan.label), ("范围", ",".join(plan.scope) if plan.scope else "全镇"),
             ("变更数", len(plan.changes)), ("拒绝的单位数", len(plan.refusals)),
             ("状态", "仅预览，未写入数据库" if result is None else "已写入数据库")]
    if result is not None:
        items += [("批次", result.batch), ("备份文件", result.backup)]
    items += [("参数 " + k, str(v)) for k, v in plan.parameters.items()]
    write_table(meta, ("项目", "内容"), items, landscape=False)
    wb.save(path)
    return path


def write_undo(path: str, result, batch: str) -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = "撤销"
    write_table(ws, ("项目", "内容"), [("撤销的批次", batch), ("撤销记录批次", result.batch),
                                      ("恢复的值", result.changed), ("备份文件", result.backup)],
                landscape=False)
    wb.save(path)
    return path
