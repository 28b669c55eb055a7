"""The Aftale/plan tab of an admission (E1–E3): is an udskrivningsaftale or koordinationsplan required, and why;
the admission's plans with their state today; new, open, end and versions.

The tab is a view: it emits requests, and ``PlanActions`` (wired by the main window) carries them out with the
``PlanService`` and the dialogs in ``plan_dialogs`` / ``plan_editor``.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import (
    PLAN_FACT_LABELS,
    PLAN_RULES,
    PLAN_TITLES,
    DischargePlan,
    Lifecycle,
    PlanState,
    PlanStatus,
    lifecycle,
)
from coordinator_app.domain.model import PlanFacts
from coordinator_app.ui.common.safe_text import literal, rich_label
from coordinator_app.ui.common.style import (
    ERROR_STYLE,
    INFO_STYLE,
    MUTED,
    OK_STYLE,
    WARNING_STYLE,
    buddy_label,
    text_label,
)
from coordinator_app.ui.common.widgets import OptionalDateField

if TYPE_CHECKING:  # part of the first screen, built before the storage layer (issue 7)
    from coordinator_app.services.plans import PlanPanel

#: Where each fact's check box gets its Alt-letter (the details panel already uses O, H, E, D, R, V, S, T, A).
FACT_MNEMONICS = {"afsnit_v_support": "ps&ykisk", "wont_seek_help": "so&ciale", "refuses_participation": "(§ 13 &b)"}


def _with_mnemonic(label: str, marked: str) -> str:
    return label.replace(marked.replace("&", ""), marked, 1)


def plan_state(panel: PlanPanel, plan: DischargePlan, today: date) -> Lifecycle:
    """The plan's lifecycle today: the service's (it knows about readmissions), else computed here."""
    return panel.states.get(plan.id or -1) or lifecycle(plan, today)


def warning_style(panel: PlanPanel, today: date) -> str:
    """Red once the deadline day has come or the patient has left without one; yellow before."""
    late = panel.overview.late(today, discharged=panel.admission.discharged)
    return ERROR_STYLE if late else WARNING_STYLE


def overview_line(panel: PlanPanel | None, today: date) -> tuple[str, str] | None:
    """One line for Overblik: the warning, or the required plan's state; None when there is nothing to say."""
    if panel is None:
        return None
    o = panel.overview
    if o.warning:
        return "⚠ " + o.warning, warning_style(panel, today)
    current = o.current
    if current is None:
        return None
    state = o.current_state or plan_state(panel, current, today)
    title = PLAN_TITLES[current.kind]
    rule = f" ({o.requirement.rule_id})" if o.requirement.rule_id else ""
    style = OK_STYLE if state.state in (PlanState.I_KRAFT, PlanState.KOMMENDE) else INFO_STYLE
    return f"{title}{rule}: {state.label}", style


class PlanTab(QWidget):
    facts_save_requested = Signal(int, object, object, int)  # admission id, PlanFacts, planned discharge, version
    new_requested = Signal(int)  # admission id
    open_requested = Signal(int, int)  # admission id, plan id
    end_requested = Signal(int, int)  # admission id, plan id
    versions_requested = Signal(int, int)  # admission id, plan id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._panel: PlanPanel | None = None
        self._today = date.today()
        self._plans: list[DischargePlan] = []

        # -- the facts that decide E1/E2 ----------------------------------------------------------------------
        self.fact_checks: dict[str, QCheckBox] = {}
        facts_box = QGroupBox("Krav om udskrivningsaftale eller koordinationsplan (E1, E2)")
        fl = QVBoxLayout(facts_box)
        for name, label in PLAN_FACT_LABELS:
            check = QCheckBox(_with_mnemonic(label, FACT_MNEMONICS[name]))
            check.toggled.connect(self._facts_edited)
            fl.addWidget(check)
            self.fact_checks[name] = check
        self.planned = OptionalDateField("Kendt:", self._today)
        self.planned.changed.connect(self._facts_edited)
        self.planned.edit.dateChanged.connect(self._facts_edited)
        self.planned.setToolTip(
            "Fristen for aftalen/planen (E1/E2) er den planlagte udskrivningsdag, ellers den "
            "forventede færdigbehandlingsdag."
        )
        self.save_facts_button = QPushButton("&Gem")
        self.save_facts_button.setToolTip("Gem kravene og den planlagte udskrivning")
        self.save_facts_button.clicked.connect(self._request_save_facts)
        row = QHBoxLayout()
        row.addWidget(buddy_label("Planlagt uds&krivning:", self.planned))
        row.addWidget(self.planned)
        row.addStretch(1)
        row.addWidget(self.save_facts_button)
        fl.addLayout(row)
        self.reason = text_label()
        fl.addWidget(self.reason)
        self.warning = text_label()
        self.warning.setAccessibleName("Advarsel om udskrivningsaftale")
        self.warning.hide()

        # -- the admission's plans ------------------------------------------------------------------------------
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Type", "Status", "Start", "Slut"])
        self.table.setAccessibleName("Aftaler og planer for indlæggelsen")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        date_width = self.table.fontMetrics().horizontalAdvance("00-00-00000") + 16
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, date_width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self._request("open"))
        self.previous_label = text_label(style=MUTED)

        self.new_button = QPushButton("&Ny udskrivningsaftale…")
        self.new_button.clicked.connect(self._request_new)
        self.open_button = QPushButton("&Åbn…")
        self.open_button.clicked.connect(lambda: self._request("open"))
        self.end_button = QPushButton("Afs&lut…")
        self.end_button.setToolTip("Afslut planen før slutdatoen (fx erstattet af en ny plan); begrundelse kræves")
        self.end_button.clicked.connect(lambda: self._request("end"))
        self.versions_button = QPushButton("Vers&ioner…")
        self.versions_button.setToolTip("Alle gemte versioner af planen (E3)")
        self.versions_button.clicked.connect(lambda: self._request("versions"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        for b in (self.open_button, self.end_button, self.versions_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addWidget(facts_box)
        layout.addWidget(self.warning)
        layout.addWidget(rich_label("<b>Udskrivningsaftaler og koordinationsplaner</b> for denne indlæggelse"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.previous_label)
        layout.addLayout(buttons)
        self.set_panel(None)

    # -- showing ----------------------------------------------------------------------------------------------
    @property
    def panel(self) -> PlanPanel | None:
        return self._panel

    def set_panel(self, panel: PlanPanel | None, today: date | None = None) -> None:
        self._panel = panel
        if today is not None:
            self._today = today
        self._plans = list(panel.plans) if panel is not None else []
        for w in (*self.fact_checks.values(), self.planned, self.new_button):
            w.setEnabled(panel is not None)
        if panel is None:
            self.reason.clear()
            self.warning.hide()
            self.table.setRowCount(0)
            self.previous_label.hide()
            self._selection_changed()
            self.save_facts_button.setEnabled(False)
            return
        a = panel.admission
        for name, check in self.fact_checks.items():
            check.blockSignals(True)
            check.setChecked(bool(getattr(a.plan_facts, name)))
            check.blockSignals(False)
        self.planned.blockSignals(True)
        self.planned.edit.blockSignals(True)
        self.planned.edit.set_value(a.planned_discharge or a.expected_faerdigbehandlet or self._today)
        self.planned.set_value(a.planned_discharge)
        self.planned.edit.blockSignals(False)
        self.planned.blockSignals(False)
        self._show_requirement(panel)
        self._fill_plans(panel)
        self._facts_edited()

    def _show_requirement(self, panel: PlanPanel) -> None:
        o = panel.overview
        reason = o.requirement.reason
        if o.due is not None and o.requirement.required:
            reason += f" Frist: {o.due:%d-%m-%Y}."
        self.reason.setText(reason)
        self.reason.setStyleSheet("" if o.requirement.required else MUTED)
        if o.warning:
            self.warning.setText("⚠ " + o.warning)
            self.warning.setStyleSheet(warning_style(panel, self._today))
            self.warning.show()
        elif o.requirement.required and o.current is not None and o.current_state is not None:
            title = PLAN_TITLES[o.current.kind]
            self.warning.setText(f"✓ Kravet er opfyldt ({o.requirement.rule_id}): {title} – {o.current_state.label}.")
            self.warning.setStyleSheet(OK_STYLE)
            self.warning.show()
        else:
            self.warning.hide()
        self.new_button.setText(f"&Ny {PLAN_TITLES[o.requirement.suggested_kind].lower()}…")

    def _fill_plans(self, panel: PlanPanel) -> None:
        selected = self.selected_plan()
        plans = list(reversed(self._plans))  # newest first
        self.table.setRowCount(len(plans))
        for i, p in enumerate(plans):
            state = plan_state(panel, p, self._today)
            c = p.content
            cells = (
                f"{PLAN_TITLES[p.kind]} ({PLAN_RULES[p.kind]})",
                state.label,
                f"{c.start:%d-%m-%Y}" if c.start else "",
                f"{c.end:%d-%m-%Y}" if c.end else "",
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if p.status is PlanStatus.AFSLUTTET and p.ended_reason:
                    item.setToolTip(literal(f"Afsluttet: {p.ended_reason}"))
                self.table.setItem(i, j, item)
        if plans:
            keep = next((i for i, p in enumerate(plans) if selected is not None and p.id == selected.id), 0)
            self.table.selectRow(keep)
        prev = panel.previous
        if prev is not None:
            c = prev.content
            period = f"{c.start:%d-%m-%Y}" if c.start else ""
            period += f" – {c.end:%d-%m-%Y}" if c.end else ""
            self.previous_label.setText(
                f"Forrige plan (tidligere indlæggelse): {PLAN_TITLES[prev.kind]} {period}. "
                "Den kan kopieres, når der laves en ny (E3)."
            )
            self.previous_label.show()
        else:
            self.previous_label.hide()
        self._selection_changed()

    def selected_plan(self) -> DischargePlan | None:
        rows = self.table.selectionModel().selectedRows()
        plans = list(reversed(self._plans))
        return plans[rows[0].row()] if rows and rows[0].row() < len(plans) else None

    def _selection_changed(self) -> None:
        plan = self.selected_plan()
        self.open_button.setEnabled(plan is not None)
        self.versions_button.setEnabled(plan is not None)
        can_end = False
        if plan is not None and self._panel is not None:
            can_end = not plan_state(self._panel, plan, self._today).ended
        self.end_button.setEnabled(can_end)

    # -- facts --------------------------------------------------------------------------------------------------
    def facts(self) -> PlanFacts:
        return PlanFacts(**{name: check.isChecked() for name, check in self.fact_checks.items()})

    def _facts_edited(self) -> None:
        panel = self._panel
        changed = panel is not None and (
            self.facts() != panel.admission.plan_facts or self.planned.value() != panel.admission.planned_discharge
        )
        self.save_facts_button.setEnabled(changed)

    def _request_save_facts(self) -> None:
        panel = self._panel
        if panel is None or panel.admission.id is None:
            return
        self.facts_save_requested.emit(
            panel.admission.id, self.facts(), self.planned.value(), panel.admission.version or 0
        )

    # -- requests ----------------------------------------------------------------------------------------------
    def _request_new(self) -> None:
        if self._panel is not None and self._panel.admission.id is not None:
            self.new_requested.emit(self._panel.admission.id)

    def _request(self, what: str) -> None:
        plan = self.selected_plan()
        if plan is None or plan.id is None or self._panel is None or self._panel.admission.id is None:
            return
        signal = {"open": self.open_requested, "end": self.end_requested, "versions": self.versions_requested}[what]
        if what == "end" and not self.end_button.isEnabled():
            return
        signal.emit(self._panel.admission.id, plan.id)


def overview_html(panel: PlanPanel | None, today: date) -> tuple[str, str] | None:
    """``overview_line`` as rich text with a link to the tab (the text itself is escaped)."""
    line = overview_line(panel, today)
    if line is None:
        return None
    text, style = line
    return f"{escape(text)} &nbsp;<a href='plan'>Aftale/plan …</a>", style


__all__ = ["PlanTab", "overview_html", "overview_line"]
