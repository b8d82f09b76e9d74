"""Qt table model over the plain row dicts of core.ownership.queries (members, plots, disputes, audit)."""
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "%.2f" % value
    return str(value)


class RecordTableModel(QAbstractTableModel):
    """Rows are dicts; columns are (key, header) pairs; numbers right-aligned, 2 decimals.

    bold_key: a boolean row key shown in bold (the head of household);
    muted: (key, value) rows shown in grey (resolved disputes).
    """

    def __init__(self, columns, parent=None, bold_key=None, muted=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows = []
        self.bold_key = bold_key
        self.muted = muted

    def set_rows(self, rows):
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.columns[index.column()][0]
        value = row.get(key)
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return cell_text(value)
        if role == Qt.TextAlignmentRole and isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.FontRole and self.bold_key and row.get(self.bold_key):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ForegroundRole and self.muted and row.get(self.muted[0]) == self.muted[1]:
            return QBrush(QColor(128, 128, 128))
        if role == Qt.UserRole:
            return row
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section][1]
        return super().headerData(section, orientation, role)
