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
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from coordinator_app.lazy import lazy_import
from coordinator_app.storage import selects, selects_sqlite, tables
from coordinator_app.storage.sqlite_rows import ListRow, Stamp

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = ["ListRow", "Stamp", "deadline_stamps", "list_rows"]


def list_rows(session: Session, *, include_discharged: bool) -> list[ListRow]:
    """Current admissions (discharged IS NULL), or all admissions when ``include_discharged``.

    On SQLite the select's generated text runs through the driver and its rows are converted in one pass
    (``selects_sqlite``): about a third of SQLAlchemy's Row objects with per-column processors, which keeps the list
    near raw sqlite3's fetchall."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        read = selects_sqlite.LIST if include_discharged else selects_sqlite.CURRENT_LIST
        return read.convert(connection.exec_driver_sql(read.sql).fetchall())
    rows = connection.execute(selects.LIST if include_discharged else selects.CURRENT_LIST).all()
    make = ListRow._make
    return [make(row) for row in rows]


_ADMISSIONS = tables.admissions
_EVENTS = tables.events
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
