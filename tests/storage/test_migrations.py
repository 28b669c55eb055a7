"""Every database is brought to the current schema at open — and orm.py never drifts from the migrations."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers.databases import migrate_to, revision_and_tables
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from storage_data import MOMENT, patient

from coordinator_app.domain.discharge_plans import DischargePlan, PlanKind
from coordinator_app.domain.errors import StorageError
from coordinator_app.domain.model import ArchivedDocument, Consent, ConsentMethod, ConsentRecipient, PlanFacts
from coordinator_app.storage import migrate
from coordinator_app.storage.database import open_database
from coordinator_app.storage.orm import Base
from coordinator_app.storage.plans import DischargePlanRepository
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    ConsentRepository,
    DocumentRepository,
    PatientRepository,
)

TABLES = {
    "kommuner",
    "centres",
    "wards",
    "patients",
    "admissions",
    "events",
    "app_meta",
    "consents",  # 0002
    "documents",  # 0002
    "meeting_templates",  # 0003
    "meetings",  # 0003
    "contacts",  # 0004
    "discharge_plans",  # 0006
    "discharge_plan_versions",  # 0006
    "audit_log",  # 0007
    "users",  # 0008
    "audit_head",  # 0009
    "loans",  # 0010
    "loan_cases",  # 0010
}

#: The tables added after 0001.
LATER_TABLES = {
    "consents",
    "documents",
    "meeting_templates",
    "meetings",
    "contacts",
    "discharge_plans",
    "discharge_plan_versions",
    "audit_log",
    "users",
    "audit_head",
    "loans",
    "loan_cases",
}

#: A later revision, as a developer would add it after today's head: a new column with a value for existing rows.
NEXT_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "next"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))
    op.execute("UPDATE patients SET nickname = given_name")


def downgrade():
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("nickname")
"""

#: A revision that fails halfway: creates a table, then hits an error.
FAILING_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "next"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE patients SET no_such_column = 1")


def downgrade():
    pass
"""


def _migrations_with(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    source = source.replace("{head}", migrate.head_revision())
    (folder / "versions" / "9999_next_test.py").write_text(source, encoding="utf-8")
    return folder


def test_an_empty_database_is_migrated_to_head(empty_db_url: str) -> None:
    open_database(empty_db_url).dispose()
    revision, tables = revision_and_tables(empty_db_url)
    assert revision == migrate.head_revision()
    assert tables == TABLES | {"alembic_version"}


def test_opening_a_database_at_head_runs_no_migration(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kw: object) -> None:
        raise AssertionError("upgrade must not run on a database at head")

    import alembic.command

    monkeypatch.setattr(alembic.command, "upgrade", fail)
    db = open_database(db_url)
    db.dispose()
    assert revision_and_tables(db_url)[0] == migrate.head_revision()


def test_orm_metadata_matches_the_migrated_schema(db_url: str) -> None:
    """A model change without a migration fails here (alembic autogenerate finds the difference)."""
    db = open_database(db_url, migrate=False)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.dispose()


def test_an_old_database_is_upgraded_and_keeps_its_data(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_url)  # at today's head, the "previous version" of the app
    with db.session() as session:
        PatientRepository(session).add(patient(given_name="Birgitte"))
    db.dispose()

    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with(tmp_path, NEXT_REVISION))
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == "next"
            assert conn.execute(text("SELECT given_name, nickname FROM patients")).all() == [("Birgitte", "Birgitte")]
    finally:
        db.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = migrate.head_revision()
    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with(tmp_path, FAILING_REVISION))
    with pytest.raises(StorageError):
        open_database(db_url)
    revision, tables = revision_and_tables(db_url)
    assert revision == before
    assert "half_done" not in tables


def test_a_database_from_a_newer_koordinator_is_refused(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(StorageError, match="nyere version af Koordinator"):
        open_database(db_url)


def test_head_is_0010_with_every_later_table(db_url: str) -> None:
    assert migrate.head_revision() == "0010"
    revision, tables = revision_and_tables(db_url)
    assert revision == "0010"
    assert tables >= LATER_TABLES


def test_a_0001_database_with_data_is_upgraded_to_0002_and_back(empty_db_url: str) -> None:
    """The real upgrade the coordinators will run: their 0001 data stays, the new tables work."""
    migrate_to(empty_db_url, "0001")
    _, tables = revision_and_tables(empty_db_url)
    assert "consents" not in tables
    db = open_database(empty_db_url, migrate=False)
    with db.engine.begin() as conn:  # written as 0001 knew it (plain SQL, no 0002 tables involved)
        conn.execute(text("INSERT INTO kommuner (code, name, region) VALUES ('101', 'København', 'Hovedstaden')"))
        conn.execute(
            text(
                "INSERT INTO patients (id, cpr, given_name, family_name, created_at, version) "
                "VALUES (7, '0101901234', 'Åse', 'Ørsted', :at, 1)"
            ),
            {"at": MOMENT.replace(tzinfo=None) if conn.dialect.name == "sqlite" else MOMENT},
        )
        conn.execute(
            text(
                "INSERT INTO admissions (id, patient_id, center, ward, admitted, bopaelskommune, version) "
                "VALUES (8, 7, 'PC København', 'Afsnit 7', '2026-11-02', '101', 1)"
            )
        )
    db.dispose()

    db = open_database(empty_db_url)  # the new Koordinator opens the old database
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        with db.session() as session:
            assert PatientRepository(session).get(7).name == "Åse Ørsted"
            added = ConsentRepository(session).add(
                Consent(None, 7, ConsentRecipient.KOMMUNE, "Københavns Kommune", "Varsling", ConsentMethod.MUNDTLIGT,
                        MOMENT, "test", admission_id=8)
            )  # fmt: skip
        with db.session() as session:
            assert ConsentRepository(session).for_patient(7) == [added]
    finally:
        db.dispose()

    migrate_to(empty_db_url, "0001", down=True)
    revision, tables = revision_and_tables(empty_db_url)
    assert revision == "0001"
    assert tables == TABLES - LATER_TABLES | {"alembic_version"}


def test_a_0004_database_with_documents_is_upgraded_to_0005_and_back(empty_db_url: str) -> None:
    """0005: every existing document keeps its bytes and gets its admission's patient; admission_id may be
    empty afterwards (an ambulant referat); patient_id is NOT NULL with a foreign key."""
    migrate_to(empty_db_url, "0004")
    pdf_a, pdf_b = bytes(range(256)) * 4, b"%PDF-1.7 \x00\xff anden"
    db = open_database(empty_db_url, migrate=False)
    with db.engine.begin() as conn:  # written as 0004 knew it (plain SQL)
        at = MOMENT.replace(tzinfo=None) if conn.dialect.name == "sqlite" else MOMENT
        conn.execute(text("INSERT INTO kommuner (code, name, region) VALUES ('101', 'København', 'Hovedstaden')"))
        for pid, cpr, given in ((7, "0101901234", "Åse"), (9, "0101909909", "Testa")):
            conn.execute(
                text(
                    "INSERT INTO patients (id, cpr, given_name, family_name, created_at, version) "
                    "VALUES (:id, :cpr, :given, 'Fiktivsen', :at, 1)"
                ),
                {"id": pid, "cpr": cpr, "given": given, "at": at},
            )
        for aid, pid in ((8, 7), (10, 9), (11, 9)):
            conn.execute(
                text(
                    "INSERT INTO admissions (id, patient_id, center, ward, admitted, bopaelskommune, version) "
                    "VALUES (:id, :pid, 'PC København', 'Afsnit 7', '2026-11-02', '101', 1)"
                ),
                {"id": aid, "pid": pid},
            )
        for did, aid, content in ((21, 8, pdf_a), (22, 11, pdf_b), (23, 10, pdf_a)):  # ids past the sequence
            conn.execute(
                text(
                    "INSERT INTO documents (id, admission_id, kind, title, created_at, created_by, sha256, "
                    "data_version, content) VALUES (:id, :aid, 'varslingsblanket', 'Varsling', :at, 'test', "
                    ":sha, 'v1', :content)"
                ),
                {"id": did, "aid": aid, "at": at, "sha": hashlib.sha256(content).hexdigest(), "content": content},
            )
    db.dispose()

    db = open_database(empty_db_url)  # the new Koordinator opens the old database
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            columns = {c["name"]: c for c in inspect(conn).get_columns("documents")}
            assert columns["patient_id"]["nullable"] is False
            assert columns["admission_id"]["nullable"] is True
            keys = {fk["name"]: fk["referred_table"] for fk in inspect(conn).get_foreign_keys("documents")}
            assert keys["fk_documents_patient_id_patients"] == "patients"
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        with db.session() as session:
            repo = DocumentRepository(session)
            assert [(d.id, d.admission_id) for d in repo.for_patient(9)] == [(23, 10), (22, 11)]
            assert [(d.id, d.patient_id) for d in repo.for_patient(7)] == [(21, 7)]
            assert repo.get(21).content == pdf_a and repo.get(22).content == pdf_b
            ambulant = repo.add(
                ArchivedDocument(None, None, "netvaerksmoede_referat", "Referat", MOMENT + timedelta(days=1), "test",
                                 hashlib.sha256(b"%PDF").hexdigest(), "v2", content=b"%PDF", patient_id=7)
            )  # fmt: skip
        with db.session() as session:
            assert [d.id for d in DocumentRepository(session).for_patient(7)] == [ambulant.id, 21]
        with db.engine.connect() as conn, pytest.raises(IntegrityError):  # NOT NULL
            conn.execute(
                text(
                    "INSERT INTO documents (admission_id, kind, title, created_at, created_by, sha256, "
                    "data_version, content) VALUES (8, 'x', 'x', :at, 'test', 'x', 'v1', :content)"
                ),
                {"at": MOMENT, "content": b"x"},
            )
    finally:
        db.dispose()

    migrate_to(empty_db_url, "0004", down=True)  # the ambulant document has no admission to go back to
    db = open_database(empty_db_url, migrate=False)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == "0004"
            assert "patient_id" not in {c["name"] for c in inspect(conn).get_columns("documents")}
            assert conn.execute(text("SELECT id, admission_id FROM documents ORDER BY id")).all() == [
                (21, 8),
                (22, 11),
                (23, 10),
            ]
    finally:
        db.dispose()


def test_a_0005_database_with_an_admission_is_upgraded_to_0006_and_back(empty_db_url: str) -> None:
    """0006: an existing admission gets the three plan facts as false and no planned discharge day, keeps the
    rest, and can take plans; going back drops the plans and the new columns and keeps the admission."""
    migrate_to(empty_db_url, "0005")
    db = open_database(empty_db_url, migrate=False)
    with db.engine.begin() as conn:  # written as 0005 knew it (plain SQL)
        at = MOMENT.replace(tzinfo=None) if conn.dialect.name == "sqlite" else MOMENT
        conn.execute(text("INSERT INTO kommuner (code, name, region) VALUES ('101', 'København', 'Hovedstaden')"))
        conn.execute(
            text(
                "INSERT INTO patients (id, cpr, given_name, family_name, created_at, version) "
                "VALUES (7, '0101909909', 'Testa', 'Fiktivsen', :at, 1)"
            ),
            {"at": at},
        )
        conn.execute(
            text(
                "INSERT INTO admissions (id, patient_id, center, ward, admitted, bopaelskommune, homeless, "
                "expected_faerdigbehandlet, version) "
                "VALUES (8, 7, 'PC København', 'Afsnit 7', '2026-11-02', '101', :yes, '2026-11-30', 3)"
            ),
            {"yes": True},
        )
    db.dispose()

    db = open_database(empty_db_url)  # the new Koordinator opens the old database
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            columns = {c["name"]: c for c in inspect(conn).get_columns("admissions")}
            for name in ("afsnit_v_support", "wont_seek_help", "refuses_participation"):
                assert columns[name]["nullable"] is False, name
            assert columns["planned_discharge"]["nullable"] is True
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        with db.session() as session:
            old = AdmissionRepository(session).get(8)
            assert (old.plan_facts, old.planned_discharge) == (PlanFacts(), None)
            assert (old.flags.homeless, old.expected_faerdigbehandlet, old.version) == (True, date(2026, 11, 30), 3)
            updated = AdmissionRepository(session).update(
                dataclasses.replace(
                    old, plan_facts=PlanFacts(afsnit_v_support=True), planned_discharge=date(2026, 12, 4)
                )
            )
            plan = DischargePlanRepository(session).add(
                DischargePlan(None, 8, 7, PlanKind.UDSKRIVNINGSAFTALE), saved_by="test", at=MOMENT, action="Oprettet"
            )
        with db.session() as session:
            assert AdmissionRepository(session).get(8) == updated
            assert DischargePlanRepository(session).for_admission(8) == [plan]
        with db.engine.connect() as conn, pytest.raises(IntegrityError):  # the facts are NOT NULL
            conn.execute(text("UPDATE admissions SET wont_seek_help = NULL WHERE id = 8"))
    finally:
        db.dispose()

    migrate_to(empty_db_url, "0005", down=True)
    revision, tables = revision_and_tables(empty_db_url)
    assert revision == "0005"
    assert not {"discharge_plans", "discharge_plan_versions"} & tables
    db = open_database(empty_db_url, migrate=False)
    try:
        with db.engine.connect() as conn:
            names = {c["name"] for c in inspect(conn).get_columns("admissions")}
            assert not {"afsnit_v_support", "wont_seek_help", "refuses_participation", "planned_discharge"} & names
            assert conn.execute(text("SELECT id, patient_id, version FROM admissions")).all() == [(8, 7, 4)]
    finally:
        db.dispose()
