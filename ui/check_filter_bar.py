"""The filter widgets above the results table; emits changed() with the values to apply."""
from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QWidget

from ..checks import catalogue

STATE_CHOICES = (("Open", "open"), ("Open and accepted", "open+accepted"),
                 ("Accepted", "accepted"), ("Fixed", "fixed"), ("All states", "all"))


class CheckFilterBar(QWidget):
    changed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rule = QComboBox()
        self.severity = QComboBox()
        self.severity.addItem(self.tr("All severities"), None)
        self.severity.addItem(self.tr("Errors"), "E")
        self.severity.addItem(self.tr("Warnings"), "W")
        self.state = QComboBox()
        for label, key in STATE_CHOICES:
            self.state.addItem(self.tr(label), key)
        self.village = QComboBox()
        self.group = QComboBox()
        self.in_extent = QCheckBox(self.tr("Only in map extent"))
        self.search = QgsFilterLineEdit()
        self.search.setShowSearchIcon(True)
        self.search.setPlaceholderText(self.tr("Search code, name or description"))
        for w in (self.rule, self.village, self.group):
            w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(8)
        rows = ((self.tr("Rule"), self.rule, self.tr("Severity"), self.severity),
                (self.tr("Village"), self.village, self.tr("Group"), self.group),
                (self.tr("State"), self.state, None, self.in_extent))
        for r, (l1, w1, l2, w2) in enumerate(rows):
            grid.addWidget(QLabel(l1), r, 0)
            grid.addWidget(w1, r, 1)
            if l2:
                grid.addWidget(QLabel(l2), r, 2)
                grid.addWidget(w2, r, 3)
            else:
                grid.addWidget(w2, r, 2, 1, 2)
        grid.addWidget(self.search, 3, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._villages, self._groups = [], {}
        self.set_choices([], [], {})
        for combo in (self.rule, self.severity, self.state, self.group):
            combo.currentIndexChanged.connect(self._emit)
        self.village.currentIndexChanged.connect(self._village_changed)
        self.in_extent.toggled.connect(self._emit)
        self.search.textChanged.connect(self._emit)

    def _emit(self, *_):
        self.changed.emit()

    @staticmethod
    def _refill(combo, first_label, items, keep=True):
        """items: [(data, label)]; keeps the current choice when it is still offered."""
        current = combo.currentData() if keep else None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(first_label, None)
        for data, label in items:
            combo.addItem(label, data)
        idx = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, idx))
        combo.blockSignals(False)

    def set_choices(self, rules, villages, groups):
        """rules: IDs present; villages: [(code, name)]; groups: {village: [(code, name)]}."""
        self._refill(self.rule, self.tr("All rules"),
                     [(r, "%s %s" % (r, catalogue.RULES.get(r, ("", ""))[1]))
                      for r in sorted(rules, key=lambda r: catalogue.sort_key(r)
                                      if r in catalogue.RULES else (9, r))])
        self._villages, self._groups = list(villages), dict(groups)
        self._refill(self.village, self.tr("All villages"),
                     [(c, "%s %s" % (c[9:], n) if n else c) for c, n in self._villages])
        self._fill_groups()

    def _fill_groups(self):
        village = self.village.currentData()
        groups = self._groups.get(village, []) if village else \
            [g for v, _ in self._villages for g in self._groups.get(v, [])]
        self._refill(self.group, self.tr("All groups"),
                     [(c, "%s %s" % (c[12:], n) if n else c) for c, n in groups])

    def _village_changed(self, *_):
        self._fill_groups()
        self._emit()

    def values(self):
        return {"rule": self.rule.currentData(), "severity": self.severity.currentData(),
                "village": self.village.currentData(), "group": self.group.currentData(),
                "states": self.states(), "text": self.search.value()}

    def states(self):
        key = self.state.currentData() or "all"
        return None if key == "all" else tuple(key.split("+"))

    def set_value(self, name, data):
        """Select a choice by its data (tests and keyboard users), e.g. set_value('rule', 'M01')."""
        combo = {"rule": self.rule, "severity": self.severity, "village": self.village,
                 "group": self.group, "state": self.state}[name]
        idx = combo.findData(data)
        if idx < 0:
            raise ValueError("%s not offered for %s" % (data, name))
        combo.setCurrentIndex(idx)
