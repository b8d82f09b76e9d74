"""Label plan types of the 公示图: modes, text metrics, specs, placed labels, the plan."""
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import shapely

INSIDE, SHRUNK, CALLOUT, NUMBER, NUMBER_CALLOUT = "inside", "shrunk", "callout", "number", "number_callout"
IN_PLOT = (INSIDE, SHRUNK)


def default_measure(line: str, size_mm: float) -> float:
    """Width in mm of one line: CJK one em, digits and Latin about half."""
    em = 0.0
    for ch in line:
        o = ord(ch)
        if o > 0x2E80:
            em += 1.0
        elif ch in ".,:;!|il'":
            em += 0.3
        else:
            em += 0.58
    return em * size_mm


@dataclass
class Metrics:
    """Text measurement; export/ passes one measured with the real font."""
    measure: Callable[[str, float], float] = default_measure
    line_factor: float = 1.25      # line spacing / font size
    halo_mm: float = 0.35          # white buffer around the text

    def box_mm(self, lines: Sequence[str], size_mm: float) -> Tuple[float, float]:
        w = max((self.measure(s, size_mm) for s in lines), default=0.0)
        h = len(lines) * size_mm * self.line_factor
        return w + 2 * self.halo_mm, h + 2 * self.halo_mm


@dataclass
class LabelSpec:
    key: str                 # DKBM
    geom: object             # shapely Polygon (ground units)
    lines: Tuple[str, ...]


@dataclass
class PlacedLabel:
    key: str
    mode: str
    lines: Tuple[str, ...]
    size_mm: float
    x: float                 # label centre (ground)
    y: float
    angle: float             # degrees, counter-clockwise
    anchor: Tuple[float, float]
    box: object              # shapely Polygon of the text box (ground)
    number: Optional[int] = None
    leader: Optional[Tuple[Tuple[float, float], Tuple[float, float]]] = None
    forced: bool = False     # no free place was found: drawn at the plot anyway

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class LabelPlan:
    scale: float
    labels: List[PlacedLabel] = field(default_factory=list)

    def by_mode(self, *modes) -> List[PlacedLabel]:
        return [p for p in self.labels if p.mode in modes]

    @property
    def numbered(self) -> List[PlacedLabel]:
        return sorted((p for p in self.labels if p.number is not None), key=lambda p: p.number)

    @property
    def full_share(self) -> float:
        """Share of plots whose whole label is shown (inside or with a leader)."""
        return len(self.by_mode(INSIDE, SHRUNK, CALLOUT)) / len(self.labels) if self.labels else 1.0

    @property
    def inside_share(self) -> float:
        return len(self.by_mode(*IN_PLOT)) / len(self.labels) if self.labels else 1.0

    def overlaps(self) -> List[Tuple[str, str]]:
        """Pairs of labels whose text boxes intersect (should be none)."""
        if len(self.labels) < 2:
            return []
        boxes = np.array([p.box for p in self.labels], dtype=object)
        tree = shapely.STRtree(boxes)
        a, b = tree.query(boxes, predicate="intersects")
        pairs = {(min(i, j), max(i, j)) for i, j in zip(a, b) if i != j}
        out = []
        for i, j in sorted(pairs):
            if shapely.area(shapely.intersection(boxes[i], boxes[j])) > 1e-9:
                out.append((self.labels[i].key, self.labels[j].key))
        return out


# --- geometry helpers ----------------------------------------------------------


def size_steps(base: float, minimum: float, step: float = 0.2) -> List[float]:
    sizes, s = [], base
    while s >= minimum - 1e-9:
        sizes.append(round(s, 2))
        s -= step
    if sizes[-1] > minimum + 1e-9:
        sizes.append(minimum)
    return sizes


@dataclass
class Prepared:
    """Per-plot geometry facts that do not depend on the scale (computed once per unit)."""
    specs: List[LabelSpec]
    geoms: np.ndarray
    xy: np.ndarray
    radius: np.ndarray
    angles: np.ndarray
