"""Roles govern every way out, as a user meets them (issue 18): a læseadgang user sees «Skriv ud…», «Gem som
PDF…» and the statistics' «Eksportér» greyed out with the reason, while «Åbn» (a view) stays; a koordinator has them.
The services refuse the export anyway (tests/services/test_exports.py, tests/cli/test_export_roles.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.screens import grab
from helpers.windows import window_as

from coordinator_app.domain.access import Role
from coordinator_app.ui.shell.main_window import MainWindow


@pytest.fixture
def reader(qtbot, demo_db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    yield from window_as(qtbot, demo_db_path, tmp_path, Role.LAESEADGANG)


@pytest.fixture
def koordinator(qtbot, demo_db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    yield from window_as(qtbot, demo_db_path, tmp_path, Role.KOORDINATOR)


def show_documents(window: MainWindow) -> None:
    documents = window.services.documents
    model = window.patients_tab.model
    with_documents = next(
        model.row_at(r).admission_id
        for r in range(model.rowCount())
        if documents.documents(model.row_at(r).admission_id)
    )
    assert window.patients_tab.select_admission(with_documents)
    details = window.patients_tab.details
    details.tabs.setCurrentWidget(details.documents_tab)
    assert details.documents.selectionModel().selectedRows()  # a document is selected


def test_laeseadgang_sees_print_save_and_export_greyed_out_with_the_reason(reader: MainWindow) -> None:
    show_documents(reader)
    buttons = reader.patients_tab.details.doc_buttons
    assert buttons["open"].isEnabled()  # a view stays a view
    for key in ("print", "save"):
        assert not buttons[key].isEnabled(), key
        assert buttons[key].toolTip() == "Din rolle må ikke skrive dokumenter ud eller gemme dem som fil."
    reader.resize(1400, 900)
    grab(reader, "laeseadgang-dokumenter")
    tab = reader.statistics_actions.build_tab()
    for button in (tab.xlsx_button, tab.csv_button):
        assert not button.isEnabled() and button.toolTip() == "Din rolle må ikke eksportere statistik."


def test_a_koordinator_may_print_save_and_export(koordinator: MainWindow) -> None:
    show_documents(koordinator)
    buttons = koordinator.patients_tab.details.doc_buttons
    assert all(buttons[key].isEnabled() for key in ("open", "print", "save"))
    assert buttons["save"].toolTip() == ""
    tab = koordinator.statistics_actions.build_tab()
    assert tab.xlsx_button.isEnabled() and tab.csv_button.isEnabled()
