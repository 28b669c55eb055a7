"""Named loggers writing to a rotating file in the user's log folder (``infra.folders.log_dir``).

Log lines name operations and ids, never CPR numbers or names.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from coordinator_app.infra.folders import log_dir

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def log_folder() -> Path:
    return log_dir()


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Log to ``koordinator.log`` (5 × 1 MB); if the folder cannot be written, log to stderr only."""
    root = logging.getLogger("koordinator")
    root.setLevel(level)
    if any(getattr(h, "_koordinator", False) for h in root.handlers):
        return None
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "koordinator.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        path: Path | None = folder / "koordinator.log"
    except OSError:
        handler = logging.StreamHandler()
        path = None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._koordinator = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
