"""The list-and-form editor (ui/common/list_form.py) on its own, with a small item of its own: selecting shows the
item in the form, every edit replaces the item at once, adding selects the new item and focuses the form, removing
selects the neighbour and renumbers, nothing selected disables and empties the form, the keyboard moves between
rows and from the table to the form, and a read-only editor stays read-only whatever is selected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QPushButton

from coordinator_app.ui.common.list_form import ListFormEditor, check_field, choice_field, text_field
from coordinator_app.ui.common.widgets import cell


@dataclass(frozen=True)
class Thing:
    name: str = ""
    colour: str = "rød"
    done: bool = False


class ThingsEditor(ListFormEditor[Thing]):
    COLUMNS = ("Nr.", "Navn", "Farve", "Færdig")
    STRETCH_COLUMN = 1

    def __init__(self) -> None:
        super().__init__(name="Ting", remove_text="&Fjern")
        self.name = QLineEdit()
        self.add_button = QPushButton("&Tilføj")
        self.add_button.clicked.connect(lambda: self.add_item(Thing(), focus=self.name))
        self.colour = QComboBox()
        for colour in ("rød", "grøn"):
            self.colour.addItem(colour.title(), colour)
        self.done = QCheckBox("Færdig")
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        form = QGridLayout()
        form.addWidget(self.name, 0, 0)
        form.addWidget(self.colour, 0, 1)
        form.addWidget(self.done, 1, 0)
        form.addWidget(self.remove_button, 1, 1)
        self.arrange(top, form)
        self.bind([text_field("name", self.name), choice_field("colour", self.colour), check_field("done", self.done)])

    def cells(self, row: int, item: Thing) -> tuple[str, ...]:
        return (str(row + 1), item.name, item.colour, "Ja" if item.done else "")


@pytest.fixture
def editor(qtbot) -> ThingsEditor:
    widget = ThingsEditor()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def rows(editor: ThingsEditor) -> list[tuple[str, ...]]:
    table = editor.table
    return [tuple(cell(table, r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def form_enabled(editor: ThingsEditor) -> list[bool]:
    return [w.isEnabled() for w in (editor.name, editor.colour, editor.done, editor.remove_button)]


def test_selecting_shows_the_item_and_nothing_selected_disables_and_empties_the_form(editor) -> None:
    assert form_enabled(editor) == [False] * 4
    changes: list[None] = []
    editor.changed.connect(lambda: changes.append(None))
    editor.set_items([Thing("Kop", "grøn", True), Thing("Ske")])
    assert rows(editor) == [("1", "Kop", "grøn", "Ja"), ("2", "Ske", "rød", "")]
    assert editor.current_row() == 0 and form_enabled(editor) == [True] * 4
    assert (editor.name.text(), editor.colour.currentData(), editor.done.isChecked()) == ("Kop", "grøn", True)
    editor.table.selectRow(1)
    assert (editor.name.text(), editor.colour.currentData(), editor.done.isChecked()) == ("Ske", "rød", False)
    assert not changes, "showing items is not an edit"
    editor.table.clearSelection()
    assert form_enabled(editor) == [False] * 4 and editor.name.text() == ""
    editor.set_items([])
    assert editor.table.rowCount() == 0 and form_enabled(editor) == [False] * 4


def test_every_edit_replaces_the_selected_item_at_once(qtbot, editor) -> None:
    editor.set_items([Thing("Kop"), Thing("Ske")])
    editor.table.selectRow(1)
    changes: list[None] = []
    editor.changed.connect(lambda: changes.append(None))
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, " Gaffel ")
    assert editor.items()[1].name == "Gaffel"  # text_field strips by default; the field keeps what was typed
    assert editor.name.text() == " Gaffel " and cell(editor.table, 1, 1).text() == "Gaffel"
    editor.colour.setCurrentIndex(editor.colour.findData("grøn"))
    editor.done.setChecked(True)
    assert editor.items() == [Thing("Kop"), Thing("Gaffel", "grøn", True)]
    assert rows(editor)[1] == ("2", "Gaffel", "grøn", "Ja")
    assert len(changes) == len(" Gaffel ") + 2
    editor.name.setText("Ikke tastet")  # only the user's edits count (textEdited), not a program setting text
    assert editor.items()[1].name == "Gaffel"


def test_adding_selects_the_new_item_and_focuses_the_form(qtbot, editor) -> None:
    editor.set_items([Thing("Kop")])
    changes: list[None] = []
    editor.changed.connect(lambda: changes.append(None))
    qtbot.keyClick(editor, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # the add button's mnemonic
    qtbot.waitUntil(lambda: editor.table.rowCount() == 2)
    assert changes == [None]
    assert editor.current_row() == 1 and QApplication.focusWidget() is editor.name
    qtbot.keyClicks(editor.name, "Ske")
    assert editor.items() == [Thing("Kop"), Thing("Ske")]
    assert rows(editor)[1] == ("2", "Ske", "rød", "")


def test_removing_selects_the_neighbour_renumbers_and_focuses_the_table(qtbot, editor) -> None:
    editor.set_items([Thing("Kop"), Thing("Ske"), Thing("Gaffel")])
    editor.table.selectRow(0)
    changes: list[None] = []
    editor.changed.connect(lambda: changes.append(None))
    editor.remove_button.click()
    assert editor.items() == [Thing("Ske"), Thing("Gaffel")]
    assert rows(editor) == [("1", "Ske", "rød", ""), ("2", "Gaffel", "rød", "")]
    assert editor.current_row() == 0 and editor.name.text() == "Ske"
    assert editor.table.hasFocus() and changes == [None]
    editor.table.selectRow(1)
    editor.remove_selected()  # the last one: the one before it is selected
    assert [t.name for t in editor.items()] == ["Ske"] and editor.current_row() == 0
    editor.remove_selected()
    assert editor.items() == [] and form_enabled(editor) == [False] * 4 and editor.name.text() == ""
    editor.remove_selected()  # nothing selected: nothing happens
    assert len(changes) == 3


def test_by_keyboard_arrows_choose_the_row_and_tab_leaves_the_table_for_the_form(qtbot, editor) -> None:
    editor.set_items([Thing("Kop"), Thing("Ske")])
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)
    qtbot.keyClick(editor.table, Qt.Key.Key_Down)
    assert editor.current_row() == 1 and editor.name.text() == "Ske"
    qtbot.keyClick(editor.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.name
    seen = [editor.name]
    for _ in range(3):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [editor.name, editor.colour, editor.done, editor.remove_button]


def test_a_read_only_editor_stays_read_only_whatever_is_selected(qtbot, editor) -> None:
    editor.set_items([Thing("Kop"), Thing("Ske")])
    editor.set_read_only()
    assert form_enabled(editor) == [False] * 4 and editor.name.text() == "Kop"
    editor.table.selectRow(1)
    assert form_enabled(editor) == [False] * 4 and editor.name.text() == "Ske"
    editor.remove_selected()
    editor.done.setChecked(True)
    assert editor.items() == [Thing("Kop"), Thing("Ske")]
    editor.set_read_only(False)
    assert form_enabled(editor) == [True] * 4
