"""The *I dag* tab (issue 7): every open deadline of the ward, grouped Overskredet / I dag / Næste 7 dage / Senere.

The start view — a coordinator's first question is "what must I do today?". Each row says by when, what and by
which rule, for which patient and kommune; Enter or a double-click opens the admission in the Patienter tab.
Each row also carries the action that fulfils it (issue 16): a click on the *Handling* link, Ctrl+Enter or the
button beside *Åbn indlæggelse* asks the window to carry it out (``action_requested``) — the scenario wizard, the
Send dialog, a new netværksmøde, the plan editor, or the admission form for an admission whose history cannot be
read (the *Skal rettes* group). Whether the action may be taken now is the services' answer (``action_refusal``,
set by ``OverviewTabs``): the button is greyed out with the reason. The model and the row texts are in
``today_model``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.services.deadline_actions import DeadlineAction
from coordinator_app.services.ward_view import Bucket, TodayItem
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import MUTED
from coordinator_app.ui.today.today_model import (
    BUCKETS,
    COL_ACTION,
    COL_DUE,
    COL_KOMMUNE,
    COL_PATIENT,
    COL_STATE,
    COL_WHAT,
    COLUMNS,
    TodayModel,
    count_line,
    long_date,
)

__all__ = [
    "BUCKETS",
    "COLUMNS",
    "COL_ACTION",
    "COL_DUE",
    "COL_KOMMUNE",
    "COL_PATIENT",
    "COL_STATE",
    "COL_WHAT",
    "TodayModel",
    "TodayTab",
]

#: The action button's text when the selected row has no action.
NO_ACTION = "Handling"
#: Each fixed column's width when the window has room, and the least it gives up for the description (Hvad) in a
#: narrow window (the 900 pixels the window allows, half a screen): the tooltip has what is cut.
COLUMN_WIDTHS = {COL_DUE: (145, 145), COL_PATIENT: (210, 160), COL_KOMMUNE: (200, 120), COL_STATE: (95, 95)}
ACTION_WIDTH = (175, 160)
#: The description's room before the other columns give way.
MIN_WHAT = 260


class TodayTab(QWidget):
    """``open_requested(admission id)``: show it in Patienter. ``action_requested(admission id, DeadlineAction)``:
    carry out the row's action. ``action_refusal(admission id, action)``: why the action may not be taken now, or
    None (set by the owner; unset, every action is offered and the window checks when it is taken)."""

    open_requested = Signal(int)  # admission id
    action_requested = Signal(int, object)  # admission id, services.deadline_actions.DeadlineAction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._collapsed: set[Bucket] = {Bucket.LATER}
        self.action_refusal: Callable[[int, DeadlineAction], str | None] | None = None
        self.heading = plain_label()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.counts = plain_label()
        self.counts.setAccessibleName("Antal frister")
        self.note = plain_label(
            "Afsnittets egne frister og aftaler fra netværksmøder. Kommunens frister (G1, G2) står under Færdigmeldte."
        )
        self.note.setStyleSheet(MUTED)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.model = TodayModel(self)
        self.model.row_height = self.fontMetrics().height() + 8  # the patient list's spacing
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Åbne frister")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAllColumnsShowFocus(True)
        self.view.setIndentation(14)
        self.view.setExpandsOnDoubleClick(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        # The description stretches; the others keep to what they show (the tooltip has everything), and give way
        # to it in a narrow window (``_fit_columns``).
        self._widths = {**COLUMN_WIDTHS, COL_ACTION: ACTION_WIDTH}
        for col, (width, _least) in self._widths.items():
            header.resizeSection(col, width)
        self.view.viewport().installEventFilter(self)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._clicked)
        self.view.expanded.connect(lambda i: self._collapsed.discard(self.model.bucket_at(i.row())))
        self.view.collapsed.connect(lambda i: self._collapsed.add(self.model.bucket_at(i.row())))
        # Ctrl+Enter: the selected row's action (Enter keeps opening the admission).
        self.act_do = QAction("Udfør handlingen", self.view)
        self.act_do.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.act_do.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_do.triggered.connect(self.do_selected_action)
        self.view.addAction(self.act_do)

        self.open_button = QPushButton("&Åbn indlæggelse")
        self.open_button.setToolTip("Vis patienten i fanen Patienter (Enter eller dobbeltklik)")
        self.open_button.clicked.connect(self.open_selected)
        self.action_button = QPushButton(NO_ACTION)
        self.action_button.setAccessibleName("Fristens handling")
        self.action_button.clicked.connect(self.do_selected_action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.note, 1)  # takes the room the buttons leave: one line, two in a narrow window

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.view, self.open_button)
        self.setTabOrder(self.open_button, self.action_button)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self._selection_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Each fixed column at its width when the description keeps ``MIN_WHAT``; in a narrower view they give up
        the same share of what they can spare, down to their least (then the view scrolls sideways)."""
        spare = sum(width - least for width, least in self._widths.values())
        full = sum(width for width, _least in self._widths.values())
        short = max(0, full + MIN_WHAT - self.view.viewport().width())
        share = min(1.0, short / spare) if spare else 0.0
        header = self.view.header()
        for col, (width, least) in self._widths.items():
            header.resizeSection(col, round(width - (width - least) * share))

    def set_items(
        self, items: Sequence[TodayItem], today: date, *, refused: Mapping[DeadlineAction, str] | None = None
    ) -> None:
        """``refused``: actions the user's role may never take, with the reason: their links are greyed out."""
        selected = self.selected_item()
        self.model.set_items(items, today, refused=refused)
        self.heading.setText(f"I dag – {long_date(today)}")
        self.counts.setText(count_line(self.model))
        for row, bucket in enumerate(self.model.buckets):
            group = self.model.index(row, 0)
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
            self.view.setExpanded(group, bucket not in self._collapsed)
        if selected is not None:
            index = self.model.index_of(selected)
            if index.isValid():
                self.view.setCurrentIndex(index)
        self._selection_changed()

    def selected_item(self) -> TodayItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.item_at(rows[0]) if rows else None

    def open_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.open_requested.emit(item.admission_id)

    def do_selected_action(self) -> None:
        """The selected row's action (the button, Ctrl+Enter); a row without one opens the admission."""
        item = self.selected_item()
        if item is None:
            return
        if item.action is None:
            self.open_requested.emit(item.admission_id)
            return
        self.action_requested.emit(item.admission_id, item.action)

    def _activated(self, index: QModelIndex) -> None:
        item = self.model.item_at(index)
        if item is not None:
            self.open_requested.emit(item.admission_id)

    def _clicked(self, index: QModelIndex) -> None:
        """One click on the Handling link carries it out."""
        item = self.model.item_at(index)
        if item is not None and item.action is not None and index.column() == COL_ACTION:
            self.action_requested.emit(item.admission_id, item.action)

    def _selection_changed(self) -> None:
        item = self.selected_item()
        self.open_button.setEnabled(item is not None)
        action = item.action if item is not None else None
        if item is None or action is None:
            self.action_button.setText(NO_ACTION)
            self.action_button.setEnabled(False)
            self.action_button.setToolTip("Den valgte række har ingen handling her: åbn indlæggelsen.")
            return
        refusal = self.action_refusal(item.admission_id, action) if self.action_refusal is not None else None
        self.action_button.setText(action.label)
        self.action_button.setEnabled(refusal is None)
        self.action_button.setToolTip(literal(refusal or f"{action.hint} (Ctrl+Enter)"))
