"""Scenario 1/2/3 and the B4/B5 branch (B1–B5, A5, C2) → the steps the center owes the kommune."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.rules import RuleSettings
from coordinator_app.domain.scenarios import ScenarioAnswers, Step, decide
from coordinator_app.domain.workdays import WorkCalendar

D = date
CAL = WorkCalendar()
ADMITTED = D(2024, 5, 1)
B5_JUNE_14: dict[str, object] = {
    "need_greater": True,
    "can_discharge_before_support": False,
    "expected_faerdigbehandlet": D(2024, 6, 14),
}


def answers(**kw: object) -> ScenarioAnswers:
    base: dict[str, object] = dict(
        admitted=ADMITTED,
        has_indsats=True,
        need_greater=False,
        may_need_support=False,
        can_discharge_before_support=True,
        expected_faerdigbehandlet=None,
    )
    base.update(kw)
    return ScenarioAnswers(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("has_indsats", "need_greater", "may_need_support", "scenario"),
    [(True, False, False, 1), (True, True, False, 2), (False, False, True, 3), (False, False, False, None)],
)
def test_scenario_follows_from_indsats_and_expected_need(
    has_indsats: bool, need_greater: bool, may_need_support: bool, scenario: int | None
) -> None:
    plan = decide(answers(has_indsats=has_indsats, need_greater=need_greater, may_need_support=may_need_support), CAL)
    assert plan.scenario == scenario


def test_scenario_1_orientering_at_admission_no_varsling_orientering_about_discharge() -> None:
    plan = decide(answers(can_discharge_before_support=False, expected_faerdigbehandlet=D(2024, 5, 20)), CAL)
    assert plan.steps == (
        Step("orientering_indlaeggelse", ADMITTED, "B1", "bopaelskommune"),
        Step("orientering_udskrivning", None, "B1", "bopaelskommune"),
    )


def test_scenario_2_cannot_discharge_needs_varsling_8_days_before() -> None:
    """B5: færdigbehandlet Friday 14 June 2024 → varsling at the latest Thursday 6 June (a working day)."""
    plan = decide(
        answers(need_greater=True, can_discharge_before_support=False, expected_faerdigbehandlet=D(2024, 6, 14)),
        CAL,
    )
    assert (plan.scenario, plan.branch) == (2, "B5")
    assert [s.kind for s in plan.steps] == [
        "orientering_indlaeggelse",
        "netvaerksmoede",
        "varsling",
        "faerdigmelding",
    ]
    by_kind = {s.kind: s for s in plan.steps}
    assert by_kind["orientering_indlaeggelse"] == Step("orientering_indlaeggelse", ADMITTED, "B2", "bopaelskommune")
    assert by_kind["varsling"] == Step("varsling", D(2024, 6, 6), "B5", "bopaelskommune")
    assert by_kind["faerdigmelding"] == Step("faerdigmelding", D(2024, 6, 14), "B5", "bopaelskommune")


def test_varsling_latest_day_on_a_closed_day_moves_to_the_previous_working_day() -> None:
    """B5: 8 days before Thursday 13 June 2024 is Grundlovsdag (closed) → Tuesday 4 June."""
    plan = decide(
        answers(need_greater=True, can_discharge_before_support=False, expected_faerdigbehandlet=D(2024, 6, 13)),
        CAL,
    )
    assert {s.kind: s.due for s in plan.steps}["varsling"] == D(2024, 6, 4)
    public = decide(
        answers(need_greater=True, can_discharge_before_support=False, expected_faerdigbehandlet=D(2024, 6, 13)),
        WorkCalendar(extra_closing_days=False),
    )
    assert {s.kind: s.due for s in public.steps}["varsling"] == D(2024, 6, 5)


def test_child_psychiatry_varsling_8_hverdage_before() -> None:
    plan = decide(
        answers(need_greater=True, can_discharge_before_support=False, expected_faerdigbehandlet=D(2024, 6, 14)),
        CAL,
        RuleSettings.child_psychiatry(),
    )
    assert {s.kind: s.due for s in plan.steps}["varsling"] == D(2024, 6, 3)  # 8 working days, Grundlovsdag skipped


def test_scenario_3_can_discharge_b4_orientering_only() -> None:
    plan = decide(answers(has_indsats=False, may_need_support=True, expected_faerdigbehandlet=D(2024, 6, 14)), CAL)
    assert (plan.scenario, plan.branch) == (3, "B4")
    assert plan.steps == (
        Step("orientering_indlaeggelse", ADMITTED, "B3", "bopaelskommune"),
        Step("orientering_udskrivning", None, "B4", "bopaelskommune"),
    )


def test_scenario_3_b5_without_expected_date_keeps_an_undated_varsling() -> None:
    plan = decide(answers(has_indsats=False, may_need_support=True, can_discharge_before_support=False), CAL)
    steps = {s.kind: s for s in plan.steps}
    assert steps["varsling"].due is None and steps["varsling"].rule == "B5"
    assert steps["faerdigmelding"].due is None


def test_netvaerksmoede_step_waits_for_the_invitation() -> None:
    """C2: the 5-day clock starts at the invitation, unknown when the plan is made."""
    plan = decide(answers(need_greater=True, can_discharge_before_support=False), CAL)
    assert {s.kind: s for s in plan.steps}["netvaerksmoede"] == Step("netvaerksmoede", None, "C2", "bopaelskommune")


def test_no_indsats_and_no_need_means_no_notification_steps() -> None:
    plan = decide(answers(has_indsats=False), CAL)
    assert (plan.scenario, plan.branch, plan.steps) == (None, None, ())
    assert plan.label.startswith("Intet scenarie")


def test_homeless_varsling_goes_to_last_known_opholdskommune() -> None:
    """B5 for varsling/færdigmelding; A5 for first contact: opholdskommune when no handlekommune is known."""
    plan = decide(
        answers(**B5_JUNE_14, homeless=True),
        CAL,
    )
    assert {s.recipient for s in plan.steps} == {"opholdskommune"}


def test_homeless_with_known_handlekommune_is_contacted_there_but_faerdigmeldt_to_opholdskommune() -> None:
    plan = decide(
        answers(**B5_JUNE_14, homeless=True, handlekommune_known=True),
        CAL,
    )
    recipients = {s.kind: s.recipient for s in plan.steps}
    assert recipients["orientering_indlaeggelse"] == recipients["netvaerksmoede"] == "handlekommune"
    assert recipients["varsling"] == recipients["faerdigmelding"] == "opholdskommune"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"has_indsats": False, "need_greater": True}, "need_greater"),
        ({"has_indsats": True, "may_need_support": True}, "may_need_support"),
        ({"expected_faerdigbehandlet": ADMITTED - timedelta(days=1)}, "expected_faerdigbehandlet"),
    ],
)
def test_contradictory_answers_are_refused_in_danish(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        answers(**kw)
    assert caught.value.field == field
    assert caught.value.message and caught.value.rule


def test_answers_and_steps_are_frozen() -> None:
    a = answers()
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.has_indsats = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        decide(a, CAL).steps[0].due = None  # type: ignore[misc]


def test_answers_from_stored_mapping_treat_unasked_questions_as_defaults() -> None:
    data = {
        "has_indsats": False,
        "need_greater": None,
        "may_need_support": True,
        "can_discharge_before_support": False,
        "expected_faerdigbehandlet": "2024-06-14",
    }
    a = ScenarioAnswers.from_mapping(ADMITTED, data)
    assert (a.scenario, a.branch, a.expected_faerdigbehandlet) == (3, "B5", D(2024, 6, 14))
    assert (
        ScenarioAnswers.from_mapping(ADMITTED, {"has_indsats": True, "can_discharge_before_support": None}).branch
        is None
    )


@given(
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    st.integers(min_value=0, max_value=120),
)
def test_varsling_due_is_a_working_day_at_least_8_days_before(
    greater: bool, may: bool, can: bool, admitted: date, stay: int
) -> None:
    has = not may
    a = ScenarioAnswers(admitted, has, greater and has, may, can, admitted + timedelta(days=stay))
    for step in decide(a, CAL).steps:
        if step.kind == "varsling":
            assert step.due is not None and CAL.is_working_day(step.due)
            assert step.due <= admitted + timedelta(days=stay - 8)
