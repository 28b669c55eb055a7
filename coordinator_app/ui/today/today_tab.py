"""The *I dag* tab (issue 7): every open deadline of the ward, grouped Overskredet / I dag / Næste 7 dage / Senere.

The start view — a coordinator's first question is "what must I do today?". Each row says by when, what and by
which rule, for which patient and kommune; Enter or a double-click opens the admission in the Patienter tab.
The model is a thin two-level adapter (group → deadline) over ``TodayItem`` values with the cells precomputed
once per refresh, like the patient list (``admission_table.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.services.ward_view import WEEK_DAYS, Bucket, TodayItem
from coordinator_app.ui.common.style import MUTED
from coordinator_app.ui.patients.admission_table import DUE_TODAY_BG, DUE_TODAY_FG, OVERDUE_BG, OVERDUE_FG

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = ("Frist", "Hvad (regel)", "Patient", "Kommune", "Tilstand")
COL_DUE, COL_WHAT, COL_PATIENT, COL_KOMMUNE, COL_STATE = range(len(COLUMNS))

BUCKETS: tuple[Bucket, ...] = (Bucket.OVERDUE, Bucket.TODAY, Bucket.WEEK, Bucket.LATER)
BUCKET_LABELS: dict[Bucket, str] = {
    Bucket.OVERDUE: "Overskredet",
    Bucket.TODAY: "I dag",
    Bucket.WEEK: f"Næste {WEEK_DAYS} dage",
    Bucket.LATER: "Senere",
}
#: The count line: "3 overskredne · 4 i dag · 9 de næste 7 dage · 12 senere".
COUNT_WORDS: dict[Bucket, tuple[str, str]] = {  # singular, plural
    Bucket.OVERDUE: ("overskreden", "overskredne"),
    Bucket.TODAY: ("i dag", "i dag"),
    Bucket.WEEK: (f"de næste {WEEK_DAYS} dage", f"de næste {WEEK_DAYS} dage"),
    Bucket.LATER: ("senere", "senere"),
}
GROUP_BG: dict[Bucket, QColor] = {
    Bucket.OVERDUE: QColor("#eebcbc"),
    Bucket.TODAY: QColor("#f6dc9f"),
    Bucket.WEEK: QColor("#d3e3f3"),
    Bucket.LATER: QColor("#e4e4e4"),
}
WEEKDAYS = ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn.")
WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
RESPONSIBLE_LABELS = {"center": "Afsnittet"}


def long_date(day: date) -> str:
    """``mandag 23. november 2026``."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day}. {MONTHS[day.month - 1]} {day.year}"


def due_text(due: date) -> str:
    return f"{WEEKDAYS[due.weekday()]} {due.day:02d}-{due.month:02d}-{due.year}"


def state_text(item: TodayItem, today: date) -> str:
    """In words, not by colour alone: how late, today, or how soon."""
    days = (item.due - today).days
    if days < 0:
        return f"⚠ {-days} {'dag' if days == -1 else 'dage'} over"
    if days == 0:
        return "● I dag"
    if days == 1:
        return "i morgen"
    return f"om {days} dage"


def what_text(item: TodayItem) -> str:
    text = f"{item.what} ({item.rule_id})"
    if item.is_task and item.responsible:
        text += f" – ansvarlig: {item.responsible}"
    return text


def kommune_text(item: TodayItem) -> str:
    """The kommune; its role too when it is not simply the bopælskommune (homeless patients, A5/B5)."""
    if item.recipient and item.recipient != "Bopælskommune":
        return f"{item.kommune_name} ({item.recipient.lower()})"
    return item.kommune_name


def tooltip_text(item: TodayItem) -> str:
    lines = [f"{item.what}", f"Regel {item.rule_id} · frist {due_text(item.due)}"]
    lines.append(f"Patient: {item.patient_name}, {item.cpr_masked}")
    lines.append(
        f"Modtager: {item.recipient} – {item.kommune_name}" if item.recipient else f"Kommune: {item.kommune_name}"
    )
    lines.append(f"Ansvarlig: {RESPONSIBLE_LABELS.get(item.responsible, item.responsible)}")
    lines.append("Enter eller dobbeltklik åbner indlæggelsen.")
    return "\n".join(lines)


class TodayModel(QAbstractItemModel):
    """Groups (top level, internal id 0) and their deadlines (internal id = group row + 1)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = date.min
        self._groups: list[list[TodayItem]] = [[] for _ in BUCKETS]
        self._cells: list[list[tuple[str, ...]]] = [[] for _ in BUCKETS]
        self._tips: list[list[str]] = [[] for _ in BUCKETS]
        self.row_height = 0  # set by the view: its font's height plus spacing (0: the style's default)

    # -- data in ----------------------------------------------------------------------------------------
    def set_items(self, items: Sequence[TodayItem], today: date) -> None:
        self.beginResetModel()
        self._today = today
        self._groups = [[i for i in items if i.bucket is b] for b in BUCKETS]
        self._cells = [
            [
                (
                    due_text(i.due),
                    what_text(i),
                    f"{i.patient_name}  {i.cpr_masked}",
                    kommune_text(i),
                    state_text(i, today),
                )
                for i in group
            ]
            for group in self._groups
        ]
        self._tips = [[tooltip_text(i) for i in group] for group in self._groups]
        self.endResetModel()

    # -- lookups ----------------------------------------------------------------------------------------
    def count(self, bucket: Bucket) -> int:
        return len(self._groups[BUCKETS.index(bucket)])

    def item_at(self, index: Index) -> TodayItem | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][index.row()]

    def group_index(self, bucket: Bucket) -> QModelIndex:
        return self.index(BUCKETS.index(bucket), 0)

    def items(self) -> list[TodayItem]:
        return [i for group in self._groups for i in group]

    def index_of(self, item: TodayItem) -> QModelIndex:
        group = BUCKETS.index(item.bucket)
        for row, candidate in enumerate(self._groups[group]):
            if candidate == item:
                return self.index(row, 0, self.index(group, 0))
        return QModelIndex()

    # -- QAbstractItemModel -----------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if 0 <= row < len(BUCKETS) else QModelIndex()
        if parent.internalId() != 0 or not 0 <= row < len(self._groups[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(BUCKETS)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.SizeHintRole and self.row_height:
            return QSize(0, self.row_height + (4 if index.internalId() == 0 else 0))
        if index.internalId() == 0:
            return self._group_data(index, role)
        group, row, col = index.internalId() - 1, index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[group][row][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[group][row]
        bucket = BUCKETS[group]
        if role == Qt.ItemDataRole.BackgroundRole:
            if bucket is Bucket.OVERDUE:
                return QBrush(OVERDUE_BG)
            if bucket is Bucket.TODAY:
                return QBrush(DUE_TODAY_BG)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATE:
            if bucket is Bucket.OVERDUE:
                return QBrush(OVERDUE_FG)
            if bucket is Bucket.TODAY:
                return QBrush(DUE_TODAY_FG)
        return None

    def _group_data(self, index: Index, role: int) -> Any:
        bucket = BUCKETS[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() != 0:
                return ""
            count = len(self._groups[index.row()])
            return f"{BUCKET_LABELS[bucket]}  ({count})"
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(GROUP_BG[bucket])
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and bucket is Bucket.WEEK:
            return f"Frister fra i morgen til og med {WEEK_DAYS} dage frem"
        return None


def count_line(model: TodayModel) -> str:
    parts = []
    for bucket in BUCKETS:
        n = model.count(bucket)
        singular, plural = COUNT_WORDS[bucket]
        parts.append(f"{n} {singular if n == 1 else plural}")
    return " · ".join(parts)


class TodayTab(QWidget):
    open_requested = Signal(int)  # admission id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._collapsed: set[Bucket] = {Bucket.LATER}
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.counts = QLabel()
        self.counts.setAccessibleName("Antal frister")
        self.note = QLabel(
            "Afsnittets egne frister og aftaler fra netværksmøder. Kommunens frister (G1, G2) står under Færdigmeldte."
        )
        self.note.setStyleSheet(MUTED)

        self.model = TodayModel(self)
        self.model.row_height = self.fontMetrics().height() + 8  # the patient list's spacing
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Åbne frister")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAllColumnsShowFocus(True)
        self.view.setIndentation(14)
        self.view.setExpandsOnDoubleClick(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_DUE, 150), (COL_PATIENT, 220), (COL_KOMMUNE, 200), (COL_STATE, 100)):
            header.resizeSection(col, width)
        self.view.activated.connect(self._activated)
        self.view.expanded.connect(lambda i: self._collapsed.discard(BUCKETS[i.row()]))
        self.view.collapsed.connect(lambda i: self._collapsed.add(BUCKETS[i.row()]))

        self.open_button = QPushButton("&Åbn indlæggelse")
        self.open_button.setToolTip("Vis patienten i fanen Patienter (Enter eller dobbeltklik)")
        self.open_button.clicked.connect(self.open_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.note)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self._selection_changed()

    def set_items(self, items: Sequence[TodayItem], today: date) -> None:
        selected = self.selected_item()
        self.model.set_items(items, today)
        self.heading.setText(f"I dag – {long_date(today)}")
        self.counts.setText(count_line(self.model))
        for row, bucket in enumerate(BUCKETS):
            group = self.model.index(row, 0)
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
            self.view.setExpanded(group, bucket not in self._collapsed)
        if selected is not None:
            index = self.model.index_of(selected)
            if index.isValid():
                self.view.setCurrentIndex(index)
        self._selection_changed()

    def selected_item(self) -> TodayItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.item_at(rows[0]) if rows else None

    def open_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.open_requested.emit(item.admission_id)

    def _activated(self, index: QModelIndex) -> None:
        item = self.model.item_at(index)
        if item is not None:
            self.open_requested.emit(item.admission_id)

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(self.selected_item() is not None)
