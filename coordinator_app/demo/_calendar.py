"""Working days and office hours for the demo's event times.

Demo events happen on Danish working days (weekdays minus public holidays and the usual closing days
Grundlovsdag, 24 and 31 December — agreement.md "Working days") between 08:00 and 15:30 local time,
stored as UTC. Kept private to the demo: the app's own calendar is ``coordinator_app.workdays``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
ONE_DAY = timedelta(days=1)


class WorkCalendar:
    def __init__(self, first_year: int, last_year: int) -> None:
        years = range(first_year, last_year + 1)
        closed = set(holidays.country_holidays("DK", years=years))
        for year in years:
            closed |= {date(year, 6, 5), date(year, 12, 24), date(year, 12, 31)}
        self._closed = frozenset(closed)

    def is_working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._closed

    def on_or_after(self, day: date) -> date:
        while not self.is_working(day):
            day += ONE_DAY
        return day

    def on_or_before(self, day: date) -> date:
        while not self.is_working(day):
            day -= ONE_DAY
        return day

    def add(self, day: date, n: int) -> date:
        """``n`` working days after (or before, if negative) ``day``; ``day`` itself is day 0."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        for _ in range(abs(n)):
            day += step
            while not self.is_working(day):
                day += step
        return day


def office_moment(day: date, minutes_after_eight: int) -> datetime:
    """``day`` at 08:00 + minutes, Copenhagen time, as an aware UTC datetime."""
    local = datetime.combine(day, time(8, 0), tzinfo=COPENHAGEN) + timedelta(minutes=minutes_after_eight)
    return local.astimezone(UTC)
