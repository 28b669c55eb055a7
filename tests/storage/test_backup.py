"""Backups, restore, integrity checks, the retention ladder and risky locations (issue 8)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE
from sqlalchemy import text
from storage_data import KOMMUNER, patient
from test_migrations import NEXT_REVISION, _migrations_with

from coordinator_app.domain.errors import (
    DamagedDatabaseError,
    PassphraseRequiredError,
    StorageError,
    WrongPassphraseError,
)
from coordinator_app.storage import backup, migrate
from coordinator_app.storage.auto_backup import AutoBackup
from coordinator_app.storage.backup import (
    BackupInfo,
    RetentionLadder,
    backup_now,
    integrity_check,
    list_backups,
    prune,
    quick_check,
    restore,
    verify_backup,
)
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.locations import is_risky_location
from coordinator_app.storage.repositories import KommuneRepository, PatientRepository
from coordinator_app.storage.sqlite_file import FileKind, SqliteFile, check_file, file_kind

NOW = datetime(2026, 11, 23, 12, 0)  # a Monday


def _add(db: Database, cpr: str, name: str) -> None:
    with db.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
        PatientRepository(session).add(patient(cpr, given_name=name))


def _names(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(text("SELECT given_name FROM patients ORDER BY given_name")).scalars())


def _rows_in(file: SqliteFile) -> list[str]:
    conn = file.connect(read_only=True)
    try:
        return [r[0] for r in conn.execute("SELECT given_name FROM patients ORDER BY given_name")]
    finally:
        conn.close()


@pytest.fixture
def encrypted_db(encrypted_path: Path) -> Iterator[Database]:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    _add(db, "0101901234", "Birgitte")
    yield db
    db.dispose()


# -- taking a backup --------------------------------------------------------------------------------------
def test_the_backup_of_an_encrypted_database_is_encrypted_and_checked(encrypted_db: Database, tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    info = backup_now(encrypted_db, tmp_path / "kopier", progress=lambda done, total: steps.append((done, total)))
    assert info.encrypted and info.path.parent == tmp_path / "kopier" and info.size == info.path.stat().st_size
    assert info.path.name.startswith("koordinator-") and info.seconds is not None
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(info.path).execute("SELECT count(*) FROM sqlite_master").fetchall()
    assert file_kind(info.path) is FileKind.ENCRYPTED
    assert b"Birgitte" not in info.path.read_bytes()
    keyed = SqliteFile(info.path, TEST_PASSPHRASE)
    assert check_file(keyed).ok and _rows_in(keyed) == ["Birgitte"]
    assert verify_backup(info.path, passphrase=TEST_PASSPHRASE).ok
    assert not verify_backup(info.path, passphrase="forkert").ok
    with pytest.raises(PassphraseRequiredError):
        verify_backup(info.path)
    assert steps and steps[-1][0] == steps[-1][1] > 0
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]  # no -wal, no temp file


def test_the_backup_of_a_plain_demo_database_is_plain(sqlite_url: str, tmp_path: Path) -> None:
    db = open_database(sqlite_url)
    try:
        _add(db, "0101901234", "Demo")
        info = backup_now(db, tmp_path / "kopier")
    finally:
        db.dispose()
    assert not info.encrypted and file_kind(info.path) is FileKind.PLAIN
    with sqlite3.connect(info.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT given_name FROM patients").fetchall() == [("Demo",)]
    conn.close()


def test_the_default_backup_folder_is_beside_the_database(encrypted_db: Database) -> None:
    assert encrypted_db.path is not None
    info = backup_now(encrypted_db, now=NOW)
    assert info.path == encrypted_db.path.parent / "backups" / "koordinator-2026-11-23_120000.db"
    second = backup_now(encrypted_db, now=NOW)  # same second: a second name, nothing overwritten
    assert second.path.name == "koordinator-2026-11-23_120000-2.db"
    assert [b.path for b in list_backups(info.path.parent)] == [second.path, info.path]


def test_a_backup_that_fails_its_check_is_deleted_and_reported(
    encrypted_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "check_file", lambda file, full: backup.CheckResult(False, ("Page 7: btree",)))
    with pytest.raises(StorageError, match=r"bestod ikke kontrollen .*Page 7.* er slettet"):
        backup_now(encrypted_db, tmp_path / "kopier")
    assert list((tmp_path / "kopier").iterdir()) == []


def test_a_backup_into_a_folder_that_cannot_be_made_says_so(encrypted_db: Database, tmp_path: Path) -> None:
    (tmp_path / "optaget").write_text("en fil, ikke en mappe")
    with pytest.raises(StorageError, match="Sikkerhedskopien kunne ikke gemmes i"):
        backup_now(encrypted_db, tmp_path / "optaget" / "kopier")


def test_the_shared_database_is_not_backed_up_by_koordinator(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        with pytest.raises(StorageError, match="sikkerhedskopieres af IT"):
            backup_now(db)
        assert quick_check(db).ok
    finally:
        db.dispose()


# -- a damaged backup, a damaged database -----------------------------------------------------------------
def _flip_bytes(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + 16):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_corrupted_backup_is_refused_and_the_database_is_untouched(encrypted_db: Database, tmp_path: Path) -> None:
    info = backup_now(encrypted_db, tmp_path / "kopier")
    assert encrypted_db.path is not None
    _flip_bytes(info.path, info.size - 2000)  # inside the last page: only its HMAC can tell
    result = verify_backup(info.path, passphrase=TEST_PASSPHRASE)
    assert not result.ok and result.problems
    encrypted_db.dispose()
    before = encrypted_db.path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match=r"Sikkerhedskopien .* er beskadiget"):
        restore(encrypted_db.path, info.path, passphrase=TEST_PASSPHRASE)
    assert encrypted_db.path.read_bytes() == before
    assert not encrypted_db.path.with_name("koordinator.db.before-restore").exists()


def test_a_corrupted_plain_backup_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    db = open_database(sqlite_url)
    _add(db, "0101901234", "Demo")
    info = backup_now(db, tmp_path / "kopier")
    db.dispose()
    data = bytearray(info.path.read_bytes())
    data[4096 + 100 : 4096 * 3] = os.urandom(4096 * 2 - 100)  # garble table pages, keep the header
    info.path.write_bytes(bytes(data))
    assert not verify_backup(info.path).ok


def test_quick_check_passes_a_healthy_database(encrypted_db: Database) -> None:
    assert quick_check(encrypted_db).ok
    assert integrity_check(encrypted_db).ok


def test_a_damaged_database_fails_quick_check_and_still_opens_read_only(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    with db.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
        for i in range(400):
            PatientRepository(session).add(patient(f"{i:010d}", given_name=f"Fornavn{i}", address="x" * 200))
    with db.engine.connect() as conn:
        root = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'patients'").scalar_one()
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    db.dispose()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size  # the patients table's root page: its child pointers become nonsense
    data[start + 12 : start + page_size] = os.urandom(page_size - 12)
    path.write_bytes(bytes(data))

    db = open_database(path, migrate=False)
    try:
        result = quick_check(db)
    finally:
        db.dispose()
    assert not result.ok and result.problems
    db = open_database(path, read_only=True)
    try:
        assert db.read_only and db.get_meta("nothing") is None  # other tables still readable
    finally:
        db.dispose()


# -- restore --------------------------------------------------------------------------------------------
def test_restore_round_trip_with_progress_keeps_the_previous_file(encrypted_db: Database, tmp_path: Path) -> None:
    info = backup_now(encrypted_db, tmp_path / "kopier")
    _add(encrypted_db, "0202901234", "Carl")  # after the backup
    path = encrypted_db.path
    assert path is not None
    encrypted_db.dispose()
    steps: list[tuple[int, int]] = []
    result = restore(path, info.path, passphrase=TEST_PASSPHRASE, progress=lambda d, t: steps.append((d, t)))
    assert steps and steps[-1][0] == steps[-1][1] > 0
    assert result.previous == path.with_name("koordinator.db.before-restore")
    assert not list(path.parent.glob(".*restore-tmp*"))
    db = open_database(path, passphrase=TEST_PASSPHRASE)
    try:
        assert _names(db) == ["Birgitte"]
    finally:
        db.dispose()
    assert file_kind(path) is FileKind.ENCRYPTED
    assert _rows_in(SqliteFile(result.previous, TEST_PASSPHRASE)) == ["Birgitte", "Carl"]


def test_restore_moves_a_stale_wal_aside_so_it_is_never_replayed(encrypted_db: Database, tmp_path: Path) -> None:
    info = backup_now(encrypted_db, tmp_path / "kopier")
    path = encrypted_db.path
    assert path is not None
    encrypted_db.dispose()
    wal = path.with_name("koordinator.db-wal")
    wal.write_bytes(b"left behind by a crash")
    restore(path, info.path, passphrase=TEST_PASSPHRASE)
    assert not wal.exists()
    assert path.with_name("koordinator.db.before-restore-wal").read_bytes() == b"left behind by a crash"
    open_database(path, passphrase=TEST_PASSPHRASE).dispose()


def test_restore_with_the_wrong_passphrase_changes_nothing(encrypted_db: Database, tmp_path: Path) -> None:
    info = backup_now(encrypted_db, tmp_path / "kopier")
    path = encrypted_db.path
    assert path is not None
    encrypted_db.dispose()
    before = path.read_bytes()
    with pytest.raises(DamagedDatabaseError, match="passer ikke til adgangskoden"):
        restore(path, info.path, passphrase="forkert")
    with pytest.raises(PassphraseRequiredError):
        restore(path, info.path)
    assert path.read_bytes() == before


def test_restore_into_a_missing_database_creates_it(encrypted_db: Database, tmp_path: Path) -> None:
    info = backup_now(encrypted_db, tmp_path / "kopier")
    target = tmp_path / "ny" / "koordinator.db"
    target.parent.mkdir()
    assert restore(target, info.path, passphrase=TEST_PASSPHRASE).previous is None
    with pytest.raises(WrongPassphraseError):
        open_database(target, passphrase="forkert")


# -- the retention ladder ----------------------------------------------------------------------------------
def _touch(folder: Path, *moments: datetime, stem: str = "koordinator") -> dict[datetime, Path]:
    folder.mkdir(exist_ok=True)
    made = {}
    for moment in moments:
        path = folder / f"{stem}-{moment:%Y-%m-%d_%H%M%S}.db"
        path.write_bytes(b"\0" * 4096)
        made[moment] = path
    return made


def test_the_retention_ladder_keeps_recent_daily_weekly_and_monthly_backups(tmp_path: Path) -> None:
    today = [NOW.replace(hour=h) for h in range(12)]  # 00:00 … 11:00
    yesterday_morning, yesterday_evening = datetime(2026, 11, 22, 8), datetime(2026, 11, 22, 20)
    six_days_ago = datetime(2026, 11, 17, 9)  # the last day of the daily rung
    last_weeks_monday = datetime(2026, 11, 16, 9)  # 7 days ago; its week is kept by 22 Nov, Nov by today
    four_weeks_ago = datetime(2026, 11, 1, 9)  # a Sunday: the week of 26 Oct, the last weekly rung
    october_last, october_first = datetime(2026, 10, 25, 9), datetime(2026, 10, 20, 9)  # weeks 5 ago
    eleven_months_ago, twelve_months_ago = datetime(2025, 12, 15, 9), datetime(2025, 11, 30, 9)
    made = _touch(
        tmp_path / "kopier",
        *today, yesterday_morning, yesterday_evening, six_days_ago, last_weeks_monday, four_weeks_ago,
        october_last, october_first, eleven_months_ago, twelve_months_ago,
    )  # fmt: skip
    other = _touch(tmp_path / "kopier", datetime(2024, 1, 1), stem="demo")  # another database: its own ladder
    (tmp_path / "kopier" / "noter.txt").write_text("ikke en sikkerhedskopi")

    deleted = prune(tmp_path / "kopier", NOW)

    expected_gone = [twelve_months_ago, october_first, last_weeks_monday, yesterday_morning, today[0], today[1]]
    assert deleted == [made[m] for m in expected_gone]
    left = {b.path for b in list_backups(tmp_path / "kopier")}
    assert left == {p for m, p in made.items() if m not in expected_gone} | set(other.values())
    assert (tmp_path / "kopier" / "noter.txt").exists()


def test_the_ladder_keeps_a_backup_from_the_future_and_each_rung_can_be_tuned() -> None:
    def info(moment: datetime) -> BackupInfo:
        return BackupInfo(Path(f"k-{moment:%Y-%m-%d_%H%M%S}.db"), moment, 4096, True)

    future = info(NOW + timedelta(days=30))
    hourly = [info(NOW - timedelta(hours=h)) for h in range(1, 6)]
    ladder = RetentionLadder(recent=2, days=0, weeks=0, months=0)
    assert ladder.keep([future, *hourly], NOW) == {future.path, hourly[0].path}


# -- automatic backups ------------------------------------------------------------------------------------
def test_automatic_backups_when_data_changed_at_an_interval_and_on_exit(encrypted_db: Database) -> None:
    clock = [NOW]
    ladder = RetentionLadder(recent=2, days=0, weeks=0, months=0)
    auto = AutoBackup(encrypted_db, interval=timedelta(minutes=15), ladder=ladder, clock=lambda: clock[0])
    first = auto.tick()  # this database has no backup yet: take one
    assert first is not None and first.created == NOW and first.encrypted

    clock[0] = NOW + timedelta(minutes=5)
    _add(encrypted_db, "0202901234", "Carl")
    assert auto.tick() is None  # changed, but within the interval
    clock[0] = NOW + timedelta(minutes=16)
    second = auto.tick()
    assert second is not None and second.created == clock[0]
    clock[0] = NOW + timedelta(minutes=40)
    assert auto.tick() is None  # nothing changed since

    clock[0] = NOW + timedelta(minutes=41)
    encrypted_db.set_meta("senest", "1")
    third = auto.on_exit()  # on exit the interval does not matter
    assert third is not None and auto.on_exit() is None
    assert [b.path for b in list_backups(auto.folder)] == [third.path, second.path]  # pruned to the ladder
    assert _rows_in(SqliteFile(third.path, TEST_PASSPHRASE)) == ["Birgitte", "Carl"]

    restarted = AutoBackup(encrypted_db, clock=lambda: NOW + timedelta(hours=5))
    assert restarted.last == list_backups(auto.folder)[0] and restarted.tick() is None


def test_a_read_only_database_is_never_backed_up_automatically(encrypted_path: Path) -> None:
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE, read_only=True)
    try:
        auto = AutoBackup(db)
        assert (auto.tick(), auto.on_exit()) == (None, None)
    finally:
        db.dispose()


# -- migrations take a backup first ------------------------------------------------------------------------
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_migration_takes_a_backup_of_the_old_database_first(
    encrypted: bool, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if encrypted:
        path = request.getfixturevalue("encrypted_path")
    else:
        path = Path(request.getfixturevalue("sqlite_url").removeprefix("sqlite:///"))
    passphrase = TEST_PASSPHRASE if encrypted else None
    db = open_database(path, passphrase=passphrase)
    _add(db, "0101901234", "Birgitte")
    db.dispose()
    old_head = migrate.head_revision()

    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with(tmp_path, NEXT_REVISION))
    db = open_database(path, passphrase=passphrase)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == "next"
    finally:
        db.dispose()

    [made] = list_backups(path.parent / "backups")
    assert made.before_upgrade and made.path.name.endswith("-foer-opdatering.db")
    assert made.encrypted is encrypted
    file = SqliteFile(made.path, passphrase)
    assert check_file(file).ok and _rows_in(file) == ["Birgitte"]
    conn = file.connect(read_only=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(old_head,)]
        assert "nickname" not in {r[1] for r in conn.execute("PRAGMA table_info(patients)")}
    finally:
        conn.close()


def test_no_backup_for_a_new_database_or_one_already_at_head(tmp_path: Path) -> None:
    open_database(tmp_path / "ny.db", passphrase=TEST_PASSPHRASE).dispose()
    open_database(tmp_path / "ny.db", passphrase=TEST_PASSPHRASE).dispose()
    assert not (tmp_path / "backups").exists()


def test_no_backup_no_migration(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    old_head = migrate.head_revision()
    monkeypatch.setattr(migrate, "MIGRATIONS", _migrations_with(tmp_path, NEXT_REVISION))
    (tmp_path / "optaget").write_text("en fil, ikke en mappe")
    with pytest.raises(StorageError, match=r"først tages en sikkerhedskopi, og det lykkedes ikke.*ikke ændret"):
        open_database(path, backup_dir=tmp_path / "optaget" / "kopier")
    db = open_database(path, migrate=False)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == old_head
    finally:
        db.dispose()


# -- where a database must not live -------------------------------------------------------------------------
MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/afdeling /mnt/afdeling cifs rw,vers=3.1.1 0 0
nas:/export/home /home/delt nfs4 rw 0 0
sshfs#bruger@server: /home/bruger/fjern fuse.sshfs rw 0 0
/dev/sdb1 /media/bruger/USB\\040STICK vfat rw 0 0
/dev/sdc1 /run/media/bruger/Ekstern exfat rw 0 0
/dev/sdd1 /srv/data ext4 rw 0 0
/dev/sde1 /mnt/afdeling/lokal ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/home/bruger/Dokumenter/koordinator.db", None),
        ("/mnt/afdeling/koordinator.db", "netværksdrev (/mnt/afdeling, cifs)"),
        ("/mnt/afdeling/lokal/koordinator.db", None),  # the longest mount point decides
        ("/home/delt/koordinator.db", "netværksdrev (/home/delt, nfs4)"),
        ("/home/bruger/fjern/ny/mappe/koordinator.db", "netværksdrev (/home/bruger/fjern, fuse.sshfs)"),
        ("/media/bruger/USB STICK/koordinator.db", "flytbart drev (/media/bruger/USB STICK)"),
        ("/run/media/bruger/Ekstern/koordinator.db", "flytbart drev (/run/media/bruger/Ekstern)"),
    ],
)
def test_network_shares_and_removable_drives_are_recognised_from_the_mount_table(
    path: str, reason: str | None, tmp_path: Path
) -> None:
    found = is_risky_location(path, mounts=MOUNTS, sys_root=tmp_path, platform="linux")
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found and "Flyt databasen til en lokal mappe" in found


def test_a_disk_the_kernel_calls_removable_is_refused(tmp_path: Path) -> None:
    disk = tmp_path / "devices" / "usb1" / "block" / "sdd"
    (disk / "sdd1").mkdir(parents=True)
    (disk / "removable").write_text("1\n")
    (tmp_path / "class" / "block").mkdir(parents=True)
    (tmp_path / "class" / "block" / "sdd1").symlink_to(disk / "sdd1")
    found = is_risky_location("/srv/data/koordinator.db", mounts=MOUNTS, sys_root=tmp_path, platform="linux")
    assert found is not None and "flytbart drev (/srv/data)" in found
    (disk / "removable").write_text("0\n")
    assert is_risky_location("/srv/data/koordinator.db", mounts=MOUNTS, sys_root=tmp_path, platform="linux") is None


def test_windows_network_paths_are_refused_and_other_systems_are_allowed() -> None:
    found = is_risky_location(r"\\fileserver\afdeling\koordinator.db", platform="win32")
    assert found is not None and "netværksdrev" in found
    assert is_risky_location("/Volumes/USB/koordinator.db", platform="darwin") is None


def test_this_machines_test_folders_are_local(tmp_path: Path) -> None:
    assert is_risky_location(tmp_path / "koordinator.db") is None


def test_open_database_refuses_a_file_on_a_network_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coordinator_app.storage import database, locations

    mounts = f"/dev/vda1 / ext4 rw 0 0\n//server/del {tmp_path} cifs rw 0 0\n"
    monkeypatch.setattr(database, "is_risky_location", lambda p: locations.is_risky_location(p, mounts=mounts))
    with pytest.raises(StorageError, match="netværksdrev") as info:
        open_database(tmp_path / "koordinator.db", passphrase=TEST_PASSPHRASE)
    assert "PostgreSQL" in info.value.message and not (tmp_path / "koordinator.db").exists()


def test_backups_are_copies_not_the_same_file(encrypted_db: Database, tmp_path: Path) -> None:
    """A backup is its own file: changing the database afterwards does not change it."""
    info = backup_now(encrypted_db, tmp_path / "kopier")
    copy = tmp_path / "kopi.db"
    shutil.copyfile(info.path, copy)
    _add(encrypted_db, "0202901234", "Carl")
    assert info.path.read_bytes() == copy.read_bytes()
