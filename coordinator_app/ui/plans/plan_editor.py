"""The udskrivningsaftale (§ 13 a) / koordinationsplan (§ 13 b) editor (E1–E3).

The fields are a ``PlanForm``; beside them, what ``check_complete`` still misses is listed live (a click goes to the
field). A kladde is saved as often as wanted (each save is a version) and can be filled from a netværksmøde;
putting it in force archives the PDF and shows it for printing. A plan in force opens read-only; "Ret og udsted ny
version" makes it editable and issues a new archived version.

Keys: Ctrl+S saves the kladde, Ctrl+Enter puts it in force (or issues the new version), Esc closes (asking about
unsaved changes). In the tables: type to edit, Tab to the next cell, Insert adds a row, Ctrl+Delete removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import (
    LEGAL_REFERENCES,
    PLAN_TITLES,
    DischargePlan,
    Lifecycle,
    PlanContent,
    PlanStatus,
    check_complete,
    lifecycle,
)
from coordinator_app.domain.errors import ConflictError, KoordinatorError, ValidationError
from coordinator_app.domain.model import ArchivedDocument
from coordinator_app.services.audit import LastChange
from coordinator_app.services.plans import MeetingChoice, PlanService
from coordinator_app.ui.common import printing
from coordinator_app.ui.common.conflict_dialog import ConflictChoice, ConflictDialog, changed_by_text, differences
from coordinator_app.ui.common.style import ERROR_STYLE, INFO_STYLE, MUTED, OK_STYLE, text_label
from coordinator_app.ui.plans.plan_conflict import (
    CONTENT_LABELS,
    content_values,
    last_saved,
    merged_content,
    plan_conflict_dialog,
)
from coordinator_app.ui.plans.plan_form import DEFINITE, PlanForm

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class PlanEditorDialog(QDialog):
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
        super().__init__(parent)
        assert plan.id is not None
        self._service = service
        self._plan = plan
        self._meetings = list(meetings)
        self._state = state
        self._patient_name = patient_name
        self._today = today
        self._fetch_pdf = fetch_pdf
        self._revising = False  # a plan in force made editable to issue a new version
        self._baseline = PlanContent()
        self.preview: QDialog | None = None  # the print preview last opened (kept alive while shown)
        self.document: ArchivedDocument | None = None  # the document archived from this dialog
        self.conflict_dialog: ConflictDialog | None = None  # open while the user decides (issue 8)
        kind = plan.kind
        self.setWindowTitle(f"{PLAN_TITLES[kind]} – {patient_name}")
        self.setSizeGripEnabled(True)
        self.setMinimumSize(860, 560)

        # -- header --------------------------------------------------------------------------------------------
        self.title = QLabel(f"{PLAN_TITLES[kind]} <span style='font-weight:normal'>({LEGAL_REFERENCES[kind]})</span>")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = text_label(style=MUTED)

        self.form = PlanForm(kind, today)
        self.form.changed.connect(self._changed)

        # -- side: status and what is missing ----------------------------------------------------------------
        self.state_label = text_label(style=INFO_STYLE)
        self.missing_title = QLabel()
        self.missing_title.setWordWrap(True)
        self.missing = QListWidget()
        self.missing.setAccessibleName("Mangler før planen kan sættes i kraft")
        self.missing.setWordWrap(True)
        self.missing.setToolTip("Klik på en linje for at gå til feltet")
        self.missing.itemClicked.connect(self._missing_clicked)
        self.missing.itemActivated.connect(self._missing_clicked)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.state_label)
        side.addWidget(self.missing_title)
        side.addWidget(self.missing, 1)
        side.addStretch(0)  # keeps the status box at the top when the list is hidden
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(300)

        body = QHBoxLayout()
        body.addWidget(self.form, 1)
        body.addWidget(side_widget)

        # -- messages and buttons ----------------------------------------------------------------------------
        self.error_label = text_label(style=ERROR_STYLE)
        self.error_label.setAccessibleName("Fejlbesked")
        self.error_label.hide()
        self.ok_label = text_label(style=OK_STYLE)
        self.ok_label.hide()

        def button(text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            if tip:
                b.setToolTip(tip)
            return b

        self.pull_button = button(
            "&Hent fra netværksmøde…", self.pull_from_meeting, "Deltagere bliver parter, aftaler bliver tilbud (C5)"
        )
        self.preview_button = button(
            "&Forhåndsvis (kladde)", self.preview_draft, "Vis planen som PDF med KLADDE – intet arkiveres"
        )
        self.archived_button = button(
            "Vis arkiveret P&DF", self.show_archived, "Den arkiverede PDF for versionen i kraft"
        )
        self.save_button = button("&Gem kladde", self.save, "Ctrl+S")
        self.activate_button = button("Sæt &i kraft og udskriv", self.activate, "Ctrl+Enter")
        self.revise_button = button(
            "Ret og udsted n&y version", self.start_revision, "Gør planen redigerbar; den nye version arkiveres som PDF"
        )
        self.close_button = button("&Luk", self.reject)
        bottom = QHBoxLayout()
        for b in (self.pull_button, self.preview_button, self.archived_button):
            bottom.addWidget(b)
        bottom.addStretch(1)
        for b in (self.revise_button, self.save_button, self.activate_button, self.close_button):
            bottom.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.ok_label)
        layout.addLayout(bottom)

        for keys, slot in (
            (["Ctrl+S"], self.save),
            (["Ctrl+Return", "Ctrl+Enter"], self.activate),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.activated.connect(slot)

        self._load(plan)
        self.resize(1180, 860)
        self.form.parties.setFocus()

    # -- state ---------------------------------------------------------------------------------------------
    @property
    def plan(self) -> DischargePlan:
        return self._plan

    @property
    def in_force(self) -> bool:
        return self._plan.status is not PlanStatus.KLADDE

    @property
    def read_only(self) -> bool:
        return self.in_force and not self._revising

    @property
    def dirty(self) -> bool:
        return not self.read_only and self.form.content() != self._baseline

    def _dirty_now(self) -> bool:
        return not self.read_only and self.form.content(commit=False) != self._baseline

    def _load(self, plan: DischargePlan) -> None:
        """Fill every field from ``plan`` (after opening, a pull from a meeting, or a save that changed it)."""
        self._plan = plan
        self.form.load(plan.content)
        self._baseline = self.form.content()
        self._apply_mode()
        self._changed()

    def _apply_mode(self) -> None:
        read_only = self.read_only
        kladde = not self.in_force
        self.form.set_read_only(read_only)
        self.pull_button.setVisible(kladde)
        self.pull_button.setEnabled(bool(self._meetings))
        if not self._meetings:
            self.pull_button.setToolTip("Patienten har ingen netværksmøder at hente fra.")
        self.preview_button.setVisible(not read_only)
        self.archived_button.setVisible(self.in_force and self._plan.document_id is not None)
        self.save_button.setVisible(kladde)
        self.activate_button.setVisible(not read_only)
        self.activate_button.setText("Udsted n&y version og udskriv" if self._revising else "Sæt &i kraft og udskriv")
        self.revise_button.setVisible(read_only and not self._state_now().ended)
        self._show_state()

    def _state_now(self) -> Lifecycle:
        if self._state is not None and self._plan.status is PlanStatus.I_KRAFT and not self._revising:
            return self._state
        return lifecycle(self._plan, self._today)

    def _show_state(self) -> None:
        p = self._plan
        parts = [self._state_now().label]
        if self._revising:
            parts.append("Du retter planen: en ny version udstedes og arkiveres, når du trykker «Udsted ny version».")
        if p.activated_on:
            parts.append(f"Sat i kraft {p.activated_on:%d-%m-%Y}")
        if p.ended_on:
            parts.append(f"Afsluttet {p.ended_on:%d-%m-%Y}: {p.ended_reason}")
        if p.created_by:
            parts.append(f"Oprettet af {p.created_by}")
        self.state_label.setText("\n".join(parts))
        source = " · indhold hentet fra et netværksmøde" if p.source_meeting_id else ""
        self.subtitle.setText(f"{self._patient_name}{source}")

    def _changed(self) -> None:
        if self._dirty_now():
            self.ok_label.hide()
        self._update_missing()

    def _update_missing(self) -> None:
        if self.read_only:
            self.missing_title.setText("")
            self.missing_title.setStyleSheet("")
            self.missing.hide()
            return
        problems = check_complete(self._plan.kind, self.form.content(commit=False))
        self.missing.clear()
        for problem in problems:
            item = QListWidgetItem(f"• {problem.message}")
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            item.setToolTip(f"{problem.message}\nRegel {problem.rule}" if problem.rule else problem.message)
            self.missing.addItem(item)
        if problems:
            verb = "udstedes" if self._revising else "sættes i kraft"
            self.missing_title.setText(f"Mangler før den kan {verb} ({len(problems)}):")
            self.missing_title.setStyleSheet("QLabel { font-weight: bold; }")
            self.missing.show()
        else:
            ready = "udstedt som ny version" if self._revising else "sat i kraft"
            self.missing_title.setText(f"✓ Alt nødvendigt er udfyldt – klar til at blive {ready}.")
            self.missing_title.setStyleSheet(OK_STYLE)
            self.missing.hide()

    def _missing_clicked(self, item: QListWidgetItem) -> None:
        self.form.focus_field(item.data(Qt.ItemDataRole.UserRole))

    # -- operations -----------------------------------------------------------------------------------------
    def _plan_id(self) -> int:
        assert self._plan.id is not None
        return self._plan.id

    def _version(self) -> int:
        return self._plan.version or 0

    def _error(self, message: str) -> None:
        self.ok_label.hide()
        self.error_label.setText("⚠ " + message)
        self.error_label.show()

    def _ok(self, message: str) -> None:
        self.error_label.hide()
        self.ok_label.setText("✓ " + message)
        self.ok_label.show()

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
                "Dine ændringer står oven i den gældende version. Tryk «Udsted ny version og udskriv» (Ctrl+Enter) "
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
        """Put the kladde in force (or issue the revised version): archived PDF, milestone event (E1/E2)."""
        if self.read_only:
            return
        content = self.form.content()
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
        self._ok("Ret planen, og tryk «Udsted ny version og udskriv». Den gældende version bliver i historikken.")
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
