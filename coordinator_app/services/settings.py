"""The ward's bed-day rate for færdigmeldte patients (B5, sundhedsloven § 238), kept in ``app_meta``.

Stored in the database (like ``ward.py``'s sender profile) so every workstation sharing a database prices bed
days the same way. The JSON is ``{"rates": {"2025": [[1, "2000.00"], [3, "2500.00"]]}, "source": "…"}``: year
→ bands (færdigmeldt day number from which an amount applies, ``bed_days.RateBand``).

**Default when nothing is configured.** We could not verify the region's actual takst for any year, so the
default is the one figure the law itself states: the payment "kan maksimalt udgøre 1.976 kr. (2016-niveau)" per
bed day (sundhedsloven § 238, stk. 4, as worded by lov nr. 1737 af 27. december 2016), a *ceiling* that is
price-and-wage adjusted each year. It is labelled as such wherever a cost is shown, with the request to enter
the year's takst under Indstillinger. Bed days before 2016 have no default rate (``bed_days`` reports them).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from coordinator_app.bed_days import BedDayRates, RateBand
from coordinator_app.errors import ValidationError
from coordinator_app.services.context import ServiceContext

__all__ = [
    "DEFAULT_RATES",
    "DEFAULT_SOURCE",
    "RateSetting",
    "format_kroner",
    "load_rate_setting",
    "load_rates",
    "save_rates",
]

log = logging.getLogger("koordinator.services.settings")

META_KEY = "bed_day_rates"
DEFAULT_RATES: dict[int, tuple[RateBand, ...]] = {2016: (RateBand(1, Decimal("1976")),)}
DEFAULT_SOURCE = (
    "Lovens loft: højst 1.976 kr. pr. sengedag (2016-niveau), sundhedsloven § 238, stk. 4 "
    "(lov nr. 1737 af 27. december 2016); beløbet pris- og lønreguleres årligt og er ikke årets takst"
)


def format_kroner(amount: Decimal) -> str:
    """Danish amount: ``Decimal("12345.5")`` → ``"12.345,50 kr."`` (whole kroner without decimals)."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return text.replace(",", "#").replace(".", ",").replace("#", ".") + " kr."


@dataclass(frozen=True)
class RateSetting:
    """The configured rate table, where it comes from, and whether it is the unconfigured default."""

    rates: Mapping[int, tuple[RateBand, ...]]
    source: str
    is_default: bool

    def table(self) -> BedDayRates:
        return BedDayRates(dict(self.rates))

    @property
    def label(self) -> str:
        """Danish, shown next to every cost: the rate(s) and their source."""
        parts = []
        for year in sorted(self.rates):
            bands = self.rates[year]
            if len(bands) == 1:
                parts.append(f"{year}: {format_kroner(bands[0].amount)}")
            else:
                steps = ", ".join(f"fra dag {b.from_day} {format_kroner(b.amount)}" for b in bands)
                parts.append(f"{year}: {steps}")
        rates = "; ".join(parts)
        if self.is_default:
            return f"Sats: {rates} pr. sengedag ({self.source} – angiv årets takst i Indstillinger)"
        source = f" (kilde: {self.source})" if self.source else ""
        return f"Sats pr. sengedag: {rates}{source}"


def _default() -> RateSetting:
    return RateSetting(rates=dict(DEFAULT_RATES), source=DEFAULT_SOURCE, is_default=True)


def _parse(raw: str) -> RateSetting:
    data = json.loads(raw)
    table: dict[int, tuple[RateBand, ...]] = {}
    for year, bands in data["rates"].items():
        parsed = (RateBand(int(day), Decimal(str(amount))) for day, amount in bands)
        table[int(year)] = tuple(sorted(parsed, key=lambda b: b.from_day))
    BedDayRates(table)  # validates: starts at day 1, no negative amounts
    if not table:
        raise ValueError("no rates")
    return RateSetting(rates=table, source=str(data.get("source", "")), is_default=False)


def load_rate_setting(ctx: ServiceContext) -> RateSetting:
    """The stored setting; the documented default when none is stored or it cannot be read (logged)."""
    raw = ctx.database.get_meta(META_KEY)
    if not raw:
        return _default()
    try:
        return _parse(raw)
    except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation, ValidationError):
        log.warning("bed-day rate setting unreadable; using the default")
        return _default()


def load_rates(ctx: ServiceContext) -> BedDayRates:
    return load_rate_setting(ctx).table()


def save_rates(ctx: ServiceContext, rates: Mapping[int, Decimal | Sequence[RateBand]], source: str = "") -> None:
    """Store the ward's rates (year → amount or bands). ``ValidationError`` (Danish) on a bad table."""
    if not rates:
        raise ValidationError("Angiv mindst én sengedagstakst.", field="bed_day_rate", rule="B5")
    BedDayRates(rates)
    table: dict[str, list[list[int | str]]] = {}
    for year, rate in sorted(rates.items()):
        bands = [RateBand(1, rate)] if isinstance(rate, Decimal) else sorted(rate, key=lambda b: b.from_day)
        table[str(year)] = [[b.from_day, str(b.amount)] for b in bands]
    ctx.database.set_meta(META_KEY, json.dumps({"rates": table, "source": source}, ensure_ascii=False))
