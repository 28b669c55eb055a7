"""The services' shared context: the database, the calendar, the clock and the user.

Passed in by the composition root (``ui/app.py`` or the CLI); never a global (style.md §12).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from coordinator_app.storage import Database
from coordinator_app.workdays import WorkCalendar

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    """Today and now, injectable so tests and the engine never read the wall clock behind our back."""

    now_utc: Callable[[], datetime] = _now_utc

    def now(self) -> datetime:
        return self.now_utc()

    def today(self) -> date:
        """Today's date in Denmark (the date a coordinator would write on a form)."""
        return self.now_utc().astimezone(COPENHAGEN).date()


def fixed_clock(moment: datetime) -> Clock:
    """A clock frozen at ``moment`` (aware), for tests and reproducible demos."""
    return Clock(now_utc=lambda: moment.astimezone(UTC))


@dataclass
class ServiceContext:
    database: Database
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    clock: Clock = field(default_factory=Clock)
    user: str = "demo"
