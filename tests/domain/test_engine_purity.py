"""The engine is plain Python with the date injected: no Qt, no database, no hidden clock (issue 3)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from engine_helpers import admission, ev, expected

from coordinator_app.deadlines import compute_deadlines, next_deadline
from coordinator_app.model import EventKind
from coordinator_app.workdays import WorkCalendar

ENGINE = ["workdays", "rules", "scenarios", "process", "deadlines", "bed_days", "special_groups"]
PACKAGE = Path(__file__).resolve().parents[2] / "coordinator_app"


@pytest.mark.parametrize("module", ENGINE)
def test_engine_never_reads_the_wall_clock(module: str) -> None:
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert not re.search(r"\b(date\.today|datetime\.now|datetime\.utcnow|time\.time)\(", source)


def test_engine_imports_neither_qt_nor_the_database() -> None:
    code = (
        "import sys\n"
        + "".join(f"import coordinator_app.{m}\n" for m in ENGINE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'sqlalchemy', 'alembic', 'psycopg', 'reportlab'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_whole_ward_recompute_is_quick() -> None:
    """A sanity bound, not a benchmark: 1,000 B5 admissions with a few events each well under a second."""
    cal = WorkCalendar()
    adm = admission(date(2024, 5, 1), scenario=2, b5=True, expected_faerdigbehandlet=date(2024, 6, 14))
    history = [
        ev(EventKind.ORIENTERING_INDLAEGGELSE, date(2024, 5, 1)),
        ev(EventKind.MEETING_INVITED, date(2024, 5, 6)),
        ev(EventKind.MEETING_HELD, date(2024, 5, 8)),
        expected(date(2024, 6, 21), on=date(2024, 5, 10)),
        ev(EventKind.VARSLING, date(2024, 6, 3)),
    ]
    begin = time.perf_counter()
    for _ in range(1000):
        next_deadline(compute_deadlines(adm, history, cal, date(2024, 6, 5)))
    assert time.perf_counter() - begin < 1.0
