"""The selected admission: the header (name, CPR, where and since when, scenario and status), the actions a rule
demands (Vurder scenarie, Send – with its submenu *Registrér som udført* for the duties met by a milestone note –,
Samtykker), and the tabs Overblik, Historik, Møder, Dokumenter and Aftale/plan.

This module holds the panel: the header, the actions and the wiring of the tabs; it forwards every request to the
main window as a signal. The tabs are in ``details_overview`` (Overblik) and ``details_records`` (Historik, Møder,
Dokumenter); Aftale/plan is ``ui.plans.plan_tab``. The panel keeps the tabs' widgets under their old names
(``deadlines``, ``history``, ``documents``, ``meetings``, their buttons …) for the main window and the tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.cpr import format_cpr, mask_cpr
from coordinator_app.domain.meetings import Meeting, Task, task_deadlines
from coordinator_app.domain.model import ArchivedDocument, EventKind
from coordinator_app.domain.rules import RULES_BY_KEY, milestone_label
from coordinator_app.services.deadline_actions import action_for, record_milestones, record_rules
from coordinator_app.ui.patients.details_overview import OverviewTab
from coordinator_app.ui.patients.details_records import DocumentsTab, HistoryTab, MeetingsTab
from coordinator_app.ui.plans.plan_tab import PlanTab

if TYPE_CHECKING:  # the details panel is part of the first screen, built before the storage layer (issue 7)
    from coordinator_app.services.admissions import AdmissionDetails
    from coordinator_app.services.deadline_actions import DeadlineAction
    from coordinator_app.services.notifications import ActionState
    from coordinator_app.services.plans import PlanPanel


class DetailsPanel(QWidget):
    edit_requested = Signal(int)
    assess_requested = Signal(int)
    consents_requested = Signal(int)  # admission id
    action_requested = Signal(int, str)  # admission id, EventKind value
    correct_requested = Signal(int)  # event id
    document_requested = Signal(int, str)  # document id, "open" / "save" / "print"
    new_meeting_requested = Signal(int)  # admission id
    meeting_requested = Signal(int, str)  # meeting id, "live" / "ics" / "referat"
    deadline_action_requested = Signal(int, object)  # admission id, services.deadline_actions.DeadlineAction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._details: AdmissionDetails | None = None
        self._reveal = False

        self.title = QLabel("Vælg en indlæggelse i listen")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.cpr_label = QLabel()
        self.cpr_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton("Vis CPR")
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._toggle_reveal)
        self.edit_button = QPushButton("&Ret indlæggelse…")
        self.edit_button.clicked.connect(self._request_edit)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.status_line = QLabel()
        self.status_line.setWordWrap(True)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.cpr_label)
        head.addWidget(self.reveal_button)
        head.addStretch(1)
        head.addWidget(self.edit_button)

        # -- the actions a rule demands, one click from where it is shown (screens.md) ----------------
        self.assess_button = QPushButton("&Vurder scenarie…")
        self.assess_button.clicked.connect(self._request_assess)
        self.send_button = QToolButton()
        self.send_button.setText("&Send …")
        self.send_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.send_menu = QMenu(self.send_button)
        self.send_button.setMenu(self.send_menu)
        self.send_menu.setToolTipsVisible(True)
        actions_row = QHBoxLayout()
        actions_row.addWidget(self.assess_button)
        actions_row.addWidget(self.send_button)
        self.consent_button = QPushButton("Sam&tykker…")
        self.consent_button.setToolTip("Patientens samtykker til at dele oplysninger (F1, F2, C7)")
        self.consent_button.clicked.connect(self._request_consents)
        actions_row.addWidget(self.consent_button)
        actions_row.addStretch(1)

        # -- the tabs, their widgets under the panel's names -------------------------------------------
        self.overview = OverviewTab()
        self.overview.action_requested.connect(self._request_deadline_action)
        self.deadlines = self.overview.deadlines
        self.flags_label = self.overview.flags_label
        self.plan_line = self.overview.plan_line
        self.calendar_label = self.overview.calendar_label
        self.history_tab = HistoryTab()
        self.history = self.history_tab.table
        self.correct_button = self.history_tab.correct_button
        self.history_tab.correct_requested.connect(self.correct_requested)
        self.meetings_tab = MeetingsTab()
        self.meetings = self.meetings_tab.table
        self.new_meeting_button = self.meetings_tab.new_meeting_button
        self.meeting_buttons = self.meetings_tab.buttons
        self.meetings_tab.new_meeting_requested.connect(self._request_new_meeting)
        self.meetings_tab.meeting_requested.connect(self.meeting_requested)
        self.documents_tab = DocumentsTab()
        self.documents = self.documents_tab.table
        self.doc_buttons = self.documents_tab.buttons
        self.documents_tab.document_requested.connect(self.document_requested)

        self.tabs: QTabWidget = QTabWidget()  # typed here: the plan line links to it
        self.overview.plan_link_activated.connect(lambda: self.tabs.setCurrentWidget(self.plan_tab))
        self.tabs.addTab(self.overview, "&Overblik")
        self.tabs.addTab(self.history_tab, "&Historik")
        self.tabs.addTab(self.meetings_tab, "Mød&er")
        self.tabs.addTab(self.documents_tab, "&Dokumenter")
        self.plan_tab: PlanTab = PlanTab()  # likewise
        self.tabs.addTab(self.plan_tab, "&Aftale/plan")

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(actions_row)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.status_line)
        layout.addWidget(self.tabs, 1)
        self.show_details(None)

    @property
    def _document_ids(self) -> list[int | None]:
        """The ids of the documents listed, in their order (tests look at them)."""
        return self.documents_tab.document_ids

    def show_details(
        self,
        details: AdmissionDetails | None,
        *,
        calendar_name: str = "",
        actions: Sequence[ActionState] = (),
        documents: Sequence[ArchivedDocument] = (),
        meetings: Sequence[Meeting] = (),
        tasks: Sequence[Task] = (),
        today: date | None = None,
        plan: PlanPanel | None = None,
        action_refusals: Mapping[DeadlineAction, str | None] | None = None,
    ) -> None:
        """``action_refusals``: why a deadline's action may not be taken now (``OverviewService.action_refusals``
        for ``details_overview.open_actions``), greyed out in Overblik with the reason."""
        self._details = details
        self.meetings_tab.show_meetings(meetings)
        has = details is not None
        for w in (
            self.reveal_button,
            self.edit_button,
            self.tabs,
            self.assess_button,
            self.send_button,
            self.consent_button,
        ):
            w.setEnabled(has)
        self._fill_actions(actions)
        self.documents_tab.show_documents(documents)
        shown_plan = plan if details is not None else None
        self.plan_tab.set_panel(shown_plan, today or date.today())
        self.overview.show_plan_line(shown_plan, today or date.today())
        self.reveal_button.setChecked(False)
        if details is None:
            self.title.setText("Vælg en indlæggelse i listen")
            self.cpr_label.clear()
            self.subtitle.clear()
            self.status_line.clear()
            self.overview.clear()
            self.history_tab.clear()
            return
        p, a = details.patient, details.admission
        self.title.setText(p.name)
        self._show_cpr()
        kommune = details.kommune.name if details.kommune else a.bopaelskommune
        parts = [
            f"Indlæggelse nr. {a.id}",
            f"{a.center}, {a.ward}",
            f"Bopælskommune: {kommune}",
            *([f"Opholdskommune: {details.kommune_name(a.opholdskommune)}"] if a.opholdskommune else []),
            *([f"Handlekommune: {details.kommune_name(a.handlekommune)}"] if a.handlekommune else []),
            f"Indlagt {a.admitted:%d-%m-%Y}" + (" (tvang)" if a.involuntary else ""),
        ]
        if a.discharged:
            parts.append(f"Udskrevet {a.discharged:%d-%m-%Y}")
        if a.expected_faerdigbehandlet:
            parts.append(f"Forventet færdigbehandlet {a.expected_faerdigbehandlet:%d-%m-%Y}")
        self.subtitle.setText(" · ".join(parts))
        scenario = f"Scenarie {a.scenario}" if a.scenario else "Intet scenarie"
        status = f"<b>{scenario}</b> · <b>{details.status}</b>"
        if details.status_error:
            status += f"<br><span style='color:#8a1010'>⚠ {details.status_error}</span>"
        if details.lent:  # issue 19: out on a laptop file; the services refuse the ward's writes until it is back
            status += (
                f"<br><span style='color:#7a4b00'><b>{escape(details.lent)}</b> – kan kun læses her, til "
                "offline-kopien er afleveret eller udlånet tilbagekaldt.</span>"
            )
        self.status_line.setText(status)
        self.overview.show_deadlines([*details.deadlines, *task_deadlines(tasks, today)], action_refusals)
        self.history_tab.show_events(details.events, details.kommune_name)
        self.overview.show_flags(a.flags, details.reminders)
        self.calendar_label.setText(f"Arbejdsdage beregnet med: {calendar_name}" if calendar_name else "")

    def _fill_actions(self, actions: Sequence[ActionState]) -> None:
        """Every action stays visible; one the process forbids is disabled with its reason (screens.md)."""
        self.send_menu.clear()
        self.action_items: dict[str, QAction] = {}
        for state in actions:
            act = self.send_menu.addAction(state.label)
            act.setEnabled(state.allowed)
            if state.reason:
                act.setToolTip(state.reason)
                act.setStatusTip(state.reason)
                act.setText(f"{state.label}  —  {state.reason}" if len(state.reason) < 70 else state.label)
            act.triggered.connect(lambda _c=False, k=state.kind: self._request_action(k))
            self.action_items[state.kind.value] = act
        # Issue 16: every duty met by a milestone note, also those without a deadline row or reminder (D4, D9).
        self.send_menu.addSeparator()
        done = self.send_menu.addMenu("Registrér som &udført")
        self.record_items: dict[str, QAction] = {}
        for key in record_rules():
            action = action_for(key)
            assert action is not None
            first = record_milestones(key)[0]
            act = done.addAction(f"{milestone_label(first.value)}…")
            act.setToolTip(f"{RULES_BY_KEY[key].description} ({RULES_BY_KEY[key].rule_id})")
            act.triggered.connect(lambda _c=False, a=action: self._request_deadline_action(a))
            self.record_items[key] = act
        done.setToolTipsVisible(True)
        if self._details is not None and self._details.admission.discharged is not None:
            self.assess_button.setEnabled(False)
            self.assess_button.setToolTip("Indlæggelsen er afsluttet.")
        else:
            self.assess_button.setToolTip("Svar på spørgsmålene i samarbejdsaftalen (A1, B1–B5) og se planen.")

    # -- requests (the admission's id with them) ------------------------------------------------------
    def _admission_id(self) -> int | None:
        return self._details.admission.id if self._details is not None else None

    def _request_new_meeting(self) -> None:
        if (admission_id := self._admission_id()) is not None:
            self.new_meeting_requested.emit(admission_id)

    def _request_consents(self) -> None:
        if (admission_id := self._admission_id()) is not None:
            self.consents_requested.emit(admission_id)

    def _request_assess(self) -> None:
        if (admission_id := self._admission_id()) is not None:
            self.assess_requested.emit(admission_id)

    def _request_deadline_action(self, action: DeadlineAction) -> None:
        if (admission_id := self._admission_id()) is not None:
            self.deadline_action_requested.emit(admission_id, action)

    def _request_action(self, kind: EventKind) -> None:
        if (admission_id := self._admission_id()) is not None:
            self.action_requested.emit(admission_id, kind.value)

    def _request_edit(self) -> None:
        if (admission_id := self._admission_id()) is not None:
            self.edit_requested.emit(admission_id)

    # -- CPR ------------------------------------------------------------------------------------------
    def _show_cpr(self) -> None:
        if self._details is None:
            return
        cpr = self._details.patient.cpr
        self.cpr_label.setText(format_cpr(cpr) if self._reveal else mask_cpr(cpr))

    def _toggle_reveal(self, reveal: bool) -> None:
        self._reveal = reveal
        self.reveal_button.setText("Skjul CPR" if reveal else "Vis CPR")
        self._show_cpr()
