"""Hypothesis-generated interleavings of ward and laptop edits (issue 19), on SQLite and PostgreSQL wards: no value
is lost unless it was shown as a conflict.

Each example lends Testa Fiktivsen's admission again (the ward's database lives across the examples; each check-in
ends the loan) with two fresh Kontaktbog entries, then runs a generated list of edits — a contact's phone, role or
note on the ward or on the laptop, and, after a revoke, the meeting's place on either side — and checks in, deciding
each conflict by a generated side. Expected, per field: a conflict exactly where both sides changed it (net, since
check-out) to different values; afterwards the laptop's value where only the laptop changed it or a person chose it,
else the ward's.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from helpers.offline import CONTACT, LAPTOP, PASSPHRASE, as_user, laptop_file
from helpers.ward import admit, record_consent, service_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator_app.domain.access import Role
from coordinator_app.domain.meetings import Occasion
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.services import offline
from coordinator_app.services.audit import AuditService
from coordinator_app.services.checkin import check_in
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.database import Database

FIELDS = ("phone", "role", "note")
VALUES = st.sampled_from(["1", "2", "3"])
CONTACT_EDIT = st.tuples(st.sampled_from(["ward", "laptop"]), st.sampled_from([0, 1]), st.sampled_from(FIELDS), VALUES)
PLACE_EDIT = st.tuples(st.sampled_from(["ward", "laptop"]), st.just(-1), st.just("place"), VALUES)
EXAMPLES = {"sqlite": 12, "postgresql": 8}


def _contact_field(ctx: ServiceContext, contact_id: int, field: str, value: str) -> None:
    contacts = ContactService(ctx)
    current = contacts.get(contact_id)
    typed = f"11 22 33 4{value}" if field == "phone" else f"{field} {value}"
    fields = {"phone": current.phone, "role": current.role, "note": current.note, field: typed}
    data = dataclasses.replace(CONTACT, phone=fields["phone"], role=fields["role"], note=fields["note"])
    contacts.update(contact_id, data, current.version or 0)


def _place(ctx: ServiceContext, meeting_id: int, value: str) -> None:
    meetings = MeetingService(ctx)
    m = meetings.get(meeting_id)
    data = ScheduleInput(m.patient_id, m.admission_id, m.occasion, m.invited_on, m.planned_at, place=f"Sted {value}")
    meetings.update_schedule(meeting_id, data, expected_version=m.version or 0)


def _values(ctx: ServiceContext, contacts: list[int], meeting_id: int) -> dict[tuple[int, str], str]:
    out: dict[tuple[int, str], str] = {}
    for i, contact_id in enumerate(contacts):
        contact = ContactService(ctx).get(contact_id)
        for field in FIELDS:
            out[(i, field)] = getattr(contact, field)
    out[(-1, "place")] = MeetingService(ctx).get(meeting_id).place
    return out


@pytest.mark.slow
def test_no_value_is_lost_unless_it_was_shown_as_a_conflict(database: Database, tmp_path: Path) -> None:
    ctx = service_context(database, user="koordinator.test")
    admitted = admit(ctx)
    record_consent(ctx, admitted)
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(
            admitted.patient_id,
            admitted.admission_id,
            Occasion.UNDER_INDLAEGGELSE,
            ctx.clock.today(),
            ctx.clock.now().astimezone(COPENHAGEN).replace(hour=14),
        )
    )
    assert meeting.id is not None
    meeting_id = meeting.id
    admin = as_user(ctx, database, "a.admin", Role.ADMINISTRATOR)
    folder = tmp_path
    examples = EXAMPLES[database.dialect if database.dialect == "postgresql" else "sqlite"]

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        revoked=st.booleans(),
        edits=st.lists(st.one_of(CONTACT_EDIT, PLACE_EDIT), max_size=8),
        sides=st.lists(st.sampled_from(["laptop", "ward"]), min_size=20, max_size=20),
    )
    def example(revoked: bool, edits: list[tuple[str, int, str, str]], sides: list[str]) -> None:
        contacts = [ContactService(ctx).add(CONTACT).id or 0 for _ in range(2)]
        path = folder / f"{len(list(folder.iterdir()))}.kdb"
        loan = offline.check_out(ctx, [admitted.admission_id], path, PASSPHRASE, laptop=LAPTOP).loan
        try:
            _interleave(revoked, edits, sides, contacts, path, loan.loan_id)
        finally:  # a failing example must not leave the case lent to the next one
            if offline.loan_of(ctx, admitted.patient_id) is not None:
                offline.revoke(admin, loan.loan_id, "Eksemplet fejlede")

    def _interleave(
        revoked: bool,
        edits: list[tuple[str, int, str, str]],
        sides: list[str],
        contacts: list[int],
        path: Path,
        loan_id: str,
    ) -> None:
        at_checkout = _values(ctx, contacts, meeting_id)
        if revoked:
            offline.revoke(admin, loan_id, "Testen tilbagekalder")
        with laptop_file(path) as laptop:
            mette = as_user(ctx, laptop, "mhansen")
            for side, which, field, value in edits:
                on = mette if side == "laptop" else ctx
                if field == "place":
                    if side == "ward" and not revoked:
                        continue  # the ward cannot write to a lent case
                    _place(on, meeting_id, value)
                else:
                    _contact_field(on, contacts[which], field, value)
            on_laptop = _values(mette, contacts, meeting_id)
        on_ward = _values(ctx, contacts, meeting_id)

        both = {
            key
            for key, before in at_checkout.items()
            if on_laptop[key] != before and on_ward[key] != before and on_laptop[key] != on_ward[key]
        }
        first = check_in(ctx, path, PASSPHRASE)
        shown = {_where(contacts, c) for c in first.conflicts}
        assert shown == both
        assert first.merged == (not both)
        chosen: dict[tuple[int, str], str] = {}
        if not first.merged:
            assert _values(ctx, contacts, meeting_id) == on_ward  # nothing applied
            decided = {c.key: sides[i] for i, c in enumerate(first.conflicts)}
            chosen = {_where(contacts, c): decided[c.key] for c in first.conflicts}
            assert check_in(ctx, path, PASSPHRASE, decided).merged
        after = _values(ctx, contacts, meeting_id)
        for key, before in at_checkout.items():
            laptop_wins = on_laptop[key] != before and chosen.get(key, "laptop") == "laptop"
            assert after[key] == (on_laptop[key] if laptop_wins else on_ward[key]), key

    example()
    assert AuditService(ctx).verify().ok


def _where(contacts: list[int], conflict: Any) -> tuple[int, str]:
    """A conflict as the test names fields: (contact index or -1 for the meeting, column)."""
    return (-1 if conflict.table == "meetings" else contacts.index(int(conflict.row_key)), conflict.column)
