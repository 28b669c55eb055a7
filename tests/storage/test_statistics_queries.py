"""The queries behind the list's deadlines and Statistik (issue 7), on SQLite and PostgreSQL: ``for_admissions``
(on SQLite converted straight from the driver's rows) gives exactly what the ORM path gives, and ``overlapping``
picks the admissions with a day in a period."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from storage_data import MOMENT, admission, event, patient

from coordinator_app.domain.model import Admission, Channel, EventKind, Patient
from coordinator_app.storage.database import Database
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository, PatientRepository


def test_for_admissions_equals_each_history_read_alone(admitted: tuple[Database, Patient, Admission]) -> None:
    db, p, a = admitted
    assert a.id is not None and p.id is not None
    with db.session() as session:
        second = AdmissionRepository(session).add(admission(p.id, admitted=date(2026, 10, 1)))
        assert second.id is not None
        repo = EventRepository(session)
        first = repo.append(event(a.id, MOMENT, EventKind.VARSLING, data={"x": [1, None], "ø": "å"}))
        repo.append(event(a.id, MOMENT - timedelta(days=1), note="før", recipient_kommune="101"))
        repo.append(event(second.id, MOMENT, EventKind.ORIENTERING_INDLAEGGELSE, channel=Channel.SIKKER_MAIL))
        repo.append(event(a.id, MOMENT, EventKind.CORRECTION, corrects_event_id=first.id, data={}))
        repo.append(event(a.id, MOMENT.astimezone(UTC) + timedelta(microseconds=7)))
        grouped = repo.for_admissions([second.id, a.id, 999_999])
        alone = {i: repo.for_admission(i) for i in (second.id, a.id, 999_999)}
    assert grouped == alone
    assert list(grouped) == [second.id, a.id, 999_999]
    history = grouped[a.id]
    assert [e.note for e in history][:1] == ["før"]
    assert all(e.occurred_at.tzinfo is UTC for e in history)
    assert history[1].data == {"x": [1, None], "ø": "å"} and history[1].kind is EventKind.VARSLING
    assert grouped[second.id][0].channel is Channel.SIKKER_MAIL


def test_overlapping_is_every_admission_with_a_day_in_the_period(seeded: Database) -> None:
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    stays = {
        "before": (date(2024, 3, 1), date(2024, 12, 31)),
        "into": (date(2024, 12, 1), date(2025, 1, 1)),
        "within": (date(2025, 5, 1), date(2025, 5, 9)),
        "current": (date(2025, 11, 1), None),
        "last_day": (date(2025, 12, 31), date(2026, 1, 5)),
        "after": (date(2026, 1, 1), None),
    }
    ids: dict[str, int] = {}
    with seeded.session() as session:
        p = PatientRepository(session).add(patient())
        assert p.id is not None
        for name, (admitted_on, discharged_on) in stays.items():
            added = AdmissionRepository(session).add(admission(p.id, admitted=admitted_on, discharged=discharged_on))
            assert added.id is not None
            ids[name] = added.id
    with seeded.session() as session:
        found = AdmissionRepository(session).overlapping(first, last)
    assert list(found) == [ids[n] for n in ("into", "within", "current", "last_day")]
    assert found[ids["within"]].discharged == date(2025, 5, 9)
