"""The *Færdigmeldte* tab (issue 7): each færdigmeldt patient, how long they have waited, what the kommune is
doing (G1 12-week case processing, G2 status meeting every 14 days, G3 disagreement lifted within a week) and
what the wait has cost the kommune so far (§ 238), with the rate it was priced at. *Varsel* shows the notice the
kommune got before the færdigmelding (B5, issue 16): the days since the varsling, or a warning when there was no
varsling or a late one, as recorded on the færdigmelding (``sending.Notice``).

The model precomputes cells and sort keys once per refresh, like the patient list (``admission_table.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.model import Deadline, DeadlineState
from coordinator_app.domain.process import Status
from coordinator_app.domain.reference import danish_sort_key
from coordinator_app.domain.special_groups import OPHOLDSKOMMUNE
from coordinator_app.services.overview import FaerdigmeldtOverview, FaerdigmeldtRow
from coordinator_app.services.settings import format_kroner
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import INFO_STYLE, MUTED, WARNING_STYLE
from coordinator_app.ui.patients.admission_table import DUE_TODAY_BG, DUE_TODAY_FG, OVERDUE_BG, OVERDUE_FG

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = (
    "Patient",
    "Kommune",
    "Status",
    "Færdigmeldt",
    "Varsel",
    "Sengedage",
    "I bero",
    "Sagsbehandling (G1)",
    "Statusmøde (G2)",
    "Uenighed (G3)",
    "Udgift",
)
(
    COL_PATIENT,
    COL_KOMMUNE,
    COL_STATUS,
    COL_SINCE,
    COL_NOTICE,
    COL_DAYS,
    COL_BERO,
    COL_G1,
    COL_G2,
    COL_G3,
    COL_COST,
) = range(len(COLUMNS))
HEADER_TIPS: dict[int, str] = {
    COL_KOMMUNE: "Kommunen, der betaler sengedagene (B5): bopælskommunen, for en hjemløs patient opholdskommunen",
    COL_SINCE: "Dato for den gældende færdigmelding (efter en afmelding, B7, den nye)",
    COL_NOTICE: "Kommunens varsel før færdigmeldingen: dage fra varslingen (B5); ⚠ uden varsling eller efter en for "
    "sen varsling",
    COL_DAYS: "Færdigmeldte sengedage i indlæggelsen: én pr. midnat som færdigmeldt, dage i bero tæller ikke (B5, B6)",
    COL_BERO: "Dage, hvor færdigmeldingen har været i bero (B6), talt på samme måde",
    COL_G1: "Kommunens sagsbehandlingsfrist: 12 uger fra første varsling/færdigmelding (G1)",
    COL_G2: "Næste statusmøde – hver 14. dag, mens patienten er færdigmeldt (G2)",
    COL_G3: "Uenighed om udskrivning løftes til chefniveau inden 1 uge (G3): fristen for den åbne uenighed",
    COL_COST: "Udgiften indtil nu: sengedagene × satsen for hvert års sengedage (sundhedsloven § 238); satsen står "
    "under tabellen",
}
NUMERIC = (COL_DAYS, COL_BERO, COL_COST)
DEADLINE_COLS = (COL_G1, COL_G2, COL_G3)


def _date(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def _days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


def deadline_text(d: Deadline | None, today: date, *, met: str = "✓ overholdt") -> str:
    """A kommune deadline in words: met, overdue by how much, today, or in how long."""
    if d is None:
        return "–"
    if d.state is DeadlineState.MET:
        return f"{met} {_date(d.met_on or d.due)}"
    days = (d.due - today).days
    if days < 0:
        return f"⚠ {_date(d.due)} · {_days(-days)} over"
    if days == 0:
        return f"● {_date(d.due)} · i dag"
    return f"{_date(d.due)} · om {_days(days)}"


def g3_text(row: FaerdigmeldtRow, today: date) -> str:
    """The escalation deadline of the open disagreement (the earliest, with the count when there are more)."""
    if not row.g3:
        return "Ingen åben"
    text = deadline_text(min(row.g3, key=lambda d: d.due), today)
    return f"{text} ({len(row.g3)} åbne)" if len(row.g3) > 1 else text


def kommune_text(row: FaerdigmeldtRow) -> str:
    """The paying kommune; "(hjemløs)" when it is the last opholdskommune rather than the bopælskommune (B5)."""
    return f"{row.kommune_name} (hjemløs)" if row.kommune_role == OPHOLDSKOMMUNE else row.kommune_name


def _worst(deadlines: Sequence[Deadline | None]) -> DeadlineState | None:
    states = {d.state for d in deadlines if d is not None}
    for state in (DeadlineState.OVERDUE, DeadlineState.DUE_TODAY):
        if state in states:
            return state
    return None


class FaerdigmeldteModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FaerdigmeldtRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._tips: list[tuple[str, ...]] = []
        self._states: list[tuple[DeadlineState | None, ...]] = []
        self._keys: list[tuple[Any, ...]] = []
        self._short: list[bool] = []
        self._view: list[int] = []
        self._sort_column = COL_DAYS
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_rows(self, rows: Sequence[FaerdigmeldtRow], today: date) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells, self._tips, self._states, self._keys = [], [], [], []
        self._short = [r.notice is not None and r.notice.short for r in self._rows]
        for r in self._rows:
            cost = format_kroner(r.cost) if r.cost is not None else "ukendt"
            self._cells.append(
                (
                    r.patient_name,
                    kommune_text(r),
                    r.status_label,
                    _date(r.faerdigmeldt_on),
                    r.notice.short_text() if r.notice is not None else "–",
                    str(r.bed_days),
                    str(r.bero_days) if r.bero_days else "–",
                    deadline_text(r.g1, today, met="✓ afgjort"),
                    deadline_text(r.g2, today),
                    g3_text(r, today),
                    cost,
                )
            )
            self._tips.append(tuple(literal(t) for t in self._row_tips(r)))
            self._states.append((_worst([r.g1]), _worst([r.g2]), _worst(list(r.g3))))
            far = date.max.toordinal()
            self._keys.append(
                (
                    danish_sort_key(r.patient_name),
                    danish_sort_key(r.kommune_name),
                    danish_sort_key(r.status_label),
                    r.faerdigmeldt_on.toordinal(),
                    r.notice.notice_days if r.notice is not None else -1,
                    r.bed_days,
                    r.bero_days,
                    r.g1.due.toordinal() if r.g1 and r.g1.state is not DeadlineState.MET else far,
                    r.g2.due.toordinal() if r.g2 else far,
                    min((d.due.toordinal() for d in r.g3), default=far),
                    r.cost if r.cost is not None else Decimal(-1),
                )
            )
        self._view = self._sorted()
        self.endResetModel()

    @staticmethod
    def _row_tips(r: FaerdigmeldtRow) -> tuple[str, ...]:
        tips = [""] * len(COLUMNS)
        tips[COL_PATIENT] = f"{r.patient_name}, {r.cpr_masked} – dobbeltklik eller Enter åbner indlæggelsen"
        tips[COL_KOMMUNE] = (
            "Hjemløs: den senest kendte opholdskommune betaler sengedagene (B5)"
            if r.kommune_role == OPHOLDSKOMMUNE
            else "Bopælskommunen betaler sengedagene (B5)"
        )
        tips[COL_NOTICE] = "\n".join(r.notice.lines()) if r.notice is not None else HEADER_TIPS[COL_NOTICE]
        tips[COL_DAYS] = HEADER_TIPS[COL_DAYS]
        tips[COL_BERO] = HEADER_TIPS[COL_BERO]
        for col, d in ((COL_G1, r.g1), (COL_G2, r.g2)):
            tips[col] = f"{d.description} (regel {d.rule_id}), frist {_date(d.due)}" if d else HEADER_TIPS[col]
        tips[COL_G3] = (
            "\n".join(f"{d.description} (regel {d.rule_id}), frist {_date(d.due)}" for d in r.g3)
            if r.g3
            else "Ingen registreret uenighed om udskrivningen (G3)"
        )
        tips[COL_COST] = r.cost_note or HEADER_TIPS[COL_COST]
        return tuple(tips)

    # -- sort and lookups -------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._view = self._sorted()
        self.layoutChanged.emit()

    def _sorted(self) -> list[int]:
        keys, col = self._keys, self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(range(len(self._rows)), key=lambda i: keys[i][col], reverse=descending)

    def row_at(self, row: int) -> FaerdigmeldtRow:
        return self._rows[self._view[row]]

    def row_of_admission(self, admission_id: int) -> int | None:
        for pos, i in enumerate(self._view):
            if self._rows[i].admission_id == admission_id:
                return pos
        return None

    # -- QAbstractTableModel ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        i, col = self._view[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[i][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[i][col] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_NOTICE and self._short[i]:
            return QBrush(OVERDUE_FG)  # no varsling or a late one (B5): recorded, shown as a warning
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and col in DEADLINE_COLS:
            state = self._states[i][DEADLINE_COLS.index(col)]
            background = role == Qt.ItemDataRole.BackgroundRole
            if state is DeadlineState.OVERDUE:
                return QBrush(OVERDUE_BG if background else OVERDUE_FG)
            if state is DeadlineState.DUE_TODAY:
                return QBrush(DUE_TODAY_BG if background else DUE_TODAY_FG)
        return None


def totals_line(overview: FaerdigmeldtOverview) -> str:
    rows = overview.rows
    bero = sum(1 for r in rows if r.status is Status.I_BERO)
    parts = [f"{len(rows)} {'patient' if len(rows) == 1 else 'patienter'} færdigmeldt"]
    if bero:
        parts[0] += f" (heraf {bero} i bero)"
    parts.append(f"{overview.bed_days} sengedage")
    if overview.bero_days:
        parts.append(f"{overview.bero_days} dage i bero")
    cost = format_kroner(overview.cost)
    parts.append(f"udgift indtil nu {cost}" if overview.cost_complete else f"udgift mindst {cost}")
    return " · ".join(parts)


def kommune_line(overview: FaerdigmeldtOverview) -> str:
    """Per kommune, largest cost first: "København: 5 pt., 300 sengedage, 592.800 kr." …"""
    by: dict[str, list[FaerdigmeldtRow]] = {}
    for r in overview.rows:
        by.setdefault(r.kommune_name, []).append(r)
    totals = [
        (name, len(rs), sum(r.bed_days for r in rs), sum((r.cost or Decimal(0) for r in rs), Decimal(0)))
        for name, rs in by.items()
    ]
    totals.sort(key=lambda t: (-t[3], -t[2], danish_sort_key(t[0])))
    return "Pr. kommune: " + "; ".join(f"{n} {p} pt., {d} sengedage, {format_kroner(c)}" for n, p, d, c in totals)


class FaerdigmeldteTab(QWidget):
    open_requested = Signal(int)  # admission id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = plain_label("Færdigmeldte patienter")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.totals = plain_label()
        self.totals.setAccessibleName("Total")
        tf = self.totals.font()
        tf.setBold(True)
        self.totals.setFont(tf)
        self.by_kommune = plain_label()
        self.by_kommune.setWordWrap(True)
        self.by_kommune.setStyleSheet(MUTED)
        self.rate = plain_label()
        self.rate.setWordWrap(True)
        self.rate.setTextFormat(Qt.TextFormat.PlainText)
        self.rate.setAccessibleName("Sengedagstakst")
        self.rate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = FaerdigmeldteModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Færdigmeldte patienter")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DAYS, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # G1–G3 fit "⚠ 18-09-2026 · 66 dage over"; the patient column takes what is left (names; CPR in the tooltip).
        widths = (160, 135, 92, 85, 120, 85, 50, 190, 180, 180, 95)
        for col, width in enumerate(widths):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_PATIENT, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)

        self.open_button = QPushButton("&Åbn indlæggelse")
        self.open_button.setToolTip("Vis patienten i fanen Patienter (Enter eller dobbeltklik)")
        self.open_button.clicked.connect(self.open_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.totals)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.by_kommune)
        layout.addWidget(self.rate)
        layout.addLayout(buttons)
        self._selection_changed()

    def set_overview(self, overview: FaerdigmeldtOverview) -> None:
        selected = self.selected_admission_id()
        self.model.set_rows(overview.rows, overview.today)
        self.totals.setText(totals_line(overview))
        self.by_kommune.setText(kommune_line(overview) if overview.rows else "")
        self.by_kommune.setVisible(bool(overview.rows))
        self.rate.setText(overview.rate_label)
        self.rate.setStyleSheet(WARNING_STYLE if overview.rate_is_default else INFO_STYLE)
        if selected is not None:
            row = self.model.row_of_admission(selected)
            if row is not None:
                self.table.selectRow(row)
        self._selection_changed()

    def selected_admission_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).admission_id if rows else None

    def open_selected(self) -> None:
        admission_id = self.selected_admission_id()
        if admission_id is not None:
            self.open_requested.emit(admission_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row_at(index.row()).admission_id)

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(self.selected_admission_id() is not None)
