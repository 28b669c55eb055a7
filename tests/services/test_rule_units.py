"""The rule units set under Indstillinger → Kalender og regler reach every deadline the services compute (issue 7):
``ServiceContext`` carries the ward's calendar and rules, ``save_calendar_settings`` replaces them at once, and the
deadline cache recomputes. On SQLite and PostgreSQL.

Anna (1): færdigbehandlet expected Friday 11 December 2026, no varsling yet (B5). 8 *dage* before is Thursday
3 December; 8 *hverdage* before is Tuesday 1 December.
Bo (2): a netværksmøde invited Monday 23 November 2026 (C2). 5 *arbejdsdage* later is Monday 30 November; 5 *dage*
later is Saturday 28 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from helpers.ward import events_from_stories, service_context

from coordinator_app.domain.cpr import synthetic_cpr
from coordinator_app.domain.model import Admission, EventKind, Patient
from coordinator_app.domain.rules import DEFAULT_SETTINGS, Unit
from coordinator_app.domain.statistics import FigureKey
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.deadline_cache import DeadlineCache
from coordinator_app.services.overview import OverviewService
from coordinator_app.services.settings import (
    CalendarSettings,
    build_calendar_and_rules,
    save_calendar_settings,
)
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.storage.repositories import bulk_load

K, D = EventKind, date
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
TODAY = D(2026, 11, 23)
B5 = {"has_indsats": False, "may_need_support": True, "can_discharge_before_support": False}

VARSLING, MEETING = "varsling", "netvaerksmoede"  # the rules' keys (B5's varsling, C2)
VARSLING_DAYS, VARSLING_HVERDAGE = D(2026, 12, 3), D(2026, 12, 1)
MEETING_ARBEJDSDAGE, MEETING_DAYS = D(2026, 11, 30), D(2026, 11, 28)


def _admission(i: int) -> Admission:
    return Admission(
        id=i,
        patient_id=i,
        center="Psykiatrisk Center København",
        ward="Afsnit 7",
        admitted=D(2026, 11, 2),
        bopaelskommune="101",
        scenario=3,
        scenario_answers=B5,
    )


STORIES: dict[int, list[tuple[EventKind, date, dict[str, Any]]]] = {
    1: [
        (K.ORIENTERING_INDLAEGGELSE, D(2026, 11, 3), {}),
        (K.EXPECTED_FAERDIGBEHANDLET, D(2026, 11, 5), {"date": "2026-12-11", "by": "overlæge"}),
    ],
    2: [(K.ORIENTERING_INDLAEGGELSE, D(2026, 11, 3), {}), (K.MEETING_INVITED, TODAY, {})],
}


@pytest.fixture
def ctx(database) -> ServiceContext:
    context = service_context(database, now=NOW, user="koordinator.test")
    patients = [Patient(i, synthetic_cpr(D(1980, 1, i), 0, female=True), "Test", f"Fiktiv{i}") for i in (1, 2)]
    with database.session() as s:
        bulk_load(s, patients=patients, admissions=[_admission(1), _admission(2)], events=events_from_stories(STORIES))
    return context


def _i_dag(ctx: ServiceContext) -> dict[tuple[int, str], date]:
    return {(i.admission_id, i.kind): i.due for i in OverviewService(ctx).today_items(TODAY)}


def _cached(cache: DeadlineCache, ctx: ServiceContext) -> dict[tuple[int, str], date]:
    with ctx.database.connect() as connection:
        derived = cache.derive_many(connection, [1, 2], ctx.calendar, TODAY, ctx.rules)
    return {(i, d.kind): d.due for i, got in derived.items() for d in got.deadlines if d.kind in (VARSLING, MEETING)}


def test_the_context_starts_with_the_agreements_units(ctx: ServiceContext) -> None:
    assert ctx.rules is DEFAULT_SETTINGS
    due = _i_dag(ctx)
    assert due[(1, VARSLING)] == VARSLING_DAYS
    assert due[(2, MEETING)] == MEETING_ARBEJDSDAGE


def test_changing_the_units_moves_i_dag_and_the_cached_list_deadlines_at_once(ctx: ServiceContext) -> None:
    cache = DeadlineCache()
    assert _cached(cache, ctx) == {(1, VARSLING): VARSLING_DAYS, (2, MEETING): MEETING_ARBEJDSDAGE}
    assert _cached(cache, ctx) == {(1, VARSLING): VARSLING_DAYS, (2, MEETING): MEETING_ARBEJDSDAGE}
    assert cache.hits == 2

    save_calendar_settings(
        ctx, CalendarSettings(True, {"varsling": Unit.WORKING_DAYS, "netvaerksmoede": Unit.CALENDAR_DAYS})
    )

    assert ctx.rules.rule("varsling").unit is Unit.WORKING_DAYS
    due = _i_dag(ctx)
    assert due[(1, VARSLING)] == VARSLING_HVERDAGE
    assert due[(2, MEETING)] == MEETING_DAYS
    # The same cache: the new settings object empties it, nothing stale is returned.
    assert _cached(cache, ctx) == {(1, VARSLING): VARSLING_HVERDAGE, (2, MEETING): MEETING_DAYS}
    assert cache.hits == 2


def test_a_new_context_loads_the_stored_units_at_start_up(ctx: ServiceContext) -> None:
    save_calendar_settings(ctx, CalendarSettings.child_psychiatry(extra_closing_days=False))
    fresh = ServiceContext(database=ctx.database, clock=fixed_clock(NOW))
    assert _i_dag(fresh)[(1, VARSLING)] == VARSLING_DAYS  # before start-up: the agreement's defaults
    cal, rules = build_calendar_and_rules(fresh)
    assert fresh.calendar is cal and fresh.rules is rules and not cal.extra_closing_days
    assert _i_dag(fresh)[(1, VARSLING)] == VARSLING_HVERDAGE


def test_statistics_define_varsling_in_time_with_the_wards_unit(ctx: ServiceContext) -> None:
    """Statistik derives B5 with the same rules as the list, and its definition says which unit it counted."""
    service = StatisticsService(ctx)
    before = service.compute(D(2026, 11, 1), D(2026, 11, 30)).figure(FigureKey.VARSLING_IN_TIME)
    save_calendar_settings(ctx, CalendarSettings(True, {"varsling": Unit.WORKING_DAYS}))
    after = service.compute(D(2026, 11, 1), D(2026, 11, 30)).figure(FigureKey.VARSLING_IN_TIME)
    assert "varsling senest 8 dage før færdigbehandlet" in before.definition
    assert "varsling senest 8 arbejdsdage før færdigbehandlet" in after.definition


def test_the_patient_list_and_details_count_with_the_wards_units(ctx: ServiceContext) -> None:
    """The list's *next deadline* and the details view use the same rules as I dag (issue 7)."""
    from coordinator_app.services.admissions import AdmissionService

    service = AdmissionService(ctx)

    def varsling_in_list() -> date | None:
        row = next(r for r in service.list_rows() if r.admission_id == 1)
        return row.next_due if row.next_kind == VARSLING else None

    def varsling_in_details() -> date:
        return next(d.due for d in service.details(1).deadlines if d.kind == VARSLING)

    assert (varsling_in_list(), varsling_in_details()) == (VARSLING_DAYS, VARSLING_DAYS)
    save_calendar_settings(ctx, CalendarSettings(True, {"varsling": Unit.WORKING_DAYS}))
    assert (varsling_in_list(), varsling_in_details()) == (VARSLING_HVERDAGE, VARSLING_HVERDAGE)


def test_a_meetings_deadline_counts_with_the_wards_units(ctx: ServiceContext) -> None:
    from coordinator_app.domain.meetings import Meeting, Occasion, default_template
    from coordinator_app.services.meetings import MeetingService

    meeting = Meeting(None, 2, 2, default_template(), Occasion.UNDER_INDLAEGGELSE, TODAY, "NM-2026-0001")
    service = MeetingService(ctx)
    assert service.deadline(meeting) == MEETING_ARBEJDSDAGE
    save_calendar_settings(ctx, CalendarSettings(True, {"netvaerksmoede": Unit.CALENDAR_DAYS}))
    assert service.deadline(meeting) == MEETING_DAYS
