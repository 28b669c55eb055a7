"""The patient list in one Core query (``selects.LIST``): ~10,000 rows in tens of milliseconds (no ORM objects).

Measured at 10,000 rows: ORM full objects cost ~200 ms at 10k rows, a Core select of the needed columns
~45 ms. The list filters and sorts in Python afterwards, so this returns plain tuples.

The select runs on the session's *connection*: through ``Session.execute`` even a column select goes the ORM's
row-loading path, about twice the time of the Core result (benchmarks/run.py compares with raw sqlite3).

``deadline_stamps`` reads what the deadline cache (``services.deadline_cache``) keys an admission on, without
loading its events.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from coordinator_app.storage import selects
from coordinator_app.storage.orm import AdmissionRow, EventRow
from coordinator_app.storage.sqlite_rows import LIST_BOOLEANS, LIST_DATES, ListRow, Stamp, from_sqlite_rows

__all__ = ["ListRow", "Stamp", "deadline_stamps", "from_sqlite_rows", "list_rows"]


def list_rows(session: Session, *, include_discharged: bool) -> list[ListRow]:
    """Current admissions (discharged IS NULL), or all admissions when ``include_discharged``."""
    connection = session.connection()
    query = selects.LIST if include_discharged else selects.CURRENT_LIST
    if connection.dialect.name == "sqlite":
        return _sqlite_rows(connection, include_discharged)
    rows = connection.execute(query).all()
    make = ListRow._make
    return [make(row) for row in rows]


# -- SQLite: the driver's rows converted in one pass (``sqlite_rows.from_sqlite_rows``) ----------------------------
# The positions it converts are checked against the select's column types at import, so a changed select cannot
# slip by.

_DATES, _BOOLEANS = LIST_DATES, LIST_BOOLEANS


def _check_positions() -> None:
    for i, column in enumerate(selects.LIST.selected_columns):
        kind = type(column.type).__name__
        expected = "Date" if i in _DATES else "Boolean" if i in _BOOLEANS else None
        if (kind in ("Date", "Boolean", "DateTime")) != (expected is not None) or (expected and kind != expected):
            raise RuntimeError(f"listing: column {i} ({column.name}, {kind}) does not match the SQLite conversion")
    if len(selects.LIST.selected_columns) != len(ListRow._fields):
        raise RuntimeError("listing: the select and ListRow have different columns")


_check_positions()
_SQL: dict[bool, str] = {}  # SQLite's text of the select (it has no parameters), by include_discharged


def _sqlite_rows(connection: Connection, include_discharged: bool) -> list[ListRow]:
    sql = _SQL.get(include_discharged)
    if sql is None:
        query = selects.LIST if include_discharged else selects.CURRENT_LIST
        sql = _SQL[include_discharged] = str(query.compile(dialect=connection.dialect))
    return from_sqlite_rows(connection.exec_driver_sql(sql).fetchall())


_ADMISSIONS = AdmissionRow.__table__
_EVENTS = EventRow.__table__
_VERSIONS = select(_ADMISSIONS.c.id, _ADMISSIONS.c.version, _ADMISSIONS.c.patient_id)
#: Grouped on the events alone: on SQLite a scan of ix_events_admission_id_occurred_at (covering: the rowid is
#: the id); a GROUP BY over admissions joined to events sorts every joined row first (~3x slower), and
#: correlated subqueries per admission made PostgreSQL take seconds.
_NEWEST = select(_EVENTS.c.admission_id, func.max(_EVENTS.c.id), func.count()).group_by(_EVENTS.c.admission_id)
_STAMP_CHUNK = 2000  # more ids than this: read every stamp and pick (an IN list of thousands costs more)


def deadline_stamps(session: Session, admission_ids: Iterable[int]) -> dict[int, Stamp]:
    """Admission id → its stamp (missing ids are absent): two queries, no events loaded.

    Events are append-only (a correction is a new event) and every admission edit bumps ``version``, so a
    stamp changes whenever anything the deadline engine reads does.
    """
    ids = list(dict.fromkeys(admission_ids))
    if not ids:
        return {}
    connection = session.connection()
    newest_query, versions_query = _NEWEST, _VERSIONS
    if len(ids) <= _STAMP_CHUNK:
        newest_query = _NEWEST.where(_EVENTS.c.admission_id.in_(ids))
        versions_query = _VERSIONS.where(_ADMISSIONS.c.id.in_(ids))
    # ``.all()``: fetchall in one call, where iterating the result fetches row by row (~3x slower here).
    newest = {row[0]: (row[1], row[2]) for row in connection.execute(newest_query).all()}
    wanted = set(ids)
    return {
        admission_id: (version, patient_id, *newest.get(admission_id, (None, 0)))
        for admission_id, version, patient_id in connection.execute(versions_query).all()
        if admission_id in wanted
    }
