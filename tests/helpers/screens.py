"""Where GUI tests leave the screens they grab, for a person to look at: ``$KOORDINATOR_SCREENSHOTS``, else a folder
in the system's temporary directory — never the checkout or the user's folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

SCREENSHOTS_ENV = "KOORDINATOR_SCREENSHOTS"


def screenshot_dir() -> Path:
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or Path(tempfile.gettempdir()) / "koordinator-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def grab(widget: QWidget, name: str) -> Path:
    """Save ``widget`` as ``name``.png in the screenshot folder (after pending paints) and return the path."""
    QApplication.processEvents()
    path = screenshot_dir() / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not save {path}"
    return path
