"""The first-run wizard's pages (issue 9): welcome, the encrypted local file, the shared PostgreSQL database with
its connection test, and the administrator. The wizard itself is ``first_run.FirstRunWizard``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from coordinator_app.domain.access import PASSWORD_MIN
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.services import connection
from coordinator_app.services.first_run import (
    PASSPHRASE_MIN,
    AdminInput,
    LocalTarget,
    SharedTarget,
    check_admin,
    passphrase_problem,
)
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, OK_STYLE, WARNING_STYLE, buddy_label, text_label

__all__ = ["AdminPage", "LocalPage", "SharedPage", "WelcomePage"]

PAGE_WELCOME, PAGE_LOCAL, PAGE_SHARED, PAGE_ADMIN, PAGE_WARD, PAGE_SUMMARY = range(6)

LOST_PASSPHRASE = (
    "Adgangsfrasen kan ikke genskabes. Glemmer du den, kan ingen – heller ikke IT – åbne databasen igen, og "
    "afsnittets data er tabt. Skriv den ned, og opbevar den sikkert (fx i afdelingens nøgleskab)."
)
LATER = (
    "Afsnittets profil, kommuner og centre kan ændres senere under Indstillinger (Ctrl+,). Flere brugere opretter "
    "administratoren under Funktioner → Brugere…"
)


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMaxLength(256)
    return field


def placeholder(combo: QComboBox, text: str) -> None:
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(text)


def show_message(label: QLabel, text: str, style: str) -> None:
    label.setText(text)
    label.setStyleSheet(style)
    label.setVisible(bool(text))


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Velkommen til Koordinator")
        self.setSubTitle("Først skal Koordinator vide, hvor afsnittets data skal ligge.")
        self.local = QRadioButton("&Denne computer")
        self.shared = QRadioButton("De&lt database (PostgreSQL)")
        self.local.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(
            _indented(
                "En krypteret database på denne computer, beskyttet af en adgangsfrase. Til én arbejdsplads eller en "
                "bærbar: patientdata forlader ikke computeren."
            )
        )
        layout.addSpacing(8)
        layout.addWidget(self.shared)
        layout.addWidget(
            _indented(
                "Afdelingens fælles database på en server, som IT har oprettet. Flere computere arbejder i de samme "
                "data. Du skal bruge serverens adresse, databasens navn og et brugernavn fra IT."
            )
        )
        layout.addStretch(1)
        layout.addWidget(text_label(LATER, MUTED))

    def nextId(self) -> int:
        return PAGE_LOCAL if self.local.isChecked() else PAGE_SHARED


def _indented(text: str) -> QWidget:
    label = text_label(text, MUTED)
    label.setContentsMargins(26, 0, 0, 0)
    return label


class LocalPage(QWizardPage):
    """The encrypted file's place and adgangsfrase (twice), the warning, and the keyring choice."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.setTitle("Krypteret database på denne computer")
        self.setSubTitle(f"Vælg en adgangsfrase på mindst {PASSPHRASE_MIN} tegn – gerne en kort sætning.")
        self.path = QLineEdit(str(path))
        self.path.setReadOnly(True)
        self.path.setAccessibleName("Databasefil")
        choose = QPushButton("&Skift…")
        choose.clicked.connect(self._choose)
        place = QHBoxLayout()
        place.addWidget(self.path, 1)
        place.addWidget(choose)
        self.passphrase = password_field("Adgangsfrase")
        self.repeat = password_field("Gentag adgangsfrasen")
        self.hint = text_label("", MUTED)
        self.hint.setAccessibleName("Adgangsfrasens styrke")
        usable, why = connection.keyring_status()
        self.remember = QCheckBox("&Husk adgangsfrasen i systemets nøglering")
        self.remember.setEnabled(usable)
        self.remember.setToolTip(
            literal(
                "Adgangsfrasen gemmes i styresystemets nøglering (låst med dit login), så du ikke skal skrive den ved "
                "hver start."
                if usable
                else why
            )
        )
        form = QFormLayout()
        form.addRow(buddy_label("Database&fil:", self.path), place)
        form.addRow(buddy_label("&Adgangsfrase:", self.passphrase), self.passphrase)
        form.addRow(buddy_label("&Gentag adgangsfrasen:", self.repeat), self.repeat)
        form.addRow("", self.hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(text_label(LOST_PASSPHRASE, WARNING_STYLE))
        layout.addWidget(self.remember)
        if not usable:
            layout.addWidget(text_label(why, MUTED))
        layout.addStretch(1)
        for field in (self.passphrase, self.repeat):
            field.textChanged.connect(self._changed)
        self._changed()

    def _choose(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Hvor skal databasen ligge?", self.path.text(), "Koordinator-database (*.db)"
        )
        if name:
            self.path.setText(name)

    def _changed(self) -> None:
        text, repeat = self.passphrase.text(), self.repeat.text()
        if not text:
            show_message(self.hint, f"Mindst {PASSPHRASE_MIN} tegn og 6 forskellige tegn.", MUTED)
        elif problem := passphrase_problem(text):
            show_message(self.hint, problem, MUTED)
        elif repeat != text:
            show_message(self.hint, "Skriv den samme adgangsfrase i begge felter.", MUTED)
        else:
            show_message(self.hint, "Adgangsfrasen kan bruges.", OK_STYLE)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return passphrase_problem(self.passphrase.text(), self.repeat.text()) is None

    def nextId(self) -> int:
        return PAGE_ADMIN

    def target(self) -> LocalTarget:
        return LocalTarget(Path(self.path.text()), self.passphrase.text(), self.remember.isChecked())


class SharedPage(QWizardPage):
    """The PostgreSQL address (fields or a URL) and "Test forbindelsen"; Næste only after a passed test."""

    def __init__(self, check: Callable[[str], connection.ConnectionStatus]) -> None:
        super().__init__()
        self._check = check
        self.setTitle("Delt database (PostgreSQL)")
        self.setSubTitle("Skriv oplysningerne fra IT, og test forbindelsen.")
        self.host = QLineEdit()
        self.host.setPlaceholderText("fx db.psykiatri.regionh.dk")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit("koordinator")
        self.user = QLineEdit()
        self.password = password_field("Adgangskode til databasen")
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://bruger:adgangskode@server:5432/database")
        self.url.setToolTip("Har IT givet dig én samlet adresse, så skriv den her i stedet for felterne ovenfor.")
        for widget, name in ((self.host, "Server"), (self.port, "Port"), (self.database, "Database"),
                             (self.user, "Brugernavn"), (self.url, "Adresse"))  :  # fmt: skip
            widget.setAccessibleName(name)
        self.test = QPushButton("&Test forbindelsen")
        self.test.clicked.connect(self.run_test)
        self.result = text_label()
        self.result.setAccessibleName("Resultat af forbindelsestesten")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self.create_tables = QCheckBox("&Opret Koordinators tabeller i den tomme database")
        self.create_tables.hide()
        self.create_tables.toggled.connect(lambda _on: self.completeChanged.emit())
        self.tested: str | None = None
        self.status: connection.ConnectionStatus | None = None
        self.empty = False

        server = QHBoxLayout()
        server.addWidget(self.host, 1)
        server.addWidget(buddy_label("P&ort:", self.port))
        server.addWidget(self.port)
        form = QFormLayout()
        form.addRow(buddy_label("&Server:", self.host), server)
        form.addRow(buddy_label("&Database:", self.database), self.database)
        form.addRow(buddy_label("&Brugernavn:", self.user), self.user)
        form.addRow(buddy_label("&Adgangskode:", self.password), self.password)
        form.addRow(buddy_label("&eller adresse:", self.url), self.url)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            text_label(
                "Adgangskoden gemmes i systemets nøglering, hvis computeren har en, ellers i en fil, som kun du kan "
                "læse (som PostgreSQL's egen .pgpass). Lad den stå tom, hvis IT har sat login op på anden måde.",
                MUTED,
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.create_tables)
        layout.addStretch(1)
        for field in (self.host, self.database, self.user, self.password, self.url):
            field.textChanged.connect(self._edited)
        self.port.valueChanged.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        using_url = bool(self.url.text().strip())
        for widget in (self.host, self.port, self.database, self.user, self.password):
            widget.setEnabled(not using_url)
        if self.tested is not None:
            self.tested = None
            self.status = None
            self.empty = False
            self.result.hide()
            self.create_tables.hide()
            self.create_tables.setChecked(False)
            self.completeChanged.emit()

    def current_url(self) -> str:
        if self.url.text().strip():
            return connection.parse_shared_url(self.url.text())
        return connection.shared_url(
            self.host.text(), self.port.value(), self.database.text(), self.user.text(), self.password.text()
        )

    def run_test(self) -> None:
        self.tested, self.status, self.empty = None, None, False
        self.create_tables.hide()
        self.create_tables.setChecked(False)
        try:
            url = self.current_url()
        except ValidationError as exc:
            show_message(self.result, exc.message, ERROR_STYLE)
            self.completeChanged.emit()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.status = self._check(url)
        except connection.EmptyDatabaseError as exc:
            self.empty = True
            show_message(self.result, exc.message, WARNING_STYLE)
            self.create_tables.show()
        except KoordinatorError as exc:
            show_message(self.result, exc.message, ERROR_STYLE)
            self.completeChanged.emit()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.tested = url
        if self.status is not None:
            if self.status.has_users:
                text = (
                    "Forbindelsen virker. Databasen er allerede sat op af en anden computer, så du logger ind med "
                    "din egen bruger bagefter (bed afsnittets administrator om en)."
                )
            else:
                text = "Forbindelsen virker. Databasen er en Koordinator-database uden brugere endnu."
            show_message(self.result, text, OK_STYLE)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.tested is None:
            return False
        return self.status is not None or (self.empty and self.create_tables.isChecked())

    def nextId(self) -> int:
        return PAGE_SUMMARY if self.already_set_up else PAGE_ADMIN

    @property
    def already_set_up(self) -> bool:
        return self.status is not None and self.status.has_users

    def target(self) -> SharedTarget:
        assert self.tested is not None
        return SharedTarget(self.tested, already_set_up=self.already_set_up)


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Afsnittets administrator")
        self.setSubTitle(
            "Administratoren logger ind bagefter og opretter de andre brugere med deres roller (koordinator, "
            "mødeleder, læseadgang)."
        )
        self.full_name = QLineEdit()
        self.username = QLineEdit()
        self.password = password_field("Adgangskode")
        self.repeat = password_field("Gentag adgangskoden")
        for widget, name in ((self.full_name, "Fulde navn"), (self.username, "Brugernavn")):
            widget.setAccessibleName(name)
            widget.setMaxLength(64)
        self.error = text_label(style=ERROR_STYLE)
        self.error.setAccessibleName("Fejlbesked")
        self.error.hide()
        form = QFormLayout()
        form.addRow(buddy_label("&Fulde navn:", self.full_name), self.full_name)
        form.addRow(buddy_label("&Brugernavn:", self.username), self.username)
        form.addRow(buddy_label("&Adgangskode:", self.password), self.password)
        form.addRow(buddy_label("&Gentag adgangskoden:", self.repeat), self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            text_label(
                f"Adgangskoden skal have mindst {PASSWORD_MIN} tegn og må ikke indeholde brugernavnet. Den er "
                "administratorens egen – ikke databasens adgangsfrase.",
                MUTED,
            )
        )
        layout.addWidget(self.error)
        layout.addStretch(1)
        for field in (self.full_name, self.username, self.password, self.repeat):
            field.textChanged.connect(lambda _t: self.completeChanged.emit())

    def isComplete(self) -> bool:
        return all(f.text() for f in (self.full_name, self.username, self.password, self.repeat))

    def validatePage(self) -> bool:
        try:
            self.checked = check_admin(self.admin(), self.repeat.text())
        except ValidationError as exc:
            show_message(self.error, exc.message, ERROR_STYLE)
            field = {"username": self.username, "full_name": self.full_name, "password": self.password}.get(
                exc.field or "", self.repeat
            )
            field.setFocus()
            return False
        self.error.hide()
        return True

    def admin(self) -> AdminInput:
        return AdminInput(self.username.text(), self.full_name.text(), self.password.text())

    def nextId(self) -> int:
        return PAGE_WARD
