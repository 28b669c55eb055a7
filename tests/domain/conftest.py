"""Engine fixtures: the default calendar (holidays + extra closing days) and the public-holidays-only one."""

from __future__ import annotations

import pytest

from coordinator_app.workdays import WorkCalendar


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="session")
def public_cal() -> WorkCalendar:
    return WorkCalendar(extra_closing_days=False)
