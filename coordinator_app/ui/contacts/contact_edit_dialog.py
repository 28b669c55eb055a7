"""Kontaktbog: the dialog that adds or edits one person (name, organisation, sector, role, telephone, e-mail,
kommune, note). It saves through the service itself, so a refused field is shown inline and the dialog stays
open with that field focused."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import SECTOR_LABELS, Contact, Kommune, Sector
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.ui.common.style import buddy_label, error_label
from coordinator_app.ui.common.widgets import KommuneCombo


class ContactEditDialog(QDialog):
    """Add or edit one person. Saves through the service itself, so a refused field is shown inline and the
    dialog stays open with the field focused; ``saved`` carries the stored contact."""

    saved = Signal(object)

    def __init__(
        self,
        service: ContactService,
        kommuner: list[Kommune],
        contact: Contact | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._contact = contact
        self.result_contact: Contact | None = None
        self.setWindowTitle("Ret kontaktperson" if contact else "Ny kontaktperson")
        self.setMinimumWidth(560)

        self.name = QLineEdit()
        self.name.setPlaceholderText("Fornavn og efternavn")
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("fx Københavns Kommune, Socialforvaltningen")
        self.sector = QComboBox()
        for sector, label in SECTOR_LABELS.items():
            self.sector.addItem(label, sector)
        self.role = QLineEdit()
        self.role.setPlaceholderText("fx sagsbehandler, kontaktperson, overlæge")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("fx 12 34 56 71")
        self.email = QLineEdit()
        self.email.setPlaceholderText("navn@domæne.dk")
        self.kommune = KommuneCombo(kommuner, allow_empty=True)
        self.kommune.line_edit().setPlaceholderText("Ingen – skriv navn eller kode for at vælge")
        self.kommune.currentIndexChanged.connect(self._kommune_chosen)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("fx træffetider, stedfortræder")
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label("&Navn:", self.name), self.name)
        form.addRow(buddy_label("&Organisation:", self.organisation), self.organisation)
        form.addRow(buddy_label("&Sektor:", self.sector), self.sector)
        form.addRow(buddy_label("&Rolle:", self.role), self.role)
        form.addRow(buddy_label("&Telefon:", self.phone), self.phone)
        form.addRow(buddy_label("&E-mail:", self.email), self.email)
        form.addRow(buddy_label("&Kommune:", self.kommune), self.kommune)
        form.addRow(buddy_label("&Bemærkning:", self.note), self.note)
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "organisation": self.organisation,
            "sector": self.sector,
            "role": self.role,
            "phone": self.phone,
            "email": self.email,
            "kommune_code": self.kommune,
            "note": self.note,
        }

        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Gem")
        self.save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Annullér")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        if contact is not None:
            self.name.setText(contact.name)
            self.organisation.setText(contact.organisation)
            self.sector.setCurrentIndex(max(0, self.sector.findData(contact.sector)))
            self.role.setText(contact.role)
            self.phone.setText(contact.phone)
            self.email.setText(contact.email)
            self.kommune.set_code(contact.kommune_code)
            self.note.setPlainText(contact.note)
        else:
            self.sector.setCurrentIndex(self.sector.findData(Sector.ANDET))
        self.name.setFocus()

    def _kommune_chosen(self) -> None:
        """Someone who works for a kommune is, unless said otherwise, on the kommune side (C1)."""
        if self.kommune.code() and Sector(self.sector.currentData()) is Sector.ANDET:
            self.sector.setCurrentIndex(self.sector.findData(Sector.KOMMUNE))

    def data(self) -> ContactInput:
        code = self.kommune.code()
        if code == "":
            raise ValidationError(
                f"Kommunen »{self.kommune.currentText().strip()}« findes ikke. Vælg en kommune i listen, "
                "eller lad feltet stå tomt.",
                field="kommune_code",
            )
        return ContactInput(
            name=self.name.text(),
            organisation=self.organisation.text(),
            sector=Sector(self.sector.currentData()),
            role=self.role.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            kommune_code=code,
            note=self.note.toPlainText(),
        )

    def save(self) -> None:
        try:
            data = self.data()
            if self._contact is None or self._contact.id is None:
                saved = self._service.add(data)
            else:
                saved = self._service.update(self._contact.id, data, self._contact.version or 0)
        except KoordinatorError as exc:
            self.error.setText("⚠ " + exc.message)
            self.error.show()
            widget = self.fields.get(getattr(exc, "field", None) or "")
            if widget is not None:
                widget.setFocus()
            return
        self.result_contact = saved
        self.saved.emit(saved)
        self.accept()
