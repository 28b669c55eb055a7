"""The admissions behind a Statistik figure (click-through), and the read-only sortable tables the tab uses.

``AdmissionListDialog`` lists patient, masked CPR, admitted/discharged and bopælskommune with the admission's
number — the *Indlæggelses-id* of the XLSX export's sheet *Indlæggelser bag tallene* — and emits
``admission_activated(id)`` on double-click or Enter so the main window can open the admission.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.ward_view import AdmissionRow
from coordinator_app.ui.common.style import MUTED, text_label
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.statistics.charts import format_count

__all__ = ["ID_ROLE", "AdmissionListDialog", "SortItem", "activate_on_enter", "open_admission_list", "read_only_table"]

ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
LIST_COLUMNS = ("Nr.", "Patient", "CPR", "Indlagt", "Udskrevet", "Bopælskommune")


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


def _day(d: date) -> str:
    return f"{d:%d-%m-%Y}"


class AdmissionListDialog(QDialog):
    """The admissions behind a figure; double-click or Enter emits ``admission_activated(id)``."""

    admission_activated = Signal(int)

    def __init__(
        self, title: str, rows: Sequence[AdmissionRow], *, missing: int = 0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Indlæggelser bag tallet")
        self.resize(820, 520)
        heading = text_label(title)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        count = f"{format_count(len(rows))} indlæggelser. Dobbeltklik (eller Enter) for at åbne en indlæggelse."
        if missing:
            count += f" {missing} findes ikke længere."
        self.table = read_only_table(LIST_COLUMNS)
        self.table.setRowCount(len(rows))
        for row, r in enumerate(rows):
            cells = (
                SortItem(str(r.admission_id), r.admission_id, right=True),
                SortItem(r.name),
                SortItem(mask_cpr(r.cpr)),
                SortItem(_day(r.admitted), r.admitted.toordinal()),
                SortItem(_day(r.discharged) if r.discharged else "Indlagt", (r.discharged or date.max).toordinal()),
                SortItem(r.kommune_name),
            )
            for column, item in enumerate(cells):
                item.setData(ID_ROLE, r.admission_id)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda index: self.activate(index.row()))
        activate_on_enter(self.table, lambda: self.activate(self.table.currentRow()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text_label(count, MUTED))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if rows:
            self.table.selectRow(0)

    def admission_ids(self) -> list[int]:
        """The listed ids in the order shown."""
        return [int(cell(self.table, row, 0).data(ID_ROLE)) for row in range(self.table.rowCount())]

    def activate(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.admission_activated.emit(int(item.data(ID_ROLE)))


def open_admission_list(
    parent: QWidget | None, admissions: AdmissionService, ids: Sequence[int], title: str
) -> AdmissionListDialog:
    """Show the admissions ``ids`` (non-modal, so it can stay beside the statistics); returned for the caller to
    connect ``admission_activated``."""
    wanted = set(ids)
    rows = [r for r in admissions.list_rows(include_discharged=True) if r.admission_id in wanted]
    dialog = AdmissionListDialog(title, rows, missing=len(wanted) - len(rows), parent=parent)
    dialog.show()
    return dialog
