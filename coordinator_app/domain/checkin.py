"""Check-in of a laptop file (issue 19, ``docs/offline.md``): the journal collapsed to one change per row and column,
and the conflicts a person decides.

Pure Python. The laptop file's journal (``storage.journal``) holds one entry per change; ``collapse`` makes of them
one ``RowChange`` per row: an insert (the row as it stands in the file is what arrives), a delete, or an update whose
columns each carry the value at check-out (the first entry's old value), the last new value and who wrote it when.
Check-in applies an update of a column only where the ward's value is still the one at check-out (compare-and-set);
otherwise — and for a laptop update of a row the ward no longer has — it is a ``Conflict``, shown with both values
and who changed each, and decided by a person (``Side``): until every conflict is decided nothing is applied.

The bookkeeping columns (``BOOKKEEPING``: the row's version, when and by whom it was last saved) are never a
conflict: they follow the columns that are applied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from coordinator_app.domain.errors import ProcessError, ValidationError

__all__ = [
    "BOOKKEEPING",
    "CheckinResult",
    "ColumnChange",
    "Conflict",
    "JournalEntry",
    "RowChange",
    "Side",
    "collapse",
    "conflict_label",
    "returned_refusal",
    "row_name",
    "same",
    "shown",
    "template_shown",
    "unresolved",
]

_COPENHAGEN = ZoneInfo("Europe/Copenhagen")

#: Columns that say when and by whom a row was saved, and its version: they follow the columns applied.
BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})


class Side(StrEnum):
    """Whose value a person chose for a conflict."""

    LAPTOP = "laptop"
    WARD = "ward"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One journal row of the laptop file (``changes``: column → (old, new), values as ``journal.plain`` made them)."""

    table: str
    row_key: str
    action: str  # insert | update | delete
    changes: Mapping[str, Sequence[Any]]
    author: str
    at: datetime


@dataclass(slots=True)
class ColumnChange:
    old: Any  # the value at check-out
    new: Any  # the last value written on the laptop
    author: str
    at: datetime


@dataclass(slots=True)
class RowChange:
    table: str
    row_key: str
    action: str  # insert | update | delete
    author: str
    at: datetime
    columns: dict[str, ColumnChange] = field(default_factory=dict)


def collapse(entries: Iterable[JournalEntry]) -> list[RowChange]:
    """One change per row, in the order the rows were first touched: a row made offline is an insert (then deleted
    again: nothing), a row deleted is a delete, else an update whose columns keep the first old value and the last
    new one with its author and time."""
    rows: dict[tuple[str, str], RowChange] = {}
    for entry in entries:
        key = (entry.table, entry.row_key)
        row = rows.get(key)
        if row is None:
            row = rows[key] = RowChange(entry.table, entry.row_key, entry.action, entry.author, entry.at)
        elif entry.action == "delete":
            if row.action == "insert":
                del rows[key]
                continue
            row.action = "delete"
        row.author, row.at = entry.author, entry.at
        for column, (old, new) in entry.changes.items():
            known = row.columns.get(column)
            first = known.old if known is not None else old
            row.columns[column] = ColumnChange(first, new, entry.author, entry.at)
    return list(rows.values())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def same(a: Any, b: Any) -> bool:
    """Two plain values (``journal.plain``) are the same value (JSON documents compared by content)."""
    return _canonical(a) == _canonical(b)


TABLE_LABELS: dict[str, str] = {
    "contacts": "Kontaktbog",
    "kommuner": "Kommune",
    "centres": "Center",
    "wards": "Afsnit",
    "patients": "Patient",
    "admissions": "Indlæggelse",
    "events": "Hændelse",
    "consents": "Samtykke",
    "documents": "Dokument",
    "meetings": "Netværksmøde",
    "meeting_templates": "Mødeskabelon",
    "discharge_plans": "Plan",
    "discharge_plan_versions": "Planversion",
}

COLUMN_LABELS: dict[str, str] = {
    "name": "navn",
    "organisation": "organisation",
    "sector": "sektor",
    "role": "rolle",
    "phone": "telefon",
    "email": "e-mail",
    "kommune_code": "kommune",
    "note": "note",
    "active": "aktiv",
    "secure_mail": "sikker postkasse",
    "given_name": "fornavn",
    "family_name": "efternavn",
    "address": "adresse",
    "place": "sted",
    "planned_at": "tidspunkt",
    "status": "status",
    "content": "indhold",
    "recipients": "modtagere af referatet",
    "late_reason": "begrundelse for senere møde",
    "withdrawn_at": "trukket tilbage",
    "discharged": "udskrevet",
    "expected_faerdigbehandlet": "forventet færdigbehandlet",
    "planned_discharge": "planlagt udskrivning",
    "scenario": "scenarie",
    "bopaelskommune": "bopælskommune",
    "opholdskommune": "opholdskommune",
    "handlekommune": "handlekommune",
    "ended_on": "afsluttet",
    "activated_on": "sat i kraft",
    "sections": "afsnit",
    "*": "rækken",
}


def row_name(table: str, row: Mapping[str, Any] | None, row_key: str) -> str:
    """How a person recognises the row: the contact's or patient's name, the meeting's reference, …"""
    if row is not None:
        if table == "patients":
            return f"{row.get('given_name', '')} {row.get('family_name', '')}".strip()
        if table == "meetings" and row.get("reference"):
            return str(row["reference"])
        if table == "consents" and row.get("given_to"):
            return f"til {row['given_to']}"
        if table in ("contacts", "kommuner", "centres", "wards", "meeting_templates") and row.get("name"):
            return str(row["name"])
    return f"nr. {row_key}"


def conflict_label(table: str, name: str, column: str) -> str:
    """E.g. "Kontaktbog: Aarhus Kommune, telefon"."""
    return f"{TABLE_LABELS.get(table, table)}: {name}, {COLUMN_LABELS.get(column, column)}"


def template_shown(version: int, sections: Any) -> str:
    """A meeting template's version as a person tells two apart: its number and its sections' titles in order."""
    titles = [str(s.get("title", "")) for s in sections or () if isinstance(s, Mapping)]
    text = f"version {version}: " + (", ".join(t for t in titles if t) or "(ingen afsnit)")
    return text if len(text) <= 120 else text[:119] + "…"


def shown(value: Any, limit: int | None = 80) -> str:
    """A plain value as a person reads it side by side with the other; the words of a referat or a plan cut at
    ``limit`` characters (None: all of them, for the program's conflicts dialog)."""
    if value is None or value == "":
        return "(tom)"
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if isinstance(value, (dict, list)):  # a referat, a plan: the words typed in it, not its JSON
        text = " · ".join(_words(value)) or "(tomt)"
        return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value).astimezone(_COPENHAGEN).strftime("%d-%m-%Y %H.%M")
        except ValueError:
            return value
    return str(value)


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return [w for v in value.values() for w in _words(v)]
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    return []


@dataclass(frozen=True, slots=True)
class Conflict:
    """A value both sides changed since check-out (or a laptop change of a row the ward no longer has)."""

    table: str
    row_key: str
    column: str  # "*": the whole row (the ward deleted it, or the laptop did and the ward changed it)
    label: str
    ward_value: str
    ward_by: str
    ward_at: datetime | None
    laptop_value: str
    laptop_by: str
    laptop_at: datetime
    ward_text: str = ""  # the whole value when ``ward_value`` is cut short (a referat's words); else empty
    laptop_text: str = ""

    @property
    def ward_full(self) -> str:
        """The ward's value in full (what the conflicts dialog shows)."""
        return self.ward_text or self.ward_value

    @property
    def laptop_full(self) -> str:
        return self.laptop_text or self.laptop_value

    @property
    def key(self) -> str:
        """What ``resolutions`` map to a ``Side``: "contacts:4:phone"."""
        return f"{self.table}:{self.row_key}:{self.column}"

    def describe(self) -> str:
        """Danish, side by side: what it is, the ward's value and who, the laptop's value and who."""
        ward_when = f" {self.ward_at.astimezone(_COPENHAGEN):%d-%m-%Y %H.%M}" if self.ward_at else ""
        ward_by = f"{self.ward_by or 'ukendt'}{ward_when}"
        laptop_by = f"{self.laptop_by} {self.laptop_at.astimezone(_COPENHAGEN):%d-%m-%Y %H.%M}"
        return f"{self.label}: afsnittet «{self.ward_value}» ({ward_by}) ↔ bærbaren «{self.laptop_value}» ({laptop_by})"


def unresolved(conflicts: Sequence[Conflict], resolutions: Mapping[str, str] | None) -> list[Conflict]:
    """The conflicts no person decided yet; ``ValidationError`` (Danish) for a decision that is neither side."""
    chosen = dict(resolutions or {})
    for key, side in chosen.items():
        if side not in (Side.LAPTOP.value, Side.WARD.value):
            raise ValidationError(
                f"Konflikten {key} skal afgøres med «laptop» (bærbarens værdi) eller «ward» (afsnittets), "
                f"ikke «{side}».",
                field="resolutions",
            )
    return [c for c in conflicts if c.key not in chosen]


@dataclass(frozen=True)
class CheckinResult:
    """What a check-in did: ``merged`` (applied, loan afleveret), ``already`` (handed in before: nothing done), or
    neither (``conflicts`` wait for a person: nothing applied)."""

    laptop: str
    merged: bool = False
    already: bool = False
    inserted: Mapping[str, int] = field(default_factory=dict)
    updated: Mapping[str, int] = field(default_factory=dict)
    audit_lines: int = 0
    conflicts: Sequence[Conflict] = ()
    decided: int = 0
    id_map: Mapping[tuple[str, str], str] = field(default_factory=dict)
    seconds: float = 0.0


def returned_refusal(returned_at: str) -> ProcessError:
    """A write to a laptop file that was handed in: it would never reach the ward, so it is refused."""
    try:
        when = datetime.fromisoformat(returned_at).astimezone(_COPENHAGEN).strftime(" %d-%m-%Y kl. %H.%M")
    except ValueError:
        when = ""
    return ProcessError(
        f"Offline-kopien blev afleveret{when}; det, der skrives her, kommer aldrig med til afsnittet. Skriv i "
        "afsnittets database, eller tag sagen med offline igen. Intet er gemt."
    )
