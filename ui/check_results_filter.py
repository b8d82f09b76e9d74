"""Filter proxy of the results table: rule, severity, village, group, state, map extent, text."""
from qgis.PyQt.QtCore import QSortFilterProxyModel, pyqtSignal

from .check_results_model import SORT_ROLE


class CheckResultsFilter(QSortFilterProxyModel):
    filtersChanged = pyqtSignal()  # noqa: N815 (Qt naming)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.rule = None          # "T04" or None
        self.severity = None      # "E" / "W" / None
        self.village = None       # 12-digit code
        self.group = None         # 14-digit code
        self.states = None        # set of states or None for all
        self.extent = None        # (minx, miny, maxx, maxy) in the database CRS
        self.text = ""

    def set_filters(self, **values):
        """Change any of rule, severity, village, group, states, extent, text at once."""
        changed = False
        for name, value in values.items():
            if not hasattr(self, name) or name.startswith("_"):
                raise AttributeError(name)
            if name == "text":
                value = (value or "").strip().lower()
            if name == "states" and value is not None:
                value = frozenset(value)
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self.invalidateFilter()
            self.filtersChanged.emit()

    def accepts(self, rec) -> bool:
        if rec is None:
            return False
        if self.rule and rec.rule != self.rule:
            return False
        if self.severity and rec.severity != self.severity:
            return False
        if self.village and rec.village != self.village:
            return False
        if self.group and rec.group != self.group:
            return False
        if self.states is not None and rec.state not in self.states:
            return False
        if self.extent is not None:
            if rec.bbox is None:
                return False
            minx, miny, maxx, maxy = self.extent
            if rec.bbox[2] < minx or rec.bbox[0] > maxx or rec.bbox[3] < miny or rec.bbox[1] > maxy:
                return False
        if self.text and self.text not in rec.search_text:
            return False
        return True

    def filterAcceptsRow(self, source_row, source_parent):  # noqa: N802
        return self.accepts(self.sourceModel().record(source_row))

    def shown_records(self):
        """Records in view order (sorted, filtered)."""
        src = self.sourceModel()
        return [src.record(self.mapToSource(self.index(r, 0)).row()) for r in range(self.rowCount())]

    def counts(self):
        """(shown, total, shown errors, shown warnings)."""
        shown = self.shown_records()
        errors = sum(1 for r in shown if r.severity == "E")
        return len(shown), self.sourceModel().rowCount(), errors, len(shown) - errors
