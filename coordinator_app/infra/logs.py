"""Named loggers writing to a rotating file in the user's log folder (``infra.folders.log_dir``).

Log lines name operations and ids, never CPR numbers or names. An exception's text may hold them (a failing
statement's parameters, a name in a ``ValueError``), so a logged exception shows its type and the code locations
of its traceback only — the same as the crash report (``without_text``), for every handler this module installs.
The log file and its rotated copies are the user's only (0600) in a folder that is too (0700; issue 18).
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from coordinator_app.infra.files import PRIVATE, make_private, private_folder
from coordinator_app.infra.folders import log_dir

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def log_folder() -> Path:
    return log_dir()


def without_text(exc_info: ExcInfo) -> str:
    """A traceback with the exception's type and code locations but not its message (nor those of its causes):
    what the log and a crash report may hold."""
    exc_type, exc, tb = exc_info
    if exc_type is None or exc is None:
        return ""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        frames = "".join(traceback.format_tb(current.__traceback__ if current is not exc else tb))
        parts.append(f"{kind.__module__}.{kind.__qualname__} (teksten udeladt)\n{frames}")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\nForårsaget af:\n".join(parts).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """``FORMAT``, with exceptions and stacks shown by ``without_text``."""

    def formatException(self, ei: Any) -> str:
        return without_text(ei)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created with mode 0600, whatever the umask (a rotation opens a new one)."""

    def _open(self) -> io.TextIOWrapper:
        path = self.baseFilename
        stream = open(  # noqa: SIM115 - the handler owns and closes the stream
            path,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=lambda name, flags: os.open(name, flags, PRIVATE),
        )
        make_private(Path(path))  # a log file from before
        return cast(io.TextIOWrapper, stream)


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Log to ``koordinator.log`` (5 × 1 MB); if the folder cannot be written, log to stderr only."""
    root = logging.getLogger("koordinator")
    root.setLevel(level)
    if any(getattr(h, "_koordinator", False) for h in root.handlers):
        return None
    try:
        folder = private_folder(log_folder())
        make_private(*folder.glob("koordinator.log*"))  # files from before, rotated ones included
        handler: logging.Handler = PrivateRotatingFileHandler(
            folder / "koordinator.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        path: Path | None = folder / "koordinator.log"
    except OSError:
        handler = logging.StreamHandler()
        path = None
    handler.setFormatter(PrivateFormatter(FORMAT))
    handler._koordinator = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
