"""Sending to the kommune (B1–B9): orientering, varsling, færdigmelding, i bero, genoptag, afmelding,
orientering om udskrivning — and udskrivning itself.

Each send is one transaction: the process allows it (state machine), consent or a legal basis covers it
(F1, B8), the event is appended, and the varslingsblanket is rendered and archived. A mistaken send is undone
by a *correction* event; the history keeps both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission, denial_message
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import EVENT_LABELS, Channel, Event, EventKind
from coordinator_app.domain.process import allowed_actions, check_transition, correction_refusal, replay
from coordinator_app.domain.special_groups import recipient_kommune
from coordinator_app.domain.workdays import local_date
from coordinator_app.services.admissions import Changes
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.discharge import without_plan_in
from coordinator_app.services.documents import (
    FORM_FOR_EVENT,
    DocumentService,
    FormDetails,
    consent_basis_in,
    recipient_role_for,
)
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository, PatientRepository

#: The actions offered on an admission, in menu order, with their Danish menu text.
ACTIONS: tuple[tuple[EventKind, str], ...] = (
    (EventKind.ORIENTERING_INDLAEGGELSE, "Send orientering…"),
    (EventKind.VARSLING, "Send varsling…"),
    (EventKind.FAERDIGMELDING, "Send færdigmelding…"),
    (EventKind.I_BERO, "Sæt færdigmelding i bero…"),
    (EventKind.GENOPTAGET, "Genoptag færdigmelding…"),
    (EventKind.AFMELDING, "Afmeld færdigmelding…"),
    (EventKind.ORIENTERING_UDSKRIVNING, "Orientér om udskrivning…"),
    (EventKind.DISCHARGE, "Udskriv patienten…"),
)
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
        """Every action with whether the process allows it now and, if not, why (shown as a tooltip)."""
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            history = EventRepository(session).for_admission(admission_id)
        try:
            reasons = allowed_actions(replay(admission, history))
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
        with self._ctx.database.session() as session:
            admissions = AdmissionRepository(session)
            events = EventRepository(session)
            admission = admissions.get(admission_id)
            patient = PatientRepository(session).get(admission.patient_id)
            history = events.for_admission(admission_id)
            state = replay(admission, history)
            check_transition(state, data.kind, local_date(when))
            data_extra: dict[str, object] = {}
            recipient: str | None = None
            if data.kind in SENDS_TO_KOMMUNE:
                basis = consent_basis_in(session, patient.id or 0, data.legal_basis)
                role = recipient_role_for(admission, data.kind)
                recipient = recipient_kommune(admission, role)
                data_extra = {"basis": basis, "recipient_role": role, "form": dataclasses.asdict(data.form)}
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
                    channel=data.channel if data.kind in SENDS_TO_KOMMUNE else None,
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
