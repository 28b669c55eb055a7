"""Netværksmøder in the UI: the template editor (versions kept by old meetings), scheduling with the C2 deadline,
and a whole live meeting by keyboard only, with autosave due within a second and recovery after a crash."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers.screens import grab
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QWidget

from coordinator_app.domain.meetings import (
    AgreementItem,
    Inviter,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    Occasion,
    Participant,
)
from coordinator_app.domain.model import Sector
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.ui.meetings import live_meeting
from coordinator_app.ui.meetings.live_meeting import LiveMeetingWindow, open_live_meeting
from coordinator_app.ui.meetings.meeting_schedule_dialog import ScheduleDialog, open_schedule_dialog
from coordinator_app.ui.meetings.meeting_template_editor import TemplateEditorDialog, open_template_editor

#: Monday 23 November 2026, 10:00 in Copenhagen, as ``conftest.DEMO_MOMENT`` (the demo ward's day).
DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@dataclass
class World:
    service: MeetingService
    ctx: ServiceContext
    patient_id: int
    admission_id: int

    def schedule(self, **kw: object) -> int:
        data = ScheduleInput(
            patient_id=self.patient_id,
            admission_id=self.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            form=MeetingForm.FYSISK,
            place="Afsnit 3, mødelokale 2",
            **kw,  # type: ignore[arg-type]
        )
        meeting = self.service.schedule(data)
        assert meeting.id is not None
        return meeting.id


@pytest.fixture
def world(qapp, demo_db_path: Path) -> Iterator[World]:
    from coordinator_app.storage.database import open_database
    from coordinator_app.ui.shell.app import ensure_application, install_danish

    install_danish(ensure_application())
    db = open_database(f"sqlite:///{demo_db_path}")
    ctx = ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT))
    service = MeetingService(ctx)
    # An admission without the demo ward's own meetings, so each test starts from a clean slate.
    row = next(r for r in AdmissionService(ctx).list_rows() if not service.for_admission(r.admission_id))
    yield World(service, ctx, row.patient_id, row.admission_id)
    db.dispose()


def shot(widget: QWidget, name: str) -> None:
    grab(widget, f"meeting-{name}")


def plain(label: QLabel) -> str:
    return re.sub(r"<[^>]+>", "", label.text())


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def choose(qtbot, letter: str) -> None:
    """Type a letter into a combo box to pick the first item starting with it (a fresh keyboard search)."""
    qtbot.wait(QApplication.keyboardInputInterval() + 20)
    type_(qtbot, letter)


def modal(qtbot) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    return box


def live(qtbot, world: World, meeting_id: int, *, before_planned_day: bool = False) -> LiveMeetingWindow:
    """The live window of ``meeting_id``; ``before_planned_day``: the early start was confirmed (C2–C4)."""
    window = open_live_meeting(
        None,
        world.service,
        meeting_id,
        today=TODAY,
        calendar=world.ctx.calendar,
        before_planned_day=before_planned_day,
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(window.isActiveWindow)
    return window


def nav_titles(window: LiveMeetingWindow) -> list[str]:
    return [window.nav.item(i).text()[3:].removesuffix(" *") for i in range(window.nav.count())]


# -- template editor ---------------------------------------------------------------------------------------------
def test_template_editor_add_reorder_rename_saves_version_2_and_old_meetings_keep_version_1(qtbot, world) -> None:
    v1 = world.service.current_template()
    old_meeting = world.schedule()
    dialog = open_template_editor(None, world.service)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert isinstance(dialog, TemplateEditorDialog)
    assert f"version {v1.version}" in dialog.header.text()
    assert focused() is dialog.list

    # Add a section after the first (Insert), named by typing; it starts as "Fri tekst".
    press(qtbot, Qt.Key.Key_Insert)
    assert focused() is dialog.section_form.title_edit
    type_(qtbot, "Bolig og økonomi")
    assert dialog.section_form.kind_label.text() == "Fri tekst"
    press(qtbot, Qt.Key.Key_Tab)
    type_(qtbot, "Hvor skal patienten bo, og er økonomien på plads?")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.section_form.items_edit
    type_(qtbot, "Bolig")
    press(qtbot, Qt.Key.Key_Return)
    type_(qtbot, "Økonomi")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)  # required
    # Reorder: Ctrl+Up moves it to the top.
    press(qtbot, Qt.Key.Key_Up, CTRL)
    assert dialog.list.currentRow() == 0
    # Rename "Aftaler" (F2 selects the title).
    aftaler = next(i for i in range(dialog.list.count()) if dialog.list.item(i).text().startswith("Aftaler"))
    dialog.list.setFocus()
    dialog.list.setCurrentRow(aftaler)
    press(qtbot, Qt.Key.Key_F2)
    type_(qtbot, "Aftaler og ansvar")
    shot(dialog, "template-editor")

    # An empty title is refused inline, in Danish, and nothing is saved.
    press(qtbot, Qt.Key.Key_A, CTRL)
    press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert dialog.error_label.isVisible()
    assert "mangler en titel" in dialog.error_label.text()
    assert world.service.current_template().version == v1.version
    type_(qtbot, "Aftaler og ansvar")

    press(qtbot, Qt.Key.Key_S, CTRL)
    assert not dialog.error_label.isVisible(), dialog.error_label.text()
    assert f"Version {v1.version + 1} gemt – tidligere møder beholder deres version" in dialog.saved_label.text()
    shot(dialog, "template-editor-saved")
    v2 = world.service.current_template()
    assert v2.version == v1.version + 1
    titles = [s.title for s in v2.sections]
    assert titles[0] == "Bolig og økonomi"
    assert "Aftaler og ansvar" in titles and "Aftaler" not in titles
    assert v2.sections[0].default_items == ("Bolig", "Økonomi")
    assert v2.sections[0].required
    dialog.reject()

    # The meeting scheduled on version 1 still shows version 1's sections in the live window.
    window = live(qtbot, world, old_meeting)
    assert nav_titles(window) == [s.title for s in v1.sections]
    assert f"skabelon version {v1.version}" in window.header.text()
    window.close()
    # A new meeting gets version 2, with the new section first and its default items prefilled.
    new_window = live(qtbot, world, world.schedule())
    assert nav_titles(new_window) == titles
    key = v2.sections[0].key
    assert new_window.text_edits[key].toPlainText() == "- Bolig\n- Økonomi\n"
    new_window.close()


def test_template_editor_removes_a_section_only_after_confirmation(qtbot, world) -> None:
    dialog = open_template_editor(None, world.service)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    count = dialog.list.count()
    dialog.list.setCurrentRow(3)  # Behandling og medicin
    section = dialog.current()
    assert section is not None
    title = section.title
    press(qtbot, Qt.Key.Key_Delete)
    box = modal(qtbot)
    assert title in box.text()
    shot(box, "template-remove-confirm")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # default answer: keep it
    assert dialog.list.count() == count
    dialog.activateWindow()  # offscreen has no window manager to hand activation back
    qtbot.waitUntil(dialog.isActiveWindow)
    assert focused() is dialog.list
    press(qtbot, Qt.Key.Key_Delete)
    box = modal(qtbot)
    box.button(QMessageBox.StandardButton.Yes).click()
    assert dialog.list.count() == count - 1
    assert title not in [dialog.list.item(i).text() for i in range(dialog.list.count())]
    dialog.save()
    assert title not in [s.title for s in world.service.current_template().sections]
    dialog.reject()


# -- scheduling ----------------------------------------------------------------------------------------------------
def _schedule_dialog(qtbot, world) -> ScheduleDialog:
    """Nyt netværksmøde… for the world's admission, on the test's day."""
    dialog = open_schedule_dialog(
        None,
        world.service,
        patient_id=world.patient_id,
        admission_id=world.admission_id,
        today=TODAY,
        now=DEMO_MOMENT,
        calendar=world.ctx.calendar,
    )
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ScheduleDialog)
    return dialog


def test_schedule_dialog_shows_the_deadline_live_and_requires_a_reason_when_late(qtbot, world, tmp_path) -> None:
    dialog = _schedule_dialog(qtbot, world)
    assert isinstance(dialog, ScheduleDialog)
    # Invited Monday 23-11-2026: 5 arbejdsdage later is Monday 30-11-2026 (C2).
    assert "senest mandag 30-11-2026 (5 arbejdsdage efter indkaldelsen, C2)" in plain(dialog.deadline_label)
    assert f"Kalender: {world.ctx.calendar.name}" in plain(dialog.deadline_label)
    assert dialog.planned_date.value() == date(2026, 11, 24)
    assert not dialog.is_late() and dialog.late_reason.isHidden()

    dialog.planned_date.setDate(QDate(2026, 12, 3))
    assert dialog.is_late()
    assert not dialog.late_reason.isHidden() and not dialog.late_label.isHidden()
    assert "for sent" in dialog.late_label.text()
    assert "#8a1010" in dialog.late_label.styleSheet()
    # Moving the invitation moves the deadline at once: invited Thursday 26-11 → Thursday 03-12, on time.
    dialog.invited_on.setDate(QDate(2026, 11, 26))
    assert "senest torsdag 03-12-2026" in plain(dialog.deadline_label)
    assert not dialog.is_late() and dialog.late_reason.isHidden()
    dialog.invited_on.setDate(QDate(2026, 11, 23))
    dialog.form.setCurrentIndex(dialog.form.findData(MeetingForm.VIDEO))
    qtbot.keyClicks(dialog.place, "https://video.example/nm")
    shot(dialog, "schedule-late")

    dialog.save_button.click()  # no reason: refused inline, nothing saved
    assert dialog.meeting is None
    assert "begrundelse" in dialog.error_label.text()
    assert world.service.for_admission(world.admission_id) == []
    qtbot.keyClicks(dialog.late_reason, "Kommunens sagsbehandler er først tilbage 3. december.")
    dialog.save_button.click()
    assert dialog.meeting is not None, dialog.error_label.text()
    assert dialog.meeting.late_reason.startswith("Kommunens sagsbehandler")
    assert dialog.meeting.form is MeetingForm.VIDEO
    assert dialog.meeting.reference in dialog.saved_label.text()
    assert dialog.ics_button.isEnabled()
    shot(dialog, "schedule-saved")

    target = tmp_path / "invitation"
    QFileDialog_get = QFileDialog.getSaveFileName
    try:
        QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(target), ""))
        dialog.ics_button.click()
    finally:
        QFileDialog.getSaveFileName = QFileDialog_get
    ics = (tmp_path / "invitation.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR")
    assert dialog.meeting.reference.encode() in ics
    dialog.save_button.click()  # now "Luk"
    assert not dialog.isVisible()


def test_the_schedule_dialog_records_who_invited_and_the_agenda_with_the_patient(qtbot, world) -> None:
    """Who called the meeting follows the occasion (the ward, or the patient who called it) until the coordinator
    types someone else; the agenda's preparation with the patient is Ikke oplyst until chosen. Both are saved."""
    dialog = _schedule_dialog(qtbot, world)
    ward = world.service.default_inviter(world.patient_id, world.admission_id, Occasion.UNDER_INDLAEGGELSE)
    patient = world.service.default_inviter(world.patient_id, world.admission_id, Occasion.PATIENT_ELLER_PAAROERENDE)
    assert ward.name == world.ctx.user and ward.organisation.startswith("Psykiatrisk Center")
    assert dialog.inviter.value() == ward
    assert dialog.agenda.currentText() == "Ikke oplyst"

    dialog.occasion.setCurrentIndex(dialog.occasion.findData(Occasion.PATIENT_ELLER_PAAROERENDE))
    assert dialog.inviter.value() == patient and patient.organisation == "patient"
    dialog.inviter.organisation.clear()
    qtbot.keyClicks(dialog.inviter.organisation, "pårørende (søster)")
    dialog.occasion.setCurrentIndex(dialog.occasion.findData(Occasion.VED_UDSKRIVNING))
    assert dialog.inviter.organisation.text() == "pårørende (søster)"  # typed: kept when the occasion changes
    dialog.agenda.setCurrentIndex(dialog.agenda.findData(True))
    qtbot.keyClicks(dialog.place, "Afsnit 3, mødelokale 2")
    shot(dialog, "schedule-invited-by")

    dialog.save_button.click()
    assert dialog.meeting is not None, dialog.error_label.text()
    saved = world.service.get(dialog.meeting.id)
    assert saved.content.invited_by == Inviter(patient.name, "pårørende (søster)")
    assert saved.content.agenda_with_patient is True
    assert not dialog.inviter.isEnabled() and not dialog.agenda.isEnabled()


def test_the_live_meeting_shows_and_corrects_who_invited_and_the_agenda(qtbot, world) -> None:
    """Above the agenda: what was recorded when the meeting was scheduled; a correction is autosaved like any
    other edit, and a closed meeting shows it read-only."""
    meeting_id = world.schedule(invited_by=Inviter("Bodil Sagsen", "Testrup Kommune"), agenda_with_patient=None)
    window = live(qtbot, world, meeting_id)
    editor = window.section_view.invitation_editor
    assert window.current_section().key == "formaal" and editor.isVisible()
    assert editor.inviter.name.text() == "Bodil Sagsen" and editor.inviter.organisation.text() == "Testrup Kommune"
    assert editor.agenda.currentText() == "Ikke oplyst"
    editor.agenda.setCurrentIndex(editor.agenda.findData(False))
    editor.inviter.organisation.clear()
    qtbot.keyClicks(editor.inviter.organisation, "Testrup Kommune, Socialforvaltningen")
    shot(window, "live-invited-by")
    assert window.save_now()
    content = world.service.get(meeting_id).content
    assert content.invited_by == Inviter("Bodil Sagsen", "Testrup Kommune, Socialforvaltningen")
    assert content.agenda_with_patient is False
    window.close()

    meeting = world.service.get(meeting_id)
    assert meeting.version is not None
    world.service.close(meeting_id, expected_version=meeting.version)
    closed = live(qtbot, world, meeting_id)
    editor = closed.section_view.invitation_editor
    assert editor.inviter.name.isReadOnly() and not editor.agenda.isEnabled()
    assert editor.agenda.currentData() is False
    closed.close()


# -- live meeting --------------------------------------------------------------------------------------------------
def test_a_whole_live_meeting_by_keyboard_only(qtbot, world) -> None:
    meeting_id = world.schedule()
    window = live(qtbot, world, meeting_id)
    assert world.service.get(meeting_id).status is MeetingStatus.I_GANG
    assert not window.recovered_label.isVisible()
    agenda = window.text_edits["formaal"]
    assert focused() is agenda
    assert agenda.toPlainText().startswith("- Status på indlæggelsen\n")

    press(qtbot, Qt.Key.Key_End, CTRL)
    type_(qtbot, "- Bolig efter udskrivning")

    # Two participants, kommune and region: Ctrl+Shift+P, name, Enter, then the details by Tab.
    editor = window.participants_editor
    press(qtbot, Qt.Key.Key_P, CTRL | SHIFT)
    assert focused() is editor.picker.lineEdit() or focused() is editor.picker
    type_(qtbot, "Mette Hansen")
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is editor.organisation
    type_(qtbot, "Københavns Kommune")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.sector
    choose(qtbot, "K")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.role
    type_(qtbot, "Sagsbehandler")
    press(qtbot, Qt.Key.Key_Tab)
    type_(qtbot, "12 34 56 71")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.email
    type_(qtbot, "mette.hansen@kk.example.dk")

    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # the button's mnemonic (an animated click)
    qtbot.waitUntil(lambda: focused() in (editor.picker, editor.picker.lineEdit()))
    type_(qtbot, "Lars Berg")
    press(qtbot, Qt.Key.Key_Return)
    type_(qtbot, "Psykiatrisk Center Nord")
    press(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, "R")
    for text in ("Overlæge", "12 34 56 70", "lars.berg@regionh.example.dk"):
        press(qtbot, Qt.Key.Key_Tab)
        type_(qtbot, text)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.present
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.health
    press(qtbot, Qt.Key.Key_Space)
    assert editor.table.rowCount() == 2
    shot(window, "live-participants")

    # Roles: the next section; a letter picks the person.
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    roles = window.roles_editor
    assert focused() is roles.leader
    choose(qtbot, "M")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is roles.referent
    choose(qtbot, "M")
    assert any("samme person" in w.text for w in window.warnings())  # C6 helps …
    choose(qtbot, "L")  # … and is fixed by choosing someone else
    assert not any("samme person" in w.text for w in window.warnings())
    press(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, "M")

    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert focused() is window.text_edits["behandling"]
    type_(qtbot, "Fortsætter uændret medicin; kontrol hos egen læge om 3 måneder.")

    # An agreement: Ctrl+Shift+A, what, owner, deadline (one day later than the default).
    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    agreements = window.agreements_editor
    assert focused() is agreements.what
    type_(qtbot, "Bostøtte 3 timer om ugen bevilges")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is agreements.owner
    choose(qtbot, "M")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is agreements.deadline
    default_deadline = agreements.deadline.value()
    assert default_deadline == WorkCalendar().add_working_days(TODAY, 5)
    type_(qtbot, "04122026")  # typed: the day, month and year sections advance by themselves
    assert agreements.deadline.value() == date(2026, 12, 4)
    assert agreements.items()[0].deadline == agreements.deadline.value()
    shot(window, "live-agreements")

    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    follow = window.follow_up_editor
    assert focused() is follow.needed
    choose(qtbot, "J")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is follow.when
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is follow.caller
    choose(qtbot, "L")
    assert all(mark.startswith(("✓", "⚠")) for mark in (window.nav.item(i).text() for i in range(6)))
    shot(window, "live-follow-up")

    # Previous section by keyboard, then end the meeting with Ctrl+Enter and Enter twice.
    press(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert window.current_section().key == "aftaler"
    press(qtbot, Qt.Key.Key_Return, CTRL)
    box = modal(qtbot)
    assert "1 aftale bliver til opgaver" in box.text()
    shot(box, "live-close-confirm")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    summary = modal(qtbot)
    assert "Bostøtte 3 timer om ugen bevilges – Mette Hansen (Københavns Kommune)" in summary.text()
    assert "Opfølgningsmøde" in summary.text()
    shot(summary, "live-closed-summary")
    qtbot.keyClick(summary, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.isVisible())

    meeting = world.service.get(meeting_id)
    assert meeting.status is MeetingStatus.AFSLUTTET
    c = meeting.content
    assert c.texts["formaal"].endswith("- Bolig efter udskrivning")
    assert "uændret medicin" in c.texts["behandling"]
    people = {p.name: p for p in c.participants}
    assert people["Mette Hansen"].sector is Sector.KOMMUNE
    assert people["Mette Hansen"].email == "mette.hansen@kk.example.dk"
    assert people["Lars Berg"].sector is Sector.REGION and people["Lars Berg"].health_professional
    assert c.leader_key == people["Mette Hansen"].key
    assert c.referent_key == people["Lars Berg"].key
    assert c.tovholder_key == people["Mette Hansen"].key
    assert c.follow_up.needed is True and c.follow_up.caller_key == people["Lars Berg"].key
    tasks = world.service.tasks_for_admission(world.admission_id)
    assert [(t.what, t.owner, t.deadline) for t in tasks] == [
        (
            "Bostøtte 3 timer om ugen bevilges",
            "Mette Hansen (Københavns Kommune)",
            date(2026, 12, 4),
        )
    ]
    assert window.close_result is not None and window.close_result.follow_up is not None
    assert window.close_result.follow_up.id is not None

    # The follow-up meeting (planned for 7 December: its early start confirmed) offers these participants again.
    follow_window = live(qtbot, world, window.close_result.follow_up.id, before_planned_day=True)
    picker = follow_window.participants_editor.picker
    assert any("Mette Hansen" in picker.itemText(i) for i in range(picker.count()))
    follow_window.close()


class SteppedClock:
    """``time.monotonic`` for the live meeting: moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_autosave_is_due_within_the_debounce_and_never_later_than_the_cap(qtbot, world, monkeypatch) -> None:
    """Timing by the window's own clock, not the wall clock (the figures are in ``benchmarks/``, section
    ``autosave``): every change is saved at most ``DEBOUNCE_MS`` after the last keystroke and at most
    ``MAX_DELAY_MS`` after the first unsaved one, however steadily the user types."""
    clock = SteppedClock()
    monkeypatch.setattr(live_meeting, "time", SimpleNamespace(monotonic=clock, perf_counter=time.perf_counter))
    assert live_meeting.DEBOUNCE_MS <= live_meeting.MAX_DELAY_MS < 1000
    meeting_id = world.schedule()
    window = live(qtbot, world, meeting_id)
    timer = window._save_timer
    press(qtbot, Qt.Key.Key_End, CTRL)
    for word in ("Første", "Anden", "Tredje"):
        type_(qtbot, f" {word}")
        assert window.save_label.text() == "Gemmer…"
        assert timer.isActive() and timer.interval() == live_meeting.DEBOUNCE_MS
        qtbot.waitUntil(lambda w=word: w in world.service.get(meeting_id).content.texts.get("formaal", ""))
        assert not timer.isActive() and not window.dirty
        assert window.save_label.text().startswith("Gemt kl. ")
    # Steady typing: a keystroke every 100 ms (by the window's clock). The save stays due no later than
    # MAX_DELAY_MS after the first unsaved keystroke; at the cap it is due at once and happens.
    first = clock.now
    due_at = []
    for _ in range(15):
        type_(qtbot, "x")
        if window.dirty:
            assert timer.isActive()
            due_at.append(round((clock.now - first) * 1000) + timer.interval())
        clock.now += 0.1
        if not timer.isActive() or timer.interval() == 0:
            qtbot.waitUntil(lambda: not window.dirty)
            first = clock.now
    assert due_at and max(due_at) <= live_meeting.MAX_DELAY_MS
    assert "xxx" in world.service.get(meeting_id).content.texts["formaal"]
    assert window.save_times_ms  # each save's duration is kept for the status log and the benchmark
    window.close()


def test_closing_the_window_saves_first(qtbot, world) -> None:
    meeting_id = world.schedule()
    window = live(qtbot, world, meeting_id)
    type_(qtbot, "Sidste ord")
    assert window.dirty
    window.close()
    assert "Sidste ord" in world.service.get(meeting_id).content.texts["formaal"]


def test_a_meeting_reopened_while_running_says_it_was_recovered(qtbot, world) -> None:
    meeting_id = world.schedule()
    window = live(qtbot, world, meeting_id)
    type_(qtbot, "Skrevet før nedbruddet")
    qtbot.waitUntil(lambda: not window.dirty, timeout=1500)
    window.hide()  # the process "dies": no close event, no final save
    window._save_timer.stop()

    again = live(qtbot, world, meeting_id)
    assert again.recovered_label.isVisible()
    assert "Mødet er genskabt fra seneste automatiske gem (" in again.recovered_label.text()
    assert "Skrevet før nedbruddet" in again.text_edits["formaal"].toPlainText()
    shot(again, "live-recovered")
    again.close()


def test_a_conflicting_save_keeps_my_text_as_a_note(qtbot, world) -> None:
    meeting_id = world.schedule()
    window = live(qtbot, world, meeting_id)
    # Someone else saves the meeting behind this window's back.
    other = world.service.get(meeting_id)
    assert other.version is not None
    world.service.save_content(
        meeting_id, MeetingContent(texts={"formaal": "Den andens tekst"}), expected_version=other.version
    )
    press(qtbot, Qt.Key.Key_End, CTRL)
    type_(qtbot, "Min tekst")
    box = modal(qtbot)
    assert "ændret et andet sted" in box.windowTitle()
    shot(box, "live-conflict")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # default: keep mine as a note
    qtbot.waitUntil(lambda: not window.dirty, timeout=1500)
    text = world.service.get(meeting_id).content.texts["formaal"]
    assert text.startswith("Den andens tekst")
    assert "Min tekst" in text and "Note" in text
    window.close()


def test_a_closed_meeting_opens_read_only(qtbot, world) -> None:
    meeting_id = world.schedule()
    started = world.service.start(meeting_id)
    assert started.version is not None
    world.service.close(meeting_id, expected_version=started.version)
    window = live(qtbot, world, meeting_id)
    assert window.read_only
    assert "afsluttet" in window.recovered_label.text()
    assert window.text_edits["formaal"].isReadOnly()
    assert not window.participants_editor.add_button.isEnabled()
    assert not window.act_close_meeting.isEnabled()
    window.close()


def test_a_closed_meetings_participants_and_agreements_stay_read_only_whichever_is_selected(qtbot, world) -> None:
    meeting_id = world.schedule()
    started = world.service.start(meeting_id)
    assert started.version is not None
    people = (Participant(key="a", name="Anna Andersen"), Participant(key="b", name="Bo Berg"))
    agreements = (AgreementItem(key="1", what="Bostøtte"), AgreementItem(key="2", what="Bolig"))
    content = MeetingContent(participants=people, agreements=agreements)
    saved = world.service.save_content(meeting_id, content, expected_version=started.version)
    assert saved.version is not None
    world.service.close(meeting_id, expected_version=saved.version)
    window = live(qtbot, world, meeting_id)
    for editor, form in (
        (window.participants_editor, window.participants_editor.name),
        (window.agreements_editor, window.agreements_editor.what),
    ):
        editor.table.selectRow(1)
        assert editor.current_row() == 1 and form.text() in ("Bo Berg", "Bolig")
        assert not form.isEnabled() and not editor.remove_button.isEnabled()
        editor.remove_selected()
        assert editor.table.rowCount() == 2
    window.close()


def test_sections_by_keyboard_and_every_control_reachable_by_tab(qtbot, world) -> None:
    window = live(qtbot, world, world.schedule())
    assert focused() is window.text_edits["formaal"]
    press(qtbot, Qt.Key.Key_Tab, CTRL)
    assert window.current_section().key == "deltagere"
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert window.current_section().key == "formaal"
    press(qtbot, Qt.Key.Key_PageUp, CTRL)  # wraps to the last section
    assert window.current_section().key == "opfoelgning"
    press(qtbot, Qt.Key.Key_F8)  # the first reminder: no kommune/region participant (C1)
    assert window.current_section().key == "deltagere"

    # Tab walks through every control of the participants section (a participant selected).
    editor = window.participants_editor
    type_(qtbot, "Anna Borger")
    press(qtbot, Qt.Key.Key_Return)
    seen = []
    for _ in range(30):
        press(qtbot, Qt.Key.Key_Tab)
        widget = focused()
        seen.append(widget.parent() if widget is editor.picker.lineEdit() else widget)
    wanted = [
        editor.picker,
        editor.add_button,
        editor.table,
        editor.name,
        editor.organisation,
        editor.sector,
        editor.role,
        editor.phone,
        editor.email,
        editor.present,
        editor.health,
        editor.remove_button,
    ]
    missing = [w.accessibleName() or w.objectName() or type(w).__name__ for w in wanted if w not in seen]
    assert not missing
    window.close()
