"""The main window's tab bar: each tab with its action (the Vis menu and Ctrl+<position>), the later tabs built the
first time they are shown (issue 7: start-up builds only what the first screen needs), and each tab's refresh,
called whenever it is shown and, through ``refresh_shown``, after every write while it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTabWidget, QWidget


@dataclass
class _LazyTab:
    title: str
    build: Callable[[], QWidget]
    refresh: Callable[[], None] | None
    placeholder: QWidget
    widget: QWidget | None = None


class TabBook(QTabWidget):
    """The tabs of ``owner`` (the main window), which holds their actions so the shortcuts work anywhere in it."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__()
        self._owner = owner
        self.setDocumentMode(True)
        self.tab_actions: list[QAction] = []
        self._refresh: dict[QWidget, Callable[[], None]] = {}
        self._lazy: dict[str, _LazyTab] = {}
        self._menu: tuple[QMenu, QAction] | None = None  # the Vis menu and the separator after the tabs' entries

    def add_tab(self, widget: QWidget, title: str, *, refresh: Callable[[], None] | None = None) -> QAction:
        """A top-level tab with its entry in the Vis menu and Ctrl+<position> (Ctrl+1 … Ctrl+9).

        ``refresh`` reloads the tab's data whenever it is shown, and after every write while it is shown."""
        self.addTab(widget, title)
        position = self.count()
        act = QAction(title, self._owner)
        if position <= 9:
            act.setShortcut(QKeySequence(f"Ctrl+{position}"))
        act.triggered.connect(lambda: self.setCurrentWidget(widget))
        self._owner.addAction(act)
        self.tab_actions.append(act)
        if self._menu is not None:  # a tab added after the menus
            menu, end = self._menu
            menu.insertAction(end, act)
        if refresh is not None:
            self._refresh[widget] = refresh
        return act

    def add_lazy_tab(
        self, name: str, title: str, build: Callable[[], QWidget], refresh: Callable[[], None] | None = None
    ) -> QAction:
        """``add_tab`` for a tab built on first show: an empty page holds its place (and its Ctrl+<position>)
        until the user opens it or code asks for ``page(name)``; then ``build()`` makes the widget, which takes the
        page's place."""
        placeholder = QWidget()
        act = self.add_tab(placeholder, title)
        act.triggered.disconnect()
        act.triggered.connect(lambda: self.setCurrentWidget(self.page(name)))
        self._lazy[name] = _LazyTab(title, build, refresh, placeholder)
        return act

    def page(self, name: str) -> QWidget:
        """The lazy tab ``name``'s widget, built (and put in its page's place) the first time it is asked for."""
        lazy = self._lazy[name]
        if lazy.widget is None:
            widget = lazy.widget = lazy.build()
            index = self.indexOf(lazy.placeholder)
            current = self.currentIndex()
            self.blockSignals(True)  # a swap, not a change of tab: _shown must not see it
            self.insertTab(index, widget, lazy.title)
            self.removeTab(index + 1)
            self.setCurrentIndex(current)
            self.blockSignals(False)
            lazy.placeholder.deleteLater()
            if lazy.refresh is not None:
                self._refresh[widget] = lazy.refresh
        return lazy.widget

    def add_to_menu(self, menu: QMenu) -> None:
        """The tabs' entries in ``menu`` (Vis), followed by a separator; later tabs are inserted before it."""
        menu.addActions(self.tab_actions)
        self._menu = (menu, menu.addSeparator())

    def open_on(self, widget: QWidget) -> None:
        """Show ``widget`` first; from now on every tab shown is refreshed (and a lazy one built)."""
        self.setCurrentWidget(widget)
        self.currentChanged.connect(self._shown)

    def refresh_shown(self) -> None:
        """Reload the tab being looked at (nothing for one without a refresh, such as Patienter)."""
        refresh = self._refresh.get(self.currentWidget())
        if refresh is not None:
            refresh()

    def _shown(self, index: int) -> None:
        for name, lazy in self._lazy.items():
            if lazy.widget is None and self.widget(index) is lazy.placeholder:
                self.page(name)  # clicked for the first time: build it in the page's place
        page = self.widget(index)
        refresh = self._refresh.get(page) if page is not None else None
        if refresh is not None:
            refresh()
