"""Registrér som udført (issue 16): the deadline action of the ward's duties that are met by a milestone note — A3
udskrivningskoordinator, A4 children checked or underretning sent, D1 epikrise, D2 GP dialogue, D4 genoptræningsplan,
D6, D8, D9 (``services.deadline_actions.ActionKind.RECORD``).

Shows the patient and the duty (its Danish description and rule ID), asks what was done when it is one of several
(A4: children checked, or an underretning sent), when (default now, Danish format, not in the future) and a note
saying what was done (required; the placeholder says what to write). *Registrér* (the default button, also
Ctrl+Enter from the note) records it through ``MilestoneService``; *Annuller* (Esc) records nothing. A refusal is
shown in the dialog in Danish and the field it concerns gets the focus: nothing typed is lost. The service decides
every rule; the dialog only collects.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.rules import MILESTONE_LABELS, RULES_BY_KEY, Milestone
from coordinator_app.services.admissions import AdmissionDetails
from coordinator_app.services.deadline_actions import record_milestones
from coordinator_app.services.milestones import MilestoneInput, MilestoneResult, MilestoneService
from coordinator_app.ui.common.safe_text import markup, plain_label, rich_label
from coordinator_app.ui.common.style import ERROR_STYLE

TITLE = "Registrér som udført"
_ZONE = QTimeZone(b"Europe/Copenhagen")

#: What the note should say, per milestone (the placeholder of the note field).
PLACEHOLDERS: dict[Milestone, str] = {
    Milestone.BOERN_VURDERET: "Fx: Børn i familien undersøgt – hvem tager sig af dem? Underretning overvejet.",
    Milestone.UNDERRETNING_SENDT: "Fx: Underretning sendt til kommunen (hvordan, og om hvad).",
    Milestone.UDSKRIVNINGSKOORDINATOR: "Fx: Udskrivningskoordinator tilbudt; patientens svar; kommunen kontaktet.",
    Milestone.EPIKRISE_SENDT: "Fx: Epikrise sendt til egen læge (hvordan, og hvem der sendte den).",
    Milestone.GP_DIALOG: "Fx: Talt med egen læge om medicinen og monitoreringen efter udskrivning.",
    Milestone.GENOPTRAENINGSPLAN: "Fx: Genoptræningsplan udarbejdet og sendt (til hvem).",
    Milestone.MISBRUG_KONTAKT: "Fx: Kontakt til kommunens misbrugsbehandling (hvem, med samtykke).",
    Milestone.KRIMINALFORSORGEN: "Fx: Kriminalforsorgen orienteret og inviteret til netværksmødet.",
    Milestone.BUC_OVERGANG: "Fx: BUC har inviteret voksenpsykiatrien til netværksmøde (dato, hvem).",
}
DEFAULT_PLACEHOLDER = "Skriv, hvad der er gjort, af hvem og med hvilket resultat (kommer i historikken)."


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), _ZONE)


class MilestoneDialog(QDialog):
    """``result_value``: what was recorded (None until *Registrér* succeeded)."""

    def __init__(
        self,
        service: MilestoneService,
        details: AdmissionDetails,
        rule_key: str,
        *,
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        a = details.admission
        assert a.id is not None
        self._admission_id = a.id
        self.result_value: MilestoneResult | None = None
        rule = RULES_BY_KEY[rule_key]
        self.setWindowTitle(f"{TITLE} – {details.patient.name}")
        self.setMinimumWidth(560)

        title = rich_label(markup("<b>{}</b> · {} · indlæggelse nr. {}", TITLE, details.patient.name, a.id), wrap=True)
        self.duty = plain_label(f"{rule.description} ({rule.rule_id})")
        self.duty.setWordWrap(True)
        self.duty.setAccessibleName("Opgaven")

        self.milestone = QComboBox()
        for milestone in record_milestones(rule_key):
            self.milestone.addItem(MILESTONE_LABELS[milestone], milestone)
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setTimeZone(_ZONE)
        first = QDate(a.admitted.year, a.admitted.month, a.admitted.day)
        self.when.setMinimumDateTime(QDateTime(first, QTime(0, 0), _ZONE))
        self.when.setMaximumDateTime(_qdatetime(now))
        self.when.setDateTime(_qdatetime(now))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(80)
        self.note.setTabChangesFocus(True)
        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("Opgave:", self.duty)
        if self.milestone.count() > 1:
            form.addRow("&Hvad er gjort:", self.milestone)
        else:  # one: said, not chosen
            self.milestone.setParent(self)
            self.milestone.hide()
            form.addRow("Udført:", plain_label(self.milestone.currentText()))
        form.addRow("&Tidspunkt:", self.when)
        form.addRow("&Notat:", self.note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Registrér")
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter"):  # from the note, where Enter is a new line
            QShortcut(QKeySequence(key), self).activated.connect(self.record)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.milestone.currentIndexChanged.connect(lambda _i: self._placeholder())
        self._placeholder()
        if self.milestone.count() > 1:
            QWidget.setTabOrder(self.milestone, self.when)
        QWidget.setTabOrder(self.when, self.note)
        QWidget.setTabOrder(self.note, ok)
        (self.milestone if self.milestone.count() > 1 else self.note).setFocus()

    def _placeholder(self) -> None:
        milestone = self.milestone.currentData()
        self.note.setPlaceholderText(PLACEHOLDERS.get(milestone, DEFAULT_PLACEHOLDER))

    def collect(self) -> MilestoneInput:
        milestone = self.milestone.currentData()
        return MilestoneInput(
            milestone=str(milestone.value if isinstance(milestone, Milestone) else milestone),
            note=self.note.toPlainText(),
            occurred_at=datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC),
        )

    def record(self) -> None:
        """Record through the service; on a refusal say why here and keep everything typed."""
        try:
            self.result_value = self._service.record(self._admission_id, self.collect())
        except ValidationError as exc:
            self._show(exc)
            focus = {"note": self.note, "occurred_at": self.when, "milestone": self.milestone}
            if (widget := focus.get(exc.field or "")) is not None:
                widget.setFocus()
            return
        except KoordinatorError as exc:
            self._show(exc)
            return
        self.accept()

    def _show(self, exc: KoordinatorError) -> None:
        rule = f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""
        self.error_label.setText(f"⚠ {exc.message}{rule}")
        self.error_label.show()
        width = max(self.width(), self.minimumWidth())  # grow to what the wrapped message needs: nothing covered
        if (need := self.heightForWidth(width)) > self.height():
            self.resize(width, need)
