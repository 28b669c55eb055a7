"""The agreement's guards in the Møder UI (issue 16), clicked as a coordinator would on the demo ward:

* «Afholdte» lists the held meetings with their referat's state, and the referat is issued from there (C7);
* the referat dialog lists every participant and says why one does not receive it; a participant without e-mail
  gets an address there, without consent;
* the summary after ending a meeting opens the referat dialog;
* starting a meeting before its planned day asks first (C2), and «Annullér» starts nothing;
* the participant picker offers the patient (as borger) and the Kontaktbog; a new person's sector is chosen, not
  defaulted (C1); mødeleder = referent is shown under Roller (C6).
"""

from __future__ import annotations

from datetime import UTC, datetime

from helpers.qt import wait_for_modal
from helpers.screens import grab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget, QWidget

from coordinator_app.domain.meetings import (
    FollowUp,
    MeetingContent,
    MeetingStatus,
    Occasion,
    Participant,
    patient_participant,
)
from coordinator_app.domain.model import Sector
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.meetings import ScheduleInput
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.meetings.live_meeting import LiveMeetingWindow
from coordinator_app.ui.meetings.meetings_tab import NOT_ISSUED
from coordinator_app.ui.meetings.participants_editor import DIRECTORY_MARK, NO_SECTOR
from coordinator_app.ui.meetings.referat_dialog import ADD_ADDRESS, ReferatDialog
from coordinator_app.ui.meetings.roles_follow_up import SAME_PERSON

#: Thursday 26 November 2026, 10:00 in Copenhagen: three days after the demo ward's day (Monday 23 November).
THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def first_admission(window) -> tuple[int, int, str]:
    """The first admission of the list: its patient, its id and the patient's name."""
    window.patients_tab.table.selectRow(0)
    admission_id = window.patients_tab.selected_admission_id()
    details = window.services.admissions.details(admission_id)
    assert details.patient.id is not None
    return details.patient.id, admission_id, details.patient.name


def schedule(window, planned_at: datetime | None = None) -> tuple[int, str]:
    patient_id, admission_id, _name = first_admission(window)
    meeting = window.services.meetings.schedule(
        ScheduleInput(
            patient_id=patient_id,
            admission_id=admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=window.services.ctx.clock.today(),
            planned_at=planned_at,
            place="Afsnit 7, mødelokale 2",
        )
    )
    assert meeting.id is not None
    return meeting.id, meeting.reference


def held_with_the_patient(window) -> tuple[int, str]:
    """A meeting held today: kommune and region with e-mail, the patient without, the sister sent afbud."""
    meeting_id, reference = schedule(window)
    service = window.services.meetings
    _pid, _aid, name = first_admission(window)
    me = patient_participant(name)
    content = MeetingContent(
        participants=(
            Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE, email="kis@example.dk"),
            Participant("r", "Rie Regionsen", "Psykiatrisk Center", Sector.REGION, email="rie@example.dk"),
            me,
            Participant("s", "Søster Fiktivsen", "", Sector.PAAROERENDE, email="soester@example.dk", present=False),
        ),
        leader_key="k",
        referent_key="r",
        follow_up=FollowUp(needed=False),
    )
    started = service.start(meeting_id)
    saved = service.save_content(meeting_id, content, expected_version=started.version or 0)
    service.close(meeting_id, expected_version=saved.version or 0)
    return meeting_id, reference


def show_meetings_tab(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.meetings_tab
    return window.meetings_tab


def row_of(table: QTableWidget, column: int, text: str) -> int:
    return next(r for r in range(table.rowCount()) if cell(table, r, column).text() == text)


def click_row(qtbot, table: QTableWidget, column: int, text: str) -> int:
    row = row_of(table, column, text)
    rect = table.visualItemRect(cell(table, row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return row


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


# -- Afholdte and the referat (C7) -------------------------------------------------------------------------------
def test_afholdte_lists_the_held_meeting_and_its_referat_is_issued_from_there(main_window, qtbot) -> None:
    meeting_id, reference = held_with_the_patient(main_window)
    tab = show_meetings_tab(main_window, qtbot)
    assert reference not in [cell(tab.table, r, 1).text() for r in range(tab.table.rowCount())]  # no longer coming
    bar = tab.pages.tabBar()
    assert bar.tabText(1).startswith("Afh&oldte (")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert tab.pages.currentWidget() is tab.held_table
    row = click_row(qtbot, tab.held_table, 1, reference)
    assert cell(tab.held_table, row, 4).text() == NOT_ISSUED
    assert tab.selected_meeting_id() == meeting_id
    assert tab.referat_button.isEnabled() and not tab.live_button.isEnabled()
    grab(main_window, "meeting-afholdte")

    qtbot.mouseClick(tab.referat_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ReferatDialog)
    # Every participant is listed; the patient (no e-mail) and the sister (afbud) with the reason.
    names = [cell(dialog.table, r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["Kis Kommunesen", "Rie Regionsen", first_admission(main_window)[2], "Søster Fiktivsen"]
    answers = [cell(dialog.table, r, 2).text() for r in range(dialog.table.rowCount())]
    assert answers[0].startswith("Ja – Deltager (C7)")
    assert answers[2].startswith("Nej – Ingen e-mail: udlever referatet til patienten")
    assert answers[3].startswith("Nej – Meldte afbud") and "samtykke (C7)" in answers[3]
    assert dialog.summary.text().startswith("2 af 4 får referatet.")
    grab(dialog, "meeting-referat-every-participant")

    # The patient took part: choose her row, give an address — no consent needed.
    click_row(qtbot, dialog.table, 0, names[2])
    assert dialog.add_button.text() == ADD_ADDRESS
    assert dialog.name.text() == names[2] and not dialog.name.isEnabled()
    assert focused() is dialog.address
    qtbot.keyClicks(dialog.address, "Testvej 1, 2100 København Ø")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "⚠" not in dialog.message.text()
    assert cell(dialog.table, 2, 1).text() == "Testvej 1, 2100 København Ø"
    assert cell(dialog.table, 2, 2).text().startswith("Ja – Deltager (C7)")
    assert dialog.summary.text().startswith("3 af 4 får referatet.")
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert dialog.document is not None
    dialog.reject()

    qtbot.waitUntil(
        lambda: cell(tab.held_table, click_row(qtbot, tab.held_table, 1, reference), 4).text() != NOT_ISSUED
    )
    row = click_row(qtbot, tab.held_table, 1, reference)
    assert cell(tab.held_table, row, 4).text() == "Udstedt 23-11-2026 kl. 10:00"


def test_the_summary_after_ending_a_meeting_opens_the_referat(main_window, qtbot) -> None:
    meeting_id, reference = schedule(main_window)  # no day planned: started at once
    main_window.meeting_actions.meeting_action(meeting_id, "live")
    qtbot.waitUntil(lambda: bool(main_window.meeting_actions.windows))
    window = main_window.meeting_actions.windows[-1]
    assert isinstance(window, LiveMeetingWindow)
    qtbot.waitUntil(window.isActiveWindow)
    window.close_meeting()
    summary = wait_for_modal(qtbot, QMessageBox)
    assert "under «Afholdte»" in summary.text()
    referat = next(b for b in summary.buttons() if b.text() == "Udsted &referat…")
    assert summary.defaultButton() is summary.button(QMessageBox.StandardButton.Ok)  # Enter closes, as before
    grab(summary, "meeting-summary-with-referat")
    qtbot.mouseClick(referat, Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ReferatDialog)
    assert dialog.windowTitle() == f"Referat og distribution – {reference}"
    assert not window.isVisible()
    dialog.reject()


# -- starting before the planned day (C2) -------------------------------------------------------------------------
def test_starting_a_meeting_before_its_planned_day_asks_first(main_window, qtbot) -> None:
    meeting_id, reference = schedule(main_window, planned_at=THURSDAY)
    tab = show_meetings_tab(main_window, qtbot)
    main_window.meeting_actions.refresh_tab()
    click_row(qtbot, tab.table, 1, reference)
    grab(main_window, "meeting-kommende")
    qtbot.mouseClick(tab.live_button, Qt.MouseButton.LeftButton)
    box = wait_for_modal(qtbot, QMessageBox)
    assert box.windowTitle() == "Start mødet før den planlagte dag?"
    assert "26-11-2026 kl. 10:00 – om 3 dage" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)  # «Annullér»: Enter starts nothing
    grab(box, "meeting-start-early-question")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert main_window.services.meetings.get(meeting_id).status is MeetingStatus.PLANLAGT
    assert not main_window.meeting_actions.windows
    assert main_window.statusBar().currentMessage() == f"Mødet {reference} er ikke startet."

    qtbot.mouseClick(tab.live_button, Qt.MouseButton.LeftButton)
    box = wait_for_modal(qtbot, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)  # «Start mødet nu»
    qtbot.waitUntil(lambda: bool(main_window.meeting_actions.windows))
    assert main_window.services.meetings.get(meeting_id).status is MeetingStatus.I_GANG
    main_window.meeting_actions.windows[-1].close()


# -- the picker, the sector and the roles (C1, C6) ------------------------------------------------------------------
def test_the_picker_offers_the_patient_and_the_kontaktbog_and_a_new_persons_sector_is_chosen(
    main_window, qtbot
) -> None:
    ContactService(main_window.services.ctx).add(
        ContactInput(
            name="Kim Kontaktbog", organisation="Københavns Kommune", sector=Sector.KOMMUNE, role="sagsbehandler"
        )
    )
    meeting_id, _reference = schedule(main_window)
    name = first_admission(main_window)[2]
    main_window.meeting_actions.meeting_action(meeting_id, "live")
    qtbot.waitUntil(lambda: bool(main_window.meeting_actions.windows))
    window = main_window.meeting_actions.windows[-1]
    assert isinstance(window, LiveMeetingWindow)
    qtbot.waitUntil(window.isActiveWindow)
    editor = window.participants_editor
    picker = editor.picker
    texts = [picker.itemText(i) for i in range(picker.count())]
    assert texts[0] == f"{name} – Borger (patienten)"
    assert "Kim Kontaktbog (Københavns Kommune) – Kommune" + DIRECTORY_MARK in texts
    assert "Kontaktbogen" in editor.picker_edit.placeholderText()
    window.go_to(next(i for i, s in enumerate(window.sections) if s.key == "deltagere"))
    picker.showPopup()
    popup = picker.view().window()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.width() >= picker.width() // 2)
    grab(popup, "meeting-picker-kontaktbog")
    picker.hidePopup()

    # The patient, typed by name: a borger. A Kontaktbog person: their sector and details. A new one: no sector.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for typed, then in ((name, editor.phone), ("Kim Kontaktbog", editor.role), ("Dorte Dam", editor.organisation)):
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert focused() in (picker, editor.picker_edit)
        qtbot.keyClicks(focused(), typed)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # to the focus widget, as the keyboard sends it
        assert focused() is then
    people = editor.people()
    assert [(p.name, p.sector, p.role) for p in people] == [
        (name, Sector.BORGER, "patient"),
        ("Kim Kontaktbog", Sector.KOMMUNE, "sagsbehandler"),
        ("Dorte Dam", None, ""),
    ]
    assert editor.sector.currentText() == NO_SECTOR
    assert cell(editor.table, 2, 2).text() == "Ikke valgt"
    assert "Vælg sektor for Dorte Dam. (C1)" in window.warnings_label.text()
    grab(window, "meeting-participants-sector-not-chosen")

    # Roller: the same person as mødeleder and referent is shown as a reminder (C6).
    roles = window.roles_editor
    window.go_to(next(i for i, s in enumerate(window.sections) if s.key == "roller"))
    roles.leader.setCurrentIndex(roles.leader.findText("Kim Kontaktbog (Københavns Kommune)"))
    assert roles.same_person.isHidden()
    roles.referent.setFocus()
    roles.referent.setCurrentIndex(roles.referent.findText("Kim Kontaktbog (Københavns Kommune)"))
    assert not roles.same_person.isHidden() and roles.same_person.text() == SAME_PERSON
    grab(window, "meeting-roles-same-person")
    roles.referent.setCurrentIndex(0)
    assert roles.same_person.isHidden()
    window.close()
