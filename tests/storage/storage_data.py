"""Storage test data: a few kommuner and ready-made records (model dataclasses, as the app uses them)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coordinator_app.model import Admission, AdmissionFlags, Event, EventKind, Kommune, Patient

KOMMUNER = (
    Kommune("101", "København", "Hovedstaden", "sikker@kk.dk"),
    Kommune("147", "Frederiksberg", "Hovedstaden"),
    Kommune("751", "Aarhus", "Midtjylland"),
)


def patient(cpr: str = "0101901234", **kw: object) -> Patient:
    values: dict[str, object] = {"given_name": "Åse", "family_name": "Ørsted-Æbelø", "address": "Vej 1"}
    values.update(kw)
    return Patient(id=None, cpr=cpr, **values)  # type: ignore[arg-type]


def admission(patient_id: int, **kw: object) -> Admission:
    values: dict[str, object] = {
        "center": "Psykiatrisk Center København",
        "ward": "Afsnit 7",
        "admitted": date(2026, 11, 2),
        "bopaelskommune": "101",
    }
    values.update(kw)
    return Admission(id=None, patient_id=patient_id, **values)  # type: ignore[arg-type]


def event(admission_id: int, at: datetime, kind: EventKind = EventKind.NOTE, **kw: object) -> Event:
    return Event(id=None, admission_id=admission_id, kind=kind, occurred_at=at, recorded_by="test", **kw)  # type: ignore[arg-type]


MOMENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ALL_FLAGS = AdmissionFlags(*([True] * 8))
