"""Aftaler (C5, C7): what was agreed, who is responsible (a participant), the deadline and the status, listed in a
table with a form for the selected agreement (a ``ListFormEditor``). Ctrl+Shift+A (the window's action) adds one
with the default deadline; Tab order: «Tilføj aftale», the table, then the form's fields."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from coordinator_app.domain.meetings import AgreementItem, AgreementStatus, Participant
from coordinator_app.ui.common.list_form import Field, ListFormEditor, choice_field, text_field
from coordinator_app.ui.common.style import MUTED, buddy_label, text_label
from coordinator_app.ui.meetings.live_common import PeopleCombo, TabDateField, personlabel

STATUS_LABELS = {AgreementStatus.AABEN: "Åben", AgreementStatus.UDFOERT: "Udført"}


class AgreementsEditor(ListFormEditor[AgreementItem]):
    """Aftaler (C5, C7): what, who is responsible (a participant), deadline and status."""

    COLUMNS = ("Nr.", "Hvad er aftalt", "Ansvarlig", "Frist", "Status")
    STRETCH_COLUMN = 1

    def __init__(self, default_deadline: date, parent: QWidget | None = None) -> None:
        """``default_deadline``: a new agreement's deadline (5 arbejdsdage ahead), also shown when one has none."""
        super().__init__(name="Aftaler", remove_text="&Fjern aftale", parent=parent)
        self._people: dict[str, Participant] = {}
        self._default_deadline = default_deadline

        self.add_button = QPushButton("Tilføj &aftale")
        self.add_button.setToolTip("Ctrl+Shift+A")
        self.add_button.clicked.connect(self.add)
        self.what = QLineEdit()
        self.what.setPlaceholderText("Hvad skal gøres?")
        self.owner = PeopleCombo("(ingen ansvarlig)")
        self.deadline = TabDateField(default_deadline)
        self.status = QComboBox()
        for value, label in STATUS_LABELS.items():
            self.status.addItem(label, value)
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

        self.arrange(top, grid)
        self.bind(
            [
                text_field("what", self.what, strip=False),
                Field(
                    "owner_key",
                    self.owner,
                    show=self.owner.set_key,
                    read=self.owner.key,
                    edited=self.owner.currentIndexChanged,
                ),
                Field(
                    "deadline",
                    self.deadline,
                    show=lambda deadline: self.deadline.set_value(deadline or self._default_deadline),
                    read=self.deadline.value,
                    edited=self.deadline.dateChanged,
                ),
                choice_field("status", self.status),
            ]
        )

    def cells(self, row: int, a: AgreementItem) -> tuple[str, ...]:
        owner = self._people.get(a.owner_key or "")
        return (
            str(row + 1),
            a.what,
            personlabel(owner) if owner else "⚠ mangler",
            f"{a.deadline:%d-%m-%Y}" if a.deadline else "⚠ mangler",
            STATUS_LABELS[a.status],
        )

    def set_people(self, people: Sequence[Participant]) -> None:
        """The meeting's participants, who may be responsible: the owner combo offers them, the table names them."""
        self._people = {p.key: p for p in people}
        self.owner.set_people(people)
        self.refresh_rows()

    def add(self) -> None:
        """A new agreement with the default deadline; the focus goes to «Hvad»."""
        item = AgreementItem(key=uuid.uuid4().hex, what="", deadline=self._default_deadline)
        self.add_item(item, focus=self.what)

    def first_focus(self) -> QWidget:
        return self.table if self.items() else self.add_button
