"""Storage fixtures: a seeded database and one admitted patient, on both backends (``database``)."""

from __future__ import annotations

import pytest
from storage_data import KOMMUNER, admission, patient

from coordinator_app.model import Admission, Patient
from coordinator_app.storage import Database
from coordinator_app.storage.repositories import AdmissionRepository, KommuneRepository, PatientRepository


@pytest.fixture
def seeded(database: Database) -> Database:
    """The database with three kommuner (admissions need their bopælskommune)."""
    with database.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
    return database


@pytest.fixture
def admitted(seeded: Database) -> tuple[Database, Patient, Admission]:
    """One patient with one current admission."""
    with seeded.session() as session:
        p = PatientRepository(session).add(patient())
        assert p.id is not None
        a = AdmissionRepository(session).add(admission(p.id))
    return seeded, p, a
