"""`koordinator [--database URL] backup [--to DIR]`, `restore FILE` and `check` (issue 8).

The passphrase comes from KOORDINATOR_PASSPHRASE or a getpass prompt on a terminal — never the command line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE
from helpers.commands import run_koordinator
from helpers.tamper import damage_a_table_page

from coordinator_app.cli import commands as cli
from coordinator_app.storage.backup import list_backups
from coordinator_app.storage.database import open_database
from coordinator_app.storage.sqlite_file import FileKind, SqliteFile, check_file, file_kind


@pytest.fixture
def ward_db(encrypted_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted database holding one marker row; the passphrase in the environment, no terminal."""
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    db.set_meta("afdeling", "Afsnit 7")
    db.dispose()
    monkeypatch.setenv(cli.PASSPHRASE_ENV, TEST_PASSPHRASE)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    return encrypted_path


def _meta(path: Path, key: str, passphrase: str | None = TEST_PASSPHRASE) -> str | None:
    db = open_database(path, passphrase=passphrase, migrate=False)
    try:
        return db.get_meta(key)
    finally:
        db.dispose()


def test_backup_writes_a_checked_encrypted_copy(ward_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["--database", str(ward_db), "backup", "--to", str(tmp_path / "kopier")]) == 0
    out = capsys.readouterr().out
    [made] = list_backups(tmp_path / "kopier")
    assert f"Sikkerhedskopi gemt: {made.path}" in out and "krypteret" in out and "integrity_check" in out
    assert file_kind(made.path) is FileKind.ENCRYPTED
    assert check_file(SqliteFile(made.path, TEST_PASSPHRASE)).ok
    assert _meta(made.path, "afdeling") == "Afsnit 7"


def test_backup_goes_beside_the_database_by_default(ward_db: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["--database", f"sqlite:///{ward_db}", "backup"]) == 0
    assert len(list_backups(ward_db.parent / "backups")) == 1


def test_without_passphrase_and_terminal_the_command_says_what_to_do(
    ward_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.delenv(cli.PASSPHRASE_ENV)
    assert cli.main(["--database", str(ward_db), "backup"]) == 2
    err = capsys.readouterr().err
    assert "er krypteret" in err and cli.PASSPHRASE_ENV in err and "aldrig adgangskoden på kommandolinjen" in err
    assert not (ward_db.parent / "backups").exists()


def test_on_a_terminal_the_passphrase_is_asked_for_again_when_wrong(
    ward_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import getpass

    monkeypatch.delenv(cli.PASSPHRASE_ENV)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["forkert", TEST_PASSPHRASE])
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", answer)
    assert cli.main(["--database", str(ward_db), "check"]) == 0
    assert prompts == [cli.PASSPHRASE_PROMPT, cli.PASSPHRASE_PROMPT]
    captured = capsys.readouterr()
    assert "Forkert adgangskode" in captured.err and "er i orden" in captured.out


def test_a_wrong_passphrase_from_the_environment_fails_cleanly(
    ward_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv(cli.PASSPHRASE_ENV, "forkert")
    assert cli.main(["--database", str(ward_db), "backup"]) == 2
    err = capsys.readouterr().err
    assert "Forkert adgangskode til databasen" in err and cli.PASSPHRASE_ENV in err


def test_check_reports_a_healthy_and_a_damaged_database(
    ward_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["--database", str(ward_db), "check"]) == 0
    assert "er i orden (quick_check" in capsys.readouterr().out
    assert cli.main(["--database", str(ward_db), "check", "--fuld"]) == 0
    assert "integrity_check" in capsys.readouterr().out

    damaged = tmp_path / "beskadiget.db"
    damage_a_table_page(damaged)
    monkeypatch.delenv(cli.PASSPHRASE_ENV)  # a plain demo file takes no passphrase
    assert cli.main(["--database", str(damaged), "check"]) == 2
    err = capsys.readouterr().err
    assert "er beskadiget" in err and "koordinator restore" in err and "Traceback" not in err


def test_restore_puts_the_backup_back_and_keeps_the_previous_file(
    ward_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["--database", str(ward_db), "backup", "--to", str(tmp_path / "kopier")]) == 0
    [made] = list_backups(tmp_path / "kopier")
    db = open_database(ward_db, passphrase=TEST_PASSPHRASE)
    db.set_meta("afdeling", "ændret efter kopien")
    db.dispose()
    capsys.readouterr()

    assert cli.main(["--database", str(ward_db), "restore", str(made.path)]) == 0
    out = capsys.readouterr().out
    previous = ward_db.with_name("koordinator.db.before-restore")
    assert "er gendannet fra" in out and str(previous) in out
    assert _meta(ward_db, "afdeling") == "Afsnit 7"
    assert _meta(previous, "afdeling") == "ændret efter kopien"


def test_restore_refuses_a_damaged_backup(ward_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["--database", str(ward_db), "backup", "--to", str(tmp_path / "kopier")]) == 0
    [made] = list_backups(tmp_path / "kopier")
    data = bytearray(made.path.read_bytes())
    data[-100:] = bytes(100)
    made.path.write_bytes(bytes(data))
    before = ward_db.read_bytes()
    assert cli.main(["--database", str(ward_db), "restore", str(made.path)]) == 2
    assert "er beskadiget" in capsys.readouterr().err
    assert ward_db.read_bytes() == before


def test_the_shared_database_is_left_to_it(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["--database", "postgresql://app@127.0.0.1:1/x", "restore", "kopi.db"]) == 2
    assert "gendannes af IT" in capsys.readouterr().err


def test_the_real_command_prints_danish_and_no_sqlcipher_noise(ward_db: Path, tmp_path: Path) -> None:
    """As a user runs it: a separate process, its own stderr (SQLCipher writes there from C)."""
    env = {**os.environ, cli.PASSPHRASE_ENV: "forkert"}
    result = run_koordinator("--database", str(ward_db), "backup", env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Forkert adgangskode til databasen")
    assert "hmac" not in result.stderr.lower() and "Traceback" not in result.stderr
    env[cli.PASSPHRASE_ENV] = TEST_PASSPHRASE
    result = run_koordinator("--database", str(ward_db), "check", env=env)
    assert (result.returncode, result.stderr) == (0, "") and "er i orden" in result.stdout
