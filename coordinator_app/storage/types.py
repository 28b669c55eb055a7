"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no time zones: a ``DateTime(timezone=True)`` comes back naive there and aware (in the
session's zone) on PostgreSQL. ``UTCDateTime`` stores UTC on both and always returns an aware UTC
``datetime``, so the engine never compares naive with aware moments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from coordinator_app.storage.sqlite_rows import document, moment


class UTCDateTime(TypeDecorator[datetime]):
    """A moment: aware in, aware UTC out. Naive datetimes are refused (they are a bug, not a moment)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware moments (UTC)")
        value = value.astimezone(UTC)
        # SQLite would drop the offset anyway; storing naive UTC keeps the text sortable.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        # SQLite hands back ISO text; fromisoformat is ~5x faster than SQLAlchemy's regex parse. The same
        # conversion as the driver-level reads' (``sqlite_rows``).
        def parse(value: str | None) -> datetime | None:
            return None if value is None else moment(value)

        return parse


class JSONDict(TypeDecorator[Any]):
    """JSON documents (scenario answers, event data) on both backends.

    On SQLite the text is decoded with a plain ``json.loads`` (``sqlite_rows.document``, as the driver-level reads
    do): SQLAlchemy's own JSON result processing costs ~5x more per value.
    """

    impl = JSON(none_as_null=True)
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def parse(value: str | None) -> Any:
            return None if value is None else document(value)

        return parse


def json_default() -> dict[str, Any]:
    return {}


def json_list() -> list[Any]:
    return []
