"""Database failures in Danish: what went wrong and what the coordinator can do about it.

SQLite reports its error *names* (``sqlite3.Error.sqlite_errorname``, Python 3.11+), PostgreSQL its
SQLSTATE codes; both are mapped here, in one place, to ``StorageError`` messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordinator_app.domain.errors import (
    ConflictError,
    DamagedDatabaseError,
    DatabaseBusyError,
    NotEncryptedError,
    PassphraseRequiredError,
    StorageError,
    WrongPassphraseError,
)
from coordinator_app.lazy import lazy_import

if TYPE_CHECKING:
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.orm import exc as orm_exc
else:  # the messages are needed before SQLAlchemy is loaded (the first screen); translating comes after it
    sa_exc = lazy_import("sqlalchemy.exc")
    orm_exc = lazy_import("sqlalchemy.orm.exc")


NOTHING_SAVED = "Intet er gemt."


def corrupt(where: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"Databasefilen {where} er beskadiget eller ikke en Koordinator-database. "
        "Vælg den rigtige fil, eller gendan databasen fra en sikkerhedskopi (kontakt IT)."
    )


def passphrase_required(where: str) -> PassphraseRequiredError:
    return PassphraseRequiredError(f"Databasen {where} er krypteret. Skriv adgangskoden til databasen for at åbne den.")


def wrong_passphrase(where: str) -> WrongPassphraseError:
    return WrongPassphraseError(
        f"Forkert adgangskode til databasen {where}. Skriv adgangskoden igen – store og små bogstaver tæller "
        "med. Uden den rigtige adgangskode kan databasen ikke åbnes; kontakt IT, hvis du har glemt den."
    )


def not_encrypted(where: str) -> NotEncryptedError:
    return NotEncryptedError(
        f"Databasen {where} er ikke krypteret, så den åbnes uden adgangskode (demo – ikke krypteret). "
        "Rigtige patientdata skal ligge i en krypteret database: kryptér databasen, eller åbn den uden adgangskode."
    )


def locked(where: str) -> DatabaseBusyError:
    return DatabaseBusyError(
        f"Databasen er låst af et andet program ({where}). Luk de andre vinduer med Koordinator "
        f"(eller programmer som har filen åben), og prøv igen. {NOTHING_SAVED}"
    )


def disk_full(where: str) -> StorageError:
    return StorageError(
        f"Disken er fuld, så ændringen kunne ikke gemmes ({where}). Frigør plads på disken, "
        f"eller kontakt IT, og prøv igen. {NOTHING_SAVED}"
    )


def unreachable(where: str) -> StorageError:
    return StorageError(
        f"Kan ikke forbinde til den delte database ({where}). Kontrollér netværksforbindelsen og "
        "adressen, og prøv igen. Kontakt IT, hvis fejlen bliver ved."
    )


def conflict() -> ConflictError:
    return ConflictError(
        "En anden bruger har ændret eller slettet oplysningerne, mens du arbejdede med dem. "
        f"{NOTHING_SAVED} Luk vinduet, åbn patienten igen, og gentag ændringen."
    )


_SQLITE = {
    "SQLITE_BUSY": locked,
    # WAL: our read snapshot is older than a commit by someone else — the record changed under us.
    "SQLITE_BUSY_SNAPSHOT": lambda where: conflict(),
    "SQLITE_BUSY_RECOVERY": locked,
    "SQLITE_LOCKED": locked,
    "SQLITE_FULL": disk_full,
    "SQLITE_CORRUPT": corrupt,
    "SQLITE_NOTADB": corrupt,
}

_PG = {
    "53100": disk_full,  # disk_full
    "55P03": locked,  # lock_not_available (lock_timeout)
    "57014": locked,  # query_canceled (statement_timeout while waiting)
}


def translate(error: BaseException, where: str, *, keyed: bool = False) -> BaseException:
    """The ``StorageError`` for ``error``, or ``error`` itself when it is a bug rather than a failure.

    ``keyed``: the error came while first reading an encrypted file with a passphrase. SQLCipher then reports
    a wrong key exactly like a damaged file ("file is not a database"), so here it means the wrong passphrase.
    """
    if isinstance(error, StorageError):
        return error
    if isinstance(error, orm_exc.StaleDataError):
        return conflict()
    if not isinstance(error, sa_exc.DBAPIError):
        return error
    orig = error.orig
    name = getattr(orig, "sqlite_errorname", None)
    if keyed and name == "SQLITE_NOTADB":
        return wrong_passphrase(where)
    if name is not None:
        return _translate_sqlite(error, name, where)
    sqlstate = getattr(orig, "sqlstate", None) or _connect_sqlstate(str(orig))
    if sqlstate in _PG:
        return _PG[sqlstate](where)
    if sqlstate in ("40001", "40P01"):  # serialization failure, deadlock
        return conflict()
    if isinstance(error, sa_exc.IntegrityError):
        return _integrity()
    if sqlstate in ("28P01", "28000"):
        return StorageError(
            f"Den delte database ({where}) afviste brugernavn eller adgangskode. Kontakt IT for at få adgang."
        )
    if sqlstate == "3D000":
        return StorageError(
            f"Databasen findes ikke på serveren ({where}). Kontrollér adressen, eller bed IT oprette den."
        )
    if sqlstate == "42501":
        return StorageError(f"Du har ikke rettigheder til at ændre den delte database ({where}). Kontakt IT.")
    if sqlstate is None or sqlstate.startswith("08") or sqlstate.startswith("57P"):
        # Client-side connection failures have no SQLSTATE; 08xxx/57Pxx: connection lost, server shut down.
        if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
            return unreachable(where)
    return error


def _connect_sqlstate(message: str) -> str | None:
    """libpq reports failures while connecting without a SQLSTATE; recognise the two common ones."""
    if "does not exist" in message and "database" in message:
        return "3D000"
    if "password authentication failed" in message or "no pg_hba.conf entry" in message:
        return "28P01"
    return None


def _translate_sqlite(error: sa_exc.DBAPIError, name: str, where: str) -> BaseException:
    base = name.split("_", 2)
    family = "_".join(base[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    factory = _SQLITE.get(name) or _SQLITE.get(family)
    if factory is not None:
        return factory(where)
    if isinstance(error, sa_exc.IntegrityError):
        return _integrity()
    if family == "SQLITE_READONLY":
        return StorageError(
            f"Databasefilen {where} er skrivebeskyttet. Vælg en fil, du har skriveadgang til, "
            f"eller kontakt IT. {NOTHING_SAVED}"
        )
    if family == "SQLITE_CANTOPEN":
        return StorageError(
            f"Databasefilen {where} kan ikke åbnes. Kontrollér at mappen findes, og at du har adgang til den."
        )
    if family in ("SQLITE_IOERR", "SQLITE_PERM"):
        return StorageError(
            f"Databasefilen {where} kunne ikke læses eller skrives (disk- eller netværksfejl). "
            f"Kontrollér disken eller netværksdrevet, og prøv igen. {NOTHING_SAVED}"
        )
    return error


def _integrity() -> StorageError:
    return StorageError(
        "Ændringen strider mod databasens regler (fx findes CPR-nummeret allerede, eller en kommune "
        f"mangler i kommunelisten). {NOTHING_SAVED} Opdatér listen, og prøv igen."
    )
