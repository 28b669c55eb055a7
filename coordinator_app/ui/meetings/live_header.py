"""How the live meeting opens and what is shown above its sections.

``open_meeting`` starts a planned meeting, resumes a running one (after a crash) or, for a role that may not hold
meetings or a closed meeting, only shows it. ``MeetingHeader`` shows the meeting's line (reference, patient,
occasion, time, form and place, template version), a notice saying how it opened, and the reminders of
``meetings.check_meeting`` (they help and never block).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from coordinator_app.domain.errors import AccessDeniedError, KoordinatorError
from coordinator_app.domain.meetings import OCCASION_LABELS, Meeting, MeetingStatus, MeetingWarning
from coordinator_app.services.meetings import MeetingService, ParticipantChoices
from coordinator_app.ui.common.style import INFO_STYLE, OK_STYLE, WARNING_STYLE, text_label
from coordinator_app.ui.meetings.live_common import COPENHAGEN, clock
from coordinator_app.ui.meetings.meeting_schedule_dialog import FORM_LABELS

#: Shown when the role may not hold meetings (læseadgang): the meeting is only read.
VIEW_ONLY = "Din rolle må ikke holde netværksmøder, så mødet vises kun; intet kan ændres her."
#: How many reminders the header lists; F8 walks through all of them.
SHOWN_REMINDERS = 4


@dataclass(frozen=True)
class Opening:
    """How the window found the meeting. ``recovered_at``: it was already running (resumed after a crash);
    ``denied``: why it is only shown although it is not closed; ``choices``: who the participant picker offers
    (the patient, earlier meetings' people, the Kontaktbog)."""

    meeting: Meeting
    recovered_at: datetime | None
    denied: str | None
    choices: ParticipantChoices

    @property
    def patient_name(self) -> str:
        return self.choices.patient.name if self.choices.patient is not None else ""

    @property
    def read_only(self) -> bool:
        return self.meeting.status is MeetingStatus.AFSLUTTET or self.denied is not None


def open_meeting(
    service: MeetingService, meeting_id: int, *, may_run: bool, before_planned_day: bool = False
) -> Opening:
    """Start a planned meeting or resume a running one. Without ``may_run`` (``Permission.RUN_MEETING``) nothing
    is started (issue 8), and a role the service refuses sees the meeting the same way. ``before_planned_day``:
    the coordinator confirmed starting it before its planned day (the service refuses that otherwise, C2–C4)."""
    meeting = service.get(meeting_id)
    recovered_at: datetime | None = None
    denied: str | None = None if may_run else VIEW_ONLY
    if denied is None and meeting.status is MeetingStatus.I_GANG:
        recovered_at = meeting.updated_at or datetime.now(COPENHAGEN)
    elif denied is None and meeting.status is MeetingStatus.PLANLAGT:
        try:
            meeting = service.start(meeting_id, before_planned_day=before_planned_day)
        except AccessDeniedError as exc:  # the role may not hold meetings: show it, change nothing
            denied = f"{exc.message} Mødet vises kun; intet kan ændres her."
    try:
        choices = service.participant_choices(meeting.patient_id)
    except KoordinatorError:
        choices = ParticipantChoices(None, (), ())
    return Opening(meeting, recovered_at, denied, choices)


def header_text(m: Meeting, patient_label: str) -> str:
    parts = [f"Netværksmøde {m.reference}", OCCASION_LABELS.get(m.occasion, str(m.occasion))]
    if patient_label:
        parts.insert(1, patient_label)
    if m.planned_at is not None:
        parts.append(f"{m.planned_at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}")
    form = FORM_LABELS.get(m.form, str(m.form))
    parts.append(f"{form}{': ' + m.place if m.place else ''}")
    parts.append(f"skabelon version {m.template.version}")
    return " · ".join(parts)


def notice_text(opening: Opening) -> str:
    """Resumed after a crash, only shown to this role, or closed; "" for a meeting just started."""
    if opening.recovered_at is not None:
        return (
            f"ℹ Mødet er genskabt fra seneste automatiske gem ({clock(opening.recovered_at)}). Fortsæt, hvor du slap."
        )
    if opening.denied is not None:
        return f"ℹ {opening.denied}"
    if opening.read_only:
        closed = opening.meeting.closed_at
        return (
            "Mødet er afsluttet"
            + (f" {closed.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}" if closed else "")
            + " og kan ikke længere ændres."
        )
    return ""


class MeetingHeader:
    """The three labels above the sections, for the window's layout: ``header`` (bold), ``recovered_label`` (the
    notice, hidden when there is none) and ``warnings_label`` (the reminders)."""

    def __init__(self, opening: Opening, *, patient_label: str, font: QFont) -> None:
        """``font``: the meeting's (larger) font, made bold for the header line."""
        self.header = text_label(header_text(opening.meeting, patient_label))
        head_font = QFont(font)
        head_font.setBold(True)
        self.header.setFont(head_font)
        self.recovered_label = text_label(style=INFO_STYLE)
        self.recovered_label.setAccessibleName("Genskabt")
        self.recovered_label.setText(notice_text(opening))
        self.recovered_label.setVisible(opening.recovered_at is not None or opening.read_only)
        self.warnings_label = text_label(style=WARNING_STYLE)
        self.warnings_label.setAccessibleName("Påmindelser")

    def labels(self) -> tuple[QLabel, QLabel, QLabel]:
        return self.header, self.recovered_label, self.warnings_label

    def show_reminders(self, warnings: Sequence[MeetingWarning], *, read_only: bool) -> None:
        """The first reminders with their rule, or that there are none; nothing when the meeting is only read."""
        if read_only:
            self.warnings_label.hide()
            return
        if not warnings:
            self.warnings_label.setStyleSheet(OK_STYLE)
            self.warnings_label.setText("✓ Ingen påmindelser – skabelonen er udfyldt.")
            return
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        shown = warnings[:SHOWN_REMINDERS]
        lines = [f"⚠ {w.text} ({w.rule})" for w in shown]
        more = len(warnings) - len(shown)
        tail = f"… og {more} til. " if more else ""
        lines.append(f"{tail}Påmindelserne hjælper – de forhindrer ikke at gemme eller afslutte. F8: gå til næste.")
        self.warnings_label.setText("\n".join(lines))
