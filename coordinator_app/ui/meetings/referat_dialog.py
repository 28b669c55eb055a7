"""Referat and distribution (C7): participants receive the referat; anyone else only with consent."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import CONSENT_RECIPIENT_LABELS, ArchivedDocument, ConsentRecipient
from coordinator_app.services.meetings import DistributionEntry, MeetingService


class ReferatDialog(QDialog):
    issued = Signal(object)  # the ArchivedDocument, once the referat is archived

    def __init__(self, service: MeetingService, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._meeting_id = meeting_id
        self.document: ArchivedDocument | None = None
        meeting = service.get(meeting_id)
        self.setWindowTitle(f"Referat og distribution – {meeting.reference}")
        self.setMinimumSize(700, 480)
        intro = QLabel(
            "Referatet er mødets aftaler og sendes til deltagerne. Andre modtagere – fx egen læge – kun med "
            "patientens samtykke (C7, F1)."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Modtager", "Adresse", "Grundlag"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.name = QLineEdit()
        self.address = QLineEdit()
        self.address.setPlaceholderText("e-mail, sikker post eller postadresse")
        self.kind = QComboBox()
        for kind, label in CONSENT_RECIPIENT_LABELS.items():
            if kind is not ConsentRecipient.KOMMUNE:
                self.kind.addItem(label, kind)
        self.kind.addItem(CONSENT_RECIPIENT_LABELS[ConsentRecipient.KOMMUNE], ConsentRecipient.KOMMUNE)
        add_box = QGroupBox("Tilføj modtager, der ikke deltog")
        form = QFormLayout(add_box)
        form.addRow("&Navn:", self.name)
        form.addRow("&Adresse:", self.address)
        form.addRow("&Hvem er det:", self.kind)
        self.add_button = QPushButton("&Tilføj (kræver samtykke)")
        self.add_button.clicked.connect(self.add)
        form.addRow("", self.add_button)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton("&Udsted referat", QDialogButtonBox.ButtonRole.AcceptRole)
        close = self.buttons.addButton("&Luk", QDialogButtonBox.ButtonRole.RejectRole)
        self.issue_button.clicked.connect(self.issue)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(add_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._fill(service.distribution(meeting_id))
        self.issue_button.setFocus()

    def _fill(self, entries: list[DistributionEntry]) -> None:
        self.table.setRowCount(len(entries))
        for i, e in enumerate(entries):
            for j, text in enumerate((e.name, e.address, e.consent_basis)):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def _show(self, text: str, *, error: bool) -> None:
        style = "color: #8a1010; background: #f6d5d5; border: 1px solid #d9a0a0;" if error else "color: #1d5e20;"
        self.message.setStyleSheet(f"QLabel {{ {style} padding: 6px; }}")
        self.message.setText(("⚠ " if error else "✓ ") + text)
        self.message.show()

    def add(self) -> None:
        try:
            entries = self._service.add_recipient(
                self._meeting_id, name=self.name.text(), address=self.address.text(), recipient=self.kind.currentData()
            )
        except KoordinatorError as exc:
            self._show(exc.message, error=True)
            return
        self._fill(entries)
        self._show(f"{self.name.text().strip()} er tilføjet.", error=False)
        self.name.clear()
        self.address.clear()

    def issue(self) -> None:
        try:
            self.document = self._service.issue_referat(self._meeting_id)
        except KoordinatorError as exc:
            self._show(exc.message, error=True)
            return
        self._show(f"Referatet er udstedt og gemt under Dokumenter ({self.document.title}).", error=False)
        self.issue_button.setEnabled(False)
        self.issued.emit(self.document)
