"""Shared service-test fixtures: a clock the test can move, and a context on the ``database`` fixture (SQLite and a
throwaway PostgreSQL) with the reference data loaded. A test module may define its own ``ctx`` instead."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.setup import ensure_reference_data

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday


class MovableClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NOW)


@pytest.fixture
def ctx(database, clock: MovableClock) -> ServiceContext:
    context = ServiceContext(database=database, clock=Clock(now_utc=clock), user="koordinator.test")
    ensure_reference_data(context)
    return context
