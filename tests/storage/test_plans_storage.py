"""Udskrivningsaftaler and koordinationsplaner in storage (migration 0006): the admission's plan facts, plans with
their content, optimistic locking, append-only versions and demo reload — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from storage_data import MOMENT, admission, patient
from storage_data import event as history_event

from coordinator_app.domain.discharge_plans import (
    DischargePlan,
    Offer,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    PlanStatus,
    PlanVersion,
    SentTo,
)
from coordinator_app.domain.errors import ConflictError, NotFoundError, StorageError
from coordinator_app.domain.meetings import Meeting, MeetingForm, Occasion, default_template
from coordinator_app.domain.model import Admission, ArchivedDocument, Patient, PlanFacts
from coordinator_app.storage.bulk import table_of
from coordinator_app.storage.database import Database
from coordinator_app.storage.orm import DischargePlanVersionRow
from coordinator_app.storage.plans import DischargePlanRepository
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    DocumentRepository,
    EventRepository,
    MeetingRepository,
    MeetingTemplateRepository,
    PatientRepository,
    bulk_load,
    clear_all,
    reset_sequences,
)

Admitted = tuple[Database, Patient, Admission]
COPENHAGEN_WINTER = timezone(timedelta(hours=1))
LATER = MOMENT + timedelta(hours=2)

CONTENT = PlanContent(
    parties=(
        Party(PartyRole.PATIENT, "Åse Ørsted-Æbelø"),
        Party(PartyRole.PSYKIATRI, "Rikke Fiktiv", "Psykiatrisk Center København, Afsnit 7", "12 34 56 01"),
        Party(
            PartyRole.KOMMUNE,
            "Kim Eksempel",
            "Københavns Kommune, Socialpsykiatrien",
            "12 34 56 02",
            "kim@kk.example.dk",
        ),
        Party(PartyRole.EGEN_LAEGE, "Lægehuset", email="laege@example.dk"),
    ),
    treatment_offers=(
        Offer("Ambulant opfølgning i distriktspsykiatrien", "Rikke Fiktiv", date(2026, 12, 7), "ugentligt «første»"),
        Offer("Depotmedicin", "Lægehuset"),
    ),
    social_offers=(Offer("Bostøtte (SEL § 85)", "Kim Eksempel", date(2026, 12, 1)),),
    wishes="Vil gerne bo i egen lejlighed.\nNy linje: æøå ÆØÅ – 💬",
    goals="Tilbage i arbejde",
    contact_person="Kim Eksempel, 12 34 56 02",
    reaction_who="Socialpsykiatrien",
    reaction_how="Opsøgende besøg inden for 2 hverdage",
    start=date(2026, 12, 1),
    end=date(2027, 5, 31),
    patient_agrees=True,
    patient_agreed_on=date(2026, 11, 27),
    sent_to=(
        SentTo("Lægehuset", date(2026, 11, 30), with_epikrise=True),
        SentTo("Københavns Kommune", date(2026, 11, 30)),
        SentTo("Pårørende"),
    ),
    note="Fiktiv testplan",
)


def _ids(p: Patient, a: Admission) -> tuple[int, int]:
    assert p.id is not None and a.id is not None
    return p.id, a.id


def _plan(p: Patient, a: Admission, **kw: object) -> DischargePlan:
    patient_id, admission_id = _ids(p, a)
    values: dict[str, object] = {"kind": PlanKind.UDSKRIVNINGSAFTALE, "content": CONTENT, **kw}
    return DischargePlan(id=None, admission_id=admission_id, patient_id=patient_id, **values)  # type: ignore[arg-type]


def _add(db: Database, plan: DischargePlan, *, at: datetime = MOMENT, action: str = "Oprettet") -> DischargePlan:
    with db.session() as session:
        return DischargePlanRepository(session).add(plan, saved_by="koordinator", at=at, action=action)


def _update(
    db: Database, plan: DischargePlan, action: str, *, at: datetime = LATER, by: str = "anden"
) -> DischargePlan:
    with db.session() as session:
        return DischargePlanRepository(session).update(plan, saved_by=by, at=at, action=action)


def _meeting(db: Database, p: Patient, a: Admission) -> Meeting:
    patient_id, admission_id = _ids(p, a)
    with db.session() as session:
        template = MeetingTemplateRepository(session).add(default_template(), created_by="t", at=MOMENT)
        meeting = Meeting(
            id=None, patient_id=patient_id, admission_id=admission_id, template=template,
            occasion=Occasion.UNDER_INDLAEGGELSE, invited_on=date(2026, 11, 23), reference="NM-2026-0001",
            planned_at=datetime(2026, 11, 25, 9, tzinfo=UTC), form=MeetingForm.FYSISK,
        )  # fmt: skip
        return MeetingRepository(session).add(meeting, created_by="t", at=MOMENT)


def _event_and_document(db: Database, a: Admission) -> tuple[int, int]:
    """A milestone-like event and the archived PDF issued with it (what putting a plan in force records)."""
    assert a.id is not None
    pdf = b"%PDF-1.7 udskrivningsaftale \x00\xff"
    with db.session() as session:
        noted = EventRepository(session).append(history_event(a.id, MOMENT, data={"end": "2027-05-31"}))
        assert noted.id is not None
        doc = DocumentRepository(session).add(
            ArchivedDocument(None, a.id, "udskrivningsaftale", "Udskrivningsaftale", MOMENT, "koordinator",
                             hashlib.sha256(pdf).hexdigest(), "v1", noted.id, pdf)
        )  # fmt: skip
    assert doc.id is not None
    return noted.id, doc.id


# -- the admission's facts -------------------------------------------------------------------------------------------
def test_plan_facts_and_planned_discharge_round_trip_on_the_admission(admitted: Admitted) -> None:
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    assert (a.plan_facts, a.planned_discharge) == (PlanFacts(), None)  # the defaults of a plain admission
    facts = PlanFacts(afsnit_v_support=True, wont_seek_help=False, refuses_participation=True)
    with db.session() as session:
        added = AdmissionRepository(session).add(
            admission(patient_id, admitted=date(2026, 11, 10), plan_facts=facts, planned_discharge=date(2026, 12, 4))
        )
    assert (added.plan_facts, added.planned_discharge) == (facts, date(2026, 12, 4))
    assert added.id is not None
    with db.session() as session:
        repo = AdmissionRepository(session)
        assert repo.get(added.id) == added
        assert repo.get_many([added.id, admission_id]) == {added.id: added, admission_id: a}
        assert repo.for_patient(patient_id) == [a, added]

    other = PlanFacts(afsnit_v_support=False, wont_seek_help=True, refuses_participation=False)
    with db.session() as session:
        changed = AdmissionRepository(session).update(
            dataclasses.replace(added, plan_facts=other, planned_discharge=None)
        )
    assert (changed.plan_facts, changed.planned_discharge, changed.version) == (other, None, 2)
    with db.session() as session:
        assert AdmissionRepository(session).get_many([added.id])[added.id] == changed
    with pytest.raises(ConflictError), db.session() as session:  # the facts are guarded like every other field
        AdmissionRepository(session).update(dataclasses.replace(added, plan_facts=PlanFacts()))
    with db.session() as session:
        assert AdmissionRepository(session).get(added.id).plan_facts == other


def test_bulk_load_writes_the_plan_facts(seeded: Database) -> None:
    facts = PlanFacts(wont_seek_help=True)
    with seeded.session() as session:
        bulk_load(
            session,
            patients=[dataclasses.replace(patient(), id=1)],
            admissions=[
                dataclasses.replace(admission(1), id=1, plan_facts=facts, planned_discharge=date(2026, 12, 4)),
                dataclasses.replace(admission(1, admitted=date(2026, 1, 5), discharged=date(2026, 2, 1)), id=2),
            ],
        )
    with seeded.session() as session:
        got = AdmissionRepository(session).get_many([1, 2])
    assert (got[1].plan_facts, got[1].planned_discharge) == (facts, date(2026, 12, 4))
    assert (got[2].plan_facts, got[2].planned_discharge) == (PlanFacts(), None)


# -- plans -----------------------------------------------------------------------------------------------------------
def test_a_full_plan_round_trips_with_its_first_version(admitted: Admitted) -> None:
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    added = _add(db, _plan(p, a, created_by=""), at=MOMENT.astimezone(COPENHAGEN_WINTER))
    assert added.id is not None and added.version == 1
    assert added == dataclasses.replace(_plan(p, a), id=added.id, created_by="koordinator", version=1)
    with db.session() as session:
        repo = DischargePlanRepository(session)
        got = repo.get(added.id)
        assert got == added and got.content == CONTENT
        assert got.content.sent_to[0] == SentTo("Lægehuset", date(2026, 11, 30), True)
        assert got.content.treatment_offers[0].from_date == date(2026, 12, 7)
        assert repo.for_admission(admission_id) == [added]
        assert repo.for_patient(patient_id) == [added]
        versions = repo.versions(added.id)
    assert versions == [PlanVersion(1, MOMENT, "koordinator", PlanStatus.KLADDE, CONTENT, "Oprettet")]
    assert versions[0].saved_at.tzinfo is UTC

    empty = _add(db, _plan(p, a, kind=PlanKind.KOORDINATIONSPLAN, content=PlanContent(), created_by="Rikke"))
    assert (empty.kind, empty.content, empty.created_by) == (PlanKind.KOORDINATIONSPLAN, PlanContent(), "Rikke")
    with db.session() as session:
        assert DischargePlanRepository(session).for_patient(patient_id) == [added, empty]  # oldest first


def test_each_update_writes_every_field_and_appends_the_next_version(admitted: Admitted) -> None:
    db, p, a = admitted
    _, admission_id = _ids(p, a)
    meeting = _meeting(db, p, a)
    event_id, document_id = _event_and_document(db, a)
    draft = _add(db, _plan(p, a, content=PlanContent(wishes="Første udkast")))
    assert draft.id is not None

    saved = _update(db, dataclasses.replace(draft, content=CONTENT, source_meeting_id=meeting.id), "Gemt")
    assert (saved.version, saved.content, saved.source_meeting_id) == (2, CONTENT, meeting.id)
    in_force = _update(
        db,
        dataclasses.replace(
            saved,
            status=PlanStatus.I_KRAFT,
            activated_on=date(2026, 11, 27),
            event_id=event_id,
            document_id=document_id,
        ),
        "Sat i kraft",
    )
    ended = _update(
        db,
        dataclasses.replace(
            in_force, status=PlanStatus.AFSLUTTET, ended_on=date(2027, 1, 15), ended_reason="Erstattet af ny plan"
        ),
        "Afsluttet: Erstattet af ny plan",
        at=LATER + timedelta(days=1),
        by="tredje",
    )
    assert ended == dataclasses.replace(
        _plan(p, a),
        id=draft.id,
        status=PlanStatus.AFSLUTTET,
        source_meeting_id=meeting.id,
        created_by="koordinator",
        activated_on=date(2026, 11, 27),
        ended_on=date(2027, 1, 15),
        ended_reason="Erstattet af ny plan",
        event_id=event_id,
        document_id=document_id,
        version=4,
    )
    with db.session() as session:
        repo = DischargePlanRepository(session)
        assert repo.get(draft.id) == ended
        assert repo.for_admission(admission_id) == [ended]
        versions = repo.versions(draft.id)
    assert [(v.number, v.status, v.action, v.saved_by) for v in versions] == [
        (1, PlanStatus.KLADDE, "Oprettet", "koordinator"),
        (2, PlanStatus.KLADDE, "Gemt", "anden"),
        (3, PlanStatus.I_KRAFT, "Sat i kraft", "anden"),
        (4, PlanStatus.AFSLUTTET, "Afsluttet: Erstattet af ny plan", "tredje"),
    ]
    assert [v.content for v in versions] == [PlanContent(wishes="Første udkast"), CONTENT, CONTENT, CONTENT]
    assert [v.saved_at for v in versions] == [MOMENT, LATER, LATER, LATER + timedelta(days=1)]

    # A second plan's versions are numbered on their own; a save that changes nothing still moves the version on.
    other = _add(db, _plan(p, a, kind=PlanKind.KOORDINATIONSPLAN))
    assert other.id is not None
    same = _update(db, other, "Gemt", at=MOMENT, by="koordinator")
    same = _update(db, same, "Gemt", at=MOMENT, by="koordinator")
    assert same == dataclasses.replace(other, version=3)
    with db.session() as session:
        assert [v.number for v in DischargePlanRepository(session).versions(other.id)] == [1, 2, 3]
        assert DischargePlanRepository(session).versions(9999) == []


def test_a_stale_update_is_a_conflict_and_writes_nothing(admitted: Admitted) -> None:
    db, p, a = admitted
    plan = _add(db, _plan(p, a))
    assert plan.id is not None
    first = _update(db, dataclasses.replace(plan, content=PlanContent(goals="Ny")), "Gemt")
    assert first.version == 2
    for stale in (plan, dataclasses.replace(plan, version=None), dataclasses.replace(plan, version=3)):
        with pytest.raises(ConflictError, match="En anden bruger har ændret"), db.session() as session:
            DischargePlanRepository(session).update(
                dataclasses.replace(stale, status=PlanStatus.I_KRAFT), saved_by="x", at=LATER, action="Sat i kraft"
            )
    with db.session() as session:
        repo = DischargePlanRepository(session)
        assert repo.get(plan.id) == first
        assert [v.number for v in repo.versions(plan.id)] == [1, 2]

    # Read in one session, saved by another user in between: the first session's save is refused.
    with db.session() as session:
        mine = DischargePlanRepository(session).get(plan.id)
    _update(db, dataclasses.replace(mine, ended_reason="Den andens ændring"), "Gemt")
    with pytest.raises(ConflictError), db.session() as session:
        DischargePlanRepository(session).update(mine, saved_by="x", at=LATER, action="Gemt")
    with db.session() as session:
        assert DischargePlanRepository(session).get(plan.id).ended_reason == "Den andens ændring"
        assert len(DischargePlanRepository(session).versions(plan.id)) == 3


def test_a_save_committed_between_the_check_and_the_write_is_not_overwritten(admitted: Admitted) -> None:
    """Another coordinator saves after ``update`` compared the versions but before its UPDATE: the UPDATE …
    WHERE version = ? finds nothing (PostgreSQL) or SQLite refuses the stale snapshot: ``ConflictError``."""
    db, p, a = admitted
    plan = _add(db, _plan(p, a))
    assert plan.id is not None
    saved: list[DischargePlan] = []

    def other_user_saves(_session: Session, *_args: object) -> None:
        if not saved:
            saved.append(_update(db, dataclasses.replace(plan, ended_reason="Den andens ændring"), "Gemt"))

    with pytest.raises(StorageError) as info, db.session() as session:
        event.listen(session, "before_flush", other_user_saves)
        DischargePlanRepository(session).update(
            dataclasses.replace(plan, status=PlanStatus.I_KRAFT), saved_by="x", at=LATER, action="Sat i kraft"
        )
    # Both backends say it in the same words: someone else changed it (SQLite: SQLITE_BUSY_SNAPSHOT in WAL).
    assert isinstance(info.value, ConflictError), info.value
    with db.session() as session:
        assert DischargePlanRepository(session).get(plan.id) == saved[0]
        assert [v.action for v in DischargePlanRepository(session).versions(plan.id)] == ["Oprettet", "Gemt"]


def test_missing_plans_bad_moments_and_identity_changes_are_refused(admitted: Admitted) -> None:
    db, p, a = admitted
    plan = _add(db, _plan(p, a))
    with db.session() as session:
        repo = DischargePlanRepository(session)
        with pytest.raises(NotFoundError, match=r"\(nr\. 4242\) findes ikke"):
            repo.get(4242)
        with pytest.raises(NotFoundError, match=r"\(nr\. 4242\) findes ikke"):
            repo.update(dataclasses.replace(plan, id=4242), saved_by="x", at=LATER, action="Gemt")
        with pytest.raises(ValueError, match="needs a plan with an id"):
            repo.update(dataclasses.replace(plan, id=None), saved_by="x", at=LATER, action="Gemt")
        with pytest.raises(ValueError, match="cannot be changed"):
            repo.update(
                dataclasses.replace(plan, kind=PlanKind.KOORDINATIONSPLAN), saved_by="x", at=LATER, action="Gemt"
            )
        with pytest.raises(ValueError, match="timezone-aware"):
            repo.add(_plan(p, a), saved_by="x", at=MOMENT.replace(tzinfo=None), action="Oprettet")
        with pytest.raises(ValueError, match="timezone-aware"):
            repo.update(plan, saved_by="x", at=LATER.replace(tzinfo=None), action="Gemt")
    with pytest.raises(StorageError) as info:  # the admission must exist (foreign key, both backends)
        _add(db, dataclasses.replace(_plan(p, a), admission_id=4242))
    assert isinstance(info.value.__cause__, IntegrityError)
    with db.session() as session:
        assert [v.number for v in DischargePlanRepository(session).versions(plan.id or 0)] == [1]


# -- versions are append-only ----------------------------------------------------------------------------------------
def _version_row(session: Session, plan_id: int) -> DischargePlanVersionRow:
    return session.scalars(select(DischargePlanVersionRow).filter_by(plan_id=plan_id, number=1)).one()


def _change_action(session: Session, plan_id: int) -> None:
    _version_row(session, plan_id).action = "Omskrevet"
    session.flush()


def _change_content(session: Session, plan_id: int) -> None:
    _version_row(session, plan_id).content = {"wishes": "forfalsket"}
    session.flush()


def _delete_row(session: Session, plan_id: int) -> None:
    session.delete(_version_row(session, plan_id))
    session.flush()


def _bulk_update(session: Session, plan_id: int) -> None:
    session.execute(
        update(DischargePlanVersionRow).where(DischargePlanVersionRow.plan_id == plan_id).values(action="Omskrevet")
    )


def _bulk_delete(session: Session, plan_id: int) -> None:
    session.execute(delete(DischargePlanVersionRow).where(DischargePlanVersionRow.plan_id == plan_id))


def _core_delete(session: Session, plan_id: int) -> None:
    table = table_of(DischargePlanVersionRow)
    session.execute(delete(table).where(table.c.plan_id == plan_id))


CHANGES: dict[str, Callable[[Session, int], None]] = {
    "update action": _change_action,
    "update content": _change_content,
    "delete": _delete_row,
    "ORM bulk update": _bulk_update,
    "ORM bulk delete": _bulk_delete,
    "Core delete through the session": _core_delete,
}


def test_plan_versions_cannot_be_changed_or_deleted(admitted: Admitted) -> None:
    """Every way the ORM offers is refused, and the transaction's other writes roll back with it."""
    db, p, a = admitted
    plan = _add(db, _plan(p, a))
    assert plan.id is not None
    for how, change in CHANGES.items():
        try:
            with db.session() as session:
                DischargePlanRepository(session).update(plan, saved_by="x", at=LATER, action="Gemt")  # written first
                change(session, plan.id)
        except RuntimeError as exc:
            assert "append-only" in str(exc), how
        else:
            pytest.fail(f"{how}: a plan version was changed")
    with db.session() as session:
        repo = DischargePlanRepository(session)
        assert repo.get(plan.id) == plan  # nothing half-written
        assert repo.versions(plan.id) == [PlanVersion(1, MOMENT, "koordinator", PlanStatus.KLADDE, CONTENT, "Oprettet")]
    with pytest.raises(StorageError) as info, db.session() as session:  # one number per plan
        session.add(
            DischargePlanVersionRow(
                plan_id=plan.id, number=1, saved_at=LATER, saved_by="x", status="kladde", action="", content={}
            )
        )
    assert isinstance(info.value.__cause__, IntegrityError)


# -- demo reload -----------------------------------------------------------------------------------------------------
def test_clear_all_removes_plans_and_their_versions(admitted: Admitted) -> None:
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    meeting = _meeting(db, p, a)
    event_id, document_id = _event_and_document(db, a)
    plan = _add(db, _plan(p, a, source_meeting_id=meeting.id, event_id=event_id, document_id=document_id))
    assert plan.id is not None
    _update(db, dataclasses.replace(plan, status=PlanStatus.I_KRAFT), "Sat i kraft")
    db.set_meta("demo", "1")  # issue 18: clear_all refuses a database with patients that is not a demo
    with db.session() as session:
        clear_all(session)
    with db.session() as session:
        repo = DischargePlanRepository(session)
        assert repo.for_patient(patient_id) == [] and repo.for_admission(admission_id) == []
        assert repo.versions(plan.id) == []
        with pytest.raises(NotFoundError):
            repo.get(plan.id)
        assert session.scalar(select(func.count()).select_from(DischargePlanVersionRow)) == 0
        reset_sequences(session)
    with db.session() as session:  # ids carry on after a reload, without colliding
        again = PatientRepository(session).add(patient())
        assert again.id is not None
        stay = AdmissionRepository(session).add(admission(again.id))
        assert stay.id is not None
    fresh = _add(db, _plan(again, stay))
    assert fresh.id is not None
    with db.session() as session:
        assert [v.number for v in DischargePlanRepository(session).versions(fresh.id)] == [1]
