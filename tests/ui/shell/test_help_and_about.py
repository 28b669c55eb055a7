"""Hjælp → Brugervejledning (F1) and Om Koordinator, the guide's coverage of the wizard's rules, the app icon
(issue 9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.rule_ids import wizard_rule_ids
from PySide6.QtCore import QPoint, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QMainWindow, QMenu, QPushButton

from coordinator_app import __version__
from coordinator_app.ui.common.icons import ICON_SIZES, app_icon, icon_path
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.shell.about_dialog import AboutDialog, LicenceTextsDialog
from coordinator_app.ui.shell.help_menu import install_help_menu
from coordinator_app.ui.shell.help_window import HelpWindow, guide_path
from coordinator_app.ui.shell.licences import TEXT_FILES, load_libraries

RULE_ID = re.compile(r"\b([A-G](?:10|[1-9]))\b")
DB_KIND = "Lokal database – krypteret"


def _window(qtbot) -> QMainWindow:
    """A bare main window whose menu bar already has a Hjælp menu with an old entry (as MainWindow does)."""
    window = QMainWindow()
    old = window.menuBar().addMenu("&Hjælp")
    old.addAction("&Om Koordinator")
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def _help_menus(window: QMainWindow) -> list[QMenu]:
    menus = (a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Hjælp")
    return [m for m in menus if isinstance(m, QMenu)]


def test_help_menu_has_the_guide_on_f1_and_about_and_replaces_the_old_entries(qtbot):
    window = _window(qtbot)
    menu = install_help_menu(window, database_kind=DB_KIND)
    assert _help_menus(window) == [menu]
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Brugervejledning", "&Om Koordinator…"]
    assert menu.actions()[0].shortcut().toString() == "F1"


def test_f1_opens_the_guide_with_its_title_and_a_rule_link_scrolls_to_the_rule(qtbot):
    window = _window(qtbot)
    install_help_menu(window, database_kind=DB_KIND)
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(HelpWindow)
    assert guide is not None and guide.isVisible()
    assert guide.title == "Koordinator – brugervejledning"
    assert guide.windowTitle() == "Koordinator – brugervejledning"
    assert guide.contents.count() >= 10  # the table of contents lists the sections

    # Click the first link to B5 in the text, as a user would: the view scrolls to the rule's row.
    browser = guide.browser
    bar = browser.verticalScrollBar()
    assert bar.value() == 0
    cursor = browser.document().find("B5")  # "(fx B5)" in the introduction: a link to #B5
    assert cursor.charFormat().anchorHref() == "#B5"
    cursor.clearSelection()
    cursor.movePosition(cursor.MoveOperation.Left)  # between "B" and "5"
    point = browser.cursorRect(cursor).center() + QPoint(2, 0)
    assert browser.anchorAt(point) == "#B5"
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: bar.value() > 0)
    rule_row = browser.document().find("Kan ikke udskrives, før indsatsen er på plads: varsling")
    top = browser.cursorRect(rule_row).top()
    assert 0 <= top < browser.viewport().height() // 2  # the B5 row is at the top of the view

    # A second F1 raises the same window instead of opening another.
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(window.findChildren(HelpWindow)) == 1


def test_contents_entry_scrolls_to_its_section(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    item = next(
        guide.contents.item(i) for i in range(guide.contents.count()) if guide.contents.item(i).text() == "Sikkerhed"
    )
    rect = guide.contents.visualItemRect(item)
    qtbot.mouseClick(guide.contents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: guide.browser.verticalScrollBar().value() > 0)
    heading = guide.browser.document().find("En lokal database er krypteret. Adgangsfrasen")
    assert 0 <= guide.browser.cursorRect(heading).top() < guide.browser.viewport().height()


def test_search_finds_the_next_hit_and_says_when_there_is_none(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    qtbot.keyClicks(guide.search, "sengedag")
    assert guide.browser.textCursor().selectedText().casefold() == "sengedag"
    first = guide.browser.textCursor().position()
    qtbot.keyClick(guide.search, Qt.Key.Key_Return)
    assert guide.browser.textCursor().position() > first
    guide.search.clear()
    qtbot.keyClicks(guide.search, "xyzzy-findes-ikke")
    assert guide.search_status.text() == "Ikke fundet"


def test_web_links_open_in_the_system_browser_and_anchors_do_not(qtbot, monkeypatch: pytest.MonkeyPatch):
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.open_link(QUrl("#regler"))
    assert opened == []
    guide.open_link(QUrl("https://www.regionh.dk/"))
    assert [u.toString() for u in opened] == ["https://www.regionh.dk/"]


def test_a_missing_guide_says_so_in_danish(qtbot, tmp_path: Path):
    guide = HelpWindow(path=tmp_path / "findes-ikke.html")
    qtbot.addWidget(guide)
    assert "Brugervejledningen mangler" in guide.browser.toPlainText()


# -- the guide keeps up with the wizard ------------------------------------------------------------------
def _wizard_rule_ids() -> set[str]:
    return wizard_rule_ids()


def test_the_guide_explains_every_rule_the_scenario_wizard_uses():
    html = guide_path().read_text(encoding="utf-8")
    ids = _wizard_rule_ids()
    assert {"A1", "B1", "B2", "B3", "B4", "B5", "B8", "C2", "F1", "A5"} <= ids  # the derivation finds them
    missing_anchor = sorted(i for i in ids if f'id="{i}"' not in html)
    assert not missing_anchor, f"no entry in the guide's Regeloversigt: {missing_anchor}"
    scenario_section = html[html.index('id="scenarier"') : html.index('id="send"')]
    not_explained = sorted(i for i in ids if f'href="#{i}"' not in scenario_section)
    assert not not_explained, f"not mentioned where the guide explains the wizard: {not_explained}"


def test_every_rule_link_in_the_guide_has_its_target():
    html = guide_path().read_text(encoding="utf-8")
    targets = set(re.findall(r'id="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    assert links - targets == set()


# -- About ------------------------------------------------------------------------------------------------
def test_about_shows_version_database_and_every_bundled_library(qtbot):
    window = _window(qtbot)
    menu = install_help_menu(window, database_kind=DB_KIND)
    about_action = next(a for a in menu.actions() if a.text() == "&Om Koordinator…")
    about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Om Koordinator"
    assert __version__ in dialog.version_label.text()
    labels = {w.text() for w in dialog.findChildren(type(dialog.version_label))}
    assert DB_KIND in labels
    libraries = load_libraries()
    assert dialog.library_names() == [lib.name for lib in libraries]
    for row, lib in enumerate(libraries):
        assert cell(dialog.table, row, 1).text() == lib.version
        assert cell(dialog.table, row, 2).text() == lib.licence
    assert {"PySide6_Essentials", "shiboken6", "SQLAlchemy", "Qt", "Python"} <= set(dialog.library_names())
    buttons = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"Vis &licenstekster…", "&Luk"} <= buttons
    dialog.reject()


def test_licence_texts_dialog_lists_every_text_and_shows_the_chosen_one(qtbot):
    dialog = LicenceTextsDialog()
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(TEXT_FILES)
    assert "erstatte Qt-bibliotekerne" in dialog.text.toPlainText()  # the Qt/LGPL note comes first
    row = next(i for i in range(dialog.list.count()) if dialog.list.item(i).text() == "GNU LGPL version 3")
    dialog.list.setCurrentRow(row)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.text.toPlainText()


def test_about_with_a_broken_table_says_what_to_do(qtbot, tmp_path: Path):
    broken = tmp_path / "biblioteker.csv"
    broken.write_text("navn\n", encoding="utf-8")
    dialog = AboutDialog(database_kind=DB_KIND, libraries_file=broken)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert "geninstallere" in dialog.error.text()


# -- icon -------------------------------------------------------------------------------------------------
def test_icon_exists_at_every_size_and_loads(qapp):
    for size in ICON_SIZES:
        image = QImage(str(icon_path(size)))
        assert not image.isNull(), size
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} == set(ICON_SIZES)
    assert not icon.pixmap(QSize(16, 16)).isNull()
    assert (icon_path(16).parent / "koordinator.svg").is_file()


def test_install_help_menu_on_the_real_main_window_keeps_one_help_menu(main_window):
    menu = install_help_menu(main_window, database_kind=main_window.db_label.text())
    assert _help_menus(main_window) == [menu]
    assert main_window.menuBar().actions()[-1].menu() is menu
