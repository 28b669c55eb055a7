"""Funktioner → «Udlånte sager…» (issue 19): the loans out — laptop, by whom, since, expected return (overdue
marked), which patients — and «Tilbagekald…» for the administrator.

Everyone who can read the ward sees the list (each lent case already says "Udlånt til … af … siden …" in its
details); only ``Permission.REVOKE_LOAN`` (the administrator) may revoke — the button is greyed out with the reason
for others, and ``services.offline.revoke`` refuses anyway. Revoking asks for the reason (it goes to the audit log)
and says what it means for the laptop's work. ``revoked(laptop)``: a loan was revoked (the window refreshes).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.services import offline
from coordinator_app.services.context import ServiceContext
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import MUTED, WARNING_STYLE, buddy_label, error_label, text_label
from coordinator_app.ui.common.tables import ID_ROLE, SortItem, read_only_table

__all__ = ["CONFLICT_WARNING", "LoansDialog", "RevokeDialog"]

COLUMNS = ("Bærbar", "Udlånt af", "Siden", "Forventet tilbage", "Sager")
ONLY_ADMIN = "Kun en administrator kan tilbagekalde et udlån."
CONFLICT_WARNING = (
    "Ændringer på den bærbare, der rører det samme, bliver konflikter ved aflevering. Afsnittet kan skrive i "
    "sagerne igen, så snart udlånet er tilbagekaldt."
)


class LoansDialog(QDialog):
    revoked = Signal(str)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.may_revoke = ctx.may(Permission.REVOKE_LOAN)
        self.setWindowTitle("Udlånte sager")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(860, 380)
        self.revoke_dialog: RevokeDialog | None = None

        self.table = read_only_table(COLUMNS)
        self.table.setAccessibleName("Udlånte sager")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.empty = text_label("Ingen sager er udlånt lige nu.", MUTED)
        self.revoke_button = QPushButton("&Tilbagekald…")
        self.revoke_button.clicked.connect(self.ask_revoke)
        if not self.may_revoke:
            self.revoke_button.setToolTip(literal(ONLY_ADMIN))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.addButton(self.revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                "Sager, der er taget med offline på en bærbar. Afsnittet kan kun læse dem, til offline-kopien er "
                "afleveret, eller en administrator tilbagekalder udlånet (fx hvis den bærbare er bortkommet)."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        if not self.may_revoke:
            layout.addWidget(text_label(ONLY_ADMIN, MUTED))
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.load()

    def load(self) -> None:
        """(Re)read the loans out; raises ``KoordinatorError`` (the caller shows it)."""
        listed = offline.loans_listed(self._ctx)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(listed))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, entry in enumerate(listed):
            loan = entry.loan
            first = SortItem(loan.laptop)
            first.setData(ID_ROLE, loan.loan_id)
            self.table.setItem(row, 0, first)
            self.table.setItem(row, 1, SortItem(loan.lent_by))
            self.table.setItem(row, 2, SortItem(loan.since, loan.lent_at.isoformat()))
            back = loan.expected_return
            text = "" if back is None else back.strftime("%d-%m-%Y") + (" – overskredet" if entry.overdue else "")
            item = SortItem(text, back.isoformat() if back else "")
            if entry.overdue:
                item.setForeground(Qt.GlobalColor.darkRed)
                item.setFont(bold)
                item.setToolTip("Den bærbare skulle have været afleveret.")
            self.table.setItem(row, 3, item)
            self.table.setItem(row, 4, SortItem("\n".join(entry.patients)))
        self.table.setSortingEnabled(True)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(listed))
        self.empty.setVisible(not listed)
        if listed:
            self.table.selectRow(0)
        self._update_button()

    def _update_button(self) -> None:
        self.revoke_button.setEnabled(self.may_revoke and self.selected_loan_id() is not None)

    def selected_loan_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        value = item.data(ID_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def ask_revoke(self) -> None:
        loan_id = self.selected_loan_id()
        if loan_id is None or not self.may_revoke:
            return
        row = self.table.selectionModel().selectedRows()[0].row()
        what = f"{self._text(row, 0)}, udlånt af {self._text(row, 1)} siden {self._text(row, 2)}"
        dialog = RevokeDialog(self._ctx, loan_id, what, self._text(row, 4), self)
        dialog.accepted.connect(lambda: self._after_revoke(dialog.laptop_name))
        dialog.open()
        self.revoke_dialog = dialog

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _after_revoke(self, laptop: str) -> None:
        try:
            self.load()
        except KoordinatorError:  # the revoke is done; the list is read again when the dialog opens next time
            self.table.setRowCount(0)
        self.revoked.emit(laptop)


class RevokeDialog(QDialog):
    """The reason (to the audit log) and what revoking means; «Tilbagekald udlånet» calls the service."""

    def __init__(self, ctx: ServiceContext, loan_id: str, what: str, patients: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loan_id = loan_id
        self.laptop_name = what.split(",", 1)[0]
        self.setWindowTitle("Tilbagekald udlån")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("fx «den bærbare er bortkommet»")
        self.reason.setAccessibleName("Begrundelse")
        self.error_label = error_label()
        self.reason.textEdited.connect(lambda _text: self.error_label.hide())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Tilbagekald &udlånet")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        buttons.accepted.connect(self.revoke)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(f"Udlånet til {what}:\n{patients}"))
        layout.addWidget(buddy_label("&Begrundelse (står i revisionsloggen):", self.reason))
        layout.addWidget(self.reason)
        layout.addWidget(text_label(CONFLICT_WARNING, WARNING_STYLE))
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def revoke(self) -> None:
        try:
            loan = offline.revoke(self._ctx, self._loan_id, self.reason.text())
        except KoordinatorError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            self.reason.setFocus()
            return
        self.laptop_name = loan.laptop
        self.accept()
