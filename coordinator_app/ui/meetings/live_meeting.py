"""Live meeting mode (C1, C5–C7): a focused, large, keyboard-first editor for the running netværksmøde.

This module is the window and what happens over the meeting's course: the Møde menu and its keys, autosave, a
save that conflicts with another, ending the meeting, and the read-only view. Its parts live beside it:
``live_header`` (how the meeting opens, and the lines above the sections), ``live_sections`` (the navigator and
the section pages), the section editors (``participants_editor``, ``agreements_editor``, ``roles_follow_up``) and
``live_messages`` (what the message boxes say, and the merge that keeps my text after a conflict). It stays just
over 400 lines on purpose: autosave, a conflicting save and ending the meeting share the window's unsaved state,
and splitting them apart would pass that state between modules.

Every change is saved automatically (``MeetingService.save_content``): a 300 ms debounce, and never later than
``MAX_DELAY_MS`` after the first unsaved change, so an edit is durable within a second. The reminders
(``meetings.check_meeting``) are shown as you type; they help and never block. "Afslut møde" turns the agreements
into tasks and schedules a needed follow-up meeting (``MeetingService.close``).

Keyboard: Ctrl+PgDown / Ctrl+Tab next section, Ctrl+PgUp / Ctrl+Shift+Tab previous, Ctrl+Shift+P (or Alt+D)
add participant, Ctrl+Shift+A add agreement, F8 next reminder, Ctrl+S save now, Ctrl+Enter end the meeting.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout, QWidget

from coordinator_app.domain.errors import ConflictError, DatabaseReplacedError, KoordinatorError
from coordinator_app.domain.meetings import (
    Meeting,
    MeetingContent,
    MeetingWarning,
    TemplateSection,
    check_meeting,
    default_agreement_deadline,
)
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.services.meetings import CloseResult, MeetingService
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import MUTED
from coordinator_app.ui.meetings.live_common import clock, give_styled_labels_the_font, scaled
from coordinator_app.ui.meetings.live_header import MeetingHeader, open_meeting
from coordinator_app.ui.meetings.live_messages import (
    close_question,
    conflict_question,
    keep_mine_as_note,
    summary_box,
)
from coordinator_app.ui.meetings.live_sections import SectionsView

log = logging.getLogger("koordinator.ui.meeting")
DEBOUNCE_MS = 300
#: The latest a change waits before it is saved; the save itself takes a few ms, so it is durable within 1 s.
MAX_DELAY_MS = 800
FONT_SCALE = 1.25
FOLLOW_UP_WORKING_DAYS = 10


class LiveMeetingWindow(QMainWindow):
    """The live meeting's window; ``meeting_closed`` carries the ``CloseResult`` when the meeting is ended."""

    meeting_closed = Signal(object)  # CloseResult
    referat_requested = Signal(int)  # the meeting id: «Udsted referat…» in the summary after ending the meeting

    def __init__(
        self,
        service: MeetingService,
        meeting_id: int,
        *,
        today: date,
        calendar: WorkCalendar | None = None,
        patient_label: str = "",
        may_run: bool = True,
        before_planned_day: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``may_run``: the signed-in role may hold meetings (``Permission.RUN_MEETING``). Without it the meeting
        opens read-only and a planned one is not started (issue 8); the service refuses the writes anyway.
        ``before_planned_day``: the coordinator confirmed starting the meeting before its planned day (C2–C4)."""
        super().__init__(parent)
        self._service = service
        self._meeting_id = meeting_id
        self._today = today
        self._calendar = calendar or WorkCalendar()
        self._loading = False
        self._first_unsaved: float | None = None
        self._dirty = False
        self._in_conflict = False
        self._warning_index = 0
        self._pending: QMessageBox | None = None
        self.save_times_ms: list[float] = []
        self.close_result: CloseResult | None = None

        opening = open_meeting(service, meeting_id, may_run=may_run, before_planned_day=before_planned_day)
        self._patient_name = opening.patient_name
        meeting = opening.meeting
        self.recovered_at: datetime | None = opening.recovered_at
        #: Why the meeting is shown without editing although it is not closed (a role that may not hold it).
        self.denied: str | None = opening.denied
        self._meeting: Meeting = meeting
        self._version = meeting.version or 0
        self.read_only = opening.read_only

        self.setWindowTitle(f"Netværksmøde {meeting.reference}" + (f" – {patient_label}" if patient_label else ""))
        self.setFont(scaled(self.font(), FONT_SCALE))

        # -- header, notices, reminders -------------------------------------------------------------------
        self.head = MeetingHeader(opening, patient_label=patient_label, font=self.font())
        self.header = self.head.header
        self.recovered_label = self.head.recovered_label
        self.warnings_label = self.head.warnings_label

        # -- navigator and section pages ---------------------------------------------------------------------
        self.sections: tuple[TemplateSection, ...] = meeting.template.sections
        self.section_view = SectionsView(
            self.sections,
            choices=opening.choices,
            agreement_deadline=default_agreement_deadline(today, self._calendar),
            follow_up_day=default_agreement_deadline(today, self._calendar, FOLLOW_UP_WORKING_DAYS),
            font=self.font(),
        )
        view = self.section_view  # the window's parts under their short names, as callers and tests reach them
        self.nav = view.nav
        self.text_edits = view.text_edits
        self.participants_editor = view.participants_editor
        self.roles_editor = view.roles_editor
        self.agreements_editor = view.agreements_editor
        self.follow_up_editor = view.follow_up_editor

        central = QWidget()
        layout = QVBoxLayout(central)
        for label in self.head.labels():
            layout.addWidget(label)
        layout.addWidget(view, 1)
        self.setCentralWidget(central)

        # -- status bar: autosave and the keys --------------------------------------------------------------
        self.save_label = plain_label()
        self.save_label.setAccessibleName("Autogem")
        self.statusBar().addWidget(self.save_label)
        self.keys_label = plain_label(
            "Ctrl+PgDn/PgUp afsnit · Ctrl+Shift+P deltager · Ctrl+Shift+A aftale · F8 påmindelse · Ctrl+Enter afslut"
        )
        self.keys_label.setStyleSheet(MUTED)
        self.statusBar().addPermanentWidget(self.keys_label)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.timeout.connect(self.save_now)

        self._build_actions()
        self._load(meeting.content, prefill=not self.read_only)
        view.changed.connect(self._changed)
        if self.read_only:
            self._set_read_only()
        if self.recovered_at is not None:
            self.save_label.setText(f"Genskabt – senest gemt kl. {clock(self.recovered_at)}")
        elif not self.read_only:
            self.save_label.setText(f"Mødet er startet – gemmes automatisk (kl. {clock(None)})")
        # The whole window is read at ~1.25× on a shared screen, the labels with a style sheet too.
        give_styled_labels_the_font(self, skip=self.header)
        self.resize(1280, 820)
        self.go_to(0)

    # -- building ------------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Møde")

        def action(text: str, keys: Sequence[str], slot: object, *, edit: bool = False) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            menu.addAction(act)
            if edit:
                self._edit_actions.append(act)
            return act

        self._edit_actions: list[QAction] = []
        self.act_next = action("&Næste afsnit", ["Ctrl+PgDown", "Ctrl+Tab"], lambda: self.step(1))
        self.act_prev = action(
            "&Forrige afsnit", ["Ctrl+PgUp", "Ctrl+Shift+Tab", "Ctrl+Shift+Backtab"], lambda: self.step(-1)
        )
        menu.addSeparator()
        self.act_participant = action("Tilføj &deltager", ["Ctrl+Shift+P"], self.add_participant, edit=True)
        self.act_agreement = action("Tilføj &aftale", ["Ctrl+Shift+A"], self.add_agreement, edit=True)
        self.act_warning = action("Gå til næste &påmindelse", ["F8"], self.next_warning)
        menu.addSeparator()
        self.act_save = action("&Gem nu", ["Ctrl+S"], self.save_now, edit=True)
        self.act_close_meeting = action(
            "Af&slut møde…", ["Ctrl+Return", "Ctrl+Enter"], self.request_close_meeting, edit=True
        )
        self.act_close_window = action("&Luk vinduet", ["Ctrl+W"], self.close)

    # -- navigation ----------------------------------------------------------------------------------------
    def go_to(self, index: int, *, focus: bool = True) -> None:
        self.section_view.go_to(index, focus=focus)

    def step(self, delta: int) -> None:
        self.section_view.step(delta)

    def current_section(self) -> TemplateSection:
        return self.section_view.current_section()

    def add_participant(self) -> None:
        if not self.read_only:
            self.section_view.add_participant()

    def add_agreement(self) -> None:
        if not self.read_only:
            self.section_view.add_agreement()

    def next_warning(self) -> None:
        """F8: the section of the next reminder, round and round."""
        self._warning_index = self.section_view.go_to_reminder(self.warnings(), self._warning_index)

    # -- content -------------------------------------------------------------------------------------------
    def _load(self, content: MeetingContent, *, prefill: bool) -> None:
        self._loading = True
        try:
            self.section_view.load(content, prefill=prefill)
        finally:
            self._loading = False
        self._update_checks()

    def content(self) -> MeetingContent:
        return self.section_view.content()

    def warnings(self) -> list[MeetingWarning]:
        return self._check(self.content())

    def _check(self, content: MeetingContent) -> list[MeetingWarning]:
        return check_meeting(dataclasses.replace(self._meeting, content=content), patient_name=self._patient_name)

    def _update_checks(self) -> None:
        content = self.content()
        warnings = self._check(content)
        self.section_view.mark(content, warnings)
        self.head.show_reminders(warnings, read_only=self.read_only)

    # -- autosave ------------------------------------------------------------------------------------------
    def _changed(self) -> None:
        if self._loading or self.read_only:
            return
        self._dirty = True
        now = time.monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        if not self._in_conflict:
            waited_ms = (now - self._first_unsaved) * 1000
            self._save_timer.start(int(max(0.0, min(DEBOUNCE_MS, MAX_DELAY_MS - waited_ms))))
            self.save_label.setText("Gemmer…")
        self._update_checks()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save_now(self) -> bool:
        """Save if anything changed; True when everything typed is durable."""
        self._save_timer.stop()
        if not self._dirty or self.read_only:
            return True
        if self._in_conflict:
            return False
        content = self.content()
        started = time.perf_counter()
        try:
            saved = self._service.save_content(self._meeting_id, content, expected_version=self._version)
        except ConflictError:
            self._conflict(content)
            return False
        except DatabaseReplacedError as exc:  # issue 18: no retry; the text stays in the window
            self.save_label.setText(f"⚠ Ikke gemt: {exc.message}")
            self.save_label.setStyleSheet("color: #8a1010; font-weight: bold;")
            return False
        except KoordinatorError as exc:
            self.save_label.setText(f"⚠ Ikke gemt: {exc.message} Prøver igen om lidt …")
            self.save_label.setStyleSheet("color: #8a1010; font-weight: bold;")
            self._save_timer.start(2000)
            return False
        elapsed = (time.perf_counter() - started) * 1000
        self.save_times_ms.append(elapsed)
        log.debug("Autogem af møde %s: %.1f ms", self._meeting_id, elapsed)
        self._meeting = saved
        self._version = saved.version or self._version + 1
        self._dirty = False
        self._first_unsaved = None
        self.save_label.setStyleSheet("")
        self.save_label.setText(f"Gemt kl. {clock(None)}")
        return True

    def _conflict(self, mine: MeetingContent) -> None:
        self._in_conflict = True
        self.save_label.setText("⚠ Ikke gemt: mødet er ændret et andet sted")
        box, discard = conflict_question(self)
        # Only an explicit «Hent den gemte version» drops the typed text; closing the question keeps it.
        box.finished.connect(lambda _r: self._conflict_answered(box.clickedButton() is not discard, mine))
        self._pending = box
        box.open()

    def _conflict_answered(self, keep_mine: bool, mine: MeetingContent) -> None:
        self._pending = None
        self._in_conflict = False
        try:
            theirs = self._service.get(self._meeting_id)
        except KoordinatorError as exc:
            self.save_label.setText(f"⚠ {exc.message}")
            return
        self._meeting = theirs
        self._version = theirs.version or 0
        merged = keep_mine_as_note(self.content(), theirs.content, clock(None)) if keep_mine else theirs.content
        del mine  # what is on screen now includes anything typed while the question was open
        self._load(merged, prefill=False)
        self._dirty = keep_mine
        self._first_unsaved = None
        if keep_mine:
            self.save_now()
        else:
            self.save_label.setText(f"Den gemte version er hentet (kl. {clock(theirs.updated_at)})")

    # -- ending the meeting ----------------------------------------------------------------------------------
    def request_close_meeting(self) -> None:
        if self.read_only or self._pending is not None:
            return
        box = close_question(
            self,
            tasks=sum(1 for a in self.agreements_editor.items() if a.what.strip()),
            follow_up=bool(self.follow_up_editor.value().needed),
            warnings=self.warnings(),
        )
        box.finished.connect(
            lambda _r: self._close_answered(box.clickedButton() is box.button(QMessageBox.StandardButton.Yes))
        )
        self._pending = box
        box.open()

    def _close_answered(self, yes: bool) -> None:
        self._pending = None
        if yes:
            self.close_meeting()

    def close_meeting(self) -> CloseResult | None:
        if not self.save_now():
            return None
        try:
            result = self._service.close(self._meeting_id, expected_version=self._version)
        except ConflictError:
            self._dirty = True
            self._conflict(self.content())
            return None
        except KoordinatorError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Afslut møde", literal(exc.message), QMessageBox.StandardButton.Ok, self
            )
            self._pending = box
            box.finished.connect(lambda _r: setattr(self, "_pending", None))
            box.open()
            return None
        self.close_result = result
        self._meeting = result.meeting
        self.read_only = True
        self._set_read_only()
        self.save_label.setText(f"Mødet er afsluttet og gemt (kl. {clock(None)})")
        self.meeting_closed.emit(result)
        self._show_summary(result)
        return result

    def _show_summary(self, result: CloseResult) -> None:
        box, referat = summary_box(self, result)
        self._pending = box
        box.finished.connect(lambda _r: self._summary_done(box.clickedButton() is referat))
        box.open()

    def _summary_done(self, issue_referat: bool) -> None:
        """The summary is answered: close the window; «Udsted referat…» asks for the referat dialog first."""
        self._pending = None
        if issue_referat:
            self.referat_requested.emit(self._meeting_id)
        self.close()

    def _set_read_only(self) -> None:
        self.section_view.set_read_only()
        for act in self._edit_actions:
            act.setEnabled(False)
        self.warnings_label.hide()
        self.keys_label.setText("Ctrl+PgDn/PgUp: næste/forrige afsnit · Ctrl+W: luk")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window saves first; if the save fails the window stays open so nothing is lost."""
        if not self.read_only and self._dirty and not self.save_now():
            event.ignore()
            return
        self._save_timer.stop()
        super().closeEvent(event)


def open_live_meeting(
    parent: QWidget | None,
    service: MeetingService,
    meeting_id: int,
    *,
    today: date,
    calendar: WorkCalendar | None = None,
    patient_label: str = "",
    may_run: bool = True,
    before_planned_day: bool = False,
) -> LiveMeetingWindow:
    """Start (or resume) the meeting and show its live window. A planned meeting is started; one already
    running (e.g. after a crash) is resumed with a notice. Pass ``ctx.calendar`` for the default deadlines, and
    ``may_run=ctx.may(Permission.RUN_MEETING)``: a role that may not hold meetings sees it read-only. Before its
    planned day a meeting starts only with ``before_planned_day`` (asked first: ``meeting_actions``)."""
    window = LiveMeetingWindow(
        service,
        meeting_id,
        today=today,
        calendar=calendar,
        patient_label=patient_label,
        may_run=may_run,
        before_planned_day=before_planned_day,
        parent=parent,
    )
    window.show()
    window.activateWindow()
    return window
