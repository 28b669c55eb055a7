"""Schedule a netværksmøde (C2–C4, C8): occasion, invitation date, the deadline it gives, time, form and place.

The deadline "senest <dato>" is shown live as the dates change (``meetings.meeting_deadline``, 5 arbejdsdage
after the invitation, the invitation day being day 0). A planned date past the deadline is allowed, but only
with a reason (the service refuses it without one, rule C2), and shows in red as "for sent".
Who called the meeting (default: the service's ``default_inviter`` – the signed-in user for the afsnit, the patient
for a meeting the patient or relatives called – following the occasion until the coordinator types something else)
and whether the agenda was prepared with the patient are recorded with it; both print on the referat.
After saving, "Gem invitation (.ics)…" writes an invitation that carries only the meeting reference.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.meetings import (
    OCCASION_LABELS,
    OCCASION_RULES,
    Inviter,
    Meeting,
    MeetingForm,
    Occasion,
    meeting_deadline,
)
from coordinator_app.domain.rules import DEFAULT_SETTINGS, RuleSettings
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.infra.files import write_atomically
from coordinator_app.infra.oserrors import describe
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.ui.common.safe_text import markup, plain_label, rich_label
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, OK_STYLE, buddy_label
from coordinator_app.ui.common.widgets import DateField
from coordinator_app.ui.meetings.invitation_editor import InviterFields, agenda_combo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
FORM_LABELS: dict[MeetingForm, str] = {
    MeetingForm.FYSISK: "Fysisk møde",
    MeetingForm.VIDEO: "Videomøde",
    MeetingForm.TELEFON: "Telefonmøde",
    MeetingForm.BLANDET: "Blandet (nogle fysisk, andre på video/telefon)",
}
PLACE_HINTS: dict[MeetingForm, str] = {
    MeetingForm.FYSISK: "Adresse og lokale, fx Afsnit 3, mødelokale 2",
    MeetingForm.VIDEO: "Link til videomødet",
    MeetingForm.TELEFON: "Telefonnummer, der ringes til",
    MeetingForm.BLANDET: "Lokale og link til dem, der deltager på video",
}
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
LATE_STYLE = "QLabel { color: #8a1010; font-weight: bold; }"


def danish_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d-%m-%Y}"


def _label(text: str = "", style: str = "") -> QLabel:
    label = plain_label(text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


class ScheduleDialog(QDialog):
    def __init__(
        self,
        service: MeetingService,
        *,
        patient_id: int,
        admission_id: int | None,
        today: date,
        now: datetime,
        calendar: WorkCalendar | None = None,
        occasion: Occasion = Occasion.UNDER_INDLAEGGELSE,
        follow_up_of: int | None = None,
        parent: QWidget | None = None,
        rules: RuleSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._patient_id = patient_id
        self._admission_id = admission_id
        self._follow_up_of = follow_up_of
        self._calendar = calendar or WorkCalendar()
        self._rules = rules or DEFAULT_SETTINGS  # the ward's units (dage/arbejdsdage), as the service counts
        self.meeting: Meeting | None = None
        self.setWindowTitle("Nyt netværksmøde")
        self.setMinimumWidth(760)

        self.occasion = QComboBox()
        for value, label in OCCASION_LABELS.items():
            self.occasion.addItem(label, value)
        self.occasion.setCurrentIndex(max(0, self.occasion.findData(occasion)))
        self.invited_on = DateField(today)
        self.deadline_label = rich_label()  # no word wrap: explicit lines keep the form from clipping them
        self.deadline_label.setAccessibleName("Frist for mødet")
        self.planned_date = DateField(self._default_planned(today, now))
        self.planned_time = QTimeEdit(QTime(10, 0))
        self.planned_time.setDisplayFormat("HH:mm")
        self.late_label = plain_label()
        self.late_label.setStyleSheet(LATE_STYLE)
        self.late_label.hide()
        when = QHBoxLayout()
        when.addWidget(self.planned_date, 2)
        kl = plain_label("kl.")
        when.addWidget(kl)
        when.addWidget(self.planned_time, 1)
        self.form = QComboBox()
        for form_value, form_label in FORM_LABELS.items():
            self.form.addItem(form_label, form_value)
        self.place = QLineEdit()
        self.inviter = InviterFields()
        self._default_inviter = Inviter()
        self.agenda = agenda_combo()
        self.late_reason = QPlainTextEdit()
        self.late_reason.setTabChangesFocus(True)
        self.late_reason.setFixedHeight(70)
        self.late_reason.setPlaceholderText("Hvorfor kan mødet ikke holdes inden fristen? (påkrævet, C2)")
        self.late_reason_label = buddy_label("&Begrundelse for senere møde:", self.late_reason)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(buddy_label("&Anledning:", self.occasion), self.occasion)
        form.addRow(buddy_label("&Indkaldt den:", self.invited_on), self.invited_on)
        form.addRow(buddy_label("In&dkaldt af:", self.inviter.name), self.inviter)
        form.addRow("Frist:", self.deadline_label)
        form.addRow(buddy_label("&Planlagt til:", self.planned_date), when)
        form.addRow("", self.late_label)
        form.addRow(self.late_reason_label, self.late_reason)
        form.addRow(buddy_label("&Form (C8):", self.form), self.form)
        self.place_label = buddy_label("&Sted eller link:", self.place)
        form.addRow(self.place_label, self.place)
        form.addRow(buddy_label("Dagsorden med pa&tienten:", self.agenda), self.agenda)
        self._form_layout = form

        form_hint = _label("Mødeformen aftales med patienten (C8).", MUTED)
        self.error_label = _label(style=ERROR_STYLE)
        self.error_label.setAccessibleName("Fejlbesked")
        self.error_label.hide()
        self.saved_label = _label(style=OK_STYLE)
        self.saved_label.hide()

        self.save_button = QPushButton("&Gem møde")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.ics_button = QPushButton("Gem in&vitation (.ics)…")
        self.ics_button.setEnabled(False)
        self.ics_button.setToolTip("Invitationen indeholder kun mødets reference – ingen navne eller CPR-numre.")
        self.ics_button.clicked.connect(self.save_ics)
        self.ics_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Annuller")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ics_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        title = rich_label("<b>Tværsektorielt netværksmøde</b>")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(form_hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.saved_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.occasion.currentIndexChanged.connect(self._update_deadline)
        self.occasion.currentIndexChanged.connect(self._update_inviter)
        self.invited_on.dateChanged.connect(self._update_deadline)
        self.planned_date.dateChanged.connect(self._update_deadline)
        self.form.currentIndexChanged.connect(self._update_place_hint)
        self._update_place_hint()
        self._update_deadline()
        self._update_inviter()
        self.occasion.setFocus()

    # -- live deadline ------------------------------------------------------------------------------------
    def _default_planned(self, today: date, now: datetime) -> date:
        """The next working day: a meeting needs the invitation to reach the participants first.
        (``now`` is kept for a later "earliest time" rule; the date alone decides today.)"""
        del now
        return self._calendar.add_working_days(today, 1)

    def deadline(self) -> date:
        return meeting_deadline(self.invited_on.value(), self.occasion.currentData(), self._calendar, self._rules)

    def rule_id(self) -> str:
        occasion: Occasion = self.occasion.currentData()
        return DEFAULT_SETTINGS.rule(OCCASION_RULES.get(occasion, "netvaerksmoede")).rule_id

    def is_late(self) -> bool:
        return self.planned_date.value() > self.deadline()

    def _update_deadline(self) -> None:
        deadline = self.deadline()
        self.deadline_label.setText(
            markup(
                "<b>senest {}</b> (5 arbejdsdage efter indkaldelsen, {})"
                "<br><span style='color: gray'>Kalender: {}</span>",
                danish_date(deadline),
                self.rule_id(),
                self._calendar.name,
            )
        )
        late = self.is_late()
        if late:
            over = self._calendar.working_days_between(deadline, self.planned_date.value())
            self.late_label.setText(
                f"⚠ {danish_date(self.planned_date.value())} er for sent: {over} arbejdsdag"
                f"{'e' if over != 1 else ''} efter fristen.\nSkriv en begrundelse for det senere møde."
            )
        self.late_label.setVisible(late)
        self.late_reason.setVisible(late)
        self.late_reason_label.setVisible(late)
        self.planned_date.setStyleSheet("QDateEdit { color: #8a1010; }" if late else "")

    def _update_inviter(self) -> None:
        """The default inviter follows the occasion (the ward, or the patient who called it) until the coordinator
        has typed someone else."""
        if self.inviter.value() not in (self._default_inviter, Inviter()):
            return
        try:
            self._default_inviter = self._service.default_inviter(
                self._patient_id, self._admission_id, self.occasion.currentData()
            )
        except KoordinatorError:  # the fields stay empty: the coordinator types who called the meeting
            self._default_inviter = Inviter()
        self.inviter.set_value(self._default_inviter)

    def _update_place_hint(self) -> None:
        self.place.setPlaceholderText(PLACE_HINTS[self.form.currentData()])

    # -- saving -------------------------------------------------------------------------------------------
    def planned_at(self) -> datetime:
        t = self.planned_time.time()
        return datetime.combine(self.planned_date.value(), time(t.hour(), t.minute()), tzinfo=COPENHAGEN)

    def collect(self) -> ScheduleInput:
        return ScheduleInput(
            patient_id=self._patient_id,
            admission_id=self._admission_id,
            occasion=self.occasion.currentData(),
            invited_on=self.invited_on.value(),
            planned_at=self.planned_at(),
            form=self.form.currentData(),
            place=self.place.text().strip(),
            late_reason=self.late_reason.toPlainText().strip() if self.is_late() else "",
            follow_up_of=self._follow_up_of,
            invited_by=self.inviter.value(),
            agenda_with_patient=self.agenda.currentData(),
        )

    def save(self) -> None:
        if self.meeting is not None:  # already saved: the button now closes
            self.accept()
            return
        if self.is_late() and not self.late_reason.toPlainText().strip():
            self._show_error(
                f"Mødet ligger efter fristen ({self.deadline():%d-%m-%Y}). Skriv en begrundelse for det senere "
                f"møde, eller vælg en dato inden fristen ({self.rule_id()}).",
                self.late_reason,
            )
            return
        try:
            self.meeting = self._service.schedule(self.collect())
        except ValidationError as exc:
            focus = {
                "late_reason": self.late_reason,
                "planned_at": self.planned_date,
                "place": self.place,
                "invited_by": self.inviter.name,
            }.get(exc.field or "")
            self._show_error(
                exc.message + (f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""), focus
            )
            return
        except KoordinatorError as exc:
            self._show_error(exc.message)
            return
        self.error_label.hide()
        for w in (
            self.occasion,
            self.invited_on,
            self.planned_date,
            self.planned_time,
            self.form,
            self.place,
            self.inviter,
            self.agenda,
            self.late_reason,
        ):
            w.setEnabled(False)
        self.saved_label.setText(
            f"✓ Mødet er gemt som {self.meeting.reference}. Gem invitationen og send den til deltagerne – "
            "den indeholder kun referencen, ikke patientens navn eller CPR-nummer."
        )
        self.saved_label.show()
        self.ics_button.setEnabled(True)
        self.save_button.setText("&Luk")
        self.cancel_button.hide()
        self.ics_button.setFocus()

    def save_ics(self) -> None:
        """Save the .ics invitation — plain, not encrypted, on purpose (issue 8): it goes by ordinary e-mail to
        every participant's calendar, which cannot open an encrypted file. It is kept free of patient data instead:
        ``MeetingService.ics`` writes only the reference (NM-åååå-nnnn), time, place and form, and refuses a place
        that names the patient, their CPR number or address."""
        if self.meeting is None or self.meeting.id is None:
            return
        try:
            content = self._service.ics(self.meeting.id)
        except KoordinatorError as exc:
            self._show_error(exc.message)
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, "Gem invitation", f"{self.meeting.reference}.ics", "Kalenderinvitation (*.ics)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".ics":
            path = path.with_suffix(".ics")
        try:
            write_atomically(path, content)  # all or nothing: never half an invitation
        except OSError as exc:
            self._show_error(f"Invitationen kunne ikke gemmes i {path} ({describe(exc)}). Vælg en anden mappe.")
            return
        self.error_label.hide()
        self.saved_label.setText(f"✓ Mødet er gemt som {self.meeting.reference}. Invitationen er gemt i {path}.")

    def _show_error(self, message: str, focus: QWidget | None = None) -> None:
        self.error_label.setText("⚠ " + message)
        self.error_label.show()
        if focus is not None:
            focus.setFocus()

    def reject(self) -> None:
        """After saving, closing the dialog any way keeps the meeting (``accept`` so callers refresh)."""
        if self.meeting is not None:
            self.accept()
        else:
            super().reject()


def open_schedule_dialog(
    parent: QWidget | None,
    service: MeetingService,
    *,
    patient_id: int,
    admission_id: int | None,
    today: date,
    now: datetime,
    calendar: WorkCalendar | None = None,
    occasion: Occasion = Occasion.UNDER_INDLAEGGELSE,
    rules: RuleSettings | None = None,
) -> ScheduleDialog:
    """Open the dialog window-modally and return it; ``dialog.meeting`` is set once the meeting is saved.

    Pass the ward's ``ctx.calendar`` so the live deadline uses the same calendar as the service."""
    dialog = ScheduleDialog(
        service,
        patient_id=patient_id,
        admission_id=admission_id,
        today=today,
        now=now,
        calendar=calendar,
        occasion=occasion,
        parent=parent,
        rules=rules,
    )
    dialog.open()
    return dialog
