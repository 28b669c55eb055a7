"""OverviewService (issue 7) on SQLite and PostgreSQL: *I dag* lists the ward's open deadlines of the current
admissions in buckets (overdue, today, the next 7 days, later) with the open netværksmøde agreements, and leaves out
what is met, missed, the kommune's, a plan's end date (E3) and discharged admissions; *Færdigmeldte* counts the
bed days and days i bero like ``bed_days`` and prices them at the configured rate, with the kommune's G1–G3."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from helpers.ward import Admitted, events_from_stories, held_meeting, service_context

from coordinator_app.domain.bed_days import bed_day_cost, bed_days
from coordinator_app.domain.cpr import synthetic_cpr
from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    MeetingContent,
    Participant,
)
from coordinator_app.domain.model import Admission, AdmissionFlags, DeadlineState, Event, EventKind, Patient, Sector
from coordinator_app.domain.process import Status
from coordinator_app.domain.rules import Milestone
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.overview import Bucket, OverviewService, bucket_of
from coordinator_app.services.settings import load_rates, save_rates
from coordinator_app.storage.repositories import bulk_load

K, M, D = EventKind, Milestone, date
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
TODAY = D(2026, 11, 23)
B5 = {"has_indsats": False, "may_need_support": True, "can_discharge_before_support": False}


def _admission(i: int, admitted: date, *, discharged: date | None = None, **kw: Any) -> Admission:
    return Admission(
        id=i,
        patient_id=i,
        center="Psykiatrisk Center København",
        ward="Afsnit 7",
        admitted=admitted,
        bopaelskommune=kw.pop("bopaelskommune", "101"),
        discharged=discharged,
        scenario=3,
        scenario_answers=B5,
        **kw,
    )


ADMISSIONS = [
    # 1 Anna: varsling overdue (B5), færdigmelding in 3 days, a netværksmøde due in exactly 7 days (C2); an earlier
    # meeting held (met); a plan whose end date (E3) is in two days — not an action.
    _admission(1, D(2026, 11, 2)),
    # 2 Bo: færdigmeldt 20-10, i bero 01-11 → genoptaget 06-11, a disagreement on 16-11 (G3 due today), a status
    # meeting on 17-11 (G2 next on 01-12), homeless: the opholdskommune pays and receives.
    _admission(2, D(2026, 10, 1), bopaelskommune="101", opholdskommune="147", flags=AdmissionFlags(homeless=True)),
    # 3 Cille: children (A4 check due at admission, overdue); meeting agreements (tasks) open, done and far ahead.
    _admission(3, D(2026, 11, 20), flags=AdmissionFlags(children=True)),
    # 4 Dorte: færdigmeldt without a varsling — the varsling can no longer be met (missed, left out); i bero now.
    _admission(4, D(2026, 10, 20)),
    # 5 Erik: discharged — nothing of his is on I dag although his epikrise (D1) is overdue.
    _admission(5, D(2026, 10, 1), discharged=D(2026, 11, 10)),
]

_STORIES: dict[int, list[tuple[EventKind, date, dict[str, Any]]]] = {
    1: [
        (K.ORIENTERING_INDLAEGGELSE, D(2026, 11, 3), {}),
        (K.EXPECTED_FAERDIGBEHANDLET, D(2026, 11, 5), {"date": "2026-11-26", "by": "overlæge"}),
        (K.MEETING_INVITED, D(2026, 11, 10), {}),
        (K.MEETING_HELD, D(2026, 11, 12), {}),
        (K.NOTE, D(2026, 11, 13), {"milestone": M.UDSKRIVNINGSAFTALE.value, "plan_id": 1, "end": "2026-11-25"}),
        (K.MEETING_INVITED, D(2026, 11, 23), {}),
    ],
    2: [
        (K.ORIENTERING_INDLAEGGELSE, D(2026, 10, 2), {}),
        (K.EXPECTED_FAERDIGBEHANDLET, D(2026, 10, 5), {"date": "2026-10-20", "by": "overlæge"}),
        (K.VARSLING, D(2026, 10, 10), {}),
        (K.FAERDIGMELDING, D(2026, 10, 20), {}),
        (K.I_BERO, D(2026, 11, 1), {}),
        (K.GENOPTAGET, D(2026, 11, 6), {}),
        (K.NOTE, D(2026, 11, 16), {"milestone": M.UENIGHED.value}),
        (K.NOTE, D(2026, 11, 17), {"milestone": M.STATUSMOEDE.value}),
    ],
    3: [(K.ORIENTERING_INDLAEGGELSE, D(2026, 11, 20), {})],
    4: [
        (K.ORIENTERING_INDLAEGGELSE, D(2026, 10, 21), {}),
        (K.EXPECTED_FAERDIGBEHANDLET, D(2026, 10, 22), {"date": "2026-11-10", "by": "overlæge"}),
        (K.FAERDIGMELDING, D(2026, 11, 12), {}),
        (K.I_BERO, D(2026, 11, 20), {}),
    ],
    5: [(K.ORIENTERING_INDLAEGGELSE, D(2026, 10, 2), {}), (K.DISCHARGE, D(2026, 11, 10), {})],
}


EVENTS = events_from_stories(_STORIES)
NAMES = {1: "Anna Fiktiv", 2: "Bo Fiktiv", 3: "Cille Fiktiv", 4: "Dorte Fiktiv", 5: "Erik Fiktiv"}


def _close_meeting_with_agreements(ctx: ServiceContext) -> None:
    """Cille's netværksmøde (invited 16-11, held): three agreements — open tomorrow, done, open in three weeks."""
    content = MeetingContent(
        participants=(Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE),),
        agreements=(
            AgreementItem("a1", "Bostøtte bevilges", "k", D(2026, 11, 24)),
            AgreementItem("a2", "Medicinliste sendt", "k", D(2026, 11, 21), AgreementStatus.UDFOERT),
            AgreementItem("a3", "Opfølgning på bolig", "k", D(2026, 12, 14)),
            AgreementItem("a4", "Uden frist", "k", None),
        ),
        follow_up=FollowUp(needed=False),
    )
    cille = Admitted(patient_id=3, admission_id=3)
    held_meeting(ctx, cille, content, invited_on=D(2026, 11, 20), planned_at=datetime(2026, 11, 23, 8, tzinfo=UTC))


@pytest.fixture
def ctx(database) -> ServiceContext:
    context = service_context(database, now=NOW, user="koordinator.test")
    patients: list[Patient] = []
    for i, name in NAMES.items():
        given, family = name.split()
        patients.append(Patient(i, synthetic_cpr(D(1980, 1, i), 0, female=i % 2 == 1), given, family))
    with database.session() as s:
        bulk_load(s, patients=patients, admissions=ADMISSIONS, events=EVENTS)
    _close_meeting_with_agreements(context)
    return context


def _story(admission_id: int) -> list[Event]:
    return [e for e in EVENTS if e.admission_id == admission_id]


# -- I dag -----------------------------------------------------------------------------------------------------
def test_buckets_are_overdue_today_the_next_seven_days_and_later() -> None:
    assert bucket_of(D(2026, 11, 22), TODAY) is Bucket.OVERDUE
    assert bucket_of(TODAY, TODAY) is Bucket.TODAY
    assert bucket_of(D(2026, 11, 24), TODAY) is Bucket.WEEK
    assert bucket_of(D(2026, 11, 30), TODAY) is Bucket.WEEK  # today + 7: the same weekday next week
    assert bucket_of(D(2026, 12, 1), TODAY) is Bucket.LATER


def test_i_dag_lists_the_open_ward_deadlines_and_agreements_overdue_first_then_by_due(ctx: ServiceContext) -> None:
    items = OverviewService(ctx).today_items(TODAY)
    got = [(i.admission_id, i.rule_id, i.kind, i.due, i.bucket.value) for i in items]
    assert got == [
        (1, "B5", "varsling", D(2026, 11, 18), "overdue"),  # 8 days before 26-11
        (3, "A4", "boern_vurdering", D(2026, 11, 20), "overdue"),  # children checked at admission
        (2, "G3", "eskalering", D(2026, 11, 23), "today"),  # disagreement 16-11 + 1 week
        (3, "C5", "moedeaftale", D(2026, 11, 24), "week"),  # Bostøtte bevilges
        (1, "B5", "faerdigmelding", D(2026, 11, 26), "week"),
        (1, "C2", "netvaerksmoede", D(2026, 11, 30), "week"),  # 5 arbejdsdage after 23-11
        (3, "C5", "moedeaftale", D(2026, 12, 14), "later"),  # Opfølgning på bolig
    ]


def test_i_dag_leaves_out_met_missed_the_kommunes_e3_and_discharged(ctx: ServiceContext) -> None:
    items = OverviewService(ctx).today_items(TODAY)
    kinds = {(i.admission_id, i.kind) for i in items}
    assert (1, "plan_udloeber") not in kinds  # E3 is an end date, not an action
    assert (1, "orientering_scenarie_3") not in kinds and (1, "kontakt_scenarie_3") not in kinds  # met 03-11
    assert (4, "varsling") not in kinds  # missed: færdigmeldt without it
    assert not {k for a, k in kinds if k in ("sagsbehandling", "statusmoede")}  # G1, G2 are the kommune's
    assert all(i.admission_id != 5 for i in items)  # discharged
    assert not [i for i in items if "Medicinliste" in i.what or "Uden frist" in i.what]  # done / no deadline
    assert all(i.state is not DeadlineState.MET for i in items)


def test_i_dag_items_say_for_whom_and_who_owns_a_meeting_agreement(ctx: ServiceContext) -> None:
    items = OverviewService(ctx).today_items(TODAY)
    varsling = next(i for i in items if i.kind == "varsling")
    assert (varsling.patient_name, varsling.cpr_masked[-5:], varsling.kommune_name, varsling.recipient) == (
        "Anna Fiktiv",
        "-xxxx",
        "København",
        "Bopælskommune",
    )
    g3 = next(i for i in items if i.rule_id == "G3")
    assert (g3.kommune_code, g3.kommune_name, g3.recipient) == ("147", "Frederiksberg", "Opholdskommune")
    task = next(i for i in items if i.kind == "moedeaftale")
    assert task.is_task and task.what == "Aftale fra netværksmøde: Bostøtte bevilges"
    assert task.responsible == "Kis Kommunesen (Københavns Kommune)"
    assert task.recipient is None and task.kommune_name == "København"  # the paying kommune when no recipient


def test_i_dag_uses_the_injected_date(ctx: ServiceContext) -> None:
    items = OverviewService(ctx).today_items(D(2026, 11, 17))
    varsling = next(i for i in items if i.kind == "varsling")
    assert (varsling.bucket, varsling.state) == (Bucket.WEEK, DeadlineState.OPEN)
    assert OverviewService(ctx).today_items() == OverviewService(ctx).today_items(TODAY)  # default: the clock


# -- Færdigmeldte ----------------------------------------------------------------------------------------------
def test_faerdigmeldte_lists_færdigmeldt_and_i_bero_admissions_longest_first(ctx: ServiceContext) -> None:
    overview = OverviewService(ctx).faerdigmeldte(TODAY)
    assert [(r.admission_id, r.status) for r in overview.rows] == [(2, Status.FAERDIGMELDT), (4, Status.I_BERO)]
    bo, dorte = overview.rows
    assert (bo.faerdigmeldt_on, bo.status_label, dorte.status_label) == (D(2026, 10, 20), "Færdigmeldt", "I bero")


def test_faerdigmeldt_days_and_days_i_bero_follow_the_bed_day_rule(ctx: ServiceContext) -> None:
    bo, dorte = OverviewService(ctx).faerdigmeldte(TODAY).rows
    # Bo: 20-10 → 01-11 (12) + 06-11 → today (17) færdigmeldt; i bero 01-11 → 06-11 (5).
    assert (bo.bed_days, bo.bero_days) == (29, 5)
    assert bo.bed_days == bed_days(ADMISSIONS[1], _story(2), TODAY)
    # Dorte: 12-11 → 20-11 (8) færdigmeldt; i bero since 20-11 (3, today not counted).
    assert (dorte.bed_days, dorte.bero_days) == (8, 3)
    assert dorte.bed_days == bed_days(ADMISSIONS[3], _story(4), TODAY)


def test_faerdigmeldte_show_what_the_kommune_is_doing_g1_g2_g3(ctx: ServiceContext) -> None:
    bo, dorte = OverviewService(ctx).faerdigmeldte(TODAY).rows
    # Homeless: the last opholdskommune pays (B5), not the bopælskommune.
    assert (bo.kommune_code, bo.kommune_name, bo.kommune_role) == ("147", "Frederiksberg", "opholdskommune")
    assert (dorte.kommune_name, dorte.kommune_role) == ("København", "bopaelskommune")
    assert bo.g1 is not None and (bo.g1.rule_id, bo.g1.due) == ("G1", D(2027, 1, 2))  # 12 weeks from 10-10
    assert bo.g2 is not None and (bo.g2.rule_id, bo.g2.due) == ("G2", D(2026, 12, 1))  # 14 days after 17-11
    assert [(d.rule_id, d.due, d.state) for d in bo.g3] == [("G3", TODAY, DeadlineState.DUE_TODAY)]
    assert not bo.overdue
    # Dorte: færdigmeldt 12-11, no status meeting since → G2 due 26-11; G1 from the færdigmelding.
    assert dorte.g2 is not None and dorte.g2.due == D(2026, 11, 26)
    assert dorte.g1 is not None and dorte.g1.due == D(2027, 2, 4)
    assert dorte.g3 == ()


def test_a_g2_status_meeting_past_its_date_marks_the_row_overdue(ctx: ServiceContext) -> None:
    dorte = OverviewService(ctx).faerdigmeldte(D(2026, 11, 27)).rows[-1]
    assert dorte.g2 is not None and dorte.g2.state is DeadlineState.OVERDUE
    assert dorte.overdue


def test_cost_is_bed_day_cost_at_the_default_rate_and_says_so(ctx: ServiceContext) -> None:
    overview = OverviewService(ctx).faerdigmeldte(TODAY)
    bo, dorte = overview.rows
    rates = load_rates(ctx)
    assert bo.cost == bed_day_cost(ADMISSIONS[1], _story(2), TODAY, rates).total == Decimal(1976) * 29
    assert dorte.cost == Decimal(1976) * 8
    assert (overview.bed_days, overview.bero_days, overview.cost) == (37, 8, Decimal(1976) * 37)
    assert overview.rate_is_default and "1.976 kr." in overview.rate_label and "2016" in overview.rate_label


def test_cost_uses_the_configured_rate_with_its_year_and_source(ctx: ServiceContext) -> None:
    save_rates(ctx, {2026: Decimal("2100")}, source="Regionens takstblad 2026 (test)")
    overview = OverviewService(ctx).faerdigmeldte(TODAY)
    assert overview.cost == Decimal(2100) * 37 and overview.cost_complete
    assert not overview.rate_is_default
    assert overview.rate_label == "Sats pr. sengedag: 2026: 2.100 kr. (kilde: Regionens takstblad 2026 (test))"


def test_a_bed_day_without_a_rate_leaves_the_cost_unknown_with_the_reason(ctx: ServiceContext) -> None:
    save_rates(ctx, {2027: Decimal("2100")}, source="Kun 2027 (test)")
    overview = OverviewService(ctx).faerdigmeldte(TODAY)
    assert all(r.cost is None and "2026" in r.cost_note for r in overview.rows)
    assert not overview.cost_complete and overview.cost == 0
