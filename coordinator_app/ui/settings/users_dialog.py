"""Funktioner → Brugere… (issue 8, administrators): the users with role and status, add one, change the role,
deactivate or reactivate, set a new password (which also lifts a lock-out), and the idle lock's minutes.

Every change goes through ``UserService``, which checks the administrator's role itself and keeps at least one
active administrator; a refusal is shown in Danish under the list.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.access import PASSWORD_MIN, ROLE_LABELS, Role, User
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.users import (
    MAX_IDLE_MINUTES,
    UserService,
    load_idle_minutes,
    save_idle_minutes,
)
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, OK_STYLE, buddy_label, error_label, text_label

__all__ = ["PasswordDialog", "UserFormDialog", "UsersDialog"]

HEADERS = ("Brugernavn", "Navn", "Rolle", "Status", "Seneste login")


def _role_combo() -> QComboBox:
    combo = QComboBox()
    for role in (Role.KOORDINATOR, Role.MOEDELEDER, Role.LAESEADGANG, Role.ADMINISTRATOR):
        combo.addItem(ROLE_LABELS[role], role)
    combo.setAccessibleName("Rolle")
    return combo


def _password_pair() -> tuple[QLineEdit, QLineEdit]:
    fields = []
    for name in ("Adgangskode", "Gentag adgangskoden"):
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        fields.append(field)
    return fields[0], fields[1]


class UserFormDialog(QDialog):
    """Tilføj bruger: brugernavn, navn, rolle and a first password (the user can change it later)."""

    def __init__(self, users: UserService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self.user: User | None = None
        self.setWindowTitle("Tilføj bruger")
        self.username = QLineEdit()
        self.username.setAccessibleName("Brugernavn")
        self.full_name = QLineEdit()
        self.full_name.setAccessibleName("Fulde navn")
        self.role = _role_combo()
        self.password, self.repeat = _password_pair()
        self.error = error_label()
        form = QFormLayout()
        form.addRow(buddy_label("&Brugernavn:", self.username), self.username)
        form.addRow(buddy_label("&Fulde navn:", self.full_name), self.full_name)
        form.addRow(buddy_label("&Rolle:", self.role), self.role)
        form.addRow(buddy_label("&Adgangskode:", self.password), self.password)
        form.addRow(buddy_label("&Gentag adgangskoden:", self.repeat), self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Tilføj")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(text_label(f"Adgangskoden skal have mindst {PASSWORD_MIN} tegn.", MUTED))
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError("De to adgangskoder er ikke ens. Skriv dem igen.", field="password")
            self.user = self._users.create_user(
                self.username.text(), self.full_name.text(), Role(self.role.currentData()), self.password.text()
            )
        except KoordinatorError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


class PasswordDialog(QDialog):
    """Ny adgangskode for a user who forgot theirs or is locked out: also lifts the lock."""

    def __init__(self, users: UserService, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self._user = user
        self.done_user: User | None = None
        self.setWindowTitle(f"Ny adgangskode til {user.username}")
        self.password, self.repeat = _password_pair()
        self.error = error_label()
        form = QFormLayout()
        form.addRow(buddy_label("&Ny adgangskode:", self.password), self.password)
        form.addRow(buddy_label("&Gentag adgangskoden:", self.repeat), self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(f"{user.full_name} ({user.username}) logger ind med den nye adgangskode."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError("De to adgangskoder er ikke ens. Skriv dem igen.", field="password")
            assert self._user.id is not None
            self.done_user = self._users.reset_password(self._user.id, self.password.text())
        except KoordinatorError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


def status_text(user: User, now: datetime) -> str:
    if not user.active:
        return "Deaktiveret"
    if user.locked_until is not None and user.locked_at(now):
        return f"Spærret til kl. {user.locked_until.astimezone(COPENHAGEN):%H:%M}"
    return "Aktiv"


class UsersDialog(QDialog):
    """The list and the buttons; ``UserService.users`` refuses a non-administrator before anything is shown."""

    def __init__(self, ctx: ServiceContext, users: UserService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._users = users
        self._rows: list[User] = users.users()  # AccessDeniedError for anyone but an administrator
        self.child: QDialog | None = None
        self.setWindowTitle("Brugere")
        self.resize(760, 460)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Brugere")
        self.table.itemSelectionChanged.connect(self._selected)
        self.add_button = QPushButton("&Tilføj bruger…")
        self.add_button.clicked.connect(self.add_user)
        self.role = _role_combo()
        self.role_button = QPushButton("Gem &rolle")
        self.role_button.clicked.connect(self.save_role)
        self.active_button = QPushButton("&Deaktiver")
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton("Ny &adgangskode…")
        self.password_button.clicked.connect(self.new_password)
        self.idle = QSpinBox()
        self.idle.setRange(1, MAX_IDLE_MINUTES)
        self.idle.setSuffix(" min.")
        self.idle.setValue(load_idle_minutes(ctx))
        self.idle.setAccessibleName("Lås skærmen efter")
        self.idle_button = QPushButton("&Gem")
        self.idle_button.clicked.connect(self.save_idle)
        self.message = error_label()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        selected = QHBoxLayout()
        selected.addWidget(buddy_label("Valgt bruger – r&olle:", self.role))
        selected.addWidget(self.role)
        selected.addWidget(self.role_button)
        selected.addStretch(1)
        selected.addWidget(self.active_button)
        selected.addWidget(self.password_button)
        idle = QHBoxLayout()
        idle.addWidget(buddy_label("&Lås skærmen efter:", self.idle))
        idle.addWidget(self.idle)
        idle.addWidget(self.idle_button)
        idle.addWidget(text_label("uden brug (gælder alle pc'er på databasen ved næste start).", MUTED), 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.add_button)
        layout.addLayout(selected)
        layout.addLayout(idle)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self._fill()

    # -- the list --------------------------------------------------------------------------------------------
    def _fill(self, select_id: int | None = None) -> None:
        now = self._ctx.clock.now()
        self.table.setRowCount(len(self._rows))
        for row, user in enumerate(self._rows):
            seen = f"{user.last_login_at.astimezone(COPENHAGEN):%d-%m-%Y %H:%M}" if user.last_login_at else "–"
            for col, text in enumerate(
                (user.username, user.full_name, ROLE_LABELS[user.role], status_text(user, now), seen)
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        ids = [u.id for u in self._rows]
        self.table.selectRow(ids.index(select_id) if select_id in ids else 0)
        self._selected()

    def selected_user(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def _selected(self) -> None:
        user = self.selected_user()
        for widget in (self.role, self.role_button, self.active_button, self.password_button):
            widget.setEnabled(user is not None)
        if user is not None:
            self.role.setCurrentIndex(self.role.findData(user.role))
            self.active_button.setText("&Deaktiver" if user.active else "Gen&aktiver")

    def _reload(self, select_id: int | None, said: str = "") -> None:
        try:
            self._rows = self._users.users()
        except KoordinatorError as exc:
            self._say(exc.message, error=True)
            return
        self._fill(select_id)
        if said:
            self._say(said)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)
        self.message.show()

    # -- changes -----------------------------------------------------------------------------------------------
    def add_user(self) -> None:
        dialog = UserFormDialog(self._users, self)

        def created() -> None:
            if dialog.user is not None:
                self._reload(dialog.user.id, f"{dialog.user.username} er oprettet.")

        dialog.accepted.connect(created)
        self.child = dialog
        dialog.open()

    def save_role(self) -> None:
        user = self.selected_user()
        if user is None or user.id is None:
            return
        try:
            changed = self._users.set_role(user.id, Role(self.role.currentData()), expected_version=user.version)
        except KoordinatorError as exc:
            self._reload(user.id)  # the combo back to the stored role
            self._say(exc.message, error=True)
            return
        self._reload(changed.id, f"{changed.username} har nu rollen {ROLE_LABELS[changed.role]}.")

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None or user.id is None:
            return
        try:
            if user.active:
                changed = self._users.deactivate(user.id, expected_version=user.version)
                said = f"{changed.username} er deaktiveret og kan ikke logge ind."
            else:
                changed = self._users.reactivate(user.id, expected_version=user.version)
                said = f"{changed.username} kan logge ind igen."
        except KoordinatorError as exc:
            self._say(exc.message, error=True)
            return
        self._reload(changed.id, said)

    def new_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        dialog = PasswordDialog(self._users, user, self)
        dialog.accepted.connect(lambda: self._reload(user.id, f"{user.username} har fået en ny adgangskode."))
        self.child = dialog
        dialog.open()

    def save_idle(self) -> None:
        try:
            minutes = save_idle_minutes(self._ctx, self.idle.value())
        except KoordinatorError as exc:
            self._say(exc.message, error=True)
            return
        self._say(f"Skærmen låses efter {minutes} minutter uden brug (fra næste start).")
