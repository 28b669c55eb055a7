"""Send a notification to the kommune (B1–B9): shows recipient and consent, collects channel, time, note
and the form's content, then records it and issues the varslingsblanket in one step.

A varsling and a færdigmelding carry the B5 facts (``NotificationService.draft`` prefills them): the varsling the
expected færdigbehandlet date and the doctor who judged it; the færdigmelding the doctor who judged the patient
færdigbehandlet and when, with the varsling's indsats, need and channel carried over. What the agreement
discourages is shown as a warning while the coordinator fills in the form (``NotificationService.check``: a late
varsling, a færdigmelding without a timely varsling, with the days of notice) and never blocks; a færdigmelding
before the expected day is sent only after a confirmation. The dialog decides none of it: the service does.

For a NOTE (the Send menu's "Registrér kontakt med kommunen…", B2/B3) it logs a contact with the kommune that has
taken place: the kommune, consent, channel, time and what was said; no blanket.

Every kind that goes on a varslingsblanket also asks for the funktionsniveau, LAB § 6 and the expected discharge day,
and warns when the recipient's secure mailbox is unknown, with a link to the Kontaktbog (``notification_fields``).

At a little over 400 lines the module is longer than the UI's usual bound on purpose: one dialog serves every kind
(B1–B9, a logged contact, a discharge with its E1/E2 question), and its fields, warnings and focus rules read the same
kind; split in two, each half would reach into the other's widgets. The fields every form kind shares live in
``notification_fields``.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import WITHOUT_PLAN_FIELD
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import EVENT_LABELS, Channel, Consent, ConsentRecipient, EventKind
from coordinator_app.domain.special_groups import RECIPIENT_LABELS, recipient_kommune
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.services.admissions import AdmissionDetails
from coordinator_app.services.consent import active_consent
from coordinator_app.services.documents import FORM_FOR_EVENT, FormDetails, recipient_role_for
from coordinator_app.services.notifications import (
    NotificationDraft,
    NotificationInput,
    NotificationService,
    SendCheck,
    SendResult,
)
from coordinator_app.ui.common.safe_text import literal, markup, plain_label, rich_label
from coordinator_app.ui.common.style import ERROR_STYLE, WARNING_STYLE
from coordinator_app.ui.patients.notification_fields import KommuneFacts, MailboxWarning, OpenContacts
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
    EventKind.FAERDIGMELDING: "B5: færdigmelding, når patienten efter lægelig vurdering er færdigbehandlet – angiv "
    "lægen og datoen. Fra færdigmeldingen betaler kommunen for sengedage (sundhedsloven §238).",
    EventKind.I_BERO: "B6: færdigmeldingen sættes i bero, indtil de lægelige oplysninger, kommunen har brug for, "
    "er leveret.",
    EventKind.GENOPTAGET: "B6: færdigmeldingen genoptages, når oplysningerne er leveret.",
    EventKind.AFMELDING: "B7: afmelding, når tilstanden forværres og behandlingen genoptages. "
    "En ny færdigmelding følger, når patienten igen er færdigbehandlet.",
    EventKind.ORIENTERING_UDSKRIVNING: "B4, B9: orientér kommunen, så snart udskrivningsdatoen kendes.",
    EventKind.DISCHARGE: "D1: epikrise til egen læge inden 24 timer efter udskrivning. E1/E2: mangler en krævet "
    "udskrivningsaftale eller koordinationsplan, spørger Koordinator hvorfor.",
    EventKind.NOTE: "B2/B3: registrér en kontakt med kommunen (telefon, møde, mail), når den har fundet sted – den "
    "opfylder pligten til at kontakte kommunen. Skriv, hvad I talte om.",
}
FORM_FIELDS_FOR = {EventKind.VARSLING, EventKind.FAERDIGMELDING, EventKind.ORIENTERING_INDLAEGGELSE}
B5_KINDS = (EventKind.VARSLING, EventKind.FAERDIGMELDING)


def _day(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _date_edit(minimum: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("dd-MM-yyyy")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(_qdate(minimum))
    return edit


class NotificationDialog(QDialog):
    def __init__(
        self,
        service: NotificationService,
        details: AdmissionDetails,
        kind: EventKind,
        *,
        consents: list[Consent],
        now: datetime,
        open_contacts: OpenContacts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._details = details
        self._kind = kind
        self.result_value: SendResult | None = None
        self.confirm_box: QMessageBox | None = None  # the question before an early færdigmelding (B5)
        self.question: MissingPlanQuestion | None = None  # E1/E2: why discharge without the required plan
        a = details.admission
        assert a.id is not None
        self._draft: NotificationDraft | None = service.draft(a.id, kind) if kind in FORM_FOR_EVENT else None
        self.setWindowTitle(f"{NotificationService.label(kind)} – {details.patient.name}")
        self.setMinimumWidth(700)

        guidance = plain_label(GUIDANCE.get(kind, ""))
        guidance.setWordWrap(True)
        guidance.setStyleSheet("color: palette(dark);")

        info = QFormLayout()
        sends = kind in FORM_FOR_EVENT
        contact = kind is EventKind.NOTE  # B2/B3: a contact with the kommune, logged (the Send menu's only note)
        if sends or contact:
            role = recipient_role_for(a, kind)
            code = recipient_kommune(a, role)
            name = details.kommune_name(code) if code else "(ikke registreret)"
            entrance = ""
            if details.kommune and details.kommune.code == code and details.kommune.secure_mail:
                entrance = f" – {details.kommune.secure_mail}"
            info.addRow(
                "Modtager:", rich_label(markup("<b>{}</b> ({}){}", name, RECIPIENT_LABELS.get(role, role), entrance))
            )
        consent = active_consent(consents, ConsentRecipient.KOMMUNE)
        self.legal_basis = QLineEdit()
        self.legal_basis.setPlaceholderText("fx underretning efter barnets lov § 133")
        if sends or contact:
            if consent is not None:
                text = f"✓ Samtykke ({consent.method.value}) til {consent.given_to}, {consent.given_at:%d-%m-%Y}"
                info.addRow("Samtykke (F1):", plain_label(text))
            else:
                warn = plain_label(
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
        if contact:
            self.channel.setCurrentIndex(self.channel.findData(Channel.TELEFON))
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setTimeZone(QTimeZone(b"Europe/Copenhagen"))
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp()), QTimeZone(b"Europe/Copenhagen")))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            "Hvad talte I om, og hvad blev aftalt? (kommer med i historikken)"
            if contact
            else "Valgfrit notat (kommer med i historikken og på blanketten)"
        )
        self.note.setFixedHeight(56)
        send_form = QFormLayout()
        if sends or contact:
            send_form.addRow("&Kanal:", self.channel)
        send_form.addRow("&Tidspunkt:", self.when)
        b5_fields = self._b5_rows(send_form, a.admitted, now)
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
        if self._draft is not None and kind is EventKind.FAERDIGMELDING:
            self._carry_over(self._draft)
        draft_form = self._draft.form if self._draft is not None else FormDetails()
        self.facts = KommuneFacts(draft_form, admitted=a.admitted, discharged=a.discharged is not None)
        self.facts.setVisible(sends)
        self.mailbox = MailboxWarning(service, a.id, kind, open_contacts) if sends else None

        self.warning_label = plain_label()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setAccessibleName("Advarsel")
        self.warning_label.hide()
        self.error_label = plain_label()
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
        heading = "Kontakt med kommunen" if contact else EVENT_LABELS[kind]
        title = rich_label(
            markup("<b>{}</b> · {} · indlæggelse nr. {}", heading, details.patient.name, a.id), wrap=True
        )
        layout.addWidget(title)
        layout.addWidget(guidance)
        layout.addLayout(info)
        if self.mailbox is not None:
            layout.addWidget(self.mailbox)
        layout.addLayout(send_form)
        layout.addWidget(self.facts)
        layout.addWidget(form_box)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = [self.when, *b5_fields, self.note]  # tab order as on screen (the B5 fields are made after the note)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        if kind in B5_KINDS:
            self.when.dateTimeChanged.connect(lambda _d: self.refresh_check())
            self.expected.dateChanged.connect(lambda _d: self.refresh_check())
            self.refresh_check()
        self._fit()

    # -- B5: the medical judgement, carried-over content, warnings ------------------------------------------------
    def _b5_rows(self, form: QFormLayout, admitted: date, now: datetime) -> list[QWidget]:
        """The medical judgement (B5), as rows of the send form. Varsling: the expected færdigbehandlet date and who
        judged it, and the latest varsling day. Færdigmelding: who judged the patient færdigbehandlet and when, and
        what the kommune was told before (the round's varsling). Returns the fields added, in tab order."""
        draft = self._draft
        self.expected = _date_edit(admitted - timedelta(days=1))
        self.expected.setSpecialValueText("Ikke fastsat")  # the minimum: no date yet
        self.expected_by = QLineEdit()
        self.expected_by.setPlaceholderText("fx overlæge Hanne Holm")
        self.judged_by = QLineEdit()
        self.judged_by.setPlaceholderText("fx overlæge Hanne Holm")
        self.judged_on = _date_edit(admitted)
        self.judged_on.setDate(_qdate(now.astimezone(COPENHAGEN).date()))
        self.b5_info = plain_label()  # one short line: no word wrap (a wrapped label in a form row leaves a gap)
        self.b5_info.setStyleSheet("color: palette(dark);")
        expected = draft.expected if draft is not None else None
        self.expected.setDate(_qdate(expected) if expected else self.expected.minimumDate())
        if self._kind is EventKind.VARSLING:
            self.expected_by.setText(draft.expected_judged_by if draft is not None else "")
            form.addRow("&Forventet færdigbehandlet:", self.expected)
            form.addRow("Vurderet &af (læge):", self.expected_by)
            form.addRow("", self.b5_info)
            return [self.expected, self.expected_by]
        if self._kind is EventKind.FAERDIGMELDING:
            form.addRow("Vurderet færdigbehandlet &af (læge):", self.judged_by)
            form.addRow("Vurderet &den:", self.judged_on)
            if draft is not None:
                told = f"varslet {_day(draft.varslet_on)}" if draft.varslet_on else "ingen varsling sendt"
                when = _day(draft.expected) if draft.expected else "ikke fastsat"
                self.b5_info.setText(f"Forventet færdigbehandlet: {when} · {told}")
            form.addRow("", self.b5_info)
            return [self.judged_by, self.judged_on]
        return []

    def _carry_over(self, draft: NotificationDraft) -> None:
        """The færdigmelding starts from what the varsling told the kommune: indsats, need, planned steps, channel."""
        form = draft.form
        self.indsats.setText(form.current_indsats)
        self.needs.setPlainText(form.expected_needs)
        self.meeting.setChecked(form.netvaerksmoede_requested)
        self.aftale.setChecked(form.considered_13a)
        self.plan.setChecked(form.considered_13b)
        if draft.channel is not None and (i := self.channel.findData(draft.channel)) >= 0:
            self.channel.setCurrentIndex(i)

    def _expected_date(self) -> date | None:
        if self.expected.date() == self.expected.minimumDate():
            return None
        return _pydate(self.expected.date())

    def refresh_check(self) -> SendCheck:
        """Ask the service what the form as it stands would warn about, and show it (never blocks)."""
        assert self._details.admission.id is not None
        check = self._service.check(self._details.admission.id, self.collect())
        lines = [f"⚠ {w}" for w in check.warnings]
        if check.confirm:
            lines.append(f"Bekræftes, når du sender: {check.confirm}")
        if self._kind is EventKind.VARSLING:
            self.b5_info.setText(
                f"Seneste varslingsdag: {_day(check.due)}"
                if check.due
                else "Seneste varslingsdag kan ikke beregnes uden en forventet færdigbehandlet-dato."
            )
        self.warning_label.setText("\n".join(lines))
        self.warning_label.setVisible(bool(lines))
        self._fit()
        return check

    def _fit(self) -> None:
        """Grow to the height the wrapped guidance, warning and error need at the current width, so none of them
        covers the form (a word-wrapped label's height depends on the width)."""
        width = max(self.width(), self.minimumWidth())
        need = self.heightForWidth(width)
        if need > self.height():
            self.resize(width, need)

    def collect(self) -> NotificationInput:
        moment = self.when.dateTime().toSecsSinceEpoch()
        form = FormDetails(
            current_indsats=self.indsats.text().strip(),
            expected_needs=self.needs.toPlainText().strip(),
            netvaerksmoede_requested=self.meeting.isChecked(),
            considered_13a=self.aftale.isChecked(),
            considered_13b=self.plan.isChecked(),
        )
        if self._kind in FORM_FOR_EVENT:
            form = self.facts.fill(form)
        varsling, faerdig = self._kind is EventKind.VARSLING, self._kind is EventKind.FAERDIGMELDING
        return NotificationInput(
            kind=self._kind,
            channel=self.channel.currentData(),
            occurred_at=datetime.fromtimestamp(moment, UTC),
            note=self.note.toPlainText(),
            legal_basis=self.legal_basis.text() or None,
            form=form,
            expected_faerdigbehandlet=self._expected_date() if varsling else None,
            expected_judged_by=self.expected_by.text() if varsling else None,
            judged_by=self.judged_by.text() if faerdig else "",
            judged_on=_pydate(self.judged_on.date()) if faerdig else None,
            kommune_contact=self._kind is EventKind.NOTE,
        )

    def send(self, without_plan_reason: str = "") -> None:
        """Send; a færdigmelding before the expected day first asks for the coordinator's confirmation (B5); a
        discharge that leaves a required plan missing asks why and is sent again with the answer (E1/E2)."""
        data = dataclasses.replace(self.collect(), without_plan_reason=without_plan_reason)
        if self._kind is EventKind.FAERDIGMELDING:
            try:
                question = self.refresh_check().confirm
            except KoordinatorError as exc:
                self._show(exc.message)
                return
            if question:
                self._ask_confirmation(question, data)
                return
        self._send(data)

    def _ask_confirmation(self, question: str, data: NotificationInput) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Bekræft færdigmelding",
            literal(
                f"{question}\n\nSend færdigmeldingen nu? Det registreres på færdigmeldingen, at du har bekræftet den."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&Ja, færdigmeld nu")
        box.button(QMessageBox.StandardButton.No).setText("&Annuller")
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self._send(dataclasses.replace(data, confirmed_early=True))

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _send(self, data: NotificationInput) -> None:
        focus = {
            "consent": self.legal_basis,
            "note": self.note,
            "expected_faerdigbehandlet": self.expected,
            "expected_judged_by": self.expected_by,
            "judged_by": self.judged_by,
            "judged_on": self.judged_on,
        }
        try:
            assert self._details.admission.id is not None
            self.result_value = self._service.send(self._details.admission.id, data)
        except ValidationError as exc:
            if exc.field == WITHOUT_PLAN_FIELD:  # E1/E2: the discharge asks why (ui/plans/discharge_question.py)
                self.question = ask_discharge_without_plan(self, exc, self.send)
                return
            self._show(exc.message + (f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""))
            if (widget := focus.get(exc.field or "")) is not None:
                widget.setFocus()
            return
        except KoordinatorError as exc:
            self._show(exc.message + (f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""))
            return
        self.accept()

    def _show(self, message: str) -> None:
        self.error_label.setText("⚠ " + message)
        self.error_label.show()
        self._fit()
