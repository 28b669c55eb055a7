"""The Koordinator icon at every size shipped in ``resources/icons`` (Qt picks the best one for the title bar,
task bar and dialogs): ``app_icon()`` for ``QApplication.setWindowIcon`` and the About dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from coordinator_app.infra.resources import resources_dir

ICON_SIZES = (16, 32, 48, 64, 128, 256)


def icon_path(size: int, base: Path | None = None) -> Path:
    return (base or resources_dir()) / "icons" / f"koordinator-{size}.png"


def app_icon(base: Path | None = None) -> QIcon:
    """The Koordinator icon at every size shipped (Qt picks the best one for title bar, task bar, dialogs)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_path(size, base)
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon
