"""SQLite's plain rows → the app's values, without SQLAlchemy (issue 7: the first screen is read before it loads).

``storage.listing`` and ``storage.repositories`` use these on SQLite, where converting the driver's rows in one pass
is much cheaper than SQLAlchemy's per-column processors; ``storage.quick_read`` uses them for the first screen.
SQLite hands back dates as ``'YYYY-MM-DD'`` text, booleans as 0/1, moments as naive UTC ISO text
(``types.UTCDateTime``) and JSON as text (``types.JSONDict``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from coordinator_app.domain.model import AdmissionFlags

#: (version, patient_id, newest event id, event count) — the deadline cache's stamp of an admission.
Stamp = tuple[int | None, int, int | None, int]


class ListRow(NamedTuple):
    """One admission in the patient list. The eight flag fields are ``model.AdmissionFlags``'s."""

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


# -- the list select's rows -----------------------------------------------------------------------------------------
# Converting the 3 dates and 11 booleans of a row in one comprehension costs about a third of SQLAlchemy's Row
# objects with per-column processors followed by ``ListRow._make`` (~10 ms of ~30 ms at 10,000 rows), which keeps the
# list query near raw sqlite3's fetchall. ``storage.listing`` checks the positions against its select at import.

LIST_DATES = (12, 13, 15)  # admitted (NOT NULL), discharged, expected_faerdigbehandlet
LIST_BOOLEANS = (5, *range(16, 26))  # replacement_cpr, involuntary, demo and the eight flags (all NOT NULL)


def from_sqlite_rows(rows: Iterable[Sequence[Any]]) -> list[ListRow]:
    """``ListRow``s from SQLite's plain rows of the list select (dates as text, booleans as 0/1) — also what
    ``benchmarks/run.py`` applies to raw sqlite3's rows, so both sides of its comparison make the same values."""
    day = date.fromisoformat
    new = tuple.__new__
    return [
        new(
            ListRow,
            (
                c0,
                c1,
                c2,
                c3,
                c4,
                c5 == 1,
                c6,
                c7,
                c8,
                c9,
                c10,
                c11,
                day(c12),
                None if c13 is None else day(c13),
                c14,
                None if c15 is None else day(c15),
                c16 == 1,
                c17 == 1,
                c18 == 1,
                c19 == 1,
                c20 == 1,
                c21 == 1,
                c22 == 1,
                c23 == 1,
                c24 == 1,
                c25 == 1,
            ),
        )
        for (
            c0,
            c1,
            c2,
            c3,
            c4,
            c5,
            c6,
            c7,
            c8,
            c9,
            c10,
            c11,
            c12,
            c13,
            c14,
            c15,
            c16,
            c17,
            c18,
            c19,
            c20,
            c21,
            c22,
            c23,
            c24,
            c25,
        ) in rows
    ]


def event_tuples(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The events select's rows (``convert.EVENT_FIELDS`` order) as ``convert.events_from`` takes them: the moment
    parsed to aware UTC and the data decoded as ``types.UTCDateTime`` and ``types.JSONDict`` do (stored ``{}`` needs
    no decoding)."""
    moment, loads = datetime.fromisoformat, json.loads
    return [
        (
            id_,
            adm,
            kind,
            moment(at).replace(tzinfo=UTC),
            by,
            recipient,
            channel,
            note,
            {} if data is None or data == "{}" else loads(data),
            corrects,
        )
        for id_, adm, kind, at, by, recipient, channel, note, data, corrects in rows
    ]


def day(value: str | None) -> date | None:
    """A ``Date`` column's value."""
    return None if value is None else date.fromisoformat(value)


def moment(value: str | None) -> datetime | None:
    """A ``types.UTCDateTime`` column's value: aware UTC."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def flag(value: int | None) -> bool | None:
    """A ``Boolean`` column's value."""
    return None if value is None else value == 1


def document(value: str | None) -> Any:
    """A ``types.JSONDict`` column's value."""
    return None if value is None else json.loads(value)
