"""公示结果归户表, 公示公告 and 公示无异议声明书 as PDF (and the 归户表 as xlsx)."""
import os
from typing import List, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ...core.publicity.forms import GRID, HEAD, LABEL, Declaration, Form, Notice
from ..xlsx_style import setup_print
from .pdf_pages import esc, write_html_pdf
from .xlsx_fast import merge, register_styles

# --- 归户表 -------------------------------------------------------------------------

COL_PCT = (10, 19, 21, 8, 8, 8, 8, 7, 11)      # 9-column grid, per cent of the width


def form_html(form: Form) -> str:
    out = ['<p align="center" style="font-size:17pt; font-weight:bold">%s</p>' % esc(form.title)]
    if form.subtitle:
        out.append('<p align="center" style="font-size:11pt">%s</p>' % esc(form.subtitle))
    out.append('<table border="1" cellspacing="0" cellpadding="4" width="100%">')
    out.append("<tr>%s</tr>" % "".join('<td width="%d%%"></td>' % w for w in COL_PCT)
               .replace("<td", '<td style="padding:0; border:none; font-size:1pt"'))
    for row in form.rows:
        cells = []
        for c in row.cells:
            style = "vertical-align:middle;"
            if c.kind == HEAD:
                cells.append('<td colspan="%d" style="%s background-color:#eeeeee"><b>%s</b></td>'
                             % (c.span, style, esc(c.text)))
            elif c.kind == LABEL:
                cells.append('<td colspan="%d" align="center" style="%s"><b>%s</b></td>'
                             % (c.span, style, esc(c.text)))
            else:
                # Qt ignores a cell height: a tall row (for handwriting) gets empty lines
                text = esc(c.text) + ("<br/>&nbsp;<br/>&nbsp;" if row.tall else "")
                cells.append('<td colspan="%d" style="%s">%s</td>' % (c.span, style, text))
        out.append("<tr>%s</tr>" % "".join(cells))
    out.append("</table>")
    return "".join(out)


def write_household_pdf(path: str, forms: Sequence[Form], family: str) -> int:
    """All households of a unit, each starting on a new page."""
    return write_html_pdf(path, [form_html(f) for f in forms], family, "A4", False, 9,
                          title=forms[0].title if forms else "", numbered=False, margin_mm=12)


def write_household_pdfs(folder: str, forms: Sequence[Form], family: str) -> List[str]:
    """One PDF per household, named <CBFBM>_<name>.pdf."""
    os.makedirs(folder, exist_ok=True)
    out = []
    for f in forms:
        path = os.path.join(folder, "%s_%s.pdf" % (f.key, safe_name(f.name)))
        write_html_pdf(path, [form_html(f)], family, "A4", False, 9, title=f.title, numbered=False,
                       margin_mm=12)
        out.append(path)
    return out


def safe_name(name: str) -> str:
    return "".join(ch for ch in (name or "") if ch not in '\\/:*?"<>|').strip() or "_"


XLSX_WIDTHS = (14, 21, 20, 10, 10, 10, 10, 10, 14)


def fill_form_sheet(ws, form: Form):
    merge(ws, 1, 1, 1, GRID)
    ws.cell(row=1, column=1, value=form.title).style = "qq_title"
    ws.row_dimensions[1].height = 28
    merge(ws, 2, 1, 2, GRID)
    ws.cell(row=2, column=1, value=form.subtitle).style = "qq_sub"
    r = 3
    for row in form.rows:
        c = 1
        lines = 1
        for fc in row.cells:
            style = {LABEL: "qq_label", HEAD: "qq_head"}.get(fc.kind, "qq_value")
            for k in range(c + 1, c + fc.span):
                ws.cell(row=r, column=k).style = style
            merge(ws, r, c, r, c + fc.span - 1)
            cell = ws.cell(row=r, column=c, value=fc.text or None)
            cell.style = style
            lines = max(lines, (fc.text or "").count("\n") + 1)
            c += fc.span
        ws.row_dimensions[r].height = 40 if row.tall else max(18, 14 * lines)
        r += 1
    for i, w in enumerate(XLSX_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    setup_print(ws, 2, landscape=False, paper="A4")
    ws.print_title_rows = None


def write_household_xlsx(path: str, forms: Sequence[Form]) -> str:
    """One sheet per household, named by its 4-digit sequence and name."""
    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb)
    for f in forms:
        name = ("%s%s" % (f.key[14:18], safe_name(f.name)))[:31]
        fill_form_sheet(wb.create_sheet(name), f)
    if not forms:
        wb.create_sheet("无承包方")
    wb.save(path)
    return path


# --- 公示公告 -----------------------------------------------------------------------

def notice_html(n: Notice) -> str:
    out = ['<p align="center" style="font-size:20pt; font-weight:bold">%s</p><p>&nbsp;</p>' % esc(n.title)]
    for para in n.paragraphs:
        out.append('<p style="font-size:13pt; line-height:160%%">&nbsp;&nbsp;&nbsp;&nbsp;%s</p>' % esc(para))
    out.append('<p>&nbsp;</p><p align="right" style="font-size:13pt">%s</p>' % esc(n.issuer))
    out.append('<p align="right" style="font-size:13pt">%s</p>' % esc(n.date))
    return "".join(out)


def write_notice_pdf(path: str, notice: Notice, family: str) -> int:
    return write_html_pdf(path, [notice_html(notice)], family, "A4", False, 13, title=notice.title,
                          margin_mm=25)


# --- 公示无异议声明书 -----------------------------------------------------------------

def declaration_html(d: Declaration) -> str:
    out = ['<p align="center" style="font-size:20pt; font-weight:bold">%s</p><p>&nbsp;</p>' % esc(d.title)]
    out.append('<table cellspacing="0" cellpadding="3">')
    for label, value in d.parties:
        out.append('<tr><td style="font-size:12pt">%s：</td><td style="font-size:12pt">%s</td></tr>'
                   % (esc(label), esc(value)))
    out.append("</table><p>&nbsp;</p>")
    for para in d.paragraphs:
        out.append('<p style="font-size:12pt; line-height:160%%">&nbsp;&nbsp;&nbsp;&nbsp;%s</p>' % esc(para))
    if d.plots:
        out.append('<p style="font-size:11pt">本户承包地块（面积单位：亩）：</p>')
        out.append('<table border="1" cellspacing="0" cellpadding="3" width="100%">'
                   '<tr><th>地块名称</th><th>地块编码</th><th>面积</th><th>四至</th></tr>')
        for row in d.plots:
            out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % esc(v) for v in row))
        out.append("</table>")
    out.append('<p>&nbsp;</p><p>&nbsp;</p><p align="right" style="font-size:12pt">'
               '承包方代表（签字并捺印）：________________</p>')
    out.append('<p align="right" style="font-size:12pt">%s</p>' % esc("      年    月    日"))
    return "".join(out)


def write_declarations_pdf(path: str, items: Sequence[Declaration], family: str) -> int:
    return write_html_pdf(path, [declaration_html(d) for d in items], family, "A4", False, 11,
                          title="公示无异议声明书", margin_mm=22, numbered=False)
