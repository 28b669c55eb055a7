"""Who the ambulant netværksmøde is for (issue 5, C4): CPR (or erstatnings-CPR) and name, no admission.

The patient is found by CPR, or created when unknown (``AdmissionService.find_or_create_patient``, the same
validation as a new admission). A known CPR whose stored name differs from the typed one is never renamed
here: the dialog says whose number it is and asks for a second "Videre" before going on with that patient.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain import cpr as cpr_rules
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import Patient
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.ui.common.safe_text import rich_label
from coordinator_app.ui.common.style import MUTED, WARNING_STYLE, buddy_label, error_label, text_label


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class AmbulantPatientDialog(QDialog):
    def __init__(self, service: AdmissionService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._confirmed: tuple[str, bool, int | None] | None = None  # (typed CPR, replacement, patient id)
        self.patient: Patient | None = None
        self.setWindowTitle("Nyt møde for ambulant patient")
        self.setMinimumWidth(520)

        self.cpr = QLineEdit()
        self.cpr.setPlaceholderText("ddmmåå-xxxx")
        self.cpr.setMaxLength(20)
        self.replacement = QCheckBox("&Erstatnings-CPR (patienten har ikke et dansk CPR-nummer)")
        self.given_name = QLineEdit()
        self.family_name = QLineEdit()
        form = QFormLayout()
        form.addRow(buddy_label("&CPR-nummer:", self.cpr), self.cpr)
        form.addRow("", self.replacement)
        form.addRow(buddy_label("&Fornavn:", self.given_name), self.given_name)
        form.addRow(buddy_label("Efter&navn:", self.family_name), self.family_name)

        intro = text_label(
            "Netværksmøde for en patient i ambulant behandling – uden indlæggelse. Samme frist gælder: mødet "
            "holdes senest 5 arbejdsdage efter anmodningen (C4). En kendt patient findes på CPR-nummeret.",
            MUTED,
        )
        self.error_label = error_label()
        self.notice_label = text_label(style=WARNING_STYLE)
        self.notice_label.hide()
        self.next_button = QPushButton("&Videre…")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.proceed)
        cancel = QPushButton("Annuller")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(rich_label("<b>Ambulant patient</b>"))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notice_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        for field in (self.cpr, self.given_name, self.family_name):
            field.textEdited.connect(self._changed)
        self.replacement.toggled.connect(self._changed)
        self.cpr.setFocus()

    def _changed(self, *_args: object) -> None:
        self._confirmed = None
        self.notice_label.hide()

    def _field(self, name: str | None) -> QWidget:
        return {"given_name": self.given_name, "family_name": self.family_name}.get(name or "", self.cpr)

    def proceed(self) -> None:
        self.error_label.hide()
        typed = (self.cpr.text(), self.replacement.isChecked())
        try:
            patient = self._service.find_or_create_patient(
                self.cpr.text(),
                self.given_name.text(),
                self.family_name.text(),
                replacement_cpr=self.replacement.isChecked(),
            )
        except ValidationError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            self._field(exc.field).setFocus()
            return
        except KoordinatorError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            return
        typed_name = f"{self.given_name.text()} {self.family_name.text()}"
        if not _same_name(typed_name, patient.name) and self._confirmed != (*typed, patient.id):
            self._confirmed = (*typed, patient.id)
            shown = cpr_rules.format_cpr(patient.cpr)
            self.notice_label.setText(
                f"CPR-nummeret {shown} er registreret på {patient.name}. Navnet ændres ikke her. Tryk «Videre» "
                "igen for at planlægge mødet for denne patient, eller ret CPR-nummeret."
            )
            self.notice_label.show()
            self.next_button.setFocus()
            return
        self.patient = patient
        self.accept()


def open_ambulant_patient_dialog(parent: QWidget | None, service: AdmissionService) -> AmbulantPatientDialog:
    """Open window-modally; when accepted, ``dialog.patient`` is the (found or new) patient."""
    dialog = AmbulantPatientDialog(service, parent)
    dialog.open()
    return dialog
