"""The ward's administration in the Funktioner menu: Kontaktbog…, Sikkerhedskopier…, Brugere… and
Indstillinger… (Ctrl+,). The window greys out what the role may not do; the services refuse it anyway.

``saved(page)``: a settings page was saved (the window refreshes; "calendar" also renames the calendar in the
status bar). ``restored``: the database file was replaced from a backup (the window closes). The dialog modules load
when first opened (issue 7: start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.registry import Services
from coordinator_app.ui.common.errors import show_error

if TYPE_CHECKING:
    from coordinator_app.ui.contacts import contacts_dialog
    from coordinator_app.ui.settings import backup_dialog, settings_dialog, users_dialog
else:
    contacts_dialog = lazy_import("coordinator_app.ui.contacts.contacts_dialog")
    backup_dialog = lazy_import("coordinator_app.ui.settings.backup_dialog")
    settings_dialog = lazy_import("coordinator_app.ui.settings.settings_dialog")
    users_dialog = lazy_import("coordinator_app.ui.settings.users_dialog")


class SettingsActions(QObject):
    """The Funktioner dialogs over ``window``; ``open_dialog`` is the last one opened (kept alive while open)."""

    saved = Signal(str)
    restored = Signal()

    def __init__(self, window: QWidget, services: Services) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self.open_dialog: QDialog | None = None

    def edit_contacts(self) -> None:
        """Funktioner → Kontaktbog…: the ward's directory of people at the kommuner and elsewhere."""
        self.open_dialog = contacts_dialog.open_contacts_dialog(self._window, self._services.contacts)

    def open_contacts_at(self, parent: QWidget, kommune: str | None) -> QDialog:
        """The Kontaktbog over ``parent`` (a Send dialog), on ``kommune``'s secure mailbox (F3)."""
        return contacts_dialog.open_contacts_dialog(parent, self._services.contacts, kommune=kommune)

    def edit_users(self) -> None:
        try:
            dialog = users_dialog.UsersDialog(self._services.ctx, self._services.users, self._window)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog.open()
        self.open_dialog = dialog

    def edit_settings(self) -> None:
        self.open_dialog = settings_dialog.open_settings_dialog(self._window, self._services, on_saved=self.saved.emit)

    def edit_backups(self, *, passphrase: str | None, backup_timer: QTimer | None) -> None:
        """Funktioner → Sikkerhedskopier…: take, check and restore backups (issue 8). ``passphrase``: the encrypted
        database's adgangskode (memory only); ``backup_timer``: the automatic backups, stopped during a restore."""
        dialog = backup_dialog.open_backup_dialog(
            self._window, self._services.ctx, passphrase=passphrase, on_restored=self._restored
        )
        if backup_timer is not None:
            dialog.restore_started.connect(backup_timer.stop)  # no automatic backup of a file being replaced
        self.open_dialog = dialog

    def _restored(self, _path: Path) -> None:
        self.restored.emit()
