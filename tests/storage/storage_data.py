"""Storage test data: a few kommuner and ready-made records (model dataclasses, as the app uses them)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coordinator_app.domain.model import Admission, AdmissionFlags, Event, EventKind, Kommune, Patient

KOMMUNER = (
    Kommune("101", "København", "Hovedstaden", "sikker@kk.example.dk"),
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
    values: dict[str, object] = {"kind": kind, "occurred_at": at, "recorded_by": "test", **kw}
    return Event(id=None, admission_id=admission_id, **values)  # type: ignore[arg-type]


MOMENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ALL_FLAGS = AdmissionFlags(*([True] * 8))


def synthetic_ward(
    admissions: int, events_per_admission: int, *, discharged_every: int = 0
) -> tuple[list[Patient], list[Admission], list[Event]]:
    """Numbered records (ids from 1, like the demo generator) for bulk and speed tests."""
    from datetime import timedelta

    patients = [
        Patient(id=i, cpr=f"{i:010d}", given_name=f"Fornavn{i}", family_name=f"Efternavn{i}")
        for i in range(1, admissions + 1)
    ]
    rows = [
        Admission(
            id=i,
            patient_id=i,
            center="Psykiatrisk Center København",
            ward=f"Afsnit {i % 9}",
            admitted=date(2026, 1, 1) + timedelta(days=i % 300),
            bopaelskommune=KOMMUNER[i % len(KOMMUNER)].code,
            discharged=date(2026, 11, 1) if discharged_every and i % discharged_every == 0 else None,
            scenario=i % 3 + 1,
            scenario_answers={"q": i},
            flags=AdmissionFlags(homeless=i % 7 == 0),
        )
        for i in range(1, admissions + 1)
    ]
    events = [
        Event(
            id=(i - 1) * events_per_admission + j + 1,
            admission_id=i,
            kind=EventKind.NOTE,
            occurred_at=MOMENT + timedelta(hours=j),
            recorded_by="demo",
            note=f"notat {j}",
            data={"n": j},
        )
        for i in range(1, admissions + 1)
        for j in range(events_per_admission)
    ]
    return patients, rows, events
