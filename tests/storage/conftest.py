"""Storage fixtures: a seeded database and one admitted patient, on both backends (``database``)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_data import KOMMUNER, admission, patient

from coordinator_app.domain.model import Admission, Patient
from coordinator_app.storage.database import Database
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


@pytest.fixture
def empty_db_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, on the same backend as ``db_url`` (for migration tests)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"empty_{os.getpid()}_{next(_empty_numbers)}"
    cluster.admin(f"CREATE DATABASE {name} TEMPLATE template0")
    yield cluster.url(name)
    cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_empty_numbers = itertools.count(1)
