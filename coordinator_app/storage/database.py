"""Opening the database: the engine, transactions, and failures told in Danish.

SQLite runs with WAL (readers never block the writer), ``synchronous=FULL`` (a committed
færdigmelding survives a power cut), foreign keys on, and a busy timeout so a second Koordinator
waits briefly instead of failing at once. pysqlite's own transaction handling is switched off and
``BEGIN`` emitted by us (SQLAlchemy's documented recipe), so DDL and SAVEPOINTs are transactional too.
PostgreSQL runs the same code; ``lock_timeout`` plays the role of the busy timeout.

A local file is encrypted with SQLCipher when opened with a passphrase (issue 8, ``sqlite_file``); plain
files remain for the demo and tests and say so (``Database.kind``). The passphrase only ever reaches SQLCipher
through ``set_key`` in the engine's connection factory, never a URL. Files on network shares and removable
drives are refused (``locations``), and migrating an existing file takes a backup first (``migrate``).

Opening creates: SQLite makes a missing (or 0-byte) file on connect, and ``upgrade_to_head`` fills it (or an empty
PostgreSQL database) with tables. Only the first-run wizard, ``--demo`` and the tests want that; a command that reads
(``koordinator check``, ``audit``, ``pdf``, ``backup``) opens with ``must_exist=True`` (issue 18): a missing or empty
file, an empty PostgreSQL database or a database in memory is refused in Danish, and nothing — no file, no
``-wal``/``-shm``, no folder — is created. ``check_first=True`` runs ``quick_check`` before anything is written
(the migration, a login's audit line): a damaged file is refused, not written to.

A local file may be replaced while it is open — a restore from another window, an IT script copying a backup over
it (issue 18). Every open local database holds it (``storage.holders``: a restore refuses while another holds it),
and remembers the file's identity (device and inode) from its first connection: before every statement that may
write, and at the commit of a transaction that changed rows, the path must still name that file (one ``stat``,
microseconds). If it does not, nothing more is written — not into the old file, whose writes would be lost unseen,
and not into the new one, which this program has not read — and each write is refused with
``DatabaseReplacedError`` (Danish: close and start again).
"""

from __future__ import annotations

import errno
import hmac
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool, StaticPool

from coordinator_app.domain.errors import (
    DamagedDatabaseError,
    DatabaseReplacedError,
    RiskyLocationError,
    StorageError,
    WrongPassphraseError,
)
from coordinator_app.infra.files import private_folder
from coordinator_app.infra.folders import data_dir
from coordinator_app.infra.oserrors import describe, path_problem
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import journal, reads
from coordinator_app.storage.backup import default_backup_dir, list_backups
from coordinator_app.storage.failures import (
    corrupt,
    disk_full,
    not_encrypted,
    passphrase_required,
    translate,
    wrong_passphrase,
)
from coordinator_app.storage.holders import Holder
from coordinator_app.storage.locations import is_risky_location
from coordinator_app.storage.migrate import upgrade_to_head
from coordinator_app.storage.sqlite_file import (
    SQLITE_HEADER,
    FileKind,
    SqliteFile,
    check_connection,
    damaged_start,
    file_kind,
    keyed_file,
    passphrase_opens,
    plain_header_damaged,
    read_head,
)

if TYPE_CHECKING:  # the ORM loads on the first session, not at start (issue 15)
    from sqlalchemy import orm as sa_orm
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:
    sa_orm = lazy_import("sqlalchemy.orm")
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = ["SQLITE_HEADER", "Database", "default_database_url", "local_path", "open_database"]

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds

#: Statements that never write (``Database.hold_writes``); anything else — INSERT, UPDATE, DELETE, DDL, PRAGMA,
#: WITH … — waits.
_READS = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

#: ``Database.kind``: what the status bar says about where the data lives.
KIND_ENCRYPTED = "krypteret lokal"
KIND_SHARED = "delt PostgreSQL"
KIND_DEMO = "demo – ikke krypteret"


def default_database_url(*, create_folder: bool = True) -> str:
    """The user's own database file, in the platform's per-user data folder (created if missing — the user's only,
    0700 — unless ``create_folder`` is false: a command that only reads creates nothing)."""
    folder = data_dir()
    if create_folder:
        private_folder(folder)
    return URL.create("sqlite", database=str(folder / "koordinator.db")).render_as_string()


class _Connector:
    """The engine's connection factory for a local file; ``change_passphrase`` swaps in the new key.

    Each new connection holds the file (``holders``, again after a ``Database.dispose``) and the first one notes
    which file the path names (``identity``: device and inode), so a later replacement is seen."""

    def __init__(self, file: SqliteFile, *, timeout: float, read_only: bool) -> None:
        self.file = file
        self.timeout = timeout
        self.read_only = read_only
        self.holder = Holder(file.path)
        self.identity: tuple[int, int] | None = None
        self.replaced = False

    def __call__(self) -> Any:
        if self.identity is not None:  # a new connection to a replaced file: refused before it is even opened (an
            self.check_same_file(str(self.file.path))  # encrypted one has its own salt, so the old key fails on it)
        self.holder.acquire()
        conn = self.file.connect(read_only=self.read_only, timeout=self.timeout)
        if self.identity is None:
            self.identity = _identity(self.file.path)
        return conn

    def check_same_file(self, where: str) -> None:
        """``DatabaseReplacedError`` when the path no longer names the file this database opened."""
        if not self.replaced and self.identity is not None and _identity(self.file.path) != self.identity:
            self.replaced = True
        if self.replaced:
            raise replaced_error(where)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:  # gone (moved away or deleted): not the file this database opened
        return None
    return info.st_dev, info.st_ino


def replaced_error(where: str) -> DatabaseReplacedError:
    return DatabaseReplacedError(
        f"Databasen {where} er blevet udskiftet, mens Koordinator havde den åben – fx gendannet fra en "
        "sikkerhedskopi af en anden bruger eller af IT. Ændringen er ikke gemt, og intet mere gemmes i denne "
        "session, så intet går tabt i den gamle fil. Luk Koordinator, og start programmet igen."
    )


class Database:
    """An open database. Pass it in; the app never reaches for a global one."""

    def __init__(
        self, engine: Engine, *, url: str, where: str, path: Path | None, connector: _Connector | None = None
    ) -> None:
        self._engine = engine
        self._sessions: sa_orm.sessionmaker[Session] | None = None  # made on the first session (issue 15)
        self._connector = connector
        self._changes = 0
        self._write_gate: Callable[[], None] | None = None
        self.url = url  # password hidden; never the passphrase
        self.dialect: str = engine.dialect.name  # "sqlite" | "postgresql"
        self.path = path  # the SQLite file, None for PostgreSQL or :memory:
        self.where = where  # how messages name the database
        if connector is not None:
            _guard_identity(engine, self, connector)  # first: it reads what ``_count_changes`` then updates
            _count_changes(engine, self)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def file(self) -> SqliteFile | None:
        """The local file and its key (for backups), ``None`` for PostgreSQL or a database in memory."""
        return self._connector.file if self._connector else None

    @property
    def encrypted(self) -> bool:
        return self._connector is not None and self._connector.file.encrypted

    @property
    def read_only(self) -> bool:
        """Opened read-only (a damaged database, until it is restored)."""
        return self._connector is not None and self._connector.read_only

    @property
    def kind(self) -> str:
        """For the status bar: "krypteret lokal", "delt PostgreSQL" or "demo – ikke krypteret"."""
        if self.dialect == "postgresql":
            return KIND_SHARED
        return KIND_ENCRYPTED if self.encrypted else KIND_DEMO

    @property
    def replaced(self) -> bool:
        """The file was replaced under this database (a restore elsewhere): nothing more is written through it.
        Looks at the file now (one ``stat``)."""
        try:
            self.require_same_file()
        except DatabaseReplacedError:
            return True
        return False

    def require_same_file(self) -> None:
        """``DatabaseReplacedError`` (Danish: close and start again) when the file was replaced under this database."""
        if self._connector is not None:
            self._connector.check_same_file(self.where)

    @property
    def change_count(self) -> int:
        """Grows with every commit that changed rows, in this process (automatic backups: "when data changed")."""
        return self._changes

    def _note_change(self) -> None:
        self._changes += 1

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-encrypt the file under ``new`` (``PRAGMA rekey``). No session may be open meanwhile.

        Backups made before keep the passphrase they were made with.
        """
        if self._connector is None or not self.encrypted:
            raise StorageError(
                f"Databasen {self.where} er ikke krypteret, så den har ingen adgangskode at skifte. "
                "Kryptér databasen først."
            )
        if self.read_only:
            raise StorageError(f"Databasen {self.where} er åbnet skrivebeskyttet; adgangskoden kan ikke skiftes nu.")
        current = self._connector.file
        assert current.passphrase is not None
        if not hmac.compare_digest(old.encode(), current.passphrase.encode()):
            raise wrong_passphrase(self.where)
        _require_passphrase(new)
        self._engine.dispose()  # no connection may keep the old key
        try:
            conn = current.connect(timeout=self._connector.timeout)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
                conn.reset_key(new)
            finally:
                conn.close()
        except current.module.Error as exc:
            raise StorageError(
                f"Adgangskoden til databasen {self.where} kunne ikke skiftes ({exc}). Den gamle adgangskode gælder "
                "stadig. Luk andre vinduer med Koordinator, og prøv igen."
            ) from exc
        self._connector.file = keyed_file(current.path, new)
        self._engine.dispose()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One transaction on a Core connection: commit when the block ends, roll back if it raises.

        For the reads of ``storage.reads`` (and Core statements on ``storage.tables``): neither ``sqlalchemy.orm`` nor
        the mappings are loaded for it (issue 15: the refresh that makes the window ready reads through this)."""
        try:
            with self._engine.begin() as connection:
                yield connection
        except BaseException as exc:
            translated = translate(exc, self.where)
            if translated is exc:
                raise
            raise translated from exc

    def prepare_sessions(self) -> sa_orm.sessionmaker[Session]:
        """The session factory, made on first use: loads ``sqlalchemy.orm`` and the mappings with their listeners
        (``storage.orm``: the refusals and the lent-case guard) — not at start (issue 15: the start reads through
        ``connect``). ``session`` calls it; the window calls it once idle after start, so the first save does not
        wait for the ORM to load."""
        if self._sessions is None:
            sessions = sa_orm.sessionmaker(self._engine, expire_on_commit=False)
            orm.Base  # noqa: B018 - the mappings (and their listeners) are in place before any session
            self._sessions = sessions
        return self._sessions

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit when the block ends, roll back (nothing half-written) if it raises."""
        session = self.prepare_sessions()()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            with suppress(Exception):  # a dead connection cannot roll back; the server discards it anyway
                session.rollback()
            translated = translate(exc, self.where)
            if translated is exc:
                raise
            raise translated from exc
        finally:
            session.close()

    def hold_writes(self, wait: Callable[[], None]) -> None:
        """Until ``release_writes``, every statement that may write calls ``wait`` first: it returns when writing may
        go on, or raises (and nothing is written). Reads go ahead meanwhile — the start reads the first screen while
        the file's ``quick_check`` runs (issue 7) — but a failing one calls ``wait`` too (the failure may be the
        damage the check is looking for; its answer comes first), and what ``wait`` raises replaces the error."""
        if self._write_gate is None:
            event.listen(self._engine, "before_cursor_execute", self._before_execute)
            event.listen(self._engine, "handle_error", self._on_error)
        self._write_gate = wait

    def release_writes(self) -> None:
        if self._write_gate is not None:
            self._write_gate = None
            event.remove(self._engine, "before_cursor_execute", self._before_execute)
            event.remove(self._engine, "handle_error", self._on_error)

    def _before_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        gate = self._write_gate
        if gate is not None and not statement.lstrip()[:9].upper().startswith(_READS):
            gate()

    def _on_error(self, _context: Any) -> None:
        if (gate := self._write_gate) is not None:
            gate()

    def get_meta(self, key: str) -> str | None:
        with self.connect() as connection:
            return reads.meta_value(connection, key)

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as session:
            session.merge(orm.AppMetaRow(key=key, value=value))

    def dispose(self) -> None:
        """Close every connection and let go of the file (``holders``); a later use opens and holds it again."""
        self._engine.dispose()
        if self._connector is not None:
            self._connector.holder.release()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


def open_database(
    url: str | Path | None = None,
    *,
    passphrase: str | None = None,
    migrate: bool = True,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    read_only: bool = False,
    backup_dir: Path | None = None,
    allow_risky_location: bool = False,
    must_exist: bool = False,
    check_first: bool = False,
) -> Database:
    """Open (and by default migrate to the current schema) a SQLite file or a PostgreSQL database.

    ``url`` is a file path, ``sqlite:///…``, ``sqlite+pysqlcipher://:PASSPHRASE@//abs/path.db`` or
    ``postgresql+psycopg://…`` (``postgresql://`` means the same); ``None`` is the user's own file
    (``default_database_url``). Raises ``StorageError`` — for a local file also its subclasses:

    * ``passphrase`` given: an existing encrypted file is opened with it (``WrongPassphraseError`` if it does not
      fit), a missing or empty file is created encrypted, a plain file is refused (``NotEncryptedError``).
    * no passphrase: a plain file or a new one (demo, tests); an encrypted file → ``PassphraseRequiredError``.
    * ``read_only``: no migration, no writes (a damaged database, until it is restored).
    * ``backup_dir``: where the backup taken before a migration goes (default ``backups/`` beside the file).
    * ``allow_risky_location``: open a file on a network share or removable drive anyway (IT, tests);
      otherwise ``RiskyLocationError`` explains why not.
    * ``must_exist``: refuse (``StorageError``, Danish) a missing or empty file, an empty PostgreSQL database and a
      database in memory instead of creating one; nothing is created, not even the default file's folder.
    * ``check_first``: a local file is ``quick_check``-ed before anything is written (the migration included); a
      damaged one is refused (``DamagedDatabaseError``) untouched.

    The passphrase is ignored for PostgreSQL (the server's own login protects it) and a database in memory.
    """
    sa_url, url_passphrase = _resolve_url(url, create_folder=not must_exist)
    wants_key = sa_url.get_driver_name() == "pysqlcipher"
    if passphrase is None:
        passphrase = url_passphrase
    path: Path | None = None
    connector: _Connector | None = None
    if sa_url.get_backend_name() == "sqlite":
        sa_url = URL.create("sqlite", database=sa_url.database, query=sa_url.query)  # the passphrase stays out
        if sa_url.database and sa_url.database != ":memory:":
            path = Path(sa_url.database).expanduser().resolve()
            sa_url = sa_url.set(database=str(path))
            where = str(path)
            if must_exist:
                _require_existing_file(path)
            if not allow_risky_location and (reason := is_risky_location(path)):
                raise RiskyLocationError(reason)
            kind = _check_sqlite_file(path)
            if read_only and kind is FileKind.MISSING:
                raise StorageError(f"Databasefilen {where} findes ikke eller er tom.")
            file = _keyed_file(path, kind, passphrase, where, wants_key=wants_key)
            connector = _Connector(file, timeout=busy_timeout, read_only=read_only)
        else:
            where = "i hukommelsen"
            if must_exist:
                raise StorageError(
                    "En database i hukommelsen er altid tom; kommandoen skal bruge en databasefil eller en "
                    "PostgreSQL-database. Angiv den med --database."
                )
    else:
        where = f"{sa_url.host or 'localhost'}:{sa_url.port or 5432}/{sa_url.database or ''}"
    keyed = connector is not None and connector.file.encrypted
    engine = _create_engine(sa_url, busy_timeout=busy_timeout, connector=connector)
    try:
        if must_exist and connector is None:
            _require_tables(engine, where)
        if check_first and connector is not None:
            _refuse_damaged(engine, where, encrypted=keyed)
        if migrate and not read_only:
            if connector is not None:
                migration_engine = _create_engine(
                    sa_url, busy_timeout=busy_timeout, foreign_keys=False, connector=connector
                )
                try:
                    upgrade_to_head(migration_engine, where=where, backup=connector.file, backup_dir=backup_dir)
                finally:
                    migration_engine.dispose()
            else:
                upgrade_to_head(engine, where=where)
        else:
            with engine.connect() as conn:
                if engine.dialect.name == "sqlite":
                    conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except Exception as exc:
        engine.dispose()
        if connector is not None:
            connector.holder.release()
        translated = translate(exc, where, keyed=keyed)
        if isinstance(translated, WrongPassphraseError) and path is not None and passphrase is not None:
            translated = _damaged_or_wrong(path, passphrase, translated)
        if isinstance(translated, StorageError):
            raise translated from exc
        if isinstance(exc, DBAPIError):
            raise StorageError(f"Databasen {where} kan ikke åbnes ({exc.orig}). Kontakt IT.") from exc
        raise
    journal.prime(engine)  # a laptop file? asked now, outside any transaction (issue 19)
    shown = sa_url.set(drivername="sqlite+pysqlcipher") if keyed else sa_url
    return Database(engine, url=shown.render_as_string(hide_password=True), where=where, path=path, connector=connector)


def local_path(url: str | Path | None, *, create_folder: bool = True) -> Path | None:
    """The local SQLite file ``url`` names (``None``: the user's own — its folder created unless
    ``create_folder`` is false), or ``None`` for PostgreSQL/in memory."""
    sa_url, _ = _resolve_url(url, create_folder=create_folder)
    if sa_url.get_backend_name() != "sqlite" or not sa_url.database or sa_url.database == ":memory:":
        return None
    return Path(sa_url.database).expanduser().resolve()


def _resolve_url(url: str | Path | None, *, create_folder: bool = True) -> tuple[URL, str | None]:
    """The SQLAlchemy URL and the passphrase a ``sqlite+pysqlcipher://:PASSPHRASE@…`` URL carried (if any).

    A typed string that is neither an address (``…://…``) nor a plausible file path is refused in Danish, before
    anything is created: a control character, a name the file system cannot take, or words without a folder or a
    file extension ("not a url at all") that name no existing file."""
    raw = default_database_url(create_folder=create_folder) if url is None else url
    if isinstance(raw, str) and "://" not in raw:
        _require_plausible_path(raw)
    if isinstance(raw, Path) or "://" not in raw:
        try:
            return URL.create("sqlite", database=str(Path(raw).expanduser().resolve())), None
        except (OSError, RuntimeError, ValueError) as exc:  # an unreadable folder on the way, a symlink loop
            raise StorageError(
                f"Databasestien «{raw}» kan ikke bruges ({describe(exc)}). Angiv en anden fil med --database."
            ) from None
    try:
        sa_url = make_url(raw)
    except ArgumentError:
        raise StorageError(
            f"Databaseadressen «{raw}» kan ikke forstås. Brug en filsti, sqlite:///sti/til/fil.db "
            "eller postgresql+psycopg://bruger@server/database."
        ) from None
    backend = sa_url.get_backend_name()
    if backend == "postgresql":
        return sa_url.set(drivername="postgresql+psycopg"), None
    if backend != "sqlite":
        raise StorageError(
            f"Koordinator kan kun bruge SQLite eller PostgreSQL, ikke «{backend}». Kontrollér databaseadressen."
        )
    if sa_url.database and sa_url.database != ":memory:" and (problem := path_problem(sa_url.database)):
        raise StorageError(f"Databasestien i «{raw}» kan ikke bruges: {problem}. Angiv en anden fil.")
    return sa_url, sa_url.password or None


def _require_plausible_path(raw: str) -> None:
    problem = path_problem(raw)
    if problem is None and not _looks_like_a_path(raw):
        problem = "det ligner hverken en filsti eller en databaseadresse"
    if problem is not None:
        shown = raw if len(raw) <= 80 else f"{raw[:60]}…"
        raise StorageError(
            f"Databasen «{shown}» kan ikke bruges: {problem}. Angiv en databasefil (fx ~/koordinator.db eller "
            "sqlite:///sti/til/koordinator.db) eller en adresse som postgresql+psycopg://bruger@server/database."
        )


def _looks_like_a_path(raw: str) -> bool:
    """A folder in it, a file extension, ``~``, or an existing file: what a user typing a file name writes."""
    separators = {"/", os.sep, os.altsep or "/"}
    if any(s in raw for s in separators) or raw.startswith("~") or Path(raw).suffix:
        return True
    try:
        return Path(raw).exists()
    except (OSError, ValueError):
        return False


def _require_existing_file(path: Path) -> None:
    """``must_exist``: the file is there and not empty — said in Danish before SQLite could create it."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise StorageError(
            f"Databasen {path} findes ikke. Kontrollér stien (--database), eller vælg databasen i Koordinator. "
            "Intet er oprettet."
        ) from None
    except OSError as exc:
        raise StorageError(f"Databasen {path} kan ikke læses ({describe(exc)}). Intet er ændret.") from None
    if path.is_dir():
        raise StorageError(
            f"{path} er en mappe, ikke en databasefil. Angiv databasefilen, fx {path / 'koordinator.db'}."
        )
    if info.st_size == 0:
        raise StorageError(
            f"Databasefilen {path} er tom (0 byte) og er ikke en Koordinator-database. Kontrollér stien, eller "
            "gendan databasen fra en sikkerhedskopi med «koordinator restore FIL». Intet er ændret."
        )


def _require_tables(engine: Engine, where: str) -> None:
    """``must_exist`` on PostgreSQL: the database holds Koordinator's tables (an empty one is not filled)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            raise StorageError(
                f"Databasen {where} er tom eller ikke en Koordinator-database. Kommandoen opretter ingen tabeller; "
                "en ny delt database sættes op med Koordinators førstegangsguide."
            )


def _refuse_damaged(engine: Engine, where: str, *, encrypted: bool) -> None:
    """``check_first``: ``quick_check`` before anything is written. The first read also tries the key, so a wrong
    passphrase is still called one (``translate``), not damage."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        result = check_connection(conn.connection.driver_connection, full=False, encrypted=encrypted)
    if not result.ok:
        raise DamagedDatabaseError(
            f"Databasen {where} er beskadiget (quick_check fandt {len(result.problems)} fejl), så intet skrives i "
            "den. Gendan den fra en sikkerhedskopi med «koordinator restore FIL», og kontakt IT."
        )


def _damaged_or_wrong(path: Path, passphrase: str, wrong: WrongPassphraseError) -> StorageError:
    """SQLCipher says "file is not a database" for a wrong passphrase and for a damaged first page alike; tell
    them apart (issue 18): the passphrase proves right on the file's later pages (``damaged_start``), or it opens
    the newest backup beside the file — then the file is damaged (or, for the backup, the passphrase was changed
    since, which the message says too). Otherwise it is the wrong passphrase."""
    if damaged_start(path, passphrase):
        return DamagedDatabaseError(
            f"Databasefilen {path} er beskadiget i starten (filens første side), så den kan ikke åbnes. "
            "Adgangskoden er den rigtige; den er ikke problemet. Gendan databasen fra en sikkerhedskopi med "
            "«koordinator restore FIL», og kontakt IT. Intet er ændret."
        )
    newest = next(iter(list_backups(default_backup_dir(path))), None)
    if newest is not None and newest.encrypted and passphrase_opens(newest.path, passphrase):
        return DamagedDatabaseError(
            f"Adgangskoden åbner den nyeste sikkerhedskopi ({newest.path.name}), men ikke databasefilen {path}. "
            "Enten er databasefilens start beskadiget, eller adgangskoden er skiftet, efter kopien blev taget. "
            "Prøv den nye adgangskode; passer den heller ikke, så gendan databasen fra sikkerhedskopien med "
            "«koordinator restore FIL», og kontakt IT. Intet er ændret."
        )
    return wrong


def _keyed_file(path: Path, kind: FileKind, passphrase: str | None, where: str, *, wants_key: bool) -> SqliteFile:
    """The file with its key: encrypted files need one, plain files must not get one (they would not open).
    A plain file whose first bytes are damaged looks encrypted by its size; the rest of its header says it is not."""
    if kind is FileKind.ENCRYPTED and plain_header_damaged(read_head(path)):
        raise DamagedDatabaseError(
            f"Databasefilen {where} er beskadiget i starten (SQLite-filens hoved er overskrevet), så den kan ikke "
            "åbnes. Gendan databasen fra en sikkerhedskopi med «koordinator restore FIL», og kontakt IT. "
            "Intet er ændret."
        )
    if passphrase is not None:
        _require_passphrase(passphrase)
        if kind is FileKind.PLAIN:
            raise not_encrypted(where)
        return keyed_file(path, passphrase)
    if kind is FileKind.ENCRYPTED or wants_key:
        raise passphrase_required(where)
    return SqliteFile(path)


def _require_passphrase(passphrase: str) -> None:
    if not passphrase or "\x00" in passphrase:
        raise StorageError("Adgangskoden til databasen må ikke være tom. Skriv en adgangskode.")


def _check_sqlite_file(path: Path) -> FileKind:
    """Explain in Danish what SQLite would only call 'unable to open database file'; say what the file holds."""
    folder = path.parent
    try:
        if not folder.is_dir():
            raise StorageError(
                f"Mappen {folder} findes ikke. Opret mappen, eller vælg en anden placering til databasen."
            )
        if path.is_dir():
            raise StorageError(f"{path} er en mappe, ikke en databasefil. Angiv en fil, fx {path / 'koordinator.db'}.")
        # WAL needs to create -wal/-shm files beside the database, so the folder itself must be writable.
        with tempfile.TemporaryFile(dir=folder):
            pass
        kind = file_kind(path)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(str(folder)) from exc
        raise StorageError(
            f"Koordinator kan ikke skrive i mappen {folder} ({describe(exc)}). Vælg en mappe, hvor du har "
            "skriveadgang (fx din egen dokumentmappe), eller bed IT om adgang."
        ) from exc
    if kind is FileKind.UNKNOWN:
        raise corrupt(str(path))
    return kind


def _create_engine(
    url: URL, *, busy_timeout: float, foreign_keys: bool = True, connector: _Connector | None = None
) -> Engine:
    """``hide_parameters``: a failing statement's values (a CPR number, a name) never reach an error's text, and so
    never a log or a message (issue 18)."""
    busy_ms = max(0, int(busy_timeout * 1000))
    if url.get_backend_name() == "sqlite":
        read_only = False
        if connector is None:  # in memory
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}, hide_parameters=True
            )
        else:
            read_only = connector.read_only
            kwargs: dict[str, Any] = {"creator": connector, "module": connector.file.module, "hide_parameters": True}
            if not foreign_keys:
                kwargs["poolclass"] = NullPool
            engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine, busy_ms=busy_ms, foreign_keys=foreign_keys, read_only=read_only)
        return engine
    connect_args = {"connect_timeout": max(2, round(busy_timeout)), "options": f"-c lock_timeout={busy_ms}"}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, hide_parameters=True)


def _install_sqlite_pragmas(engine: Engine, *, busy_ms: int, foreign_keys: bool, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            if read_only:
                cursor.execute("PRAGMA query_only = ON")
            else:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _guard_identity(engine: Engine, database: Database, connector: _Connector) -> None:
    """Before each statement that may write, and at each commit: the path still names the file first opened."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip()[:9].upper().startswith(_READS):
            connector.check_same_file(database.where)

    @event.listens_for(engine, "commit")
    def _before_commit(connection: Any) -> None:
        fairy = connection.connection  # a transaction that changed rows (``_count_changes`` notes them after this)
        if fairy.driver_connection.total_changes != fairy.info.get("koordinator_total_changes", 0):
            connector.check_same_file(database.where)


def _count_changes(engine: Engine, database: Database) -> None:
    """Note each commit that changed rows (``total_changes`` of the DBAPI connection grew since its last one)."""

    @event.listens_for(engine, "commit")
    def _on_commit(connection: Any) -> None:
        fairy = connection.connection
        total = fairy.driver_connection.total_changes
        if total != fairy.info.get("koordinator_total_changes", 0):
            fairy.info["koordinator_total_changes"] = total
            database._note_change()
