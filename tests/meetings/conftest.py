"""Kill-test figures in pytest's terminal summary (visible without ``-s``)."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "kill_summary":
                    terminalreporter.write_line(f"Autosave-kill-test: {value}")
