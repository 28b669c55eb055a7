"""One error hierarchy: every error a user may see carries a Danish message.

The UI shows ``KoordinatorError.message`` in one place (``ui/common/errors.py``); anything else is a bug and
goes to the crash dialog.
"""

from __future__ import annotations


class KoordinatorError(Exception):
    """Base for expected errors. ``message`` is Danish and tells the user what to do."""

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule

    def __str__(self) -> str:
        return f"{self.message} ({self.rule})" if self.rule else self.message


class ValidationError(KoordinatorError):
    """Bad input from the user: an invalid CPR, an impossible date, an empty required field.

    ``field`` names the input (e.g. ``"cpr"``) so a dialog can point at it.
    """

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message, rule=rule)
        self.field = field


class ProcessError(KoordinatorError):
    """A move the agreement's process does not allow (e.g. afmelding of someone never færdigmeldt)."""


class StorageError(KoordinatorError):
    """The database cannot be opened, is locked, corrupt, or the disk is full. Raised by the storage layer
    (``storage/failures.py`` translates the drivers' errors); here, so the UI can tell them apart without
    importing storage."""


class ConflictError(StorageError):
    """Someone else changed or removed the record since it was read (optimistic locking)."""


class DatabaseBusyError(StorageError):
    """Another Koordinator held the database longer than the busy timeout: a short operation may try again."""


class DamagedDatabaseError(StorageError):
    """The file is damaged or not ours: the UI offers to restore a backup."""


class PassphraseRequiredError(StorageError):
    """The database is encrypted and no passphrase was given: the UI asks for it."""


class WrongPassphraseError(StorageError):
    """The passphrase does not open the encrypted database: the UI asks again."""


class NotEncryptedError(StorageError):
    """A passphrase was given for a plain (demo) database: it could be encrypted first."""


class DatabaseInUseError(StorageError):
    """Another Koordinator has the database file open, so it cannot be replaced now (a restore, issue 18)."""


class DatabaseReplacedError(StorageError):
    """The database file was replaced (restored) while this program had it open: nothing more is written to the
    old file; the program must be closed and started again (issue 18)."""


class RiskyLocationError(StorageError):
    """The database file is on a network share or a removable drive (``locations.is_risky_location``)."""


class NotFoundError(KoordinatorError):
    """A record the user asked for does not exist (any more)."""


class AccessDeniedError(KoordinatorError):
    """The signed-in user's role may not do this (issue 8). Raised by the services, before anything is written;
    ``permission`` names what was missing (``access.Permission`` value)."""

    def __init__(self, message: str, *, permission: str | None = None) -> None:
        super().__init__(message)
        self.permission = permission


class AuthenticationError(KoordinatorError):
    """A login was refused: wrong username or password (never saying which), a locked or deactivated account.
    ``locked_until`` is set when the account is locked (the login dialog says until when)."""

    def __init__(self, message: str, *, locked_until: object = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until
