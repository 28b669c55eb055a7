"""The Overblik tab of the details panel (``details.DetailsPanel``): the E1/E2 plan line with its link to the
Aftale/plan tab, the admission's deadlines (computed from the events, with rule ID, state and who is responsible),
the special groups with their reminders, and the calendar the working days were counted with.

Each open deadline of the ward carries the action that fulfils it (issue 16, ``services.deadline_actions``) in the
*Handling* column: a click on it, Enter or a double-click on the row, or the button under the table asks for it
(``action_requested``). An action the services refuse now is greyed out with their reason (``show_deadlines``'
``refusals``); asked for anyway, the window says the reason.

A reminder under *Husk* (an undated duty of a special group: A3, D2, D6, D8) that a milestone note fulfils carries
the same *Registrér som udført…* as a link while it is not done; the window checks it as any other action.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from coordinator_app.domain.model import AdmissionFlags, Deadline, DeadlineState
from coordinator_app.domain.special_groups import RECIPIENT_LABELS, Reminder
from coordinator_app.services.deadline_actions import ActionKind, DeadlineAction, action_for, all_actions
from coordinator_app.ui.common.labels import FLAG_LABELS
from coordinator_app.ui.common.safe_text import literal, plain_label, rich_label
from coordinator_app.ui.patients.admission_table import DUE_TODAY_BG, OVERDUE_BG
from coordinator_app.ui.patients.details_records import readonly_table
from coordinator_app.ui.plans.plan_tab import overview_html

if TYPE_CHECKING:  # the details panel is part of the first screen, built before the storage layer (issue 7)
    from coordinator_app.services.plans import PlanPanel

RESPONSIBLE_LABELS = {
    "center": "Afsnittet",
    "kommune": "Kommunen",
    "gp": "Egen læge",
    "botilbudsteam": "Botilbudsteamet",
}
STATE_LABELS = {
    DeadlineState.MET: "✓ Overholdt",
    DeadlineState.OPEN: "Åben",
    DeadlineState.DUE_TODAY: "● I dag",
    DeadlineState.OVERDUE: "⚠ Overskredet",
}


COL_STATE = 2
COL_ACTION = 5  # the Handling column, after Frist, Dato, Status, Regel and Ansvarlig
NO_ACTION = "Handling"
#: The description (Frist) takes the room the other columns leave, but never less: a narrow panel scrolls sideways
#: rather than squeeze the description to nothing.
MIN_DESCRIPTION = 110
#: Ansvarlig: "Afsnittet", "Kommunen", or a meeting task's "Navn (organisation)" wrapped (the tooltip has it all).
RESPONSIBLE_WIDTH = 90


def open_actions(deadlines: Sequence[Deadline]) -> list[DeadlineAction]:
    """The actions of the deadlines still to act on (not met, not missed), once each: what to ask the services
    about (``OverviewService.action_refusals``) before they are shown."""
    found = (action_for(d.kind) for d in deadlines if d.state is not DeadlineState.MET and not d.missed)
    return list(dict.fromkeys(a for a in found if a is not None))


class OverviewTab(QWidget):
    """Overblik. ``plan_link_activated`` when the plan line's link to the Aftale/plan tab is followed;
    ``action_requested(DeadlineAction)`` when a deadline's action is asked for."""

    plan_link_activated = Signal()
    action_requested = Signal(object)  # services.deadline_actions.DeadlineAction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions: list[DeadlineAction | None] = []  # per row
        self._refusals: Mapping[DeadlineAction, str | None] = {}
        self.deadlines = readonly_table(["Frist", "Dato", "Status", "Regel", "Ansvarlig", NO_ACTION], stretch=0)
        # A meeting task's owner ("Navn (organisation)") may be long, and so may an action ("Lav
        # udskrivningsaftale…"): both wrap in a fixed column so the description keeps the room (the tooltip has
        # everything). The panel is 40 % of the window: 576 pixels on a 1440 pixels wide screen.
        header = self.deadlines.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.deadlines.setColumnWidth(4, RESPONSIBLE_WIDTH)
        header.setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Interactive)
        self.deadlines.setColumnWidth(COL_ACTION, self._widest_word([a.label for a in all_actions()]))
        # A missed deadline's state ("Åben (kan ikke længere nås)") wraps too, under the short state it adds to.
        header.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.Interactive)
        self.deadlines.setColumnWidth(COL_STATE, self._widest_word(list(STATE_LABELS.values()), whole=True))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # fitted by _fit_description
        header.sectionResized.connect(self._section_resized)
        self.deadlines.viewport().installEventFilter(self)
        self.deadlines.setAccessibleName("Frister")
        self.deadlines.clicked.connect(self._clicked)
        self.deadlines.doubleClicked.connect(lambda _i: self.do_selected_action())
        self.deadlines.itemSelectionChanged.connect(self._selection_changed)
        act_do = QAction("Udfør handlingen", self.deadlines)
        act_do.setShortcuts([QKeySequence("Return"), QKeySequence("Enter"), QKeySequence("Ctrl+Return")])
        act_do.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        act_do.triggered.connect(self.do_selected_action)
        self.deadlines.addAction(act_do)
        self.action_button = QPushButton(NO_ACTION)
        self.action_button.setAccessibleName("Fristens handling")
        self.action_button.clicked.connect(self.do_selected_action)
        self.flags_label = rich_label(wrap=True)  # flags_text escapes the reminders' text
        self.flags_label.linkActivated.connect(self._reminder_link)
        # E1/E2 at a glance: the plan's warning or state, with a link to the Aftale/plan tab.
        self.plan_line = rich_label(wrap=True)  # overview_html escapes the plan's line
        self.plan_line.setAccessibleName("Udskrivningsaftale eller koordinationsplan")
        self.plan_line.linkActivated.connect(lambda _link: self.plan_link_activated.emit())
        self.plan_line.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.plan_line)
        layout.addWidget(rich_label("<b>Frister</b> (beregnet ud fra hændelserne)"))
        layout.addWidget(self.deadlines, 1)
        action_row = QHBoxLayout()
        action_row.addWidget(self.action_button)
        hint = plain_label("Klik på handlingen, eller vælg fristen og tryk Enter.")
        hint.setStyleSheet("color: palette(mid);")
        action_row.addWidget(hint)
        action_row.addStretch(1)
        layout.addLayout(action_row)
        layout.addWidget(self.flags_label)
        self.calendar_label = plain_label()
        self.calendar_label.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.calendar_label)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.deadlines.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_description()
        return super().eventFilter(watched, event)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != 0:  # another column grew or shrank with its contents: the description takes what is left
            self._fit_description()

    def _widest_word(self, texts: list[str], *, whole: bool = False) -> int:
        """A column wide enough for the longest word of ``texts`` (or the longest of them, ``whole``) and its
        header: the text wraps between words."""
        metrics = self.deadlines.fontMetrics()
        words = texts if whole else [w for t in texts for w in t.split()]
        return max(metrics.horizontalAdvance(w) for w in words) + metrics.averageCharWidth() + 4

    def _fit_description(self) -> None:
        """The Frist column: what the viewport leaves after the other columns, at least ``MIN_DESCRIPTION``."""
        header = self.deadlines.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(1, header.count()))
        width = max(MIN_DESCRIPTION, self.deadlines.viewport().width() - others)
        if header.sectionSize(0) != width:
            header.resizeSection(0, width)

    def show_plan_line(self, plan: PlanPanel | None, today: date) -> None:
        line = overview_html(plan, today)
        if line is None:
            self.plan_line.hide()
            return
        text, style = line
        self.plan_line.setText(text)
        self.plan_line.setStyleSheet(style)
        self.plan_line.show()

    def show_deadlines(
        self, deadlines: Sequence[Deadline], refusals: Mapping[DeadlineAction, str | None] | None = None
    ) -> None:
        """Open deadlines first, each group by date; a met one in italics, a due or overdue one coloured. An open
        deadline of the ward has its action (``open_actions``); ``refusals``: the services' reason an action may
        not be taken now (greyed out with it)."""
        rows = sorted(deadlines, key=lambda d: (d.state is DeadlineState.MET or d.missed, d.due))
        self._refusals = dict(refusals or {})
        self._actions = [None if d.state is DeadlineState.MET or d.missed else action_for(d.kind) for d in rows]
        self.deadlines.setRowCount(len(rows))
        for i, d in enumerate(rows):
            state = STATE_LABELS[d.state]
            if d.missed:
                state += " (kan ikke længere nås)"
            cells = [
                d.description,
                f"{d.due:%d-%m-%Y}",
                state,
                d.rule_id,
                RESPONSIBLE_LABELS.get(d.responsible, d.responsible),
            ]
            recipient = RECIPIENT_LABELS.get(d.recipient or "")
            tooltip = f"{d.description}\nRegel {d.rule_id}, beregnet med {d.calendar}\nAnsvarlig: {cells[4]}"
            if recipient:
                tooltip += f"\nModtager: {recipient}"
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(tooltip))
                if d.state is DeadlineState.OVERDUE:
                    item.setBackground(QBrush(OVERDUE_BG))
                elif d.state is DeadlineState.DUE_TODAY:
                    item.setBackground(QBrush(DUE_TODAY_BG))
                if d.state is DeadlineState.MET:
                    f = QFont(item.font())
                    f.setItalic(True)
                    item.setFont(f)
                self.deadlines.setItem(i, j, item)
            self.deadlines.setItem(i, COL_ACTION, self._action_item(self._actions[i], d))
        self._selection_changed()

    def _action_item(self, action: DeadlineAction | None, d: Deadline) -> QTableWidgetItem:
        """The Handling cell: a link (the palette's link colour, underlined), grey with the reason when refused."""
        item = QTableWidgetItem(action.label if action is not None else "")
        if action is None:
            return item
        refusal = self._refusals.get(action)
        palette = self.palette()
        role = QPalette.ColorRole.PlaceholderText if refusal else QPalette.ColorRole.Link
        item.setForeground(QBrush(palette.color(role)))
        font = QFont(item.font())
        font.setUnderline(refusal is None)
        item.setFont(font)
        item.setToolTip(literal(refusal or f"{action.hint}\nKlik, eller vælg fristen og tryk Enter."))
        if d.state is DeadlineState.OVERDUE:
            item.setBackground(QBrush(OVERDUE_BG))
        elif d.state is DeadlineState.DUE_TODAY:
            item.setBackground(QBrush(DUE_TODAY_BG))
        return item

    def selected_action(self) -> DeadlineAction | None:
        rows = self.deadlines.selectionModel().selectedRows()
        return self._actions[rows[0].row()] if rows and rows[0].row() < len(self._actions) else None

    def do_selected_action(self) -> None:
        action = self.selected_action()
        if action is not None:
            self.action_requested.emit(action)

    def _clicked(self, index: QModelIndex) -> None:
        """One click on the Handling link asks for it."""
        if index.column() == COL_ACTION and index.row() < len(self._actions):
            action = self._actions[index.row()]
            if action is not None:
                self.action_requested.emit(action)

    def _selection_changed(self) -> None:
        action = self.selected_action()
        if action is None:
            self.action_button.setText(NO_ACTION)
            self.action_button.setEnabled(False)
            self.action_button.setToolTip("Vælg en frist med en handling.")
            return
        refusal = self._refusals.get(action)
        self.action_button.setText(action.label)
        self.action_button.setEnabled(refusal is None)
        self.action_button.setToolTip(literal(refusal or action.hint))

    def _reminder_link(self, link: str) -> None:
        """A Husk reminder's *Registrér som udført…* (``flags_text``: ``registrer:<rule key>``)."""
        kind, _sep, key = link.partition(":")
        if kind == ActionKind.RECORD.value and (action := action_for(key)) is not None:
            self.action_requested.emit(action)

    def show_flags(self, flags: AdmissionFlags, notes: Sequence[Reminder]) -> None:
        self.flags_label.setText(flags_text(flags, notes))

    def clear(self) -> None:
        """No admission: no deadlines and no special groups (the calendar line stays as it was)."""
        self._actions = []
        self.deadlines.setRowCount(0)
        self.flags_label.clear()
        self._selection_changed()


def flags_text(flags: AdmissionFlags, notes: Sequence[Reminder]) -> str:
    """The special groups that apply and the reminders they bring, ticked when done, an open one that a milestone
    note fulfils with its *Registrér som udført…* link (rich text)."""
    active = [label for name, label in FLAG_LABELS if getattr(flags, name)]
    text = "<b>Særlige forhold:</b> " + (", ".join(active) if active else "ingen registreret")
    if notes:
        lines = []
        for r in notes:
            cite = "" if f"({r.rule_id}" in r.text else f" <i>({r.rule_id})</i>"
            action = None if r.done else action_for(r.key)
            link = (
                f' – <a href="{ActionKind.RECORD.value}:{r.key}">{escape(action.label)}</a>'
                if action is not None and action.kind is ActionKind.RECORD
                else ""
            )
            lines.append(f"&nbsp;&nbsp;{'✓' if r.done else '☐'} {escape(r.text)}{cite}{link}")
        items = "<br>".join(lines)
        text += f"<br><b>Husk:</b><br>{items}"
    return text
