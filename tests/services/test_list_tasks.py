"""Agreements from a closed netværksmøde (C5) become the admission's next deadline in the patient list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from helpers.ward import admit, assess_scenario, held_meeting, service_context

from coordinator_app.domain.meetings import AgreementItem, FollowUp, MeetingContent, Participant
from coordinator_app.domain.model import Sector
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.meetings import MeetingService


def test_an_overdue_meeting_agreement_is_the_next_deadline(database) -> None:
    ctx = service_context(database, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    admitted = admit(ctx)
    assess_scenario(ctx, admitted)  # A1 met: the meeting's agreement is what is left
    content = MeetingContent(
        participants=(Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE),),
        agreements=(AgreementItem("a1", "Bostøtte bevilges", "k", date(2026, 11, 20)),),
        follow_up=FollowUp(needed=False),
    )
    meeting = held_meeting(
        ctx,
        admitted,
        content,
        invited_on=date(2026, 11, 16),
        planned_at=datetime(2026, 11, 18, 9, tzinfo=UTC),
        close=False,
    )
    assert meeting.id is not None and meeting.version is not None
    (row,) = AdmissionService(ctx).list_rows()
    assert row.next_kind != "moedeaftale"  # not a task until the meeting is closed
    MeetingService(ctx).close(meeting.id, expected_version=meeting.version)
    (row,) = AdmissionService(ctx).list_rows()
    assert row.next_state is not None and row.next_description is not None
    assert (row.next_kind, row.next_rule, row.next_due, row.next_state.value) == (
        "moedeaftale",
        "C5",
        date(2026, 11, 20),
        "overdue",
    )
    assert "Bostøtte bevilges" in row.next_description
