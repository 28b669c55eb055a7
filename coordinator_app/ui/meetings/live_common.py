"""What the parts of the live meeting share: the Copenhagen clock, the meeting's larger font, how a participant
is named, the combo box that picks one of the meeting's participants, and a date field that Tab leaves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from coordinator_app.domain.meetings import Participant
from coordinator_app.ui.common.widgets import DateField

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOBODY = "(ikke valgt)"


def clock(moment: datetime | None) -> str:
    """The time of day in Copenhagen (now when ``moment`` is None), as the status bar and notes show it."""
    moment = moment or datetime.now(COPENHAGEN)
    return f"{moment.astimezone(COPENHAGEN):%H:%M:%S}"


def scaled(font: QFont, scale: float) -> QFont:
    """``font`` ``scale`` times larger, whether it is sized in points or in pixels."""
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    else:
        font.setPixelSize(round(font.pixelSize() * scale))
    return font


def give_styled_labels_the_font(root: QWidget, *, skip: QWidget) -> None:
    """A label given a style sheet before it had a parent keeps the application's font; give every such label
    under ``root`` (but ``skip``) ``root``'s font, keeping its boldness."""
    for label in root.findChildren(QLabel):
        if label.styleSheet() and label is not skip:
            font = QFont(root.font())
            font.setBold(label.font().bold())
            label.setFont(font)


def personlabel(p: Participant) -> str:
    return f"{p.name} ({p.organisation})" if p.organisation else p.name


class TabDateField(DateField):
    """A date where Tab leaves the field (one Tab per control while the meeting runs); within the date,
    type the digits (the sections advance by themselves) or use the arrow keys."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class PeopleCombo(QComboBox):
    """A participant chosen by key among the meeting's participants; type a letter to jump to a name."""

    def __init__(self, empty: str = NOBODY, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty = empty
        self.addItem(empty, None)

    def set_people(self, people: Sequence[Participant]) -> None:
        keep = self.key()
        self.blockSignals(True)
        self.clear()
        self.addItem(self._empty, None)
        for p in people:
            self.addItem(personlabel(p), p.key)
        self.set_key(keep)
        self.blockSignals(False)

    def key(self) -> str | None:
        return self.currentData()

    def set_key(self, key: str | None) -> None:
        index = self.findData(key) if key is not None else 0
        self.setCurrentIndex(max(0, index))
