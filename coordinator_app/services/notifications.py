"""Sending to the kommune (B1–B9): orientering, varsling, færdigmelding, i bero, genoptag, afmelding,
orientering om udskrivning — and udskrivning itself.

Each send is one transaction: the process and the current scenario assessment allow it (``domain.sending``: a
varsling or færdigmelding only on the B5 branch), the B5 facts are complete (a varsling's expected færdigbehandlet
date and who judged it; a færdigmelding's doctor and the day of the judgement, and a confirmation when it comes
before the expected day), consent or a legal basis covers it (F1, B8), the event is appended with its B5 record
(late varsling, the notice a færdigmelding gave the kommune), and the varslingsblanket is rendered and archived.
What the agreement discourages — a late varsling, a færdigmelding without (timely) varsling — is warned about
(``check``) and recorded, never refused. A mistaken send is undone by a *correction* event; the history keeps both.

A contact with the kommune the coordinator logs (a call, a meeting; B2/B3) is a NOTE with the milestone
``kommune_kontakt`` to the contact kommune (``NotificationInput.kommune_contact``), consent checked as for a send;
the deadline engine counts it as the contact the duty asks for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission, denial_message
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import EVENT_LABELS, Admission, Channel, Event, EventKind
from coordinator_app.domain.process import correction_refusal, effective_events, replay, replay_effective
from coordinator_app.domain.rules import Milestone
from coordinator_app.domain.scenarios import current_assessment, varsling_due
from coordinator_app.domain.sending import (
    RECORD,
    ExpectedDate,
    Notice,
    VarslingTiming,
    check_early,
    check_judgement,
    check_send,
    contact_refusal,
    current_expected,
    faerdigmelding_notice,
    send_refusals,
    varsling_timing,
)
from coordinator_app.domain.special_groups import contact_role, recipient_kommune
from coordinator_app.domain.workdays import local_date
from coordinator_app.services.admissions import Changes
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.discharge import without_plan_in
from coordinator_app.services.documents import (
    CONSENT_RECORD,
    FORM_FOR_EVENT,
    LAB6_ANSWERS,
    DocumentService,
    FormDetails,
    consent_basis_in,
    consent_record,
    recipient_role_for,
)
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    ConsentRepository,
    EventRepository,
    KommuneRepository,
    PatientRepository,
)

#: The actions offered on an admission, in menu order, with their Danish menu text.
ACTIONS: tuple[tuple[EventKind, str], ...] = (
    (EventKind.ORIENTERING_INDLAEGGELSE, "Send orientering…"),
    (EventKind.NOTE, "Registrér kontakt med kommunen…"),  # B2/B3: a note with the milestone kommune_kontakt
    (EventKind.VARSLING, "Send varsling…"),
    (EventKind.FAERDIGMELDING, "Send færdigmelding…"),
    (EventKind.I_BERO, "Sæt færdigmelding i bero…"),
    (EventKind.GENOPTAGET, "Genoptag færdigmelding…"),
    (EventKind.AFMELDING, "Afmeld færdigmelding…"),
    (EventKind.ORIENTERING_UDSKRIVNING, "Orientér om udskrivning…"),
    (EventKind.DISCHARGE, "Udskriv patienten…"),
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
SENDS_TO_KOMMUNE = frozenset(FORM_FOR_EVENT)


def permission_for(kind: EventKind) -> Permission:
    """Sending to the kommune is SEND_NOTIFICATION; recording the discharge (or another event) EDIT_ADMISSION."""
    return Permission.SEND_NOTIFICATION if kind in SENDS_TO_KOMMUNE else Permission.EDIT_ADMISSION


@dataclass(frozen=True)
class ActionState:
    kind: EventKind
    label: str
    reason: str | None  # None: allowed now; else the Danish reason it is not (disabled + tooltip)

    @property
    def allowed(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class NotificationInput:
    kind: EventKind
    channel: Channel = Channel.SIKKER_MAIL
    occurred_at: datetime | None = None  # None: now; else when it was actually sent (aware)
    note: str = ""
    legal_basis: str | None = None  # F1: when sent without consent (e.g. underretning)
    form: FormDetails = dataclasses.field(default_factory=FormDetails)
    issue_document: bool = True
    without_plan_reason: str = ""  # E1/E2: why a discharge goes ahead without the required plan (services.discharge)
    # B5, a varsling: the expected færdigbehandlet day and the doctor who judged it. None: the admission's current
    # date, and the doctor recorded for it (``NotificationDraft``); a new date or doctor is recorded as a new
    # judgement; "" is no doctor (refused).
    expected_faerdigbehandlet: date | None = None
    expected_judged_by: str | None = None
    # B5, a færdigmelding: the doctor who judged the patient færdigbehandlet, and when; and the coordinator's
    # confirmation of a færdigmelding before the expected færdigbehandlet day.
    judged_by: str = ""
    judged_on: date | None = None
    confirmed_early: bool = False
    # B2/B3, a NOTE: a contact with the kommune (a call, a meeting) the coordinator logs. Recorded with the milestone
    # kommune_kontakt to the contact kommune, consent checked (F1); it closes the duty to contact the kommune.
    kommune_contact: bool = False


@dataclass(frozen=True)
class Recipient:
    """The kommune a notification goes to, as the Send dialog shows it: its secure mailbox (the Kontaktbog's
    entrance, F3; ``""`` when unknown – the dialog warns, the form prints "Ikke oplyst")."""

    code: str | None
    name: str
    role: str
    secure_mail: str


@dataclass(frozen=True)
class NotificationDraft:
    """What the Send dialog starts from: for a varsling or færdigmelding (B5) the current expected færdigbehandlet
    day and who judged it, the latest varsling day, the round's varsling (``None``: none) and – for a færdigmelding –
    the varsling's form (indsats, need, planned steps) and channel to carry over. For every kind the form starts
    with the funktionsniveau and the LAB § 6 answer of the admission's previous notification, and the expected
    discharge day the admission has (its planned discharge)."""

    kind: EventKind
    expected: date | None
    expected_judged_by: str
    varsling_due: date | None
    varslet_on: date | None
    form: FormDetails
    channel: Channel | None


@dataclass(frozen=True)
class SendCheck:
    """What the dialog shows before sending (never a refusal): ``warnings`` (Danish; a late varsling, a
    færdigmelding without a timely varsling, with the days of notice), ``confirm``, the question to confirm
    before a færdigmelding ahead of the expected day (``None``: nothing to confirm), and a varsling's latest day."""

    warnings: tuple[str, ...] = ()
    confirm: str | None = None
    due: date | None = None  # a varsling's latest day for the expected date given (None: no date)


@dataclass(frozen=True)
class SendResult:
    event_id: int
    document_id: int | None
    changes: Changes


class NotificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._documents = DocumentService(ctx)
        self._audit = AuditService(ctx)

    def actions(self, admission_id: int) -> list[ActionState]:
        """Every action with whether the process and the scenario allow it now and, if not, why (a tooltip)."""
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            history = effective_events(EventRepository(session).for_admission(admission_id))
        try:
            reasons = send_refusals(replay_effective(admission, history), current_assessment(admission, history))
        except ProcessError as exc:
            return [ActionState(kind, label, exc.message) for kind, label in ACTIONS]
        denied = {  # the role's limits first: greyed out with the reason, as the process's are (issue 8)
            kind: denial_message(self._ctx.role, permission_for(kind))
            for kind, _label in ACTIONS
            if not self._ctx.may(permission_for(kind))
        }
        return [ActionState(kind, label, denied.get(kind) or reasons.get(kind)) for kind, label in ACTIONS]

    def send(self, admission_id: int, data: NotificationInput) -> SendResult:
        """Record the notification, check it against the process and consent, issue and archive the form."""
        require(self._ctx, permission_for(data.kind))
        now = self._ctx.clock.now()
        when = data.occurred_at or now
        if when.tzinfo is None:
            raise ValidationError("Tidspunktet mangler tidszone.", field="occurred_at")
        validation.check_moment(when, today=self._ctx.clock.today(), field="occurred_at", label="Tidspunktet")
        if when > now:
            raise ValidationError(
                "Tidspunktet ligger i fremtiden. Registrér det, når det er sendt.", field="occurred_at"
            )
        note = validation.optional_text(data.note, field="note", label="Notatet", max_length=5000) or ""
        validation.optional_text(data.legal_basis, field="legal_basis", label="Lovhjemlen", max_length=500)
        validation.check_texts(data.form, field="form", label="Blanketten", max_length=5000)
        if data.form.lab6 and data.form.lab6 not in LAB6_ANSWERS:
            raise ValidationError(
                "Vælg, om patienten har bedt om en udskrivningskoordinator: Ja, Nej eller Ikke spurgt (A3).",
                field="lab6",
            )
        with self._ctx.database.session() as session:
            admissions = AdmissionRepository(session)
            events = EventRepository(session)
            admission = admissions.get(admission_id)
            patient = PatientRepository(session).get(admission.patient_id)
            history = effective_events(events.for_admission(admission_id))
            day = local_date(when)
            check_send(replay_effective(admission, history), current_assessment(admission, history), data.kind, day)
            record = self._b5_record(admission, history, data, day)
            data_extra: dict[str, object] = {}
            recipient: str | None = None
            if data.kind in SENDS_TO_KOMMUNE:
                basis = consent_basis_in(session, patient.id or 0, data.legal_basis)
                role = recipient_role_for(admission, data.kind)
                recipient = recipient_kommune(admission, role)
                consents = ConsentRepository(session).for_patient(patient.id or 0)
                data_extra = {
                    "basis": basis,
                    "recipient_role": role,
                    "form": data.form.record(),
                    CONSENT_RECORD: consent_record(consents, data.legal_basis),
                }
            elif data.kind is EventKind.NOTE and data.kommune_contact:
                if (refusal := contact_refusal(replay_effective(admission, history))) is not None:
                    raise ProcessError(refusal, rule="B2/B3")
                if not note:
                    raise ValidationError(
                        "Skriv, hvad du talte med kommunen om – det er det, historikken viser om kontakten (B2/B3).",
                        field="note",
                    )
                basis = consent_basis_in(session, patient.id or 0, data.legal_basis)
                role = contact_role(admission)
                recipient = recipient_kommune(admission, role)
                data_extra = {
                    "milestone": Milestone.KOMMUNE_KONTAKT.value,
                    "kommune": recipient,
                    "basis": basis,
                    "recipient_role": role,
                }
            if isinstance(record, VarslingTiming):
                data_extra[RECORD] = record.record()
                admission = self._judge_expected(session, admission, history, record, when)
            elif isinstance(record, Notice):
                data_extra[RECORD] = record.record()
            if data.kind is EventKind.DISCHARGE:
                without = without_plan_in(session, admission, local_date(when), data.without_plan_reason)
                if without is not None:  # E1/E2: the answer is kept on the discharge event
                    data_extra.update(without.data)
                    note = "\n".join(text for text in (without.note, note) if text)
                admission = admissions.update(dataclasses.replace(admission, discharged=local_date(when)))
            event = events.append(
                Event(
                    id=None,
                    admission_id=admission_id,
                    kind=data.kind,
                    occurred_at=when,
                    recorded_by=self._ctx.user,
                    recipient_kommune=recipient,
                    channel=data.channel if data.kind in SENDS_TO_KOMMUNE or "milestone" in data_extra else None,
                    note=note,
                    data=data_extra,
                )
            )
            to = f" til kommune {recipient}" if recipient else ""
            self._audit.record_in(
                session,
                AuditAction.OPRET,
                f"{EVENT_LABELS[data.kind]} registreret{to} (hændelse {event.id})",
                patient_id=patient.id,
                admission_id=admission_id,
            )
            document_id = None
            if data.issue_document and data.kind in FORM_FOR_EVENT:
                form = dataclasses.replace(data.form, consent_basis=str(data_extra["basis"]))
                document = self._documents.issue_in(session, admission, patient, event, form)
                document_id = document.id
        assert event.id is not None
        return SendResult(event.id, document_id, Changes(admission_id=admission_id, patient_id=patient.id))

    # -- B5: what a varsling and a færdigmelding carry --------------------------------------------------------------
    def draft(self, admission_id: int, kind: EventKind) -> NotificationDraft:
        """What the Send dialog for ``kind`` starts from (see ``NotificationDraft``)."""
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            history = effective_events(EventRepository(session).for_admission(admission_id))
        expected = current_expected(admission, history)
        notice = faerdigmelding_notice(admission, history, self._ctx.clock.today(), self._ctx.calendar, self._ctx.rules)
        form, channel = FormDetails(), None
        if kind is EventKind.FAERDIGMELDING and (varsling := self._round_varsling(history)) is not None:
            stored = varsling.data.get("form") if varsling.data else None
            form = FormDetails.from_record(stored, leave_out=frozenset({"consent_basis", "free_text"}))
            channel = varsling.channel
        previous = next((e for e in reversed(history) if e.kind in FORM_FOR_EVENT and e.data.get("form")), None)
        if previous is not None:  # what the kommune was last told of the patient's functioning and LAB § 6
            before = FormDetails.from_record(previous.data.get("form"))
            form = dataclasses.replace(form, funktionsniveau=before.funktionsniveau, lab6=before.lab6)
        if admission.discharged is None:
            form = dataclasses.replace(form, expected_discharge=admission.planned_discharge)
        return NotificationDraft(
            kind=kind,
            expected=expected.day,
            expected_judged_by=expected.judged_by,
            varsling_due=notice.varsling_due,
            varslet_on=notice.varslet_on,
            form=form,
            channel=channel,
        )

    def recipient(self, admission_id: int, kind: EventKind) -> Recipient:
        """Who a notification of ``kind`` goes to and the kommune's secure mailbox as the Kontaktbog has it now
        (asked again when the Kontaktbog closes)."""
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            role = recipient_role_for(admission, kind)
            code = recipient_kommune(admission, role)
            kommune = KommuneRepository(session).get(code) if code else None
        if kommune is None:
            return Recipient(code, "(ikke registreret)", role, "")
        return Recipient(kommune.code, kommune.name, role, kommune.secure_mail or "")

    def check(self, admission_id: int, data: NotificationInput) -> SendCheck:
        """The warnings and the question to confirm for ``data`` as it stands in the dialog (nothing is written;
        missing B5 facts are not reported here but refused by ``send``)."""
        when = data.occurred_at or self._ctx.clock.now()
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            history = effective_events(EventRepository(session).for_admission(admission_id))
        day = local_date(when)
        if data.kind is EventKind.VARSLING:
            expected = self._expected(admission, history, data)
            if expected.day is None:
                return SendCheck()
            due = varsling_due(expected.day, self._ctx.calendar, self._ctx.rules)
            assert due is not None
            warning = VarslingTiming(day, expected.day, due).warning()
            return SendCheck(warnings=(warning,) if warning else (), due=due)
        if data.kind is EventKind.FAERDIGMELDING:
            notice = faerdigmelding_notice(admission, history, day, self._ctx.calendar, self._ctx.rules)
            return SendCheck(warnings=notice.warnings(), confirm=notice.early_question())
        return SendCheck()

    def _b5_record(
        self, admission: Admission, history: list[Event], data: NotificationInput, day: date
    ) -> VarslingTiming | Notice | None:
        """The B5 facts of a varsling or færdigmelding on ``day``; ``ValidationError`` (B5) when one is missing."""
        if data.kind is EventKind.VARSLING:
            expected = self._expected(admission, history, data)
            validation.optional_text(
                expected.judged_by, field="expected_judged_by", label="Lægens navn", max_length=200, multiline=False
            )
            validation.check_admission_dates(admission.admitted, None, expected.day, today=self._ctx.clock.today())
            return varsling_timing(expected, day, self._ctx.calendar, self._ctx.rules)
        if data.kind is EventKind.FAERDIGMELDING:
            validation.optional_text(
                data.judged_by, field="judged_by", label="Lægens navn", max_length=200, multiline=False
            )
            check_judgement(data.judged_by, data.judged_on, day, admission.admitted)
            notice = faerdigmelding_notice(admission, history, day, self._ctx.calendar, self._ctx.rules)
            notice = dataclasses.replace(
                notice,
                judged_by=data.judged_by.strip(),
                judged_on=data.judged_on,
                confirmed_early=data.confirmed_early and notice.days_early > 0,
            )
            check_early(dataclasses.replace(notice, confirmed_early=data.confirmed_early))
            return notice
        return None

    @staticmethod
    def _expected(admission: Admission, history: list[Event], data: NotificationInput) -> ExpectedDate:
        """The varsling's expected date and doctor: as given, else the admission's current judgement (its doctor
        only for the same date – a new date needs the doctor who gave it)."""
        current = current_expected(admission, history)
        day = data.expected_faerdigbehandlet or current.day
        if data.expected_judged_by is not None:
            return ExpectedDate(day, data.expected_judged_by.strip())
        return ExpectedDate(day, current.judged_by if day == current.day else "")

    def _judge_expected(
        self, session: Session, admission: Admission, history: list[Event], timing: VarslingTiming, when: datetime
    ) -> Admission:
        """A varsling with a new expected date or doctor records the judgement first (EXPECTED_FAERDIGBEHANDLET, as
        the scenario wizard does) and keeps the admission's date in step; the admission as it is then."""
        current = current_expected(admission, history)
        if (current.day, current.judged_by) == (timing.expected, timing.judged_by):
            return admission
        EventRepository(session).append(
            Event(
                id=None,
                admission_id=admission.id or 0,
                kind=EventKind.EXPECTED_FAERDIGBEHANDLET,
                occurred_at=when,
                recorded_by=self._ctx.user,
                data={"date": timing.expected.isoformat(), "by": timing.judged_by},
                note=f"Vurderet af {timing.judged_by} (med varslingen)",
            )
        )
        if admission.expected_faerdigbehandlet == timing.expected:
            return admission
        return AdmissionRepository(session).update(
            dataclasses.replace(admission, expected_faerdigbehandlet=timing.expected)
        )

    @staticmethod
    def _round_varsling(history: list[Event]) -> Event | None:
        """The latest varsling since the last afmelding (B7), ``None`` when the round has none."""
        found: Event | None = None
        for event in history:
            if event.kind is EventKind.AFMELDING:
                found = None
            elif event.kind is EventKind.VARSLING:
                found = event
        return found

    def correct(self, event_id: int, reason: str) -> Changes:
        """Undo a mistaken event with a correction event (never a delete): the history keeps both. Correcting a
        sending needs SEND_NOTIFICATION, any other event EDIT_ADMISSION (checked once the event is read)."""
        why = validation.require_name(reason, field="reason", label="Begrundelsen for korrektionen")
        now = self._ctx.clock.now()
        with self._ctx.database.session() as session:
            events = EventRepository(session)
            target = events.get(event_id)
            history = events.for_admission(target.admission_id)
            refusal = correction_refusal(target, history)
            if refusal is not None:
                raise ValidationError(refusal, field="event")
            require(self._ctx, permission_for(target.kind))  # before any write: as sending it, or editing
            admissions = AdmissionRepository(session)
            admission = admissions.get(target.admission_id)
            correction = Event(
                id=None,
                admission_id=target.admission_id,
                kind=EventKind.CORRECTION,
                occurred_at=now,
                recorded_by=self._ctx.user,
                note=f"Korrektion af «{EVENT_LABELS[target.kind]}»: {why}",
                corrects_event_id=event_id,
            )
            # The corrected history must still be a legal one (e.g. not leave an afmelding without færdigmelding).
            replay(admission, [*history, correction])
            appended = events.append(correction)
            if target.kind is EventKind.DISCHARGE:
                admissions.update(dataclasses.replace(admission, discharged=None))
            self._audit.record_in(  # the reason is free text: it stays in the event, not in the log
                session,
                AuditAction.KORRIGER,
                f"{EVENT_LABELS[target.kind]} (hændelse {event_id}) korrigeret (hændelse {appended.id})",
                patient_id=admission.patient_id,
                admission_id=target.admission_id,
            )
        return Changes(admission_id=target.admission_id, patient_id=admission.patient_id)

    @staticmethod
    def label(kind: EventKind) -> str:
        return dict(ACTIONS).get(kind, EVENT_LABELS[kind]).rstrip("…")
