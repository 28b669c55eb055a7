"""Netværksmøder from the main window: schedule from the admission, the Møder tab, live meeting, tasks in Overblik."""

from __future__ import annotations

from datetime import date

from helpers.qt import wait_for_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from coordinator_app.domain.meetings import AgreementItem, FollowUp, MeetingContent, Participant
from coordinator_app.domain.model import Sector
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.meetings.meeting_schedule_dialog import ScheduleDialog


def schedule_for_first_admission(window, qtbot) -> tuple[int, int]:
    window.patients_tab.table.selectRow(0)
    admission_id = window.patients_tab.selected_admission_id()
    window.patients_tab.details.tabs.setCurrentIndex(2)
    assert window.patients_tab.details.tabs.tabText(2) == "Mød&er"
    before = window.patients_tab.details.meetings.rowCount()
    qtbot.mouseClick(window.patients_tab.details.new_meeting_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ScheduleDialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    meeting = dialog.meeting
    assert meeting is not None and meeting.id is not None, dialog.findChildren(type(dialog.save_button))
    dialog.accept()
    qtbot.waitUntil(lambda: window.patients_tab.details.meetings.rowCount() == before + 1)
    return admission_id, meeting.id


def test_schedule_from_the_admission_and_see_it_in_both_meeting_lists(main_window, qtbot) -> None:
    admission_id, meeting_id = schedule_for_first_admission(main_window, qtbot)
    details = main_window.services.admissions.details(admission_id)
    assert any(e.kind.value == "netvaerksmoede_indkaldt" for e in details.events)
    qtbot.keyClick(main_window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert main_window.tabs.currentWidget() is main_window.meetings_tab
    references = [
        main_window.meetings_tab.table.item(r, 1).text() for r in range(main_window.meetings_tab.table.rowCount())
    ]
    assert main_window.services.meetings.get(meeting_id).reference in references


def test_closed_meeting_agreements_show_as_deadlines_in_overblik(main_window, qtbot) -> None:
    admission_id, meeting_id = schedule_for_first_admission(main_window, qtbot)
    service = main_window.services.meetings
    meeting = service.start(meeting_id, before_planned_day=True)  # planned for tomorrow: the early start confirmed
    content = MeetingContent(
        texts={"formaal": "Udskrivning"},
        participants=(
            Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE),
            Participant("r", "Rie Regionsen", "Psykiatrisk Center København", Sector.REGION, health_professional=True),
        ),
        leader_key="k",
        referent_key="r",
        agreements=(AgreementItem("a1", "Bostøtte bevilges", "k", date(2026, 11, 20)),),
        follow_up=FollowUp(needed=False),
    )
    meeting = service.save_content(meeting_id, content, expected_version=meeting.version)
    service.close(meeting_id, expected_version=meeting.version)
    main_window.patients_tab.show_admission(admission_id)
    table = main_window.patients_tab.details.deadlines
    rows = [
        (table.item(r, 0).text(), table.item(r, 2).text(), table.item(r, 4).text()) for r in range(table.rowCount())
    ]
    assert (
        "Aftale fra netværksmøde: Bostøtte bevilges",
        "⚠ Overskredet",
        "Kis Kommunesen (Københavns Kommune)",
    ) in rows


def test_live_meeting_opens_from_the_details(main_window, qtbot) -> None:
    from coordinator_app.ui.meetings.live_meeting import LiveMeetingWindow

    _admission_id, meeting_id = schedule_for_first_admission(main_window, qtbot)
    main_window.patients_tab.details.meetings.selectRow(0)
    qtbot.mouseClick(main_window.patients_tab.details.meeting_buttons["live"], Qt.MouseButton.LeftButton)
    early = wait_for_modal(qtbot, QMessageBox)  # planned for tomorrow: asked first (C2–C4)
    qtbot.mouseClick(early.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)  # «Start mødet nu»
    qtbot.waitUntil(lambda: bool(main_window.meeting_actions.windows))
    windows = [w for w in main_window.meeting_actions.windows if isinstance(w, LiveMeetingWindow)]
    assert windows
    assert main_window.services.meetings.get(meeting_id).status.value == "i_gang"
    windows[0].close()


def close_simple_meeting(window, qtbot) -> tuple[int, int]:
    admission_id, meeting_id = schedule_for_first_admission(window, qtbot)
    service = window.services.meetings
    meeting = service.start(meeting_id, before_planned_day=True)  # planned for tomorrow: the early start confirmed
    content = MeetingContent(
        participants=(
            Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE, email="kis@example.dk"),
            Participant("r", "Rie Regionsen", "Psykiatrisk Center", Sector.REGION, email="rie@example.dk"),
        ),
        leader_key="k",
        referent_key="r",
        follow_up=FollowUp(needed=False),
    )
    meeting = service.save_content(meeting_id, content, expected_version=meeting.version)
    service.close(meeting_id, expected_version=meeting.version)
    window.patients_tab.show_admission(admission_id)
    return admission_id, meeting_id


def test_referat_distribution_refuses_the_gp_without_consent_then_accepts_with(main_window, qtbot) -> None:
    from coordinator_app.ui.meetings.referat_dialog import ReferatDialog
    from coordinator_app.ui.patients.consent_dialog import ConsentDialog

    admission_id, _meeting_id = close_simple_meeting(main_window, qtbot)
    main_window.patients_tab.details.meetings.selectRow(0)
    qtbot.mouseClick(main_window.patients_tab.details.meeting_buttons["referat"], Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ReferatDialog)
    assert dialog.table.rowCount() == 2  # the participants, by default
    qtbot.keyClicks(dialog.name, "Læge Fiktiv")
    qtbot.keyClicks(dialog.address, "laege@example.dk")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "samtykke" in dialog.message.text() and "C7" in dialog.message.text()
    assert dialog.table.rowCount() == 2
    dialog.reject()

    # Record the GP consent in the consent dialog, then the GP can be added.
    qtbot.mouseClick(main_window.patients_tab.details.consent_button, Qt.MouseButton.LeftButton)
    consents = wait_for_modal(qtbot, ConsentDialog)
    consents.recipient.setCurrentIndex(consents.recipient.findText("Egen læge"))
    qtbot.keyClicks(consents.given_to, "Egen læge")
    qtbot.mouseClick(consents.add_button, Qt.MouseButton.LeftButton)
    assert any(cell(consents.table, r, 0).text() == "Egen læge" for r in range(consents.table.rowCount()))
    consents.reject()

    main_window.patients_tab.details.meetings.selectRow(0)
    qtbot.mouseClick(main_window.patients_tab.details.meeting_buttons["referat"], Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ReferatDialog)
    qtbot.keyClicks(dialog.name, "Læge Fiktiv")
    qtbot.keyClicks(dialog.address, "laege@example.dk")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 3
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert dialog.document is not None
    dialog.reject()
    qtbot.waitUntil(lambda: main_window.patients_tab.details.documents.rowCount() >= 1)
    documents = main_window.patients_tab.details.documents
    titles = [documents.item(r, 1).text() for r in range(documents.rowCount())]
    assert any(t.startswith("Referat af netværksmøde") for t in titles)
    assert admission_id == main_window.patients_tab.selected_admission_id()


def test_withdrawing_a_consent_is_confirmed_and_kept_in_the_list(main_window, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from coordinator_app.ui.patients.consent_dialog import ConsentDialog

    main_window.patients_tab.table.selectRow(0)
    qtbot.mouseClick(main_window.patients_tab.details.consent_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ConsentDialog)
    qtbot.keyClicks(dialog.given_to, "Søster")
    dialog.recipient.setCurrentIndex(dialog.recipient.findText("Pårørende"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.table.selectRow(0)  # newest first
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert cell(dialog.table, 0, 5).text().startswith("Trukket tilbage")
    assert not dialog.withdraw_button.isEnabled()
    dialog.reject()


def test_funktioner_menu_opens_the_contact_book_and_the_template_editor(main_window, qtbot) -> None:
    from coordinator_app.ui.contacts.contacts_dialog import ContactsDialog

    functions, meetings = main_window.settings_actions, main_window.meeting_actions
    main_window.act_contacts.trigger()
    qtbot.waitUntil(lambda: isinstance(functions.open_dialog, ContactsDialog) and functions.open_dialog.isVisible())
    assert functions.open_dialog.windowTitle().startswith("Kontaktbog")
    functions.open_dialog.reject()
    main_window.act_template.trigger()
    qtbot.waitUntil(lambda: meetings.open_dialog is not None and meetings.open_dialog.isVisible())
    assert "skabelon" in meetings.open_dialog.windowTitle().casefold()
    meetings.open_dialog.reject()
