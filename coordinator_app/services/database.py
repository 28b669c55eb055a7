"""Opening the database, for the program's start (``ui.shell.app``) and the headless commands (``cli``).

The UI and the command line never reach into the storage layer: they open the database here and hand the
``Database`` on to the services (``ServiceContext``). How a passphrase is asked for — a dialog, a terminal, the
keyring — stays with the caller; what the storage layer answers (``PassphraseRequiredError``,
``WrongPassphraseError``, ``StorageError``, all in ``domain.errors`` with Danish messages) is passed through.

Loads SQLAlchemy: import it where the database is opened, not from the first screen's modules (issue 7).
"""

from __future__ import annotations

from pathlib import Path

from coordinator_app.storage.database import Database
from coordinator_app.storage.database import local_path as _local_path
from coordinator_app.storage.database import open_database as _open_database

__all__ = ["Database", "local_path", "open_database"]


def open_database(
    url: str | Path | None,
    *,
    passphrase: str | None = None,
    read_only: bool = False,
    migrate: bool = True,
    must_exist: bool = False,
    check_first: bool = False,
) -> Database:
    """Open (and unless ``read_only`` or ``migrate=False``, migrate) the database ``url`` names: a SQLite file's
    path or URL, a PostgreSQL address, or ``None`` for the user's own file. ``StorageError`` (Danish) when it
    cannot be opened; ``PassphraseRequiredError``/``WrongPassphraseError`` for an encrypted file.

    ``must_exist`` (the commands that read, issue 18): a missing or empty database is refused and nothing is
    created; ``check_first``: a damaged local file is refused before anything is written to it."""
    return _open_database(
        url, passphrase=passphrase, read_only=read_only, migrate=migrate, must_exist=must_exist, check_first=check_first
    )


def local_path(url: str | Path | None, *, create_folder: bool = True) -> Path | None:
    """The local file ``url`` names (``None``: the user's own, its folder created unless ``create_folder`` is
    false), or ``None`` for PostgreSQL or a database in memory. ``StorageError`` (Danish) when the address cannot be
    understood."""
    return _local_path(url, create_folder=create_folder)
