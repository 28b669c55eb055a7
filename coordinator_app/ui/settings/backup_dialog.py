"""Sikkerhedskopier (Funktioner → Sikkerhedskopier…, issue 8): see, take, check and restore backups.

The dialog shows the database file, whether it is encrypted, the backup folder and the backups of this database
(newest first, ``backup_table``). **Tag sikkerhedskopi nu** takes an online, checked backup
(``services.backups.backup_now``); **Kontrollér** runs the full check of the selected one (``verify_backup``);
**Gendan…** explains what a restore does, closes the database (``Database.dispose``), replaces the file with the
backup (``services.backups.restore``: checked first, the current file kept as ``….before-restore``, one atomic
rename) and hands the path to ``on_restored`` so the application can open it again. The work runs in a thread
behind a progress dialog fed by the page-copy progress callback (``ui.common.work``), so the window keeps painting.
A shared PostgreSQL database is backed up by IT on the server; the dialog says so.

Split by what the parts hold: this module the dialog (its layout, state and actions), ``backup_table`` the list of
backups, ``ui.common.work`` the background work and its progress dialog, ``backup_texts`` the Danish wording.

The passphrase of an encrypted database is handed in by the caller (the application holds it from start-up); the
dialog keeps it only while it is open and never writes it anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import DamagedDatabaseError, KoordinatorError, StorageError
from coordinator_app.infra.oserrors import describe
from coordinator_app.services import backups
from coordinator_app.services.backups import BackupInfo, CheckResult, ProgressCallback, RestoreInfo
from coordinator_app.services.context import ServiceContext
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, INFO_STYLE, MUTED, OK_STYLE, WARNING_STYLE, text_label
from coordinator_app.ui.common.work import Finished, WorkRunner
from coordinator_app.ui.settings import backup_texts as say
from coordinator_app.ui.settings.backup_table import BackupTable, when

__all__ = ["BackupDialog", "open_backup_dialog"]


class BackupDialog(QDialog):
    """Sikkerhedskopier of one open database.

    ``progress_changed(done, total)`` mirrors the page-copy progress of a backup or restore; ``restore_started``
    is emitted just before the database is closed for a restore (stop timers that would use it);
    ``backup_taken(path)`` after a backup made here.
    """

    progress_changed = Signal(int, int)
    restore_started = Signal()
    backup_taken = Signal(Path)

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        passphrase: str | None,
        on_restored: Callable[[Path], None],
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx  # who takes a backup (``backups.take_backup`` checks the role and logs it)
        self._db = db = ctx.database
        self._passphrase = passphrase
        self._on_restored = on_restored
        self._work = WorkRunner(self)
        self._work.progressed.connect(self.progress_changed)
        self._work.busy_changed.connect(self._update_buttons)
        self._checked: dict[Path, bool] = {}
        self.local = backups.is_local(db)
        self.folder = folder or backups.backup_folder(db)
        self.setWindowTitle("Sikkerhedskopier")
        if self.local:
            self.setMinimumSize(720, 480)
            self.resize(820, 560)
        else:  # only the explanation and the disabled buttons
            self.setMinimumSize(640, 240)
            self.resize(720, 260)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.info_label = text_label(say.ABOUT_AUTOMATIC if self.local else say.not_local(db), INFO_STYLE)
        layout.addWidget(self.info_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(14)
        self.database_label = self._selectable(str(db.path) if db.path is not None else db.where)
        form.addRow("Database:", self.database_label)
        self.encryption_label = self._selectable(say.encryption(db, local=self.local))
        if self.local and not db.encrypted:
            self.encryption_label.setStyleSheet("color: #8a1010; font-weight: bold;")
        form.addRow("Kryptering:", self.encryption_label)
        self.folder_label = self._selectable(str(self.folder) if self.folder else "– (tages af IT på serveren)")
        self.open_folder_button = QPushButton("Åbn &mappe")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.setToolTip("Vis mappen med sikkerhedskopierne i filhåndteringen")
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        form.addRow("Mappe:", folder_row)
        layout.addLayout(form)

        self.read_only_label = text_label(say.READ_ONLY, WARNING_STYLE)
        self.read_only_label.setVisible(self.local and db.read_only)
        layout.addWidget(self.read_only_label)

        self.table = BackupTable()
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.check_selected())
        layout.addWidget(self.table, 1 if self.local else 0)

        self.count_label = text_label(style=MUTED)
        layout.addWidget(self.count_label)
        self.status_label = text_label()
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        layout.addWidget(self.status_label)
        if not self.local:
            layout.addStretch(1)

        self.backup_button = QPushButton("&Tag sikkerhedskopi nu")
        self.backup_button.clicked.connect(self.take_backup)
        self.check_button = QPushButton("&Kontrollér")
        self.check_button.setToolTip("Læs hele den valgte sikkerhedskopi igennem og kontrollér den")
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button = QPushButton("&Gendan…")
        self.restore_button.setToolTip("Erstat databasen med den valgte sikkerhedskopi")
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton("&Luk")
        self.close_button.clicked.connect(self.reject)
        for button in (self.backup_button, self.check_button, self.restore_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.reload()

    # -- what is shown ------------------------------------------------------------------------------------------
    @staticmethod
    def _selectable(text: str) -> QLabel:
        label = plain_label(text)  # one line: a path wrapped at its slashes is hard to read (and a form row clips it)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @property
    def busy(self) -> bool:
        return self._work.busy

    @property
    def backups(self) -> list[BackupInfo]:
        """This database's backups in the folder, newest first, as the table shows them."""
        return self.table.backups

    def reload(self) -> None:
        """Read the backup folder again (this database's backups only, newest first)."""
        found = backups.backups_of(self._db, self.folder)
        self.table.show_backups(found, self._checked, database_encrypted=self._db.encrypted)
        self.table.setVisible(self.local)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        if not self.local:
            self.count_label.hide()
            return
        self.count_label.show()
        self.count_label.setText(say.count(self.backups))

    def _update_buttons(self) -> None:
        idle = not self.busy
        chosen = self.selected() is not None
        self.backup_button.setEnabled(self.local and idle and not self._db.read_only)
        self.backup_button.setToolTip(
            "En beskadiget database kan ikke sikkerhedskopieres; gendan en sikkerhedskopi i stedet."
            if self.local and self._db.read_only
            else "Tag en sikkerhedskopi af databasen nu (den kontrolleres, før den gemmes)"
        )
        self.check_button.setEnabled(self.local and idle and chosen)
        self.restore_button.setEnabled(self.local and idle and chosen)
        self.open_folder_button.setEnabled(self.local)
        self.close_button.setEnabled(idle)

    def selected(self) -> BackupInfo | None:
        return self.table.selected()

    def select(self, path: Path) -> None:
        """Select the backup at ``path`` (tests, and after a backup is taken)."""
        self.table.select(path)

    def _say(self, text: str, style: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)
        self.status_label.show()

    # -- actions ------------------------------------------------------------------------------------------------
    def open_folder(self) -> None:
        """Åbn mappe: the backup folder in the system's file manager (created if it is not there yet)."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            show_error(
                self,
                StorageError(f"Mappen {self.folder} kunne ikke oprettes ({describe(exc)}). Kontakt IT."),
                title="Sikkerhedskopier",
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))):
            show_error(
                self,
                StorageError(f"Mappen kunne ikke åbnes i filhåndteringen. Den ligger her:\n{self.folder}"),
                title="Sikkerhedskopier",
            )

    def take_backup(self) -> None:
        """Tag sikkerhedskopi nu: an online backup, page by page, then its full check, in the background."""
        if self.busy or not self.local or self._db.read_only:
            return
        ctx, folder = self._ctx, self.folder
        self._start(
            lambda progress: backups.take_backup(ctx, folder, progress=progress),
            title="Tager sikkerhedskopi",
            label="Kopierer databasen …",
            done_label="Kontrollerer sikkerhedskopien …",
            finished=self._backup_done,
        )

    def _backup_done(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            show_error(self, _expected(error), title="Sikkerhedskopien mislykkedes")
            self._say(_expected(error).message, ERROR_STYLE)
            return
        info: BackupInfo = result
        self._checked[info.path] = True
        self.reload()
        self.select(info.path)
        self._say(say.taken(info), OK_STYLE)
        self.backup_taken.emit(info.path)

    def check_selected(self) -> None:
        """Kontrollér: read the whole selected backup (``integrity_check``; encrypted: every page's HMAC)."""
        backup = self.selected()
        if self.busy or backup is None:
            return
        passphrase = self._passphrase if backup.encrypted else None
        if backup.encrypted and passphrase is None:
            self._say(say.needs_passphrase(backup), ERROR_STYLE)
            return
        self._start(
            lambda _progress: backups.verify_backup(backup.path, passphrase=passphrase),
            title="Kontrollerer sikkerhedskopi",
            label=f"Kontrollerer sikkerhedskopien taget {when(backup.created)} …",
            finished=lambda result, error: self._check_done(backup, result, error),
        )

    def _check_done(self, backup: BackupInfo, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self._checked[backup.path] = False
            self.reload()
            self._say(_expected(error).message, ERROR_STYLE)
            return
        check: CheckResult = result
        self._checked[backup.path] = check.ok
        self.reload()
        self._say(say.checked(backup, check), OK_STYLE if check.ok else ERROR_STYLE)

    def restore_selected(self) -> None:
        """Gendan…: explain, ask, close the database, restore in the background, then hand over to the app."""
        backup = self.selected()
        db_path = self._db.path
        if self.busy or backup is None or db_path is None or not self.local:
            return
        refusal = self._refusal(backup)
        if refusal is not None:
            show_error(self, StorageError(refusal), title="Sikkerhedskopien kan ikke gendannes")
            return
        answer = QMessageBox.question(
            self,
            "Gendan sikkerhedskopi",
            literal(say.restore_question(backup, db_path)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        passphrase = self._passphrase if backup.encrypted else None
        self.restore_started.emit()
        self._db.dispose()  # restore needs the database closed: no pooled connection may keep the old file open
        self._start(
            lambda progress: backups.restore(self._ctx, backup.path, passphrase=passphrase, progress=progress),
            title="Gendanner database",
            label=f"Kontrollerer sikkerhedskopien taget {when(backup.created)} …",
            copy_label="Gendanner databasen fra sikkerhedskopien …",
            done_label="Kontrollerer den gendannede database …",
            finished=lambda result, error: self._restore_done(backup, result, error),
        )

    def _refusal(self, backup: BackupInfo) -> str | None:
        if self._db.encrypted and not backup.encrypted:
            return say.plain_into_encrypted(backup)
        if backup.encrypted and self._passphrase is None:
            return say.needs_passphrase(backup)
        return None

    def _restore_done(self, backup: BackupInfo, result: Any, error: BaseException | None) -> None:
        if error is not None:
            failure = _expected(error)
            text = say.restore_failed(failure.message)
            if isinstance(failure, DamagedDatabaseError):
                self._checked[backup.path] = False
            self.reload()
            self._say(text, ERROR_STYLE)
            show_error(self, StorageError(text), title="Gendannelsen mislykkedes")
            return
        info: RestoreInfo = result
        QMessageBox.information(self, "Databasen er gendannet", literal(say.restored(backup, info)))
        self._passphrase = None
        self.accept()
        self._on_restored(info.path)  # last: the application may close the window this dialog belongs to

    # -- running work in the background -------------------------------------------------------------------------
    def _start(
        self,
        work: Callable[[ProgressCallback], Any],
        *,
        title: str,
        label: str,
        finished: Finished,
        copy_label: str | None = None,
        done_label: str | None = None,
    ) -> None:
        self.status_label.hide()
        self._work.start(
            work, title=title, label=label, finished=finished, copy_label=copy_label, done_label=done_label
        )

    # -- closing --------------------------------------------------------------------------------------------------
    def reject(self) -> None:
        if self.busy:  # the work finishes in seconds; the dialog (and its thread) must outlive it
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._passphrase = None
        super().done(result)


def _expected(error: BaseException) -> KoordinatorError:
    assert isinstance(error, KoordinatorError)
    return error


def open_backup_dialog(
    parent: QWidget | None,
    ctx: ServiceContext,
    *,
    passphrase: str | None,
    on_restored: Callable[[Path], None],
    folder: Path | None = None,
) -> BackupDialog:
    """Funktioner → Sikkerhedskopier…: the dialog, opened window-modal without blocking; returned for the caller.

    ``passphrase``: the adgangskode the database was opened with (``None`` for a plain or shared database); it is
    needed to check and restore encrypted backups and is not kept after the dialog closes. ``on_restored(db_path)``
    runs after a successful restore, with the database closed: the application must open it again (or restart).
    ``folder``: where the backups are (default ``backups/`` beside the database, as the automatic backups).
    """
    dialog = BackupDialog(ctx, passphrase=passphrase, on_restored=on_restored, folder=folder, parent=parent)
    dialog.open()
    return dialog
