"""ContactService: the kontaktbog (C1/C5) with validation, optimistic locking and deactivation; the kommuner's
system-based entrances (F3); directory people offered as netværksmøde participants — both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from helpers.ward import admit, service_context

from coordinator_app.domain.errors import ConflictError, NotFoundError, ValidationError
from coordinator_app.domain.meetings import MeetingContent, Occasion, Participant
from coordinator_app.domain.model import Sector
from coordinator_app.domain.reference import HOME_REGION
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.scenario import ScenarioAssessment, ScenarioService

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KIM = ContactInput(
    name="  Kim   Kommune ",
    organisation="Københavns Kommune",
    sector=Sector.KOMMUNE,
    role="sagsbehandler",
    phone="+45 12 34 56 71",
    email="kim@kk.example.dk",
    kommune_code="101",
)


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator.test")


@pytest.fixture
def service(ctx: ServiceContext) -> ContactService:
    return ContactService(ctx)


def test_add_trims_and_lists_by_danish_name(service: ContactService) -> None:
    kim = service.add(KIM)
    service.add(ContactInput(name="Åse Ågård", organisation="Egen læge", sector=Sector.ALMEN_PRAKSIS))
    service.add(ContactInput(name="Øjvind Ørsted", sector=Sector.PAAROERENDE))
    assert kim.name == "Kim Kommune" and kim.active and kim.version == 1 and kim.created_at == NOW
    assert [c.name for c in service.contacts()] == ["Kim Kommune", "Øjvind Ørsted", "Åse Ågård"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ContactInput(name="   "), "name"),
        (ContactInput(name="1234"), "name"),
        (ContactInput(name="Kim", email="kim.kk.dk"), "email"),
        (ContactInput(name="Kim", email="kim@kk"), "email"),
        (ContactInput(name="Kim", email="kim @kk.example.dk"), "email"),
        (ContactInput(name="Kim", phone="33-66-33-66"), "phone"),
        (ContactInput(name="Kim", phone="ring efter kl. 9"), "phone"),
        (ContactInput(name="Kim", phone="45+33"), "phone"),
        (ContactInput(name="Kim", kommune_code="999"), "kommune_code"),
        (ContactInput(name="Kim", role="x" * 101), "role"),
    ],
)
def test_invalid_input_is_refused_in_danish_with_its_field(service: ContactService, data, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        service.add(data)
    assert caught.value.field == field
    assert caught.value.message.endswith(".")
    assert service.contacts(include_inactive=True) == []


def test_empty_optional_fields_are_fine(service: ContactService) -> None:
    added = service.add(ContactInput(name="Borgerens søster", sector=Sector.PAAROERENDE, phone=" 12 34 56 73 "))
    assert (added.email, added.phone, added.organisation, added.kommune_code) == ("", "12 34 56 73", "", None)


def test_update_with_the_version_read_and_conflict_when_stale(service: ContactService) -> None:
    kim = service.add(KIM)
    assert kim.id is not None and kim.version is not None
    changed = service.update(kim.id, ContactInput(name="Kim Kommune", phone="12 34 56 74"), kim.version)
    assert changed.phone == "12 34 56 74" and changed.sector is Sector.ANDET and changed.version == kim.version + 1
    with pytest.raises(ConflictError):
        service.update(kim.id, ContactInput(name="Kim K."), kim.version)
    assert service.get(kim.id).name == "Kim Kommune"
    with pytest.raises(ValidationError):
        service.update(kim.id, ContactInput(name=""), changed.version or 0)
    with pytest.raises(NotFoundError):
        service.update(999, KIM, 1)


def test_deactivate_keeps_the_person_for_old_referater(service: ContactService) -> None:
    kim = service.add(KIM)
    assert kim.id is not None
    gone = service.deactivate(kim.id)
    assert not gone.active
    assert service.contacts() == []
    assert service.contacts(include_inactive=True) == [gone]
    assert service.deactivate(kim.id) == gone  # twice is harmless
    assert service.reactivate(kim.id).active


def test_kommune_entrances_hovedstaden_first_and_validated(service: ContactService) -> None:
    kommuner = service.kommune_entrances()
    assert len(kommuner) == 98
    regions = [k.region for k in kommuner]
    assert regions[: regions.count(HOME_REGION)] == [HOME_REGION] * regions.count(HOME_REGION)
    set_ = service.set_kommune_entrance("101", " sikkerpost@kk.example.dk ")
    assert set_.secure_mail == "sikkerpost@kk.example.dk"
    assert next(k for k in service.kommune_entrances() if k.code == "101").secure_mail == "sikkerpost@kk.example.dk"
    with pytest.raises(ValidationError) as caught:
        service.set_kommune_entrance("101", "sikkerpost kk.dk")
    assert caught.value.field == "secure_mail" and caught.value.rule == "F3"
    assert service.set_kommune_entrance("101", "").secure_mail is None
    with pytest.raises(NotFoundError):
        service.set_kommune_entrance("999", "a@b.example.dk")


def test_the_entrance_is_what_the_scenario_plan_sends_to(ctx: ServiceContext, service: ContactService) -> None:
    _patient_id, admission_id = admit(ctx)
    service.set_kommune_entrance("101", "psykiatri-sikker@kk.example.dk")
    plan = ScenarioService(ctx).preview(
        admission_id,
        ScenarioAssessment(has_indsats=False, may_need_support=True, can_discharge_before_support=False),
    )
    to_kommune = [s for s in plan.steps if s.kommune_code == "101"]
    assert to_kommune and all(s.secure_mail == "psykiatri-sikker@kk.example.dk" for s in to_kommune)


def test_known_participants_include_the_directory_after_earlier_meetings(
    ctx: ServiceContext, service: ContactService
) -> None:
    patient_id, admission_id = admit(ctx)
    kim = service.add(KIM)
    rikke = service.add(ContactInput(name="Rikke Region", organisation="PC København", sector=Sector.REGION))
    gone = service.add(ContactInput(name="Gammel Kontakt", sector=Sector.ANDET))
    service.deactivate(gone.id or 0)
    meetings = MeetingService(ctx)
    meeting = meetings.schedule(
        ScheduleInput(
            patient_id=patient_id,
            admission_id=admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=date(2026, 11, 23),
            planned_at=datetime(2026, 11, 26, 10, tzinfo=COPENHAGEN),
        )
    )
    # No earlier meeting content yet: the directory alone.
    known = meetings.known_participants(patient_id)
    assert [(p.name, p.organisation, p.sector) for p in known] == [
        ("Kim Kommune", "Københavns Kommune", Sector.KOMMUNE),
        ("Rikke Region", "PC København", Sector.REGION),
    ]
    assert known[0].phone == kim.phone and known[0].email == "kim@kk.example.dk" and known[0].role == "sagsbehandler"
    assert len({p.key for p in known}) == 2 and all(len(p.key) == 32 for p in known)
    assert known[0].key != meetings.known_participants(patient_id)[0].key  # fresh each time

    # Someone met at an earlier meeting comes first, with the details used then; the directory's copy is not repeated.
    met = Participant("k1", "kim kommune", "KØBENHAVNS KOMMUNE", Sector.KOMMUNE, phone="12 34 56 75")
    meetings.save_content(meeting.id or 0, MeetingContent(participants=(met,)), expected_version=meeting.version or 0)
    known = meetings.known_participants(patient_id)
    assert [(p.name, p.phone) for p in known] == [("kim kommune", "12 34 56 75"), (rikke.name, "")]


def test_a_patient_with_no_meetings_gets_the_directory(ctx: ServiceContext, service: ContactService) -> None:
    patient_id, _ = admit(ctx, cpr="020290-9908")
    service.add(KIM)
    assert [p.name for p in MeetingService(ctx).known_participants(patient_id)] == ["Kim Kommune"]


def test_clock_times_are_recorded(database) -> None:
    ctx = service_context(database, now=NOW + timedelta(days=1))
    svc = ContactService(ctx)
    added = svc.add(ContactInput(name="Kim"))
    assert added.created_at == added.updated_at == NOW + timedelta(days=1)
