"""Udskrivningsaftale and koordinationsplan through PlanService (E1–E3), on SQLite and PostgreSQL: facts and the
warning, kladde from a netværksmøde, completeness before it is in force, the archived PDF and milestone, new
versions, ending by hand, readmission and the next admission."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import UTC, date, datetime

import pytest
from helpers.plans import completed
from helpers.ward import Admitted, admission_input, assess_scenario, held_meeting
from helpers.ward import admit as admit_patient
from pypdf import PdfReader
from sqlalchemy import func, select

from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.discharge_plans import (
    PartyRole,
    PlanKind,
    PlanState,
    PlanStatus,
    SendChannel,
    sendings_for_issue,
)
from coordinator_app.domain.errors import ConflictError, KoordinatorError, ValidationError
from coordinator_app.domain.meetings import AgreementItem, MeetingContent, Participant
from coordinator_app.domain.model import DeadlineState, PlanFacts, Sector
from coordinator_app.domain.rules import Milestone
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.services.plans import PlanService
from coordinator_app.storage.orm import DocumentRow, EventRow
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
TODAY = date(2026, 11, 23)
AFTALE, PLAN = PlanKind.UDSKRIVNINGSAFTALE, PlanKind.KOORDINATIONSPLAN


@pytest.fixture
def plans(ctx: ServiceContext) -> PlanService:
    return PlanService(ctx)


def admit(ctx: ServiceContext, admitted: date = date(2026, 11, 2), discharged: date | None = None) -> int:
    """Testa Fiktivsen on Afsnit 7; the admission's id."""
    return admit_patient(ctx, ward="Afsnit 7", admitted=admitted, discharged=discharged).admission_id


@pytest.fixture
def admission_id(ctx: ServiceContext) -> int:
    return admit(ctx)


def require(plans: PlanService, admission_id: int, facts: PlanFacts, planned: date | None = date(2026, 12, 4)) -> None:
    version = plans.panel(admission_id).admission.version
    assert version is not None
    plans.set_facts(admission_id, facts, planned, expected_version=version)


def plan_deadlines(ctx: ServiceContext, admission_id: int, today: date = TODAY):
    with ctx.database.session() as session:
        admission = AdmissionRepository(session).get(admission_id)
        events = EventRepository(session).for_admission(admission_id)
    return [d for d in compute_deadlines(admission, events, ctx.calendar, today) if d.rule_id in ("E1", "E2", "E3")]


# -- facts, requirement and the warning ------------------------------------------------------------------------


def test_nothing_required_by_default(plans: PlanService, admission_id: int) -> None:
    panel = plans.panel(admission_id)
    assert panel.overview.requirement.kind is None and panel.overview.warning is None
    assert (panel.plans, panel.previous, panel.patient_name) == ((), None, "Testa Fiktivsen")


def test_facts_make_a_warning_and_a_deadline_in_the_list(ctx, plans: PlanService, admission_id: int) -> None:
    assess_scenario(ctx, Admitted(plans.panel(admission_id).admission.patient_id, admission_id))  # A1 met
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    panel = plans.panel(admission_id)
    assert panel.admission.plan_facts == PlanFacts(afsnit_v_support=True)
    assert panel.admission.planned_discharge == date(2026, 12, 4)
    assert panel.overview.warning == "Udskrivningsaftale mangler – skal foreligge før udskrivning 04-12-2026 (E1)."
    [row] = AdmissionService(ctx).list_rows()
    assert (row.next_rule, row.next_due) == ("E1", date(2026, 12, 4))
    # Refusing to take part turns it into a koordinationsplan (E2).
    require(plans, admission_id, PlanFacts(afsnit_v_support=True, refuses_participation=True))
    assert plans.panel(admission_id).overview.requirement.kind is PLAN
    assert AdmissionService(ctx).list_rows()[0].next_rule == "E2"


def test_stale_facts_are_refused_and_nothing_changes(plans: PlanService, admission_id: int) -> None:
    version = plans.panel(admission_id).admission.version
    assert version is not None
    plans.set_facts(admission_id, PlanFacts(wont_seek_help=True), None, expected_version=version)
    with pytest.raises(ConflictError):
        plans.set_facts(admission_id, PlanFacts(), None, expected_version=version)
    assert plans.panel(admission_id).admission.plan_facts == PlanFacts(wont_seek_help=True)


def test_planned_discharge_before_admission_is_refused(plans: PlanService, admission_id: int) -> None:
    with pytest.raises(ValidationError) as info:
        require(plans, admission_id, PlanFacts(afsnit_v_support=True), date(2026, 10, 1))
    assert info.value.field == "planned_discharge"
    assert plans.panel(admission_id).admission.planned_discharge is None


def test_editing_the_admission_keeps_the_facts(ctx, plans: PlanService, admission_id: int) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    AdmissionService(ctx).update_admission(
        admission_id,
        admission_input(family_name="Fiktivsen-Ny", ward="Afsnit 7"),
    )
    admission = plans.panel(admission_id).admission
    assert (admission.plan_facts.afsnit_v_support, admission.planned_discharge) == (True, date(2026, 12, 4))


# -- the kladde ---------------------------------------------------------------------------------------------------


def test_a_new_kladde_is_prefilled(plans: PlanService, admission_id: int) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    plan = plans.create(admission_id)
    assert (plan.kind, plan.status, plan.content.start) == (AFTALE, PlanStatus.KLADDE, TODAY)
    roles = [(p.role, p.name, p.organisation) for p in plan.content.parties]
    assert roles == [
        (PartyRole.PATIENT, "Testa Fiktivsen", ""),
        (PartyRole.PSYKIATRI, "", "Psykiatrisk Center København, Afsnit 7"),
        (PartyRole.KOMMUNE, "", "Københavns Kommune"),
        (PartyRole.EGEN_LAEGE, "", ""),
    ]
    assert [(s.recipient, s.with_epikrise) for s in plan.content.sent_to] == [
        ("Egen læge", True),
        ("Københavns Kommune", False),
    ]
    assert plan.id is not None
    assert [v.action for v in plans.versions(plan.id)] == ["Oprettet"]
    # A kladde does not meet E1: the warning says so.
    warning = plans.panel(admission_id).overview.warning
    assert warning is not None and "kladde" in warning


def test_a_koordinationsplan_has_no_patient_party(plans: PlanService, admission_id: int) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True, refuses_participation=True))
    plan = plans.create(admission_id)
    assert plan.kind is PLAN and PartyRole.PATIENT not in {p.role for p in plan.content.parties}


def test_save_keeps_versions_and_refuses_stale_or_impossible_content(plans: PlanService, admission_id: int) -> None:
    plan = plans.create(admission_id, AFTALE)
    assert plan.id is not None and plan.version is not None
    saved = plans.save(plan.id, dataclasses.replace(plan.content, wishes="Egen bolig"), expected_version=plan.version)
    assert saved.content.wishes == "Egen bolig" and saved.version != plan.version
    with pytest.raises(ConflictError):
        plans.save(plan.id, dataclasses.replace(plan.content, wishes="Gammel"), expected_version=plan.version)
    assert saved.version is not None
    with pytest.raises(ValidationError) as info:
        plans.save(plan.id, dataclasses.replace(saved.content, end=date(2026, 1, 1)), expected_version=saved.version)
    assert info.value.field == "end"
    assert plans.panel(admission_id).plans[0].content.wishes == "Egen bolig"
    assert [v.number for v in plans.versions(plan.id)] == [1, 2]


# -- from a netværksmøde -------------------------------------------------------------------------------------------

KIM = Participant("p1", "Kim Kommune", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler", "12 34 56 74")
RIKKE = Participant("p2", "Rikke Region", "PC København", Sector.REGION, "overlæge", health_professional=True)
BORGER = Participant("p3", "Testa Fiktivsen", "", Sector.BORGER)


def closed_meeting(ctx: ServiceContext, admission_id: int) -> int:
    with ctx.database.session() as session:
        patient_id = AdmissionRepository(session).get(admission_id).patient_id
    content = MeetingContent(
        texts={"formaal": "Støtte efter udskrivning"},
        participants=(KIM, RIKKE, BORGER),
        leader_key="p2",
        referent_key="p1",
        tovholder_key="p1",
        agreements=(
            AgreementItem("a1", "Bostøtte visiteres", "p1", date(2026, 12, 4)),
            AgreementItem("a2", "Ambulant opfølgning hver 14. dag", "p2", date(2026, 12, 7)),
        ),
    )
    meeting = held_meeting(
        ctx,
        Admitted(patient_id, admission_id),
        content,
        invited_on=TODAY,
        planned_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        place="Afsnit 7, mødelokalet",
    )
    assert meeting.id is not None
    return meeting.id


def test_a_kladde_from_a_netvaerksmoede(ctx, plans: PlanService, admission_id: int) -> None:
    meeting_id = closed_meeting(ctx, admission_id)
    [choice] = plans.panel(admission_id).meetings
    assert (choice.meeting_id, choice.agreements) == (meeting_id, 2)
    assert "afsluttet" in choice.label
    plan = plans.create(admission_id, AFTALE, from_meeting_id=meeting_id)
    assert plan.source_meeting_id == meeting_id
    assert [(o.what, o.responsible) for o in plan.content.social_offers] == [
        ("Bostøtte visiteres", "Kim Kommune (Københavns Kommune)")
    ]
    assert [o.what for o in plan.content.treatment_offers] == ["Ambulant opfølgning hver 14. dag"]
    # The meeting's people fill the kladde's nameless department and kommune rows; the patient is not doubled.
    assert [(p.role, p.name, p.organisation) for p in plan.content.parties] == [
        (PartyRole.PATIENT, "Testa Fiktivsen", ""),
        (PartyRole.PSYKIATRI, "Rikke Region", "PC København"),
        (PartyRole.KOMMUNE, "Kim Kommune", "Københavns Kommune"),
        (PartyRole.EGEN_LAEGE, "", ""),
    ]
    assert plan.content.parties[2].phone == "12 34 56 74"
    # Pulling again changes nothing but the history.
    assert plan.id is not None and plan.version is not None
    again = plans.pull_from_meeting(plan.id, meeting_id, expected_version=plan.version)
    assert again.content == plan.content
    assert plans.versions(plan.id)[-1].action.startswith("Hentet fra NM-")


def test_a_koordinationsplan_from_a_meeting_never_makes_the_patient_a_party(
    ctx, plans: PlanService, admission_id: int
) -> None:
    """§13b, as the plan editor's «Hent fra netværksmøde» does it: the patient was added under "Andet" (as the
    issue saw) and by name; a koordinationsplan leaves them out, an udskrivningsaftale has them as the patient."""
    with ctx.database.session() as session:
        patient_id = AdmissionRepository(session).get(admission_id).patient_id
    as_other = Participant("p3", "Testa Fiktivsen", "", Sector.ANDET, "patient")
    content = MeetingContent(participants=(KIM, RIKKE, as_other), leader_key="p2", referent_key="p1")
    meeting = held_meeting(
        ctx, Admitted(patient_id, admission_id), content, invited_on=TODAY, planned_at=None, place="Afsnit 7"
    )
    assert meeting.id is not None
    plan = plans.create(admission_id, PLAN)
    assert plan.id is not None and plan.version is not None
    pulled = plans.pull_from_meeting(plan.id, meeting.id, expected_version=plan.version)
    assert "Testa Fiktivsen" not in [p.name for p in pulled.content.parties]
    assert PartyRole.PATIENT not in {p.role for p in pulled.content.parties}
    made = plans.create(admission_id, PLAN, from_meeting_id=meeting.id)
    assert "Testa Fiktivsen" not in [p.name for p in made.content.parties]
    aftale = plans.create(admission_id, AFTALE, from_meeting_id=meeting.id)
    assert [p.name for p in aftale.content.parties if p.role is PartyRole.PATIENT] == ["Testa Fiktivsen"]
    assert PartyRole.ANDEN not in {p.role for p in aftale.content.parties}


def test_a_meeting_of_another_patient_is_refused(ctx, plans: PlanService, admission_id: int) -> None:
    other = admit_patient(
        ctx,
        cpr="020290-9908",
        given_name="Anden",
        family_name="Testesen",
        bopaelskommune="147",
        ward="Afsnit 7",
        admitted=date(2026, 11, 10),
    )
    meeting_id = closed_meeting(ctx, other.admission_id)
    with pytest.raises(ValidationError):
        plans.create(admission_id, AFTALE, from_meeting_id=meeting_id)


# -- in force --------------------------------------------------------------------------------------------------------


def count(ctx: ServiceContext, row: type) -> int:
    with ctx.database.session() as session:
        number = session.scalar(select(func.count()).select_from(row))
    assert number is not None
    return number


def test_an_incomplete_plan_is_not_put_in_force_and_nothing_is_written(ctx, plans, admission_id) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    plan = plans.create(admission_id)
    events, documents = count(ctx, EventRow), count(ctx, DocumentRow)
    with pytest.raises(ValidationError) as info:
        plans.activate(plan.id, plan.content, expected_version=plan.version)
    assert info.value.field == "parties"
    assert info.value.message == "Angiv den psykiatriske afdeling som part (og 10 punkter mere)."  # and the overlæge
    assert (count(ctx, EventRow), count(ctx, DocumentRow)) == (events, documents)
    assert plans.panel(admission_id).plans[0].status is PlanStatus.KLADDE


def test_putting_in_force_archives_the_pdf_and_meets_e1(ctx, plans: PlanService, admission_id: int) -> None:
    assess_scenario(ctx, Admitted(plans.panel(admission_id).admission.patient_id, admission_id))  # A1 met
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    plan = plans.create(admission_id)
    assert plan.id is not None and plan.version is not None
    active, document = plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    assert document.id is not None and active.event_id is not None and active.version is not None
    assert (active.status, active.activated_on, active.document_id) == (PlanStatus.I_KRAFT, TODAY, document.id)
    assert document.kind == "udskrivningsaftale" and document.title == "Udskrivningsaftale – version 1"
    pdf = DocumentService(ctx).content(document.id)
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "§ 13 a" in text and "Kontaktpersonen i Socialpsykiatrien" in text and "KLADDE" not in text
    assert f"Dokument-ID: UP-{admission_id}-{plan.id}-1" in text
    with ctx.database.session() as session:
        milestone = EventRepository(session).get(active.event_id)
    assert milestone.data["milestone"] == Milestone.UDSKRIVNINGSAFTALE
    assert (milestone.data["end"], milestone.data["plan_id"]) == ("2027-05-31", plan.id)
    by_rule = {d.rule_id: d for d in plan_deadlines(ctx, admission_id)}
    assert (by_rule["E1"].state, by_rule["E1"].met_on) == (DeadlineState.MET, TODAY)
    assert by_rule["E3"].due == date(2027, 5, 31)
    panel = plans.panel(admission_id)
    assert panel.overview.warning is None and panel.states[plan.id].state is PlanState.I_KRAFT
    assert AdmissionService(ctx).list_rows()[0].next_rule is None  # the end date (E3) is not an action
    # In force, it is changed only by issuing a new version.
    with pytest.raises(ValidationError):
        plans.save(plan.id, active.content, expected_version=active.version)


def test_a_new_version_replaces_the_end_date_and_keeps_the_first_fulfilment(ctx, plans, admission_id, clock) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    plan = plans.create(admission_id)
    active, first = plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    clock.moment = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    longer = dataclasses.replace(active.content, end=date(2027, 8, 31))
    revised, second = plans.activate(plan.id, longer, expected_version=active.version)
    assert second.id != first.id and second.sha256 != first.sha256
    assert revised.activated_on == TODAY  # first put in force
    deadlines = plan_deadlines(ctx, admission_id, date(2026, 11, 30))
    assert [(d.rule_id, d.due) for d in deadlines if d.rule_id == "E3"] == [("E3", date(2027, 8, 31))]
    assert next(d for d in deadlines if d.rule_id == "E1").met_on == TODAY
    assert [v.action for v in plans.versions(plan.id)] == ["Oprettet", "Sat i kraft", "Ny version udstedt"]
    assert {d.title for d in DocumentService(ctx).documents(admission_id)} >= {
        "Udskrivningsaftale – version 1",
        "Udskrivningsaftale – version 2",
    }


def pdf_text(ctx: ServiceContext, document_id: int | None) -> str:
    assert document_id is not None
    pdf = DocumentService(ctx).content(document_id)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_sending_is_recorded_on_the_issued_version_and_a_resend_keeps_the_first(
    ctx, plans: PlanService, admission_id: int, clock
) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    plan = plans.create(admission_id)
    assert plan.id is not None and plan.version is not None
    content = completed(plan.content)
    sent = sendings_for_issue(content, TODAY)  # Egen læge (with the epikrise) and the kommune, today, sikker post
    assert [(s.sent_on, s.channel) for s in sent] == [(TODAY, SendChannel.SIKKER_POST)] * 2
    kommune = sent[1].recipient

    # A copy recorded as sent must say how, and cannot have gone after today: refused, nothing written.
    documents = count(ctx, DocumentRow)
    for bad in (
        (dataclasses.replace(sent[0], channel=None), sent[1]),
        (sent[0], dataclasses.replace(sent[1], sent_on=date(2026, 11, 24))),
    ):
        with pytest.raises(ValidationError) as info:
            plans.activate(plan.id, dataclasses.replace(content, sent_to=bad), expected_version=plan.version)
        assert (info.value.field, info.value.rule) == ("sent_to", "E1")
    assert count(ctx, DocumentRow) == documents

    active, first = plans.activate(plan.id, dataclasses.replace(content, sent_to=sent), expected_version=plan.version)
    assert active.content.sent_to == sent and active.version is not None
    text = pdf_text(ctx, first.id)
    assert "Egen læge 23-11-2026 Sikker post med epikrise" in text and f"{kommune} 23-11-2026 Sikker post" in text
    assert "Ikke sendt" not in text and "Tidligere udsendelser" not in text
    assert "Ansvarlig overlæge Rie Regionsen" in text and "ANSVARLIG OVERLÆGE Rie Regionsen" in text
    assert "Patienten modtager støtte efter servicelovens afsnit V på grund af nedsat psykisk funktionsevne." in text

    # A week later the kommune's copy is sent again, by letter: a new issued version; the first stays as it was.
    clock.moment = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    resend = (
        dataclasses.replace(sent[0], sent_on=None),
        dataclasses.replace(sent[1], sent_on=date(2026, 11, 30), channel=SendChannel.PAPIR),
    )
    revised, second = plans.activate(
        plan.id, dataclasses.replace(active.content, sent_to=resend), expected_version=active.version
    )
    assert second.id != first.id and revised.content.sent_to == resend
    assert pdf_text(ctx, first.id) == text  # archived bytes are never changed
    again = pdf_text(ctx, second.id)
    assert "Egen læge Ikke sendt med epikrise" in again and f"{kommune} 30-11-2026 Papir (brev)" in again
    assert "Tidligere udsendelser (tidligere versioner) Version Modtager Sendt Hvordan Bemærkning" in again
    assert f"1 Egen læge 23-11-2026 Sikker post med epikrise 1 {kommune} 23-11-2026 Sikker post" in again


def test_the_condition_is_not_known_when_no_fact_was_recorded(ctx, plans: PlanService, admission_id: int) -> None:
    plan = plans.create(admission_id)  # nothing required: made anyway
    assert plan.id is not None and plan.version is not None
    _, document = plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    text = pdf_text(ctx, document.id)
    assert "Derfor skal der indgås en udskrivningsaftale (psykiatriloven § 13 a) Ikke oplyst" in text


def test_ending_by_hand(ctx, plans: PlanService, admission_id: int) -> None:
    require(plans, admission_id, PlanFacts(afsnit_v_support=True))
    plan = plans.create(admission_id)
    assert plan.id is not None and plan.version is not None
    active, _ = plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    assert active.version is not None
    with pytest.raises(ValidationError):
        plans.end(plan.id, "  ", expected_version=active.version)
    with pytest.raises(ValidationError):
        plans.end(plan.id, "Flytter", expected_version=active.version, on=date(2026, 12, 24))
    ended = plans.end(plan.id, "Patienten flytter til Aarhus", expected_version=active.version)
    assert (ended.status, ended.ended_on, ended.ended_reason) == (
        PlanStatus.AFSLUTTET,
        TODAY,
        "Patienten flytter til Aarhus",
    )
    panel = plans.panel(admission_id)
    assert panel.states[plan.id].state is PlanState.AFSLUTTET
    e3 = next(d for d in plan_deadlines(ctx, admission_id) if d.rule_id == "E3")
    assert (e3.state, e3.met_on) == (DeadlineState.MET, TODAY)
    assert ended.version is not None
    with pytest.raises(ValidationError, match="Udskrivningsaftalen er allerede afsluttet"):
        plans.end(plan.id, "Igen", expected_version=ended.version)
    # Ended by hand while admitted, it no longer meets E1: the warning and the deadline come back.
    assert plans.panel(admission_id).overview.missing
    e1 = next(d for d in plan_deadlines(ctx, admission_id) if d.rule_id == "E1")
    assert e1.state is DeadlineState.OPEN
    with pytest.raises(ValidationError):
        plans.activate(plan.id, ended.content, expected_version=ended.version)


def test_draft_pdf_is_marked_and_not_archived(ctx, plans: PlanService, admission_id: int) -> None:
    plan = plans.create(admission_id, PLAN)
    assert plan.id is not None
    documents = count(ctx, DocumentRow)
    pdf = plans.draft_pdf(plan.id, dataclasses.replace(plan.content, wishes="Usynlig ændring"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "KLADDE" in text and "§ 13 b" in text and "Usynlig ændring" in text
    assert f"Dokument-ID: KP-{admission_id}-{plan.id}-kladde" in text and "UP-" not in text
    assert count(ctx, DocumentRow) == documents


# -- readmission and the next discharge (E3) ---------------------------------------------------------------------


def test_readmission_ends_the_plan_and_the_next_admission_asks_again(ctx, plans, clock) -> None:
    first = admit(ctx)
    require(plans, first, PlanFacts(afsnit_v_support=True))
    plan = plans.create(first)
    active, _ = plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    service = AdmissionService(ctx)
    clock.moment = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    service.update_admission(
        first,
        admission_input(ward="Afsnit 7", discharged=date(2026, 11, 27)),
    )
    clock.moment = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    second = admit(ctx, date(2027, 1, 10))
    old = plans.panel(first)
    assert old.states[plan.id].state is PlanState.OPHOERT_GENINDLAEGGELSE
    assert old.states[plan.id].ended_on == date(2027, 1, 10)
    new = plans.panel(second)
    # The facts carry over for the coordinator to re-judge; the new admission has no plan: it must ask again.
    assert new.admission.plan_facts == PlanFacts(afsnit_v_support=True)
    assert new.overview.missing and new.previous is not None and new.previous.id == plan.id
    copy = plans.create(second, copy_previous=True)
    assert copy.content.parties == active.content.parties
    assert (copy.content.start, copy.content.end, copy.content.patient_agrees) == (date(2027, 1, 12), None, False)


# -- the demo ward ---------------------------------------------------------------------------------------------------


def test_every_demo_admission_that_needs_a_plan_says_so(ctx, plans: PlanService) -> None:
    from coordinator_app.services.setup import load_demo_ward

    load_demo_ward(ctx)
    rows = {r.admission_id: r for r in AdmissionService(ctx).list_rows()}
    seen: set[str] = set()
    for admission_id, row in rows.items():
        panel = plans.panel(admission_id)
        o = panel.overview
        if not o.requirement.required:
            assert panel.plans == () and o.warning is None
            continue
        assert o.due is not None and o.due > TODAY  # the demo shows it *before* discharge
        in_force = [p for p in panel.plans if p.id is not None and panel.states[p.id].state is PlanState.I_KRAFT]
        if in_force:
            assert o.warning is None and in_force[0].document_id is not None
            seen.add(f"i kraft: {in_force[0].kind}")
        else:
            rule_id = o.requirement.rule_id
            assert o.warning is not None and rule_id is not None and rule_id in o.warning
            # The list shows the E1/E2 deadline, or something even more urgent.
            assert row.next_due is not None and row.next_due <= o.due
            seen.add("kladde" if panel.plans else "mangler")
    assert seen == {"i kraft: udskrivningsaftale", "i kraft: koordinationsplan", "kladde", "mangler"}


def test_a_plan_pdf_is_not_reissued_as_a_varslingsblanket(ctx, plans: PlanService, admission_id: int) -> None:
    plan = plans.create(admission_id, PLAN)
    assert plan.id is not None and plan.version is not None
    _, document = plans.activate(plan.id, completed(plan.content, PLAN), expected_version=plan.version)
    assert document.id is not None
    pdf = DocumentService(ctx).content(document.id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"Dokument-ID: KP-{admission_id}-{plan.id}-1" in text and "UP-" not in text  # its own prefix
    with pytest.raises(KoordinatorError, match="Aftale/plan"):
        DocumentService(ctx).reissue(document.id)
