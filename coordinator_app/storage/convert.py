"""Rows ↔ model dataclasses. Readers accept ORM instances and Core rows alike (attribute access).

When the lead adds ``version: int | None`` to ``Patient``/``Admission`` (for optimistic locking across
sessions) the conversions fill it in automatically and the repositories check it on update.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from coordinator_app.domain.model import (
    Admission,
    AdmissionFlags,
    ArchivedDocument,
    Channel,
    Consent,
    ConsentMethod,
    ConsentRecipient,
    Event,
    EventKind,
    Kommune,
    Patient,
    PlanFacts,
)

#: ``model.AdmissionFlags`` and ``model.PlanFacts``, one column each in ``admissions`` (test_orm_mapping checks the
#: names match the dataclasses). Here, not in ``orm``: this module needs no SQLAlchemy (the first screen, issue 7).
FLAG_COLUMNS: tuple[str, ...] = (
    "homeless",
    "botilbud",
    "misbrug",
    "retslig_foranstaltning",
    "children",
    "lab_par6",
    "wants_to_leave",
    "multiple_antipsychotics",
)

PLAN_FACT_COLUMNS: tuple[str, ...] = ("afsnit_v_support", "wont_seek_help", "refuses_participation")

PATIENT_HAS_VERSION = "version" in {f.name for f in fields(Patient)}
ADMISSION_HAS_VERSION = "version" in {f.name for f in fields(Admission)}


def kommune_values(k: Kommune) -> dict[str, Any]:
    return {"code": k.code, "name": k.name, "region": k.region, "secure_mail": k.secure_mail}


def kommune_from(row: Any) -> Kommune:
    return Kommune(code=row.code, name=row.name, region=row.region, secure_mail=row.secure_mail)


def wards_by_centre(rows: Iterable[Sequence[Any]]) -> dict[str, list[str]]:
    """Centre name → its ward names, from ``selects.CENTRES_WITH_WARDS``' (centre, ward or None) rows."""
    out: dict[str, list[str]] = {}
    for centre, ward in rows:
        wards = out.setdefault(centre, [])
        if ward is not None:
            wards.append(ward)
    return out


def patient_values(p: Patient) -> dict[str, Any]:
    return {
        "cpr": p.cpr,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "replacement_cpr": p.replacement_cpr,
        "address": p.address,
        "phone": p.phone,
    }


def patient_from(row: Any) -> Patient:
    extra = {"version": row.version} if PATIENT_HAS_VERSION else {}
    return Patient(
        id=row.id,
        cpr=row.cpr,
        given_name=row.given_name,
        family_name=row.family_name,
        replacement_cpr=row.replacement_cpr,
        address=row.address,
        phone=row.phone,
        **extra,
    )


def admission_values(a: Admission) -> dict[str, Any]:
    values = {
        "patient_id": a.patient_id,
        "center": a.center,
        "ward": a.ward,
        "admitted": a.admitted,
        "discharged": a.discharged,
        "bopaelskommune": a.bopaelskommune,
        "opholdskommune": a.opholdskommune,
        "handlekommune": a.handlekommune,
        "involuntary": a.involuntary,
        "expected_faerdigbehandlet": a.expected_faerdigbehandlet,
        "scenario": a.scenario,
        "scenario_answers": dict(a.scenario_answers),
        "demo": a.demo,
        "planned_discharge": a.planned_discharge,
    }
    for name in FLAG_COLUMNS:
        values[name] = getattr(a.flags, name)
    for name in PLAN_FACT_COLUMNS:
        values[name] = getattr(a.plan_facts, name)
    return values


def admission_from(row: Any) -> Admission:
    extra = {"version": row.version} if ADMISSION_HAS_VERSION else {}
    return Admission(
        id=row.id,
        patient_id=row.patient_id,
        center=row.center,
        ward=row.ward,
        admitted=row.admitted,
        bopaelskommune=row.bopaelskommune,
        opholdskommune=row.opholdskommune,
        handlekommune=row.handlekommune,
        discharged=row.discharged,
        involuntary=row.involuntary,
        expected_faerdigbehandlet=row.expected_faerdigbehandlet,
        scenario=row.scenario,
        scenario_answers=dict(row.scenario_answers or {}),
        flags=AdmissionFlags(**{name: getattr(row, name) for name in FLAG_COLUMNS}),
        demo=row.demo,
        plan_facts=PlanFacts(**{name: getattr(row, name) for name in PLAN_FACT_COLUMNS}),
        planned_discharge=row.planned_discharge,
        **extra,
    )


def event_values(e: Event) -> dict[str, Any]:
    if e.occurred_at.tzinfo is None:
        raise ValueError(f"Event.occurred_at must be timezone-aware (UTC), got {e.occurred_at!r}")
    return {
        "admission_id": e.admission_id,
        "kind": EventKind(e.kind).value,
        "occurred_at": e.occurred_at,
        "recorded_by": e.recorded_by,
        "recipient_kommune": e.recipient_kommune,
        "channel": Channel(e.channel).value if e.channel is not None else None,
        "note": e.note,
        "data": dict(e.data),
        "corrects_event_id": e.corrects_event_id,
    }


_KINDS = {k.value: k for k in EventKind}
_CHANNELS: dict[str | None, Channel | None] = {c.value: c for c in Channel}
_CHANNELS[None] = None


def event_from(row: Any) -> Event:
    return Event(
        id=row.id,
        admission_id=row.admission_id,
        kind=_KINDS[row.kind],
        occurred_at=row.occurred_at,
        recorded_by=row.recorded_by,
        recipient_kommune=row.recipient_kommune,
        channel=_CHANNELS[row.channel],
        note=row.note,
        data=row.data if row.data is not None else {},
        corrects_event_id=row.corrects_event_id,
    )


def events_from(rows: Iterable[Sequence[Any]]) -> list[Event]:
    """Many events from plain tuples in ``EVENT_FIELDS`` order (a ward's histories: ~20,000 rows).

    Positional unpacking and dict lookups instead of attribute access and ``Enum(value)``: about
    twice as fast, which the patient list feels on every refresh.
    """
    kinds, channels = _KINDS, _CHANNELS
    return [
        Event(id_, adm, kinds[kind], at, by, recipient, channels[channel], note, data or {}, corrects)
        for id_, adm, kind, at, by, recipient, channel, note, data, corrects in rows
    ]


#: Column order for ``events_from`` (the order of ``model.Event``'s fields).
EVENT_FIELDS = tuple(f.name for f in fields(Event))


def utc(moment: datetime, what: str) -> datetime:
    """``moment`` in UTC; a naive datetime is a bug (ValueError), as in ``types.UTCDateTime``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (UTC), got {moment!r}")
    return moment.astimezone(UTC)


def consent_values(c: Consent) -> dict[str, Any]:
    return {
        "patient_id": c.patient_id,
        "admission_id": c.admission_id,
        "recipient": ConsentRecipient(c.recipient).value,
        "given_to": c.given_to,
        "scope": c.scope,
        "method": ConsentMethod(c.method).value,
        "given_at": utc(c.given_at, "Consent.given_at"),
        "recorded_by": c.recorded_by,
        "withdrawn_at": None if c.withdrawn_at is None else utc(c.withdrawn_at, "Consent.withdrawn_at"),
        "note": c.note,
    }


def consent_from(row: Any) -> Consent:
    return Consent(
        id=row.id,
        patient_id=row.patient_id,
        recipient=ConsentRecipient(row.recipient),
        given_to=row.given_to,
        scope=row.scope,
        method=ConsentMethod(row.method),
        given_at=row.given_at,
        recorded_by=row.recorded_by,
        admission_id=row.admission_id,
        withdrawn_at=row.withdrawn_at,
        note=row.note,
    )


def document_values(d: ArchivedDocument) -> dict[str, Any]:
    """The row for a new document; ``content`` must be there (the archive keeps the exact bytes)."""
    return {
        "admission_id": d.admission_id,
        "kind": d.kind,
        "title": d.title,
        "created_at": utc(d.created_at, "ArchivedDocument.created_at"),
        "created_by": d.created_by,
        "sha256": d.sha256,
        "data_version": d.data_version,
        "event_id": d.event_id,
        "content": d.content,
        "patient_id": d.patient_id,
    }


def document_from(row: Any, *, with_content: bool = True) -> ArchivedDocument:
    """A document from a row; ``content`` is None unless asked for (and then bytes, never memoryview)."""
    content = bytes(row.content) if with_content else None
    return ArchivedDocument(
        id=row.id,
        admission_id=row.admission_id,
        kind=row.kind,
        title=row.title,
        created_at=row.created_at,
        created_by=row.created_by,
        sha256=row.sha256,
        data_version=row.data_version,
        event_id=row.event_id,
        content=content,
        patient_id=row.patient_id,
    )


#: Every document column but the bytes (listing many documents never loads their content).
DOCUMENT_FIELDS = tuple(f.name for f in fields(ArchivedDocument) if f.name != "content")
