"""The reads, each on a Core ``Connection``: the one read path of the start and of the repositories (issue 15).

The window is ready for input after a refresh through the services (the list, I dag, the ward's settings, whether
anyone must log in); those services open ``Database.connect()`` and call the functions here, so neither
``sqlalchemy.orm`` nor the mappings (``storage.orm``) load before the first write. The repositories run the same
functions on their session's connection (``repositories``: pending changes flushed first), so each read's SQL is
written once, in ``storage.selects`` against the Core tables (``storage.tables``).

The patient list is one Core query (``selects.LIST``): ~10,000 rows in tens of milliseconds, plain tuples (the list
filters and sorts in Python afterwards). On SQLite every read here runs its select's generated text through the
driver and converts the rows in one pass (``selects_sqlite``, the text the first screen reads too): for the list and
the events about a third of SQLAlchemy's Row objects with per-column processors, which keeps them near raw sqlite3's
fetchall (benchmarks/run.py compares), and at start no select waits to be compiled. Elsewhere (PostgreSQL) the
selects themselves run: ``storage.selects`` (and with it SQLAlchemy and the Core tables) is loaded only then, so this
module imports no SQLAlchemy (``tests/storage/test_selects.py``) — a step towards a start that reads a local file
without it.

``deadline_stamps`` reads what the deadline cache (``services.deadline_cache``) keys an admission on, without
loading its events.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from coordinator_app.domain.meetings import Meeting, MeetingTemplate
from coordinator_app.domain.model import Admission, Event
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import selects_sqlite
from coordinator_app.storage.convert import admission_from, events_from, wards_by_centre
from coordinator_app.storage.meeting_codec import meeting_from, template_from
from coordinator_app.storage.sqlite_rows import ListRow, SqliteRead, Stamp

if TYPE_CHECKING:  # types only: the reads themselves never need the ORM
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

    from coordinator_app.storage import selects
else:  # the selects (and with them the Core tables) run only off SQLite: on SQLite their generated text does
    selects = lazy_import("coordinator_app.storage.selects")

__all__ = [
    "CHUNK",
    "ListRow",
    "Stamp",
    "admissions",
    "centres",
    "chunks",
    "closed_meetings",
    "deadline_stamps",
    "events_of",
    "kommune_count",
    "kommune_names",
    "list_rows",
    "meetings_from",
    "meta_value",
    "of_session",
    "template_cache",
    "templates",
    "user_count",
]

#: Ids per IN (…) list; far below every SQLite build's bound-parameter limit.
CHUNK = 5000
_T = TypeVar("_T")
_R = TypeVar("_R")


def chunks(ids: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def of_session(session: Session) -> Connection:
    """The session's connection, for the reads here inside a repository's transaction: what is pending is flushed
    first, as ``Session.execute`` would (autoflush), so a read sees the session's own changes."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection()


def _plain(connection: Connection) -> bool:
    """SQLite through a qmark driver (pysqlite, sqlcipher3): ``selects_sqlite``'s text runs as it is."""
    return connection.dialect.name == "sqlite" and connection.dialect.paramstyle == "qmark"


def _driver_rows(connection: Connection, read: SqliteRead[_R], ids: Sequence[int] = (), **values: Any) -> list[_R]:
    """``read``'s rows through the driver, converted (``values``: the select's own bound values by name)."""
    sql, parameters = read.statement(ids, **values)
    return read.convert(connection.exec_driver_sql(sql, parameters).fetchall())


def _tuples(connection: Connection, select_: Any, read: SqliteRead[_R], **values: Any) -> Sequence[Any]:
    """``select_``'s rows as tuples: on SQLite its generated text (``read``) through the driver, else the select."""
    if _plain(connection):
        return _driver_rows(connection, read, **values)
    return connection.execute(select_, values or None).all()


def _of_ids(connection: Connection, select_: Any, read: SqliteRead[_R], ids: Sequence[int]) -> Sequence[Any]:
    """The rows of an id-list select (``ids``) as tuples, as ``_tuples``."""
    if _plain(connection):
        return _driver_rows(connection, read, ids)
    return connection.execute(select_, {"ids": list(ids)}).all()


def _by_name(
    connection: Connection, select_: Any, read: SqliteRead[tuple[Any, ...]], ids: Sequence[int]
) -> Sequence[Any]:
    """The rows of an id-list select (``ids``), each value also by its column's name (``row.id``), as ``_tuples``."""
    if _plain(connection):
        converted: list[tuple[Any, ...]] = _driver_rows(connection, read, ids)
        return read.records(converted)
    return connection.execute(select_, {"ids": list(ids)}).all()


# -- the patient list and the deadline stamps -------------------------------------------------------------------
def list_rows(connection: Connection, *, include_discharged: bool) -> list[ListRow]:
    """Current admissions (discharged IS NULL), or all admissions when ``include_discharged``."""
    if connection.dialect.name == "sqlite":
        read = selects_sqlite.LIST if include_discharged else selects_sqlite.CURRENT_LIST
        return read.convert(connection.exec_driver_sql(read.sql).fetchall())
    rows = connection.execute(selects.LIST if include_discharged else selects.CURRENT_LIST).all()
    make = ListRow._make
    return [make(row) for row in rows]


_STAMP_CHUNK = 2000  # more ids than this: read every stamp and pick (an IN list of thousands costs more)


def deadline_stamps(connection: Connection, admission_ids: Iterable[int]) -> dict[int, Stamp]:
    """Admission id → its stamp (missing ids are absent): two queries, no events loaded.

    Events are append-only (a correction is a new event) and every admission edit bumps ``version``, so a
    stamp changes whenever anything the deadline engine reads does.
    """
    ids = list(dict.fromkeys(admission_ids))
    if not ids:
        return {}
    if len(ids) <= _STAMP_CHUNK:
        newest_rows = _of_ids(connection, selects.STAMP_NEWEST_OF, selects_sqlite.STAMP_NEWEST_OF, ids)
        version_rows = _of_ids(connection, selects.STAMP_VERSIONS_OF, selects_sqlite.STAMP_VERSIONS_OF, ids)
    else:
        newest_rows = _tuples(connection, selects.STAMP_NEWEST, selects_sqlite.STAMP_NEWEST)
        version_rows = _tuples(connection, selects.STAMP_VERSIONS, selects_sqlite.STAMP_VERSIONS)
    newest = {row[0]: (row[1], row[2]) for row in newest_rows}
    wanted = set(ids)
    return {
        admission_id: (version, patient_id, *newest.get(admission_id, (None, 0)))
        for admission_id, version, patient_id in version_rows
        if admission_id in wanted
    }


# -- admissions, events, closed meetings by admission -----------------------------------------------------------
def admissions(connection: Connection, admission_ids: Iterable[int]) -> dict[int, Admission]:
    """The admissions with these ids (missing ids are simply absent), in one query per ``CHUNK`` ids."""
    out: dict[int, Admission] = {}
    for chunk in chunks(list(dict.fromkeys(admission_ids))):
        for row in _by_name(connection, selects.ADMISSIONS_BY_ID, selects_sqlite.ADMISSIONS_BY_ID, chunk):
            out[row.id] = admission_from(row)
    return out


def events_of(connection: Connection, admission_ids: Iterable[int]) -> dict[int, list[Event]]:
    """Every requested admission's history (``[]`` when it has none), each in the order it happened (ties by id:
    recording order). The list's deadlines and Statistik read thousands of events here."""
    ids = list(dict.fromkeys(admission_ids))
    out: dict[int, list[Event]] = {admission_id: [] for admission_id in ids}
    for chunk in chunks(ids):
        rows: Sequence[Sequence[Any]]
        if _plain(connection):
            converted: list[tuple[Any, ...]] = _driver_rows(connection, selects_sqlite.EVENTS_OF_ADMISSIONS, chunk)
            rows = converted
        else:
            rows = connection.execute(selects.EVENTS_OF_ADMISSIONS, {"ids": list(chunk)}).all()
        for e in events_from(rows):
            out[e.admission_id].append(e)
    return out


#: Template versions by id, per engine. Safe to cache for ever: a template row is immutable once written
#: (``orm.MeetingTemplateRow``), which is what lets autosave build its answer without reading other tables.
_template_cache: weakref.WeakKeyDictionary[Engine, dict[int, MeetingTemplate]] = weakref.WeakKeyDictionary()


def template_cache(engine: Engine) -> dict[int, MeetingTemplate]:
    """The template versions read so far through ``engine``, by id (``templates`` fills it)."""
    return _template_cache.setdefault(engine, {})


def templates(connection: Connection, template_ids: Iterable[int]) -> dict[int, MeetingTemplate]:
    """The template versions with these ids (and every other one read before through this engine)."""
    cache = template_cache(connection.engine)
    missing = [i for i in dict.fromkeys(template_ids) if i not in cache]
    if missing:
        for row in _by_name(connection, selects.TEMPLATES_BY_ID, selects_sqlite.TEMPLATES_BY_ID, missing):
            cache[row.id] = template_from(row)
    return cache


def meetings_from(connection: Connection, rows: Sequence[Any]) -> list[Meeting]:
    """``meetings`` rows (every column) as meetings, each with the template version it was made with."""
    found = templates(connection, (r.template_id for r in rows))
    return [meeting_from(r, found[r.template_id]) for r in rows]


def closed_meetings(connection: Connection, admission_ids: Iterable[int]) -> list[Meeting]:
    """Closed meetings of these admissions (their agreements are tracked tasks, C5), one query per chunk."""
    out: list[Meeting] = []
    for chunk in chunks(list(dict.fromkeys(admission_ids))):
        read = selects_sqlite.CLOSED_MEETINGS_OF_ADMISSIONS
        out.extend(meetings_from(connection, _by_name(connection, selects.CLOSED_MEETINGS_OF_ADMISSIONS, read, chunk)))
    return out


# -- reference data, users, settings ------------------------------------------------------------------------------
def kommune_count(connection: Connection) -> int:
    """How many kommuner there are (none: the reference data is loaded at start)."""
    ((count,),) = _tuples(connection, selects.KOMMUNE_COUNT, selects_sqlite.KOMMUNE_COUNT)
    return int(count or 0)


def kommune_names(connection: Connection) -> dict[str, str]:
    """Kommune code → name."""
    return {code: name for code, name in _tuples(connection, selects.KOMMUNE_NAMES, selects_sqlite.KOMMUNE_NAMES)}


def centres(connection: Connection) -> dict[str, list[str]]:
    """Centre name → its ward names (the centres and wards as the database holds them)."""
    return wards_by_centre(_tuples(connection, selects.CENTRES_WITH_WARDS, selects_sqlite.CENTRES_WITH_WARDS))


def user_count(connection: Connection) -> int:
    """How many users there are, active or not (none: no login yet)."""
    ((count,),) = _tuples(connection, selects.USER_COUNT, selects_sqlite.USER_COUNT)
    return int(count or 0)


def meta_value(connection: Connection, key: str) -> str | None:
    """One ``app_meta`` value, None when the key is not there."""
    found = _tuples(connection, selects.META_VALUE, selects_sqlite.META_VALUE, key=key)
    return None if not found else str(found[0][0])
