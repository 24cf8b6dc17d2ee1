"""Dialogs: new bundle, case details, settings, About, and the one error dialog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from bundler import __version__
from bundler.core.errors import BundlerError
from bundler.core.model import CaseDetails, Options
from bundler.core.templates import Template, list_templates
from bundler.gui.icons import icon
from bundler.gui.project.case_form import CONVERTER_LABELS, CaseForm, position_boxes, position_row
from bundler.gui.settings import Settings

__all__ = ["NewBundleDialog", "CaseDetailsDialog", "SettingsDialog", "show_error", "show_about"]


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class NewBundleDialog(QDialog):
    """Choose a template (claim, hearing, authorities) and enter the case details."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="New bundle from template")
        self._templates = list_templates()
        self.template = QComboBox()
        for template in self._templates:
            self.template.addItem(template.title, template.name)
        self.sections = QLabel(wordWrap=True)
        self.sections.setTextFormat(Qt.TextFormat.PlainText)
        self.form = CaseForm()
        right, bottom = settings.stamp_position
        self.form.set_values(
            CaseDetails("", "", bundle_date=date.today().isoformat()),  # kept: a rebuild prints the same date
            Options(converter=settings.converter, stamp_right=right, stamp_bottom=bottom),
        )
        self.buttons = _buttons(self, "&Create")
        self._lay_out()
        self.template.currentIndexChanged.connect(self._template_chosen)
        self.form.validityChanged.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.template.setCurrentIndex(max(0, self.template.findData(settings.default_template)))
        self._template_chosen(self.template.currentIndex(), settings.page_prefix)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def _lay_out(self) -> None:
        self.form.rows.insertRow(0, "&Template:", self.template)  # one column of labels
        self.form.rows.insertRow(1, "Sections:", self.sections)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _chosen(self) -> Template:
        return self._templates[max(0, self.template.currentIndex())]

    def _template_chosen(self, _index: int, prefix: str | None = None) -> None:
        template = self._chosen()
        self.sections.setText("\n".join(f"{letter}   {title}" for letter, title in template.sections))
        self.form.bundle_name.setPlaceholderText(template.bundle_name)
        self.form.page_prefix.setText(template.page_prefix if prefix is None or not prefix else prefix)

    def result_values(self) -> tuple[str, CaseDetails, Options]:
        """(template name, case details, options) as entered."""
        case = self.form.case()
        case.bundle_name = case.bundle_name or self._chosen().bundle_name
        return self._chosen().name, case, self.form.options(Options())


class CaseDetailsDialog(QDialog):
    """The case details and the cover (parties, bundle date, own cover), and numbering options."""

    def __init__(
        self, case: CaseDetails, options: Options, parent: QWidget | None = None, project_dir: Path | None = None
    ) -> None:
        super().__init__(parent, windowTitle="Case details")
        self._options = options
        self.form = CaseForm()
        self.form.own_cover.project_dir = project_dir  # the cover's path is kept relative to it
        self.form.set_values(case, options)
        self.buttons = buttons = _buttons(self, "&Apply")
        self.form.validityChanged.connect(buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(660)  # room for the own cover's path

    def result_values(self) -> tuple[CaseDetails, Options]:
        return self.form.case(), self.form.options(self._options)


class SettingsDialog(QDialog):
    """Defaults for new bundles, kept between runs."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="Settings")
        self._settings = settings
        self.template = QComboBox()
        for template in list_templates():
            self.template.addItem(template.title, template.name)
        self.template.setCurrentIndex(max(0, self.template.findData(settings.default_template)))
        self.converter = QComboBox()
        for key, label in CONVERTER_LABELS.items():
            self.converter.addItem(label, key)
        self.converter.setCurrentIndex(max(0, self.converter.findData(settings.converter)))
        self.soffice = QLineEdit(settings.soffice, placeholderText="found by itself (PATH, registry, usual folders)")
        self.prefix = QLineEdit(settings.page_prefix, maxLength=6, placeholderText="the template's")
        self.stamp_right, self.stamp_bottom = position_boxes()
        self.stamp_right.setValue(settings.stamp_position[0])
        self.stamp_bottom.setValue(settings.stamp_position[1])
        form = QFormLayout()
        form.addRow("Default &template:", self.template)
        form.addRow("DOCX &converter:", self.converter)
        form.addRow("&LibreOffice (soffice):", self.soffice)
        form.addRow("Page number &prefix:", self.prefix)
        form.addRow("Page number p&osition:", position_row(self.stamp_right, self.stamp_bottom))
        note = QLabel(
            "Page numbers always go bottom right, as the court's e-bundle guidance asks. "
            "These defaults apply to new bundles; change an open bundle in Case details.",
            wordWrap=True,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(_buttons(self, "&Save"))
        self.setMinimumWidth(480)

    def accept(self) -> None:
        self._settings.default_template = str(self.template.currentData())
        self._settings.converter = str(self.converter.currentData())
        self._settings.soffice = self.soffice.text().strip()
        self._settings.page_prefix = self.prefix.text().strip()
        self._settings.stamp_position = (self.stamp_right.value(), self.stamp_bottom.value())
        self._settings.sync()
        super().accept()


def show_error(parent: QWidget | None, err: BaseException) -> QMessageBox:
    """The one way errors reach the user: the message says what happened and what to do.

    Window-modal but not blocking, so background work and tests carry on.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, "Bundler", str(err), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if not isinstance(err, BundlerError):
        box.setInformativeText("This is unexpected; please report it.")
    box.open()
    return box


def show_about(parent: QWidget | None) -> QMessageBox:
    text = (
        f"<h3>Bundler {__version__}</h3><p>Court bundles for judicial review: one paginated, "
        "indexed, "
        "bookmarked PDF, with anonymisation and true redaction.</p>"
        "<p>Works offline; nothing leaves this computer.</p><p>Fonts: DejaVu (free licence).</p>"
    )
    box = QMessageBox(QMessageBox.Icon.NoIcon, "About Bundler", text, QMessageBox.StandardButton.Ok, parent)
    box.setIconPixmap(icon("bundler").pixmap(64, 64))
    box.open()
    return box
