"""What the Send dialog asks for every kind that goes to the kommune on a varslingsblanket (issue 17), beside the
dialog's own fields (``notification_dialog``):

* ``KommuneFacts`` – the patient's funktionsniveau, whether the patient asked for an udskrivningskoordinator (lov om
  aktiv beskæftigelsesindsats § 6: Ja / Nej / Ikke spurgt) and, while admitted, the expected discharge day; prefilled
  from the admission's previous notification and planned discharge (``NotificationService.draft``);
* ``MailboxWarning`` – a warning when the recipient kommune's secure mailbox is not in the Kontaktbog (F3), with a
  button that opens the Kontaktbog on that kommune; it asks the service again when the Kontaktbog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from coordinator_app.domain.model import EventKind
from coordinator_app.services.documents import LAB6_ANSWERS, FormDetails
from coordinator_app.services.notifications import NotificationService, Recipient
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import WARNING_STYLE

#: Opens the Kontaktbog over a dialog on a kommune (the shell's, via ``PatientActions.open_contacts``).
OpenContacts = Callable[[QWidget, str | None], QDialog]
#: The LAB § 6 choices in the order offered; "Ikke spurgt" first (nothing claimed until the patient is asked).
LAB6_ORDER = ("ikke_spurgt", "ja", "nej")


class KommuneFacts(QGroupBox):
    """Funktionsniveau, LAB § 6 and the expected discharge day, for the form."""

    def __init__(self, form: FormDetails, *, admitted: date, discharged: bool, parent: QWidget | None = None) -> None:
        super().__init__("Til kommunen", parent)
        self.funktionsniveau = QPlainTextEdit(form.funktionsniveau)
        self.funktionsniveau.setPlaceholderText(
            "Patientens aktuelle funktionsniveau: hvad kommunen skal planlægge efter (fx bolig, økonomi, medicin)"
        )
        self.funktionsniveau.setFixedHeight(52)
        self.lab6 = QComboBox()
        for key in LAB6_ORDER:
            self.lab6.addItem(LAB6_ANSWERS[key], key)
        self.lab6.setCurrentIndex(max(0, self.lab6.findData(form.lab6 or "ikke_spurgt")))
        self.lab6.setToolTip(
            "A3: en patient omfattet af lov om aktiv beskæftigelsesindsats § 6 har ret til en udskrivningskoordinator."
        )
        self.discharge = QDateEdit()
        self.discharge.setDisplayFormat("dd-MM-yyyy")
        self.discharge.setCalendarPopup(True)
        self.discharge.setMinimumDate(QDate(admitted.year, admitted.month, admitted.day).addDays(-1))
        self.discharge.setSpecialValueText("Ikke oplyst")  # the minimum: not known
        day = form.expected_discharge
        self.discharge.setDate(QDate(day.year, day.month, day.day) if day else self.discharge.minimumDate())
        rows = QFormLayout(self)
        rows.addRow("Funktionsni&veau:", self.funktionsniveau)
        rows.addRow("Ønsker &udskrivningskoordinator (LAB § 6):", self.lab6)
        if not discharged:  # discharged: the form prints the actual day
            rows.addRow("Forv&entes udskrevet:", self.discharge)
        else:
            self.discharge.hide()

    def expected_discharge(self) -> date | None:
        if self.discharge.isHidden() or self.discharge.date() == self.discharge.minimumDate():
            return None
        q = self.discharge.date()
        return date(q.year(), q.month(), q.day())

    def fill(self, form: FormDetails) -> FormDetails:
        """``form`` with what was entered here."""
        return replace(
            form,
            funktionsniveau=self.funktionsniveau.toPlainText().strip(),
            lab6=str(self.lab6.currentData()),
            expected_discharge=self.expected_discharge(),
        )


class MailboxWarning(QWidget):
    """Shown while the recipient kommune has no secure mailbox in the Kontaktbog (F3)."""

    def __init__(
        self,
        service: NotificationService,
        admission_id: int,
        kind: EventKind,
        open_contacts: OpenContacts | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._admission_id = admission_id
        self._kind = kind
        self._open_contacts = open_contacts
        self.contacts: QDialog | None = None
        self.recipient: Recipient = service.recipient(admission_id, kind)
        self.label = plain_label()
        self.label.setWordWrap(True)
        self.label.setStyleSheet(WARNING_STYLE)
        self.label.setAccessibleName("Advarsel om sikker postkasse")
        self.button = QPushButton("Åbn &Kontaktbogen…")
        self.button.setToolTip("Registrér kommunens sikre postkasse (systemindgang) under Kommunernes systemindgange.")
        self.button.clicked.connect(self.open_contacts)
        self.button.setVisible(open_contacts is not None)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.refresh()

    def refresh(self) -> None:
        """Ask the service for the recipient's mailbox again; shown only while it is unknown."""
        self.recipient = self._service.recipient(self._admission_id, self._kind)
        self.label.setText(
            f"⚠ {self.recipient.name} har ingen sikker postkasse i Kontaktbogen (F3). Blanketten skriver »Ikke oplyst«"
            " ved modtagerens postkasse. Registrér kommunens systemindgang, før du sender."
        )
        self.setVisible(not self.recipient.secure_mail)

    def open_contacts(self) -> None:
        if self._open_contacts is None:
            return
        self.contacts = self._open_contacts(self.window(), self.recipient.code)
        self.contacts.finished.connect(lambda _r: self.refresh())
