"""Versioner: every saved version of a plan, oldest first – who saved it when, what the save was, and the period
(E3: the history keeps every version; none is deleted).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import PlanStatus, PlanVersion
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import MUTED, text_label

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STATUS_LABELS = {PlanStatus.KLADDE: "Kladde", PlanStatus.I_KRAFT: "I kraft", PlanStatus.AFSLUTTET: "Afsluttet"}


class VersionsDialog(QDialog):
    """Every saved version of a plan, oldest first (E3: history keeps every version)."""

    def __init__(self, title: str, versions: list[PlanVersion], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Versioner – {title}")
        self.setMinimumSize(720, 360)
        self.setSizeGripEnabled(True)
        self.table = QTableWidget(len(versions), 5)
        self.table.setHorizontalHeaderLabels(["Nr.", "Tidspunkt", "Af", "Handling", "Periode"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for i, v in enumerate(versions):
            c = v.content
            period = f"{c.start:%d-%m-%Y}" if c.start else ""
            period += f" – {c.end:%d-%m-%Y}" if c.end else ""
            when = v.saved_at.astimezone(COPENHAGEN)
            cells = (str(v.number), f"{when:%d-%m-%Y %H:%M}", v.saved_by, v.action or STATUS_LABELS[v.status], period)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(f"Status efter gemning: {STATUS_LABELS[v.status]}"))
                self.table.setItem(i, j, item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("Hver gemning og hver udstedelse er en version; ingen slettes.", MUTED))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)
