"""Add or edit a household member: the ID is checked as typed; gender and birth come from it."""
from qgis.PyQt.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                                 QVBoxLayout)

from ..core import codelists
from ..core.ownership.idcheck import ID_CARD
from .ownership_widgets import IdInput, code_combo, set_code


class MemberDialog(QDialog):
    def __init__(self, household_name, member=None, head_exists=True, survey_date=None, parent=None):
        super().__init__(parent)
        self.member = member or {}
        self.is_head = bool(self.member.get("IS_HEAD"))
        self.setWindowTitle(self.tr("Edit member") if member else self.tr("Add member"))
        self.name = QLineEdit(self.member.get("CYXM") or "")
        self.name.setObjectName("memberName")
        self.id_type = code_combo("C.15")
        self.id_input = IdInput()
        self.id_input.survey_date = survey_date
        self.gender = code_combo("C.17", blank=True)
        self.birth = QLabel()
        # the head keeps 01/02 (changed with "Set as head"); others may not take it
        if self.is_head:
            self.relation = code_combo("GB4761", only=codelists.HEAD_RELATIONS)
        else:
            self.relation = code_combo("GB4761", exclude=codelists.HEAD_RELATIONS if head_exists else ())
        self.remark = code_combo("C.18", blank=True)
        self.co_holder = code_combo("C.19")
        self.remark_text = QLineEdit(self.member.get("CYBZSM") or "")
        form = QFormLayout()
        form.addRow(self.tr("Household"), QLabel(household_name))
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("ID type"), self.id_type)
        form.addRow(self.tr("ID number"), self.id_input)
        form.addRow(self.tr("Gender"), self.gender)
        form.addRow(self.tr("Birth date"), self.birth)
        form.addRow(self.tr("Relation to head"), self.relation)
        form.addRow(self.tr("Remark"), self.remark)
        form.addRow(self.tr("Co-holder"), self.co_holder)
        form.addRow(self.tr("Remark text"), self.remark_text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        set_code(self.id_type, self.member.get("CYZJLX") or ID_CARD)
        set_code(self.gender, self.member.get("CYXB"))
        set_code(self.relation, self.member.get("YHZGX") or ("20" if head_exists else "02"))
        set_code(self.remark, self.member.get("CYBZ"))
        set_code(self.co_holder, self.member.get("SFGYR") or "1")
        self.id_input.set_text(self.member.get("CYZJHM") or "")
        self.id_input.set_type(self.id_type.currentData())
        self.id_type.currentIndexChanged.connect(lambda _: self.id_input.set_type(self.id_type.currentData()))
        self.id_input.changed.connect(self._update)
        self.name.textChanged.connect(self._update)
        self._update()

    def _update(self, *_):
        info = self.id_input.info()
        derived = info.gender if info.ok else None
        if derived:
            set_code(self.gender, derived)
        self.gender.setEnabled(not derived)
        self.birth.setText(info.birth.isoformat() if info.ok and info.birth else "")
        ok = info.ok and bool(self.name.text().strip()) and bool(self.gender.currentData())
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def values(self) -> dict:
        return {"CYXM": self.name.text().strip(), "CYZJLX": self.id_type.currentData(),
                "CYZJHM": self.id_input.number(), "CYXB": self.gender.currentData(),
                "YHZGX": self.relation.currentData(), "CYBZ": self.remark.currentData() or None,
                "SFGYR": self.co_holder.currentData(), "CYBZSM": self.remark_text.text().strip() or None}
