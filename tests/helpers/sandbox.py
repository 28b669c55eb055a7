"""The test run never touches the user's real folders.

Two layers:

* **The whole test process lives in a temporary home** (``enter_session_home``, called by ``tests/conftest.py``
  before anything reads the environment): ``HOME`` and every ``XDG_*`` folder platformdirs and Qt use (config,
  data, state — where platformdirs puts the log —, cache, runtime) point into it. A test's own isolated home is
  set on top by an autouse fixture; when a test undoes its ``monkeypatch`` (``monkeypatch.undo()`` undoes
  *everything*, the isolated home included), the environment falls back to this session home, never to the
  real one.
* **A tripwire** (``fingerprint``): the app's own entries in the real folders — anything named ``Koordinator``
  or ``QtProject`` under the real config, data, state and cache folders — are fingerprinted (path, size,
  modification time of every file below them) before and after each test. A test that writes there fails, naming
  what changed. Only those entries are watched, so other programs writing to the real home while the suite runs
  (a package manager's cache, a shell's history) cannot fail a test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

#: Environment variables that decide where platformdirs, QSettings and QStandardPaths read and write.
XDG_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
}
#: Entries in those folders that belong to Koordinator (platformdirs' app name) or to Qt (QSettings' default).
WATCHED_NAMES = ("Koordinator", "koordinator", "QtProject", "QtProject.conf")

Fingerprint = frozenset[tuple[str, int, int]]

#: Set by ``enter_session_home``: the real entries the tripwire watches, and the process's temporary home.
REAL_ENTRIES: list[Path] = []
SESSION_HOME: Path | None = None


def real_folders(environ: Mapping[str, str]) -> list[Path]:
    """The user's real config, data, state and cache folders, as this environment names them."""
    home = Path(environ.get("HOME") or Path.home())
    return [Path(environ.get(variable) or home / default) for variable, default in XDG_FOLDERS.items()]


def watched_entries(folders: Iterable[Path]) -> list[Path]:
    return [folder / name for folder in folders for name in WATCHED_NAMES]


def fingerprint(entries: Iterable[Path]) -> Fingerprint:
    """(path, size, mtime in ns) of each watched entry and of every file and folder below it."""
    found: set[tuple[str, int, int]] = set()
    for entry in entries:
        if not os.path.lexists(entry):
            continue
        paths = [entry]
        if entry.is_dir() and not entry.is_symlink():
            paths.extend(entry.rglob("*"))
        for path in paths:
            try:
                info = path.lstat()
            except FileNotFoundError:  # removed while we looked: the next fingerprint differs anyway
                continue
            found.add((str(path), info.st_size, info.st_mtime_ns))
    return frozenset(found)


def describe_change(before: Fingerprint, after: Fingerprint) -> str:
    """The paths that appeared, disappeared or changed, for the failure message."""
    old = {path: (size, mtime) for path, size, mtime in before}
    new = {path: (size, mtime) for path, size, mtime in after}
    lines = [f"ny: {p}" for p in sorted(new.keys() - old.keys())]
    lines += [f"slettet: {p}" for p in sorted(old.keys() - new.keys())]
    lines += [f"ændret: {p}" for p in sorted(old.keys() & new.keys()) if old[p] != new[p]]
    return "\n".join(lines)


def home_environment(home: Path) -> dict[str, str]:
    """HOME and every XDG folder under ``home`` (the runtime folder made, private, as Qt requires)."""
    runtime = home / ".runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    folders = {variable: str(home / default) for variable, default in XDG_FOLDERS.items()}
    return {"HOME": str(home), **folders, "XDG_RUNTIME_DIR": str(runtime)}


def enter_session_home() -> None:
    """Move this process (and what it starts) into a fresh temporary home, once; remember the real entries."""
    global SESSION_HOME
    if SESSION_HOME is not None:
        return
    REAL_ENTRIES[:] = watched_entries(real_folders(os.environ))
    SESSION_HOME = Path(tempfile.mkdtemp(prefix="koordinator-test-home-"))
    os.environ.update(home_environment(SESSION_HOME))


def leave_session_home() -> None:
    if SESSION_HOME is not None:
        shutil.rmtree(SESSION_HOME, ignore_errors=True)
