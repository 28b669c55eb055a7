"""The record tabs of the details panel (``details.DetailsPanel``): Historik (the events, newest first, and the
correction of one), Møder (the patient's netværksmøder and what to do with one) and Dokumenter (the archived PDFs).

Each tab shows what it is given and emits a request; the panel forwards it to the main window. Whether an event
can be corrected, whether a document is issued again here and what a varsling's or færdigmelding's B5 record says
(``sending.notice_lines``: the doctor's judgement, a late varsling, the notice the kommune got, the Danish name and
rule of a milestone note such as "Epikrise sendt til egen læge (D1)") are the domain's
(``process.correction_refusal``, ``discharge_plans.is_plan_document``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import is_plan_document
from coordinator_app.domain.meetings import OCCASION_LABELS, Meeting, MeetingStatus
from coordinator_app.domain.model import EVENT_LABELS, ArchivedDocument, Channel, Event
from coordinator_app.domain.process import correction_refusal
from coordinator_app.domain.sending import notice_lines
from coordinator_app.ui.common.safe_text import literal

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
CHANNEL_LABELS = {
    Channel.SIKKER_MAIL: "Sikker mail",
    Channel.TELEFON: "Telefon",
    Channel.MOF: "MedCom MOF",
    Channel.NETVAERKSMOEDE: "Netværksmøde",
    Channel.ANDET: "Andet",
}
MEETING_STATUS_LABELS = {
    MeetingStatus.PLANLAGT: "Planlagt",
    MeetingStatus.I_GANG: "I gang",
    MeetingStatus.AFSLUTTET: "Afsluttet",
}


def readonly_table(headers: list[str], *, stretch: int = -1) -> QTableWidget:
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


class HistoryTab(QWidget):
    """Historik: when, what (with the note under it), to whom and how, who recorded it; correct the selected one."""

    correct_requested = Signal(int)  # event id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []  # newest first, as shown
        self.table = readonly_table(["Tidspunkt", "Hændelse", "Modtager", "Af"], stretch=1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        self.correct_button = QPushButton("&Korrigér valgte hændelse…")
        self.correct_button.setToolTip("Fortryd en fejlregistrering med en korrektion; historikken beholder begge.")
        self.correct_button.clicked.connect(self._request_correct)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.correct_button)
        layout.addLayout(row)

    def show_events(self, events: Sequence[Event], kommune_name: Callable[[str | None], str]) -> None:
        """Newest first; ``kommune_name`` names an event's recipient kommune (``AdmissionDetails.kommune_name``)."""
        self._events = list(reversed(events))
        corrected = {e.corrects_event_id for e in self._events if e.corrects_event_id is not None}
        self.table.setRowCount(len(self._events))
        for i, e in enumerate(self._events):
            when = e.occurred_at.astimezone(COPENHAGEN)
            what = EVENT_LABELS.get(e.kind, str(e.kind))
            if e.id in corrected:
                what += " (korrigeret)"
            for line in notice_lines(e):  # B5: who judged, a late varsling, the notice given; a note's milestone
                what += f"\n{line}"
            if e.note:
                what += f"\n{e.note}"
            to = kommune_name(e.recipient_kommune)
            if e.channel is not None:
                channel = CHANNEL_LABELS.get(e.channel, e.channel.value)
                to = f"{to}\n{channel}" if to else channel
            cells = [f"{when:%d-%m-%Y %H:%M}", what, to, e.recorded_by]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(i, j, item)

    def clear(self) -> None:
        self._events = []
        self.table.setRowCount(0)

    def event_at(self, row: int) -> Event | None:
        """The event shown in ``row`` if it can be corrected (``process.correction_refusal``)."""
        if not 0 <= row < len(self._events):
            return None
        event = self._events[row]
        return event if correction_refusal(event, self._events) is None else None

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.correct_button.setEnabled(bool(rows) and self.event_at(rows[0].row()) is not None)

    def _request_correct(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        event = self.event_at(rows[0].row()) if rows else None
        if event is not None and event.id is not None:
            self.correct_requested.emit(event.id)


class MeetingsTab(QWidget):
    """Møder: the patient's netværksmøder; a new one, its invitation (.ics), its referat, the live meeting."""

    new_meeting_requested = Signal()
    meeting_requested = Signal(int, str)  # meeting id, "live" / "ics" / "referat"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._meetings: list[Meeting] = []
        self.table = readonly_table(["Tidspunkt", "Reference", "Anledning", "Status"], stretch=2)
        self.table.doubleClicked.connect(lambda _i: self._request("live"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.new_meeting_button = QPushButton("&Nyt netværksmøde…")
        self.new_meeting_button.clicked.connect(self.new_meeting_requested.emit)
        row.addWidget(self.new_meeting_button)
        row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("ics", "Gem &invitation (.ics)…"), ("referat", "Udsted &referat"), ("live", "&Live-møde")):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, k=key: self._request(k))
            row.addWidget(button)
            self.buttons[key] = button
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._selection_changed)

    def show_meetings(self, meetings: Sequence[Meeting]) -> None:
        self._meetings = list(meetings)
        self.table.setRowCount(len(meetings))
        for i, m in enumerate(meetings):
            when = m.planned_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M") if m.planned_at else "Ikke fastsat"
            cells = (
                when,
                m.reference,
                OCCASION_LABELS.get(m.occasion, str(m.occasion)),
                MEETING_STATUS_LABELS[m.status],
            )
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        if meetings:
            self.table.selectRow(0)
        self._selection_changed()

    def _selected(self) -> Meeting | None:
        rows = self.table.selectionModel().selectedRows()
        return self._meetings[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        m = self._selected()
        self.buttons["live"].setEnabled(m is not None)
        self.buttons["ics"].setEnabled(m is not None and m.planned_at is not None)
        self.buttons["referat"].setEnabled(m is not None and m.status is MeetingStatus.AFSLUTTET)
        if m is not None:
            self.buttons["live"].setText(
                "Åbn &referat i editor" if m.status is MeetingStatus.AFSLUTTET else "&Live-møde"
            )

    def _request(self, what: str) -> None:
        m = self._selected()
        if m is not None and m.id is not None:
            self.meeting_requested.emit(m.id, what)


class DocumentsTab(QWidget):
    """Dokumenter: the admission's archived PDFs; issue again, open, print, save as PDF."""

    document_requested = Signal(int, str)  # document id, "reissue" / "open" / "print" / "save"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_ids: list[int | None] = []
        self._kinds: list[str] = []
        self._may_export = True  # «Skriv ud…» and «Gem som PDF…» (``set_may_export``)
        self.table = readonly_table(["Udstedt", "Dokument", "Af"], stretch=1)
        self.table.doubleClicked.connect(lambda _i: self._request("open"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("reissue", "Udsted &igen"),
            ("open", "&Åbn"),
            ("print", "Skriv &ud…"),
            ("save", "&Gem som PDF…"),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, k=key: self._request(k))
            row.addWidget(button)
            self.buttons[key] = button
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._selection_changed)

    def show_documents(self, documents: Sequence[ArchivedDocument]) -> None:
        self.document_ids = [d.id for d in documents]
        self._kinds = [d.kind for d in documents]
        self.table.setRowCount(len(documents))
        for i, d in enumerate(documents):
            when = d.created_at.astimezone(COPENHAGEN)
            for j, text in enumerate((f"{when:%d-%m-%Y %H:%M}", d.title, d.created_by)):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(f"SHA-256: {d.sha256}"))
                self.table.setItem(i, j, item)
        if documents:
            self.table.selectRow(0)
        self._selection_changed()

    def set_may_export(self, may: bool) -> None:
        """A courtesy (issue 18): a role that may not print or save documents as files (læseadgang) sees «Skriv ud…»
        and «Gem som PDF…» greyed out, saying why; the services refuse it anyway. «Åbn» (a view) stays."""
        self._may_export = may
        for key in ("print", "save"):
            self.buttons[key].setToolTip(
                "" if may else "Din rolle må ikke skrive dokumenter ud eller gemme dem som fil."
            )
        self._selection_changed()

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        has = bool(rows)
        for key, button in self.buttons.items():
            button.setEnabled(has and (self._may_export or key not in ("print", "save")))
        # A plan's PDF is issued again as a new version from its editor (Aftale/plan), not re-rendered here.
        plan_document = has and is_plan_document(self._kinds[rows[0].row()])
        self.buttons["reissue"].setEnabled(has and not plan_document)
        self.buttons["reissue"].setToolTip(
            "Aftaler og planer udstedes i en ny version fra fanen Aftale/plan." if plan_document else ""
        )

    def _request(self, what: str) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            document_id = self.document_ids[rows[0].row()]
            if document_id is not None:
                self.document_requested.emit(document_id, what)
