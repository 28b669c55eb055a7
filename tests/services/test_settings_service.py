"""Indstillinger (issue 7) on SQLite and PostgreSQL: the bed-day rate as typed (Danish amounts, refused rows),
the calendar and rule units (docs/regler.md, *Sådan tælles fristerne*) stored in app_meta and turned into the
calendar and rule settings at start-up, the ward's sender profile checked, and the centres and wards list."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from coordinator_app.domain.bed_days import RateBand
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.rules import Unit, apply_offset
from coordinator_app.infra.resources import load_centres
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.settings import (
    CALENDAR_META_KEY,
    CalendarSettings,
    add_ward,
    build_calendar_and_rules,
    centre_list,
    load_calendar_settings,
    load_rate_setting,
    parse_amount,
    rates_from_rows,
    save_calendar_settings,
    save_rates,
    unit_rules,
    update_ward_profile,
)
from coordinator_app.services.ward import WardProfile, load_profile

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(database) -> ServiceContext:
    return ServiceContext(database=database, clock=fixed_clock(NOW), user="koordinator.test")


# -- bed-day rate --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.976", Decimal("1976")),
        ("1976", Decimal("1976")),
        ("2150,50", Decimal("2150.50")),
        ("2.150,50 kr.", Decimal("2150.50")),
        ("1976.5", Decimal("1976.5")),
        (" 2 150 ", Decimal("2150")),
        ("to tusind", None),
        ("", None),
    ],
)
def test_amounts_are_read_as_danes_write_them(text: str, amount: Decimal | None) -> None:
    assert parse_amount(text) == amount


def test_rate_rows_become_the_table_with_bands_sorted() -> None:
    rows = [("2026", "3", "2.500"), ("2026", "", "2.150,50"), ("", "", ""), ("2025", "1", "2100")]
    assert rates_from_rows(rows) == {
        2025: (RateBand(1, Decimal("2100")),),
        2026: (RateBand(1, Decimal("2150.50")), RateBand(3, Decimal("2500"))),
    }


@pytest.mark.parametrize(
    ("rows", "message", "row"),
    [
        ([("1999", "1", "2000")], "Året skal være et årstal mellem 2000 og 2100", 0),
        ([("2026", "1", "2000"), ("tyve", "1", "2000")], "Året skal være et årstal", 1),
        ([("2026", "0", "2000")], "»Fra dag« skal være et helt tal på 1 eller mere", 0),
        ([("2026", "1", "0")], "Beløbet skal være et tal over 0 kr.", 0),
        ([("2026", "1", "-5")], "Beløbet skal være et tal over 0 kr.", 0),
        ([("2026", "1", "abc")], "Beløbet skal være et tal over 0 kr.", 0),
        ([("2026", "1", "197600000")], "er mere end 100.000 kr.", 0),
        ([("2026", "1", "2000,555")], "højst have to decimaler", 0),
        ([("2026", "1", "2000"), ("2026", "1", "2100")], "2026 har allerede en takst fra dag 1 (række 1)", 1),
        ([("2026", "3", "2000")], "Taksten for 2026 skal gælde fra dag 1", 0),
    ],
)
def test_unusable_rate_rows_are_refused_in_danish_with_the_row(
    rows: list[tuple[str, str, str]], message: str, row: int
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)) as caught:
        rates_from_rows(rows)
    assert caught.value.field == f"rate_row:{row}"
    assert caught.value.message.startswith(f"Række {row + 1}:")


def test_saved_rates_are_read_back_with_their_source(ctx: ServiceContext) -> None:
    save_rates(ctx, rates_from_rows([("2026", "1", "2.150,50")]), source="Regionens takstblad 2026")
    setting = load_rate_setting(ctx)
    assert not setting.is_default
    assert setting.rates == {2026: (RateBand(1, Decimal("2150.50")),)}
    assert setting.source == "Regionens takstblad 2026"


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ({1999: Decimal("2000")}, "uden for 2000–2100"),
        ({2026: Decimal("0")}, "større end 0 kr."),
        ({2026: [RateBand(1, Decimal("2000")), RateBand(3, Decimal("0"))]}, "større end 0 kr."),
        ({}, "mindst én"),
    ],
)
def test_save_rates_refuses_a_bad_table_and_keeps_the_old_one(
    ctx: ServiceContext, rates: dict[int, object], message: str
) -> None:
    save_rates(ctx, {2025: Decimal("2000")})
    with pytest.raises(ValidationError, match=message):
        save_rates(ctx, rates)  # type: ignore[arg-type]
    assert load_rate_setting(ctx).rates == {2025: (RateBand(1, Decimal("2000")),)}


# -- calendar and rule units -------------------------------------------------------------------------------


def test_without_settings_the_adult_agreement_and_extra_closing_days_apply(ctx: ServiceContext) -> None:
    settings = load_calendar_settings(ctx)
    assert settings == CalendarSettings(extra_closing_days=True, units={})
    cal, rules = build_calendar_and_rules(ctx)
    assert cal.extra_closing_days
    assert rules.rule("varsling").unit is Unit.CALENDAR_DAYS
    assert rules.rule("netvaerksmoede").unit is Unit.WORKING_DAYS


def test_calendar_settings_round_trip_and_build_the_calendar_and_rules(ctx: ServiceContext) -> None:
    stored = save_calendar_settings(ctx, CalendarSettings.child_psychiatry(extra_closing_days=False))
    assert stored == CalendarSettings(False, {"varsling": Unit.WORKING_DAYS})
    assert load_calendar_settings(ctx) == stored
    cal, rules = build_calendar_and_rules(ctx)
    assert not cal.extra_closing_days
    assert cal.is_working_day(date(2026, 12, 24))  # juleaften is a working day without the extra closing days
    varsling = rules.rule("varsling")
    assert varsling.unit is Unit.WORKING_DAYS
    assert varsling.description == "Varsling senest 8 arbejdsdage før færdigbehandlet"
    # 8 hverdage before Friday 11 December 2026 is Tuesday 1 December (calendar days: Thursday 3 December).
    assert apply_offset(varsling, date(2026, 12, 11), cal) == date(2026, 12, 1)


def test_a_unit_equal_to_the_agreement_is_not_stored(ctx: ServiceContext) -> None:
    stored = save_calendar_settings(
        ctx, CalendarSettings(True, {"varsling": Unit.CALENDAR_DAYS, "netvaerksmoede": Unit.CALENDAR_DAYS})
    )
    assert stored.units == {"netvaerksmoede": Unit.CALENDAR_DAYS}
    assert load_calendar_settings(ctx).unit("varsling") is Unit.CALENDAR_DAYS
    assert load_calendar_settings(ctx).unit("netvaerksmoede") is Unit.CALENDAR_DAYS


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ({"epikrise": Unit.CALENDAR_DAYS}, "har ikke en enhed, der kan vælges"),  # D1 counts hours
        ({"varsling": Unit.WEEKS}, "kun være dage eller hverdage"),
        ({"ukendt": Unit.CALENDAR_DAYS}, "har ikke en enhed"),
    ],
)
def test_units_only_for_day_counting_rules(ctx: ServiceContext, units: dict[str, Unit], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        save_calendar_settings(ctx, CalendarSettings(True, units))
    assert load_calendar_settings(ctx) == CalendarSettings()


def test_the_rules_with_a_unit_setting_are_the_day_counting_ones() -> None:
    keys = unit_rules()
    assert {"varsling", "netvaerksmoede", "netvaerksmoede_efter_udskrivning", "korrespondance_svar"} <= set(keys)
    assert not {"epikrise", "sagsbehandling", "faerdigmelding", "statusmoede"} & set(keys)


@pytest.mark.parametrize(
    "raw", ['{"units": {"varsling": "fortnights"}}', "not json", '{"extra_closing_days": "ja"}', "[]"]
)
def test_unreadable_calendar_settings_fall_back_to_the_agreement(ctx: ServiceContext, raw: str) -> None:
    ctx.database.set_meta(CALENDAR_META_KEY, raw)
    assert load_calendar_settings(ctx) == CalendarSettings()


def test_a_stored_unit_for_a_rule_without_one_is_ignored(ctx: ServiceContext) -> None:
    ctx.database.set_meta(CALENDAR_META_KEY, '{"extra_closing_days": false, "units": {"epikrise": "working_days"}}')
    assert load_calendar_settings(ctx) == CalendarSettings(False, {})


# -- the ward's profile ----------------------------------------------------------------------------------------


def test_ward_profile_is_checked_and_saved(ctx: ServiceContext) -> None:
    saved = update_ward_profile(
        ctx, phone=" 12  34 56 78 ", secure_mail="afsnit7@region.invalid", coordinator_title=" Koordinator "
    )
    assert saved == WardProfile("12 34 56 78", "afsnit7@region.invalid", "Koordinator")
    assert load_profile(ctx) == saved


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"phone": "ring til mig"}, "phone", "Afsnittets telefonnummer"),
        ({"secure_mail": "afsnit7"}, "secure_mail", "ligner ikke en e-mailadresse"),
        ({"coordinator_title": "  "}, "coordinator_title", "Titlen skal udfyldes"),
    ],
)
def test_a_bad_ward_profile_is_refused_and_nothing_saved(
    ctx: ServiceContext, fields: dict[str, str], field: str, message: str
) -> None:
    values = {"phone": "", "secure_mail": "", "coordinator_title": "Udskrivningskoordinator"} | fields
    with pytest.raises(ValidationError, match=message) as caught:
        update_ward_profile(ctx, **values)
    assert caught.value.field == field
    assert load_profile(ctx) == WardProfile()


# -- centres and wards -----------------------------------------------------------------------------------------


def test_centres_come_from_the_file_until_edited(ctx: ServiceContext) -> None:
    listed = {c.name: set(c.wards) for c in centre_list(ctx)}
    assert listed == {c.name: set(c.wards) for c in load_centres()}


def test_adding_a_ward_keeps_every_centre_of_the_file(ctx: ServiceContext) -> None:
    first = load_centres()[0]
    centres = add_ward(ctx, first.name, "Afsnit 99")
    by_name = {c.name: c.wards for c in centres}
    assert set(by_name) == {c.name for c in load_centres()}
    assert by_name[first.name][-1] == "Afsnit 99"  # natural order: 7, 8, 9, 14, 99
    assert centre_list(ctx) == centres
    new = add_ward(ctx, "Psykiatrisk Center Test", "")
    assert ("Psykiatrisk Center Test", ()) in [(c.name, c.wards) for c in new]


@pytest.mark.parametrize(
    ("centre", "ward", "message"),
    [
        ("", "Afsnit 1", "Skriv centrets navn"),
        ("x" * 201, "", "højst 200 tegn"),
        ("Ny", "y" * 101, "højst 100 tegn"),
    ],
)
def test_bad_centre_input_is_refused(ctx: ServiceContext, centre: str, ward: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        add_ward(ctx, centre, ward)


def test_a_ward_or_centre_that_exists_is_refused(ctx: ServiceContext) -> None:
    first = load_centres()[0]
    with pytest.raises(ValidationError, match=f"findes allerede under {first.name}"):
        add_ward(ctx, first.name.upper(), first.wards[0].lower())
    with pytest.raises(ValidationError, match=r"Centret .* findes allerede"):
        add_ward(ctx, first.name, "")


def test_the_default_signature_title_is_the_wards_contact_person_and_a_saved_title_is_kept(ctx: ServiceContext) -> None:
    """In the agreement an "udskrivningskoordinator" is the LAB § 6 mentor, not the ward's sender (issue 17): the
    default title is neutral, and a ward that chose its own keeps it."""
    assert load_profile(ctx).coordinator_title == "Kontaktperson på afsnittet"
    update_ward_profile(ctx, phone="", secure_mail="", coordinator_title="Udskrivningskoordinator")
    assert load_profile(ctx).coordinator_title == "Udskrivningskoordinator"
