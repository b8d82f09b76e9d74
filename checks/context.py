"""What a check run sees: the database, parameters, scope, progress and caches."""
import time
from typing import Callable, Dict, List, Optional, Sequence

from ..core.township_db import TownshipDB

# Spec checks.md §2. Fixed thresholds are part of their rule but recorded with every run.
DEFAULT_PARAMETERS = {
    "OVERLAP_MIN_AREA": 0.0001,
    "GAP_MAX_WIDTH": 0.5,
    "HOLE_MAX_AREA": 50.0,
    "AREA_TOL": 0.1,
    "CONTRACT_DIFF_PCT": 10.0,
    "REGION_TOL": 0.001,
    "COVERAGE_MIN": 0.20,
    "COVERAGE_MAX": 1.00,
    "XY_TOL": 0.001,
    "T08_MIN_AREA": 1.0,
    "T09_MIN_ANGLE": 5.0,
    "T10_MIN_DIST": 0.05,
    "T11_MAX_DIST": 0.05,
    "T12_MAX_DIST": 0.05,
    "M02_TOL_MU": 0.01,
    "X04_TOL_M2": 0.01,
}


class Cancelled(Exception):
    pass


class Feedback:
    """Progress/cancel bridge; processing and the dock pass their own."""

    def __init__(self, progress: Optional[Callable[[float], None]] = None,
                 is_canceled: Optional[Callable[[], bool]] = None,
                 log: Optional[Callable[[str], None]] = None):
        self._progress = progress
        self._is_canceled = is_canceled
        self._log = log

    def progress(self, pct: float):
        if self._progress:
            self._progress(max(0.0, min(100.0, pct)))

    def canceled(self) -> bool:
        return bool(self._is_canceled and self._is_canceled())

    def check(self):
        if self.canceled():
            raise Cancelled()

    def log(self, text: str):
        if self._log:
            self._log(text)

    def scaled(self, base: float, span: float) -> "Feedback":
        """A feedback whose 0–100 maps to base … base+span of this one."""
        return Feedback(lambda p: self.progress(base + span * p / 100.0),
                        self._is_canceled, self._log)


class CheckContext:
    def __init__(self, db: Optional[TownshipDB], parameters: Optional[Dict] = None,
                 scope: Optional[Sequence[str]] = None, feedback: Optional[Feedback] = None,
                 admin_units: Optional[List[dict]] = None, extra_masks: Sequence = (),
                 survey_date=None):
        self.db = db
        self.params = dict(DEFAULT_PARAMETERS)
        if parameters:
            self.params.update({k: v for k, v in parameters.items() if v is not None})
        # scope: code prefixes (village 12 / group 14 digits); None = township
        self.scope = tuple(scope) if scope else None
        self.feedback = feedback or Feedback()
        self.admin_units = admin_units
        self.extra_masks = list(extra_masks)   # shapely polygons never counted as gaps
        self.survey_date = survey_date
        self.skipped: Dict[str, str] = {}
        self.notes: List[str] = []
        self.cache: Dict[str, object] = {}
        self.timings: Dict[str, float] = {}

    def in_scope(self, code) -> bool:
        if self.scope is None:
            return True
        code = str(code or "")
        # prefixes grouped by length: a scope of thousands of DKBM (a map selection) stays O(1)
        by_len = self.__dict__.get("_scope_index")
        if by_len is None or by_len[0] is not self.scope:
            index = {}
            for p in self.scope:
                index.setdefault(len(p), set()).add(p)
            by_len = (self.scope, index)
            self._scope_index = by_len
        return any(code[:n] in prefixes for n, prefixes in by_len[1].items())

    def skip(self, rule: str, reason: str):
        self.skipped[rule] = reason

    def table(self, name: str) -> List[dict]:
        """Rows of an ownership table, cached per run."""
        key = "table:" + name.upper()
        if key not in self.cache:
            self.cache[key] = self.db.read(name) if self.db is not None else []
        return self.cache[key]

    def cached(self, key: str, factory: Callable):
        if key not in self.cache:
            t0 = time.perf_counter()
            self.cache[key] = factory()
            self.timings["load:" + key] = time.perf_counter() - t0
        return self.cache[key]
