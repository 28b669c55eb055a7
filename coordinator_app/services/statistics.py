"""Statistik (issue 7, measure H): the figures for a period and kommune, loaded in one session in bulk.

The definitions live in ``coordinator_app.domain.statistics``; this service only picks the admissions a period needs
and hands them over with their events, the calendar, today and the ward's bed-day rate (``settings``):

* the period's admissions (at least one day in it), with their events — the only ones whose events are read;
* the admissions that start 1–30 days after the period's discharges (readmissions), without events.

Queries: the admissions overlapping the period or the 30 days after it (one query on their dates), the period's
events in one query per 5,000 admissions, the kommune names, and the rate setting.

Writing the figures to a file (XLSX, CSV) is an export: ``services.exports.ExportService.statistics``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from coordinator_app.domain.model import Kommune
from coordinator_app.domain.statistics import (
    READMISSION_DAYS,
    Statistics,
    compute_statistics,
    kommune_of,
    responsible_kommune,
)
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import load_rate_setting
from coordinator_app.storage import reads
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository, KommuneRepository

__all__ = ["StatisticsService"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the figures are loaded and computed.

    A year at 10,000 admissions makes ~100,000 short-lived objects (rows, events, deadlines); the collector
    would walk the whole heap many times while they are made — ~170 ms of ~540 ms in ``bench_statistics``.
    Nothing made here needs the cycle collector (reference counting frees it), so it runs again afterwards.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class StatisticsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def compute(self, period_from: date, period_to: date, kommune_code: str | None = None) -> Statistics:
        """The statistics for ``period_from``–``period_to`` (both included), optionally one kommune's."""
        today = self._ctx.clock.today()
        last_readmission = period_to + timedelta(days=READMISSION_DAYS)
        with _collector_paused():
            return self._compute(period_from, period_to, kommune_code, today, last_readmission)

    def _compute(
        self, period_from: date, period_to: date, kommune_code: str | None, today: date, last_readmission: date
    ) -> Statistics:
        rate = load_rate_setting(self._ctx)
        with self._ctx.database.session() as session:
            # Every admission with a day in the period, plus those admitted up to 30 days after it (readmissions).
            admissions = AdmissionRepository(session).overlapping(period_from, last_readmission)
            in_period = sorted(i for i, a in admissions.items() if a.admitted <= period_to)
            wanted = [
                i for i in in_period if kommune_code is None or responsible_kommune(admissions[i]) == kommune_code
            ]
            events = EventRepository(session).for_admissions(wanted)
            names = KommuneRepository(session).names()
        return compute_statistics(
            admissions.values(),
            events,
            period_from,
            period_to,
            cal=self._ctx.calendar,
            settings=self._ctx.rules,
            today=today,
            rates=rate.table(),
            kommune=kommune_code,
            kommune_names=names,
            rate_note=rate.label,
        )

    def kommuner_in_use(self) -> list[Kommune]:
        """The kommuner that admissions belong to (the statistics' kommune filter), by name."""
        with self._ctx.database.session() as session:
            codes = {
                kommune_of(row.bopaelskommune_code, row.opholdskommune, homeless=row.homeless)
                for row in reads.list_rows(reads.of_session(session), include_discharged=True)
            }
            known = {k.code: k for k in KommuneRepository(session).all()}
        found = [known.get(code) or Kommune(code=code, name=code, region="") for code in codes]
        return sorted(found, key=lambda k: (k.name.casefold(), k.code))
