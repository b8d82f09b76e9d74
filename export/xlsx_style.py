"""Common openpyxl layout for Chinese documents: widths, header, print setup."""
from copy import copy

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT = "宋体"


def text_width(value) -> float:
    """Display width: CJK characters count 2, others 1."""
    s = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def write_table(ws, headers, rows, first_row=1, widths_max=60, landscape=True,
                paper="A4"):
    """Header row + rows with borders, frozen header, fitted widths, print setup."""
    for c, h in enumerate(headers, 1):
        cell = ws.cell(row=first_row, column=c, value=h)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [text_width(h) for h in headers]
    body_style = None
    for r, row in enumerate(rows, first_row + 1):
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=v)
            if body_style is None:
                cell.font = Font(name=FONT)
                cell.border = BORDER
                cell.alignment = Alignment(vertical="center", wrap_text=True)
                body_style = copy(cell._style)
            else:
                # the same style ids as the first body cell: assigning Font/Border objects
                # cell by cell hashes them each time (20,000 rows took half a minute)
                cell._style = copy(body_style)
            widths[c - 1] = max(widths[c - 1], text_width(v))
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(widths_max, max(6, w + 2))
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)
    setup_print(ws, first_row, landscape, paper)


def setup_print(ws, header_last_row=1, landscape=True, paper="A4"):
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:%d" % header_last_row
    ws.print_options.horizontalCentered = True
