"""Small reusable widgets: Danish date fields, an optional date, a kommune picker; a table cell's item (made and
read)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from coordinator_app.domain.model import Kommune

DATE_FORMAT = "dd-MM-yyyy"
HOVEDSTADEN = "Hovedstaden"


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item the code put in a cell it filled (``QTableWidget.item`` is None only for an empty cell)."""
    item = table.item(row, column)
    assert item is not None, f"empty cell ({row}, {column})"
    return item


def table_item(text: str, *, editable: bool = False) -> QTableWidgetItem:
    """A cell's item that can be selected, and edited only when ``editable`` (whatever the table's triggers)."""
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    return item


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DateField(QDateEdit):
    """A date with the calendar popup and the Danish dd-mm-åååå format."""

    def __init__(self, value: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self.setMinimumDate(QDate(1990, 1, 1))
        self.setDate(to_qdate(value))

    def value(self) -> date:
        return from_qdate(self.date())

    def set_value(self, value: date) -> None:
        self.setDate(to_qdate(value))


class OptionalDateField(QWidget):
    """A date that may be unknown: a check box ("kendt") enables the date."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label, self)
        self.edit = DateField(default, self)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)

    def value(self) -> date | None:
        return self.edit.value() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.set_value(value)


class KommuneCombo(QComboBox):
    """The 98 kommuner, Region Hovedstaden's 29 first, then the rest; type to search by name or code."""

    def __init__(
        self, kommuner: Sequence[Kommune], *, allow_empty: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        if allow_empty:
            self.addItem("", None)
        in_region = [k for k in kommuner if k.region == HOVEDSTADEN]
        others = [k for k in kommuner if k.region != HOVEDSTADEN]
        for k in in_region:
            self.addItem(f"{k.name} ({k.code})", k.code)
        if in_region and others:
            self.insertSeparator(self.count())
        for k in others:
            self.addItem(f"{k.name} ({k.code})", k.code)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setCurrentIndex(-1 if not allow_empty else 0)
        self.line_edit().setPlaceholderText("Skriv navn eller kode …")

    def line_edit(self) -> QLineEdit:
        """The text field (always there: the combo is editable)."""
        line = self.lineEdit()
        assert line is not None
        return line

    def code(self) -> str | None:
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            # Accept a bare code or a bare name typed without choosing from the list.
            for i in range(self.count()):
                data = self.itemData(i)
                label = self.itemText(i)
                if data and (text == data or label.casefold().startswith(text.casefold() + " (")):
                    index = i
                    break
        return self.itemData(index) if index >= 0 else ""

    def set_code(self, code: str | None) -> None:
        index = self.findData(code) if code else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
