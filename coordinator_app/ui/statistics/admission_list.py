"""The admissions behind a Statistik figure (click-through), and the read-only sortable tables the tab uses.

``AdmissionListDialog`` lists patient, masked CPR, admitted/discharged and bopælskommune with the admission's
number — the *Indlæggelses-id* of the XLSX export's sheet *Indlæggelser bag tallene* — and emits
``admission_activated(id)`` on double-click or Enter so the main window can open the admission.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.ward_view import AdmissionRow
from coordinator_app.ui.common.style import MUTED, text_label
from coordinator_app.ui.common.tables import ID_ROLE, SortItem, activate_on_enter, read_only_table
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.statistics.charts import format_count

__all__ = ["AdmissionListDialog", "open_admission_list"]

LIST_COLUMNS = ("Nr.", "Patient", "CPR", "Indlagt", "Udskrevet", "Bopælskommune")


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
