"""Udskrivningsaftaler and koordinationsplaner (E1–E3) in storage: the plans and their append-only versions.

A plan row carries its current state and a ``version`` (optimistic locking, as for admissions and meetings);
every ``add`` and ``update`` appends a ``discharge_plan_versions`` row (number 1, 2, …) with the status, content
and what the save was. Version rows are never changed: the ORM refuses it (``orm.DischargePlanVersionRow``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from coordinator_app.domain.discharge_plans import DischargePlan, PlanContent, PlanKind, PlanStatus, PlanVersion
from coordinator_app.domain.errors import NotFoundError
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import tables
from coordinator_app.storage.convert import utc
from coordinator_app.storage.failures import conflict

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, attributes

    from coordinator_app.storage import orm
else:
    attributes = lazy_import("sqlalchemy.orm.attributes")
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = ["DischargePlanRepository"]

_PLANS = tables.discharge_plans
_VERSIONS = tables.discharge_plan_versions


def plan_values(plan: DischargePlan) -> dict[str, Any]:
    """The columns ``update`` may change (everything but the plan's identity, owner, kind and creation)."""
    return {
        "status": PlanStatus(plan.status).value,
        "content": plan.content.to_dict(),
        "source_meeting_id": plan.source_meeting_id,
        "activated_on": plan.activated_on,
        "ended_on": plan.ended_on,
        "ended_reason": plan.ended_reason,
        "event_id": plan.event_id,
        "document_id": plan.document_id,
    }


def plan_from(row: Any) -> DischargePlan:
    return DischargePlan(
        id=row.id,
        admission_id=row.admission_id,
        patient_id=row.patient_id,
        kind=PlanKind(row.kind),
        status=PlanStatus(row.status),
        content=PlanContent.from_dict(row.content or {}),
        source_meeting_id=row.source_meeting_id,
        created_by=row.created_by,
        activated_on=row.activated_on,
        ended_on=row.ended_on,
        ended_reason=row.ended_reason,
        event_id=row.event_id,
        document_id=row.document_id,
        version=row.version,
    )


def version_from(row: Any) -> PlanVersion:
    return PlanVersion(
        number=row.number,
        saved_at=row.saved_at,
        saved_by=row.saved_by,
        status=PlanStatus(row.status),
        content=PlanContent.from_dict(row.content or {}),
        action=row.action,
    )


def _not_found(plan_id: int) -> NotFoundError:
    return NotFoundError(
        f"Udskrivningsaftalen/koordinationsplanen (nr. {plan_id}) findes ikke længere. En anden bruger kan have "
        "genindlæst data; opdatér visningen."
    )


class DischargePlanRepository:
    """Plans of an admission and their versions. ``update`` checks ``plan.version`` against the stored one
    (``ConflictError`` otherwise, also when another user saves in between) and appends the next version."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, plan: DischargePlan, *, saved_by: str, at: datetime, action: str) -> DischargePlan:
        """Insert ``plan`` (its ``id`` and ``version`` are ignored); returns it with id and version 1, after
        writing version row number 1 (status, content, action). ``created_by`` defaults to ``saved_by``."""
        at = utc(at, "DischargePlan.created_at")
        row = orm.DischargePlanRow(
            admission_id=plan.admission_id,
            patient_id=plan.patient_id,
            kind=PlanKind(plan.kind).value,
            **plan_values(plan),
            created_at=at,
            created_by=plan.created_by or saved_by,
            updated_at=at,
            updated_by=saved_by,
        )
        self._session.add(row)
        self._session.flush()
        added = plan_from(row)
        self._session.expunge(row)  # later reads and updates go to the database, never to this copy
        assert added.id is not None
        self._append_version(added.id, 1, added, saved_by=saved_by, at=at, action=action)
        return added

    def get(self, plan_id: int) -> DischargePlan:
        row = self._session.execute(select(_PLANS).where(_PLANS.c.id == plan_id)).first()
        if row is None:
            raise _not_found(plan_id)
        return plan_from(row)

    def for_admission(self, admission_id: int) -> list[DischargePlan]:
        """The admission's plans, oldest first."""
        rows = self._session.execute(select(_PLANS).where(_PLANS.c.admission_id == admission_id).order_by(_PLANS.c.id))
        return [plan_from(r) for r in rows]

    def for_patient(self, patient_id: int) -> list[DischargePlan]:
        """The patient's plans of every admission, oldest first."""
        rows = self._session.execute(select(_PLANS).where(_PLANS.c.patient_id == patient_id).order_by(_PLANS.c.id))
        return [plan_from(r) for r in rows]

    def update(self, plan: DischargePlan, *, saved_by: str, at: datetime, action: str) -> DischargePlan:
        """Save every mutable field and append the next version row; returns the plan with its new version.

        ``ConflictError`` (nothing written) when ``plan.version`` is not the stored version or another user
        saves in between. The admission, patient, kind and creator of a plan never change (``ValueError``)."""
        if plan.id is None:
            raise ValueError("update() needs a plan with an id; use add() for a new one")
        at = utc(at, "DischargePlan.updated_at")
        row = self._session.get(orm.DischargePlanRow, plan.id, populate_existing=True)
        if row is None:
            raise _not_found(plan.id)
        if plan.version != row.version:
            raise conflict()
        if (plan.admission_id, plan.patient_id, PlanKind(plan.kind).value) != (
            row.admission_id,
            row.patient_id,
            row.kind,
        ):
            raise ValueError(f"plan {plan.id}: its admission, patient and kind cannot be changed")
        for key, value in plan_values(plan).items():
            setattr(row, key, value)
        row.updated_at = at
        row.updated_by = saved_by
        attributes.flag_modified(row, "updated_at")  # a save that changes nothing still moves the version on
        # The UPDATE … WHERE version = ? first: it raises on a concurrent save and, on PostgreSQL, holds the
        # plan's row lock, so the next number below is ours alone.
        self._session.flush()
        updated = plan_from(row)
        self._session.expunge(row)
        number = self._session.scalar(select(func.max(_VERSIONS.c.number)).where(_VERSIONS.c.plan_id == plan.id))
        self._append_version(plan.id, int(number or 0) + 1, updated, saved_by=saved_by, at=at, action=action)
        return updated

    def versions(self, plan_id: int) -> list[PlanVersion]:
        """Every saved version of the plan, oldest first (empty for an unknown plan)."""
        rows = self._session.execute(
            select(_VERSIONS).where(_VERSIONS.c.plan_id == plan_id).order_by(_VERSIONS.c.number)
        )
        return [version_from(r) for r in rows]

    def _append_version(
        self, plan_id: int, number: int, plan: DischargePlan, *, saved_by: str, at: datetime, action: str
    ) -> None:
        row = orm.DischargePlanVersionRow(
            plan_id=plan_id,
            number=number,
            saved_at=at,
            saved_by=saved_by,
            status=PlanStatus(plan.status).value,
            action=action,
            content=plan.content.to_dict(),
        )
        self._session.add(row)
        self._session.flush()
        self._session.expunge(row)  # nothing can flush a change to it later
