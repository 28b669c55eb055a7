"""Writing a file so that it is either all there or not changed at all: the one way Koordinator does it.

``write_atomically`` writes the bytes to a temporary file with a unique name *in the target's own folder* (so the
rename never crosses a file system), flushes and ``fsync``s it, renames it over the target with ``os.replace``
(atomic on POSIX and Windows) and ``fsync``s the folder, so that the rename itself survives a power cut. A failure
anywhere — a full disk, no permission, a missing folder — removes the temporary file and leaves an earlier file of
the same name untouched; the ``OSError`` goes to the caller, who says in Danish what to do.

Used for every file Koordinator writes whole: exported PDFs, statistics and audit logs (``services.exports``), the
workstation's ``forbindelse.json`` (``services.connection``), invitations and the viewer's temporary copies. The
database's own files are copied page by page by SQLite and only renamed here (``replace_durably``).

Files with patient data are the user's only (issue 18): ``PRIVATE`` (0600) for files, ``PRIVATE_FOLDER`` (0700) for
the folders Koordinator owns (its data, backup, log and config folders — never a folder the user chose, such as an
export's target). ``create_private`` makes an empty file with mode 0600 before SQLite opens it (SQLite gives its
``-wal``, ``-shm`` and ``-journal`` the database file's mode), ``private_folder`` creates or tightens an own folder,
``make_private`` tightens a file made before. The modes do not depend on the umask: files are created with
``os.open(…, 0o600)`` and folders ``chmod``-ed after ``mkdir``. On Windows the bits mean nothing (only read-only).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = [
    "PRIVATE",
    "PRIVATE_FOLDER",
    "create_private",
    "fsync_file",
    "fsync_folder",
    "make_private",
    "private_folder",
    "replace_durably",
    "write_atomically",
]

#: Readable and writable by the user only: what leaves Koordinator holds patient data or a connection's secrets.
PRIVATE = 0o600
#: A folder of Koordinator's own with such files in it: the user's only.
PRIVATE_FOLDER = 0o700


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


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (an existing file is left as it is)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def make_private(*paths: Path) -> None:
    """Tighten existing files to 0600 (one made before, or by another program); a missing file, or one the user
    does not own, is left alone — tightening is a safeguard, not a condition for going on."""
    for path in paths:
        with contextlib.suppress(OSError):
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, PRIVATE)


def private_folder(folder: Path) -> Path:
    """Create Koordinator's own ``folder`` (and its parents) and make it the user's only (0700), whatever the
    umask; an existing one is tightened. Only for folders the app owns. ``OSError`` if it cannot be created."""
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # not ours (another user's, a share): the files in it are still 0600
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, PRIVATE_FOLDER)
    return folder
