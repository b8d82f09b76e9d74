"""The CJK font of the documents: the first installed family of a configurable list.

PDFs written by Qt embed the (subset) font, so the file prints the same on a
machine without it. Text is measured with the same font for label placement.
"""
from typing import Optional, Sequence

from qgis.PyQt.QtGui import QFont, QFontDatabase, QFontMetricsF

from ...core.publicity.labels import Metrics
from ...core.publicity.settings import DEFAULT_FONTS

_CACHE = {}

# Digits and Latin letters come from a Latin font: with Noto Sans CJK alone, Qt writes
# digit runs next to a Latin letter (43042419620416143X, …0012J) with glyphs the PDF's
# ToUnicode map does not cover, so the numbers could not be searched or copied.
LATIN_FONTS = ("Arial", "Liberation Sans", "DejaVu Sans", "Noto Sans", "Helvetica")


def pick_font(candidates: Optional[Sequence[str]] = None) -> str:
    """First family of the list that is installed (case-insensitive), else Qt's default."""
    candidates = tuple(candidates or DEFAULT_FONTS)
    if candidates in _CACHE:
        return _CACHE[candidates]
    installed = {f.lower(): f for f in QFontDatabase().families()}
    family = next((installed[c.lower()] for c in candidates if c.lower() in installed), None)
    if family is None:
        # any family that can write Chinese, before giving up to the default
        cjk = [f for f in QFontDatabase().families(QFontDatabase.SimplifiedChinese)]
        family = cjk[0] if cjk else QFont().defaultFamily()
    _CACHE[candidates] = family
    return family


def pick_latin(candidates: Sequence[str] = LATIN_FONTS) -> Optional[str]:
    key = ("latin",) + tuple(candidates)
    if key not in _CACHE:
        installed = {f.lower(): f for f in QFontDatabase().families()}
        _CACHE[key] = next((installed[c.lower()] for c in candidates if c.lower() in installed), None)
    return _CACHE[key]


def document_font(family: str, size_pt: float = 10.0, bold: bool = False) -> QFont:
    """The documents' font: Latin font for digits and letters, the CJK family for the rest."""
    f = QFont(family)
    latin = pick_latin()
    if latin and latin != family and hasattr(f, "setFamilies"):
        f.setFamilies([latin, family])
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    return f


def label_metrics(family: str, line_height: float = 1.0, halo_mm: float = 0.35) -> Metrics:
    """Metrics measured with the real font: width per mm of font size, line spacing."""
    key = ("metrics", family, line_height, halo_mm)
    if key in _CACHE:
        return _CACHE[key]
    f = QFont(family)
    f.setPixelSize(100)
    fm = QFontMetricsF(f)
    widths = {}

    def measure(line: str, size_mm: float) -> float:
        w = widths.get(line)
        if w is None:
            w = widths[line] = fm.horizontalAdvance(line) / 100.0
        return w * size_mm

    # QGIS spaces lines by the font's line spacing times the format's line height
    m = Metrics(measure, fm.lineSpacing() / 100.0 * line_height, halo_mm)
    _CACHE[key] = m
    return m
