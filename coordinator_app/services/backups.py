"""Sikkerhedskopier and the database's own checks (issue 8), as the window and the command line use them.

* **Take, list, check, restore** (Funktioner → Sikkerhedskopier…, ``koordinator backup``/``restore``):
  ``take_backup`` (online, page by page, checked before it counts; by a signed-in user with ``Permission.BACKUP``,
  logged as an export naming its file), ``backups_of`` (this database's, newest first),
  ``verify_backup`` (the full check of one), ``restore`` (an administrator's act, issue 18: ``Permission.RESTORE``
  before anything is touched, refused while another Koordinator has the file open or when the backup is of the
  wrong kind, checked first, the current file kept as ``….before-restore``/``-2``/``-3`` …, one atomic rename, an
  audit line in the restored database); ``restore_unopened`` for a database that is missing or too damaged to log
  in to (the login is checked against the backup's own users).
* **Automatic backups** while the program runs: ``automatic_backups`` gives the ``AutoBackup`` whose ``tick`` the
  window's timer calls and whose ``on_exit`` runs at the end (``None`` where Koordinator takes none: a shared
  database, one in memory, one opened read-only).
* **The start's check** (issue 7): ``needs_start_check`` says whether the file is checked at all,
  ``check_in_background`` runs ``quick_check`` beside building the window, ``quick_check`` at once;
  ``integrity_check`` is the thorough one (``koordinator check --fuld``).

The work itself is ``storage.backup`` and ``storage.auto_backup``; this module is the one door to it, so the UI
and the CLI import no storage module. Taking a backup is a way out of the program (issue 18): ``take_backup``
checks ``Permission.BACKUP`` (the administrator's, as the window's dialog is) before anything is written and writes
the audit log's export line once the copy is checked. ``check`` checks no role here: it must work on a database
too damaged to log in to — the passphrase and the file's permissions guard it. ``restore`` replaces every patient's
data, so it is the administrator's (``Permission.RESTORE``); on a database too damaged to log in to, the backup's
own users are asked (``restore_unopened``). A shared PostgreSQL database is backed up and restored by IT on the
server (``pg_dump``/``pg_restore``); the messages say so in Danish.

Failures are ``StorageError``/``DamagedDatabaseError`` (``domain.errors``) with a Danish message and what to do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from coordinator_app.domain.access import Permission, Principal
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import KoordinatorError, StorageError
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.database import Database, local_path
from coordinator_app.storage import backup as _backup
from coordinator_app.storage.auto_backup import AutoBackup
from coordinator_app.storage.backup import BackgroundCheck, BackupInfo, ProgressCallback, RestoreInfo
from coordinator_app.storage.database import open_database as _open_storage
from coordinator_app.storage.sqlite_file import CheckResult, FileKind, SqliteFile, file_kind

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
    "previous_name",
    "quick_check",
    "restore",
    "restore_target",
    "restore_unopened",
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


_SHARED = (
    "Den delte PostgreSQL-database gendannes af IT på serveren (med pg_restore fra serverens egne "
    "sikkerhedskopier); Koordinator gendanner kun en lokal database."
)


def previous_name(db_path: Path) -> Path:
    """Where a restore now would keep the current file: ``….before-restore``, or ``-2``, ``-3`` … after earlier ones."""
    return _backup.previous_name(db_path)


def restore_target(url: str | None) -> Path:
    """The local database file ``url`` names (``None``: the user's own), which a restore replaces. Nothing is
    created to name it, not even the default file's folder."""
    target = local_path(url, create_folder=False)
    if target is None:
        raise StorageError(_SHARED)
    return target


def restore(
    ctx: ServiceContext,
    backup_path: Path,
    *,
    passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    encrypt: bool = False,
) -> RestoreInfo:
    """Replace the open local database (``ctx.database``) with the backup — an administrator's act (issue 18).

    ``Permission.RESTORE`` is checked before anything is touched (``AccessDeniedError``, Danish). The database is then
    closed (``Database.dispose``: this process lets go of the file) and ``storage.backup.restore`` refuses while
    another Koordinator has it open, and refuses a backup of the wrong kind (plain over encrypted, encrypted over
    plain unless ``encrypt``, another ward's — this database's ward is read first —, a newer schema, not a Koordinator
    database, damaged); nothing is changed then. The replaced file is kept as ``….before-restore`` (``-2``, ``-3`` …).
    Last, the restored database gets the audit line, by the signed-in user, so it survives: "Databasen gendannet fra
    …; den tidligere database er gemt som …". ``ctx.database`` stays closed: open the restored file anew."""
    require(ctx, Permission.RESTORE)
    db = ctx.database
    if not is_local(db) or db.path is None:
        raise StorageError(_SHARED)
    ward = _backup.database_ward(db)
    db.dispose()
    info = _backup.restore(db.path, backup_path, passphrase=passphrase, progress=progress, ward=ward, encrypt=encrypt)
    _log_restore(info, backup_path, ctx.principal, passphrase)
    return info


def restore_unopened(
    db_path: Path,
    backup_path: Path,
    *,
    login: Callable[[Database], ServiceContext],
    passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    encrypt: bool = False,
) -> RestoreInfo:
    """A restore where the database cannot be opened to log in to: it is missing (``restore --ny``) or damaged.

    The login is then checked against the backup itself — on the checked copy beside the database, before the
    swap, so the backup file is not written to — and must give ``Permission.RESTORE``: ``login(db)`` returns the
    signed-in context for the copy (``AuthenticationError``/``AccessDeniedError`` refuse, nothing is changed). The
    rest is ``restore``'s: the file's holders, the kinds (encryption by the file's own bytes; the ward cannot be
    read from a damaged file and is not compared), the kept ``….before-restore``, the audit line."""
    signed_in: list[Principal] = []

    def authorize(copy: SqliteFile) -> None:
        with tempfile.TemporaryDirectory(prefix="koordinator-gendan-") as upgrade_backups:
            staged = _open_storage(copy.path, passphrase=copy.passphrase, backup_dir=Path(upgrade_backups))
            try:
                ctx = login(staged)
                require(ctx, Permission.RESTORE)
                signed_in.append(ctx.principal)
            finally:
                staged.dispose()

    info = _backup.restore(
        db_path, backup_path, passphrase=passphrase, progress=progress, encrypt=encrypt, authorize=authorize
    )
    _log_restore(info, backup_path, signed_in[0], passphrase)
    return info


def _log_restore(info: RestoreInfo, backup_path: Path, principal: Principal, passphrase: str | None) -> None:
    """The audit line in the restored database (after the swap, so it is in the file that lives on)."""
    what = f"Databasen gendannet fra sikkerhedskopien {backup_path}"
    what += f"; den tidligere database er gemt som {info.previous}" if info.previous else "; der var ingen database"
    try:
        restored = _open_storage(info.path, passphrase=passphrase)
        try:
            AuditService(ServiceContext(database=restored, principal=principal)).record(AuditAction.RET, what)
        finally:
            restored.dispose()
    except KoordinatorError as exc:
        raise StorageError(
            f"Databasen er gendannet fra {backup_path}"
            + (f", og den tidligere er gemt som {info.previous}" if info.previous else "")
            + f", men gendannelsen kunne ikke skrives i revisionsloggen: {exc.message}"
        ) from exc


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
