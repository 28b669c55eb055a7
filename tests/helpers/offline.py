"""Laptop files for the offline tests (issue 19): a ward with a case and a Kontaktbog entry, checked out to a laptop
file, and a context on that file for a named user — so a test does a day's offline work through the services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.meetings import Occasion
from coordinator_app.domain.model import Contact, Sector
from coordinator_app.domain.offline import Loan
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.services import offline
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.database import Database, open_database
from helpers.ward import Admitted, admit, record_consent

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


def lend_a_case(ctx: ServiceContext, folder: Path, *, name: str = "offline.kdb") -> Lent:
    """Testa Fiktivsen admitted with a consent and a planned meeting, a Kontaktbog entry, and her admission checked out
    to a new laptop file in ``folder``."""
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
