"""Sikkerhedskopier and the database's own checks (issue 8), as the window and the command line use them.

* **Take, list, check, restore** (Funktioner → Sikkerhedskopier…, ``koordinator backup``/``restore``):
  ``take_backup`` (online, page by page, checked before it counts; by a signed-in user with ``Permission.BACKUP``,
  logged as an export naming its file), ``backups_of`` (this database's, newest first),
  ``verify_backup`` (the full check of one), ``restore`` (checked first, the current file kept as
  ``….before-restore``, one atomic rename).
* **Automatic backups** while the program runs: ``automatic_backups`` gives the ``AutoBackup`` whose ``tick`` the
  window's timer calls and whose ``on_exit`` runs at the end (``None`` where Koordinator takes none: a shared
  database, one in memory, one opened read-only).
* **The start's check** (issue 7): ``needs_start_check`` says whether the file is checked at all,
  ``check_in_background`` runs ``quick_check`` beside building the window, ``quick_check`` at once;
  ``integrity_check`` is the thorough one (``koordinator check --fuld``).

The work itself is ``storage.backup`` and ``storage.auto_backup``; this module is the one door to it, so the UI
and the CLI import no storage module. Taking a backup is a way out of the program (issue 18): ``take_backup``
checks ``Permission.BACKUP`` (the administrator's, as the window's dialog is) before anything is written and writes
the audit log's export line once the copy is checked. ``restore`` and ``check`` check no role here: they must work
on a database too damaged to log in to — the passphrase and the file's permissions guard them. A shared PostgreSQL
database is backed up and restored by IT on the server; the messages say so in Danish.

Failures are ``StorageError``/``DamagedDatabaseError`` (``domain.errors``) with a Danish message and what to do.
"""

from __future__ import annotations

from pathlib import Path

from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import StorageError
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.database import Database, local_path
from coordinator_app.storage import backup as _backup
from coordinator_app.storage.auto_backup import AutoBackup
from coordinator_app.storage.backup import BackgroundCheck, BackupInfo, ProgressCallback, RestoreInfo
from coordinator_app.storage.sqlite_file import CheckResult, FileKind, file_kind

__all__ = [
    "AutoBackup",
    "BackgroundCheck",
    "BackupInfo",
    "CheckResult",
    "ProgressCallback",
    "RestoreInfo",
    "automatic_backups",
    "backup_folder",
    "backups_of",
    "check_in_background",
    "integrity_check",
    "is_encrypted_backup",
    "is_local",
    "needs_start_check",
    "quick_check",
    "restore",
    "restore_target",
    "take_backup",
    "verify_backup",
]


# -- taking, listing, checking and restoring -------------------------------------------------------------------
def is_local(db: Database) -> bool:
    """A local SQLite file: the only kind Koordinator backs up itself."""
    return db.path is not None and db.dialect == "sqlite"


def backup_folder(db: Database) -> Path | None:
    """Where the database's backups go: ``backups/`` beside its file (``None``: no file, nothing to back up)."""
    return _backup.default_backup_dir(db.path) if db.path is not None else None


def backups_of(db: Database, folder: Path | None) -> list[BackupInfo]:
    """The backups of this database (by its file name) in ``folder``, newest first; none for a shared database."""
    if not is_local(db) or folder is None or db.path is None:
        return []
    stem = db.path.stem
    return [b for b in _backup.list_backups(folder) if b.stem == stem]


def take_backup(
    ctx: ServiceContext, folder: Path | None = None, *, progress: ProgressCallback | None = None
) -> BackupInfo:
    """An online backup of the open local database into ``folder`` (default ``backup_folder``), checked before it
    gets its name; encrypted like the database. ``progress(done, total)`` while pages are copied.

    A copy of every patient leaves the program: refused (``AccessDeniedError``, Danish, nothing written) unless the
    user has ``Permission.BACKUP``; logged as an export naming the file once the copy is checked (a failed copy is no
    export). The line is written after the copy, so the backup does not hold it."""
    require(ctx, Permission.BACKUP)
    info = _backup.backup_now(ctx.database, folder, progress=progress)
    AuditService(ctx).record(AuditAction.EKSPORT, f"Sikkerhedskopi af databasen taget, fil: {info.path}")
    return info


def verify_backup(path: Path, *, passphrase: str | None = None) -> CheckResult:
    """The full check of a backup file (``integrity_check``; encrypted: the key and every page's HMAC)."""
    return _backup.verify_backup(path, passphrase=passphrase)


def is_encrypted_backup(path: Path) -> bool:
    """The backup is encrypted, so restoring it needs the adgangskode it was made with."""
    return file_kind(path) is FileKind.ENCRYPTED


def restore_target(url: str | None) -> Path:
    """The local database file ``url`` names (``None``: the user's own), which a restore replaces. Nothing is
    created to name it, not even the default file's folder."""
    target = local_path(url, create_folder=False)
    if target is None:
        raise StorageError(
            "Den delte PostgreSQL-database gendannes af IT på serveren; Koordinator gendanner kun en lokal database."
        )
    return target


def restore(
    db_path: Path,
    backup_path: Path,
    *,
    passphrase: str | None = None,
    progress: ProgressCallback | None = None,
) -> RestoreInfo:
    """Replace the database file at ``db_path`` with the backup — close the database first (``Database.dispose``).
    Nothing is touched unless the backup passes its check; the replaced file stays as ``….before-restore``."""
    return _backup.restore(db_path, backup_path, passphrase=passphrase, progress=progress)


# -- automatic backups ---------------------------------------------------------------------------------------
def automatic_backups(db: Database) -> AutoBackup | None:
    """The automatic backups of ``db`` (when data changed, at most every 15 minutes, and on exit), or ``None`` for a
    database Koordinator does not back up itself: shared, in memory, or opened read-only (damaged)."""
    if db.dialect != "sqlite" or db.path is None or db.read_only:
        return None
    return AutoBackup(db)


# -- the database's own checks -------------------------------------------------------------------------------
def needs_start_check(db: Database) -> bool:
    """A local file that may be written: checked at the start before anything is written (PostgreSQL checks
    itself; a file opened read-only is already known to be damaged)."""
    return db.dialect == "sqlite" and not db.read_only and db.file is not None


def check_in_background(db: Database) -> BackgroundCheck:
    """``quick_check`` of the local file on its own connection in a thread (the one the first screen began for the
    same file, if it did: ``services.first_screen``); ``result()`` waits for it. Hold the database's writes until it
    has answered (``Database.hold_writes``): a damaged file is never written to."""
    if db.file is None:
        raise ValueError("the start's check is for a local database file")
    return _backup.start_check(db.file)


def quick_check(db: Database) -> CheckResult:
    """SQLite's ``quick_check`` of the open database, now (seconds for a large file)."""
    return _backup.quick_check(db)


def integrity_check(db: Database) -> CheckResult:
    """The thorough ``integrity_check`` (an encrypted file: also every page's HMAC)."""
    return _backup.integrity_check(db)
