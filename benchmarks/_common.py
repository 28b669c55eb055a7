"""Shared by the benchmarks: the 10,000-admission demo database, timing (median of several runs) and the table.

The database is the demo ward with seven years of history (~11,000 admissions, ~81,000 events) bulk-loaded into
a temporary SQLite file, plus the demo's netværksmøder and discharge plans on the current admissions — what
``load_demo_ward`` gives, with more history. Nothing here imports Qt.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from coordinator_app.demo import DemoWard, generate_demo_ward
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.repositories import bulk_load

MOMENT = datetime(2026, 11, 23, 9, tzinfo=UTC)
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
HISTORY_YEARS = 7


@dataclass
class BenchDatabase:
    db: Database
    ctx: ServiceContext
    ward: DemoWard
    path: Path
    build_ms: float

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


def build_database(folder: Path, *, with_meetings: bool = True) -> BenchDatabase:
    """The benchmark database in ``folder`` (a fresh file each time: the demo generator is deterministic)."""
    start = time.perf_counter()
    path = folder / "bench.db"
    db = open_database(f"sqlite:///{path}")
    ctx, ward = load_ward(db, with_meetings=with_meetings)
    return BenchDatabase(db, ctx, ward, path, (time.perf_counter() - start) * 1000)


def load_ward(db: Database, *, with_meetings: bool = True) -> tuple[ServiceContext, DemoWard]:
    """The benchmark ward loaded into ``db`` (an empty, migrated database: SQLite or PostgreSQL)."""
    ctx = ServiceContext(database=db, clock=fixed_clock(MOMENT))
    ensure_reference_data(ctx)
    ward = generate_demo_ward(MOMENT.date(), history_years=HISTORY_YEARS)
    with db.session() as s:
        bulk_load(s, kommuner=ward.kommuner, patients=ward.patients, admissions=ward.admissions, events=ward.events)
    if with_meetings:
        # The demo's meetings (closed ones give the list its C5 tasks) and plans, as ``load_demo_ward`` adds them.
        from coordinator_app.services.setup import _demo_meetings, _demo_plans

        _demo_meetings(ctx, ward.admissions)
        _demo_plans(ctx, ward.admissions)
    return ctx, ward


#: Wall time by default (what a user waits). ``use_cpu_clock`` switches to this process's CPU time, which other
#: processes on a busy machine disturb far less (the start-up figures, other processes, stay on wall time).
CLOCK: dict[str, Callable[[], float]] = {"now": time.perf_counter}


def use_cpu_clock() -> None:
    CLOCK["now"] = time.process_time


def time_ms(fn: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    """One timed call. Garbage from earlier runs is collected first; the collector stays on while timing."""
    if setup is not None:
        setup()
    gc.collect()
    now = CLOCK["now"]
    start = now()
    fn()
    return (now() - start) * 1000


def median_ms(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None, warmup: int = 1) -> float:
    """Median wall time of ``runs`` calls (after ``warmup`` untimed ones); ``setup`` runs untimed before each."""
    for _ in range(warmup):
        if setup is not None:
            setup()
        fn()
    return statistics.median(time_ms(fn, setup) for _ in range(runs))


def interleaved_ms(fns: dict[str, Callable[[], object]], runs: int, warmup: int = 1) -> dict[str, float]:
    """Medians of several functions measured in turn within each round, so a busy machine slows all alike
    (for the ratios: filter vs proxy, list query vs raw sqlite3, app start vs bare Qt start)."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            times[name].append(time_ms(fn))
    return {name: statistics.median(values) for name, values in times.items()}


@dataclass(frozen=True)
class Line:
    label: str
    value: float  # ms, or a ratio when ``unit`` is "×"
    target: str = ""  # e.g. "≤ 16 ms"; empty when the issue sets none
    passed: bool | None = None
    unit: str = "ms"
    note: str = ""


def ms_line(label: str, ms: float, limit: float | None = None, note: str = "") -> Line:
    if limit is None:
        return Line(label, ms, note=note)
    return Line(label, ms, f"≤ {limit:g} ms", ms <= limit, note=note)


def ratio_line(
    label: str, ratio: float, *, at_most: float | None = None, at_least: float | None = None, note: str = ""
) -> Line:
    if at_most is not None:
        return Line(label, ratio, f"≤ {at_most:g}×", ratio <= at_most, unit="×", note=note)
    if at_least is not None:
        return Line(label, ratio, f"≥ {at_least:g}×", ratio >= at_least, unit="×", note=note)
    return Line(label, ratio, unit="×", note=note)


def print_table(lines: list[Line], title: str) -> None:
    width = max(len(line.label) for line in lines) + 2
    print(f"\n{title}")
    print(f"{'measure':<{width}}{'median':>11}  {'target':<10}{'result':<7}note")
    print("-" * (width + 40))
    for line in lines:
        value = f"{line.value:8.1f} ms" if line.unit == "ms" else f"{line.value:9.2f} ×"
        result = "" if line.passed is None else ("PASS" if line.passed else "FAIL")
        print(f"{line.label:<{width}}{value:>11}  {line.target or '—':<10}{result:<7}{line.note}")
    judged = [line for line in lines if line.passed is not None]
    print(f"\n{sum(1 for line in judged if line.passed)} of {len(judged)} targets met.")
