"""Sikkerhedskopier (Funktioner → Sikkerhedskopier…, issue 8): see, take, check and restore backups.

The dialog shows the database file, whether it is encrypted, the backup folder and the backups of this database
(newest first). **Tag sikkerhedskopi nu** takes an online, checked backup (``backup.backup_now``); **Kontrollér**
runs the full check of the selected one (``verify_backup``); **Gendan…** explains what a restore does, closes the
database (``Database.dispose``), replaces the file with the backup (``backup.restore``: checked first, the current
file kept as ``….before-restore``, one atomic rename) and hands the path to ``on_restored`` so the application can
open it again. The work runs in a ``QThread`` behind a progress dialog fed by the page-copy progress callback, so
the window keeps painting. A shared PostgreSQL database is backed up by IT on the server; the dialog says so.

The passphrase of an encrypted database is handed in by the caller (the application holds it from start-up); the
dialog keeps it only while it is open and never writes it anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThread, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import DamagedDatabaseError, KoordinatorError, StorageError
from coordinator_app.storage.backup import (
    BackupInfo,
    ProgressCallback,
    RestoreInfo,
    backup_now,
    default_backup_dir,
    list_backups,
    restore,
    verify_backup,
)
from coordinator_app.storage.database import Database
from coordinator_app.storage.sqlite_file import CheckResult
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.style import ERROR_STYLE, INFO_STYLE, MUTED, OK_STYLE, WARNING_STYLE, text_label

__all__ = ["BackupDialog", "open_backup_dialog"]

COLUMNS = ("Taget", "Størrelse", "Krypteret", "Kontrol", "Bemærkning")
TAKEN, SIZE, ENCRYPTED, CHECKED, NOTE = range(len(COLUMNS))

ABOUT_AUTOMATIC = (
    "Koordinator tager selv en sikkerhedskopi hvert kvarter, når data er ændret, og når programmet lukkes. "
    "Hver kopi kontrolleres, før den gemmes. Gamle kopier ryddes op: de 10 nyeste gemmes, og derudover én pr. "
    "dag i en uge, én pr. uge i fem uger og én pr. måned i et år."
)


def when(created: datetime) -> str:
    """``23-11-2026 kl. 15:30:00`` (seconds: several backups can be taken within a minute)."""
    return f"{created:%d-%m-%Y} kl. {created:%H:%M:%S}"


def size_text(size: int) -> str:
    """``512 kB``, ``12,4 MB`` (Danish decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def restore_question(backup: BackupInfo, db_path: Path) -> str:
    """What the coordinator agrees to before a restore."""
    return (
        f"Gendan databasen fra sikkerhedskopien taget {when(backup.created)}?\n\n"
        "• Koordinator lukker databasen, mens den gendannes.\n"
        f"• Den nuværende databasefil gemmes som {db_path.name}.before-restore i samme mappe.\n"
        "• Alt, hvad der er skrevet i Koordinator, efter sikkerhedskopien blev taget, går tabt.\n\n"
        "Sikkerhedskopien kontrolleres, før noget ændres. Består den ikke kontrollen, er databasen uændret."
    )


class _Job(QThread):
    """One piece of storage work off the UI thread; ``progressed(done, total)`` while pages are copied.

    The outcome (``result`` or ``error``) is read after ``finished``, on the UI thread.
    """

    progressed = Signal(int, int)

    def __init__(self, work: Callable[[ProgressCallback], Any], parent: QWidget) -> None:
        super().__init__(parent)
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(self.progressed.emit)
        except BaseException as exc:  # handed to the UI thread: a StorageError is shown, anything else re-raised
            self.error = exc


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
        db: Database,
        *,
        passphrase: str | None,
        on_restored: Callable[[Path], None],
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._passphrase = passphrase
        self._on_restored = on_restored
        self._job: _Job | None = None
        self._progress: QProgressDialog | None = None
        self._checked: dict[Path, bool] = {}
        self.backups: list[BackupInfo] = []
        self.local = db.path is not None and db.dialect == "sqlite"
        self.folder = folder or (default_backup_dir(db.path) if db.path is not None else None)
        self.setWindowTitle("Sikkerhedskopier")
        if self.local:
            self.setMinimumSize(720, 480)
            self.resize(820, 560)
        else:  # only the explanation and the disabled buttons
            self.setMinimumSize(640, 240)
            self.resize(720, 260)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.info_label = text_label(ABOUT_AUTOMATIC if self.local else self._not_local_text(), INFO_STYLE)
        layout.addWidget(self.info_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(14)
        self.database_label = self._selectable(str(db.path) if db.path is not None else db.where)
        form.addRow("Database:", self.database_label)
        self.encryption_label = self._selectable(self._encryption_text())
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

        self.read_only_label = text_label(
            "Databasen er beskadiget og er åbnet kun til læsning, så intet går tabt. Vælg den nyeste "
            "sikkerhedskopi, klik Kontrollér, og gendan den, når den er i orden.",
            WARNING_STYLE,
        )
        self.read_only_label.setVisible(self.local and db.read_only)
        layout.addWidget(self.read_only_label)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setStyleSheet(
            "QTableWidget::item { padding: 0px 8px; } QHeaderView::section { padding: 3px 8px 3px 11px; }"
        )
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setAccessibleName("Sikkerhedskopier, nyeste først")
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
        label = QLabel(text)  # one line: a path wrapped at its slashes is hard to read (and a form row clips it)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _not_local_text(self) -> str:
        if self._db.dialect == "postgresql":
            return (
                f"Koordinator bruger en delt PostgreSQL-database ({self._db.where}). Sikkerhedskopier af en delt "
                "database tages af IT på serveren (pg_dump), ikke af Koordinator. Kontakt IT, hvis data skal "
                "gendannes."
            )
        return (
            "Databasen ligger kun i hukommelsen og forsvinder, når programmet lukkes; den kan ikke sikkerhedskopieres."
        )

    def _encryption_text(self) -> str:
        if not self.local:
            return "Beskyttes af serverens eget login" if self._db.dialect == "postgresql" else "–"
        if self._db.encrypted:
            return "Krypteret (SQLCipher) – sikkerhedskopierne krypteres med samme adgangskode"
        return "IKKE krypteret (demo/test) – må ikke indeholde rigtige patientdata"

    @property
    def busy(self) -> bool:
        return self._job is not None

    def reload(self) -> None:
        """Read the backup folder again (this database's backups only, newest first)."""
        if not self.local or self.folder is None or self._db.path is None:
            self.backups = []
        else:
            stem = self._db.path.stem
            self.backups = [b for b in list_backups(self.folder) if b.stem == stem]
        selected = self.selected()
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            self._fill_row(row, backup)
        if self.backups:
            paths = [b.path for b in self.backups]
            self.table.selectRow(paths.index(selected.path) if selected and selected.path in paths else 0)
        self.table.setVisible(self.local)
        self._update_count()
        self._update_buttons()

    def _fill_row(self, row: int, backup: BackupInfo) -> None:
        checked = self._checked.get(backup.path)
        values = (
            when(backup.created),
            size_text(backup.size),
            "Ja" if backup.encrypted else "Nej",
            "" if checked is None else ("I orden" if checked else "BESKADIGET"),
            "Før opdatering" if backup.before_upgrade else "",
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(str(backup.path))
            if column == SIZE:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == NOTE and backup.before_upgrade:
                item.setToolTip("Taget automatisk, før databasen blev opdateret til en ny version af Koordinator")
            if column == CHECKED and checked is False:
                item.setForeground(Qt.GlobalColor.darkRed)
            if column == ENCRYPTED and not backup.encrypted and self._db.encrypted:
                item.setForeground(Qt.GlobalColor.darkRed)
                item.setToolTip("Ikke krypteret: kan ikke gendannes ind i en krypteret database")
            self.table.setItem(row, column, item)

    def _update_count(self) -> None:
        if not self.local:
            self.count_label.hide()
            return
        self.count_label.show()
        if not self.backups:
            self.count_label.setText("Der er endnu ingen sikkerhedskopier af denne database i mappen.")
        else:
            count = len(self.backups)
            noun = "sikkerhedskopi" if count == 1 else "sikkerhedskopier"
            self.count_label.setText(
                f"{count} {noun}, nyeste først. Den nyeste er taget {when(self.backups[0].created)}."
            )

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
        rows = self.table.selectionModel().selectedRows()
        if not rows or not (0 <= rows[0].row() < len(self.backups)):
            return None
        return self.backups[rows[0].row()]

    def select(self, path: Path) -> None:
        """Select the backup at ``path`` (tests, and after a backup is taken)."""
        for row, backup in enumerate(self.backups):
            if backup.path == path:
                self.table.selectRow(row)
                return

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
                StorageError(f"Mappen {self.folder} kunne ikke oprettes ({exc.strerror}). Kontakt IT."),
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
        db, folder = self._db, self.folder
        self._start(
            lambda progress: backup_now(db, folder, progress=progress),
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
        seconds = f" på {info.seconds:.1f} sekunder".replace(".", ",") if info.seconds is not None else ""
        self._say(
            f"Sikkerhedskopien er taget{seconds} og kontrolleret: {info.path.name} ({size_text(info.size)}).",
            OK_STYLE,
        )
        self.backup_taken.emit(info.path)

    def check_selected(self) -> None:
        """Kontrollér: read the whole selected backup (``integrity_check``; encrypted: every page's HMAC)."""
        backup = self.selected()
        if self.busy or backup is None:
            return
        passphrase = self._passphrase if backup.encrypted else None
        if backup.encrypted and passphrase is None:
            self._say(self._needs_passphrase(backup), ERROR_STYLE)
            return
        self._start(
            lambda _progress: verify_backup(backup.path, passphrase=passphrase),
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
        if check.ok:
            self._say(f"Sikkerhedskopien taget {when(backup.created)} er kontrolleret og i orden.", OK_STYLE)
            return
        cause = "er beskadiget eller passer ikke til databasens adgangskode" if backup.encrypted else "er beskadiget"
        first = check.problems[0] if check.problems else "ukendt fejl"
        self._say(
            f"Sikkerhedskopien taget {when(backup.created)} {cause} og kan ikke bruges ({first}). "
            "Vælg en anden sikkerhedskopi.",
            ERROR_STYLE,
        )

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
            restore_question(backup, db_path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        passphrase = self._passphrase if backup.encrypted else None
        self.restore_started.emit()
        self._db.dispose()  # restore needs the database closed: no pooled connection may keep the old file open
        self._start(
            lambda progress: restore(db_path, backup.path, passphrase=passphrase, progress=progress),
            title="Gendanner database",
            label=f"Kontrollerer sikkerhedskopien taget {when(backup.created)} …",
            copy_label="Gendanner databasen fra sikkerhedskopien …",
            done_label="Kontrollerer den gendannede database …",
            finished=lambda result, error: self._restore_done(backup, result, error),
        )

    def _refusal(self, backup: BackupInfo) -> str | None:
        if self._db.encrypted and not backup.encrypted:
            return (
                f"Sikkerhedskopien taget {when(backup.created)} er ikke krypteret, men databasen er. En ukrypteret "
                "kopi gendannes ikke ind i en krypteret database, for så ville patientdata ligge ukrypteret på "
                "disken. Vælg en krypteret sikkerhedskopi, eller kontakt IT. Databasen er ikke ændret."
            )
        if backup.encrypted and self._passphrase is None:
            return self._needs_passphrase(backup)
        return None

    @staticmethod
    def _needs_passphrase(backup: BackupInfo) -> str:
        return (
            f"Sikkerhedskopien taget {when(backup.created)} er krypteret, men databasen er åbnet uden adgangskode. "
            "Start Koordinator med den krypterede database, eller kontakt IT. Databasen er ikke ændret."
        )

    def _restore_done(self, backup: BackupInfo, result: Any, error: BaseException | None) -> None:
        if error is not None:
            failure = _expected(error)
            text = failure.message
            if "ikke ændret" not in text:
                text += " Den nuværende database er ikke ændret."
            text += " Koordinator arbejder videre med den."
            if isinstance(failure, DamagedDatabaseError):
                self._checked[backup.path] = False
            self.reload()
            self._say(text, ERROR_STYLE)
            show_error(self, StorageError(text), title="Gendannelsen mislykkedes")
            return
        info: RestoreInfo = result
        kept = f"\n\nDen tidligere database er gemt som {info.previous}." if info.previous else ""
        QMessageBox.information(
            self,
            "Databasen er gendannet",
            f"Databasen er gendannet fra sikkerhedskopien taget {when(backup.created)}.{kept}",
        )
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
        finished: Callable[[Any, BaseException | None], None],
        copy_label: str | None = None,
        done_label: str | None = None,
    ) -> None:
        self.status_label.hide()
        progress = QProgressDialog(label, "", 0, 0, self)
        progress.setWindowTitle(title)
        progress.setCancelButton(None)  # a page copy cannot be stopped halfway; it is over in seconds
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(300)
        progress.setMinimumWidth(420)
        self._progress = progress

        def step(done: int, total: int) -> None:
            if total <= 0:
                return
            if done >= total and done_label is not None:
                progress.setRange(0, 0)
                progress.setLabelText(done_label)
            else:
                if progress.maximum() != total:
                    progress.setRange(0, total)
                    if copy_label is not None:
                        progress.setLabelText(copy_label)
                progress.setValue(done)
            self.progress_changed.emit(done, total)

        job = _Job(work, self)
        job.progressed.connect(step)
        job.finished.connect(lambda: self._finish(job, finished))
        self._job = job
        self._update_buttons()
        job.start()

    def _finish(self, job: _Job, finished: Callable[[Any, BaseException | None], None]) -> None:
        job.wait()
        self._job = None
        job.deleteLater()
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self._update_buttons()
        if job.error is not None and not isinstance(job.error, KoordinatorError):
            raise job.error  # a bug, not a storage failure: the crash handler reports it
        finished(job.result, job.error)

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
    db: Database,
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
    dialog = BackupDialog(db, passphrase=passphrase, on_restored=on_restored, folder=folder, parent=parent)
    dialog.open()
    return dialog
