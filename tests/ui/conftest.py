"""GUI fixtures: a main window on a fresh demo database with a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from db_fixtures import DEMO_MOMENT  # the demo ward fixtures (demo_db_template, demo_db_path) live there
from pytestqt.qtbot import QtBot

from coordinator_app.services.context import fixed_clock

if TYPE_CHECKING:  # the window's modules are imported by the fixture, when a test needs it
    from coordinator_app.ui.shell.main_window import MainWindow


@pytest.fixture
def main_window(qtbot: QtBot, demo_db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    from coordinator_app.storage.database import open_database
    from coordinator_app.ui.shell.app import LaunchOptions, build_window, ensure_application, install_danish

    install_danish(ensure_application())
    db = open_database(f"sqlite:///{demo_db_path}")
    options = LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
    window = build_window(db, options, clock=fixed_clock(DEMO_MOMENT))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.tabs.setCurrentWidget(window.patients_tab)  # the program starts on I dag; most GUI tests use the list
    yield window
    window.close()
    db.dispose()
