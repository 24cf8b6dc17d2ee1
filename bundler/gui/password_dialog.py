"""Asking for a protected PDF's password, with the choice to keep it in the OS keyring."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

__all__ = ["PasswordDialog", "GivenPassword"]


@dataclass(frozen=True)
class GivenPassword:
    password: str
    keep: bool  # keep it in the OS keyring (only offered where there is one)


class PasswordDialog(QDialog):
    """'<file>' is password-protected: the password (hidden), and "keep it" where possible.

    ``no_keyring`` says why passwords cannot be kept (None when they can): the box is then
    shown disabled with that reason, so the user knows they will be asked again.
    """

    def __init__(self, file_name: str, wrong: bool, no_keyring: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password needed")
        first = f"'{file_name}' did not open with that password." if wrong else f"'{file_name}' is password-protected."
        self.message = QLabel(f"{first} Enter its password to use it in the bundle.")
        self.message.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.keep = QCheckBox("Keep this password in this computer's keyring")
        self.keep.setEnabled(no_keyring is None)
        self.keep.setToolTip(no_keyring or "Otherwise you will be asked again next time you open the project")
        self.note = QLabel(no_keyring or "It is never written into the project file.")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        for widget in (self.message, self.password, self.keep, self.note, buttons):
            layout.addWidget(widget)

    def given(self) -> GivenPassword | None:
        """What the user entered once the dialog was accepted (None for cancel or an empty field)."""
        if self.result() != QDialog.DialogCode.Accepted or not self.password.text():
            return None
        return GivenPassword(self.password.text(), self.keep.isChecked() and self.keep.isEnabled())
