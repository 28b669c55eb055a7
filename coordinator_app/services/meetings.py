"""Netværksmøder (C1–C10): templates (versioned), scheduling, live-meeting autosave, closing, invitations
and the referat.

CONTRACT (signatures below are fixed). The UI calls only these.

* Each operation is one transaction. Autosave (``save_content``) is one conditional UPDATE of the meeting's
  row and nothing else: durable when it returns (SQLite ``synchronous=FULL``), ``ConflictError`` when the
  version moved on.
* ``schedule`` records MEETING_INVITED on the admission (``data["rule"]`` C2/C3/C4 per
  ``meetings.OCCASION_RULES``), so ``deadlines.py`` dates the 5-arbejdsdage deadline; ``close`` records
  MEETING_HELD, which meets it. Both are checked against the process first (neutral before discharge; C3/C4
  meetings are allowed after it). An ambulant patient's meeting (``admission_id`` None, C4) records no event:
  there is no admission to record it on.
* The referat is archived at the patient (``documents.patient_id``) and at the admission when there is one; an
  ambulant meeting's referat says "Ambulant forløb" where the admission would stand.
* A follow-up meeting agreed at a meeting (C5) is scheduled by ``close`` on the date the participants chose. It
  is not a new request under C2–C4, so it records no MEETING_INVITED (no 5-day clock, no false "overdue" on
  the admission); when its date lies after the 5-day limit, its late reason says it was agreed at the meeting.
* The .ics invitation carries only the meeting reference — never the patient's name or CPR.
* The referat goes to present participants with an e-mail (or an address given for them when the referat is
  issued); anyone else only with the patient's active consent to that kind of recipient (C7, F1). A withdrawn
  consent takes the recipient off the list again. ``referat_recipients`` lists every participant and says why
  one does not receive it, so nobody is left out silently.
* ``start`` refuses a meeting before its planned day unless the caller confirmed it (``before_planned_day``;
  C2–C4: the parties agreed on the time); the audit log records the confirmation, and the MEETING_HELD note
  says the meeting was held before its day and whether mødeleder and referent were the same person (C6).
* ``held`` lists the held meetings with their referat's state, so the referat is issued from the Møder tab.
* Who called the meeting (``MeetingContent.invited_by``; C2–C4: the party with the need calls it) and whether
  the agenda was prepared with the patient (``agenda_with_patient``) are recorded by ``schedule`` and printed on
  the referat. Left out, the inviter is ``default_inviter``: the signed-in user for the ward (the patient for a
  meeting the patient or relatives called); a follow-up meeting is called by whoever the meeting chose to call it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from coordinator_app import __version__
from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction, issued_document
from coordinator_app.domain.errors import NotFoundError, StorageError, ValidationError
from coordinator_app.domain.meetings import (
    PATIENT_ROLE,
    AgreementStatus,
    Inviter,
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    MeetingTemplate,
    Occasion,
    Participant,
    SectionKind,
    Task,
    check_start,
    days_before_planned,
    days_text,
    default_template,
    held_notes,
    is_patient,
    meeting_deadline,
    occasion_rule_id,
    patient_participant,
    planned_day,
    referat_exclusion,
    same_leader_and_referent,
    tasks_of,
)
from coordinator_app.domain.model import (
    CONSENT_RECIPIENT_LABELS,
    Admission,
    ArchivedDocument,
    ConsentRecipient,
    Event,
    EventKind,
    Patient,
)
from coordinator_app.domain.process import check_transition, effective_events, replay
from coordinator_app.domain.workdays import local_date
from coordinator_app.lazy import lazy_import
from coordinator_app.services.audit import AuditService
from coordinator_app.services.consent import active_consent
from coordinator_app.services.contacts import contact_order
from coordinator_app.services.context import COPENHAGEN, ServiceContext, require
from coordinator_app.storage.failures import conflict
from coordinator_app.storage.journal import offline_loan
from coordinator_app.storage.loans import hold_against_checkout
from coordinator_app.storage.meeting_codec import content_to_json, sections_to_json
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    ConsentRepository,
    ContactRepository,
    DocumentRepository,
    EventRepository,
    MeetingRepository,
    MeetingTemplateRepository,
    PatientRepository,
)

if TYPE_CHECKING:
    import icalendar
    from sqlalchemy.orm import Session

    from coordinator_app.documents import layout, referat
else:  # reportlab and icalendar arrive with the first referat or invitation, not at start
    icalendar = lazy_import("icalendar")
    layout = lazy_import("coordinator_app.documents.layout")
    referat = lazy_import("coordinator_app.documents.referat")

REFERAT = "netvaerksmoede_referat"
PARTICIPANT_BASIS = "Deltager (C7)"
#: A follow-up meeting decided at the meeting starts at this local time (editable afterwards).
FOLLOW_UP_TIME = time(10, 0)
MEETING_LENGTH = timedelta(hours=1)
#: What the referat says instead of an admission for an ambulant patient's meeting (C4).
AMBULANT_LABEL = "Ambulant forløb"
FORM_LABELS: dict[MeetingForm, str] = {
    MeetingForm.FYSISK: "fysisk møde",
    MeetingForm.VIDEO: "videomøde",
    MeetingForm.TELEFON: "telefonmøde",
    MeetingForm.BLANDET: "blandet møde (fysisk og video/telefon)",
}
#: Structural sections the meeting content has exactly one of (C5); agenda and free text may repeat.
_SINGLE_KINDS = (SectionKind.PARTICIPANTS, SectionKind.ROLES, SectionKind.AGREEMENTS, SectionKind.FOLLOW_UP)
#: Attempts at a new reference when another workstation took the same number at the same moment.
_REFERENCE_ATTEMPTS = 3


#: How long a held meeting stays under «Afholdte» once its referat is issued (one never issued stays until it is).
HELD_DAYS = 60


def rule_id_of(occasion: Occasion) -> str:
    """The agreement ID of the 5-arbejdsdage clock an occasion follows: "C2", "C3" or "C4"."""
    return occasion_rule_id(occasion)


@dataclass(frozen=True)
class ScheduleInput:
    patient_id: int
    admission_id: int | None
    occasion: Occasion
    invited_on: date
    planned_at: datetime | None = None  # aware
    form: MeetingForm = MeetingForm.FYSISK
    place: str = ""
    late_reason: str = ""  # required when planned_at is after the C2–C4 deadline
    template_id: int | None = None  # None: the ward's current template (latest version)
    follow_up_of: int | None = None
    #: Who called the meeting; None: ``default_inviter`` when scheduled, unchanged by ``update_schedule``.
    invited_by: Inviter | None = None
    #: The agenda was prepared with the patient (None: not recorded; ``update_schedule`` keeps what is recorded).
    agenda_with_patient: bool | None = None


@dataclass(frozen=True)
class CloseResult:
    meeting: Meeting
    tasks: tuple[Task, ...]
    follow_up: Meeting | None  # scheduled when the follow-up section says one is needed


@dataclass(frozen=True)
class DistributionEntry:
    name: str
    address: str  # e-mail / secure mail / postal
    participant_key: str | None  # None: not a participant — needs consent (C7)
    consent_basis: str  # "Deltager" or the consent it rests on
    left_out: str = ""  # why this one does not receive the referat (Danish); "" when they do


@dataclass(frozen=True)
class ParticipantChoices:
    """Who the participant picker offers (C1, C5): the patient first (as borger), then the people of the patient's
    earlier meetings (newest first, with the details used then), then the Kontaktbog's active people."""

    patient: Participant | None
    earlier: tuple[Participant, ...]
    directory: tuple[Participant, ...]


@dataclass(frozen=True)
class HeldMeeting:
    """A held (closed) meeting and its referat: ``referat_issued`` is when it was last issued, None if never."""

    meeting: Meeting
    referat_issued: datetime | None


class MeetingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._audit = AuditService(ctx)

    # -- templates ----------------------------------------------------------------------------------------
    def current_template(self) -> MeetingTemplate:
        """The ward's template, latest version (created from ``meetings.default_template()`` on first use)."""
        try:
            with self._ctx.database.session() as session:
                return self._current_in(session)
        except StorageError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        # Another workstation created the default at the same moment: use theirs.
        with self._ctx.database.session() as session:
            return self._current_in(session)

    def _current_in(self, session: Session) -> MeetingTemplate:
        templates = MeetingTemplateRepository(session)
        found = templates.latest()
        if found is None:
            found = templates.add(default_template(), created_by=self._ctx.user, at=self._ctx.clock.now())
        return found

    def template_versions(self, name: str) -> list[MeetingTemplate]:
        with self._ctx.database.session() as session:
            return MeetingTemplateRepository(session).versions(name)

    def save_template(self, template: MeetingTemplate) -> MeetingTemplate:
        """Save as a NEW version (version + 1); earlier versions and the meetings using them are untouched.
        ValidationError (Danish) for no sections, duplicate keys, empty titles."""
        require(self._ctx, Permission.MANAGE_MEETING)
        name = validation.single_line(template.name, field="name", label="Skabelonens navn")
        if not name:
            raise ValidationError("Skabelonen skal have et navn.", field="name", rule="C5")
        if len(name) > 200:
            raise ValidationError("Skabelonens navn er for langt (højst 200 tegn).", field="name", rule="C5")
        if not template.sections:
            raise ValidationError("Skabelonen skal have mindst ét afsnit.", field="sections", rule="C5")
        keys: set[str] = set()
        sections = []
        for i, section in enumerate(template.sections, start=1):
            key = validation.single_line(section.key, field="sections", label=f"Afsnit {i}s nøgle")
            title = validation.single_line(section.title, field="sections", label=f"Afsnit {i}s overskrift")
            validation.check_texts(
                (section.guidance, section.default_items), field="sections", label=f"Afsnit {i}", max_length=5000
            )
            if not key:
                raise ValidationError(f"Afsnit {i} mangler en nøgle.", field="sections", rule="C5")
            if key in keys:
                raise ValidationError(
                    f"To afsnit har samme nøgle «{key}». Hvert afsnit skal have sin egen.", field="sections", rule="C5"
                )
            if not title:
                raise ValidationError(f"Afsnit {i} mangler en overskrift.", field="sections", rule="C5")
            keys.add(key)
            sections.append(dataclasses.replace(section, key=key, title=title, guidance=section.guidance.strip()))
        for kind in _SINGLE_KINDS:
            if sum(1 for s in sections if s.kind is kind) > 1:
                raise ValidationError(
                    "Skabelonen må kun have ét afsnit af hver slags for deltagere, roller, aftaler og opfølgning.",
                    field="sections",
                    rule="C5",
                )
        with self._ctx.database.session() as session:
            # PostgreSQL: wait for a check-in that may bring a version of this template (issue 19), so this one is
            # numbered after it instead of failing on the number; SQLite has one writer at a time anyway
            hold_against_checkout(session.connection())
            templates = MeetingTemplateRepository(session)
            version = templates.max_version(name)
            if template.id is not None:
                source = templates.get(template.id)
                version = max(version, templates.max_version(source.name))
            new = MeetingTemplate(id=None, name=name, version=version + 1, sections=tuple(sections))
            return templates.add(new, created_by=self._ctx.user, at=self._ctx.clock.now())

    # -- scheduling ---------------------------------------------------------------------------------------
    def schedule(self, data: ScheduleInput) -> Meeting:
        """Create a meeting (status planlagt) with a reference like NM-2026-0012 and record a
        MEETING_INVITED event on the admission (the engine dates C2 from it). Planned after the deadline
        requires ``late_reason`` (ValidationError field="late_reason", rule="C2")."""
        require(self._ctx, Permission.MANAGE_MEETING)
        for attempt in range(_REFERENCE_ATTEMPTS):
            try:
                with self._ctx.database.session() as session:
                    return self._schedule_in(session, data)
            except StorageError as exc:
                cause = exc.__cause__
                retry = isinstance(cause, IntegrityError) and "reference" in str(cause).lower()
                if not retry or attempt == _REFERENCE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _schedule_in(self, session: Session, data: ScheduleInput, *, agreed_at: str = "") -> Meeting:
        now, today = self._ctx.clock.now(), self._ctx.clock.today()
        if data.invited_on > today:
            raise ValidationError(
                "Indkaldelsesdatoen ligger i fremtiden. Registrér mødet, når indkaldelsen er sendt.",
                field="invited_on",
            )
        place = self._place(data.place)
        late_reason = self._late_reason(data, agreed_at=agreed_at)
        patient = PatientRepository(session).get(data.patient_id)
        admission = self._admission_of(session, patient, data.admission_id)
        templates = MeetingTemplateRepository(session)
        template = templates.get(data.template_id) if data.template_id is not None else self._current_in(session)
        if data.follow_up_of is not None:
            MeetingRepository(session).get(data.follow_up_of)  # NotFoundError if it is gone
        if data.invited_by is not None:
            inviter = _inviter(data.invited_by)
        else:
            inviter = self._default_inviter(patient, admission, Occasion(data.occasion))
        meeting = Meeting(
            id=None,
            patient_id=data.patient_id,
            admission_id=data.admission_id,
            template=template,
            occasion=Occasion(data.occasion),
            invited_on=data.invited_on,
            reference=self._next_reference(session, today.year),
            planned_at=data.planned_at,
            form=MeetingForm(data.form),
            place=place,
            late_reason=late_reason,
            follow_up_of=data.follow_up_of,
            content=MeetingContent(invited_by=inviter, agenda_with_patient=data.agenda_with_patient),
        )
        saved = MeetingRepository(session).add(meeting, created_by=self._ctx.user, at=now)
        if admission is not None and data.follow_up_of is None:
            self._append_invited(session, admission, saved, now, today)
        planned = "planlagt som opfølgningsmøde" if data.follow_up_of else "planlagt"
        self._log(session, AuditAction.OPRET, saved, planned)
        return saved

    def update_schedule(self, meeting_id: int, data: ScheduleInput, *, expected_version: int) -> Meeting:
        require(self._ctx, Permission.MANAGE_MEETING)
        now, today = self._ctx.clock.now(), self._ctx.clock.today()
        if data.invited_on > today:
            raise ValidationError(
                "Indkaldelsesdatoen ligger i fremtiden. Registrér mødet, når indkaldelsen er sendt.",
                field="invited_on",
            )
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session)
            current = meetings.get(meeting_id)
            if current.version != expected_version:
                raise conflict()
            if current.status is MeetingStatus.AFSLUTTET:
                raise ValidationError("Mødet er afsluttet; tid og sted kan ikke ændres længere.", field="status")
            if data.patient_id != current.patient_id or data.admission_id != current.admission_id:
                raise ValidationError(
                    "Et møde kan ikke flyttes til en anden patient eller indlæggelse. Opret et nyt møde.",
                    field="admission_id",
                )
            agreed_at = ""
            if current.follow_up_of is not None:
                agreed_at = meetings.get(current.follow_up_of).reference
            content = current.content
            if data.invited_by is not None:
                content = dataclasses.replace(content, invited_by=_inviter(data.invited_by))
            if data.agenda_with_patient is not None:
                content = dataclasses.replace(content, agenda_with_patient=data.agenda_with_patient)
            updated = dataclasses.replace(
                current,
                occasion=Occasion(data.occasion),
                invited_on=data.invited_on,
                planned_at=data.planned_at,
                form=MeetingForm(data.form),
                place=self._place(data.place),
                late_reason=self._late_reason(data, agreed_at=agreed_at),
                content=content,
            )
            saved = meetings.update(updated, at=now)
            clock_moved = (current.invited_on, rule_id_of(current.occasion)) != (
                saved.invited_on,
                rule_id_of(saved.occasion),
            )
            if current.admission_id is not None and current.follow_up_of is None and clock_moved:
                admission = AdmissionRepository(session).get(current.admission_id)
                self._redate_invitation(session, admission, saved, now, today)
            self._log(session, AuditAction.RET, saved, "indkaldelse, tid eller sted ændret")
            return saved

    def default_inviter(self, patient_id: int, admission_id: int | None, occasion: Occasion) -> Inviter:
        """Who calls a new meeting unless the coordinator says otherwise (the schedule dialog's default): for a
        meeting the patient or relatives called, the patient; otherwise the signed-in user for the ward (the
        admission's center and afsnit)."""
        with self._ctx.database.session() as session:
            patient = PatientRepository(session).get(patient_id)
            admission = self._admission_of(session, patient, admission_id)
            return self._default_inviter(patient, admission, Occasion(occasion))

    def _default_inviter(self, patient: Patient, admission: Admission | None, occasion: Occasion) -> Inviter:
        if occasion is Occasion.PATIENT_ELLER_PAAROERENDE:
            return Inviter(patient.name, PATIENT_ROLE)
        principal = self._ctx.principal  # the signed-in user by name; the demo user by the name it records
        name = principal.full_name.strip() if principal.full_name.strip() and not principal.demo else self._ctx.user
        ward = f"{admission.center}, {admission.ward}" if admission is not None else ""
        return Inviter(name, ward)

    def get(self, meeting_id: int) -> Meeting:
        with self._ctx.database.session() as session:
            return MeetingRepository(session).get(meeting_id)

    def for_admission(self, admission_id: int) -> list[Meeting]:
        with self._ctx.database.session() as session:
            return MeetingRepository(session).for_admission(admission_id)

    def for_patient(self, patient_id: int) -> list[Meeting]:
        with self._ctx.database.session() as session:
            return MeetingRepository(session).for_patient(patient_id)

    def held(self, today: date, *, days: int = HELD_DAYS) -> list[HeldMeeting]:
        """Held meetings with their referat's state, most recently closed first (the Møder tab's «Afholdte»): those
        closed in the last ``days`` days, and any older one whose referat was never issued."""
        with self._ctx.database.session() as session:
            closed = MeetingRepository(session).closed()
            issued = DocumentRepository(session).issued_at(REFERAT, (referat_title(m) for m in closed))
        since = today - timedelta(days=days)
        out = []
        for m in closed:
            when = issued.get(referat_title(m))
            recent = m.closed_at is not None and local_date(m.closed_at) >= since
            if recent or when is None:
                out.append(HeldMeeting(m, when))
        return out

    def upcoming(self, today: date) -> list[Meeting]:
        """Planned or running meetings from ``today`` on, soonest first (the Møder tab)."""
        with self._ctx.database.session() as session:
            active = MeetingRepository(session).active()
        far = datetime.max.replace(tzinfo=UTC)
        keep = [
            m
            for m in active
            if m.status is MeetingStatus.I_GANG or m.planned_at is None or local_date(m.planned_at) >= today
        ]
        # Running meetings first (someone is typing in them), then by time; not yet timed ones last.
        return sorted(keep, key=lambda m: (m.status is not MeetingStatus.I_GANG, m.planned_at or far, m.id or 0))

    def deadline(self, meeting: Meeting) -> date:
        """C2–C4: at the latest 5 arbejdsdage after the invitation, in the context's working-day calendar."""
        return meeting_deadline(meeting.invited_on, meeting.occasion, self._ctx.calendar, self._ctx.rules)

    # -- live meeting -------------------------------------------------------------------------------------
    def start(self, meeting_id: int, *, before_planned_day: bool = False) -> Meeting:
        """Status i gang. Starting a running meeting again (after a crash or on another PC) just returns it.
        Before its planned day only with ``before_planned_day`` — the coordinator confirmed it (C2–C4: the
        parties agreed on the time); otherwise ``ValidationError`` (field "planned_at", the occasion's rule). The
        audit log records a confirmed early start."""
        require(self._ctx, Permission.RUN_MEETING)
        now, today = self._ctx.clock.now(), self._ctx.clock.today()
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session)
            meeting = meetings.get(meeting_id)
            if meeting.status is MeetingStatus.AFSLUTTET:
                raise ValidationError(
                    f"Mødet {meeting.reference} er afsluttet og kan ikke startes igen. Planlæg et opfølgningsmøde.",
                    field="status",
                )
            if meeting.status is MeetingStatus.I_GANG:
                return meeting
            check_start(meeting, today, before_planned_day=before_planned_day)
            started = meetings.update(dataclasses.replace(meeting, status=MeetingStatus.I_GANG), at=now)
            what = "startet"  # autosave (save_content) is not logged
            early, day = days_before_planned(meeting, today), planned_day(meeting)
            if early and day is not None:
                what += f" {days_text(early)} før den planlagte dag {day:%d.%m.%Y} (bekræftet)"
            self._log(session, AuditAction.RET, started, what)
            return started

    def save_content(self, meeting_id: int, content: MeetingContent, *, expected_version: int) -> Meeting:
        """Autosave: one short transaction; durable when it returns (returns the new version).
        ConflictError when someone else saved in between."""
        require(self._ctx, Permission.RUN_MEETING)
        validation.check_texts(content, field="content", label="Referatet")
        with self._ctx.database.session() as session:
            return MeetingRepository(session).save_content(
                meeting_id, content, expected_version=expected_version, at=self._ctx.clock.now()
            )

    def known_participants(self, patient_id: int) -> list[Participant]:
        """Participants from the patient's earlier meetings (newest first), then the active people of the
        contact directory (by name); de-duplicated by name+organisation, so someone met before keeps the
        details used then. A directory person comes as a Participant with a fresh key (C1, C5)."""
        choices = self._choices(patient_id, with_patient=False)
        return [*choices.earlier, *choices.directory]

    def participant_choices(self, patient_id: int) -> ParticipantChoices:
        """What the participant picker offers: the patient as borger (C1: the patient takes part), the people of
        the patient's earlier meetings and the Kontaktbog (``known_participants``), nobody twice."""
        return self._choices(patient_id, with_patient=True)

    def _choices(self, patient_id: int, *, with_patient: bool) -> ParticipantChoices:
        with self._ctx.database.session() as session:
            patient = PatientRepository(session).get(patient_id) if with_patient else None
            meetings = MeetingRepository(session).for_patient(patient_id)
            directory = ContactRepository(session).all()
        seen: set[tuple[str, str]] = set()
        earlier: list[Participant] = []
        people: list[Participant] = []

        def first_time(name: str, organisation: str) -> bool:
            who = (" ".join(name.split()).casefold(), " ".join(organisation.split()).casefold())
            if not who[0] or who in seen:
                return False
            seen.add(who)
            return True

        me = patient_participant(patient.name) if patient is not None else None
        newest_first = sorted(meetings, key=lambda m: (m.invited_on, m.id or 0), reverse=True)
        for meeting in newest_first:
            for p in meeting.content.participants:
                if me is not None and is_patient(p, me.name):
                    continue  # the patient is offered once, as themself
                if first_time(p.name, p.organisation):
                    earlier.append(dataclasses.replace(p, present=True))
        for c in sorted(directory, key=contact_order):
            if first_time(c.name, c.organisation):
                people.append(
                    Participant(
                        key=uuid.uuid4().hex,
                        name=c.name,
                        organisation=c.organisation,
                        sector=c.sector,
                        role=c.role,
                        phone=c.phone,
                        email=c.email,
                    )
                )
        return ParticipantChoices(me, tuple(earlier), tuple(people))

    def close(self, meeting_id: int, *, expected_version: int) -> CloseResult:
        """Status afsluttet; MEETING_HELD on the admission; agreements become tasks; a needed follow-up
        meeting is scheduled."""
        require(self._ctx, Permission.RUN_MEETING)
        now, today = self._ctx.clock.now(), self._ctx.clock.today()
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session)
            meeting = meetings.get(meeting_id)
            if meeting.version != expected_version:
                raise conflict()
            if meeting.status is MeetingStatus.AFSLUTTET:
                raise ValidationError(f"Mødet {meeting.reference} er allerede afsluttet.", field="status")
            follow = meeting.content.follow_up
            if follow.needed and follow.when is not None and follow.when < today:
                raise ValidationError(
                    f"Datoen for opfølgningsmødet ({follow.when:%d.%m.%Y}) ligger før i dag. Ret datoen under "
                    "«Opfølgning», og afslut mødet igen.",
                    field="follow_up",
                    rule="C5",
                )
            closed = meetings.update(
                dataclasses.replace(meeting, status=MeetingStatus.AFSLUTTET, closed_at=now), at=now
            )
            # Recorded in the history: held before its planned day (C2–C4), leader = referent (C6).
            notes = held_notes(closed, today)
            if closed.admission_id is not None:
                admission = AdmissionRepository(session).get(closed.admission_id)
                data: dict[str, Any] = {"meeting_id": closed.id, "reference": closed.reference}
                day = planned_day(closed)
                if days_before_planned(closed, today) and day is not None:
                    data["held_before_planned_day"] = day.isoformat()
                if same_leader_and_referent(closed.content):
                    data["same_leader_and_referent"] = True
                self._append_event(
                    session,
                    admission,
                    EventKind.MEETING_HELD,
                    now,
                    note=f"Netværksmøde {closed.reference} afholdt" + "".join(f"; {n}" for n in notes),
                    data=data,
                )
            self._log(session, AuditAction.RET, closed, "afsluttet" + "".join(f"; {n}" for n in notes))
            follow_up = None
            if follow.needed and follow.when is not None:
                planned = datetime.combine(follow.when, FOLLOW_UP_TIME, COPENHAGEN).astimezone(UTC)
                caller = next((p for p in closed.content.participants if p.key == follow.caller_key), None)
                # Called by whoever the meeting chose to call it; not chosen: "not recorded", never a guess.
                called_by = Inviter(caller.name, caller.organisation or caller.role) if caller else Inviter()
                follow_up = self._schedule_in(
                    session,
                    ScheduleInput(
                        patient_id=closed.patient_id,
                        admission_id=closed.admission_id,
                        occasion=closed.occasion,
                        invited_on=today,
                        planned_at=planned,
                        form=closed.form,
                        place=closed.place,
                        template_id=closed.template.id,
                        follow_up_of=closed.id,
                        invited_by=called_by,
                    ),
                    agreed_at=closed.reference,
                )
        return CloseResult(meeting=closed, tasks=tuple(tasks_of(closed)), follow_up=follow_up)

    def set_task_status(self, meeting_id: int, agreement_key: str, status: AgreementStatus) -> Meeting:
        """Mark an agreement (a tracked task) done or open again; the minutes' agreement carries the status."""
        require(self._ctx, Permission.RUN_MEETING)
        now = self._ctx.clock.now()
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session)
            meeting = meetings.get(meeting_id)
            agreements = meeting.content.agreements
            if not any(a.key == agreement_key for a in agreements):
                raise NotFoundError(f"Aftalen findes ikke længere i mødet {meeting.reference}. Opdatér visningen.")
            changed = tuple(
                dataclasses.replace(a, status=AgreementStatus(status)) if a.key == agreement_key else a
                for a in agreements
            )
            content = dataclasses.replace(meeting.content, agreements=changed)
            updated = meetings.update(dataclasses.replace(meeting, content=content), at=now)
            done = "udført" if AgreementStatus(status) is AgreementStatus.UDFOERT else "åben"
            self._log(session, AuditAction.RET, updated, f"en aftale markeret som {done}")
            return updated

    def tasks_for_admission(self, admission_id: int) -> list[Task]:
        """The agreements of the admission's closed meetings, open ones first, soonest deadline first."""
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session).for_admission(admission_id)
        tasks = [t for m in meetings for t in tasks_of(m)]
        return sorted(tasks, key=lambda t: (t.done, t.deadline is None, t.deadline or date.max))

    # -- invitation, referat, distribution ------------------------------------------------------------------
    def ics(self, meeting_id: int) -> bytes:
        """RFC 5545 invitation carrying NO patient-identifying data: only the meeting reference."""
        require(self._ctx, Permission.MANAGE_MEETING)
        with self._ctx.database.session() as session:
            meeting = MeetingRepository(session).get(meeting_id)
            patient = PatientRepository(session).get(meeting.patient_id)
        if meeting.planned_at is None:
            raise ValidationError(
                "Mødet har endnu ikke et tidspunkt. Planlæg dato og klokkeslæt, før invitationen laves.",
                field="planned_at",
            )
        _refuse_identifying(meeting.place, patient)
        start = meeting.planned_at.astimezone(UTC)  # UTC: every calendar reads it, no VTIMEZONE needed
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//Koordinator {__version__}//Netvaerksmoede//DA")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = icalendar.Event()
        event.add("uid", f"{meeting.reference}@koordinator")
        event.add("dtstamp", self._ctx.clock.now().astimezone(UTC))
        event.add("dtstart", start)
        event.add("dtend", start + MEETING_LENGTH)
        event.add("summary", f"Netværksmøde {meeting.reference}")
        if meeting.place:
            event.add("location", meeting.place)
        event.add(
            "description",
            f"Netværksmøde ({FORM_LABELS[meeting.form]}). Reference: {meeting.reference}.",
        )
        calendar.add_component(event)
        return bytes(calendar.to_ical())

    def issue_referat(self, meeting_id: int) -> ArchivedDocument:
        """Render the referat PDF and archive it (kind "netvaerksmoede_referat") at the patient, and at the
        admission when the meeting has one (an ambulant meeting's referat says "Ambulant forløb")."""
        require(self._ctx, Permission.RUN_MEETING)
        created = self._ctx.clock.now()
        with self._ctx.database.session() as session:
            meeting = MeetingRepository(session).get(meeting_id)
            if meeting.status is not MeetingStatus.AFSLUTTET:
                raise ValidationError(
                    f"Afslut mødet {meeting.reference}, før referatet udstedes: referatet er mødets aftaler (C7).",
                    field="status",
                    rule="C7",
                )
            patient = PatientRepository(session).get(meeting.patient_id)
            if meeting.admission_id is None:
                admission_label = AMBULANT_LABEL  # an ambulant patient's meeting (C4): archived at the patient
            else:
                admission_label = _admission_label(AdmissionRepository(session).get(meeting.admission_id))
            title = referat_title(meeting)
            meta = layout.DocumentMeta(
                document_id=f"{meeting.reference}-{created:%Y%m%d%H%M%S%f}",
                title=title,
                created_at=created,
                app_version=__version__,
            )
            content = referat.render_referat(
                meeting,
                patient_name=patient.name,
                cpr=patient.cpr,
                admission_label=admission_label,
                meta=meta,
            )
            document = DocumentRepository(session).add(
                ArchivedDocument(
                    id=None,
                    admission_id=meeting.admission_id,
                    kind=REFERAT,
                    title=title,
                    created_at=created,
                    created_by=self._ctx.user,
                    sha256=hashlib.sha256(content).hexdigest(),
                    data_version=_meeting_data_version(meeting),
                    event_id=self._held_event_id(session, meeting),
                    content=content,
                    patient_id=meeting.patient_id,
                )
            )
            issued = issued_document(document.id, document.sha256)
            self._log(session, AuditAction.UDSKRIV, meeting, f"referat udstedt ({issued})")
            return document

    def distribution(self, meeting_id: int) -> list[DistributionEntry]:
        """Who receives the referat (C7): the present participants with an address, then the others the patient
        consented to."""
        with self._ctx.database.session() as session:
            return self._distribution_in(session, meeting_id)

    def referat_recipients(self, meeting_id: int) -> list[DistributionEntry]:
        """Every participant and every added recipient, in that order, each saying why they do not receive the
        referat (``left_out``: no e-mail, afbud, a consent withdrawn — C7, F1) or on what basis they do."""
        with self._ctx.database.session() as session:
            return self._recipients_in(session, meeting_id)

    def add_participant_address(self, meeting_id: int, participant_key: str, address: str) -> list[DistributionEntry]:
        """C7: a participant who took part receives the referat without any consent; one with no e-mail in the
        minutes (the patient, often) gets the address given here. One who sent afbud did not take part: refused
        (ValidationError, rule="C7") — they are added with consent like anyone else. Returns ``referat_recipients``."""
        require(self._ctx, Permission.MANAGE_MEETING)
        where = _address(address)
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session)
            meeting = meetings.get(meeting_id)
            person = next((p for p in meeting.content.participants if p.key == participant_key), None)
            if person is None or not person.name.strip():
                raise NotFoundError(f"Deltageren findes ikke længere i mødet {meeting.reference}. Opdatér visningen.")
            if not person.present:
                raise ValidationError(
                    f"{person.name} meldte afbud og deltog ikke i mødet. Referatet kan kun sendes til {person.name} "
                    "med patientens samtykke (C7): tilføj modtageren under «Tilføj modtager» med samtykket.",
                    field="recipient",
                    rule="C7",
                )
            stored = [r for r in meetings.recipients(meeting_id) if r.get("participant_key") != participant_key]
            stored.append(
                {
                    "name": person.name,
                    "address": where,
                    "participant_key": participant_key,
                    "added_by": self._ctx.user,
                    "added_at": self._ctx.clock.now().astimezone(UTC).isoformat(),
                }
            )
            meetings.set_recipients(meeting_id, stored)
            self._log(session, AuditAction.RET, meeting, "adresse til en deltager angivet for referatet")
            return self._recipients_in(session, meeting_id)

    def add_recipient(
        self, meeting_id: int, *, name: str, address: str, recipient: ConsentRecipient
    ) -> list[DistributionEntry]:
        """C7/F1: a non-participant only with the patient's active consent to that recipient kind;
        otherwise ValidationError (Danish, rule="C7")."""
        require(self._ctx, Permission.MANAGE_MEETING)
        who = validation.require_name(name, field="name", label="Modtagerens navn")
        where = _address(address)
        kind = ConsentRecipient(recipient)
        with self._ctx.database.session() as session:
            meetings = MeetingRepository(session)
            meeting = meetings.get(meeting_id)
            consent = active_consent(ConsentRepository(session).for_patient(meeting.patient_id), kind)
            if consent is None:
                raise ValidationError(
                    f"Referatet kan kun sendes til {who}, hvis patienten har givet samtykke til at dele oplysninger "
                    f"med {CONSENT_RECIPIENT_LABELS[kind].lower()}. Kun mødets deltagere får referatet uden "
                    "samtykke (C7). Registrér samtykket (hvad, til hvem, mundtligt/skriftligt) under patientens "
                    "samtykker, og tilføj modtageren igen.",
                    field="recipient",
                    rule="C7",
                )
            stored = meetings.recipients(meeting_id)
            added = (r for r in stored if not r.get("participant_key"))
            if not any(r.get("address", "").casefold() == where.casefold() for r in added):
                stored.append(
                    {
                        "name": who,
                        "address": where,
                        "recipient": kind.value,
                        "added_by": self._ctx.user,
                        "added_at": self._ctx.clock.now().astimezone(UTC).isoformat(),
                    }
                )
                meetings.set_recipients(meeting_id, stored)
                label = CONSENT_RECIPIENT_LABELS[kind].lower()
                self._log(session, AuditAction.RET, meeting, f"modtager af referatet tilføjet ({label}, med samtykke)")
            return self._distribution_in(session, meeting_id)

    # -- helpers ------------------------------------------------------------------------------------------------
    def _log(self, session: Session, action: AuditAction, meeting: Meeting, what: str) -> None:
        """One audit line for a meeting (issue 8), in its transaction: the reference, never names or content."""
        self._audit.record_in(
            session,
            action,
            f"Netværksmøde {meeting.reference} {what}",
            patient_id=meeting.patient_id,
            admission_id=meeting.admission_id,
        )

    def _distribution_in(self, session: Session, meeting_id: int) -> list[DistributionEntry]:
        return [e for e in self._recipients_in(session, meeting_id) if not e.left_out]

    def _recipients_in(self, session: Session, meeting_id: int) -> list[DistributionEntry]:
        meetings = MeetingRepository(session)
        meeting = meetings.get(meeting_id)
        stored = meetings.recipients(meeting_id)
        given = {str(r["participant_key"]): str(r.get("address", "")) for r in stored if r.get("participant_key")}
        patient = PatientRepository(session).get(meeting.patient_id).name
        out = []
        for p in meeting.content.participants:
            if not p.name.strip():
                continue
            why = referat_exclusion(p, patient)
            if not why:
                out.append(DistributionEntry(p.name, p.email.strip(), p.key, PARTICIPANT_BASIS))
            elif p.present and given.get(p.key):  # an address given for a participant with no e-mail
                out.append(DistributionEntry(p.name, given[p.key], p.key, f"{PARTICIPANT_BASIS} – adresse angivet"))
            else:
                out.append(DistributionEntry(p.name, p.email.strip(), p.key, "", left_out=why))
        added = [r for r in stored if not r.get("participant_key")]
        if added:
            consents = ConsentRepository(session).for_patient(meeting.patient_id)
            for r in added:
                try:
                    kind = ConsentRecipient(str(r.get("recipient")))
                except ValueError:
                    continue
                name, address = str(r.get("name", "")), str(r.get("address", ""))
                consent = active_consent(consents, kind)
                if consent is None:  # withdrawn since it was added (F1): no longer a recipient
                    label = CONSENT_RECIPIENT_LABELS[kind].lower()
                    why = f"Samtykket til at dele med {label} er trukket tilbage: får ikke referatet (C7, F1)."
                    out.append(DistributionEntry(name, address, None, "", left_out=why))
                    continue
                basis = f"Samtykke ({consent.method.value}) til {consent.given_to} (C7, F1)"
                out.append(DistributionEntry(name, address, None, basis))
        return out

    def _admission_of(self, session: Session, patient: Patient, admission_id: int | None) -> Admission | None:
        if admission_id is None:
            return None
        admission = AdmissionRepository(session).get(admission_id)
        if admission.patient_id != patient.id:
            raise ValidationError("Indlæggelsen hører til en anden patient.", field="admission_id")
        return admission

    def _late_reason(self, data: ScheduleInput, *, agreed_at: str = "") -> str:
        """C2–C4: a meeting planned after the deadline needs a recorded reason."""
        reason = (
            validation.optional_text(data.late_reason, field="late_reason", label="Begrundelsen", max_length=1000) or ""
        )
        if data.planned_at is None:
            return reason
        validation.check_moment(
            data.planned_at, today=self._ctx.clock.today(), field="planned_at", label="Mødetidspunktet"
        )
        day = local_date(data.planned_at)
        if day < data.invited_on:
            raise ValidationError(
                f"Mødet ({day:%d.%m.%Y}) kan ikke ligge før indkaldelsen ({data.invited_on:%d.%m.%Y}).",
                field="planned_at",
            )
        due = meeting_deadline(data.invited_on, Occasion(data.occasion), self._ctx.calendar, self._ctx.rules)
        if day <= due or reason:
            return reason
        if agreed_at:
            return f"Opfølgningsmøde aftalt på netværksmøde {agreed_at} (C5)."
        rule = rule_id_of(Occasion(data.occasion))
        raise ValidationError(
            f"Mødet ligger efter fristen {due:%d.%m.%Y} – senest 5 arbejdsdage efter indkaldelsen ({rule}; "
            f"kalender: {self._ctx.calendar.name}). Skriv hvorfor mødet holdes senere, så det er dokumenteret.",
            field="late_reason",
            rule=rule,
        )

    @staticmethod
    def _place(place: str) -> str:
        return (
            validation.optional_text(place, field="place", label="Sted eller link", max_length=500, multiline=False)
            or ""
        )

    @staticmethod
    def _next_reference(session: Session, year: int) -> str:
        """``NM-2026-0007``; on a laptop file (issue 19) ``NM-2026-3FA9C1-0001``, the loan's first six hex digits in
        the middle, so a meeting made offline never takes a reference the ward gives meanwhile."""
        loan = offline_loan(session)
        prefix = f"NM-{year}-{loan[:6].upper()}-" if loan else f"NM-{year}-"
        tails = [r[len(prefix) :] for r in MeetingRepository(session).references(prefix)]
        numbers = [int(t) for t in tails if t.isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def _append_invited(
        self, session: Session, admission: Admission, meeting: Meeting, now: datetime, today: date
    ) -> None:
        when = now if meeting.invited_on == today else _noon(meeting.invited_on)
        self._append_event(
            session,
            admission,
            EventKind.MEETING_INVITED,
            when,
            note=f"Netværksmøde {meeting.reference} indkaldt",
            data={
                "planned": meeting.planned_at.isoformat() if meeting.planned_at else None,
                "rule": rule_id_of(meeting.occasion),
                "meeting_id": meeting.id,
                "reference": meeting.reference,
            },
        )

    def _redate_invitation(
        self, session: Session, admission: Admission, meeting: Meeting, now: datetime, today: date
    ) -> None:
        """A changed invitation date or occasion: correct the old MEETING_INVITED (history keeps both)."""
        events = EventRepository(session)
        for old in effective_events(events.for_admission(admission.id or 0)):
            if old.kind is EventKind.MEETING_INVITED and old.data.get("meeting_id") == meeting.id:
                events.append(
                    Event(
                        id=None,
                        admission_id=old.admission_id,
                        kind=EventKind.CORRECTION,
                        occurred_at=now,
                        recorded_by=self._ctx.user,
                        note=f"Indkaldelsen til netværksmøde {meeting.reference} er ændret",
                        corrects_event_id=old.id,
                    )
                )
        self._append_invited(session, admission, meeting, now, today)

    def _append_event(
        self,
        session: Session,
        admission: Admission,
        kind: EventKind,
        when: datetime,
        *,
        note: str,
        data: dict[str, Any],
    ) -> Event:
        events = EventRepository(session)
        assert admission.id is not None
        check_transition(replay(admission, events.for_admission(admission.id)), kind, local_date(when))
        return events.append(
            Event(
                id=None,
                admission_id=admission.id,
                kind=kind,
                occurred_at=when,
                recorded_by=self._ctx.user,
                note=note,
                data=data,
            )
        )

    @staticmethod
    def _held_event_id(session: Session, meeting: Meeting) -> int | None:
        if meeting.admission_id is None:
            return None
        for e in reversed(EventRepository(session).for_admission(meeting.admission_id)):
            if e.kind is EventKind.MEETING_HELD and e.data.get("meeting_id") == meeting.id:
                return e.id
        return None


def referat_title(meeting: Meeting) -> str:
    """The archived referat's title; it names the meeting's reference, which is how «Afholdte» finds it."""
    return f"Referat af netværksmøde {meeting.reference}"


def _inviter(inviter: Inviter) -> Inviter:
    """Who called the meeting, each part on one line of at most 200 characters (ValidationError otherwise)."""
    name = validation.optional_text(
        inviter.name, field="invited_by", label="Navnet på den, der indkaldte", max_length=200, multiline=False
    )
    organisation = validation.optional_text(
        inviter.organisation,
        field="invited_by",
        label="Organisation eller rolle for den, der indkaldte",
        max_length=200,
        multiline=False,
    )
    return Inviter(" ".join((name or "").split()), " ".join((organisation or "").split()))


def _address(address: str) -> str:
    """A recipient's address (e-mail, secure mail or postal) on one line; ValidationError when empty or too long."""
    where = validation.single_line(address, field="address", label="Adressen")
    if not where:
        raise ValidationError("Skriv modtagerens adresse (e-mail, sikker post eller postadresse).", field="address")
    if len(where) > 300:
        raise ValidationError("Adressen er for lang (højst 300 tegn).", field="address")
    return where


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), COPENHAGEN).astimezone(UTC)


def _admission_label(admission: Admission) -> str:
    # dd-mm-åååå, as on every other document (the referat prints this label).
    label = f"{admission.center}, {admission.ward}, indlagt {admission.admitted:%d-%m-%Y}"
    if admission.discharged is not None:
        label += f", udskrevet {admission.discharged:%d-%m-%Y}"
    return label


def _meeting_data_version(meeting: Meeting) -> str:
    """Digest of what the referat was rendered from (the meeting as saved, with its template version)."""
    data = {
        "reference": meeting.reference,
        "template": [meeting.template.id, meeting.template.version, sections_to_json(meeting.template.sections)],
        "content": content_to_json(meeting.content),
        "planned_at": meeting.planned_at.isoformat() if meeting.planned_at else None,
        "form": meeting.form.value,
        "place": meeting.place,
        "version": meeting.version,
    }
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _refuse_identifying(place: str, patient: Patient) -> None:
    """The invitation may travel by ordinary e-mail: refuse a place that names the patient or their CPR."""
    digits = re.sub(r"\D", "", place)
    found = bool(patient.cpr) and patient.cpr in digits
    for part in (patient.given_name, patient.family_name, patient.address or ""):
        part = part.strip()
        if len(part) >= 2 and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", place, re.IGNORECASE):
            found = True
    if found:
        raise ValidationError(
            "Sted/link indeholder patientens navn, CPR-nummer eller adresse. En mødeinvitation må ikke kunne "
            "identificere patienten: skriv fx «Afsnittets mødelokale» eller kun linket.",
            field="place",
        )
