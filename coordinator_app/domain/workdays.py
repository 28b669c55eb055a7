"""The Danish working-day calendar behind every "arbejdsdage"/"hverdage" deadline (docs/regler.md, *Sådan
tælles fristerne*).

A working day is Monday–Friday that is not a Danish public holiday (``danish_holidays``: the fixed days and
the Easter-dependent ones, counted from ``dateutil.easter``; Store Bededag is a holiday up to and including 2023
and not from 2024). Computed here rather than with the ``holidays`` package: Denmark needs a dozen lines, while
loading that package's country registry costs ~0.3 s at start-up. The tests check every year 1900–2100 against
``holidays.DK``.

Many public workplaces also close on Grundlovsdag (5 June), juleaften (24 December) and nytårsaften
(31 December): these *extra closing days* are a setting, on by default.
1 May is an optional day in ``holidays.DK`` too, but it is **not** a closing day here.

Each deadline says which calendar produced it (``WorkCalendar.name``).

Speed: a sorted table of working-day ordinals is built once per year and cached, so ``is_working_day`` is a
set lookup and ``add_working_days`` / ``working_days_between`` are a bisect, whatever ``n`` is.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.easter import easter

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

#: Extra closing days (month, day) → Danish name. Deliberately not 1 May (docs/regler.md, *Sådan tælles fristerne*).
EXTRA_CLOSING_DAYS: dict[tuple[int, int], str] = {
    (6, 5): "Grundlovsdag",
    (12, 24): "Juleaften",
    (12, 31): "Nytårsaften",
}

#: The Easter-dependent public holidays: days after Easter Sunday → Danish name (as ``holidays.DK`` names them).
_EASTER_HOLIDAYS: tuple[tuple[int, str], ...] = (
    (-3, "Skærtorsdag"),
    (-2, "Langfredag"),
    (0, "Påskedag"),
    (1, "Anden påskedag"),
    (39, "Kristi himmelfartsdag"),
    (49, "Pinsedag"),
    (50, "Anden pinsedag"),
)
STORE_BEDEDAG_LAST_YEAR = 2023  # abolished from 2024 (lov nr. 133 af 24. februar 2023)


def danish_holidays(year: int) -> dict[date, str]:
    """Denmark's public holidays (helligdage) in ``year`` → Danish name; the same days as ``holidays.DK``."""
    easter_sunday = easter(year)  # Western (Gregorian) Easter
    out = {date(year, 1, 1): "Nytårsdag"}
    for offset, name in _EASTER_HOLIDAYS:
        out[easter_sunday + timedelta(days=offset)] = name
    if year <= STORE_BEDEDAG_LAST_YEAR:
        out[easter_sunday + timedelta(days=26)] = "Store bededag"  # the fourth Friday after Easter
    out[date(year, 12, 25)] = "Juledag"
    out[date(year, 12, 26)] = "Anden juledag"
    return dict(sorted(out.items()))


CALENDAR_NAME_PUBLIC = "Danske helligdage"
CALENDAR_NAME_EXTRA = "Danske helligdage + grundlovsdag, juleaften, nytårsaften"


def local_date(moment: datetime) -> date:
    """The Danish calendar date of an aware moment (events are stored in UTC, deadlines count Danish days)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN).date()


@dataclass(frozen=True, slots=True)
class _Year:
    closed: dict[date, str]  # weekday closing days → name (weekends are not listed)
    working: tuple[int, ...]  # sorted ordinals of the year's working days
    working_set: frozenset[int]


class WorkCalendar:
    """Mon–Fri minus Danish public holidays, optionally minus the extra closing days."""

    def __init__(self, extra_closing_days: bool = True) -> None:
        self.extra_closing_days = extra_closing_days
        self._years: dict[int, _Year] = {}

    @property
    def name(self) -> str:
        """Danish description shown next to every deadline computed with this calendar."""
        return CALENDAR_NAME_EXTRA if self.extra_closing_days else CALENDAR_NAME_PUBLIC

    def __repr__(self) -> str:
        return f"WorkCalendar(extra_closing_days={self.extra_closing_days})"

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = self._build(year)
        return table

    def _build(self, year: int) -> _Year:
        closed = danish_holidays(year)
        if self.extra_closing_days:
            for (month, day), label in EXTRA_CLOSING_DAYS.items():
                closed.setdefault(date(year, month, day), label)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        working = tuple(o for o in range(first, last + 1) if (o - 1) % 7 < 5 and date.fromordinal(o) not in closed)
        return _Year(closed=closed, working=working, working_set=frozenset(working))

    def is_working_day(self, day: date) -> bool:
        """Monday–Friday and not closed."""
        return day.toordinal() in self._year(day.year).working_set

    def closing_reason(self, day: date) -> str | None:
        """Why ``day`` is not a working day, in Danish (``None`` for a working day) — for tooltips."""
        if self.is_working_day(day):
            return None
        name = self._year(day.year).closed.get(day)
        if name is not None:
            return name
        return "Lørdag" if day.weekday() == 5 else "Søndag"

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` is day 0 and not counted).

        ``n == 0`` returns ``start`` unchanged; a negative ``n`` counts back (the ``-n``-th working day
        before ``start``).
        """
        if n == 0:
            return start
        year = start.year
        table = self._year(year).working
        if n > 0:
            index = bisect_right(table, start.toordinal()) + n - 1
            while index >= len(table):
                index -= len(table)
                year += 1
                table = self._year(year).working
        else:
            index = bisect_left(table, start.toordinal()) + n
            while index < 0:
                year -= 1
                table = self._year(year).working
                index += len(table)
        return date.fromordinal(table[index])

    def previous_working_day(self, day: date) -> date:
        """``day`` itself if a working day, else the closest earlier one.

        A *latest* sending date on a closed day moves back so the kommune can receive it (docs/regler.md).
        """
        if self.is_working_day(day):
            return day
        return self.add_working_days(day, -1)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if a working day, else the closest later one."""
        if self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days ``d`` with ``start < d <= end`` (negative when ``end`` < ``start``)."""
        if end < start:
            return -self.working_days_between(end, start)
        first = self._year(start.year).working
        count_start = bisect_right(first, start.toordinal())
        if start.year == end.year:
            return bisect_right(first, end.toordinal()) - count_start
        total = len(first) - count_start
        for year in range(start.year + 1, end.year):
            total += len(self._year(year).working)
        return total + bisect_right(self._year(end.year).working, end.toordinal())

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days ``d`` with ``start <= d <= end`` (for tables and tests)."""
        out: list[date] = []
        day = start
        while day <= end:
            if self.is_working_day(day):
                out.append(day)
            day += timedelta(days=1)
        return out
