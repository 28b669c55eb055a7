"""Deltagere (C1, C5): the meeting's participants, listed in a table with a form for the selected one (a
``ListFormEditor``). The picker offers the patient (as borger), the people of the patient's earlier meetings and the
Kontaktbog, each group apart and the Kontaktbog's people marked so; a name typed new is added as typed. A new person's
sector is not chosen for them ("Vælg sektor …" until the coordinator picks one, C1), and the patient — picked, or
their name typed — is a borger. Ctrl+Shift+P (the window's action) or Alt+D (the button's mnemonic) adds a
participant; Tab order: the picker, «Tilføj deltager», the table, then the form's fields."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from coordinator_app.domain.meetings import PATIENT_WORD, Participant, is_patient
from coordinator_app.domain.model import SECTOR_LABELS, Sector
from coordinator_app.ui.common.list_form import ListFormEditor, check_field, choice_field, text_field
from coordinator_app.ui.common.style import buddy_label
from coordinator_app.ui.meetings.live_common import personlabel

#: The sector combo box's first item: a new person's sector is chosen by the coordinator, never defaulted (C1).
NO_SECTOR = "Vælg sektor …"
#: What the table says for a participant whose sector is not chosen yet.
SECTOR_NOT_CHOSEN = "Ikke valgt"
#: How the picker marks the Kontaktbog's people (the earlier meetings' people are marked by nothing).
DIRECTORY_MARK = " · Kontaktbog"


def sector_text(sector: Sector | None) -> str:
    return SECTOR_NOT_CHOSEN if sector is None else SECTOR_LABELS[sector]


class ParticipantsEditor(ListFormEditor[Participant]):
    """Deltagere (C1, C5): picked among the patient, earlier meetings' people and the Kontaktbog, or typed new, with
    concrete contact details."""

    COLUMNS = ("Navn", "Organisation", "Sektor", "Rolle", "Telefon", "E-mail", "Til stede", "Sundhedsfaglig")
    STRETCH_COLUMN = 1

    def __init__(
        self,
        known: Sequence[Participant],
        *,
        directory: Sequence[Participant] = (),
        patient: Participant | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``known``: the people of the patient's earlier meetings; ``directory``: the Kontaktbog's people;
        ``patient``: the patient as a participant (borger). The picker offers them in that order: patient first."""
        super().__init__(name="Deltagere", remove_text="&Fjern deltager", parent=parent)
        self._patient = patient
        groups = [
            [(f"{patient.name} – Borger (patienten)", patient)] if patient is not None else [],
            [(f"{personlabel(p)} – {sector_text(p.sector)}", p) for p in known],
            [(f"{personlabel(p)} – {sector_text(p.sector)}{DIRECTORY_MARK}", p) for p in directory],
        ]
        self._choices: list[Participant] = []

        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setAccessibleName(
            "Vælg patienten, en tidligere deltager eller en fra Kontaktbogen, eller skriv et nyt navn"
        )
        for group in (g for g in groups if g):
            if self.picker.count():
                self.picker.insertSeparator(self.picker.count())
            for text, person in group:
                self.picker.addItem(text, len(self._choices))
                self._choices.append(person)
        self.picker.setCurrentIndex(-1)
        line_edit = self.picker.lineEdit()
        assert line_edit is not None  # an editable combo box has its line edit
        self.picker_edit: QLineEdit = line_edit
        offered = [
            label
            for label, group in zip(("patienten", "deltagere fra tidligere møder", "Kontaktbogen"), groups, strict=True)
            if group
        ]
        self.picker_edit.setPlaceholderText(
            f"Skriv navn, eller vælg blandt {_listed(offered)} …" if offered else "Skriv navn …"
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
        self.sector.addItem(NO_SECTOR, None)
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
        chosen = choice_field("sector", self.sector)
        # The combo box hands a sector back as its plain string: the participant keeps a Sector (or None).
        sector_field = dataclasses.replace(chosen, read=lambda: _sector(self.sector.currentData()))
        self.bind(
            [
                text_field("name", self.name),
                text_field("organisation", self.organisation),
                sector_field,
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
            sector_text(p.sector),
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
        the focus goes to the first field still to fill in (Rolle, or Organisation for a new person, or Telefon
        for the patient). The patient's name, or "Patienten", typed adds the patient as borger."""
        text = self.picker.currentText().strip()
        if not text:
            self.focus_picker()
            return
        index = self.picker.findText(text, Qt.MatchFlag.MatchFixedString)
        chosen = self._choices[self.picker.itemData(index)] if index >= 0 else self._by_name(text)
        focus: QWidget
        if chosen is not None:
            person = dataclasses.replace(chosen, key=uuid.uuid4().hex, present=True)
            focus = self.phone if chosen is self._patient else self.role
        else:
            person = Participant(key=uuid.uuid4().hex, name=text)  # its sector is chosen next (C1)
            focus = self.organisation
        self.picker.setCurrentIndex(-1)
        self.picker.setEditText("")
        self.add_item(person, focus=focus)

    def _by_name(self, text: str) -> Participant | None:
        """A person offered by the picker whose name is ``text`` (spaces and case aside): the patient (also as
        "Patienten"), else the first other one."""
        plain = " ".join(text.split()).casefold()
        if self._patient is not None and (
            plain == PATIENT_WORD or is_patient(Participant("", text), self._patient.name)
        ):
            return self._patient
        return next((p for p in self._choices if " ".join(p.name.split()).casefold() == plain), None)

    def first_focus(self) -> QWidget:
        return self.picker


def _listed(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _sector(value: object) -> Sector | None:
    return Sector(value) if isinstance(value, str) and value in Sector._value2member_map_ else None
