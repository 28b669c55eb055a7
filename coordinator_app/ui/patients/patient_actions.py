"""What the user does to an admission from the Patienter tab: new and edit admission (Filer → Ny indlæggelse…,
Ctrl+E, double-click), Vurder scenarie…, Send … (notifications), Registrér som udført… (a milestone note, the
deadline action of A3, A4, D1, …), Korrigér (corrections), the documents (open, print, save as PDF, issue again),
Samtykker… — and the ambulant patient a new meeting is for (Møder tab).

Each action opens its dialog over the window and, when it wrote something, lets the tab (``PatientsTab``)
refresh and show the admission. The dialog modules load when first opened (issue 7: start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import EventKind, Kommune
from coordinator_app.domain.reference import Centre
from coordinator_app.lazy import lazy_import
from coordinator_app.services.registry import Services
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.patients.patients_tab import PatientsTab

if TYPE_CHECKING:
    from coordinator_app.services.milestones import MilestoneResult
    from coordinator_app.services.notifications import SendResult
    from coordinator_app.ui.common import printing
    from coordinator_app.ui.patients import (
        admission_dialog,
        ambulant_patient_dialog,
        consent_dialog,
        milestone_dialog,
        notification_dialog,
        scenario_wizard,
    )
else:
    printing = lazy_import("coordinator_app.ui.common.printing")
    admission_dialog = lazy_import("coordinator_app.ui.patients.admission_dialog")
    ambulant_patient_dialog = lazy_import("coordinator_app.ui.patients.ambulant_patient_dialog")
    consent_dialog = lazy_import("coordinator_app.ui.patients.consent_dialog")
    milestone_dialog = lazy_import("coordinator_app.ui.patients.milestone_dialog")
    notification_dialog = lazy_import("coordinator_app.ui.patients.notification_dialog")
    scenario_wizard = lazy_import("coordinator_app.ui.patients.scenario_wizard")


class PatientActions(QObject):
    """The admission actions of ``tab``, with dialogs over ``window``. ``message``: a text for the status bar;
    ``ambulant_chosen(patient id)``: the patient of a new ambulant meeting (``choose_ambulant_patient``)."""

    message = Signal(str)
    ambulant_chosen = Signal(int)

    def __init__(self, window: QWidget, services: Services, tab: PatientsTab, *, centres: Sequence[Centre]) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._tab = tab
        self._centres = list(centres)
        self._kommuner: list[Kommune] | None = None
        self.open_dialog: QDialog | None = None  # the last dialog opened from here, kept alive while open
        #: Opens the Kontaktbog over a dialog on a kommune's entrance (the shell sets it: contacts is another feature).
        self.open_contacts: Callable[[QWidget, str | None], QDialog] | None = None
        tab.table.doubleClicked.connect(lambda _i: self.edit_selected())
        details = tab.details
        details.edit_requested.connect(self.edit_admission)
        details.assess_requested.connect(self.assess_scenario)
        details.action_requested.connect(self.send_notification)
        details.correct_requested.connect(self.correct_event)
        details.document_requested.connect(self.document_action)
        details.consents_requested.connect(self.edit_consents)

    # -- new and edit admission -------------------------------------------------------------------------------
    def kommune_list(self) -> list[Kommune]:
        if self._kommuner is None:
            self._kommuner = self._services.admissions.kommuner()
        return self._kommuner

    @property
    def centres(self) -> list[Centre]:
        return self._centres

    def new_admission(self) -> None:
        admissions = self._services.admissions
        try:
            own_ward = admissions.own_ward()  # issue 16: the ward's own centre and afsnit, as the title names it
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = admission_dialog.AdmissionDialog(
            admissions,
            kommuner=self.kommune_list(),
            centres=self._centres,
            today=self._services.ctx.clock.today(),
            own_ward=own_ward,
            parent=self._window,
        )
        self._run_admission_dialog(dialog)

    def edit_selected(self) -> None:
        admission_id = self._tab.selected_admission_id()
        if admission_id is not None:
            self.edit_admission(admission_id)

    def edit_admission(self, admission_id: int) -> None:
        try:
            details = self._services.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = admission_dialog.AdmissionDialog(
            self._services.admissions,
            kommuner=self.kommune_list(),
            centres=self._centres,
            today=self._services.ctx.clock.today(),
            existing=details,
            parent=self._window,
        )
        self._run_admission_dialog(dialog)

    def _run_admission_dialog(self, dialog: admission_dialog.AdmissionDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._admission_dialog_done(dialog))
        dialog.open()
        self.open_dialog = dialog

    def _admission_dialog_done(self, dialog: admission_dialog.AdmissionDialog) -> None:
        changes = dialog.changes
        self.open_dialog = None
        if changes is not None:
            self._tab.show_saved(changes.admission_id)

    # -- scenario, notifications, corrections --------------------------------------------------------------
    def assess_scenario(self, admission_id: int) -> None:
        try:
            details = self._services.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        wizard = scenario_wizard.open_scenario_wizard(
            self._window, self._services.scenarios, details, self._services.ctx.clock.today()
        )
        wizard.finished.connect(lambda _r: self._after_change(admission_id, wizard.changes is not None))
        wizard.finished.connect(wizard.deleteLater)
        self.open_dialog = wizard

    def send_notification(self, admission_id: int, kind_value: str) -> None:
        kind = EventKind(kind_value)
        try:
            details = self._services.admissions.details(admission_id)
            consents = self._services.consents.for_patient(details.patient.id or 0)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = notification_dialog.NotificationDialog(
            self._services.notifications,
            details,
            kind,
            consents=consents,
            now=self._services.ctx.clock.now(),
            open_contacts=self.open_contacts,
            parent=self._window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._notification_done(admission_id, dialog.result_value))
        dialog.open()
        self.open_dialog = dialog

    def _notification_done(self, admission_id: int, result: SendResult | None) -> None:
        self.open_dialog = None
        if result is None:
            return
        message = "Registreret."
        if result.document_id is not None:
            message = "Sendt og registreret – blanketten er gemt under Dokumenter."
        self.message.emit(message)
        self._after_change(admission_id, True)

    def record_milestone(self, admission_id: int, rule_key: str) -> None:
        """Registrér som udført… for the duty ``rule_key`` (a milestone note; ``services.milestones``)."""
        try:
            details = self._services.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = milestone_dialog.MilestoneDialog(
            self._services.milestones, details, rule_key, now=self._services.ctx.clock.now(), parent=self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._milestone_done(admission_id, dialog.result_value))
        dialog.open()
        self.open_dialog = dialog

    def _milestone_done(self, admission_id: int, result: MilestoneResult | None) -> None:
        self.open_dialog = None
        if result is None:
            return
        self.message.emit("Registreret som udført.")
        self._after_change(admission_id, True)

    def _after_change(self, admission_id: int, changed: bool) -> None:
        self.open_dialog = None
        self._tab.after_change(admission_id, changed)

    def correct_event(self, event_id: int) -> None:
        reason, ok = QInputDialog.getText(
            self._window,
            "Korrigér hændelse",
            "Hvorfor var registreringen forkert? Hændelsen bliver stående i historikken med en korrektion.",
        )
        if not ok:
            return
        admission_id = self._tab.selected_admission_id()
        try:
            self._services.notifications.correct(event_id, reason)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        self.message.emit("Korrektionen er registreret.")
        if admission_id is not None:
            self._after_change(admission_id, True)

    # -- documents and consents -------------------------------------------------------------------------------
    def document_action(self, document_id: int, what: str) -> None:
        if what == "reissue":
            self.reissue_document(document_id)
            return
        name = f"koordinator-dokument-{document_id}.pdf"
        if what == "save":  # an export (services.exports): encrypted, except a demo's fictitious documents; logged
            printing.save_document_as(
                self._window,
                self._services.exports,
                document_id,
                name,
                saved=lambda path: self.message.emit(f"Gemt: {path}"),
            )
            return
        # The audit log (issue 8) says what was done with the document: printed or looked at.
        use = AuditAction.UDSKRIV if what == "print" else AuditAction.VIS
        try:
            content = self._services.documents.content(document_id, use=use)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        if what == "print":
            dialog = printing.print_preview(self._window, content, name)
            dialog.open()
            self.open_dialog = dialog
        else:
            try:
                printing.open_externally(content, name)
            except OSError as exc:
                QMessageBox.warning(self._window, "Koordinator", literal(printing.save_error_message(Path(name), exc)))

    def reissue_document(self, document_id: int) -> None:
        """Issue the form again from today's data: a new archived document; the old one is kept (issue 4)."""
        admission_id = self._tab.selected_admission_id()
        try:
            self._services.documents.reissue(document_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        self.message.emit("Dokumentet er udstedt igen som et nyt dokument.")
        if admission_id is not None:
            self._tab.show_admission(admission_id)

    def edit_consents(self, admission_id: int) -> None:
        try:
            details = self._services.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog = consent_dialog.ConsentDialog(
            self._services.consents,
            patient_id=details.patient.id or 0,
            admission_id=admission_id,
            patient_name=details.patient.name,
            today=self._services.ctx.clock.today(),
            parent=self._window,
        )
        dialog.open()
        self.open_dialog = dialog

    # -- an ambulant patient (Møder → Nyt møde (ambulant)…) ----------------------------------------------------
    def choose_ambulant_patient(self) -> None:
        """Who a netværksmøde during ambulant treatment (no admission) is for: found by CPR or created; then
        ``ambulant_chosen`` names the patient (the meeting feature schedules the meeting)."""
        who = ambulant_patient_dialog.open_ambulant_patient_dialog(self._window, self._services.admissions)

        def chosen() -> None:
            if who.patient is not None and who.patient.id is not None:
                self.ambulant_chosen.emit(who.patient.id)

        who.accepted.connect(chosen)
        self.open_dialog = who
