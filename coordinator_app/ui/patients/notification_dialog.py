"""Send a notification to the kommune (B1–B9): shows recipient and consent, collects channel, time, note
and the form's content, then records it and issues the varslingsblanket in one step."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import WITHOUT_PLAN_FIELD
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import EVENT_LABELS, Channel, Consent, ConsentRecipient, EventKind
from coordinator_app.domain.special_groups import RECIPIENT_LABELS, recipient_kommune
from coordinator_app.services.admissions import AdmissionDetails
from coordinator_app.services.consent import active_consent
from coordinator_app.services.documents import FORM_FOR_EVENT, FormDetails, recipient_role_for
from coordinator_app.services.notifications import NotificationInput, NotificationService, SendResult
from coordinator_app.ui.common.style import ERROR_STYLE
from coordinator_app.ui.plans.discharge_question import MissingPlanQuestion, ask_discharge_without_plan

CHANNELS: tuple[tuple[Channel, str], ...] = (
    (Channel.SIKKER_MAIL, "Sikker mail (systemindgang, F3)"),
    (Channel.MOF, "MedCom MOF (melding om færdigbehandling)"),
    (Channel.TELEFON, "Telefon"),
    (Channel.NETVAERKSMOEDE, "Netværksmøde"),
    (Channel.ANDET, "Andet"),
)
GUIDANCE: dict[EventKind, str] = {
    EventKind.ORIENTERING_INDLAEGGELSE: "A1, B1–B3: orientér/kontakt kommunen, så snart behovet er identificeret.",
    EventKind.VARSLING: "B5: varsling sendes hurtigst muligt og senest 8 dage før forventet færdigbehandlet. "
    "Varslingen supplerer – erstatter ikke – dialog og netværksmøder.",
    EventKind.FAERDIGMELDING: "B5: færdigmelding, når patienten efter lægelig vurdering er færdigbehandlet. "
    "Fra færdigmeldingen betaler kommunen for sengedage (sundhedsloven §238).",
    EventKind.I_BERO: "B6: færdigmeldingen sættes i bero, indtil de lægelige oplysninger, kommunen har brug for, "
    "er leveret.",
    EventKind.GENOPTAGET: "B6: færdigmeldingen genoptages, når oplysningerne er leveret.",
    EventKind.AFMELDING: "B7: afmelding, når tilstanden forværres og behandlingen genoptages. "
    "En ny færdigmelding følger, når patienten igen er færdigbehandlet.",
    EventKind.ORIENTERING_UDSKRIVNING: "B4, B9: orientér kommunen, så snart udskrivningsdatoen kendes.",
    EventKind.DISCHARGE: "D1: epikrise til egen læge inden 24 timer efter udskrivning. E1/E2: mangler en krævet "
    "udskrivningsaftale eller koordinationsplan, spørger Koordinator hvorfor.",
}
FORM_FIELDS_FOR = {EventKind.VARSLING, EventKind.FAERDIGMELDING, EventKind.ORIENTERING_INDLAEGGELSE}


class NotificationDialog(QDialog):
    def __init__(
        self,
        service: NotificationService,
        details: AdmissionDetails,
        kind: EventKind,
        *,
        consents: list[Consent],
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._details = details
        self._kind = kind
        self.result_value: SendResult | None = None
        self.question: MissingPlanQuestion | None = None  # E1/E2: why discharge without the required plan
        a = details.admission
        self.setWindowTitle(f"{NotificationService.label(kind)} – {details.patient.name}")
        self.setMinimumWidth(640)

        guidance = QLabel(GUIDANCE.get(kind, ""))
        guidance.setWordWrap(True)
        guidance.setStyleSheet("color: palette(dark);")

        info = QFormLayout()
        sends = kind in FORM_FOR_EVENT
        if sends:
            role = recipient_role_for(a, kind)
            code = recipient_kommune(a, role)
            name = details.kommune_name(code) if code else "(ikke registreret)"
            entrance = ""
            if details.kommune and details.kommune.code == code and details.kommune.secure_mail:
                entrance = f" – {details.kommune.secure_mail}"
            info.addRow("Modtager:", QLabel(f"<b>{name}</b> ({RECIPIENT_LABELS.get(role, role)}){entrance}"))
        consent = active_consent(consents, ConsentRecipient.KOMMUNE)
        self.legal_basis = QLineEdit()
        self.legal_basis.setPlaceholderText("fx underretning efter serviceloven §133")
        if sends:
            if consent is not None:
                text = f"✓ Samtykke ({consent.method.value}) til {consent.given_to}, {consent.given_at:%d-%m-%Y}"
                info.addRow("Samtykke (F1):", QLabel(text))
            else:
                warn = QLabel(
                    "⚠ Der er ikke registreret samtykke til kommunen. Uden samtykke kan der kun sendes med "
                    "en lovhjemmel (F1)" + (" – patienten ønsker at gå (B8)." if a.flags.wants_to_leave else ".")
                )
                warn.setWordWrap(True)
                warn.setStyleSheet("color: #8a1010;")
                info.addRow("Samtykke (F1):", warn)
                info.addRow("&Lovhjemmel:", self.legal_basis)

        self.channel = QComboBox()
        for channel, label in CHANNELS:
            self.channel.addItem(label, channel)
        if kind is EventKind.FAERDIGMELDING:
            self.channel.setToolTip("MOF bruges kun, hvor det er aftalt med kommunen (B5).")
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setTimeZone(QTimeZone(b"Europe/Copenhagen"))
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp()), QTimeZone(b"Europe/Copenhagen")))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Valgfrit notat (kommer med i historikken og på blanketten)")
        self.note.setFixedHeight(70)
        send_form = QFormLayout()
        if sends:
            send_form.addRow("&Kanal:", self.channel)
        send_form.addRow("&Tidspunkt:", self.when)
        send_form.addRow("&Notat:", self.note)

        self.indsats = QLineEdit()
        self.indsats.setPlaceholderText("fx bostøtte 2 t/uge (tom = ingen)")
        self.needs = QPlainTextEdit()
        self.needs.setFixedHeight(60)
        self.meeting = QCheckBox("Netværksmøde ønskes (C2)")
        self.aftale = QCheckBox("Udskrivningsaftale (§13a) overvejet")
        self.plan = QCheckBox("Koordinationsplan (§13b) overvejet")
        form_box = QGroupBox("Til blanketten")
        ff = QFormLayout(form_box)
        ff.addRow("Nuværende &indsats:", self.indsats)
        ff.addRow("Forventede &behov ved udskrivning:", self.needs)
        ff.addRow("", self.meeting)
        ff.addRow("", self.aftale)
        ff.addRow("", self.plan)
        form_box.setVisible(kind in FORM_FIELDS_FOR)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Send og gem blanket" if sends else "&Registrér")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{EVENT_LABELS[kind]}</b> · {details.patient.name} · indlæggelse nr. {a.id}")
        layout.addWidget(title)
        layout.addWidget(guidance)
        layout.addLayout(info)
        layout.addLayout(send_form)
        layout.addWidget(form_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def collect(self) -> NotificationInput:
        moment = self.when.dateTime().toSecsSinceEpoch()
        form = FormDetails(
            current_indsats=self.indsats.text().strip(),
            expected_needs=self.needs.toPlainText().strip(),
            netvaerksmoede_requested=self.meeting.isChecked(),
            considered_13a=self.aftale.isChecked(),
            considered_13b=self.plan.isChecked(),
        )
        return NotificationInput(
            kind=self._kind,
            channel=self.channel.currentData(),
            occurred_at=datetime.fromtimestamp(moment, UTC),
            note=self.note.toPlainText(),
            legal_basis=self.legal_basis.text() or None,
            form=form,
        )

    def send(self, without_plan_reason: str = "") -> None:
        try:
            assert self._details.admission.id is not None
            data = dataclasses.replace(self.collect(), without_plan_reason=without_plan_reason)
            self.result_value = self._service.send(self._details.admission.id, data)
        except ValidationError as exc:
            if exc.field == WITHOUT_PLAN_FIELD:  # E1/E2: the discharge asks why (ui/plans/discharge_question.py)
                self.question = ask_discharge_without_plan(self, exc, self.send)
                return
            self._show(exc.message + (f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""))
            if exc.field == "consent":
                self.legal_basis.setFocus()
            return
        except KoordinatorError as exc:
            self._show(exc.message + (f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""))
            return
        self.accept()

    def _show(self, message: str) -> None:
        self.error_label.setText("⚠ " + message)
        self.error_label.show()
