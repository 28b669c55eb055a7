"""What the Aftale/plan tab's buttons do (E1–E3): save the facts, start a new plan (blank, copied from the previous
plan, or pulled from a netværksmøde), open the editor, end a plan with a reason, and list its versions.

``PlanActions`` is wired once by the main window; it tells it when an admission changed so the list (the next
deadline: E1/E2) and the details are refreshed. The dialogs it opens are in ``plan_new_dialog`` (Ny aftale eller
plan), ``plan_versions_dialog`` (Versioner) and ``plan_editor``; they stay importable from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from coordinator_app.domain.discharge_plans import PLAN_TITLES, PlanStatus
from coordinator_app.domain.errors import ConflictError, KoordinatorError, ValidationError
from coordinator_app.domain.model import PlanFacts
from coordinator_app.services.audit import LastChange
from coordinator_app.services.plans import PlanPanel, PlanService
from coordinator_app.ui.common.conflict_dialog import ConflictChoice, ConflictDialog, changed_by_text, differences
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.plans.plan_conflict import FACT_LABELS, facts_values, merged_facts, plan_conflict_dialog
from coordinator_app.ui.plans.plan_editor import PlanEditorDialog, open_plan_editor
from coordinator_app.ui.plans.plan_form import DEFINITE
from coordinator_app.ui.plans.plan_new_dialog import NewPlanDialog
from coordinator_app.ui.plans.plan_tab import PlanTab
from coordinator_app.ui.plans.plan_versions_dialog import VersionsDialog

__all__ = ["NewPlanDialog", "PlanActions", "VersionsDialog"]


class PlanActions(QObject):
    """Carries out the tab's requests. ``changed(admission id)`` after every write; ``message`` for the status bar."""

    changed = Signal(int)
    message = Signal(str)

    def __init__(
        self,
        window: QWidget,
        service: PlanService,
        *,
        today: Callable[[], date],
        fetch_pdf: Callable[[int], bytes] | None = None,
        last_change: Callable[[int], LastChange | None] | None = None,
    ) -> None:
        """``last_change(admission id)``: who saved the admission last (``AdmissionService.last_change``), named
        when a save of the facts loses to a colleague's (issue 8)."""
        super().__init__(window)
        self._window = window
        self._service = service
        self._today = today
        self._fetch_pdf = fetch_pdf
        self.last_change = last_change
        self.dialog: QDialog | None = None  # the dialog last opened (tests and screenshots look at it)
        self.conflict_dialog: ConflictDialog | None = None  # open while the user decides (issue 8)

    def connect_tab(self, tab: PlanTab) -> None:
        tab.facts_save_requested.connect(self.save_facts)
        tab.new_requested.connect(self.new_plan)
        tab.open_requested.connect(self.open_plan)
        tab.end_requested.connect(self.end_plan)
        tab.versions_requested.connect(self.show_versions)
        self._tab = tab

    def _panel(self, admission_id: int) -> PlanPanel | None:
        try:
            return self._service.panel(admission_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return None

    def save_facts(self, admission_id: int, facts: PlanFacts, planned: date | None, version: int) -> None:
        panel = self._tab.panel
        read = (
            (panel.admission.plan_facts, panel.admission.planned_discharge)
            if panel is not None and panel.admission.id == admission_id
            else (facts, planned)
        )
        try:
            self._service.set_facts(admission_id, facts, planned, expected_version=version)
        except ConflictError:
            self._facts_conflict(admission_id, (facts, planned), read)  # a colleague saved first: ask, keep mine
            return
        except ValidationError as exc:
            show_error(self._window, exc)
            if exc.field == "planned_discharge":
                self._tab.planned.setFocus()
            return
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        self.message.emit("Kravene og den planlagte udskrivning er gemt.")
        self.changed.emit(admission_id)

    # -- a save of the facts that lost to a colleague's (optimistic locking, issue 8) -------------------------
    def _facts_conflict(
        self, admission_id: int, mine: tuple[PlanFacts, date | None], read: tuple[PlanFacts, date | None]
    ) -> None:
        """The tab shows what the colleague saved with the user's ticks and date put back on top (not saved), and
        the user chooses: save theirs as well, fetch the stored ones, or go on editing."""
        try:
            stored = self._service.panel(admission_id)
            last = self.last_change(admission_id) if self.last_change is not None else None
        except KoordinatorError as exc:  # the database is gone: the tab still holds the user's values
            show_error(self._window, exc)
            return
        theirs = (stored.admission.plan_facts, stored.admission.planned_discharge)
        diffs = differences(
            FACT_LABELS, mine=facts_values(*mine), read=facts_values(*read), stored=facts_values(*theirs)
        )
        merged = merged_facts(mine, read, theirs)
        self.changed.emit(admission_id)  # the list and the tab show what the colleague saved …
        self._show_facts(stored, merged)  # … with the user's values back on top, not saved yet
        who = changed_by_text(last)
        dialog = plan_conflict_dialog(
            what="indlæggelsen",
            diffs=diffs,
            last=last,
            keep_text="&Gem mine",
            keep_hint=(
                "<b>Gem mine</b>: dine valg gemmes oven på de gemte; det, som kun din kollega har ændret, beholdes."
            ),
            parent=self._window,
        )
        dialog.setWindowTitle("Kravene er ændret af en anden bruger")

        def decided(_result: int) -> None:
            self.conflict_dialog = None
            choice = dialog.choice
            dialog.deleteLater()
            if choice is ConflictChoice.CANCEL:
                self.message.emit(
                    "Intet er gemt. Dine valg står under Aftale/plan oven på de gemte; tryk Gem for at gemme dem."
                )
                return
            if choice is ConflictChoice.RELOAD:
                fresh = self._panel(admission_id)
                if fresh is not None:
                    self._show_facts(fresh, (fresh.admission.plan_facts, fresh.admission.planned_discharge))
                self.changed.emit(admission_id)
                self.message.emit(f"Fanen viser nu det, {who} gemte. Dine valg er kasseret.")
                return
            try:
                self._service.set_facts(admission_id, *merged, expected_version=stored.admission.version or 0)
            except ConflictError:
                self._facts_conflict(admission_id, mine, read)  # yet another save meanwhile: ask again
                return
            except KoordinatorError as exc:  # the tab still holds the user's values
                show_error(self._window, exc)
                return
            self.message.emit("Dine valg er gemt oven på kollegaens. Kravene og den planlagte udskrivning er gemt.")
            self.changed.emit(admission_id)

        dialog.finished.connect(decided)
        self.conflict_dialog = dialog
        self.dialog = dialog
        dialog.open()

    def _show_facts(self, stored: PlanPanel, values: tuple[PlanFacts, date | None]) -> None:
        """Show ``stored`` on the tab (if the main window did not already) with ``values`` in the check boxes and
        the date: the Gem button is enabled when they differ from the stored ones."""
        tab = self._tab
        current = tab.panel
        if current is None or current.admission.id != stored.admission.id:
            return  # the user is looking at another admission: nothing to show
        if (current.admission.version or 0) < (stored.admission.version or 0):
            tab.set_panel(stored, self._today())
        facts, planned = values
        for name, check in tab.fact_checks.items():
            check.setChecked(bool(getattr(facts, name)))
        tab.planned.set_value(planned)

    def new_plan(self, admission_id: int) -> None:
        panel = self._panel(admission_id)
        if panel is None:
            return
        dialog = NewPlanDialog(panel, self._window)
        self.dialog = dialog

        def chosen() -> None:
            try:
                plan = self._service.create(
                    admission_id, dialog.kind(), from_meeting_id=dialog.meeting_id(), copy_previous=dialog.copy()
                )
            except KoordinatorError as exc:
                show_error(self._window, exc)
                return
            self.changed.emit(admission_id)
            self._edit(panel, plan.id or 0)

        dialog.accepted.connect(chosen)
        dialog.open()

    def work_on_required_plan(self, admission_id: int) -> None:
        """E1/E2 from a deadline's action (issue 16): the admission's newest kladde opens in the editor; without
        one, Ny aftale eller plan with the required kind preselected, then the editor."""
        panel = self._panel(admission_id)
        if panel is None:
            return
        draft = next((p for p in reversed(panel.plans) if p.status is PlanStatus.KLADDE and p.id is not None), None)
        if draft is not None and draft.id is not None:
            self._edit(panel, draft.id)
        else:
            self.new_plan(admission_id)

    def open_plan(self, admission_id: int, plan_id: int) -> None:
        panel = self._panel(admission_id)
        if panel is not None:
            self._edit(panel, plan_id)

    def _edit(self, panel: PlanPanel, plan_id: int) -> PlanEditorDialog | None:
        plans = {p.id: p for p in panel.plans}
        if plan_id not in plans:
            fresh = self._panel(panel.admission.id or 0)
            if fresh is None:
                return None
            panel, plans = fresh, {p.id: p for p in fresh.plans}
        plan = plans.get(plan_id)
        if plan is None:
            return None
        admission_id = plan.admission_id
        editor = open_plan_editor(
            self._window,
            self._service,
            plan,
            patient_name=panel.patient_name,
            meetings=panel.meetings,
            state=panel.states.get(plan_id),
            today=self._today(),
            fetch_pdf=self._fetch_pdf,
        )
        editor.plan_changed.connect(lambda _id: self.changed.emit(admission_id))
        editor.issued.connect(lambda doc: self.message.emit(f"Arkiveret under Dokumenter: {doc.title}"))
        self.dialog = editor
        return editor

    def end_plan(self, admission_id: int, plan_id: int) -> None:
        panel = self._panel(admission_id)
        plan = next((p for p in panel.plans if p.id == plan_id), None) if panel else None
        if plan is None:
            return
        title = PLAN_TITLES[plan.kind]
        the = DEFINITE[plan.kind]
        reason, ok = QInputDialog.getText(
            self._window,
            f"Afslut {title.lower()}",
            f"Hvorfor afsluttes {the} før slutdatoen? (fx erstattet af en ny, patienten er flyttet)",
        )
        if not ok:
            return
        if not reason.strip():
            show_error(self._window, ValidationError("Skriv en begrundelse. Intet er afsluttet.", rule="E3"))
            return
        today = self._today()
        what = "Kladden kasseres" if plan.status is PlanStatus.KLADDE else f"{the.capitalize()} ophører"
        answer = QMessageBox.question(
            self._window,
            f"Afslut {title.lower()}",
            literal(
                f"Afslut {the} i dag ({today:%d-%m-%Y})?\n\n{what}; den kan ikke sættes i kraft igen. "
                f"Historikken beholder alle versioner.\n\nBegrundelse: {reason.strip()}"
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.end(plan_id, reason.strip(), expected_version=plan.version or 0)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            self.changed.emit(admission_id)
            return
        self.message.emit(f"{the.capitalize()} er afsluttet.")
        self.changed.emit(admission_id)

    def show_versions(self, admission_id: int, plan_id: int) -> None:
        panel = self._panel(admission_id)
        plan = next((p for p in panel.plans if p.id == plan_id), None) if panel else None
        if panel is None or plan is None:
            return
        try:
            versions = self._service.versions(plan_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = VersionsDialog(f"{PLAN_TITLES[plan.kind]} – {panel.patient_name}", versions, self._window)
        self.dialog = dialog
        dialog.open()
