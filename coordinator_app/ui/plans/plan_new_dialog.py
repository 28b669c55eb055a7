"""Ny aftale eller plan (E1–E3): which kind – the required one preselected, with the reason – and where its content
comes from: a netværksmøde, the previous plan (E3), or the ward, the kommune and the egen læge filled in.
``PlanActions`` (``plan_dialogs``) opens it and creates the plan.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import LEGAL_REFERENCES, PLAN_TITLES, PlanKind, PlanStatus
from coordinator_app.services.plans import PlanPanel
from coordinator_app.ui.common.style import INFO_STYLE, MUTED, WARNING_STYLE, text_label


class NewPlanDialog(QDialog):
    """Which kind (the required one preselected) and where the content comes from."""

    def __init__(self, panel: PlanPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Ny aftale eller plan – {panel.patient_name}")
        self.setMinimumWidth(620)
        req = panel.overview.requirement
        kind = req.suggested_kind
        self._has_meetings = bool(panel.meetings)
        self._has_previous = panel.previous is not None

        reason = text_label(req.reason, INFO_STYLE if req.required else MUTED)
        self.aftale = QRadioButton(f"&Udskrivningsaftale ({LEGAL_REFERENCES[PlanKind.UDSKRIVNINGSAFTALE]})")
        self.plan = QRadioButton(
            f"&Koordinationsplan ({LEGAL_REFERENCES[PlanKind.KOORDINATIONSPLAN]}) – uden patienten"
        )
        (self.aftale if kind is PlanKind.UDSKRIVNINGSAFTALE else self.plan).setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.aftale)
        kinds.addButton(self.plan)
        kind_box = QGroupBox("Type")
        kl = QVBoxLayout(kind_box)
        kl.addWidget(self.aftale)
        kl.addWidget(self.plan)

        self.from_meeting = QRadioButton("Hent fra &netværksmøde:")
        self.meeting = QComboBox()
        for m in panel.meetings:
            self.meeting.addItem(f"{m.label} · {m.agreements} aftale{'r' if m.agreements != 1 else ''}", m.meeting_id)
        self.copy_previous = QRadioButton("&Kopiér fra forrige plan")
        self.blank = QRadioButton("&Start med afdeling, kommune og egen læge udfyldt")
        sources = QButtonGroup(self)
        source_box = QGroupBox("Indhold")
        sl = QGridLayout(source_box)
        row = 0
        if panel.meetings:
            sources.addButton(self.from_meeting)
            sl.addWidget(self.from_meeting, row, 0)
            sl.addWidget(self.meeting, row, 1)
            self.meeting.setEnabled(True)
            self.from_meeting.toggled.connect(self.meeting.setEnabled)
            row += 1
        if panel.previous is not None:
            prev = panel.previous
            c = prev.content
            period = f" ({c.start:%d-%m-%Y} – {c.end:%d-%m-%Y})" if c.start and c.end else ""
            self.copy_previous.setText(f"&Kopiér fra forrige plan: {PLAN_TITLES[prev.kind]}{period}")
            self.copy_previous.setToolTip("Parter og tilbud kopieres; ny periode, ingen tilslutning, intet sendt (E3)")
            sources.addButton(self.copy_previous)
            sl.addWidget(self.copy_previous, row, 0, 1, 2)
            row += 1
        sources.addButton(self.blank)
        sl.addWidget(self.blank, row, 0, 1, 2)
        sl.setColumnStretch(1, 1)
        first = self.from_meeting if panel.meetings else self.copy_previous if panel.previous else self.blank
        first.setChecked(True)
        self.from_meeting.setVisible(bool(panel.meetings))
        self.meeting.setVisible(bool(panel.meetings))
        self.copy_previous.setVisible(panel.previous is not None)

        layout = QVBoxLayout(self)
        layout.addWidget(reason)
        drafts = [p for p in panel.plans if p.status is PlanStatus.KLADDE]
        if drafts:
            layout.addWidget(
                text_label(
                    f"Der er allerede en kladde ({PLAN_TITLES[drafts[-1].kind].lower()}). Du kan åbne den i stedet "
                    "for at lave en ny.",
                    WARNING_STYLE,
                )
            )
        layout.addWidget(kind_box)
        layout.addWidget(source_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Opret og åbn")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Annuller")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        ok.setFocus()

    def kind(self) -> PlanKind:
        return PlanKind.UDSKRIVNINGSAFTALE if self.aftale.isChecked() else PlanKind.KOORDINATIONSPLAN

    def meeting_id(self) -> int | None:
        if self._has_meetings and self.from_meeting.isChecked():
            value = self.meeting.currentData()
            return int(value) if value is not None else None
        return None

    def copy(self) -> bool:
        return self._has_previous and self.copy_previous.isChecked()
