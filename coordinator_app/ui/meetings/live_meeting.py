"""Live meeting mode (C1, C5–C7): a focused, large, keyboard-first editor for the running netværksmøde.

Left the template version's sections (✓ filled, ⚠ a reminder applies), right the section being written.
Every change is saved automatically (``MeetingService.save_content``): a 300 ms debounce, and never later
than ``MAX_DELAY_MS`` after the first unsaved change, so an edit is durable within a second. The reminders
(``meetings.check_meeting``) are shown as you type; they help and never block. "Afslut møde" turns the
agreements into tasks and schedules a needed follow-up meeting (``MeetingService.close``).

Keyboard: Ctrl+PgDown / Ctrl+Tab next section, Ctrl+PgUp / Ctrl+Shift+Tab previous, Ctrl+Shift+P (or Alt+D)
add participant, Ctrl+Shift+A add agreement, F8 next reminder, Ctrl+S save now, Ctrl+Enter end the meeting.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import AccessDeniedError, ConflictError, KoordinatorError
from coordinator_app.domain.meetings import (
    OCCASION_LABELS,
    AgreementItem,
    AgreementStatus,
    FollowUp,
    Meeting,
    MeetingContent,
    MeetingStatus,
    MeetingWarning,
    Participant,
    SectionKind,
    TemplateSection,
    check_meeting,
    default_agreement_deadline,
)
from coordinator_app.domain.model import SECTOR_LABELS
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.services.meetings import CloseResult, MeetingService
from coordinator_app.ui.common.style import INFO_STYLE, MUTED, OK_STYLE, WARNING_STYLE, buddy_label, text_label
from coordinator_app.ui.common.widgets import DateField
from coordinator_app.ui.meetings.meeting_schedule_dialog import FORM_LABELS

log = logging.getLogger("koordinator.ui.meeting")
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DEBOUNCE_MS = 300
#: The latest a change waits before it is saved; the save itself takes a few ms, so it is durable within 1 s.
MAX_DELAY_MS = 800
FONT_SCALE = 1.25
FOLLOW_UP_WORKING_DAYS = 10
NOBODY = "(ikke valgt)"
STATUS_LABELS = {AgreementStatus.AABEN: "Åben", AgreementStatus.UDFOERT: "Udført"}


def _clock(moment: datetime | None) -> str:
    moment = moment or datetime.now(COPENHAGEN)
    return f"{moment.astimezone(COPENHAGEN):%H:%M:%S}"


def personlabel(p: Participant) -> str:
    return f"{p.name} ({p.organisation})" if p.organisation else p.name


def _table(headers: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the fields below it
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class TabDateField(DateField):
    """A date where Tab leaves the field (one Tab per control while the meeting runs); within the date,
    type the digits (the sections advance by themselves) or use the arrow keys."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class PeopleCombo(QComboBox):
    """A participant chosen by key among the meeting's participants; type a letter to jump to a name."""

    def __init__(self, empty: str = NOBODY, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty = empty
        self.addItem(empty, None)

    def set_people(self, people: Sequence[Participant]) -> None:
        keep = self.key()
        self.blockSignals(True)
        self.clear()
        self.addItem(self._empty, None)
        for p in people:
            self.addItem(personlabel(p), p.key)
        self.set_key(keep)
        self.blockSignals(False)

    def key(self) -> str | None:
        return self.currentData()

    def set_key(self, key: str | None) -> None:
        index = self.findData(key) if key is not None else 0
        self.setCurrentIndex(max(0, index))


# -- section editors --------------------------------------------------------------------------------------------
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

        self.table = _table(
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


class RolesEditor(QWidget):
    """Roller (C6): mødeleder, referent and tovholder among the participants."""

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
        form.addRow(
            "",
            text_label(
                "Mødeleder og referent bør ikke være samme person. Referenten skal være sundhedsfaglig, hvis "
                "referatet handler om behandling eller medicin (C6).",
                MUTED,
            ),
        )
        for combo in (self.leader, self.referent, self.tovholder):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def set_people(self, people: Sequence[Participant]) -> None:
        for combo in (self.leader, self.referent, self.tovholder):
            combo.set_people(people)

    def first_focus(self) -> QWidget:
        return self.leader


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
        self.table = _table(["Nr.", "Hvad er aftalt", "Ansvarlig", "Frist", "Status"], 1)
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


# -- the window -----------------------------------------------------------------------------------------------
def keep_mine_as_note(mine: MeetingContent, theirs: MeetingContent, stamp: str) -> MeetingContent:
    """After a conflict: the saved version wins, and nothing typed here is lost — changed texts are added as a
    note under the saved text, new participants and agreements are added, empty choices filled in."""
    texts = dict(theirs.texts)
    for key, text in mine.texts.items():
        saved = texts.get(key, "")
        if not text.strip() or text.strip() == saved.strip() or text.strip() in saved:
            continue
        texts[key] = (
            f"{saved.rstrip()}\n\n[Note – min tekst, ikke gemt pga. samtidig ændring kl. {stamp}]\n{text}"
            if saved.strip()
            else text
        )
    known_people = {p.key for p in theirs.participants}
    known_agreements = {a.key for a in theirs.agreements}
    return MeetingContent(
        texts=texts,
        participants=theirs.participants + tuple(p for p in mine.participants if p.key not in known_people),
        leader_key=theirs.leader_key or mine.leader_key,
        referent_key=theirs.referent_key or mine.referent_key,
        tovholder_key=theirs.tovholder_key or mine.tovholder_key,
        agreements=theirs.agreements + tuple(a for a in mine.agreements if a.key not in known_agreements),
        follow_up=theirs.follow_up if theirs.follow_up.needed is not None else mine.follow_up,
    )


#: Shown when the role may not hold meetings (læseadgang): the meeting is only read.
VIEW_ONLY = "Din rolle må ikke holde netværksmøder, så mødet vises kun; intet kan ændres her."


class LiveMeetingWindow(QMainWindow):
    meeting_closed = Signal(object)  # CloseResult

    def __init__(
        self,
        service: MeetingService,
        meeting_id: int,
        *,
        today: date,
        calendar: WorkCalendar | None = None,
        patient_label: str = "",
        may_run: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """``may_run``: the signed-in role may hold meetings (``Permission.RUN_MEETING``). Without it the meeting
        opens read-only and a planned one is not started (issue 8); the service refuses the writes anyway."""
        super().__init__(parent)
        self._service = service
        self._meeting_id = meeting_id
        self._today = today
        self._calendar = calendar or WorkCalendar()
        self._loading = False
        self._first_unsaved: float | None = None
        self._dirty = False
        self._in_conflict = False
        self._warning_index = 0
        self._pending: QMessageBox | None = None
        self.save_times_ms: list[float] = []
        self.close_result: CloseResult | None = None

        meeting = service.get(meeting_id)
        self.recovered_at: datetime | None = None
        #: Why the meeting is shown without editing although it is not closed (a role that may not hold it).
        self.denied: str | None = None if may_run else VIEW_ONLY
        if self.denied is None and meeting.status is MeetingStatus.I_GANG:
            self.recovered_at = meeting.updated_at or datetime.now(COPENHAGEN)
        elif self.denied is None and meeting.status is MeetingStatus.PLANLAGT:
            try:
                meeting = service.start(meeting_id)
            except AccessDeniedError as exc:  # the role may not hold meetings: show it, change nothing
                self.denied = f"{exc.message} Mødet vises kun; intet kan ændres her."
        self._meeting: Meeting = meeting
        self._version = meeting.version or 0
        self.read_only = meeting.status is MeetingStatus.AFSLUTTET or self.denied is not None
        try:
            known = service.known_participants(meeting.patient_id)
        except KoordinatorError:
            known = []

        self.setWindowTitle(f"Netværksmøde {meeting.reference}" + (f" – {patient_label}" if patient_label else ""))
        font = self.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * FONT_SCALE)
        else:
            font.setPixelSize(round(font.pixelSize() * FONT_SCALE))
        self.setFont(font)

        # -- header, notices, reminders -------------------------------------------------------------------
        self.header = text_label(self._header_text(patient_label))
        head_font = QFont(self.font())
        head_font.setBold(True)
        self.header.setFont(head_font)
        self.recovered_label = text_label(style=INFO_STYLE)
        self.recovered_label.setAccessibleName("Genskabt")
        if self.recovered_at is not None:
            self.recovered_label.setText(
                f"ℹ Mødet er genskabt fra seneste automatiske gem ({_clock(self.recovered_at)}). Fortsæt, hvor du slap."
            )
        elif self.denied is not None:
            self.recovered_label.setText(f"ℹ {self.denied}")
        elif self.read_only:
            closed = meeting.closed_at
            self.recovered_label.setText(
                "Mødet er afsluttet"
                + (f" {closed.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}" if closed else "")
                + " og kan ikke længere ændres."
            )
        self.recovered_label.setVisible(self.recovered_at is not None or self.read_only)
        self.warnings_label = text_label(style=WARNING_STYLE)
        self.warnings_label.setAccessibleName("Påmindelser")

        # -- navigator and section pages ---------------------------------------------------------------------
        self.sections: tuple[TemplateSection, ...] = meeting.template.sections
        self.nav = QListWidget()
        self.nav.setAccessibleName("Afsnit")
        self.nav.setMinimumWidth(260)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        self.text_edits: dict[str, QPlainTextEdit] = {}
        self.participants_editor = ParticipantsEditor(known)
        self.roles_editor = RolesEditor()
        self.agreements_editor = AgreementsEditor(default_agreement_deadline(today, self._calendar))
        self.follow_up_editor = FollowUpEditor(
            default_agreement_deadline(today, self._calendar, FOLLOW_UP_WORKING_DAYS)
        )
        self._section_index: dict[str, int] = {}
        self._focus_of: list[QWidget] = []
        used: set[SectionKind] = set()
        for index, section in enumerate(self.sections):
            self.nav.addItem(QListWidgetItem(section.title))
            self._section_index[section.key] = index
            page, focus = self._build_page(section, used)
            self.stack.addWidget(page)
            self._focus_of.append(focus)
        self.nav.currentRowChanged.connect(self._section_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.header)
        layout.addWidget(self.recovered_label)
        layout.addWidget(self.warnings_label)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        # -- status bar: autosave and the keys --------------------------------------------------------------
        self.save_label = QLabel()
        self.save_label.setAccessibleName("Autogem")
        self.statusBar().addWidget(self.save_label)
        self.keys_label = QLabel(
            "Ctrl+PgDn/PgUp afsnit · Ctrl+Shift+P deltager · Ctrl+Shift+A aftale · F8 påmindelse · Ctrl+Enter afslut"
        )
        self.keys_label.setStyleSheet(MUTED)
        self.statusBar().addPermanentWidget(self.keys_label)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.timeout.connect(self.save_now)

        self._build_actions()
        self._load(meeting.content, prefill=not self.read_only)
        for editor in (self.participants_editor, self.roles_editor, self.agreements_editor, self.follow_up_editor):
            editor.changed.connect(self._changed)
        self.participants_editor.changed.connect(self._people_changed)
        if self.read_only:
            self._set_read_only()
        if self.recovered_at is not None:
            self.save_label.setText(f"Genskabt – senest gemt kl. {_clock(self.recovered_at)}")
        elif not self.read_only:
            self.save_label.setText(f"Mødet er startet – gemmes automatisk (kl. {_clock(None)})")
        self._apply_font_to_styled_labels()
        self.resize(1280, 820)
        self.go_to(0)

    # -- building ------------------------------------------------------------------------------------------
    def _apply_font_to_styled_labels(self) -> None:
        """A label given a style sheet before it had a parent keeps the application's font; give it the
        meeting's larger font (the whole window is read at ~1.25× on a shared screen)."""
        for label in self.findChildren(QLabel):
            if label.styleSheet() and label is not self.header:
                font = QFont(self.font())
                font.setBold(label.font().bold())
                label.setFont(font)

    def _header_text(self, patient_label: str) -> str:
        m = self._meeting
        parts = [f"Netværksmøde {m.reference}", OCCASION_LABELS.get(m.occasion, str(m.occasion))]
        if patient_label:
            parts.insert(1, patient_label)
        if m.planned_at is not None:
            parts.append(f"{m.planned_at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}")
        form = FORM_LABELS.get(m.form, str(m.form))
        parts.append(f"{form}{': ' + m.place if m.place else ''}")
        parts.append(f"skabelon version {m.template.version}")
        return " · ".join(parts)

    def _build_page(self, section: TemplateSection, used: set[SectionKind]) -> tuple[QWidget, QWidget]:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(section.title)
        font = QFont(self.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        layout.addWidget(title)
        guidance = section.guidance
        if section.health_professional_only and "C6" not in guidance:
            guidance += " Skrives af en sundhedsfaglig deltager (C6)."
        if guidance:
            layout.addWidget(text_label(guidance, MUTED))
        kind = section.kind
        editor: QWidget
        if kind in (SectionKind.AGENDA, SectionKind.TEXT) or kind in used:
            if kind not in (SectionKind.AGENDA, SectionKind.TEXT):
                layout.addWidget(
                    text_label("Dette afsnit findes allerede i skabelonen; skriv eventuelle noter her.", MUTED)
                )
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(section.title)
            edit.textChanged.connect(self._changed)
            self.text_edits[section.key] = edit
            editor = edit
            focus: QWidget = edit
        else:
            used.add(kind)
            editor = {
                SectionKind.PARTICIPANTS: self.participants_editor,
                SectionKind.ROLES: self.roles_editor,
                SectionKind.AGREEMENTS: self.agreements_editor,
                SectionKind.FOLLOW_UP: self.follow_up_editor,
            }[kind]
            focus = editor
        layout.addWidget(editor, 1)
        return page, focus

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Møde")

        def action(text: str, keys: Sequence[str], slot: object, *, edit: bool = False) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            menu.addAction(act)
            if edit:
                self._edit_actions.append(act)
            return act

        self._edit_actions: list[QAction] = []
        self.act_next = action("&Næste afsnit", ["Ctrl+PgDown", "Ctrl+Tab"], lambda: self.step(1))
        self.act_prev = action(
            "&Forrige afsnit", ["Ctrl+PgUp", "Ctrl+Shift+Tab", "Ctrl+Shift+Backtab"], lambda: self.step(-1)
        )
        menu.addSeparator()
        self.act_participant = action("Tilføj &deltager", ["Ctrl+Shift+P"], self.add_participant, edit=True)
        self.act_agreement = action("Tilføj &aftale", ["Ctrl+Shift+A"], self.add_agreement, edit=True)
        self.act_warning = action("Gå til næste &påmindelse", ["F8"], self.next_warning)
        menu.addSeparator()
        self.act_save = action("&Gem nu", ["Ctrl+S"], self.save_now, edit=True)
        self.act_close_meeting = action(
            "Af&slut møde…", ["Ctrl+Return", "Ctrl+Enter"], self.request_close_meeting, edit=True
        )
        self.act_close_window = action("&Luk vinduet", ["Ctrl+W"], self.close)

    # -- navigation ----------------------------------------------------------------------------------------
    def go_to(self, index: int, *, focus: bool = True) -> None:
        if not 0 <= index < len(self.sections):
            return
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        else:
            self._section_changed(index)
        if focus:
            target = self._focus_of[index]
            first = getattr(target, "first_focus", None)
            if callable(first):
                target = first()
            if isinstance(target, QPlainTextEdit):  # continue writing where the text ends
                target.moveCursor(QTextCursor.MoveOperation.End)
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step(self, delta: int) -> None:
        self.go_to((self.nav.currentRow() + delta) % len(self.sections))

    def _section_changed(self, index: int) -> None:
        if 0 <= index < self.stack.count():
            self.stack.setCurrentIndex(index)

    def current_section(self) -> TemplateSection:
        return self.sections[self.nav.currentRow()]

    def _index_of_kind(self, kind: SectionKind) -> int | None:
        return next((i for i, s in enumerate(self.sections) if s.kind is kind), None)

    def add_participant(self) -> None:
        index = self._index_of_kind(SectionKind.PARTICIPANTS)
        if index is None or self.read_only:
            return
        self.go_to(index, focus=False)
        if self.participants_editor.picker.currentText().strip():
            self.participants_editor.add_from_picker()
        else:
            self.participants_editor.focus_picker()

    def add_agreement(self) -> None:
        index = self._index_of_kind(SectionKind.AGREEMENTS)
        if index is None or self.read_only:
            return
        self.go_to(index, focus=False)
        self.agreements_editor.add()

    def next_warning(self) -> None:
        warnings = [w for w in self.warnings() if w.section in self._section_index]
        if not warnings:
            return
        self._warning_index %= len(warnings)
        self.go_to(self._section_index[warnings[self._warning_index].section or ""])
        self._warning_index += 1

    # -- content -------------------------------------------------------------------------------------------
    def _load(self, content: MeetingContent, *, prefill: bool) -> None:
        self._loading = True
        try:
            for section in self.sections:
                edit = self.text_edits.get(section.key)
                if edit is None:
                    continue
                text = content.texts.get(section.key, "")
                if not text.strip() and prefill and section.default_items:
                    text = "".join(f"- {item}\n" for item in section.default_items)
                edit.setPlainText(text)
            self.participants_editor.set_people(content.participants)
            self._distribute_people(content.participants)
            self.roles_editor.leader.set_key(content.leader_key)
            self.roles_editor.referent.set_key(content.referent_key)
            self.roles_editor.tovholder.set_key(content.tovholder_key)
            self.agreements_editor.set_items(content.agreements)
            self.follow_up_editor.set_value(content.follow_up)
        finally:
            self._loading = False
        self._update_checks()

    def _distribute_people(self, people: Sequence[Participant]) -> None:
        for editor in (self.roles_editor, self.agreements_editor):
            editor.set_people(people)
        self.follow_up_editor.caller.set_people(people)

    def _people_changed(self) -> None:
        self._distribute_people(self.participants_editor.people())

    def content(self) -> MeetingContent:
        roles = self.roles_editor
        return MeetingContent(
            texts={key: edit.toPlainText() for key, edit in self.text_edits.items()},
            participants=tuple(self.participants_editor.people()),
            leader_key=roles.leader.key(),
            referent_key=roles.referent.key(),
            tovholder_key=roles.tovholder.key(),
            agreements=tuple(self.agreements_editor.items()),
            follow_up=self.follow_up_editor.value(),
        )

    def warnings(self) -> list[MeetingWarning]:
        return check_meeting(dataclasses.replace(self._meeting, content=self.content()))

    def _filled(self, section: TemplateSection, c: MeetingContent) -> bool:
        if section.key in self.text_edits:
            return bool(c.texts.get(section.key, "").strip())
        return {
            SectionKind.PARTICIPANTS: bool(c.participants),
            SectionKind.ROLES: c.leader_key is not None and c.referent_key is not None,
            SectionKind.AGREEMENTS: any(a.what.strip() for a in c.agreements),
            SectionKind.FOLLOW_UP: c.follow_up.needed is not None,
        }.get(section.kind, False)

    def _update_checks(self) -> None:
        content = self.content()
        warnings = check_meeting(dataclasses.replace(self._meeting, content=content))
        flagged = {w.section for w in warnings}
        for index, section in enumerate(self.sections):
            mark = "⚠" if section.key in flagged else "✓" if self._filled(section, content) else "○"
            required = " *" if section.required else ""
            text = f"{mark}  {section.title}{required}"
            item = self.nav.item(index)
            if item.text() != text:
                item.setText(text)
                item.setToolTip("; ".join(w.text for w in warnings if w.section == section.key))
        if self.read_only:
            self.warnings_label.hide()
            return
        if not warnings:
            self.warnings_label.setStyleSheet(OK_STYLE)
            self.warnings_label.setText("✓ Ingen påmindelser – skabelonen er udfyldt.")
            return
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        shown = warnings[:4]
        lines = [f"⚠ {w.text} ({w.rule})" for w in shown]
        more = len(warnings) - len(shown)
        tail = f"… og {more} til. " if more else ""
        lines.append(f"{tail}Påmindelserne hjælper – de forhindrer ikke at gemme eller afslutte. F8: gå til næste.")
        self.warnings_label.setText("\n".join(lines))

    # -- autosave ------------------------------------------------------------------------------------------
    def _changed(self) -> None:
        if self._loading or self.read_only:
            return
        self._dirty = True
        now = time.monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        if not self._in_conflict:
            waited_ms = (now - self._first_unsaved) * 1000
            self._save_timer.start(int(max(0.0, min(DEBOUNCE_MS, MAX_DELAY_MS - waited_ms))))
            self.save_label.setText("Gemmer…")
        self._update_checks()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save_now(self) -> bool:
        """Save if anything changed; True when everything typed is durable."""
        self._save_timer.stop()
        if not self._dirty or self.read_only:
            return True
        if self._in_conflict:
            return False
        content = self.content()
        started = time.perf_counter()
        try:
            saved = self._service.save_content(self._meeting_id, content, expected_version=self._version)
        except ConflictError:
            self._conflict(content)
            return False
        except KoordinatorError as exc:
            self.save_label.setText(f"⚠ Ikke gemt: {exc.message} Prøver igen om lidt …")
            self.save_label.setStyleSheet("color: #8a1010; font-weight: bold;")
            self._save_timer.start(2000)
            return False
        elapsed = (time.perf_counter() - started) * 1000
        self.save_times_ms.append(elapsed)
        log.debug("Autogem af møde %s: %.1f ms", self._meeting_id, elapsed)
        self._meeting = saved
        self._version = saved.version or self._version + 1
        self._dirty = False
        self._first_unsaved = None
        self.save_label.setStyleSheet("")
        self.save_label.setText(f"Gemt kl. {_clock(None)}")
        return True

    def _conflict(self, mine: MeetingContent) -> None:
        self._in_conflict = True
        self.save_label.setText("⚠ Ikke gemt: mødet er ændret et andet sted")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Mødet er ændret et andet sted",
            "Mødet er gemt fra et andet vindue eller en anden computer, siden du sidst gemte. Dine seneste "
            "ændringer er ikke gemt endnu.\n\n"
            "• Behold min tekst som note: den gemte version hentes, og det, du har skrevet, sættes ind som note "
            "under den – intet går tabt.\n"
            "• Hent den gemte version: dine ændringer siden sidste gem kasseres.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        keep = box.addButton("&Behold min tekst som note", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("&Hent den gemte version", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        # Only an explicit «Hent den gemte version» drops the typed text; closing the question keeps it.
        box.finished.connect(lambda _r: self._conflict_answered(box.clickedButton() is not discard, mine))
        self._pending = box
        box.open()

    def _conflict_answered(self, keep_mine: bool, mine: MeetingContent) -> None:
        self._pending = None
        self._in_conflict = False
        try:
            theirs = self._service.get(self._meeting_id)
        except KoordinatorError as exc:
            self.save_label.setText(f"⚠ {exc.message}")
            return
        self._meeting = theirs
        self._version = theirs.version or 0
        merged = keep_mine_as_note(self.content(), theirs.content, _clock(None)) if keep_mine else theirs.content
        del mine  # what is on screen now includes anything typed while the question was open
        self._load(merged, prefill=False)
        self._dirty = keep_mine
        self._first_unsaved = None
        if keep_mine:
            self.save_now()
        else:
            self.save_label.setText(f"Den gemte version er hentet (kl. {_clock(theirs.updated_at)})")

    # -- ending the meeting ----------------------------------------------------------------------------------
    def request_close_meeting(self) -> None:
        if self.read_only or self._pending is not None:
            return
        warnings = self.warnings()
        tasks = sum(1 for a in self.agreements_editor.items() if a.what.strip())
        text = (
            f"Afslut mødet?\n\n{tasks} aftale{'r' if tasks != 1 else ''} bliver til opgaver med ansvarlig og frist "
            "på indlæggelsens overblik"
        )
        if self.follow_up_editor.value().needed:
            text += ", og opfølgningsmødet oprettes som et planlagt møde"
        text += "."
        if warnings:
            text += f"\n\nDer er stadig {len(warnings)} påmindelse{'r' if len(warnings) != 1 else ''}:\n"
            text += "\n".join(f"• {w.text} ({w.rule})" for w in warnings[:6])
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Afslut møde",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&Afslut mødet")
        box.button(QMessageBox.StandardButton.No).setText("&Fortsæt mødet")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.finished.connect(
            lambda _r: self._close_answered(box.clickedButton() is box.button(QMessageBox.StandardButton.Yes))
        )
        self._pending = box
        box.open()

    def _close_answered(self, yes: bool) -> None:
        self._pending = None
        if yes:
            self.close_meeting()

    def close_meeting(self) -> CloseResult | None:
        if not self.save_now():
            return None
        try:
            result = self._service.close(self._meeting_id, expected_version=self._version)
        except ConflictError:
            self._dirty = True
            self._conflict(self.content())
            return None
        except KoordinatorError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, "Afslut møde", exc.message, QMessageBox.StandardButton.Ok, self)
            self._pending = box
            box.finished.connect(lambda _r: setattr(self, "_pending", None))
            box.open()
            return None
        self.close_result = result
        self._meeting = result.meeting
        self.read_only = True
        self._set_read_only()
        self.save_label.setText(f"Mødet er afsluttet og gemt (kl. {_clock(None)})")
        self.meeting_closed.emit(result)
        self._show_summary(result)
        return result

    def _show_summary(self, result: CloseResult) -> None:
        lines = [f"Mødet {result.meeting.reference} er afsluttet."]
        if result.tasks:
            lines.append(f"\nOpgaver oprettet ({len(result.tasks)}):")
            for t in result.tasks:
                deadline = f"frist {t.deadline:%d-%m-%Y}" if t.deadline else "ingen frist"
                lines.append(f"• {t.what} – {t.owner or 'ingen ansvarlig'} – {deadline}")
        else:
            lines.append("\nDer er ingen aftaler, så der er ikke oprettet opgaver.")
        follow = result.follow_up
        if follow is not None:
            when = f" {follow.planned_at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}" if follow.planned_at else ""
            lines.append(f"\nOpfølgningsmøde {follow.reference} er planlagt{when}.")
        lines.append("\nReferatet kan udstedes fra fanen Møder.")
        box = QMessageBox(
            QMessageBox.Icon.Information, "Mødet er afsluttet", "\n".join(lines), QMessageBox.StandardButton.Ok, self
        )
        box.button(QMessageBox.StandardButton.Ok).setText("&Luk mødet")
        self._pending = box
        box.finished.connect(self._summary_done)
        box.open()

    def _summary_done(self, _result: int) -> None:
        self._pending = None
        self.close()

    def _set_read_only(self) -> None:
        for edit in self.text_edits.values():
            edit.setReadOnly(True)
        for editor in (self.participants_editor, self.roles_editor, self.agreements_editor, self.follow_up_editor):
            for child in editor.findChildren(QWidget):
                if isinstance(child, (QLineEdit, QComboBox, QPushButton, QCheckBox, DateField)):
                    child.setEnabled(False)
        for act in self._edit_actions:
            act.setEnabled(False)
        self.warnings_label.hide()
        self.keys_label.setText("Ctrl+PgDn/PgUp: næste/forrige afsnit · Ctrl+W: luk")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window saves first; if the save fails the window stays open so nothing is lost."""
        if not self.read_only and self._dirty and not self.save_now():
            event.ignore()
            return
        self._save_timer.stop()
        super().closeEvent(event)


def open_live_meeting(
    parent: QWidget | None,
    service: MeetingService,
    meeting_id: int,
    *,
    today: date,
    calendar: WorkCalendar | None = None,
    patient_label: str = "",
    may_run: bool = True,
) -> LiveMeetingWindow:
    """Start (or resume) the meeting and show its live window. A planned meeting is started; one already
    running (e.g. after a crash) is resumed with a notice. Pass ``ctx.calendar`` for the default deadlines, and
    ``may_run=ctx.may(Permission.RUN_MEETING)``: a role that may not hold meetings sees it read-only."""
    window = LiveMeetingWindow(
        service,
        meeting_id,
        today=today,
        calendar=calendar,
        patient_label=patient_label,
        may_run=may_run,
        parent=parent,
    )
    window.show()
    window.activateWindow()
    return window
