"""Who has a local database file open (issue 18): one small lock file per open ``Database``, beside the file.

A restore replaces the database file with one rename. A Koordinator that still has the old file open would go on
writing into it — successful saves that are gone from the live database. So every open local database (the window,
each command, read-only too) holds a *holder file* beside it, ``.koordinator.db.i-brug-<pid>-<random>``, holding an
operating-system lock on it for as long as the database is open, and writes into it who holds it: the computer, the
user, the process id and since when. A restore (``others``) refuses while any other holder is alive and names them.

Why a lock file and not SQLite's own locks: an idle Koordinator holds no SQLite lock at all between transactions
(``BEGIN EXCLUSIVE`` succeeds while another program has the file open and is about to write), and the ``-wal``/
``-shm`` files outlive a crash, so neither tells "open" from "was open". Why an OS lock and not a heartbeat: the
operating system drops the lock when the process ends, however it ends — a crash, ``kill -9``, a power cut — so a
holder file whose lock can be taken belongs to a process that is gone; it is stale, removed on sight, and never
blocks (no timeout to guess). The lock is ``flock`` (POSIX) or ``msvcrt.locking`` (Windows): both belong to the open
file, not the process, so a second ``Database`` in the same process counts as a holder too (the window's restore
closes its own first). Database files on network shares are refused (``locations``), so every holder runs on this
computer and its lock is seen.

A holder file is written under a temporary name, locked, then renamed into place, so a restore never finds one that
is not yet locked. A process that opens the file in the instant between a restore's look and its rename is not seen
here; its first write is refused by the file-identity check (``Database``), so nothing it writes is lost unseen.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

__all__ = ["Holder", "HolderInfo", "others"]

_TAG = ".i-brug-"
#: Windows locks a byte range and a locked range cannot be read: the lock sits far past the text.
_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class HolderInfo:
    """Who holds a database open: what a refused restore tells the user."""

    host: str
    user: str
    pid: int
    since: str  # local time, "2026-11-23 15:30"

    def describe(self) -> str:
        return f"{self.user} på {self.host} (proces {self.pid}, åben siden {self.since})"


def _prefix(db_path: Path) -> str:
    return f".{db_path.name}{_TAG}"


def _lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False when another open file holds it."""
    try:
        if sys.platform == "win32":
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class Holder:
    """This process's hold on one database file; ``release`` (or the end of the process) lets go."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._fd: int | None = None
        self.path: Path | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Hold the file (again, after a ``release``); a folder that cannot take the file is left to SQLite to
        report — the holder is a guard for restores, not a reason the database cannot open."""
        if self._fd is not None:
            return
        name = f"{_prefix(self._db_path)}{os.getpid()}-{secrets.token_hex(4)}"
        final = self._db_path.with_name(name)
        tmp = self._db_path.with_name(name + ".tmp")
        try:
            fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return
        try:
            if not _lock(fd):
                raise OSError("lock")
            text = json.dumps(
                {
                    "host": socket.gethostname(),
                    "user": _user(),
                    "pid": os.getpid(),
                    "since": datetime.now().strftime("%Y-%m-%d %H:%M"),
                },
                ensure_ascii=False,
            ).encode("utf-8")
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, text)
            os.replace(tmp, final)
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        self._fd, self.path = fd, final

    def release(self) -> None:
        fd, path = self._fd, self.path
        self._fd = self.path = None
        if fd is None or path is None:
            return
        with contextlib.suppress(OSError):
            path.unlink()  # first, while still locked: no restore takes a half-removed file for a live one
        with contextlib.suppress(OSError):
            os.close(fd)

    def __del__(self) -> None:
        self.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment: the pid still tells the process
        return "ukendt bruger"


def others(db_path: Path, *, mine: Holder | None = None) -> list[HolderInfo]:
    """The live holders of ``db_path`` other than ``mine``; stale holder files (their process is gone) are removed."""
    found: list[HolderInfo] = []
    try:
        entries = list(db_path.parent.iterdir())
    except OSError:
        return found
    prefix = _prefix(db_path)
    for path in entries:
        if not path.name.startswith(prefix) or path.name.endswith(".tmp"):
            continue
        if mine is not None and mine.path == path:
            continue
        info = _alive(path)
        if info is not None:
            found.append(info)
    return found


def _alive(path: Path) -> HolderInfo | None:
    """Who holds ``path``, or None when its lock can be taken (the process is gone: the file is removed)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None  # removed meanwhile: released
    try:
        if _lock(fd):
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
    finally:
        os.close(fd)
    try:
        data = json.loads(raw.decode("utf-8"))
        return HolderInfo(str(data["host"]), str(data["user"]), int(data["pid"]), str(data["since"]))
    except (ValueError, KeyError, TypeError):
        return HolderInfo("ukendt computer", "ukendt bruger", 0, "ukendt tidspunkt")
