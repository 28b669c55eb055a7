"""I dag in the GUI tests: show the tab, walk its grouped rows, click a row's Handling link."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt

from coordinator_app.services.ward_view import TodayItem
from coordinator_app.ui.today.today_tab import COL_ACTION, TodayTab


def show_today(window) -> TodayTab:
    window.tabs.setCurrentWidget(window.today_tab)
    return window.today_tab


def today_rows(tab: TodayTab) -> list[tuple[QModelIndex, TodayItem]]:
    """Every row under every group (Overskredet, I dag, …), with its item."""
    model, out = tab.model, []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            index = model.index(r, 0, group)
            item = model.item_at(index)
            assert item is not None
            out.append((index, item))
    return out


def first_row(tab: TodayTab, wanted: Callable[[TodayItem], bool]) -> tuple[QModelIndex, TodayItem]:
    return next((i, item) for i, item in today_rows(tab) if wanted(item))


def click_action_link(qtbot, tab: TodayTab, index: QModelIndex) -> None:
    cell = index.siblingAtColumn(COL_ACTION)
    tab.view.scrollTo(cell)
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=tab.view.visualRect(cell).center())
