"""The Møder tab: the ward's netværksmøder on two pages, «Kommende og igangværende» and «Afholdte».

Kommende lists the planned and running meetings with their C2–C4 deadline; Live-møde (or a double-click) opens one.
Afholdte lists the held meetings with their referat's state (not issued yet, or issued when), and «Udsted referat»
issues it from there (C7) — the summary after ending a meeting points here. The buttons under the pages act on the
meeting selected on the page shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.meetings import OCCASION_LABELS, Meeting, MeetingStatus
from coordinator_app.services.meetings import HeldMeeting
from coordinator_app.ui.common.safe_text import literal

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STATUS_TEXT = {
    MeetingStatus.PLANLAGT: "Planlagt",
    MeetingStatus.I_GANG: "I gang",
    MeetingStatus.AFSLUTTET: "Afsluttet",
}
FORM_TEXT = {"fysisk": "Fysisk", "video": "Video", "telefon": "Telefon", "blandet": "Blandet"}
#: The referat column of «Afholdte» for a meeting whose referat was never issued.
NOT_ISSUED = "Ikke udstedt"
UPCOMING_TITLE = "&Kommende og igangværende ({n})"
HELD_TITLE = "Afh&oldte ({n})"


def _table(headers: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _local(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M")


def referat_state(held: HeldMeeting) -> str:
    """«Ikke udstedt» or «Udstedt dd-mm-åååå kl. tt:mm»."""
    issued = held.referat_issued
    if issued is None:
        return NOT_ISSUED
    return f"Udstedt {issued.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}"


class MeetingsTab(QWidget):
    live_requested = Signal(int)
    ics_requested = Signal(int)
    referat_requested = Signal(int)
    template_requested = Signal()
    patient_requested = Signal(int)  # admission id
    ambulant_requested = Signal()  # a new meeting for a patient without an admission (C4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._meetings: list[Meeting] = []
        self._held: list[HeldMeeting] = []
        self.table = _table(
            ["Tidspunkt", "Reference", "Patient", "Anledning", "Form og sted", "Frist (C2)", "Status"], stretch=4
        )
        self.table.setAccessibleName("Kommende og igangværende netværksmøder")
        self.table.doubleClicked.connect(lambda _i: self._emit(self.live_requested))
        self.held_table = _table(["Afholdt", "Reference", "Patient", "Anledning", "Referat (C7)"], stretch=3)
        self.held_table.setAccessibleName("Afholdte netværksmøder")
        self.held_table.doubleClicked.connect(lambda _i: self._emit(self.referat_requested))
        self.pages = QTabWidget()
        self.pages.addTab(self.table, UPCOMING_TITLE.format(n=0))
        self.pages.addTab(self.held_table, HELD_TITLE.format(n=0))
        self.pages.setTabToolTip(1, "Holdte møder og deres referat: udsted referatet herfra (C7)")
        for table in (self.table, self.held_table):
            table.itemSelectionChanged.connect(self._selection_changed)
        self.pages.currentChanged.connect(lambda _i: self._selection_changed())

        self.live_button = QPushButton("&Live-møde")
        self.live_button.setToolTip("Åbn mødet i den fokuserede mødeeditor (Alt+L eller dobbeltklik på mødet)")
        self.ics_button = QPushButton("Gem &invitation (.ics)…")
        self.referat_button = QPushButton("Udsted &referat")
        self.patient_button = QPushButton("Vis &patient")
        self.template_button = QPushButton("Møde&skabelon…")
        self.ambulant_button = QPushButton("Nyt møde (&ambulant)…")
        self.ambulant_button.setToolTip("Netværksmøde for en patient i ambulant behandling, uden indlæggelse (C4)")
        self.live_button.clicked.connect(lambda: self._emit(self.live_requested))
        self.ics_button.clicked.connect(lambda: self._emit(self.ics_requested))
        self.referat_button.clicked.connect(lambda: self._emit(self.referat_requested))
        self.patient_button.clicked.connect(self._emit_patient)
        self.template_button.clicked.connect(self.template_requested)
        self.ambulant_button.clicked.connect(self.ambulant_requested)
        buttons = QHBoxLayout()
        for b in (self.live_button, self.ics_button, self.referat_button, self.patient_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.ambulant_button)
        buttons.addWidget(self.template_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._selection_changed()

    # -- Kommende og igangværende ------------------------------------------------------------------------------
    def set_meetings(
        self, meetings: Sequence[Meeting], *, names: dict[int, str], deadline: Callable[[Meeting], object]
    ) -> None:
        selected = self._selected_in(self.table, self._meetings)
        self._meetings = list(meetings)
        self.table.setRowCount(len(self._meetings))
        for i, m in enumerate(self._meetings):
            when = _local(m.planned_at) or "Ikke fastsat"
            due = deadline(m)
            late = m.late_reason.strip()
            cells = [
                when,
                m.reference,
                names.get(m.patient_id, ""),
                OCCASION_LABELS.get(m.occasion, str(m.occasion)),
                f"{FORM_TEXT.get(m.form.value, m.form.value)}" + (f" – {m.place}" if m.place else ""),
                f"{due:%d-%m-%Y}" + (" · for sent (begrundet)" if late else ""),
                STATUS_TEXT.get(m.status, str(m.status)),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 5 and late:
                    item.setToolTip(literal(f"Begrundelse: {late}"))
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, j, item)
        self.pages.setTabText(0, UPCOMING_TITLE.format(n=len(self._meetings)))
        self._reselect(self.table, [m.id for m in self._meetings], selected)

    # -- Afholdte -------------------------------------------------------------------------------------------
    def set_held(self, held: Sequence[HeldMeeting], *, names: dict[int, str]) -> None:
        """The held meetings, most recently closed first, with their referat's state; one never issued in red."""
        selected = self._selected_in(self.held_table, [h.meeting for h in self._held])
        self._held = list(held)
        self.held_table.setRowCount(len(self._held))
        bold = QFont(self.held_table.font())
        bold.setBold(True)
        for i, h in enumerate(self._held):
            m = h.meeting
            cells = [
                _local(m.closed_at),
                m.reference,
                names.get(m.patient_id, ""),
                OCCASION_LABELS.get(m.occasion, str(m.occasion)),
                referat_state(h),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 4 and h.referat_issued is None:
                    item.setForeground(Qt.GlobalColor.darkRed)
                    item.setFont(bold)
                    item.setToolTip("Referatet er ikke udstedt endnu: vælg mødet og «Udsted referat» (C7)")
                self.held_table.setItem(i, j, item)
        self.pages.setTabText(1, HELD_TITLE.format(n=len(self._held)))
        self._reselect(self.held_table, [h.meeting.id for h in self._held], selected)

    # -- selection ------------------------------------------------------------------------------------------
    def _reselect(self, table: QTableWidget, ids: list[int | None], selected: int | None) -> None:
        if ids:
            table.selectRow(ids.index(selected) if selected in ids else 0)
        else:
            table.clearSelection()
        self._selection_changed()

    @staticmethod
    def _selected_in(table: QTableWidget, meetings: Sequence[Meeting]) -> int | None:
        rows = table.selectionModel().selectedRows()
        return meetings[rows[0].row()].id if rows and rows[0].row() < len(meetings) else None

    def selected_meeting_id(self) -> int | None:
        """The meeting selected on the page shown."""
        m = self._selected()
        return m.id if m is not None else None

    def _selected(self) -> Meeting | None:
        if self.pages.currentWidget() is self.held_table:
            rows = self.held_table.selectionModel().selectedRows()
            return self._held[rows[0].row()].meeting if rows and rows[0].row() < len(self._held) else None
        rows = self.table.selectionModel().selectedRows()
        return self._meetings[rows[0].row()] if rows and rows[0].row() < len(self._meetings) else None

    def _emit(self, signal: SignalInstance) -> None:
        meeting_id = self.selected_meeting_id()
        if meeting_id is not None:
            signal.emit(meeting_id)

    def _emit_patient(self) -> None:
        m = self._selected()
        if m is not None and m.admission_id is not None:
            self.patient_requested.emit(m.admission_id)

    def _selection_changed(self) -> None:
        m = self._selected()
        for b in (self.live_button, self.ics_button, self.referat_button, self.patient_button):
            b.setEnabled(m is not None)
        self.referat_button.setToolTip("")
        if m is not None:
            closed = m.status is MeetingStatus.AFSLUTTET
            self.live_button.setEnabled(not closed)
            self.ics_button.setEnabled(not closed)
            self.referat_button.setEnabled(closed)
            self.patient_button.setEnabled(m.admission_id is not None)
            if not closed:
                self.referat_button.setToolTip(
                    "Referatet udstedes, når mødet er afsluttet: det findes derefter under «Afholdte» (C7)"
                )
