"""Issue 16 on screen, on the demo ward with the clock frozen at Monday 23-11-2026: every deadline row in I dag and
Overblik carries the action that fulfils it, and one click on the *Handling* link, Ctrl+Enter (I dag), Enter
(Overblik) or the button under the list opens the right dialog for the right admission — the scenario wizard
(A1), the Send dialog (B1–B5), a new netværksmøde (C2) and the plan (E1). A refused action is greyed out with the
services' reason and says it when asked for anyway. An admission whose history cannot be read is the first row of
I dag, and its action opens the form with the reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers.qt import wait_for_modal
from helpers.screens import grab
from helpers.today import click_action_link, first_row, show_today, today_rows
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QWizard

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.model import EventKind
from coordinator_app.domain.workdays import local_date
from coordinator_app.services.context import fixed_clock
from coordinator_app.services.deadline_actions import HISTORY_ERROR, action_for
from coordinator_app.storage.database import open_database
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository
from coordinator_app.ui.meetings.meeting_schedule_dialog import ScheduleDialog
from coordinator_app.ui.patients.admission_dialog import AdmissionDialog
from coordinator_app.ui.patients.details_overview import COL_ACTION as OVERBLIK_ACTION
from coordinator_app.ui.patients.details_overview import MIN_DESCRIPTION
from coordinator_app.ui.patients.notification_dialog import NotificationDialog
from coordinator_app.ui.patients.scenario_wizard import PAGE_PLAN, ScenarioWizard
from coordinator_app.ui.plans.plan_editor import PlanEditorDialog
from coordinator_app.ui.plans.plan_new_dialog import NewPlanDialog
from coordinator_app.ui.shell.app import LaunchOptions, build_window, ensure_application, install_danish
from coordinator_app.ui.today.today_tab import ACTION_WIDTH, COL_ACTION, COL_WHAT, COLUMN_WIDTHS, MIN_WHAT

DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CTRL = Qt.KeyboardModifier.ControlModifier


def close(dialog: QDialog) -> None:
    dialog.reject()
    QApplication.processEvents()


# -- I dag --------------------------------------------------------------------------------------------------------
def test_every_row_of_i_dag_shows_the_action_that_fulfils_it(main_window) -> None:
    tab = show_today(main_window)
    rows = today_rows(tab)
    for index, item in rows:
        assert item.action == action_for(item.kind)
        assert index.siblingAtColumn(COL_ACTION).data() == (item.action.label if item.action else "")
    labels = {item.rule_id: item.action.label for _, item in rows if item.action is not None}
    assert labels["A1"] == "Vurder scenarie…"  # the not yet assessed admissions: asked at once (issue 16)
    assert (labels["B5"] in ("Send varsling…", "Send færdigmelding…")) and labels["C2"] == "Nyt netværksmøde…"
    assert labels["E1"] == "Lav udskrivningsaftale…"
    assert all(item.action is None for _, item in rows if item.is_task)  # a meeting's agreement opens the admission


def test_a_click_on_vurder_scenarie_opens_the_wizard_for_that_admission(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, lambda i: i.rule_id == "A1")
    assert "Vurder scenarie" in index.siblingAtColumn(1).data()
    click_action_link(qtbot, tab, index)
    wizard = wait_for_modal(qtbot, ScenarioWizard)
    assert wizard.admission_id == item.admission_id
    assert main_window.tabs.currentWidget() is tab  # the work goes on from I dag
    close(wizard)


def test_the_assessment_made_from_i_dag_takes_the_a1_row_away(main_window, qtbot) -> None:
    """The duty done through its action is gone from I dag at once (no false to-do left behind)."""
    tab = show_today(main_window)
    index, item = first_row(tab, lambda i: i.rule_id == "A1")
    click_action_link(qtbot, tab, index)
    wizard = wait_for_modal(qtbot, ScenarioWizard)
    for page, text in ((wizard.indsats_page, "Nej, ingen kommunal indsats"), (wizard.support_page, "Nej, intet")):
        (button,) = [b for b in page.group.buttons() if b.text().replace("&", "").startswith(text)]
        button.setChecked(True)
        wizard.next()
    while wizard.currentId() != PAGE_PLAN:
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    qtbot.waitUntil(
        lambda: all(not (i.admission_id == item.admission_id and i.rule_id == "A1") for _, i in today_rows(tab))
    )
    assert main_window.tabs.currentWidget() is tab


def test_ctrl_enter_on_a_varsling_opens_the_send_dialog_for_the_varsling(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, lambda i: i.kind == "varsling")
    tab.view.setFocus()
    tab.view.setCurrentIndex(index)
    assert (tab.action_button.text(), tab.action_button.isEnabled()) == ("Send varsling…", True)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return, CTRL)
    dialog = wait_for_modal(qtbot, NotificationDialog)
    assert dialog.windowTitle() == f"Send varsling – {item.patient_name}"
    assert dialog._details.admission.id == item.admission_id and dialog._kind is EventKind.VARSLING
    close(dialog)
    assert main_window.tabs.currentWidget() is tab


def test_the_button_on_a_c2_row_plans_a_new_netvaerksmoede(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, lambda i: i.rule_id == "C2")
    tab.view.setCurrentIndex(index)
    assert tab.action_button.text() == "Nyt netværksmøde…"
    qtbot.mouseClick(tab.action_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_modal(qtbot, ScheduleDialog)
    assert (dialog._admission_id, dialog._patient_id) == (item.admission_id, item.patient_id)
    close(dialog)


def test_an_e1_row_opens_the_plan_for_that_admission(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, lambda i: i.rule_id == "E1")
    click_action_link(qtbot, tab, index)
    qtbot.waitUntil(lambda: isinstance(main_window.patients_tab.plan_actions.dialog, NewPlanDialog | PlanEditorDialog))
    dialog = main_window.patients_tab.plan_actions.dialog
    assert isinstance(dialog, NewPlanDialog | PlanEditorDialog)
    assert item.patient_name in dialog.windowTitle()
    if isinstance(dialog, NewPlanDialog):  # no kladde yet: the required kind is preselected
        assert dialog.aftale.isChecked()
    close(dialog)


def test_in_a_narrow_window_the_other_columns_give_way_to_the_description_and_the_link(main_window) -> None:
    """At the window's least width (900 px) the Handling link is still whole and the description keeps room; with
    room to spare every column is at its full width."""
    tab = show_today(main_window)
    header = tab.view.header()
    main_window.resize(main_window.minimumWidth(), 800)
    QApplication.processEvents()
    assert header.sectionViewportPosition(COL_ACTION) + header.sectionSize(COL_ACTION) <= tab.view.viewport().width()
    assert header.sectionSize(COL_WHAT) >= 180 and header.sectionSize(COL_ACTION) >= ACTION_WIDTH[1]
    grab(main_window, "i-dag-smalt")
    main_window.resize(1440, 800)
    QApplication.processEvents()
    assert [header.sectionSize(c) for c in COLUMN_WIDTHS] == [full for full, _least in COLUMN_WIDTHS.values()]
    assert header.sectionSize(COL_WHAT) >= MIN_WHAT


# -- a refused action ---------------------------------------------------------------------------------------------
@pytest.fixture
def reader_window(qtbot, demo_db_path: Path, tmp_path: Path) -> Iterator[object]:
    """The demo ward for a user with Læseadgang: every action is refused by the services."""
    install_danish(ensure_application())
    db = open_database(f"sqlite:///{demo_db_path}")
    options = LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
    reader = Principal(username="laeser", full_name="Læse Læsesen", role=Role.LAESEADGANG)
    window = build_window(db, options, clock=fixed_clock(DEMO_MOMENT), principal=reader)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    yield window
    window.close()
    db.dispose()


def test_a_refused_action_is_greyed_out_with_the_reason_and_says_it_when_clicked(
    reader_window, qtbot, monkeypatch
) -> None:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: said.append((title, text)))
    tab = show_today(reader_window)
    index, item = first_row(tab, lambda i: i.rule_id == "A1")
    tab.view.setCurrentIndex(index)
    reason = "Din rolle (Læseadgang) må ikke oprette eller rette indlæggelser. Kontakt afsnittets administrator."
    assert (tab.action_button.isEnabled(), tab.action_button.toolTip()) == (False, reason)
    # Every row's link is greyed out with the reason, not only the chosen one's button.
    placeholder = tab.palette().color(QPalette.ColorRole.PlaceholderText)
    for row_index, row_item in today_rows(tab):
        if row_item.action is not None:
            cell = row_index.siblingAtColumn(COL_ACTION)
            assert cell.data(Qt.ItemDataRole.ForegroundRole).color() == placeholder
            assert cell.data(Qt.ItemDataRole.ToolTipRole).startswith("Din rolle (Læseadgang) må ikke")
    grab(reader_window, "i-dag-laeseadgang")
    click_action_link(qtbot, tab, index)
    assert said == [("Vurder scenarie", reason)]
    assert QApplication.activeModalWidget() is None  # nothing opened
    # Overblik greys the same action out with the same reason.
    reader_window.open_admission(item.admission_id)
    overview = reader_window.patients_tab.details.overview
    row = next(r for r in range(overview.deadlines.rowCount()) if overview.deadlines.item(r, 3).text() == "A1")
    cell = overview.deadlines.item(row, OVERBLIK_ACTION)
    assert (cell.text(), cell.toolTip()) == ("Vurder scenarie…", reason)
    overview.deadlines.selectRow(row)
    assert not overview.action_button.isEnabled()


# -- Overblik -----------------------------------------------------------------------------------------------------
def test_overblik_carries_each_open_deadlines_action_and_enter_opens_it(main_window, qtbot) -> None:
    tab = show_today(main_window)
    _index, item = first_row(tab, lambda i: i.rule_id == "C2" and i.due < DEMO_MOMENT.date())  # overdue C2
    main_window.open_admission(item.admission_id)
    details = main_window.patients_tab.details
    details.tabs.setCurrentWidget(details.overview)
    table = details.deadlines
    shown = {
        (table.item(r, 3).text(), table.item(r, 2).text()): table.item(r, OVERBLIK_ACTION).text()
        for r in range(table.rowCount())
    }
    assert shown[("C2", "⚠ Overskredet")] == "Nyt netværksmøde…"
    assert all(text == "" for (rule, state), text in shown.items() if state == "✓ Overholdt")  # met: nothing to do
    assert all(text == "" for (rule, _state), text in shown.items() if rule.startswith("G"))  # the kommune's
    grab(details, "overblik-handlinger")
    # Every column fits the panel at the window's first size: the description wraps, the Handling link is whole.
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(OVERBLIK_ACTION) + header.sectionSize(OVERBLIK_ACTION) <= (
        table.viewport().width()
    )
    assert header.sectionSize(0) >= MIN_DESCRIPTION
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == "C2")
    table.setFocus()
    table.selectRow(row)
    assert details.overview.action_button.text() == "Nyt netværksmøde…"
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = wait_for_modal(qtbot, ScheduleDialog)
    assert dialog._admission_id == item.admission_id
    close(dialog)


def test_a_click_on_vurder_scenarie_in_overblik_opens_the_wizard(main_window, qtbot) -> None:
    tab = show_today(main_window)
    _index, item = first_row(tab, lambda i: i.rule_id == "A1")
    main_window.open_admission(item.admission_id)
    table = main_window.patients_tab.details.deadlines
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == "A1")
    cell = table.model().index(row, OVERBLIK_ACTION)
    table.scrollTo(cell)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center())
    wizard = wait_for_modal(qtbot, ScenarioWizard)
    assert wizard.admission_id == item.admission_id
    close(wizard)


# -- an unreadable history is an error to fix ----------------------------------------------------------------------
def test_an_unreadable_history_is_the_first_row_of_i_dag_and_opens_the_form(main_window, qtbot) -> None:
    """Data from before the guard (the admission date moved past its orientering, written past the service)."""
    services = main_window.services
    with services.ctx.database.session() as session:
        events = EventRepository(session)
        admissions = AdmissionRepository(session)
        row = next(
            a
            for r in services.admissions.list_rows()
            if (a := admissions.get(r.admission_id))
            and any(e.kind is EventKind.ORIENTERING_INDLAEGGELSE for e in events.for_admission(r.admission_id))
        )
        admissions.update(dataclasses.replace(row, admitted=date(2026, 11, 23)))
    tab = show_today(main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    model = tab.model
    assert model.index(0, 0).data() == "Skal rettes  (1)"
    assert tab.counts.text().startswith("1 skal rettes · ")
    index, item = today_rows(tab)[0]
    assert (item.kind, item.admission_id) == (HISTORY_ERROR, row.id)
    what = index.siblingAtColumn(1).data()
    assert what.startswith("Historik kan ikke læses: ") and "ligger før indlæggelsesdatoen 23-11-2026" in what
    assert index.siblingAtColumn(COL_ACTION).data() == "Ret indlæggelse…"
    # Its deadlines are unknown; only its meeting agreements (C5), which need no history, are still listed.
    assert all(i.is_task for _, i in today_rows(tab)[1:] if i.admission_id == row.id)
    grab(main_window, "i-dag-skal-rettes")
    click_action_link(qtbot, tab, index)
    dialog = wait_for_modal(qtbot, AdmissionDialog)
    assert dialog.info_label.isVisible() and "Historikken kan ikke læses" in dialog.info_label.text()
    grab(dialog, "ret-indlaeggelse-historik")
    # Moving the admission date back fixes it: the error row is gone.
    dialog.admitted.set_value(row.admitted)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    show_today(main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    assert all(i.kind != HISTORY_ERROR for _, i in today_rows(tab))


def test_the_form_refuses_a_date_that_would_break_the_history_naming_the_event(main_window, qtbot) -> None:
    """The admission date moved to the day after its first event (and before its expected færdigbehandlet date, so
    nothing else is wrong with it): refused, naming the event, and nothing is saved."""
    services = main_window.services
    candidates = []
    with services.ctx.database.session() as session:
        events = EventRepository(session)
        for r in services.admissions.list_rows():
            history = events.for_admission(r.admission_id)
            if history:
                first = min(local_date(e.occurred_at) for e in history)
                expected = AdmissionRepository(session).get(r.admission_id).expected_faerdigbehandlet
                if r.admitted < first < DEMO_MOMENT.date() and (expected is None or expected > first):
                    candidates.append((r.admission_id, first))
    admission_id, first = candidates[0]
    new = first + timedelta(days=1)
    main_window.patients_tab.open_admission(admission_id)
    qtbot.keyClick(main_window, Qt.Key.Key_E, CTRL)
    dialog = wait_for_modal(qtbot, AdmissionDialog)
    dialog.admitted.set_value(new)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    message = dialog.error_label.text()
    assert f" {first:%d-%m-%Y} ligger før den nye indlæggelsesdato {new:%d-%m-%Y}" in message, message
    assert message.endswith("Intet er gemt.")
    grab(dialog, "ret-indlaeggelse-afvist")
    close(dialog)
    details = services.admissions.details(admission_id)
    assert (details.admission.admitted < first, details.status_error) == (True, None)
