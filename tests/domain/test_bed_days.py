"""Bed days færdigmeldt and their cost (B5, §238; counting rule in bed_days.py): one per midnight."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from engine_helpers import admission, ev
from hypothesis import given
from hypothesis import strategies as st

from coordinator_app.domain.bed_days import BedDayRates, RateBand, bed_day_cost, bed_days
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Event, EventKind

K = EventKind
D = date
ADMITTED = D(2024, 5, 1)
RATES = BedDayRates({2024: Decimal("2000"), 2025: Decimal("2100")})


def events(*pairs: tuple[EventKind, date]) -> list[Event]:
    return [ev(kind, day) for kind, day in pairs]


def test_faerdigmeldt_monday_discharged_wednesday_is_2_bed_days() -> None:
    history = events((K.FAERDIGMELDING, D(2024, 6, 10)), (K.DISCHARGE, D(2024, 6, 12)))
    assert bed_days(admission(ADMITTED), history, D(2024, 6, 20)) == 2


def test_faerdigmeldt_and_discharged_the_same_day_is_0() -> None:
    history = events((K.FAERDIGMELDING, D(2024, 6, 10)), (K.DISCHARGE, D(2024, 6, 10)))
    assert bed_days(admission(ADMITTED), history, D(2024, 6, 20)) == 0


@pytest.mark.parametrize(("today", "days"), [(D(2024, 6, 10), 0), (D(2024, 6, 11), 1), (D(2024, 6, 13), 3)])
def test_still_admitted_counts_the_midnights_until_today(today: date, days: int) -> None:
    assert bed_days(admission(ADMITTED), events((K.FAERDIGMELDING, D(2024, 6, 10))), today) == days


def test_days_i_bero_do_not_count_b6() -> None:
    history = events(
        (K.FAERDIGMELDING, D(2024, 6, 1)),
        (K.I_BERO, D(2024, 6, 5)),  # 1–4 June: 4 days
        (K.GENOPTAGET, D(2024, 6, 8)),  # 8–9 June: 2 days
        (K.DISCHARGE, D(2024, 6, 10)),
    )
    assert bed_days(admission(ADMITTED), history, D(2024, 6, 30)) == 6


def test_days_after_afmelding_do_not_count_until_a_new_faerdigmelding_b7() -> None:
    history = events(
        (K.FAERDIGMELDING, D(2024, 6, 1)),
        (K.AFMELDING, D(2024, 6, 3)),  # 2 days
        (K.FAERDIGMELDING, D(2024, 6, 20)),
        (K.DISCHARGE, D(2024, 6, 25)),  # 5 days
    )
    assert bed_days(admission(ADMITTED), history, D(2024, 6, 30)) == 7


def test_never_faerdigmeldt_has_no_bed_days() -> None:
    assert bed_days(admission(ADMITTED), events((K.DISCHARGE, D(2024, 6, 1))), D(2024, 6, 30)) == 0


def test_cost_uses_the_rate_of_the_year_and_says_which() -> None:
    history = events((K.FAERDIGMELDING, D(2024, 12, 29)), (K.DISCHARGE, D(2025, 1, 2)))
    cost = bed_day_cost(admission(D(2024, 12, 1)), history, D(2025, 1, 10), RATES)
    assert cost.days == 4
    assert [(line.year, line.rate_year, line.days, line.rate) for line in cost.lines] == [
        (2024, 2024, 3, Decimal("2000")),
        (2025, 2025, 1, Decimal("2100")),
    ]
    assert cost.total == Decimal("8100")


def test_cost_bands_days_1_to_2_and_from_day_3() -> None:
    rates = BedDayRates({2024: [RateBand(1, Decimal("0")), RateBand(3, Decimal("2500"))]})
    history = events((K.FAERDIGMELDING, D(2024, 6, 1)), (K.DISCHARGE, D(2024, 6, 6)))
    cost = bed_day_cost(admission(ADMITTED), history, D(2024, 6, 30), rates)
    assert [(line.from_day, line.days, line.amount) for line in cost.lines] == [
        (1, 2, Decimal("0")),
        (3, 3, Decimal("7500")),
    ]
    assert cost.total == Decimal("7500")


def test_missing_year_uses_the_latest_earlier_rate_and_says_so() -> None:
    history = events((K.FAERDIGMELDING, D(2026, 3, 1)), (K.DISCHARGE, D(2026, 3, 3)))
    cost = bed_day_cost(admission(D(2026, 2, 1)), history, D(2026, 3, 10), RATES)
    assert [(line.year, line.rate_year) for line in cost.lines] == [(2026, 2025)]
    assert cost.total == Decimal("4200")


def test_no_rate_for_the_year_or_before_is_a_danish_validation_error() -> None:
    history = events((K.FAERDIGMELDING, D(2023, 3, 1)), (K.DISCHARGE, D(2023, 3, 3)))
    with pytest.raises(ValidationError, match="ingen sengedagstakst for 2023"):
        bed_day_cost(admission(D(2023, 2, 1)), history, D(2023, 3, 10), RATES)


@pytest.mark.parametrize(
    "rates",
    [{2024: [RateBand(3, Decimal("1"))]}, {2024: Decimal("-1")}, {2024: []}],
)
def test_rate_tables_must_start_at_day_1_and_not_be_negative(rates: dict[int, object]) -> None:
    with pytest.raises(ValidationError):
        BedDayRates(rates)  # type: ignore[arg-type]


def test_no_bed_days_costs_nothing() -> None:
    cost = bed_day_cost(admission(ADMITTED), [], D(2024, 6, 1), RATES)
    assert (cost.days, cost.total, cost.lines) == (0, Decimal(0), ())


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=30), st.integers(0, 30))
def test_bed_days_never_exceed_the_days_between_faerdigmelding_and_discharge(
    before_bero: int, bero: int, after: int
) -> None:
    start = D(2024, 2, 1)
    history = events(
        (K.FAERDIGMELDING, start),
        (K.I_BERO, start + timedelta(days=before_bero)),
        (K.GENOPTAGET, start + timedelta(days=before_bero + bero)),
        (K.DISCHARGE, start + timedelta(days=before_bero + bero + after)),
    )
    assert bed_days(admission(D(2024, 1, 1)), history, D(2025, 1, 1)) == before_bero + after
