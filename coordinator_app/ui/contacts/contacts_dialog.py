"""Kontaktbog: the people the ward meets (C1, C5) and each kommune's one system-based entrance (F3).

Two tabs. *Personer*: a table filtered as you type, with add / edit / deactivate (never delete: old referater
stay explainable). *Kommunernes systemindgange (F3)*: the 98 kommuner, Region Hovedstaden first, with an
editable secure-mail column; each row is saved when its cell is committed (Enter), and a refused address is
shown on its row and under the table.

Everything opens non-blocking (``open()``), so the dialog never freezes the main window's event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import SECTOR_LABELS, Contact, Kommune, Sector
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.ui.common.style import MUTED, buddy_label, error_label, text_label
from coordinator_app.ui.common.widgets import KommuneCombo, cell

__all__ = ["ContactEditDialog", "ContactsDialog", "open_contacts_dialog"]

PERSON_COLUMNS = ("Navn", "Organisation", "Sektor", "Rolle", "Telefon", "E-mail", "Kommune", "Status")
KOMMUNE_COLUMNS = ("Kommune", "Kode", "Region", "Sikker postkasse (systemindgang)", "Status")
MAIL_COLUMN = 3
STATUS_COLUMN = 4
OK_COLOUR = QColor("#1d4d1d")
ERROR_COLOUR = QColor("#8a1010")
ERROR_BACKGROUND = QColor("#f6d5d5")


def _item(text: str, *, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    return item


class ContactEditDialog(QDialog):
    """Add or edit one person. Saves through the service itself, so a refused field is shown inline and the
    dialog stays open with the field focused; ``saved`` carries the stored contact."""

    saved = Signal(object)

    def __init__(
        self,
        service: ContactService,
        kommuner: list[Kommune],
        contact: Contact | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._contact = contact
        self.result_contact: Contact | None = None
        self.setWindowTitle("Ret kontaktperson" if contact else "Ny kontaktperson")
        self.setMinimumWidth(560)

        self.name = QLineEdit()
        self.name.setPlaceholderText("Fornavn og efternavn")
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("fx Københavns Kommune, Socialforvaltningen")
        self.sector = QComboBox()
        for sector, label in SECTOR_LABELS.items():
            self.sector.addItem(label, sector)
        self.role = QLineEdit()
        self.role.setPlaceholderText("fx sagsbehandler, kontaktperson, overlæge")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("fx 12 34 56 71")
        self.email = QLineEdit()
        self.email.setPlaceholderText("navn@domæne.dk")
        self.kommune = KommuneCombo(kommuner, allow_empty=True)
        self.kommune.line_edit().setPlaceholderText("Ingen – skriv navn eller kode for at vælge")
        self.kommune.currentIndexChanged.connect(self._kommune_chosen)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("fx træffetider, stedfortræder")
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label("&Navn:", self.name), self.name)
        form.addRow(buddy_label("&Organisation:", self.organisation), self.organisation)
        form.addRow(buddy_label("&Sektor:", self.sector), self.sector)
        form.addRow(buddy_label("&Rolle:", self.role), self.role)
        form.addRow(buddy_label("&Telefon:", self.phone), self.phone)
        form.addRow(buddy_label("&E-mail:", self.email), self.email)
        form.addRow(buddy_label("&Kommune:", self.kommune), self.kommune)
        form.addRow(buddy_label("&Bemærkning:", self.note), self.note)
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "organisation": self.organisation,
            "sector": self.sector,
            "role": self.role,
            "phone": self.phone,
            "email": self.email,
            "kommune_code": self.kommune,
            "note": self.note,
        }

        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Gem")
        self.save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Annullér")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        if contact is not None:
            self.name.setText(contact.name)
            self.organisation.setText(contact.organisation)
            self.sector.setCurrentIndex(max(0, self.sector.findData(contact.sector)))
            self.role.setText(contact.role)
            self.phone.setText(contact.phone)
            self.email.setText(contact.email)
            self.kommune.set_code(contact.kommune_code)
            self.note.setPlainText(contact.note)
        else:
            self.sector.setCurrentIndex(self.sector.findData(Sector.ANDET))
        self.name.setFocus()

    def _kommune_chosen(self) -> None:
        """Someone who works for a kommune is, unless said otherwise, on the kommune side (C1)."""
        if self.kommune.code() and Sector(self.sector.currentData()) is Sector.ANDET:
            self.sector.setCurrentIndex(self.sector.findData(Sector.KOMMUNE))

    def data(self) -> ContactInput:
        code = self.kommune.code()
        if code == "":
            raise ValidationError(
                f"Kommunen »{self.kommune.currentText().strip()}« findes ikke. Vælg en kommune i listen, "
                "eller lad feltet stå tomt.",
                field="kommune_code",
            )
        return ContactInput(
            name=self.name.text(),
            organisation=self.organisation.text(),
            sector=Sector(self.sector.currentData()),
            role=self.role.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            kommune_code=code,
            note=self.note.toPlainText(),
        )

    def save(self) -> None:
        try:
            data = self.data()
            if self._contact is None or self._contact.id is None:
                saved = self._service.add(data)
            else:
                saved = self._service.update(self._contact.id, data, self._contact.version or 0)
        except KoordinatorError as exc:
            self.error.setText("⚠ " + exc.message)
            self.error.show()
            widget = self.fields.get(getattr(exc, "field", None) or "")
            if widget is not None:
                widget.setFocus()
            return
        self.result_contact = saved
        self.saved.emit(saved)
        self.accept()


class ContactsDialog(QDialog):
    """Kontaktbog: *Personer* and *Kommunernes systemindgange (F3)*."""

    def __init__(self, service: ContactService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._contacts: list[Contact] = []
        self._kommuner: list[Kommune] = []
        self._kommune_names: dict[str, str] = {}
        self._filling = False
        self.editor: ContactEditDialog | None = None
        self.confirm: QMessageBox | None = None
        self.changed = False
        self.setWindowTitle("Kontaktbog")
        self.resize(1040, 640)
        self.setMinimumSize(820, 480)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._people_tab(), "&Personer")
        self.tabs.addTab(self._kommune_tab(), "&Kommunernes systemindgange (F3)")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("&Luk")
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.reload_kommuner()
        self.reload()
        self.search.setFocus()

    # -- tab 1: people ---------------------------------------------------------------------------------------------
    def _people_tab(self) -> QWidget:
        page = QWidget()
        intro = text_label(
            "Personer, afdelingen holder netværksmøder med. Aktive personer kan vælges som deltagere i mødet "
            "(C1, C5). En person slettes aldrig, men kan gøres inaktiv, så gamle referater stadig kan forklares."
        )
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Navn, organisation, rolle, telefon, e-mail eller kommune …")
        self.search.textChanged.connect(self.apply_filter)
        self.show_inactive = QCheckBox("Vis &inaktive")
        self.show_inactive.toggled.connect(lambda _on: self.reload())
        self.count_label = text_label(style=MUTED)

        search_row = QHBoxLayout()
        search_row.addWidget(buddy_label("&Søg:", self.search))
        search_row.addWidget(self.search, 1)
        search_row.addSpacing(12)
        search_row.addWidget(self.show_inactive)

        self.table = QTableWidget(0, len(PERSON_COLUMNS))
        self.table.setHorizontalHeaderLabels(PERSON_COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_person())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table, self.edit_person)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.search.returnPressed.connect(self._focus_first_visible)

        self.add_button = QPushButton("&Ny person…")
        self.add_button.clicked.connect(self.add_person)
        self.edit_button = QPushButton("&Ret…")
        self.edit_button.clicked.connect(self.edit_person)
        self.deactivate_button = QPushButton("&Gør inaktiv…")
        self.deactivate_button.clicked.connect(self.deactivate_person)
        self.reactivate_button = QPushButton("Gen&aktivér")
        self.reactivate_button.clicked.connect(self.reactivate_person)
        for button in (self.add_button, self.edit_button, self.deactivate_button, self.reactivate_button):
            button.setAutoDefault(False)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.deactivate_person)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+N"), page, self.add_person)
        QShortcut(QKeySequence("Ctrl+F"), page, self.search.setFocus)

        button_row = QHBoxLayout()
        button_row.addWidget(self.add_button)
        button_row.addWidget(self.edit_button)
        button_row.addWidget(self.deactivate_button)
        button_row.addWidget(self.reactivate_button)
        button_row.addStretch(1)
        button_row.addWidget(self.count_label)

        self.people_error = error_label()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(button_row)
        layout.addWidget(self.people_error)
        return page

    def reload(self, select_id: int | None = None) -> None:
        if select_id is None:
            current = self.selected()
            select_id = current.id if current else None
        self._contacts = self._service.contacts(include_inactive=self.show_inactive.isChecked())
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self._contacts))
        for row, c in enumerate(self._contacts):
            kommune = self._kommune_names.get(c.kommune_code or "", c.kommune_code or "")
            cells = (
                c.name,
                c.organisation,
                SECTOR_LABELS.get(Sector(c.sector), str(c.sector)),
                c.role,
                c.phone,
                c.email,
                kommune,
                "Aktiv" if c.active else "Inaktiv",
            )
            for col, text in enumerate(cells):
                item = _item(text)
                if not c.active:
                    item.setForeground(QBrush(QColor("#777777")))
                self.table.setItem(row, col, item)
            cell(self.table, row, 0).setData(Qt.ItemDataRole.UserRole, c.id)
        self.table.resizeColumnsToContents()
        for col, cap in ((0, 240), (3, 200), (5, 260), (6, 180)):
            if self.table.columnWidth(col) > cap:
                self.table.setColumnWidth(col, cap)
        self.table.setColumnHidden(7, not self.show_inactive.isChecked())
        self.apply_filter()
        if select_id is not None:
            self.select(select_id)
        self._selection_changed()

    def apply_filter(self) -> None:
        words = self.search.text().casefold().split()
        shown = 0
        for row in range(self.table.rowCount()):
            haystack = " ".join(
                (item.text() if (item := self.table.item(row, col)) else "") for col in range(self.table.columnCount())
            ).casefold()
            hide = any(w not in haystack for w in words)
            self.table.setRowHidden(row, hide)
            shown += not hide
        total = self.table.rowCount()
        if not total:
            self.count_label.setText("Kontaktbogen er tom. Tilføj den første person med »Ny person…«.")
        elif shown == total:
            self.count_label.setText(f"{total} {'person' if total == 1 else 'personer'}")
        else:
            self.count_label.setText(f"Viser {shown} af {total}")
        current = self.selected()
        if current is not None and self.table.isRowHidden(self.table.currentRow()):
            self.table.clearSelection()

    def visible_names(self) -> list[str]:
        return [cell(self.table, r, 0).text() for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _focus_first_visible(self) -> None:
        for row in range(self.table.rowCount()):
            if not self.table.isRowHidden(row):
                self.table.selectRow(row)
                self.table.setFocus()
                return

    def select(self, contact_id: int) -> None:
        for row in range(self.table.rowCount()):
            item = cell(self.table, row, 0)
            if item.data(Qt.ItemDataRole.UserRole) == contact_id:
                if not self.table.isRowHidden(row):
                    self.table.selectRow(row)
                    self.table.scrollToItem(item)
                return

    def selected(self) -> Contact | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        contact_id = cell(self.table, rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((c for c in self._contacts if c.id == contact_id), None)

    def _selection_changed(self) -> None:
        c = self.selected()
        self.edit_button.setEnabled(c is not None)
        self.deactivate_button.setEnabled(c is not None and c.active)
        self.reactivate_button.setEnabled(c is not None and not c.active)
        self.reactivate_button.setVisible(self.show_inactive.isChecked())

    def _open_editor(self, contact: Contact | None) -> ContactEditDialog:
        if self.editor is not None:  # one person at a time (e.g. Return and keypad Enter both reaching us)
            self.editor.raise_()
            self.editor.activateWindow()
            return self.editor
        self.people_error.hide()
        editor = ContactEditDialog(self._service, self._kommuner, contact, parent=self)
        editor.saved.connect(self._saved)
        editor.finished.connect(lambda _r: setattr(self, "editor", None))
        self.editor = editor
        editor.open()
        return editor

    def add_person(self) -> ContactEditDialog:
        self.tabs.setCurrentIndex(0)
        return self._open_editor(None)

    def edit_person(self) -> ContactEditDialog | None:
        contact = self.selected()
        return self._open_editor(contact) if contact is not None else None

    def _saved(self, contact: Contact) -> None:
        self.changed = True
        self.reload(select_id=contact.id)
        if contact.id is not None and self.selected() is None:  # the search hides the saved person: show them
            self.search.clear()
            self.select(contact.id)
        self.table.setFocus()

    def deactivate_person(self) -> QMessageBox | None:
        contact = self.selected()
        if contact is None or contact.id is None or not contact.active:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Gør kontaktperson inaktiv",
            f"Gør {contact.name}{f' ({contact.organisation})' if contact.organisation else ''} inaktiv?\n\n"
            "Personen kan ikke længere vælges som deltager i nye møder. Intet slettes: gamle referater viser "
            "stadig personen, og du kan genaktivere under »Vis inaktive«.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&Gør inaktiv")
        box.button(QMessageBox.StandardButton.No).setText("&Behold")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        contact_id = contact.id

        def answered(result: int) -> None:
            self.confirm = None
            if result == QMessageBox.StandardButton.Yes:
                self._run(lambda: self._service.deactivate(contact_id))

        box.finished.connect(answered)
        self.confirm = box
        box.open()
        return box

    def reactivate_person(self) -> None:
        contact = self.selected()
        if contact is not None and contact.id is not None and not contact.active:
            contact_id = contact.id
            self._run(lambda: self._service.reactivate(contact_id))

    def _run(self, action: Callable[[], Contact]) -> None:
        try:
            done = action()
        except KoordinatorError as exc:
            self.people_error.setText("⚠ " + exc.message)
            self.people_error.show()
            return
        self.people_error.hide()
        self.changed = True
        self.reload(select_id=done.id)

    # -- tab 2: the kommuner's system-based entrances (F3) --------------------------------------------------------
    def _kommune_tab(self) -> QWidget:
        page = QWidget()
        intro = text_label(
            "Hver kommune har én systembaseret indgang, fx en sikker postkasse (F3). Adressen vises i planen ved "
            "orientering, varsling og færdigmelding til kommunen. Ret adressen i kolonnen »Sikker postkasse« "
            "(F2 eller begynd at skrive); den gemmes, når du trykker Enter. Tøm feltet for at fjerne adressen."
        )
        self.kommune_search = QLineEdit()
        self.kommune_search.setClearButtonEnabled(True)
        self.kommune_search.setPlaceholderText("Kommune, kode eller adresse …")
        self.kommune_search.textChanged.connect(self.apply_kommune_filter)
        row = QHBoxLayout()
        row.addWidget(buddy_label("Sø&g:", self.kommune_search))
        row.addWidget(self.kommune_search, 1)

        self.kommune_table = QTableWidget(0, len(KOMMUNE_COLUMNS))
        self.kommune_table.setHorizontalHeaderLabels(KOMMUNE_COLUMNS)
        self.kommune_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.kommune_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.kommune_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.kommune_table.setAlternatingRowColors(True)
        self.kommune_table.setTabKeyNavigation(False)
        self.kommune_table.verticalHeader().setVisible(False)
        header = self.kommune_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MAIL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.kommune_table.itemChanged.connect(self._entrance_edited)
        self.kommune_search.returnPressed.connect(self._focus_first_kommune)

        self.kommune_error = error_label()
        self.kommune_count = text_label(style=MUTED)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.kommune_table, 1)
        layout.addWidget(self.kommune_error)
        layout.addWidget(self.kommune_count)
        return page

    def reload_kommuner(self) -> None:
        self._kommuner = self._service.kommune_entrances()
        self._kommune_names = {k.code: k.name for k in self._kommuner}
        self._filling = True
        try:
            self.kommune_table.setRowCount(len(self._kommuner))
            for row, k in enumerate(self._kommuner):
                self._fill_kommune_row(row, k)
        finally:
            self._filling = False
        self.kommune_table.setColumnWidth(STATUS_COLUMN, 200)
        self.apply_kommune_filter()

    def _fill_kommune_row(self, row: int, k: Kommune) -> None:
        name = _item(k.name)
        name.setData(Qt.ItemDataRole.UserRole, k.code)
        self.kommune_table.setItem(row, 0, name)
        self.kommune_table.setItem(row, 1, _item(k.code))
        self.kommune_table.setItem(row, 2, _item(k.region))
        mail = _item(k.secure_mail or "", editable=True)
        mail.setToolTip("Skriv kommunens sikre postkasse og tryk Enter for at gemme (F3).")
        self.kommune_table.setItem(row, MAIL_COLUMN, mail)
        self.kommune_table.setItem(row, STATUS_COLUMN, _item("" if k.secure_mail else "Mangler"))
        if not k.secure_mail:
            cell(self.kommune_table, row, STATUS_COLUMN).setForeground(QBrush(QColor("#777777")))

    def kommune_row(self, code: str) -> int:
        for row in range(self.kommune_table.rowCount()):
            if cell(self.kommune_table, row, 0).data(Qt.ItemDataRole.UserRole) == code:
                return row
        raise KeyError(code)

    def _entrance_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != MAIL_COLUMN:
            return
        row = item.row()
        code = cell(self.kommune_table, row, 0).data(Qt.ItemDataRole.UserRole)
        name = cell(self.kommune_table, row, 0).text()
        self.save_entrance(code, item.text(), name=name, row=row)

    def save_entrance(self, code: str, address: str, *, name: str = "", row: int | None = None) -> bool:
        """Save one kommune's entrance; the outcome is shown on its row (and a refusal under the table)."""
        row = self.kommune_row(code) if row is None else row
        name = name or cell(self.kommune_table, row, 0).text()
        self._filling = True
        try:
            mail = cell(self.kommune_table, row, MAIL_COLUMN)
            status = cell(self.kommune_table, row, STATUS_COLUMN)
            try:
                saved = self._service.set_kommune_entrance(code, address)
            except KoordinatorError as exc:
                mail.setText(address)
                mail.setBackground(QBrush(ERROR_BACKGROUND))
                status.setText("⚠ Ikke gemt")
                status.setToolTip(exc.message)
                status.setForeground(QBrush(ERROR_COLOUR))
                self.kommune_error.setText(f"⚠ {name}: {exc.message}")
                self.kommune_error.show()
                return False
            mail.setText(saved.secure_mail or "")
            mail.setBackground(QBrush())
            status.setText("✓ Gemt" if saved.secure_mail else "✓ Fjernet")
            status.setToolTip("")
            status.setForeground(QBrush(OK_COLOUR))
            self.kommune_error.hide()
            self._kommuner = [saved if k.code == code else k for k in self._kommuner]
            self.changed = True
            return True
        finally:
            self._filling = False
            self._update_kommune_count()

    def apply_kommune_filter(self) -> None:
        words = self.kommune_search.text().casefold().split()
        for row in range(self.kommune_table.rowCount()):
            haystack = " ".join(cell(self.kommune_table, row, col).text() for col in range(STATUS_COLUMN)).casefold()
            self.kommune_table.setRowHidden(row, any(w not in haystack for w in words))
        self._update_kommune_count()

    def _update_kommune_count(self) -> None:
        with_mail = sum(1 for k in self._kommuner if k.secure_mail)
        self.kommune_count.setText(f"{with_mail} af {len(self._kommuner)} kommuner har en systemindgang registreret.")

    def _focus_first_kommune(self) -> None:
        for row in range(self.kommune_table.rowCount()):
            if not self.kommune_table.isRowHidden(row):
                self.kommune_table.setCurrentCell(row, MAIL_COLUMN)
                self.kommune_table.setFocus()
                return


def open_contacts_dialog(parent: QWidget | None, service: ContactService) -> ContactsDialog:
    """Funktioner → Kontaktbog…: the dialog, opened window-modal without blocking; returned for the caller."""
    dialog = ContactsDialog(service, parent)
    dialog.open()
    return dialog
