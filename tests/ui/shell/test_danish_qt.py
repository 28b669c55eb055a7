"""Qt's own Danish strings (``install_danish``): the print dialogs say "Skriv ud", since "Udskriv" in this app means
discharging a patient (issue 17); every other Qt string is Qt's Danish as before, and an untranslated one English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from coordinator_app.ui.shell.app import ensure_application, install_danish


@pytest.fixture(scope="module", autouse=True)
def qt_in_danish() -> Iterator[QApplication]:
    app = ensure_application()  # held for the tests: the translators live on the application
    install_danish(app)
    yield app


@pytest.mark.parametrize(
    ("context", "source", "danish"),
    [
        ("QPrintPreviewDialog", "Print", "Skriv ud"),  # the preview's print button (Dokumenter → Skriv ud…)
        ("QPrintDialog", "&Print", "Skriv &ud"),  # the print dialog's button, Alt+U as before (it has Page &Set)
        ("QPrintPreviewDialog", "Print Preview", "Forhåndsvis udskrift"),
        ("QPlatformTheme", "Cancel", "Annuller"),
        ("QWizard", "&Next", "&Næste"),
        ("Koordinator", "Not in Qt's file", "Not in Qt's file"),
    ],
)
def test_qt_speaks_danish_and_prints_with_skriv_ud(context: str, source: str, danish: str) -> None:
    assert QCoreApplication.translate(context, source) == danish
