"""Opening the database for the start: which one (``--database``, the workstation's saved choice, or the first-run
wizard), its adgangskode (``KOORDINATOR_PASSPHRASE``, the keyring, then asking at most three times), and the file's
``quick_check`` — at once, or in the background while the window is built, every write waiting for it. A damaged
file opens read-only, saying so; anything that cannot be opened is told in Danish and the program closes."""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coordinator_app.domain.errors import KoordinatorError, PassphraseRequiredError, StorageError, WrongPassphraseError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.backups import (
    BackgroundCheck,
    CheckResult,
    check_in_background,
    needs_start_check,
    quick_check,
)
from coordinator_app.services.database import Database, local_path, open_database

if TYPE_CHECKING:
    from coordinator_app.services import connection, first_run
    from coordinator_app.services.first_run import FirstRunResult
    from coordinator_app.ui.first_run import first_run as first_run_wizard
else:  # the keyring, the saved choice and the first-run wizard: only when needed, not on every start
    connection = lazy_import("coordinator_app.services.connection")
    first_run = lazy_import("coordinator_app.services.first_run")
    first_run_wizard = lazy_import("coordinator_app.ui.first_run.first_run")

# isort: split
# PySide6 comes after the service stack: once imported, its import hook inspects every later module.
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.shell.login_dialog import PassphraseDialog
from coordinator_app.ui.shell.startup import LaunchOptions

log = logging.getLogger("koordinator")


PASSPHRASE_TRIES = 3


def ask_passphrase(text: str) -> str | None:
    """The database's adgangskode (issue 8), never stored; None when the user cancels."""
    passphrase, ok = QInputDialog.getText(None, "Koordinator – adgangskode", text, QLineEdit.EchoMode.Password)
    return passphrase if ok and passphrase else None


def ask_passphrase_to_remember(text: str, path: Path | None) -> tuple[str, bool] | None:
    """The adgangskode, and whether to keep it in the keyring: with "Husk i nøgleringen" only for a local file on a
    computer with a usable keyring, else the plain prompt. None when the user cancels."""
    if path is None or not connection.keyring_status()[0]:
        passphrase = ask_passphrase(text)
        return None if passphrase is None else (passphrase, False)
    dialog = PassphraseDialog(text)
    dialog.exec()
    return dialog.answer()


def open_for_start(
    options: LaunchOptions,
    *,
    check_later: bool = False,
    on_first_run: Callable[[FirstRunResult], None] | None = None,
) -> tuple[Database | None, str | None]:
    """Issue 9: which database to open. ``--database`` (and ``--smoke``/``--demo``, which never show the wizard) as
    given; else the workstation's saved choice (``forbindelse.json``); else the default file of an older install;
    else the first-run wizard. (None, None): cancelled or could not be opened (the program closes).
    ``check_later``: see ``open_with_passphrase``."""
    if options.database_url is not None or options.smoke or options.demo:
        return open_with_passphrase(options.database_url, check_later=check_later)
    try:
        config = connection.load_config()
    except KoordinatorError as exc:
        _critical(exc.message)
        return None, None
    if config is not None:
        return open_with_passphrase(config.database_url(), check_later=check_later)
    if first_run.needs_first_run():
        result = first_run_wizard.run_first_run()
        if result is None:
            log.info("Første opstart annulleret; programmet lukker")
            return None, None
        if on_first_run is not None:
            on_first_run(result)
        return open_with_passphrase(result.url, passphrase=result.passphrase, check_later=check_later)
    return open_with_passphrase(None, check_later=check_later)


def open_or_explain(url: str | None) -> Database | None:
    """Open the database; on failure tell the user in Danish what to do and return None.

    An encrypted local database asks for its adgangskode (``KOORDINATOR_PASSPHRASE`` first, for IT's scripted
    starts), at most three times. A damaged one opens read-only, saying so (restore from a backup).
    """
    return open_with_passphrase(url)[0]


def open_with_passphrase(
    url: str | None, *, passphrase: str | None = None, check_later: bool = False
) -> tuple[Database | None, str | None]:
    """``open_or_explain`` that also returns the adgangskode used (kept in memory only, for backup/restore).

    An encrypted local file tries, in turn: ``passphrase`` (the wizard's), ``KOORDINATOR_PASSPHRASE``, the system
    keyring (an entry that no longer fits is removed and does not count as a try), then asks — at most three
    times, offering "Husk i nøgleringen" where there is one.

    ``check_later`` (the start, issue 7): a local file's ``quick_check`` runs in the background instead of before
    returning, and every write waits for it; ``settle_start_check`` waits for it and handles a damaged file as
    this function otherwise does at once (read-only, saying so)."""
    passphrase = passphrase or os.environ.get("KOORDINATOR_PASSPHRASE") or None
    path = _local_file(url)
    keyring_tried = from_keyring = remember = False
    prompt_after_keyring = ""
    tries = 0
    while True:
        try:
            db = open_database(url, passphrase=passphrase)
            break
        except (PassphraseRequiredError, WrongPassphraseError) as exc:
            if from_keyring:  # the keyring's adgangskode no longer fits (changed elsewhere): forget it
                assert path is not None
                connection.delete_secret(str(path))
                log.info("Adgangskoden i nøgleringen passede ikke og er fjernet")
                from_keyring = False
                prompt_after_keyring = (
                    "Adgangskoden i nøgleringen passer ikke længere og er fjernet. Skriv adgangskoden:"
                )
                tries -= 1  # not the user's try
            elif not keyring_tried and path is not None and isinstance(exc, PassphraseRequiredError):
                keyring_tried = True
                remembered = connection.read_secret(str(path))
                if remembered:
                    passphrase, from_keyring = remembered, True
                    continue
            tries += 1
            if tries > PASSPHRASE_TRIES:
                _critical(exc.message)
                return None, None
            prompt, prompt_after_keyring = prompt_after_keyring, ""
            if not prompt:
                prompt = (
                    "Forkert adgangskode. Prøv igen:"
                    if isinstance(exc, WrongPassphraseError)
                    else "Databasen er krypteret. Skriv adgangskoden:"
                )
            answer = ask_passphrase_to_remember(prompt, path)
            if answer is None:
                return None, None
            passphrase, remember = answer
        except StorageError as exc:
            _critical(exc.message)
            return None, None
    if remember and path is not None and passphrase and db.encrypted:
        connection.store_secret(str(path), passphrase)
    if needs_start_check(db):
        if check_later:
            check = check_in_background(db)
            db.hold_writes(lambda: _writes_may_go_on(check.result()))
            _START_CHECKS[db] = (check, url)
            return db, passphrase
        checked = _after_check(db, quick_check(db), url, passphrase)
        return (checked, passphrase) if checked is not None else (None, None)
    return db, passphrase


#: The start's checks still running (``open_with_passphrase(check_later=True)``), with the URL the file was opened by.
_START_CHECKS: weakref.WeakKeyDictionary[Database, tuple[BackgroundCheck, str | None]] = weakref.WeakKeyDictionary()


class StartCheckFailed(BaseException):
    """The start's ``quick_check`` found the file damaged while the window was being built (a write, or a failing
    read, waited for it): ``start_window`` starts over on the file reopened read-only. A ``BaseException`` so that
    no error handler on the way shows it as an ordinary failure; nothing was written."""


def _writes_may_go_on(result: CheckResult) -> None:
    if not result.ok:
        raise StartCheckFailed


def settle_start_check(db: Database, passphrase: str | None) -> Database | None:
    """Wait for the start's ``quick_check`` of ``db`` (none running: ``db``). Whole: ``db``, and writes go ahead.
    Damaged: ``db`` is closed and the file reopened read-only, saying so (None: that failed too; already told)."""
    pending = _START_CHECKS.pop(db, None)
    if pending is None:
        return db
    check, url = pending
    return _after_check(db, check.result(), url, passphrase)


def _after_check(db: Database, result: CheckResult, url: str | None, passphrase: str | None) -> Database | None:
    if result.ok:
        db.release_writes()
        return db
    db.dispose()
    QMessageBox.warning(
        None,
        "Koordinator – databasen er beskadiget",
        literal(
            "Databasen er beskadiget og åbnes kun til læsning, så intet går tabt. Gendan den seneste "
            "sikkerhedskopi (koordinator restore FIL, eller kontakt IT).\n\n" + "\n".join(result.problems[:5])
        ),
    )
    try:
        return open_database(url, passphrase=passphrase, read_only=True)
    except StorageError as exc:
        _critical(exc.message)
        return None


def _local_file(url: str | None) -> Path | None:
    try:
        return local_path(url)
    except StorageError:
        return None


def _critical(message: str) -> None:
    QMessageBox.critical(
        None,
        "Koordinator – databasen kan ikke åbnes",
        literal(f"{message}\n\nKoordinator lukker nu. Intet er ændret i databasen."),
    )
