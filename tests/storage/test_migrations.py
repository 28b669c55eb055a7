"""Every database is brought to the current schema at open — and orm.py never drifts from the migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from storage_data import MOMENT, patient

from coordinator_app.errors import StorageError
from coordinator_app.model import Consent, ConsentMethod, ConsentRecipient
from coordinator_app.storage import migrate, open_database
from coordinator_app.storage.orm import Base
from coordinator_app.storage.repositories import ConsentRepository, PatientRepository

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


def _revision_and_tables(url: str) -> tuple[str | None, set[str]]:
    db = open_database(url, migrate=False)
    try:
        with db.engine.connect() as conn:
            return migrate.current_revision(conn), set(inspect(conn).get_table_names())
    finally:
        db.dispose()


def test_an_empty_database_is_migrated_to_head(empty_db_url: str) -> None:
    open_database(empty_db_url).dispose()
    revision, tables = _revision_and_tables(empty_db_url)
    assert revision == migrate.head_revision()
    assert tables == TABLES | {"alembic_version"}


def test_opening_a_database_at_head_runs_no_migration(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kw: object) -> None:
        raise AssertionError("upgrade must not run on a database at head")

    monkeypatch.setattr(migrate.command, "upgrade", fail)
    db = open_database(db_url)
    db.dispose()
    assert _revision_and_tables(db_url)[0] == migrate.head_revision()


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
    revision, tables = _revision_and_tables(db_url)
    assert revision == before
    assert "half_done" not in tables


def test_a_database_from_a_newer_koordinator_is_refused(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(StorageError, match="nyere version af Koordinator"):
        open_database(db_url)


def test_head_is_0004_with_consents_documents_meetings_and_contacts(db_url: str) -> None:
    assert migrate.head_revision() == "0004"
    revision, tables = _revision_and_tables(db_url)
    assert revision == "0004"
    assert {"consents", "documents", "meeting_templates", "meetings", "contacts"} <= tables


def _migrate_to(url: str, revision: str, *, down: bool = False) -> None:
    db = open_database(url, migrate=False)
    try:
        with db.engine.begin() as conn:
            config = migrate.alembic_config()
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        db.dispose()


def test_a_0001_database_with_data_is_upgraded_to_0002_and_back(empty_db_url: str) -> None:
    """The real upgrade the coordinators will run: their 0001 data stays, the new tables work."""
    _migrate_to(empty_db_url, "0001")
    _, tables = _revision_and_tables(empty_db_url)
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

    _migrate_to(empty_db_url, "0001", down=True)
    revision, tables = _revision_and_tables(empty_db_url)
    assert revision == "0001"
    assert tables == TABLES - {"consents", "documents", "meeting_templates", "meetings", "contacts"} | {
        "alembic_version"
    }
