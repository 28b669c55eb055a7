"""Deltagere (C1, C5): the meeting's participants, picked from earlier meetings or typed new, in a table with a form
for the selected one. Ctrl+Shift+P or Alt+D (the window's action and the button's mnemonic) add a participant."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.meetings import Participant
from coordinator_app.domain.model import SECTOR_LABELS
from coordinator_app.ui.common.style import buddy_label
from coordinator_app.ui.meetings.live_common import item_table, personlabel


class ParticipantsEditor(QWidget):
    """Deltagere (C1, C5): picked from earlier meetings or typed new, with concrete contact details."""

    changed = Signal()

    def __init__(self, known: Sequence[Participant], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: list[Participant] = []
        self._known = list(known)
        self._loading = False

        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setAccessibleName("Vælg tidligere deltager eller skriv et nyt navn")
        for i, p in enumerate(self._known):
            self.picker.addItem(f"{personlabel(p)} – {SECTOR_LABELS[p.sector]}", i)
        self.picker.setCurrentIndex(-1)
        line_edit = self.picker.lineEdit()
        assert line_edit is not None  # an editable combo box has its line edit
        self.picker_edit: QLineEdit = line_edit
        self.picker_edit.setPlaceholderText(
            "Skriv navn, eller vælg blandt deltagere fra tidligere møder …" if self._known else "Skriv navn …"
        )
        self.picker_edit.returnPressed.connect(self.add_from_picker)
        self.add_button = QPushButton("Tilføj &deltager")
        self.add_button.setToolTip("Ctrl+Shift+P eller Alt+D")
        self.add_button.clicked.connect(self.add_from_picker)
        pick = QHBoxLayout()
        pick.addWidget(buddy_label("&Ny deltager:", self.picker))
        pick.addWidget(self.picker, 1)
        pick.addWidget(self.add_button)

        self.table = item_table(
            ["Navn", "Organisation", "Sektor", "Rolle", "Telefon", "E-mail", "Til stede", "Sundhedsfaglig"], 1
        )
        self.table.setAccessibleName("Deltagere")
        self.table.itemSelectionChanged.connect(self._selected)

        self.name = QLineEdit()
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("fx Københavns Kommune, Psykiatrisk Center …")
        self.sector = QComboBox()
        for sector, label in SECTOR_LABELS.items():
            self.sector.addItem(label, sector)
        self.role = QLineEdit()
        self.role.setPlaceholderText("fx sagsbehandler, kontaktperson, overlæge")
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.present = QCheckBox("Til &stede (ellers afbud)")
        self.health = QCheckBox("Sund&hedsfaglig (C6)")
        self.remove_button = QPushButton("&Fjern deltager")
        self.remove_button.clicked.connect(self.remove_selected)
        grid = QGridLayout()
        grid.addWidget(buddy_label("N&avn:", self.name), 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(buddy_label("&Organisation:", self.organisation), 0, 2)
        grid.addWidget(self.organisation, 0, 3)
        grid.addWidget(buddy_label("Se&ktor:", self.sector), 1, 0)
        grid.addWidget(self.sector, 1, 1)
        grid.addWidget(buddy_label("&Rolle:", self.role), 1, 2)
        grid.addWidget(self.role, 1, 3)
        grid.addWidget(buddy_label("&Telefon:", self.phone), 2, 0)
        grid.addWidget(self.phone, 2, 1)
        grid.addWidget(buddy_label("&E-mail:", self.email), 2, 2)
        grid.addWidget(self.email, 2, 3)
        checks = QHBoxLayout()
        checks.addWidget(self.present)
        checks.addWidget(self.health)
        checks.addStretch(1)
        checks.addWidget(self.remove_button)
        grid.addLayout(checks, 3, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(pick)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)

        for edit in (self.name, self.organisation, self.role, self.phone, self.email):
            edit.textEdited.connect(self._field_changed)
        self.sector.currentIndexChanged.connect(self._field_changed)
        self.present.toggled.connect(self._field_changed)
        self.health.toggled.connect(self._field_changed)
        self._enable_form(False)

    def people(self) -> list[Participant]:
        return list(self._people)

    def set_people(self, people: Sequence[Participant]) -> None:
        self._people = list(people)
        self._loading = True
        self.table.setRowCount(0)
        for p in self._people:
            self._write_row(self.table.rowCount(), p, insert=True)
        self._loading = False
        if self._people:
            self.table.selectRow(0)
        else:
            self._enable_form(False)

    def _write_row(self, row: int, p: Participant, *, insert: bool = False) -> None:
        if insert:
            self.table.insertRow(row)
        values = (
            p.name,
            p.organisation,
            SECTOR_LABELS[p.sector],
            p.role,
            p.phone,
            p.email,
            "Ja" if p.present else "Afbud",
            "Ja" if p.health_professional else "",
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
        for w in (
            self.name,
            self.organisation,
            self.sector,
            self.role,
            self.phone,
            self.email,
            self.present,
            self.health,
            self.remove_button,
        ):
            w.setEnabled(on)

    def _selected(self) -> None:
        row = self.current_row()
        self._loading = True
        if 0 <= row < len(self._people):
            p = self._people[row]
            self._enable_form(True)
            self.name.setText(p.name)
            self.organisation.setText(p.organisation)
            self.sector.setCurrentIndex(max(0, self.sector.findData(p.sector)))
            self.role.setText(p.role)
            self.phone.setText(p.phone)
            self.email.setText(p.email)
            self.present.setChecked(p.present)
            self.health.setChecked(p.health_professional)
        else:
            self._enable_form(False)
            for edit in (self.name, self.organisation, self.role, self.phone, self.email):
                edit.clear()
        self._loading = False

    def _field_changed(self) -> None:
        row = self.current_row()
        if self._loading or not 0 <= row < len(self._people):
            return
        p = dataclasses.replace(
            self._people[row],
            name=self.name.text().strip(),
            organisation=self.organisation.text().strip(),
            sector=self.sector.currentData(),
            role=self.role.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            present=self.present.isChecked(),
            health_professional=self.health.isChecked(),
        )
        self._people[row] = p
        self._write_row(row, p)
        self.changed.emit()

    def focus_picker(self) -> None:
        self.picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.picker_edit.selectAll()

    def add_from_picker(self) -> None:
        text = self.picker.currentText().strip()
        if not text:
            self.focus_picker()
            return
        index = self.picker.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            known = self._known[self.picker.itemData(index)]
            person = dataclasses.replace(known, key=uuid.uuid4().hex, present=True)
            focus: QWidget = self.role
        else:
            person = Participant(key=uuid.uuid4().hex, name=text)
            focus = self.organisation
        self._people.append(person)
        row = self.table.rowCount()
        self._loading = True
        self._write_row(row, person, insert=True)
        self._loading = False
        self.picker.setCurrentIndex(-1)
        self.picker.setEditText("")
        self.table.selectRow(row)
        self.changed.emit()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(focus, QLineEdit):
            focus.selectAll()

    def remove_selected(self) -> None:
        row = self.current_row()
        if not 0 <= row < len(self._people):
            return
        del self._people[row]
        self.table.removeRow(row)
        if self._people:
            self.table.selectRow(min(row, len(self._people) - 1))
        else:
            self._selected()
        self.changed.emit()
        self.table.setFocus()

    def first_focus(self) -> QWidget:
        return self.picker
