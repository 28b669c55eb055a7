"""Read-only tables the way every list of Koordinator shows them: whole rows selected one at a time, sorting by a
key (numbers, dates) where a cell has one, Enter doing what double-click does. Statistik's lists and the centres
of Indstillinger use them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

__all__ = ["ID_ROLE", "SORT_ROLE", "SortItem", "activate_on_enter", "read_only_table"]

#: The role a row's record id is kept in (the first cell).
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class SortItem(QTableWidgetItem):
    """A read-only cell that sorts by its sort key when it has one (numbers, dates), else by its text."""

    def __init__(self, text: str, sort_key: object = None, *, right: bool = False) -> None:
        super().__init__(text)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        if sort_key is not None:
            self.setData(SORT_ROLE, sort_key)
        if right:
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return self.text().casefold() < other.text().casefold()


def read_only_table(columns: Sequence[str]) -> QTableWidget:
    """Rows selected whole, one at a time, with room around the text."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(max(28, table.fontMetrics().height() + 12))
    table.setStyleSheet("QTableView::item { padding: 0 6px; }")
    return table


def activate_on_enter(table: QTableWidget, slot: Callable[[], None]) -> None:
    """Enter on the table does what double-click does."""
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(key), table, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
