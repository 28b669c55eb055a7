"""The new-admission dialog: invalid input gets a Danish message and loses nothing; valid input is saved; a new
admission starts on the ward's own centre and afsnit (issue 16)."""

from __future__ import annotations

from datetime import date

from helpers.qt import wait_for_modal
from helpers.screens import grab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from coordinator_app.ui.patients.admission_dialog import AdmissionDialog

SYNTHETIC_CPR = "0101709999"  # a syntactically valid CPR; the person is fictitious
TODAY = date(2026, 11, 23)  # the demo ward's frozen clock


def open_new_dialog(window, qtbot) -> AdmissionDialog:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    return wait_for_modal(qtbot, AdmissionDialog)


def click_save(dialog: AdmissionDialog, qtbot) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def fill(dialog: AdmissionDialog, qtbot, *, cpr: str, given: str = "Testa", family: str = "Fiktivsen") -> None:
    dialog.cpr.clear()
    qtbot.keyClicks(dialog.cpr, cpr)
    qtbot.keyClicks(dialog.given_name, given)
    qtbot.keyClicks(dialog.family_name, family)
    dialog.bopaelskommune.setFocus()
    qtbot.keyClicks(dialog.bopaelskommune.lineEdit(), "Gentofte (157)")


def test_invalid_cpr_gives_a_danish_message_and_keeps_the_dialog_open(main_window, qtbot) -> None:
    dialog = open_new_dialog(main_window, qtbot)
    fill(dialog, qtbot, cpr="3213701234")  # day 32 does not exist
    click_save(dialog, qtbot)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    message = dialog.error_label.text()
    assert "CPR" in message
    assert "erstatnings" in message.casefold() or "dato" in message.casefold()
    assert dialog.focusWidget() is dialog.cpr
    # Nothing typed is lost.
    assert dialog.given_name.text() == "Testa"
    assert dialog.family_name.text() == "Fiktivsen"
    dialog.reject()


def test_empty_name_is_refused_in_danish(main_window, qtbot) -> None:
    dialog = open_new_dialog(main_window, qtbot)
    fill(dialog, qtbot, cpr=SYNTHETIC_CPR, given="")
    click_save(dialog, qtbot)
    assert dialog.isVisible()
    assert "Fornavn skal udfyldes" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.given_name
    dialog.reject()


def test_unknown_kommune_is_refused(main_window, qtbot) -> None:
    dialog = open_new_dialog(main_window, qtbot)
    fill(dialog, qtbot, cpr=SYNTHETIC_CPR)
    dialog.bopaelskommune.setEditText("Atlantis")
    click_save(dialog, qtbot)
    assert dialog.isVisible()
    assert "Atlantis" in dialog.error_label.text()
    dialog.reject()


def test_discharge_before_admission_is_refused(main_window, qtbot) -> None:
    main_window.patients_tab.table.selectRow(0)
    qtbot.keyClick(main_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_for_modal(qtbot, AdmissionDialog)
    admitted = dialog.admitted.value()
    dialog.discharged.set_value(admitted.replace(year=admitted.year - 1))
    click_save(dialog, qtbot)
    assert dialog.isVisible()
    assert "før indlæggelsesdatoen" in dialog.error_label.text()
    dialog.reject()


def test_saving_a_valid_admission_shows_it_in_the_list(main_window, qtbot) -> None:
    before = main_window.patients_tab.model.total_count
    main_window.patients_tab.search.setText("noget der ikke findes")
    dialog = open_new_dialog(main_window, qtbot)
    fill(dialog, qtbot, cpr="010170-9999", given="Testa", family="Fiktivsen")
    click_save(dialog, qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert main_window.patients_tab.model.total_count == before + 1
    selected = main_window.patients_tab.selected_admission_id()
    assert selected is not None
    row = main_window.patients_tab.model.row_at(main_window.patients_tab.table.selectionModel().selectedRows()[0].row())
    assert (row.given_name, row.family_name, row.kommune_name) == ("Testa", "Fiktivsen", "Gentofte")
    assert row.cpr == SYNTHETIC_CPR
    assert main_window.patients_tab.details.title.text() == "Testa Fiktivsen"


def test_a_patient_cannot_be_admitted_twice_at_once(main_window, qtbot) -> None:
    existing = main_window.patients_tab.model.row_at(0)
    dialog = open_new_dialog(main_window, qtbot)
    fill(dialog, qtbot, cpr=existing.cpr)
    click_save(dialog, qtbot)
    assert dialog.isVisible()
    assert "allerede indlagt" in dialog.error_label.text()
    dialog.reject()


def test_ny_indlaeggelse_starts_on_the_wards_own_centre_and_afsnit_and_saves_so(main_window, qtbot) -> None:
    """Issue 16: the demo ward's title names Psykiatrisk Center København, Afsnit 7 — the form starts there, not on
    the list's first centre — and the saved admission is asked for its scenario at once (A1 in I dag)."""
    assert main_window.windowTitle() == "Koordinator — Psykiatrisk Center København, Afsnit 7"
    dialog = open_new_dialog(main_window, qtbot)
    assert (dialog.center.currentText(), dialog.ward.currentText()) == ("Psykiatrisk Center København", "Afsnit 7")
    assert dialog.center.itemText(0) != "Psykiatrisk Center København"  # not merely the first in the list
    grab(dialog, "ny-indlaeggelse")
    fill(dialog, qtbot, cpr="010170-9999")
    click_save(dialog, qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.changes is not None and dialog.changes.admission_id is not None
    saved = main_window.services.admissions.details(dialog.changes.admission_id)
    assert (saved.admission.center, saved.admission.ward) == ("Psykiatrisk Center København", "Afsnit 7")
    main_window.tabs.setCurrentWidget(main_window.today_tab)
    [a1] = [i for i in main_window.today_tab.model.items() if i.admission_id == saved.admission.id]
    assert (a1.rule_id, a1.due, a1.action and a1.action.label) == ("A1", TODAY, "Vurder scenarie…")
