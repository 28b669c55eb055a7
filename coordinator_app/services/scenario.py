"""Scenario assessment (A1, B1–B5): record the coordinator's answers and show the plan they produce.

The wizard calls ``preview`` on its last page and ``assess`` on Finish. Re-assessing later (e.g. after an
afmelding, B7) records a new SCENARIO_ASSESSED event: the history keeps every assessment, the latest wins.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import AdmissionFlags, ConsentMethod, Event, EventKind
from coordinator_app.domain.process import replay
from coordinator_app.domain.rules import RuleSettings
from coordinator_app.domain.scenarios import (
    SCENARIO_LABELS,
    ScenarioAnswers,
    ScenarioChoices,
    ScenarioPlan,
    decide,
    expected_judged_by,
)
from coordinator_app.domain.special_groups import homeless_kommune_known, recipient_kommune
from coordinator_app.services.admissions import Changes
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository, KommuneRepository

STEP_LABELS = {
    "orientering_indlaeggelse": "Orientering/kontakt til kommunen",
    "orientering_udskrivning": "Orientering om udskrivning",
    "varsling": "Varsling (varslingsblanket)",
    "faerdigmelding": "Færdigmelding",
    "netvaerksmoede": "Netværksmøde",
}


@dataclass(frozen=True)
class ScenarioAssessment:
    """What the wizard asks (only what the engine needs), plus who judged the færdigbehandlet date."""

    has_indsats: bool
    need_greater: bool = False
    may_need_support: bool = False
    can_discharge_before_support: bool = True
    expected_faerdigbehandlet: date | None = None
    judged_by: str = ""  # B5: færdigbehandlet is a medical judgement — by whom
    flags: AdmissionFlags = dataclasses.field(default_factory=AdmissionFlags)
    consent: ConsentInput | None = None  # F1: consent given now (to whom, how)

    @classmethod
    def from_choices(
        cls,
        choices: ScenarioChoices,
        *,
        expected_faerdigbehandlet: date | None = None,
        judged_by: str = "",
        flags: AdmissionFlags | None = None,
        consent: ConsentInput | None = None,
    ) -> ScenarioAssessment:
        """The wizard's answers as given: only those that count are kept (``ScenarioChoices.counted``), and who
        judged the date only with a date."""
        has_indsats, need_greater, may_need_support, can_discharge = choices.counted()
        return cls(
            has_indsats=has_indsats,
            need_greater=need_greater,
            may_need_support=may_need_support,
            can_discharge_before_support=can_discharge,
            expected_faerdigbehandlet=expected_faerdigbehandlet,
            judged_by=judged_by.strip() if expected_faerdigbehandlet else "",
            flags=flags if flags is not None else AdmissionFlags(),
            consent=consent,
        )


@dataclass(frozen=True)
class PlanStepView:
    kind: str
    label: str  # Danish
    due: date | None
    rule: str
    recipient_role: str | None
    kommune_code: str | None
    kommune_name: str | None
    secure_mail: str | None  # F3: the kommune's system entrance, from the directory


@dataclass(frozen=True)
class PlanView:
    scenario: int | None
    label: str  # Danish, e.g. "Scenarie 2: har indsats, større behov"
    branch: str | None  # "B4" / "B5" / None
    steps: tuple[PlanStepView, ...]


class ScenarioService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @property
    def rules(self) -> RuleSettings:
        """The ward's rule units (Indstillinger → Kalender og regler): what the wizard's texts describe."""
        return self._ctx.rules

    def _answers(self, admitted: date, a: ScenarioAssessment, handlekommune_known: bool) -> ScenarioAnswers:
        return ScenarioAnswers(
            admitted=admitted,
            has_indsats=a.has_indsats,
            need_greater=a.need_greater if a.has_indsats else False,
            may_need_support=a.may_need_support if not a.has_indsats else False,
            can_discharge_before_support=a.can_discharge_before_support,
            expected_faerdigbehandlet=a.expected_faerdigbehandlet,
            homeless=a.flags.homeless,
            handlekommune_known=handlekommune_known,
        )

    def preview(self, admission_id: int, assessment: ScenarioAssessment) -> PlanView:
        """The plan these answers give: scenario, each step with due date, recipient kommune and rule."""
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            kommuner = KommuneRepository(session)
            answers = self._answers(admission.admitted, assessment, admission.handlekommune is not None)
            plan: ScenarioPlan = decide(answers, self._ctx.calendar, self._ctx.rules)
            flagged = dataclasses.replace(admission, flags=assessment.flags)
            steps = []
            for step in plan.steps:
                code = recipient_kommune(flagged, step.recipient)
                kommune = kommuner.get(code) if code else None
                steps.append(
                    PlanStepView(
                        kind=step.kind,
                        label=STEP_LABELS.get(step.kind, step.kind),
                        due=step.due,
                        rule=step.rule,
                        recipient_role=step.recipient,
                        kommune_code=code,
                        kommune_name=kommune.name if kommune else None,
                        secure_mail=kommune.secure_mail if kommune else None,
                    )
                )
        return PlanView(plan.scenario, SCENARIO_LABELS[plan.scenario], plan.branch, tuple(steps))

    def assess(self, admission_id: int, assessment: ScenarioAssessment) -> Changes:
        """Store the answers on the admission and in its history; record consent given at the same time."""
        require(self._ctx, Permission.EDIT_ADMISSION)
        if assessment.consent is not None:
            require(self._ctx, Permission.MANAGE_CONSENT)
        today = self._ctx.clock.today()
        now = self._ctx.clock.now()
        if assessment.expected_faerdigbehandlet is not None:
            validation.require_name(
                assessment.judged_by, field="judged_by", label="Navnet på lægen, der har vurderet datoen,"
            )
        with self._ctx.database.session() as session:
            admissions = AdmissionRepository(session)
            events = EventRepository(session)
            admission = admissions.get(admission_id)
            history = events.for_admission(admission_id)
            state = replay(admission, history)
            if state.is_discharged:
                raise ValidationError(
                    "Indlæggelsen er afsluttet; scenariet kan ikke vurderes igen. Opret en ny indlæggelse.",
                    field="admission",
                )
            validation.check_admission_dates(
                admission.admitted, None, assessment.expected_faerdigbehandlet, today=today
            )
            if assessment.flags.homeless and not homeless_kommune_known(admission):
                raise ValidationError(
                    "En hjemløs patient skal have en opholdskommune eller handlekommune (A5, B5). "
                    "Ret indlæggelsen først.",
                    field="homeless",
                    rule="A5",
                )
            answers = self._answers(admission.admitted, assessment, admission.handlekommune is not None)
            plan = decide(answers, self._ctx.calendar, self._ctx.rules)
            data = {
                "has_indsats": answers.has_indsats,
                "need_greater": answers.need_greater,
                "may_need_support": answers.may_need_support,
                "can_discharge_before_support": answers.can_discharge_before_support,
                "expected_faerdigbehandlet": (
                    answers.expected_faerdigbehandlet.isoformat() if answers.expected_faerdigbehandlet else None
                ),
                "homeless": answers.homeless,
                "handlekommune_known": answers.handlekommune_known,
                "scenario": plan.scenario,
                "branch": plan.branch,
            }
            # A new date, or the same date now with a doctor's name (e.g. typed in the admission form without one),
            # is recorded as a judgement: the varsling names who judged it (B5).
            expected_changed = assessment.expected_faerdigbehandlet != admission.expected_faerdigbehandlet or (
                assessment.judged_by.strip() != expected_judged_by(admission.expected_faerdigbehandlet, history)
            )
            admissions.update(
                dataclasses.replace(
                    admission,
                    scenario=plan.scenario,
                    scenario_answers=data,
                    flags=assessment.flags,
                    expected_faerdigbehandlet=assessment.expected_faerdigbehandlet,
                )
            )
            user = self._ctx.user
            events.append(
                Event(
                    None,
                    admission_id,
                    EventKind.SCENARIO_ASSESSED,
                    now,
                    user,
                    data=data,
                    note=SCENARIO_LABELS[plan.scenario],
                )
            )
            if expected_changed and assessment.expected_faerdigbehandlet is not None:
                events.append(
                    Event(
                        None,
                        admission_id,
                        EventKind.EXPECTED_FAERDIGBEHANDLET,
                        now,
                        user,
                        data={
                            "date": assessment.expected_faerdigbehandlet.isoformat(),
                            "by": assessment.judged_by.strip(),
                        },
                        note=f"Vurderet af {assessment.judged_by.strip()}",
                    )
                )
            if assessment.consent is not None:
                ConsentService.record_in(session, self._ctx, admission.patient_id, admission_id, assessment.consent)
        return Changes(admission_id=admission_id, patient_id=admission.patient_id)


__all__ = [
    "ConsentInput",
    "ConsentMethod",
    "PlanStepView",
    "PlanView",
    "ScenarioAssessment",
    "ScenarioChoices",
    "ScenarioService",
]
