"""调查信息公示表 (documents.md §2) as xlsx and PDF, one sheet per 发包方."""
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ...core.publicity.data import fmt_mu
from ...core.publicity.table_rows import HOUSEHOLD_COLUMNS, PublicityTable, flat_rows, header_spans
from ..xlsx_style import setup_print
from .xlsx_fast import merge, register_styles

WIDTHS = {"A": 6, "B": 10, "C": 15, "D": 15, "E": 10, "F": 22, "G": 10, "H": 10, "I": 10, "J": 10,
          "K": 9, "L": 9, "M": 18, "N": 6, "O": 10, "P": 10, "Q": 21, "R": 12}
NUMERIC = {10, 11}          # K, L
CENTERED = {0, 1, 2, 3, 5, 10, 11, 13}
HEADER_ROW = 4              # first of the two header rows


def _merge_text(ws, row, c1, c2, text, style="qq_line"):
    merge(ws, row, c1, row, c2)
    cell = ws.cell(row=row, column=c1, value=text)
    cell.style = style
    return cell


def fill_sheet(ws, table: PublicityTable, paper: str = "A3"):
    ncol = len(table.columns)
    last = get_column_letter(ncol)
    _merge_text(ws, 1, 1, ncol, table.title, "qq_title18")
    ws.row_dimensions[1].height = 30
    _merge_text(ws, 2, 1, ncol, table.subtitle, "qq_sub12")
    # the three header lines of the form on one row: left, centre, right
    third = max(1, ncol // 3)
    _merge_text(ws, 3, 1, third, table.header_lines[0])
    _merge_text(ws, 3, third + 1, ncol - third, table.header_lines[1], "qq_line_c")
    _merge_text(ws, 3, ncol - third + 1, ncol, table.header_lines[2], "qq_line_r")
    h1, h2 = HEADER_ROW, HEADER_ROW + 1
    for text, first, span, both in header_spans(table.columns):
        c1, c2 = first + 1, first + span
        for r in (h1, h2):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).style = "qq_label"
        if both:
            merge(ws, h1, c1, h2, c2)
        elif span > 1:
            merge(ws, h1, c1, h1, c2)
        ws.cell(row=h1, column=c1, value=text)
    for i, (_, _, sub) in enumerate(table.columns):
        if sub:
            ws.cell(row=h2, column=i + 1, value=sub)
    row = h2 + 1
    merged_cols = list(range(HOUSEHOLD_COLUMNS)) + list(range(13, ncol))
    for block, i, cells in flat_rows(table):
        for c, value in enumerate(cells):
            cell = ws.cell(row=row, column=c + 1)
            if isinstance(value, Decimal):
                cell.value = float(value)
                cell.style = "qq_value_r"
                cell.number_format = "0.00"
                continue
            if i == 0 or c not in merged_cols:
                cell.value = value if value != "" else None
            cell.style = "qq_value_c" if c in CENTERED else "qq_value"
        if i == len(block.rows) - 1 and len(block.rows) > 1:
            first = row - len(block.rows) + 1
            for c in merged_cols:
                merge(ws, first, c + 1, row, c + 1)
        row += 1
    for c, value in enumerate(table.total_cells()):
        cell = ws.cell(row=row, column=c + 1)
        cell.style = "qq_total"
        if isinstance(value, Decimal):
            cell.value = float(value)
            cell.number_format = "0.00"
        else:
            cell.value = value or None
    row += 2
    footer = table.footer
    quarter = max(1, ncol // 4)
    for k, (label, value) in enumerate(footer):
        c1 = 1 + k * quarter
        c2 = ncol if k == len(footer) - 1 else c1 + quarter - 1
        _merge_text(ws, row, c1, c2, "%s：%s" % (label, value or ""))
    for i, (letter, _, _) in enumerate(table.columns):
        ws.column_dimensions[get_column_letter(i + 1)].width = WIDTHS.get(letter, 10)
    ws.freeze_panes = ws.cell(row=h2 + 1, column=1)
    setup_print(ws, h2, landscape=True, paper=paper)
    ws.print_title_rows = "%d:%d" % (h1, h2)
    ws.print_area = "A1:%s%d" % (last, row)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def write_table_xlsx(path: str, tables, paper: str = "A3") -> str:
    """One sheet per 发包方 (a list of PublicityTable or a single one)."""
    if isinstance(tables, PublicityTable):
        tables = [tables]
    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb)
    used = set()
    for t in tables:
        from ...core.publicity.table_rows import sheet_name
        name = sheet_name(t.unit)
        while name in used:
            name = (name[:28] + "_%d" % len(used))[:31]
        used.add(name)
        fill_sheet(wb.create_sheet(name), t, paper)
    wb.save(path)
    return path


# --- PDF -----------------------------------------------------------------------

PDF_WIDTHS = {"A": 4.5, "B": 7.5, "C": 12, "D": 12, "E": 7.5, "F": 15, "G": 8, "H": 8, "I": 8,
              "J": 8, "K": 7, "L": 7, "M": 11, "N": 4.5, "O": 7, "P": 7, "Q": 14, "R": 8}


def grid_document(table: PublicityTable):
    from .pdf_grid import CENTER, LEFT, RIGHT, GridDocument, Group, HeaderCell
    header = []
    for text, first, span, both in header_spans(table.columns):
        header.append(HeaderCell(text, first, span, 0, 2 if both else 1))
    for i, (_, _, sub) in enumerate(table.columns):
        if sub:
            header.append(HeaderCell(sub, i, 1, 1, 1))
    ncol = len(table.columns)
    merged_cols = list(range(HOUSEHOLD_COLUMNS)) + list(range(13, ncol))
    groups = []
    for b in table.blocks:
        head = b.head_cells + [""] * 9 + list(b.member_cells)
        rows = [[_txt(v) for v in (b.head_cells + list(cells) + list(b.member_cells))]
                for cells in b.rows]
        groups.append(Group(rows, {c: _txt(head[c]) for c in merged_cols}))
    align = [CENTER if c in CENTERED else LEFT for c in range(ncol)]
    for c in NUMERIC:
        align[c] = RIGHT
    lines = [(table.header_lines[0], table.header_lines[1], table.header_lines[2])]
    footer = "        ".join("%s：%s" % (k, v or "            ") for k, v in table.footer)
    return GridDocument([PDF_WIDTHS.get(c[0], 8) for c in table.columns], header, 2, groups, align,
                        table.title, table.subtitle, lines, [_txt(v) for v in table.total_cells()],
                        footer)


def _txt(value) -> str:
    if isinstance(value, Decimal):
        return fmt_mu(value)
    return "" if value is None else str(value)


def write_table_pdf(path: str, table: PublicityTable, family: str, paper: str = "A3") -> int:
    from .pdf_grid import write_grid_pdf
    return write_grid_pdf(path, grid_document(table), family, paper, landscape=True,
                          size_pt=9.0 if paper == "A3" else 7.5)
