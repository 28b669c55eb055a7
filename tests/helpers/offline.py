"""Laptop files for the offline tests (issue 19): a ward with a case and a Kontaktbog entry, checked out to a laptop
file, and a context on that file for a named user — so a test does a day's offline work through the services."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Table, select

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.discharge_plans import PlanKind
from coordinator_app.domain.meetings import MeetingContent, Occasion
from coordinator_app.domain.model import Contact, Sector
from coordinator_app.domain.offline import Loan
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.consent import ConsentService
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.plans import PlanService
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.journal import JOURNALED, plain
from coordinator_app.storage.orm import AuditRow, Base
from helpers.plans import completed
from helpers.ward import Admitted, admit, assess, record_consent, send_varsling

#: The laptop file's passphrase in these tests.
PASSPHRASE = "Bærbar-3-offline"
LAPTOP = "Bærbar 3"
#: The Kontaktbog entry both sides may edit.
CONTACT = ContactInput(
    name="Aarhus Kommune", organisation="Socialafdelingen", sector=Sector.KOMMUNE, phone="11 22 33 44"
)


class Lent(NamedTuple):
    admitted: Admitted
    meeting_id: int  # a meeting planned on the ward before check-out
    contact: Contact
    loan: Loan
    path: Path


def as_user(ctx: ServiceContext, database: Database, username: str, role: Role = Role.KOORDINATOR) -> ServiceContext:
    """A context on ``database`` for ``username`` (signed in with ``role``), on ``ctx``'s clock and calendar."""
    principal = Principal(username=username, role=role, full_name=username.title())
    return ServiceContext(
        database=database, clock=ctx.clock, calendar=ctx.calendar, rules=ctx.rules, principal=principal
    )


def lend_a_case(
    ctx: ServiceContext,
    folder: Path,
    *,
    name: str = "offline.kdb",
    before: Callable[[ServiceContext, Admitted], object] | None = None,
) -> Lent:
    """Testa Fiktivsen admitted with a consent and a planned meeting, a Kontaktbog entry, and her admission checked out
    to a new laptop file in ``folder``; ``before(ctx, admitted)`` runs on the ward just before the check-out."""
    admitted = admit(ctx)
    record_consent(ctx, admitted)
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(
            admitted.patient_id,
            admitted.admission_id,
            Occasion.UNDER_INDLAEGGELSE,
            date(2026, 11, 23),
            datetime(2026, 11, 26, 10, tzinfo=COPENHAGEN),
        )
    )
    assert meeting.id is not None
    contact = ContactService(ctx).add(CONTACT)
    if before is not None:
        before(ctx, admitted)
    result = offline.check_out(ctx, [admitted.admission_id], folder / name, PASSPHRASE, laptop=LAPTOP)
    return Lent(admitted, meeting.id, contact, result.loan, result.path)


@contextmanager
def laptop_file(path: Path) -> Iterator[Database]:
    """The laptop file opened as the program opens it offline."""
    database = open_database(path, passphrase=PASSPHRASE, must_exist=True)
    try:
        yield database
    finally:
        database.dispose()


def offline_day(ctx: ServiceContext, lent: Lent) -> dict[str, Any]:
    """A day's work on the laptop file as Mette Hansen: a note, a varsling, a meeting scheduled, autosaved, closed
    and its referat issued, the meeting planned on the ward started and autosaved, a plan drawn from the new meeting
    and put in force (its PDF archived), a consent recorded and withdrawn, and a Kontaktbog edit. What the laptop
    made, by its file ids."""
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        admission = lent.admitted.admission_id
        AdmissionService(mette).add_note(admission, "Talt med bostøtten om udskrivelsen.")
        assess(mette, lent.admitted, scenario=2, b5=True, expected=date(2026, 12, 4))
        send_varsling(mette, lent.admitted)
        meetings = MeetingService(mette)
        meeting = meetings.schedule(
            ScheduleInput(
                lent.admitted.patient_id,
                admission,
                Occasion.UNDER_INDLAEGGELSE,
                date(2026, 11, 23),
                datetime(2026, 11, 24, 13, tzinfo=COPENHAGEN),
                place="Botilbuddet Solgården",
            )
        )
        assert meeting.id is not None
        started = meetings.start(meeting.id, before_planned_day=True)
        assert started.version is not None
        saved = meetings.save_content(
            meeting.id, MeetingContent(texts={"formaal": "Udskrivelse til botilbud"}), expected_version=started.version
        )
        assert saved.version is not None
        meetings.close(meeting.id, expected_version=saved.version)
        referat = meetings.issue_referat(meeting.id)
        planned = meetings.start(lent.meeting_id, before_planned_day=True)  # the ward's meeting, held offline
        assert planned.version is not None
        held = MeetingContent(texts={"formaal": "Planlagt på afsnittet"})
        meetings.save_content(lent.meeting_id, held, expected_version=planned.version)
        plans = PlanService(mette)
        plan = plans.create(admission, PlanKind.UDSKRIVNINGSAFTALE, from_meeting_id=meeting.id)
        assert plan.id is not None and plan.version is not None
        plan, _issued = plans.activate(plan.id, completed(plan.content), expected_version=plan.version)  # + its PDF
        consents = ConsentService(mette)
        record_consent(mette, lent.admitted, given_to="Bostøtten i Solgården")
        given = consents.for_patient(lent.admitted.patient_id)[-1]
        assert given.id is not None
        consents.withdraw(given.id)  # the withdrawal is a Core UPDATE: journaled on its own
        ContactService(mette).update(
            lent.contact.id or 0, dataclasses.replace(CONTACT, phone="99 88 77 66"), lent.contact.version or 0
        )
        with laptop.session() as session:
            laptop_audit = len(session.execute(select(AuditRow.seq)).all())
        return {
            "user": mette.user,
            "meeting": meeting,
            "referat": referat,
            "plan": plan,
            "audit": laptop_audit,
        }


def rows_on(database: Database, table: Table) -> list[dict[str, Any]]:
    with database.session() as session:
        return [dict(r) for r in session.execute(select(table)).mappings()]


def assert_everything_arrived(laptop: Database, ward: Database, id_map: Mapping[tuple[str, str], str]) -> None:
    """Every row of every journaled table in the laptop file is on the ward after check-in, value for value (its id
    and its references translated through ``id_map``; ``version`` aside, the ward counts its own): a write the
    journal missed fails here."""
    for table in Base.metadata.sorted_tables:
        if table.name not in JOURNALED:
            continue
        (pk,) = table.primary_key.columns
        references = {c.name: fk.column.table.name for c in table.columns for fk in c.foreign_keys}
        ward_rows = {str(r[pk.name]): r for r in rows_on(ward, table)}
        for row in rows_on(laptop, table):
            expected = dict(row)
            expected[pk.name] = id_map.get((table.name, str(row[pk.name])), row[pk.name])
            for column, target in references.items():
                if row[column] is not None:
                    expected[column] = id_map.get((target, str(row[column])), row[column])
            arrived = ward_rows.get(str(expected[pk.name]))
            assert arrived is not None, f"{table.name} {row[pk.name]} did not arrive"
            differs = {
                c: (plain(expected[c]), plain(arrived[c]))
                for c in expected
                if c != "version" and str(plain(expected[c])) != str(plain(arrived[c]))
            }
            assert not differs, f"{table.name} {row[pk.name]}: laptop ≠ ward in {differs}"
