"""A ruled table painted page by page into a PDF: two-level header repeated on every
page, cells merged over a group of rows (a household), groups kept on one page
when they fit and continued with their merged cells repeated when they do not.

QTextDocument can repeat a header but cannot keep a household together, so the
公示表 is painted here directly with QPainter.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import QRectF, Qt
from qgis.PyQt.QtGui import QFontMetricsF, QPen

from .fonts import document_font

from .pdf_pages import draw_page_number, mm, new_writer, page_rect, painting

LEFT, CENTER, RIGHT = Qt.AlignLeft, Qt.AlignHCenter, Qt.AlignRight


@dataclass
class HeaderCell:
    text: str
    col: int
    colspan: int = 1
    row: int = 0
    rowspan: int = 1


@dataclass
class Group:
    rows: List[List[str]]                               # all columns; merged ones ignored
    merged: Dict[int, str] = field(default_factory=dict)  # column -> text over the group


@dataclass
class GridDocument:
    widths: Sequence[float]                 # relative column widths
    header: Sequence[HeaderCell]
    header_rows: int
    groups: Sequence[Group]
    align: Sequence[int] = ()
    title: str = ""
    subtitle: str = ""
    lines: Sequence[Tuple[str, str, str]] = ()   # (left, centre, right) lines under the title
    total: Optional[List[str]] = None
    footer: str = ""


class _Painter:
    def __init__(self, writer, family, size_pt):
        self.w = writer
        self.family = family
        self.body = self._font(size_pt)
        self.bold = self._font(size_pt, True)
        self.pad = mm(writer, 1.0)

    def _font(self, size, bold=False):
        return document_font(self.family, size, bold)

    def text_height(self, text, width, font) -> float:
        fm = QFontMetricsF(font, self.w)
        if not text:
            return fm.height()
        r = fm.boundingRect(QRectF(0, 0, max(1.0, width - 2 * self.pad), 1e7),
                            int(Qt.TextWordWrap | Qt.AlignLeft), text)
        return r.height()


def _layout_rows(p: _Painter, doc: GridDocument, colx: List[float]):
    """Height of every row of every group (merged cells may stretch the last row)."""
    out = []
    min_h = QFontMetricsF(p.body, p.w).height() + 2 * p.pad
    for g in doc.groups:
        heights = []
        for row in g.rows:
            h = min_h
            for c, text in enumerate(row):
                if c in g.merged:
                    continue
                h = max(h, p.text_height(text, colx[c + 1] - colx[c], p.body) + 2 * p.pad)
            heights.append(h)
        need = max((p.text_height(t, colx[c + 1] - colx[c], p.body) + 2 * p.pad
                    for c, t in g.merged.items()), default=0.0)
        if need > sum(heights):
            heights[-1] += need - sum(heights)
        out.append(heights)
    return out


def write_grid_pdf(path: str, doc: GridDocument, family: str, paper: str = "A3",
                   landscape: bool = True, size_pt: float = 9.0, margin_mm: float = 12.0) -> int:
    """Paint the table; returns the number of pages."""
    writer = new_writer(path, paper, landscape, margin_mm, doc.title)
    p = _Painter(writer, family, size_pt)
    page = page_rect(writer)
    total_w = sum(doc.widths)
    colx = [0.0]
    for wgt in doc.widths:
        colx.append(colx[-1] + page.width() * wgt / total_w)
    title_f, sub_f, line_f = p._font(18, True), p._font(12), p._font(10.5)
    pre_h = 0.0
    if doc.title:
        pre_h += QFontMetricsF(title_f, writer).height() * 1.4
    if doc.subtitle:
        pre_h += QFontMetricsF(sub_f, writer).height() * 1.2
    line_h = QFontMetricsF(line_f, writer).height() * 1.5
    pre_h += line_h * len(doc.lines)
    head_row_h = max(p.text_height(c.text, colx[c.col + c.colspan] - colx[c.col], p.bold)
                     for c in doc.header) + 2 * p.pad
    head_h = head_row_h * doc.header_rows
    footer_px = mm(writer, 7)
    usable = page.height() - footer_px
    heights = _layout_rows(p, doc, colx)
    total_h = 0.0
    if doc.total:
        total_h = max(p.text_height(t, colx[c + 1] - colx[c], p.bold) for c, t in enumerate(doc.total)) \
            + 2 * p.pad
    foot_h = line_h * 1.6 if doc.footer else 0.0

    # pagination: list of pages, each a list of (group index, first row, last row)
    pages: List[list] = [[]]
    y = pre_h + head_h
    for gi, hs in enumerate(heights):
        gh = sum(hs)
        if y + gh > usable and pages[-1] and gh <= usable - head_h:
            pages.append([])
            y = head_h
        start = 0
        while start < len(hs):
            end = start
            while end < len(hs) and y + hs[end] <= usable:
                y += hs[end]
                end += 1
            if end == start and not pages[-1]:
                y += hs[end]       # a single row taller than a page: drawn clipped
                end += 1
            if end > start:
                pages[-1].append((gi, start, end))
            if end < len(hs):
                pages.append([])
                y = head_h
            start = end
    if y + total_h + foot_h > usable:
        pages.append([])
        y = head_h

    n_pages = len(pages)
    pen = QPen(Qt.black)
    pen.setWidthF(mm(writer, 0.25))
    with painting(writer) as painter:
        for pi, parts in enumerate(pages):
            if pi:
                writer.newPage()
            painter.setPen(pen)
            y = 0.0
            if pi == 0:
                y = _preamble(painter, doc, page.width(), title_f, sub_f, line_f, writer)
            y = _header(painter, p, doc, colx, y, head_row_h)
            for gi, a, b in parts:
                g = doc.groups[gi]
                hs = heights[gi][a:b]
                top = y
                for r, h in zip(range(a, b), hs):
                    for c, text in enumerate(g.rows[r]):
                        if c in g.merged:
                            continue
                        _cell(painter, p, QRectF(colx[c], y, colx[c + 1] - colx[c], h), text,
                              p.body, doc.align[c] if doc.align else LEFT)
                    y += h
                for c, text in g.merged.items():
                    label = text if a == 0 or not text else text + "（续）"
                    _cell(painter, p, QRectF(colx[c], top, colx[c + 1] - colx[c], y - top), label,
                          p.body, CENTER)
            if pi == n_pages - 1:
                if doc.total:
                    for c, text in enumerate(doc.total):
                        _cell(painter, p, QRectF(colx[c], y, colx[c + 1] - colx[c], total_h), text,
                              p.bold, CENTER if c < 2 else (doc.align[c] if doc.align else LEFT))
                    y += total_h
                if doc.footer:
                    painter.setFont(line_f)
                    painter.drawText(QRectF(0, y + line_h * 0.4, page.width(), line_h),
                                     int(Qt.AlignLeft | Qt.AlignVCenter), doc.footer)
            if n_pages > 1:
                draw_page_number(painter, writer, pi + 1, n_pages, p.family, footer_px)
    return n_pages


def _preamble(painter, doc, width, title_f, sub_f, line_f, writer) -> float:
    y = 0.0
    if doc.title:
        h = QFontMetricsF(title_f, writer).height() * 1.4
        painter.setFont(title_f)
        painter.drawText(QRectF(0, y, width, h), int(Qt.AlignCenter), doc.title)
        y += h
    if doc.subtitle:
        h = QFontMetricsF(sub_f, writer).height() * 1.2
        painter.setFont(sub_f)
        painter.drawText(QRectF(0, y, width, h), int(Qt.AlignHCenter | Qt.AlignTop), doc.subtitle)
        y += h
    h = QFontMetricsF(line_f, writer).height() * 1.5
    painter.setFont(line_f)
    for left, centre, right in doc.lines:
        for text, flag in ((left, Qt.AlignLeft), (centre, Qt.AlignHCenter), (right, Qt.AlignRight)):
            if text:
                painter.drawText(QRectF(0, y, width, h), int(flag | Qt.AlignVCenter), text)
        y += h
    return y


def _header(painter, p, doc, colx, y, row_h) -> float:
    for c in doc.header:
        rect = QRectF(colx[c.col], y + c.row * row_h, colx[c.col + c.colspan] - colx[c.col],
                      row_h * c.rowspan)
        painter.fillRect(rect, Qt.white)
        _cell(painter, p, rect, c.text, p.bold, CENTER)
    return y + row_h * doc.header_rows


def _cell(painter, p, rect, text, font, align):
    painter.drawRect(rect)
    if text:
        painter.setFont(font)
        painter.drawText(rect.adjusted(p.pad, p.pad, -p.pad, -p.pad),
                         int(align | Qt.AlignVCenter | Qt.TextWordWrap), str(text))
