"""The first screen's SQL is generated from the repositories' selects (``storage.selects`` →
``storage.selects_sqlite``, written by ``storage.sqlite_codegen``), and the generated module stays current.

That each generated read makes exactly the values the selects make through SQLAlchemy is checked on the demo ward in
``tests/services/test_first_screen.py``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import DateTime, column, select

from coordinator_app.storage import selects_sqlite, sqlite_codegen
from coordinator_app.storage.bulk import table_of
from coordinator_app.storage.orm import CentreRow, MeetingRow

_meetings, _centres = table_of(MeetingRow), table_of(CentreRow)


def test_the_generated_module_is_current() -> None:
    """Regenerated in memory, it is the committed file: a changed select or column type needs the generator run."""
    stale = sqlite_codegen.TARGET.read_text(encoding="utf-8") != sqlite_codegen.render()
    assert not stale, (
        "coordinator_app/storage/selects_sqlite.py is not what storage/selects.py and the ORM column types make "
        f"now: run `{sqlite_codegen.COMMAND}` and commit the file"
    )


@pytest.mark.parametrize("module", ["quick_read", "reads"])
def test_the_first_screens_reader_the_reads_and_the_generated_module_load_no_sqlalchemy(module: str) -> None:
    """``storage.reads`` runs only generated text on SQLite: the selects (and SQLAlchemy) load when a read runs
    off SQLite or a caller brings a SQLAlchemy connection."""
    probe = f"import sys\nimport coordinator_app.storage.{module}\nprint('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]


def test_an_id_list_gets_one_mark_per_id_and_the_selects_own_values_follow() -> None:
    sql, parameters = selects_sqlite.CLOSED_MEETINGS_OF_ADMISSIONS.statement([7, 8, 9])
    assert "WHERE meetings.admission_id IN (?, ?, ?) AND meetings.status = ? ORDER BY" in sql
    assert parameters == (7, 8, 9, "afsluttet")
    assert selects_sqlite.META_VALUE.statement(key="demo")[1] == ("demo",)
    assert selects_sqlite.CURRENT_LIST.statement() == (selects_sqlite.CURRENT_LIST.sql, ())


def test_columns_decode_by_type_and_none_passes_where_a_null_can_come() -> None:
    """Not-null columns are decoded as they are; nullable ones, and those of an outer-joined table, let None pass."""
    m = _meetings.c
    assert sqlite_codegen.decoded_columns(select(m.invited_on, m.planned_at, m.content, m.id)) == [
        "day(c0)",
        "None if c1 is None else moment(c1)",
        "document(c2)",
        "c3",
    ]
    outer = select(_centres.c.name, m.invited_on).outerjoin(_meetings, m.id == _centres.c.id)
    assert sqlite_codegen.decoded_columns(outer) == ["c0", "None if c1 is None else day(c1)"]
    orm = select(CentreRow.name, MeetingRow.invited_on).outerjoin(MeetingRow, MeetingRow.id == CentreRow.id)
    assert sqlite_codegen.decoded_columns(orm) == ["c0", "None if c1 is None else day(c1)"]


def test_a_column_type_without_a_decoding_is_refused() -> None:
    with pytest.raises(TypeError, match="no SQLite decoding for DateTime"):
        sqlite_codegen.decoded_columns(select(column("at", DateTime())))
