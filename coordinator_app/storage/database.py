"""Opening the database: the engine, transactions, and failures told in Danish.

SQLite runs with WAL (readers never block the writer), ``synchronous=FULL`` (a committed
færdigmelding survives a power cut), foreign keys on, and a busy timeout so a second Koordinator
waits briefly instead of failing at once. pysqlite's own transaction handling is switched off and
``BEGIN`` emitted by us (SQLAlchemy's documented recipe), so DDL and SAVEPOINTs are transactional too.
PostgreSQL runs the same code; ``lock_timeout`` plays the role of the busy timeout.
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import URL, Engine, create_engine, event, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from coordinator_app.errors import StorageError
from coordinator_app.storage.failures import corrupt, disk_full, translate
from coordinator_app.storage.migrate import upgrade_to_head
from coordinator_app.storage.orm import AppMetaRow

DEFAULT_BUSY_TIMEOUT = 5.0  # seconds
SQLITE_HEADER = b"SQLite format 3\x00"


def default_database_url() -> str:
    """The user's own database file, in the platform's per-user data folder (created if missing)."""
    folder = Path(user_data_dir("Koordinator", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite", database=str(folder / "koordinator.db")).render_as_string()


class Database:
    """An open database. Pass it in (style.md §12); the app never reaches for a global one."""

    def __init__(self, engine: Engine, *, url: str, where: str, path: Path | None) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.url = url  # password hidden
        self.dialect: str = engine.dialect.name  # "sqlite" | "postgresql"
        self.path = path  # the SQLite file, None for PostgreSQL or :memory:
        self.where = where  # how messages name the database

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit when the block ends, roll back (nothing half-written) if it raises."""
        session = self._sessions()
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

    def get_meta(self, key: str) -> str | None:
        with self.session() as session:
            return session.scalar(select(AppMetaRow.value).where(AppMetaRow.key == key))

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as session:
            session.merge(AppMetaRow(key=key, value=value))

    def dispose(self) -> None:
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url!r})"


def open_database(
    url: str | Path | None = None, *, migrate: bool = True, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> Database:
    """Open (and by default migrate to the current schema) a SQLite file or a PostgreSQL database.

    ``url`` is a file path, ``sqlite:///…``, or ``postgresql+psycopg://…`` (``postgresql://`` means the
    same); ``None`` is the user's own file (``default_database_url``). Raises ``StorageError``.
    """
    sa_url = _resolve_url(url)
    path: Path | None = None
    if sa_url.get_backend_name() == "sqlite":
        if sa_url.database and sa_url.database != ":memory:":
            path = Path(sa_url.database).expanduser().resolve()
            sa_url = sa_url.set(database=str(path))
            _check_sqlite_file(path)
        where = str(path) if path else "i hukommelsen"
    else:
        where = f"{sa_url.host or 'localhost'}:{sa_url.port or 5432}/{sa_url.database or ''}"
    engine = _create_engine(sa_url, busy_timeout=busy_timeout)
    try:
        if migrate:
            if engine.dialect.name == "sqlite" and path is not None:
                migration_engine = _create_engine(sa_url, busy_timeout=busy_timeout, foreign_keys=False)
                try:
                    upgrade_to_head(migration_engine, where=where)
                finally:
                    migration_engine.dispose()
            else:
                upgrade_to_head(engine, where=where)
        else:
            with engine.connect():
                pass
    except Exception as exc:
        engine.dispose()
        translated = translate(exc, where)
        if isinstance(translated, StorageError):
            raise translated from exc
        if isinstance(exc, DBAPIError):
            raise StorageError(f"Databasen {where} kan ikke åbnes ({exc.orig}). Kontakt IT.") from exc
        raise
    return Database(engine, url=sa_url.render_as_string(hide_password=True), where=where, path=path)


def _resolve_url(url: str | Path | None) -> URL:
    raw = default_database_url() if url is None else url
    if isinstance(raw, Path) or "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        sa_url = make_url(raw)
    except ArgumentError:
        raise StorageError(
            f"Databaseadressen «{raw}» kan ikke forstås. Brug en filsti, sqlite:///sti/til/fil.db "
            "eller postgresql+psycopg://bruger@server/database."
        ) from None
    backend = sa_url.get_backend_name()
    if backend == "postgresql":
        return sa_url.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise StorageError(
            f"Koordinator kan kun bruge SQLite eller PostgreSQL, ikke «{backend}». Kontrollér databaseadressen."
        )
    return sa_url


def _check_sqlite_file(path: Path) -> None:
    """Explain in Danish what SQLite would only call 'unable to open database file'."""
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
        if path.exists() and path.stat().st_size > 0:
            with path.open("rb") as fh:
                if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise corrupt(str(path))
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(str(folder)) from exc
        raise StorageError(
            f"Koordinator kan ikke skrive i mappen {folder} ({exc.strerror}). Vælg en mappe, hvor du har "
            "skriveadgang (fx din egen dokumentmappe), eller bed IT om adgang."
        ) from exc


def _create_engine(url: URL, *, busy_timeout: float, foreign_keys: bool = True) -> Engine:
    busy_ms = max(0, int(busy_timeout * 1000))
    if url.get_backend_name() == "sqlite":
        memory = not url.database or url.database == ":memory:"
        kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout}}
        if memory:
            kwargs |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        elif not foreign_keys:
            kwargs["poolclass"] = NullPool
        engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine, busy_ms=busy_ms, foreign_keys=foreign_keys)
        return engine
    connect_args = {"connect_timeout": max(2, round(busy_timeout)), "options": f"-c lock_timeout={busy_ms}"}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _install_sqlite_pragmas(engine: Engine, *, busy_ms: int, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
