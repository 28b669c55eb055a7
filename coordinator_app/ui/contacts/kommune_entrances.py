"""Kontaktbog, the tab *Kommunernes systemindgange (F3)*: the 98 kommuner, Region Hovedstaden first, each with
its one system-based entrance (a secure mail address) in an editable column. A row is saved when its cell is
committed (Enter); the outcome is shown on the row, and a refused address under the table too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import Kommune
from coordinator_app.services.contacts import ContactService
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import MUTED, buddy_label, error_label, text_label
from coordinator_app.ui.common.widgets import cell, table_item

KOMMUNE_COLUMNS = ("Kommune", "Kode", "Region", "Sikker postkasse (systemindgang)", "Status")
MAIL_COLUMN = 3
STATUS_COLUMN = 4
OK_COLOUR = QColor("#1d4d1d")
ERROR_COLOUR = QColor("#8a1010")
ERROR_BACKGROUND = QColor("#f6d5d5")


class KommuneEntrancesTab(QWidget):
    """The kommuner's entrances; ``saved`` carries a kommune whose entrance was stored."""

    saved = Signal(object)  # Kommune

    def __init__(self, service: ContactService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.kommuner: list[Kommune] = []
        self._filling = False
        intro = text_label(
            "Hver kommune har én systembaseret indgang, fx en sikker postkasse (F3). Adressen vises i planen ved "
            "orientering, varsling og færdigmelding til kommunen. Ret adressen i kolonnen »Sikker postkasse« "
            "(F2 eller begynd at skrive); den gemmes, når du trykker Enter. Tøm feltet for at fjerne adressen."
        )
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Kommune, kode eller adresse …")
        self.search.textChanged.connect(self.apply_filter)
        row = QHBoxLayout()
        row.addWidget(buddy_label("Sø&g:", self.search))
        row.addWidget(self.search, 1)

        self.table = QTableWidget(0, len(KOMMUNE_COLUMNS))
        self.table.setHorizontalHeaderLabels(KOMMUNE_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MAIL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.table.itemChanged.connect(self._entrance_edited)
        self.search.returnPressed.connect(self._focus_first)

        self.error = error_label()
        self.count = text_label(style=MUTED)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.count)

    def reload(self) -> None:
        """The kommuner and their entrances as stored."""
        self.kommuner = self._service.kommune_entrances()
        self._filling = True
        try:
            self.table.setRowCount(len(self.kommuner))
            for row, k in enumerate(self.kommuner):
                self._fill_row(row, k)
        finally:
            self._filling = False
        self.table.setColumnWidth(STATUS_COLUMN, 200)
        self.apply_filter()

    def _fill_row(self, row: int, k: Kommune) -> None:
        name = table_item(k.name)
        name.setData(Qt.ItemDataRole.UserRole, k.code)
        self.table.setItem(row, 0, name)
        self.table.setItem(row, 1, table_item(k.code))
        self.table.setItem(row, 2, table_item(k.region))
        mail = table_item(k.secure_mail or "", editable=True)
        mail.setToolTip("Skriv kommunens sikre postkasse og tryk Enter for at gemme (F3).")
        self.table.setItem(row, MAIL_COLUMN, mail)
        self.table.setItem(row, STATUS_COLUMN, table_item("" if k.secure_mail else "Mangler"))
        if not k.secure_mail:
            cell(self.table, row, STATUS_COLUMN).setForeground(QBrush(QColor("#777777")))

    def row_of(self, code: str) -> int:
        for row in range(self.table.rowCount()):
            if cell(self.table, row, 0).data(Qt.ItemDataRole.UserRole) == code:
                return row
        raise KeyError(code)

    def _entrance_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != MAIL_COLUMN:
            return
        row = item.row()
        code = cell(self.table, row, 0).data(Qt.ItemDataRole.UserRole)
        name = cell(self.table, row, 0).text()
        self.save_entrance(code, item.text(), name=name, row=row)

    def save_entrance(self, code: str, address: str, *, name: str = "", row: int | None = None) -> bool:
        """Save one kommune's entrance; the outcome is shown on its row (and a refusal under the table)."""
        row = self.row_of(code) if row is None else row
        name = name or cell(self.table, row, 0).text()
        self._filling = True
        try:
            mail = cell(self.table, row, MAIL_COLUMN)
            status = cell(self.table, row, STATUS_COLUMN)
            try:
                saved = self._service.set_kommune_entrance(code, address)
            except KoordinatorError as exc:
                mail.setText(address)
                mail.setBackground(QBrush(ERROR_BACKGROUND))
                status.setText("⚠ Ikke gemt")
                status.setToolTip(literal(exc.message))
                status.setForeground(QBrush(ERROR_COLOUR))
                self.error.setText(f"⚠ {name}: {exc.message}")
                self.error.show()
                return False
            mail.setText(saved.secure_mail or "")
            mail.setBackground(QBrush())
            status.setText("✓ Gemt" if saved.secure_mail else "✓ Fjernet")
            status.setToolTip("")
            status.setForeground(QBrush(OK_COLOUR))
            self.error.hide()
            self.kommuner = [saved if k.code == code else k for k in self.kommuner]
            self.saved.emit(saved)
            return True
        finally:
            self._filling = False
            self._update_count()

    def apply_filter(self) -> None:
        words = self.search.text().casefold().split()
        for row in range(self.table.rowCount()):
            haystack = " ".join(cell(self.table, row, col).text() for col in range(STATUS_COLUMN)).casefold()
            self.table.setRowHidden(row, any(w not in haystack for w in words))
        self._update_count()

    def _update_count(self) -> None:
        with_mail = sum(1 for k in self.kommuner if k.secure_mail)
        self.count.setText(f"{with_mail} af {len(self.kommuner)} kommuner har en systemindgang registreret.")

    def _focus_first(self) -> None:
        for row in range(self.table.rowCount()):
            if not self.table.isRowHidden(row):
                self.table.setCurrentCell(row, MAIL_COLUMN)
                self.table.setFocus()
                return
