"""The engine is plain Python with the date injected: no Qt, no database, no hidden clock (issue 3)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "coordinator_app" / "domain"
#: Every module of the domain package (not a hand-kept list: a new module is checked too).
ENGINE = sorted(p.stem for p in DOMAIN.glob("*.py") if p.stem != "__init__")


def test_the_engine_is_the_whole_domain_package() -> None:
    assert {"workdays", "rules", "scenarios", "process", "deadlines", "bed_days", "special_groups"} <= set(ENGINE)


@pytest.mark.parametrize("module", ENGINE)
def test_engine_never_reads_the_wall_clock(module: str) -> None:
    source = (DOMAIN / f"{module}.py").read_text(encoding="utf-8")
    assert not re.search(r"\b(date\.today|datetime\.now|datetime\.utcnow|time\.time)\(", source)


def test_engine_imports_neither_qt_nor_the_database() -> None:
    code = (
        "import sys\n"
        + "".join(f"import coordinator_app.domain.{m}\n" for m in ENGINE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'sqlalchemy', 'alembic', 'psycopg', 'reportlab'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
