"""The selects of the reads the first screen needs, each written once: ``storage.reads`` runs them, for the services
on a Core connection and for the repositories on their session's connection.

Written against the Core tables (``storage.tables``), so running them needs neither ``sqlalchemy.orm`` nor the
mappings (issue 15: the refresh that makes the window ready reads through a Core connection). The first screen
(issue 7: cold start) reads the same rows before SQLAlchemy loads (``storage.quick_read``), so
these selects are also compiled for SQLite into ``storage.selects_sqlite`` — the SQL text and each row's converter,
written by ``python -m coordinator_app.storage.sqlite_codegen`` and checked to be current by
``tests/storage/test_selects.py``. ``storage.reads`` runs that same text through the
driver on SQLite (every read: converting the rows in one pass beats SQLAlchemy's per-column processors, and no
select is compiled at start); on PostgreSQL it executes the selects below.

Each select names its columns (the compiled text lists them; nothing depends on a file's column order). An id list
is the expanding parameter ``ids``: ``connection.execute(ADMISSIONS_BY_ID, {"ids": chunk})``. Change a select here,
then run the generator and commit both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select

from coordinator_app.domain.meetings import MeetingStatus
from coordinator_app.storage import tables
from coordinator_app.storage.convert import EVENT_FIELDS
from coordinator_app.storage.sqlite_rows import IDS


def ids() -> BindParameter[Any]:
    """The "IN" list of ids, filled at execution (``{"ids": [...]}``)."""
    return bindparam(IDS, expanding=True)


_a, _p, _k = tables.admissions, tables.patients, tables.kommuner
_events, _meetings, _templates = tables.events, tables.meetings, tables.meeting_templates
_centres, _wards = tables.centres, tables.wards

#: The patient list's row of every admission, in ``sqlite_rows.ListRow``'s order (``storage.reads.list_rows``).
LIST = (
    select(
        _a.c.id,
        _a.c.patient_id,
        _p.c.given_name,
        _p.c.family_name,
        _p.c.cpr,
        _p.c.replacement_cpr,
        _a.c.center,
        _a.c.ward,
        _a.c.bopaelskommune,
        func.coalesce(_k.c.name, _a.c.bopaelskommune),
        _a.c.opholdskommune,
        _a.c.handlekommune,
        _a.c.admitted,
        _a.c.discharged,
        _a.c.scenario,
        _a.c.expected_faerdigbehandlet,
        _a.c.involuntary,
        _a.c.demo,
        _a.c.homeless,
        _a.c.botilbud,
        _a.c.misbrug,
        _a.c.retslig_foranstaltning,
        _a.c.children,
        _a.c.lab_par6,
        _a.c.wants_to_leave,
        _a.c.multiple_antipsychotics,
    )
    .join(_p, _p.c.id == _a.c.patient_id)
    .outerjoin(_k, _k.c.code == _a.c.bopaelskommune)
    .order_by(_a.c.id)
)
#: The current admissions' list rows (not discharged).
CURRENT_LIST = LIST.where(_a.c.discharged.is_(None))

#: Events, their columns in ``model.Event``'s field order (what ``convert.events_from`` takes).
EVENTS = select(*(_events.c[name] for name in EVENT_FIELDS))
#: The events of some admissions, each admission's in the order they happened (ties by id: recording order).
EVENTS_OF_ADMISSIONS = EVENTS.where(_events.c.admission_id.in_(ids())).order_by(
    _events.c.admission_id, _events.c.occurred_at, _events.c.id
)

#: Admissions by id (every column; ``convert.admission_from``).
ADMISSIONS_BY_ID = select(_a).where(_a.c.id.in_(ids()))

#: The closed netværksmøder of some admissions (their agreements are tracked tasks, C5), by id.
CLOSED_MEETINGS_OF_ADMISSIONS = (
    select(_meetings)
    .where(_meetings.c.admission_id.in_(ids()), _meetings.c.status == MeetingStatus.AFSLUTTET.value)
    .order_by(_meetings.c.id)
)

#: Meeting template versions by id (every column; ``meeting_codec.template_from``).
TEMPLATES_BY_ID = select(_templates).where(_templates.c.id.in_(ids()))

#: What the deadline cache keys an admission on (``storage.reads.deadline_stamps``): its version and patient, and
#: its newest event and event count — of every admission, or of the ids (``…_OF``). The events are grouped alone:
#: on SQLite a scan of ix_events_admission_id_occurred_at (covering: the rowid is the id); a GROUP BY over
#: admissions joined to events sorts every joined row first (~3x slower), and correlated subqueries per admission
#: made PostgreSQL take seconds.
STAMP_VERSIONS = select(_a.c.id, _a.c.version, _a.c.patient_id)
STAMP_VERSIONS_OF = STAMP_VERSIONS.where(_a.c.id.in_(ids()))
STAMP_NEWEST = select(
    _events.c.admission_id, func.max(_events.c.id).label("newest_event_id"), func.count().label("event_count")
).group_by(_events.c.admission_id)
STAMP_NEWEST_OF = STAMP_NEWEST.where(_events.c.admission_id.in_(ids()))

#: How many kommuner there are (none: the reference data is loaded at start).
KOMMUNE_COUNT = select(func.count()).select_from(_k)

#: Kommune code → name.
KOMMUNE_NAMES = select(_k.c.code, _k.c.name)

#: The centres with their wards, one row per ward (a centre without wards: one row, ward NULL).
CENTRES_WITH_WARDS = (
    select(_centres.c.name, _wards.c.name)
    .outerjoin(_wards, _wards.c.centre_id == _centres.c.id)
    .order_by(_centres.c.name, _wards.c.name)
)

#: One ``app_meta`` value (``{"key": ...}``).
_meta = tables.app_meta
META_VALUE = select(_meta.c.value).where(_meta.c.key == bindparam("key"))

#: How many users there are (none: no login yet).
USER_COUNT = select(func.count()).select_from(tables.users)
