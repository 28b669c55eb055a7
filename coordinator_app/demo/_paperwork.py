"""What a careful coordinator records around the current admissions' notifications: the consent each sending rests
on (F1) and what the varslingsblanket says (the dialog's «Til blanketten»).

* **Consent.** Every current patient who has been sent about gave spoken or written consent to tell the kommune
  when admitted; a patient who wants to leave (B8) has since withdrawn it — so the history's sendings were covered,
  and the Send dialog now shows the consent gate refusing (F1, B8) and the Samtykker dialog a withdrawal.
* **The event's data**, as ``NotificationService.send`` records it: ``basis`` (the consent, worded as
  ``services.consent.require_kommune_consent`` words it), ``consent`` (its date, scope, to whom and how: the form
  prints them) and ``form`` (``services.documents.FormDetails``' fields: current indsats and expected needs for an
  orientering, varsling or færdigmelding; a netværksmøde asked for in scenario 2 and 3). The set-up issues and
  archives each notification's varslingsblanket from these.

The history's admissions (discharged) are left as they are: statistics read their events, nobody prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from coordinator_app.demo._timeline import Draft
from coordinator_app.domain.model import Consent, ConsentMethod, ConsentRecipient, EventKind
from coordinator_app.domain.workdays import COPENHAGEN

K = EventKind
#: The notifications that are issued on a varslingsblanket (``services.documents.FORM_FOR_EVENT``' kinds).
FORM_KINDS = frozenset(
    {
        K.ORIENTERING_INDLAEGGELSE,
        K.VARSLING,
        K.FAERDIGMELDING,
        K.I_BERO,
        K.GENOPTAGET,
        K.AFMELDING,
        K.ORIENTERING_UDSKRIVNING,
    }
)
#: The kinds whose form carries the coordinator's description (the dialog's «Til blanketten» box).
DESCRIBED_KINDS = frozenset({K.ORIENTERING_INDLAEGGELSE, K.VARSLING, K.FAERDIGMELDING})
SCOPE = "Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning"
RECORDED_BY = "koordinator.demo"
#: Scenario → (current indsats, expected needs at discharge), as a coordinator writes them on the form.
DESCRIPTIONS: dict[int | None, tuple[str, str]] = {
    1: ("Bostøtte efter servicelovens § 85, 3 timer om ugen", "Uændret indsats efter udskrivningen"),
    2: (
        "Bostøtte efter servicelovens § 85, 2 timer om ugen",
        "Mere bostøtte og hjælp til medicinen de første uger efter udskrivningen",
    ),
    3: ("", "Bostøtte og kontakt til socialpsykiatrien efter udskrivningen"),
    None: ("", ""),
}


def method_for(admission_id: int) -> ConsentMethod:
    """Spoken for most, written for every third (as a ward's mix)."""
    return ConsentMethod.MUNDTLIGT if admission_id % 3 else ConsentMethod.SKRIFTLIGT


def consent_for(
    *,
    admission_id: int,
    patient_id: int,
    admitted: date,
    kommune: str,
    drafts: Sequence[Draft],
    wants_to_leave: bool,
    last_day: date,
) -> Consent | None:
    """The patient's consent to tell ``kommune`` (its official name), given on admission at 08:00 — before any
    sending. B8: withdrawn after the last sending (16:00 on ``last_day``, the last working day before today); a B8
    patient never sent about has none. ``None`` when there is no consent to record."""
    sent = [d.day for d in drafts if d.kind in FORM_KINDS]
    if wants_to_leave and not sent:
        return None
    withdrawn = None
    note = ""
    if wants_to_leave:
        withdrawn = _at(max(max(sent), last_day), 16)
        note = "Patienten har trukket samtykket tilbage og ønsker at blive udskrevet (B8)."
    return Consent(
        id=None,
        patient_id=patient_id,
        admission_id=admission_id,
        recipient=ConsentRecipient.KOMMUNE,
        given_to=kommune,
        scope=SCOPE,
        method=method_for(admission_id),
        given_at=_at(admitted, 8),
        recorded_by=RECORDED_BY,
        withdrawn_at=withdrawn,
        note=note,
    )


def describe(drafts: Sequence[Draft], consent: Consent | None, scenario: int | None) -> None:
    """Give each notification draft the consent it rests on and the form's content (in place)."""
    if consent is None:
        return
    basis = f"Samtykke ({consent.method.value}) til {consent.given_to}"
    indsats, needs = DESCRIPTIONS.get(scenario, ("", ""))
    for d in drafts:
        if d.kind not in FORM_KINDS:
            continue
        described = d.kind in DESCRIBED_KINDS
        d.data["basis"] = basis
        d.data["consent"] = {  # services.documents.consent_record: the form prints its date and scope (F1)
            "given_to": consent.given_to,
            "scope": consent.scope,
            "method": consent.method.value,
            "given_on": consent.given_at.astimezone(COPENHAGEN).date().isoformat(),
        }
        d.data["form"] = _form(
            current_indsats=indsats if described else "",
            expected_needs=needs if described else "",
            netvaerksmoede_requested=described and scenario in (2, 3),
        )


def _form(*, current_indsats: str, expected_needs: str, netvaerksmoede_requested: bool) -> dict[str, Any]:
    """``FormDetails`` as the service stores it (``dataclasses.asdict``)."""
    return {
        "current_indsats": current_indsats,
        "expected_needs": expected_needs,
        "netvaerksmoede_requested": netvaerksmoede_requested,
        "considered_13a": False,
        "considered_13b": False,
        "free_text": "",
        "consent_basis": "",
    }


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=COPENHAGEN).astimezone(UTC)
