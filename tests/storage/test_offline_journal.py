"""The change journal of a laptop file (issue 19, ``storage.journal``), on SQLite and PostgreSQL wards: every change
made in the file through the services is journaled in its transaction, with the signed-in user as its author and the
value it had at check-out; the ward's own database journals nothing; a meeting made offline gets a reference the
ward never gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from helpers.offline import CONTACT, as_user, laptop_file, lend_a_case
from helpers.ward import service_context
from sqlalchemy import select

from coordinator_app.domain.meetings import MeetingContent
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.database import Database
from coordinator_app.storage.journal import JOURNAL, JOURNALED
from coordinator_app.storage.offline_copy import POLICY, Policy


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, user="koordinator.test")


def _journal(database: Database) -> list[Any]:
    with database.session() as session:
        return list(session.execute(select(JOURNAL).order_by(JOURNAL.c.id)).all())


def test_the_journaled_tables_are_those_a_laptop_file_carries_for_the_work() -> None:
    assert {name for name, p in POLICY.items() if p in (Policy.CASES, Policy.ALL)} == JOURNALED


def test_each_change_on_the_laptop_is_journaled_with_its_author_and_check_out_value(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        AdmissionService(mette).add_note(lent.admitted.admission_id, "Talt med bostøtten.")
        contacts = ContactService(mette)
        contacts.update(
            lent.contact.id or 0, dataclasses.replace(CONTACT, phone="99 88 77 66"), lent.contact.version or 0
        )
        meetings = MeetingService(mette)
        started = meetings.start(lent.meeting_id, before_planned_day=True)
        assert started.version is not None
        meetings.save_content(lent.meeting_id, MeetingContent(), expected_version=started.version)
        rows = _journal(laptop)
    assert {r.author for r in rows} == {mette.user} == {"Mhansen (mhansen)"} and {r.loan_id for r in rows} == {
        lent.loan.loan_id
    }
    note = [r for r in rows if r.table_name == "events" and r.action == "insert"]
    assert any(r.changes["note"] == [None, "Talt med bostøtten."] for r in note)
    (phone,) = [r for r in rows if r.table_name == "contacts"]
    assert phone.action == "update" and phone.row_key == str(lent.contact.id)
    assert phone.changes["phone"] == ["11 22 33 44", "99 88 77 66"]
    autosaves = [r for r in rows if r.table_name == "meetings" and "content" in r.changes]
    assert len(autosaves) == 1 and autosaves[0].row_key == str(lent.meeting_id)
    assert autosaves[0].changes["version"][1] == autosaves[0].changes["version"][0] + 1


def test_the_ward_journals_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    ContactService(ctx).update(
        lent.contact.id or 0, dataclasses.replace(CONTACT, phone="12 12 12 12"), lent.contact.version or 0
    )
    assert _journal(ctx.database) == []


def test_a_meeting_made_offline_has_a_reference_the_ward_never_gives(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        meetings = MeetingService(mette)
        ward_made = meetings.get(lent.meeting_id)
        made = meetings.schedule(
            ScheduleInput(
                lent.admitted.patient_id,
                lent.admitted.admission_id,
                ward_made.occasion,
                ward_made.invited_on,
                ward_made.planned_at,
            )
        )
    tag = lent.loan.loan_id[:6].upper()
    assert made.reference == f"NM-2026-{tag}-0001" and ward_made.reference == "NM-2026-0001"
