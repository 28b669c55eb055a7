"""The idle lock (issue 8): after some minutes without use (default 5, the ward's setting) the window's patient
data is hidden until the user types their password again.

* An event filter on the QApplication restarts a single-shot timer on every key, click, wheel or mouse move.
* Locking first asks every open live meeting to save what was typed (``save_now``), then hides every window the
  main window owns (live meetings, dialogs) and shows a lock page *instead of* the tabs (a ``QStackedWidget``):
  the tabs are not drawn, the menus and shortcuts are off. Nothing is closed, so nothing typed is lost, even when
  a save could not be made (the meeting's own retry goes on).
* Unlocking checks the password through ``UserService.verify_current`` (lock-out and audit line included) and
  brings everything back as it was. The demo user has no password: the lock page just has a button, and a demo
  window never locks by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.access import Principal
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.services.registry import Services
from coordinator_app.services.users import load_idle_minutes
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import error_label, text_label

__all__ = ["ACTIVITY", "IdleLock", "LockScreen", "install_session", "user_label"]

#: What counts as using the program.
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)

WARNING_STYLE = "QLabel { color: #8a1010; font-weight: bold; }"


def user_label(principal: Principal) -> QLabel:
    """The status bar's "who is working": the demo user visibly marked."""
    if principal.demo:
        label = plain_label("Demobruger – ingen login (demo)")
        label.setStyleSheet(WARNING_STYLE)
    else:
        label = plain_label(f"Bruger: {principal.label}")
    label.setAccessibleName("Bruger")
    return label


class LockScreen(QWidget):
    """Shown instead of the tabs while locked: who is logged in, the password field, Lås op and Afslut."""

    unlock_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, principal: Principal, *, needs_password: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Skærmen er låst")
        self.title = plain_label("Koordinator er låst")
        font = self.title.font()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        who = principal.full_name or principal.username
        if needs_password:
            text = f"Patientdata er skjult. Skriv adgangskoden for {who} ({principal.username}) for at fortsætte."
        else:
            text = "Patientdata er skjult. Demobrugeren har ingen adgangskode: klik Lås op for at fortsætte."
        self.explanation = text_label(text)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Adgangskode")
        self.password.setPlaceholderText("Adgangskode")
        self.password.setVisible(needs_password)
        self.password.returnPressed.connect(self._unlock)
        self.unlock_button = QPushButton("&Lås op")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.quit_button = QPushButton("&Afslut programmet")
        self.quit_button.clicked.connect(self.quit_requested)
        self.error = error_label()
        box = QWidget()
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explanation)
        inner.addWidget(self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        inner.addWidget(self.error)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())

    def refused(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()

    def reset(self) -> None:
        self.error.hide()
        self.password.clear()


class IdleLock(QObject):
    """Installed once on the main window (``install``): swaps its central widget for a stack of the tabs and the
    lock page. ``minutes`` None: only locked by hand (Filer → Lås, Ctrl+L), as for the demo user."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        principal: Principal,
        *,
        verify: Callable[[str], object] | None,
        minutes: float | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._verify = verify
        self.locked = False
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        content = window.takeCentralWidget()
        assert content is not None  # the window is built before it gets its lock
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.screen = LockScreen(principal, needs_password=verify is not None)
        self.screen.unlock_requested.connect(self.unlock)
        self.screen.quit_requested.connect(window.close)
        self.stack.addWidget(self.screen)
        window.setCentralWidget(self.stack)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.minutes = minutes
        if minutes is not None:
            self.timer.setInterval(max(1, round(minutes * 60_000)))
            app = QApplication.instance()
            assert app is not None
            app.installEventFilter(self)  # removed by Qt when this object is destroyed with the window
            self.timer.start()

    @property
    def content(self) -> QWidget:
        widget = self.stack.widget(0)
        assert widget is not None  # added first in __init__
        return widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked and self.minutes is not None and event.type() in ACTIVITY:
            self.timer.start()
        return False

    # -- locking -----------------------------------------------------------------------------------------------
    def _owned_windows(self) -> list[QWidget]:
        """Visible windows the main window owns (parent chain): live meetings and dialogs."""
        owned = []
        for widget in QApplication.topLevelWidgets():
            if widget is self._window or not widget.isVisible():
                continue
            parent = widget.parentWidget()
            while parent is not None and parent is not self._window:
                parent = parent.parentWidget()
            if parent is self._window:
                owned.append(widget)
        return owned

    def lock(self) -> None:
        if self.locked:
            return
        self.timer.stop()
        windows = self._owned_windows()
        for widget in windows:
            save_now = getattr(widget, "save_now", None)
            if callable(save_now):
                save_now()  # a live meeting: what was typed is saved now (kept in the window if it cannot be)
        transient = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)  # an open menu or tooltip is not brought back
        self._hidden = [w for w in windows if w.windowType() not in transient]
        for widget in windows:
            widget.hide()
        self._disabled = [a for a in self._window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)
        self._window.menuBar().setEnabled(False)
        self.screen.reset()
        self.stack.setCurrentWidget(self.screen)
        self.content.hide()  # not drawn at all while locked
        self.locked = True
        self.screen.password.setFocus()
        self.locked_changed.emit(True)

    def unlock(self, password: str = "") -> bool:
        if not self.locked:
            return True
        if self._verify is not None:
            try:
                self._verify(password)
            except KoordinatorError as exc:
                self.screen.refused(exc.message)
                return False
        self.screen.reset()
        self.stack.setCurrentWidget(self.content)
        self.content.show()
        self._window.menuBar().setEnabled(True)
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled = []
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.locked = False
        if self.minutes is not None:
            self.timer.start()
        self.locked_changed.emit(False)
        return True


def install_session(window: QMainWindow, services: Services) -> IdleLock:
    """Name the user in the status bar (the demo user visibly marked) and install the lock: for a signed-in user
    after the ward's idle minutes with their password, for the demo user by hand only and without one."""
    ctx = services.ctx
    principal = ctx.principal
    window.statusBar().addPermanentWidget(user_label(principal))
    if principal.demo:
        return IdleLock(window, principal, verify=None, minutes=None)
    return IdleLock(window, principal, verify=services.users.verify_current, minutes=load_idle_minutes(ctx))
