"""The discharge and the plan it needs (E1/E2): a patient is not discharged quietly without a required
udskrivningsaftale or koordinationsplan.

Two ways lead to a discharge, and both come here inside their own transaction:

* **Send → «Udskriv patienten…»** (``NotificationService.send`` with ``EventKind.DISCHARGE``) calls
  ``without_plan_in``: when the required plan is missing on the discharge day, the domain refuses
  (``discharge_plans.discharge_without_plan``: ``ValidationError`` naming E1/E2, ``field=WITHOUT_PLAN_FIELD``)
  until the coordinator says why; the answer is then recorded on the discharge event (its ``data`` and note), where
  the history, the plan's warning (``PlanService.panel``) and Statistik read it.
* **Ret indlæggelse** with a discharge date typed in (``AdmissionService.update_admission``) calls
  ``refuse_quiet_discharge``: it has no place for the answer, so a discharge that leaves a required plan missing is
  refused there and pointed to «Udskriv patienten…».

``recorded_without_plan`` finds the recorded answer again in an admission's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from coordinator_app.domain.discharge_plans import (
    PLAN_TITLES,
    PlanStatus,
    WithoutPlan,
    discharge_without_plan,
    missing_at_discharge,
)
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Admission, Event, EventKind
from coordinator_app.domain.process import effective_events
from coordinator_app.storage.plans import DischargePlanRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["recorded_without_plan", "refuse_quiet_discharge", "without_plan_in"]


def without_plan_in(session: Session, admission: Admission, on: date, reason: str | None) -> WithoutPlan | None:
    """E1/E2 for a discharge of ``admission`` on ``on``, in the caller's transaction: ``None`` when no required
    plan is missing; the record to keep on the discharge event when one is and ``reason`` says why; otherwise
    the domain's refusal (``ValidationError`` with the rule, ``field=WITHOUT_PLAN_FIELD``)."""
    assert admission.id is not None
    plans = DischargePlanRepository(session).for_admission(admission.id)
    missing = missing_at_discharge(admission.plan_facts, plans, on)
    draft = bool(plans) and plans[-1].status is PlanStatus.KLADDE
    return discharge_without_plan(missing, reason, draft=draft)


def refuse_quiet_discharge(session: Session, admission: Admission, discharged: date | None) -> None:
    """A discharge date typed into the admission (no discharge event, no place for a reason) is refused when it
    leaves a required plan missing: the coordinator discharges with «Udskriv patienten…», which asks why."""
    if discharged is None or admission.discharged is not None or admission.id is None:
        return
    plans = DischargePlanRepository(session).for_admission(admission.id)
    missing = missing_at_discharge(admission.plan_facts, plans, discharged)
    if missing is None or missing.kind is None:
        return
    title = PLAN_TITLES[missing.kind]
    raise ValidationError(
        f"{title} mangler ({missing.rule_id}). Udskriv patienten med Send → «Udskriv patienten…», hvor du kan "
        f"skrive, hvorfor der ikke er en {title.lower()}, eller sæt den i kraft under fanen Aftale/plan først.",
        field="discharged",
        rule=missing.rule_id,
    )


def recorded_without_plan(events: Sequence[Event]) -> WithoutPlan | None:
    """The answer recorded on the admission's (effective, not corrected) discharge, if it left without the plan."""
    discharges = [e for e in effective_events(events) if e.kind is EventKind.DISCHARGE]
    return WithoutPlan.from_data(discharges[-1].data) if discharges else None
