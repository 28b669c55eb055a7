"""The Møder tab: upcoming and running netværksmøder across the ward, one key from the live editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.meetings import OCCASION_LABELS, Meeting, MeetingStatus

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STATUS_TEXT = {
    MeetingStatus.PLANLAGT: "Planlagt",
    MeetingStatus.I_GANG: "I gang",
    MeetingStatus.AFSLUTTET: "Afsluttet",
}
FORM_TEXT = {"fysisk": "Fysisk", "video": "Video", "telefon": "Telefon", "blandet": "Blandet"}


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
        self.heading = QLabel("<b>Kommende og igangværende netværksmøder</b>")
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            ["Tidspunkt", "Reference", "Patient", "Anledning", "Form og sted", "Frist (C2)", "Status"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._emit(self.live_requested))
        self.table.itemSelectionChanged.connect(self._selection_changed)

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
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._selection_changed()

    def set_meetings(
        self, meetings: Sequence[Meeting], *, names: dict[int, str], deadline: Callable[[Meeting], object]
    ) -> None:
        selected = self.selected_meeting_id()
        self._meetings = list(meetings)
        self.table.setRowCount(len(self._meetings))
        for i, m in enumerate(self._meetings):
            when = m.planned_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M") if m.planned_at else "Ikke fastsat"
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
                    item.setToolTip(f"Begrundelse: {late}")
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, j, item)
        ids = [m.id for m in self._meetings]
        if ids:
            self.table.selectRow(ids.index(selected) if selected in ids else 0)
        self._selection_changed()

    def selected_meeting_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._meetings[rows[0].row()].id if rows else None

    def _selected(self) -> Meeting | None:
        rows = self.table.selectionModel().selectedRows()
        return self._meetings[rows[0].row()] if rows else None

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
        if m is not None:
            self.live_button.setEnabled(m.status is not MeetingStatus.AFSLUTTET)
            self.referat_button.setEnabled(m.status is MeetingStatus.AFSLUTTET)
            self.patient_button.setEnabled(m.admission_id is not None)
