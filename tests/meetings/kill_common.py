"""Shared by the SIGKILL tests (``test_kill_autosave.py``, ``test_kill_gui.py``) and their typists.

Kept light at import time: the typist subprocesses import this module before they start their clocks, so
everything heavy (the services, pytest) is imported inside the functions that need it.
"""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coordinator_app.services.context import ServiceContext
    from coordinator_app.storage.database import Database

READY_TIMEOUT = 30.0


def schedule_meeting(ctx: ServiceContext) -> int:
    """A fictive patient's admission and a planned netværksmøde for it (reference data ensured first)."""
    from coordinator_app.domain.meetings import Occasion
    from coordinator_app.services.admissions import AdmissionInput, AdmissionService
    from coordinator_app.services.context import COPENHAGEN
    from coordinator_app.services.meetings import MeetingService, ScheduleInput
    from coordinator_app.services.setup import ensure_reference_data

    ensure_reference_data(ctx)
    today = ctx.clock.today()
    created = AdmissionService(ctx).create_admission(
        AdmissionInput(
            cpr="010190-9909", given_name="Testa", family_name="Fiktivsen", bopaelskommune="101",
            center="Psykiatrisk Center København", ward="Afsnit 1", admitted=today - timedelta(days=3),
        )
    )  # fmt: skip
    assert created.patient_id is not None and created.admission_id is not None
    planned = datetime.combine(today, datetime.min.time(), COPENHAGEN) + timedelta(days=1, hours=10)
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(created.patient_id, created.admission_id, Occasion.UNDER_INDLAEGGELSE, today, planned)
    )
    assert meeting.id is not None
    return meeting.id


def wait_ready(proc: subprocess.Popen[bytes], out: Path, timeout: float = READY_TIMEOUT) -> tuple[int, int]:
    """Wait for the typist's ``READY <meeting id> <n>`` line; fail the test if it never comes."""
    import pytest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        first = out.read_bytes().split(b"\n", 1)
        if len(first) == 2 and first[0].startswith(b"READY "):
            _, meeting_id, n = first[0].decode().split()
            return int(meeting_id), int(n)
        if proc.poll() is not None:
            break
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    pytest.fail(f"typisten startede ikke: {out.read_text(errors='replace')}\n{out.with_suffix('.err').read_text()}")


def acks(out: Path) -> list[tuple[int, str]]:
    """Complete ACK lines only (a line cut by the kill does not count as acknowledged)."""
    lines = out.read_text(encoding="utf-8", errors="replace").split("\n")[:-1]
    return [(int(n), sha) for _, n, sha in (line.split() for line in lines if line.startswith("ACK "))]


def integrity(db: Database) -> str:
    """``PRAGMA integrity_check`` of the (just reopened) SQLite file: ``"ok"`` when intact."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return str(conn.execute(text("PRAGMA integrity_check")).scalar())
