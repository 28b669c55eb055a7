"""A restore loses nothing (issue 18, points 2 and 3): it refuses while another Koordinator *process* has the
database open (and names it), a stale hold of a killed process does not block, it refuses a backup of the wrong kind
(plain over encrypted, encrypted over plain unless asked, another ward's, a newer schema, not a Koordinator
database), keeps every earlier ``….before-restore``, and a Koordinator whose file was replaced under it writes
nothing more — on plain SQLite and on SQLCipher."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE

from coordinator_app.domain.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseReplacedError,
    StorageError,
)
from coordinator_app.storage.backup import backup_now, restore
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.sqlite_file import FileKind, SqliteFile, file_kind

#: A Koordinator process saving in a loop: it prints each acknowledged save's number and stops when told.
WRITER = """
import sys
from pathlib import Path
from coordinator_app.storage.database import open_database
path, passphrase, stop = Path(sys.argv[1]), sys.argv[2] or None, Path(sys.argv[3])
db = open_database(path, passphrase=passphrase, migrate=False)
print("open", flush=True)
i = 0
while not stop.exists():
    i += 1
    db.set_meta(f"skrevet-{i}", str(i))  # returns only once committed: acknowledged
    print(i, flush=True)
db.dispose()
print("done", flush=True)
"""

#: A Koordinator process that opens the database and then waits (killed by the test).
IDLE = """
import sys, time
from pathlib import Path
from coordinator_app.storage.database import open_database
db = open_database(Path(sys.argv[1]), passphrase=sys.argv[2] or None, migrate=False)
db.get_meta("x")
print("open", flush=True)
time.sleep(600)
"""


def _process(script: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "open", proc.stderr.read() if proc.stderr else first
    return proc


def _meta(path: Path, passphrase: str | None) -> dict[str, str]:
    db = open_database(path, passphrase=passphrase, migrate=False)
    try:
        with db.engine.connect() as conn:
            return {k: v for k, v in conn.exec_driver_sql("SELECT key, value FROM app_meta")}
    finally:
        db.dispose()


@pytest.fixture(params=["plain", "sqlcipher"])
def local(request: pytest.FixtureRequest) -> tuple[Path, str | None]:
    """The database file ``koordinator.db`` and its passphrase (``None``: plain SQLite)."""
    if request.param == "plain":
        return Path(str(request.getfixturevalue("sqlite_url")).removeprefix("sqlite:///")), None
    return Path(request.getfixturevalue("encrypted_path")), TEST_PASSPHRASE


def _plain_elsewhere(tmp_path: Path) -> Path:
    """A plain Koordinator database in a folder of its own."""
    path = tmp_path / "ukrypteret" / "koordinator.db"
    path.parent.mkdir()
    open_database(path).dispose()
    return path


def _backup(path: Path, passphrase: str | None, folder: Path) -> Path:
    db = open_database(path, passphrase=passphrase, migrate=False)
    try:
        return backup_now(db, folder).path
    finally:
        db.dispose()


def test_restore_while_another_process_writes_is_refused_and_loses_no_acknowledged_write(
    local: tuple[Path, str | None], tmp_path: Path
) -> None:
    path, passphrase = local
    backup = _backup(path, passphrase, tmp_path / "kopier")
    stop = tmp_path / "stop"
    writer = _process(WRITER, str(path), passphrase or "", str(stop))
    assert writer.stdout is not None
    acknowledged: list[int] = []
    while len(acknowledged) < 20:
        acknowledged.append(int(writer.stdout.readline()))
    with pytest.raises(DatabaseInUseError) as refused:
        restore(path, backup, passphrase=passphrase)
    assert f"proces {writer.pid}" in refused.value.message and "åben i Koordinator hos" in refused.value.message
    assert "ikke ændret" in refused.value.message
    assert not list(path.parent.glob("*.before-restore*"))
    while len(acknowledged) < 40:  # the writer goes on saving after the refusal
        acknowledged.append(int(writer.stdout.readline()))
    stop.touch()
    for line in writer.stdout:
        if line.strip() == "done":
            break
        acknowledged.append(int(line))
    writer.communicate(timeout=30)  # waits, and closes its pipes
    assert writer.returncode == 0
    saved = _meta(path, passphrase)
    assert all(saved.get(f"skrevet-{i}") == str(i) for i in acknowledged), "an acknowledged write was lost"
    assert len(acknowledged) >= 40

    info = restore(path, backup, passphrase=passphrase)  # the writer has gone: now it may
    assert info.previous == path.with_name("koordinator.db.before-restore")
    assert not any(k.startswith("skrevet-") for k in _meta(path, passphrase))
    assert sum(k.startswith("skrevet-") for k in _meta(info.previous, passphrase)) == len(acknowledged)


def test_a_killed_process_does_not_block_a_restore(local: tuple[Path, str | None], tmp_path: Path) -> None:
    path, passphrase = local
    backup = _backup(path, passphrase, tmp_path / "kopier")
    idle = _process(IDLE, str(path), passphrase or "")
    with pytest.raises(DatabaseInUseError):
        restore(path, backup, passphrase=passphrase)
    idle.send_signal(signal.SIGKILL)
    idle.communicate(timeout=30)
    assert list(path.parent.glob(".koordinator.db.i-brug-*"))  # the killed process could not clean up
    assert restore(path, backup, passphrase=passphrase).previous is not None
    assert not list(path.parent.glob(".koordinator.db.i-brug-*"))  # found stale, removed


def test_a_database_open_in_this_process_holds_it_too(local: tuple[Path, str | None], tmp_path: Path) -> None:
    path, passphrase = local
    backup = _backup(path, passphrase, tmp_path / "kopier")
    db = open_database(path, passphrase=passphrase, migrate=False)
    try:
        db.get_meta("x")
        with pytest.raises(DatabaseInUseError, match=f"proces {os.getpid()}"):
            restore(path, backup, passphrase=passphrase)
        db.dispose()  # closing it lets go: the window's own restore does exactly this
        assert restore(path, backup, passphrase=passphrase).previous is not None
    finally:
        db.dispose()


def test_every_earlier_before_restore_is_kept_and_named(local: tuple[Path, str | None], tmp_path: Path) -> None:
    path, passphrase = local
    backup = _backup(path, passphrase, tmp_path / "kopier")
    kept = []
    for n in range(3):
        db = open_database(path, passphrase=passphrase, migrate=False)
        db.set_meta("runde", str(n))
        db.dispose()
        kept.append(restore(path, backup, passphrase=passphrase).previous)
    assert kept == [
        path.with_name("koordinator.db.before-restore"),
        path.with_name("koordinator.db.before-restore-2"),
        path.with_name("koordinator.db.before-restore-3"),
    ]
    assert [_meta(p, passphrase)["runde"] for p in kept if p is not None] == ["0", "1", "2"]


def test_a_plain_backup_over_an_encrypted_database_is_refused(encrypted_path: Path, tmp_path: Path) -> None:
    plain = _plain_elsewhere(tmp_path)
    before = encrypted_path.read_bytes()
    with pytest.raises(StorageError, match=r"ikke krypteret, men databasen .* er") as refused:
        restore(encrypted_path, plain)
    assert "ikke ændret" in refused.value.message
    assert encrypted_path.read_bytes() == before
    assert sorted(p.name for p in encrypted_path.parent.iterdir()) == ["koordinator.db", "ukrypteret"]


def test_an_encrypted_backup_over_a_plain_database_only_when_asked(encrypted_path: Path, tmp_path: Path) -> None:
    other = _plain_elsewhere(tmp_path)
    before = other.read_bytes()
    with pytest.raises(StorageError, match="--krypteret"):
        restore(other, encrypted_path, passphrase=TEST_PASSPHRASE)
    assert other.read_bytes() == before
    restore(other, encrypted_path, passphrase=TEST_PASSPHRASE, encrypt=True)
    assert file_kind(other) is FileKind.ENCRYPTED and _meta(other, TEST_PASSPHRASE) is not None


def _ward(path: Path, passphrase: str | None, centre: str, ward: str) -> None:
    db = open_database(path, passphrase=passphrase, migrate=False)
    db.set_meta("ward_setup", json.dumps({"centre": centre, "ward": ward, "kommuner": []}))
    db.dispose()


def test_another_wards_backup_is_refused(local: tuple[Path, str | None], tmp_path: Path) -> None:
    path, passphrase = local
    _ward(path, passphrase, "Psykiatrisk Center Nord", "Afsnit 7")
    other = tmp_path / "andet" / "koordinator.db"
    other.parent.mkdir()
    shutil.copyfile(path, other)
    _ward(other, passphrase, "Psykiatrisk Center Syd", "Afsnit 2")
    before = path.read_bytes()
    with pytest.raises(StorageError) as refused:
        restore(path, other, passphrase=passphrase, ward="Psykiatrisk Center Nord, Afsnit 7")
    assert "Psykiatrisk Center Syd, Afsnit 2, ikke for Psykiatrisk Center Nord, Afsnit 7" in refused.value.message
    assert path.read_bytes() == before
    restore(path, other, passphrase=passphrase, ward="Psykiatrisk Center Syd, Afsnit 2")  # the same ward: fine


def test_a_newer_schema_is_refused(local: tuple[Path, str | None], tmp_path: Path) -> None:
    path, passphrase = local
    newer = tmp_path / "nyere.db"
    shutil.copyfile(path, newer)
    conn = SqliteFile(newer, passphrase).connect()
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match=r"nyere version af Koordinator .skemaversion 9999"):
        restore(path, newer, passphrase=passphrase)
    assert path.read_bytes() == before


def test_a_file_that_is_no_koordinator_database_is_refused(tmp_path: Path) -> None:
    path = _plain_elsewhere(tmp_path)
    foreign = tmp_path / "fremmed.db"
    conn = SqliteFile(foreign).connect()
    conn.execute("CREATE TABLE noget (x)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match="ikke en Koordinator-database"):
        restore(path, foreign)
    assert path.read_bytes() == before


def test_a_process_whose_file_was_restored_under_it_writes_nothing_more(
    local: tuple[Path, str | None], tmp_path: Path
) -> None:
    """The first process is idle (its connections closed, its hold let go, as in the instant a restore cannot see);
    a second process restores; the first one's next write is refused in Danish and reaches neither file."""
    path, passphrase = local
    backup = _backup(path, passphrase, tmp_path / "kopier")
    first = open_database(path, passphrase=passphrase, migrate=False)
    first.set_meta("før", "1")
    first.dispose()
    restorer = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from coordinator_app.storage.backup import restore; "
            "restore(Path(sys.argv[1]), Path(sys.argv[2]), passphrase=sys.argv[3] or None)",
            str(path),
            str(backup),
            passphrase or "",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert restorer.returncode == 0, restorer.stderr
    old = path.with_name("koordinator.db.before-restore")
    old_rows, new_rows = _meta(old, passphrase), _meta(path, passphrase)
    assert old_rows["før"] == "1" and "før" not in new_rows
    assert first.replaced
    with pytest.raises(DatabaseReplacedError) as refused:
        first.set_meta("efter", "1")
    assert "er blevet udskiftet" in refused.value.message and "start programmet igen" in refused.value.message
    with pytest.raises(DatabaseReplacedError):  # and every write after it
        first.set_meta("efter", "2")
    first.dispose()
    assert _meta(old, passphrase) == old_rows and _meta(path, passphrase) == new_rows  # "efter" in neither


def test_a_file_copied_over_an_open_database_stops_its_writes(local: tuple[Path, str | None], tmp_path: Path) -> None:
    """An IT script copying a backup over the file while Koordinator runs (no restore, no lock asked)."""
    path, passphrase = local
    db: Database = open_database(path, passphrase=passphrase, migrate=False)
    try:
        db.set_meta("før", "1")
        kept = tmp_path / "gammel.db"
        os.link(path, kept)  # the old file's bytes stay reachable for the check below
        copy = tmp_path / "kopi.db"
        shutil.copyfile(_backup(path, passphrase, tmp_path / "kopier"), copy)
        os.replace(copy, path)
        started = time.perf_counter()
        with pytest.raises(DatabaseReplacedError):
            db.set_meta("efter", "1")
        assert time.perf_counter() - started < 1.0
        assert db.get_meta("efter") is None  # nothing reached the old file (reads still see it)
    finally:
        db.dispose()
