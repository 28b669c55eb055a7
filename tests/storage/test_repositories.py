"""Every repository round-trips model records unchanged, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from storage_data import ALL_FLAGS, KOMMUNER, MOMENT, admission, event, patient

from coordinator_app.domain.errors import ConflictError, NotFoundError
from coordinator_app.domain.model import Admission, Channel, EventKind, Kommune, Patient
from coordinator_app.storage.database import Database
from coordinator_app.storage.orm import EventRow
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    CentreRepository,
    EventRepository,
    KommuneRepository,
    PatientRepository,
)


def test_kommuner_upsert_updates_known_and_adds_new(database: Database) -> None:
    with database.session() as session:
        KommuneRepository(session).upsert_many(KOMMUNER)
    renamed = Kommune("147", "Frederiksberg Kommune", "Hovedstaden", "fk@sikker.example.dk")
    with database.session() as session:
        KommuneRepository(session).upsert_many([renamed, Kommune("400", "Bornholm", "Hovedstaden")])
    with database.session() as session:
        repo = KommuneRepository(session)
        assert repo.get("147") == renamed
        assert repo.get("101") == KOMMUNER[0]
        assert repo.get("999") is None
        assert [k.code for k in repo.all()] == ["751", "400", "147", "101"]  # by name


def test_patient_round_trip_keeps_danish_letters_and_replacement_cpr(database: Database) -> None:
    original = patient(replacement_cpr=True, phone="+45 12 34 56 78")
    with database.session() as session:
        added = PatientRepository(session).add(original)
    assert added.id is not None
    assert added == dataclasses.replace(original, id=added.id, version=1)
    with database.session() as session:
        repo = PatientRepository(session)
        assert repo.get(added.id) == added
        assert repo.find_by_cpr(original.cpr) == added
        assert repo.find_by_cpr("0000000000") is None


def test_patient_update_saves_changes(database: Database) -> None:
    with database.session() as session:
        added = PatientRepository(session).add(patient())
    assert added.id is not None
    changed = dataclasses.replace(added, family_name="Jensen", address=None, phone="22")
    with database.session() as session:
        assert PatientRepository(session).update(changed) == dataclasses.replace(changed, version=2)
    with database.session() as session:
        assert PatientRepository(session).get(added.id) == dataclasses.replace(changed, version=2)


def test_missing_patient_and_admission_raise_danish_not_found(database: Database) -> None:
    with database.session() as session, pytest.raises(NotFoundError, match=r"Patienten .* findes ikke"):
        PatientRepository(session).get(4242)
    with database.session() as session, pytest.raises(NotFoundError, match=r"Indlæggelsen .* findes ikke"):
        AdmissionRepository(session).update(dataclasses.replace(admission(1), id=4242))


def test_admission_round_trip_keeps_flags_json_and_dates(seeded: Database) -> None:
    with seeded.session() as session:
        p = PatientRepository(session).add(patient())
        assert p.id is not None
        original = admission(
            p.id,
            discharged=date(2026, 11, 20),
            opholdskommune="147",
            handlekommune="751",
            involuntary=True,
            expected_faerdigbehandlet=date(2026, 11, 30),
            scenario=2,
            scenario_answers={"needs_offer": True, "note": "ønsker botilbud", "n": [1, 2]},
            flags=ALL_FLAGS,
            demo=True,
        )
        added = AdmissionRepository(session).add(original)
    assert added.id is not None
    assert added == dataclasses.replace(original, id=added.id, version=1)
    with seeded.session() as session:
        repo = AdmissionRepository(session)
        assert repo.get(added.id) == added
        assert repo.get_many([added.id, 999]) == {added.id: added}
        assert repo.for_patient(p.id) == [added]
        assert repo.count() == 1


def test_admission_update_and_for_patient_in_admission_order(
    admitted: tuple[Database, Patient, Admission],
) -> None:
    db, p, first = admitted
    assert p.id is not None and first.id is not None
    with db.session() as session:
        repo = AdmissionRepository(session)
        repo.update(dataclasses.replace(first, discharged=date(2026, 11, 10), flags=ALL_FLAGS))
        second = repo.add(admission(p.id, admitted=date(2026, 11, 15)))
    with db.session() as session:
        assert [a.id for a in AdmissionRepository(session).for_patient(p.id)] == [first.id, second.id]
        assert AdmissionRepository(session).get(first.id).flags == ALL_FLAGS


def test_events_come_back_aware_utc_with_json_in_time_order(
    admitted: tuple[Database, Patient, Admission],
) -> None:
    db, _p, a = admitted
    assert a.id is not None
    copenhagen = timezone(timedelta(hours=1))
    with db.session() as session:
        repo = EventRepository(session)
        late = repo.append(event(a.id, MOMENT + timedelta(days=1)))
        varsling = repo.append(
            event(
                a.id,
                datetime(2026, 11, 23, 10, 30, tzinfo=copenhagen),  # = MOMENT in UTC
                EventKind.VARSLING,
                recipient_kommune="101",
                channel=Channel.SIKKER_MAIL,
                note="Varsling sendt – æøå",
                data={"faerdigbehandlet": "2026-12-01", "nested": {"a": [1, None]}},
            )
        )
        same_moment = repo.append(event(a.id, MOMENT))
        correction = repo.append(
            event(a.id, MOMENT + timedelta(days=2), EventKind.CORRECTION, corrects_event_id=late.id)
        )
    with db.session() as session:
        history = EventRepository(session).for_admission(a.id)
    assert [e.id for e in history] == [varsling.id, same_moment.id, late.id, correction.id]
    assert history[0].occurred_at == MOMENT
    assert all(e.occurred_at.tzinfo is UTC for e in history)
    assert history[0] == dataclasses.replace(varsling, occurred_at=MOMENT)
    assert history[0].data == {"faerdigbehandlet": "2026-12-01", "nested": {"a": [1, None]}}
    assert history[3].corrects_event_id == late.id


def test_for_admissions_groups_histories_and_includes_empty_ones(
    admitted: tuple[Database, Patient, Admission],
) -> None:
    db, p, a = admitted
    assert a.id is not None and p.id is not None
    with db.session() as session:
        other = AdmissionRepository(session).add(admission(p.id, discharged=date(2026, 11, 5)))
        repo = EventRepository(session)
        e2 = repo.append(event(a.id, MOMENT + timedelta(hours=1)))
        e1 = repo.append(event(a.id, MOMENT))
    assert other.id is not None
    with db.session() as session:
        grouped = EventRepository(session).for_admissions([a.id, other.id])
    assert grouped == {a.id: [e1, e2], other.id: []}


def test_naive_event_time_is_refused(admitted: tuple[Database, Patient, Admission]) -> None:
    db, _p, a = admitted
    assert a.id is not None
    with db.session() as session, pytest.raises(ValueError, match="timezone-aware"):
        EventRepository(session).append(event(a.id, datetime(2026, 11, 23, 9, 0)))


def test_events_are_append_only(admitted: tuple[Database, Patient, Admission]) -> None:
    db, _p, a = admitted
    assert a.id is not None
    with db.session() as session:
        added = EventRepository(session).append(event(a.id, MOMENT))
    with pytest.raises(RuntimeError, match="append-only"), db.session() as session:
        row = session.get(EventRow, added.id)
        assert row is not None
        row.note = "rewritten history"
        session.flush()


def test_concurrent_update_of_a_patient_raises_conflict(database: Database) -> None:
    """Two coordinators edit the same patient: the second save must not overwrite the first."""
    with database.session() as session:
        added = PatientRepository(session).add(patient())
    with pytest.raises(ConflictError, match="En anden bruger har ændret"), database.session() as mine:
        repo = PatientRepository(mine)
        seen = repo.get(added.id or 0)
        mine.commit()  # my read is done; the row stays in my session at version 1
        with database.session() as theirs:
            PatientRepository(theirs).update(dataclasses.replace(seen, phone="11"))
        repo.update(dataclasses.replace(seen, phone="22"))
    with database.session() as session:
        assert PatientRepository(session).get(added.id or 0).phone == "11"


def test_concurrent_update_of_an_admission_raises_conflict(
    admitted: tuple[Database, Patient, Admission],
) -> None:
    db, _p, a = admitted
    with pytest.raises(ConflictError), db.session() as mine:
        repo = AdmissionRepository(mine)
        seen = repo.get(a.id or 0)
        mine.commit()
        with db.session() as theirs:
            AdmissionRepository(theirs).update(dataclasses.replace(seen, ward="Afsnit 8"))
        repo.update(dataclasses.replace(seen, ward="Afsnit 9"))
    with db.session() as session:
        assert AdmissionRepository(session).get(a.id or 0).ward == "Afsnit 8"


def test_centres_and_wards_are_kept_and_extended(database: Database) -> None:
    with database.session() as session:
        CentreRepository(session).save("Psykiatrisk Center Amager", ["Afsnit 1", "Afsnit 2"])
        CentreRepository(session).save("Psykiatrisk Center Ballerup", [])
    with database.session() as session:
        CentreRepository(session).save("Psykiatrisk Center Amager", ["Afsnit 2", "Afsnit 3"])
    with database.session() as session:
        assert CentreRepository(session).all() == {
            "Psykiatrisk Center Amager": ["Afsnit 1", "Afsnit 2", "Afsnit 3"],
            "Psykiatrisk Center Ballerup": [],
        }


def test_update_with_an_old_version_raises_conflict_across_sessions(database: Database) -> None:
    """A dialog read the patient at version 1, someone saved meanwhile: the dialog's save is refused."""
    with database.session() as session:
        added = PatientRepository(session).add(patient())
    read_by_dialog = added  # read at version 1
    assert read_by_dialog.version == 1
    with database.session() as session:
        PatientRepository(session).update(dataclasses.replace(added, phone="11"))
    with pytest.raises(ConflictError), database.session() as session:
        PatientRepository(session).update(dataclasses.replace(read_by_dialog, phone="22"))
    with database.session() as session:
        assert PatientRepository(session).get(added.id or 0).phone == "11"
