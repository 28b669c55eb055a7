"""The last page of the scenario wizard: the plan ``ScenarioService.preview`` gives for the answers (scenario,
branch, each step with its deadline, recipient kommune and rule), what it cannot do yet (``scenarios.plan_notes``),
and "Gem vurdering" (``ScenarioService.assess``). A refusal is shown here in Danish with the page it concerns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.scenarios import plan_notes
from coordinator_app.domain.special_groups import RECIPIENT_LABELS
from coordinator_app.services.scenario import PlanView
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import WARNING_STYLE, text_label
from coordinator_app.ui.patients.scenario_pages import _Page

if TYPE_CHECKING:  # the wizard builds the page; it reads the answers through it
    from coordinator_app.ui.patients.scenario_wizard import ScenarioWizard

NO_DATE = "ingen fast dato"
#: Where the answer behind a field the service refuses was given (short page names for the message).
FIELD_PAGES = {
    "judged_by": "Forventet færdigbehandlet",
    "expected_faerdigbehandlet": "Forventet færdigbehandlet",
    "homeless": "Særlige forhold",
    "given_to": "Samtykke",
    "scope": "Samtykke",
    "given_on": "Samtykke",
    "consent": "Samtykke",
}


class PlanPage(_Page):
    """The plan the answers give (``ScenarioService.preview``); Finish saves it (``assess``)."""

    HEADERS = ("Hvad", "Senest", "Modtager", "Regel")

    def __init__(self, wizard: ScenarioWizard) -> None:
        super().__init__(
            "Planen: det skal afsnittet gøre over for kommunen",
            "Tjek planen. »Gem vurdering« gemmer svarene på indlæggelsen og i historikken; fristerne "
            "beregnes derefter ud fra hændelserne. Netværksmødets frist (C2) dateres, når indkaldelsen "
            "registreres.",
        )
        self._wizard = wizard
        self.plan: PlanView | None = None
        self.scenario_label = plain_label()
        font = self.scenario_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.scenario_label.setFont(font)
        self.scenario_label.setWordWrap(True)
        self.branch_label = text_label()
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setAccessibleName("Planens trin")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setStyleSheet("QTableWidget::item { padding: 2px 6px; } QHeaderView::section { padding: 2px 6px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.notes = text_label(style=WARNING_STYLE)
        for widget in (self.scenario_label, self.branch_label, self.table, self.notes):
            self.content.addWidget(widget)

    def initializePage(self) -> None:
        self.clear_error()
        self.plan = None
        try:
            self.plan = self._wizard.service.preview(self._wizard.admission_id, self._wizard.assessment())
        except KoordinatorError as exc:
            self.show_error(exc.message)
        self._show(self.plan)

    def _show(self, plan: PlanView | None) -> None:
        self.scenario_label.setText(plan.label if plan else "")
        branch = plan.branch if plan else None
        if branch == "B4":
            text = "B4: kan udskrives, før indsatsen er på plads – ingen varsling og ingen færdigmelding."
        elif branch == "B5":
            text = "B5: kan ikke udskrives, før indsatsen er på plads – varsling og færdigmelding."
        elif plan is not None and plan.scenario is None:
            text = (
                "Ingen tværsektoriel meldepligt efter B1–B5. Børn i familien (A4), netværksmøder (C) og "
                "udskrivningsaftale/koordinationsplan (E) gælder stadig."
            )
        else:
            text = ""
        self.branch_label.setText(text)
        self.branch_label.setVisible(bool(text))
        steps = plan.steps if plan else ()
        self.table.setVisible(bool(steps))
        self.table.setRowCount(len(steps))
        for row, step in enumerate(steps):
            role = RECIPIENT_LABELS.get(step.recipient_role or "", "")
            if step.kommune_name:
                recipient = f"{step.kommune_name} ({role.lower()})" if role else step.kommune_name
                if step.secure_mail:
                    recipient += f"\nSikker mail: {step.secure_mail}"
            else:
                recipient = f"{role} – ikke registreret" if role else "–"
            due = f"{step.due:%d-%m-%Y}" if step.due else NO_DATE
            for col, text in enumerate((step.label, due, recipient, step.rule)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.selectionModel().clearCurrentIndex()  # no focus frame on the first cell
        wizard = self._wizard
        notes = plan_notes(
            branch,
            wizard.expected_page.date.value(),
            wants_to_leave=wizard.flags_page.boxes["wants_to_leave"].isChecked(),
            consent_given=wizard.consent_page.method() is not None,
        )
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def validatePage(self) -> bool:
        """Finish: save the assessment. A refusal is shown here in Danish; nothing the user chose is lost."""
        try:
            changes = self._wizard.service.assess(self._wizard.admission_id, self._wizard.assessment())
        except KoordinatorError as exc:
            message = exc.message
            page = FIELD_PAGES.get(getattr(exc, "field", None) or "")
            if page is not None:
                message += f" (Svaret står på siden »{page}« – tryk Tilbage for at ændre det.)"
            self.show_error(message)
            return False
        self._wizard.changes = changes
        self._wizard.assessed.emit(changes)
        return True
