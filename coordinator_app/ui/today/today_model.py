"""The I dag model (issue 7, issue 16): a thin two-level adapter (group → row) over ``TodayItem`` values with the cells
precomputed once per refresh, like the patient list (``admission_table.py``), and the Danish texts of a row.

The groups are *Skal rettes* (admissions whose history cannot be replayed — shown only when there are any), then
Overskredet, I dag, Næste 7 dage and Senere. Each row says by when, what and by which rule, for which patient and
kommune, how late — and, in the last column, the action that fulfils it (``services.deadline_actions``), drawn as
a link: ``TodayTab`` carries it out on a click or Ctrl+Enter. Kept apart from the tab so the widget module stays
small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

from coordinator_app.services.deadline_actions import DeadlineAction
from coordinator_app.services.ward_view import WEEK_DAYS, Bucket, TodayItem
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.patients.admission_table import DUE_TODAY_BG, DUE_TODAY_FG, OVERDUE_BG, OVERDUE_FG

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = ("Frist", "Hvad (regel)", "Patient", "Kommune", "Tilstand", "Handling")
COL_DUE, COL_WHAT, COL_PATIENT, COL_KOMMUNE, COL_STATE, COL_ACTION = range(len(COLUMNS))

#: The time groups, always shown; ``Bucket.ERROR`` comes before them when there is an error to fix.
BUCKETS: tuple[Bucket, ...] = (Bucket.OVERDUE, Bucket.TODAY, Bucket.WEEK, Bucket.LATER)
BUCKET_LABELS: dict[Bucket, str] = {
    Bucket.ERROR: "Skal rettes",
    Bucket.OVERDUE: "Overskredet",
    Bucket.TODAY: "I dag",
    Bucket.WEEK: f"Næste {WEEK_DAYS} dage",
    Bucket.LATER: "Senere",
}
#: The count line: "3 overskredne · 4 i dag · 9 de næste 7 dage · 12 senere" ("1 skal rettes · …" first if any).
COUNT_WORDS: dict[Bucket, tuple[str, str]] = {  # singular, plural
    Bucket.ERROR: ("skal rettes", "skal rettes"),
    Bucket.OVERDUE: ("overskreden", "overskredne"),
    Bucket.TODAY: ("i dag", "i dag"),
    Bucket.WEEK: (f"de næste {WEEK_DAYS} dage", f"de næste {WEEK_DAYS} dage"),
    Bucket.LATER: ("senere", "senere"),
}
GROUP_BG: dict[Bucket, QColor] = {
    Bucket.ERROR: QColor("#e59a9a"),
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
    if item.is_error:
        return "⚠ Skal rettes"
    days = (item.due - today).days
    if days < 0:
        return f"⚠ {-days} {'dag' if days == -1 else 'dage'} over"
    if days == 0:
        return "● I dag"
    if days == 1:
        return "i morgen"
    return f"om {days} dage"


def what_text(item: TodayItem) -> str:
    text = f"{item.what} ({item.rule_id})" if item.rule_id else item.what
    if item.is_task and item.responsible:
        text += f" – ansvarlig: {item.responsible}"
    return text


def kommune_text(item: TodayItem) -> str:
    """The kommune; its role too when it is not simply the bopælskommune (homeless patients, A5/B5)."""
    if item.recipient and item.recipient != "Bopælskommune":
        return f"{item.kommune_name} ({item.recipient.lower()})"
    return item.kommune_name


def action_text(item: TodayItem) -> str:
    return item.action.label if item.action is not None else ""


def tooltip_text(item: TodayItem) -> str:
    lines = [f"{item.what}"]
    if item.rule_id:
        lines.append(f"Regel {item.rule_id} · frist {due_text(item.due)}")
    lines.append(f"Patient: {item.patient_name}, {item.cpr_masked}")
    lines.append(
        f"Modtager: {item.recipient} – {item.kommune_name}" if item.recipient else f"Kommune: {item.kommune_name}"
    )
    lines.append(f"Ansvarlig: {RESPONSIBLE_LABELS.get(item.responsible, item.responsible)}")
    if item.action is not None:
        lines.append(f"Handling: {item.action.label} (klik på den, eller Ctrl+Enter)")
    lines.append("Enter eller dobbeltklik åbner indlæggelsen.")
    return "\n".join(lines)


class TodayModel(QAbstractItemModel):
    """Groups (top level, internal id 0) and their rows (internal id = group row + 1)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = date.min
        self._buckets: list[Bucket] = list(BUCKETS)
        self._groups: list[list[TodayItem]] = [[] for _ in BUCKETS]
        self._cells: list[list[tuple[str, ...]]] = [[] for _ in BUCKETS]
        self._tips: list[list[str]] = [[] for _ in BUCKETS]
        self._refused: dict[DeadlineAction, str] = {}  # actions the role may never take → the reason
        self.row_height = 0  # set by the view: its font's height plus spacing (0: the style's default)

    # -- data in ----------------------------------------------------------------------------------------
    def set_items(
        self, items: Sequence[TodayItem], today: date, *, refused: Mapping[DeadlineAction, str] | None = None
    ) -> None:
        """``refused``: actions the user's role may never take, with the reason (their links greyed out)."""
        self.beginResetModel()
        self._today = today
        self._refused = dict(refused or {})
        errors = any(i.bucket is Bucket.ERROR for i in items)
        self._buckets = [Bucket.ERROR, *BUCKETS] if errors else list(BUCKETS)
        self._groups = [[i for i in items if i.bucket is b] for b in self._buckets]
        self._cells = [
            [
                (
                    due_text(i.due) if not i.is_error else "–",
                    what_text(i),
                    f"{i.patient_name}  {i.cpr_masked}",
                    kommune_text(i),
                    state_text(i, today),
                    action_text(i),
                )
                for i in group
            ]
            for group in self._groups
        ]
        self._tips = [[literal(tooltip_text(i)) for i in group] for group in self._groups]
        self.endResetModel()

    # -- lookups ----------------------------------------------------------------------------------------
    @property
    def buckets(self) -> list[Bucket]:
        """The groups shown, in order (``Bucket.ERROR`` first when there is an error)."""
        return list(self._buckets)

    def bucket_at(self, row: int) -> Bucket:
        return self._buckets[row]

    def count(self, bucket: Bucket) -> int:
        return len(self._groups[self._buckets.index(bucket)]) if bucket in self._buckets else 0

    def item_at(self, index: Index) -> TodayItem | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][index.row()]

    def group_index(self, bucket: Bucket) -> QModelIndex:
        return self.index(self._buckets.index(bucket), 0) if bucket in self._buckets else QModelIndex()

    def items(self) -> list[TodayItem]:
        return [i for group in self._groups for i in group]

    def index_of(self, item: TodayItem) -> QModelIndex:
        if item.bucket not in self._buckets:
            return QModelIndex()
        group = self._buckets.index(item.bucket)
        for row, candidate in enumerate(self._groups[group]):
            if candidate == item:
                return self.index(row, 0, self.index(group, 0))
        return QModelIndex()

    # -- QAbstractItemModel -----------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if 0 <= row < len(self._buckets) else QModelIndex()
        if parent.internalId() != 0 or not 0 <= row < len(self._groups[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._buckets)
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
            item = self._groups[group][row]
            if col == COL_ACTION and item.action is not None:
                return literal(self._refused.get(item.action) or f"{item.action.hint}\nKlik, eller Ctrl+Enter.")
            return self._tips[group][row]
        if col == COL_ACTION and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            action = self._groups[group][row].action
            return self._action_data(role, refused=action is not None and action in self._refused)
        bucket = self._buckets[group]
        if role == Qt.ItemDataRole.BackgroundRole:
            if bucket in (Bucket.ERROR, Bucket.OVERDUE):
                return QBrush(OVERDUE_BG)
            if bucket is Bucket.TODAY:
                return QBrush(DUE_TODAY_BG)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATE:
            if bucket in (Bucket.ERROR, Bucket.OVERDUE):
                return QBrush(OVERDUE_FG)
            if bucket is Bucket.TODAY:
                return QBrush(DUE_TODAY_FG)
        return None

    @staticmethod
    def _action_data(role: int, *, refused: bool) -> Any:
        """The action cell reads as a link: the palette's link colour, underlined; greyed out when refused."""
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = QPalette.ColorRole.PlaceholderText if refused else QPalette.ColorRole.Link
            return QBrush(QGuiApplication.palette().color(colour))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setUnderline(not refused)
            return font
        return None

    def _group_data(self, index: Index, role: int) -> Any:
        bucket = self._buckets[index.row()]
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
        if role == Qt.ItemDataRole.ToolTipRole:
            if bucket is Bucket.WEEK:
                return f"Frister fra i morgen til og med {WEEK_DAYS} dage frem"
            if bucket is Bucket.ERROR:
                return "Indlæggelser, hvis historik ikke kan læses: deres frister er ukendte, til de er rettet"
        return None


def count_line(model: TodayModel) -> str:
    parts = []
    for bucket in model.buckets:
        n = model.count(bucket)
        singular, plural = COUNT_WORDS[bucket]
        parts.append(f"{n} {singular if n == 1 else plural}")
    return " · ".join(parts)
