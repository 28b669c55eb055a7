"""The question a discharge asks when a required udskrivningsaftale or koordinationsplan is missing (E1/E2).

The domain decides: «Udskriv patienten…» → *Registrér* is refused (``discharge_plans.discharge_without_plan``:
a ``ValidationError`` with the rule and ``field=WITHOUT_PLAN_FIELD``) until the coordinator says why. The
notification dialog then opens ``MissingPlanQuestion`` over itself with the domain's words; *Udskriv uden …* sends
again with the answer, which is recorded on the discharge (history, the plan's warning, Statistik); *Tilbage*
(Esc) leaves the patient admitted — the plan can be put in force under Aftale/plan first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import PLAN_RULES, PLAN_TITLES, PlanKind
from coordinator_app.domain.errors import ValidationError
from coordinator_app.ui.common.style import ERROR_STYLE, INFO_STYLE, buddy_label, text_label

#: E1/E2 → the kind of plan the refusal is about.
KIND_OF_RULE: dict[str, PlanKind] = {rule: kind for kind, rule in PLAN_RULES.items()}


class MissingPlanQuestion(QDialog):
    """Udskriv uden udskrivningsaftale/koordinationsplan? The domain's refusal, a field for why, and the choice."""

    def __init__(self, refusal: ValidationError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kind = KIND_OF_RULE.get(refusal.rule or "", PlanKind.UDSKRIVNINGSAFTALE)
        title = PLAN_TITLES[kind].lower()
        self.setWindowTitle(f"Udskriv uden {title}?")
        self.setMinimumWidth(560)
        rule = f" ({refusal.rule})" if refusal.rule and refusal.rule not in refusal.message else ""
        self.message = text_label("⚠ " + refusal.message + rule, ERROR_STYLE)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        self.reason.setPlaceholderText("fx Patienten ønskede at gå og kunne ikke tilbageholdes (B8).")
        self.reason.setAccessibleName("Begrundelse")
        label = buddy_label(f"&Hvorfor udskrives patienten uden {title}?", self.reason)
        recorded = text_label(
            "Svaret gemmes på udskrivningen og står i historikken og under Aftale/plan; udskrivningen tælles i "
            "Statistik under «Udskrevet uden krævet aftale/plan».",
            INFO_STYLE,
        )
        self.buttons = QDialogButtonBox()
        self.discharge_button = QPushButton(f"&Udskriv uden {title}")
        self.back_button = QPushButton("&Tilbage")
        for button in (self.discharge_button, self.back_button):
            button.setAutoDefault(False)
        self.buttons.addButton(self.discharge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.discharge_button.setEnabled(False)
        self.reason.textChanged.connect(lambda: self.discharge_button.setEnabled(bool(self.answer())))

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(recorded)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.reason, self.discharge_button)
        self.setTabOrder(self.discharge_button, self.back_button)
        self.reason.setFocus()

    def answer(self) -> str:
        return self.reason.toPlainText().strip()


def ask_discharge_without_plan(
    parent: QWidget, refusal: ValidationError, send_again: Callable[[str], None]
) -> MissingPlanQuestion:
    """Open the question over ``parent`` (window-modal); ``send_again(reason)`` when the coordinator discharges
    without the plan. Returns the open question (the caller keeps it alive)."""
    question = MissingPlanQuestion(refusal, parent)
    question.accepted.connect(lambda: send_again(question.answer()))
    question.open()
    return question
