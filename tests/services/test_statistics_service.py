"""StatisticsService (issue 7) on SQLite and PostgreSQL: the same figures as the domain on the same records,
the kommune filter, readmissions found after the period, the kommuner in use, and the ward's bed-day rate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from helpers.ward import events_from_stories, service_context

from coordinator_app.domain.bed_days import RateBand
from coordinator_app.domain.cpr import synthetic_cpr
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Admission, AdmissionFlags, Event, EventKind, Patient
from coordinator_app.domain.statistics import FigureKey, Statistics, compute_statistics
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import (
    DEFAULT_RATES,
    META_KEY,
    load_rate_setting,
    load_rates,
    save_rates,
)
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.storage.repositories import KommuneRepository, bulk_load

K = EventKind
D = date
FROM, TO = D(2025, 3, 1), D(2025, 3, 31)
NOW = datetime(2025, 4, 15, 9, 0, tzinfo=UTC)


def _admission(
    i: int, patient: int, kommune: str, admitted: date, discharged: date | None = None, **kw: Any
) -> Admission:
    return Admission(
        id=i,
        patient_id=patient,
        center="Psykiatrisk Center København",
        ward="Afsnit 7",
        admitted=admitted,
        bopaelskommune=kommune,
        discharged=discharged,
        demo=True,
        **kw,
    )


B5 = {"has_indsats": False, "may_need_support": True, "can_discharge_before_support": False}
ADMISSIONS = [
    _admission(1, 1, "101", D(2025, 2, 20), D(2025, 3, 5), scenario=1, scenario_answers={"has_indsats": True}),
    _admission(2, 2, "101", D(2025, 2, 10), D(2025, 3, 24), scenario=3, scenario_answers=B5),
    _admission(3, 3, "147", D(2025, 1, 15), scenario=3, scenario_answers=B5),
    _admission(4, 1, "101", D(2025, 3, 20), D(2025, 3, 31), scenario=1, scenario_answers={"has_indsats": True}),
    _admission(5, 4, "147", D(2025, 3, 10), scenario=3, scenario_answers=B5),
    _admission(6, 5, "147", D(2025, 3, 12), D(2025, 3, 14), opholdskommune="151", flags=AdmissionFlags(homeless=True)),
    _admission(7, 2, "101", D(2025, 4, 10)),  # 17 days after 2's discharge: a readmission found after the period
    _admission(8, 6, "101", D(2025, 5, 10)),
    _admission(9, 7, "147", D(2025, 1, 2), D(2025, 2, 1)),
]
_STORIES: dict[int, list[tuple[EventKind, date, dict[str, Any]]]] = {
    1: [(K.ORIENTERING_UDSKRIVNING, D(2025, 3, 3), {}), (K.DISCHARGE, D(2025, 3, 5), {})],
    2: [
        (K.EXPECTED_FAERDIGBEHANDLET, D(2025, 2, 20), {"date": "2025-03-14", "by": "overlæge"}),
        (K.MEETING_INVITED, D(2025, 3, 3), {}),
        (K.VARSLING, D(2025, 3, 5), {}),
        (K.MEETING_HELD, D(2025, 3, 7), {}),
        (K.FAERDIGMELDING, D(2025, 3, 14), {}),
        (K.DISCHARGE, D(2025, 3, 24), {}),
    ],
    3: [
        (K.EXPECTED_FAERDIGBEHANDLET, D(2025, 1, 20), {"date": "2025-02-20", "by": "overlæge"}),
        (K.VARSLING, D(2025, 2, 14), {}),
        (K.FAERDIGMELDING, D(2025, 2, 20), {}),
        (K.MEETING_INVITED, D(2025, 3, 17), {}),
    ],
    5: [
        (K.EXPECTED_FAERDIGBEHANDLET, D(2025, 3, 11), {"date": "2025-03-17", "by": "overlæge"}),
        (K.VARSLING, D(2025, 3, 12), {}),  # due 07-03: late
        (K.FAERDIGMELDING, D(2025, 3, 17), {}),
    ],
}


EVENTS = events_from_stories(_STORIES)


@pytest.fixture
def ctx(database) -> ServiceContext:
    context = service_context(database, now=NOW, user="koordinator.test")
    patients = [
        Patient(p, synthetic_cpr(D(1980, 1, p), 0, female=p % 2 == 0), "Testa", f"Fiktivsen {p}") for p in range(1, 8)
    ]
    with database.session() as s:
        bulk_load(s, patients=patients, admissions=ADMISSIONS, events=EVENTS)
    return context


def domain(ctx: ServiceContext, kommune: str | None = None) -> Statistics:
    """The domain's answer on the in-memory records the database was filled from."""
    with ctx.database.session() as s:
        names = {k.code: k.name for k in KommuneRepository(s).all()}
    events: dict[int, list[Event]] = {}
    for e in EVENTS:
        events.setdefault(e.admission_id, []).append(e)
    setting = load_rate_setting(ctx)
    return compute_statistics(
        ADMISSIONS,
        events,
        FROM,
        TO,
        cal=ctx.calendar,
        today=NOW.date(),
        rates=setting.table(),
        kommune=kommune,
        kommune_names=names,
        rate_note=setting.label,
    )


def test_service_equals_the_domain_on_the_same_records(ctx: ServiceContext) -> None:
    stats = StatisticsService(ctx).compute(FROM, TO)
    assert stats == domain(ctx)
    assert stats.figure(FigureKey.ADMISSIONS).admission_ids == (4, 5, 6)
    assert stats.figure(FigureKey.DISCHARGES).admission_ids == (1, 2, 4, 6)
    # 1 → 4 after 15 days (in March); 2 → 7 after 17 days (April: loaded although after the period).
    assert stats.figure(FigureKey.READMISSIONS).admission_ids == (1, 2)
    assert stats.figure(FigureKey.VARSLING_IN_TIME).denominator_ids == (2, 5)
    assert [k.name for k in stats.kommuner] == ["Ballerup", "Frederiksberg", "København"]


@pytest.mark.parametrize("kommune", ["101", "147", "151"])
def test_kommune_filter_equals_the_domains(ctx: ServiceContext, kommune: str) -> None:
    stats = StatisticsService(ctx).compute(FROM, TO, kommune_code=kommune)
    assert stats == domain(ctx, kommune)
    assert [k.code for k in stats.kommuner] == [kommune]


def test_kommune_filter_of_the_homeless_patient_is_the_opholdskommune(ctx: ServiceContext) -> None:
    stats = StatisticsService(ctx).compute(FROM, TO, kommune_code="151")
    assert (stats.kommune_name, stats.figure(FigureKey.ADMISSIONS).admission_ids) == ("Ballerup", (6,))


def test_kommuner_in_use_by_name(ctx: ServiceContext) -> None:
    assert [(k.code, k.name) for k in StatisticsService(ctx).kommuner_in_use()] == [
        ("151", "Ballerup"),
        ("147", "Frederiksberg"),
        ("101", "København"),
    ]


def test_default_rate_is_the_laws_2016_ceiling_and_says_so(ctx: ServiceContext) -> None:
    setting = load_rate_setting(ctx)
    assert setting.is_default and dict(setting.rates) == DEFAULT_RATES
    assert "1.976 kr." in setting.label and "angiv årets takst i Indstillinger" in setting.label
    stats = StatisticsService(ctx).compute(FROM, TO)
    assert stats.rate_note == setting.label
    assert stats.total.rate_years == (2016,)
    assert stats.total.cost == Decimal(1976) * stats.total.bed_days


def test_saved_rates_price_the_bed_days(ctx: ServiceContext) -> None:
    bands = [RateBand(3, Decimal("3000")), RateBand(1, Decimal("1000.50"))]
    save_rates(ctx, {2025: bands, 2024: Decimal("2000")}, source="Regionens takstblad (test)")
    setting = load_rate_setting(ctx)
    assert not setting.is_default
    assert setting.rates[2025] == (RateBand(1, Decimal("1000.50")), RateBand(3, Decimal("3000")))
    assert setting.label == (
        "Sats pr. sengedag: 2024: 2.000 kr.; 2025: fra dag 1 1.000,50 kr., fra dag 3 3.000 kr. "
        "(kilde: Regionens takstblad (test))"
    )
    stats = StatisticsService(ctx).compute(FROM, TO)
    assert stats == domain(ctx)
    assert stats.total.rate_years == (2025,)
    assert load_rates(ctx).rate_year(2026) == 2025


def test_a_rate_table_not_starting_at_day_1_is_refused(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationError, match="dag 1"):
        save_rates(ctx, {2025: [RateBand(3, Decimal("3000"))]})
    assert load_rate_setting(ctx).is_default


def test_an_unreadable_rate_setting_falls_back_to_the_default(ctx: ServiceContext) -> None:
    ctx.database.set_meta(META_KEY, '{"rates": {"2025": "not bands"}}')
    assert load_rate_setting(ctx).is_default
