"""Backups, restore and integrity checks of the local database (issue 8).

A backup is taken online with SQLite's backup API (never a file copy, which could catch a half-written page),
page by page with a progress callback. The backup of an encrypted database is encrypted with the same
passphrase but its own random salt, so its own key (``_own_salt``: SQLCipher's backup API decrypts each page
with the database's key and encrypts it with the backup's; deriving the backup's key costs ~0.2 s). Each
backup is re-opened and passes ``integrity_check`` (and, encrypted, SQLCipher's page-HMAC check) before it
gets its final name; one that fails is deleted. Names carry the local time: ``koordinator-2026-11-23_153000.db``, with
``-foer-opdatering`` for the one taken before a migration.

Old backups are thinned out by a retention ladder (``RetentionLadder``), and a restore (issue 18) refuses while
another Koordinator has the database open and refuses a backup of the wrong kind, verifies it, writes a checked
copy beside the database, keeps the current file as ``….before-restore`` (``-2``, ``-3`` … — never one deleted),
and swaps the copy in with one atomic rename.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordinator_app.domain.errors import DamagedDatabaseError, DatabaseInUseError, StorageError
from coordinator_app.infra.files import fsync_file, private_folder, replace_durably
from coordinator_app.infra.oserrors import describe
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import holders
from coordinator_app.storage.failures import passphrase_required
from coordinator_app.storage.quick_read import MIGRATIONS
from coordinator_app.storage.sqlite_file import (
    CheckResult,
    FileKind,
    SqliteFile,
    check_connection,
    check_file,
    file_kind,
    keyed_file,
    remove_quietly,
    sidecars,
)

if TYPE_CHECKING:
    import sqlcipher3.dbapi2 as sqlcipher

    from coordinator_app.storage.database import Database
else:  # only encrypted files need SQLCipher
    sqlcipher = lazy_import("sqlcipher3.dbapi2")

#: ``progress(pages_done, pages_total)`` while a backup or restore copies pages.
ProgressCallback = Callable[[int, int], None]

#: Pages copied per step of the backup API (1 MiB at SQLCipher's 4 KiB pages): a write by another connection
#: between steps restarts the copy, so steps are small, and there is no pause between them.
PAGES_PER_STEP = 256
BACKUP_FOLDER = "backups"
BEFORE_UPGRADE_TAG = "-foer-opdatering"
_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+?)-(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})(?P<tag>-foer-opdatering)?(?:-(?P<n>\d+))?\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # local time, from the file name
    size: int  # bytes
    encrypted: bool
    before_upgrade: bool = False
    seconds: float | None = None  # how long taking it took (only from a backup just made)

    @property
    def stem(self) -> str:
        match = _NAME.match(self.path.name)
        return match["stem"] if match else self.path.stem

    @property
    def order(self) -> tuple[datetime, int]:
        """Oldest first: by time, then ``-2``, ``-3`` … of backups taken within the same second."""
        match = _NAME.match(self.path.name)
        return self.created, int(match["n"]) if match and match["n"] else 1


@dataclass(frozen=True)
class RestoreInfo:
    path: Path  # the database, now holding the backup's data
    previous: Path | None  # the file it had before, kept as ``….before-restore`` (``-2``, ``-3`` … after earlier ones)
    seconds: float


def default_backup_dir(db_path: Path) -> Path:
    """``backups/`` beside the database: found by IT with the file, moved with it."""
    return db_path.parent / BACKUP_FOLDER


# -- taking backups -----------------------------------------------------------------------------------------
def backup_now(
    db: Database,
    target_dir: Path | None = None,
    *,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back up the open local database into ``target_dir`` (default ``backups/`` beside it), checked."""
    file = _local_file(db)
    raw = db.engine.raw_connection()
    try:
        return backup_from_connection(
            raw.driver_connection, file, target_dir or default_backup_dir(file.path), progress=progress, now=now
        )
    finally:
        raw.close()


def backup_from_connection(
    source: Any,
    file: SqliteFile,
    target_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
    before_upgrade: bool = False,
) -> BackupInfo:
    """Back up ``file`` through an open DBAPI connection to it (``sqlite3``/``sqlcipher3``)."""
    started = time.perf_counter()
    moment = (now or datetime.now()).replace(microsecond=0)
    try:
        if target_dir == default_backup_dir(file.path) or not target_dir.exists():
            private_folder(target_dir)  # Koordinator's own (a folder the user chose is left as it is)
        final = _free_name(target_dir, file.path.stem, moment, before_upgrade)
        tmp = target_dir / f".{final.name}.tmp"
        remove_quietly(tmp, *sidecars(tmp))
        try:
            copy = _own_salt(file, tmp)
            _copy_pages(source, copy, progress)
            result = check_file(copy, full=True)
            if not result.ok:
                raise StorageError(
                    f"Sikkerhedskopien i {target_dir} bestod ikke kontrollen ({_first(result)}) og er slettet. "
                    "Databasen selv er ikke ændret. Prøv igen, og kontakt IT, hvis fejlen bliver ved."
                )
            replace_durably(tmp, final)
        finally:
            remove_quietly(tmp, *sidecars(tmp))
    except (OSError, sqlite3.Error, sqlcipher.Error) as exc:
        raise _backup_failed(target_dir, exc) from exc
    return BackupInfo(
        path=final,
        created=moment,
        size=final.stat().st_size,
        encrypted=file.encrypted,
        before_upgrade=before_upgrade,
        seconds=time.perf_counter() - started,
    )


def _own_salt(file: SqliteFile, tmp: Path) -> SqliteFile:
    """The backup's file: the database's passphrase with a new random salt (so a new key: the backup API
    re-encrypts each page), or plain for a plain database."""
    return keyed_file(tmp, file.passphrase) if file.encrypted else file.with_path(tmp)


def _copy_pages(source: Any, dest_file: SqliteFile, progress: ProgressCallback | None) -> None:
    """SQLite's backup API into a new file; the copy is left in rollback-journal mode (one self-contained file)."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    dest = dest_file.connect()
    try:
        source.backup(dest, pages=PAGES_PER_STEP, progress=step, sleep=0)
        dest.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        dest.close()
    fsync_file(dest_file.path)


def _free_name(folder: Path, stem: str, moment: datetime, before_upgrade: bool) -> Path:
    base = f"{stem}-{moment.strftime(_STAMP)}{BEFORE_UPGRADE_TAG if before_upgrade else ''}"
    candidate, n = folder / f"{base}.db", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base}-{n}.db"
    return candidate


def _backup_failed(folder: Path, exc: BaseException) -> StorageError:
    full = getattr(exc, "errno", None) == errno.ENOSPC or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"
    if full:
        return StorageError(
            f"Disken er fuld, så sikkerhedskopien kunne ikke gemmes i {folder}. Frigør plads, eller vælg en "
            "anden mappe til sikkerhedskopier. Databasen selv er ikke ændret."
        )
    detail = describe(exc) if isinstance(exc, OSError) else str(exc)
    return StorageError(
        f"Sikkerhedskopien kunne ikke gemmes i {folder} ({detail}). Kontrollér at mappen findes, og at du har "
        "skriveadgang, eller vælg en anden mappe. Databasen selv er ikke ændret."
    )


def _local_file(db: Database) -> SqliteFile:
    if db.file is None:
        raise StorageError(
            "Den delte PostgreSQL-database sikkerhedskopieres af IT på serveren; Koordinator tager kun "
            "sikkerhedskopier af en lokal database."
        )
    return db.file


def _first(result: CheckResult) -> str:
    return result.problems[0] if result.problems else "ukendt fejl"


# -- checking -------------------------------------------------------------------------------------------------
def quick_check(db: Database) -> CheckResult:
    """SQLite's ``quick_check`` of the open database (at start; seconds for a large file, ms for the demo).

    A damaged database is reopened read-only by the caller, with an offer to restore. PostgreSQL checks itself.
    """
    return _check_open(db, full=False)


class BackgroundCheck:
    """``quick_check`` of a local file on its own read-only connection in a thread, so the start goes on meanwhile
    (issue 7: the check reads the whole file). SQLite releases the GIL while it checks; ``result`` waits for it.

    The caller holds the database's writes until the result is in (``Database.hold_writes``): a damaged file is
    never written to."""

    def __init__(self, file: SqliteFile) -> None:
        self._file = file
        self._result: CheckResult | None = None
        self._thread = threading.Thread(target=self._run, name="koordinator-quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = check_file(self._file, full=False)
        except Exception as exc:  # a check that could not run is a failed one, never a passed one
            self._result = CheckResult(ok=False, problems=(str(exc),))

    @property
    def file(self) -> SqliteFile:
        return self._file

    def result(self) -> CheckResult:
        self._thread.join()
        return self._result or CheckResult(ok=False, problems=("Kontrollen blev ikke færdig.",))


#: Checks begun before the storage layer loaded (``start_check_early``), by file, with the file's size and
#: modification time then, until the start takes them.
_EARLY_CHECKS: dict[Path, tuple[BackgroundCheck, tuple[int, int] | None]] = {}


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def start_check_early(file: SqliteFile) -> None:
    """Begin the start's ``quick_check`` of ``file`` now — when the first screen has been read, before SQLAlchemy
    loads — so it runs while the rest of the program loads (SQLite releases the GIL) and is done, or nearly, by the
    time the database opens. ``start_check`` hands it over; nothing is written meanwhile either way."""
    _EARLY_CHECKS[file.path] = (BackgroundCheck(file), _file_stamp(file.path))


def start_check(file: SqliteFile) -> BackgroundCheck:
    """The start's check of ``file``: the one ``start_check_early`` began for the same file, if the file has not
    changed since (its size and modification time) — once; else a new one."""
    early = _EARLY_CHECKS.pop(file.path, None)
    if early is not None:
        check, stamp = early
        if check.file.encrypted == file.encrypted and stamp is not None and stamp == _file_stamp(file.path):
            return check
    return BackgroundCheck(file)


def integrity_check(db: Database) -> CheckResult:
    """The full ``integrity_check`` (plus SQLCipher's page-HMAC check for an encrypted file)."""
    return _check_open(db, full=True)


def _check_open(db: Database, *, full: bool) -> CheckResult:
    if db.file is None:
        return CheckResult(ok=True)
    try:
        raw = db.engine.raw_connection()
    except Exception as exc:  # a file too damaged to connect to is a failed check
        return CheckResult(ok=False, problems=(str(getattr(exc, "orig", exc)),))
    try:
        return check_connection(raw.driver_connection, full=full, encrypted=db.encrypted)
    finally:
        raw.close()


def verify_backup(path: Path, *, passphrase: str | None = None) -> CheckResult:
    """Check a backup file before it is trusted (``integrity_check``; encrypted: the key and every page's HMAC)."""
    return check_file(_backup_file(path, passphrase), full=True)


def _backup_file(path: Path, passphrase: str | None) -> SqliteFile:
    kind = file_kind(path)
    if kind is FileKind.MISSING:
        raise StorageError(f"Sikkerhedskopien {path} findes ikke eller er tom. Vælg en anden sikkerhedskopi.")
    if kind is FileKind.UNKNOWN:
        raise DamagedDatabaseError(
            f"Filen {path} er ikke en Koordinator-sikkerhedskopi, eller den er beskadiget. Vælg en anden."
        )
    if kind is FileKind.ENCRYPTED:
        if passphrase is None:
            raise passphrase_required(str(path))
        return keyed_file(path, passphrase)
    return SqliteFile(path)


# -- listing and the retention ladder ----------------------------------------------------------------------
def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (only files named as ``backup_now`` names them)."""
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            created = datetime.strptime(match["stamp"], _STAMP)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(
            BackupInfo(path, created, size, file_kind(path) is FileKind.ENCRYPTED, before_upgrade=bool(match["tag"]))
        )
    return sorted(found, key=lambda b: b.order, reverse=True)


@dataclass(frozen=True)
class RetentionLadder:
    """Which backups ``prune`` keeps — each rung keeps the NEWEST backup of its period, the rungs add up:

    * ``recent``: the newest 10, however close together (a bad afternoon can be undone step by step);
    * ``days``: one per calendar day for today and the 6 days before;
    * ``weeks``: one per ISO week (Monday–Sunday) for this week and the 4 before;
    * ``months``: one per calendar month for this month and the 11 before.

    Anything older is deleted: backups hold patient data, kept no longer than useful. A backup dated after
    ``now`` (a clock set wrong) is kept. Each database (file-name stem) in a folder has its own ladder.
    """

    recent: int = 10
    days: int = 7
    weeks: int = 5
    months: int = 12

    def keep(self, backups: Iterable[BackupInfo], now: datetime) -> set[Path]:
        newest_first = sorted(backups, key=lambda b: b.order, reverse=True)
        keep = {b.path for b in newest_first[: self.recent]}
        keep |= {b.path for b in newest_first if b.created > now}
        today = now.date()
        this_week = today - timedelta(days=today.weekday())
        this_month = today.year * 12 + today.month - 1
        rungs: tuple[tuple[int, Callable[[date], int]], ...] = (
            (self.days, lambda d: (today - d).days),
            (self.weeks, lambda d: (this_week - (d - timedelta(days=d.weekday()))).days // 7),
            (self.months, lambda d: this_month - (d.year * 12 + d.month - 1)),
        )
        for count, periods_ago in rungs:
            seen: set[int] = set()
            for backup in newest_first:
                ago = periods_ago(backup.created.date())
                if 0 <= ago < count and ago not in seen:
                    seen.add(ago)
                    keep.add(backup.path)
        return keep


LADDER = RetentionLadder()


def prune(folder: Path, now: datetime, *, ladder: RetentionLadder = LADDER) -> list[Path]:
    """Delete the backups in ``folder`` the ladder does not keep; returns what was deleted (oldest first)."""
    backups = list_backups(folder)
    keep: set[Path] = set()
    for stem in {b.stem for b in backups}:
        keep |= ladder.keep([b for b in backups if b.stem == stem], now)
    deleted = [b.path for b in reversed(backups) if b.path not in keep]
    remove_quietly(*deleted)
    return deleted


# -- restore --------------------------------------------------------------------------------------------------
#: ``app_meta`` keys that say whose database a file is (``services.ward``): a demo's flag, the first run's ward.
_DEMO_KEY = "demo"
_WARD_KEY = "ward_setup"
DEMO_WARD = "en demo-database"


def database_ward(db: Database) -> str | None:
    """The ward ``db`` belongs to, as ``restore`` compares it: "Center, Afsnit" (the first run's), ``DEMO_WARD``,
    or ``None`` when the database does not say (from before issue 9) or cannot be read (damaged)."""
    try:
        raw = db.engine.raw_connection()
    except Exception:  # a database too damaged to read has no ward to compare
        return None
    try:
        return _ward_of(raw.driver_connection)
    finally:
        raw.close()


def _ward_of(conn: Any) -> str | None:
    try:
        rows = dict(conn.execute("SELECT key, value FROM app_meta WHERE key IN (?, ?)", (_DEMO_KEY, _WARD_KEY)))
    except (sqlite3.Error, sqlcipher.Error):
        return None
    if rows.get(_DEMO_KEY) == "1":
        return DEMO_WARD
    try:
        data = json.loads(rows.get(_WARD_KEY) or "")
        return f"{data['centre']}, {data['ward']}"
    except (ValueError, KeyError, TypeError):
        return None


def restore(
    db_path: Path,
    backup_path: Path,
    *,
    passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    ward: str | None = None,
    encrypt: bool = False,
    authorize: Callable[[SqliteFile], None] | None = None,
) -> RestoreInfo:
    """Replace the database at ``db_path`` with the backup, atomically; every earlier file is kept.

    Refused (``StorageError``/subclasses, Danish; nothing touched) when:

    * another Koordinator has the file open (``DatabaseInUseError``, naming who: ``holders``) — asked first, and
      again just before the swap, since copying takes a while. Close this process's own ``Database`` first;
    * the backup is of the wrong kind: plain over an encrypted database (it would open with no passphrase and no
      login), encrypted over a plain one unless ``encrypt`` says that is the point, not a Koordinator database, a
      newer schema than this program knows (Alembic's revisions), another ward's database (``ward``: the current
      database's ``database_ward``; compared when both say), or one that fails ``integrity_check`` (encrypted: also
      every page's HMAC) or does not fit ``passphrase``.

    The backup is copied page by page beside the database (``progress``), the copy checked again; ``authorize``
    (if given) may then look at the copy — log in against it — and refuse. The current file is kept as
    ``….before-restore`` (then ``-2``, ``-3`` …: an earlier one is never replaced or deleted), with its ``-wal`` if
    it had one (which must never be replayed into the restored file), and the copy is flushed and renamed over the
    database. The restored database has the passphrase the backup was made with.
    """
    started = time.perf_counter()
    _refuse_if_open(db_path)
    source = _backup_file(backup_path, passphrase)
    _refuse_wrong_encryption(db_path, backup_path, source, encrypt=encrypt)
    result = check_file(source, full=True)
    if not result.ok:
        raise DamagedDatabaseError(
            f"Sikkerhedskopien {backup_path} er beskadiget eller passer ikke til adgangskoden ({_first(result)}). "
            "Databasen er ikke ændret. Vælg en anden sikkerhedskopi."
        )
    _refuse_wrong_database(source, backup_path, ward)
    folder = db_path.parent
    tmp = folder / f".{db_path.name}.restore-tmp"
    kept: Path | None = None
    try:
        remove_quietly(tmp, *sidecars(tmp))
        reader = source.connect(read_only=True)
        try:
            _copy_pages(reader, source.with_path(tmp), progress)
        finally:
            reader.close()
        copied = check_file(source.with_path(tmp), full=False)
        if not copied.ok:
            raise StorageError(
                f"Kopien af sikkerhedskopien kunne ikke kontrolleres ({_first(copied)}). Databasen er ikke "
                "ændret. Kontrollér disken, og prøv igen."
            )
        if authorize is not None:
            authorize(source.with_path(tmp))
            _settle(source.with_path(tmp))
        _refuse_if_open(db_path)
        kept = _keep_previous(db_path)
        replace_durably(tmp, db_path)
    except (OSError, sqlite3.Error, sqlcipher.Error) as exc:
        raise StorageError(
            f"Databasen kunne ikke gendannes i {folder} ({describe(exc) if isinstance(exc, OSError) else exc}). "
            "Kontrollér at der er plads på disken og skriveadgang til mappen, og prøv igen."
            + (f" Den tidligere database er gemt som {kept}." if kept is not None else " Databasen er ikke ændret.")
        ) from exc
    finally:
        remove_quietly(tmp, *sidecars(tmp))
    return RestoreInfo(path=db_path, previous=kept, seconds=time.perf_counter() - started)


def _refuse_if_open(db_path: Path) -> None:
    holding = holders.others(db_path)
    if holding:
        who = "; ".join(h.describe() for h in holding[:5])
        raise DatabaseInUseError(
            f"Databasen {db_path} er åben i Koordinator hos {who}. Den kan ikke gendannes, mens den er i brug: "
            "det, der gemmes dér, ville gå tabt. Luk Koordinator dér (eller vent til kommandoen er færdig), og prøv "
            "igen. Databasen er ikke ændret."
        )


def _refuse_wrong_encryption(db_path: Path, backup_path: Path, source: SqliteFile, *, encrypt: bool) -> None:
    current = file_kind(db_path)
    if current is FileKind.ENCRYPTED and not source.encrypted:
        raise StorageError(
            f"Sikkerhedskopien {backup_path} er ikke krypteret, men databasen {db_path} er. En ukrypteret "
            "sikkerhedskopi gendannes aldrig over en krypteret database (den kunne åbnes uden adgangskode og login). "
            "Vælg en krypteret sikkerhedskopi. Databasen er ikke ændret."
        )
    if current is FileKind.PLAIN and source.encrypted and not encrypt:
        raise StorageError(
            f"Sikkerhedskopien {backup_path} er krypteret, men databasen {db_path} er ikke. Efter gendannelsen skal "
            "databasen åbnes med sikkerhedskopiens adgangskode. Er det meningen, så gendan igen og sig det "
            "udtrykkeligt (koordinator restore --krypteret). Databasen er ikke ændret."
        )


def _known_revisions() -> set[str]:
    return {p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")}


def _refuse_wrong_database(source: SqliteFile, backup_path: Path, ward: str | None) -> None:
    """A Koordinator database (its version table and ``app_meta``), of a schema this program knows, of this ward."""
    conn = source.connect(read_only=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions = (
            [str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables
            else []
        )
        theirs = _ward_of(conn)
    finally:
        conn.close()
    if "app_meta" not in tables or len(revisions) != 1:
        raise DamagedDatabaseError(
            f"Filen {backup_path} er ikke en Koordinator-database (den mangler Koordinators tabeller). Vælg en "
            "anden sikkerhedskopi. Databasen er ikke ændret."
        )
    (revision,) = revisions
    if revision not in _known_revisions():
        newer = revision > max(_known_revisions())
        raise StorageError(
            f"Sikkerhedskopien {backup_path} er taget af en nyere version af Koordinator (skemaversion {revision}) "
            "og kan ikke bruges af denne. Opdatér Koordinator først. Databasen er ikke ændret."
            if newer
            else f"Sikkerhedskopien {backup_path} har en skemaversion ({revision}), som Koordinator ikke kender. "
            "Vælg en anden sikkerhedskopi. Databasen er ikke ændret."
        )
    if ward is not None and theirs is not None and theirs != ward:
        raise StorageError(
            f"Sikkerhedskopien {backup_path} er af databasen for {theirs}, ikke for {ward}. En anden afdelings "
            "database gendannes ikke over denne. Vælg en sikkerhedskopi af denne afdelings database. Databasen er "
            "ikke ændret."
        )


def _settle(file: SqliteFile) -> None:
    """After ``authorize`` opened the copy: its WAL written back, so the copy is one self-contained file again."""
    conn = file.connect()
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        conn.close()
    fsync_file(file.path)


def previous_name(db_path: Path) -> Path:
    """``….before-restore``, else the first free ``….before-restore-2``, ``-3`` … (with no -wal/-shm of its own)."""
    base = db_path.name + ".before-restore"
    candidate, n = db_path.with_name(base), 1
    while candidate.exists() or any(side.exists() for side in sidecars(candidate)):
        n += 1
        candidate = db_path.with_name(f"{base}-{n}")
    return candidate


def _keep_previous(db_path: Path) -> Path | None:
    """Keep the current file (and its -wal/-shm) under a new ``….before-restore`` name; nothing earlier is touched.
    The database path itself stays in place until the rename replaces it."""
    if not db_path.exists():
        return None
    previous = previous_name(db_path)
    try:
        os.link(db_path, previous)  # the same bytes under a second name: instant, no copy
    except OSError:
        shutil.copy2(db_path, previous)
    for old, new in zip(sidecars(db_path), sidecars(previous), strict=True):
        if old.exists():
            os.replace(old, new)
    return previous
