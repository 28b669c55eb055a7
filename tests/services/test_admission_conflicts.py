"""Two workstations edit one admission against a real PostgreSQL (issue 8, concurrent edits).

Each workstation has its own ``Database`` (its own engine and connections), as two PCs would. The second save,
based on an older read, is refused with ``ConflictError``: nothing of it is written (not even the patient half),
the first edit stays, and what the second user typed can be kept as a note on the admission.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Unpack

import pytest
from helpers.ward import AdmissionChanges, admission_input, service_context

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.errors import AccessDeniedError, ConflictError, ValidationError
from coordinator_app.domain.model import EventKind
from coordinator_app.services.admissions import AdmissionInput, AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.storage.database import Database, open_database

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def typed(**changes: Unpack[AdmissionChanges]) -> AdmissionInput:
    """Testa Fiktivsen admitted 10 November, as a workstation's dialog sends it, with ``changes``."""
    return dataclasses.replace(admission_input(admitted=date(2026, 11, 10)), **changes)


@pytest.fixture
def workstations(pg_url: str) -> Iterator[tuple[AdmissionService, AdmissionService]]:
    first, second = open_database(pg_url), open_database(pg_url)
    try:
        ctx_a = service_context(first, now=NOW, user="anne.a")
        ctx_b = service_context(second, now=NOW, user="bo.b", reference_data=False)  # the same database
        yield AdmissionService(ctx_a), AdmissionService(ctx_b)
    finally:
        first.dispose()
        second.dispose()


def test_the_later_save_of_two_workstations_conflicts_and_writes_nothing(workstations) -> None:
    a, b = workstations
    admission_id = a.create_admission(typed()).admission_id
    read_a, read_b = a.details(admission_id), b.details(admission_id)

    a.update_admission(
        admission_id,
        typed(ward="Afsnit 2"),
        admission_version=read_a.admission.version,
        patient_version=read_a.patient.version,
    )
    # B changes the patient's name (whose row A did not touch) and the ward: the patient half would succeed alone.
    with pytest.raises(ConflictError) as info:
        b.update_admission(
            admission_id,
            typed(ward="Afsnit 3", family_name="Ændretsen"),
            admission_version=read_b.admission.version,
            patient_version=read_b.patient.version,
        )
    assert "anden bruger" in info.value.message

    stored = b.details(admission_id)  # read through B's own connections
    assert stored.admission.ward == "Afsnit 2"  # A's edit kept
    assert stored.patient.family_name == "Fiktivsen"  # nothing of B's half-written
    assert stored.patient.version == read_b.patient.version
    last = b.last_change(admission_id)
    assert last is not None and last.user == "anne.a" and "rettet" in last.what


def test_the_losing_edit_is_kept_as_a_note_on_the_admission(workstations) -> None:
    a, b = workstations
    admission_id = a.create_admission(typed()).admission_id
    b.add_note(admission_id, "Ikke gemt pga. samtidig ændring:\nAfsnit: Afsnit 3", data={"conflict": True})
    details = a.details(admission_id)
    (note,) = [e for e in details.events if e.kind is EventKind.NOTE]
    assert note.note.endswith("Afsnit: Afsnit 3")
    assert note.recorded_by == "bo.b"
    assert note.data == {"conflict": True}
    assert details.status == "Indlagt"  # a note is neutral to the process
    assert b.last_change(admission_id) is not None


def test_an_empty_note_or_a_reader_is_refused_with_nothing_written(workstations, pg_url: str) -> None:
    a, _b = workstations
    admission_id = a.create_admission(typed()).admission_id
    with pytest.raises(ValidationError, match="Notatet er tomt"):
        a.add_note(admission_id, "   ")
    reader_db: Database = open_database(pg_url)
    try:
        reader = ServiceContext(
            database=reader_db,
            clock=fixed_clock(NOW),
            principal=Principal(username="laeser", full_name="Læse Læsesen", role=Role.LAESEADGANG),
        )
        with pytest.raises(AccessDeniedError):
            AdmissionService(reader).add_note(admission_id, "Må ikke skrives")
    finally:
        reader_db.dispose()
    assert not [e for e in a.details(admission_id).events if e.kind is EventKind.NOTE]
