"""The Sikkerhedskopier dialog's table (``backup_dialog``): one row per backup of the open database, newest first.

Columns: when it was taken (to the second: several can be taken within a minute), its size, whether it is
encrypted (red when the database is and the backup is not: it cannot be restored into it), what this dialog's
check found (empty until checked), and a note for the backup taken before an upgrade. The table keeps the
backups it shows (``backups``) and the chosen one (``selected``) across a reload.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from coordinator_app.services.backups import BackupInfo
from coordinator_app.ui.common.safe_text import literal

__all__ = ["CHECKED", "COLUMNS", "ENCRYPTED", "NOTE", "SIZE", "TAKEN", "BackupTable", "size_text", "when"]

COLUMNS = ("Taget", "Størrelse", "Krypteret", "Kontrol", "Bemærkning")
TAKEN, SIZE, ENCRYPTED, CHECKED, NOTE = range(len(COLUMNS))


def when(created: datetime) -> str:
    """``23-11-2026 kl. 15:30:00`` (seconds: several backups can be taken within a minute)."""
    return f"{created:%d-%m-%Y} kl. {created:%H:%M:%S}"


def size_text(size: int) -> str:
    """``512 kB``, ``12,4 MB`` (Danish decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


class BackupTable(QTableWidget):
    """The backups, one row each; single selection by row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.backups: list[BackupInfo] = []
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setStyleSheet(
            "QTableWidget::item { padding: 0px 8px; } QHeaderView::section { padding: 3px 8px 3px 11px; }"
        )
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName("Sikkerhedskopier, nyeste først")

    def show_backups(self, backups: list[BackupInfo], checked: dict[Path, bool], *, database_encrypted: bool) -> None:
        """Show ``backups`` (newest first) with what was ``checked``; the chosen backup stays chosen, else the
        newest is."""
        selected = self.selected()
        self.backups = backups
        self.setRowCount(len(backups))
        for row, backup in enumerate(backups):
            self._fill_row(row, backup, checked.get(backup.path), database_encrypted)
        if backups:
            paths = [b.path for b in backups]
            self.selectRow(paths.index(selected.path) if selected and selected.path in paths else 0)

    def _fill_row(self, row: int, backup: BackupInfo, checked: bool | None, database_encrypted: bool) -> None:
        values = (
            when(backup.created),
            size_text(backup.size),
            "Ja" if backup.encrypted else "Nej",
            "" if checked is None else ("I orden" if checked else "BESKADIGET"),
            "Før opdatering" if backup.before_upgrade else "",
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(literal(str(backup.path)))
            if column == SIZE:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == NOTE and backup.before_upgrade:
                item.setToolTip("Taget automatisk, før databasen blev opdateret til en ny version af Koordinator")
            if column == CHECKED and checked is False:
                item.setForeground(Qt.GlobalColor.darkRed)
            if column == ENCRYPTED and not backup.encrypted and database_encrypted:
                item.setForeground(Qt.GlobalColor.darkRed)
                item.setToolTip("Ikke krypteret: kan ikke gendannes ind i en krypteret database")
            self.setItem(row, column, item)

    def selected(self) -> BackupInfo | None:
        rows = self.selectionModel().selectedRows()
        if not rows or not (0 <= rows[0].row() < len(self.backups)):
            return None
        return self.backups[rows[0].row()]

    def select(self, path: Path) -> None:
        """Select the backup at ``path``."""
        for row, backup in enumerate(self.backups):
            if backup.path == path:
                self.selectRow(row)
                return
