"""PDF writing with Qt only (QPdfWriter + QPainter): page set-up and HTML documents.

Qt embeds the subset of the CJK font used, so the PDFs print anywhere. Works in
a worker thread (QPainter on a PDF device is thread-safe in Qt 5).
"""
import html as _html
from contextlib import contextmanager
from typing import Iterable

from qgis.PyQt.QtCore import QMarginsF, QRectF, QSizeF, Qt
from qgis.PyQt.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from .fonts import document_font

PAGE_SIZES = {"A0": QPageSize.A0, "A1": QPageSize.A1, "A2": QPageSize.A2, "A3": QPageSize.A3,
              "A4": QPageSize.A4}
DPI = 300


def esc(value) -> str:
    """HTML text: escaped, line breaks kept, runs of spaces kept (Qt collapses them)."""
    text = _html.escape("" if value is None else str(value)).replace("\n", "<br/>")
    return text.replace("  ", "&nbsp;&nbsp;")


def mm(writer, value_mm: float) -> float:
    """Millimetres to device pixels of the writer."""
    return value_mm * writer.resolution() / 25.4


def new_writer(path: str, paper: str = "A4", landscape: bool = False, margin_mm: float = 12.0,
               title: str = "") -> QPdfWriter:
    writer = QPdfWriter(path)
    writer.setResolution(DPI)
    writer.setCreator("QueQuan 确权助手")
    if title:
        writer.setTitle(title)
    writer.setPageLayout(QPageLayout(
        QPageSize(PAGE_SIZES.get(paper, QPageSize.A4)),
        QPageLayout.Landscape if landscape else QPageLayout.Portrait,
        QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm), QPageLayout.Millimeter))
    return writer


@contextmanager
def painting(writer):
    painter = QPainter()
    if not painter.begin(writer):
        raise IOError("无法写入 PDF 文件（文件被占用或目录不可写）")
    try:
        yield painter
    finally:
        painter.end()


def page_rect(writer) -> QRectF:
    r = writer.pageLayout().paintRectPixels(writer.resolution())
    return QRectF(0, 0, r.width(), r.height())


def draw_page_number(painter, writer, page: int, pages: int, family: str, footer_px: float):
    rect = page_rect(writer)
    f = document_font(family, 9)
    painter.save()
    painter.setFont(f)
    painter.drawText(QRectF(0, rect.height() - footer_px, rect.width(), footer_px),
                     Qt.AlignHCenter | Qt.AlignBottom, "第 %d 页 共 %d 页" % (page, pages))
    painter.restore()


def html_document(writer, html: str, family: str, size_pt: float = 10.5) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(document_font(family, size_pt))
    doc.setDefaultStyleSheet("table { border-collapse: collapse; } td, th { padding: 3px; }")
    doc.setHtml(html)
    return doc


def write_html_pdf(path: str, pages_html: Iterable[str], family: str, paper: str = "A4",
                   landscape: bool = False, size_pt: float = 10.5, title: str = "",
                   numbered: bool = True, margin_mm: float = 15.0) -> int:
    """Each HTML string starts on a new page (and may run over several); returns the page count."""
    writer = new_writer(path, paper, landscape, margin_mm, title)
    rect = page_rect(writer)
    footer = mm(writer, 7) if numbered else 0.0
    body = QSizeF(rect.width(), rect.height() - footer)
    docs = []
    for h in pages_html:
        doc = html_document(writer, h, family, size_pt)
        doc.setPageSize(body)
        docs.append(doc)
    total = sum(d.pageCount() for d in docs)
    n = 0
    with painting(writer) as painter:
        for doc in docs:
            for i in range(doc.pageCount()):
                if n:
                    writer.newPage()
                n += 1
                painter.save()
                painter.translate(0, -i * body.height())
                doc.drawContents(painter, QRectF(0, i * body.height(), body.width(), body.height()))
                painter.restore()
                if numbered and total > 1:
                    draw_page_number(painter, writer, n, total, family, footer)
    return total

