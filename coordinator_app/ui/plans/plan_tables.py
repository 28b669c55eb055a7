"""Editable tables for the plan editor: parties, offers and the sent-to list, typed straight into the cells.

A coordinator fills a plan in a few minutes, so the rows are edited in place: type to start, Tab to the next cell
(the editor moves along), F2 or a double click to edit, Delete clears a cell, Insert adds a row and Ctrl+Delete
removes it. Roles are picked in a combo box, dates in a date field with the calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.widgets import DateField

VALUE = Qt.ItemDataRole.UserRole  # the typed value of a role or date cell (the text is only its label)
AnyIndex = QModelIndex | QPersistentModelIndex


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    CHECK = "check"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    stretch: bool = False
    tooltip: str = ""


def date_text(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


def stored_date(value: object) -> date | None:
    """Dates are kept in the cell as ISO text: Qt would turn a ``date`` into a ``QDate``."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


class DateDelegate(QStyledItemDelegate):
    """A date cell: the Danish date field with its calendar; an empty cell opens on ``default()``."""

    def __init__(self, default: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default = default

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = DateField(self._default(), parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, DateField):
            editor.set_value(stored_date(index.data(VALUE)) or self._default())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, DateField):
            value = editor.value()
            model.setData(index, value.isoformat(), VALUE)
            model.setData(index, date_text(value), Qt.ItemDataRole.DisplayRole)


class ChoiceDelegate(QStyledItemDelegate):
    """A cell chosen from labelled values (the party's role); ``choices()`` may change with the plan's kind."""

    def __init__(self, choices: Callable[[], Sequence[tuple[Any, str]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self._choices():
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(VALUE))
            editor.setCurrentIndex(max(0, found))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox) and editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), VALUE)
            model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class EditableTable(QTableWidget):
    """Rows of typed cells. ``rows()`` reads them back as plain values (text, date/None, choice value, bool)."""

    changed = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        labels: Callable[[Any], str] = str,
        choices: Callable[[], Sequence[tuple[Any, str]]] = list,
        default_date: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = list(columns)
        self._labels = labels
        self._loading = False
        self._read_only = False
        self.setHorizontalHeaderLabels([c.header for c in self.columns])
        for i, c in enumerate(self.columns):
            if c.tooltip:
                header_item = self.horizontalHeaderItem(i)
                if header_item is not None:
                    header_item.setToolTip(literal(c.tooltip))
            if c.kind is Kind.DATE:
                self.setItemDelegateForColumn(i, DateDelegate(default_date, self))
            elif c.kind is Kind.CHOICE:
                self.setItemDelegateForColumn(i, ChoiceDelegate(choices, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table; inside a cell editor Tab moves to the next cell
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        date_width = self.fontMetrics().horizontalAdvance("00-00-00000") + 24  # room for the date editor
        for i, c in enumerate(self.columns):
            if c.kind is Kind.DATE:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Fixed)
                header.resizeSection(i, max(date_width, self.fontMetrics().horizontalAdvance(c.header) + 24))
                continue
            mode = QHeaderView.ResizeMode.Stretch if c.stretch else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(i, mode)
        self.set_read_only(False)
        self.itemChanged.connect(self._item_changed)
        self.model().rowsInserted.connect(self._fit_height)
        self.model().rowsRemoved.connect(self._fit_height)
        self._fit_height()

    # -- values ---------------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self._loading = True
        self.setRowCount(0)
        for values in rows:
            self._insert(self.rowCount(), values)
        self._loading = False
        self._fit_height()

    def rows(self) -> list[list[Any]]:
        out = []
        for r in range(self.rowCount()):
            out.append([self._value(r, c) for c in range(len(self.columns))])
        return out

    def _value(self, row: int, col: int) -> Any:
        item = self.item(row, col)
        kind = self.columns[col].kind
        if item is None:
            return False if kind is Kind.CHECK else None if kind in (Kind.DATE, Kind.CHOICE) else ""
        if kind is Kind.CHECK:
            return item.checkState() == Qt.CheckState.Checked
        if kind is Kind.DATE:
            return stored_date(item.data(VALUE))
        if kind is Kind.CHOICE:
            return item.data(VALUE)
        return item.text()

    def _insert(self, row: int, values: Sequence[Any]) -> None:
        self.insertRow(row)
        for col, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            item = QTableWidgetItem()
            if column.kind is Kind.CHECK:
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, "Ja" if value else "Nej")
            elif column.kind is Kind.DATE:
                item.setData(VALUE, value.isoformat() if isinstance(value, date) else None)
                item.setText(date_text(value))
            elif column.kind is Kind.CHOICE:
                item.setData(VALUE, value)
                item.setText(self._labels(value) if value is not None else "")
            else:
                item.setText(str(value or ""))
            self._apply_flags(item, column)
            self.setItem(row, col, item)

    def add_row(self, values: Sequence[Any], *, edit_column: int | None = None, edit: bool = True) -> int:
        """Append a row and (``edit``, unless read-only) start editing ``edit_column`` so the user can type."""
        row = self.rowCount()
        self._loading = True
        self._insert(row, values)
        self._loading = False
        self.changed.emit()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        column = edit_column if edit_column is not None else 0
        self.setCurrentCell(row, column)
        item = self.item(row, column)
        if item is not None:
            self.scrollToItem(item)
            if edit and not self._read_only:
                self.editItem(item)
        return row

    def remove_current_row(self) -> None:
        row = self.currentRow()
        if self._read_only or not 0 <= row < self.rowCount():
            return
        self.removeRow(row)
        if self.rowCount():
            self.setCurrentCell(min(row, self.rowCount() - 1), max(0, self.currentColumn()))
        self.changed.emit()

    def clear_current_cell(self) -> None:
        item = self.currentItem()
        if self._read_only or item is None:
            return
        kind = self.columns[self.currentColumn()].kind
        if kind is Kind.DATE:
            item.setData(VALUE, None)
            item.setText("")
        elif kind is Kind.TEXT:
            item.setText("")
        elif kind is Kind.CHECK:
            item.setCheckState(Qt.CheckState.Unchecked)

    def commit_pending(self) -> None:
        """Write an open cell editor's text into the table (Ctrl+S pressed while typing in a cell)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())  # the cell editor of the current cell, if one is open
        if editor is not None:
            self.commitData(editor)

    def focus_row(self, row: int, col: int = 0) -> None:
        if 0 <= row < self.rowCount():
            self.setCurrentCell(row, col)
            item = self.item(row, col)
            if item is not None:
                self.scrollToItem(item)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- read-only and looks --------------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if read_only:
            self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        else:
            self.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.SelectedClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed
            )
        self._loading = True
        for r in range(self.rowCount()):
            for c, column in enumerate(self.columns):
                item = self.item(r, c)
                if item is not None:
                    self._apply_flags(item, column)
        self._loading = False

    def _apply_flags(self, item: QTableWidgetItem, column: Column) -> None:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if column.kind is Kind.CHECK:
            if not self._read_only:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif not self._read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        item.setFlags(flags)

    def _fit_height(self, *_args: object) -> None:
        """Show every row up to eight, and at least three, so short lists need no scrolling of their own."""
        rows = min(max(self.rowCount(), 3), 8)
        row_height = self.verticalHeader().defaultSectionSize()
        frame = 2 * self.frameWidth()
        scrollbar = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows * row_height + frame + scrollbar)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        if self.columns[item.column()].kind is Kind.CHECK:
            checked = item.checkState() == Qt.CheckState.Checked
            if item.data(Qt.ItemDataRole.AccessibleTextRole) != ("Ja" if checked else "Nej"):
                item.setData(Qt.ItemDataRole.AccessibleTextRole, "Ja" if checked else "Nej")
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.remove_current_row()
            else:
                self.clear_current_cell()
            event.accept()
            return
        super().keyPressEvent(event)


class RowsEditor(QWidget):
    """A table with its "Tilføj …" and "Fjern" buttons (Insert and Ctrl+Delete work in the table too)."""

    def __init__(
        self,
        table: EditableTable,
        *,
        add_text: str,
        remove_text: str,
        new_row: Callable[[], Sequence[Any]],
        edit_column: int = 0,
        extra: Sequence[QPushButton] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self._new_row = new_row
        self._edit_column = edit_column
        self.add_button = QPushButton(add_text)
        self.add_button.setToolTip("Tilføj en række (Insert i tabellen)")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(remove_text)
        self.remove_button.setToolTip("Fjern den markerede række (Ctrl+Delete i tabellen)")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(table.remove_current_row)
        self.extra = list(extra)
        insert = QShortcut(QKeySequence(Qt.Key.Key_Insert), table)
        insert.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        insert.activated.connect(self.add)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        for b in self.extra:
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table)
        layout.addLayout(buttons)
        table.currentCellChanged.connect(lambda *_a: self._update())
        table.model().rowsRemoved.connect(lambda *_a: self._update())
        self._update()

    def add(self) -> None:
        if self.add_button.isEnabled():
            self.table.add_row(self._new_row(), edit_column=self._edit_column)
            self._update()

    def set_read_only(self, read_only: bool) -> None:
        self.table.set_read_only(read_only)
        for b in (self.add_button, self.remove_button, *self.extra):
            b.setVisible(not read_only)
        self.add_button.setEnabled(not read_only)
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.add_button.isEnabled() and self.table.currentRow() >= 0)
