"""The udskrivningsaftale (§ 13 a) / koordinationsplan (§ 13 b) editor (E1–E3).

The fields are a ``PlanForm``; beside them, what ``check_complete`` still misses is listed live (a click goes to the
field). A kladde is saved as often as wanted (each save is a version) and can be filled from a netværksmøde;
putting it in force asks the responsible overlæge's name and how each copy goes (``plan_issue_dialog``), archives
the PDF and shows it for printing. A plan in force opens read-only; "Ret og udsted ny version" makes it editable
and issues a new archived version (asking again how the copies go).

Keys: Ctrl+S saves the kladde, Ctrl+Enter puts it in force (or issues the new version), Esc closes (asking about
unsaved changes). In the tables: type to edit, Tab to the next cell, Insert adds a row, Ctrl+Delete removes it.

This module holds what the editor does (save, a save that lost to a colleague's, pull from a meeting, preview,
put in force, revise, close) and ``open_plan_editor``; the window and its modes are ``plan_editor_view``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from coordinator_app.domain.discharge_plans import (
    PLAN_TITLES,
    DischargePlan,
    Lifecycle,
    PlanContent,
    PlanStatus,
    check_complete,
)
from coordinator_app.domain.errors import ConflictError, KoordinatorError, ValidationError
from coordinator_app.domain.model import ArchivedDocument
from coordinator_app.services.audit import LastChange
from coordinator_app.services.plans import MeetingChoice, PlanService
from coordinator_app.ui.common import printing
from coordinator_app.ui.common.conflict_dialog import ConflictChoice, ConflictDialog, changed_by_text, differences
from coordinator_app.ui.plans.plan_conflict import (
    CONTENT_LABELS,
    content_values,
    last_saved,
    merged_content,
    plan_conflict_dialog,
)
from coordinator_app.ui.plans.plan_editor_view import PlanEditorView
from coordinator_app.ui.plans.plan_form import DEFINITE
from coordinator_app.ui.plans.plan_issue_dialog import PlanIssueDialog

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class PlanEditorDialog(PlanEditorView):
    """Edit one plan. ``plan_changed`` after every write; ``issued`` with the archived document."""

    plan_changed = Signal(int)
    issued = Signal(object)  # ArchivedDocument

    def __init__(
        self,
        service: PlanService,
        plan: DischargePlan,
        *,
        patient_name: str,
        meetings: Sequence[MeetingChoice] = (),
        state: Lifecycle | None = None,
        today: date,
        fetch_pdf: Callable[[int], bytes] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(plan, patient_name=patient_name, meetings=meetings, state=state, today=today, parent=parent)
        self._service = service
        self._fetch_pdf = fetch_pdf
        self.preview: QDialog | None = None  # the print preview last opened (kept alive while shown)
        self.document: ArchivedDocument | None = None  # the document archived from this dialog
        self.conflict_dialog: ConflictDialog | None = None  # open while the user decides (issue 8)
        self.issue_dialog: PlanIssueDialog | None = None  # Sæt i kraft og skriv ud, last opened
        for button, slot in (
            (self.pull_button, self.pull_from_meeting),
            (self.preview_button, self.preview_draft),
            (self.archived_button, self.show_archived),
            (self.save_button, self.save),
            (self.activate_button, self.activate),
            (self.revise_button, self.start_revision),
            (self.close_button, self.reject),
        ):
            button.clicked.connect(slot)
        for keys, shortcut_slot in (
            (["Ctrl+S"], self.save),
            (["Ctrl+Return", "Ctrl+Enter"], self.activate),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(shortcut_slot)

        self._load(plan)
        self.resize(1180, 860)
        self.form.parties.setFocus()

    # -- operations -----------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the kladde (Ctrl+S). A plan in force is changed by issuing a new version instead."""
        if self.in_force:
            if self._revising:
                self._error("En plan i kraft gemmes ikke som kladde: tryk «Udsted ny version» (Ctrl+Enter).")
            return False
        content = self.form.content()
        try:
            plan = self._service.save(self._plan_id(), content, expected_version=self._version())
        except ValidationError as exc:
            if exc.field == "status":  # put in force or ended by a colleague meanwhile: as a conflict
                self._resolve_conflict(content)
                return False
            self._error(exc.message)
            self.form.focus_field(exc.field)
            return False
        except ConflictError:
            self._resolve_conflict(content)  # a colleague saved first: nothing of ours is written, the text stays
            return False
        except KoordinatorError as exc:
            self._error(exc.message)
            return False
        if plan.content != content:
            self._load(plan)
        else:
            self._plan = plan
            self._baseline = content
        when = datetime.now(COPENHAGEN)
        self._ok(f"Kladden er gemt kl. {when:%H:%M}.")
        self.plan_changed.emit(self._plan_id())
        return True

    # -- a save that lost to a colleague's (optimistic locking, issue 8) --------------------------------------
    def _resolve_conflict(self, mine: PlanContent) -> None:
        """Say who saved a newer version and when, and let the user keep their text as the newest version,
        fetch the stored one, or go on editing. The form keeps the user's text until they choose."""
        try:
            stored = next(
                (p for p in self._service.panel(self._plan.admission_id).plans if p.id == self._plan.id), None
            )
            last = last_saved(self._service.versions(self._plan_id()))
        except KoordinatorError as exc:  # the database is gone: the text stays in the window
            self._error(f"{exc.message} Din tekst står stadig i vinduet.")
            return
        if stored is None:
            self._error("Planen findes ikke længere. Din tekst står stadig i vinduet; kopiér den, før du lukker.")
            return
        diffs = differences(
            CONTENT_LABELS,
            mine=content_values(mine),
            read=content_values(self._baseline),
            stored=content_values(stored.content),
        )
        the = DEFINITE[stored.kind]
        if stored.status is PlanStatus.KLADDE:
            keep_text = "Gem min kladde som &ny version"
            keep_hint = (
                "<b>Gem min kladde som ny version</b>: dine ændringer gemmes oven på den nyeste version; felter, "
                "som kun din kollega har ændret, beholder kollegaens tekst, og kollegaens version står stadig i "
                "historikken (Versioner…). Intet går tabt."
            )
        else:
            keep_text = "Ret den gemte med &min tekst"
            keep_hint = (
                f"<b>Ret den gemte med min tekst</b>: {the} er sat i kraft imens. Dine ændringer lægges oven i den, "
                "og du udsteder dem som en ny version (Ctrl+Enter); den gældende version står i historikken."
            )
        dialog = plan_conflict_dialog(
            what=f"kladden til {the}" if self._plan.status is PlanStatus.KLADDE else the,
            diffs=diffs,
            last=last,
            keep_text=keep_text,
            keep_hint=keep_hint,
            parent=self,
        )
        if stored.status is PlanStatus.AFSLUTTET:
            dialog.note_button.setEnabled(False)
            dialog.hint.setText(
                f"{the.capitalize()} er afsluttet imens og kan ikke rettes. <b>Annuller</b> og kopiér din tekst, "
                "fx til en ny plan; <b>Hent den gemte</b> kasserer den."
            )
            dialog.cancel_button.setDefault(True)
        dialog.finished.connect(lambda _r: self._conflict_decided(dialog, mine, stored, last))
        self.conflict_dialog = dialog
        dialog.open()

    def _conflict_decided(
        self, dialog: ConflictDialog, mine: PlanContent, stored: DischargePlan, last: LastChange | None
    ) -> None:
        self.conflict_dialog = None
        choice = dialog.choice
        dialog.deleteLater()
        who = changed_by_text(last)
        if choice is ConflictChoice.CANCEL:
            self._error(
                f"Intet er gemt: {who} har gemt en nyere version. Din tekst står stadig i vinduet; tryk «Gem kladde» "
                "for at vælge igen."
            )
            return
        if choice is ConflictChoice.RELOAD:
            self._load(stored)
            self._ok(f"Vinduet viser nu den version, {who} gemte. Dine ændringer er kasseret.")
            self.plan_changed.emit(self._plan_id())
            return
        merged = merged_content(mine, self._baseline, stored.content)
        if stored.status is PlanStatus.I_KRAFT:
            self._load(stored)
            self.start_revision()
            self.form.load(merged)
            self._changed()
            self._ok(
                "Dine ændringer står oven i den gældende version. Tryk «Udsted ny version og skriv ud» (Ctrl+Enter) "
                "for at udstede dem; den gældende version står i historikken."
            )
            return
        try:
            plan = self._service.save(self._plan_id(), merged, expected_version=stored.version or 0)
        except ConflictError:
            self._resolve_conflict(mine)  # yet another save meanwhile: ask again, the text still in the window
            return
        except KoordinatorError as exc:
            self._error(f"{exc.message} Din tekst står stadig i vinduet.")
            return
        self._load(plan)
        self._ok(
            f"Din kladde er gemt som den nyeste version. Versionen, {who} gemte, står stadig i historikken "
            "(Versioner…)."
        )
        self.plan_changed.emit(self._plan_id())

    def pull_from_meeting(self) -> None:
        """Participants become parties and agreements become offers (C5 → E1); unsaved edits are saved first."""
        if self.in_force or not self._meetings:
            return
        labels = [f"{m.label} · {m.agreements} aftale{'r' if m.agreements != 1 else ''}" for m in self._meetings]
        choice, ok = QInputDialog.getItem(
            self,
            "Hent fra netværksmøde",
            "Hent deltagere (som parter) og aftaler (som tilbud) fra mødet:",
            labels,
            0,
            False,
        )
        if not ok or choice not in labels:
            return
        meeting = self._meetings[labels.index(choice)]
        if self.dirty and not self.save():
            return
        try:
            plan = self._service.pull_from_meeting(
                self._plan_id(), meeting.meeting_id, expected_version=self._version()
            )
        except KoordinatorError as exc:
            self._error(exc.message)
            return
        self._load(plan)
        self._ok(f"Hentet fra {meeting.label}: parter og tilbud er tilføjet. Ret dem til, og gem.")
        self.plan_changed.emit(self._plan_id())

    def preview_draft(self) -> None:
        try:
            pdf = self._service.draft_pdf(self._plan_id(), self.form.content())
        except KoordinatorError as exc:
            self._error(exc.message)
            return
        self._show_pdf(pdf, f"{PLAN_TITLES[self._plan.kind]} (kladde)")

    def show_archived(self) -> None:
        document_id = self._plan.document_id
        if document_id is None or self._fetch_pdf is None:
            return
        try:
            pdf = self._fetch_pdf(document_id)
        except KoordinatorError as exc:
            self._error(exc.message)
            return
        self._show_pdf(pdf, PLAN_TITLES[self._plan.kind])

    def _show_pdf(self, pdf: bytes, title: str) -> None:
        self.preview = printing.print_preview(self, pdf, title)
        self.preview.open()

    def activate(self) -> None:
        """Sæt i kraft og skriv ud (Ctrl+Enter): a complete plan asks, in ``PlanIssueDialog``, the responsible
        overlæge's name and how each copy goes, then is issued; an incomplete one is refused at once with the
        service's message (the form's missing list says the rest)."""
        if self.read_only:
            return
        content = self.form.content()
        if any(e.field != "overlaege" for e in check_complete(self._plan.kind, content)):
            self._issue(content)  # refused by the service, with its message and the field to go to
            return
        dialog = PlanIssueDialog(self._plan.kind, content, today=self._today, revising=self._revising, parent=self)
        dialog.accepted.connect(lambda: self._issue(dialog.content()))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.issue_dialog = dialog
        dialog.open()

    def _issue(self, content: PlanContent) -> None:
        """Put the kladde in force (or issue the revised version): archived PDF, milestone event (E1/E2)."""
        try:
            plan, document = self._service.activate(self._plan_id(), content, expected_version=self._version())
        except ValidationError as exc:
            self._error(f"Ikke {'udstedt' if self._revising else 'sat i kraft'}: {exc.message}")
            self.form.focus_field(exc.field)
            return
        except ConflictError:
            self._resolve_conflict(content)  # a colleague saved first: the text stays; choose, then try again
            return
        except KoordinatorError as exc:
            self._error(exc.message)
            return
        revised = self._revising
        self._revising = False
        self.document = document
        self._state = None
        self._load(plan)
        verb = "Den nye version er udstedt" if revised else f"{DEFINITE[plan.kind].capitalize()} er sat i kraft"
        self._ok(f"{verb} og arkiveret som PDF under Dokumenter ({document.title}).")
        self.plan_changed.emit(self._plan_id())
        self.issued.emit(document)
        pdf = document.content
        if pdf is None and self._fetch_pdf is not None and document.id is not None:
            pdf = self._fetch_pdf(document.id)
        if pdf is not None:
            self._show_pdf(pdf, document.title)

    def start_revision(self) -> None:
        self._revising = True
        self._baseline = self.form.content()
        self._apply_mode()
        self._update_missing()
        self._ok("Ret planen, og tryk «Udsted ny version og skriv ud». Den gældende version bliver i historikken.")
        self.form.parties.setFocus()

    # -- closing -------------------------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc, "Luk" and the window's close button: unsaved changes are saved, thrown away, or kept open."""
        if self.dirty:
            if self._revising:
                answer = QMessageBox.question(
                    self,
                    self.windowTitle(),
                    "Rettelserne er ikke udstedt som en ny version. Luk og kassér dem? Den gældende version er "
                    "uændret.",
                    QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
            else:
                answer = QMessageBox.question(
                    self,
                    self.windowTitle(),
                    "Der er ændringer, som ikke er gemt. Gem kladden, før vinduet lukkes?",
                    QMessageBox.StandardButton.Save
                    | QMessageBox.StandardButton.Discard
                    | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Save,
                )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    return
            elif answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def open_plan_editor(
    parent: QWidget | None,
    service: PlanService,
    plan: DischargePlan,
    *,
    patient_name: str,
    meetings: Sequence[MeetingChoice] = (),
    state: Lifecycle | None = None,
    today: date,
    fetch_pdf: Callable[[int], bytes] | None = None,
) -> PlanEditorDialog:
    """Open the editor window-modally and return it."""
    dialog = PlanEditorDialog(
        service,
        plan,
        patient_name=patient_name,
        meetings=meetings,
        state=state,
        today=today,
        fetch_pdf=fetch_pdf,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
