"""A damaged file is called damaged, not a wrong passphrase (issue 18, point 9), and each backup has its own salt.

SQLCipher says "file is not a database" both for a wrong key and for a damaged first page. ``open_database`` tells
them apart: the passphrase verifies on the file's later pages, or it opens the newest backup beside the file; a
plain file whose first bytes are overwritten keeps the rest of SQLite's header.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE

from coordinator_app.domain.errors import DamagedDatabaseError, PassphraseRequiredError, WrongPassphraseError
from coordinator_app.storage.backup import backup_now, verify_backup
from coordinator_app.storage.database import open_database
from coordinator_app.storage.sqlite_file import SALT_BYTES, damaged_start


def _overwrite(path: Path, start: int, length: int) -> None:
    with path.open("r+b") as fh:
        fh.seek(start)
        fh.write(b"\x00" * length)


def test_a_wrong_passphrase_is_still_called_wrong(encrypted_path: Path) -> None:
    with pytest.raises(WrongPassphraseError, match="Forkert adgangskode"):
        open_database(encrypted_path, passphrase="forkert")
    assert not damaged_start(encrypted_path, "forkert")


def test_a_damaged_first_page_with_the_right_passphrase_is_called_damaged(encrypted_path: Path) -> None:
    _overwrite(encrypted_path, SALT_BYTES, 200)  # the salt is intact, page 1's ciphertext is not
    before = encrypted_path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match="beskadiget i starten") as info:
        open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    assert "Forkert adgangskode" not in info.value.message
    assert "restore" in info.value.message
    assert encrypted_path.read_bytes() == before  # nothing written
    with pytest.raises(WrongPassphraseError, match="Forkert adgangskode"):  # a wrong one is still wrong
        open_database(encrypted_path, passphrase="forkert")


def test_a_damaged_salt_is_told_by_the_newest_backup(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    backup_now(db)
    db.dispose()
    _overwrite(encrypted_path, 0, 100)  # the salt is gone too: no key can be derived from the file
    with pytest.raises(DamagedDatabaseError, match="åbner den nyeste sikkerhedskopi") as info:
        open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    assert "beskadiget" in info.value.message and "Forkert adgangskode" not in info.value.message
    with pytest.raises(WrongPassphraseError, match="Forkert adgangskode"):
        open_database(encrypted_path, passphrase="forkert")


def test_a_plain_file_whose_header_is_overwritten_is_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    open_database(path).dispose()
    _overwrite(path, 0, 16)  # "SQLite format 3\0" gone; page size, versions, fractions still there
    with pytest.raises(DamagedDatabaseError, match="beskadiget i starten"):
        open_database(path)  # not "er krypteret. Skriv adgangskoden"
    with pytest.raises(DamagedDatabaseError, match="beskadiget i starten"):
        open_database(path, passphrase=TEST_PASSPHRASE)
    with pytest.raises(PassphraseRequiredError):  # an intact encrypted file still asks for its passphrase
        open_database(_encrypted(tmp_path))


def _encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "krypteret.db"
    open_database(path, passphrase=TEST_PASSPHRASE).dispose()
    return path


# -- each backup has its own salt ---------------------------------------------------------------------------
def test_each_backup_has_its_own_salt_and_opens_with_the_same_passphrase(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        first = backup_now(db).path
        second = backup_now(db).path
    finally:
        db.dispose()
    salts = {p.read_bytes()[:SALT_BYTES] for p in (encrypted_path, first, second)}
    assert len(salts) == 3
    for backup in (first, second):
        assert verify_backup(backup, passphrase=TEST_PASSPHRASE).ok
        assert not verify_backup(backup, passphrase="forkert").ok
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(backup).execute("SELECT count(*) FROM sqlite_master").fetchall()
