"""Kontaktbog: the people the ward meets (C1, C5) and each kommune's one system-based entrance (F3).

Two tabs. *Personer*: a table filtered as you type, with add / edit / deactivate (never delete: old referater
stay explainable). *Kommunernes systemindgange (F3)*: the 98 kommuner, Region Hovedstaden first, with an
editable secure-mail column; each row is saved when its cell is committed (Enter), and a refused address is
shown on its row and under the table.

Everything opens non-blocking (``open()``), so the dialog never freezes the main window's event loop.

This module is the dialog and its *Personer* tab; the person form is ``contact_edit_dialog.ContactEditDialog`` and
the second tab ``kommune_entrances.KommuneEntrancesTab``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import SECTOR_LABELS, Contact, Kommune, Sector
from coordinator_app.services.contacts import ContactService
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import MUTED, buddy_label, error_label, text_label
from coordinator_app.ui.common.widgets import cell, table_item
from coordinator_app.ui.contacts.contact_edit_dialog import ContactEditDialog
from coordinator_app.ui.contacts.kommune_entrances import MAIL_COLUMN, KommuneEntrancesTab

__all__ = ["ContactEditDialog", "ContactsDialog", "open_contacts_dialog"]

PERSON_COLUMNS = ("Navn", "Organisation", "Sektor", "Rolle", "Telefon", "E-mail", "Kommune", "Status")


class ContactsDialog(QDialog):
    """Kontaktbog: *Personer* and *Kommunernes systemindgange (F3)*."""

    def __init__(self, service: ContactService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._contacts: list[Contact] = []
        self._kommune_names: dict[str, str] = {}
        self.editor: ContactEditDialog | None = None
        self.confirm: QMessageBox | None = None
        self.changed = False
        self.setWindowTitle("Kontaktbog")
        self.resize(1040, 640)
        self.setMinimumSize(820, 480)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._people_tab(), "&Personer")
        self.entrances = KommuneEntrancesTab(service)
        self.entrances.saved.connect(self._entrance_saved)
        self.tabs.addTab(self.entrances, "&Kommunernes systemindgange (F3)")

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

    def show_entrance(self, code: str) -> None:
        """The entrances tab with ``code``'s secure-mailbox cell current, ready to type in."""
        self.tabs.setCurrentWidget(self.entrances)
        try:
            row = self.entrances.row_of(code)
        except KeyError:
            return
        table = self.entrances.table
        table.setCurrentCell(row, MAIL_COLUMN)
        if (item := table.item(row, MAIL_COLUMN)) is not None:
            table.scrollToItem(item)
        table.setFocus()

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

    def reload_kommuner(self) -> None:
        """The kommuner's entrances as stored; the people's kommune column shows their names."""
        self.entrances.reload()
        self._kommune_names = {k.code: k.name for k in self.entrances.kommuner}

    def _entrance_saved(self, _kommune: Kommune) -> None:
        self.changed = True

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
                item = table_item(text)
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
        editor = ContactEditDialog(self._service, self.entrances.kommuner, contact, parent=self)
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
            literal(
                f"Gør {contact.name}{f' ({contact.organisation})' if contact.organisation else ''} inaktiv?\n\n"
                "Personen kan ikke længere vælges som deltager i nye møder. Intet slettes: gamle referater viser "
                "stadig personen, og du kan genaktivere under »Vis inaktive«."
            ),
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


def open_contacts_dialog(
    parent: QWidget | None, service: ContactService, *, kommune: str | None = None
) -> ContactsDialog:
    """Funktioner → Kontaktbog…: the dialog, opened window-modal without blocking; returned for the caller. With
    ``kommune`` (a kommunekode) it opens on the kommuner's entrances with that kommune's secure mailbox chosen (the
    Send dialog's warning when the recipient's mailbox is unknown)."""
    dialog = ContactsDialog(service, parent)
    if kommune is not None:
        dialog.show_entrance(kommune)
    dialog.open()
    return dialog
