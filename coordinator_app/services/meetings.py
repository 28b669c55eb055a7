"""Netværksmøder (C1–C10): templates (versioned), scheduling, live-meeting autosave, closing, invitations
and the referat.

CONTRACT (signatures below are fixed; the bodies are being implemented). The UI calls only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from coordinator_app.meetings import (
    AgreementStatus,
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingTemplate,
    Occasion,
    Participant,
    Task,
)
from coordinator_app.model import ArchivedDocument, ConsentRecipient
from coordinator_app.services.context import ServiceContext


@dataclass(frozen=True)
class ScheduleInput:
    patient_id: int
    admission_id: int | None
    occasion: Occasion
    invited_on: date
    planned_at: datetime | None = None  # aware
    form: MeetingForm = MeetingForm.FYSISK
    place: str = ""
    late_reason: str = ""  # required when planned_at is after the C2–C4 deadline
    template_id: int | None = None  # None: the ward's current template (latest version)
    follow_up_of: int | None = None


@dataclass(frozen=True)
class CloseResult:
    meeting: Meeting
    tasks: tuple[Task, ...]
    follow_up: Meeting | None  # scheduled when the follow-up section says one is needed


@dataclass(frozen=True)
class DistributionEntry:
    name: str
    address: str  # e-mail / secure mail / postal
    participant_key: str | None  # None: not a participant — needs consent (C7)
    consent_basis: str  # "Deltager" or the consent it rests on


class MeetingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- templates ----------------------------------------------------------------------------------------
    def current_template(self) -> MeetingTemplate:
        """The ward's template, latest version (created from ``meetings.default_template()`` on first use)."""
        raise NotImplementedError

    def template_versions(self, name: str) -> list[MeetingTemplate]:
        raise NotImplementedError

    def save_template(self, template: MeetingTemplate) -> MeetingTemplate:
        """Save as a NEW version (version + 1); earlier versions and the meetings using them are untouched.
        ValidationError (Danish) for no sections, duplicate keys, empty titles."""
        raise NotImplementedError

    # -- scheduling ---------------------------------------------------------------------------------------
    def schedule(self, data: ScheduleInput) -> Meeting:
        """Create a meeting (status planlagt) with a reference like NM-2026-0012 and record a
        MEETING_INVITED event on the admission (the engine dates C2 from it). Planned after the deadline
        requires ``late_reason`` (ValidationError field="late_reason", rule="C2")."""
        raise NotImplementedError

    def update_schedule(self, meeting_id: int, data: ScheduleInput, *, expected_version: int) -> Meeting:
        raise NotImplementedError

    def get(self, meeting_id: int) -> Meeting:
        raise NotImplementedError

    def for_admission(self, admission_id: int) -> list[Meeting]:
        raise NotImplementedError

    def for_patient(self, patient_id: int) -> list[Meeting]:
        raise NotImplementedError

    def upcoming(self, today: date) -> list[Meeting]:
        """Planned or running meetings from ``today`` on, soonest first (the Møder tab)."""
        raise NotImplementedError

    def deadline(self, meeting: Meeting) -> date:
        raise NotImplementedError

    # -- live meeting -------------------------------------------------------------------------------------
    def start(self, meeting_id: int) -> Meeting:
        raise NotImplementedError

    def save_content(self, meeting_id: int, content: MeetingContent, *, expected_version: int) -> Meeting:
        """Autosave: one short transaction; durable when it returns (returns the new version).
        ConflictError when someone else saved in between."""
        raise NotImplementedError

    def known_participants(self, patient_id: int) -> list[Participant]:
        """Participants from the patient's earlier meetings (newest first, de-duplicated by name+organisation)."""
        raise NotImplementedError

    def close(self, meeting_id: int, *, expected_version: int) -> CloseResult:
        """Status afsluttet; MEETING_HELD on the admission; agreements become tasks; a needed follow-up
        meeting is scheduled."""
        raise NotImplementedError

    def set_task_status(self, meeting_id: int, agreement_key: str, status: AgreementStatus) -> Meeting:
        raise NotImplementedError

    def tasks_for_admission(self, admission_id: int) -> list[Task]:
        raise NotImplementedError

    # -- invitation, referat, distribution ------------------------------------------------------------------
    def ics(self, meeting_id: int) -> bytes:
        """RFC 5545 invitation carrying NO patient-identifying data: only the meeting reference."""
        raise NotImplementedError

    def issue_referat(self, meeting_id: int) -> ArchivedDocument:
        """Render the referat PDF and archive it (kind "netvaerksmoede_referat")."""
        raise NotImplementedError

    def distribution(self, meeting_id: int) -> list[DistributionEntry]:
        raise NotImplementedError

    def add_recipient(
        self, meeting_id: int, *, name: str, address: str, recipient: ConsentRecipient
    ) -> list[DistributionEntry]:
        """C7/F1: a non-participant only with the patient's active consent to that recipient kind;
        otherwise ValidationError (Danish, rule="C7")."""
        raise NotImplementedError
