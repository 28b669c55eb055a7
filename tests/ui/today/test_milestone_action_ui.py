"""Issue 16, "Registrér som udført…" on screen, on the demo ward with the clock frozen at Monday 23-11-2026: the
link of an A4 row in I dag (and Ctrl+Enter) opens the dialog for that admission and duty; a note and *Registrér*
record it — the row leaves I dag, Overblik shows the duty met and Historik the note with its Danish milestone name;
*Annuller* records nothing; an empty note is refused in the dialog, which stays open with what was typed. Overblik's
link opens the same dialog, also for the epikrise (D1) of a discharged admission."""

from __future__ import annotations

from helpers.qt import wait_for_modal
from helpers.screens import grab
from helpers.today import click_action_link, first_row, show_today, today_rows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from coordinator_app.domain.model import EventKind
from coordinator_app.domain.rules import Milestone
from coordinator_app.services.deadline_actions import ActionKind, action_for, record_rules
from coordinator_app.services.ward_view import TodayItem
from coordinator_app.storage.repositories import EventRepository
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.patients.details_overview import COL_ACTION as OVERBLIK_ACTION
from coordinator_app.ui.patients.milestone_dialog import MilestoneDialog
from coordinator_app.ui.today.today_tab import COL_ACTION

CTRL = Qt.KeyboardModifier.ControlModifier
NOTE = "Børn i familien undersøgt; moren tager sig af dem. Ingen underretning."


def is_a4(item: TodayItem) -> bool:
    return item.rule_id == "A4" and item.action is not None and item.action.kind is ActionKind.RECORD


def milestone_notes(window, admission_id: int) -> list[str]:
    with window.services.ctx.database.session() as session:
        events = EventRepository(session).for_admission(admission_id)
    return [e.note for e in events if e.kind is EventKind.NOTE and (e.data or {}).get("milestone")]


def register(qtbot, dialog: MilestoneDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_the_a4_link_in_i_dag_records_the_duty_and_the_row_leaves(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, is_a4)
    assert index.siblingAtColumn(COL_ACTION).data() == "Registrér som udført…"
    before = milestone_notes(main_window, item.admission_id)
    click_action_link(qtbot, tab, index)
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    assert dialog.windowTitle() == f"Registrér som udført – {item.patient_name}"
    assert dialog.duty.text().startswith("Undersøg om der er børn i familien") and dialog.duty.text().endswith("(A4)")
    assert [dialog.milestone.itemData(i) for i in range(dialog.milestone.count())] == [
        Milestone.BOERN_VURDERET,
        Milestone.UNDERRETNING_SENDT,
    ]
    assert dialog.when.displayFormat() == "dd-MM-yyyy HH:mm"
    assert dialog.note.placeholderText().startswith("Fx: Børn i familien undersøgt")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "&Registrér"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isDefault()
    qtbot.keyClicks(dialog.note, NOTE)
    grab(dialog, "issue16-registrer-som-udfoert")
    register(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert milestone_notes(main_window, item.admission_id) == [*before, NOTE]
    qtbot.waitUntil(lambda: not any(i.admission_id == item.admission_id and is_a4(i) for _, i in today_rows(tab)))
    assert main_window.tabs.currentWidget() is tab
    grab(main_window, "issue16-i-dag-efter-registrering")
    # Overblik: the duty met; Historik: the note with the milestone's Danish name and rule.
    main_window.open_admission(item.admission_id)
    details = main_window.patients_tab.details
    table = details.deadlines
    states = [table.item(r, 2).text() for r in range(table.rowCount()) if table.item(r, 3).text() == "A4"]
    assert states and all(s.startswith("✓ Overholdt") for s in states)
    details.tabs.setCurrentWidget(details.overview)
    grab(details, "issue16-overblik-efter-registrering")
    history = details.history
    newest = cell(history, 0, 1).text()
    assert newest == f"Notat\nBørn i familien undersøgt (A4)\n{NOTE}"


def test_ctrl_enter_opens_it_and_annuller_records_nothing(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, is_a4)
    before = milestone_notes(main_window, item.admission_id)
    tab.view.setFocus()
    tab.view.setCurrentIndex(index)
    assert (tab.action_button.text(), tab.action_button.isEnabled()) == ("Registrér som udført…", True)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return, CTRL)
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    qtbot.keyClicks(dialog.note, NOTE)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Annuller
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert milestone_notes(main_window, item.admission_id) == before
    assert any(i.admission_id == item.admission_id and is_a4(i) for _, i in today_rows(tab))


def test_an_empty_note_is_refused_in_the_dialog_and_nothing_typed_is_lost(main_window, qtbot) -> None:
    tab = show_today(main_window)
    index, item = first_row(tab, is_a4)
    before = milestone_notes(main_window, item.admission_id)
    click_action_link(qtbot, tab, index)
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    dialog.milestone.setCurrentIndex(1)  # underretning sendt
    moment = dialog.when.dateTime().addSecs(-3600)
    dialog.when.setDateTime(moment)
    register(qtbot, dialog)
    assert dialog.isVisible() and "Skriv, hvad der er gjort" in dialog.error_label.text()
    assert dialog.error_label.isVisible() and "(A4)" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.note
    assert (dialog.milestone.currentIndex(), dialog.when.dateTime()) == (1, moment)
    grab(dialog, "issue16-registrer-tomt-notat")
    assert milestone_notes(main_window, item.admission_id) == before
    qtbot.keyClicks(dialog.note, "Underretning sendt via sikker post.")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter from the note registers
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert milestone_notes(main_window, item.admission_id) == [*before, "Underretning sendt via sikker post."]


def test_the_epikrise_of_a_discharged_admission_is_recorded_from_overblik(main_window, qtbot) -> None:
    services = main_window.services
    rows = services.admissions.list_rows(include_discharged=True)
    found = None
    for row in rows:
        if row.discharged is None:
            continue
        d1 = [d for d in services.admissions.details(row.admission_id).deadlines if d.rule_id == "D1"]
        if d1 and d1[0].met_on is None:
            found = row
            break
    assert found is not None, "the demo ward has a discharged admission with the epikrise not yet recorded"
    main_window.open_admission(found.admission_id)
    table = main_window.patients_tab.details.deadlines
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == "D1")
    assert table.item(row, OVERBLIK_ACTION).text() == "Registrér som udført…"
    table.setFocus()
    table.selectRow(row)
    assert main_window.patients_tab.details.overview.action_button.text() == "Registrér som udført…"
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens it too
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    assert dialog.duty.text() == "Epikrise til egen læge inden 24 timer efter udskrivning (D1)"
    dialog.reject()
    QApplication.processEvents()
    target = table.model().index(row, OVERBLIK_ACTION)
    table.scrollTo(target)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(target).center())
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    assert not dialog.milestone.isVisible()  # one milestone: shown as text
    grab(dialog, "issue16-registrer-epikrise")
    qtbot.keyClicks(dialog.note, "Epikrise sendt til egen læge via MedCom.")
    register(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert QApplication.activeModalWidget() is None
    table = main_window.patients_tab.details.deadlines
    qtbot.waitUntil(
        lambda: any(
            table.item(r, 3).text() == "D1" and table.item(r, 2).text().startswith("✓") for r in range(table.rowCount())
        )
    )
    history = main_window.patients_tab.details.history
    assert cell(history, 0, 1).text().startswith("Notat\nEpikrise sendt til egen læge (D1)")


def test_an_open_husk_reminder_carries_the_action_and_records_it(main_window, qtbot) -> None:
    """A3, D2, D6, D8 have no date: their reminder under Husk in Overblik has the link while it is not done."""
    services = main_window.services
    found = None
    for row in services.admissions.list_rows():
        details = services.admissions.details(row.admission_id)
        for reminder in details.reminders:
            action = action_for(reminder.key)
            if not reminder.done and action is not None and action.kind is ActionKind.RECORD:
                found = (row.admission_id, reminder)
                break
        if found:
            break
    assert found is not None, "the demo ward has an open reminder a milestone note fulfils"
    admission_id, reminder = found
    main_window.open_admission(admission_id)
    label = main_window.patients_tab.details.flags_label
    link = f"registrer:{reminder.key}"
    assert f'href="{link}"' in label.text() and "Registrér som udført…" in label.text()
    grab(main_window.patients_tab.details, "issue16-husk-registrer")
    label.linkActivated.emit(link)  # what a click on the link does
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    assert dialog.duty.text().endswith(f"({reminder.rule_id})")
    qtbot.keyClicks(dialog.note, "Gjort og aftalt med patienten.")
    register(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    label = main_window.patients_tab.details.flags_label
    qtbot.waitUntil(lambda: f'href="{link}"' not in label.text())
    assert f"✓ {reminder.text}" in label.text()


def test_the_send_menu_records_every_milestone_duty_also_without_a_row(main_window, qtbot) -> None:
    """D4 and D9 have no date and no special group: the Send menu's submenu is where they are recorded."""
    patients = main_window.patients_tab
    patients.table.selectRow(0)
    admission_id = patients.selected_admission_id()
    items = patients.details.record_items
    assert list(items) == list(record_rules())
    assert [items[k].text() for k in ("boern_vurdering", "epikrise", "genoptraening", "overgang_18")] == [
        "Børn i familien undersøgt (A4)…",
        "Epikrise sendt til egen læge (D1)…",
        "Genoptræningsplan udarbejdet (D4)…",
        "18-årsovergang: netværksmøde med BUC (D9)…",
    ]
    before = milestone_notes(main_window, admission_id)
    items["genoptraening"].trigger()
    dialog = wait_for_modal(qtbot, MilestoneDialog)
    assert dialog.duty.text() == "Genoptræningsplan ved lægefagligt begrundet behov (D4)"
    qtbot.keyClicks(dialog.note, "Genoptræningsplan sendt til kommunen.")
    register(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert milestone_notes(main_window, admission_id) == [*before, "Genoptræningsplan sendt til kommunen."]
    history = main_window.patients_tab.details.history
    assert cell(history, 0, 1).text().startswith("Notat\nGenoptræningsplan udarbejdet (D4)")
