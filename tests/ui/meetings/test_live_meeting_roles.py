"""The live meeting for a role that may not hold meetings (issue 8): it opens read-only and starts nothing; and a
conflict question closed without an answer keeps what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.meetings import MeetingContent, MeetingForm, MeetingStatus, Occasion
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.database import Database, open_database
from coordinator_app.ui.meetings.live_meeting import LiveMeetingWindow, open_live_meeting

MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
READER = Principal(username="laeser", full_name="Læse Læsesen", role=Role.LAESEADGANG)


@dataclass
class Ward:
    db: Database
    coordinator: MeetingService
    reader: MeetingService
    meeting_id: int


@pytest.fixture
def ward(qapp, demo_db_path: Path) -> Iterator[Ward]:
    db = open_database(f"sqlite:///{demo_db_path}")
    ctx = ServiceContext(database=db, clock=fixed_clock(MOMENT))
    coordinator = MeetingService(ctx)
    row = next(r for r in AdmissionService(ctx).list_rows() if not coordinator.for_admission(r.admission_id))
    meeting = coordinator.schedule(
        ScheduleInput(
            patient_id=row.patient_id,
            admission_id=row.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            form=MeetingForm.FYSISK,
            place="Mødelokale 2",
        )
    )
    assert meeting.id is not None
    reader = MeetingService(ServiceContext(database=db, clock=fixed_clock(MOMENT), principal=READER))
    yield Ward(db, coordinator, reader, meeting.id)
    db.dispose()


def opened(qtbot, service: MeetingService, meeting_id: int, **kw: object) -> LiveMeetingWindow:
    window = open_live_meeting(None, service, meeting_id, today=TODAY, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    return window


def assert_view_only(window: LiveMeetingWindow) -> None:
    assert window.read_only
    assert window.recovered_label.isVisible() and "vises kun" in window.recovered_label.text()
    assert window.text_edits["formaal"].isReadOnly()
    assert not window.participants_editor.add_button.isEnabled()
    assert not window.act_close_meeting.isEnabled()


def test_a_reader_sees_the_meeting_read_only_and_it_is_not_started(qtbot, ward) -> None:
    window = opened(qtbot, ward.reader, ward.meeting_id, may_run=False)
    assert_view_only(window)
    window.close()
    assert not window.isVisible()
    assert ward.coordinator.get(ward.meeting_id).status is MeetingStatus.PLANLAGT


def test_a_reader_is_read_only_even_when_the_caller_did_not_say(qtbot, ward) -> None:
    window = opened(qtbot, ward.reader, ward.meeting_id)  # may_run left at its default: the service refuses
    assert_view_only(window)
    assert "Læseadgang" in window.recovered_label.text()
    window.close()
    assert ward.coordinator.get(ward.meeting_id).status is MeetingStatus.PLANLAGT


def test_closing_the_conflict_question_without_an_answer_keeps_my_text(qtbot, ward) -> None:
    window = opened(qtbot, ward.coordinator, ward.meeting_id)
    other = ward.coordinator.get(ward.meeting_id)
    assert other.version is not None
    ward.coordinator.save_content(
        ward.meeting_id, MeetingContent(texts={"formaal": "Den andens tekst"}), expected_version=other.version
    )
    edit = window.text_edits["formaal"]
    window.go_to(0)
    edit.setFocus()
    qtbot.keyClicks(edit, "Min tekst")
    window.save_now()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # no answer: nothing typed may be lost
    qtbot.waitUntil(lambda: not window.dirty, timeout=1500)
    text = ward.coordinator.get(ward.meeting_id).content.texts["formaal"]
    assert text.startswith("Den andens tekst") and "Min tekst" in text
    window.close()
