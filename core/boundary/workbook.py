"""xlsx reports of the 四至 and 界址 tools (Chinese headers, A4 landscape, frozen header)."""
from typing import Optional

from openpyxl import Workbook

from ...export.xlsx_style import write_table
from .sides import DIRECTIONS


def _workbook():
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _text(v):
    return "" if v is None else str(v)


def write_sizhi_report(path: str, result, policy: str, apply_result=None) -> str:
    """Sheets 修改清单 (what a write changes / changed), 四至结果 (every plot) and
    未能确定 (plots with fewer than 3 directions)."""
    from .sizhi import FIELD_NAMES, POLICY_NAMES
    wb = _workbook()
    ws = wb.create_sheet("修改清单")
    rows = [(c.dkbm, FIELD_NAMES[c.field] + "至（%s）" % c.field, _text(c.old), c.new)
            for c in result.changes(policy)]
    write_table(ws, ["地块编码", "字段", "原值", "新值"], rows)
    ws = wb.create_sheet("四至结果")
    head = ["地块编码"]
    for d in DIRECTIONS:
        head += ["%s至（原）" % d, "%s至（计算）" % d, "%s至边长（米）" % d]
    head += ["确定方向数"]
    rows = []
    for p in result.plots:
        row = [p.dkbm]
        for old, new, length in zip(p.old, p.new, p.lengths):
            row += [_text(old), new, length if new else None]
        row.append(p.determined)
        rows.append(row)
    write_table(ws, head, rows)
    ws = wb.create_sheet("未能确定")
    write_table(ws, ["地块编码", "确定方向数", "未能确定的方向"],
                [(p.dkbm, p.determined, "、".join(p.missing)) for p in result.incomplete()])
    ws = wb.create_sheet("说明")
    info = [("写入方式", POLICY_NAMES.get(policy, policy)),
            ("搜索距离（米）", result.search_distance),
            ("地块数", len(result.plots)),
            ("将修改/已修改的值", len(result.changes(policy))),
            ("少于 3 个方向的地块", len(result.incomplete()))]
    if apply_result is not None:
        info += [("批次号", apply_result.batch or "（无修改）"), ("备份文件", apply_result.backup or "")]
    else:
        info += [("状态", "仅预览，未写入数据库")]
    info += [("说明", n) for n in result.notes]
    write_table(ws, ["项目", "内容"], info, landscape=False)
    wb.save(path)
    return path


def write_boundary_report(path: str, summary, jzd_rows: Optional[list] = None) -> str:
    """Sheets 汇总 (counts, settings, backup) and 地块界址 (KJZB per plot) of a build."""
    wb = _workbook()
    ws = wb.create_sheet("汇总")
    write_table(ws, ["项目", "内容"], [(k, v) for k, v in summary.items_for_report()], landscape=False)
    ws = wb.create_sheet("地块界址")
    write_table(ws, ["地块编码", "界址点数", "界址点号（KJZB）"],
                [(k, len(v.split("/")) if v else 0, v) for k, v in summary.kjzb_rows()])
    if summary.notes:
        ws = wb.create_sheet("提示")
        write_table(ws, ["提示"], [(n,) for n in summary.notes], landscape=False)
    wb.save(path)
    return path
