"""E1/E2 at the moment of discharge, through the services as the UI drives them (Send → «Udskriv patienten…»,
Ret indlæggelse, Aftale/plan, Statistik), on SQLite and PostgreSQL: a discharge that leaves a required
udskrivningsaftale or koordinationsplan missing is refused naming the rule until the coordinator says why; the
answer is kept on the discharge event and shown in the history, the plan's warning and Statistik, and the E1/E2
deadline is then missed, never due."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.plans import completed
from helpers.ward import Admitted, admission_input, admit, discharge, require_plan

from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.discharge_plans import WITHOUT_PLAN_FIELD, WITHOUT_PLAN_KEY, PlanKind
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import DeadlineState, EventKind, PlanFacts
from coordinator_app.domain.statistics import FigureKey
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.discharge import recorded_without_plan
from coordinator_app.services.notifications import NotificationService
from coordinator_app.services.plans import PlanService
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

TODAY = date(2026, 11, 23)  # the clock's day (services/conftest.py)
PLANNED = date(2026, 12, 4)
E1_FACTS = PlanFacts(afsnit_v_support=True)
E2_FACTS = PlanFacts(wont_seek_help=True, refuses_participation=True)
REASON = "Kommunen kunne ikke deltage før udskrivningen; netværksmøde aftalt efter udskrivningen (C3)."


@pytest.fixture
def admitted(ctx: ServiceContext) -> Admitted:
    return admit(ctx, ward="Afsnit 7")


def discharges(ctx: ServiceContext, admission_id: int):
    return [e for e in AdmissionService(ctx).details(admission_id).events if e.kind is EventKind.DISCHARGE]


def plan_deadline(ctx: ServiceContext, admission_id: int):
    with ctx.database.session() as session:
        admission = AdmissionRepository(session).get(admission_id)
        events = EventRepository(session).for_admission(admission_id)
    return next(d for d in compute_deadlines(admission, events, ctx.calendar, TODAY) if d.rule_id in ("E1", "E2"))


def without_plan_figure(ctx: ServiceContext):
    november = StatisticsService(ctx).compute(date(2026, 11, 1), date(2026, 11, 30))
    return november.figure(FigureKey.DISCHARGED_WITHOUT_PLAN)


@pytest.mark.parametrize(
    ("facts", "rule_id", "title"),
    [(E1_FACTS, "E1", "udskrivningsaftale"), (E2_FACTS, "E2", "koordinationsplan")],
)
def test_a_discharge_without_the_required_plan_asks_why_and_keeps_the_answer(
    ctx: ServiceContext, admitted: Admitted, facts: PlanFacts, rule_id: str, title: str
) -> None:
    require_plan(ctx, admitted, facts, planned_discharge=PLANNED)
    with pytest.raises(ValidationError) as refused:
        discharge(ctx, admitted)
    assert (refused.value.rule, refused.value.field) == (rule_id, WITHOUT_PLAN_FIELD)
    assert f"ingen {title} i kraft" in refused.value.message
    details = AdmissionService(ctx).details(admitted.admission_id)
    assert details.admission.discharged is None and not discharges(ctx, admitted.admission_id)  # nothing written

    discharge(ctx, admitted, without_plan_reason=REASON, note="Epikrise sendt.")
    details = AdmissionService(ctx).details(admitted.admission_id)
    assert (details.admission.discharged, details.status) == (TODAY, "Udskrevet")
    [event] = discharges(ctx, admitted.admission_id)
    assert event.note == f"Udskrevet uden {title} ({rule_id}): {REASON}\nEpikrise sendt."  # the history shows it
    assert event.data[WITHOUT_PLAN_KEY] == {"kind": title, "rule": rule_id, "reason": REASON}
    recorded = recorded_without_plan(list(details.events))
    assert recorded is not None and recorded.reason == REASON

    panel = PlanService(ctx).panel(admitted.admission_id)
    assert panel.overview.warning is not None and panel.overview.warning.endswith(f"({rule_id}). Begrundelse: {REASON}")
    deadline = plan_deadline(ctx, admitted.admission_id)  # the discharge day is today: missed, not "I dag"
    assert (deadline.due, deadline.state, deadline.missed) == (TODAY, DeadlineState.OVERDUE, True)
    figure = without_plan_figure(ctx)
    assert (figure.value, figure.admission_ids, figure.denominator) == (1, (admitted.admission_id,), 1)
    assert figure.rule_id == "E1/E2"


def test_a_plan_in_force_lets_the_patient_go_without_a_question(ctx: ServiceContext, admitted: Admitted) -> None:
    require_plan(ctx, admitted, E1_FACTS, planned_discharge=PLANNED)
    plans = PlanService(ctx)
    plan = plans.create(admitted.admission_id)
    assert plan.id is not None and plan.version is not None
    plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    discharge(ctx, admitted)
    [event] = discharges(ctx, admitted.admission_id)
    assert WITHOUT_PLAN_KEY not in event.data and event.note == ""
    assert plans.panel(admitted.admission_id).overview.warning is None
    assert plan_deadline(ctx, admitted.admission_id).state is DeadlineState.MET
    figure = without_plan_figure(ctx)
    assert (figure.value, figure.admission_ids, figure.denominator_ids) == (0, (), (admitted.admission_id,))


def test_a_kladde_is_not_enough_and_the_refusal_says_so(ctx: ServiceContext, admitted: Admitted) -> None:
    require_plan(ctx, admitted, E1_FACTS, planned_discharge=PLANNED)
    PlanService(ctx).create(admitted.admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    with pytest.raises(ValidationError, match="kun en kladde") as refused:
        discharge(ctx, admitted, without_plan_reason="   ")
    assert refused.value.rule == "E1"


def test_nothing_required_nothing_asked(ctx: ServiceContext, admitted: Admitted) -> None:
    discharge(ctx, admitted)
    [event] = discharges(ctx, admitted.admission_id)
    assert WITHOUT_PLAN_KEY not in event.data
    assert without_plan_figure(ctx).denominator == 0


def test_a_discharge_date_typed_into_the_admission_cannot_skip_the_question(
    ctx: ServiceContext, admitted: Admitted
) -> None:
    require_plan(ctx, admitted, E2_FACTS, planned_discharge=PLANNED)
    service = AdmissionService(ctx)
    version = service.details(admitted.admission_id).admission.version
    with pytest.raises(ValidationError, match="Udskriv patienten") as refused:
        service.update_admission(
            admitted.admission_id,
            admission_input(ward="Afsnit 7", discharged=TODAY),
            admission_version=version,
        )
    assert (refused.value.rule, refused.value.field) == ("E2", "discharged")
    assert service.details(admitted.admission_id).admission.discharged is None
    # Other edits of the admission still save.
    service.update_admission(
        admitted.admission_id, admission_input(ward="Afsnit 7", address="Fiktivvej 1"), admission_version=version
    )


def test_correcting_the_discharge_withdraws_the_answer(ctx: ServiceContext, admitted: Admitted) -> None:
    require_plan(ctx, admitted, E1_FACTS, planned_discharge=PLANNED)
    sent = discharge(ctx, admitted, without_plan_reason=REASON)
    NotificationService(ctx).correct(sent.event_id, "Udskrevet på den forkerte patient")
    details = AdmissionService(ctx).details(admitted.admission_id)
    assert details.admission.discharged is None and recorded_without_plan(list(details.events)) is None
    warning = PlanService(ctx).panel(admitted.admission_id).overview.warning
    assert warning == "Udskrivningsaftale mangler – skal foreligge før udskrivning 04-12-2026 (E1)."
    assert without_plan_figure(ctx).value == 0
