"""Test-wide set-up.

Qt runs offscreen (set before anything imports Qt); tests that use qtbot/qapp are marked ``gui``
automatically (qutebrowser's pattern), so ``-m "not gui"`` runs everything that needs no Qt.
Database fixtures (SQLite and the throwaway PostgreSQL cluster) live in ``db_fixtures.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Tests never touch the user's real settings or database (style.md §9).
os.environ["KOORDINATOR_TEST"] = "1"

sys.path.insert(0, str(Path(__file__).parent))

from db_fixtures import *  # noqa: F403

GUI_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "main_window"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point platformdirs/QSettings at a temporary home so no test reads or writes real user data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))


#: Kill-test figures in pytest's terminal summary (visible without ``-s``): ``record_property`` name → label.
#: Here, not in tests/meetings/, so the figures also print when pytest-xdist runs the tests in worker processes
#: (the controller only loads this conftest; the reports carry ``user_properties`` back to it).
KILL_SUMMARIES = {"kill_summary": "Autosave-kill-test", "gui_kill_summary": "GUI-kill-test"}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name in KILL_SUMMARIES:
                    terminalreporter.write_line(f"{KILL_SUMMARIES[name]}: {value}")
