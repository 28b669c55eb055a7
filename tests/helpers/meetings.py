"""Netværksmøder as the domain holds them, for tests that need a ``Meeting`` record without a database (the engine
and document tests). Only the domain is imported here; a meeting held through the services is
``helpers.ward.held_meeting``."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TypedDict, Unpack

from coordinator_app.domain.meetings import (
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    MeetingTemplate,
    Occasion,
    default_template,
)


class MeetingChanges(TypedDict, total=False):
    """The fields of ``Meeting`` a test may set besides its content (keyword arguments of ``meeting_record``)."""

    id: int | None
    patient_id: int
    admission_id: int | None
    template: MeetingTemplate
    occasion: Occasion
    invited_on: date
    reference: str
    planned_at: datetime | None
    form: MeetingForm
    place: str
    late_reason: str
    status: MeetingStatus
    version: int | None
    updated_at: datetime | None
    closed_at: datetime | None
    follow_up_of: int | None


def meeting_record(content: MeetingContent | None = None, **changes: Unpack[MeetingChanges]) -> Meeting:
    """Meeting NM-2026-0001 (id 7) of patient 1's admission 1, under indlæggelse, invited Monday 23 November 2026,
    on the default template — with ``content`` (left out: empty) and ``changes``."""
    base = Meeting(
        id=7,
        patient_id=1,
        admission_id=1,
        template=default_template(),
        occasion=Occasion.UNDER_INDLAEGGELSE,
        invited_on=date(2026, 11, 23),
        reference="NM-2026-0001",
        content=MeetingContent() if content is None else content,
    )
    return dataclasses.replace(base, **changes)
