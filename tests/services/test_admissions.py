"""AdmissionService on both backends: validation in Danish, nothing half-written, list with status."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Unpack

import pytest
from helpers.ward import AdmissionChanges, admission_input, service_context

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import AdmissionFlags, Channel, Event, EventKind
from coordinator_app.services.admissions import AdmissionInput, AdmissionService
from coordinator_app.services.ward import WARD_SETUP_KEY, WardSetup
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

TODAY = date(2026, 11, 23)


@pytest.fixture
def service(database) -> AdmissionService:
    return AdmissionService(service_context(database, now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))


def valid(**changes: Unpack[AdmissionChanges]) -> AdmissionInput:
    """Testa Fiktivsen (CPR 010170-9999) admitted 10 November, with ``changes``."""
    return dataclasses.replace(admission_input(cpr="010170-9999", admitted=date(2026, 11, 10)), **changes)


def test_create_admission_and_see_it_in_the_list_with_status(service: AdmissionService) -> None:
    changes = service.create_admission(valid())
    rows = service.list_rows()
    assert [r.admission_id for r in rows] == [changes.admission_id]
    assert rows[0].status == "Indlagt"
    assert rows[0].kommune_name == "København"
    assert changes.admission_id is not None
    details = service.details(changes.admission_id)
    assert details.patient.cpr == "0101709999"
    assert details.admission.admitted == date(2026, 11, 10)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"cpr": "12345"}, "cpr", "CPR"),
        ({"cpr": "320170-9999"}, "cpr", "CPR"),
        ({"given_name": "   "}, "given_name", "Fornavn skal udfyldes"),
        ({"family_name": ""}, "family_name", "Efternavn skal udfyldes"),
        ({"bopaelskommune": ""}, "bopaelskommune", "bopælskommune"),
        ({"bopaelskommune": "999"}, "kommune", "findes ikke"),
        ({"admitted": None}, "admitted", "Indlæggelsesdato skal udfyldes"),
        ({"admitted": date(2027, 1, 1)}, "admitted", "fremtiden"),
        ({"admitted": date(1900, 1, 1)}, "admitted", "Tjek årstallet"),
        (
            {"expected_faerdigbehandlet": date(2026, 11, 1)},
            "expected_faerdigbehandlet",
            "før indlæggelsesdatoen",
        ),
        ({"expected_faerdigbehandlet": date(2028, 1, 1)}, "expected_faerdigbehandlet", "år ude i fremtiden"),
        ({"flags": AdmissionFlags(homeless=True)}, "opholdskommune", "opholdskommune"),
        ({"given_name": "x" * 101}, "given_name", "for langt"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_written(service, database, changes, field, words) -> None:
    with pytest.raises(ValidationError) as info:
        service.create_admission(valid(**changes))
    assert info.value.field == field
    assert words.casefold() in info.value.message.casefold()
    with database.session() as s:
        assert AdmissionRepository(s).count() == 0


def test_the_same_patient_cannot_have_two_open_admissions(service, database) -> None:
    service.create_admission(valid())
    with pytest.raises(ValidationError, match="allerede indlagt"):
        service.create_admission(valid(admitted=date(2026, 11, 20)))
    with database.session() as s:
        assert AdmissionRepository(s).count() == 1


def test_readmission_after_discharge_reuses_the_patient(service, database) -> None:
    first = service.create_admission(valid(admitted=date(2026, 10, 1)))
    service.update_admission(first.admission_id, valid(admitted=date(2026, 10, 1), discharged=date(2026, 10, 20)))
    second = service.create_admission(valid(admitted=date(2026, 11, 10)))
    assert second.patient_id == first.patient_id
    assert [r.admission_id for r in service.list_rows()] == [second.admission_id]
    assert {r.admission_id for r in service.list_rows(include_discharged=True)} == {
        first.admission_id,
        second.admission_id,
    }


def test_discharge_before_admission_is_refused_on_edit(service) -> None:
    created = service.create_admission(valid())
    with pytest.raises(ValidationError, match="før indlæggelsesdatoen"):
        service.update_admission(created.admission_id, valid(discharged=date(2026, 11, 1)))
    assert service.details(created.admission_id).admission.discharged is None


def test_status_and_next_deadline_follow_the_events(service, database) -> None:
    created = service.create_admission(valid(expected_faerdigbehandlet=date(2026, 12, 4)))
    with database.session() as s:
        EventRepository(s).append(
            Event(
                id=None,
                admission_id=created.admission_id,
                kind=EventKind.ORIENTERING_INDLAEGGELSE,
                occurred_at=datetime(2026, 11, 10, 10, tzinfo=UTC),
                recorded_by="test",
                recipient_kommune="101",
                channel=Channel.SIKKER_MAIL,
            )
        )
    (row,) = service.list_rows()
    assert row.status == "Orienteret"


def test_an_edit_based_on_an_old_read_is_refused_and_nothing_is_lost(service, database) -> None:
    from coordinator_app.domain.errors import ConflictError

    created = service.create_admission(valid())
    read_by_first = service.details(created.admission_id)
    read_by_second = service.details(created.admission_id)
    service.update_admission(
        created.admission_id,
        valid(ward="Afsnit 2"),
        admission_version=read_by_second.admission.version,
        patient_version=read_by_second.patient.version,
    )
    with pytest.raises(ConflictError) as info:
        service.update_admission(
            created.admission_id,
            valid(ward="Afsnit 3"),
            admission_version=read_by_first.admission.version,
            patient_version=read_by_first.patient.version,
        )
    assert "anden bruger" in info.value.message
    assert service.details(created.admission_id).admission.ward == "Afsnit 2"


def test_the_wards_own_centre_and_afsnit_are_the_first_runs(service: AdmissionService, database) -> None:
    """Issue 16: where Ny indlæggelse starts — the ward the first run set up (or the demo ward), as the title says."""
    assert service.own_ward() is None  # neither set up nor a demo: the form keeps the list's first
    setup = WardSetup("Psykiatrisk Center Glostrup", "Afsnit 6", ("165",))
    database.set_meta(WARD_SETUP_KEY, json.dumps(dataclasses.asdict(setup)))
    assert service.own_ward() == setup
