"""Engine fixtures: the default calendar (holidays + extra closing days) and the public-holidays-only one.

The Hypothesis profile is registered here too, for runs of the domain tests on their own (without the root
conftest): they are derandomized there as well."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coordinator_app.domain.workdays import WorkCalendar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import profiles

profiles.register()


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="session")
def public_cal() -> WorkCalendar:
    return WorkCalendar(extra_closing_days=False)
