"""The patient's consents (F1, F2, C7): what, to whom, when, how — record new ones and honour withdrawal."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import CONSENT_RECIPIENT_LABELS, Consent, ConsentMethod, ConsentRecipient
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import ERROR_STYLE
from coordinator_app.ui.common.widgets import DateField

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
METHOD_LABELS = {ConsentMethod.MUNDTLIGT: "Mundtligt", ConsentMethod.SKRIFTLIGT: "Skriftligt"}


class ConsentDialog(QDialog):
    def __init__(
        self,
        service: ConsentService,
        *,
        patient_id: int,
        admission_id: int | None,
        patient_name: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._patient_id = patient_id
        self._admission_id = admission_id
        self._consents: list[Consent] = []
        self.changed = False
        self.setWindowTitle(f"Samtykker – {patient_name}")
        self.setMinimumSize(760, 460)

        intro = plain_label(
            "Udveksling af oplysninger kræver patientens samtykke eller en lovhjemmel (F1). Pårørende inddrages "
            "kun med samtykke (F2); referater til andre end mødets deltagere kun med samtykke (C7)."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Til", "Hvem", "Hvad", "Hvordan", "Givet", "Status"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.withdraw_button = QPushButton("&Træk samtykke tilbage…")
        self.withdraw_button.clicked.connect(self.withdraw)

        self.recipient = QComboBox()
        for kind, label in CONSENT_RECIPIENT_LABELS.items():
            self.recipient.addItem(label, kind)
        self.given_to = QLineEdit()
        self.given_to.setPlaceholderText("fx Københavns Kommune, egen læge, søster")
        self.scope = QLineEdit("Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning")
        self.method = QComboBox()
        for method, label in METHOD_LABELS.items():
            self.method.addItem(label, method)
        self.given_on = DateField(today)
        add_box = QGroupBox("Registrér nyt samtykke")
        form = QFormLayout(add_box)
        form.addRow("&Til:", self.recipient)
        form.addRow("H&vem:", self.given_to)
        form.addRow("Hv&ad:", self.scope)
        form.addRow("Hv&ordan:", self.method)
        form.addRow("&Givet den:", self.given_on)
        self.add_button = QPushButton("&Registrér samtykke")
        self.add_button.clicked.connect(self.add)
        form.addRow("", self.add_button)

        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.withdraw_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(add_box)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.reload()
        self.given_to.setFocus()

    def reload(self) -> None:
        self._consents = self._service.for_patient(self._patient_id)
        self.table.setRowCount(len(self._consents))
        for i, c in enumerate(reversed(self._consents)):
            status = (
                "Aktivt"
                if c.withdrawn_at is None
                else f"Trukket tilbage {c.withdrawn_at.astimezone(COPENHAGEN):%d-%m-%Y}"
            )
            cells = (
                CONSENT_RECIPIENT_LABELS[c.recipient],
                c.given_to,
                c.scope,
                METHOD_LABELS[c.method],
                f"{c.given_at.astimezone(COPENHAGEN):%d-%m-%Y}",
                status,
            )
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self._selection_changed()

    def _selected(self) -> Consent | None:
        rows = self.table.selectionModel().selectedRows()
        return list(reversed(self._consents))[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        consent = self._selected()
        self.withdraw_button.setEnabled(consent is not None and consent.active)

    def add(self) -> None:
        data = ConsentInput(
            recipient=self.recipient.currentData(),
            given_to=self.given_to.text(),
            scope=self.scope.text(),
            method=self.method.currentData(),
            given_on=self.given_on.value(),
        )
        try:
            self._service.record(self._patient_id, self._admission_id, data)
        except KoordinatorError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            return
        self.error_label.hide()
        self.given_to.clear()
        self.changed = True
        self.reload()

    def withdraw(self) -> None:
        consent = self._selected()
        if consent is None or consent.id is None:
            return
        answer = QMessageBox.question(
            self,
            "Træk samtykke tilbage",
            literal(
                f"Træk samtykket til {consent.given_to} tilbage? Fra nu af sendes der ikke oplysninger på grundlag af "
                "det (F1). Registreringen bliver stående i historikken."
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.withdraw(consent.id)
        except KoordinatorError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            return
        self.changed = True
        self.reload()


__all__ = ["ConsentDialog", "ConsentRecipient"]
