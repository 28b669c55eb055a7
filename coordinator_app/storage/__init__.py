"""Storage: SQLAlchemy mappings, the engine and sessions, repositories and Alembic migrations.

The rest of the app sees only ``domain.model`` dataclasses and ``domain.errors``; ORM rows stay in here.

The names below are loaded on first use (PEP 562), so that importing a module of this package that needs no
SQLAlchemy (``convert``, ``sqlite_rows``, ``quick_read``, ``sqlite_file``) does not import it: the first screen is
read without it (issue 7: cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coordinator_app.storage.database import Database, default_database_url, open_database

__all__ = ["Database", "default_database_url", "open_database"]


def __getattr__(name: str) -> Any:
    if name in ("Database", "default_database_url", "open_database"):
        from coordinator_app.storage import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
