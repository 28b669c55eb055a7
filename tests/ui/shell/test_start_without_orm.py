"""Issue 15: the program is ready for input without the ORM. The start reads through Core (``storage.reads`` on
``Database.connect``): ``sqlalchemy.orm`` and the mappings (``storage.orm``) load with the first session — the first
write, or once the event loop is idle after start — and then work at once, their guards included.

Checked in a fresh interpreter started as ``koordinator`` is, so what other tests imported does not count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Run as the benchmark runs the program (``benchmarks/run.py``'s start section): a hook on ``on_ready``.
_START = """
import sys
from coordinator_app.lazy import is_loaded
from coordinator_app.ui.shell import start_hooks

def loaded():
    names = ("sqlalchemy.orm", "coordinator_app.storage.orm")
    return " ".join(str(n in sys.modules and is_loaded(sys.modules[n])) for n in names)

def ready(window):
    print("READY", loaded(), flush=True)
    services = window.services
    admission_id = window.patients_tab.model.row_at(0).admission_id
    services.admissions.add_note(admission_id, "Notat gemt lige efter start")
    print("SAVED", loaded(), flush=True)
    notes = [e.note for e in services.admissions.details(admission_id).events]
    print("FOUND", "Notat gemt lige efter start" in notes, flush=True)

start_hooks.on_ready.append(ready)
from coordinator_app.cli.commands import main
sys.exit(main(sys.argv[1:]))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        env[name] = str(tmp_path / name.lower())
    return env


def test_the_start_is_ready_without_the_orm_and_the_first_save_loads_it(demo_db_path: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _START, "--smoke", "--database", f"sqlite:///{demo_db_path}"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in done.stdout.splitlines() if " " in line}
    assert lines["READY"] == "False False", "ready for input: sqlalchemy.orm and storage.orm not loaded"
    assert lines["SAVED"] == "True True", "the first save loaded the ORM"
    assert lines["FOUND"] == "True", "and the note it saved is there"


_IDLE = """
import sys
from coordinator_app.lazy import is_loaded
from coordinator_app.services.database import open_database
from coordinator_app.ui.shell.app import ensure_application, prepare_sessions_when_idle
from PySide6.QtCore import QTimer

def loaded():
    names = ("sqlalchemy.orm", "coordinator_app.storage.orm")
    return " ".join(str(n in sys.modules and is_loaded(sys.modules[n])) for n in names)

app = ensure_application()
db = open_database(sys.argv[1], must_exist=True)
prepare_sessions_when_idle(db)
print("SCHEDULED", loaded(), flush=True)
QTimer.singleShot(200, app.quit)
app.exec()
print("IDLE", loaded(), flush=True)
with db.session() as session:
    print("GUARDED", any(fn.__name__ == "lent_cases_are_read_only" for fn in session.dispatch.before_flush), flush=True)
db.dispose()
"""


def test_once_idle_after_start_the_orm_loads_with_its_guards(demo_db_path: Path, tmp_path: Path) -> None:
    """``ui.shell.app.run`` schedules this after ``on_ready``: the first click then does not wait for the ORM."""
    done = subprocess.run(
        [sys.executable, "-c", _IDLE, f"sqlite:///{demo_db_path}"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["SCHEDULED False False", "IDLE True True", "GUARDED True"]
