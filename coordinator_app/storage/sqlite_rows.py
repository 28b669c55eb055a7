"""SQLite's plain rows → the app's values, without SQLAlchemy (issue 7: the first screen is read before it loads).

``SqliteRead`` is one of ``storage.selects``' selects as the sqlite3 driver runs it; the generated
``storage.selects_sqlite`` holds them (``storage.sqlite_codegen`` writes it), each with a converter of its rows that
decodes every column as its ORM type does, through the converters below. ``storage.quick_read`` reads the first
screen with them; ``storage.reads`` uses them on SQLite, where converting the
driver's rows in one pass is much cheaper than SQLAlchemy's per-column processors.

SQLite hands back dates as ``'YYYY-MM-DD'`` text, booleans as 0/1 (the generated converters compare with 1), moments
as naive UTC ISO text (``types.UTCDateTime``) and JSON as text (``types.JSONDict``, whose SQLite result processing
is ``moment``/``document`` too).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from coordinator_app.domain.model import AdmissionFlags

#: (version, patient_id, newest event id, event count) — the deadline cache's stamp of an admission.
Stamp = tuple[int | None, int, int | None, int]


class ListRow(NamedTuple):
    """One admission in the patient list: ``selects.LIST``'s columns. The eight flag fields are
    ``model.AdmissionFlags``'s."""

    admission_id: int
    patient_id: int
    given_name: str
    family_name: str
    cpr: str
    replacement_cpr: bool
    center: str
    ward: str
    bopaelskommune_code: str
    bopaelskommune_name: str
    opholdskommune: str | None
    handlekommune: str | None
    admitted: date
    discharged: date | None
    scenario: int | None
    expected_faerdigbehandlet: date | None
    involuntary: bool
    demo: bool
    homeless: bool
    botilbud: bool
    misbrug: bool
    retslig_foranstaltning: bool
    children: bool
    lab_par6: bool
    wants_to_leave: bool
    multiple_antipsychotics: bool

    @property
    def flags(self) -> AdmissionFlags:
        return AdmissionFlags(*self[-8:])

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


# -- a select as the driver runs it -------------------------------------------------------------------------------

#: Where a read's "IN" list of ids goes in its SQL; ``SqliteRead.statement`` puts one "?" per id there.
ID_LIST = "{ids}"
#: The name of the id list among a read's ``parameters`` (``selects.ids``).
IDS = "ids"

Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class SqliteRead(Generic[Row]):
    """One select of ``storage.selects`` as SQLite's text (generated into ``storage.selects_sqlite``).

    ``columns`` are the names of the result's columns, in order; ``parameters`` the names of the bound values in
    the order of the SQL's "?" (``IDS``: the id list at ``ID_LIST``); ``values`` the values the select itself binds
    (a status, say); ``convert`` turns the driver's rows into the app's values (tuples in ``columns``' order, or
    ``ListRow``s)."""

    sql: str
    columns: tuple[str, ...]
    parameters: tuple[str, ...]
    values: Mapping[str, Any]
    convert: Callable[[Iterable[Sequence[Any]]], list[Row]]

    def statement(self, ids: Sequence[int] = (), **values: Any) -> tuple[str, tuple[Any, ...]]:
        """The SQL with one "?" per id in its id list, and the parameters in order (``values`` by name, else the
        select's own)."""
        sql = self.sql
        args: list[Any] = []
        for name in self.parameters:
            if name == IDS:
                sql = sql.replace(ID_LIST, ", ".join("?" * len(ids)))
                args.extend(ids)
            else:
                args.append(values[name] if name in values else self.values[name])
        return sql, tuple(args)

    def fetch(self, connection: sqlite3.Connection, ids: Sequence[int] = (), **values: Any) -> list[Row]:
        """The rows, converted, through a plain sqlite3 connection."""
        sql, args = self.statement(ids, **values)
        return self.convert(connection.execute(sql, args).fetchall())

    def records(self, rows: Iterable[Sequence[Any]]) -> list[Record]:
        """Converted rows (tuples in ``columns``' order) with each value by its column's name."""
        names = self.columns
        return [Record(dict(zip(names, values, strict=True))) for values in rows]


class Record:
    """A row with attribute access, as the ``convert``/``meeting_codec`` readers take it."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    if TYPE_CHECKING:  # its attributes are the query's column names

        def __getattr__(self, name: str) -> Any: ...


# -- the converters of a column's (non-NULL) value, by ORM type -------------------------------------------------

#: A ``Date`` column's value.
day = date.fromisoformat


def moment(text: str) -> datetime:
    """A ``types.UTCDateTime`` column's value: aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def document(text: str) -> Any:
    """A ``types.JSONDict`` column's value (an empty object, the usual one, needs no decoding)."""
    return {} if text == "{}" else json.loads(text)
