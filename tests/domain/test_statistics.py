"""Statistik (H; B4/B9, B5, C2–C4) on a hand-built ward whose every answer is worked out below.

Period March 2025, today Tuesday 15 April 2025 (no public holidays in March). Rates: 2024 2.000 kr.; 2025
1.000 kr. for færdigmeldt days 1–2 and 3.000 kr. from day 3 (bands counted over the whole færdigmelding).

==  =======  ====  ==========  ==========  ======================================================================
id  patient  kom.  admitted    discharged  story
==  =======  ====  ==========  ==========  ======================================================================
1   1        101   20-02-2025  05-03-2025  scenario 1; orientering om udskrivning 03-03 (in time); readmitted (6)
2   2        101   10-02-2025  24-03-2025  B5: expected 14-03 → varsling due 06-03, sent 05-03 (in time);
                                           meeting invited 03-03, due 10-03, held 07-03; færdigmeldt 14-03
3   3        147   15-01-2025  —           B5 færdigmeldt 20-02 (varsling due 12-02: not March's); i bero 10-03,
                                           genoptaget 13-03; meeting invited 17-03 never held; one invited 31-03
                                           (due 07-04: not March's)
4   4        101   10-03-2025  12-03-2025  scenario 2 B4; orientering on the discharge day (late); meeting
                                           invited 11-03, due 18-03, held 19-03 (late); readmitted day 30 (8)
5   5        147   25-03-2025  —           B5 on the answers, expected 02-04 → varsling due 25-03, never sent
6   1        101   20-03-2025  31-03-2025  scenario 1, never oriented about the discharge
7   7        147   01-02-2025  28-02-2025  discharged before March: not in the period (9 is no readmission of it)
8   4        101   11-04-2025  —           after March: only the readmission of 4
9   7        147   05-03-2025  10-04-2025  B5: expected 21-03 → varsling due 13-03, sent 17-03 (late); færdigmeldt
                                           21-03
10  10       101   31-03-2025  31-03-2025  homeless, bopæl 147, opholdskommune 101 → 101; same-day stay; 11 is day 31
11  10       101   01-05-2025  —           31 days after 10's discharge: no readmission
12  12       147   02-03-2025  04-03-2025  færdigmeldt twice: history cannot be replayed
==  =======  ====  ==========  ==========  ======================================================================
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from engine_helpers import admission, ev, expected, milestone

from coordinator_app.domain.bed_days import BedDayRates, RateBand
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Admission, Event, EventKind, PlanFacts
from coordinator_app.domain.rules import Milestone
from coordinator_app.domain.statistics import FigureKey, FigureUnit, Statistics, compute_statistics, responsible_kommune
from coordinator_app.domain.workdays import WorkCalendar

K = EventKind
D = date
FROM, TO, TODAY = D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 15)
RATES = BedDayRates({2024: Decimal("2000"), 2025: [RateBand(1, Decimal("1000")), RateBand(3, Decimal("3000"))]})
NAMES = {"101": "København", "147": "Frederiksberg"}


def adm(admission_id: int, patient_id: int, kommune: str, admitted: date, **kw: Any) -> Admission:
    return dataclasses.replace(
        admission(admitted, **kw), id=admission_id, patient_id=patient_id, bopaelskommune=kommune
    )


def history(admission_id: int, *events: Event) -> list[Event]:
    return [dataclasses.replace(e, admission_id=admission_id) for e in events]


def ward() -> tuple[list[Admission], dict[int, list[Event]]]:
    admissions = [
        adm(1, 1, "101", D(2025, 2, 20), scenario=1, discharged=D(2025, 3, 5)),
        adm(2, 2, "101", D(2025, 2, 10), scenario=3, b5=True, discharged=D(2025, 3, 24)),
        adm(3, 3, "147", D(2025, 1, 15), scenario=2, b5=True),
        adm(4, 4, "101", D(2025, 3, 10), scenario=2, b5=False, discharged=D(2025, 3, 12)),
        adm(5, 5, "147", D(2025, 3, 25), scenario=2, b5=True, expected_faerdigbehandlet=D(2025, 4, 2)),
        adm(6, 1, "101", D(2025, 3, 20), scenario=1, discharged=D(2025, 3, 31)),
        adm(7, 7, "147", D(2025, 2, 1), discharged=D(2025, 2, 28)),
        adm(8, 4, "101", D(2025, 4, 11)),
        adm(9, 7, "147", D(2025, 3, 5), scenario=3, b5=True, discharged=D(2025, 4, 10)),
        adm(10, 10, "147", D(2025, 3, 31), discharged=D(2025, 3, 31), opholdskommune="101", homeless=True),
        adm(11, 10, "101", D(2025, 5, 1)),
        adm(12, 12, "147", D(2025, 3, 2), discharged=D(2025, 3, 4)),
    ]
    events = {
        1: history(
            1,
            ev(K.ORIENTERING_INDLAEGGELSE, D(2025, 2, 20)),
            ev(K.ORIENTERING_UDSKRIVNING, D(2025, 3, 3)),
            ev(K.DISCHARGE, D(2025, 3, 5)),
        ),
        2: history(
            2,
            ev(K.ORIENTERING_INDLAEGGELSE, D(2025, 2, 10)),
            expected(D(2025, 3, 14), on=D(2025, 2, 20)),
            ev(K.MEETING_INVITED, D(2025, 3, 3)),
            ev(K.VARSLING, D(2025, 3, 5)),
            ev(K.MEETING_HELD, D(2025, 3, 7)),
            ev(K.FAERDIGMELDING, D(2025, 3, 14)),
            ev(K.DISCHARGE, D(2025, 3, 24)),
        ),
        3: history(
            3,
            expected(D(2025, 2, 20), on=D(2025, 1, 20)),
            ev(K.VARSLING, D(2025, 2, 14)),
            ev(K.FAERDIGMELDING, D(2025, 2, 20)),
            ev(K.I_BERO, D(2025, 3, 10)),
            ev(K.GENOPTAGET, D(2025, 3, 13)),
            ev(K.MEETING_INVITED, D(2025, 3, 17)),
            ev(K.MEETING_INVITED, D(2025, 3, 31)),
        ),
        4: history(
            4,
            ev(K.MEETING_INVITED, D(2025, 3, 11)),
            ev(K.ORIENTERING_UDSKRIVNING, D(2025, 3, 12), hour=9),
            ev(K.DISCHARGE, D(2025, 3, 12), hour=15),
            ev(K.MEETING_HELD, D(2025, 3, 19)),
        ),
        6: history(6, ev(K.ORIENTERING_INDLAEGGELSE, D(2025, 3, 20))),
        9: history(
            9,
            expected(D(2025, 3, 21), on=D(2025, 3, 6)),
            ev(K.VARSLING, D(2025, 3, 17)),
            ev(K.FAERDIGMELDING, D(2025, 3, 21)),
            ev(K.DISCHARGE, D(2025, 4, 10)),
        ),
        12: history(12, ev(K.FAERDIGMELDING, D(2025, 3, 3)), ev(K.FAERDIGMELDING, D(2025, 3, 3), hour=11)),
    }
    return admissions, events


def compute(cal: WorkCalendar, **kw: Any) -> Statistics:
    admissions, events = ward()
    options: dict[str, Any] = {"cal": cal, "today": TODAY, "rates": RATES, "kommune_names": NAMES, **kw}
    return compute_statistics(
        admissions, events, options.pop("period_from", FROM), options.pop("period_to", TO), **options
    )


@pytest.fixture(scope="module")
def stats() -> Statistics:
    return compute(WorkCalendar())


def test_admissions_are_those_admitted_in_the_period(stats: Statistics) -> None:
    f = stats.figure(FigureKey.ADMISSIONS)
    assert (f.value, f.admission_ids, f.unit, f.rule_id) == (6, (4, 5, 6, 9, 10, 12), FigureUnit.COUNT, "H")


def test_discharges_are_those_discharged_in_the_period_including_its_last_day(stats: Statistics) -> None:
    f = stats.figure(FigureKey.DISCHARGES)
    assert (f.value, f.admission_ids) == (6, (1, 2, 4, 6, 10, 12))


def test_length_of_stay_median_and_mean_over_the_discharges(stats: Statistics) -> None:
    # Stays 13, 42, 2, 11, 0, 2 days → sorted 0 2 2 11 13 42: median (2 + 11) / 2, mean 70 / 6.
    median, mean = stats.figure(FigureKey.STAY_MEDIAN), stats.figure(FigureKey.STAY_MEAN)
    assert median.value == 6.5
    assert mean.value == pytest.approx(70 / 6)
    assert median.admission_ids == mean.admission_ids == (1, 2, 4, 6, 10, 12)
    assert median.unit is FigureUnit.DAYS


def test_length_of_stay_distribution_buckets(stats: Statistics) -> None:
    buckets = [(b.label, b.count, b.admission_ids) for b in stats.stay_distribution]
    assert buckets == [
        ("0–7 dage", 3, (4, 10, 12)),
        ("8–14 dage", 2, (1, 6)),
        ("15–30 dage", 0, ()),
        ("31–60 dage", 1, (2,)),
        ("61–90 dage", 0, ()),
        ("Over 90 dage", 0, ()),
    ]
    assert stats.stay_distribution[0].share == 0.5


def test_readmission_within_30_days_counts_day_30_and_after_the_period_but_not_day_31(stats: Statistics) -> None:
    # 1 → 6 after 15 days; 4 → 8 after exactly 30 days (April); 10 → 11 after 31 days is not one; 7 → 9 is a
    # readmission of a February discharge, not of the period's.
    f = stats.figure(FigureKey.READMISSIONS)
    assert (f.numerator, f.denominator, f.value) == (2, 6, 2 / 6)
    assert (f.admission_ids, f.denominator_ids) == ((1, 4), (1, 2, 4, 6, 10, 12))


def test_varsling_in_time_is_b5_deadlines_due_in_the_period(stats: Statistics) -> None:
    # 2 sent the day before its due day; 9 sent 4 days late; 5 never sent (B5 from the answers, overdue).
    # 3's deadline (12-02) lies before the period; 12's history cannot be read.
    f = stats.figure(FigureKey.VARSLING_IN_TIME)
    assert (f.numerator, f.denominator, f.value, f.rule_id) == (1, 3, 1 / 3, "B5")
    assert (f.admission_ids, f.denominator_ids) == ((2,), (2, 5, 9))


def test_faerdigmeldinger_with_timely_varsling_and_the_notice_the_kommune_got(stats: Statistics) -> None:
    # B5, the færdigmeldinger dated in March: 2 on 14-03 after a varsling on 05-03 (in time, 9 days of notice);
    # 9 on 21-03 after a late varsling on 17-03 (4 days). 3's færdigmelding (20-02) lies before the period; 12's
    # history cannot be read. Worked out from the history: these events carry no record of their own.
    share, notice = stats.figure(FigureKey.FAERDIGMELDT_WITH_NOTICE), stats.figure(FigureKey.NOTICE_DAYS)
    assert (share.numerator, share.denominator, share.rule_id) == (1, 2, "B5")
    assert (share.admission_ids, share.denominator_ids) == ((2,), (2, 9))
    assert (notice.value, notice.unit, notice.admission_ids, notice.denominator) == (6.5, FigureUnit.DAYS, (2, 9), 2)


def test_a_recorded_notice_is_what_statistik_counts(cal: WorkCalendar) -> None:
    # A færdigmelding carries the notice recorded when it was sent (domain.sending): Statistik reads it as recorded.
    admissions, events = ward()
    record = {"varslet_on": None, "varsling_due": "2025-03-06", "expected": "2025-03-14", "notice_days": 0}
    events[2] = [
        dataclasses.replace(e, data={**e.data, "b5": record}) if e.kind is K.FAERDIGMELDING else e
        for e in events[2]
        if e.kind is not K.VARSLING
    ]
    stats = compute_statistics(admissions, events, FROM, TO, cal=cal, today=TODAY, rates=RATES)
    share, notice = stats.figure(FigureKey.FAERDIGMELDT_WITH_NOTICE), stats.figure(FigureKey.NOTICE_DAYS)
    assert (share.numerator, share.denominator) == (0, 2)
    assert notice.value == 2  # median of 0 (no varsling) and 4


def test_meetings_in_time_within_5_arbejdsdage_of_the_invitation(stats: Statistics) -> None:
    # 2 held on day 4; 4 held on day 6 (after discharge, still counted); 3's first never held; 3's second is
    # due 07-04, outside the period.
    f = stats.figure(FigureKey.MEETINGS_IN_TIME)
    assert (f.numerator, f.denominator, f.rule_id) == (1, 3, "C2–C4")
    assert (f.admission_ids, f.denominator_ids) == ((2,), (2, 3, 4))


def test_discharge_date_announced_before_the_discharge_day(stats: Statistics) -> None:
    # Owed by 1 and 6 (scenario 1) and 4 (B4); 1 told two days ahead, 4 on the day, 6 never. 2 was færdigmeldt
    # (B5), 10 has no scenario.
    f = stats.figure(FigureKey.DISCHARGE_ANNOUNCED)
    assert (f.numerator, f.denominator, f.rule_id) == (1, 3, "B4/B9")
    assert (f.admission_ids, f.denominator_ids) == ((1,), (1, 4, 6))


def test_bed_days_in_the_period_skip_i_bero_and_number_bands_over_the_whole_faerdigmelding(stats: Statistics) -> None:
    # 2: 14–23 March = 10 days, days 1–2 at 1.000 and 8 at 3.000 = 26.000.
    # 3: færdigmeldt since 20-02 (days 1–9 in February), 1–9 and 13–31 March = 28 days, all from day 10 = 84.000.
    # 9: 21–31 March = 11 days, 2 at 1.000 and 9 at 3.000 = 29.000.
    days, cost = stats.figure(FigureKey.BED_DAYS), stats.figure(FigureKey.BED_DAY_COST)
    assert (days.value, days.admission_ids) == (49, (2, 3, 9))
    assert (cost.value, cost.unit, cost.admission_ids) == (Decimal("139000"), FigureUnit.KRONER, (2, 3, 9))


def test_rows_per_kommune_with_the_homeless_patient_under_the_opholdskommune(stats: Statistics) -> None:
    rows = [
        (k.code, k.name, k.admission_ids, k.faerdigmeldt_ids, k.bed_days, k.cost, k.rate_years)
        for k in (*stats.kommuner, stats.total)
    ]
    assert rows == [
        ("147", "Frederiksberg", (5, 9, 12), (3, 9), 39, Decimal("113000"), (2025,)),
        ("101", "København", (4, 6, 10), (2,), 10, Decimal("26000"), (2025,)),
        ("", "I alt", (4, 5, 6, 9, 10, 12), (2, 3, 9), 49, Decimal("139000"), (2025,)),
    ]
    admissions, _ = ward()
    assert responsible_kommune(admissions[9]) == "101"


def test_unreadable_history_counts_as_admitted_and_discharged_only(stats: Statistics) -> None:
    assert stats.unreadable_ids == (12,)
    assert 12 in stats.figure(FigureKey.ADMISSIONS).admission_ids
    assert 12 not in stats.figure(FigureKey.BED_DAYS).admission_ids


def test_kommune_filter_keeps_only_that_kommunes_admissions(cal: WorkCalendar) -> None:
    stats = compute(cal, kommune="147")
    assert (stats.kommune_code, stats.kommune_name) == ("147", "Frederiksberg")
    values = {f.key: (f.value, f.admission_ids) for f in stats.figures}
    assert values[FigureKey.ADMISSIONS] == (3, (5, 9, 12))
    assert values[FigureKey.DISCHARGES] == (1, (12,))
    assert values[FigureKey.STAY_MEDIAN] == (2, (12,))
    assert values[FigureKey.READMISSIONS] == (0.0, ())
    assert values[FigureKey.VARSLING_IN_TIME] == (0.0, ())
    assert stats.figure(FigureKey.VARSLING_IN_TIME).denominator_ids == (5, 9)
    assert stats.figure(FigureKey.MEETINGS_IN_TIME).denominator_ids == (3,)
    announced = stats.figure(FigureKey.DISCHARGE_ANNOUNCED)
    assert (announced.value, announced.denominator) == (None, 0)  # nothing owed: no share
    assert values[FigureKey.BED_DAY_COST] == (Decimal("113000"), (3, 9))
    assert [k.code for k in stats.kommuner] == ["147"]


def test_deadline_not_yet_reached_does_not_count(cal: WorkCalendar) -> None:
    # Today 20 March: 5's varsling is due 25-03 and still open; 2's (met) counts; 9's (due 13-03) is overdue.
    stats = compute(cal, today=D(2025, 3, 20))
    f = stats.figure(FigureKey.VARSLING_IN_TIME)
    assert f.denominator_ids == (2, 9)


def test_b5_branch_from_the_assessment_event_alone_counts_a_varsling_never_sent(cal: WorkCalendar) -> None:
    a = adm(1, 1, "101", D(2025, 3, 3), expected_faerdigbehandlet=D(2025, 3, 20))  # varsling due 12-03
    assessed = ev(K.SCENARIO_ASSESSED, D(2025, 3, 3), data={"scenario": 3, "branch": "B5"})
    stats = compute_statistics([a], {1: history(1, assessed)}, FROM, TO, cal=cal, today=TODAY, rates=RATES)
    f = stats.figure(FigureKey.VARSLING_IN_TIME)
    assert (f.numerator, f.denominator) == (0, 1)


def test_bed_day_rate_of_an_earlier_year_is_used_and_named(cal: WorkCalendar) -> None:
    stats = compute(cal, rates=BedDayRates({2024: Decimal("2000")}))
    assert (stats.total.bed_days, stats.total.cost, stats.total.rate_years) == (49, Decimal("98000"), (2024,))


def test_bed_days_without_any_rate_are_counted_but_not_priced(cal: WorkCalendar) -> None:
    stats = compute(cal, rates=BedDayRates({2026: Decimal("2000")}))
    assert (stats.total.bed_days, stats.total.cost, stats.total.unpriced_days) == (49, Decimal(0), 49)
    assert stats.total.rate_years == ()


def test_discharges_without_the_required_plan_are_counted_of_those_that_required_one(cal: WorkCalendar) -> None:
    """E1/E2: a discharge in the period whose admission required a plan, and none was in force by the discharge day
    (none at all, or one made only after the patient left)."""
    needs = PlanFacts(afsnit_v_support=True)
    admissions = [
        dataclasses.replace(adm(1, 1, "101", D(2025, 3, 3), discharged=D(2025, 3, 10)), plan_facts=needs),
        dataclasses.replace(adm(2, 2, "101", D(2025, 3, 3), discharged=D(2025, 3, 10)), plan_facts=needs),
        dataclasses.replace(adm(3, 3, "147", D(2025, 3, 3), discharged=D(2025, 3, 10)), plan_facts=needs),
        dataclasses.replace(adm(4, 4, "101", D(2025, 3, 3), discharged=D(2025, 4, 2)), plan_facts=needs),
        adm(5, 5, "101", D(2025, 3, 3), discharged=D(2025, 3, 10)),  # nothing required
        dataclasses.replace(adm(6, 6, "101", D(2025, 3, 3)), plan_facts=needs),  # still admitted
    ]
    aftale = Milestone.UDSKRIVNINGSAFTALE
    events = {
        2: history(2, milestone(aftale, D(2025, 3, 7), end="2025-09-30", plan_id=2)),  # in force before leaving
        3: history(3, milestone(aftale, D(2025, 3, 12), end="2025-09-30", plan_id=3)),  # made after leaving
    }
    stats = compute_statistics(admissions, events, FROM, TO, cal=cal, today=TODAY, rates=RATES)
    f = stats.figure(FigureKey.DISCHARGED_WITHOUT_PLAN)
    assert (f.value, f.admission_ids, f.unit, f.rule_id) == (2, (1, 3), FigureUnit.COUNT, "E1/E2")
    assert (f.numerator, f.denominator, f.denominator_ids) == (2, 3, (1, 2, 3))
    assert "krævet" in f.label and "begrundelsen" in f.definition
    assert compute(cal).figure(FigureKey.DISCHARGED_WITHOUT_PLAN).value == 0  # the ward above requires none


def test_every_figure_has_a_danish_label_a_rule_and_a_definition(stats: Statistics) -> None:
    assert [f.key for f in stats.figures] == list(FigureKey)
    assert all(f.label and f.definition and f.rule_id for f in stats.figures)
    assert {f.key for f in stats.figures if f.is_share} == {
        FigureKey.READMISSIONS,
        FigureKey.VARSLING_IN_TIME,
        FigureKey.FAERDIGMELDT_WITH_NOTICE,
        FigureKey.MEETINGS_IN_TIME,
        FigureKey.DISCHARGE_ANNOUNCED,
    }


def test_empty_period_has_no_shares_or_medians(cal: WorkCalendar) -> None:
    stats = compute(cal, period_from=D(2030, 1, 1), period_to=D(2030, 1, 31))
    assert stats.figure(FigureKey.ADMISSIONS).value == 0
    assert stats.figure(FigureKey.STAY_MEDIAN).value is None
    assert stats.figure(FigureKey.READMISSIONS).value is None
    assert stats.kommuner == ()
    assert stats.total.cost == Decimal(0)


def test_reversed_period_is_refused_in_danish(cal: WorkCalendar) -> None:
    with pytest.raises(ValidationError, match="startdato ligger efter slutdatoen"):
        compute(cal, period_from=TO, period_to=FROM)
