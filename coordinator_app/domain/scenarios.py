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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.rules import DEFAULT_SETTINGS, RuleSettings, apply_offset
from coordinator_app.domain.special_groups import recipient_role
from coordinator_app.domain.workdays import WorkCalendar

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
        if self.has_indsats:
            return 2 if self.need_greater else 1
        return 3 if self.may_need_support else None

    @property
    def branch(self) -> str | None:
        """``"B4"`` or ``"B5"`` for scenarios 2 and 3; ``None`` otherwise."""
        if self.scenario in (2, 3):
            return "B4" if self.can_discharge_before_support else "B5"
        return None

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
