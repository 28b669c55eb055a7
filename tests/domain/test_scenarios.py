"""Scenario 1/2/3 and the B4/B5 branch (B1–B5, A5, C2) → the steps the center owes the kommune."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from engine_helpers import ev
from hypothesis import given
from hypothesis import strategies as st

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import EventKind
from coordinator_app.domain.rules import RuleSettings
from coordinator_app.domain.scenarios import (
    Question,
    ScenarioAnswers,
    ScenarioChoices,
    Step,
    branch_for,
    decide,
    expected_judged_by,
    plan_notes,
    scenario_for,
)
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


# -- the questions, one at a time (what the wizard asks the domain) ----------------------------------------------

Q = Question


@pytest.mark.parametrize(
    ("choices", "path", "scenario", "branch"),
    [
        (ScenarioChoices(True, False), [Q.HAS_INDSATS, Q.NEED_GREATER], 1, None),
        (
            ScenarioChoices(True, True, None, False),
            [Q.HAS_INDSATS, Q.NEED_GREATER, Q.CAN_DISCHARGE_BEFORE_SUPPORT],
            2,
            "B5",
        ),
        (
            ScenarioChoices(False, None, True, True),
            [Q.HAS_INDSATS, Q.MAY_NEED_SUPPORT, Q.CAN_DISCHARGE_BEFORE_SUPPORT],
            3,
            "B4",
        ),
        (ScenarioChoices(False, None, False), [Q.HAS_INDSATS, Q.MAY_NEED_SUPPORT], None, None),
        # an answer the other answers skip does not count: no B4/B5 in scenario 1, no B3 with an indsats
        (ScenarioChoices(True, False, True, False), [Q.HAS_INDSATS, Q.NEED_GREATER], 1, None),
    ],
)
def test_the_questions_follow_the_answers_a1_b1_b5(
    choices: ScenarioChoices, path: list[Question], scenario: int | None, branch: str | None
) -> None:
    asked = [Q.HAS_INDSATS]
    while (following := choices.next_question(asked[-1])) is not None:
        asked.append(following)
    assert asked == path
    assert (choices.scenario, choices.branch) == (scenario, branch)
    assert choices.needs_expected_date is (branch == "B5")


def test_unanswered_questions_count_as_no_and_b4() -> None:
    assert ScenarioChoices().scenario is None
    assert ScenarioChoices(True).scenario == 1
    assert ScenarioChoices(True, True).branch == "B4"  # not answered yet: nothing to varsle
    assert ScenarioChoices().next_question(Q.HAS_INDSATS) is Q.NEED_GREATER  # the first answer shown


@pytest.mark.parametrize(
    ("choices", "counted"),
    [
        (ScenarioChoices(True, True, True, False), (True, True, False, False)),
        (ScenarioChoices(True, False, True, False), (True, False, False, True)),  # scenario 1: nothing to varsle
        (ScenarioChoices(False, True, True, False), (False, False, True, False)),
        (ScenarioChoices(False, True, False, False), (False, False, False, True)),
        (ScenarioChoices(), (False, False, False, True)),
    ],
)
def test_only_the_answers_that_count_are_stored(choices: ScenarioChoices, counted: tuple[bool, ...]) -> None:
    assert choices.counted() == counted
    has, greater, may, can = choices.counted()
    answers = ScenarioAnswers(ADMITTED, has, greater, may, can, None)  # never contradictory
    assert (answers.scenario, answers.branch) == (choices.scenario, choices.branch)


@pytest.mark.parametrize(("has", "greater", "may", "can"), list(itertools.product((False, True), repeat=4)))
def test_scenario_for_and_branch_for_are_the_answers_decision(has: bool, greater: bool, may: bool, can: bool) -> None:
    if (greater and not has) or (may and has):
        return
    a = answers(has_indsats=has, need_greater=greater, may_need_support=may, can_discharge_before_support=can)
    scenario = scenario_for(has_indsats=has, need_greater=greater, may_need_support=may)
    assert (scenario, branch_for(scenario, can_discharge_before_support=can)) == (a.scenario, a.branch)
    assert decide(a, CAL).branch == a.branch


def test_stored_answers_bring_back_the_b4_b5_answer_only_where_it_was_asked() -> None:
    b5 = {"has_indsats": True, "need_greater": True, "may_need_support": False, "can_discharge_before_support": False}
    assert ScenarioChoices.stored(b5, 2) == ScenarioChoices(True, True, False, False)
    assert ScenarioChoices.stored({**b5, "branch": "B5"}, None) == ScenarioChoices(True, True, False, False)
    scenario_1 = {**b5, "need_greater": False, "can_discharge_before_support": True, "branch": None}
    assert ScenarioChoices.stored(scenario_1, 1) == ScenarioChoices(True, False, False, None)
    assert ScenarioChoices.stored({"has_indsats": False}, None) == ScenarioChoices(False)  # not asked then: None
    assert ScenarioChoices.stored(None, None) == ScenarioChoices()


def test_plan_notes_b8_without_consent_and_b5_without_a_date() -> None:
    assert plan_notes("B5", None, wants_to_leave=True, consent_given=False) == (
        "B8: uden samtykke må kommunen ikke orienteres om patienten, der ønsker udskrivning.",
        "B5: uden forventet færdigbehandlet-dato kan varslingsfristen ikke beregnes endnu.",
    )
    assert plan_notes("B5", D(2024, 6, 14), wants_to_leave=True, consent_given=True) == ()
    assert plan_notes("B4", None, wants_to_leave=False, consent_given=False) == ()
    assert plan_notes(None, None, wants_to_leave=True, consent_given=True) == ()


def test_the_doctor_who_judged_the_current_expected_date() -> None:
    june_14, june_20 = D(2024, 6, 14), D(2024, 6, 20)
    first = ev(EventKind.EXPECTED_FAERDIGBEHANDLET, D(2024, 5, 2), data={"date": june_14.isoformat(), "by": "Dr. A"})
    later = ev(EventKind.EXPECTED_FAERDIGBEHANDLET, D(2024, 5, 9), data={"date": june_20.isoformat(), "by": "Dr. B"})
    assert expected_judged_by(june_20, [first, later]) == "Dr. B"
    assert expected_judged_by(june_14, [first, later]) == ""  # a later judgement gave another date
    assert expected_judged_by(None, [first, later]) == ""
    assert expected_judged_by(june_14, []) == ""
    assert expected_judged_by(june_14, [first]) == "Dr. A"
    assert later.id is not None
    correction = ev(EventKind.CORRECTION, D(2024, 5, 10), corrects=later.id)
    assert expected_judged_by(june_14, [first, later, correction]) == "Dr. A"  # the later one was a mistake
