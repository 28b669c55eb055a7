"""Kontaktbog (C1/C5, F3) through the dialog, by keyboard where a coordinator would use it: add, search, edit,
deactivate (with confirmation) and set a kommune's system entrance — which the scenario plan then shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers.screens import grab
from helpers.ward import admit
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox, QWidget

from coordinator_app.domain.model import Sector
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService
from coordinator_app.services.scenario import ScenarioAssessment, ScenarioService
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.contacts.contacts_dialog import ContactsDialog, open_contacts_dialog
from coordinator_app.ui.contacts.kommune_entrances import MAIL_COLUMN

DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # as tests/ui/conftest.py


def shot(widget: QWidget, name: str) -> None:
    grab(widget, f"contacts-{name}")


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


@pytest.fixture
def ctx(demo_db_path: Path) -> Iterator[ServiceContext]:
    from coordinator_app.storage.database import open_database

    db = open_database(f"sqlite:///{demo_db_path}")
    yield ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT), user="koordinator.test")
    db.dispose()


@pytest.fixture
def service(ctx: ServiceContext) -> ContactService:
    return ContactService(ctx)


@pytest.fixture
def dialog(qtbot, service: ContactService) -> ContactsDialog:
    from coordinator_app.ui.shell.app import ensure_application, install_danish

    install_danish(ensure_application())
    dlg = open_contacts_dialog(None, service)
    qtbot.addWidget(dlg)
    activate(qtbot, dlg)
    return dlg


def activate(qtbot, widget: QWidget) -> None:
    """Offscreen has no window manager to hand activation back after a child dialog closes: do it here."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def editor_of(qtbot, dialog: ContactsDialog):
    qtbot.waitUntil(lambda: dialog.editor is not None and dialog.editor.isVisible())
    assert dialog.editor is not None
    activate(qtbot, dialog.editor)
    return dialog.editor


def edit_cell(qtbot, table, text: str) -> None:
    """F2 on the current cell, replace its text, Enter — as a coordinator edits a table cell."""
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    editor = table.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits queued after Enter.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def modal(qtbot) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    return box


def test_add_a_person_by_keyboard_with_inline_validation(qtbot, dialog: ContactsDialog, service) -> None:
    assert dialog.search.hasFocus()
    qtbot.keyClick(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = editor_of(qtbot, dialog)
    qtbot.waitUntil(editor.name.hasFocus)
    qtbot.keyClicks(editor.name, "Kim Kommune")
    qtbot.keyClicks(editor.organisation, "Københavns Kommune, Socialforvaltningen")
    qtbot.keyClicks(editor.role, "sagsbehandler")
    qtbot.keyClicks(editor.phone, "12 34 56 71")
    qtbot.keyClicks(editor.email, "kim@kk")
    editor.kommune.set_code("101")
    assert editor.sector.currentData() == Sector.KOMMUNE  # chosen kommune → kommune side
    qtbot.keyClick(editor.email, Qt.Key.Key_Return)  # Gem is the default button
    assert editor.isVisible() and editor.error.isVisible()
    assert "ligner ikke en e-mailadresse" in editor.error.text()
    qtbot.waitUntil(editor.email.hasFocus)  # the refused field has the focus
    shot(editor, "edit-refused")
    assert service.contacts() == []

    qtbot.keyClicks(editor.email, ".example.dk")
    qtbot.keyClick(editor.email, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.editor is None)
    [kim] = service.contacts()
    assert (kim.name, kim.sector, kim.kommune_code, kim.email) == (
        "Kim Kommune",
        Sector.KOMMUNE,
        "101",
        "kim@kk.example.dk",
    )
    assert dialog.visible_names() == ["Kim Kommune"]
    assert dialog.selected() == kim
    assert cell(dialog.table, 0, 6).text() == "København"


def test_search_filters_as_you_type(qtbot, dialog: ContactsDialog, service) -> None:
    service.add(ContactInput("Kim Kommune", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler"))
    service.add(
        ContactInput("Rikke Region", "PC København", Sector.REGION, "overlæge", email="rikke@regionh.example.dk")
    )
    service.add(ContactInput("Åse Ågård", "Lægehuset", Sector.ALMEN_PRAKSIS, "praktiserende læge"))
    dialog.reload()
    assert dialog.visible_names() == ["Kim Kommune", "Rikke Region", "Åse Ågård"]
    qtbot.keyClicks(dialog.search, "købe")
    assert dialog.visible_names() == ["Kim Kommune", "Rikke Region"]
    qtbot.keyClicks(dialog.search, " over")
    assert dialog.visible_names() == ["Rikke Region"]
    assert dialog.count_label.text() == "Viser 1 af 3"
    shot(dialog, "search")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # to the first match
    selected = dialog.selected()
    assert dialog.table.hasFocus() and selected is not None and selected.name == "Rikke Region"
    dialog.search.clear()
    assert len(dialog.visible_names()) == 3


def test_edit_with_enter_and_deactivate_with_confirmation(qtbot, dialog: ContactsDialog, service) -> None:
    kim = service.add(ContactInput("Kim Kommune", "Københavns Kommune", Sector.KOMMUNE, phone="12 34 56 71"))
    service.add(ContactInput("Rikke Region", "PC København", Sector.REGION))
    dialog.reload()
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    dialog.table.selectRow(0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    editor = editor_of(qtbot, dialog)
    assert editor.name.text() == "Kim Kommune"
    editor.phone.selectAll()
    qtbot.keyClicks(editor.phone, "+12 34 56 72 44")
    qtbot.keyClick(editor.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.editor is None)
    edited = service.get(kim.id or 0)
    assert edited.phone == "+12 34 56 72 44" and edited.version == (kim.version or 0) + 1
    assert cell(dialog.table, 0, 4).text() == "+12 34 56 72 44"
    shot(dialog, "people")

    activate(qtbot, dialog)
    dialog.select(kim.id or 0)
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    box = modal(qtbot)
    assert "Kim Kommune" in box.text() and "Intet slettes" in box.text()
    shot(box, "deactivate-confirm")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default answer keeps the person
    qtbot.waitUntil(lambda: dialog.confirm is None)
    assert [c.name for c in service.contacts()] == ["Kim Kommune", "Rikke Region"]

    dialog.select(kim.id or 0)
    asked = dialog.deactivate_person()
    assert asked is not None
    asked.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: dialog.confirm is None)
    assert [c.name for c in service.contacts()] == ["Rikke Region"]
    assert dialog.visible_names() == ["Rikke Region"]

    dialog.show_inactive.setChecked(True)  # nothing was deleted
    assert dialog.visible_names() == ["Kim Kommune", "Rikke Region"]
    dialog.select(kim.id or 0)
    assert dialog.reactivate_button.isEnabled() and not dialog.deactivate_button.isEnabled()
    dialog.reactivate_button.click()
    assert service.get(kim.id or 0).active


def test_a_kommune_entrance_is_set_by_keyboard_and_used_by_the_plan(
    qtbot, dialog: ContactsDialog, service: ContactService, ctx: ServiceContext
) -> None:
    dialog.tabs.setCurrentIndex(1)
    table = dialog.entrances.table
    before = next(k for k in service.kommune_entrances() if k.code == "147").secure_mail
    assert table.rowCount() == 98
    assert cell(table, 0, 2).text() == "Hovedstaden"
    qtbot.keyClicks(dialog.entrances.search, "Frederiksberg")
    qtbot.keyClick(dialog.entrances.search, Qt.Key.Key_Return)  # to the first match's mail cell
    row = dialog.entrances.row_of("147")
    assert table.currentRow() == row and table.currentColumn() == MAIL_COLUMN and table.hasFocus()

    edit_cell(qtbot, table, "sikker post@frb.example.dk")
    assert cell(table, row, 4).text() == "⚠ Ikke gemt"
    assert dialog.entrances.error.isVisible() and "Frederiksberg" in dialog.entrances.error.text()
    assert next(k for k in service.kommune_entrances() if k.code == "147").secure_mail == before  # unchanged
    assert not dialog.changed
    shot(dialog, "kommuner-refused")

    table.setCurrentCell(row, MAIL_COLUMN)
    edit_cell(qtbot, table, "socialforvaltningen@frederiksberg.example.dk")
    assert cell(table, row, 4).text() == "✓ Gemt" and not dialog.entrances.error.isVisible()
    assert cell(table, row, MAIL_COLUMN).text() == "socialforvaltningen@frederiksberg.example.dk"
    assert dialog.changed  # the caller reloads what shows the entrances
    dialog.entrances.search.clear()
    shot(dialog, "kommuner")

    # Used: the scenario plan of a patient living in Frederiksberg names that entrance on the kommune's steps.
    created = admit(ctx, bopaelskommune="147", admitted=date(2026, 11, 20))
    assert created.admission_id is not None
    plan = ScenarioService(ctx).preview(
        created.admission_id,
        ScenarioAssessment(has_indsats=False, may_need_support=True, can_discharge_before_support=False),
    )
    steps = [s for s in plan.steps if s.kommune_code == "147"]
    assert steps and {s.secure_mail for s in steps} == {"socialforvaltningen@frederiksberg.example.dk"}


def test_a_directory_person_is_offered_in_the_meeting(qtbot, dialog: ContactsDialog, service, ctx) -> None:
    dialog.add_button.click()
    editor = editor_of(qtbot, dialog)
    qtbot.keyClicks(editor.name, "Bent Bostøtte")
    qtbot.keyClicks(editor.organisation, "Frederiksberg Kommune")
    editor.save_button.click()
    qtbot.waitUntil(lambda: dialog.editor is None)
    created = admit(ctx, cpr="020290-9908", bopaelskommune="147", admitted=date(2026, 11, 20))
    assert created.patient_id is not None
    names = [p.name for p in MeetingService(ctx).known_participants(created.patient_id)]
    assert "Bent Bostøtte" in names
