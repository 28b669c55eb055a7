"""Who called the meeting and whether the agenda was prepared with the patient: asked when the meeting is scheduled
(``meeting_schedule_dialog``) and correctable in the live meeting (``InvitationEditor``, above the agenda).

The agreement: the party that has the need calls the meeting (C2–C4), and the agenda is written beforehand together
with the patient (C5). Both are printed on the referat; "Ikke oplyst" where nothing is recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QWidget

from coordinator_app.domain.meetings import Inviter
from coordinator_app.ui.common.style import buddy_label

#: The answers for the agenda's preparation with the patient (None: not recorded, as for older meetings).
AGENDA_CHOICES: tuple[tuple[str, bool | None], ...] = (
    ("Ikke oplyst", None),
    ("Ja – dagsordenen er forberedt sammen med patienten", True),
    ("Nej – dagsordenen er ikke forberedt med patienten", False),
)
NAME_HINT = "Navn på den, der indkaldte"
ORGANISATION_HINT = "Organisation eller rolle, fx afsnittet, kommunen, pårørende"


def agenda_combo() -> QComboBox:
    combo = QComboBox()
    for label, value in AGENDA_CHOICES:
        combo.addItem(label, value)
    combo.setAccessibleName("Dagsorden forberedt med patienten")
    return combo


def set_agenda(combo: QComboBox, value: bool | None) -> None:
    combo.setCurrentIndex(next(i for i, (_, v) in enumerate(AGENDA_CHOICES) if v is value))


class InviterFields(QWidget):
    """The inviter's name and organisation/role side by side (one line each, as the service stores them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText(NAME_HINT)
        self.name.setAccessibleName("Indkaldt af: navn")
        self.name.setMaxLength(200)
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText(ORGANISATION_HINT)
        self.organisation.setAccessibleName("Indkaldt af: organisation eller rolle")
        self.organisation.setMaxLength(200)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.name, 2)
        row.addWidget(self.organisation, 3)

    def value(self) -> Inviter:
        return Inviter(self.name.text().strip(), self.organisation.text().strip())

    def set_value(self, inviter: Inviter) -> None:
        self.name.setText(inviter.name)
        self.organisation.setText(inviter.organisation)


class InvitationEditor(QWidget):
    """The live meeting's «Indkaldt af» and «Dagsorden forberedt med patienten»; ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inviter = InviterFields()
        self.agenda = agenda_combo()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(buddy_label("Indkaldt a&f:", self.inviter.name), self.inviter)  # Alt+D, Alt+M: the menu's
        form.addRow(buddy_label("Dagsorden forberedt med &patienten:", self.agenda), self.agenda)
        self.inviter.name.textChanged.connect(lambda _t: self.changed.emit())
        self.inviter.organisation.textChanged.connect(lambda _t: self.changed.emit())
        self.agenda.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> tuple[Inviter, bool | None]:
        return self.inviter.value(), self.agenda.currentData()

    def set_value(self, inviter: Inviter, agenda_with_patient: bool | None) -> None:
        widgets = (self.inviter.name, self.inviter.organisation, self.agenda)
        for w in widgets:
            w.blockSignals(True)
        self.inviter.set_value(inviter)
        set_agenda(self.agenda, agenda_with_patient)
        for w in widgets:
            w.blockSignals(False)

    def set_read_only(self) -> None:
        for w in (self.inviter.name, self.inviter.organisation):
            w.setReadOnly(True)
        self.agenda.setEnabled(False)
