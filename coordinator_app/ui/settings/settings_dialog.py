"""Indstillinger (Funktioner → Indstillinger…): what the deadlines, the Statistik and the documents depend on.

Four pages, each saved with its own button into the database (``app_meta`` and the reference tables), so every
workstation sharing the database computes the same: **Sengedagstakst** (B5, § 238), **Kalender og regler**
(extra closing days, dage or hverdage per rule — docs/regler.md, *Sådan tælles fristerne*), **Afsnittets
profil** (the sender on documents, F3) and **Kommuner og centre** (the kommuner's system entrances, F3, and
the centres and wards). The Kontaktbog opens from the button row. Closing with unsaved changes asks first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.services.registry import Services
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.contacts.contacts_dialog import ContactsDialog, open_contacts_dialog
from coordinator_app.ui.settings.calendar_page import CalendarPage
from coordinator_app.ui.settings.profile_page import ProfilePage
from coordinator_app.ui.settings.rates_page import RatesPage
from coordinator_app.ui.settings.settings_kommuner import KommunerPage
from coordinator_app.ui.settings.settings_page import SettingsPage

__all__ = ["SettingsDialog", "open_settings_dialog"]


# -- the dialog ---------------------------------------------------------------------------------------------------


class SettingsDialog(QDialog):
    """Indstillinger: four pages, each saved on its own; ``saved(page key)`` after each save."""

    saved = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        ctx = services.ctx
        self.setWindowTitle("Indstillinger")
        self.resize(1000, 660)
        self.setMinimumSize(820, 520)
        self.contacts: ContactsDialog | None = None
        self.confirm: QMessageBox | None = None
        self._closing = False

        self.rates = RatesPage(ctx)
        self.calendar = CalendarPage(ctx)
        self.profile = ProfilePage(ctx)
        self.kommuner = KommunerPage(services)
        self.pages: list[SettingsPage] = [self.rates, self.calendar, self.profile, self.kommuner]
        self.tabs = QTabWidget()
        for page, title in zip(
            self.pages,
            ("&Sengedagstakst", "&Kalender og regler", "&Afsnittets profil", "K&ommuner og centre"),
            strict=True,
        ):
            self.tabs.addTab(page, title)
            page.saved.connect(self.saved)

        self.contacts_button = QPushButton("&Åbn kontaktbog…")
        self.contacts_button.setToolTip("Personer og kommunernes systemindgange (F3)")
        self.contacts_button.setAutoDefault(False)
        self.contacts_button.clicked.connect(self.open_contacts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("&Luk")
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.contacts_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)

    def unsaved(self) -> list[str]:
        return [p.title for p in self.pages if p.dirty]

    def open_contacts(self) -> ContactsDialog:
        self.contacts = open_contacts_dialog(self, self._services.contacts)
        self.contacts.finished.connect(lambda _r: self.kommuner.reload_kommuner())
        return self.contacts

    def reject(self) -> None:
        """Luk/Esc: ask before dropping unsaved changes (non-blocking)."""
        pages = self.unsaved()
        if not pages or self._closing:
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Ændringer er ikke gemt",
            literal(f"Der er ændringer, der ikke er gemt, på {', '.join(pages)}.\n\nLuk uden at gemme dem?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Discard).setText("Luk &uden at gemme")
        box.button(QMessageBox.StandardButton.Cancel).setText("&Annullér")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(result: int) -> None:
            self.confirm = None
            if result == QMessageBox.StandardButton.Discard:
                self._closing = True
                super(SettingsDialog, self).reject()

        box.finished.connect(answered)
        self.confirm = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.unsaved() and not self._closing:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def open_settings_dialog(
    parent: QWidget | None, services: Services, *, on_saved: Callable[[str], None] | None = None
) -> SettingsDialog:
    """Funktioner → Indstillinger…: the dialog, opened window-modal without blocking; returned for the caller.

    ``on_saved(key)`` runs after a page is saved: ``"rates"``, ``"calendar"``, ``"profile"``, ``"kommuner"`` (a
    kommune's entrance) or ``"centres"``.
    """
    dialog = SettingsDialog(services, parent)
    if on_saved is not None:
        dialog.saved.connect(on_saved)
    dialog.open()
    return dialog
