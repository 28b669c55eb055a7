"""Every database is brought to the current schema at open — and orm.py never drifts from the migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from storage_data import patient

from coordinator_app.errors import StorageError
from coordinator_app.storage import migrate, open_database
from coordinator_app.storage.orm import Base
from coordinator_app.storage.repositories import PatientRepository

TABLES = {"kommuner", "centres", "wards", "patients", "admissions", "events", "app_meta"}

#: A later revision, as a developer would add it: a new column with a value for existing rows.
REVISION_0002 = '''
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))
    op.execute("UPDATE patients SET nickname = given_name")


def downgrade():
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("nickname")
'''

#: A revision that fails halfway: creates a table, then hits an error.
FAILING_0002 = '''
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE patients SET no_such_column = 1")


def downgrade():
    pass
'''


def _migrations_with(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "0002_test.py").write_text(source, encoding="utf-8")
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
    db = open_database(db_url)  # at 0001, the "previous version" of the app
    with db.session() as session:
        PatientRepository(session).add(patient(given_name="Birgitte"))
    db.dispose()

    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with(tmp_path, REVISION_0002))
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == "0002"
            assert conn.execute(text("SELECT given_name, nickname FROM patients")).all() == [
                ("Birgitte", "Birgitte")
            ]
    finally:
        db.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with(tmp_path, FAILING_0002))
    with pytest.raises(StorageError):
        open_database(db_url)
    revision, tables = _revision_and_tables(db_url)
    assert revision == "0001"
    assert "half_done" not in tables


def test_a_database_from_a_newer_koordinator_is_refused(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(StorageError, match="nyere version af Koordinator"):
        open_database(db_url)
