"""«Udskriv patienten…» on the demo ward when the required udskrivningsaftale is missing (E1): Registrér asks why
(the domain's refusal, a field for the answer, Udskriv uden … / Tilbage), the answer is kept on the discharge and
shown in Historik and Overblik, where the E1 deadline is overdue and missed — never «I dag»."""

from __future__ import annotations

from datetime import date

from helpers.qt import wait_for_modal
from helpers.screens import grab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from coordinator_app.domain.model import EventKind
from coordinator_app.ui.patients.admission_dialog import AdmissionDialog
from coordinator_app.ui.patients.notification_dialog import NotificationDialog
from coordinator_app.ui.plans.discharge_question import MissingPlanQuestion

REASON = "Patienten ønskede at gå og kunne ikke tilbageholdes (B8)."


def missing_aftale(window, skip: int = 0) -> int:
    """A current demo admission that requires an udskrivningsaftale and has none (the ``skip``-th such)."""
    found = []
    for row in range(window.patients_tab.model.rowCount()):
        r = window.patients_tab.model.row_at(row)
        panel = window.services.plans.panel(r.admission_id)
        if panel.overview.requirement.rule_id == "E1" and not panel.plans:
            found.append(r.admission_id)
    assert len(found) > skip, "the demo ward has udskrivningsaftaler missing"
    return found[skip]


def open_discharge(window, qtbot, admission_id: int) -> NotificationDialog:
    assert window.patients_tab.select_admission(admission_id)
    action = window.patients_tab.details.action_items[EventKind.DISCHARGE.value]
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    dialog = wait_for_modal(qtbot, NotificationDialog)
    assert "E1/E2" in " ".join(label.text() for label in dialog.findChildren(type(dialog.error_label)))
    return dialog


def register(qtbot, dialog: NotificationDialog) -> MissingPlanQuestion:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return wait_for_modal(qtbot, MissingPlanQuestion)


def test_discharge_without_the_udskrivningsaftale_asks_why_and_keeps_the_answer(main_window, qtbot) -> None:
    admission_id = missing_aftale(main_window)
    dialog = open_discharge(main_window, qtbot, admission_id)
    grab(dialog, "udskriv-patienten")
    question = register(qtbot, dialog)
    assert question.windowTitle() == "Udskriv uden udskrivningsaftale?"
    assert "Udskrivningsaftale kræves før udskrivning" in question.message.text()
    assert "(E1)" in question.message.text()
    assert not question.discharge_button.isEnabled()  # nothing said yet
    qtbot.waitUntil(lambda: QApplication.focusWidget() is question.reason)  # the answer has the focus
    qtbot.keyClicks(question.reason, REASON)
    assert question.discharge_button.isEnabled()
    assert question.discharge_button.text() == "&Udskriv uden udskrivningsaftale"
    # Tab order: the answer, then Udskriv uden …, then Tilbage.
    qtbot.keyClick(question.reason, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is question.discharge_button
    qtbot.keyClick(question.discharge_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is question.back_button
    grab(question, "udskriv-uden-udskrivningsaftale")
    qtbot.mouseClick(question.discharge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert main_window.statusBar().currentMessage() == "Registreret."

    details = main_window.services.admissions.details(admission_id)
    assert details.status == "Udskrevet"
    [discharge] = [e for e in details.events if e.kind is EventKind.DISCHARGE]
    assert discharge.note == f"Udskrevet uden udskrivningsaftale (E1): {REASON}"

    main_window.patients_tab.open_admission(admission_id)  # shows the discharged admissions
    assert main_window.patients_tab.selected_admission_id() == admission_id
    panel = main_window.patients_tab.details
    history = panel.history
    shown = [history.item(r, 1).text() for r in range(history.rowCount())]
    assert any(text.startswith("Udskrivning\nUdskrevet uden udskrivningsaftale (E1): ") for text in shown)
    assert f"Begrundelse: {REASON}" in panel.plan_line.text()
    table = panel.deadlines
    states = {table.item(r, 3).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert states["E1"] == "⚠ Overskredet (kan ikke længere nås)"  # missed — not «● I dag»
    main_window.resize(1400, 900)
    panel.tabs.setCurrentWidget(panel.overview)
    grab(main_window, "udskrevet-uden-aftale-overblik")
    panel.tabs.setCurrentWidget(panel.history_tab)
    grab(main_window, "udskrevet-uden-aftale-historik")
    panel.tabs.setCurrentWidget(panel.plan_tab)
    assert any(f"Begrundelse: {REASON}" in label.text() for label in panel.plan_tab.findChildren(QLabel))
    grab(main_window, "udskrevet-uden-aftale-aftale-plan")


def test_tilbage_leaves_the_patient_admitted(main_window, qtbot) -> None:
    admission_id = missing_aftale(main_window, skip=1)
    dialog = open_discharge(main_window, qtbot, admission_id)
    question = register(qtbot, dialog)
    qtbot.keyClick(question, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not question.isVisible())
    assert dialog.isVisible() and dialog.result_value is None
    question = register(qtbot, dialog)  # asked again: the domain still refuses
    qtbot.mouseClick(question.back_button, Qt.MouseButton.LeftButton)
    dialog.reject()
    details = main_window.services.admissions.details(admission_id)
    assert details.admission.discharged is None
    assert not [e for e in details.events if e.kind is EventKind.DISCHARGE]


def test_a_discharge_date_typed_into_ret_indlaeggelse_points_to_udskriv_patienten(main_window, qtbot) -> None:
    """Ret indlæggelse has no place for the answer: a discharge date that would leave the udskrivningsaftale
    missing is refused there (E1), the form keeps what was typed, and the message says where to discharge."""
    admission_id = missing_aftale(main_window)
    assert main_window.patients_tab.select_admission(admission_id)
    main_window.patients_tab.table.setFocus()
    qtbot.keyClick(main_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_for_modal(qtbot, AdmissionDialog)
    shown = dialog.discharged.edit.date()
    dialog.discharged.set_value(date(shown.year(), shown.month(), shown.day()))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    message = dialog.error_label.text()
    assert "Udskrivningsaftale mangler (E1)" in message and "«Udskriv patienten…»" in message
    assert dialog.discharged.value() is not None  # nothing typed is lost
    grab(dialog, "ret-indlaeggelse-udskrivning-uden-aftale")
    dialog.reject()
    assert main_window.services.admissions.details(admission_id).admission.discharged is None
