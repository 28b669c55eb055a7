"""The udskrivningsaftale / koordinationsplan editor's window (E1–E3): the title with the legal reference, the
fields (``PlanForm``), beside them the plan's state and what ``check_complete`` still misses (a click goes to the
field), the error and OK lines, and the buttons – and which of them a mode shows: a kladde, a plan in force
(read-only), or one being revised into a new version.

``PlanEditorView`` only shows; ``PlanEditorDialog`` (``plan_editor``) connects the buttons to what they do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
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
from coordinator_app.services.plans import MeetingChoice
from coordinator_app.ui.common.safe_text import literal, markup, plain_label, rich_label
from coordinator_app.ui.common.style import ERROR_STYLE, INFO_STYLE, MUTED, OK_STYLE, text_label
from coordinator_app.ui.plans.plan_form import PlanForm


class PlanEditorView(QDialog):
    """The editor's window for one plan, in its mode; ``PlanEditorDialog`` connects the buttons and loads it."""

    def __init__(
        self,
        plan: DischargePlan,
        *,
        patient_name: str,
        meetings: Sequence[MeetingChoice] = (),
        state: Lifecycle | None = None,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert plan.id is not None
        self._plan = plan
        self._meetings = list(meetings)
        self._state = state
        self._patient_name = patient_name
        self._today = today
        self._revising = False  # a plan in force made editable to issue a new version
        self._baseline = PlanContent()
        kind = plan.kind
        self.setWindowTitle(f"{PLAN_TITLES[kind]} – {patient_name}")
        self.setSizeGripEnabled(True)
        self.setMinimumSize(860, 560)

        # -- header --------------------------------------------------------------------------------------------
        self.title = rich_label(
            markup("{} <span style='font-weight:normal'>({})</span>", PLAN_TITLES[kind], LEGAL_REFERENCES[kind])
        )
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = text_label(style=MUTED)

        self.form = PlanForm(kind, today)
        self.form.changed.connect(self._changed)

        # -- side: status and what is missing ----------------------------------------------------------------
        self.state_label = text_label(style=INFO_STYLE)
        self.missing_title = plain_label()
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

        def button(text: str, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setAutoDefault(False)
            if tip:
                b.setToolTip(literal(tip))
            return b

        self.pull_button = button("&Hent fra netværksmøde…", "Deltagere bliver parter, aftaler bliver tilbud (C5)")
        self.preview_button = button("&Forhåndsvis (kladde)", "Vis planen som PDF med KLADDE – intet arkiveres")
        self.archived_button = button("Vis arkiveret P&DF", "Den arkiverede PDF for versionen i kraft")
        self.save_button = button("&Gem kladde", "Ctrl+S")
        self.activate_button = button("Sæt &i kraft og skriv ud", "Ctrl+Enter")
        self.revise_button = button(
            "Ret og udsted n&y version", "Gør planen redigerbar; den nye version arkiveres som PDF"
        )
        self.close_button = button("&Luk")
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
        self.activate_button.setText("Udsted n&y version og skriv ud" if self._revising else "Sæt &i kraft og skriv ud")
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
            item.setToolTip(literal(f"{problem.message}\nRegel {problem.rule}" if problem.rule else problem.message))
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

    # -- the plan's id and version; messages ---------------------------------------------------------------
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
