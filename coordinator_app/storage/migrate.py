"""Bring any Koordinator database to the current schema when it is opened (Alembic, no CLI).

All revisions run in ONE transaction: a failed upgrade leaves the database exactly as it was. On
PostgreSQL an advisory lock makes two coordinators opening an old shared database at the same time
take turns instead of both trying to create the tables.

Migrations take a backup first (issue 8): before an existing local file is upgraded, the state it is in is
copied (encrypted with the same key if the file is) into its backup folder and checked, in the same read
transaction the upgrade then runs in. No backup, no upgrade. The shared PostgreSQL database is backed up by
IT on the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from coordinator_app.domain.errors import StorageError
from coordinator_app.lazy import lazy_import
from coordinator_app.storage.backup import backup_from_connection, default_backup_dir
from coordinator_app.storage.failures import corrupt
from coordinator_app.storage.quick_read import MIGRATIONS, file_head
from coordinator_app.storage.sqlite_file import SqliteFile

if TYPE_CHECKING:
    from alembic import command as alembic_command
    from alembic import config as alembic_config_module
    from alembic import script as alembic_script
    from alembic.config import Config
    from alembic.runtime import migration as alembic_migration
    from alembic.util import exc as alembic_exc
else:  # Alembic costs ~0.2 s of a cold start: loaded only when a database really needs upgrading
    alembic_command = lazy_import("alembic.command")
    alembic_config_module = lazy_import("alembic.config")
    alembic_script = lazy_import("alembic.script")
    alembic_migration = lazy_import("alembic.runtime.migration")
    alembic_exc = lazy_import("alembic.util.exc")

#: Arbitrary constant shared by every Koordinator: "the schema is being migrated".
_PG_LOCK_KEY = 0x4B4F4F52  # "KOOR"


def alembic_config(script_location: Path | None = None) -> Config:
    config = alembic_config_module.Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def head_revision(script_location: Path | None = None) -> str:
    head = alembic_script.ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return alembic_migration.MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(
    engine: Engine,
    *,
    where: str,
    script_location: Path | None = None,
    backup: SqliteFile | None = None,
    backup_dir: Path | None = None,
) -> None:
    """Migrate the database behind ``engine`` to head; a database already at head is left untouched.

    ``backup``: the local file behind ``engine`` (with its key); an existing database is copied into
    ``backup_dir`` (default ``backups/`` beside it) before the first revision runs.
    """
    if script_location is None and _already_at_head(engine):
        return  # the usual start: no Alembic import at all (it costs ~0.2 s of the cold start, issue 7)
    config = alembic_config(script_location)
    script = alembic_script.ScriptDirectory.from_config(config)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        current = alembic_migration.MigrationContext.configure(conn).get_current_heads()
        if set(current) == set(script.get_heads()):
            return
        if not current:
            _refuse_foreign_tables(conn, where)
        for revision in current:
            try:
                script.get_revision(revision)
            except alembic_exc.CommandError:
                raise StorageError(
                    f"Databasen {where} er oprettet af en nyere version af Koordinator (skemaversion "
                    f"{revision}). Opdatér Koordinator på denne computer, før du åbner databasen."
                ) from None
        if current and backup is not None:
            _backup_before_upgrade(conn, backup, backup_dir or default_backup_dir(backup.path), where)
        config.attributes["connection"] = conn
        alembic_command.upgrade(config, "head")
        if conn.dialect.name == "sqlite":
            # Migrations run with foreign keys off (SQLite table rebuilds need it); check them before commit.
            if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise StorageError(
                    f"Databasen {where} kunne ikke opdateres, fordi dens data ikke hænger sammen. "
                    "Intet er ændret. Kontakt IT med databasefilen."
                )


def _already_at_head(engine: Engine) -> bool:
    """One cheap query: is the database's recorded revision the newest one? False when unsure."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception:  # any doubt goes the full (Alembic) way, which reports errors in Danish
        return False
    return rows == [file_head(MIGRATIONS)]


def _refuse_foreign_tables(conn: Connection, where: str) -> None:
    """A database without our version table must be empty: never build our schema into someone else's."""
    tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
    if tables:
        raise corrupt(where)


def _backup_before_upgrade(conn: Connection, file: SqliteFile, folder: Path, where: str) -> None:
    try:
        backup_from_connection(conn.connection.driver_connection, file, folder, before_upgrade=True)
    except StorageError as exc:
        raise StorageError(
            f"Databasen {where} skal opdateres til denne version af Koordinator, men først tages en "
            f"sikkerhedskopi, og det lykkedes ikke: {exc.message} Databasen er ikke ændret."
        ) from exc
