"""A database looked at below the repositories, for the storage tests: brought to a migration revision (up or down)
as an older Koordinator left it, its revision and tables read without migrating it, and its SQLite connection
settings read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import inspect

from coordinator_app.storage import migrate
from coordinator_app.storage.database import open_database

#: The connection settings every SQLite connection gets (WAL, full sync, foreign keys, the busy timeout).
SQLITE_PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")


def migrate_to(url: str, revision: str, *, down: bool = False) -> None:
    """Upgrade (or with ``down``, downgrade) the database at ``url`` to ``revision`` with Alembic, in one
    transaction, without the migration to head that opening it would run."""
    db = open_database(url, migrate=False)
    try:
        with db.engine.begin() as conn:
            config = migrate.alembic_config()
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        db.dispose()


def revision_and_tables(url: str) -> tuple[str | None, set[str]]:
    """The Alembic revision the database at ``url`` is at (None: none yet) and the names of its tables, read without
    migrating it."""
    db = open_database(url, migrate=False)
    try:
        with db.engine.connect() as conn:
            return migrate.current_revision(conn), set(inspect(conn).get_table_names())
    finally:
        db.dispose()


def sqlite_pragmas(location: str | Path, **open_options: Any) -> dict[str, Any]:
    """The ``SQLITE_PRAGMAS`` of a connection to the SQLite database at ``location``, opened with ``open_options``
    (``passphrase``, ``busy_timeout`` …) and closed again."""
    db = open_database(location, **open_options)
    try:
        with db.engine.connect() as conn:
            return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in SQLITE_PRAGMAS}
    finally:
        db.dispose()
