"""The Send dialog's fields for the kommune (issue 17), clicked as a coordinator does: funktionsniveau, LAB § 6 and the
expected discharge day recorded and prefilled in the next dialog; and the warning when the recipient kommune has no
secure mailbox, whose button opens the Kontaktbog on that kommune and which goes away once the mailbox is saved."""

from __future__ import annotations

from helpers.qt import wait_for_modal
from helpers.sending import open_action, select_with_status
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from coordinator_app.domain.model import EventKind
from coordinator_app.ui.contacts.contacts_dialog import ContactsDialog
from coordinator_app.ui.contacts.kommune_entrances import MAIL_COLUMN

FUNCTIONING = "Klarer sig selv i hjemmet; brug for hjælp til medicin."


def test_funktionsniveau_and_lab6_are_sent_recorded_and_prefilled_in_the_next_dialog(main_window, qtbot) -> None:
    admission_id = select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    facts = dialog.facts
    assert facts.isVisible() and facts.lab6.currentText() == "Ikke spurgt"
    facts.funktionsniveau.clear()
    qtbot.keyClicks(facts.funktionsniveau, FUNCTIONING)
    facts.lab6.setCurrentIndex(facts.lab6.findText("Ja"))
    facts.discharge.setDate(QDate(2026, 12, 30))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    events = main_window.services.admissions.details(admission_id).events
    sent = [e for e in events if e.kind is EventKind.VARSLING][-1]
    assert sent.data["form"]["funktionsniveau"] == FUNCTIONING
    assert (sent.data["form"]["lab6"], sent.data["form"]["expected_discharge"]) == ("ja", "2026-12-30")

    following = open_action(main_window, qtbot, EventKind.FAERDIGMELDING)
    assert following.facts.funktionsniveau.toPlainText() == FUNCTIONING
    assert following.facts.lab6.currentText() == "Ja"
    following.reject()


def test_an_unknown_secure_mailbox_warns_and_the_kontaktbog_link_clears_it(main_window, qtbot) -> None:
    contacts_service = main_window.services.contacts
    for kommune in contacts_service.kommune_entrances():  # the demo gives its region's kommuner an entrance
        if kommune.secure_mail:
            contacts_service.set_kommune_entrance(kommune.code, None)
    select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    warning = dialog.mailbox
    assert warning is not None and warning.isVisible()
    code = warning.recipient.code
    assert code is not None and "ingen sikker postkasse" in warning.label.text()
    qtbot.mouseClick(warning.button, Qt.MouseButton.LeftButton)
    contacts = wait_for_modal(qtbot, ContactsDialog)
    assert contacts.tabs.currentWidget() is contacts.entrances
    table = contacts.entrances.table
    assert (table.currentRow(), table.currentColumn()) == (contacts.entrances.row_of(code), MAIL_COLUMN)
    assert contacts.entrances.save_entrance(code, "sikkerpost@kommune.example.dk")
    contacts.reject()
    qtbot.waitUntil(lambda: not warning.isVisible())
    assert warning.recipient.secure_mail == "sikkerpost@kommune.example.dk"
    dialog.reject()
