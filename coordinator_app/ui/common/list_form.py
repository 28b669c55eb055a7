"""A list-and-form editor: a table lists the items, a form below it edits the selected one.

The items are frozen dataclasses (a meeting's participants, its agreements). A subclass says what the table shows
(``COLUMNS`` and ``cells``) and which control of the form edits which attribute (``bind`` with a ``Field`` per
control), and lays the table, the form and its own buttons out with ``arrange``; the editor does the rest, the
same way for every kind of item:

* selecting a row shows that item in the form; with no row selected the form is disabled and its text emptied;
* every edit in the form replaces the selected item at once (``dataclasses.replace``), updates its row and emits
  ``changed`` — nothing waits for Enter or for the focus to leave;
* ``add_item`` appends an item, selects it and puts the focus in the form; ``remove_selected`` (the
  ``remove_button``) removes the selected one and selects its neighbour;
* by keyboard: the arrow keys choose a row, Tab leaves the table for the form (the table does not take Tab);
* ``set_read_only`` keeps the form and the remove button disabled whatever is selected.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


@dataclass(frozen=True)
class Field:
    """One control of the form, bound to the attribute ``attr`` of the item: ``show`` puts the item's value into
    the control, ``read`` gives the control's value back, ``edited`` is the control's signal that the user changed
    it, and ``clear`` (if any) empties it when no item is selected."""

    attr: str
    widget: QWidget
    show: Callable[[Any], None]
    read: Callable[[], Any]
    edited: SignalInstance
    clear: Callable[[], None] | None = None


def text_field(attr: str, edit: QLineEdit, *, strip: bool = True) -> Field:
    """A one-line text; ``strip`` drops the spaces around it (what is typed stays on screen as typed)."""
    return Field(
        attr,
        edit,
        show=edit.setText,
        read=(lambda: edit.text().strip()) if strip else edit.text,
        edited=edit.textEdited,
        clear=edit.clear,
    )


def choice_field(attr: str, combo: QComboBox) -> Field:
    """A choice among the combo box's items; the value is the item's data (the first item if none matches)."""
    return Field(
        attr,
        combo,
        show=lambda value: combo.setCurrentIndex(max(0, combo.findData(value))),
        read=combo.currentData,
        edited=combo.currentIndexChanged,
    )


def check_field(attr: str, box: QCheckBox) -> Field:
    return Field(attr, box, show=box.setChecked, read=box.isChecked, edited=box.toggled)


def item_table(headers: Sequence[str], stretch: int) -> QTableWidget:
    """The list: read-only rows, one selected at a time, column ``stretch`` taking the spare width; Tab leaves it
    for the form below."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the fields below it
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class ListFormEditor(QWidget, Generic[T]):
    """The table (``table``) and the form of one kind of item; see the module's docstring."""

    changed = Signal()

    #: The table's column headers, and the column that takes the spare width.
    COLUMNS: ClassVar[Sequence[str]] = ()
    STRETCH_COLUMN: ClassVar[int] = 0

    def __init__(self, *, name: str, remove_text: str, parent: QWidget | None = None) -> None:
        """``name``: the table's accessible name; ``remove_text``: the remove button's label (with its mnemonic)."""
        super().__init__(parent)
        self._items: list[T] = []
        self._fields: list[Field] = []
        self._loading = False
        self._read_only = False
        self.table = item_table(self.COLUMNS, self.STRETCH_COLUMN)
        self.table.setAccessibleName(name)
        self.table.itemSelectionChanged.connect(self._selected)
        self.remove_button = QPushButton(remove_text)
        self.remove_button.clicked.connect(self.remove_selected)

    # -- what the subclass supplies ------------------------------------------------------------------------
    def cells(self, row: int, item: T) -> Sequence[str]:
        """The texts of ``item``'s row (``row`` counts from 0), one per column."""
        raise NotImplementedError

    def bind(self, fields: Sequence[Field]) -> None:
        """The form's controls; each edit of one updates the selected item."""
        self._fields = list(fields)
        for f in self._fields:
            f.edited.connect(self._field_changed)
        self._enable_form(False)

    def arrange(self, top: QLayout, form: QLayout) -> None:
        """``top`` above the table (e.g. the add button), ``form`` below it; the table takes the spare height.
        The order is also the Tab order: ``top``, the table, the form."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)

    # -- the items -------------------------------------------------------------------------------------------
    def items(self) -> list[T]:
        return list(self._items)

    def set_items(self, items: Sequence[T]) -> None:
        """Show ``items`` and select the first (no ``changed``: nothing was edited)."""
        self._items = list(items)
        with self._quiet():
            self.table.setRowCount(0)
            for row, item in enumerate(self._items):
                self._write_row(row, item, insert=True)
        if self._items:
            self.table.selectRow(0)
        else:
            self._enable_form(False)

    def refresh_rows(self) -> None:
        """Write every row again (after something the cells show changed, e.g. the names of the people)."""
        with self._quiet():
            for row, item in enumerate(self._items):
                self._write_row(row, item)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_item(self, item: T, *, focus: QWidget) -> None:
        """Append ``item``, select it, emit ``changed`` and put the focus on ``focus`` (its text selected)."""
        self._items.append(item)
        row = self.table.rowCount()
        with self._quiet():
            self._write_row(row, item, insert=True)
        self.table.selectRow(row)
        self.changed.emit()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(focus, QLineEdit):
            focus.selectAll()

    def remove_selected(self) -> None:
        """Remove the selected item, select the one now in its place (or the last) and give the table the focus."""
        row = self.current_row()
        if self._read_only or not 0 <= row < len(self._items):
            return
        del self._items[row]
        with self._quiet():
            self.table.removeRow(row)
            for r in range(row, len(self._items)):  # the rows after it move up (a number column counts again)
                self._write_row(r, self._items[r])
        if self._items:
            self.table.selectRow(min(row, len(self._items) - 1))
        # While the row is removed the selection passes over the row below it (numbered as before the removal) and
        # may land on the neighbour without a further signal: show what is selected now, so the form never holds
        # another item than the selected one.
        self._selected()
        self.changed.emit()
        self.table.setFocus()

    def set_read_only(self, read_only: bool = True) -> None:
        """The items are only shown: the form stays disabled whichever row is selected."""
        self._read_only = read_only
        self._selected()

    # -- the table and the form ----------------------------------------------------------------------------
    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Filling the table or the form is not an edit: the controls' signals change no item meanwhile."""
        was, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = was

    def _write_row(self, row: int, item: T, *, insert: bool = False) -> None:
        if insert:
            self.table.insertRow(row)
        for col, value in enumerate(self.cells(row, item)):
            cell = self.table.item(row, col)
            if cell is None:
                self.table.setItem(row, col, QTableWidgetItem(value))
            elif cell.text() != value:
                cell.setText(value)

    def _enable_form(self, on: bool) -> None:
        for f in self._fields:
            f.widget.setEnabled(on)
        self.remove_button.setEnabled(on)

    def _selected(self) -> None:
        row = self.current_row()
        with self._quiet():
            if 0 <= row < len(self._items):
                item = self._items[row]
                self._enable_form(not self._read_only)
                for f in self._fields:
                    f.show(getattr(item, f.attr))
            else:
                self._enable_form(False)
                for f in self._fields:
                    if f.clear is not None:
                        f.clear()

    def _field_changed(self) -> None:
        row = self.current_row()
        if self._loading or self._read_only or not 0 <= row < len(self._items):
            return
        item = dataclasses.replace(self._items[row], **{f.attr: f.read() for f in self._fields})
        self._items[row] = item
        self._write_row(row, item)
        self.changed.emit()
