"""Udskrivningsaftale (§13a) and koordinationsplan (§13b): the operations behind the Aftale/plan tab (E1–E3).

CONTRACT (signatures below are fixed). The UI calls only these.

* ``panel`` is everything the tab shows: the admission's facts, the requirement and warning
  (``discharge_plans.overview``), this admission's plans with their lifecycle state, the patient's previous plan
  (to copy at a new discharge, E3) and the patient's netværksmøder (to pull content from).
* ``set_facts`` saves the three requirement facts and the planned discharge day on the admission (optimistic:
  ``ConflictError`` when the admission changed since it was read).
* ``create`` starts a kladde (kind from the requirement when not given), optionally pulled from a netværksmøde
  or copied from the patient's previous plan. ``save`` stores a kladde's content (each save is a version).
  ``pull_from_meeting`` merges a meeting's participants and agreements into a kladde.
* ``activate`` puts a kladde in force, or issues a revised version of a plan in force: ``check_complete`` must
  pass (``ValidationError`` with the first problem, ``field`` set), then in one transaction the plan is saved as
  I_KRAFT, the milestone event (``rules.Milestone``, ``data["end"]``, ``data["plan_id"]``) is recorded on the
  admission — a revision corrects the previous one — and the PDF is rendered and archived with its hash.
* ``end`` ends a plan by hand before its end date (reason required); its milestone event stays (the plan
  existed), the lifecycle says Afsluttet. A kladde that is ended is simply dropped from the warning.
* Every write appends a ``PlanVersion``; ``versions`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coordinator_app.discharge_plans import (
    DischargePlan,
    Lifecycle,
    PlanContent,
    PlanFacts,
    PlanKind,
    PlanOverview,
    PlanVersion,
)
from coordinator_app.model import Admission, ArchivedDocument
from coordinator_app.services.context import ServiceContext

PLAN_DOCUMENT_KIND = {  # ArchivedDocument.kind of each plan kind
    PlanKind.UDSKRIVNINGSAFTALE: "udskrivningsaftale",
    PlanKind.KOORDINATIONSPLAN: "koordinationsplan",
}


@dataclass(frozen=True, slots=True)
class MeetingChoice:
    """A netværksmøde of the patient that content can be pulled from."""

    meeting_id: int
    label: str  # e.g. "NM-2026-0012 · 20-11-2026 · afsluttet"
    agreements: int  # number of agreements in it


@dataclass(frozen=True)
class PlanPanel:
    admission: Admission  # with plan_facts, planned_discharge and version (for set_facts)
    patient_name: str
    overview: PlanOverview
    plans: tuple[DischargePlan, ...]  # this admission's, oldest first
    states: dict[int, Lifecycle] = field(default_factory=dict)  # plan id → lifecycle today
    previous: DischargePlan | None = None  # the newest plan of an earlier admission of the patient
    meetings: tuple[MeetingChoice, ...] = ()  # newest first


class PlanService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def panel(self, admission_id: int) -> PlanPanel:
        raise NotImplementedError

    def set_facts(
        self, admission_id: int, facts: PlanFacts, planned_discharge: date | None, *, expected_version: int
    ) -> Admission:
        """Returns the admission with its new version."""
        raise NotImplementedError

    def create(
        self,
        admission_id: int,
        kind: PlanKind | None = None,
        *,
        from_meeting_id: int | None = None,
        copy_previous: bool = False,
    ) -> DischargePlan:
        """A new kladde. ``kind`` None: the required kind (udskrivningsaftale when nothing is required).
        Prefills the psychiatric department (centre, ward) and the bopælskommune as parties, and the patient for
        an udskrivningsaftale; start = today."""
        raise NotImplementedError

    def save(self, plan_id: int, content: PlanContent, *, expected_version: int) -> DischargePlan:
        """Store a kladde's content (impossible dates refused at once). A plan in force is changed with
        ``activate`` (a new issued version) instead: ``ValidationError`` here."""
        raise NotImplementedError

    def pull_from_meeting(self, plan_id: int, meeting_id: int, *, expected_version: int) -> DischargePlan:
        raise NotImplementedError

    def activate(
        self, plan_id: int, content: PlanContent, *, expected_version: int
    ) -> tuple[DischargePlan, ArchivedDocument]:
        raise NotImplementedError

    def end(self, plan_id: int, reason: str, *, expected_version: int, on: date | None = None) -> DischargePlan:
        """``on`` defaults to today."""
        raise NotImplementedError

    def versions(self, plan_id: int) -> list[PlanVersion]:
        """Oldest first."""
        raise NotImplementedError

    def draft_pdf(self, plan_id: int, content: PlanContent | None = None) -> bytes:
        """A preview PDF marked KLADDE (not archived), from ``content`` when given (unsaved edits)."""
        raise NotImplementedError
