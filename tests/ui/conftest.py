"""GUI fixtures: a main window on a fresh demo database with a frozen clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coordinator_app.services.context import fixed_clock

#: Monday 23 November 2026, 10:00 in Copenhagen — the demo ward is generated as of this day.
DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the demo ward once per session; tests copy the file (Anki's getEmptyCol pattern)."""
    from coordinator_app.services.context import ServiceContext
    from coordinator_app.services.setup import ensure_reference_data, load_demo_ward
    from coordinator_app.storage import open_database

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    ctx = ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT))
    ensure_reference_data(ctx)
    load_demo_ward(ctx)
    db.dispose()
    return path


@pytest.fixture
def demo_db_path(demo_db_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_db_template, target)
    return target


@pytest.fixture
def main_window(qtbot, demo_db_path: Path, tmp_path: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from coordinator_app.storage import open_database
    from coordinator_app.ui.app import LaunchOptions, build_window, ensure_application, install_danish

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
