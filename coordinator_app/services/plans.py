"""Udskrivningsaftale (§13a) and koordinationsplan (§13b): the operations behind the Aftale/plan tab (E1–E3).

CONTRACT (signatures below are fixed). The UI calls only these.

* ``panel`` is everything the tab shows: the admission's facts, the requirement and warning
  (``discharge_plans.overview``; after a discharge without the plan, with the reason recorded on the discharge,
  ``services.discharge``), this admission's plans with their lifecycle state, the patient's previous plan
  (to copy at a new discharge, E3) and the patient's netværksmøder (to pull content from).
* ``set_facts`` saves the three requirement facts and the planned discharge day on the admission (optimistic:
  ``ConflictError`` when the admission changed since it was read).
* ``create`` starts a kladde (kind from the requirement when not given), optionally pulled from a netværksmøde
  or copied from the patient's previous plan. ``save`` stores a kladde's content (each save is a version).
  ``pull_from_meeting`` merges a meeting's participants and agreements into a kladde.
* ``activate`` puts a kladde in force, or issues a revised version of a plan in force: ``check_complete`` must
  pass (``ValidationError`` with the first problem, ``field`` set), then in one transaction the plan is saved as
  I_KRAFT, the milestone event (``rules.Milestone``, ``data["end"]``, ``data["plan_id"]``) is recorded on the
  admission — a revision corrects the previous one — and the PDF is rendered and archived with its hash.
* ``end`` ends a plan by hand before its end date (reason required); its milestone event stays (the plan
  existed), the lifecycle says Afsluttet. A kladde that is ended is simply dropped from the warning.
* Every write appends a ``PlanVersion``; ``versions`` lists them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from coordinator_app import __version__
from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction, issued_document
from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.discharge_plans import (
    PLAN_DEFINITE,
    PLAN_DOCUMENT_KIND,
    PLAN_TITLES,
    DischargePlan,
    Lifecycle,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    PlanOverview,
    PlanStatus,
    PlanVersion,
    SentTo,
    check_complete,
    check_sendings,
    content_from_meeting,
    legal_condition,
    lifecycle,
    next_plan_content,
    overview,
    plan_due,
    readmission_after,
    requirement,
    validate_dates,
)
from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.meetings import MeetingStatus
from coordinator_app.domain.model import Admission, ArchivedDocument, Event, EventKind, Patient, PlanFacts
from coordinator_app.domain.reference import official_kommune_name
from coordinator_app.domain.rules import Milestone
from coordinator_app.domain.workdays import local_date
from coordinator_app.lazy import lazy_import
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.discharge import recorded_without_plan
from coordinator_app.services.ward import load_profile
from coordinator_app.storage.journal import offline_loan
from coordinator_app.storage.plans import DischargePlanRepository
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    DocumentRepository,
    EventRepository,
    KommuneRepository,
    MeetingRepository,
    PatientRepository,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.documents import discharge_plan, layout
    from coordinator_app.documents.discharge_plan import DischargePlanDocument
    from coordinator_app.documents.layout import DocumentMeta
else:  # reportlab is imported when a plan is rendered, not at start-up
    discharge_plan = lazy_import("coordinator_app.documents.discharge_plan")
    layout = lazy_import("coordinator_app.documents.layout")

MILESTONES = {
    PlanKind.UDSKRIVNINGSAFTALE: Milestone.UDSKRIVNINGSAFTALE,
    PlanKind.KOORDINATIONSPLAN: Milestone.KOORDINATIONSPLAN,
}
#: The printed document ID's prefix of each kind ("UP-12-3-1", "KP-12-4-1"), so a reader tells the kinds apart by
#: their ID. Archived documents keep the ID they were issued with (it is part of their bytes); a koordinationsplan
#: issued before the "KP-" prefix keeps its "UP-" ID.
DOCUMENT_ID_PREFIXES = {
    PlanKind.UDSKRIVNINGSAFTALE: "UP",
    PlanKind.KOORDINATIONSPLAN: "KP",
}
MEETING_STATUS_LABELS = {
    MeetingStatus.PLANLAGT: "planlagt",
    MeetingStatus.I_GANG: "i gang",
    MeetingStatus.AFSLUTTET: "afsluttet",
}


def _document_id(session: Session, kind: PlanKind, admission_id: int, plan_id: int, number: int | str) -> str:
    """The printed ID: ``UP-12-7-1`` (kind, admission, plan, version); in a laptop file (issue 19)
    ``UP-12-3FA9C1-7-1``, the loan's first six hex digits before the file's plan id, so a plan issued offline never
    prints an ID the ward gives meanwhile (its plan id changes at check-in; the archived PDF keeps what it printed)."""
    loan = offline_loan(session)
    plan = f"{loan[:6].upper()}-{plan_id}" if loan else str(plan_id)
    return f"{DOCUMENT_ID_PREFIXES[kind]}-{admission_id}-{plan}-{number}"


@dataclass(frozen=True, slots=True)
class MeetingChoice:
    """A netværksmøde of the patient that content can be pulled from."""

    meeting_id: int
    label: str  # e.g. "NM-2026-0012 · 20-11-2026 · afsluttet"
    agreements: int  # number of agreements in it


@dataclass(frozen=True)
class PlanPanel:
    admission: Admission  # with plan_facts, planned_discharge and version (for set_facts)
    patient_name: str
    overview: PlanOverview
    plans: tuple[DischargePlan, ...]  # this admission's, oldest first
    states: dict[int, Lifecycle] = field(default_factory=dict)  # plan id → lifecycle today
    previous: DischargePlan | None = None  # the newest plan of an earlier admission of the patient
    meetings: tuple[MeetingChoice, ...] = ()  # newest first


class PlanService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._audit = AuditService(ctx)

    # -- reading ------------------------------------------------------------------------------------------
    def panel(self, admission_id: int) -> PlanPanel:
        today = self._ctx.clock.today()
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            patient = PatientRepository(session).get(admission.patient_id)
            repo = DischargePlanRepository(session)
            plans = repo.for_admission(admission_id)
            previous = self._previous(session, admission)
            admissions = AdmissionRepository(session).for_patient(admission.patient_id)
            events = EventRepository(session).for_admission(admission_id)
            meetings = MeetingRepository(session).for_patient(admission.patient_id)
        readmitted = self._readmitted(admission, admissions, events)
        due = self._due(admission, events, today)
        without = recorded_without_plan(events) if admission.discharged is not None else None
        view = overview(
            admission.plan_facts,
            plans,
            today,
            discharged=admission.discharged,
            readmitted_on=readmitted,
            due=due,
            without_plan_reason=without.reason if without is not None else None,
        )
        choices = tuple(
            MeetingChoice(
                meeting_id=m.id,
                label=" · ".join(
                    [
                        m.reference,
                        f"{_meeting_day(m.planned_at, m.invited_on):%d-%m-%Y}",
                        MEETING_STATUS_LABELS[m.status],
                    ]
                ),
                agreements=len(m.content.agreements),
            )
            for m in sorted(meetings, key=lambda m: (_meeting_day(m.planned_at, m.invited_on), m.id or 0), reverse=True)
            if m.id is not None
        )
        states = {p.id: lifecycle(p, today, readmitted) for p in plans if p.id is not None}
        return PlanPanel(
            admission=admission,
            patient_name=patient.name,
            overview=view,
            plans=tuple(plans),
            states=states,
            previous=previous,
            meetings=choices,
        )

    def issued_document(self, admission_id: int, kind: PlanKind) -> ArchivedDocument:
        """The archived PDF of the admission's newest plan of ``kind`` that was put in force (CLI ``pdf``)."""
        with self._ctx.database.session() as session:
            AdmissionRepository(session).get(admission_id)  # NotFoundError in Danish if it does not exist
            issued = [
                p
                for p in DischargePlanRepository(session).for_admission(admission_id)
                if p.kind is kind and p.document_id is not None
            ]
            if not issued:
                raise ValidationError(
                    f"Indlæggelse nr. {admission_id} har ingen {PLAN_TITLES[kind].lower()}, der er sat i kraft. "
                    "Sæt den i kraft under fanen Aftale/plan først.",
                    field="plan",
                )
            document_id = issued[-1].document_id
            assert document_id is not None
            return DocumentRepository(session).get(document_id, with_content=False)

    def versions(self, plan_id: int) -> list[PlanVersion]:
        """Oldest first."""
        with self._ctx.database.session() as session:
            return DischargePlanRepository(session).versions(plan_id)

    # -- the admission's facts ----------------------------------------------------------------------------
    def set_facts(
        self, admission_id: int, facts: PlanFacts, planned_discharge: date | None, *, expected_version: int
    ) -> Admission:
        """Returns the admission with its new version."""
        require(self._ctx, Permission.EDIT_PLAN)
        with self._ctx.database.session() as session:
            admissions = AdmissionRepository(session)
            admission = admissions.get(admission_id)
            if planned_discharge is not None and planned_discharge < admission.admitted:
                raise ValidationError(
                    f"Den planlagte udskrivning ligger før indlæggelsen ({admission.admitted:%d-%m-%Y}).",
                    field="planned_discharge",
                    rule="E1",
                )
            updated = admissions.update(
                dataclasses.replace(
                    admission, plan_facts=facts, planned_discharge=planned_discharge, version=expected_version
                )
            )
            self._audit.record_in(
                session,
                AuditAction.RET,
                "Forhold for udskrivningsaftale/koordinationsplan og planlagt udskrivning ændret",
                patient_id=admission.patient_id,
                admission_id=admission_id,
            )
            return updated

    # -- writing plans ------------------------------------------------------------------------------------
    def create(
        self,
        admission_id: int,
        kind: PlanKind | None = None,
        *,
        from_meeting_id: int | None = None,
        copy_previous: bool = False,
    ) -> DischargePlan:
        """A new kladde. ``kind`` None: the required kind (udskrivningsaftale when nothing is required).
        Prefills the psychiatric department (centre, ward) and the bopælskommune as parties, and the patient for
        an udskrivningsaftale; start = today."""
        require(self._ctx, Permission.EDIT_PLAN)
        today = self._ctx.clock.today()
        now = self._ctx.clock.now()
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            patient = PatientRepository(session).get(admission.patient_id)
            kind = kind or requirement(admission.plan_facts).kind or PlanKind.UDSKRIVNINGSAFTALE
            content = self._starting_content(session, admission, patient, kind, today)
            if copy_previous:
                previous = self._previous(session, admission)
                if previous is None:
                    raise ValidationError("Patienten har ingen tidligere aftale eller plan at kopiere fra.")
                content = next_plan_content(previous.content, today)
                if kind is PlanKind.KOORDINATIONSPLAN:
                    content = dataclasses.replace(
                        content, parties=tuple(p for p in content.parties if p.role is not PartyRole.PATIENT)
                    )
            source = None
            if from_meeting_id is not None:
                meeting = MeetingRepository(session).get(from_meeting_id)
                if meeting.patient_id != admission.patient_id:
                    raise ValidationError("Netværksmødet handler om en anden patient.", field="meeting")
                content = content_from_meeting(meeting, content, kind, patient_name=patient.name)
                source = from_meeting_id
            plan = DischargePlan(
                id=None,
                admission_id=admission_id,
                patient_id=admission.patient_id,
                kind=kind,
                content=content,
                source_meeting_id=source,
                created_by=self._ctx.user,
            )
            action = "Oprettet" + (" fra netværksmøde" if source else " som kopi af forrige" if copy_previous else "")
            created = DischargePlanRepository(session).add(plan, saved_by=self._ctx.user, at=now, action=action)
            self._log_plan(session, AuditAction.OPRET, created, "oprettet som kladde" + action.removeprefix("Oprettet"))
            return created

    def save(self, plan_id: int, content: PlanContent, *, expected_version: int) -> DischargePlan:
        """Store a kladde's content (impossible dates refused at once). A plan in force is changed with
        ``activate`` (a new issued version) instead: ``ValidationError`` here."""
        require(self._ctx, Permission.EDIT_PLAN)
        validate_dates(content)
        validation.check_texts(content, field="content", label="Teksten")
        with self._ctx.database.session() as session:
            repo = DischargePlanRepository(session)
            plan = self._kladde(repo, plan_id)
            changed = dataclasses.replace(plan, content=content, version=expected_version)
            saved = repo.update(changed, saved_by=self._ctx.user, at=self._ctx.clock.now(), action="Gemt")
            self._log_plan(session, AuditAction.RET, saved, "kladde gemt")
            return saved

    def pull_from_meeting(self, plan_id: int, meeting_id: int, *, expected_version: int) -> DischargePlan:
        require(self._ctx, Permission.EDIT_PLAN)
        with self._ctx.database.session() as session:
            repo = DischargePlanRepository(session)
            plan = self._kladde(repo, plan_id)
            meeting = MeetingRepository(session).get(meeting_id)
            if meeting.patient_id != plan.patient_id:
                raise ValidationError("Netværksmødet handler om en anden patient.", field="meeting")
            patient = PatientRepository(session).get(plan.patient_id)
            merged = content_from_meeting(meeting, plan.content, plan.kind, patient_name=patient.name)
            changed = dataclasses.replace(plan, content=merged, source_meeting_id=meeting_id, version=expected_version)
            pulled = repo.update(
                changed, saved_by=self._ctx.user, at=self._ctx.clock.now(), action=f"Hentet fra {meeting.reference}"
            )
            self._log_plan(session, AuditAction.RET, pulled, f"kladde hentet fra netværksmøde {meeting.reference}")
            return pulled

    def activate(
        self, plan_id: int, content: PlanContent, *, expected_version: int
    ) -> tuple[DischargePlan, ArchivedDocument]:
        require(self._ctx, Permission.EDIT_PLAN)
        now = self._ctx.clock.now()
        today = local_date(now)
        with self._ctx.database.session() as session:
            repo = DischargePlanRepository(session)
            plan = repo.get(plan_id)
            if plan.status is PlanStatus.AFSLUTTET:
                raise ValidationError(
                    f"{PLAN_DEFINITE[plan.kind]} er afsluttet og kan ikke sættes i kraft igen. Opret en ny.",
                    field="status",
                )
            validation.check_texts(content, field="content", label="Teksten")
            problems = check_complete(plan.kind, content) + check_sendings(plan.kind, content.sent_to, today)
            if problems:
                first = problems[0]
                rest = len(problems) - 1
                more = "" if not rest else f" (og {rest} {'punkt' if rest == 1 else 'punkter'} mere)"
                message = first.message.rstrip(".") + more + "." if more else first.message
                raise ValidationError(message, field=first.field, rule=first.rule)
            admission = AdmissionRepository(session).get(plan.admission_id)
            patient = PatientRepository(session).get(plan.patient_id)
            number = _issued(repo, plan_id) + 1  # the printed version: 1 for the first one in force
            revision = plan.status is PlanStatus.I_KRAFT
            title = PLAN_TITLES[plan.kind]
            assert content.start is not None and content.end is not None  # check_complete
            event = EventRepository(session).append(
                Event(
                    id=None,
                    admission_id=plan.admission_id,
                    kind=EventKind.NOTE,
                    occurred_at=now,
                    recorded_by=self._ctx.user,
                    note=(
                        f"{title} {'ny version' if revision else 'sat i kraft'}: "
                        f"{content.start:%d-%m-%Y} – {content.end:%d-%m-%Y}"
                    ),
                    data={
                        "milestone": MILESTONES[plan.kind].value,
                        "plan_id": plan_id,
                        "start": content.start.isoformat(),
                        "end": content.end.isoformat(),
                        "version": number,
                    },
                )
            )
            data = self._document_data(session, plan, content, admission, patient, number, draft=False)
            meta = _meta(
                document_id=_document_id(session, plan.kind, plan.admission_id, plan_id, number),
                kind=plan.kind,
                created_at=now,
            )
            pdf = _render(data, meta)
            document = DocumentRepository(session).add(
                ArchivedDocument(
                    id=None,
                    admission_id=plan.admission_id,
                    kind=PLAN_DOCUMENT_KIND[plan.kind],
                    title=f"{title} – version {number}",
                    created_at=now,
                    created_by=self._ctx.user,
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    data_version=_data_version(plan.kind, content, number),
                    event_id=event.id,
                    content=pdf,
                    patient_id=plan.patient_id,
                )
            )
            updated = repo.update(
                dataclasses.replace(
                    plan,
                    status=PlanStatus.I_KRAFT,
                    content=content,
                    activated_on=plan.activated_on or today,
                    event_id=event.id,
                    document_id=document.id,
                    version=expected_version,
                ),
                saved_by=self._ctx.user,
                at=now,
                action="Ny version udstedt" if revision else "Sat i kraft",
            )
            issued = "ny version udstedt" if revision else "sat i kraft"
            what = f"{issued}, version {number} ({issued_document(document.id, document.sha256)})"
            self._log_plan(session, AuditAction.UDSKRIV, updated, what)
            return updated, document

    def end(self, plan_id: int, reason: str, *, expected_version: int, on: date | None = None) -> DischargePlan:
        """``on`` defaults to today."""
        require(self._ctx, Permission.EDIT_PLAN)
        why = validation.require_name(reason, field="reason", label="Begrundelsen")
        now = self._ctx.clock.now()
        day = on or local_date(now)
        if day > local_date(now):
            raise ValidationError(
                "Datoen for afslutning kan ikke ligge i fremtiden. Ret i stedet slutdatoen.", field="on", rule="E3"
            )
        with self._ctx.database.session() as session:
            repo = DischargePlanRepository(session)
            plan = repo.get(plan_id)
            if plan.status is PlanStatus.AFSLUTTET:
                raise ValidationError(f"{PLAN_DEFINITE[plan.kind]} er allerede afsluttet.", field="status")
            if plan.status is PlanStatus.I_KRAFT:
                EventRepository(session).append(
                    Event(
                        id=None,
                        admission_id=plan.admission_id,
                        kind=EventKind.NOTE,
                        occurred_at=now,
                        recorded_by=self._ctx.user,
                        note=f"{PLAN_TITLES[plan.kind]} afsluttet {day:%d-%m-%Y}: {why}",
                        data={"plan_id": plan_id, "plan_ended": day.isoformat()},
                    )
                )
            changed = dataclasses.replace(
                plan, status=PlanStatus.AFSLUTTET, ended_on=day, ended_reason=why, version=expected_version
            )
            ended = repo.update(changed, saved_by=self._ctx.user, at=now, action=f"Afsluttet: {why}")
            self._log_plan(session, AuditAction.RET, ended, f"afsluttet {day:%d-%m-%Y}")  # the reason is free text
            return ended

    def draft_pdf(self, plan_id: int, content: PlanContent | None = None) -> bytes:
        """A preview PDF marked KLADDE (not archived), from ``content`` when given (unsaved edits)."""
        now = self._ctx.clock.now()
        with self._ctx.database.session() as session:
            repo = DischargePlanRepository(session)
            plan = repo.get(plan_id)
            admission = AdmissionRepository(session).get(plan.admission_id)
            patient = PatientRepository(session).get(plan.patient_id)
            number = _issued(repo, plan_id) + 1  # the version it would become
            data = self._document_data(session, plan, content or plan.content, admission, patient, number, draft=True)
            document_id = _document_id(session, plan.kind, plan.admission_id, plan_id, "kladde")
        meta = _meta(
            document_id=document_id,
            kind=plan.kind,
            created_at=now,
        )
        pdf = _render(data, meta)
        self._audit.record(
            AuditAction.VIS,
            f"{PLAN_TITLES[plan.kind]} nr. {plan_id}: kladde vist som PDF",
            patient_id=plan.patient_id,
            admission_id=plan.admission_id,
        )
        return pdf

    # -- helpers ------------------------------------------------------------------------------------------
    def _log_plan(self, session: Session, action: AuditAction, plan: DischargePlan, what: str) -> None:
        """One audit line for a plan (issue 8), in the plan's transaction: its title and number, never content."""
        self._audit.record_in(
            session,
            action,
            f"{PLAN_TITLES[plan.kind]} nr. {plan.id} {what}",
            patient_id=plan.patient_id,
            admission_id=plan.admission_id,
        )

    @staticmethod
    def _kladde(repo: DischargePlanRepository, plan_id: int) -> DischargePlan:
        plan = repo.get(plan_id)
        if plan.status is not PlanStatus.KLADDE:
            raise ValidationError(
                f"{PLAN_DEFINITE[plan.kind]} er sat i kraft: ret den og udsted en ny version i stedet.",
                field="status",
            )
        return plan

    @staticmethod
    def _previous(session: Session, admission: Admission) -> DischargePlan | None:
        """The newest plan put in force at an earlier admission (E3: a new one is made at each discharge)."""
        admitted = {a.id: a.admitted for a in AdmissionRepository(session).for_patient(admission.patient_id)}
        before = [
            p
            for p in DischargePlanRepository(session).for_patient(admission.patient_id)
            if p.admission_id != admission.id
            and p.status is not PlanStatus.KLADDE
            and admitted.get(p.admission_id, date.max) < admission.admitted
        ]
        return before[-1] if before else None

    @staticmethod
    def _readmitted(admission: Admission, admissions: list[Admission], events: list[Event]) -> date | None:
        """E3: the first later admission of the patient, or a READMISSION registered on this one."""
        later = [a.admitted for a in admissions if a.id != admission.id and a.admitted >= admission.admitted]
        later += [local_date(e.occurred_at) for e in events if e.kind is EventKind.READMISSION]
        return readmission_after(admission.discharged, later)

    def _due(self, admission: Admission, events: list[Event], today: date) -> date | None:
        try:
            found = [
                d
                for d in compute_deadlines(admission, events, self._ctx.calendar, today, self._ctx.rules)
                if d.rule_id in ("E1", "E2")
            ]
        except ProcessError:
            found = []
        return found[0].due if found else plan_due(admission.planned_discharge, admission.expected_faerdigbehandlet)

    def _starting_content(
        self, session: Session, admission: Admission, patient: Patient, kind: PlanKind, today: date
    ) -> PlanContent:
        profile = load_profile(self._ctx)
        kommune = KommuneRepository(session).get(admission.handlekommune or admission.bopaelskommune)
        kommune_label = official_kommune_name(kommune.name) if kommune else admission.bopaelskommune
        parties = [
            Party(PartyRole.PSYKIATRI, "", f"{admission.center}, {admission.ward}", profile.phone, profile.secure_mail),
            Party(PartyRole.KOMMUNE, "", kommune_label, "", (kommune.secure_mail or "") if kommune else ""),
            Party(PartyRole.EGEN_LAEGE, "", ""),
        ]
        if kind is PlanKind.UDSKRIVNINGSAFTALE:
            parties.insert(0, Party(PartyRole.PATIENT, patient.name, "", patient.phone or ""))
        sent = [SentTo("Egen læge", None, with_epikrise=True), SentTo(kommune_label)]
        return PlanContent(parties=tuple(parties), start=today, sent_to=tuple(sent))

    def _document_data(
        self,
        session: Session,
        plan: DischargePlan,
        content: PlanContent,
        admission: Admission,
        patient: Patient,
        number: int,
        *,
        draft: bool,
    ) -> DischargePlanDocument:
        profile = load_profile(self._ctx)
        kommune = KommuneRepository(session).get(admission.bopaelskommune)
        issued = [v for v in DischargePlanRepository(session).versions(plan.id or 0) if v.status is PlanStatus.I_KRAFT]
        earlier = tuple(  # the earlier issued versions' sendings: they stay visible on the next version
            (issued_number, sending)
            for issued_number, version in enumerate(issued[: number - 1], start=1)
            for sending in version.content.sent_to
            if sending.sent_on is not None
        )
        source = None
        if plan.source_meeting_id is not None:
            m = MeetingRepository(session).get(plan.source_meeting_id)
            source = f"Netværksmøde {m.reference}, {_meeting_day(m.planned_at, m.invited_on):%d-%m-%Y}"
        return discharge_plan.DischargePlanDocument(
            kind=plan.kind,
            content=content,
            patient_name=patient.name,
            cpr=patient.cpr,
            address=patient.address,
            center=admission.center,
            ward=admission.ward,
            admitted=admission.admitted,
            planned_discharge=admission.planned_discharge,
            kommune_name=kommune.name if kommune else admission.bopaelskommune,
            coordinator_name=self._ctx.user,
            coordinator_phone=profile.phone or None,
            coordinator_secure_mail=profile.secure_mail or None,
            version_number=number,
            source_meeting=source,
            draft=draft,
            condition=legal_condition(plan.kind, admission.plan_facts),
            earlier_sendings=earlier,
        )


def _meeting_day(planned_at: datetime | None, invited_on: date) -> date:
    return local_date(planned_at) if planned_at is not None else invited_on


def _meta(*, document_id: str, kind: PlanKind, created_at: datetime) -> DocumentMeta:
    title = discharge_plan.document_title(kind)
    return layout.DocumentMeta(document_id=document_id, title=title, created_at=created_at, app_version=__version__)


def _render(data: DischargePlanDocument, meta: DocumentMeta) -> bytes:
    return discharge_plan.render_discharge_plan(data, meta)


def _data_version(kind: PlanKind, content: PlanContent, number: int) -> str:
    canonical = json.dumps({"kind": kind.value, "version": number, "content": content.to_dict()}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _issued(repo: DischargePlanRepository, plan_id: int) -> int:
    """How many versions of the plan have been put in force (each one an archived PDF)."""
    return sum(1 for v in repo.versions(plan_id) if v.status is PlanStatus.I_KRAFT)
