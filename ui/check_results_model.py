"""Table model over the error register (checks.error_records.ErrorRecord); display only."""
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt
from qgis.PyQt.QtGui import QBrush, QColor

RECORD_ROLE = Qt.UserRole + 1
SORT_ROLE = Qt.UserRole + 2

SEVERITY_COLOURS = {"E": QColor(200, 30, 30), "W": QColor(200, 110, 0)}
FIXED_COLOUR = QColor(130, 130, 130)


class CheckResultsModel(QAbstractTableModel):
    # (attribute shown, English header source text)
    COLUMNS = (("rule", "Rule"), ("severity", "Severity"), ("state", "State"),
               ("key", "Code"), ("message", "Description"), ("village", "Village"),
               ("group", "Group"), ("related", "Related codes"), ("reason", "Note"),
               ("last_seen", "Last found"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self._records = []
        self._row_of = {}

    # --- content ---------------------------------------------------------
    def set_records(self, records):
        self.beginResetModel()
        self._records = list(records)
        self._row_of = {r.fingerprint or r.error_id: i for i, r in enumerate(self._records)}
        self.endResetModel()

    def replace_record(self, record):
        """Show a record's new state (same identity) without resetting the view."""
        row = self.row_of(record.fingerprint or record.error_id)
        if row < 0:
            return False
        self._records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    def records(self):
        return list(self._records)

    def record(self, row):
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, identity):
        """Source row of a record by fingerprint (or error_id), -1 when absent."""
        return self._row_of.get(identity, -1)

    def column_of(self, attribute):
        for i, (name, _) in enumerate(self.COLUMNS):
            if name == attribute:
                return i
        return -1

    # --- Qt model ----------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.tr(self.COLUMNS[section][1])
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return section + 1
        return None

    def _text(self, rec, name):
        if name == "rule":
            return rec.rule
        if name == "severity":
            return rec.severity_text
        if name == "state":
            return rec.state_text
        if name == "village":
            return rec.village_name or rec.village
        if name == "group":
            return rec.group_name or (rec.group[12:] if rec.group else "")
        if name == "related":
            return rec.related_text
        return str(getattr(rec, name, "") or "")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        rec = self.record(index.row())
        if rec is None:
            return None
        name = self.COLUMNS[index.column()][0]
        if role == Qt.DisplayRole:
            return self._text(rec, name)
        if role == RECORD_ROLE:
            return rec
        if role == SORT_ROLE:
            if name == "rule":
                return "%d%s" % ("STAXMC".find(rec.rule[:1]) + 1, rec.rule)
            return self._text(rec, name)
        if role == Qt.ToolTipRole:
            tip = "%s %s\n%s" % (rec.rule, rec.rule_title, rec.message)
            if rec.reason:
                tip += "\n%s：%s（%s %s）" % (rec.state_text, rec.reason, rec.state_by, rec.state_at)
            return tip
        if role == Qt.ForegroundRole:
            if rec.state == "fixed":
                return QBrush(FIXED_COLOUR)
            if name in ("severity", "rule"):
                return QBrush(SEVERITY_COLOURS.get(rec.severity, QColor(0, 0, 0)))
        return None
