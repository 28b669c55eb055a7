"""The first screen's reads, straight from a local SQLite file and without SQLAlchemy (issue 7: cold start).

Importing SQLAlchemy and mapping our tables costs more than half of the app's start. The first screen — the
I dag tab and the patient list — needs only a handful of reads, so a *plain* (unencrypted), current local file is
read here with the sqlite3 driver alone, the window is shown, and the full storage layer opens the same file right
after (``ui.first_screen``). Anything unusual — an encrypted or missing file, another schema revision, a file that
does not look like ours — answers ``None`` here, and the program starts the usual way.

The SQL is SQLite's text of the same selects the repositories make (``tests/storage/test_quick_read.py`` checks
that it equals the compiled Core selects, and that every value comes back as the repositories return it).
Nothing is ever written: the connection is opened read-only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordinator_app.domain.meetings import MeetingStatus, Task, tasks_of
from coordinator_app.domain.model import Admission, Event
from coordinator_app.storage.convert import admission_from, events_from
from coordinator_app.storage.meeting_codec import meeting_from, template_from
from coordinator_app.storage.sqlite_file import FileKind, SqliteFile, file_kind
from coordinator_app.storage.sqlite_rows import ListRow, day, document, event_tuples, flag, from_sqlite_rows, moment

log = logging.getLogger("koordinator.storage.quick_read")

MIGRATIONS = Path(__file__).with_name("migrations")


def file_head(script_location: Path | None = None) -> str:
    """The newest schema revision, read from the file names: the chain is linear and each file is
    ``NNNN_name.py`` with ``revision = "NNNN"`` (a test checks this against Alembic's own head)."""
    versions = (script_location or MIGRATIONS) / "versions"
    return max(p.name[:4] for p in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))


#: ``storage.listing``'s select of the current admissions.
CURRENT_LIST_SQL = (
    "SELECT admissions.id, admissions.patient_id, patients.given_name, patients.family_name, patients.cpr, "
    "patients.replacement_cpr, admissions.center, admissions.ward, admissions.bopaelskommune, "
    "coalesce(kommuner.name, admissions.bopaelskommune) AS coalesce_1, admissions.opholdskommune, "
    "admissions.handlekommune, admissions.admitted, admissions.discharged, admissions.scenario, "
    "admissions.expected_faerdigbehandlet, admissions.involuntary, admissions.demo, admissions.homeless, "
    "admissions.botilbud, admissions.misbrug, admissions.retslig_foranstaltning, admissions.children, "
    "admissions.lab_par6, admissions.wants_to_leave, admissions.multiple_antipsychotics \n"
    "FROM admissions JOIN patients ON patients.id = admissions.patient_id LEFT OUTER JOIN kommuner ON "
    "kommuner.code = admissions.bopaelskommune \n"
    "WHERE admissions.discharged IS NULL ORDER BY admissions.id"
)
#: ``storage.repositories``' select of the events of some admissions; ``{ids}`` is the "?" list.
EVENTS_SQL = (
    "SELECT events.id, events.admission_id, events.kind, events.occurred_at, events.recorded_by, "
    "events.recipient_kommune, events.channel, events.note, events.data, events.corrects_event_id \n"
    "FROM events \n"
    "WHERE events.admission_id IN ({ids}) ORDER BY events.admission_id, events.occurred_at, events.id"
)
ADMISSIONS_SQL = "SELECT * FROM admissions WHERE id IN ({ids})"
CLOSED_MEETINGS_SQL = "SELECT * FROM meetings WHERE admission_id IN ({ids}) AND status = ? ORDER BY id"
TEMPLATES_SQL = "SELECT * FROM meeting_templates WHERE id IN ({ids})"
KOMMUNE_NAMES_SQL = "SELECT code, name FROM kommuner"
CENTRES_SQL = (
    "SELECT centres.name, wards.name FROM centres LEFT OUTER JOIN wards ON wards.centre_id = centres.id "
    "ORDER BY centres.name, wards.name"
)

#: How each column that is not plain text or a number comes back (the ORM's column types; a test compares).
Decoder = Callable[[Any], Any]
DECODERS: dict[str, dict[str, Decoder]] = {
    "admissions": {
        "admitted": day,
        "discharged": day,
        "expected_faerdigbehandlet": day,
        "planned_discharge": day,
        "scenario_answers": document,
        "involuntary": flag,
        "homeless": flag,
        "botilbud": flag,
        "misbrug": flag,
        "retslig_foranstaltning": flag,
        "children": flag,
        "lab_par6": flag,
        "wants_to_leave": flag,
        "multiple_antipsychotics": flag,
        "afsnit_v_support": flag,
        "wont_seek_help": flag,
        "refuses_participation": flag,
        "demo": flag,
    },
    "meetings": {
        "invited_on": day,
        "planned_at": moment,
        "content": document,
        "recipients": document,
        "created_at": moment,
        "updated_at": moment,
        "closed_at": moment,
    },
    "meeting_templates": {"sections": document, "created_at": moment},
}
_CHUNK = 900  # ids per IN list: below SQLite's oldest limit of 999 parameters


class _Row:
    """A row with attribute access, as the ``convert``/``meeting_codec`` readers take it."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    if TYPE_CHECKING:  # its attributes are the query's column names

        def __getattr__(self, name: str) -> Any: ...


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
        row = self._conn.execute("SELECT value FROM app_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def has_users(self) -> bool:
        return self._conn.execute("SELECT count(*) FROM users").fetchone()[0] > 0

    def centres(self) -> dict[str, list[str]]:
        """``CentreRepository.all``: centre name → its ward names."""
        out: dict[str, list[str]] = {}
        for centre, ward in self._conn.execute(CENTRES_SQL).fetchall():
            wards = out.setdefault(centre, [])
            if ward is not None:
                wards.append(ward)
        return out

    def ward(self) -> WardRead:
        rows = from_sqlite_rows(self._conn.execute(CURRENT_LIST_SQL).fetchall())
        ids = [r.admission_id for r in rows]
        return WardRead(
            rows=rows,
            admissions=self.admissions(ids),
            events=self.events(ids),
            tasks=self.tasks(ids),
            kommune_names=dict(self._conn.execute(KOMMUNE_NAMES_SQL).fetchall()),
        )

    def admissions(self, ids: Sequence[int]) -> dict[int, Admission]:
        return {row.id: admission_from(row) for row in self._rows("admissions", ADMISSIONS_SQL, ids)}

    def events(self, ids: Sequence[int]) -> dict[int, list[Event]]:
        out: dict[int, list[Event]] = {admission_id: [] for admission_id in ids}
        for chunk in _chunks(ids):
            sql = EVENTS_SQL.format(ids=",".join("?" * len(chunk)))
            for e in events_from(event_tuples(self._conn.execute(sql, chunk).fetchall())):
                out[e.admission_id].append(e)
        return out

    def tasks(self, ids: Sequence[int]) -> dict[int, list[Task]]:
        """The agreements of the admissions' closed meetings (C5), by admission."""
        closed = self._rows("meetings", CLOSED_MEETINGS_SQL, ids, MeetingStatus.AFSLUTTET.value)
        templates = {
            row.id: template_from(row)
            for row in self._rows("meeting_templates", TEMPLATES_SQL, sorted({m.template_id for m in closed}))
        }
        out: dict[int, list[Task]] = {}
        for row in closed:
            out.setdefault(row.admission_id, []).extend(tasks_of(meeting_from(row, templates[row.template_id])))
        return out

    def _rows(self, table: str, sql: str, ids: Sequence[int], *extra: Any) -> list[_Row]:
        decoders = DECODERS[table]
        out: list[_Row] = []
        for chunk in _chunks(ids):
            cursor = self._conn.execute(sql.format(ids=",".join("?" * len(chunk))), (*chunk, *extra))
            names = [d[0] for d in cursor.description]
            convert = [decoders.get(name) for name in names]
            for values in cursor.fetchall():
                out.append(
                    _Row({n: (v if c is None else c(v)) for n, c, v in zip(names, convert, values, strict=True)})
                )
        return out


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    ids = list(dict.fromkeys(ids))
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
