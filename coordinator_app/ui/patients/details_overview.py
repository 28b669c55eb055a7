"""The Overblik tab of the details panel (``details.DetailsPanel``): the E1/E2 plan line with its link to the
Aftale/plan tab, the admission's deadlines (computed from the events, with rule ID, state and who is responsible),
the special groups with their reminders, and the calendar the working days were counted with.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidgetItem, QVBoxLayout, QWidget

from coordinator_app.domain.model import AdmissionFlags, Deadline, DeadlineState
from coordinator_app.domain.special_groups import RECIPIENT_LABELS, Reminder
from coordinator_app.ui.common.labels import FLAG_LABELS
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


class OverviewTab(QWidget):
    """Overblik. ``plan_link_activated`` when the plan line's link to the Aftale/plan tab is followed."""

    plan_link_activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deadlines = readonly_table(["Frist", "Dato", "Status", "Regel", "Ansvarlig"], stretch=0)
        # A meeting task's owner ("Navn (organisation)") may be long: wrap it in a fixed column so the
        # description keeps the room (the tooltip has everything).
        self.deadlines.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.deadlines.setColumnWidth(4, 170)
        self.flags_label = QLabel()
        self.flags_label.setWordWrap(True)
        # E1/E2 at a glance: the plan's warning or state, with a link to the Aftale/plan tab.
        self.plan_line = QLabel()
        self.plan_line.setWordWrap(True)
        self.plan_line.setTextFormat(Qt.TextFormat.RichText)
        self.plan_line.setAccessibleName("Udskrivningsaftale eller koordinationsplan")
        self.plan_line.linkActivated.connect(lambda _link: self.plan_link_activated.emit())
        self.plan_line.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.plan_line)
        layout.addWidget(QLabel("<b>Frister</b> (beregnet ud fra hændelserne)"))
        layout.addWidget(self.deadlines, 1)
        layout.addWidget(self.flags_label)
        self.calendar_label = QLabel()
        self.calendar_label.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.calendar_label)

    def show_plan_line(self, plan: PlanPanel | None, today: date) -> None:
        line = overview_html(plan, today)
        if line is None:
            self.plan_line.hide()
            return
        text, style = line
        self.plan_line.setText(text)
        self.plan_line.setStyleSheet(style)
        self.plan_line.show()

    def show_deadlines(self, deadlines: Sequence[Deadline]) -> None:
        """Open deadlines first, each group by date; a met one in italics, a due or overdue one coloured."""
        rows = sorted(deadlines, key=lambda d: (d.state is DeadlineState.MET or d.missed, d.due))
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
            tooltip = f"{d.description}\nRegel {d.rule_id}, beregnet med {d.calendar}"
            if recipient:
                tooltip += f"\nModtager: {recipient}"
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip)
                if d.state is DeadlineState.OVERDUE:
                    item.setBackground(QBrush(OVERDUE_BG))
                elif d.state is DeadlineState.DUE_TODAY:
                    item.setBackground(QBrush(DUE_TODAY_BG))
                if d.state is DeadlineState.MET:
                    f = QFont(item.font())
                    f.setItalic(True)
                    item.setFont(f)
                self.deadlines.setItem(i, j, item)

    def show_flags(self, flags: AdmissionFlags, notes: Sequence[Reminder]) -> None:
        self.flags_label.setText(flags_text(flags, notes))

    def clear(self) -> None:
        """No admission: no deadlines and no special groups (the calendar line stays as it was)."""
        self.deadlines.setRowCount(0)
        self.flags_label.clear()


def flags_text(flags: AdmissionFlags, notes: Sequence[Reminder]) -> str:
    """The special groups that apply and the reminders they bring, ticked when done (rich text)."""
    active = [label for name, label in FLAG_LABELS if getattr(flags, name)]
    text = "<b>Særlige forhold:</b> " + (", ".join(active) if active else "ingen registreret")
    if notes:
        lines = []
        for r in notes:
            cite = "" if f"({r.rule_id}" in r.text else f" <i>({r.rule_id})</i>"
            lines.append(f"&nbsp;&nbsp;{'✓' if r.done else '☐'} {escape(r.text)}{cite}")
        items = "<br>".join(lines)
        text += f"<br><b>Husk:</b><br>{items}"
    return text
