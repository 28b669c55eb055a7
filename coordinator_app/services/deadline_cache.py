"""Status and deadlines per admission, recomputed only when something they depend on changed (issue 7).

The deadline engine (``deadlines.deadlines_and_state``) is pure: its result depends on the admission, its
events, the calendar, today and the rule settings — nothing else. So a result stays valid while

* the admission's **stamp** is unchanged: ``(version, patient_id, newest event id, event count)``. Every edit of
  an admission bumps ``version`` (optimistic locking); events are append-only (a correction is a new event),
  so a new event changes the newest id and the count. ``patient_id`` guards against a reloaded demo ward
  reusing an admission id. ``storage.reads.deadline_stamps`` reads stamps without loading any event;
  ``stamp_of`` computes the same stamp from loaded data.
* the **context** is unchanged: today, the calendar (same object, same ``extra_closing_days``) and the rule
  settings (same object). A new day or another calendar/settings object empties the cache.

What "full deadline recompute" means for the app: a refresh of the patient list (and of anything showing the
next deadline) derives status and deadlines for every *current* admission — discharged ones show «Udskrevet»
and no deadline. On the 10,000-admission demo database that is ~40 admissions; ``benchmarks/run.py`` also
measures all ~11,000, cold and through this cache.

Results are the engine's own objects (frozen dataclasses, tuples), shared between callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from coordinator_app.domain.deadlines import deadlines_and_state
from coordinator_app.domain.errors import ProcessError
from coordinator_app.domain.model import Admission, Deadline, Event
from coordinator_app.domain.process import ProcessState
from coordinator_app.domain.rules import RuleSettings
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.lazy import lazy_import
from coordinator_app.storage.sqlite_rows import Stamp

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from coordinator_app.storage import reads
else:  # the first screen derives without SQLAlchemy loaded; reading stamps and events comes after it
    reads = lazy_import("coordinator_app.storage.reads")

__all__ = ["DeadlineCache", "Derived", "Stamp", "derive", "stamp_of"]


@dataclass(frozen=True, slots=True)
class Derived:
    """What the engine derives from one admission's history: its process state and deadlines, or the Danish
    message of the ``ProcessError`` that says why the history cannot be replayed (then ``state`` is None and
    there are no deadlines). The message, not the exception: a kept exception would keep its frames alive."""

    state: ProcessState | None
    deadlines: tuple[Deadline, ...]
    error: str | None = None


def derive(
    admission: Admission,
    events: Sequence[Event],
    cal: WorkCalendar,
    today: date,
    settings: RuleSettings | None = None,
) -> Derived:
    """The uncached derivation (what ``DeadlineCache`` stores)."""
    try:
        state, deadlines = deadlines_and_state(admission, events, cal, today, settings)
    except ProcessError as exc:
        return Derived(None, (), exc.message)
    return Derived(state, tuple(deadlines))


def stamp_of(admission: Admission, events: Sequence[Event]) -> Stamp:
    """The stamp of loaded data: equal to ``deadline_stamps``' for the same rows (all events, corrections too)."""
    newest = max((e.id for e in events if e.id is not None), default=None)
    return (admission.version, admission.patient_id, newest, len(events))


class DeadlineCache:
    """Derived results by admission id, each kept with the stamp it was computed from.

    Not thread-safe; one per ``services.registry.Services`` (the UI thread), shared by the patient list
    (``AdmissionService``) and I dag (``OverviewService``). ``hits``/``misses`` count lookups.
    """

    def __init__(self, max_entries: int = 50_000) -> None:
        self._entries: dict[int, tuple[Stamp, Derived]] = {}
        self._context: tuple[date, WorkCalendar, bool, RuleSettings | None] | None = None
        self._max_entries = max_entries
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._context = None

    def _use(self, cal: WorkCalendar, today: date, settings: RuleSettings | None) -> dict[int, tuple[Stamp, Derived]]:
        """The entries valid in this context (emptied when today, the calendar or the settings changed)."""
        context = self._context
        if (
            context is None
            or context[0] != today
            or context[1] is not cal
            or context[2] != cal.extra_closing_days
            or context[3] is not settings
        ):
            self._entries.clear()
            self._context = (today, cal, cal.extra_closing_days, settings)
        return self._entries

    def lookup(
        self,
        admission_id: int,
        stamp: Stamp | None,
        cal: WorkCalendar,
        today: date,
        settings: RuleSettings | None = None,
    ) -> Derived | None:
        """The cached result if it was computed from data with this stamp in this context, else None."""
        entry = self._use(cal, today, settings).get(admission_id)
        if entry is not None and stamp is not None and entry[0] == stamp:
            self.hits += 1
            return entry[1]
        self.misses += 1
        return None

    def compute(
        self,
        admission: Admission,
        events: Sequence[Event],
        cal: WorkCalendar,
        today: date,
        settings: RuleSettings | None = None,
    ) -> Derived:
        """Derive from loaded data and keep the result under the data's own stamp (never a stamp read earlier:
        a concurrent save between the stamp query and the loading then simply misses next time)."""
        derived = derive(admission, events, cal, today, settings)
        if admission.id is not None:
            entries = self._use(cal, today, settings)
            if len(entries) >= self._max_entries:
                entries.clear()
            entries[admission.id] = (stamp_of(admission, events), derived)
        return derived

    def derive_many(
        self,
        connection: Connection,
        admission_ids: Sequence[int],
        cal: WorkCalendar,
        today: date,
        settings: RuleSettings | None = None,
    ) -> dict[int, Derived]:
        """Status and deadlines of these admissions (what a list refresh needs): their stamps are read, and only
        the admissions whose stamp changed have events loaded and replayed. Ids not found are absent. Read through
        ``connection`` (``storage.reads``): a repository's session passes ``reads.of_session(session)``."""
        stamps = reads.deadline_stamps(connection, admission_ids)
        entries = self._use(cal, today, settings)
        out: dict[int, Derived] = {}
        changed: list[int] = []
        for admission_id in admission_ids:  # ``lookup`` inlined: a refresh of 10,000 admissions stays ~10 ms here
            entry = entries.get(admission_id)
            stamp = stamps.get(admission_id)
            if entry is not None and stamp is not None and entry[0] == stamp:
                out[admission_id] = entry[1]
            elif stamp is not None:
                changed.append(admission_id)
        self.hits += len(out)
        self.misses += len(admission_ids) - len(out)
        if changed:
            events = reads.events_of(connection, changed)
            for admission_id, admission in reads.admissions(connection, changed).items():
                out[admission_id] = self.compute(admission, events[admission_id], cal, today, settings)
        return out

    def get(
        self,
        admission: Admission,
        events: Sequence[Event],
        cal: WorkCalendar,
        today: date,
        settings: RuleSettings | None = None,
    ) -> Derived:
        """For loaded data (the details view): the cached result when the stamp matches, else computed."""
        if admission.id is not None:
            found = self.lookup(admission.id, stamp_of(admission, events), cal, today, settings)
            if found is not None:
                return found
        return self.compute(admission, events, cal, today, settings)
