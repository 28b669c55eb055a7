"""Indstillinger → Kalender og regler takes effect at once (issue 7): saving «varsling» in arbejdsdage moves the
varsling deadlines on I dag without a restart, as the engine computes them with the saved rules."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from coordinator_app.domain.rules import Unit
from coordinator_app.services.settings import CalendarSettings, load_calendar_settings

TODAY = date(2026, 11, 23)  # conftest.DEMO_MOMENT


def varsling_dues(window) -> dict[int, date]:
    return {i.admission_id: i.due for i in window.today_tab.model.items() if i.kind == "varsling"}


def test_saving_varsling_in_arbejdsdage_moves_i_dag_at_once(qtbot, main_window) -> None:
    window = main_window
    window.tabs.setCurrentWidget(window.today_tab)
    before = varsling_dues(window)
    assert before, "the demo ward has open varsling deadlines"

    window.settings_actions.edit_settings()
    dialog = window.settings_actions.open_dialog
    page = dialog.calendar
    dialog.tabs.setCurrentWidget(page)
    box = page.unit_boxes["varsling"]
    box.setCurrentIndex(box.findData(Unit.WORKING_DAYS))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert load_calendar_settings(window.services.ctx) == CalendarSettings(True, {"varsling": Unit.WORKING_DAYS})

    after = varsling_dues(window)
    assert set(after) == set(before)
    # 8 arbejdsdage before færdigbehandlet is earlier than 8 dage (at least two weekend days lie between).
    assert all(after[i] < before[i] for i in before), (before, after)
    assert window.tabs.currentWidget() is window.today_tab
    dialog.close()
