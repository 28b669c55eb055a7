"""Composition root of the desktop app: Qt application, Danish locale, database, services, window."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QSettings,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from coordinator_app import __version__
from coordinator_app.errors import KoordinatorError, StorageError
from coordinator_app.logs import configure_logging
from coordinator_app.reference import load_centres
from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.settings import build_calendar_and_rules, centre_list
from coordinator_app.services.setup import ensure_reference_data, is_demo, load_demo_ward
from coordinator_app.storage import Database, open_database
from coordinator_app.ui.errors import install_crash_handler
from coordinator_app.ui.main_window import DatabaseLabel, MainWindow

log = logging.getLogger("koordinator")
qt_log = logging.getLogger("koordinator.qt")


@dataclass
class LaunchOptions:
    database_url: str | None
    demo: bool = False
    smoke: bool = False
    settings_path: str | None = None  # an ini file instead of the user's settings (tests, smoke)


def _qt_message_handler(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Route Qt's own warnings into logging (style.md §8)."""
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
    return app


def install_danish(app: QApplication) -> None:
    """Danish locale (dd-mm-åååå) and Qt's own Danish strings (OK/Annuller, Næste/Tilbage)."""
    QLocale.setDefault(QLocale(QLocale.Language.Danish, QLocale.Country.Denmark))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_da", folder):
        app.installTranslator(translator)


def database_label(db: Database, demo: bool) -> DatabaseLabel:
    if demo:
        return DatabaseLabel("DEMO – ikke krypteret · fiktive patienter", warning=True)
    if db.dialect == "postgresql":
        return DatabaseLabel("Delt database (PostgreSQL)")
    return DatabaseLabel("Lokal database")


def build_window(db: Database, options: LaunchOptions, *, clock: Clock | None = None) -> MainWindow:
    ctx = ServiceContext(database=db, clock=clock or Clock())
    ensure_reference_data(ctx)
    ctx.calendar, _rules = build_calendar_and_rules(ctx)  # Indstillinger → Kalender og regler (at start-up)
    if options.demo:
        load_demo_ward(ctx)
    demo = is_demo(ctx)
    settings = QSettings(options.settings_path, QSettings.Format.IniFormat) if options.settings_path else QSettings()
    centres = load_centres()
    ward = f"{centres[0].name}, {centres[0].wards[0]}" if demo and centres and centres[0].wards else ""
    window = MainWindow(
        ctx, settings=settings, centres=centre_list(ctx), database_label=database_label(db, demo), ward_name=ward
    )
    window.refresh()
    return window


def open_or_explain(url: str | None) -> Database | None:
    """Open the database; on failure tell the user in Danish what to do and return None."""
    try:
        return open_database(url)
    except StorageError as exc:
        QMessageBox.critical(
            None,
            "Koordinator – databasen kan ikke åbnes",
            f"{exc.message}\n\nKoordinator lukker nu. Intet er ændret i databasen.",
        )
        return None


def run(options: LaunchOptions) -> int:
    configure_logging()
    app = ensure_application()
    install_danish(app)
    qInstallMessageHandler(_qt_message_handler)
    install_crash_handler()
    db = open_or_explain(options.database_url)
    if db is None:
        log.warning("Databasen kunne ikke åbnes; programmet lukker")
        return 2
    log.info("Database åbnet (%s)", db.dialect)
    try:
        window = build_window(db, options)
    except KoordinatorError as exc:
        QMessageBox.critical(None, "Koordinator", exc.message)
        db.dispose()
        return 2
    if options.smoke:
        count = window.model.rowCount()
        print(f"Koordinator {__version__}: røgtest ok, {count} indlæggelser i listen ({db.dialect}).")
        window.close()
        db.dispose()
        return 0 if count > 0 or not options.demo else 1
    window.show()
    code = app.exec()
    db.dispose()
    return int(code)


def settings_file_for_smoke(folder: Path) -> str:
    return str(folder / "koordinator-smoke.ini")
