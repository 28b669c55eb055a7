"""Statistik speed at ~10,000 admissions (issue 7; target ≤ 500 ms for one year): prints figures, asserts nothing.

Builds the database as ``bench_list.py`` does (demo ward with 7 years of history, bulk-loaded into SQLite) but
without Qt — the statistics need none, and the UI's modules are not imported here.

Run: .venv/bin/python benchmarks/bench_statistics.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from coordinator_app.demo import generate_demo_ward
from coordinator_app.documents.statistics_export import to_csv, to_xlsx
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.settings import load_rate_setting
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.statistics import compute_statistics
from coordinator_app.storage import open_database
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository, bulk_load

MOMENT = datetime(2026, 11, 23, 9, tzinfo=UTC)
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def median_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def show(label: str, ms: float, note: str = "") -> None:
    print(f"{label:<34}{ms:8.1f} ms  {note}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db")
        ctx = ServiceContext(database=db, clock=fixed_clock(MOMENT))
        ensure_reference_data(ctx)
        ward = generate_demo_ward(MOMENT.date(), history_years=7)
        with db.session() as s:
            bulk_load(s, kommuner=ward.kommuner, patients=ward.patients, admissions=ward.admissions, events=ward.events)
        print(f"admissions: {len(ward.admissions)}  events: {len(ward.events)}  period: {YEAR[0]} – {YEAR[1]}")
        service = StatisticsService(ctx)
        stats = service.compute(*YEAR)
        print(
            f"in period: {stats.total.admissions} admitted, {stats.figure('discharges').value} discharged, "
            f"{stats.total.bed_days} færdigmeldte sengedage"
        )
        show("service: one year (all kommuner)", median_ms(lambda: service.compute(*YEAR)), "target ≤ 500 ms")
        show("service: one year, kommune 101", median_ms(lambda: service.compute(*YEAR, kommune_code="101")))

        with db.session() as s:
            admissions = list(AdmissionRepository(s).get_many(a.id for a in ward.admissions if a.id).values())
            events = EventRepository(s).for_admissions(a.id for a in admissions if a.id)
        rates = load_rate_setting(ctx).table()

        def domain() -> object:
            return compute_statistics(admissions, events, *YEAR, cal=ctx.calendar, today=MOMENT.date(), rates=rates)

        show("domain only (data in memory)", median_ms(domain))
        show("export XLSX", median_ms(lambda: to_xlsx(stats)), f"{len(to_xlsx(stats)) // 1024} KiB")
        show("export CSV", median_ms(lambda: to_csv(stats)), f"{len(to_csv(stats).encode()) // 1024} KiB")
        db.dispose()


if __name__ == "__main__":
    main()
