"""``koordinator restore FIL`` as an administrator's command (issue 18): it logs in, only an administrator gets
further, it refuses while another Koordinator has the database open (naming it) and a plain backup over an encrypted
database, and every earlier ``….before-restore`` is kept and named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from db_fixtures import TEST_PASSPHRASE

from coordinator_app.cli import commands as cli
from coordinator_app.domain.access import Role
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.users import UserService
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.backup import backup_now
from coordinator_app.storage.database import open_database

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "korrekt hest batteri 7"


@pytest.fixture
def ward(encrypted_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An encrypted database with an administrator and a koordinator, and a backup of it; no terminal."""
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    users = UserService(ServiceContext(database=db), hasher=FAST)
    users.create_user("ada", "Ada Admin", Role.ADMINISTRATOR, PASSWORD)
    users.create_user("kim", "Kim Koordinator", Role.KOORDINATOR, PASSWORD)
    backup = backup_now(db, tmp_path / "kopier").path
    db.set_meta("markør", "efter kopien")
    db.dispose()
    monkeypatch.setenv(cli.PASSPHRASE_ENV, TEST_PASSPHRASE)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    return encrypted_path, backup


def _as(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    monkeypatch.setenv(cli.USER_ENV, username)
    monkeypatch.setenv(cli.USER_PASSWORD_ENV, PASSWORD)


def _restore(path: Path, backup: Path) -> int:
    return cli.main(["--database", str(path), "restore", str(backup)])


def _assert_untouched(path: Path) -> None:
    """Nothing was restored: no earlier file kept aside, and the database still holds what was written after the
    backup."""
    assert not list(path.parent.glob("*before-restore*"))
    db = open_database(path, passphrase=TEST_PASSPHRASE, migrate=False)
    try:
        assert db.get_meta("markør") == "efter kopien"
    finally:
        db.dispose()


def test_restore_without_a_login_or_as_a_koordinator_is_refused_and_touches_nothing(
    ward: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path, backup = ward
    assert _restore(path, backup) == 2
    assert "kræver login" in capsys.readouterr().err
    _as(monkeypatch, "kim")
    assert _restore(path, backup) == 2
    assert "Din rolle (Koordinator) må ikke gendanne databasen fra en sikkerhedskopi" in capsys.readouterr().err
    _assert_untouched(path)


def test_an_administrators_restores_keep_every_earlier_file_and_are_logged(
    ward: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path, backup = ward
    _as(monkeypatch, "ada")
    assert _restore(path, backup) == 0
    assert _restore(path, backup) == 0
    out = capsys.readouterr().out
    first, second = path.with_name("koordinator.db.before-restore"), path.with_name("koordinator.db.before-restore-2")
    assert f"Den tidligere database er gemt som {first}." in out
    assert f"Den tidligere database er gemt som {second}." in out
    assert first.exists() and second.exists()
    db = open_database(path, passphrase=TEST_PASSPHRASE, migrate=False)
    try:
        with db.session() as session:
            line = AuditRepository(session).all()[-1]
    finally:
        db.dispose()
    assert line.user == "Ada Admin (ada)" and line.what.endswith(f"den tidligere database er gemt som {second}")


def test_restore_is_refused_while_another_koordinator_has_the_database_open(
    ward: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path, backup = ward
    _as(monkeypatch, "ada")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from coordinator_app.storage.database import open_database; "
            "db = open_database(sys.argv[1], passphrase=sys.argv[2], migrate=False); db.get_meta('x'); "
            "print('open', flush=True); sys.stdin.readline(); db.dispose()",
            str(path),
            TEST_PASSPHRASE,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    try:
        assert _restore(path, backup) == 2
        err = capsys.readouterr().err
        assert "er åben i Koordinator hos" in err and f"proces {holder.pid}" in err and "ikke ændret" in err
        assert not list(path.parent.glob("*before-restore*"))
    finally:
        holder.communicate("luk\n", timeout=30)
    assert _restore(path, backup) == 0  # closed there: now it may


def test_a_plain_backup_over_the_encrypted_database_is_refused(
    ward: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    path, _backup = ward
    plain = tmp_path / "ukrypteret.db"
    open_database(plain).dispose()
    _as(monkeypatch, "ada")
    assert _restore(path, plain) == 2
    assert "ikke krypteret, men databasen" in capsys.readouterr().err
    _assert_untouched(path)
