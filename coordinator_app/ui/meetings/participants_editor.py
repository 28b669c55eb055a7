"""Deltagere (C1, C5): the meeting's participants, picked from earlier meetings or typed new, listed in a table with
a form for the selected one (a ``ListFormEditor``). Ctrl+Shift+P (the window's action) or Alt+D (the button's
mnemonic) adds a participant; Tab order: the picker, «Tilføj deltager», the table, then the form's fields."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from coordinator_app.domain.meetings import Participant
from coordinator_app.domain.model import SECTOR_LABELS
from coordinator_app.ui.common.list_form import ListFormEditor, check_field, choice_field, text_field
from coordinator_app.ui.common.style import buddy_label
from coordinator_app.ui.meetings.live_common import personlabel


class ParticipantsEditor(ListFormEditor[Participant]):
    """Deltagere (C1, C5): picked from earlier meetings or typed new, with concrete contact details."""

    COLUMNS = ("Navn", "Organisation", "Sektor", "Rolle", "Telefon", "E-mail", "Til stede", "Sundhedsfaglig")
    STRETCH_COLUMN = 1

    def __init__(self, known: Sequence[Participant], parent: QWidget | None = None) -> None:
        """``known``: the participants of the patient's earlier meetings, offered by the picker."""
        super().__init__(name="Deltagere", remove_text="&Fjern deltager", parent=parent)
        self._known = list(known)

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

        self.arrange(pick, grid)
        self.bind(
            [
                text_field("name", self.name),
                text_field("organisation", self.organisation),
                choice_field("sector", self.sector),
                text_field("role", self.role),
                text_field("phone", self.phone),
                text_field("email", self.email),
                check_field("present", self.present),
                check_field("health_professional", self.health),
            ]
        )

    def cells(self, row: int, p: Participant) -> tuple[str, ...]:
        return (
            p.name,
            p.organisation,
            SECTOR_LABELS[p.sector],
            p.role,
            p.phone,
            p.email,
            "Ja" if p.present else "Afbud",
            "Ja" if p.health_professional else "",
        )

    def people(self) -> list[Participant]:
        """The participants, in the table's order."""
        return self.items()

    def focus_picker(self) -> None:
        self.picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.picker_edit.selectAll()

    def add_from_picker(self) -> None:
        """Add the person chosen in the picker (their details copied, present) or a new one by the typed name;
        the focus goes to the first field still to fill in (Rolle, or Organisation for a new person)."""
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
        self.picker.setCurrentIndex(-1)
        self.picker.setEditText("")
        self.add_item(person, focus=focus)

    def first_focus(self) -> QWidget:
        return self.picker
