"""An ambulant patient's netværksmøde from the Møder tab (issue 5, C4), by keyboard: who (CPR and name), then
the schedule dialog without an admission; the meeting is listed with the patient's name, runs live and its
referat is archived at the patient."""

from __future__ import annotations

from helpers.qt import wait_for_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coordinator_app.domain.meetings import FollowUp, MeetingContent, Occasion, Participant
from coordinator_app.domain.model import Sector
from coordinator_app.storage.repositories import PatientRepository
from coordinator_app.ui.meetings.meeting_schedule_dialog import ScheduleDialog
from coordinator_app.ui.patients.ambulant_patient_dialog import AmbulantPatientDialog

NAME = ("Testa", "Fiktivsen")
CANDIDATES = ("010190-9909", "020290-9908", "030390-9907", "040490-9906")

NONE = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(focused(), key, modifier)


def type_(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def unknown_cpr(window) -> str:
    """A synthetic CPR the demo ward does not use (a new patient)."""
    with window.services.ctx.database.session() as session:
        patients = PatientRepository(session)
        return next(c for c in CANDIDATES if patients.find_by_cpr(c.replace("-", "")) is None)


def cpr_of(window, patient_id: int) -> str:
    with window.services.ctx.database.session() as session:
        return PatientRepository(session).get(patient_id).cpr


def open_ambulant_dialog(window, qtbot) -> AmbulantPatientDialog:
    window.activateWindow()  # the offscreen platform does not hand activation back after a dialog closed
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.meetings_tab
    assert window.meetings_tab.ambulant_button.text() == "Nyt møde (&ambulant)…"
    qtbot.keyClick(window, Qt.Key.Key_A, ALT)
    dialog = wait_for_modal(qtbot, AmbulantPatientDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cpr)
    return dialog


def schedule_ambulant(window, qtbot) -> tuple[int, str]:
    """Keyboard only: an invalid CPR is refused in Danish, a valid one leads on to the schedule dialog."""
    cpr = unknown_cpr(window)
    dialog = open_ambulant_dialog(window, qtbot)
    type_(qtbot, cpr[:-1])  # one digit short
    press(qtbot, Qt.Key.Key_F, ALT)
    assert focused() is dialog.given_name
    type_(qtbot, NAME[0])
    press(qtbot, Qt.Key.Key_N, ALT)
    assert focused() is dialog.family_name
    type_(qtbot, NAME[1])
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.activeModalWidget() is dialog  # refused, still open
    assert dialog.error_label.isVisible()
    assert "Et CPR-nummer har 10 cifre" in dialog.error_label.text()
    assert focused() is dialog.cpr

    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_(qtbot, cpr)
    press(qtbot, Qt.Key.Key_Return)
    schedule = wait_for_modal(qtbot, ScheduleDialog)
    assert dialog.patient is not None and dialog.patient.name == " ".join(NAME)
    assert schedule.occasion.currentData() == Occasion.PATIENT_ELLER_PAAROERENDE  # C4, ambulant
    qtbot.waitUntil(lambda: QApplication.focusWidget() is schedule.occasion)
    press(qtbot, Qt.Key.Key_S, ALT)
    assert focused() is schedule.place
    type_(qtbot, "Ambulatoriets mødelokale")
    press(qtbot, Qt.Key.Key_G, ALT)  # Gem møde
    qtbot.waitUntil(lambda: schedule.meeting is not None)
    meeting = schedule.meeting
    assert meeting is not None and meeting.id is not None
    assert meeting.admission_id is None and meeting.patient_id == dialog.patient.id
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    return meeting.id, meeting.reference


def listed(window) -> dict[str, str]:
    table = window.meetings_tab.table
    return {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}


def test_an_ambulant_meeting_is_scheduled_by_keyboard_and_listed_with_the_patients_name(main_window, qtbot) -> None:
    meeting_id, reference = schedule_ambulant(main_window, qtbot)
    qtbot.waitUntil(lambda: reference in listed(main_window))
    assert listed(main_window)[reference] == "Testa Fiktivsen"
    row = next(r for r in range(main_window.meetings_tab.table.rowCount())
               if main_window.meetings_tab.table.item(r, 1).text() == reference)  # fmt: skip
    assert main_window.meetings_tab.table.item(row, 3).text() == "Indkaldt af patient eller pårørende (C4)"
    main_window.meetings_tab.table.selectRow(row)
    assert main_window.meetings_tab.selected_meeting_id() == meeting_id
    assert not main_window.meetings_tab.patient_button.isEnabled()  # no admission to show
    assert main_window.services.meetings.get(meeting_id).admission_id is None


def test_a_known_cpr_keeps_the_stored_name_and_asks_before_going_on(main_window, qtbot) -> None:
    meeting_id, _reference = schedule_ambulant(main_window, qtbot)
    patient_id = main_window.services.meetings.get(meeting_id).patient_id
    cpr = cpr_of(main_window, patient_id)
    dialog = open_ambulant_dialog(main_window, qtbot)
    type_(qtbot, cpr)
    press(qtbot, Qt.Key.Key_F, ALT)
    type_(qtbot, "Anden")
    press(qtbot, Qt.Key.Key_N, ALT)
    type_(qtbot, "Stavemåde")
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.activeModalWidget() is dialog
    assert dialog.notice_label.isVisible()
    assert "er registreret på Testa Fiktivsen" in dialog.notice_label.text()
    press(qtbot, Qt.Key.Key_Return)  # go on with the known patient
    schedule = wait_for_modal(qtbot, ScheduleDialog)
    assert dialog.patient is not None and dialog.patient.id == patient_id
    assert main_window.services.admissions.patient_names([patient_id]) == {patient_id: "Testa Fiktivsen"}  # not renamed
    schedule.reject()


def test_live_meeting_and_referat_work_without_an_admission(main_window, qtbot) -> None:
    from coordinator_app.ui.meetings.live_meeting import LiveMeetingWindow
    from coordinator_app.ui.meetings.referat_dialog import ReferatDialog

    meeting_id, reference = schedule_ambulant(main_window, qtbot)
    tab = main_window.meetings_tab
    qtbot.waitUntil(lambda: reference in listed(main_window))
    tab.table.selectRow(next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 1).text() == reference))
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    qtbot.keyClick(tab.table, Qt.Key.Key_L, ALT)  # Live-møde
    early = wait_for_modal(qtbot, QMessageBox)  # planned for a later day: asked first (C2–C4)
    assert early.windowTitle() == "Start mødet før den planlagte dag?"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is early)  # a mnemonic reaches only the active window
    qtbot.keyClick(early, Qt.Key.Key_S, ALT)  # «Start mødet nu»
    qtbot.waitUntil(lambda: any(isinstance(w, LiveMeetingWindow) for w in main_window.meeting_actions.windows))
    windows = [w for w in main_window.meeting_actions.windows if isinstance(w, LiveMeetingWindow)]
    assert windows[0].windowTitle() == f"Netværksmøde {reference} – Testa Fiktivsen"
    windows[0].close()

    service = main_window.services.meetings
    meeting = service.get(meeting_id)
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
    main_window.meeting_actions.meeting_action(meeting_id, "referat")
    dialog = wait_for_modal(qtbot, ReferatDialog)
    dialog.activateWindow()  # the live window that just closed had the activation
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.issue_button)
    press(qtbot, Qt.Key.Key_U, ALT)  # Udsted referat
    qtbot.waitUntil(lambda: dialog.document is not None)
    document = dialog.document
    assert document is not None
    assert document.admission_id is None and document.patient_id == meeting.patient_id
    assert "⚠" not in dialog.message.text()
    assert main_window.statusBar().currentMessage() == f"Referatet er arkiveret: Referat af netværksmøde {reference}"
    dialog.reject()
