"""Automatic backups while Koordinator runs (issue 8): when data changed, at an interval, and on exit.

The UI owns the timer: it calls ``AutoBackup.tick()`` every minute or so and ``on_exit()`` when the main
window closes; this class decides whether a backup is due, takes it (``backup.backup_now``: online, checked)
and thins the folder out with the retention ladder. A failure raises ``StorageError`` for the UI to show as
a warning; the next tick tries again. A database whose file was replaced under it (a restore elsewhere, issue 18)
is not backed up: ``DatabaseReplacedError``, and the UI stops the timer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from coordinator_app.storage.backup import (
    LADDER,
    BackupInfo,
    ProgressCallback,
    RetentionLadder,
    backup_now,
    default_backup_dir,
    list_backups,
    prune,
)

if TYPE_CHECKING:
    from coordinator_app.storage.database import Database

#: At most one automatic backup per quarter of an hour while the coordinator works.
DEFAULT_INTERVAL = timedelta(minutes=15)


class AutoBackup:
    """Backups of one open local database into one folder."""

    def __init__(
        self,
        db: Database,
        folder: Path | None = None,
        *,
        interval: timedelta = DEFAULT_INTERVAL,
        ladder: RetentionLadder = LADDER,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        if db.path is None:
            raise ValueError("automatic backups are for a local database file")
        self._db = db
        self.folder = folder or default_backup_dir(db.path)
        self.interval = interval
        self._ladder = ladder
        self._clock = clock
        mine = [b for b in list_backups(self.folder) if b.stem == db.path.stem]
        self.last: BackupInfo | None = mine[0] if mine else None
        self._backed_up_changes = db.change_count
        self._first = not mine  # a database without any backup gets one at the first tick

    @property
    def changed(self) -> bool:
        """Data changed since the last backup (or there is none yet)."""
        if self._db.read_only:
            return False
        return self._first or self._db.change_count != self._backed_up_changes

    def due(self) -> bool:
        if not self.changed:
            return False
        return self.last is None or self._clock() - self.last.created >= self.interval

    def tick(self, *, progress: ProgressCallback | None = None) -> BackupInfo | None:
        """Back up if data changed and the interval has passed since the last backup."""
        return self._run(progress) if self.due() else None

    def on_exit(self, *, progress: ProgressCallback | None = None) -> BackupInfo | None:
        """Back up if anything changed since the last backup, however recent."""
        return self._run(progress) if self.changed else None

    def _run(self, progress: ProgressCallback | None) -> BackupInfo:
        self._db.require_same_file()  # issue 18: restored elsewhere? a copy of the old file would mislead
        changes = self._db.change_count
        info = backup_now(self._db, self.folder, progress=progress, now=self._clock())
        self.last, self._backed_up_changes, self._first = info, changes, False
        prune(self.folder, info.created, ladder=self._ladder)
        return info
