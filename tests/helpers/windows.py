"""The main window as a user with a given role, on a database the test opened (GUI tests): built by the composition
root (``ui.shell.app.build_window``) with the demo ward's frozen clock, shown, on the Patienter tab."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from db_fixtures import DEMO_MOMENT
from pytestqt.qtbot import QtBot

from coordinator_app.domain.access import ROLE_LABELS, Principal, Role
from coordinator_app.services.context import fixed_clock
from coordinator_app.storage.database import Database, open_database
from coordinator_app.ui.shell.app import LaunchOptions, build_window, ensure_application, install_danish
from coordinator_app.ui.shell.main_window import MainWindow


def window_on(qtbot: QtBot, db: Database, tmp_path: Path, role: Role) -> MainWindow:
    """The window on ``db`` for a user ``test.<role>``; the caller closes it and disposes ``db``."""
    install_danish(ensure_application())
    options = LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
    principal = Principal(username=f"test.{role.value}", role=role, full_name=f"Test {ROLE_LABELS[role]}")
    window = build_window(db, options, clock=fixed_clock(DEMO_MOMENT), principal=principal)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.tabs.setCurrentWidget(window.patients_tab)
    return window


def window_as(qtbot: QtBot, demo_db_path: Path, tmp_path: Path, role: Role) -> Iterator[MainWindow]:
    """A fixture's body: the window on the demo ward's file as ``role``, closed and its database let go after."""
    db = open_database(f"sqlite:///{demo_db_path}")
    window = window_on(qtbot, db, tmp_path, role)
    yield window
    window.close()
    db.dispose()
