"""``open_database(must_exist=True, check_first=True)`` (issue 18): what the commands that read open with.

Opening creates — SQLite a missing file on connect, the migration the tables of an empty file or PostgreSQL
database. ``must_exist`` refuses instead, in Danish, and leaves nothing behind; ``check_first`` refuses a damaged file
before the migration (or anything else) writes to it. Without them, opening creates as before (the wizard, the
demo, the tests).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE
from helpers.tamper import damage_a_table_page
from sqlalchemy import create_engine, inspect

from coordinator_app.domain.errors import DamagedDatabaseError, StorageError, WrongPassphraseError
from coordinator_app.storage.database import local_path, open_database


def test_a_missing_file_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"findes ikke\. .*Intet er oprettet"):
        open_database(tmp_path / "mangler.db", must_exist=True)
    with pytest.raises(StorageError, match="findes ikke"):
        open_database(tmp_path / "ingen-mappe" / "fil.db", must_exist=True)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_refused_and_left_empty(tmp_path: Path) -> None:
    empty = tmp_path / "tom.db"
    empty.write_bytes(b"")
    with pytest.raises(StorageError, match=r"er tom \(0 byte\)"):
        open_database(empty, must_exist=True)
    with pytest.raises(StorageError, match=r"er tom \(0 byte\)"):
        open_database(empty, must_exist=True, passphrase=TEST_PASSPHRASE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tom.db"] and empty.stat().st_size == 0


def test_the_default_files_folder_is_not_made(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with pytest.raises(StorageError, match=r"koordinator\.db findes ikke"):
        open_database(None, must_exist=True)
    assert local_path(None, create_folder=False) == tmp_path / "data" / "Koordinator" / "koordinator.db"
    assert not (tmp_path / "data").exists()


def test_a_database_in_memory_is_refused_where_one_must_exist() -> None:
    with pytest.raises(StorageError, match="i hukommelsen er altid tom"):
        open_database("sqlite://", must_exist=True)


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("not a url at all", "ligner hverken en filsti eller en databaseadresse"),
        ("x" * 5000, "stien er for lang"),
        ("a\x00b.db", "styretegn"),
        ("sqlite:///" + "y" * 300 + ".db", "navnet er for langt"),
    ],
)
def test_words_that_are_no_path_are_refused_even_when_creating(
    given: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StorageError, match=words):
        open_database(given)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_without_a_suffix_still_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_database(tmp_path / "afsnit").dispose()
    open_database("afsnit", must_exist=True, check_first=True).dispose()


def test_without_must_exist_a_new_file_is_still_created(tmp_path: Path) -> None:
    open_database(tmp_path / "ny.db").dispose()
    assert (tmp_path / "ny.db").stat().st_size > 0


def test_check_first_refuses_a_damaged_file_before_the_migration_writes(tmp_path: Path) -> None:
    path = tmp_path / "beskadiget.db"
    damage_a_table_page(path)
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match=r"er beskadiget .*intet skrives i den"):
        open_database(path, must_exist=True, check_first=True)
    assert path.read_bytes() == before


def test_check_first_still_calls_a_wrong_passphrase_one(encrypted_path: Path) -> None:
    with pytest.raises(WrongPassphraseError):
        open_database(encrypted_path, passphrase="forkert-adgangskode", must_exist=True, check_first=True)
    open_database(encrypted_path, passphrase=TEST_PASSPHRASE, must_exist=True, check_first=True).dispose()


def test_an_empty_postgresql_database_is_refused_and_gets_no_tables(pg_cluster) -> None:
    name = f"tom_{os.getpid()}"
    pg_cluster.admin(f"CREATE DATABASE {name}")
    try:
        url = pg_cluster.url(name)
        with pytest.raises(StorageError, match="er tom eller ikke en Koordinator-database"):
            open_database(url, must_exist=True)
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert inspect(conn).get_table_names() == []
        finally:
            engine.dispose()
    finally:
        pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_koordinator_postgresql_database_opens_where_one_must_exist(pg_url: str) -> None:
    open_database(pg_url, must_exist=True, check_first=True).dispose()
