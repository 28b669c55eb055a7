"""Composition root of the desktop app: Qt application, Danish locale, database, services, window."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coordinator_app import __version__
from coordinator_app.domain.access import DEMO_PRINCIPAL, Principal
from coordinator_app.domain.errors import DatabaseReplacedError, KoordinatorError, StorageError
from coordinator_app.domain.reference import Centre
from coordinator_app.services.backups import (
    AutoBackup,
    automatic_backups,
)
from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.database import Database
from coordinator_app.services.registry import Services
from coordinator_app.services.settings import build_calendar_and_rules, centre_list, load_calendar_settings
from coordinator_app.services.setup import ensure_reference_data, load_demo_ward
from coordinator_app.services.users import UserService
from coordinator_app.services.ward import is_demo, ward_title

if TYPE_CHECKING:  # the first run's module is loaded only where used (issue 7: start-up)
    from coordinator_app.services.first_run import FirstRunResult

# isort: split
from coordinator_app.ui.common import pyside  # noqa: F401 - first of the UI: PySide6 without its source scan

# isort: split
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox

from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.shell.idle_lock import install_session
from coordinator_app.ui.shell.login_dialog import sign_in
from coordinator_app.ui.shell.main_window import DatabaseLabel, MainWindow
from coordinator_app.ui.shell.opening import StartCheckFailed, open_for_start, settle_start_check
from coordinator_app.ui.shell.start_hooks import on_ready, on_shown
from coordinator_app.ui.shell.startup import (  # re-exported: the start before the storage layer lives there (issue 7)
    FirstView,
    LaunchOptions,
    _qt_message_handler,
    ensure_application,
    install_danish,
    label_of,
    prepare_application,
)

__all__ = [
    "DatabaseLabel",
    "FirstView",
    "LaunchOptions",
    "_qt_message_handler",
    "ensure_application",
    "install_danish",
    "label_of",
    "run",
]

log = logging.getLogger("koordinator")


def database_label(db: Database, demo: bool) -> DatabaseLabel:
    return label_of(db.dialect, demo=demo, read_only=db.read_only, encrypted=db.encrypted)


def build_window(
    db: Database,
    options: LaunchOptions,
    *,
    clock: Clock | None = None,
    principal: Principal = DEMO_PRINCIPAL,
    first: FirstView | None = None,
) -> MainWindow:
    """The window for ``principal`` (``sign_in``'s answer; left out: the demo user, as for demo databases).
    ``first``: the window already showing the first screen (``ui.startup``), given its services when everything
    it was built from still holds, else closed."""
    if first is not None:
        reused = _finish_first_window(first, db, principal)
        if reused is not None:
            return reused
        log.info("Første skærm kasseret: databasen svarede ikke til det viste")
        first.discard()
    ctx = ServiceContext(database=db, clock=clock or Clock(), principal=principal)
    ensure_reference_data(ctx)
    ctx.calendar, _rules = build_calendar_and_rules(ctx)  # Indstillinger → Kalender og regler (at start-up)
    if options.demo:
        load_demo_ward(ctx)
    demo, centres, ward = _window_facts(ctx)
    settings = QSettings(options.settings_path, QSettings.Format.IniFormat) if options.settings_path else QSettings()
    services = Services(ctx)  # every service the window and its tabs use, made on first use
    window = MainWindow(
        services, settings=settings, centres=centres, database_label=database_label(db, demo), ward_name=ward
    )
    window.idle_lock = install_session(window, services)  # issue 8: who is working, and the idle lock
    window.check_offline_copy()  # issue 19: a laptop file says so in a banner
    window.refresh()
    return window


def _window_facts(ctx: ServiceContext) -> tuple[bool, list[Centre], str]:
    """Demo or not, the centres, and the ward named in the title (``services.first_screen`` reads the same)."""
    demo = is_demo(ctx)
    return demo, centre_list(ctx), ward_title(ctx, demo)


def _finish_first_window(first: FirstView, db: Database, principal: Principal) -> MainWindow | None:
    """The first screen's window with its services, refreshed through them — or None when the database that
    opened is not what it was built from (another file, a login, other settings or ward): then it is discarded."""
    screen = first.screen
    if principal is not DEMO_PRINCIPAL or db.path != screen.path or db.read_only or db.encrypted:
        return None
    ctx = screen.ctx
    ctx.database = db
    ensure_reference_data(ctx)
    if load_calendar_settings(ctx) != screen.calendar_settings:
        return None
    demo, centres, ward = _window_facts(ctx)
    if (demo, [c.name for c in centres], ward) != (screen.demo, [c.name for c in screen.centres], screen.ward_name):
        return None
    window = first.window  # its services (``startup.show_first_screen``) start with the first screen's derivations
    window.idle_lock = install_session(window, window.services)  # issue 8: who is working, and the idle lock
    window.refresh()
    return window


def sign_in_for_start(db: Database, options: LaunchOptions, *, clock: Clock | None = None) -> Principal | None:
    """Issue 8, before the window: the demo user for a demo database (no prompt), the first administrator of a real
    database without users, else a login. ``--smoke`` against a real database takes KOORDINATOR_USER and
    KOORDINATOR_PASSWORD or refuses. None: cancelled or refused (the program closes)."""
    ctx = ServiceContext(database=db, clock=clock or Clock())
    users = UserService(ctx)
    if options.sign_in_as is not None:  # the administrator the first run just created: no second prompt
        try:
            return users.authenticate(*options.sign_in_as).principal
        except KoordinatorError as exc:  # not expected; the normal login below says what to do
            log.warning("Log ind efter første opstart mislykkedes: %s", exc.message)
    if options.demo and users.needs_login():
        QMessageBox.critical(
            None,
            "Koordinator",
            "Databasen har brugere og er ikke en demo-database, så demo-afdelingen indlæses ikke her. Start med en "
            "anden database (--database) for at se demoen.",
        )
        return None
    if options.smoke:  # never a prompt: no screen to show it on
        if not users.needs_login():
            return DEMO_PRINCIPAL
        username, password = os.environ.get("KOORDINATOR_USER"), os.environ.get("KOORDINATOR_PASSWORD")
        if not (username and password):
            print(
                "Databasen kræver login. Sæt KOORDINATOR_USER og KOORDINATOR_PASSWORD for en røgtest uden skærm.",
                file=sys.stderr,
            )
            return None
        try:
            return users.authenticate(username, password).principal
        except KoordinatorError as exc:
            print(exc.message, file=sys.stderr)
            return None
    demo = options.demo or is_demo(ctx)
    return sign_in(users, demo=demo, where=database_label(db, demo).text)


def start_auto_backup(window: MainWindow, db: Database, *, interval_ms: int = 60_000) -> AutoBackup | None:
    """Issue 8: back up a local database when data changed (checked every minute, taken at most every 15
    minutes) and on exit; a failing backup is shown in the status bar, never silently skipped. Issue 18: a file
    replaced under the window (restored elsewhere) is said once, and the timer stops — nothing is backed up from the
    old file, and every write is refused anyway (``Database``)."""
    auto = automatic_backups(db)
    if auto is None:
        return None

    def tick() -> None:
        try:
            db.require_same_file()
            info = auto.tick()
        except DatabaseReplacedError as exc:
            timer.stop()
            window.statusBar().showMessage("Databasen er udskiftet – intet gemmes.")
            QMessageBox.warning(window, "Databasen er udskiftet", literal(exc.message))
            return
        except StorageError as exc:
            window.statusBar().showMessage(f"Sikkerhedskopi mislykkedes: {exc.message}", 30_000)
            return
        if info is not None:
            window.statusBar().showMessage(f"Sikkerhedskopi gemt: {info.path.name}", 8000)

    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(interval_ms)
    window.backup_timer = timer
    return auto


def run(options: LaunchOptions, first: FirstView | None = None) -> int:
    """The program: open the database, sign in, the main window, the event loop. ``first``: the window already
    showing the first screen (``ui.startup.show_first_screen``), finished here instead of building another."""
    app = prepare_application()
    created: list[FirstRunResult] = []
    db, passphrase = open_for_start(options, check_later=True, on_first_run=created.append)
    if created and created[0].admin is not None:
        options = dataclasses.replace(options, sign_in_as=(created[0].admin.username, created[0].admin.password))
    if db is None:
        log.warning("Databasen kunne ikke åbnes; programmet lukker")
        _discard(first)
        return 2
    log.info("Database åbnet (%s)", db.dialect)
    try:
        started = start_window(db, passphrase, options, first=first)
        if started is None:
            return 2
        window, db = started
    except KoordinatorError as exc:
        _discard(first)
        QMessageBox.critical(None, "Koordinator", literal(exc.message))
        db.dispose()
        return 2
    if first is None or window is not first.window:
        window.show()  # also for --smoke (offscreen): the start is checked up to a window on screen
        app.processEvents()
        for hook in on_shown:
            hook(window)
    for hook in on_ready:
        hook(window)
    if options.smoke:
        count = window.patients_tab.model.rowCount()
        print(f"Koordinator {__version__}: røgtest ok, {count} indlæggelser i listen ({db.dialect}).")
        window.close()
        db.dispose()
        return 0 if count > 0 or not options.demo else 1
    auto = None if is_demo_window(window) else start_auto_backup(window, db)
    prepare_sessions_when_idle(db)
    window.passphrase = passphrase
    gc.freeze()  # what the start made lives on: later collections need not look at it
    gc.enable()
    code = app.exec()
    if auto is not None and not window.restored:  # after a restore the old file is gone: nothing to back up
        try:
            auto.on_exit()
        except StorageError as exc:
            log.error("Sikkerhedskopi ved afslutning mislykkedes: %s", exc.message)
    db.dispose()
    return int(code)


def prepare_sessions_when_idle(db: Database) -> None:
    """Load the ORM (``Database.prepare_sessions``) once the event loop is idle after start: the start reads through
    Core and is ready without it (issue 15), and the first save then does not wait ~75 ms for it. Scheduled after
    the window is ready (``on_ready``), so it is never part of the start a user waits for."""
    QTimer.singleShot(0, db.prepare_sessions)


def signs_in_silently(db: Database, options: LaunchOptions) -> bool:
    """``sign_in_for_start`` will neither ask nor check a password: a demo database, or ``--smoke``/``--demo`` on
    one without users. Only then the window is built while the start's ``quick_check`` runs."""
    ctx = ServiceContext(database=db, clock=Clock())
    if is_demo(ctx):
        return True
    return (options.smoke or options.demo) and not UserService(ctx).has_users()


def start_window(
    db: Database, passphrase: str | None, options: LaunchOptions, *, first: FirstView | None = None
) -> tuple[MainWindow, Database] | None:
    """Sign in (``sign_in_for_start``) and build the window (``build_window``; ``first``: finish the window showing
    the first screen instead) while the start's ``quick_check`` (``open_with_passphrase(check_later=True)``) runs
    beside, then settle it: the window and its database. Before any prompt the check is settled first, as it always
    was. A damaged file: started over on the file reopened read-only (warned, as before) — nothing was written, as
    writes waited for the check. None: the program closes (login cancelled or refused, or the damaged file could
    not be reopened; told)."""
    window: MainWindow | None = None
    try:
        if not signs_in_silently(db, options):
            checked = settle_start_check(db, passphrase)
            if checked is None:
                _discard(first)
                return None
            db = checked
        principal = sign_in_for_start(db, options)
        if principal is None:
            log.info("Login annulleret eller afvist; programmet lukker")
            _discard(first)
            db.dispose()
            return None
        window = build_window(db, options, principal=principal, first=first)
    except StartCheckFailed:
        window = None
    checked = settle_start_check(db, passphrase)
    if checked is db and window is not None:
        return window, db
    if window is not None:
        window.close()
        window.deleteLater()
    else:
        _discard(first)
    return None if checked is None else start_window(checked, passphrase, options)


def _discard(first: FirstView | None) -> None:
    if first is not None:
        first.discard()


def is_demo_window(window: MainWindow) -> bool:
    return is_demo(window.services.ctx)


def settings_file_for_smoke(folder: Path) -> str:
    return str(folder / "koordinator-smoke.ini")
