"""Kill-test figures in pytest's terminal summary (visible without ``-s``)."""

from __future__ import annotations

import pytest

#: ``record_property`` name → the label its summary line gets.
SUMMARIES = {"kill_summary": "Autosave-kill-test", "gui_kill_summary": "GUI-kill-test"}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name in SUMMARIES:
                    terminalreporter.write_line(f"{SUMMARIES[name]}: {value}")
