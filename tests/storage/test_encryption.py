"""Encryption at rest (issue 8): the local database is a SQLCipher file, unreadable without the passphrase."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from db_fixtures import TEST_PASSPHRASE
from helpers.databases import sqlite_pragmas
from sqlalchemy import inspect, text
from storage_data import KOMMUNER, patient

from coordinator_app.domain.errors import (
    NotEncryptedError,
    PassphraseRequiredError,
    RiskyLocationError,
    StorageError,
    WrongPassphraseError,
)
from coordinator_app.storage import database, migrate, sqlite_file
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.orm import Base
from coordinator_app.storage.repositories import KommuneRepository, PatientRepository
from coordinator_app.storage.sqlite_file import FileKind, SqliteFile, encrypt_plain_file, file_kind

CPR = "0101901234"


def _with_patient(db: Database) -> None:
    with db.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
        PatientRepository(session).add(patient(CPR, given_name="Birgitte"))


def _given_name(db: Database) -> str | None:
    with db.session() as session:
        found = PatientRepository(session).find_by_cpr(CPR)
        return found.given_name if found else None


# -- what is on disk ---------------------------------------------------------------------------------------
def test_an_encrypted_database_is_unreadable_by_plain_sqlite3(tmp_path: Path) -> None:
    path = tmp_path / "koordinator.db"
    db = open_database(path, passphrase=TEST_PASSPHRASE)
    _with_patient(db)
    db.dispose()
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall()
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert CPR.encode() not in raw and b"Birgitte" not in raw and b"patients" not in raw
    assert file_kind(path) is FileKind.ENCRYPTED


def test_reopening_with_the_right_passphrase_finds_the_data(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    _with_patient(db)
    db.dispose()
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        assert _given_name(db) == "Birgitte"
        assert (db.encrypted, db.kind, db.dialect) == (True, "krypteret lokal", "sqlite")
    finally:
        db.dispose()


def test_the_passphrase_is_never_in_a_url_or_repr(encrypted_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        shown = [db.url, repr(db), repr(db.file), str(db.engine.url), repr(db.engine), caplog.text]
    finally:
        db.dispose()
    assert db.url == f"sqlite+pysqlcipher:///{encrypted_path}"
    assert not [s for s in shown if "Testkode" in s]


def test_encrypted_connections_keep_wal_full_sync_foreign_keys_and_busy_timeout(encrypted_path: Path) -> None:
    pragmas = sqlite_pragmas(encrypted_path, passphrase=TEST_PASSPHRASE, busy_timeout=1.5)
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 1500}


def test_the_recipe_url_with_the_passphrase_opens_too(encrypted_path: Path) -> None:
    """``sqlite+pysqlcipher://:PASSPHRASE@//abs/path.db`` (URL-encoded) — for IT scripts; the app passes it apart."""
    from urllib.parse import quote

    db = open_database(f"sqlite+pysqlcipher://:{quote(TEST_PASSPHRASE, safe='')}@/{encrypted_path}")
    try:
        assert db.encrypted and "Testkode" not in db.url
    finally:
        db.dispose()
    with pytest.raises(PassphraseRequiredError):
        open_database(f"sqlite+pysqlcipher:///{encrypted_path.with_name('ny.db')}")


# -- the wrong key, no key ---------------------------------------------------------------------------------
def test_a_wrong_passphrase_is_a_danish_message_and_nothing_on_stderr(
    encrypted_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    before = encrypted_path.read_bytes()
    with pytest.raises(WrongPassphraseError, match="Forkert adgangskode til databasen") as info:
        open_database(encrypted_path, passphrase="forkert")
    assert str(encrypted_path) in info.value.message
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # SQLCipher's "hmac check failed" is silenced
    assert encrypted_path.read_bytes() == before


def test_an_encrypted_database_without_passphrase_asks_for_it(encrypted_path: Path) -> None:
    with pytest.raises(PassphraseRequiredError, match=r"er krypteret\. Skriv adgangskoden"):
        open_database(encrypted_path)
    with pytest.raises(PassphraseRequiredError):
        open_database(encrypted_path, migrate=False)


def test_an_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="må ikke være tom"):
        open_database(tmp_path / "ny.db", passphrase="")
    assert not (tmp_path / "ny.db").exists()


def test_a_plain_database_with_a_passphrase_is_refused_not_silently_used(sqlite_url: str) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with pytest.raises(NotEncryptedError, match="ikke krypteret"):
        open_database(path, passphrase=TEST_PASSPHRASE)
    assert file_kind(path) is FileKind.PLAIN


def test_plain_sqlite_is_the_visibly_marked_demo(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    try:
        assert (db.encrypted, db.kind) == (False, "demo – ikke krypteret")
    finally:
        db.dispose()


def test_the_shared_database_is_marked_as_such(pg_url: str) -> None:
    db = open_database(pg_url, passphrase="ignored for PostgreSQL")
    try:
        assert (db.encrypted, db.kind, db.file) == (False, "delt PostgreSQL", None)
    finally:
        db.dispose()


# -- migrations, passphrase change, plain → encrypted --------------------------------------------------------
def test_every_migration_runs_up_and_down_on_an_encrypted_database(tmp_path: Path) -> None:
    path = tmp_path / "ny.db"
    db = open_database(path, passphrase=TEST_PASSPHRASE)  # from nothing to head
    try:
        with db.engine.begin() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            config = migrate.alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
            command.upgrade(config, "head")
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        db.dispose()
    assert file_kind(path) is FileKind.ENCRYPTED


def test_the_passphrase_can_be_changed(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    _with_patient(db)
    with pytest.raises(WrongPassphraseError):
        db.change_passphrase("forkert", "ny kode")
    db.change_passphrase(TEST_PASSPHRASE, "ny kode")
    assert _given_name(db) == "Birgitte"  # the open database carries on with the new key
    db.dispose()
    with pytest.raises(WrongPassphraseError):
        open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    db = open_database(encrypted_path, passphrase="ny kode")
    try:
        assert _given_name(db) == "Birgitte"
    finally:
        db.dispose()


def test_a_plain_database_has_no_passphrase_to_change(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    try:
        with pytest.raises(StorageError, match="ikke krypteret"):
            db.change_passphrase("a", "b")
    finally:
        db.dispose()


def test_a_plain_database_from_before_encryption_can_be_encrypted(sqlite_url: str) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    db = open_database(path)
    _with_patient(db)
    db.dispose()
    encrypt_plain_file(path, TEST_PASSPHRASE)
    assert file_kind(path) is FileKind.ENCRYPTED
    assert not list(path.parent.glob(".*tmp*"))
    db = open_database(path, passphrase=TEST_PASSPHRASE)
    try:
        assert _given_name(db) == "Birgitte"
    finally:
        db.dispose()
    with pytest.raises(StorageError, match="ikke en ukrypteret"):
        encrypt_plain_file(path, TEST_PASSPHRASE)


# -- read-only, changes, location --------------------------------------------------------------------------
def test_a_read_only_database_reads_but_refuses_writes(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    _with_patient(db)
    db.dispose()
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE, read_only=True)
    try:
        assert db.read_only and _given_name(db) == "Birgitte"
        with pytest.raises(StorageError, match="skrivebeskyttet"):
            db.set_meta("x", "y")
    finally:
        db.dispose()


def test_change_count_grows_with_commits_that_changed_rows_only(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        assert db.change_count == 0
        db.get_meta("demo")
        assert db.change_count == 0
        db.set_meta("demo", "1")
        assert db.change_count == 1
        with db.engine.begin() as conn:
            conn.execute(text("SELECT count(*) FROM patients"))
        assert db.change_count == 1
        _with_patient(db)
        assert db.change_count == 2
    finally:
        db.dispose()


def test_a_database_on_a_network_share_is_refused_with_the_reason(
    encrypted_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "is_risky_location", lambda path: f"Databasen ligger på et netværksdrev ({path}).")
    with pytest.raises(RiskyLocationError, match="netværksdrev"):
        open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    open_database(encrypted_path, passphrase=TEST_PASSPHRASE, allow_risky_location=True).dispose()


def test_copying_an_encrypted_file_keeps_it_encrypted_with_the_same_passphrase(
    encrypted_path: Path, tmp_path: Path
) -> None:
    """The test fixtures copy a migrated template; a user's file copied by hand behaves the same."""
    copy = tmp_path / "kopi.db"
    shutil.copyfile(encrypted_path, copy)
    open_database(copy, passphrase=TEST_PASSPHRASE).dispose()
    with pytest.raises(WrongPassphraseError):
        open_database(copy, passphrase="forkert")


# -- the key derived once ---------------------------------------------------------------------------------
def test_a_file_keyed_by_sqlcipher_from_the_passphrase_opens_with_the_key_derived_once(tmp_path: Path) -> None:
    """Our derivation equals SQLCipher's: files made either way open either way (backups, other tools)."""
    import sqlcipher3.dbapi2 as sqlcipher

    path = tmp_path / "sqlcipher.db"
    conn = sqlcipher.connect(str(path))
    conn.set_key(TEST_PASSPHRASE)
    conn.execute("CREATE TABLE fremmed (x)")
    conn.close()
    db = open_database(path, passphrase=TEST_PASSPHRASE, migrate=False)
    try:
        assert db.file is not None and db.file.raw_key is not None  # no KDF per connection
        assert db.engine.connect().exec_driver_sql("SELECT count(*) FROM fremmed").scalar() == 0
    finally:
        db.dispose()

    ours = tmp_path / "ours.db"
    open_database(ours, passphrase=TEST_PASSPHRASE).dispose()
    conn = SqliteFile(ours, TEST_PASSPHRASE).connect(read_only=True)  # SQLCipher derives the key itself
    try:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    finally:
        conn.close()


def test_if_sqlcipher_derived_keys_differently_the_passphrase_still_opens_the_file(
    encrypted_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_file, "KDF_ITERATIONS", 64_000)  # as if SQLCipher's defaults had changed
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        assert db.file is not None and db.file.raw_key is None and db.get_meta("x") is None
    finally:
        db.dispose()
    with pytest.raises(WrongPassphraseError):
        open_database(encrypted_path, passphrase="forkert")
