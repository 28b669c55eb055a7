"""Offline laptops in the app (issue 19), by the real widgets on the demo ward: a koordinator checks out two
admissions from Funktioner → «Tag med offline…» (file written, loan shown); the wrong moves are refused in Danish
with nothing lent and no file; an administrator revokes a loan with a reason in «Udlånte sager…»; the app opened on
the laptop file shows the «Offline-kopi» banner and does not offer «Tag med offline…»; læseadgang cannot lend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from db_fixtures import DEMO_MOMENT
from helpers.screens import grab
from helpers.windows import window_as, window_on
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from coordinator_app.domain.access import Role
from coordinator_app.domain.errors import AccessDeniedError, ProcessError
from coordinator_app.services import offline
from coordinator_app.services.context import ServiceContext
from coordinator_app.storage.database import open_database
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.offline.checkout_dialog import CheckoutDialog
from coordinator_app.ui.offline.loans_dialog import CONFLICT_WARNING, LoansDialog, RevokeDialog
from coordinator_app.ui.offline.offline_actions import IN_OFFLINE_COPY, LAST_LAPTOP, NO_LOANS_HERE, NOT_YOUR_ROLE
from coordinator_app.ui.offline.offline_banner import HAND_IN
from coordinator_app.ui.shell.main_window import MainWindow

PASSPHRASE = "Bærbar-tre-2026"
TODAY = DEMO_MOMENT.date()


@pytest.fixture
def koordinator(qtbot: QtBot, demo_db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    yield from window_as(qtbot, demo_db_path, tmp_path, Role.KOORDINATOR)


@pytest.fixture
def reader(qtbot: QtBot, demo_db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    yield from window_as(qtbot, demo_db_path, tmp_path, Role.LAESEADGANG)


def open_checkout(window: MainWindow, qtbot: QtBot) -> CheckoutDialog:
    window.act_take_offline.trigger()
    dialog = window.offline_actions.open_dialog
    assert isinstance(dialog, CheckoutDialog)
    qtbot.waitExposed(dialog)
    return dialog


def current_admissions(dialog: CheckoutDialog) -> list[int]:
    return [
        case.admission_id
        for row in range(dialog.table.rowCount())
        if (case := dialog.case_at(row)).admission_id is not None and not case.lent
    ]


def tick(qtbot: QtBot, dialog: CheckoutDialog, row: int) -> None:
    """Click the case's name, then Space: its tick toggles."""
    table = dialog.table
    item = table.item(row, 0)
    assert item is not None
    table.scrollToItem(item)
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + QPoint(rect.width() // 4, 0))
    assert table.currentRow() == row
    qtbot.keyClick(table, Qt.Key.Key_Space)


def fill(qtbot: QtBot, dialog: CheckoutDialog, *, laptop: str, path: Path, first: str, second: str) -> None:
    dialog.laptop.clear()
    qtbot.keyClicks(dialog.laptop, laptop)
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(path))
    dialog.pair.first.clear()
    qtbot.keyClicks(dialog.pair.first, first)
    dialog.pair.second.clear()
    qtbot.keyClicks(dialog.pair.second, second)


def refused(qtbot: QtBot, dialog: CheckoutDialog, words: str) -> None:
    """«Tag med offline» is clicked and refused with ``words``: the dialog stays open with the message."""
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy and dialog.error_label.isVisible(), timeout=20_000)
    assert words in dialog.error_label.text()
    assert dialog.isVisible()


def test_a_koordinator_checks_out_two_admissions_from_the_dialog(
    koordinator: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window = koordinator
    functions = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Funktioner")
    assert isinstance(functions, QMenu)
    texts = [a.text() for a in functions.actions()]
    assert texts.index("Tag med &offline…") + 1 == texts.index("U&dlånte sager…")
    assert window.act_take_offline.isEnabled() and window.act_loans.isEnabled()
    selected = window.patients_tab.model.row_at(0).admission_id
    assert window.patients_tab.select_admission(selected)
    dialog = open_checkout(window, qtbot)
    assert [case.admission_id for case in dialog.chosen()] == [selected], "the list's selection is ticked"
    assert dialog.expected_return.value() == TODAY + timedelta(days=7)
    assert dialog.path.text().endswith(".db")
    grab(dialog, "offline-tag-med")

    other = next(a for a in current_admissions(dialog) if a != selected)
    name = dialog.case_at(dialog.row_of(admission_id=other)).name
    qtbot.keyClicks(dialog.search, name)  # searchable: only that patient's rows stay
    shown = [r for r in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(r)]
    assert dialog.row_of(admission_id=other) in shown and dialog.row_of(admission_id=selected) not in shown
    tick(qtbot, dialog, dialog.row_of(admission_id=other))
    dialog.search.clear()
    assert sorted(c.admission_id for c in dialog.chosen() if c.admission_id) == sorted([selected, other])

    path = tmp_path / "laptop" / "bærbar-3.db"
    path.parent.mkdir()
    fill(qtbot, dialog, laptop="Bærbar 3", path=path, first=PASSPHRASE, second=PASSPHRASE)
    steps: list[tuple[int, int]] = []
    dialog.runner.progressed.connect(lambda done, total: steps.append((done, total)))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.runner.busy and not dialog.buttons.isEnabled(), "the check-out runs off the UI thread"
    qtbot.waitUntil(lambda: window.offline_actions.summary is not None, timeout=30_000)
    assert steps and steps[-1][0] == steps[-1][1], "the progress dialog was fed table by table"
    assert steps == sorted(steps), "the steps reach listeners in the order the check-out reported them"

    assert path.is_file()
    assert not dialog.isVisible()
    summary = window.offline_actions.summary
    assert summary is not None
    assert "Sagerne kan kun læses her, til filen er afleveret" in summary.text()
    assert str(path) in summary.text() and "Bærbar 3" in summary.text()
    lent_names = {dialog.case_at(dialog.row_of(admission_id=a)).name for a in (selected, other)}
    assert all(f"• {name} (" in summary.text() for name in lent_names), "what was lent, by name"
    grab(summary, "offline-kvittering")
    summary.accept()
    [loan] = offline.loans_out(window.services.ctx)
    assert loan.laptop == "Bærbar 3" and loan.lent_by == window.services.ctx.user
    assert loan.admission_ids == {selected, other}
    assert loan.expected_return == TODAY + timedelta(days=7)
    status = window.patients_tab.details.status_line.text()
    assert f"Udlånt til Bærbar 3 af {loan.lent_by}" in status, "the list refreshed and shows the lent case"
    assert window.patients_tab.selected_admission_id() in {selected, other}
    assert window.offline_actions._settings.value(LAST_LAPTOP) == "Bærbar 3"

    again = open_checkout(window, qtbot)  # the next check-out remembers the laptop
    assert again.laptop.text() == "Bærbar 3"
    lent_row = again.row_of(admission_id=selected)
    assert "Udlånt til Bærbar 3" in cell(again.table, lent_row, 3).text()
    again.reject()


def test_wrong_moves_are_refused_in_danish_with_nothing_lent_and_no_file(
    koordinator: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window = koordinator
    ctx = window.services.ctx
    dialog = open_checkout(window, qtbot)
    admissions = current_admissions(dialog)
    for case in dialog.chosen():
        dialog.set_checked(dialog.row_of(admission_id=case.admission_id, patient_id=case.patient_id), False)
    path = tmp_path / "offline.db"

    fill(qtbot, dialog, laptop="Bærbar 3", path=path, first=PASSPHRASE, second=PASSPHRASE)
    refused(qtbot, dialog, "Vælg mindst én indlæggelse eller patient")

    dialog.set_checked(dialog.row_of(admission_id=admissions[0]))
    fill(qtbot, dialog, laptop="   ", path=path, first=PASSPHRASE, second=PASSPHRASE)
    refused(qtbot, dialog, "Skriv navnet på den bærbare")

    fill(qtbot, dialog, laptop="Bærbar 3", path=path, first=PASSPHRASE, second=PASSPHRASE + "x")
    refused(qtbot, dialog, "De to adgangskoder er ikke ens")

    fill(qtbot, dialog, laptop="Bærbar 3", path=path, first="kort", second="kort")
    refused(qtbot, dialog, "tegn")

    path.write_bytes(b"noget andet")
    fill(qtbot, dialog, laptop="Bærbar 3", path=path, first=PASSPHRASE, second=PASSPHRASE)
    refused(qtbot, dialog, "findes allerede")
    assert path.read_bytes() == b"noget andet", "never overwritten"
    path.unlink()
    assert offline.loans_out(ctx) == []

    offline.check_out(ctx, [admissions[0]], tmp_path / "first.db", PASSPHRASE, laptop="Bærbar 1")
    fill(qtbot, dialog, laptop="Bærbar 3", path=path, first=PASSPHRASE, second=PASSPHRASE)
    refused(qtbot, dialog, "er allerede udlånt til Bærbar 1")
    grab(dialog, "offline-afvist")
    assert not path.exists() and not path.with_name(path.name + "-journal").exists()
    assert [loan.laptop for loan in offline.loans_out(ctx)] == ["Bærbar 1"]
    dialog.reject()


def test_the_administrator_revokes_a_loan_with_a_reason(main_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    window = main_window
    ctx = window.services.ctx
    admission_id = window.patients_tab.model.row_at(0).admission_id
    overdue = TODAY - timedelta(days=2)
    offline.check_out(ctx, [admission_id], tmp_path / "a.db", PASSPHRASE, laptop="Bærbar 3", expected_return=overdue)
    window.act_loans.trigger()
    dialog = window.offline_actions.open_dialog
    assert isinstance(dialog, LoansDialog)
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 1
    texts = [cell(dialog.table, 0, c).text() for c in range(5)]
    assert texts[0] == "Bærbar 3" and texts[1] == ctx.user
    assert texts[3] == f"{overdue:%d-%m-%Y} – overskredet"
    assert "xxxx" in texts[4], "the patient named, the CPR number masked"
    grab(dialog, "offline-udlaante-sager")
    assert dialog.revoke_button.isEnabled()

    qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)
    revoke = dialog.revoke_dialog
    assert isinstance(revoke, RevokeDialog)
    qtbot.waitExposed(revoke)
    assert any(CONFLICT_WARNING in label.text() for label in revoke.findChildren(type(revoke.error_label)))
    qtbot.mouseClick(revoke.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused, nothing revoked
    assert "Skriv hvorfor udlånet tilbagekaldes" in revoke.error_label.text() and revoke.isVisible()
    assert len(offline.loans_out(ctx)) == 1
    qtbot.keyClicks(revoke.reason, "den bærbare er bortkommet")
    grab(revoke, "offline-tilbagekald")
    qtbot.mouseClick(revoke.ok_button, Qt.MouseButton.LeftButton)

    assert offline.loans_out(ctx) == []
    assert dialog.table.rowCount() == 0 and dialog.empty.isVisible()
    assert window.patients_tab.select_admission(admission_id)
    assert "Udlånt til" not in window.patients_tab.details.status_line.text()
    window.services.admissions.add_note(admission_id, "Ringet til kommunen")  # the ward writes again
    dialog.reject()


def test_a_koordinator_sees_the_loans_but_cannot_revoke(koordinator: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    window = koordinator
    admission_id = window.patients_tab.model.row_at(0).admission_id
    offline.check_out(window.services.ctx, [admission_id], tmp_path / "a.db", PASSPHRASE, laptop="Bærbar 3")
    window.act_loans.trigger()
    dialog = window.offline_actions.open_dialog
    assert isinstance(dialog, LoansDialog)
    assert dialog.table.rowCount() == 1
    assert not dialog.revoke_button.isEnabled()
    assert "Kun en administrator" in dialog.revoke_button.toolTip()
    dialog.reject()


def test_laeseadgang_cannot_take_cases_offline(
    reader: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = reader
    assert not window.act_take_offline.isEnabled()
    assert window.act_take_offline.toolTip() == NOT_YOUR_ROLE
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    window.offline_actions.take_offline()  # a shortcut or a stale menu: told, no dialog
    assert told == [NOT_YOUR_ROLE] and window.offline_actions.open_dialog is None
    admission_id = window.patients_tab.model.row_at(0).admission_id
    with pytest.raises(AccessDeniedError):
        offline.check_out(window.services.ctx, [admission_id], tmp_path / "x.db", PASSPHRASE, laptop="Bærbar 3")
    assert not (tmp_path / "x.db").exists()


def test_the_app_on_the_laptop_file_shows_the_banner_and_lends_nothing_further(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ward = main_window.services.ctx
    admission_id = main_window.patients_tab.model.row_at(0).admission_id
    back = date(2026, 11, 30)
    path = tmp_path / "laptop.db"
    offline.check_out(ward, [admission_id], path, PASSPHRASE, laptop="Bærbar 3", expected_return=back)

    db = open_database(path, passphrase=PASSPHRASE)
    laptop = window_on(qtbot, db, tmp_path, Role.KOORDINATOR)
    try:
        banner = laptop.offline_banner
        assert banner is not None and banner.isVisible()
        text = banner.text.text()
        lent = main_window.patients_tab.model.row_at(0).name
        assert f"Udlånt til Bærbar 3 af {ward.user} siden 23-11-2026: {lent}." in text, "what is out, and since when"
        assert "Forventes tilbage 30-11-2026" in text and HAND_IN in text
        assert laptop.windowTitle().startswith("Offline-kopi")
        laptop.tabs.setCurrentWidget(laptop.meetings_tab)
        assert banner.isVisible(), "always visible, whichever tab is shown"
        grab(laptop, "offline-kopi-banner")
        assert not laptop.act_take_offline.isEnabled()
        assert laptop.act_take_offline.toolTip() == IN_OFFLINE_COPY
        assert not laptop.act_loans.isEnabled() and laptop.act_loans.toolTip() == NO_LOANS_HERE
        assert laptop.patients_tab.model.rowCount() == 1, "the laptop file holds the lent case only"
        with pytest.raises(ProcessError, match="offline-kopi"):
            offline.check_out(laptop.services.ctx, [admission_id], tmp_path / "further.db", PASSPHRASE, laptop="B")
        assert not (tmp_path / "further.db").exists()
        info = offline.offline_copy_info(laptop.services.ctx)
        assert info is not None and info.laptop == "Bærbar 3" and info.expected_return == back
    finally:
        laptop.close()
        db.dispose()
    assert offline.offline_copy_info(ServiceContext(database=main_window.services.ctx.database)) is None
