"""The case-details form shared by the new-bundle and case-details dialogs."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from bundler.core.build.cover import cover_date
from bundler.core.model import CaseDetails, Options
from bundler.core.naming import format_date, parse_typed_date
from bundler.gui.project.cover_fields import ROLE_ROWS, OwnCoverRow, PartyBoxes

__all__ = ["CaseForm", "CONVERTER_LABELS", "REQUIRED_NOTE"]

REQUIRED_NOTE = "* Required: the case name and claim number go on the cover and in the file name."

CONVERTER_LABELS = {
    "auto": "Automatic (Word, else LibreOffice, else built-in)",
    "word": "Microsoft Word",
    "libreoffice": "LibreOffice",
    "builtin": "Built-in (always available)",
}


class CaseForm(QWidget):
    """Case name, short name, claim number, bundle name, court, the cover's parties, date
    and own cover, and the numbering options."""

    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_name = QLineEdit(placeholderText="e.g. R (AB) v Chief Constable of Wessex Police")
        self.short_name = QLineEdit(placeholderText="e.g. AB v CC Wessex (used in the file name)")
        self.claim_no = QLineEdit(placeholderText="e.g. AC-2019-LON-002345")
        self.bundle_name = QLineEdit()
        self.court = QPlainTextEdit()
        self.court.setTabChangesFocus(True)  # Tab moves on instead of typing a tab
        self.court.setFixedHeight(self.court.fontMetrics().lineSpacing() * 4 + 12)
        self.parties = PartyBoxes()
        self.bundle_date = QLineEdit(placeholderText="e.g. 5 Dec 2026; empty: no date on the cover")
        self.date_shown = QLabel()
        self.own_cover = OwnCoverRow()
        self.page_prefix = QLineEdit(placeholderText="none", maxLength=6)
        self.converter = QComboBox()
        for key, label in CONVERTER_LABELS.items():
            self.converter.addItem(label, key)
        self.dividers = QCheckBox("Divider page before each section")
        self.required_note = QLabel(REQUIRED_NOTE)
        self.stamp_right, self.stamp_bottom = position_boxes()
        self._lay_out()
        for edit in (self.case_name, self.claim_no, self.bundle_date):
            edit.textChanged.connect(lambda _text: self.validityChanged.emit(self.is_valid()))
        self.bundle_date.textChanged.connect(self._show_date)

    def _lay_out(self) -> None:
        form = self.rows = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            ("&Case name *:", self.case_name),
            ("&Short name:", self.short_name),
            ("Claim &number *:", self.claim_no),
            ("&Bundle name:", self.bundle_name),
            ("C&ourt:", self.court),
            *((label, self.parties.boxes[role]) for role, (label, _) in ROLE_ROWS.items()),
            ("Bundle &date:", self.bundle_date),
            ("", self.date_shown),
            ("O&wn cover:", self.own_cover),
            ("Page number &prefix:", self.page_prefix),
            ("Page number p&osition:", position_row(self.stamp_right, self.stamp_bottom)),
            ("Word doc&uments:", self.converter),
            ("", self.dividers),
            ("", self.required_note),
        ):
            form.addRow(label, widget)

    def is_valid(self) -> bool:
        date = self.bundle_date.text().strip()
        return bool(self.case_name.text().strip() and self.claim_no.text().strip()) and (
            not date or parse_typed_date(date) is not None
        )

    def _show_date(self, text: str) -> None:
        """How the cover will print what was typed, or what is wrong with it."""
        found = parse_typed_date(text) if text.strip() else None
        if not text.strip():
            self.date_shown.setText("No date on the cover.")
        elif found is None:
            self.date_shown.setText("Not a date yet: type it like 5 Dec 2026, 05/12/2026 or 2026-12-05.")
        else:
            self.date_shown.setText(f"The cover will say: Date: {cover_date(found)}")

    def set_values(self, case: CaseDetails, options: Options) -> None:
        self.case_name.setText(case.case_name)
        self.short_name.setText(case.short_name)
        self.claim_no.setText(case.claim_no)
        self.bundle_name.setText(case.bundle_name)
        self.court.setPlainText(case.court)
        self.parties.set_parties(case.parties)
        self.bundle_date.setText(format_date(case.bundle_date) if case.bundle_date else "")
        self._show_date(self.bundle_date.text())
        self.own_cover.set_value(case.cover_pdf)
        self.page_prefix.setText(options.page_prefix)
        self.converter.setCurrentIndex(max(0, self.converter.findData(options.converter)))
        self.dividers.setChecked(options.section_dividers)
        self.stamp_right.setValue(options.stamp_right)
        self.stamp_bottom.setValue(options.stamp_bottom)

    def case(self) -> CaseDetails:
        date = self.bundle_date.text().strip()
        return CaseDetails(
            case_name=self.case_name.text().strip(),
            claim_no=self.claim_no.text().strip(),
            court=self.court.toPlainText().strip() or CaseDetails("", "").court,
            bundle_name=self.bundle_name.text().strip(),
            short_name=self.short_name.text().strip(),
            bundle_date=parse_typed_date(date) if date else None,
            parties=self.parties.parties(),
            cover_pdf=self.own_cover.value(),
        )

    def options(self, base: Options) -> Options:
        return dataclasses.replace(
            base,
            page_prefix=self.page_prefix.text().strip(),
            converter=str(self.converter.currentData()),
            section_dividers=self.dividers.isChecked(),
            stamp_right=self.stamp_right.value(),
            stamp_bottom=self.stamp_bottom.value(),
        )


def position_boxes() -> tuple[QDoubleSpinBox, QDoubleSpinBox]:
    """Distance of the page number from the right and bottom edges, kept inside the margin."""
    right = QDoubleSpinBox(minimum=12, maximum=72, value=24, suffix=" pt", decimals=0)
    bottom = QDoubleSpinBox(minimum=8, maximum=48, value=14, suffix=" pt", decimals=0)
    right.setAccessibleName("Page number distance from the right edge")
    bottom.setAccessibleName("Page number distance from the bottom edge")
    return right, bottom


def position_row(right: QDoubleSpinBox, bottom: QDoubleSpinBox) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for text, box in (("bottom right, from the right edge", right), ("from the bottom edge", bottom)):
        layout.addWidget(QLabel(text))
        layout.addWidget(box)
    layout.addStretch(1)
    return row
