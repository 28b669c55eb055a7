"""The working-day calendar (docs/regler.md, *Sådan tælles fristerne*): holidays, extra closing days, counting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinator_app.domain.workdays import (
    CALENDAR_NAME_EXTRA,
    CALENDAR_NAME_PUBLIC,
    WorkCalendar,
    danish_holidays,
    local_date,
)

D = date
days = st.dates(min_value=D(2019, 1, 1), max_value=D(2032, 12, 31))
counts = st.integers(min_value=0, max_value=400)
CAL = WorkCalendar()
PUBLIC = WorkCalendar(extra_closing_days=False)


@pytest.mark.parametrize(
    ("day", "working_with_extras", "working_public_only", "why"),
    [
        (D(2024, 3, 28), False, False, "Skærtorsdag"),
        (D(2024, 3, 29), False, False, "Langfredag"),
        (D(2024, 4, 1), False, False, "Anden påskedag"),
        (D(2024, 4, 2), True, True, "Tuesday after Easter"),
        (D(2024, 5, 9), False, False, "Kristi himmelfartsdag"),
        (D(2024, 5, 10), True, True, "Friday after Kristi himmelfart is a working day"),
        (D(2024, 5, 20), False, False, "Anden pinsedag"),
        (D(2024, 6, 5), False, True, "Grundlovsdag is an extra closing day only"),
        (D(2024, 12, 24), False, True, "Juleaften is an extra closing day only"),
        (D(2024, 12, 25), False, False, "Juledag"),
        (D(2024, 12, 26), False, False, "Anden juledag"),
        (D(2024, 12, 27), True, True, "Friday between Christmas and New Year"),
        (D(2024, 12, 31), False, True, "Nytårsaften is an extra closing day only"),
        (D(2025, 1, 1), False, False, "Nytårsdag"),
        (D(2024, 5, 1), True, True, "1 May is not a closing day"),
        (D(2023, 5, 5), False, False, "Store Bededag 2023 is still a holiday"),
        (D(2024, 4, 26), True, True, "Store Bededag abolished from 2024"),
        (D(2025, 5, 16), True, True, "Store Bededag abolished from 2024 (2025)"),
        (D(2024, 6, 8), False, False, "Saturday"),
        (D(2024, 6, 9), False, False, "Sunday"),
    ],
)
def test_danish_holidays_and_extra_closing_days(
    day: date, working_with_extras: bool, working_public_only: bool, why: str
) -> None:
    assert CAL.is_working_day(day) is working_with_extras, why
    assert PUBLIC.is_working_day(day) is working_public_only, why


def test_store_bededag_is_in_holidays_dk_up_to_2023_only() -> None:
    """docs/regler.md: Store Bededag is no longer a holiday from 2024 — verify the library agrees."""
    assert D(2023, 5, 5) in holidays.DK(years=2023)
    assert not any("Great Prayer" in name for name in holidays.DK(years=2024).values())


def test_own_danish_holidays_equal_holidays_dk_every_year_1900_to_2100() -> None:
    """The calendar computes Denmark's holidays itself (the package is slow to load at start-up): the same days
    and the same Danish names as ``holidays.DK`` for every year the package covers."""
    for year in range(1900, 2101):
        expected = dict(holidays.country_holidays("DK", years=year, language="da").items())
        assert danish_holidays(year) == expected, year


@pytest.mark.parametrize(
    ("year", "easter"), [(2008, D(2008, 3, 23)), (2011, D(2011, 4, 24)), (2024, D(2024, 3, 31)), (2026, D(2026, 4, 5))]
)
def test_easter_sunday_is_paaskedag(year: int, easter: date) -> None:
    assert danish_holidays(year)[easter] == "Påskedag"


def test_closing_reason_names_the_day_in_danish() -> None:
    assert CAL.closing_reason(D(2024, 6, 5)) == "Grundlovsdag"
    assert CAL.closing_reason(D(2024, 3, 29)) == "Langfredag"
    assert CAL.closing_reason(D(2024, 6, 8)) == "Lørdag"
    assert CAL.closing_reason(D(2024, 6, 4)) is None


def test_calendar_names_say_which_days_are_closed() -> None:
    assert CAL.name == CALENDAR_NAME_EXTRA == "Danske helligdage + grundlovsdag, juleaften, nytårsaften"
    assert PUBLIC.name == CALENDAR_NAME_PUBLIC == "Danske helligdage"


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        (CAL, D(2024, 6, 3), 5, D(2024, 6, 11)),  # Grundlovsdag skipped
        (PUBLIC, D(2024, 6, 3), 5, D(2024, 6, 10)),
        (CAL, D(2024, 3, 27), 1, D(2024, 4, 2)),  # over Easter
        (CAL, D(2024, 5, 8), 1, D(2024, 5, 10)),  # over Kristi himmelfart
        (CAL, D(2024, 12, 23), 1, D(2024, 12, 27)),  # over Christmas
        (PUBLIC, D(2024, 12, 23), 1, D(2024, 12, 24)),
        (CAL, D(2024, 12, 30), 1, D(2025, 1, 2)),  # across New Year
        (PUBLIC, D(2024, 12, 30), 1, D(2024, 12, 31)),
        (CAL, D(2024, 6, 7), 1, D(2024, 6, 10)),  # Friday → Monday
        (CAL, D(2024, 6, 8), 1, D(2024, 6, 10)),  # from a Saturday
        (CAL, D(2024, 6, 8), 0, D(2024, 6, 8)),  # day 0 is the start itself
        (CAL, D(2024, 4, 2), -1, D(2024, 3, 27)),  # counting back over Easter
        (CAL, D(2025, 1, 2), -2, D(2024, 12, 27)),  # counting back across New Year
        (CAL, D(2024, 1, 2), 260, CAL.add_working_days(D(2024, 1, 2), 260)),  # many years' tables
    ],
)
def test_add_working_days(calendar: WorkCalendar, start: date, n: int, expected: date) -> None:
    assert calendar.add_working_days(start, n) == expected


def test_add_working_days_spans_several_years() -> None:
    end = CAL.add_working_days(D(2022, 12, 30), 600)
    assert CAL.working_days_between(D(2022, 12, 30), end) == 600
    assert end.year == 2025


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 6, 4), D(2024, 6, 4)),  # a working day is itself
        (D(2024, 6, 9), D(2024, 6, 7)),  # Sunday → Friday
        (D(2024, 4, 1), D(2024, 3, 27)),  # Anden påskedag → Wednesday before Skærtorsdag
        (D(2024, 6, 5), D(2024, 6, 4)),  # Grundlovsdag
        (D(2025, 1, 1), D(2024, 12, 30)),  # over nytårsaften into the old year
    ],
)
def test_previous_working_day(day: date, expected: date) -> None:
    assert CAL.previous_working_day(day) == expected


def test_previous_working_day_without_extra_closing_days() -> None:
    assert PUBLIC.previous_working_day(D(2024, 6, 5)) == D(2024, 6, 5)
    assert PUBLIC.previous_working_day(D(2025, 1, 1)) == D(2024, 12, 31)


def test_next_working_day() -> None:
    assert CAL.next_working_day(D(2024, 12, 24)) == D(2024, 12, 27)
    assert CAL.next_working_day(D(2024, 12, 27)) == D(2024, 12, 27)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2024, 6, 3), D(2024, 6, 3), 0),
        (D(2024, 6, 3), D(2024, 6, 11), 5),  # start excluded, end included, Grundlovsdag skipped
        (D(2023, 12, 20), D(2024, 1, 5), 9),  # across New Year and Christmas
        (D(2024, 6, 11), D(2024, 6, 3), -5),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert CAL.working_days_between(start, end) == expected


def test_working_days_lists_inclusive_range() -> None:
    assert CAL.working_days(D(2024, 6, 3), D(2024, 6, 7)) == [
        D(2024, 6, 3),
        D(2024, 6, 4),
        D(2024, 6, 6),
        D(2024, 6, 7),
    ]


def test_local_date_uses_copenhagen_time() -> None:
    """A moment late in the UTC evening is already the next day in Denmark (summer time, UTC+2)."""
    assert local_date(datetime(2024, 5, 27, 22, 30, tzinfo=UTC)) == D(2024, 5, 28)
    assert local_date(datetime(2024, 1, 15, 22, 30, tzinfo=UTC)) == D(2024, 1, 15)
    assert local_date(datetime(2024, 1, 15, 23, 30, tzinfo=UTC)) == D(2024, 1, 16)


def test_year_tables_are_cached() -> None:
    calendar = WorkCalendar()
    calendar.is_working_day(D(2026, 3, 2))
    table = calendar._years[2026]
    calendar.add_working_days(D(2026, 3, 2), 5)
    assert calendar._years[2026] is table


@given(days, counts)
def test_add_then_count_round_trips(start: date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(days, st.integers(min_value=1, max_value=400))
def test_result_is_never_a_closed_day(start: date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(start, n))
    assert CAL.is_working_day(CAL.add_working_days(start, -n))


@given(days, counts)
def test_add_working_days_is_strictly_monotonic_in_n(start: date, n: int) -> None:
    assert CAL.add_working_days(start, n) < CAL.add_working_days(start, n + 1)


@given(days, st.integers(min_value=1, max_value=60))
def test_backwards_and_forwards_are_inverse_on_working_days(start: date, n: int) -> None:
    day = CAL.next_working_day(start)
    assert CAL.add_working_days(CAL.add_working_days(day, n), -n) == day


@given(days, st.integers(min_value=-60, max_value=400))
def test_working_days_between_matches_counting_one_by_one(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    lo, hi = min(start, end), max(start, end)
    brute = sum(CAL.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert CAL.working_days_between(start, end) == (brute if end >= start else -brute)


@given(days)
def test_previous_working_day_is_the_closest_earlier_working_day(day: date) -> None:
    result = CAL.previous_working_day(day)
    assert result <= day and CAL.is_working_day(result)
    assert all(not CAL.is_working_day(result + timedelta(days=i)) for i in range(1, (day - result).days + 1))


@given(days)
def test_working_day_is_weekday_minus_library_holidays_and_extras(day: date) -> None:
    public = day in holidays.DK(years=day.year)
    extra = (day.month, day.day) in {(6, 5), (12, 24), (12, 31)}
    assert PUBLIC.is_working_day(day) is (day.weekday() < 5 and not public)
    assert CAL.is_working_day(day) is (day.weekday() < 5 and not public and not extra)
