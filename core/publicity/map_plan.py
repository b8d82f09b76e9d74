"""Page, scale and extent of a 公示图 sheet, and the automatic page choice.

The sheet is a title band on top, the map frame on the left and a side panel
(legend, numbered key table, notes and signatures) on the right. Auto mode
takes the smallest paper (A3 → A0) and the orientation at which the share of
plots labelled inside their outline reaches settings.legible_share.
"""
import math
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, Tuple

PAPER_MM = {"A0": (841.0, 1189.0), "A1": (594.0, 841.0), "A2": (420.0, 594.0),
            "A3": (297.0, 420.0), "A4": (210.0, 297.0)}
AUTO_ORDER = ("A3", "A2", "A1", "A0")
NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
EXTENT_MARGIN = 0.06        # share of the unit's size kept free around it


@dataclass(frozen=True)
class Frame:
    paper: str
    orientation: str             # portrait / landscape
    width: float                 # page, mm
    height: float
    margin: float
    title: Tuple[float, float, float, float]     # x, y, w, h (mm, from the top-left corner)
    map: Tuple[float, float, float, float]
    panel: Tuple[float, float, float, float]
    zoom: float                  # 1 for A3; sizes of fonts and elements grow with the paper

    @property
    def name(self) -> str:
        return "%s%s" % (self.paper, "横向" if self.orientation == "landscape" else "纵向")


def frame_for(paper: str, orientation: str) -> Frame:
    short, long_ = PAPER_MM[paper]
    w, h = (long_, short) if orientation == "landscape" else (short, long_)
    zoom = math.sqrt(long_ / 420.0)
    margin = 10.0 * zoom
    title_h = 22.0 * zoom
    panel_w = 72.0 * zoom
    gap = 4.0 * zoom
    top = margin + title_h
    map_w = w - 2 * margin - panel_w - gap
    map_h = h - top - margin
    return Frame(paper, orientation, w, h, margin, (margin, margin, w - 2 * margin, title_h),
                 (margin, top, map_w, map_h), (margin + map_w + gap, top, panel_w, map_h), zoom)


def nice_scale(denominator: float) -> int:
    """The next 'round' scale at or above the given denominator (1:1200 → 1:1200, 1:1310 → 1:1500)."""
    if denominator <= 0:
        return 500
    exp = 10 ** math.floor(math.log10(denominator))
    for step in NICE_STEPS + (10.0,):
        if step * exp >= denominator - 1e-6:
            return int(round(step * exp))
    return int(round(10 * exp))


def scale_for(bounds: Sequence[float], frame: Frame) -> int:
    """Scale at which the unit's bounds (with a margin) fit the map frame."""
    w = max(bounds[2] - bounds[0], 1.0) * (1 + 2 * EXTENT_MARGIN)
    h = max(bounds[3] - bounds[1], 1.0) * (1 + 2 * EXTENT_MARGIN)
    need = max(w / frame.map[2], h / frame.map[3]) * 1000.0
    return max(200, nice_scale(need))


def extent_for(bounds: Sequence[float], frame: Frame, scale: float) -> Tuple[float, float, float, float]:
    """Ground extent of the map frame, centred on the unit."""
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    half_w = frame.map[2] * scale / 1000.0 / 2
    half_h = frame.map[3] * scale / 1000.0 / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


@dataclass
class PageChoice:
    frame: Frame
    scale: int
    extent: Tuple[float, float, float, float]
    share: float                 # share of plots with a full label (inside or callout)
    plan: object = None          # the label plan made for this choice


def choose_page(bounds: Sequence[float], plan_at: Callable[[Frame, int, tuple], Tuple[float, object]],
                paper: str = "auto", orientation: str = "auto", wanted_share: float = 0.9) -> PageChoice:
    """Pick paper and orientation.

    plan_at(frame, scale, extent, final=False) -> (share, plan) measures legibility; it may
    answer plan None for a sheet it rejects early, and is called with final=True for the
    chosen sheet when its plan is still missing.
    """
    papers = AUTO_ORDER if paper in (None, "", "auto") else (paper,)
    if orientation in (None, "", "auto"):
        w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
        orients = ("landscape", "portrait") if w >= h else ("portrait", "landscape")
    else:
        orients = (orientation,)
    best: Optional[PageChoice] = None
    for p in papers:
        options = []
        for o in orients:
            f = frame_for(p, o)
            s = scale_for(bounds, f)
            ext = extent_for(bounds, f, s)
            share, plan = plan_at(f, s, ext)
            options.append(PageChoice(f, s, ext, share, plan))
        # larger share first, then the larger scale (smaller denominator); stable on ties
        options.sort(key=lambda c: (-c.share, c.scale))
        choice = options[0]
        if best is None or (choice.share, -choice.scale) > (best.share, -best.scale):
            best = choice
        if choice.share >= wanted_share:
            break
    choice = choice if choice.share >= wanted_share else best
    if choice.plan is None:      # measured without a full plan: make it now
        _, choice.plan = plan_at(choice.frame, choice.scale, choice.extent, final=True)
    return choice
