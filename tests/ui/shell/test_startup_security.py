"""Start-up with an encrypted local database (issue 8): the adgangskode is asked for, a wrong one asked again,
cancel closes cleanly; the status bar says whether the database is encrypted; automatic backups run."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.storage.database import open_database
from coordinator_app.ui.shell import app as app_module
from coordinator_app.ui.shell import opening

PASSPHRASE = "test-adgangskode-æøå"


@pytest.fixture
def encrypted(tmp_path: Path) -> str:
    path = tmp_path / "afsnit.db"
    open_database(f"sqlite:///{path}", passphrase=PASSPHRASE).dispose()
    return f"sqlite:///{path}"


def answers(monkeypatch: pytest.MonkeyPatch, *replies: str | None) -> list[str]:
    """Replace the password prompt with the replies in turn (None = Annuller); returns the prompts shown."""
    prompts: list[str] = []
    queue = list(replies)

    def fake(_parent, _title, text, _echo):
        prompts.append(text)
        reply = queue.pop(0)
        return (reply or "", reply is not None)

    monkeypatch.setattr(opening.QInputDialog, "getText", staticmethod(fake))
    monkeypatch.delenv("KOORDINATOR_PASSPHRASE", raising=False)
    return prompts


def test_an_encrypted_database_asks_for_its_adgangskode_and_again_when_wrong(qapp, encrypted, monkeypatch) -> None:
    prompts = answers(monkeypatch, "forkert", PASSPHRASE)
    db = opening.open_or_explain(encrypted)
    assert db is not None and db.encrypted
    assert prompts == ["Databasen er krypteret. Skriv adgangskoden:", "Forkert adgangskode. Prøv igen:"]
    label = app_module.database_label(db, demo=False)
    assert (label.text, label.warning) == ("Lokal database – krypteret", False)
    db.dispose()


def test_cancel_closes_without_a_crash_and_three_wrong_tries_stop(qapp, encrypted, monkeypatch) -> None:
    answers(monkeypatch, None)
    assert opening.open_or_explain(encrypted) is None
    shown: list[str] = []
    monkeypatch.setattr(opening, "_critical", shown.append)
    prompts = answers(monkeypatch, "a", "b", "c")
    assert opening.open_or_explain(encrypted) is None
    assert len(prompts) == 3 and shown and "Forkert adgangskode" in shown[0]


def test_the_environment_gives_the_adgangskode_for_scripted_starts(qapp, encrypted, monkeypatch) -> None:
    prompts = answers(monkeypatch)
    monkeypatch.setenv("KOORDINATOR_PASSPHRASE", PASSPHRASE)
    db = opening.open_or_explain(encrypted)
    assert db is not None and prompts == []
    db.dispose()


def test_a_plain_local_database_is_marked_not_encrypted(qapp, tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'plain.db'}")
    label = app_module.database_label(db, demo=False)
    assert (label.text, label.warning) == ("Lokal database – IKKE krypteret", True)
    db.dispose()


def test_automatic_backup_of_a_local_database(main_window, demo_db_path: Path) -> None:
    db = main_window.services.ctx.database
    auto = app_module.start_auto_backup(main_window, db, interval_ms=3_600_000)
    assert auto is not None and main_window.backup_timer.isActive()
    info = auto.tick()  # the first tick of a database without backups takes one
    assert info is not None and info.path.parent == demo_db_path.parent / "backups"
    assert info.path.exists() and auto.tick() is None  # nothing changed since


def test_a_database_replaced_under_the_window_is_said_once_and_backs_up_nothing(
    main_window, demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: a file copied over the open database (a restore elsewhere, an IT script): the next tick of the
    automatic backups says so in Danish, stops the timer and takes no backup of the old file."""
    db = main_window.services.ctx.database
    auto = app_module.start_auto_backup(main_window, db, interval_ms=3_600_000)
    assert auto is not None
    copy = tmp_path / "kopi.db"
    copy.write_bytes(demo_db_path.read_bytes())
    copy.replace(demo_db_path)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(app_module.QMessageBox, "warning", lambda _p, title, text: shown.append((title, text)))
    main_window.backup_timer.timeout.emit()
    assert shown and shown[0][0] == "Databasen er udskiftet" and "start programmet igen" in shown[0][1]
    assert not main_window.backup_timer.isActive()
    assert "Databasen er udskiftet" in main_window.statusBar().currentMessage()
    assert not (demo_db_path.parent / "backups").exists()  # the first tick would have taken one
    main_window.grab().save("/tmp/s18restore-replaced.png")
