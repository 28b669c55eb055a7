"""Netværksmøder from the main window (C1–C10): the Møder tab (built on first show) and its refresh, a new meeting
for an admission or for an ambulant patient, the meeting's actions — invitation (.ics), live meeting, referat —
and Funktioner → Mødeskabelon….

Starting a meeting before its planned day is asked first (C2–C4: the parties agreed on the time); only a «Start
mødet nu» passes the service the confirmation it requires. A referat is issued from the Møder tab (kommende and
afholdte), from the admission's meetings, or straight from the summary after ending a meeting.

The window connects the details' meeting requests here and ``changed``/``admission_requested``/
``ambulant_requested`` to the Patienter tab; who an ambulant meeting is for is asked there
(``ui.patients.patient_actions``), which then calls ``schedule_ambulant``. The dialog and window modules load when
first opened (issue 7: start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import Meeting, MeetingStatus, Occasion, days_before_planned, days_text
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.lazy import lazy_import
from coordinator_app.services.registry import Services
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import literal

if TYPE_CHECKING:
    from coordinator_app.ui.common import printing
    from coordinator_app.ui.meetings import (
        live_meeting,
        meeting_schedule_dialog,
        meeting_template_editor,
        meetings_tab,
        referat_dialog,
    )
else:
    printing = lazy_import("coordinator_app.ui.common.printing")
    live_meeting = lazy_import("coordinator_app.ui.meetings.live_meeting")
    meeting_schedule_dialog = lazy_import("coordinator_app.ui.meetings.meeting_schedule_dialog")
    meeting_template_editor = lazy_import("coordinator_app.ui.meetings.meeting_template_editor")
    meetings_tab = lazy_import("coordinator_app.ui.meetings.meetings_tab")
    referat_dialog = lazy_import("coordinator_app.ui.meetings.referat_dialog")


class MeetingActions(QObject):
    """The meeting actions, with dialogs over ``window``. Signals: ``message`` a text for the status bar;
    ``changed(admission id)`` a meeting of that admission changed (refresh and show it); ``admission_requested``
    (Møder → Vis patient); ``ambulant_requested`` (Møder → Nyt møde (ambulant)…: ask who)."""

    message = Signal(str)
    changed = Signal(int)
    admission_requested = Signal(int)
    ambulant_requested = Signal()

    def __init__(self, window: QWidget, services: Services) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self.tab: meetings_tab.MeetingsTab | None = None  # built when first shown
        self.windows: list[QWidget] = []  # live meeting windows kept alive while open
        self.open_dialog: QDialog | None = None  # the last dialog opened from here, kept alive while open

    # -- the Møder tab ------------------------------------------------------------------------------------
    def build_tab(self) -> meetings_tab.MeetingsTab:
        tab = self.tab = meetings_tab.MeetingsTab()
        tab.live_requested.connect(lambda mid: self.meeting_action(mid, "live"))
        tab.ics_requested.connect(lambda mid: self.meeting_action(mid, "ics"))
        tab.referat_requested.connect(lambda mid: self.meeting_action(mid, "referat"))
        tab.template_requested.connect(self.edit_template)
        tab.patient_requested.connect(self.admission_requested)
        tab.ambulant_requested.connect(self.ambulant_requested)
        return tab

    def refresh_tab(self) -> None:
        if self.tab is None:
            return  # built and filled when first shown
        services = self._services
        today = services.ctx.clock.today()
        try:
            meetings = services.meetings.upcoming(today)
            held = services.meetings.held(today)
            # By the meeting's patient: an ambulant patient has no row in the admission list.
            names = services.admissions.patient_names([m.patient_id for m in [*meetings, *(h.meeting for h in held)]])
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        self.tab.set_meetings(meetings, names=names, deadline=services.meetings.deadline)
        self.tab.set_held(held, names=names)

    # -- new meetings ---------------------------------------------------------------------------------------
    def new_meeting(self, admission_id: int) -> None:
        try:
            details = self._services.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = self._schedule(patient_id=details.patient.id or 0, admission_id=admission_id)
        dialog.finished.connect(lambda _r: self._after_change(admission_id, dialog.meeting is not None))

    def schedule_ambulant(self, patient_id: int) -> None:
        """A netværksmøde for a patient in ambulant treatment (no admission): the schedule dialog with the C4
        occasion preselected (same 5-arbejdsdage rule during ambulant treatment)."""
        dialog = self._schedule(patient_id=patient_id, admission_id=None, occasion=Occasion.PATIENT_ELLER_PAAROERENDE)

        def done(_result: int) -> None:
            if dialog.meeting is not None:
                self.refresh_tab()

        dialog.finished.connect(done)

    def _schedule(
        self, *, patient_id: int, admission_id: int | None, occasion: Occasion = Occasion.UNDER_INDLAEGGELSE
    ) -> meeting_schedule_dialog.ScheduleDialog:
        ctx = self._services.ctx
        dialog = meeting_schedule_dialog.open_schedule_dialog(
            self._window,
            self._services.meetings,
            patient_id=patient_id,
            admission_id=admission_id,
            today=ctx.clock.today(),
            now=ctx.clock.now(),
            calendar=ctx.calendar,
            rules=ctx.rules,
            occasion=occasion,
        )
        self.open_dialog = dialog
        return dialog

    def _after_change(self, admission_id: int, changed: bool) -> None:
        self.open_dialog = None
        if changed:
            self.changed.emit(admission_id)

    # -- a meeting's actions ----------------------------------------------------------------------------------
    def meeting_action(self, meeting_id: int, what: str) -> None:
        """``what``: "ics" (save the invitation), "referat" (issue and distribute), else "live"."""
        meetings = self._services.meetings
        try:
            meeting = meetings.get(meeting_id)
            if what == "ics":
                content = meetings.ics(meeting_id)
                name, _f = QFileDialog.getSaveFileName(
                    self._window, "Gem invitation", f"{meeting.reference}.ics", "Kalenderinvitation (*.ics)"
                )
                if name:
                    printing.write_pdf(Path(name), content)  # same atomic write; the bytes are an .ics
                    self.message.emit(f"Invitation gemt: {name} (uden patientoplysninger)")
                return
            if what == "referat":
                self._open_referat(meeting)
                return
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        except OSError as exc:
            QMessageBox.warning(
                self._window, "Koordinator", literal(printing.save_error_message(Path(meeting.reference), exc))
            )
            return
        self.open_live(meeting)

    def _open_referat(self, meeting: Meeting) -> None:
        assert meeting.id is not None
        dialog = referat_dialog.ReferatDialog(self._services.meetings, meeting.id, self._window)
        admission_id = meeting.admission_id
        dialog.issued.connect(lambda document: self.message.emit(f"Referatet er arkiveret: {document.title}"))

        def referat_done(_result: int) -> None:
            if admission_id is not None:
                self._after_change(admission_id, dialog.document is not None)
            if dialog.document is not None:
                self.refresh_tab()  # «Afholdte» shows the referat as issued

        dialog.finished.connect(referat_done)
        dialog.open()
        self.open_dialog = dialog

    def open_live(self, meeting: Meeting) -> None:
        """Open the live meeting; a planned meeting whose day has not come yet is started only after «Start mødet
        nu» (C2–C4), and the window opens on that answer."""
        ctx = self._services.ctx
        early = days_before_planned(meeting, ctx.clock.today())
        if meeting.status is not MeetingStatus.PLANLAGT or not early or not ctx.may(Permission.RUN_MEETING):
            self._open_live(meeting, before_planned_day=False)
            return
        box = start_early_question(self._window, meeting, early)
        start = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _r: self._start_early_answered(meeting, box.clickedButton() is start))
        self.open_dialog = box
        box.open()

    def _start_early_answered(self, meeting: Meeting, start: bool) -> None:
        self.open_dialog = None
        if start:
            self._open_live(meeting, before_planned_day=True)
        else:
            self.message.emit(f"Mødet {meeting.reference} er ikke startet.")

    def _open_live(self, meeting: Meeting, *, before_planned_day: bool) -> None:
        services = self._services
        try:  # by the meeting's patient: an ambulant meeting has no admission
            label = services.admissions.patient_names([meeting.patient_id]).get(meeting.patient_id, "")
        except KoordinatorError:
            label = ""
        assert meeting.id is not None
        try:  # starting a planned meeting needs a role that may hold it (issue 8)
            window = live_meeting.open_live_meeting(
                self._window,
                services.meetings,
                meeting.id,
                today=services.ctx.clock.today(),
                calendar=services.ctx.calendar,
                patient_label=label,
                may_run=services.ctx.may(Permission.RUN_MEETING),  # read-only for a role that may not hold it
                before_planned_day=before_planned_day,
            )
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        self.windows.append(window)
        window.referat_requested.connect(lambda mid: self.meeting_action(mid, "referat"))
        admission_id = meeting.admission_id

        def closed(*_args: object) -> None:
            if admission_id is not None:
                self._after_change(admission_id, True)
            self.refresh_tab()

        window.meeting_closed.connect(closed)
        window.destroyed.connect(lambda *_a: self.windows.remove(window) if window in self.windows else None)

    # -- Funktioner → Mødeskabelon… ----------------------------------------------------------------------------
    def edit_template(self) -> None:
        self.open_dialog = meeting_template_editor.open_template_editor(self._window, self._services.meetings)


def start_early_question(parent: QWidget, meeting: Meeting, early: int) -> QMessageBox:
    """«Start mødet før den planlagte dag?» (C2–C4): Yes is «Start mødet nu», No «Annullér» (the default, also on
    Escape) — an early start is a decision, never a slip of the key."""
    when = f"{meeting.planned_at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}" if meeting.planned_at else ""
    text = (
        f"Mødet {meeting.reference} er planlagt til {when} – om {days_text(early)}.\n\n"
        "Tidspunktet er aftalt med deltagerne. Start kun mødet nu, hvis I er enige om at holde det før den "
        "planlagte dag. Det registreres, at mødet blev startet og holdt før dagen."
    )
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Start mødet før den planlagte dag?",
        literal(text),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.button(QMessageBox.StandardButton.Yes).setText("&Start mødet nu")
    box.button(QMessageBox.StandardButton.No).setText("&Annullér")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box
