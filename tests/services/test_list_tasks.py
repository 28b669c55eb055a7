"""Agreements from a closed netværksmøde (C5) become the admission's next deadline in the patient list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coordinator_app.domain.meetings import AgreementItem, FollowUp, MeetingContent, Occasion, Participant
from coordinator_app.domain.model import Sector
from coordinator_app.services.admissions import AdmissionInput, AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.setup import ensure_reference_data


def test_an_overdue_meeting_agreement_is_the_next_deadline(database) -> None:
    ctx = ServiceContext(database=database, clock=fixed_clock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    ensure_reference_data(ctx)
    created = AdmissionService(ctx).create_admission(
        AdmissionInput(
            cpr="010190-9909",
            given_name="Testa",
            family_name="Fiktivsen",
            bopaelskommune="101",
            center="Psykiatrisk Center København",
            ward="Afsnit 1",
            admitted=date(2026, 11, 2),
        )
    )
    assert created.patient_id is not None
    meetings = MeetingService(ctx)
    meeting = meetings.schedule(
        ScheduleInput(
            patient_id=created.patient_id,
            admission_id=created.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=date(2026, 11, 16),
            planned_at=datetime(2026, 11, 18, 9, tzinfo=UTC),
        )
    )
    assert meeting.id is not None
    meeting_id = meeting.id
    meeting = meetings.start(meeting_id)
    assert meeting.version is not None
    content = MeetingContent(
        participants=(Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE),),
        agreements=(AgreementItem("a1", "Bostøtte bevilges", "k", date(2026, 11, 20)),),
        follow_up=FollowUp(needed=False),
    )
    meeting = meetings.save_content(meeting_id, content, expected_version=meeting.version)
    assert meeting.version is not None
    (row,) = AdmissionService(ctx).list_rows()
    assert row.next_kind != "moedeaftale"  # not a task until the meeting is closed
    meetings.close(meeting_id, expected_version=meeting.version)
    (row,) = AdmissionService(ctx).list_rows()
    assert row.next_state is not None and row.next_description is not None
    assert (row.next_kind, row.next_rule, row.next_due, row.next_state.value) == (
        "moedeaftale",
        "C5",
        date(2026, 11, 20),
        "overdue",
    )
    assert "Bostøtte bevilges" in row.next_description
