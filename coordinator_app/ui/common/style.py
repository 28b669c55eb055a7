"""Shared look: message styles (error, warning, ok, info) and small label helpers used by every dialog."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from coordinator_app.ui.common.safe_text import literal, plain_label

ERROR_STYLE = "QLabel { color: #8a1010; background: #f6d5d5; border: 1px solid #d9a0a0; padding: 6px; }"
WARNING_STYLE = "QLabel { color: #5c4400; background: #fcefc7; border: 1px solid #e0c46c; padding: 6px; }"
OK_STYLE = "QLabel { color: #1d4d1d; background: #dcefdc; border: 1px solid #9cc79c; padding: 6px; }"
INFO_STYLE = "QLabel { color: #0b3d66; background: #dbe9f7; border: 1px solid #9dbfe0; padding: 6px; }"
MUTED = "color: palette(placeholder-text);"


def text_label(text: str = "", style: str = "") -> QLabel:
    """A word-wrapped plain-text label (user data is never interpreted as HTML)."""
    return plain_label(text, wrap=True, style=style)


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt-shortcut focuses ``buddy``."""
    widget = plain_label(text)
    widget.setBuddy(buddy)
    return widget


def error_label() -> QLabel:
    """The red message line under a form; hidden until there is something to say."""
    widget = text_label(style=ERROR_STYLE)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setAccessibleName("Fejlbesked")
    widget.hide()
    return widget


class ElidedLabel(QLabel):
    """A one-line label that gives way first when space is short (the status bar of a narrow window): it ends in
    "…" instead of being cut off, and its tooltip holds the whole text."""

    MIN_WIDTH = 80

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)  # a calendar's name is shown as typed
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(literal(text))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.MIN_WIDTH), hint.height())

    def shown_text(self) -> str:
        """What is drawn: the text, elided to the label's width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())
