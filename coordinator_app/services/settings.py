"""The settings the Statistik and the deadlines depend on (Indstillinger), kept in the database's ``app_meta``.

* the ward's **bed-day rate** for færdigmeldte patients (B5, sundhedsloven § 238) — below;
* the **calendar and rule units** (docs/regler.md, *Sådan tælles fristerne*): the extra closing days on or off, and each
  day-counting rule in dage or hverdage (``CalendarSettings``; ``build_calendar_and_rules`` at start-up);
* the ward's **sender profile** (``ward.py``) with its fields checked, and the **centres and wards** list.

The bed-day rate:

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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.bed_days import BedDayRates, RateBand
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.reference import Centre, danish_sort_key
from coordinator_app.domain.rules import RULES, RULES_BY_KEY, RuleOverride, RuleSettings, Unit
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.infra.resources import load_centres
from coordinator_app.lazy import lazy_import
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.ward import DEFAULT_TITLE, WardProfile, save_profile

if TYPE_CHECKING:
    from coordinator_app.services import contacts
    from coordinator_app.storage import reads, repositories
else:  # the first screen reads the settings before the storage layer (and the Kontaktbog's rules) load
    contacts = lazy_import("coordinator_app.services.contacts")
    repositories = lazy_import("coordinator_app.storage.repositories")
    reads = lazy_import("coordinator_app.storage.reads")

__all__ = [
    "DAY_UNITS",
    "DEFAULT_RATES",
    "DEFAULT_SOURCE",
    "MAX_RATE",
    "MAX_YEAR",
    "MIN_YEAR",
    "CalendarSettings",
    "RateSetting",
    "add_ward",
    "build_calendar_and_rules",
    "centre_list",
    "format_kroner",
    "load_calendar_settings",
    "load_rate_setting",
    "load_rates",
    "parse_amount",
    "rates_from_rows",
    "save_calendar_settings",
    "save_rates",
    "unit_rules",
    "update_ward_profile",
    "use_calendar_settings",
]

log = logging.getLogger("koordinator.services.settings")

META_KEY = "bed_day_rates"
MIN_YEAR, MAX_YEAR = 2000, 2100
#: A typing-error guard, far above any region's takst (a few thousand kroner per bed day).
MAX_RATE = Decimal(100_000)
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
    """Store the ward's rates (year → amount or bands). ``ValidationError`` (Danish) on a bad table: no rate,
    a year outside 2000–2100, an amount that is not above 0 kr., or a year whose rate does not start at day 1."""
    require(ctx, Permission.MANAGE_SETTINGS)
    if not rates:
        raise ValidationError("Angiv mindst én sengedagstakst.", field="bed_day_rate", rule="B5")
    for year, rate in rates.items():
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                f"Året {year} ligger uden for {MIN_YEAR}–{MAX_YEAR}.", field="bed_day_rate", rule="B5"
            )
        amounts = [rate] if isinstance(rate, Decimal) else [b.amount for b in rate]
        if any(not a.is_finite() or a > MAX_RATE for a in amounts):  # NaN cannot even be compared with 0
            raise ValidationError(
                f"Sengedagstaksten for {year} skal være et beløb mellem 0 og {format_kroner(MAX_RATE)}.",
                field="bed_day_rate",
                rule="B5",
            )
        if any(a <= 0 for a in amounts):
            raise ValidationError(
                f"Sengedagstaksten for {year} skal være større end 0 kr.", field="bed_day_rate", rule="B5"
            )
    BedDayRates(rates)
    table: dict[str, list[list[int | str]]] = {}
    for year, rate in sorted(rates.items()):
        bands = [RateBand(1, rate)] if isinstance(rate, Decimal) else sorted(rate, key=lambda b: b.from_day)
        table[str(year)] = [[b.from_day, str(b.amount)] for b in bands]
    source = validation.optional_text(source, field="source", label="Kilden", multiline=False) or ""
    ctx.database.set_meta(META_KEY, json.dumps({"rates": table, "source": source}, ensure_ascii=False))


# -- the rate table as typed in Indstillinger -------------------------------------------------------------

_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_amount(text: str) -> Decimal | None:
    """A Danish amount as typed: ``"1.976"``, ``"1976,50"``, ``"2.150,00 kr."``, ``"1976.5"`` → ``Decimal``.

    A dot before exactly three digits (``1.976``) is a thousands separator, as Danes write it; otherwise a
    dot is taken as a decimal point. ``None`` when the text is not a number.
    """
    value = text.strip().removesuffix("kr.").removesuffix("kr").replace(" ", "").replace("\u00a0", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif _THOUSANDS.fullmatch(value):
        value = value.replace(".", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def rates_from_rows(rows: Sequence[tuple[str, str, str]]) -> dict[int, tuple[RateBand, ...]]:
    """The rate table from the rows typed in Indstillinger: (år, fra dag, beløb) as text; blank rows skipped.

    ``ValidationError`` (Danish, ``field="rate_row:<index>"``) for the first row that is not usable: a year
    outside 2000–2100, a day number below 1, an amount that is not above 0 kr. (or above ``MAX_RATE``, a
    typing error), more than two decimals, or the same year and day twice. A year's rate must start at day 1.
    """
    table: dict[int, dict[int, tuple[int, Decimal]]] = {}
    for index, (year_text, day_text, amount_text) in enumerate(rows):
        if not (year_text.strip() or day_text.strip() or amount_text.strip()):
            continue
        where = f"Række {index + 1}"
        fld = f"rate_row:{index}"
        year = _int(year_text)
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                f"{where}: Året skal være et årstal mellem {MIN_YEAR} og {MAX_YEAR} (fx 2026).", field=fld, rule="B5"
            )
        day = _int(day_text) if day_text.strip() else 1
        if day is None or day < 1:
            raise ValidationError(
                f"{where}: »Fra dag« skal være et helt tal på 1 eller mere (dag 1 er første færdigmeldte dag).",
                field=fld,
                rule="B5",
            )
        amount = parse_amount(amount_text)
        if amount is None or amount <= 0:
            raise ValidationError(
                f"{where}: Beløbet skal være et tal over 0 kr. (fx 2.150 eller 2150,50).", field=fld, rule="B5"
            )
        if amount > MAX_RATE:
            raise ValidationError(
                f"{where}: {format_kroner(amount)} pr. sengedag er mere end {format_kroner(MAX_RATE)}. "
                "Ret beløbet (er der en tastefejl?).",
                field=fld,
                rule="B5",
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(f"{where}: Beløbet kan højst have to decimaler (øre).", field=fld, rule="B5")
        typed = table.setdefault(year, {})
        if day in typed:
            raise ValidationError(
                f"{where}: {year} har allerede en takst fra dag {day} (række {typed[day][0] + 1}).",
                field=fld,
                rule="B5",
            )
        typed[day] = (index, amount)
    out = {
        year: tuple(RateBand(day, amount) for day, (_i, amount) in sorted(typed.items()))
        for year, typed in sorted(table.items())
    }
    for year, bands in out.items():
        if bands[0].from_day != 1:
            first = table[year][bands[0].from_day][0]
            raise ValidationError(
                f"Række {first + 1}: Taksten for {year} skal gælde fra dag 1. Tilføj en række for {year} fra dag 1.",
                field=f"rate_row:{first}",
                rule="B5",
            )
    return out


def _int(text: str) -> int | None:
    """A whole number as typed, or ``None``: ``isdigit`` also accepts "²", which ``int`` refuses, and a typed
    number longer than nine digits is no year or day (``int`` even refuses thousands of digits)."""
    value = text.strip()
    return int(value) if value.isdecimal() and len(value) <= 9 else None


# -- calendar and rule units (docs/regler.md) -------------------------------------------------

CALENDAR_META_KEY = "calendar_rules"
#: The units a day-counting rule may be set to: calendar days ("dage") or working days ("hverdage").
DAY_UNITS = (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS)


def unit_rules() -> tuple[str, ...]:
    """Keys of the rules whose unit is a setting: those counting a number of days and saying so (B5's "8 dage",
    C2–C4's "5 arbejdsdage", D3, D5). Hour and week rules (A4, D1, G1, G3), same-day duties and G2's "hver
    14. dag" (a rhythm, not a count of days) keep their unit."""
    return tuple(r.key for r in RULES if r.unit in DAY_UNITS and (r.offset or 0) > 0 and "{unit}" in r.text)


@dataclass(frozen=True)
class CalendarSettings:
    """The working-day calendar and the rules' units; defaults are the 2022 adult agreement's.

    ``units`` holds only the rules whose unit differs from the agreement (rule key → unit).
    """

    extra_closing_days: bool = True  # grundlovsdag, juleaften, nytårsaften (``workdays.EXTRA_CLOSING_DAYS``)
    units: Mapping[str, Unit] = field(default_factory=dict)

    def unit(self, key: str) -> Unit:
        base = RULES_BY_KEY[key].unit
        assert base is not None
        return self.units.get(key, base)

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(extra_closing_days=self.extra_closing_days)

    def rules(self) -> RuleSettings:
        return RuleSettings({key: RuleOverride(unit=unit) for key, unit in self.units.items()})

    @classmethod
    def child_psychiatry(cls, extra_closing_days: bool = True) -> CalendarSettings:
        """The child-psychiatry agreement: varsling 8 *hverdage* before færdigbehandlet (B5)."""
        overrides = RuleSettings.child_psychiatry().overrides
        return cls(extra_closing_days, {k: o.unit for k, o in overrides.items() if o.unit is not None})


def _normalised(settings: CalendarSettings) -> CalendarSettings:
    """Only the units that differ from the agreement; ``ValidationError`` for a rule whose unit is fixed."""
    allowed = unit_rules()
    units: dict[str, Unit] = {}
    for key, unit in settings.units.items():
        if key not in allowed:
            raise ValidationError(f"Reglen »{key}« har ikke en enhed, der kan vælges.", field="units")
        if Unit(unit) not in DAY_UNITS:
            rule = RULES_BY_KEY[key]
            raise ValidationError(
                f"{rule.rule_id}: enheden kan kun være dage eller hverdage (arbejdsdage).", field="units"
            )
        if Unit(unit) != RULES_BY_KEY[key].unit:
            units[key] = Unit(unit)
    return CalendarSettings(bool(settings.extra_closing_days), dict(sorted(units.items())))


def load_calendar_settings(ctx: ServiceContext) -> CalendarSettings:
    """The stored calendar and units; the agreement's defaults when none are stored or unreadable (logged)."""
    raw = ctx.database.get_meta(CALENDAR_META_KEY)
    if not raw:
        return CalendarSettings()
    try:
        data = json.loads(raw)
        units = {str(k): Unit(v) for k, v in dict(data.get("units", {})).items()}
        allowed = set(unit_rules())
        dropped = sorted(set(units) - allowed)
        if dropped:
            log.warning("calendar settings: ignoring units for rules that no longer have one: %s", dropped)
        extra = data.get("extra_closing_days", True)
        if not isinstance(extra, bool):
            raise TypeError("extra_closing_days")
        return _normalised(CalendarSettings(extra, {k: u for k, u in units.items() if k in allowed}))
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        log.warning("calendar settings unreadable; using the agreement's defaults")
        return CalendarSettings()


def save_calendar_settings(ctx: ServiceContext, settings: CalendarSettings) -> CalendarSettings:
    """Store the calendar and units (for every workstation on the database); returns what was stored.

    ``ctx`` takes them at once (``use_calendar_settings``): every deadline computed from now on — the list, I dag,
    Færdigmeldte, Statistik, plans, scenarios — counts with them, and the deadline caches start afresh. Other
    workstations take them at their next start."""
    require(ctx, Permission.MANAGE_SETTINGS)
    stored = _normalised(settings)
    data = {"extra_closing_days": stored.extra_closing_days, "units": {k: u.value for k, u in stored.units.items()}}
    ctx.database.set_meta(CALENDAR_META_KEY, json.dumps(data))
    use_calendar_settings(ctx, stored)
    return stored


def use_calendar_settings(ctx: ServiceContext, settings: CalendarSettings) -> tuple[WorkCalendar, RuleSettings]:
    """Put ``settings``' calendar and rules on ``ctx`` (new objects: caches keyed on them recompute)."""
    ctx.calendar, ctx.rules = settings.calendar(), settings.rules()
    return ctx.calendar, ctx.rules


def build_calendar_and_rules(ctx: ServiceContext) -> tuple[WorkCalendar, RuleSettings]:
    """The working-day calendar and rule settings the stored settings ask for, put on ``ctx`` (which every service
    computing a deadline reads) and returned — call once at start-up."""
    return use_calendar_settings(ctx, load_calendar_settings(ctx))


# -- the ward's sender profile (F3) ------------------------------------------------------------------------

MAX_TITLE = 100


def update_ward_profile(ctx: ServiceContext, *, phone: str, secure_mail: str, coordinator_title: str) -> WardProfile:
    """Check and store the sender printed on every document; ``ValidationError`` with the field when refused."""
    require(ctx, Permission.MANAGE_SETTINGS)
    title = validation.single_line(coordinator_title, field="coordinator_title", label="Titlen")
    if not title:
        raise ValidationError(f"Titlen skal udfyldes (fx {DEFAULT_TITLE}).", field="coordinator_title")
    if len(title) > MAX_TITLE:
        raise ValidationError(
            f"Titlen er for lang ({len(title)} tegn); højst {MAX_TITLE} tegn.", field="coordinator_title"
        )
    profile = WardProfile(
        phone=contacts.check_phone(phone, field="phone", label="Afsnittets telefonnummer"),
        secure_mail=contacts.check_email(secure_mail, field="secure_mail", label="Afsnittets sikre postkasse"),
        coordinator_title=title,
    )
    save_profile(ctx, profile)
    return profile


# -- centres and wards ---------------------------------------------------------------------------------------

MAX_CENTRE = 200
MAX_WARD = 100
_NUMBER = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key: "Afsnit 7" before "Afsnit 14"; words in Danish order."""
    return tuple((int(p), "") if p.isdigit() else (-1, danish_sort_key(p)) for p in _NUMBER.split(text) if p)


def _centres(table: Mapping[str, Sequence[str]]) -> list[Centre]:
    return [
        Centre(name=name, wards=tuple(sorted(wards, key=_natural)))
        for name, wards in sorted(table.items(), key=lambda item: _natural(item[0]))
    ]


def centres_from(table: Mapping[str, Sequence[str]]) -> list[Centre]:
    """The centres and wards of the database's table (``CentreRepository.all``), or ``centre.csv``'s while the
    table is empty (nobody has edited the list yet)."""
    return _centres(table or {c.name: c.wards for c in load_centres()})


def centre_list(ctx: ServiceContext) -> list[Centre]:
    """The centres and wards: the database's list once someone has edited it, else ``centre.csv``'s."""
    with ctx.database.connect() as connection:  # Core: no ORM at start (issue 15)
        return centres_from(reads.centres(connection))


def add_ward(ctx: ServiceContext, centre: str, ward: str = "") -> list[Centre]:
    """Add a centre, or a ward to a centre (new or known); returns the list. Nothing is removed: admissions name
    their ward. The first edit copies ``centre.csv``'s list into the database so no centre disappears."""
    require(ctx, Permission.MANAGE_SETTINGS)
    centre_name = validation.single_line(centre, field="centre", label="Centrets navn")
    ward_name = validation.single_line(ward, field="ward", label="Afsnittets navn")
    if not centre_name:
        raise ValidationError("Skriv centrets navn (fx Psykiatrisk Center København).", field="centre")
    if len(centre_name) > MAX_CENTRE:
        raise ValidationError(f"Centrets navn er for langt; højst {MAX_CENTRE} tegn.", field="centre")
    if len(ward_name) > MAX_WARD:
        raise ValidationError(f"Afsnittets navn er for langt; højst {MAX_WARD} tegn.", field="ward")
    with ctx.database.session() as session:
        repo = repositories.CentreRepository(session)
        table = repo.all()
        if not table:
            for known in load_centres():
                repo.save(known.name, known.wards)
            table = repo.all()
        same = {name.casefold(): name for name in table}
        existing = same.get(centre_name.casefold())
        if existing is not None:
            wards = {w.casefold() for w in table[existing]}
            if not ward_name:
                raise ValidationError(f"Centret »{existing}« findes allerede.", field="centre")
            if ward_name.casefold() in wards:
                raise ValidationError(f"Afsnittet »{ward_name}« findes allerede under {existing}.", field="ward")
            centre_name = existing
        repo.save(centre_name, [ward_name] if ward_name else [])
        table = repo.all()
    return _centres(table)
