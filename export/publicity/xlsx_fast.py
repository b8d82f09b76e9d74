"""Faster openpyxl building blocks for long forms: shared named styles and plain merges.

openpyxl's merge_cells() rewrites the borders of every merged cell and each
cell.font = Font(...) hashes a new style; for a township's 归户表 (thousands of
merges) that took most of the run. Here every cell gets a registered named
style and merges are recorded as ranges only (the cells already carry borders).
"""
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.worksheet.cell_range import CellRange

from ..xlsx_style import BORDER, FONT

STYLES = {
    # name: (size, bold, horizontal, border, wrap)
    "qq_title": (16, True, "center", False, False),
    "qq_title18": (18, True, "center", False, False),
    "qq_sub": (11, False, "center", False, False),
    "qq_sub12": (12, False, "center", False, False),
    "qq_line": (11, False, "left", False, False),
    "qq_line_c": (11, False, "center", False, False),
    "qq_line_r": (11, False, "right", False, False),
    "qq_label": (10, True, "center", True, True),
    "qq_head": (10, True, "left", True, True),
    "qq_value": (10, False, "left", True, True),
    "qq_value_c": (10, False, "center", True, True),
    "qq_value_r": (10, False, "right", True, True),
    "qq_total": (10, True, "center", True, True),
}


def register_styles(wb):
    for name, (size, bold, horizontal, border, wrap) in STYLES.items():
        if name in wb.named_styles:
            continue
        st = NamedStyle(name=name)
        st.font = Font(name=FONT, size=size, bold=bold)
        st.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
        if border:
            st.border = BORDER
        wb.add_named_style(st)


def merge(ws, r1, c1, r2, c2):
    """Record a merged range without openpyxl's per-cell clean-up (cells are styled already)."""
    if r1 == r2 and c1 == c2:
        return
    ws.merged_cells.add(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))
