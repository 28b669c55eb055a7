"""Headless commands without ``--database`` use the workstation's choice from the first run (issue 9), with the
adgangskode from the system keyring when the user chose to keep it there (issue 8)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from db_fixtures import TEST_PASSPHRASE
from memory_keyring import *  # noqa: F403 (the fixtures)

from coordinator_app.cli import commands as cli
from coordinator_app.services import connection


@pytest.fixture
def chosen(encrypted_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    connection.save_config(connection.ConnectionConfig("lokal", path=encrypted_path, remember_passphrase=True))
    monkeypatch.delenv(cli.PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    return encrypted_path


def test_check_opens_the_chosen_database_with_the_keyrings_adgangskode(chosen, memory_keyring, capsys) -> None:
    memory_keyring.set_password("Koordinator", str(chosen), TEST_PASSPHRASE)
    assert cli.main(["check"]) == 0
    assert f"Databasen {chosen} er i orden" in capsys.readouterr().out


def test_without_the_keyring_the_command_asks_for_the_adgangskode(chosen, no_keyring, capsys) -> None:
    assert cli.main(["check"]) == 2
    assert "KOORDINATOR_PASSPHRASE" in capsys.readouterr().err


def test_demo_alone_never_opens_the_real_database(chosen, monkeypatch) -> None:
    opened: list[object] = []
    from coordinator_app.ui.shell import app as app_module

    def run(options: app_module.LaunchOptions, _first: object = None) -> int:
        opened.append(options.database_url)
        return 0

    monkeypatch.setattr(app_module, "run", run)
    assert cli.main(["--demo"]) == 0
    assert opened == [cli.default_demo_url()] and str(chosen) not in str(opened[0])
