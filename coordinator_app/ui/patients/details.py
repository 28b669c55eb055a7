"""The selected admission: header, Overblik (deadlines with rule IDs, special groups) and Historik."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.cpr import format_cpr, mask_cpr
from coordinator_app.domain.discharge_plans import PLAN_DOCUMENT_KIND
from coordinator_app.domain.meetings import OCCASION_LABELS, Meeting, MeetingStatus, Task, task_deadlines
from coordinator_app.domain.model import (
    EVENT_LABELS,
    AdmissionFlags,
    ArchivedDocument,
    Channel,
    DeadlineState,
    Event,
    EventKind,
)
from coordinator_app.domain.special_groups import Reminder
from coordinator_app.ui.common.labels import FLAG_LABELS
from coordinator_app.ui.patients.admission_table import DUE_TODAY_BG, OVERDUE_BG
from coordinator_app.ui.plans.plan_tab import PlanTab, overview_html

if TYPE_CHECKING:  # the details panel is part of the first screen, built before the storage layer (issue 7)
    from coordinator_app.services.admissions import AdmissionDetails
    from coordinator_app.services.notifications import ActionState
    from coordinator_app.services.plans import PlanPanel

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
RESPONSIBLE_LABELS = {
    "center": "Afsnittet",
    "kommune": "Kommunen",
    "gp": "Egen læge",
    "botilbudsteam": "Botilbudsteamet",
}
RECIPIENT_LABELS = {
    "bopaelskommune": "Bopælskommune",
    "opholdskommune": "Opholdskommune",
    "handlekommune": "Handlekommune",
}
CHANNEL_LABELS = {
    Channel.SIKKER_MAIL: "Sikker mail",
    Channel.TELEFON: "Telefon",
    Channel.MOF: "MedCom MOF",
    Channel.NETVAERKSMOEDE: "Netværksmøde",
    Channel.ANDET: "Andet",
}
STATE_LABELS = {
    DeadlineState.MET: "✓ Overholdt",
    DeadlineState.OPEN: "Åben",
    DeadlineState.DUE_TODAY: "● I dag",
    DeadlineState.OVERDUE: "⚠ Overskredet",
}


def _readonly_table(headers: list[str], *, stretch: int = -1) -> QTableWidget:
    # A handful of rows per admission: a QTableWidget is fine here (the big list is model/view).
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    column = stretch if stretch >= 0 else len(headers) - 1
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    return table


class DetailsPanel(QWidget):
    edit_requested = Signal(int)
    assess_requested = Signal(int)
    consents_requested = Signal(int)  # admission id
    action_requested = Signal(int, str)  # admission id, EventKind value
    correct_requested = Signal(int)  # event id
    document_requested = Signal(int, str)  # document id, "open" / "save" / "print"
    new_meeting_requested = Signal(int)  # admission id
    meeting_requested = Signal(int, str)  # meeting id, "live" / "ics" / "referat"

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

        self.deadlines = _readonly_table(["Frist", "Dato", "Status", "Regel", "Ansvarlig"], stretch=0)
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
        self.plan_line.linkActivated.connect(lambda _link: self.tabs.setCurrentWidget(self.plan_tab))
        self.plan_line.hide()
        overview = QWidget()
        ov = QVBoxLayout(overview)
        ov.addWidget(self.plan_line)
        ov.addWidget(QLabel("<b>Frister</b> (beregnet ud fra hændelserne)"))
        ov.addWidget(self.deadlines, 1)
        ov.addWidget(self.flags_label)
        self.calendar_label = QLabel()
        self.calendar_label.setStyleSheet("color: palette(mid);")
        ov.addWidget(self.calendar_label)

        self.history = _readonly_table(["Tidspunkt", "Hændelse", "Modtager", "Af"], stretch=1)

        self.tabs: QTabWidget = QTabWidget()  # typed here: the plan line above links to it
        history_tab = QWidget()
        hl = QVBoxLayout(history_tab)
        hl.addWidget(self.history, 1)
        self.correct_button = QPushButton("&Korrigér valgte hændelse…")
        self.correct_button.setToolTip("Fortryd en fejlregistrering med en korrektion; historikken beholder begge.")
        self.correct_button.clicked.connect(self._request_correct)
        self.history.itemSelectionChanged.connect(self._history_selection_changed)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.correct_button)
        hl.addLayout(row)

        self.documents = _readonly_table(["Udstedt", "Dokument", "Af"], stretch=1)
        self.documents.doubleClicked.connect(lambda _i: self._request_document("open"))
        docs_tab = QWidget()
        dl = QVBoxLayout(docs_tab)
        dl.addWidget(self.documents, 1)
        drow = QHBoxLayout()
        drow.addStretch(1)
        self.doc_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("reissue", "Udsted &igen"),
            ("open", "&Åbn"),
            ("print", "&Udskriv…"),
            ("save", "&Gem som PDF…"),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, k=key: self._request_document(k))
            drow.addWidget(button)
            self.doc_buttons[key] = button
        dl.addLayout(drow)
        self.documents.itemSelectionChanged.connect(self._documents_selection_changed)

        self.meetings = _readonly_table(["Tidspunkt", "Reference", "Anledning", "Status"], stretch=2)
        self.meetings.doubleClicked.connect(lambda _i: self._request_meeting("live"))
        meetings_tab = QWidget()
        ml = QVBoxLayout(meetings_tab)
        ml.addWidget(self.meetings, 1)
        mrow = QHBoxLayout()
        self.new_meeting_button = QPushButton("&Nyt netværksmøde…")
        self.new_meeting_button.clicked.connect(self._request_new_meeting)
        mrow.addWidget(self.new_meeting_button)
        mrow.addStretch(1)
        self.meeting_buttons: dict[str, QPushButton] = {}
        for key, text in (("ics", "Gem &invitation (.ics)…"), ("referat", "Udsted &referat"), ("live", "&Live-møde")):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, k=key: self._request_meeting(k))
            mrow.addWidget(button)
            self.meeting_buttons[key] = button
        ml.addLayout(mrow)
        self.meetings.itemSelectionChanged.connect(self._meetings_selection_changed)
        self._meeting_list: list[Meeting] = []

        self.tabs.addTab(overview, "&Overblik")
        self.tabs.addTab(history_tab, "&Historik")
        self.tabs.addTab(meetings_tab, "Mød&er")
        self.tabs.addTab(docs_tab, "&Dokumenter")
        self.plan_tab: PlanTab = PlanTab()  # likewise
        self.tabs.addTab(self.plan_tab, "&Aftale/plan")

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(actions_row)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.status_line)
        layout.addWidget(self.tabs, 1)
        self.show_details(None)

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
    ) -> None:
        self._details = details
        self._tasks = list(tasks)
        self._today = today
        self._fill_meetings(meetings)
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
        self._fill_documents(documents)
        self._show_plan(plan if details is not None else None, today or date.today())
        self.reveal_button.setChecked(False)
        if details is None:
            self.title.setText("Vælg en indlæggelse i listen")
            self.cpr_label.clear()
            self.subtitle.clear()
            self.status_line.clear()
            self.deadlines.setRowCount(0)
            self.history.setRowCount(0)
            self.flags_label.clear()
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
        self.status_line.setText(status)
        self._fill_deadlines(details)
        self._fill_history(details)
        self.flags_label.setText(self._flags_text(a.flags, details.reminders))
        self.calendar_label.setText(f"Arbejdsdage beregnet med: {calendar_name}" if calendar_name else "")

    def _show_plan(self, plan: PlanPanel | None, today: date) -> None:
        self.plan_tab.set_panel(plan, today)
        line = overview_html(plan, today)
        if line is None:
            self.plan_line.hide()
            return
        text, style = line
        self.plan_line.setText(text)
        self.plan_line.setStyleSheet(style)
        self.plan_line.show()

    def _fill_deadlines(self, details: AdmissionDetails) -> None:
        rows = sorted(
            [*details.deadlines, *task_deadlines(self._tasks, self._today)],
            key=lambda d: (d.state is DeadlineState.MET or d.missed, d.due),
        )
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
        if self._details is not None and self._details.admission.discharged is not None:
            self.assess_button.setEnabled(False)
            self.assess_button.setToolTip("Indlæggelsen er afsluttet.")
        else:
            self.assess_button.setToolTip("Svar på spørgsmålene i samarbejdsaftalen (A1, B1–B5) og se planen.")

    def _fill_meetings(self, meetings: Sequence[Meeting]) -> None:
        self._meeting_list = list(meetings)
        self.meetings.setRowCount(len(meetings))
        status = {
            MeetingStatus.PLANLAGT: "Planlagt",
            MeetingStatus.I_GANG: "I gang",
            MeetingStatus.AFSLUTTET: "Afsluttet",
        }
        for i, m in enumerate(meetings):
            when = m.planned_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M") if m.planned_at else "Ikke fastsat"
            cells = (when, m.reference, OCCASION_LABELS.get(m.occasion, str(m.occasion)), status[m.status])
            for j, text in enumerate(cells):
                self.meetings.setItem(i, j, QTableWidgetItem(text))
        if meetings:
            self.meetings.selectRow(0)
        self._meetings_selection_changed()

    def _meetings_selection_changed(self) -> None:
        rows = self.meetings.selectionModel().selectedRows()
        m = self._meeting_list[rows[0].row()] if rows else None
        self.meeting_buttons["live"].setEnabled(m is not None)
        self.meeting_buttons["ics"].setEnabled(m is not None and m.planned_at is not None)
        self.meeting_buttons["referat"].setEnabled(m is not None and m.status is MeetingStatus.AFSLUTTET)
        if m is not None:
            self.meeting_buttons["live"].setText(
                "Åbn &referat i editor" if m.status is MeetingStatus.AFSLUTTET else "&Live-møde"
            )

    def _request_new_meeting(self) -> None:
        if self._details is not None and self._details.admission.id is not None:
            self.new_meeting_requested.emit(self._details.admission.id)

    def _request_meeting(self, what: str) -> None:
        rows = self.meetings.selectionModel().selectedRows()
        if rows and self._meeting_list[rows[0].row()].id is not None:
            self.meeting_requested.emit(self._meeting_list[rows[0].row()].id, what)

    def _fill_documents(self, documents: Sequence[ArchivedDocument]) -> None:
        self._document_ids = [d.id for d in documents]
        self._document_kinds = [d.kind for d in documents]
        self.documents.setRowCount(len(documents))
        for i, d in enumerate(documents):
            when = d.created_at.astimezone(COPENHAGEN)
            for j, text in enumerate((f"{when:%d-%m-%Y %H:%M}", d.title, d.created_by)):
                item = QTableWidgetItem(text)
                item.setToolTip(f"SHA-256: {d.sha256}")
                self.documents.setItem(i, j, item)
        if documents:
            self.documents.selectRow(0)
        self._documents_selection_changed()

    def _documents_selection_changed(self) -> None:
        rows = self.documents.selectionModel().selectedRows()
        has = bool(rows)
        for button in self.doc_buttons.values():
            button.setEnabled(has)
        # A plan's PDF is issued again as a new version from its editor (Aftale/plan), not re-rendered here.
        plan_document = has and self._document_kinds[rows[0].row()] in PLAN_DOCUMENT_KIND.values()
        self.doc_buttons["reissue"].setEnabled(has and not plan_document)
        self.doc_buttons["reissue"].setToolTip(
            "Aftaler og planer udstedes i en ny version fra fanen Aftale/plan." if plan_document else ""
        )

    def _history_selection_changed(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        ok = bool(rows) and self._event_at(rows[0].row()) is not None
        self.correct_button.setEnabled(ok)

    def _event_at(self, row: int) -> Event | None:
        if self._details is None:
            return None
        events = list(reversed(self._details.events))
        if not 0 <= row < len(events):
            return None
        event = events[row]
        corrected = {e.corrects_event_id for e in events}
        if event.kind is EventKind.CORRECTION or event.id in corrected:
            return None
        return event

    def _request_consents(self) -> None:
        if self._details is not None and self._details.admission.id is not None:
            self.consents_requested.emit(self._details.admission.id)

    def _request_assess(self) -> None:
        if self._details is not None and self._details.admission.id is not None:
            self.assess_requested.emit(self._details.admission.id)

    def _request_action(self, kind: EventKind) -> None:
        if self._details is not None and self._details.admission.id is not None:
            self.action_requested.emit(self._details.admission.id, kind.value)

    def _request_correct(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        event = self._event_at(rows[0].row()) if rows else None
        if event is not None and event.id is not None:
            self.correct_requested.emit(event.id)

    def _request_document(self, what: str) -> None:
        rows = self.documents.selectionModel().selectedRows()
        if rows:
            document_id = self._document_ids[rows[0].row()]
            if document_id is not None:
                self.document_requested.emit(document_id, what)

    def _fill_history(self, details: AdmissionDetails) -> None:
        """Newest first: when, what (with the note under it), to whom and how, and who recorded it."""
        events = list(reversed(details.events))
        corrected = {e.corrects_event_id for e in events if e.corrects_event_id is not None}
        self.history.setRowCount(len(events))
        for i, e in enumerate(events):
            when = e.occurred_at.astimezone(COPENHAGEN)
            what = EVENT_LABELS.get(e.kind, str(e.kind))
            if e.id in corrected:
                what += " (korrigeret)"
            if e.note:
                what += f"\n{e.note}"
            to = details.kommune_name(e.recipient_kommune)
            if e.channel is not None:
                channel = CHANNEL_LABELS.get(e.channel, e.channel.value)
                to = f"{to}\n{channel}" if to else channel
            cells = [f"{when:%d-%m-%Y %H:%M}", what, to, e.recorded_by]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.history.setItem(i, j, item)

    @staticmethod
    def _flags_text(flags: AdmissionFlags, notes: Sequence[Reminder]) -> str:
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

    def _show_cpr(self) -> None:
        if self._details is None:
            return
        cpr = self._details.patient.cpr
        self.cpr_label.setText(format_cpr(cpr) if self._reveal else mask_cpr(cpr))

    def _toggle_reveal(self, reveal: bool) -> None:
        self._reveal = reveal
        self.reveal_button.setText("Skjul CPR" if reveal else "Vis CPR")
        self._show_cpr()

    def _request_edit(self) -> None:
        if self._details is not None and self._details.admission.id is not None:
            self.edit_requested.emit(self._details.admission.id)
