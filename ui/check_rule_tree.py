"""Rule chooser: the catalogue by family with check boxes; rules not implemented are greyed."""
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..checks import catalogue

RULE_ROLE = Qt.UserRole + 1


class CheckRuleTree(QTreeWidget):
    FAMILIES = (("S", "Structure"), ("T", "Geometry and topology"), ("A", "Attributes and codes"),
                ("X", "Cross-table"), ("M", "Areas"), ("C", "Completeness"))

    def __init__(self, implemented=(), parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.set_rules(implemented)

    def set_rules(self, implemented):
        """Rebuild the tree; every implemented rule starts checked."""
        implemented = set(implemented)
        self.clear()
        for letter, label in self.FAMILIES:
            fam = QTreeWidgetItem(self, ["%s  %s" % (letter, self.tr(label))])
            fam.setFlags(fam.flags() | Qt.ItemIsUserCheckable | Qt.ItemIsAutoTristate)
            any_impl = False
            for rid in sorted((r for r in catalogue.RULES if r[0] == letter), key=catalogue.sort_key):
                sev, title = catalogue.RULES[rid]
                item = QTreeWidgetItem(fam, ["%s  %s（%s）" % (rid, title, catalogue.SEVERITY_TEXT[sev])])
                item.setData(0, RULE_ROLE, rid)
                if rid in implemented:
                    item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                    item.setCheckState(0, Qt.Checked)
                    any_impl = True
                else:
                    item.setFlags(item.flags() & ~(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable))
                    item.setToolTip(0, self.tr("Not implemented yet"))
            fam.setCheckState(0, Qt.Checked if any_impl else Qt.Unchecked)
            if not any_impl:
                fam.setFlags(fam.flags() & ~Qt.ItemIsEnabled)

    def _rule_items(self):
        for i in range(self.topLevelItemCount()):
            fam = self.topLevelItem(i)
            for j in range(fam.childCount()):
                yield fam.child(j)

    def checked_rules(self):
        """Checked, enabled rule IDs in catalogue order."""
        return sorted((it.data(0, RULE_ROLE) for it in self._rule_items()
                       if it.flags() & Qt.ItemIsEnabled and it.checkState(0) == Qt.Checked),
                      key=catalogue.sort_key)

    def set_checked(self, rules):
        rules = set(rules)
        for it in self._rule_items():
            if it.flags() & Qt.ItemIsEnabled:
                it.setCheckState(0, Qt.Checked if it.data(0, RULE_ROLE) in rules else Qt.Unchecked)
