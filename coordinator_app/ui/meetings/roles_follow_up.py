"""Roller (C6) and Opfølgning (C5): two short forms of the live meeting that choose among the participants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from coordinator_app.domain.meetings import FollowUp, Participant
from coordinator_app.ui.common.style import MUTED, WARNING_STYLE, buddy_label, text_label
from coordinator_app.ui.meetings.live_common import PeopleCombo, TabDateField

#: Shown under the roles while one participant is both mødeleder and referent (C6); a reminder, never a block.
SAME_PERSON = "⚠ Mødeleder og referent er samme person. Aftalen anbefaler, at det er to forskellige (C6)."


class RolesEditor(QWidget):
    """Roller (C6): mødeleder, referent and tovholder among the participants, with a reminder while mødeleder and
    referent are the same person."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leader = PeopleCombo()
        self.referent = PeopleCombo()
        self.tovholder = PeopleCombo()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(buddy_label("Møde&leder:", self.leader), self.leader)
        form.addRow(buddy_label("R&eferent:", self.referent), self.referent)
        form.addRow(buddy_label("&Tovholder:", self.tovholder), self.tovholder)
        self.same_person = text_label(SAME_PERSON, WARNING_STYLE)
        self.same_person.setAccessibleName("Påmindelse om roller")
        self.same_person.hide()
        form.addRow("", self.same_person)
        form.addRow(
            "",
            text_label(
                "Mødeleder og referent bør ikke være samme person. Referenten skal være sundhedsfaglig, hvis "
                "referatet handler om behandling eller medicin (C6).",
                MUTED,
            ),
        )
        for combo in (self.leader, self.referent, self.tovholder):
            combo.currentIndexChanged.connect(self._roles_changed)

    def _roles_changed(self, _index: int = 0) -> None:
        self._show_same_person()
        self.changed.emit()

    def _show_same_person(self) -> None:
        leader = self.leader.key()
        self.same_person.setVisible(leader is not None and leader == self.referent.key())

    def set_people(self, people: Sequence[Participant]) -> None:
        for combo in (self.leader, self.referent, self.tovholder):
            combo.set_people(people)
        self._show_same_person()

    def first_focus(self) -> QWidget:
        return self.leader


class FollowUpEditor(QWidget):
    """Opfølgning (C5): is a follow-up meeting needed, when, and who calls it."""

    changed = Signal()

    def __init__(self, default_when: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needed = QComboBox()
        self.needed.addItem("Ikke besluttet endnu", None)
        self.needed.addItem("Ja – der holdes et opfølgningsmøde", True)
        self.needed.addItem("Nej – der er ikke brug for et opfølgningsmøde", False)
        self.when = TabDateField(default_when)
        self.caller = PeopleCombo()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(buddy_label("&Opfølgningsmøde:", self.needed), self.needed)
        form.addRow(buddy_label("H&vornår:", self.when), self.when)
        form.addRow(buddy_label("Hvem &indkalder:", self.caller), self.caller)
        form.addRow("", text_label("Når mødet afsluttes, oprettes opfølgningsmødet som et planlagt møde.", MUTED))
        self.needed.currentIndexChanged.connect(self._needed_changed)
        self.when.dateChanged.connect(lambda _d: self.changed.emit())
        self.caller.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._needed_changed(emit=False)

    def _needed_changed(self, _index: int = 0, *, emit: bool = True) -> None:
        on = self.needed.currentData() is True
        self.when.setEnabled(on)
        self.caller.setEnabled(on)
        if emit:
            self.changed.emit()

    def value(self) -> FollowUp:
        needed = self.needed.currentData()
        if needed is not True:
            return FollowUp(needed=needed)
        return FollowUp(needed=True, when=self.when.value(), caller_key=self.caller.key())

    def set_value(self, f: FollowUp) -> None:
        for w in (self.needed, self.when, self.caller):
            w.blockSignals(True)
        self.needed.setCurrentIndex(max(0, self.needed.findData(f.needed)) if f.needed is not None else 0)
        if f.when is not None:
            self.when.set_value(f.when)
        self.caller.set_key(f.caller_key)
        self._needed_changed(emit=False)
        for w in (self.needed, self.when, self.caller):
            w.blockSignals(False)

    def first_focus(self) -> QWidget:
        return self.needed
