"""Scenario 1/2/3 (agreement B1–B3) and the B4/B5 branch, turned into the steps the center owes the kommune.

The scenario follows from two facts (B, table): does the patient already have a municipal indsats, and what
support is expected at discharge. ``decide`` is made at admission, so it knows only the answers:

* **Recipient** (A5, B5). Normally the bopælskommune. For a homeless patient a varsling/færdigmelding goes
  to the *last known opholdskommune* (B5); the early contact, orientering and netværksmøde go to the
  *handlekommune* when it is known (A5), else the opholdskommune. ``decide`` cannot look the kommune up, so
  the answers say whether a handlekommune is known (``handlekommune_known``, default ``False`` →
  opholdskommune).
* **Netværksmøde** (C2). The 5-arbejdsdage clock starts at the invitation, which does not exist yet when the
  plan is made: the step has ``due=None``; ``deadlines.compute_deadlines`` dates it once the invitation is
  recorded.
* **Færdigmelding** (B5) is due when the patient is færdigbehandlet: the step carries the expected date
  (``None`` when not yet judged); it is a medical judgement, so this is a plan, not a promise.

The questions themselves (``Question``, ``ScenarioChoices``): which one follows which answer, what the answers
given so far decide, and which of them count. The scenario wizard asks them one per page and shows what this
module and ``ScenarioService`` decide; it decides nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Admission, Event, EventKind
from coordinator_app.domain.process import effective_events
from coordinator_app.domain.rules import DEFAULT_SETTINGS, RuleSettings, apply_offset
from coordinator_app.domain.special_groups import recipient_role
from coordinator_app.domain.workdays import WorkCalendar, local_date

STEP_KINDS = (
    "orientering_indlaeggelse",
    "orientering_udskrivning",
    "varsling",
    "faerdigmelding",
    "netvaerksmoede",
)

SCENARIO_LABELS: dict[int | None, str] = {
    1: "Scenarie 1: har indsats, uændret behov",
    2: "Scenarie 2: har indsats, større behov",
    3: "Scenarie 3: ingen indsats, kan få behov",
    None: "Intet scenarie: ingen indsats og intet behov",
}


#: The scenarios with a B4/B5 branch: only there is it asked whether the patient can be discharged before the
#: indsats is in place.
BRANCHED_SCENARIOS = frozenset({2, 3})


def scenario_for(*, has_indsats: bool, need_greater: bool, may_need_support: bool) -> int | None:
    """B1–B3: 1 = indsats, unchanged need; 2 = indsats, greater need; 3 = no indsats, may need; else none."""
    if has_indsats:
        return 2 if need_greater else 1
    return 3 if may_need_support else None


def branch_for(scenario: int | None, *, can_discharge_before_support: bool) -> str | None:
    """B4 (can be discharged before the indsats is in place) or B5 (cannot) in scenarios 2 and 3; else ``None``."""
    if scenario in BRANCHED_SCENARIOS:
        return "B4" if can_discharge_before_support else "B5"
    return None


@dataclass(frozen=True, slots=True)
class ScenarioAnswers:
    """The coordinator's answers at admission (A1). Contradictory answers raise ``ValidationError``."""

    admitted: date
    has_indsats: bool
    need_greater: bool  # with an indsats: more support needed at discharge (B2 vs B1)
    may_need_support: bool  # without an indsats: support may be needed (B3 vs none)
    can_discharge_before_support: bool  # B4 (True) vs B5 (False)
    expected_faerdigbehandlet: date | None
    homeless: bool = False  # A5, B5
    handlekommune_known: bool = False  # A5: contact the handlekommune when known

    def __post_init__(self) -> None:
        if self.need_greater and not self.has_indsats:
            raise ValidationError(
                "»Større behov ved udskrivning« forudsætter, at patienten allerede har en kommunal indsats. "
                "Vælg »kan få behov for støtte« i stedet (scenarie 3).",
                field="need_greater",
                rule="B2",
            )
        if self.may_need_support and self.has_indsats:
            raise ValidationError(
                "Patienten har allerede en kommunal indsats: angiv i stedet, om behovet ved udskrivning er "
                "større (scenarie 2) eller uændret (scenarie 1).",
                field="may_need_support",
                rule="B3",
            )
        if self.expected_faerdigbehandlet is not None and self.expected_faerdigbehandlet < self.admitted:
            raise ValidationError(
                "Forventet færdigbehandlet-dato ligger før indlæggelsesdatoen.",
                field="expected_faerdigbehandlet",
                rule="B5",
            )

    @property
    def scenario(self) -> int | None:
        """B1–B3: 1 = indsats, unchanged need; 2 = indsats, greater need; 3 = no indsats, may need."""
        return scenario_for(
            has_indsats=self.has_indsats, need_greater=self.need_greater, may_need_support=self.may_need_support
        )

    @property
    def branch(self) -> str | None:
        """``"B4"`` or ``"B5"`` for scenarios 2 and 3; ``None`` otherwise."""
        return branch_for(self.scenario, can_discharge_before_support=self.can_discharge_before_support)

    @classmethod
    def from_mapping(cls, admitted: date, data: Mapping[str, Any]) -> ScenarioAnswers:
        """Answers stored as a dict (``Admission.scenario_answers``, SCENARIO_ASSESSED data)."""
        expected = data.get("expected_faerdigbehandlet")
        if isinstance(expected, str):
            expected = date.fromisoformat(expected) if expected else None

        def flag(name: str, default: bool) -> bool:
            value = data.get(name)
            return default if value is None else bool(value)  # None: the question was not asked

        return cls(
            admitted=admitted,
            has_indsats=flag("has_indsats", False),
            need_greater=flag("need_greater", False),
            may_need_support=flag("may_need_support", False),
            can_discharge_before_support=flag("can_discharge_before_support", True),
            expected_faerdigbehandlet=expected if isinstance(expected, date) else None,
            homeless=flag("homeless", False),
            handlekommune_known=flag("handlekommune_known", False),
        )


@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # one of STEP_KINDS
    due: date | None  # latest day, or None when no fixed date
    rule: str  # agreement ID
    recipient: str | None  # "bopaelskommune", "opholdskommune" or "handlekommune"


@dataclass(frozen=True, slots=True)
class ScenarioPlan:
    scenario: int | None
    branch: str | None  # "B4", "B5" or None
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        return SCENARIO_LABELS[self.scenario]


def varsling_due(expected: date | None, cal: WorkCalendar, settings: RuleSettings | None = None) -> date | None:
    """Latest varsling day (B5): the rule's offset before færdigbehandlet, moved back to a working day."""
    if expected is None:
        return None
    return apply_offset((settings or DEFAULT_SETTINGS).rule("varsling"), expected, cal)


def decide(answers: ScenarioAnswers, cal: WorkCalendar, settings: RuleSettings | None = None) -> ScenarioPlan:
    """The steps the center owes the kommune for these answers (B1–B5, C2)."""
    scenario = answers.scenario
    if scenario is None:
        return ScenarioPlan(scenario=None, branch=None, steps=())
    contact = recipient_role(homeless=answers.homeless, handlekommune_known=answers.handlekommune_known)
    first = Step("orientering_indlaeggelse", answers.admitted, f"B{scenario}", contact)
    if scenario == 1:
        return ScenarioPlan(1, None, (first, Step("orientering_udskrivning", None, "B1", contact)))
    if answers.branch == "B4":
        return ScenarioPlan(scenario, "B4", (first, Step("orientering_udskrivning", None, "B4", contact)))
    notify = recipient_role(homeless=answers.homeless, b5=True)
    expected = answers.expected_faerdigbehandlet
    steps = (
        first,
        Step("netvaerksmoede", None, "C2", contact),
        Step("varsling", varsling_due(expected, cal, settings), "B5", notify),
        Step("faerdigmelding", expected, "B5", notify),
    )
    return ScenarioPlan(scenario, "B5", steps)


# -- the questions, one at a time (A1, B1–B5) ------------------------------------------------------


class Question(StrEnum):
    """The questions that decide the scenario; the value is the answer's key in the stored answers."""

    HAS_INDSATS = "has_indsats"  # A1: does the patient have a municipal indsats today?
    NEED_GREATER = "need_greater"  # B1/B2: with an indsats, is the need at discharge greater?
    MAY_NEED_SUPPORT = "may_need_support"  # B3: without one, may the patient need support?
    CAN_DISCHARGE_BEFORE_SUPPORT = "can_discharge_before_support"  # B4/B5


def _answer(value: Any) -> bool | None:
    return None if value is None else bool(value)


@dataclass(frozen=True, slots=True)
class ScenarioChoices:
    """The answers given so far, ``None`` where a question is not answered.

    An answer to a question the other answers skip is kept (going back and choosing again brings it back)
    but does not count: an unanswered or skipped question counts as "no" – and B4/B5 as B4, no varsling.
    """

    has_indsats: bool | None = None
    need_greater: bool | None = None
    may_need_support: bool | None = None
    can_discharge_before_support: bool | None = None

    @classmethod
    def stored(cls, data: Mapping[str, Any] | None, scenario: int | None) -> ScenarioChoices:
        """The answers of the last assessment (``Admission.scenario_answers`` and ``scenario``). The B4/B5 answer
        counts only if that question was asked then: it is stored as ``True`` when it was not."""
        data = data or {}
        asked = scenario in BRANCHED_SCENARIOS or data.get("branch") in ("B4", "B5")
        return cls(
            has_indsats=_answer(data.get(Question.HAS_INDSATS.value)),
            need_greater=_answer(data.get(Question.NEED_GREATER.value)),
            may_need_support=_answer(data.get(Question.MAY_NEED_SUPPORT.value)),
            can_discharge_before_support=(
                _answer(data.get(Question.CAN_DISCHARGE_BEFORE_SUPPORT.value)) if asked else None
            ),
        )

    @property
    def scenario(self) -> int | None:
        return scenario_for(
            has_indsats=bool(self.has_indsats),
            need_greater=bool(self.need_greater),
            may_need_support=bool(self.may_need_support),
        )

    @property
    def branch(self) -> str | None:
        return branch_for(self.scenario, can_discharge_before_support=self.can_discharge_before_support is not False)

    @property
    def needs_expected_date(self) -> bool:
        """B5: the varsling deadline is counted back from the expected færdigbehandlet date. Elsewhere nothing is
        varslet, and the date is optional (kept on the admission for a later change of scenario)."""
        return self.branch == "B5"

    def next_question(self, after: Question) -> Question | None:
        """The question that follows the answer to ``after``; ``None`` when the scenario and branch are decided."""
        if after is Question.HAS_INDSATS:
            return Question.MAY_NEED_SUPPORT if self.has_indsats is False else Question.NEED_GREATER
        if after in (Question.NEED_GREATER, Question.MAY_NEED_SUPPORT) and self.scenario in BRANCHED_SCENARIOS:
            return Question.CAN_DISCHARGE_BEFORE_SUPPORT
        return None

    def counted(self) -> tuple[bool, bool, bool, bool]:
        """The answers that count, in ``Question`` order: a skipped question gets its "no" (B4/B5: ``True``,
        can be discharged – nothing to varsle). What an assessment stores."""
        has_indsats = bool(self.has_indsats)
        return (
            has_indsats,
            has_indsats and bool(self.need_greater),
            not has_indsats and bool(self.may_need_support),
            self.branch != "B5",
        )


def plan_notes(
    branch: str | None, expected: date | None, *, wants_to_leave: bool, consent_given: bool
) -> tuple[str, ...]:
    """What the plan for these answers cannot do yet, in Danish: B8 without consent, B5 without a date."""
    notes = []
    if wants_to_leave and not consent_given:
        notes.append("B8: uden samtykke må kommunen ikke orienteres om patienten, der ønsker udskrivning.")
    if branch == "B5" and expected is None:
        notes.append("B5: uden forventet færdigbehandlet-dato kan varslingsfristen ikke beregnes endnu.")
    return tuple(notes)


# -- the current assessment (what the process's guards and the deadlines read) ----------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """The admission's current scenario assessment (A1, B1–B5): the latest SCENARIO_ASSESSED event with answers,
    else the answers stored on the admission (imported or demo data).

    ``assessed`` is false when neither exists: the coordinator has not answered the wizard yet. ``scenario`` is
    ``None`` both then and for "intet scenarie" (no indsats, no need); ``branch`` is ``"B4"``/``"B5"`` in scenarios
    2 and 3. ``identified_on`` is the day the need was first identified (the first assessment that found a
    scenario, never before admission; the admission day when none did); ``expected`` the expected færdigbehandlet
    date given with the answers.
    """

    assessed: bool
    scenario: int | None
    branch: str | None
    identified_on: date
    expected: date | None = None


def assessment_from(admission: Admission, found: Iterable[tuple[Mapping[str, Any], date]]) -> Assessment:
    """``Assessment`` from the answers of each SCENARIO_ASSESSED event (its data and Danish date), oldest first;
    with none, from ``admission.scenario_answers`` and ``admission.scenario``. Contradictory answers fall back to a
    recorded ``"scenario"``."""
    assessments = [(data, day) for data, day in found if data]
    if not assessments:
        stored = dict(admission.scenario_answers)
        if admission.scenario is not None:
            stored.setdefault("scenario", admission.scenario)
        assessments = [(stored, admission.admitted)] if stored else []
    scenario: int | None = None
    branch: str | None = None
    expected: date | None = None
    identified: date | None = None
    for data, day in assessments:
        scenario, branch, expected = None, data.get("branch"), None
        if {"has_indsats", "need_greater", "may_need_support"} & data.keys():
            try:
                answers = ScenarioAnswers.from_mapping(admission.admitted, data)
            except (ValidationError, ValueError):
                answers = None
            if answers is not None:
                scenario, expected = answers.scenario, answers.expected_faerdigbehandlet
                branch = branch or answers.branch
        if isinstance(data.get("scenario"), int) and data["scenario"] in (1, 2, 3):
            scenario = data["scenario"]
        if scenario is not None and identified is None:
            identified = max(day, admission.admitted)
    if scenario not in BRANCHED_SCENARIOS:
        branch = None
    return Assessment(
        assessed=bool(assessments),
        scenario=scenario,
        branch=branch,
        identified_on=identified or admission.admitted,
        expected=expected,
    )


def current_assessment(admission: Admission, events: Iterable[Event]) -> Assessment:
    """The admission's current assessment from its (uncorrected) history; see ``assessment_from``."""
    return assessment_from(
        admission,
        (
            (event.data, local_date(event.occurred_at))
            for event in effective_events(events)
            if event.kind is EventKind.SCENARIO_ASSESSED
        ),
    )


def expected_judged_by(expected: date | None, events: Iterable[Event]) -> str:
    """B5: who judged the admission's current expected færdigbehandlet date – the doctor named on the latest
    (uncorrected) judgement, if that judgement gave this date; ``""`` otherwise."""
    if expected is None:
        return ""
    for event in reversed(effective_events(events)):
        if event.kind is EventKind.EXPECTED_FAERDIGBEHANDLET:
            if event.data.get("date") == expected.isoformat():
                return str(event.data.get("by") or "")
            return ""
    return ""
