"""The Send menu and dialog on the demo ward (issue 16): what the scenario forbids is greyed out with the rule; the
varsling's expected date and doctor, the færdigmelding's doctor and the varsling's content carried over; a late or
missing varsling warned about and shown in the history and in Færdigmeldte; an early færdigmelding confirmed first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from helpers.qt import wait_for_modal
from helpers.screens import grab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from coordinator_app.domain.model import Channel, DeadlineState, EventKind
from coordinator_app.services.notifications import ActionState
from coordinator_app.services.ward_view import AdmissionRow
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.patients.notification_dialog import NotificationDialog
from coordinator_app.ui.shell.main_window import MainWindow

K = EventKind
TODAY = date(2026, 11, 23)  # the demo moment (tests/ui/conftest.py)
DOCTOR = "Overlæge Hanne Holm"


def select(window: MainWindow, test: Callable[[AdmissionRow, dict[EventKind, ActionState]], bool]) -> int:
    """Select the first current admission in the list for which ``test(row, actions by kind)`` holds."""
    model = window.patients_tab.model
    for row in range(model.rowCount()):
        r = model.row_at(row)
        actions = {a.kind: a for a in window.services.notifications.actions(r.admission_id)}
        if r.discharged is None and test(r, actions):
            window.patients_tab.table.selectRow(row)
            return r.admission_id
    raise AssertionError("no such demo admission")


def open_dialog(window: MainWindow, qtbot: QtBot, kind: EventKind) -> NotificationDialog:
    action = window.patients_tab.details.action_items[kind.value]
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    return wait_for_modal(qtbot, NotificationDialog)


def click_send(qtbot: QtBot, dialog: NotificationDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def history_texts(window: MainWindow) -> list[str]:
    history = window.patients_tab.details.history
    return [cell(history, r, 1).text() for r in range(history.rowCount())]


def test_scenario_1_greys_out_varsling_and_faerdigmelding_with_the_rule(main_window) -> None:
    select(main_window, lambda r, a: r.scenario == 1 and a[K.ORIENTERING_UDSKRIVNING].allowed)
    items = main_window.patients_tab.details.action_items
    for kind in (K.VARSLING, K.FAERDIGMELDING):
        assert not items[kind.value].isEnabled()
        assert "(B1)" in items[kind.value].toolTip() and "Vurder scenarie igen" in items[kind.value].toolTip()
    assert items[K.ORIENTERING_UDSKRIVNING.value].isEnabled()


def test_the_varsling_names_the_expected_date_and_its_doctor_and_is_refused_without_one(main_window, qtbot) -> None:
    admission_id = select(
        main_window, lambda r, a: a[K.VARSLING].allowed and r.status == "Orienteret" and r.next_kind == "varsling"
    )
    draft = main_window.services.notifications.draft(admission_id, K.VARSLING)
    dialog = open_dialog(main_window, qtbot, K.VARSLING)
    assert draft.expected is not None and dialog.expected.date().toPython() == draft.expected
    assert dialog.expected_by.text() == draft.expected_judged_by != ""
    assert "Seneste varslingsdag" in dialog.b5_info.text()
    fields = [dialog.channel, dialog.when, dialog.expected, dialog.expected_by, dialog.note]
    order: list[QWidget] = []
    widget: QWidget = dialog.channel
    for _ in range(80):  # the focus chain, each widget credited to the field it belongs to (a spin box's line edit)
        widget = widget.nextInFocusChain() or dialog
        owner = next((f for f in fields if f is widget or f.isAncestorOf(widget)), None)
        if owner is not None and owner not in order:
            order.append(owner)
    assert order[:4] == [dialog.when, dialog.expected, dialog.expected_by, dialog.note]  # Tab goes down the form
    dialog.expected_by.clear()
    click_send(qtbot, dialog)
    assert dialog.isVisible() and "Angiv den læge" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.expected_by
    qtbot.keyClicks(dialog.expected_by, DOCTOR)
    click_send(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert f"vurderet af {DOCTOR}" in history_texts(main_window)[0]


def test_a_late_varsling_is_warned_about_sent_and_marked_late_in_the_history(main_window, qtbot) -> None:
    select(
        main_window,
        lambda r, a: a[K.VARSLING].allowed and r.next_kind == "varsling" and r.next_state is DeadlineState.OVERDUE,
    )
    dialog = open_dialog(main_window, qtbot, K.VARSLING)
    assert dialog.warning_label.isVisible()
    assert "Varslingen er for sen" in dialog.warning_label.text() and "for sent (B5)" in dialog.warning_label.text()
    grab(dialog, "issue16-varsling-for-sen")
    click_send(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    newest = history_texts(main_window)[0]
    assert newest.startswith("Varsling") and "⚠ For sen: sendt" in newest
    details = main_window.patients_tab.details
    details.tabs.setCurrentWidget(details.history_tab)
    grab(details, "issue16-historik-for-sen-varsling")


def test_an_early_faerdigmelding_asks_first_and_no_sends_nothing(main_window, qtbot) -> None:
    admission_id = select(
        main_window,
        lambda r, a: (
            r.status == "Varslet"
            and a[K.FAERDIGMELDING].allowed
            and (r.next_due or TODAY) > TODAY
            and r.next_kind == "faerdigmelding"
        ),
    )
    dialog = open_dialog(main_window, qtbot, K.FAERDIGMELDING)
    assert "Bekræftes, når du sender" in dialog.warning_label.text()
    qtbot.keyClicks(dialog.judged_by, DOCTOR)
    click_send(qtbot, dialog)
    box = wait_for_modal(qtbot, QMessageBox)
    assert "før den forventede færdigbehandlet-dato" in box.text()
    grab(box, "issue16-bekraeft-tidlig-faerdigmelding")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.confirm_box is None)
    assert dialog.isVisible() and main_window.services.admissions.details(admission_id).status == "Varslet"
    click_send(qtbot, dialog)
    box = wait_for_modal(qtbot, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert main_window.services.admissions.details(admission_id).status == "Færdigmeldt"
    newest = history_texts(main_window)[0]
    assert f"Lægelig vurdering: {DOCTOR}, 23-11-2026" in newest and "bekræftet af koordinatoren" in newest


def test_the_faerdigmelding_carries_over_the_varsling_and_without_varsling_warns_and_shows_in_faerdigmeldte(
    main_window, qtbot
) -> None:
    admission_id = select(
        main_window, lambda r, a: r.status == "Orienteret" and a[K.VARSLING].allowed and r.next_kind == "varsling"
    )
    dialog = open_dialog(main_window, qtbot, K.FAERDIGMELDING)  # before any varsling
    assert "Der er ikke sendt en varsling" in dialog.warning_label.text()
    assert "ingen varsling sendt" in dialog.b5_info.text()
    grab(dialog, "issue16-faerdigmelding-uden-varsling")
    dialog.reject()
    dialog = open_dialog(main_window, qtbot, K.VARSLING)
    qtbot.keyClicks(dialog.indsats, "Bostøtte 3 timer om ugen")
    qtbot.keyClicks(dialog.needs, "Botilbud")
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.TELEFON))
    click_send(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    dialog = open_dialog(main_window, qtbot, K.FAERDIGMELDING)
    assert dialog.indsats.text() == "Bostøtte 3 timer om ugen" and dialog.needs.toPlainText() == "Botilbud"
    assert dialog.channel.currentData() == Channel.TELEFON
    assert "varslet 23-11-2026" in dialog.b5_info.text()
    dialog.reject()
    assert main_window.services.admissions.details(admission_id).status == "Varslet"


def test_a_faerdigmelding_without_varsling_is_warned_sent_and_shown_with_0_days_in_faerdigmeldte(
    main_window, qtbot
) -> None:
    from coordinator_app.ui.today.faerdigmeldte_tab import COL_NOTICE

    admission_id = select(
        main_window, lambda r, a: r.status == "Orienteret" and a[K.FAERDIGMELDING].allowed and r.next_kind == "varsling"
    )
    dialog = open_dialog(main_window, qtbot, K.FAERDIGMELDING)
    assert "Der er ikke sendt en varsling" in dialog.warning_label.text()
    qtbot.keyClicks(dialog.judged_by, DOCTOR)
    click_send(qtbot, dialog)
    if dialog.confirm_box is not None:  # before the expected day: confirmed (B5)
        box = wait_for_modal(qtbot, QMessageBox)
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert main_window.services.admissions.details(admission_id).status == "Færdigmeldt"
    assert "⚠ Ingen varsling sendt" in history_texts(main_window)[0]

    tab = main_window.faerdigmeldte_tab
    main_window.tabs.setCurrentWidget(tab)
    row = tab.model.row_of_admission(admission_id)
    assert row is not None
    index = tab.model.index(row, COL_NOTICE)
    assert index.data() == "⚠ Ingen varsling"
    assert "kommunen fik ingen varsel (0 dage)" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "Varsel" in tab.model.headerData(COL_NOTICE, Qt.Orientation.Horizontal)
    tab.table.selectRow(row)
    grab(main_window, "issue16-faerdigmeldte-varsel")


def focus_chain(dialog: QWidget) -> list[QWidget]:
    """The dialog's widgets in Tab order."""
    chain: list[QWidget] = []
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_the_b5_fields_come_in_tab_order_as_on_screen(main_window, qtbot) -> None:
    select(main_window, lambda r, a: a[K.VARSLING].allowed and a[K.FAERDIGMELDING].allowed)
    dialog = open_dialog(main_window, qtbot, K.VARSLING)
    chain = focus_chain(dialog)
    order = [dialog.channel, dialog.when, dialog.expected, dialog.expected_by, dialog.note, dialog.indsats]
    assert [chain.index(w) for w in order] == sorted(chain.index(w) for w in order)
    dialog.reject()
    dialog = open_dialog(main_window, qtbot, K.FAERDIGMELDING)
    chain = focus_chain(dialog)
    order = [dialog.channel, dialog.when, dialog.judged_by, dialog.judged_on, dialog.note, dialog.indsats]
    assert [chain.index(w) for w in order] == sorted(chain.index(w) for w in order)
    dialog.reject()


def test_a_contact_with_the_kommune_is_logged_from_the_send_menu_and_shown_in_the_history(main_window, qtbot) -> None:
    select(main_window, lambda r, a: r.status == "Orienteret" and a[K.NOTE].allowed)
    assert main_window.patients_tab.details.action_items[K.NOTE.value].text() == "Registrér kontakt med kommunen…"
    dialog = open_dialog(main_window, qtbot, K.NOTE)
    assert dialog.channel.currentData() == Channel.TELEFON and dialog.channel.isVisible()
    if dialog.legal_basis.isVisible():  # no consent recorded for this demo patient (F1)
        qtbot.keyClicks(dialog.legal_basis, "Underretning efter serviceloven § 133")
    click_send(qtbot, dialog)  # nothing said: refused, the note field in focus
    assert dialog.isVisible() and "hvad du talte med kommunen om" in dialog.error_label.text()
    qtbot.keyClicks(dialog.note, "Talte med sagsbehandleren om bostøtte efter udskrivningen.")
    grab(dialog, "issue16-kontakt-med-kommunen")
    click_send(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    newest = history_texts(main_window)[0]
    assert newest.startswith("Notat\nKontakt med kommunen (B2/B3)") and "bostøtte" in newest
