"""The start's ``quick_check`` runs beside building the window (issue 7) and is as safe as before: nothing is
written until it has passed, and a damaged file still ends read-only with the warning, the window saying so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coordinator_app.domain.errors import DamagedDatabaseError
from coordinator_app.storage.database import Database, open_database
from coordinator_app.ui.shell import app as app_module
from coordinator_app.ui.shell import opening


def damage(path: Path, *, keep_header: int = 12) -> None:
    """Garble the patients table's root page: the file opens, other tables read, ``quick_check`` fails. (An empty
    table's root page needs its header garbled too: ``keep_header=0``.)"""
    db = open_database(path, migrate=False)
    with db.engine.connect() as conn:
        root = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'patients'").scalar_one()
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    db.dispose()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + keep_header : start + page_size] = os.urandom(page_size - keep_header)
    path.write_bytes(bytes(data))


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        app_module.QMessageBox, "warning", staticmethod(lambda _parent, title, text, *_: shown.append(text))
    )
    monkeypatch.setattr(
        app_module.QMessageBox, "critical", staticmethod(lambda _parent, title, text, *_: shown.append(text))
    )
    return shown


def options(tmp_path: Path) -> app_module.LaunchOptions:
    return app_module.LaunchOptions(database_url=None, smoke=True, settings_path=str(tmp_path / "settings.ini"))


def test_a_write_waits_for_the_gate_and_nothing_is_written_when_it_refuses(tmp_path: Path) -> None:
    db = open_database(tmp_path / "afsnit.db")
    asked: list[str] = []

    def refuse() -> None:
        asked.append("write")
        raise DamagedDatabaseError("Databasen er beskadiget, så intet er gemt.")

    try:
        db.hold_writes(refuse)
        assert db.get_meta("prøve") is None, "reads go ahead while writes are held"
        assert asked == []
        with pytest.raises(DamagedDatabaseError):
            db.set_meta("prøve", "1")
        assert asked, "the write asked first"
        asked.clear()
        db.release_writes()
        assert db.get_meta("prøve") is None, "the refused write left nothing behind"
        db.set_meta("prøve", "2")
        assert db.get_meta("prøve") == "2" and asked == []
    finally:
        db.dispose()


def test_a_whole_file_starts_with_the_check_beside_and_writes_go_ahead_after(
    qtbot, demo_db_path: Path, tmp_path: Path, warnings: list[str]
) -> None:
    db, passphrase = opening.open_with_passphrase(str(demo_db_path), check_later=True)
    assert db is not None and db in opening._START_CHECKS
    started = app_module.start_window(db, passphrase, options(tmp_path))
    assert started is not None
    window, checked = started
    qtbot.addWidget(window)
    try:
        assert checked is db and not db.read_only and db not in opening._START_CHECKS
        assert window.patients_tab.model.rowCount() > 0 and warnings == []
        db.set_meta("efter-start", "ja")
        assert db.get_meta("efter-start") == "ja"
    finally:
        window.close()
        db.dispose()


def test_a_damaged_file_found_while_the_window_is_built_ends_read_only_with_the_warning(
    qtbot, demo_db_path: Path, tmp_path: Path, warnings: list[str]
) -> None:
    damage(demo_db_path)
    before = demo_db_path.read_bytes()
    db, passphrase = opening.open_with_passphrase(str(demo_db_path), check_later=True)
    assert db is not None and not db.read_only
    with pytest.raises(opening.StartCheckFailed):  # held until the check answers, then refused
        db.set_meta("under-start", "ja")
    started = app_module.start_window(db, passphrase, options(tmp_path))
    assert started is not None
    window, checked = started
    qtbot.addWidget(window)
    try:
        assert checked is not db and checked.read_only
        # The warning comes first, as before (the garbled list table then fails to load in the read-only window,
        # told as before); the first build's failing read waited for the check instead of being shown.
        assert "beskadiget og åbnes kun til læsning" in warnings[0]
        assert window.services.ctx.database is checked
    finally:
        window.close()
        checked.dispose()
    assert demo_db_path.read_bytes() == before, "nothing was written to the damaged file"


def test_without_check_later_the_check_comes_before_open_returns_as_before(
    demo_db_path: Path, warnings: list[str]
) -> None:
    damage(demo_db_path)
    db: Database | None = opening.open_or_explain(str(demo_db_path))
    assert db is not None
    try:
        assert db.read_only and len(warnings) == 1 and db not in opening._START_CHECKS
    finally:
        db.dispose()


def test_with_a_login_the_damage_is_told_before_the_prompt_as_before(
    tmp_path: Path, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import PasswordHasher

    from coordinator_app.domain.access import DEMO_PRINCIPAL, Role
    from coordinator_app.services.context import Clock, ServiceContext
    from coordinator_app.services.setup import ensure_reference_data
    from coordinator_app.services.users import UserService

    path = tmp_path / "afsnit.db"
    db = open_database(path)
    ctx = ServiceContext(database=db, clock=Clock(), principal=DEMO_PRINCIPAL)
    ensure_reference_data(ctx)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    UserService(ctx, hasher=cheap).create_user("admin", "Ada Admin", Role.ADMINISTRATOR, "hemmelig-kode-123")
    db.dispose()
    damage(path, keep_header=0)
    prompted: list[tuple[int, bool]] = []

    def sign_in(db: Database, _options: app_module.LaunchOptions) -> None:
        prompted.append((len(warnings), db.read_only))  # the login dialog would show here: cancel it

    monkeypatch.setattr(app_module, "sign_in_for_start", sign_in)
    opened, passphrase = opening.open_with_passphrase(str(path), check_later=True)
    assert opened is not None
    launch = app_module.LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
    assert app_module.start_window(opened, passphrase, launch) is None
    assert prompted == [(1, True)], "warned and reopened read-only before the login"
