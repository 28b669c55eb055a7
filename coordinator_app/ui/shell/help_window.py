"""Hjælp → Brugervejledning (F1): ``resources/guide/brugervejledning.html`` in a QTextBrowser, with the guide's
sections as a table of contents beside it and a search field (Enter: next hit, Shift+Enter: previous). Links inside
the guide (``#B5``) scroll; links to the web open in the system browser. Loaded when the guide is first opened
(``help_menu``), not at start: it parses HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.infra.resources import resources_dir
from coordinator_app.ui.common.icons import app_icon
from coordinator_app.ui.common.safe_text import markup, plain_label
from coordinator_app.ui.common.style import buddy_label

GUIDE_FILE = Path("guide") / "brugervejledning.html"


def guide_path(base: Path | None = None) -> Path:
    return (base or resources_dir()) / GUIDE_FILE


class _Headings(HTMLParser):
    """The guide's ``<h2 id=…>`` (and h3) headings, in order: its table of contents."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str, str]] = []  # level, anchor, text
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3"):
            anchor = dict(attrs).get("id")
            if anchor:
                self._open, self._text = (int(tag[1]), anchor), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == f"h{self._open[0]}":
            self.headings.append((*self._open, " ".join("".join(self._text).split())))
            self._open = None


def guide_headings(html: str) -> list[tuple[int, str, str]]:
    parser = _Headings()
    parser.feed(html)
    return parser.headings


class HelpWindow(QWidget):
    """Brugervejledning: contents on the left, the guide on the right, search on top."""

    def __init__(self, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Koordinator – brugervejledning")
        self.setWindowIcon(app_icon())
        self.resize(1000, 760)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Søg i vejledningen …  (Enter: næste, Shift+Enter: forrige)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Søg i vejledningen")
        self.search_status = plain_label()
        self.search_status.setMinimumWidth(110)
        self.search.returnPressed.connect(lambda: self.find_next(backward=False))
        self.search.textEdited.connect(self._search_edited)
        find_previous = QAction(self)
        find_previous.setShortcut(QKeySequence("Shift+Return"))
        find_previous.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        find_previous.triggered.connect(lambda: self.find_next(backward=True))
        self.search.addAction(find_previous)
        find_action = QAction(self)
        find_action.setShortcuts([QKeySequence("Ctrl+F")])
        find_action.triggered.connect(self._focus_search)
        self.addAction(find_action)

        self.contents = QListWidget()
        self.contents.setAccessibleName("Indhold")
        self.contents.setWordWrap(True)
        self.contents.setSpacing(2)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.itemActivated.connect(self._contents_activated)
        self.contents.itemClicked.connect(self._contents_activated)

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Brugervejledning")
        self.browser.setOpenLinks(False)  # internal anchors scroll; web links go to the system browser
        self.browser.anchorClicked.connect(self.open_link)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 750])
        splitter.setChildrenCollapsible(False)

        search_label = buddy_label("&Søg:", self.search)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.search_status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.load(path or guide_path())

    # -- content ------------------------------------------------------------------------------------------
    def load(self, path: Path) -> None:
        try:
            html = path.read_text(encoding="utf-8")
        except OSError:
            html = markup(
                "<h1>Brugervejledningen mangler</h1><p>Filen <code>{}</code> blev ikke fundet i installationen. "
                "Bed IT om at geninstallere Koordinator.</p>",
                path.name,
            )
        self.browser.document().setDefaultStyleSheet("")
        self.browser.setHtml(html)
        self.contents.clear()
        for level, anchor, text in guide_headings(html):
            item = QListWidgetItem(("    " if level == 3 else "") + text)
            item.setData(Qt.ItemDataRole.UserRole, anchor)
            self.contents.addItem(item)

    @property
    def title(self) -> str:
        return self.browser.documentTitle()

    def show_anchor(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)

    def open_link(self, url: QUrl) -> None:
        """``#B5`` scrolls to the rule; http(s)/mailto links open outside the app."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.show_anchor(url.fragment())

    def _contents_activated(self, item: QListWidgetItem) -> None:
        self.show_anchor(str(item.data(Qt.ItemDataRole.UserRole)))

    # -- search -------------------------------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_edited(self, _text: str) -> None:
        cursor = self.browser.textCursor()
        cursor.setPosition(min(cursor.selectionStart(), cursor.selectionEnd()))
        self.browser.setTextCursor(cursor)  # search again from where the current hit starts
        self.find_next(backward=False)

    def find_next(self, *, backward: bool) -> bool:
        """Select the next (or previous) hit, wrapping around; the status says when there is none."""
        text = self.search.text().strip()
        if not text:
            self.search_status.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.browser.find(text, flags)
        if not found:  # wrap around
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(text, flags)
        self.search_status.setText("" if found else "Ikke fundet")
        self.search_status.setStyleSheet("" if found else "color: #8a1010;")
        return found
