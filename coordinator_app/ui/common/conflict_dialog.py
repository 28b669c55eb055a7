"""«Ændret af en anden bruger»: what to do when a save loses to another user's (optimistic locking, issue 8).

Shown when the service refuses a save with ``ConflictError``. It says who changed the record and when (from the
audit log, when known), lists the user's unsaved values next to the stored ones — only the fields where they
differ — and offers three ways on, none of which loses a typed line:

* **Genindlæs**: the form shows the stored record; the user's values are dropped (they chose so).
* **Gem mine som notat**: the form shows the stored record, and the user's values are saved as a note in the
  admission's history, where anyone can read them and type them in again.
* **Annuller**: back to the form, the user's values still in it; nothing is saved.

The dialog only asks; the caller (the admission dialog) reloads and writes the note.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.services.audit import LastChange
from coordinator_app.services.context import COPENHAGEN
from coordinator_app.ui.common.safe_text import literal, markup, plain_label, rich_label


class ConflictChoice(enum.Enum):
    RELOAD = "genindlaes"
    KEEP_AS_NOTE = "notat"
    CANCEL = "annuller"


@dataclass(frozen=True)
class FieldDifference:
    """One field the user changed whose value differs from the stored one (both as shown in the form)."""

    label: str
    mine: str
    stored: str


def differences(
    labels: Mapping[str, str],
    *,
    mine: Mapping[str, str],
    read: Mapping[str, str],
    stored: Mapping[str, str],
) -> list[FieldDifference]:
    """The fields the user changed (``mine`` differs from what the form was ``read`` with) and that differ from
    the ``stored`` values now, in ``labels``' order. A field only the other user changed is not the user's
    change: saving the stored record keeps it."""
    return [
        FieldDifference(label, mine.get(key, ""), stored.get(key, ""))
        for key, label in labels.items()
        if mine.get(key, "") != read.get(key, "") and mine.get(key, "") != stored.get(key, "")
    ]


def changed_by_text(last: LastChange | None) -> str:
    """ "Mette Hansen (mhansen) 23-11-2026 kl. 10:05" — or a plain phrase when the log names nobody."""
    if last is None:
        return "en anden bruger"
    return f"{last.user} {last.at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}"


def note_text(what: str, diffs: Sequence[FieldDifference], last: LastChange | None) -> str:
    """The note that keeps the user's values (Danish; one line per field)."""
    lines = [
        f"Ændringer, der ikke blev gemt i {what}, fordi {changed_by_text(last)} havde ændret den samtidig:",
    ]
    lines += [f"- {d.label}: {d.mine or '(tom)'} (gemt: {d.stored or '(tom)'})" for d in diffs]
    return "\n".join(lines)


class ConflictDialog(QDialog):
    """Asks what to do with the user's values after a conflict; ``choice`` holds the answer."""

    def __init__(
        self,
        *,
        what: str,
        diffs: Sequence[FieldDifference],
        last: LastChange | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice = ConflictChoice.CANCEL
        self.setWindowTitle("Ændret af en anden bruger")
        self.setMinimumWidth(640)

        icon = plain_label()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        who = changed_by_text(last)
        headline = rich_label(
            markup("<b>{} er ændret af {}, mens du rettede den.</b>", what[:1].upper() + what[1:], who)
        )
        headline.setWordWrap(True)
        detail = "Intet af det, du har skrevet, er gemt endnu."
        if last is not None:
            detail = f"Seneste ændring: {last.what}. {detail}"
        explanation = plain_label(detail)
        explanation.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(icon)
        texts = QVBoxLayout()
        texts.addWidget(headline)
        texts.addWidget(explanation)
        texts.addStretch(1)
        top.addLayout(texts, 1)

        self.table = QTableWidget(len(diffs), 3)
        self.table.setHorizontalHeaderLabels(["Felt", "Dine ændringer (ikke gemt)", "Gemt nu"])
        self.table.setAccessibleName("Forskelle mellem dine ændringer og de gemte oplysninger")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, diff in enumerate(diffs):
            for column, text in enumerate((diff.label, diff.mine or "(tom)", diff.stored or "(tom)")):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(text))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(len(diffs)))
        wanted = self.table.horizontalHeader().sizeHint().height() + rows_height + 2 * self.table.frameWidth() + 2
        self.table.setFixedHeight(min(320, wanted))  # as tall as its rows: no empty grey area below them

        if diffs:
            hint = (
                "<b>Genindlæs</b>: dine ændringer kasseres, og formularen viser de gemte oplysninger.<br>"
                "<b>Gem mine som notat</b>: formularen viser de gemte oplysninger, og dine ændringer gemmes som "
                "et notat i indlæggelsens historik, så intet går tabt.<br>"
                "<b>Annuller</b>: tilbage til formularen med dine ændringer; intet gemmes."
            )
        else:
            hint = (
                "Dine ændringer er de samme som de gemte, så der er intet at gemme som notat. "
                "<b>Genindlæs</b> viser de gemte oplysninger i formularen."
            )
        self.hint = rich_label(hint)
        self.hint.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.reload_button = QPushButton("&Genindlæs")
        self.note_button = QPushButton("Gem mine som &notat")
        self.cancel_button = QPushButton("Annuller")
        self.buttons.addButton(self.note_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.note_button.setEnabled(bool(diffs))
        self.note_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_AS_NOTE))
        self.reload_button.clicked.connect(lambda: self._choose(ConflictChoice.RELOAD))
        self.cancel_button.clicked.connect(self.reject)
        (self.note_button if diffs else self.reload_button).setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        if diffs:
            layout.addWidget(self.table)
        else:
            self.table.hide()
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()
