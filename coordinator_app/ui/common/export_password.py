"""«Adgangskode til filen»: the password an exported file with patient data is encrypted with (issue 8).

Asked for twice (a typo would lock the receiver out), at least ``MIN_PASSWORD_LENGTH`` characters, with the
reminder that the password travels another way than the file. The dialog never keeps the password after it
closes, and nothing writes it to a log or the settings.

Used by «Gem som PDF» (``printing.save_document_as``) and the statistics export; opened with ``open()`` so the
window stays responsive and tests can type into it. The rules are the export service's (``services.exports``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.services.exports import MIN_PASSWORD_LENGTH, password_problem
from coordinator_app.ui.common.safe_text import markup, plain_label, rich_label
from coordinator_app.ui.common.style import ERROR_STYLE

SEND_SEPARATELY = (
    "Send adgangskoden ad en anden vej end filen – ring, eller send en sms – aldrig i samme e-mail som filen."
)
#: Said when a demo database exports without a password (fictitious patients only).
DEMO_PLAIN = "demo – ikke krypteret (fiktive patienter)"


MISMATCH = "De to adgangskoder er ikke ens. Skriv den samme adgangskode begge steder."


class PasswordPair(QWidget):
    """The password typed twice, with «Vis adgangskoden»: the export rules (``services.exports.password_problem``).
    Also the laptop file's passphrase (``ui.offline``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("Adgangskode")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Gentag adgangskoden")
        self.show_password = QCheckBox("&Vis adgangskoden")
        self.show_password.toggled.connect(self._toggle_echo)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Adgangskode:", self.first)
        form.addRow("&Gentag adgangskoden:", self.second)
        form.addRow("", self.show_password)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def problem(self) -> str | None:
        """Why the password cannot be used (Danish), the field to fix focused; None when it can."""
        first, second = self.first.text(), self.second.text()
        problem = password_problem(first)
        if problem is None and first != second:
            self.second.clear()
            self.second.setFocus()
            return MISMATCH
        if problem is not None:
            self.first.setFocus()
            self.first.selectAll()
        return problem

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()


class ExportPasswordDialog(QDialog):
    """Two password fields and the reminder; ``password()`` holds the accepted password."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._password = ""
        self.setWindowTitle("Adgangskode til filen")
        self.setMinimumWidth(520)

        intro = plain_label(
            f"{what} indeholder patientoplysninger og gemmes krypteret. Vælg en adgangskode på mindst "
            f"{MIN_PASSWORD_LENGTH} tegn; modtageren skal bruge den for at åbne filen."
        )
        intro.setWordWrap(True)
        hint = rich_label(markup("<b>{}</b>", SEND_SEPARATELY))
        hint.setWordWrap(True)

        self.pair = PasswordPair()
        self.first, self.second, self.show_password = self.pair.first, self.pair.second, self.pair.show_password

        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setAccessibleName("Fejlbesked")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Gem &krypteret")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pair)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.first.setFocus()

    def _check(self) -> None:
        problem = self.pair.problem()
        if problem is not None:
            self.error_label.setText("⚠ " + problem)
            self.error_label.show()
            return
        self._password = self.first.text()
        self.accept()

    def password(self) -> str:
        return self._password

    def done(self, result: int) -> None:
        """Clear the fields when the dialog closes: the password lives only as long as the save needs it."""
        self.pair.clear()
        super().done(result)


def ask_export_password(parent: QWidget | None, what: str, then: Callable[[str], object]) -> ExportPasswordDialog:
    """Open the dialog (window-modal, not blocking) and call ``then(password)`` when the user accepts it."""
    dialog = ExportPasswordDialog(what, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)

    def finished(result: int) -> None:
        password = dialog.password()
        dialog._password = ""
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and password:
            then(password)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
