"""Dialogs of the Court menu: additions after service, volumes, core bundle, exports.

They only collect choices; the controller (``mainwindow_court``) runs the core call.
A file is picked through ``PdfField``, which asks the controller (so tests can answer).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bundler.core.model import Served
from bundler.core.naming import format_date, plural
from bundler.gui.workers_court import EXPORTS, Tab

__all__ = ["PdfField", "AdditionsDialog", "VolumesDialog", "CoreBundleDialog", "ExportDialog"]


def _buttons(dialog: QDialog, layout: QVBoxLayout, ok_text: str) -> QPushButton:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return ok


class PdfField(QWidget):
    """A file name with a Choose… button; ``browseRequested`` lets the owner ask for the file."""

    browseRequested = Signal()
    pathChanged = Signal(object)  # Path, or None when emptied

    def __init__(self, path: Path | None = None, button: str = "C&hoose…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(str(path) if path else "", placeholderText="Choose a file…")
        self.edit.setMinimumWidth(380)
        self.choose = QPushButton(button)
        self.choose.clicked.connect(self.browseRequested)
        self.edit.editingFinished.connect(lambda: self.pathChanged.emit(self.path()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None

    def set_path(self, path: Path | None) -> None:
        self.edit.setText(str(path) if path else "")
        self.pathChanged.emit(path)


class AdditionsDialog(QDialog):
    """Supplementary bundle (143.1, 143.2 …) or pages appended to the served file (144, 145 …)."""

    def __init__(self, served: Served, late: int, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="Build additions")
        last = served.pages
        self.supplementary = QRadioButton(f"&Supplementary bundle (numbered on: {last}.1, {last}.2 …)")
        self.append = QRadioButton(f"&Append to the served bundle ({last + 1}, {last + 2} …)")
        (self.append if mode == "append" else self.supplementary).setChecked(True)
        note = QLabel(
            f"{plural(late, 'document')} added since the bundle was served on {format_date(served.date)}. "
            "Served pages keep their numbers either way.",
            wordWrap=True,
        )
        layout = QVBoxLayout(self)
        for widget in (note, self.supplementary, self.append):
            layout.addWidget(widget)
        _buttons(self, layout, "&Build")

    def mode(self) -> str:
        return "append" if self.append.isChecked() else "supplementary"


class VolumesDialog(QDialog):
    """Split by a page limit or a file size (CE-File takes 50 MB)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="Build in volumes")
        self.by_pages = QRadioButton("At most this many &pages a volume:", checked=True)
        self.by_size = QRadioButton("At most this many &MB a volume (CE-File: 50):")
        group = QButtonGroup(self)
        group.addButton(self.by_pages)
        group.addButton(self.by_size)
        self.max_pages = QSpinBox(suffix=" pages")
        self.max_pages.setRange(5, 100_000)  # not as keywords: their order is not guaranteed
        self.max_pages.setValue(350)
        self.max_mb = QDoubleSpinBox(decimals=1, suffix=" MB")
        self.max_mb.setRange(0.5, 10_000)
        self.max_mb.setValue(50)
        grid = QGridLayout()
        grid.addWidget(self.by_pages, 0, 0)
        grid.addWidget(self.max_pages, 0, 1)
        grid.addWidget(self.by_size, 1, 0)
        grid.addWidget(self.max_mb, 1, 1)
        note = QLabel("Page numbers run on from one volume to the next; documents are never split.", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        _buttons(self, layout, "&Build")

    def limits(self) -> tuple[int | None, float | None]:
        """(max pages, max MB): one of them set."""
        if self.by_pages.isChecked():
            return self.max_pages.value(), None
        return None, self.max_mb.value()


class CoreBundleDialog(QDialog):
    """Documents (by tab) and pages of the main bundle to put in a core bundle."""

    def __init__(self, main: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="Core bundle")
        self.main = PdfField(main)
        self.tabs = QListWidget()
        self.tabs.setAccessibleName("Documents of the main bundle")
        self.pages = QLineEdit(placeholderText="e.g. 12-15, 40 (main bundle page numbers)")
        self.output = QLineEdit()
        form = QFormLayout()
        form.addRow("&Main bundle:", self.main)
        form.addRow("&Documents:", self.tabs)
        form.addRow("and &pages:", self.pages)
        form.addRow("&Save as:", self.output)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.ok = _buttons(self, layout, "&Build")
        self.ok.setEnabled(False)
        self.setMinimumWidth(620)

    def set_tabs(self, main: Path, tabs: list[Tab]) -> None:
        """Show the main bundle's documents, unticked; the output goes beside it."""
        self.tabs.clear()
        for tab, title, when, first, last in tabs:
            shown = f"{tab}   {title} ({format_date(when)}) – pages {first}–{last}"
            item = QListWidgetItem(shown, self.tabs)
            item.setData(Qt.ItemDataRole.UserRole, tab)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.output.setText(str(main.with_name(f"{main.stem} - Core Bundle.pdf")))
        self.ok.setEnabled(True)

    def chosen_tabs(self) -> list[str]:
        items = [self.tabs.item(row) for row in range(self.tabs.count())]
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked]


class ExportDialog(QDialog):
    """Which exports to write from a built bundle (beside it, named after it)."""

    def __init__(self, bundle_pdf: Path | None, claim_form: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, windowTitle="Export")
        self.bundle_pdf = PdfField(bundle_pdf)
        self.kinds = {kind: QCheckBox(label) for kind, (label, _, _) in EXPORTS.items()}
        self.kinds["index"].setChecked(True)
        n461 = self.kinds["n461"]
        n461.setEnabled(claim_form is not None)
        n461.setToolTip(
            f"Tab {claim_form}" if claim_form else "No document in section A is called 'N461' or 'claim form'."
        )
        self.confidential = QCheckBox("&Confidential: real names (for the court and the parties only)")
        form = QFormLayout()
        form.addRow("&Built bundle:", self.bundle_pdf)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for box in [*self.kinds.values(), self.confidential]:
            layout.addWidget(box)
        layout.addWidget(QLabel("Files are written beside the bundle, named after it.", wordWrap=True))
        _buttons(self, layout, "&Export")

    def chosen(self) -> list[str]:
        return [kind for kind, box in self.kinds.items() if box.isChecked() and box.isEnabled()]
