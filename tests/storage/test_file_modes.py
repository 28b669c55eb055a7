"""Files with patient data are the user's only (issue 18, point 8): 0600, in folders of Koordinator's own that are
0700 — the database and its ``-wal``/``-shm``/``-journal``, backups and their folder, the restored file and the
``….before-restore`` copy, the log and its rotations, crash reports, exports and the workstation's settings file.

Every test runs with umask 000, the most permissive there is: the modes come from how the files are created, not
from the user's umask. A folder the user chose (an export target, a backup folder of their own) keeps its mode;
only the files written there are private. POSIX only: on Windows the bits mean nothing.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE

from coordinator_app.infra import files, logs
from coordinator_app.infra.folders import config_dir, data_dir, log_dir
from coordinator_app.storage import backup
from coordinator_app.storage.database import default_database_url, open_database
from coordinator_app.storage.sqlite_file import SqliteFile, encrypt_plain_file, sidecars

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; on Windows they mean nothing")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


# -- the database ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("passphrase", [TEST_PASSPHRASE, None], ids=["encrypted", "plain"])
def test_a_new_database_and_its_wal_and_shm_are_0600(tmp_path: Path, passphrase: str | None) -> None:
    path = tmp_path / "koordinator.db"
    db = open_database(path, passphrase=passphrase)
    try:
        db.set_meta("x", "1")  # a write: the -wal and -shm exist while the database is open
        wal, shm = sidecars(path)
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        db.dispose()


def test_an_existing_0644_database_is_tightened_when_opened(encrypted_path: Path) -> None:
    encrypted_path.chmod(0o644)
    open_database(encrypted_path, passphrase=TEST_PASSPHRASE).dispose()
    assert mode(encrypted_path) == 0o600


def test_the_users_data_folder_is_0700(tmp_path: Path) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # made by an earlier version
    default_database_url()
    assert mode(folder) == 0o700


def test_a_plain_file_encrypted_in_place_stays_0600(tmp_path: Path) -> None:
    path = tmp_path / "gammel.db"
    open_database(path).dispose()
    encrypt_plain_file(path, TEST_PASSPHRASE)
    assert mode(path) == 0o600


# -- backups and restore ---------------------------------------------------------------------------------------
def test_backups_are_0600_in_a_0700_folder_and_a_chosen_folder_keeps_its_mode(encrypted_path: Path) -> None:
    chosen = encrypted_path.parent / "mine-kopier"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        own = backup.backup_now(db)
        elsewhere = backup.backup_now(db, chosen)
    finally:
        db.dispose()
    assert own.path.parent == backup.default_backup_dir(encrypted_path)
    assert (mode(own.path), mode(own.path.parent)) == (0o600, 0o700)
    assert (mode(elsewhere.path), mode(chosen)) == (0o600, 0o755)


def test_a_restored_database_and_the_file_it_replaced_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "koordinator.db"
    db = open_database(path)
    taken = backup.backup_now(db)
    db.dispose()
    result = backup.restore(path, taken.path)
    assert result.previous is not None
    assert (mode(result.path), mode(result.previous)) == (0o600, 0o600)


def test_sqlites_rollback_journal_takes_the_files_mode(tmp_path: Path) -> None:
    """A backup is left in rollback-journal mode: the ``-journal`` written while a transaction runs is 0600 too."""
    path = tmp_path / "kopi.db"
    conn = SqliteFile(path).connect()
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        conn.execute("CREATE TABLE t (x)")
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (1)")
        journal = path.with_name(path.name + "-journal")
        assert journal.exists()
        assert (mode(path), mode(journal)) == (0o600, 0o600)
        conn.execute("COMMIT")
    finally:
        conn.close()


# -- the log and crash reports -----------------------------------------------------------------------------------
def test_the_log_and_its_rotations_are_0600_in_a_0700_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    (folder / "koordinator.log").write_text("fra en ældre version\n")
    (folder / "koordinator.log").chmod(0o644)
    monkeypatch.setattr(logs, "log_folder", lambda: folder)
    root = logging.getLogger("koordinator")
    before = list(root.handlers)
    monkeypatch.setattr(root, "handlers", [h for h in before if not getattr(h, "_koordinator", False)])
    path = logs.configure_logging()
    try:
        assert path == folder / "koordinator.log"
        handler = next(h for h in root.handlers if getattr(h, "_koordinator", False))
        assert isinstance(handler, logs.PrivateRotatingFileHandler)
        logging.getLogger("koordinator.test").warning("en linje")
        handler.doRollover()
        logging.getLogger("koordinator.test").warning("en linje mere")
        handler.flush()
        rotated = folder / "koordinator.log.1"
        assert rotated.exists()
        assert (mode(folder), mode(path), mode(rotated)) == (0o700, 0o600, 0o600)
    finally:
        for h in root.handlers:
            if getattr(h, "_koordinator", False):
                h.close()
        root.handlers = before


def test_a_crash_report_is_0600_in_the_0700_log_folder() -> None:
    from coordinator_app.ui.common.errors import write_crash_report

    patient = " ".join(("Testa", "Fiktivsen", "010190-9909"))  # data, not a line of code in the traceback
    try:
        raise ValueError(patient)
    except ValueError:
        exc_type, exc, tb = sys.exc_info()
    assert exc_type is not None and exc is not None
    report = write_crash_report(exc_type, exc, tb)
    assert report.parent == log_dir()
    assert (mode(report), mode(report.parent)) == (0o600, 0o700)
    text = report.read_text(encoding="utf-8")
    assert "ValueError" in text and "test_file_modes.py" in text
    assert "Fiktivsen" not in text and "010190" not in text


# -- exports and settings --------------------------------------------------------------------------------------
def test_a_file_written_for_export_is_0600_and_the_chosen_folder_keeps_its_mode(tmp_path: Path) -> None:
    """Every export (PDF, XLSX, CSV in a zip, an audit extract) is written by ``write_atomically``
    (``services.exports``; the services' own tests write each kind)."""
    chosen = tmp_path / "Dokumenter"
    chosen.mkdir()
    chosen.chmod(0o755)
    for name in ("blanket.pdf", "statistik.xlsx", "statistik.zip"):
        files.write_atomically(chosen / name, b"indhold")
        assert mode(chosen / name) == 0o600
    assert mode(chosen) == 0o755


def test_the_settings_file_is_0600_in_a_0700_folder() -> None:
    from coordinator_app.services import connection

    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    saved = connection.save_config(connection.ConnectionConfig(mode=connection.LOCAL, path=data_dir() / "k.db"))
    assert saved is not None
    path = connection.config_path()
    assert (mode(path), mode(folder)) == (0o600, 0o700)
    connection.remove_config()
