"""The attacker who holds the database's key (issue 18): raw SQL with the database's own guards out of the way.

Since migration 0009 the database refuses UPDATE and DELETE of ``audit_log`` and ``documents`` and any change of
``audit_head`` but one line forward. ``tamper`` does what only the owner can: in one transaction it takes the triggers
away (SQLite: ``DROP TRIGGER``, re-created from ``sqlite_master`` afterwards; PostgreSQL: ``DISABLE TRIGGER USER``,
as the test cluster's superuser, whom revoked privileges do not stop), runs the statements and puts the triggers
back, so the test goes on with a database that is guarded again but holds the tampered rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from coordinator_app.storage.database import open_database

#: The guarded tables.
GUARDED = ("audit_log", "audit_head", "documents")


@contextmanager
def unguarded(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction with the triggers of ``GUARDED`` out of the way until it commits."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in GUARDED:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield conn
            for table in GUARDED:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            return
        triggers = _sqlite_triggers(conn)
        for name, _sql in triggers:
            conn.execute(text(f"DROP TRIGGER {name}"))
        yield conn
        for _name, sql in triggers:
            conn.execute(text(sql))


def _sqlite_triggers(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    return [(r.name, r.sql) for r in rows if r.tbl_name in GUARDED]


def tamper(url: str, *statements: str, **params: Any) -> None:
    """Run ``statements`` (each with ``params``, those it names) on the database at ``url`` as its owner would."""
    db = open_database(url)
    try:
        with unguarded(db.engine) as conn:
            for statement in statements:
                conn.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
    finally:
        db.dispose()


def damage_a_table_page(path: Path) -> None:
    """Give the local SQLite file ``path`` a damaged page: a filled table's root page overwritten with random bytes
    (its 12-byte page header kept), which ``quick_check`` reports and a plain read may not notice."""
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE fyld (x TEXT)")
        for i in range(300):
            conn.exec_driver_sql("INSERT INTO fyld VALUES (?)", (f"{i:05d}" * 100,))
        root = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'fyld'").scalar_one()
    db.dispose()
    data = bytearray(path.read_bytes())
    start = (root - 1) * 4096
    data[start + 12 : start + 4096] = os.urandom(4096 - 12)
    path.write_bytes(bytes(data))
