"""Test-wide set-up.

Qt runs offscreen (set before anything imports Qt); tests that use qtbot/qapp are marked ``gui``
automatically (qutebrowser's pattern), so ``-m "not gui"`` runs everything that needs no Qt.
Database fixtures (SQLite and the throwaway PostgreSQL cluster) live in ``db_fixtures.py``.

The run never touches the user's real folders (``helpers/sandbox.py``): the process lives in a temporary home
from here on, each test gets its own on top, and a tripwire fails a test that writes Koordinator's (or Qt's)
entries in the real config, data, state or cache folders.

Property-based tests run under a Hypothesis profile (``helpers/profiles.py``): ``ci`` by default, derandomized;
``fuzz`` for ``make fuzz``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import is_hypothesis_test

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Tests never touch the user's real settings or database.
os.environ["KOORDINATOR_TEST"] = "1"

sys.path.insert(0, str(Path(__file__).parent))

from helpers import profiles, sandbox

# Before anything reads HOME or XDG_*: the whole process (and what it starts) lives in a temporary home.
sandbox.enter_session_home()

from db_fixtures import *  # noqa: E402, F403

profiles.register()

GUI_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "main_window"}


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.fuzz)


@pytest.hookimpl(trylast=True)  # after Hypothesis' plugin has loaded a ``--hypothesis-profile``
def pytest_configure(config: pytest.Config) -> None:
    profiles.bound_shrinking()


def pytest_unconfigure(config: pytest.Config) -> None:
    sandbox.leave_session_home()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own temporary home (platformdirs, QSettings, keyring files); afterwards the real
    folders' Koordinator and Qt entries must be exactly as before."""
    before = sandbox.fingerprint(sandbox.REAL_ENTRIES)
    home = tmp_path_factory.mktemp("home")
    for variable, value in sandbox.home_environment(home).items():
        monkeypatch.setenv(variable, value)
    yield
    after = sandbox.fingerprint(sandbox.REAL_ENTRIES)
    if after != before:
        pytest.fail(
            "Testen skrev i brugerens rigtige mapper (brug tmp_path):\n" + sandbox.describe_change(before, after),
            pytrace=False,
        )


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
