"""Netværksmøder in storage (migration 0003): the JSON codec, immutable template versions, optimistic locking,
autosave as one statement, demo reload and the upgrade of an existing database — both backends."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from helpers.databases import migrate_to, revision_and_tables
from sqlalchemy import event, update
from sqlalchemy.exc import IntegrityError
from storage_data import MOMENT

from coordinator_app.domain.errors import ConflictError, NotFoundError, StorageError, ValidationError
from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    Inviter,
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    MeetingTemplate,
    Occasion,
    Participant,
    SectionKind,
    TemplateSection,
    default_template,
)
from coordinator_app.domain.model import Admission, Patient, Sector
from coordinator_app.storage import migrate
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.meeting_codec import (
    content_from_json,
    content_to_json,
    sections_from_json,
    sections_to_json,
)
from coordinator_app.storage.orm import MeetingRow, MeetingTemplateRow
from coordinator_app.storage.repositories import (
    MeetingRepository,
    MeetingTemplateRepository,
    clear_all,
    reset_sequences,
)

Admitted = tuple[Database, Patient, Admission]

CONTENT = MeetingContent(
    texts={"formaal": "Dagsorden: æøå ÆØÅ «» – 💬", "behandling": "Uændret medicin.\nNy linje."},
    participants=(
        Participant("k", "Kim", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler", "3333", "kim@kk.example.dk"),
        Participant("r", "Rikke", "PC", Sector.REGION, health_professional=True, present=False),
    ),
    leader_key="r",
    referent_key="k",
    tovholder_key=None,
    agreements=(
        AgreementItem("a", "Bostøtte", "k", date(2026, 12, 4)),
        AgreementItem("b", "Epikrise", None, None, AgreementStatus.UDFOERT),
    ),
    follow_up=FollowUp(True, date(2027, 1, 5), "k"),
    invited_by=Inviter("Kåre Prøvesen", "Psykiatrisk Center Testrup, afsnit P3"),
    agenda_with_patient=True,
)


def _template(db: Database, template: MeetingTemplate | None = None) -> MeetingTemplate:
    with db.session() as session:
        return MeetingTemplateRepository(session).add(template or default_template(), created_by="t", at=MOMENT)


def _meeting(
    db: Database, p: Patient, a: Admission, template: MeetingTemplate, reference: str = "NM-2026-0001"
) -> Meeting:
    assert p.id is not None
    meeting = Meeting(
        id=None, patient_id=p.id, admission_id=a.id, template=template, occasion=Occasion.UNDER_INDLAEGGELSE,
        invited_on=date(2026, 11, 23), reference=reference, planned_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
        form=MeetingForm.BLANDET, place="Mødelokale 2",
    )  # fmt: skip
    with db.session() as session:
        return MeetingRepository(session).add(meeting, created_by="t", at=MOMENT)


# -- codec ------------------------------------------------------------------------------------------------------
def test_content_and_sections_round_trip_through_json() -> None:
    assert content_from_json(content_to_json(CONTENT)) == CONTENT
    assert content_from_json(content_to_json(MeetingContent())) == MeetingContent()
    assert content_from_json({}) == MeetingContent()
    sections = default_template().sections
    assert sections_from_json(sections_to_json(sections)) == sections
    as_json = content_to_json(CONTENT)
    assert as_json["agreements"][0]["deadline"] == "2026-12-04"
    assert as_json["participants"][0]["sector"] == "kommune"
    assert as_json["invited_by"] == {"name": "Kåre Prøvesen", "organisation": "Psykiatrisk Center Testrup, afsnit P3"}
    assert as_json["agenda_with_patient"] is True


def test_the_codec_reads_older_and_newer_shapes_leniently() -> None:
    content = content_from_json(
        {
            "texts": {"formaal": "x"},
            "participants": [{"key": "a", "name": "A", "sector": "ukendt", "future_field": 1}],
            "agreements": [{"key": "b", "what": "B", "deadline": "", "status": "?"}],
            "follow_up": {"needed": "ja"},
            "something_new": [],
        }
    )
    assert content.participants[0].sector is Sector.ANDET and content.participants[0].present
    assert content.agreements[0].deadline is None and content.agreements[0].status is AgreementStatus.AABEN
    assert content.follow_up == FollowUp()
    # A meeting saved before who invited and the agenda's preparation were recorded: "not recorded".
    assert content.invited_by == Inviter() and not content.invited_by.known
    assert content.agenda_with_patient is None
    odd = content_from_json({"invited_by": "Kim", "agenda_with_patient": "ja"})
    assert odd.invited_by == Inviter() and odd.agenda_with_patient is None


# -- templates -----------------------------------------------------------------------------------------------------
def test_template_versions_are_immutable_and_unique(admitted: Admitted) -> None:
    db, _, _ = admitted
    v1 = _template(db)
    v2 = _template(db, dataclasses.replace(default_template(), version=2, sections=v1.sections[:2]))
    with db.session() as session:
        templates = MeetingTemplateRepository(session)
        assert [t.version for t in templates.versions(v1.name)] == [1, 2]
        assert templates.latest() == v2 and templates.max_version(v1.name) == 2
        assert templates.get(v1.id or 0).sections == default_template().sections
    with pytest.raises(RuntimeError, match="immutable"), db.session() as session:
        row = session.get(MeetingTemplateRow, v1.id)
        assert row is not None
        row.name = "Ændret"
    with pytest.raises(RuntimeError, match="immutable"), db.session() as session:
        session.delete(session.get(MeetingTemplateRow, v1.id))
    with pytest.raises(StorageError) as info, db.session() as session:
        MeetingTemplateRepository(session).add(default_template(), created_by="t", at=MOMENT)
    assert isinstance(info.value.__cause__, IntegrityError)


# -- meetings ---------------------------------------------------------------------------------------------------------
def test_a_meeting_round_trips_and_keeps_its_template_version(admitted: Admitted) -> None:
    db, p, a = admitted
    v1 = _template(db)
    added = _meeting(db, p, a, v1)
    _template(db, dataclasses.replace(default_template(), version=2, sections=(
        TemplateSection("x", SectionKind.TEXT, "Kun i v2", ""),
    )))  # fmt: skip
    with db.session() as session:
        got = MeetingRepository(session).get(added.id or 0)
    assert got == added
    assert got.template == v1 and got.version == 1 and got.status is MeetingStatus.PLANLAGT
    assert got.planned_at == datetime(2026, 11, 25, 9, tzinfo=UTC) and got.updated_at == MOMENT
    with db.session() as session:
        assert MeetingRepository(session).for_admission(a.id or 0) == [added]
        assert MeetingRepository(session).for_patient(p.id or 0) == [added]
        assert MeetingRepository(session).active() == [added]
        with pytest.raises(NotFoundError):
            MeetingRepository(session).get(999)


def test_a_stale_update_is_a_conflict(admitted: Admitted) -> None:
    db, p, a = admitted
    meeting = _meeting(db, p, a, _template(db))
    later = datetime(2026, 11, 23, 10, tzinfo=UTC)
    with db.session() as session:
        first = MeetingRepository(session).update(dataclasses.replace(meeting, place="Lokale 3"), at=later)
    assert (first.version, first.updated_at) == (2, later)
    with pytest.raises(ConflictError), db.session() as session:
        MeetingRepository(session).update(dataclasses.replace(meeting, place="Lokale 4"), at=later)
    with db.session() as session:
        assert MeetingRepository(session).get(meeting.id or 0).place == "Lokale 3"


def test_autosave_is_one_statement_on_the_meetings_table(admitted: Admitted) -> None:
    db, p, a = admitted
    meeting = _meeting(db, p, a, _template(db))
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.session() as session:
            saved = MeetingRepository(session).save_content(meeting.id or 0, CONTENT, expected_version=1, at=MOMENT)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    statements = [s for s in seen if s.strip().upper() not in ("BEGIN", "COMMIT")]
    if db.dialect == "postgresql":  # issue 19: first wait for a check-out running now (storage.loans)
        assert statements[0] == "LOCK TABLE loans IN ROW EXCLUSIVE MODE", statements
        statements = statements[1:]
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("UPDATE MEETINGS")
    assert (saved.version, saved.content) == (2, CONTENT)

    with pytest.raises(ConflictError), db.session() as session:
        MeetingRepository(session).save_content(meeting.id or 0, MeetingContent(), expected_version=1, at=MOMENT)
    with pytest.raises(NotFoundError), db.session() as session:
        MeetingRepository(session).save_content(999, MeetingContent(), expected_version=1, at=MOMENT)
    with db.session() as session:
        closed = MeetingRepository(session).update(
            dataclasses.replace(saved, status=MeetingStatus.AFSLUTTET), at=MOMENT
        )
    with pytest.raises(ValidationError, match="afsluttet"), db.session() as session:
        MeetingRepository(session).save_content(
            meeting.id or 0, MeetingContent(), expected_version=closed.version or 0, at=MOMENT
        )
    with db.session() as session:
        assert MeetingRepository(session).get(meeting.id or 0).content == CONTENT


def test_recipients_do_not_move_the_version(admitted: Admitted) -> None:
    db, p, a = admitted
    meeting = _meeting(db, p, a, _template(db))
    with db.session() as session:
        MeetingRepository(session).set_recipients(meeting.id or 0, [{"name": "GP", "address": "gp@x.example.dk"}])
    with db.session() as session:
        repo = MeetingRepository(session)
        assert repo.recipients(meeting.id or 0) == [{"name": "GP", "address": "gp@x.example.dk"}]
        assert repo.get(meeting.id or 0).version == 1
        with pytest.raises(NotFoundError):
            repo.set_recipients(999, [])


def test_references_are_unique(admitted: Admitted) -> None:
    db, p, a = admitted
    template = _template(db)
    _meeting(db, p, a, template)
    with pytest.raises(StorageError) as info:
        _meeting(db, p, a, template)
    assert isinstance(info.value.__cause__, IntegrityError)
    with db.session() as session:
        assert MeetingRepository(session).references("NM-2026-") == ["NM-2026-0001"]


def test_clear_all_removes_meetings_and_follow_ups_but_keeps_templates(admitted: Admitted) -> None:
    db, p, a = admitted
    template = _template(db)
    first = _meeting(db, p, a, template)
    follow = _meeting(db, p, a, template, "NM-2026-0002")
    with db.session() as session:
        session.execute(update(MeetingRow).where(MeetingRow.id == follow.id).values(follow_up_of=first.id))
    db.set_meta("demo", "1")  # issue 18: clear_all refuses a database with patients that is not a demo
    with db.session() as session:
        clear_all(session)
    with db.session() as session:
        assert MeetingRepository(session).for_patient(p.id or 0) == []
        assert MeetingTemplateRepository(session).latest() == template
        reset_sequences(session)


# -- the upgrade ----------------------------------------------------------------------------------------------
def test_a_0002_database_is_upgraded_to_0003_and_back(empty_db_url: str) -> None:
    migrate_to(empty_db_url, "0002")
    open_database(empty_db_url).dispose()  # the new Koordinator opens it
    revision, tables = revision_and_tables(empty_db_url)
    assert revision == migrate.head_revision()
    assert {"meetings", "meeting_templates"} <= tables
    migrate_to(empty_db_url, "0002", down=True)
    assert "meetings" not in revision_and_tables(empty_db_url)[1]
