"""Netværksmøder ↔ JSON: the template's sections and the meeting content, serialised explicitly.

Dates are ISO strings, enums their values. Readers are lenient (a missing key takes the dataclass default,
an unknown key is ignored), so a content saved by an older or newer build still opens: a meeting's minutes
must never become unreadable because the app was updated.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    Inviter,
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    MeetingTemplate,
    Occasion,
    Participant,
    SectionKind,
    TemplateSection,
)
from coordinator_app.domain.model import Sector

#: Bumped when the shape changes incompatibly (readers then convert); stored in every content document.
CONTENT_SCHEMA = 1


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _key(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# -- template sections ------------------------------------------------------------------------------------
def section_to_json(s: TemplateSection) -> dict[str, Any]:
    return {
        "key": s.key,
        "kind": SectionKind(s.kind).value,
        "title": s.title,
        "guidance": s.guidance,
        "required": s.required,
        "default_items": list(s.default_items),
        "health_professional_only": s.health_professional_only,
    }


def section_from_json(d: dict[str, Any]) -> TemplateSection:
    return TemplateSection(
        key=_str(d.get("key")),
        kind=SectionKind(d.get("kind", SectionKind.TEXT.value)),
        title=_str(d.get("title")),
        guidance=_str(d.get("guidance")),
        required=bool(d.get("required", False)),
        default_items=tuple(_str(i) for i in d.get("default_items") or ()),
        health_professional_only=bool(d.get("health_professional_only", False)),
    )


def sections_to_json(sections: tuple[TemplateSection, ...]) -> list[dict[str, Any]]:
    return [section_to_json(s) for s in sections]


def sections_from_json(data: Any) -> tuple[TemplateSection, ...]:
    return tuple(section_from_json(d) for d in data or ())


# -- meeting content --------------------------------------------------------------------------------------
def participant_to_json(p: Participant) -> dict[str, Any]:
    return {
        "key": p.key,
        "name": p.name,
        "organisation": p.organisation,
        "sector": None if p.sector is None else Sector(p.sector).value,  # None: not chosen yet (C1)
        "role": p.role,
        "phone": p.phone,
        "email": p.email,
        "present": p.present,
        "health_professional": p.health_professional,
    }


def _sector(value: Any) -> Sector | None:
    """A sector not chosen yet (null, or no key) stays unchosen; one this build does not know reads as "Andet"."""
    if value is None:
        return None
    text = _str(value)
    return Sector(text) if text in Sector._value2member_map_ else Sector.ANDET


def participant_from_json(d: dict[str, Any]) -> Participant:
    return Participant(
        key=_str(d.get("key")),
        name=_str(d.get("name")),
        organisation=_str(d.get("organisation")),
        sector=_sector(d.get("sector")),
        role=_str(d.get("role")),
        phone=_str(d.get("phone")),
        email=_str(d.get("email")),
        present=bool(d.get("present", True)),
        health_professional=bool(d.get("health_professional", False)),
    )


def agreement_to_json(a: AgreementItem) -> dict[str, Any]:
    return {
        "key": a.key,
        "what": a.what,
        "owner_key": a.owner_key,
        "deadline": _iso(a.deadline),
        "status": AgreementStatus(a.status).value,
    }


def agreement_from_json(d: dict[str, Any]) -> AgreementItem:
    status = _str(d.get("status"))
    return AgreementItem(
        key=_str(d.get("key")),
        what=_str(d.get("what")),
        owner_key=_key(d.get("owner_key")),
        deadline=_day(d.get("deadline")),
        status=AgreementStatus(status) if status in AgreementStatus._value2member_map_ else AgreementStatus.AABEN,
    )


def content_to_json(c: MeetingContent) -> dict[str, Any]:
    return {
        "schema": CONTENT_SCHEMA,
        "texts": {str(k): str(v) for k, v in c.texts.items()},
        "participants": [participant_to_json(p) for p in c.participants],
        "leader_key": c.leader_key,
        "referent_key": c.referent_key,
        "tovholder_key": c.tovholder_key,
        "agreements": [agreement_to_json(a) for a in c.agreements],
        "follow_up": {
            "needed": c.follow_up.needed,
            "when": _iso(c.follow_up.when),
            "caller_key": c.follow_up.caller_key,
        },
        "invited_by": {"name": c.invited_by.name, "organisation": c.invited_by.organisation},
        "agenda_with_patient": c.agenda_with_patient,
    }


def content_from_json(d: dict[str, Any] | None) -> MeetingContent:
    if not d:
        return MeetingContent()
    follow = d.get("follow_up") or {}
    needed = follow.get("needed")
    inviter = d.get("invited_by")
    inviter = inviter if isinstance(inviter, dict) else {}
    agenda = d.get("agenda_with_patient")
    return MeetingContent(
        texts={str(k): _str(v) for k, v in (d.get("texts") or {}).items()},
        participants=tuple(participant_from_json(p) for p in d.get("participants") or ()),
        leader_key=_key(d.get("leader_key")),
        referent_key=_key(d.get("referent_key")),
        tovholder_key=_key(d.get("tovholder_key")),
        agreements=tuple(agreement_from_json(a) for a in d.get("agreements") or ()),
        follow_up=FollowUp(
            needed=needed if isinstance(needed, bool) else None,
            when=_day(follow.get("when")),
            caller_key=_key(follow.get("caller_key")),
        ),
        # Both absent in a meeting saved before they were recorded: "not recorded", never a guess.
        invited_by=Inviter(name=_str(inviter.get("name")), organisation=_str(inviter.get("organisation"))),
        agenda_with_patient=agenda if isinstance(agenda, bool) else None,
    )


# -- rows ---------------------------------------------------------------------------------------------------
def template_from(row: Any) -> MeetingTemplate:
    return MeetingTemplate(
        id=row.id,
        name=row.name,
        version=row.version,
        sections=sections_from_json(row.sections),
        created_at=row.created_at,
        created_by=row.created_by,
    )


def meeting_values(m: Meeting) -> dict[str, Any]:
    """Columns of a meeting (without id, version, recipients and the bookkeeping moments)."""
    if m.template.id is None:
        raise ValueError("a meeting must point at a saved template version (template.id is None)")
    if m.planned_at is not None and (m.planned_at.tzinfo is None or m.planned_at.utcoffset() is None):
        raise ValueError(f"Meeting.planned_at must be timezone-aware, got {m.planned_at!r}")
    return {
        "patient_id": m.patient_id,
        "admission_id": m.admission_id,
        "template_id": m.template.id,
        "occasion": Occasion(m.occasion).value,
        "invited_on": m.invited_on,
        "planned_at": m.planned_at,
        "form": MeetingForm(m.form).value,
        "place": m.place,
        "late_reason": m.late_reason,
        "status": MeetingStatus(m.status).value,
        "reference": m.reference,
        "content": content_to_json(m.content),
        "closed_at": m.closed_at,
        "follow_up_of": m.follow_up_of,
    }


def meeting_from(row: Any, template: MeetingTemplate) -> Meeting:
    return Meeting(
        id=row.id,
        patient_id=row.patient_id,
        admission_id=row.admission_id,
        template=template,
        occasion=Occasion(row.occasion),
        invited_on=row.invited_on,
        reference=row.reference,
        planned_at=row.planned_at,
        form=MeetingForm(row.form),
        place=row.place,
        late_reason=row.late_reason,
        status=MeetingStatus(row.status),
        content=content_from_json(row.content),
        version=row.version,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
        follow_up_of=row.follow_up_of,
    )
