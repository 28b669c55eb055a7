"""The change journal of a laptop file (issue 19, ``docs/offline.md``): every change the program makes in an offline
copy, written in the same transaction as the change, so check-in (``storage.checkin``) can bring it to the ward.

Only a database whose ``app_meta`` has ``offline_loan_id`` journals (asked once per engine); the ward's database
has the table too (one schema) but it stays empty there. A journal row says: the loan, the table, the row's
primary key in the file, the action (``insert``/``update``/``delete``), the changed columns with their committed
(old) value and new value (``plain``: JSON-safe), the author and the time (``infra.actor``: the signed-in user of
the service writing, and that service's clock). A laptop file that was handed in (``RETURNED_KEY``) refuses every
such write before anything is written: its journal is never read again.

* ORM writes: an ``after_flush`` listener on every session records each new, changed or deleted row of a
  journaled table (``JOURNALED``: the tables a laptop file carries for the cases and the work, not its users,
  settings or audit log) from the attributes' history.
* Core writes that bypass the flush (the meeting autosave, the extra referat recipients, a consent's withdrawal,
  a kommune's secure mailbox) call ``before_core_update``/``after_core_update`` around their statement: on a
  laptop file one journal row per statement, on the ward nothing at all (the autosave stays one statement).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, Table, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from coordinator_app.domain.checkin import returned_refusal
from coordinator_app.infra.actor import current_actor
from coordinator_app.storage import tables

if TYPE_CHECKING:  # the repositories import this module at start; the ORM loads with the first session (issue 15)
    from sqlalchemy.orm import Session, UOWTransaction

__all__ = [
    "JOURNAL",
    "JOURNALED",
    "LOAN_KEY",
    "RETURNED_KEY",
    "after_core_update",
    "before_core_update",
    "journal_flush",
    "mark_returned",
    "offline_loan",
    "plain",
    "prime",
    "returned_copies_are_read_only",
]

#: The ``app_meta`` keys of a laptop file: its loan, and when it was handed in (then it cannot be handed in again).
LOAN_KEY = "offline_loan_id"
RETURNED_KEY = "offline_returned_at"

#: The tables whose changes on a laptop file go back to the ward (``offline_copy.POLICY`` CASES and ALL).
JOURNALED = frozenset(
    {
        "kommuner",
        "centres",
        "wards",
        "contacts",
        "meeting_templates",
        "patients",
        "admissions",
        "events",
        "consents",
        "documents",
        "meetings",
        "discharge_plans",
        "discharge_plan_versions",
    }
)

JOURNAL = tables.offline_journal

_META = tables.app_meta
_LOANS: WeakKeyDictionary[Engine, tuple[str | None, str | None]] = WeakKeyDictionary()  # (loan id, returned at)
#: Written when no service named its user (set-up code): never expected for a service write.
UNKNOWN_AUTHOR = "ukendt"


def plain(value: Any) -> Any:
    """A column's value as JSON can hold it and compare it: moments in UTC ISO, days ISO, bytes as their SHA-256."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return value


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _offline(session: Session) -> tuple[str | None, str | None]:
    engine = _engine_of(session)
    if engine not in _LOANS:
        with session.no_autoflush:
            rows = session.execute(select(_META.c.key, _META.c.value).where(_META.c.key.in_([LOAN_KEY, RETURNED_KEY])))
            found: dict[str, str] = {key: value for key, value in rows}
        _LOANS[engine] = (found.get(LOAN_KEY) or None, found.get(RETURNED_KEY) or None)
    return _LOANS[engine]


def prime(engine: Engine) -> None:
    """Ask whether the database is a laptop file when it is opened, before any transaction (``open_database``). Asked
    first inside a write transaction instead, the question made SQLite's transaction read-then-write, which fails at
    once with "database is locked" when another process committed meanwhile (a check-out racing the meeting's
    autosave: ``tests/services/test_offline_races.py``) rather than waiting its turn. A database without
    ``app_meta`` yet (opened without migrating) is asked later, as before."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(_META.c.key, _META.c.value).where(_META.c.key.in_([LOAN_KEY, RETURNED_KEY])))
            found: dict[str, str] = {key: value for key, value in rows}
    except DBAPIError:
        return
    _LOANS[engine] = (found.get(LOAN_KEY) or None, found.get(RETURNED_KEY) or None)


def mark_returned(conn: Connection, at: str) -> str:
    """Mark the laptop file on ``conn`` handed in (``RETURNED_KEY`` = ``at``) unless it is marked already; the mark it
    keeps. The write lock is taken before the mark is read: two check-ins of one file (two copies of a USB stick) mark
    it one after the other and the first mark stays — read first, SQLite fails the second at once with "database is
    locked" instead of letting it wait (``tests/services/test_offline_checkin_races.py``)."""
    conn.execute(text("UPDATE app_meta SET value = value WHERE 1 = 0"))
    found = conn.execute(select(_META.c.value).where(_META.c.key == RETURNED_KEY)).scalar()
    if found:
        return str(found)
    conn.execute(insert(_META).values(key=RETURNED_KEY, value=at))
    return at


def offline_loan(session: Session) -> str | None:
    """The loan id when ``session``'s database is a laptop file, else ``None`` (read once per engine)."""
    return _offline(session)[0]


def _writable_loan(session: Session) -> str | None:
    """``offline_loan``, refusing (``ProcessError``, Danish) a write to a laptop file that was handed in: its journal
    is never read again, so the change would be lost."""
    loan, returned = _offline(session)
    if loan is not None and returned is not None:
        raise returned_refusal(returned)
    return loan


def _author() -> tuple[str, datetime]:
    actor = current_actor()
    if actor is None:
        return UNKNOWN_AUTHOR, datetime.now(UTC)
    return actor.user, actor.now()


def _key(values: Sequence[Any]) -> str:
    return ",".join(str(v) for v in values)


def _write(session: Session, loan: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    author, at = _author()
    for row in rows:
        row.update(loan_id=loan, author=author, at=at)
    session.connection().execute(JOURNAL.insert(), rows)


def returned_copies_are_read_only(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    if any(
        isinstance(t := inspect(o).mapper.local_table, Table) and t.name in JOURNALED
        for o in (*session.new, *session.dirty, *session.deleted)
    ):
        _writable_loan(session)


def journal_flush(session: Session, _context: UOWTransaction) -> None:
    candidates = [
        (action, state)
        for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted))
        for state in map(inspect, objects)
        if isinstance(state.mapper.local_table, Table) and state.mapper.local_table.name in JOURNALED
    ]
    if not candidates:
        return
    loan = _writable_loan(session)  # one SELECT per engine, the first time; the ward's database stops here
    if loan is None:
        return
    rows: list[dict[str, Any]] = []
    for action, state in candidates:
        changes: dict[str, list[Any]] = {}
        for prop in state.mapper.column_attrs:
            column = prop.columns[0]
            if action == "insert":
                value = state.dict.get(prop.key)
                if value is not None:
                    changes[column.name] = [None, plain(value)]
            elif action == "delete":
                changes[column.name] = [plain(state.dict.get(prop.key)), None]
            else:
                history = state.attrs[prop.key].history
                if history.added:
                    old = history.deleted[0] if history.deleted else None
                    changes[column.name] = [plain(old), plain(history.added[0])]
        if action == "update" and not changes:
            continue
        identity = state.identity or state.mapper.primary_key_from_instance(state.obj())
        rows.append(
            {
                "table_name": state.mapper.local_table.name,
                "row_key": _key(identity),
                "action": action,
                "changes": changes,
            }
        )
    _write(session, loan, rows)


def before_core_update(
    session: Session, table: Table, row_ids: Iterable[Any], columns: Sequence[str]
) -> dict[str, dict[str, Any]] | None:
    """Before a Core UPDATE of ``columns`` in rows ``row_ids`` of ``table``: on a laptop file, their values now (for
    ``after_core_update``); on the ward ``None`` and no statement."""
    if table.name not in JOURNALED or _writable_loan(session) is None:
        return None
    return _values(session, table, row_ids, columns)


def after_core_update(
    session: Session, table: Table, before: Mapping[str, Mapping[str, Any]] | None, columns: Sequence[str]
) -> None:
    """After the Core UPDATE: one journal row per row changed, naming the columns whose value moved."""
    if before is None:
        return
    loan = offline_loan(session)
    assert loan is not None
    pk = table.primary_key.columns[0]
    after = _values(session, table, [pk.type.python_type(k) for k in before], columns)
    rows = []
    for key, old in before.items():
        new = after.get(key, {})
        changes = {c: [plain(old[c]), plain(new.get(c))] for c in columns if plain(old[c]) != plain(new.get(c))}
        if changes:
            rows.append({"table_name": table.name, "row_key": key, "action": "update", "changes": changes})
    _write(session, loan, rows)


def _values(
    session: Session, table: Table, row_ids: Iterable[Any], columns: Sequence[str]
) -> dict[str, dict[str, Any]]:
    pk = table.primary_key.columns[0]
    found = session.execute(select(pk, *(table.c[c] for c in columns)).where(pk.in_(list(row_ids)))).all()
    return {str(r[0]): dict(zip(columns, r[1:], strict=True)) for r in found}
