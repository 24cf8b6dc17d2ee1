"""The "Add person…" and "Add term…" forms. They collect values; the core checks them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

__all__ = ["PersonDialog", "TermDialog", "CATEGORIES"]

CATEGORIES = (
    "identifier",
    "place",
    "address",
    "reference",
    "date of birth",
    "phone",
    "email",
    "other",
)
_ACTIONS = (("Replace", "replace"), ("Redact (black box)", "redact"))


def _action_box(parent: QWidget, default: str) -> QComboBox:
    box = QComboBox(parent)
    for label, value in _ACTIONS:
        box.addItem(label, value)
    box.setCurrentIndex(box.findData(default))
    return box


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 70)  # placeholders unclipped
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _finish(self) -> None:
        self.form.addRow(self.buttons)
        self._refresh()

    def _refresh(self) -> None:
        """Enable OK only when the form could be accepted."""
        raise NotImplementedError


class PersonDialog(_Form):
    """A protected person: real name, other forms of it, and what replaces it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a protected person", parent)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Full real name, e.g. Jane Doe")
        self.pseudonym = QLineEdit(self)
        self.pseudonym.setPlaceholderText("e.g. Aisha, or a cipher such as AB")
        self.variants = QPlainTextEdit(self)
        self.variants.setPlaceholderText(
            "Other forms, one per line: Jane, Doe, J. Doe …\n"
            "To replace a form with other words, add them after '=':\nMrs Doe = Aisha"
        )
        self.variants.setTabChangesFocus(True)
        self.variants.setFixedHeight(self.variants.fontMetrics().lineSpacing() * 5)
        self.action = _action_box(self, "replace")
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Pseudonym:", self.pseudonym)
        self.form.addRow("&Variants:", self.variants)
        self.form.addRow("&Action:", self.action)
        for signal in (
            self.name.textChanged,
            self.pseudonym.textChanged,
            self.action.currentIndexChanged,
        ):
            signal.connect(self._refresh)
        self._finish()

    def _refresh(self) -> None:
        replace = self.action.currentData() == "replace"
        ok = bool(self.name.text().strip()) and (bool(self.pseudonym.text().strip()) or not replace)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> tuple[str, str, list[str], str]:
        """(name, pseudonym, variants, action) as ``addPersonRequested`` carries them."""
        variants = [line.strip() for line in self.variants.toPlainText().splitlines() if line.strip()]
        return (
            self.name.text().strip(),
            self.pseudonym.text().strip(),
            variants,
            str(self.action.currentData()),
        )


class TermDialog(_Form):
    """A protected place, address, reference number or other identifier."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a protected term", parent)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("e.g. 14 Acacia Avenue, or HO ref B1234567")
        self.category = QComboBox(self)
        self.category.setEditable(True)
        self.category.addItems(CATEGORIES)
        self.action = _action_box(self, "redact")
        self.replacement = QLineEdit(self)
        self.replacement.setPlaceholderText("What the reader sees instead, e.g. [address]")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why it is protected (shown in the schedule)")
        for label, widget in (
            ("&Text:", self.text),
            ("&Category:", self.category),
            ("&Action:", self.action),
            ("R&eplace with:", self.replacement),
            ("&Reason:", self.reason),
        ):
            self.form.addRow(label, widget)
        for signal in (
            self.text.textChanged,
            self.replacement.textChanged,
            self.action.currentIndexChanged,
        ):
            signal.connect(self._refresh)
        self._finish()

    def _refresh(self) -> None:
        replace = self.action.currentData() == "replace"
        self.replacement.setEnabled(replace)
        ok = bool(self.text.text().strip()) and (bool(self.replacement.text().strip()) or not replace)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> tuple[str, str, str, str, str]:
        """(text, action, replacement, category, reason) as ``addTermRequested`` carries them."""
        action = str(self.action.currentData())
        replacement = self.replacement.text().strip() if action == "replace" else ""
        return (
            self.text.text().strip(),
            action,
            replacement,
            self.category.currentText().strip(),
            self.reason.text().strip(),
        )
