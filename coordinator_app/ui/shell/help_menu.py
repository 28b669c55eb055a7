"""The menu bar's Hjælp menu: *Brugervejledning* (F1) and *Om Koordinator…*. The guide window and the About dialog
are loaded when first asked for, not at start (the guide parses HTML, the About dialog reads the licence table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from coordinator_app.lazy import lazy_import

if TYPE_CHECKING:
    from coordinator_app.ui.shell import about_dialog, help_window
else:  # shown on request
    about_dialog = lazy_import("coordinator_app.ui.shell.about_dialog")
    help_window = lazy_import("coordinator_app.ui.shell.help_window")

HELP_MENU_TITLE = "&Hjælp"


def install_help_menu(window: QMainWindow, *, database_kind: str) -> QMenu:
    """The Hjælp menu: *Brugervejledning* (F1) opens the guide (one window, raised again on F1), *Om Koordinator…*
    the About dialog naming ``database_kind`` (e.g. the status bar's "Lokal database – krypteret")."""
    bar = window.menuBar()
    menus = (a.menu() for a in bar.actions() if a.text().replace("&", "") == "Hjælp")
    menu = next((m for m in menus if isinstance(m, QMenu)), None)
    if menu is None:
        menu = bar.addMenu(HELP_MENU_TITLE)
    else:
        menu.clear()  # the window's own "Om Koordinator" (a plain message box) is replaced by the dialog below
    menu.setObjectName("help_menu")

    def show_guide() -> None:
        # one guide window, a child of the main window (hidden when locked)
        guide = window.findChild(help_window.HelpWindow)
        if guide is None:
            guide = help_window.HelpWindow(window)
        guide.show()
        guide.raise_()
        guide.activateWindow()

    def show_about() -> None:
        dialog = about_dialog.AboutDialog(window, database_kind=database_kind)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal, does not block the event loop

    guide_action = QAction("&Brugervejledning", window)
    guide_action.setObjectName("act_guide")
    guide_action.setShortcut(QKeySequence("F1"))
    guide_action.triggered.connect(show_guide)
    about_action = QAction("&Om Koordinator…", window)
    about_action.setObjectName("act_about_dialog")
    about_action.triggered.connect(show_about)
    window.addAction(guide_action)  # F1 works even while the menu bar is hidden
    menu.addAction(guide_action)
    menu.addSeparator()
    menu.addAction(about_action)
    return menu
