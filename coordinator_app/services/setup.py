"""Reference data and the demo ward: what a database needs before the first screen."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.discharge_plans import Offer, PartyRole, sendings_for_issue
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    MeetingContent,
    MeetingForm,
    Occasion,
    Participant,
)
from coordinator_app.domain.model import Admission, Event, PlanFacts, Sector
from coordinator_app.infra.resources import load_kommuner
from coordinator_app.lazy import lazy_import
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import COPENHAGEN, ServiceContext, fixed_clock
from coordinator_app.services.ward import DEMO_META_KEY, DEMO_PROFILE, is_demo, save_profile
from coordinator_app.storage import reads
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    ConsentRepository,
    KommuneRepository,
    bulk_load,
    clear_all,
)

if TYPE_CHECKING:
    from coordinator_app import demo
    from coordinator_app.services import documents, meetings, plans
else:  # only when the demo ward is loaded, not at start
    demo = lazy_import("coordinator_app.demo")
    documents = lazy_import("coordinator_app.services.documents")
    meetings = lazy_import("coordinator_app.services.meetings")
    plans = lazy_import("coordinator_app.services.plans")


@dataclass(frozen=True)
class DemoSummary:
    patients: int
    admissions: int
    events: int


def _demo_documents(ctx: ServiceContext, ward: demo.DemoWard) -> None:
    """Every kind of notification with its archived varslingsblanket: the few current admissions whose histories
    together hold every kind (orientering, varsling, færdigmelding, i bero, genoptaget, afmelding, orientering om
    udskrivning) get a blanket for each of their notifications, issued by the coordinator who sent it at the
    moment it was sent — as the Send dialog issues it — from the consent and the form's content the event carries
    (``demo._paperwork``). Not every admission: a blanket takes ~40 ms to render and ``--demo`` loads the ward
    at every start."""
    current = {a.id: a for a in ward.admissions if a.discharged is None}
    sent: dict[int, list[Event]] = {}
    for event in ward.events:
        if event.admission_id in current and event.kind in documents.FORM_FOR_EVENT:
            sent.setdefault(event.admission_id, []).append(event)
    chosen: list[int] = []
    missing = set(documents.FORM_FOR_EVENT)
    while missing:  # the admission showing the most kinds not yet shown; the first such by id
        best = max(sorted(sent), key=lambda i: len(missing & {e.kind for e in sent[i]}), default=None)
        if best is None or not missing & {e.kind for e in sent[best]}:
            break
        chosen.append(best)
        missing -= {e.kind for e in sent[best]}
    patients = {p.id: p for p in ward.patients}
    with ctx.database.session() as session:
        for event in (e for i in sorted(chosen) for e in sent[i]):
            admission = current[event.admission_id]
            sender = ServiceContext(
                database=ctx.database,
                calendar=ctx.calendar,
                clock=fixed_clock(event.occurred_at),
                user=event.recorded_by,
                rules=ctx.rules,
            )
            written = documents.FormDetails.from_record(event.data.get("form"))
            form = dataclasses.replace(written, consent_basis=str(event.data.get("basis", "")))
            documents.DocumentService(sender).issue_in(session, admission, patients[admission.patient_id], event, form)


def _demo_meetings(ctx: ServiceContext, admissions: Sequence[Admission]) -> None:
    """Two netværksmøder so the Møder tab and the tasks have something to show: one held last week with
    agreements (one done, one open) and its referat issued, one planned in two working days. Fictitious
    participants only; not for a patient who wants to leave (B8: the consent is withdrawn)."""
    current = [
        a
        for a in admissions
        if a.discharged is None and a.scenario in (2, 3) and not a.flags.homeless and not a.flags.wants_to_leave
    ]
    if len(current) < 2:
        return
    service = meetings.MeetingService(ctx)
    today = ctx.clock.today()
    cal = ctx.calendar
    held_on = cal.add_working_days(today, -3)
    planned = cal.add_working_days(today, 2)

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, 0), COPENHAGEN).astimezone(UTC)

    first, second = current[0], current[1]
    assert first.id is not None and second.id is not None
    held = service.schedule(
        meetings.ScheduleInput(
            patient_id=first.patient_id,
            admission_id=first.id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=cal.add_working_days(held_on, -2),
            planned_at=at(held_on, 13),
            place="Afsnit 7, mødelokale 2",
        )
    )
    assert held.id is not None
    meeting_id = held.id
    held = service.start(meeting_id)
    content = MeetingContent(
        texts={
            "formaal": "- Status på indlæggelsen\n- Patientens ønsker: egen bolig med støtte\n"
            "- Støtte efter udskrivning",
            "behandling": "Medicin uændret; blodprøve før udskrivning.",
        },
        participants=(
            Participant("p", "Patienten", "", Sector.BORGER, "patient"),
            Participant(
                "k",
                "Lone Fiktivsen",
                "Kommunens socialforvaltning",
                Sector.KOMMUNE,
                "sagsbehandler",
                phone="12 34 56 78",
                email="lone.fiktivsen@example.dk",
            ),
            Participant(
                "r",
                "Jonas Eksempel",
                "Psykiatrisk Center København",
                Sector.REGION,
                "overlæge",
                phone="12 34 56 79",
                email="jonas.eksempel@example.dk",
                health_professional=True,
            ),
        ),
        leader_key="k",
        referent_key="r",
        tovholder_key="k",
        agreements=(
            AgreementItem("a1", "Ansøgning om bostøtte behandles", "k", cal.add_working_days(today, 3)),
            AgreementItem("a2", "Epikrise og medicinliste til egen læge", "r", held_on, AgreementStatus.UDFOERT),
        ),
        follow_up=FollowUp(needed=False),
    )
    assert held.version is not None
    held = service.save_content(meeting_id, content, expected_version=held.version)
    assert held.version is not None
    service.close(meeting_id, expected_version=held.version)
    service.issue_referat(meeting_id)  # C7: the referat, archived at the patient and the admission
    service.schedule(
        meetings.ScheduleInput(
            patient_id=second.patient_id,
            admission_id=second.id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=today,
            planned_at=at(planned, 10),
            form=MeetingForm.VIDEO,
            place="Link sendes separat",
        )
    )


def _demo_plans(ctx: ServiceContext, admissions: Sequence[Admission]) -> None:
    """E1/E2 on about a quarter of the current admissions, each with a planned discharge ahead, so every plan
    state can be seen whatever the day: a koordinationsplan in force (the first patient who wants to leave and
    will not take part, B8/E2) and one missing, udskrivningsaftaler in force (PDF archived) and missing by turns,
    and a kladde pulled from last week's netværksmøde — the warning, the deadline in the list and both
    documents."""
    service = plans.PlanService(ctx)
    today = ctx.clock.today()
    cal = ctx.calendar
    current = sorted((a for a in admissions if a.discharged is None and a.id is not None), key=lambda a: a.id or 0)
    meeting_service = meetings.MeetingService(ctx)
    held = next((m for a in current for m in meeting_service.for_admission(a.id or 0) if m.closed_at), None)
    held_admission = held.admission_id if held is not None else None
    chosen = [a for i, a in enumerate(current) if i % 4 == 2 or a.flags.wants_to_leave or a.id == held_admission]
    refusing = agreeing = 0  # how many of each have been given a plan's requirement so far
    for i, a in enumerate(chosen):
        assert a.id is not None
        refuses = a.flags.wants_to_leave  # B8: will not stay and will not take part → koordinationsplan (E2)
        facts = PlanFacts(
            afsnit_v_support=a.flags.botilbud or i % 2 == 0,
            wont_seek_help=not (a.flags.botilbud or i % 2 == 0) or refuses,
            refuses_participation=refuses,
        )
        earliest = cal.add_working_days(today, 3)
        expected = a.expected_faerdigbehandlet
        planned = expected if expected is not None and expected >= earliest else cal.add_working_days(earliest, i % 8)
        service.set_facts(a.id, facts, planned, expected_version=a.version or 1)
        if held is not None and a.id == held_admission:
            service.create(a.id, from_meeting_id=held.id)  # the kladde, of the kind required
            continue
        if refuses:
            refusing += 1
            if refusing > 1:
                continue  # a koordinationsplan missing: the warning and the E2 deadline show it
        else:
            agreeing += 1
            if agreeing % 2 == 0:
                continue  # an udskrivningsaftale missing (E1)
        _demo_plan_in_force(service, a.id, planned, today, refuses=refuses)


def _demo_plan_in_force(
    service: plans.PlanService, admission_id: int, planned: date, today: date, *, refuses: bool
) -> None:
    """A plan of the required kind, filled in and put in force (its PDF archived)."""
    plan = service.create(admission_id)
    assert plan.id is not None and plan.version is not None
    c = plan.content
    names = {
        PartyRole.PSYKIATRI: "Jonas Eksempel, overlæge",
        PartyRole.KOMMUNE: "Lone Fiktivsen, sagsbehandler",
        PartyRole.EGEN_LAEGE: "Lægehuset Eksempelvej",
    }
    parties = tuple(p if p.name else dataclasses.replace(p, name=names.get(p.role, "Ukendt")) for p in c.parties)
    content = dataclasses.replace(
        c,
        parties=parties,
        treatment_offers=(
            Offer("Ambulant opfølgning i distriktspsykiatrien hver 14. dag", "Distriktspsykiatrien", planned),
            Offer("Depotmedicin gives i distriktspsykiatrien", "Distriktspsykiatrien", planned),
        ),
        social_offers=(Offer("Bostøtte § 85, 3 timer om ugen", "Socialpsykiatrien", planned),),
        wishes="Vil gerne bo i egen lejlighed og komme tilbage i aktivitetstilbuddet.",
        goals="Passe sin medicin selv og holde kontakten til bostøtten.",
        contact_person="Lone Fiktivsen, Socialpsykiatrien, 12 34 56 78",
        overlaege="Jonas Eksempel",
        reaction_who="Kontaktpersonen i Socialpsykiatrien",
        reaction_how="Ringer til patienten samme dag og kontakter distriktspsykiatrien, hvis der ikke er svar.",
        start=today,
        end=planned + timedelta(days=182),
        patient_agrees=not refuses,
        patient_agreed_on=today if not refuses else None,
    )
    content = dataclasses.replace(content, sent_to=sendings_for_issue(content, today))  # sent as it is issued
    service.activate(plan.id, content, expected_version=plan.version)


def ensure_reference_data(ctx: ServiceContext) -> None:
    """Load the 98 kommuner from ``resources/kommuner.csv`` into an empty database (editable later)."""
    with ctx.database.connect() as connection:  # Core: the usual answer at start needs no ORM (issue 15)
        if reads.kommune_count(connection):
            return
    with ctx.database.session() as session:
        repo = KommuneRepository(session)
        if not repo.all():
            repo.upsert_many(load_kommuner())


def load_demo_ward(ctx: ServiceContext, *, seed: int = 2026) -> DemoSummary:
    """Fill the database with a fresh demo ward as of today.

    Only an empty database or one that is already a demo database is touched: real data is never
    overwritten (issue 2).
    """
    with ctx.database.session() as session:
        has_data = AdmissionRepository(session).count() > 0
    if has_data and not is_demo(ctx):
        raise KoordinatorError(
            "Databasen indeholder rigtige patientdata, så demo-afdelingen indlæses ikke her. "
            "Start med en anden database (--database) for at se demoen."
        )
    ward = demo.generate_demo_ward(ctx.clock.today(), seed=seed)
    with ctx.database.session() as session:
        # The audit log is never cleared (issue 8): this line marks where the old demo's patient ids stop meaning
        # anything, since a reload reuses them.
        AuditService(ctx).record_in(session, AuditAction.SLET, "Demo-data genindlæst")
        clear_all(session)
        bulk_load(
            session,
            kommuner=ward.kommuner,
            patients=ward.patients,
            admissions=ward.admissions,
            events=ward.events,
        )
        consents = ConsentRepository(session)
        for consent in ward.consents:  # F1: what the current admissions' sendings rest on (B8: withdrawn since)
            consents.add(consent)
    ctx.database.set_meta(DEMO_META_KEY, "1")
    save_profile(ctx, DEMO_PROFILE)
    _demo_documents(ctx, ward)
    _demo_meetings(ctx, ward.admissions)
    _demo_plans(ctx, ward.admissions)
    return DemoSummary(len(ward.patients), len(ward.admissions), len(ward.events))
