"""Referat and distribution (C7): every participant is listed, with who receives the referat and why one does not.

The participants who took part receive it; one with no e-mail (the patient, often) is listed with the reason and
gets an address here, without any consent. Anyone else — one who sent afbud, the GP — only with the patient's
consent (C7, F1); a consent withdrawn since is listed too. The service decides (``MeetingService``); this dialog
shows its answer and asks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
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
from coordinator_app.ui.common.safe_text import literal, plain_label

#: The "Hvem er det" item of a participant without an address: its data is this prefix and the participant's key.
PARTICIPANT = "deltager:"
ADD_WITH_CONSENT = "&Tilføj (kræver samtykke)"
ADD_ADDRESS = "&Tilføj adresse til deltageren"


class ReferatDialog(QDialog):
    issued = Signal(object)  # the ArchivedDocument, once the referat is archived

    def __init__(self, service: MeetingService, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._meeting_id = meeting_id
        self._entries: list[DistributionEntry] = []
        self.document: ArchivedDocument | None = None
        meeting = service.get(meeting_id)
        self.setWindowTitle(f"Referat og distribution – {meeting.reference}")
        self.setMinimumSize(820, 520)
        intro = plain_label(
            "Referatet er mødets aftaler og sendes til deltagerne. Andre modtagere – fx egen læge, eller en der "
            "meldte afbud – kun med patientens samtykke (C7, F1). Alle deltagere står i listen; får én ikke "
            "referatet, står der hvorfor."
        )
        intro.setWordWrap(True)
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Modtager", "Adresse", "Får referatet?"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._row_chosen)

        self.name = QLineEdit()
        self.address = QLineEdit()
        self.address.setPlaceholderText("e-mail, sikker post eller postadresse")
        self.kind = QComboBox()
        self.add_box = QGroupBox("Tilføj modtager")
        form = QFormLayout(self.add_box)
        form.addRow("&Navn:", self.name)
        form.addRow("&Adresse:", self.address)
        form.addRow("&Hvem er det:", self.kind)
        self.add_button = QPushButton(ADD_WITH_CONSENT)
        self.add_button.clicked.connect(self.add)
        form.addRow("", self.add_button)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        self.message = plain_label()
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton("&Udsted referat", QDialogButtonBox.ButtonRole.AcceptRole)
        close = self.buttons.addButton("&Luk", QDialogButtonBox.ButtonRole.RejectRole)
        self.issue_button.clicked.connect(self.issue)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.add_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._fill(service.referat_recipients(meeting_id))
        self.issue_button.setFocus()

    # -- the list -----------------------------------------------------------------------------------------------
    def _fill(self, entries: list[DistributionEntry]) -> None:
        """Every participant and added recipient; who does not receive the referat in red, with the reason."""
        self._entries = list(entries)
        self.table.setRowCount(len(entries))
        for i, e in enumerate(entries):
            answer = f"Nej – {e.left_out}" if e.left_out else f"Ja – {e.consent_basis}"
            for j, text in enumerate((e.name, e.address or "–", answer)):
                item = QTableWidgetItem(text)
                if e.left_out:
                    item.setForeground(Qt.GlobalColor.darkRed)
                    item.setToolTip(literal(e.left_out))
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
        receiving = sum(1 for e in entries if not e.left_out)
        left_out = len(entries) - receiving
        text = f"{receiving} af {len(entries)} får referatet."
        if left_out:
            text += (
                f" {left_out} får det ikke – se hvorfor i listen. Vælg en deltager uden e-mail for at angive en "
                "adresse."
            )
        self.summary.setText(text)
        self._fill_kinds()

    def _fill_kinds(self) -> None:
        """«Hvem er det»: the recipient kinds the patient may consent to, then each participant who took part but has
        no address yet (no consent needed for them, C7)."""
        keep = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind, label in CONSENT_RECIPIENT_LABELS.items():
            if kind is not ConsentRecipient.KOMMUNE:
                self.kind.addItem(label, kind)
        self.kind.addItem(CONSENT_RECIPIENT_LABELS[ConsentRecipient.KOMMUNE], ConsentRecipient.KOMMUNE)
        for e in self._addressable():
            label = f"Deltager i mødet: {e.name} (intet samtykke nødvendigt)"
            self.kind.addItem(label, f"{PARTICIPANT}{e.participant_key}")
        self.kind.setCurrentIndex(max(0, self.kind.findData(keep)))
        self.kind.blockSignals(False)
        self._kind_changed()

    def _addressable(self) -> list[DistributionEntry]:
        """Participants left out only for want of an address (present, no e-mail): they get one here."""
        return [e for e in self._entries if e.left_out and e.participant_key is not None and not e.address]

    def _participant_key(self) -> str | None:
        data = self.kind.currentData()
        return data.removeprefix(PARTICIPANT) if isinstance(data, str) and data.startswith(PARTICIPANT) else None

    def _kind_changed(self, _index: int = 0) -> None:
        """A participant chosen under «Hvem er det»: their name is given (not typed), and no consent is needed."""
        key = self._participant_key()
        self.add_button.setText(ADD_ADDRESS if key is not None else ADD_WITH_CONSENT)
        participant = next((e for e in self._entries if key is not None and e.participant_key == key), None)
        if participant is not None:
            self.name.setText(participant.name)
        elif not self.name.isEnabled():
            self.name.clear()
        self.name.setEnabled(participant is None)

    def _row_chosen(self) -> None:
        """A participant without an address chosen in the list: the form is set to give them one."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        entry = self._entries[rows[0].row()]
        if entry not in self._addressable():
            return
        index = self.kind.findData(f"{PARTICIPANT}{entry.participant_key}")
        if index >= 0:
            self.kind.setCurrentIndex(index)
            self.address.setFocus()

    def _show(self, text: str, *, error: bool) -> None:
        style = "color: #8a1010; background: #f6d5d5; border: 1px solid #d9a0a0;" if error else "color: #1d5e20;"
        self.message.setStyleSheet(f"QLabel {{ {style} padding: 6px; }}")
        self.message.setText(("⚠ " if error else "✓ ") + text)
        self.message.show()

    # -- actions --------------------------------------------------------------------------------------------------
    def add(self) -> None:
        key = self._participant_key()
        try:
            if key is not None:
                self._service.add_participant_address(self._meeting_id, key, self.address.text())
            else:
                self._service.add_recipient(
                    self._meeting_id,
                    name=self.name.text(),
                    address=self.address.text(),
                    recipient=self.kind.currentData(),
                )
            entries = self._service.referat_recipients(self._meeting_id)
        except KoordinatorError as exc:
            self._show(exc.message, error=True)
            return
        who = self.name.text().strip()
        self.kind.setCurrentIndex(0)
        self._fill(entries)
        self._show(f"{who} får referatet på {self.address.text().strip()}.", error=False)
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
