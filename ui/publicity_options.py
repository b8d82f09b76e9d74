"""The choices of a publicity run: round, period, paper, people, documents, output folder."""
import datetime as _dt
import os

from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFileDialog, QFormLayout, QGridLayout,
                                 QHBoxLayout, QLineEdit, QToolButton, QWidget)

from ..core.publicity.settings import DOCUMENTS, PublicitySettings

PAPERS = (("auto", "Automatic"), ("A0", "A0"), ("A1", "A1"), ("A2", "A2"), ("A3", "A3"))
ORIENTATIONS = (("auto", "Automatic"), ("portrait", "Portrait"), ("landscape", "Landscape"))
DOCUMENT_LABELS = {"table": "Publicity table (xlsx + pdf)", "household": "Household result sheets",
                   "notice": "Publicity notice", "declaration": "No-objection declarations",
                   "map": "Publicity maps (pdf)"}


class PublicityOptions(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.round_combo = QComboBox()
        self.round_combo.addItem(self.tr("First round"), 1)
        self.round_combo.addItem(self.tr("Second round"), 2)
        form.addRow(self.tr("Round"), self.round_combo)
        dates = QHBoxLayout()
        today = QDate.currentDate()
        self.start_edit = self._date(today)
        self.end_edit = self._date(today.addDays(6))
        dates.addWidget(self.start_edit)
        dates.addWidget(self.end_edit)
        form.addRow(self.tr("Period"), dates)
        paper = QHBoxLayout()
        self.paper_combo = QComboBox()
        for value, text in PAPERS:
            self.paper_combo.addItem(self.tr(text), value)
        self.orientation_combo = QComboBox()
        for value, text in ORIENTATIONS:
            self.orientation_combo.addItem(self.tr(text), value)
        paper.addWidget(self.paper_combo)
        paper.addWidget(self.orientation_combo)
        form.addRow(self.tr("Map paper"), paper)
        self.maker_edit = QLineEdit()
        self.reviewer_edit = QLineEdit()
        form.addRow(self.tr("Made by"), self.maker_edit)
        form.addRow(self.tr("Reviewed by"), self.reviewer_edit)
        folder = QHBoxLayout()
        self.folder_edit = QLineEdit()
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip(self.tr("Choose the output folder…"))
        browse.clicked.connect(self.browse_folder)
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(browse)
        form.addRow(self.tr("Output folder"), folder)
        image = QHBoxLayout()
        self.image_edit = QLineEdit()
        self.image_edit.setPlaceholderText(self.tr("Orthophoto under the maps (optional)"))
        pick = QToolButton()
        pick.setText("…")
        pick.setToolTip(self.tr("Choose a GeoTIFF…"))
        pick.clicked.connect(self.browse_image)
        image.addWidget(self.image_edit, 1)
        image.addWidget(pick)
        form.addRow(self.tr("Base image"), image)
        grid = QGridLayout()
        self.doc_boxes = {}
        for i, (doc, _) in enumerate(DOCUMENTS):
            box = QCheckBox(self.tr(DOCUMENT_LABELS[doc]))
            box.setChecked(True)
            self.doc_boxes[doc] = box
            grid.addWidget(box, i // 2, i % 2)
        form.addRow(self.tr("Documents"), grid)
        extra = QGridLayout()
        self.merged_box = QCheckBox(self.tr("One merged map PDF"))
        self.png_box = QCheckBox(self.tr("PNG previews"))
        self.mask_box = QCheckBox(self.tr("Mask ID numbers on posted documents"))
        self.mask_box.setChecked(True)
        self.open_box = QCheckBox(self.tr("Open the folder when done"))
        self.open_box.setChecked(True)
        for i, box in enumerate((self.merged_box, self.png_box, self.mask_box, self.open_box)):
            extra.addWidget(box, i // 2, i % 2)
        form.addRow(self.tr("Options"), extra)

    @staticmethod
    def _date(value):
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def browse_folder(self):
        path = QFileDialog.getExistingDirectory(self, self.tr("Output folder"), self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)

    def browse_image(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Base image"), self.image_edit.text(),
                                              "GeoTIFF (*.tif *.tiff)")
        if path:
            self.image_edit.setText(path)

    # --- values --------------------------------------------------------------------
    def round_no(self) -> int:
        return int(self.round_combo.currentData())

    def period(self):
        s, e = self.start_edit.date(), self.end_edit.date()
        return (_dt.date(s.year(), s.month(), s.day()), _dt.date(e.year(), e.month(), e.day()))

    def documents(self):
        return [d for d, _ in DOCUMENTS if self.doc_boxes[d].isChecked()]

    def set_documents(self, docs):
        for d, box in self.doc_boxes.items():
            box.setChecked(d in docs)

    def set_choice(self, combo, value):
        i = combo.findData(value)
        if i >= 0:
            combo.setCurrentIndex(i)

    def load(self, settings: PublicitySettings, db_path: str = ""):
        self.maker_edit.setText(settings.maker)
        self.reviewer_edit.setText(settings.reviewer)
        self.set_choice(self.paper_combo, settings.page_size)
        self.set_choice(self.orientation_combo, settings.orientation)
        self.image_edit.setText(settings.base_image)
        if db_path and not self.folder_edit.text():
            base = os.path.splitext(os.path.basename(db_path))[0]
            self.folder_edit.setText(os.path.join(os.path.dirname(db_path), "公示_%s" % base))

    def apply(self, settings: PublicitySettings) -> PublicitySettings:
        settings.maker = self.maker_edit.text().strip()
        settings.reviewer = self.reviewer_edit.text().strip()
        settings.page_size = self.paper_combo.currentData()
        settings.orientation = self.orientation_combo.currentData()
        settings.base_image = self.image_edit.text().strip()
        if not self.mask_box.isChecked():
            settings.masking = {k: False for k in settings.masking}
        return settings

    def folder(self) -> str:
        return self.folder_edit.text().strip()


