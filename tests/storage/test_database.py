"""Opening databases, transactions, and every failure told in Danish with what to do."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from db_fixtures import TEST_BUSY_TIMEOUT, PgCluster
from helpers.databases import sqlite_pragmas
from sqlalchemy import create_engine, exc, text
from storage_data import KOMMUNER, admission, patient

from coordinator_app.domain.errors import StorageError
from coordinator_app.storage.database import Database, default_database_url, open_database
from coordinator_app.storage.repositories import AdmissionRepository, KommuneRepository, PatientRepository

NOBODY = 65534


# -- opening ------------------------------------------------------------------------------------------
def test_sqlite_connections_use_wal_full_sync_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    pragmas = sqlite_pragmas(sqlite_url, busy_timeout=1.5)
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 1500}


def test_a_plain_path_opens_as_sqlite_and_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ny.db"
    db = open_database(str(path))
    try:
        assert (db.dialect, db.path) == ("sqlite", path)
        assert db.url == f"sqlite:///{path}"
    finally:
        db.dispose()
    assert path.stat().st_size > 0


def test_default_database_is_in_the_users_data_folder() -> None:
    url = default_database_url()
    home = os.environ["XDG_DATA_HOME"]  # conftest points it at a temporary home
    assert url == f"sqlite:///{home}/Koordinator/koordinator.db"
    assert Path(home, "Koordinator").is_dir()


def test_postgresql_url_without_driver_uses_psycopg_and_hides_password(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+psycopg://app@", "postgresql://app:hemmelig@")
    db = open_database(plain)
    try:
        assert db.dialect == "postgresql"
        assert db.url.startswith("postgresql+psycopg://app:***@")
    finally:
        db.dispose()


def test_other_database_kinds_are_refused_in_danish() -> None:
    with pytest.raises(StorageError, match="kun bruge SQLite eller PostgreSQL"):
        open_database("mysql://x@y/z")


def test_meta_values_round_trip(database: Database) -> None:
    assert database.get_meta("demo") is None
    database.set_meta("demo", "1")
    database.set_meta("demo", "0")
    assert database.get_meta("demo") == "0"


# -- transactions ---------------------------------------------------------------------------------------
def test_an_exception_inside_a_session_commits_nothing(database: Database) -> None:
    with database.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
    with pytest.raises(KeyError), database.session() as session:
        added = PatientRepository(session).add(patient())
        AdmissionRepository(session).add(admission(added.id or 0))
        raise KeyError("the user closed the dialog halfway")
    with database.session() as session:
        assert PatientRepository(session).find_by_cpr(patient().cpr) is None
        assert AdmissionRepository(session).count() == 0


def test_a_failing_statement_leaves_no_half_written_record(database: Database) -> None:
    """The patient is inserted, then the admission fails (unknown kommune): the patient is gone too."""
    with pytest.raises(StorageError, match="strider mod databasens regler"), database.session() as session:
        added = PatientRepository(session).add(patient())
        AdmissionRepository(session).add(admission(added.id or 0, bopaelskommune="999"))
    with database.session() as session:
        assert PatientRepository(session).find_by_cpr(patient().cpr) is None


def test_duplicate_cpr_is_a_danish_storage_error(database: Database) -> None:
    with database.session() as session:
        PatientRepository(session).add(patient())
    with pytest.raises(StorageError, match="CPR-nummeret allerede"), database.session() as session:
        PatientRepository(session).add(patient())


# -- failures -----------------------------------------------------------------------------------------
def test_a_file_that_is_not_a_database_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Indkøbsliste: mælk, æg\n" * 200, encoding="utf-8")
    with pytest.raises(StorageError, match="er beskadiget eller ikke en Koordinator-database") as info:
        open_database(path)
    assert str(path) in info.value.message
    assert path.read_text(encoding="utf-8").startswith("Indkøbsliste")  # untouched


def test_a_database_with_garbled_pages_is_reported_as_damaged(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    data = bytearray(sqlite_template.read_bytes())
    data[100:4096] = os.urandom(3996)  # keep the 100-byte header, garble the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="beskadiget"):
        open_database(path)


def test_another_programs_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "andet.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StorageError, match="ikke en Koordinator-database"):
        open_database(path)
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert tables == ["recipes"]


def test_a_missing_folder_is_named_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"Mappen .*mangler findes ikke\. Opret mappen"):
        open_database(tmp_path / "mangler" / "koordinator.db")


@contextmanager
def _unprivileged() -> Iterator[None]:
    """Drop root's right to write anywhere (file permissions only bind non-root users)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_folder_without_write_access_is_reported(sqlite_template: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="koordinator-ro-"))  # outside pytest's root-only tmp folders
    try:
        shutil.copyfile(sqlite_template, folder / "koordinator.db")
        folder.chmod(0o555)
        (folder / "koordinator.db").chmod(0o444)
        with _unprivileged(), pytest.raises(StorageError, match="kan ikke skrive i mappen") as info:
            open_database(folder / "koordinator.db")
        assert str(folder) in info.value.message
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@contextmanager
def _other_connection_holds_write_lock(db_url: str) -> Iterator[None]:
    engine = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
            conn.exec_driver_sql("INSERT INTO app_meta (key, value) VALUES ('x', 'y')")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql("LOCK TABLE app_meta IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            conn.exec_driver_sql("ROLLBACK")
    engine.dispose()


def test_a_locked_database_fails_after_the_busy_timeout_with_advice(db_url: str) -> None:
    db = open_database(db_url, busy_timeout=TEST_BUSY_TIMEOUT)
    try:
        with _other_connection_holds_write_lock(db_url):
            with pytest.raises(StorageError, match="Databasen er låst af et andet program"):
                db.set_meta("demo", "1")
        db.set_meta("demo", "1")  # the lock is gone: works again
        assert db.get_meta("demo") == "1"
    finally:
        db.dispose()


def test_disk_full_on_sqlite_rolls_back_and_says_so(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    try:
        with pytest.raises(StorageError, match="Disken er fuld"), db.session() as session:
            pages = session.execute(text("PRAGMA page_count")).scalar_one()
            session.execute(text(f"PRAGMA max_page_count = {pages + 1}"))  # SQLite's own SQLITE_FULL
            big = {"v": "x" * 100_000}
            session.execute(text("INSERT INTO app_meta (key, value) VALUES ('big', :v)"), big)
    finally:
        db.dispose()
    db = open_database(sqlite_url)
    try:
        assert db.get_meta("big") is None
    finally:
        db.dispose()


def test_disk_full_on_postgresql_says_so(pg_url: str) -> None:
    """PostgreSQL reports a full disk as SQLSTATE 53100; a session raising it is translated."""
    db = open_database(pg_url)
    try:
        with pytest.raises(StorageError, match="Disken er fuld"), db.session():
            raise exc.OperationalError("INSERT …", {}, psycopg.errors.DiskFull("could not extend file"))
    finally:
        db.dispose()


def test_an_unreachable_postgresql_says_check_the_network() -> None:
    import socket

    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StorageError, match="Kan ikke forbinde til den delte database") as info:
        open_database(f"postgresql+psycopg://app@127.0.0.1:{port}/koordinator", busy_timeout=2)
    assert f"127.0.0.1:{port}" in info.value.message


def test_a_missing_postgresql_database_is_named(pg_cluster: PgCluster) -> None:
    with pytest.raises(StorageError, match="Databasen findes ikke på serveren"):
        open_database(pg_cluster.url("findes_ikke"))
