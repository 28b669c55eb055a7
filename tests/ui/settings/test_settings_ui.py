"""Indstillinger (issue 7) through the dialog: the bed-day rate typed the Danish way is saved and read back (and
prices the Statistik), bad rows are refused in Danish, the calendar and rule units round-trip, the ward's
profile is checked, a kommune's secure mailbox (F3) is saved, a ward is added, and closing asks before unsaved
changes are dropped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from coordinator_app.domain.bed_days import RateBand
from coordinator_app.domain.rules import RuleSettings, Unit
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.first_run import load_ward_setup
from coordinator_app.services.registry import Services
from coordinator_app.services.settings import (
    CalendarSettings,
    build_calendar_and_rules,
    centre_list,
    load_calendar_settings,
    load_rate_setting,
)
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.services.ward import WardProfile, load_profile
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.settings.settings_dialog import SettingsDialog, open_settings_dialog

DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # as tests/ui/conftest.py


@pytest.fixture
def ctx(demo_db_path: Path) -> Iterator[ServiceContext]:
    from coordinator_app.storage.database import open_database

    db = open_database(f"sqlite:///{demo_db_path}")
    yield ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT), user="koordinator.test")
    db.dispose()


def activate(qtbot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def open_dialog(qtbot, ctx: ServiceContext):
    from coordinator_app.ui.shell.app import ensure_application, install_danish

    install_danish(ensure_application())
    saved: list[str] = []
    opened: list[SettingsDialog] = []  # Python owns a parentless dialog: keep it alive for the test

    def opener() -> SettingsDialog:
        dialog = open_settings_dialog(None, Services(ctx), on_saved=saved.append)
        opened.append(dialog)
        qtbot.addWidget(dialog)
        activate(qtbot, dialog)
        dialog.saved_keys = saved  # type: ignore[attr-defined]
        return dialog

    return opener


def set_cell(dialog: SettingsDialog, row: int, column: int, text: str) -> None:
    cell(dialog.rates.table, row, column).setText(text)


# -- Sengedagstakst --------------------------------------------------------------------------------------------


def test_without_a_rate_the_page_says_the_legal_ceiling_is_used(open_dialog) -> None:
    page = open_dialog().rates
    assert page.table.rowCount() == 0
    assert "lovens loft" in page.current.text() and "1.976 kr." in page.current.text()


def test_a_rate_typed_the_danish_way_is_saved_and_read_back(qtbot, open_dialog, ctx: ServiceContext) -> None:
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.rates)
    page = dialog.rates
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert [page.table.item(0, c).text() for c in range(2)] == ["2026", "1"]  # this year, from day 1
    page.table.closePersistentEditor(page.table.item(0, 2))
    set_cell(dialog, 0, 2, "2.150,50")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    set_cell(dialog, 1, 2, "2300")  # 2027
    page.source.setText("Region Hovedstadens takstblad (test)")
    assert page.dirty
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.error.isHidden(), page.error.text()
    assert page.ok.text().startswith("✓ Taksterne er gemt")
    assert not page.dirty and dialog.saved_keys == ["rates"]
    setting = load_rate_setting(ctx)
    assert setting.rates == {2026: (RateBand(1, Decimal("2150.50")),), 2027: (RateBand(1, Decimal("2300")),)}
    assert setting.source == "Region Hovedstadens takstblad (test)"
    dialog.close()

    again = open_dialog().rates
    assert page is not again
    assert again.rows() == [("2026", "1", "2.150,50"), ("2027", "1", "2.300")]
    assert again.source.text() == "Region Hovedstadens takstblad (test)"
    assert again.current.text().startswith("I brug: Sats pr. sengedag: 2026: 2.150,50 kr.; 2027: 2.300 kr.")
    note = StatisticsService(ctx).compute(date(2026, 1, 1), date(2026, 11, 23)).rate_note
    assert "2.150,50 kr." in note and "Region Hovedstadens takstblad (test)" in note


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("1999", "1", "2000"), "⚠ Række 1: Året skal være et årstal mellem 2000 og 2100 (fx 2026)."),
        (("2026", "1", "-5"), "⚠ Række 1: Beløbet skal være et tal over 0 kr. (fx 2.150 eller 2150,50)."),
        (("2026", "1", "to tusind"), "⚠ Række 1: Beløbet skal være et tal over 0 kr. (fx 2.150 eller 2150,50)."),
        (("2026", "0", "2000"), "⚠ Række 1: »Fra dag« skal være et helt tal på 1 eller mere"),
        (("2026", "3", "2000"), "⚠ Række 1: Taksten for 2026 skal gælde fra dag 1."),
    ],
)
def test_an_unusable_rate_is_refused_in_danish_and_nothing_saved(
    qtbot, open_dialog, ctx: ServiceContext, row: tuple[str, str, str], message: str
) -> None:
    dialog = open_dialog()
    page = dialog.rates
    page.add_year()
    page.table.closePersistentEditor(page.table.item(0, 2))
    for column, text in enumerate(row):
        set_cell(dialog, 0, column, text)
    assert not page.save()
    assert page.error.isVisibleTo(page)
    assert page.error.text().startswith(message)
    assert page.table.currentRow() == 0
    assert load_rate_setting(ctx).is_default
    assert dialog.saved_keys == []


def test_an_empty_table_cannot_be_saved(open_dialog, ctx: ServiceContext) -> None:
    page = open_dialog().rates
    assert not page.save()
    assert page.error.text() == "⚠ Angiv mindst én sengedagstakst."
    assert load_rate_setting(ctx).is_default


# -- Kalender og regler -----------------------------------------------------------------------------------------


def test_calendar_settings_round_trip(qtbot, open_dialog, ctx: ServiceContext) -> None:
    dialog = open_dialog()
    page = dialog.calendar
    assert page.extra.isChecked()
    assert page.unit_texts["varsling"].text() == "Varsling senest 8 dage før færdigbehandlet"
    assert set(page.unit_boxes) == {
        "varsling",
        "netvaerksmoede",
        "netvaerksmoede_efter_udskrivning",
        "netvaerksmoede_ved_udskrivning",
        "korrespondance_svar",
        "botilbud_opfoelgning",
        "botilbud_opfoelgning_konkret",
    }
    page.extra.setChecked(False)
    varsling = page.unit_boxes["varsling"]
    varsling.setCurrentIndex(varsling.findData(Unit.WORKING_DAYS))
    assert page.unit_texts["varsling"].text() == "Varsling senest 8 arbejdsdage før færdigbehandlet"
    assert page.calendar_name.text() == "Kalender i brug for fristerne: Danske helligdage"
    assert page.dirty
    with qtbot.waitSignal(page.calendar_saved) as signal:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    calendar, rules = signal.args
    assert isinstance(calendar, WorkCalendar) and not calendar.extra_closing_days
    assert isinstance(rules, RuleSettings) and rules.rule("varsling").unit is Unit.WORKING_DAYS
    assert dialog.saved_keys == ["calendar"]
    assert load_calendar_settings(ctx) == CalendarSettings(False, {"varsling": Unit.WORKING_DAYS})
    cal, built = build_calendar_and_rules(ctx)
    assert not cal.extra_closing_days and built.rule("varsling").unit is Unit.WORKING_DAYS
    dialog.close()

    again = open_dialog().calendar
    assert not again.extra.isChecked()
    assert again.unit_boxes["varsling"].currentData() == Unit.WORKING_DAYS
    assert not again.dirty


def test_the_agreement_presets_set_the_units(qtbot, open_dialog) -> None:
    page = open_dialog().calendar
    qtbot.mouseClick(page.child_button, Qt.MouseButton.LeftButton)
    units = {key: combo.currentData() for key, combo in page.unit_boxes.items()}
    assert units.pop("varsling") == Unit.WORKING_DAYS  # the child-psychiatry agreement's "8 hverdage"
    assert units == {key: CalendarSettings().unit(key) for key in units}  # the rest as the adult agreement
    assert page.unit_texts["varsling"].text() == "Varsling senest 8 arbejdsdage før færdigbehandlet"
    qtbot.mouseClick(page.adult_button, Qt.MouseButton.LeftButton)
    assert page.unit_boxes["varsling"].currentData() == Unit.CALENDAR_DAYS


# -- Afsnittets profil --------------------------------------------------------------------------------------------


def test_ward_profile_is_checked_and_saved(qtbot, open_dialog, ctx: ServiceContext) -> None:
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.profile)
    page = dialog.profile
    page.secure_mail.setText("afsnit7")
    assert not page.save()
    assert "ligner ikke en e-mailadresse" in page.error.text()
    assert page.secure_mail.hasFocus()
    page.secure_mail.setText("afsnit7@region.invalid")
    page.phone.setText("38 64 00 00")
    page.title_edit.setText("Koordinator")
    assert "Telefon: 38 64 00 00" in page.preview.text() and "Koordinator" in page.preview.text()
    assert page.save()
    assert load_profile(ctx) == WardProfile("38 64 00 00", "afsnit7@region.invalid", "Koordinator")
    assert dialog.saved_keys == ["profile"]


# -- Kommuner og centre ------------------------------------------------------------------------------------------


def own_kommuner(ctx: ServiceContext) -> set[str]:
    """The ward's own kommuner as the services know them: chosen in the ward setup or used by an admission."""
    setup = load_ward_setup(ctx)
    chosen = set(setup.kommuner) if setup else set()
    return chosen | {k.code for k in Services(ctx).statistics.kommuner_in_use()}


def test_a_kommunes_secure_mailbox_is_saved(qtbot, open_dialog, ctx: ServiceContext) -> None:
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.kommuner)
    page = dialog.kommuner
    assert page.own_only.isChecked()
    own = own_kommuner(ctx)
    assert 0 < len(own) < 98
    assert page.count.text().startswith(f"Viser {len(own)} af 98 kommuner")
    assert page.select("147")
    assert page.mail_label.text() == "Sikker &postkasse for Frederiksberg:"
    page.mail.setText("ikke en adresse")
    assert not page.save()
    assert "ligner ikke en e-mailadresse" in page.error.text()
    page.mail.setText("sikkerpost@frederiksberg.invalid")
    qtbot.keyClick(page.mail, Qt.Key.Key_Return)
    assert page.ok.text() == "✓ Frederiksberg: adressen er gemt."
    saved = {k.code: k.secure_mail for k in ContactService(ctx).kommune_entrances()}
    assert saved["147"] == "sikkerpost@frederiksberg.invalid"
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 1).text() == "147")
    assert page.table.item(row, 2).text() == "sikkerpost@frederiksberg.invalid"
    assert dialog.saved_keys == ["kommuner"]
    page.search.setText("frederiksberg.invalid")
    entrances = sum(1 for mail in saved.values() if mail)  # the demo's region has entrances; Frederiksberg's changed
    assert page.count.text().startswith(f"Viser 1 af 98 kommuner · {entrances} har en systemindgang")


def test_the_wards_own_kommuner_are_chosen_on_the_kommuner_page(qtbot, open_dialog, ctx: ServiceContext) -> None:
    """Issue 9: the kommuner chosen at first run can be changed later; they count as the ward's own."""
    own = len(own_kommuner(ctx))
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.kommuner)
    page = dialog.kommuner
    assert page.count.text().startswith(f"Viser {own} af 98 kommuner")
    hidden = next(r for r in range(page.table.rowCount()) if page.table.isRowHidden(r))
    code, name = page.table.item(hidden, 1).text(), page.table.item(hidden, 0).text()
    assert page.select(code)
    assert not page.ward_kommune.isChecked()
    qtbot.mouseClick(page.ward_kommune, Qt.MouseButton.LeftButton, pos=page.ward_kommune.rect().center())
    stored = load_ward_setup(ctx)
    assert stored is not None and code in stored.kommuner
    assert page.ok.text() == f"✓ {name} er tilføjet til afsnittets kommuner."
    page.apply_filter()
    assert page.count.text().startswith(f"Viser {own + 1} af 98 kommuner")
    page.ward_kommune.setChecked(False)
    stored = load_ward_setup(ctx)
    assert stored is not None and code not in stored.kommuner
    page.apply_filter()
    assert page.count.text().startswith(f"Viser {own} af 98 kommuner")


def test_a_ward_is_added_to_the_centre_list(qtbot, open_dialog, ctx: ServiceContext) -> None:
    dialog = open_dialog()
    page = dialog.kommuner
    centre = next(iter(page.centres()))
    page.centre.setEditText(centre)
    page.ward.setText("Afsnit 99")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "Afsnit 99" in page.centres()[centre]
    assert page.tree.currentItem().text(0) == "Afsnit 99"
    assert "Afsnit 99" in next(c.wards for c in centre_list(ctx) if c.name == centre)
    assert dialog.saved_keys == ["centres"]
    page.centre.setEditText(centre)
    page.ward.setText("afsnit 99")
    assert not page.add()
    assert page.centre_error.text() == f"⚠ Afsnittet »afsnit 99« findes allerede under {centre}."


# -- the dialog ----------------------------------------------------------------------------------------------------


def test_closing_with_unsaved_changes_asks_first(qtbot, open_dialog) -> None:
    dialog = open_dialog()
    dialog.profile.phone.setText("11 22 33 44")
    dialog.profile.phone.textEdited.emit("11 22 33 44")
    dialog.reject()
    box = dialog.confirm
    assert box is not None and box.isVisible()
    assert "Afsnittets profil" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible()
    dialog.reject()
    assert dialog.confirm is not None
    dialog.confirm.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_closing_without_changes_just_closes(qtbot, open_dialog) -> None:
    dialog = open_dialog()
    assert dialog.unsaved() == []
    dialog.reject()
    assert dialog.confirm is None
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_the_kontaktbog_opens_from_the_dialog(qtbot, open_dialog) -> None:
    dialog = open_dialog()
    qtbot.mouseClick(dialog.contacts_button, Qt.MouseButton.LeftButton)
    assert dialog.contacts is not None and dialog.contacts.isVisible()
    assert dialog.contacts.windowTitle() == "Kontaktbog"
    dialog.contacts.reject()
    qtbot.waitUntil(lambda: not dialog.contacts.isVisible())
