"""Bed days færdigmeldt and what they cost the kommune (B5, sundhedsloven §238; measure H).

Counting rule — one bed day per **midnight** the patient spends færdigmeldt (the LPR convention for length of
stay, "antal midnatter"):

* a færdigmeldt period counts the calendar days ``d`` with ``start <= d < end``: the færdigmelding day counts,
  the discharge day does not (færdigmeldt Monday, discharged Wednesday = 2 bed days; færdigmeldt and
  discharged the same day = 0);
* days i bero (B6) do not count: i bero on day ``b`` ends the period (``b`` not counted), genoptaget on day
  ``g`` starts a new one (``g`` counted);
* an afmelding (B7) ends the period the same way; a new færdigmelding starts a new one;
* while still admitted the open period ends at ``today`` (not counted: tonight's midnight has not passed).

Cost: each bed day is priced at the rate of its own calendar year (``BedDayRates``, year → rate or rate
bands); bands number the admission's færdigmeldt days 1, 2, 3 … across all its periods. When a year has no
rate, the latest earlier year's rate is used and the line says so (``rate_year``). No amount lives in code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Admission, Event
from coordinator_app.domain.process import Period, ProcessState, replay

FIELD = "bed_day_rate"


@dataclass(frozen=True, slots=True)
class RateBand:
    """``amount`` per bed day from færdigmeldt day number ``from_day`` (1-based) onwards."""

    from_day: int
    amount: Decimal


class BedDayRates:
    """Year → rate (one amount, or bands such as days 1–2 at one rate and from day 3 at another)."""

    def __init__(self, rates: Mapping[int, Decimal | Sequence[RateBand]]) -> None:
        table: dict[int, tuple[RateBand, ...]] = {}
        for year, rate in rates.items():
            if isinstance(rate, Decimal):
                bands: tuple[RateBand, ...] = (RateBand(1, rate),)
            else:
                bands = tuple(sorted(rate, key=lambda b: b.from_day))
            if not bands or bands[0].from_day != 1:
                raise ValidationError(f"Sengedagstaksten for {year} skal gælde fra dag 1.", field=FIELD)
            if any(b.amount < 0 for b in bands):
                raise ValidationError(f"Sengedagstaksten for {year} kan ikke være negativ.", field=FIELD)
            table[year] = bands
        self._table = table

    def rate_year(self, year: int) -> int:
        """The table year used for ``year``: itself, else the latest earlier year with a rate."""
        known = [y for y in self._table if y <= year]
        if not known:
            raise ValidationError(
                f"Der er ingen sengedagstakst for {year} eller tidligere. Angiv taksten under Indstillinger.",
                field=FIELD,
                rule="B5",
            )
        return max(known)

    def amount(self, year: int, day_number: int) -> tuple[int, RateBand]:
        used = self.rate_year(year)
        band = [b for b in self._table[used] if b.from_day <= day_number][-1]
        return used, band


@dataclass(frozen=True, slots=True)
class CostLine:
    year: int  # calendar year of the bed days
    rate_year: int  # the table year whose rate was used
    from_day: int  # band start (færdigmeldt day number)
    days: int
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class BedDayCost:
    days: int
    total: Decimal
    lines: tuple[CostLine, ...]


def _period_days(period: Period, today: date) -> list[date]:
    end = period.end if period.end is not None else today
    return [period.start + timedelta(days=i) for i in range((end - period.start).days)]


def bed_day_dates(state: ProcessState, today: date) -> list[date]:
    """Each færdigmeldt bed day of the admission, by the counting rule above."""
    out: list[date] = []
    for period in state.faerdigmeldt_periods:
        out.extend(_period_days(period, today))
    return out


def bed_days(admission: Admission, events: Sequence[Event], today: date) -> int:
    """Number of bed days færdigmeldt (B5); ``today`` closes a period that is still open."""
    return len(bed_day_dates(replay(admission, events), today))


def bed_day_cost(admission: Admission, events: Sequence[Event], today: date, rates: BedDayRates) -> BedDayCost:
    """What the færdigmeldt bed days cost the kommune, line by year and band (§238)."""
    days = bed_day_dates(replay(admission, events), today)
    grouped: dict[tuple[int, int, int], tuple[int, Decimal]] = {}
    for number, day in enumerate(days, start=1):
        rate_year, band = rates.amount(day.year, number)
        key = (day.year, rate_year, band.from_day)
        count, _ = grouped.get(key, (0, band.amount))
        grouped[key] = (count + 1, band.amount)
    lines = tuple(
        CostLine(year, rate_year, from_day, count, rate, rate * count)
        for (year, rate_year, from_day), (count, rate) in grouped.items()
    )
    return BedDayCost(days=len(days), total=sum((line.amount for line in lines), Decimal(0)), lines=lines)
