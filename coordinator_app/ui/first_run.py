"""The first-run wizard (issue 9): where the data lives, the first administrator, the ward and its kommuner.

Shown by ``app.run`` when Koordinator starts without ``--database``, without a saved choice
(``services.connection``) and without a database at the default place. *Denne computer* makes an encrypted
SQLCipher file protected by an adgangsfrase (optionally kept in the system keyring); *Delt database* connects to a
PostgreSQL database IT has made, after "Test forbindelsen" succeeded. Afslut calls
``services.first_run.create_workstation`` — all or nothing; on an error the message is shown on the last page and
the wizard stays open with everything typed. A shared database another workstation already set up skips the
administrator and ward pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
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
    QWizard,
    QWizardPage,
)

from coordinator_app.access import PASSWORD_MIN
from coordinator_app.errors import KoordinatorError, ValidationError
from coordinator_app.reference import danish_sort_key, load_centres, load_kommuner
from coordinator_app.services import connection
from coordinator_app.services.contacts import check_email, check_phone
from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.first_run import (
    PASSPHRASE_MIN,
    AdminInput,
    FirstRunResult,
    LocalTarget,
    SharedTarget,
    WardInput,
    check_admin,
    check_ward,
    create_demo_database,
    create_workstation,
    default_local_path,
    passphrase_problem,
)
from coordinator_app.services.users import UserService
from coordinator_app.ui.style import ERROR_STYLE, INFO_STYLE, MUTED, OK_STYLE, WARNING_STYLE, buddy_label, text_label

__all__ = ["FirstRunWizard", "run_first_run"]

PAGE_WELCOME, PAGE_LOCAL, PAGE_SHARED, PAGE_ADMIN, PAGE_WARD, PAGE_SUMMARY = range(6)

LOST_PASSPHRASE = (
    "Adgangsfrasen kan ikke genskabes. Glemmer du den, kan ingen – heller ikke IT – åbne databasen igen, og "
    "afsnittets data er tabt. Skriv den ned, og opbevar den sikkert (fx i afdelingens nøgleskab)."
)
DEMO_TIP = (
    "Demo-afdelingen har kun fiktive patienter. Den lægges i en separat øvedatabase (demo.db, ikke krypteret og "
    "mærket DEMO) ved siden af den rigtige – aldrig i den rigtige database, for en demo-database åbner uden login "
    "og uden kryptering. Åbn den med «koordinator --demo»."
)
LATER = (
    "Afsnittets profil, kommuner og centre kan ændres senere under Indstillinger (Ctrl+,). Flere brugere opretter "
    "administratoren under Funktioner → Brugere…"
)


def _password(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMaxLength(256)
    return field


def _placeholder(combo: QComboBox, text: str) -> None:
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(text)


def _message(label: QLabel, text: str, style: str) -> None:
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
        self.passphrase = _password("Adgangsfrase")
        self.repeat = _password("Gentag adgangsfrasen")
        self.hint = text_label("", MUTED)
        self.hint.setAccessibleName("Adgangsfrasens styrke")
        usable, why = connection.keyring_status()
        self.remember = QCheckBox("&Husk adgangsfrasen i systemets nøglering")
        self.remember.setEnabled(usable)
        self.remember.setToolTip(
            "Adgangsfrasen gemmes i styresystemets nøglering (låst med dit login), så du ikke skal skrive den ved "
            "hver start."
            if usable
            else why
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
            _message(self.hint, f"Mindst {PASSPHRASE_MIN} tegn og 6 forskellige tegn.", MUTED)
        elif problem := passphrase_problem(text):
            _message(self.hint, problem, MUTED)
        elif repeat != text:
            _message(self.hint, "Skriv den samme adgangsfrase i begge felter.", MUTED)
        else:
            _message(self.hint, "Adgangsfrasen kan bruges.", OK_STYLE)
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
        self.password = _password("Adgangskode til databasen")
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
            _message(self.result, exc.message, ERROR_STYLE)
            self.completeChanged.emit()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.status = self._check(url)
        except connection.EmptyDatabaseError as exc:
            self.empty = True
            _message(self.result, exc.message, WARNING_STYLE)
            self.create_tables.show()
        except KoordinatorError as exc:
            _message(self.result, exc.message, ERROR_STYLE)
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
            _message(self.result, text, OK_STYLE)
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
        self.password = _password("Adgangskode")
        self.repeat = _password("Gentag adgangskoden")
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
            _message(self.error, exc.message, ERROR_STYLE)
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


class WardPage(QWizardPage):
    """The ward (centre and afsnit), its kommuner (checkable, filterable, a region at a time) and its sender."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Afsnittet og dets kommuner")
        self.setSubTitle("Hvilket afsnit bruger Koordinator, og hvilke kommuner samarbejder afsnittet med?")
        self._centres = {c.name: c.wards for c in load_centres()}
        self.centre = QComboBox()
        self.centre.setEditable(True)
        self.centre.addItems(list(self._centres))
        self.centre.setCurrentIndex(-1)
        _placeholder(self.centre, "fx Psykiatrisk Center København")
        self.centre.setAccessibleName("Center")
        self.ward = QComboBox()
        self.ward.setEditable(True)
        _placeholder(self.ward, "fx Afsnit 7")
        self.ward.setAccessibleName("Afsnit")
        self.centre.currentTextChanged.connect(self._centre_changed)
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Afsnittets telefon")
        self.phone.setPlaceholderText("valgfrit")
        self.secure_mail = QLineEdit()
        self.secure_mail.setAccessibleName("Afsnittets sikre postkasse")
        self.secure_mail.setPlaceholderText("valgfrit, fx afsnit7@regionh.dk")

        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText("Søg kommune …")
        self.filter.setAccessibleName("Søg kommune")
        self.filter.textChanged.connect(self._filter)
        self.region = QComboBox()
        self.region.setAccessibleName("Markér en region")
        kommuner = sorted(load_kommuner(), key=lambda k: danish_sort_key(k.name))
        self._regions: dict[str, list[str]] = {}
        for k in kommuner:
            self._regions.setdefault(k.region, []).append(k.code)
        self.region.addItem("Markér alle i en region …", "")
        for region in sorted(self._regions, key=danish_sort_key):
            self.region.addItem(f"Region {region}", region)
        self.region.activated.connect(self._region_chosen)
        clear = QPushButton("&Ryd")
        clear.setToolTip("Fjern alle markeringer")
        clear.clicked.connect(self._clear)
        self.kommuner = QListWidget()
        self.kommuner.setAccessibleName("Kommuner")
        self.kommuner.setViewMode(QListWidget.ViewMode.ListMode)
        self.kommuner.setFlow(QListWidget.Flow.TopToBottom)
        self.kommuner.setWrapping(True)
        self.kommuner.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.kommuner.setUniformItemSizes(True)
        metrics = self.kommuner.fontMetrics()
        widest = max(metrics.horizontalAdvance(k.name) for k in kommuner)
        self.kommuner.setGridSize(QSize(widest + 34, metrics.height() + 6))  # + the check box
        self.kommuner.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for k in kommuner:
            item = QListWidgetItem(k.name)
            item.setData(Qt.ItemDataRole.UserRole, k.code)
            item.setToolTip(f"{k.name} Kommune (kode {k.code}, Region {k.region})")
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.kommuner.addItem(item)
        self.kommuner.itemChanged.connect(lambda _i: self._count_changed())
        self.count = QLabel()
        self.count.setStyleSheet(MUTED)
        self.error = text_label(style=ERROR_STYLE)
        self.error.setAccessibleName("Fejlbesked")
        self.error.hide()

        names = QGridLayout()
        names.addWidget(buddy_label("&Center:", self.centre), 0, 0)
        names.addWidget(self.centre, 0, 1)
        names.addWidget(buddy_label("A&fsnit:", self.ward), 0, 2)
        names.addWidget(self.ward, 0, 3)
        names.addWidget(buddy_label("&Telefon:", self.phone), 1, 0)
        names.addWidget(self.phone, 1, 1)
        names.addWidget(buddy_label("Sikker &postkasse:", self.secure_mail), 1, 2)
        names.addWidget(self.secure_mail, 1, 3)
        names.setColumnStretch(1, 3)
        names.setColumnStretch(3, 2)
        tools = QHBoxLayout()
        tools.addWidget(self.filter, 2)
        tools.addWidget(self.region, 2)
        tools.addWidget(clear)
        group = QGroupBox("&Kommuner")
        inner = QVBoxLayout(group)
        inner.addLayout(tools)
        inner.addWidget(self.kommuner, 1)
        inner.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(names)
        layout.addWidget(group, 1)
        layout.addWidget(self.error)
        self._count_changed()

    def _centre_changed(self, name: str) -> None:
        current = self.ward.currentText()
        self.ward.clear()
        self.ward.addItems(list(self._centres.get(name, ())))
        self.ward.setCurrentIndex(-1)
        self.ward.setEditText(current)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.kommuner.count()):
            item = self.kommuner.item(row)
            hay = f"{item.text()} {item.data(Qt.ItemDataRole.UserRole)}".casefold()
            item.setHidden(bool(needle) and needle not in hay)

    def _region_chosen(self, index: int) -> None:
        region = self.region.itemData(index)
        if region:
            self.check(self._regions[region])
        self.region.setCurrentIndex(0)

    def _clear(self) -> None:
        for row in range(self.kommuner.count()):
            self.kommuner.item(row).setCheckState(Qt.CheckState.Unchecked)

    def check(self, codes: list[str] | tuple[str, ...]) -> None:
        wanted = set(codes)
        for row in range(self.kommuner.count()):
            item = self.kommuner.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in wanted:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> tuple[str, ...]:
        items = (self.kommuner.item(row) for row in range(self.kommuner.count()))
        return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)

    def chosen_names(self) -> list[str]:
        items = (self.kommuner.item(row) for row in range(self.kommuner.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def _count_changed(self) -> None:
        n = len(self.chosen())
        self.count.setText(
            "Ingen kommuner valgt endnu." if n == 0 else f"{n} {'kommune' if n == 1 else 'kommuner'} valgt."
        )
        self.completeChanged.emit()

    def ward_input(self) -> WardInput:
        return WardInput(
            self.centre.currentText(),
            self.ward.currentText(),
            self.chosen(),
            self.phone.text(),
            self.secure_mail.text(),
        )

    def validatePage(self) -> bool:
        fields = {"centre": self.centre, "ward": self.ward, "phone": self.phone, "secure_mail": self.secure_mail}
        try:
            checked = check_ward(self.ward_input())
            check_phone(checked.phone, field="phone", label="Afsnittets telefonnummer")
            check_email(checked.secure_mail, field="secure_mail", label="Afsnittets sikre postkasse")
        except ValidationError as exc:
            _message(self.error, exc.message, ERROR_STYLE)
            widget = fields.get(exc.field or "")
            (widget or self.filter).setFocus()
            return False
        self.error.hide()
        return True

    def nextId(self) -> int:
        return PAGE_SUMMARY


class SummaryPage(QWizardPage):
    """What will be created, the demo option, and Afslut (which creates it all or nothing)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Klar til at oprette")
        self.setSubTitle("Kontrollér oplysningerne. Afslut opretter databasen og starter Koordinator.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet(INFO_STYLE)
        self.demo = QCheckBox("Opret også &demo-afdelingen til øvelse (fiktive patienter, separat database)")
        self.demo.setToolTip(DEMO_TIP)
        self.error = text_label(style=ERROR_STYLE)
        self.error.setAccessibleName("Fejlbesked")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(6)
        layout.addWidget(self.demo)
        layout.addWidget(text_label(DEMO_TIP, MUTED))
        layout.addStretch(1)
        layout.addWidget(text_label(LATER, MUTED))
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        self.error.hide()
        self.summary.setText("\n".join(self._wizard.summary_lines()))

    def validatePage(self) -> bool:
        return self._wizard.create_database()

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    """``created`` is the ``FirstRunResult`` after a successful Afslut (None if cancelled)."""

    def __init__(
        self,
        *,
        local_path: Path | None = None,
        clock: Clock | None = None,
        users: Callable[[ServiceContext], UserService] = UserService,
        check: Callable[[str], connection.ConnectionStatus] = connection.check_connection,
        create_demo: Callable[[], object] = create_demo_database,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._users = users
        self._create_demo = create_demo
        self.created: FirstRunResult | None = None
        self.demo_note = ""
        self.setWindowTitle("Koordinator – første opstart")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, label in (
            (QWizard.WizardButton.NextButton, "&Næste >"),
            (QWizard.WizardButton.BackButton, "< &Tilbage"),
            (QWizard.WizardButton.CancelButton, "Annuller"),
            (QWizard.WizardButton.FinishButton, "&Opret og start"),
        ):
            self.setButtonText(button, label)
        self.welcome = WelcomePage()
        self.local = LocalPage(local_path or default_local_path())
        self.shared = SharedPage(check)
        self.admin = AdminPage()
        self.ward = WardPage()
        self.summary = SummaryPage(self)
        for page_id, page in (
            (PAGE_WELCOME, self.welcome),
            (PAGE_LOCAL, self.local),
            (PAGE_SHARED, self.shared),
            (PAGE_ADMIN, self.admin),
            (PAGE_WARD, self.ward),
            (PAGE_SUMMARY, self.summary),
        ):
            self.setPage(page_id, page)
        self.setStartId(PAGE_WELCOME)
        self.resize(780, 620)

    @property
    def is_local(self) -> bool:
        return self.welcome.local.isChecked()

    def summary_lines(self) -> list[str]:
        if self.is_local:
            keyring = "gemmes i systemets nøglering" if self.local.remember.isChecked() else "skrives ved hver start"
            lines = [
                "Database: krypteret lokal database (SQLCipher)",
                f"    {self.local.path.text()}",
                f"    Adgangsfrasen {keyring}.",
            ]
        else:
            url = connection.hide_password(self.shared.tested or "")
            lines = ["Database: delt PostgreSQL-database", f"    {url}"]
            if self.shared.already_set_up:
                return [
                    *lines,
                    "",
                    "Databasen er allerede sat op af en anden computer: administrator, afsnit og kommuner "
                    "beholdes. Du logger ind med din egen bruger.",
                ]
            if self.shared.empty:
                lines.append("    Koordinators tabeller oprettes i den tomme database.")
        admin = self.admin.admin()
        ward = self.ward.ward_input()
        names = self.ward.chosen_names()
        shown = ", ".join(names[:8]) + (f" og {len(names) - 8} flere" if len(names) > 8 else "")
        lines += [
            "",
            f"Administrator: {' '.join(admin.full_name.split())} (brugernavn {admin.username.strip().lower()})",
            f"Afsnit: {' '.join(ward.centre.split())}, {' '.join(ward.ward.split())}",
            f"Kommuner ({len(names)}): {shown}",
        ]
        return lines

    def target(self) -> LocalTarget | SharedTarget:
        return self.local.target() if self.is_local else self.shared.target()

    def create_database(self) -> bool:
        """Afslut: create everything or nothing; on an error say so on the summary page and stay open."""
        target = self.target()
        set_up = isinstance(target, SharedTarget) and target.already_set_up
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.created = create_workstation(
                target,
                None if set_up else self.admin.admin(),
                None if set_up else self.ward.ward_input(),
                clock=self._clock,
                users=self._users,
            )
        except KoordinatorError as exc:
            _message(self.summary.error, exc.message, ERROR_STYLE)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if self.summary.demo.isChecked():
            try:
                self._create_demo()
                self.demo_note = "Demo-afdelingen er oprettet. Åbn den med «koordinator --demo»."
            except KoordinatorError as exc:
                self.demo_note = f"Demo-afdelingen kunne ikke oprettes: {exc.message}"
        return True


def run_first_run(wizard: FirstRunWizard | None = None) -> FirstRunResult | None:
    """Show the wizard; the result after Afslut, None when cancelled."""
    wizard = wizard or FirstRunWizard()
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        wizard.resize(min(wizard.width(), area.width()), min(wizard.height(), area.height()))
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    return wizard.created
