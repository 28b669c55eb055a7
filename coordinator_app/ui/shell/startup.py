"""The start before the storage layer loads (issue 7: cold start): the Qt application, Danish, and — where the
start needs no login — the main window showing the first screen (``services.first_screen``).

``cli`` calls ``show_first_screen`` and then ``ui.app.run``, which opens the database as always and, when the
window is there already, gives it its services and refreshes it instead of building another one
(``ui.app.build_window``). Nothing here imports SQLAlchemy or the storage layer's mappings
(``tests/ui/shell/test_lazy_imports.py``).

``on_shown`` and ``on_ready`` (``ui.shell.start_hooks``) are called with the window when it is first on screen with
its data, and when its services are ready (``benchmarks/run.py`` times both).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from coordinator_app import __version__
from coordinator_app.infra.logs import configure_logging
from coordinator_app.services.context import Clock
from coordinator_app.services.first_screen import FirstScreen, plain_file, read_first_screen
from coordinator_app.services.registry import Services

# isort: split
from coordinator_app.ui.common import pyside  # noqa: F401 - first of the UI: PySide6 without its source scan

# isort: split
from PySide6.QtCore import (
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QSettings,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from coordinator_app.ui.common.errors import install_crash_handler
from coordinator_app.ui.common.icons import app_icon
from coordinator_app.ui.shell.main_window import DatabaseLabel, MainWindow
from coordinator_app.ui.shell.start_hooks import on_shown

log = logging.getLogger("koordinator")
qt_log = logging.getLogger("koordinator.qt")


@dataclass
class LaunchOptions:
    database_url: str | None
    demo: bool = False
    smoke: bool = False
    settings_path: str | None = None  # an ini file instead of the user's settings (tests, smoke)
    #: The administrator the first-run wizard just created (username, password; in memory only): signed in
    #: without a second prompt for what was typed a moment ago.
    sign_in_as: tuple[str, str] | None = None


def _qt_message_handler(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Route Qt's own warnings into logging, under the named logger ``koordinator.qt``."""
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.WARNING)
    qt_log.log(level, message)


def ensure_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Koordinator")
    app.setOrganizationName("Koordinator")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())  # every window and the first-run wizard
    app.setDesktopFileName("koordinator")  # matches the .deb's koordinator.desktop (task bar icon on Linux)
    return app


#: Qt's Danish print dialogs say "Udskriv", which in this app means discharging a patient (*Udskriv patienten…*);
#: printing is "Skriv ud" everywhere (issue 17). Qt's own translation, word for word, and what the app says instead.
PRINT_WORDING = {
    "&Udskriv": "Skriv &ud",  # Alt+U as before: the print dialog has "Page &Set" (Alt+S)
    "Udskriv": "Skriv ud",
    "Udskriv alle": "Skriv alle ud",
    "Udskriv med det samme": "Skriv ud med det samme",
    "Udskriv til fil (PDF)": "Skriv ud til fil (PDF)",
    "Udskriv til fil...": "Skriv ud til fil …",
    "Planlagt udskrivning:": "Planlagt udskrift:",
    "Dupleksudskrivning": "Dobbeltsidet udskrift",
}


class DanishQt(QTranslator):
    """Qt's own Danish strings (``qtbase_da``), with the print dialogs' "Udskriv" said as "Skriv ud"
    (``PRINT_WORDING``). A source text the file does not translate stays untranslated (Qt's English)."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        danish = super().translate(context, source_text, disambiguation, n)
        return PRINT_WORDING.get(danish, danish) if danish else None  # None: untranslated, Qt falls back


def install_danish(app: QApplication) -> None:
    """Danish locale (dd-mm-åååå) and Qt's own Danish strings (OK/Annuller, Næste/Tilbage; print dialogs with
    "Skriv ud", ``DanishQt``)."""
    QLocale.setDefault(QLocale(QLocale.Language.Danish, QLocale.Country.Denmark))
    translator = DanishQt(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_da", folder):
        app.installTranslator(translator)


def label_of(dialect: str, *, demo: bool, read_only: bool = False, encrypted: bool = False) -> DatabaseLabel:
    """How the status bar names the database. Read-only (a damaged file) is said first: it is what the user must
    act on, also for a demo database."""
    if read_only:
        kind = "Demo-database" if demo else "Lokal database"
        return DatabaseLabel(f"{kind} – KUN LÆSNING (beskadiget: gendan fra sikkerhedskopi)", warning=True)
    if demo:  # encrypted: a demo ward's laptop file (issue 19)
        secret = "krypteret" if encrypted else "ikke krypteret"
        return DatabaseLabel(f"DEMO – {secret} · fiktive patienter", warning=True)
    if dialect == "postgresql":
        return DatabaseLabel("Delt database (PostgreSQL)")
    if encrypted:
        return DatabaseLabel("Lokal database – krypteret")
    return DatabaseLabel("Lokal database – IKKE krypteret", warning=True)


def prepare_application() -> QApplication:
    """Logging, the Qt application in Danish, Qt's warnings into the log, the crash handler — once."""
    configure_logging()
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.property("koordinator_prepared"):
        return app
    app = ensure_application()
    install_danish(app)
    qInstallMessageHandler(_qt_message_handler)
    install_crash_handler()
    app.setProperty("koordinator_prepared", True)
    return app


@dataclass
class FirstView:
    """The window showing the first screen, and what it shows."""

    window: MainWindow
    screen: FirstScreen
    discarded: bool = False

    def discard(self) -> None:
        """The usual start builds its own window after all (the file changed in between, or is damaged)."""
        if not self.discarded:
            self.discarded = True
            self.window.close()
            self.window.deleteLater()


def show_first_screen(options: LaunchOptions, *, clock: Clock | None = None) -> FirstView | None:
    """The main window on the first screen, shown, before the storage layer loads; None: start the usual way
    (``services.first_screen`` says when)."""
    if options.demo or options.sign_in_as is not None:
        return None  # --demo rebuilds the demo ward first; the first run's administrator signs in first
    path = plain_file(options.database_url)
    if path is None:
        return None
    screen = read_first_screen(path, clock=clock or Clock(), without_users_ok=options.smoke)
    if screen is None:
        return None
    app = prepare_application()
    settings = QSettings(options.settings_path, QSettings.Format.IniFormat) if options.settings_path else QSettings()
    window = MainWindow(
        Services(screen.ctx, deadline_cache=screen.cache),  # the list's derivations, for the first refresh
        settings=settings,
        centres=screen.centres,
        database_label=label_of("sqlite", demo=screen.demo),
        ward_name=screen.ward_name,
    )
    window.show_first_screen(screen.rows, screen.today_items, screen.today)
    window.show()
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)  # painted; input waits for the services
    log.info("Første skærm vist: %s indlæggelser", len(screen.rows))
    for hook in on_shown:
        hook(window)
    return FirstView(window, screen)
