"""Writing a file so that it is either all there or not changed at all: the one way Koordinator does it.

``write_atomically`` writes the bytes to a temporary file with a unique name *in the target's own folder* (so the
rename never crosses a file system), flushes and ``fsync``s it, renames it over the target with ``os.replace``
(atomic on POSIX and Windows) and ``fsync``s the folder, so that the rename itself survives a power cut. A failure
anywhere — a full disk, no permission, a missing folder — removes the temporary file and leaves an earlier file of
the same name untouched; the ``OSError`` goes to the caller, who says in Danish what to do.

Used for every file Koordinator writes whole: exported PDFs, statistics and audit logs (``services.exports``), the
workstation's ``forbindelse.json`` (``services.connection``), invitations and the viewer's temporary copies. The
database's own files are copied page by page by SQLite and only renamed here (``replace_durably``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["fsync_file", "fsync_folder", "replace_durably", "write_atomically"]

#: Readable and writable by the user only: what leaves Koordinator holds patient data or a connection's secrets.
PRIVATE = 0o600


def write_atomically(path: Path, data: bytes, *, mode: int = PRIVATE) -> None:
    """Replace ``path`` with ``data`` in one step, the new file with permissions ``mode`` (default: the user's only;
    on Windows only the read-only bit follows it). ``OSError`` on failure, with nothing half-written left behind."""
    folder = path.parent
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # created with mode 0600
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != PRIVATE:
            os.chmod(temporary, mode)
        replace_durably(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def replace_durably(source: Path, target: Path) -> None:
    """Rename the finished ``source`` over ``target`` (same folder) and make the rename durable."""
    os.replace(source, target)
    fsync_folder(target.parent)


def fsync_file(path: Path) -> None:
    """Flush a file someone else wrote (SQLite's copy of a database) to the disk."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); Windows has no folder handles to flush, so nothing is done."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
