"""Loading a whole demo ward at once, and clearing it again."""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta

import pytest
from storage_data import KOMMUNER, MOMENT, admission, event, patient, synthetic_ward

from coordinator_app.domain.model import EventKind, Kommune
from coordinator_app.storage.database import Database
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    EventRepository,
    KommuneRepository,
    PatientRepository,
    bulk_load,
    clear_all,
)


def test_ordinary_inserts_after_a_bulk_load_get_fresh_ids(database: Database) -> None:
    """On PostgreSQL the id sequences must continue after the loaded ids (setval)."""
    patients, admissions, events = synthetic_ward(5, 3)
    correction = dataclasses.replace(events[-1], id=100, kind=EventKind.CORRECTION, corrects_event_id=events[0].id)
    with database.session() as session:
        bulk_load(session, kommuner=KOMMUNER, patients=patients, admissions=admissions, events=[correction, *events])
    with database.session() as session:
        p = PatientRepository(session).add(patient("1111111118"))
        assert p.id is not None
        a = AdmissionRepository(session).add(admission(p.id))
        assert a.id is not None
        e = EventRepository(session).append(event(a.id, MOMENT))
    assert (p.id, a.id, e.id) == (6, 6, 101)
    with database.session() as session:
        history = EventRepository(session).for_admission(5)
        assert history[-1].corrects_event_id == 1
        assert PatientRepository(session).get(3) == dataclasses.replace(patients[2], version=1)
        assert AdmissionRepository(session).get(3) == dataclasses.replace(admissions[2], version=1)


def test_bulk_load_updates_kommuner_that_are_already_there(database: Database) -> None:
    with database.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
    renamed = Kommune("101", "Københavns Kommune", "Hovedstaden")
    with database.session() as session:
        bulk_load(session, kommuner=[renamed, *KOMMUNER[1:]])
    with database.session() as session:
        assert KommuneRepository(session).get("101") == renamed
        assert len(KommuneRepository(session).all()) == 3


def test_bulk_load_needs_ids(database: Database) -> None:
    with pytest.raises(ValueError, match="already carry ids"), database.session() as session:
        bulk_load(session, patients=[patient()])


def test_clear_all_removes_patient_data_but_keeps_reference_data(database: Database) -> None:
    patients, admissions, events = synthetic_ward(4, 2)
    with database.session() as session:
        bulk_load(session, kommuner=KOMMUNER, patients=patients, admissions=admissions, events=events)
    database.set_meta("demo", "1")
    with database.session() as session:
        clear_all(session)
    with database.session() as session:
        assert AdmissionRepository(session).count() == 0
        assert PatientRepository(session).find_by_cpr(patients[0].cpr) is None
        assert EventRepository(session).for_admissions([1, 2]) == {1: [], 2: []}
        assert len(KommuneRepository(session).all()) == 3
    assert database.get_meta("demo") == "1"
    with database.session() as session:  # a demo can be loaded again with the same ids
        bulk_load(session, patients=patients, admissions=admissions, events=events)
        assert AdmissionRepository(session).count() == 4


def test_a_3000_admission_ward_loads_and_reads_back(database: Database) -> None:
    """Speed is measured in benchmarks/, not asserted here (a loaded CI runner is not a benchmark): the
    figures are printed for the log; the assertions are about what was stored."""
    patients, admissions, events = synthetic_ward(3_000, 7)
    start = time.perf_counter()
    with database.session() as session:
        bulk_load(session, kommuner=KOMMUNER, patients=patients, admissions=admissions, events=events)
    elapsed = time.perf_counter() - start
    print(f"bulk_load 3,000 admissions + {len(events):,} events ({database.dialect}): {elapsed * 1e3:.0f} ms")
    with database.session() as session:
        start = time.perf_counter()
        histories = EventRepository(session).for_admissions(range(1, 3_001))
        read = time.perf_counter() - start
    print(f"for_admissions 3,000 on {database.dialect}: {read * 1000:.0f} ms")
    assert sum(map(len, histories.values())) == 21_000
    assert histories[3_000][-1].occurred_at == MOMENT + timedelta(hours=6)
