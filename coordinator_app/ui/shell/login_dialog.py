"""Logging in (issue 8): the login dialog, the first run's "Opret administrator", and ``sign_in`` — which of the
two a start-up needs; and ``PassphraseDialog``, the encrypted database's adgangskode with "Husk i nøgleringen".

A demo database opens as the demo user without a prompt (marked "Demobruger" in the status bar). A real database
without users asks for its first administrator; otherwise the user logs in. The services check the password
(Argon2id), count failures and lock the account; this module only asks and shows their Danish answers.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from coordinator_app.domain.access import DEMO_PRINCIPAL, PASSWORD_MIN, Principal, User
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.services.users import UserService
from coordinator_app.ui.common.style import MUTED, buddy_label, error_label, text_label

__all__ = ["FirstRunDialog", "LoginDialog", "PassphraseDialog", "sign_in"]


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMaxLength(256)
    return field


class LoginDialog(QDialog):
    """Brugernavn and adgangskode; a wrong one, a locked or deactivated account is said in Danish under the form
    and the password field is cleared for the next try."""

    def __init__(self, users: UserService, *, where: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self.user: User | None = None
        self.setWindowTitle("Koordinator – log ind")
        self.setMinimumWidth(420)
        self.username = QLineEdit()
        self.username.setAccessibleName("Brugernavn")
        self.username.setMaxLength(64)
        self.password = _password_field("Adgangskode")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(buddy_label("&Brugernavn:", self.username), self.username)
        form.addRow(buddy_label("&Adgangskode:", self.password), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Log ind")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("Log ind for at se afsnittets patienter."))
        if where:
            layout.addWidget(text_label(where, MUTED))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.username.setFocus()

    def accept(self) -> None:
        try:
            self.user = self._users.authenticate(self.username.text(), self.password.text())
        except KoordinatorError as exc:
            self.error.setText(exc.message)
            self.error.show()
            self.password.clear()
            (self.username if not self.username.text().strip() else self.password).setFocus()
            return
        self.password.clear()
        super().accept()


class FirstRunDialog(QDialog):
    """The first start on a real database: create the ward's first administrator, who then adds the others."""

    def __init__(self, users: UserService, *, where: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self.user: User | None = None
        self.setWindowTitle("Koordinator – opret administrator")
        self.setMinimumWidth(480)
        self.username = QLineEdit()
        self.username.setAccessibleName("Brugernavn")
        self.full_name = QLineEdit()
        self.full_name.setAccessibleName("Fulde navn")
        self.password = _password_field("Adgangskode")
        self.repeat = _password_field("Gentag adgangskoden")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(buddy_label("&Brugernavn:", self.username), self.username)
        form.addRow(buddy_label("&Fulde navn:", self.full_name), self.full_name)
        form.addRow(buddy_label("&Adgangskode:", self.password), self.password)
        form.addRow(buddy_label("&Gentag adgangskoden:", self.repeat), self.repeat)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Opret administrator")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                "Databasen har endnu ingen brugere. Opret afsnittets første administrator. Administratoren opretter "
                "derefter de andre brugere og giver dem en rolle (Funktioner → Brugere…)."
            )
        )
        if where:
            layout.addWidget(text_label(where, MUTED))
        layout.addLayout(form)
        layout.addWidget(
            text_label(f"Adgangskoden skal have mindst {PASSWORD_MIN} tegn – en kort sætning er let at huske.", MUTED)
        )
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.username.setFocus()

    def accept(self) -> None:
        fields = {"username": self.username, "full_name": self.full_name, "password": self.password}
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError("De to adgangskoder er ikke ens. Skriv dem igen.", field="password")
            self.user = self._users.create_administrator(
                self.username.text(), self.full_name.text(), self.password.text()
            )
        except KoordinatorError as exc:
            self.error.setText(exc.message)
            self.error.show()
            field = fields.get(getattr(exc, "field", None) or "")
            if field is self.password:
                self.password.clear()
                self.repeat.clear()
            (field or self.username).setFocus()
            return
        self.password.clear()
        self.repeat.clear()
        super().accept()


def sign_in(
    users: UserService,
    *,
    demo: bool,
    where: str = "",
    run: Callable[[QDialog], int] = lambda dialog: dialog.exec(),
) -> Principal | None:
    """Who works in this window: the demo user for a demo database (no prompt), else the first administrator of a
    database without users, else whoever logs in. None when the user cancels (the program closes)."""
    if demo:
        return DEMO_PRINCIPAL
    dialog: LoginDialog | FirstRunDialog
    dialog = LoginDialog(users, where=where) if users.has_users() else FirstRunDialog(users, where=where)
    if run(dialog) != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    return dialog.user.principal


class PassphraseDialog(QDialog):
    """The encrypted database's adgangskode, with "Husk i nøgleringen" (issue 8) — shown only where the system has
    a usable keyring (``services.connection.keyring_status``); elsewhere a plain prompt asks."""

    def __init__(self, text: str, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Koordinator – adgangskode")
        self.setMinimumWidth(440)
        self.passphrase = _password_field("Adgangskode til databasen")
        self.remember = QCheckBox("&Husk i nøgleringen")
        self.remember.setToolTip(
            "Adgangskoden gemmes i styresystemets nøglering (låst med dit login), så du ikke skal skrive den ved "
            "næste start. Fjernes igen, hvis den holder op med at passe."
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Åbn")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.message = text_label(text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.remember)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus()

    def answer(self) -> tuple[str, bool] | None:
        """(adgangskode, remember) once accepted with something typed, else None."""
        if self.result() != QDialog.DialogCode.Accepted or not self.passphrase.text():
            return None
        return self.passphrase.text(), self.remember.isChecked()
