"""Koordinator's command line run as a user's script runs it, for the command-line tests: a process of its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: ``koordinator`` as the installed entry point runs it, from this interpreter.
KOORDINATOR = (sys.executable, "-m", "coordinator_app")


def run_koordinator(*args: str, env: Mapping[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``koordinator ARGS`` in its own process with exactly ``env`` (in the folder ``cwd``, if given), no terminal on
    stdin (nothing can be asked for), its output captured as text; refused after two minutes. The exit status is the
    caller's to check."""
    return subprocess.run(
        [*KOORDINATOR, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        check=False,
        cwd=cwd,
    )
