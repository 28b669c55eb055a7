"""One presenter for errors.

Expected errors (``KoordinatorError``) are shown with their Danish message. Anything else is a bug:
the crash handler logs it, writes a report without patient data to the log folder, and tells the
user in Danish what happened — never a bare traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra.folders import log_dir

log = logging.getLogger("koordinator.ui")


def show_error(parent: QWidget | None, error: KoordinatorError, *, title: str = "Koordinator") -> None:
    text = error.message
    if error.rule:
        text += f"\n\nRegel i samarbejdsaftalen: {error.rule}"
    QMessageBox.warning(parent, title, text)


def write_crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
    """Write the traceback (code locations only; exception text may hold patient data and is left out)."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"nedbrud-{datetime.now():%Y%m%d-%H%M%S}.txt"
    frames = "".join(traceback.format_tb(tb))
    path.write_text(f"{exc_type.__module__}.{exc_type.__qualname__}\n{frames}", encoding="utf-8")
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
            "Der opstod en uventet fejl. Det, du allerede har gemt, er ikke gået tabt.\n"
            "Prøv handlingen igen; sker det igen, så kontakt IT-supporten og send fejlrapporten." + where,
        )

    sys.excepthook = handler
