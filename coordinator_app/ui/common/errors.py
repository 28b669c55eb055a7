"""One presenter for errors.

Expected errors (``KoordinatorError``) are shown with their Danish message. Anything else is a bug:
the crash handler logs it, writes a report without patient data to the log folder, and tells the
user in Danish what happened — never a bare traceback.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra.files import private_folder, write_atomically
from coordinator_app.infra.folders import log_dir
from coordinator_app.infra.logs import without_text
from coordinator_app.ui.common.safe_text import literal

log = logging.getLogger("koordinator.ui")


def show_error(parent: QWidget | None, error: KoordinatorError, *, title: str = "Koordinator") -> None:
    text = error.message
    if error.rule:
        text += f"\n\nRegel i samarbejdsaftalen: {error.rule}"
    QMessageBox.warning(parent, title, literal(text))


def write_crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    """Write the traceback (code locations only; exception text may hold patient data and is left out, as in the
    log: ``infra.logs.without_text``), readable by the user only."""
    folder = private_folder(log_dir())
    path = folder / f"nedbrud-{datetime.now():%Y%m%d-%H%M%S}.txt"
    write_atomically(path, without_text((exc_type, exc, tb)).encode("utf-8"))  # 0600, like the log
    return path


def install_crash_handler() -> None:
    def handler(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, KoordinatorError):
            show_error(None, exc)
            return
        log.error("Uventet fejl: %s", exc_type.__qualname__, exc_info=(exc_type, exc, tb))
        try:
            report = write_crash_report(exc_type, exc, tb)
            where = f"\n\nEn fejlrapport uden patientdata er gemt i:\n{report}"
        except OSError:
            where = ""
        QMessageBox.critical(
            None,
            "Koordinator – uventet fejl",
            literal(
                "Der opstod en uventet fejl. Det, du allerede har gemt, er ikke gået tabt.\n"
                "Prøv handlingen igen; sker det igen, så kontakt IT-supporten og send fejlrapporten." + where
            ),
        )

    sys.excepthook = handler
