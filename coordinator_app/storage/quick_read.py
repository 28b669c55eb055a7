"""The first screen's reads, straight from a local SQLite file and without SQLAlchemy (issue 7: cold start).

Importing SQLAlchemy and mapping our tables costs more than half of the app's start. The first screen — the
I dag tab and the patient list — needs only a handful of reads, so a *plain* (unencrypted), current local file is
read here with the sqlite3 driver alone, the window is shown, and the full storage layer opens the same file right
after (``ui.first_screen``). Anything unusual — an encrypted or missing file, another schema revision, a file that
does not look like ours — answers ``None`` here, and the program starts the usual way.

The reads are the repositories' own selects (``storage.selects``) as SQLite's text, generated with their rows'
converters into ``storage.selects_sqlite``; each value comes back as the repositories return it (tests:
``tests/storage/test_selects.py``, ``tests/services/test_first_screen.py``). Columns are taken by name from the
generated reads, never by a file's column order. Nothing is ever written: the connection is opened read-only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coordinator_app.domain.meetings import Task, tasks_of
from coordinator_app.domain.model import Admission, Event
from coordinator_app.storage import selects_sqlite as reads
from coordinator_app.storage.convert import admission_from, events_from, wards_by_centre
from coordinator_app.storage.meeting_codec import meeting_from, template_from
from coordinator_app.storage.sqlite_file import FileKind, SqliteFile, file_kind
from coordinator_app.storage.sqlite_rows import ListRow, Record, SqliteRead

log = logging.getLogger("koordinator.storage.quick_read")

MIGRATIONS = Path(__file__).with_name("migrations")


def file_head(script_location: Path | None = None) -> str:
    """The newest schema revision, read from the file names: the chain is linear and each file is
    ``NNNN_name.py`` with ``revision = "NNNN"`` (a test checks this against Alembic's own head)."""
    versions = (script_location or MIGRATIONS) / "versions"
    return max(p.name[:4] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))


_CHUNK = 900  # ids per IN list: below SQLite's oldest limit of 999 parameters


@dataclass(frozen=True)
class WardRead:
    """The ward's current admissions, as ``services.overview`` loads them: the list rows, each admission, its
    events, the agreements of its closed netværksmøder (tasks) and the kommuner's names."""

    rows: list[ListRow]
    admissions: dict[int, Admission]
    events: dict[int, list[Event]]
    tasks: dict[int, list[Task]]
    kommune_names: dict[str, str]

    def kommune_name(self, code: str) -> str:
        return self.kommune_names.get(code, code)


class QuickRead:
    """A read-only connection to a plain local file, with the reads the first screen needs. ``get_meta`` has
    ``storage.database.Database``'s signature, so settings readers that only call it work on either."""

    def __init__(self, connection: Any, path: Path) -> None:
        self._conn = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> QuickRead | None:
        """The file read-only, or None when the usual start should handle it: not a plain SQLite file, not at the
        current schema revision, or anything at all that fails (logged; the usual start says it in Danish)."""
        try:
            if file_kind(path) is not FileKind.PLAIN:
                return None
            conn = SqliteFile(path).connect(read_only=True, timeout=1.0)
        except (OSError, sqlite3.Error) as exc:
            log.info("Første skærm: %s kan ikke læses direkte (%s)", path, exc)
            return None
        try:
            revision = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version").fetchall()]
            if revision != [file_head()]:
                conn.close()
                return None
        except sqlite3.Error as exc:
            conn.close()
            log.info("Første skærm: %s er ikke en Koordinator-database i denne version (%s)", path, exc)
            return None
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> QuickRead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        found = reads.META_VALUE.fetch(self._conn, key=key)
        return None if not found else str(found[0][0])

    def has_users(self) -> bool:
        return reads.USER_COUNT.fetch(self._conn)[0][0] > 0

    def centres(self) -> dict[str, list[str]]:
        """``CentreRepository.all``: centre name → its ward names."""
        return wards_by_centre(reads.CENTRES_WITH_WARDS.fetch(self._conn))

    def ward(self) -> WardRead:
        rows = reads.CURRENT_LIST.fetch(self._conn)
        ids = [r.admission_id for r in rows]
        return WardRead(
            rows=rows,
            admissions=self.admissions(ids),
            events=self.events(ids),
            tasks=self.tasks(ids),
            kommune_names={code: name for code, name in reads.KOMMUNE_NAMES.fetch(self._conn)},
        )

    def admissions(self, ids: Sequence[int]) -> dict[int, Admission]:
        return {row.id: admission_from(row) for row in self._records(reads.ADMISSIONS_BY_ID, ids)}

    def events(self, ids: Sequence[int]) -> dict[int, list[Event]]:
        out: dict[int, list[Event]] = {admission_id: [] for admission_id in ids}
        for chunk in _chunks(ids):
            for e in events_from(reads.EVENTS_OF_ADMISSIONS.fetch(self._conn, chunk)):
                out[e.admission_id].append(e)
        return out

    def tasks(self, ids: Sequence[int]) -> dict[int, list[Task]]:
        """The agreements of the admissions' closed meetings (C5), by admission."""
        closed = self._records(reads.CLOSED_MEETINGS_OF_ADMISSIONS, ids)
        templates = {
            row.id: template_from(row)
            for row in self._records(reads.TEMPLATES_BY_ID, sorted({m.template_id for m in closed}))
        }
        out: dict[int, list[Task]] = {}
        for row in closed:
            out.setdefault(row.admission_id, []).extend(tasks_of(meeting_from(row, templates[row.template_id])))
        return out

    def _records(self, read: SqliteRead[tuple[Any, ...]], ids: Sequence[int]) -> list[Record]:
        """The read's rows for these ids, each value by its column's name."""
        return [record for chunk in _chunks(ids) for record in read.records(read.fetch(self._conn, chunk))]


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    ids = list(dict.fromkeys(ids))
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
