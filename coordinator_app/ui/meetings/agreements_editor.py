"""Aftaler (C5, C7): what was agreed, who is responsible (a participant), the deadline and the status, in a table
with a form for the selected agreement. Ctrl+Shift+A (the window's action) adds one."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.meetings import AgreementItem, AgreementStatus, Participant
from coordinator_app.ui.common.style import MUTED, buddy_label, text_label
from coordinator_app.ui.meetings.live_common import PeopleCombo, TabDateField, item_table, personlabel

STATUS_LABELS = {AgreementStatus.AABEN: "Åben", AgreementStatus.UDFOERT: "Udført"}


class AgreementsEditor(QWidget):
    """Aftaler (C5, C7): what, who is responsible (a participant), deadline and status."""

    changed = Signal()

    def __init__(self, default_deadline: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[AgreementItem] = []
        self._people: dict[str, Participant] = {}
        self._default_deadline = default_deadline
        self._loading = False

        self.add_button = QPushButton("Tilføj &aftale")
        self.add_button.setToolTip("Ctrl+Shift+A")
        self.add_button.clicked.connect(self.add)
        self.table = item_table(["Nr.", "Hvad er aftalt", "Ansvarlig", "Frist", "Status"], 1)
        self.table.setAccessibleName("Aftaler")
        self.table.itemSelectionChanged.connect(self._selected)
        self.what = QLineEdit()
        self.what.setPlaceholderText("Hvad skal gøres?")
        self.owner = PeopleCombo("(ingen ansvarlig)")
        self.deadline = TabDateField(default_deadline)
        self.status = QComboBox()
        for value, label in STATUS_LABELS.items():
            self.status.addItem(label, value)
        self.remove_button = QPushButton("&Fjern aftale")
        self.remove_button.clicked.connect(self.remove_selected)
        grid = QGridLayout()
        grid.addWidget(buddy_label("&Hvad:", self.what), 0, 0)
        grid.addWidget(self.what, 0, 1, 1, 3)
        grid.addWidget(buddy_label("Ansva&rlig:", self.owner), 1, 0)
        grid.addWidget(self.owner, 1, 1)
        grid.addWidget(buddy_label("Fri&st:", self.deadline), 1, 2)
        grid.addWidget(self.deadline, 1, 3)
        grid.addWidget(buddy_label("S&tatus:", self.status), 2, 0)
        grid.addWidget(self.status, 2, 1)
        grid.addWidget(self.remove_button, 2, 3, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        top = QHBoxLayout()
        top.addWidget(
            text_label(
                f"Ny aftale får fristen {default_deadline:%d-%m-%Y} (5 arbejdsdage frem) – ret den efter behov.", MUTED
            ),
            1,
        )
        top.addWidget(self.add_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)

        self.what.textEdited.connect(self._field_changed)
        self.owner.currentIndexChanged.connect(self._field_changed)
        self.deadline.dateChanged.connect(self._field_changed)
        self.status.currentIndexChanged.connect(self._field_changed)
        self._enable_form(False)

    def items(self) -> list[AgreementItem]:
        return list(self._items)

    def set_items(self, items: Sequence[AgreementItem]) -> None:
        self._items = list(items)
        self._loading = True
        self.table.setRowCount(0)
        for a in self._items:
            self._write_row(self.table.rowCount(), a, insert=True)
        self._loading = False
        if self._items:
            self.table.selectRow(0)
        else:
            self._enable_form(False)

    def set_people(self, people: Sequence[Participant]) -> None:
        self._people = {p.key: p for p in people}
        self.owner.set_people(people)
        self._loading = True
        for row, a in enumerate(self._items):
            self._write_row(row, a)
        self._loading = False

    def _write_row(self, row: int, a: AgreementItem, *, insert: bool = False) -> None:
        if insert:
            self.table.insertRow(row)
        owner = self._people.get(a.owner_key or "")
        values = (
            str(row + 1),
            a.what,
            personlabel(owner) if owner else "⚠ mangler",
            f"{a.deadline:%d-%m-%Y}" if a.deadline else "⚠ mangler",
            STATUS_LABELS[a.status],
        )
        for col, value in enumerate(values):
            item = self.table.item(row, col)
            if item is None:
                self.table.setItem(row, col, QTableWidgetItem(value))
            elif item.text() != value:
                item.setText(value)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _enable_form(self, on: bool) -> None:
        for w in (self.what, self.owner, self.deadline, self.status, self.remove_button):
            w.setEnabled(on)

    def _selected(self) -> None:
        row = self.current_row()
        self._loading = True
        if 0 <= row < len(self._items):
            a = self._items[row]
            self._enable_form(True)
            self.what.setText(a.what)
            self.owner.set_key(a.owner_key)
            self.deadline.set_value(a.deadline or self._default_deadline)
            self.status.setCurrentIndex(max(0, self.status.findData(a.status)))
        else:
            self._enable_form(False)
            self.what.clear()
        self._loading = False

    def _field_changed(self) -> None:
        row = self.current_row()
        if self._loading or not 0 <= row < len(self._items):
            return
        a = dataclasses.replace(
            self._items[row],
            what=self.what.text(),
            owner_key=self.owner.key(),
            deadline=self.deadline.value(),
            status=self.status.currentData(),
        )
        self._items[row] = a
        self._write_row(row, a)
        self.changed.emit()

    def add(self) -> None:
        item = AgreementItem(key=uuid.uuid4().hex, what="", deadline=self._default_deadline)
        self._items.append(item)
        row = self.table.rowCount()
        self._loading = True
        self._write_row(row, item, insert=True)
        self._loading = False
        self.table.selectRow(row)
        self.changed.emit()
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_selected(self) -> None:
        row = self.current_row()
        if not 0 <= row < len(self._items):
            return
        del self._items[row]
        self.set_items(self._items)
        if self._items:
            self.table.selectRow(min(row, len(self._items) - 1))
        self.changed.emit()
        self.table.setFocus()

    def first_focus(self) -> QWidget:
        return self.table if self._items else self.add_button
