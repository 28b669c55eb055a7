"""The conflicts of a check-in, decided by a person (issue 19): each value both the ward and the laptop changed since
check-out, side by side — what it is, the ward's value with who changed it when, the laptop's with who and when —
and a choice per conflict, «Behold afsnittets» or «Brug bærbarens».

Nothing is preselected: a person decides each one (the two «… for alle» buttons choose one side for every row, to
be looked over). «Aflever med valgene» is enabled only when every conflict is decided; ``resolutions()`` then maps
each ``Conflict.key`` to "ward" or "laptop" for ``services.checkin.check_in``. Cancel applies nothing. Values are
shown whole (``Conflict.ward_full``): a short one wraps in a label, a long one (a referat's words) in a read-only
text box of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.checkin import Conflict, Side
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.ui.common.safe_text import mnemonic_free, plain_label
from coordinator_app.ui.common.style import MUTED, text_label

__all__ = ["KEEP_WARD", "USE_LAPTOP", "ConflictRow", "ConflictsDialog", "who_when"]

KEEP_WARD = "Behold afsnittets"
USE_LAPTOP = "Brug bærbarens"
#: A value longer than this (or with line breaks) is shown in a text box of its own.
LONG = 160
_FRAME = "QFrame#conflictRow { border: 1px solid palette(mid); border-radius: 4px; }"


def who_when(by: str, at: datetime | None) -> str:
    """E.g. "Ændret af mhansen 24-11-2026 kl. 13.05"; who or when unknown is said so."""
    if at is None:
        return f"Ændret af {by} (hvornår vides ikke)" if by else "Hvem og hvornår vides ikke"
    when = f"{at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H.%M}"
    return f"Ændret af {by} {when}" if by else f"Ændret {when} (af hvem vides ikke)"


def _long(text: str) -> bool:
    return len(text) > LONG or "\n" in text


def _lines(text: str) -> int:
    """About how many lines ``text`` takes in half the dialog's width."""
    return len(text) // 60 + text.count("\n") + 1


def _value(text: str, name: str, lines: int) -> QWidget:
    """A label for a short value; a read-only text box ``lines`` high (both sides alike) for a long one."""
    if lines == 0:
        label = plain_label(text, wrap=True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        return label
    box = QPlainTextEdit(text)
    box.setReadOnly(True)
    box.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    box.setAccessibleName(name)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class ConflictRow(QFrame):
    """One conflict: its label, then the ward's side and the laptop's side, each with its choice above it."""

    def __init__(self, number: int, conflict: Conflict, laptop: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setObjectName("conflictRow")
        self.setStyleSheet(_FRAME)
        title = plain_label(f"{number}. {conflict.label}", wrap=True)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        self.keep_ward = QRadioButton(f"{KEEP_WARD}:")
        self.use_laptop = QRadioButton(f"{USE_LAPTOP} ({mnemonic_free(laptop)}):")
        self.keep_ward.setAccessibleName(f"{KEEP_WARD} – {conflict.label}")
        self.use_laptop.setAccessibleName(f"{USE_LAPTOP} – {conflict.label}")
        self.group = QButtonGroup(self)
        self.group.addButton(self.keep_ward)
        self.group.addButton(self.use_laptop)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(18)
        grid.addWidget(title, 0, 0, 1, 2)
        grid.addWidget(self.keep_ward, 1, 0)
        grid.addWidget(self.use_laptop, 1, 1)
        top, texts = Qt.AlignmentFlag.AlignTop, (conflict.ward_full, conflict.laptop_full)
        lines = min(10, max(4, *map(_lines, texts))) if any(map(_long, texts)) else 0  # boxes: as high as the other
        grid.addWidget(_value(conflict.ward_full, "Afsnittets værdi", lines), 2, 0, top)
        grid.addWidget(_value(conflict.laptop_full, "Bærbarens værdi", lines), 2, 1, top)
        grid.addWidget(plain_label(who_when(conflict.ward_by, conflict.ward_at), wrap=True, style=MUTED), 3, 0)
        grid.addWidget(plain_label(who_when(conflict.laptop_by, conflict.laptop_at), wrap=True, style=MUTED), 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def side(self) -> Side | None:
        if self.keep_ward.isChecked():
            return Side.WARD
        if self.use_laptop.isChecked():
            return Side.LAPTOP
        return None

    def choose(self, side: Side) -> None:
        (self.keep_ward if side is Side.WARD else self.use_laptop).setChecked(True)


class ConflictsDialog(QDialog):
    def __init__(self, conflicts: Sequence[Conflict], laptop: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Konflikter ved aflevering")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(880, 560)
        count = len(conflicts)
        what = "1 værdi" if count == 1 else f"{count} værdier"
        intro = text_label(
            f"{what} er ændret både her på afsnittet og på {laptop} siden udlånet. Vælg for hver, hvilken værdi der "
            "skal gælde. Intet afleveres, før alle er afgjort, og hvert valg skrives i revisionsloggen med begge "
            "værdier."
        )
        self.rows = [ConflictRow(n, conflict, laptop) for n, conflict in enumerate(conflicts, start=1)]
        holder = QWidget()
        listing = QVBoxLayout(holder)
        listing.setContentsMargins(0, 0, 6, 0)
        for row in self.rows:
            listing.addWidget(row)
            row.group.buttonToggled.connect(self._update)
        listing.addStretch(1)
        self.listing = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)

        self.all_ward = QPushButton("Vælg &afsnittets for alle")
        self.all_laptop = QPushButton("Vælg &bærbarens for alle")
        self.all_ward.clicked.connect(lambda: self.choose_all(Side.WARD))
        self.all_laptop.clicked.connect(lambda: self.choose_all(Side.LAPTOP))
        self.counter = plain_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Aflever med &valgene")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        choices = QHBoxLayout()
        choices.addWidget(self.counter, 1)
        choices.addWidget(self.all_ward)
        choices.addWidget(self.all_laptop)
        layout.addLayout(choices)
        layout.addWidget(self.buttons)
        self._update()

    def choose_all(self, side: Side) -> None:
        for row in self.rows:
            row.choose(side)

    def undecided(self) -> int:
        return sum(1 for row in self.rows if row.side() is None)

    def _update(self) -> None:
        left, total = self.undecided(), len(self.rows)
        self.counter.setText(
            f"Alle {total} er afgjort." if not left else f"{total - left} af {total} afgjort – vælg en side for resten."
        )
        self.ok_button.setEnabled(not left)

    def accept(self) -> None:
        """Only when every conflict is decided (the button is greyed out until then)."""
        if self.undecided():
            return
        super().accept()

    def resolutions(self) -> dict[str, str]:
        """``Conflict.key`` → "ward" or "laptop", for every decided conflict."""
        return {row.conflict.key: side.value for row in self.rows if (side := row.side()) is not None}
