"""Netværksmøder (C1–C10) through MeetingService: templates, scheduling and the 5-day rule, autosave, closing,
tasks, the .ics invitation, distribution and the consent gate (C7, F1) — both backends."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers.ward import Admitted, admit
from sqlalchemy import func, select

from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.errors import ConflictError, ValidationError
from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    Inviter,
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    Occasion,
    Participant,
    SectionKind,
    TemplateSection,
    is_late,
)
from coordinator_app.domain.model import ConsentMethod, ConsentRecipient, DeadlineState, EventKind, Sector
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.orm import EventRow
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
CPR = "0101909909"
NAME = ("Testa", "Fiktivsen")


@pytest.fixture
def service(ctx: ServiceContext) -> MeetingService:
    return MeetingService(ctx)


@pytest.fixture
def admitted(ctx: ServiceContext) -> Admitted:
    return admit(ctx, cpr="010190-9909", given_name=NAME[0], family_name=NAME[1])


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=COPENHAGEN)


def schedule(service: MeetingService, a: Admitted, **kw: object) -> Meeting:
    data: dict[str, object] = dict(
        patient_id=a.patient_id,
        admission_id=a.admission_id,
        occasion=Occasion.UNDER_INDLAEGGELSE,
        invited_on=date(2026, 11, 23),
        planned_at=at(date(2026, 11, 26)),
        place="Afsnit 1, mødelokalet",
    )
    data.update(kw)
    return service.schedule(ScheduleInput(**data))  # type: ignore[arg-type]


KIM = Participant(
    "p1", "Kim Kommune", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler", "12 34 56 74", "kim@kk.example.dk"
)
RIKKE = Participant("p2", "Rikke Region", "PC København", Sector.REGION, "overlæge", email="rikke@regionh.example.dk",
                    health_professional=True)  # fmt: skip
BORGER = Participant("p3", "Borgeren", "", Sector.BORGER)
AFBUD = Participant("p4", "Søster", "", Sector.PAAROERENDE, email="soester@example.dk", present=False)


def full_content(**changes) -> MeetingContent:
    content = MeetingContent(
        texts={"formaal": "Status og støtte efter udskrivning – æøå «citat»", "behandling": "Medicin uændret."},
        participants=(KIM, RIKKE, BORGER, AFBUD),
        leader_key="p2",
        referent_key="p1",
        tovholder_key="p1",
        agreements=(
            AgreementItem("a1", "Bostøtte visiteres", "p1", date(2026, 12, 4)),
            AgreementItem("a2", "Epikrise til egen læge", "p2", date(2026, 12, 1), AgreementStatus.UDFOERT),
            AgreementItem("a3", "   "),  # an empty line the leader never filled: no task
        ),
        follow_up=FollowUp(True, date(2026, 12, 10), "p1"),
    )
    return dataclasses.replace(content, **changes)


# -- templates ------------------------------------------------------------------------------------------------
def test_editing_the_template_makes_a_new_version_and_old_meetings_keep_theirs(service, admitted) -> None:
    v1 = service.current_template()
    assert (v1.version, v1.id) == (1, v1.id) and v1.id is not None
    assert [s.key for s in v1.sections][:3] == ["formaal", "deltagere", "roller"]
    assert service.current_template() == v1  # created once
    old = schedule(service, admitted)

    edited = dataclasses.replace(
        v1,
        sections=(
            dataclasses.replace(v1.sections[0], title="Dagsorden", guidance="Aftalt med patienten."),
            *v1.sections[1:],
            TemplateSection("boern", SectionKind.TEXT, "Børn i familien", "A4: er der børn, og hvem passer dem?"),
        ),
    )
    v2 = service.save_template(edited)
    assert (v2.name, v2.version) == (v1.name, 2) and v2.id != v1.id
    assert service.current_template() == v2
    assert [t.version for t in service.template_versions(v1.name)] == [1, 2]

    again = service.get(old.id)
    assert again.template == v1
    assert again.template.sections[0].title == "Formål og dagsorden"
    assert "boern" not in [s.key for s in again.template.sections]
    new = schedule(service, admitted)
    assert new.template.version == 2 and new.template.sections[-1].key == "boern"
    assert service.save_template(v1).version == 3  # saving an old version makes the newest version


@pytest.mark.parametrize(
    ("sections", "needle"),
    [
        ((), "mindst ét afsnit"),
        ((TemplateSection("a", SectionKind.TEXT, "A", ""), TemplateSection("a", SectionKind.TEXT, "B", "")), "«a»"),
        ((TemplateSection("a", SectionKind.TEXT, "  ", ""),), "overskrift"),
        ((TemplateSection("", SectionKind.TEXT, "A", ""),), "nøgle"),
    ],
)
def test_a_broken_template_is_refused_in_danish(service, sections, needle) -> None:
    with pytest.raises(ValidationError) as info:
        service.save_template(dataclasses.replace(service.current_template(), sections=sections))
    assert needle in info.value.message
    assert [t.version for t in service.template_versions(service.current_template().name)] == [1]


# -- scheduling and the 5-day rule ------------------------------------------------------------------------------
def test_references_count_per_year(service, admitted, clock) -> None:
    assert [schedule(service, admitted).reference for _ in range(2)] == ["NM-2026-0001", "NM-2026-0002"]
    clock.moment = datetime(2027, 1, 4, 9, tzinfo=UTC)
    m = schedule(service, admitted, invited_on=date(2027, 1, 4), planned_at=at(date(2027, 1, 6)))
    assert m.reference == "NM-2027-0001"
    assert (m.status, m.version, m.form) == (MeetingStatus.PLANLAGT, 1, MeetingForm.FYSISK)


def test_c2_deadline_over_christmas_and_late_only_with_a_reason(service, admitted, ctx, clock) -> None:
    clock.moment = datetime(2026, 12, 21, 9, tzinfo=UTC)  # Monday before Christmas
    invited = date(2026, 12, 21)
    # 22, 23 Dec; 24 (juleaften, closing day), 25 (juledag), 26–27 weekend; 28, 29, 30 Dec → the 5th working day.
    on_time = schedule(service, admitted, invited_on=invited, planned_at=at(date(2026, 12, 30)))
    assert service.deadline(on_time) == date(2026, 12, 30)
    assert not is_late(on_time, ctx.calendar)

    with pytest.raises(ValidationError) as info:
        schedule(service, admitted, invited_on=invited, planned_at=at(date(2027, 1, 4)))
    assert (info.value.field, info.value.rule) == ("late_reason", "C2")
    assert "30.12.2026" in info.value.message
    assert len(service.for_admission(admitted.admission_id)) == 1  # nothing half-written

    late = schedule(
        service, admitted, invited_on=invited, planned_at=at(date(2027, 1, 4)), late_reason="Kommunen har lukket"
    )
    assert late.late_reason == "Kommunen har lukket"
    assert is_late(late, ctx.calendar)


def test_bad_schedules_are_refused(service, admitted) -> None:
    with pytest.raises(ValidationError, match="fremtiden") as info:
        schedule(service, admitted, invited_on=date(2026, 11, 24))
    assert info.value.field == "invited_on"
    with pytest.raises(ValidationError) as info:
        schedule(service, admitted, planned_at=at(date(2026, 11, 20)))
    assert info.value.field == "planned_at"
    with pytest.raises(ValidationError) as info:
        schedule(service, admitted, planned_at=datetime(2026, 11, 26, 10))
    assert info.value.field == "planned_at"
    assert service.for_admission(admitted.admission_id) == []


def test_invitation_and_held_meeting_date_the_c2_deadline(service, admitted, ctx, clock) -> None:
    meeting = schedule(service, admitted)
    with ctx.database.session() as s:
        admission = AdmissionRepository(s).get(admitted.admission_id)
        events = EventRepository(s).for_admission(admitted.admission_id)
    (invited,) = [e for e in events if e.kind is EventKind.MEETING_INVITED]
    assert invited.data["rule"] == "C2"
    assert invited.data["meeting_id"] == meeting.id
    assert datetime.fromisoformat(invited.data["planned"]) == meeting.planned_at
    (c2,) = [d for d in compute_deadlines(admission, events, ctx.calendar, NOW.date()) if d.rule_id == "C2"]
    assert (c2.due, c2.state) == (date(2026, 11, 30), DeadlineState.OPEN)

    clock.moment = datetime(2026, 11, 26, 11, tzinfo=UTC)
    started = service.start(meeting.id)
    service.close(started.id, expected_version=started.version)
    with ctx.database.session() as s:
        events = EventRepository(s).for_admission(admitted.admission_id)
    (held,) = [e for e in events if e.kind is EventKind.MEETING_HELD]
    assert held.data["meeting_id"] == meeting.id
    (c2,) = [d for d in compute_deadlines(admission, events, ctx.calendar, date(2026, 12, 10)) if d.rule_id == "C2"]
    assert (c2.state, c2.met_on) == (DeadlineState.MET, date(2026, 11, 26))


def test_after_discharge_a_c3_meeting_is_allowed(service, admitted, ctx, clock) -> None:
    from coordinator_app.services.notifications import NotificationInput, NotificationService

    NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.DISCHARGE))
    clock.moment = NOW + timedelta(days=1)
    meeting = schedule(
        service,
        admitted,
        occasion=Occasion.EFTER_UDSKRIVNING,
        invited_on=date(2026, 11, 24),
        planned_at=at(date(2026, 11, 27)),
    )
    with ctx.database.session() as s:
        events = EventRepository(s).for_admission(admitted.admission_id)
    assert [e.data["rule"] for e in events if e.kind is EventKind.MEETING_INVITED] == ["C3"]
    closed = service.close(meeting.id, expected_version=meeting.version)
    assert closed.meeting.status is MeetingStatus.AFSLUTTET


def test_update_schedule_moves_the_invitation(service, admitted, ctx) -> None:
    meeting = schedule(service, admitted)
    data = ScheduleInput(
        admitted.patient_id, admitted.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 20),
        at(date(2026, 11, 27)), MeetingForm.VIDEO, "https://video.example/abc",
    )  # fmt: skip
    moved = service.update_schedule(meeting.id, data, expected_version=meeting.version)
    assert (moved.form, moved.place, moved.version) == (MeetingForm.VIDEO, "https://video.example/abc", 2)
    with pytest.raises(ConflictError):
        service.update_schedule(meeting.id, data, expected_version=meeting.version)
    with ctx.database.session() as s:
        admission = AdmissionRepository(s).get(admitted.admission_id)
        events = EventRepository(s).for_admission(admitted.admission_id)
    c2 = [d for d in compute_deadlines(admission, events, ctx.calendar, NOW.date()) if d.rule_id == "C2"]
    assert [d.due for d in c2] == [date(2026, 11, 27)]  # the old invitation is corrected, not doubled


def test_who_invited_and_the_agenda_with_the_patient_are_recorded_when_scheduled(service, admitted, ctx) -> None:
    """Left out, the ward calls the meeting: the signed-in user for the admission's afsnit; the patient for a
    meeting the patient or relatives called. Given, it is kept as typed (one line each); the agenda's preparation
    with the patient is recorded as Ja/Nej, or not at all. ``update_schedule`` corrects them only when given."""
    ward = schedule(service, admitted)
    assert ward.content.invited_by == Inviter("koordinator.test", "Psykiatrisk Center København, Afsnit 1")
    assert ward.content.agenda_with_patient is None
    called = Occasion.PATIENT_ELLER_PAAROERENDE
    assert service.default_inviter(admitted.patient_id, admitted.admission_id, called) == Inviter(
        "Testa Fiktivsen", "patient"
    )
    named = schedule(
        service,
        admitted,
        invited_by=Inviter("  Bodil   Sagsen ", " Testrup Kommune, sagsbehandler "),
        agenda_with_patient=False,
    )
    assert named.content.invited_by == Inviter("Bodil Sagsen", "Testrup Kommune, sagsbehandler")
    assert service.get(named.id).content.agenda_with_patient is False
    with pytest.raises(ValidationError, match="højst 200 tegn"):
        schedule(service, admitted, invited_by=Inviter("B" * 201, ""))

    data = ScheduleInput(
        admitted.patient_id, admitted.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23),
        at(date(2026, 11, 26)), agenda_with_patient=True,
    )  # fmt: skip
    moved = service.update_schedule(named.id, data, expected_version=named.version)
    assert moved.content.invited_by == named.content.invited_by and moved.content.agenda_with_patient is True


def test_upcoming_lists_running_then_soonest(service, admitted) -> None:
    later = schedule(service, admitted, planned_at=at(date(2026, 11, 27)))
    sooner = schedule(service, admitted, planned_at=at(date(2026, 11, 24)))
    untimed = schedule(service, admitted, planned_at=None)
    running = service.start(schedule(service, admitted, planned_at=at(date(2026, 11, 25))).id, before_planned_day=True)
    done = schedule(service, admitted)
    service.close(done.id, expected_version=done.version)
    refs = [m.reference for m in service.upcoming(date(2026, 11, 23))]
    assert refs == [running.reference, sooner.reference, later.reference, untimed.reference]
    assert [m.reference for m in service.upcoming(date(2026, 11, 26))] == [
        running.reference, later.reference, untimed.reference
    ]  # fmt: skip


# -- the live meeting ---------------------------------------------------------------------------------------------
def test_autosave_round_trip_and_conflict(service, admitted, clock) -> None:
    meeting = service.start(schedule(service, admitted).id, before_planned_day=True)
    assert meeting.status is MeetingStatus.I_GANG
    assert service.start(meeting.id) == meeting  # resuming a running meeting changes nothing
    content = full_content()
    clock.moment = NOW + timedelta(seconds=5)
    saved = service.save_content(meeting.id, content, expected_version=meeting.version)
    assert saved.version == meeting.version + 1
    assert saved.updated_at == clock.moment
    reread = service.get(meeting.id)
    assert reread.content == content
    assert reread == saved

    with pytest.raises(ConflictError) as info:
        service.save_content(meeting.id, MeetingContent(), expected_version=meeting.version)
    assert "Intet er gemt" in info.value.message
    assert service.get(meeting.id).content == content

    closed = service.close(saved.id, expected_version=saved.version).meeting
    with pytest.raises(ValidationError, match="afsluttet"):
        service.save_content(meeting.id, MeetingContent(), expected_version=closed.version)
    with pytest.raises(ValidationError, match="afsluttet"):
        service.start(meeting.id)


def test_close_turns_agreements_into_tasks_and_schedules_the_follow_up(service, admitted, ctx) -> None:
    meeting = service.start(schedule(service, admitted).id, before_planned_day=True)
    meeting = service.save_content(meeting.id, full_content(), expected_version=meeting.version)
    service.save_template(service.current_template())  # a newer template must not change the follow-up's
    with pytest.raises(ConflictError):
        service.close(meeting.id, expected_version=meeting.version - 1)

    result = service.close(meeting.id, expected_version=meeting.version)
    assert result.meeting.status is MeetingStatus.AFSLUTTET and result.meeting.closed_at == NOW
    assert [(t.agreement_key, t.owner, t.deadline, t.done) for t in result.tasks] == [
        ("a1", "Kim Kommune (Københavns Kommune)", date(2026, 12, 4), False),
        ("a2", "Rikke Region (PC København)", date(2026, 12, 1), True),
    ]
    follow = result.follow_up
    assert follow is not None
    assert follow.follow_up_of == meeting.id
    assert follow.planned_at == datetime(2026, 12, 10, 10, tzinfo=COPENHAGEN)
    assert follow.invited_on == NOW.date()
    assert follow.template == meeting.template
    assert follow.status is MeetingStatus.PLANLAGT
    assert "NM-2026-0001" in follow.late_reason  # after the 5-day limit, agreed at the meeting (C5)
    assert follow.content.invited_by == Inviter("Kim Kommune", "Københavns Kommune")  # who the meeting chose
    with ctx.database.session() as s:
        events = EventRepository(s).for_admission(admitted.admission_id)
    assert [e.kind for e in events if e.kind in (EventKind.MEETING_INVITED, EventKind.MEETING_HELD)] == [
        EventKind.MEETING_INVITED,
        EventKind.MEETING_HELD,
    ]  # fmt: skip  — the follow-up starts no new 5-day clock

    assert service.tasks_for_admission(admitted.admission_id) == [result.tasks[0], result.tasks[1]]
    with pytest.raises(ValidationError, match="allerede afsluttet"):
        service.close(meeting.id, expected_version=result.meeting.version)


def test_no_follow_up_when_not_needed_and_a_past_follow_up_date_is_refused(service, admitted) -> None:
    meeting = schedule(service, admitted)
    meeting = service.save_content(
        meeting.id, full_content(follow_up=FollowUp(True, date(2026, 11, 1))), expected_version=meeting.version
    )
    with pytest.raises(ValidationError) as info:
        service.close(meeting.id, expected_version=meeting.version)
    assert (info.value.field, info.value.rule) == ("follow_up", "C5")
    meeting = service.save_content(
        meeting.id, full_content(follow_up=FollowUp(False)), expected_version=meeting.version
    )
    assert service.close(meeting.id, expected_version=meeting.version).follow_up is None
    assert len(service.for_patient(admitted.patient_id)) == 1


def test_set_task_status(service, admitted) -> None:
    meeting = schedule(service, admitted)
    meeting = service.save_content(meeting.id, full_content(), expected_version=meeting.version)
    service.close(meeting.id, expected_version=meeting.version)
    updated = service.set_task_status(meeting.id, "a1", AgreementStatus.UDFOERT)
    assert updated.content.agreements[0].status is AgreementStatus.UDFOERT
    assert all(t.done for t in service.tasks_for_admission(admitted.admission_id))
    service.set_task_status(meeting.id, "a2", AgreementStatus.AABEN)
    assert [(t.agreement_key, t.done) for t in service.tasks_for_admission(admitted.admission_id)] == [
        ("a2", False), ("a1", True)
    ]  # fmt: skip
    from coordinator_app.domain.errors import NotFoundError

    with pytest.raises(NotFoundError):
        service.set_task_status(meeting.id, "nope", AgreementStatus.UDFOERT)


def test_known_participants_newest_first_without_duplicates(service, admitted, clock) -> None:
    first = schedule(service, admitted)
    service.save_content(first.id, full_content(), expected_version=first.version)
    clock.moment = NOW + timedelta(days=1)
    second = schedule(service, admitted, invited_on=date(2026, 11, 24))
    newer_kim = dataclasses.replace(KIM, key="x", phone="44 44 44 44", name=" kim  kommune")
    service.save_content(second.id, MeetingContent(participants=(newer_kim,)), expected_version=second.version)
    known = service.known_participants(admitted.patient_id)
    assert [p.name for p in known] == [" kim  kommune", "Rikke Region", "Borgeren", "Søster"]
    assert known[0].phone == "44 44 44 44"
    assert all(p.present for p in known)


# -- invitation, distribution, referat ------------------------------------------------------------------------
def test_ics_parses_and_carries_no_name_or_cpr(service, admitted) -> None:
    from icalendar import Calendar

    meeting = schedule(service, admitted, form=MeetingForm.VIDEO, place="https://video.regionh.dk/m/123")
    content = service.ics(meeting.id)
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["uid"]) == f"{meeting.reference}@koordinator"
    assert str(event["summary"]) == f"Netværksmøde {meeting.reference}"
    assert str(event["location"]) == "https://video.regionh.dk/m/123"
    assert event.decoded("dtstart") == meeting.planned_at
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)
    assert "dtstamp" in event
    assert meeting.reference in str(event["description"]) and "video" in str(event["description"])
    text = content.decode("utf-8").replace("\r\n ", "")  # unfolded
    for needle in (*NAME, CPR, "010190-9909", "010190"):
        assert needle.lower() not in text.lower(), needle

    at_home = schedule(service, admitted, place="Hjemme hos testa fiktivsen")
    with pytest.raises(ValidationError) as info:
        service.ics(at_home.id)  # the place would identify the patient on an ordinary e-mail
    assert info.value.field == "place"

    at_home = schedule(service, admitted, place="Hjemme hos testa fiktivsen")
    with pytest.raises(ValidationError) as info:
        service.ics(at_home.id)  # the place would identify the patient on an ordinary e-mail
    assert info.value.field == "place"

    untimed = schedule(service, admitted, planned_at=None)
    with pytest.raises(ValidationError) as info:
        service.ics(untimed.id)
    assert info.value.field == "planned_at"


def test_distribution_is_the_participants_and_others_need_consent(service, admitted, ctx) -> None:
    meeting = schedule(service, admitted)
    service.save_content(meeting.id, full_content(), expected_version=meeting.version)
    entries = service.distribution(meeting.id)
    assert [(e.name, e.address, e.participant_key, e.consent_basis) for e in entries] == [
        ("Kim Kommune", "kim@kk.example.dk", "p1", "Deltager (C7)"),
        ("Rikke Region", "rikke@regionh.example.dk", "p2", "Deltager (C7)"),
    ]  # the patient has no e-mail; the sister sent afbud

    with pytest.raises(ValidationError) as info:
        service.add_recipient(
            meeting.id, name="Egen læge Hansen", address="laege@example.dk", recipient=ConsentRecipient.EGEN_LAEGE
        )
    assert info.value.rule == "C7"
    assert "samtykke" in info.value.message
    assert len(service.distribution(meeting.id)) == 2

    consents = ConsentService(ctx)
    consents.record(
        admitted.patient_id,
        admitted.admission_id,
        ConsentInput(ConsentRecipient.EGEN_LAEGE, "Egen læge", "Referat af netværksmøder", ConsentMethod.SKRIFTLIGT),
    )
    entries = service.add_recipient(
        meeting.id, name="Egen læge Hansen", address="laege@example.dk", recipient=ConsentRecipient.EGEN_LAEGE
    )
    gp = entries[-1]
    assert (gp.name, gp.address, gp.participant_key) == ("Egen læge Hansen", "laege@example.dk", None)
    assert "Samtykke (skriftligt)" in gp.consent_basis
    assert service.distribution(meeting.id) == entries
    again = service.add_recipient(
        meeting.id, name="Egen læge Hansen", address="LAEGE@example.dk", recipient=ConsentRecipient.EGEN_LAEGE
    )
    assert again == entries  # no duplicate
    assert service.get(meeting.id).version == 2  # the distribution list does not touch the minutes' version

    (consent,) = consents.for_patient(admitted.patient_id)
    assert consent.id is not None
    consents.withdraw(consent.id)
    assert [e.participant_key for e in service.distribution(meeting.id)] == ["p1", "p2"]  # F1: withdrawal honoured


def test_referat_is_archived_with_the_meeting(service, admitted, ctx) -> None:
    from pypdf import PdfReader

    from coordinator_app.services.documents import DocumentService

    meeting = schedule(service, admitted)
    # As the live meeting saves it: with who invited, recorded when the meeting was scheduled.
    content = full_content(invited_by=meeting.content.invited_by)
    meeting = service.save_content(meeting.id, content, expected_version=meeting.version)
    with pytest.raises(ValidationError, match="Afslut mødet"):
        service.issue_referat(meeting.id)
    service.close(meeting.id, expected_version=meeting.version)
    document = service.issue_referat(meeting.id)
    assert document.kind == "netvaerksmoede_referat"
    assert meeting.reference in document.title
    (listed,) = DocumentService(ctx).documents(admitted.admission_id)
    assert listed.id == document.id
    pdf = DocumentService(ctx).content(document.id)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bostøtte visiteres" in text
    assert "Indkaldt af koordinator.test (Psykiatrisk Center København, Afsnit 1)" in " ".join(text.split())
    # dd-mm-åååå as on every other document, never "30.05.2026".
    assert re.search(r"indlagt \d\d-\d\d-\d{4}", text) and not re.search(r"\d\d\.\d\d\.\d{4}", text)
    assert service.issue_referat(meeting.id).id != document.id  # issuing again archives a new document


# -- an ambulant patient's meeting (issue 5: no admission) -----------------------------------------------


def test_an_ambulant_meeting_runs_closes_and_its_referat_is_archived_at_the_patient(service, ctx) -> None:
    from pypdf import PdfReader

    from coordinator_app.services.documents import DocumentService

    patient = AdmissionService(ctx).find_or_create_patient("010190-9909", *NAME)
    assert patient.id is not None
    meeting = service.schedule(
        ScheduleInput(
            patient_id=patient.id,
            admission_id=None,
            occasion=Occasion.PATIENT_ELLER_PAAROERENDE,  # C4: the same 5-day rule in ambulant treatment
            invited_on=date(2026, 11, 23),
            planned_at=at(date(2026, 11, 27)),
            place="Ambulatoriets mødelokale",
        )
    )
    assert meeting.admission_id is None and meeting.patient_id == patient.id
    assert service.deadline(meeting) == date(2026, 11, 30)  # 5 arbejdsdage (C4)
    with ctx.database.session() as session:  # no admission: no MEETING_INVITED (nor any other event)
        assert AdmissionRepository(session).for_patient(patient.id) == []
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
    assert [m.id for m in service.upcoming(date(2026, 11, 23))] == [meeting.id]
    assert [m.id for m in service.for_patient(patient.id)] == [meeting.id]

    meeting = service.start(meeting.id, before_planned_day=True)
    meeting = service.save_content(meeting.id, full_content(), expected_version=meeting.version)
    assert service.get(meeting.id).content == full_content()
    closed = service.close(meeting.id, expected_version=meeting.version)
    assert closed.meeting.status is MeetingStatus.AFSLUTTET and closed.tasks

    document = service.issue_referat(meeting.id)
    assert (document.admission_id, document.patient_id) == (None, patient.id)
    assert document.kind == "netvaerksmoede_referat" and meeting.reference in document.title
    assert [d.id for d in DocumentService(ctx).patient_documents(patient.id)] == [document.id]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(DocumentService(ctx).content(document.id))).pages)
    assert "Ambulant forløb" in text and "Bostøtte visiteres" in text


def test_an_admission_referat_also_carries_the_patient(service, admitted) -> None:
    meeting = schedule(service, admitted)
    meeting = service.save_content(meeting.id, full_content(), expected_version=meeting.version)
    service.close(meeting.id, expected_version=meeting.version)
    document = service.issue_referat(meeting.id)
    assert (document.admission_id, document.patient_id) == (admitted.admission_id, admitted.patient_id)


def test_find_or_create_patient_validates_and_never_overwrites_a_known_name(ctx, admitted) -> None:
    service = AdmissionService(ctx)
    with pytest.raises(ValidationError, match="CPR-nummer har 10 cifre") as bad:
        service.find_or_create_patient("010190-990", *NAME)
    assert bad.value.field == "cpr"
    with pytest.raises(ValidationError) as no_name:
        service.find_or_create_patient("020290-9908", " ", "Fiktivsen")
    assert no_name.value.field == "given_name"
    with pytest.raises(ValidationError) as no_family:
        service.find_or_create_patient("020290-9908", "Testa", "")
    assert no_family.value.field == "family_name"

    known = service.find_or_create_patient("0101909909", "Anden", "Stavemåde")
    assert known.id == admitted.patient_id and known.name == "Testa Fiktivsen"  # stored name kept
    new = service.find_or_create_patient("020290-9908", "  Fikta ", "Testesen")
    assert new.id not in (None, admitted.patient_id)
    assert (new.cpr, new.name, new.replacement_cpr) == ("0202909908", "Fikta Testesen", False)
    assert service.find_or_create_patient("0202909908", "Fikta", "Testesen").id == new.id


# -- the agreement's guards (issue 16): C2 start on the agreed day, C6 roles, C7 who gets the referat -----------------
def held_event(ctx: ServiceContext, admitted: Admitted):
    with ctx.database.session() as s:
        events = EventRepository(s).for_admission(admitted.admission_id)
    (held,) = [e for e in events if e.kind is EventKind.MEETING_HELD]
    return held


def test_c2_a_meeting_starts_before_its_planned_day_only_when_confirmed_and_the_history_says_so(
    service, admitted, ctx
) -> None:
    from coordinator_app.services.audit import AuditService

    meeting = schedule(service, admitted)  # planned for Thursday 26 November; today is Monday 23 November
    with pytest.raises(ValidationError) as refused:
        service.start(meeting.id)
    assert (refused.value.rule, refused.value.field) == ("C2", "planned_at")
    assert "26.11.2026" in refused.value.message
    assert service.get(meeting.id).status is MeetingStatus.PLANLAGT  # nothing started

    started = service.start(meeting.id, before_planned_day=True)  # as after «Start mødet nu»
    assert started.status is MeetingStatus.I_GANG
    assert AuditService(ctx).patient_log(admitted.patient_id)[-1].what == (
        f"Netværksmøde {meeting.reference} startet 3 dage før den planlagte dag 26.11.2026 (bekræftet)"
    )
    saved = service.save_content(meeting.id, full_content(), expected_version=started.version)
    service.close(meeting.id, expected_version=saved.version)
    held = held_event(ctx, admitted)
    assert held.note == (
        f"Netværksmøde {meeting.reference} afholdt; holdt 3 dage før den planlagte dag 26.11.2026 (C2)"
    )
    assert held.data["held_before_planned_day"] == "2026-11-26"
    assert "same_leader_and_referent" not in held.data


def test_c2_on_its_planned_day_a_meeting_starts_without_a_question(service, admitted, ctx, clock) -> None:
    meeting = schedule(service, admitted)
    clock.moment = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)
    started = service.start(meeting.id)
    service.close(meeting.id, expected_version=started.version)
    held = held_event(ctx, admitted)
    assert held.note == f"Netværksmøde {meeting.reference} afholdt" and "held_before_planned_day" not in held.data


def test_c6_leader_and_referent_the_same_person_is_a_reminder_and_recorded_when_held(
    service, admitted, ctx, clock
) -> None:
    from coordinator_app.domain.meetings import check_meeting

    meeting = schedule(service, admitted)
    clock.moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    started = service.start(meeting.id)
    same = full_content(leader_key="p1", referent_key="p1")
    saved = service.save_content(meeting.id, same, expected_version=started.version)  # a reminder never blocks
    assert any(w.rule == "C6" and "samme person" in w.text for w in check_meeting(saved))
    service.close(meeting.id, expected_version=saved.version)
    held = held_event(ctx, admitted)
    assert held.note.endswith("; mødeleder og referent var samme person (C6)")
    assert held.data["same_leader_and_referent"] is True


def test_c7_every_participant_is_listed_and_told_why_one_gets_no_referat(service, admitted, ctx) -> None:
    meeting = schedule(service, admitted)
    service.save_content(meeting.id, full_content(), expected_version=meeting.version)
    lines = service.referat_recipients(meeting.id)
    assert [(e.name, e.participant_key, bool(e.left_out)) for e in lines] == [
        ("Kim Kommune", "p1", False),
        ("Rikke Region", "p2", False),
        ("Borgeren", "p3", True),  # the patient, with no e-mail
        ("Søster", "p4", True),  # afbud: not a participant, needs consent
    ]
    assert lines[2].left_out.startswith("Ingen e-mail: udlever referatet til patienten")
    assert "afbud" in lines[3].left_out and "C7" in lines[3].left_out
    assert service.distribution(meeting.id) == [e for e in lines if not e.left_out]

    # The patient took part: an address is given without any consent (C7).
    lines = service.add_participant_address(meeting.id, "p3", "  Testvej 1,  2100 København Ø ")
    patient = next(e for e in lines if e.participant_key == "p3")
    assert (patient.address, patient.left_out) == ("Testvej 1, 2100 København Ø", "")
    assert patient.consent_basis.startswith("Deltager (C7)")
    assert [e.name for e in service.distribution(meeting.id)] == ["Kim Kommune", "Rikke Region", "Borgeren"]
    # The sister sent afbud: she is added with the patient's consent like anyone else, never as a participant.
    with pytest.raises(ValidationError) as refused:
        service.add_participant_address(meeting.id, "p4", "soester@example.dk")
    assert refused.value.rule == "C7" and "samtykke" in refused.value.message
    with pytest.raises(ValidationError) as empty:
        service.add_participant_address(meeting.id, "p3", "   ")
    assert empty.value.field == "address"

    # A consent withdrawn since the recipient was added: listed, with why the referat no longer goes there (F1).
    consents = ConsentService(ctx)
    consents.record(
        admitted.patient_id,
        admitted.admission_id,
        ConsentInput(ConsentRecipient.EGEN_LAEGE, "Egen læge", "Referat af netværksmøder", ConsentMethod.SKRIFTLIGT),
    )
    service.add_recipient(
        meeting.id, name="Læge Hansen", address="laege@example.dk", recipient=ConsentRecipient.EGEN_LAEGE
    )
    (consent,) = consents.for_patient(admitted.patient_id)
    consents.withdraw(consent.id or 0)
    gp = service.referat_recipients(meeting.id)[-1]
    assert (gp.name, gp.participant_key) == ("Læge Hansen", None)
    assert "trukket tilbage" in gp.left_out and "F1" in gp.left_out
    assert "Læge Hansen" not in [e.name for e in service.distribution(meeting.id)]


def test_held_meetings_are_listed_with_their_referats_state(service, admitted, clock) -> None:
    meeting = schedule(service, admitted)
    assert service.held(date(2026, 11, 23)) == []
    closed = service.close(meeting.id, expected_version=meeting.version).meeting
    [held] = service.held(date(2026, 11, 23))
    assert (held.meeting.id, held.referat_issued) == (meeting.id, None)

    clock.moment = NOW + timedelta(hours=2)
    service.issue_referat(meeting.id)
    clock.moment = NOW + timedelta(hours=3)
    document = service.issue_referat(meeting.id)  # issued again: the latest counts
    [held] = service.held(date(2026, 11, 23))
    assert held.referat_issued == document.created_at == NOW + timedelta(hours=3)

    other = schedule(service, admitted)
    service.close(other.id, expected_version=other.version)  # its referat never issued
    assert [h.meeting.id for h in service.held(date(2026, 11, 23))] == [other.id, closed.id]  # latest closed first
    # Two months on: the issued one has left «Afholdte»; the one never issued stays until it is.
    assert [h.meeting.id for h in service.held(date(2027, 2, 1))] == [other.id]


def test_the_picker_offers_the_patient_as_borger_then_earlier_people_then_the_kontaktbog(
    service, admitted, ctx
) -> None:
    from coordinator_app.services.contacts import ContactInput, ContactService

    ContactService(ctx).add(ContactInput(name="Kim Kommune", organisation="Københavns Kommune", sector=Sector.KOMMUNE))
    ContactService(ctx).add(ContactInput(name="Lis Lægesen", organisation="Lægehuset", sector=Sector.ALMEN_PRAKSIS))
    earlier = schedule(service, admitted)
    service.save_content(earlier.id, full_content(), expected_version=earlier.version)
    choices = service.participant_choices(admitted.patient_id)
    assert choices.patient is not None
    assert (choices.patient.name, choices.patient.sector, choices.patient.role) == (
        "Testa Fiktivsen",
        Sector.BORGER,
        "patient",
    )
    # The earlier meeting's patient ("Borgeren", borger) is offered once, as the patient; Kim once, as met before.
    assert [p.name for p in choices.earlier] == ["Kim Kommune", "Rikke Region", "Søster"]
    assert [(p.name, p.sector) for p in choices.directory] == [("Lis Lægesen", Sector.ALMEN_PRAKSIS)]
    assert [p.name for p in service.known_participants(admitted.patient_id)] == [
        "Kim Kommune", "Rikke Region", "Borgeren", "Søster", "Lis Lægesen"
    ]  # fmt: skip
