"""Udskrivningsaftaler and koordinationsplaner (E1–E3) for the tests: a kladde filled in as far as a coordinator would
before putting it in force. Only the domain is imported here."""

from __future__ import annotations

import dataclasses
from datetime import date

from coordinator_app.domain.discharge_plans import Offer, PartyRole, PlanContent, PlanKind


def completed(
    content: PlanContent, kind: PlanKind = PlanKind.UDSKRIVNINGSAFTALE, *, today: date = date(2026, 11, 23)
) -> PlanContent:
    """``content`` (a prefilled kladde) with what it leaves to the coordinator: the department's, the kommune's
    (when nameless) and the GP's names, the responsible overlæge, an offer of each kind when there is none, how to
    react, an end date, and — for an udskrivningsaftale — the patient's agreement given ``today`` (left out: the
    suite's Monday 23 November 2026)."""
    parties = []
    for p in content.parties:
        if p.role is PartyRole.PSYKIATRI:
            p = dataclasses.replace(p, name="Rie Regionsen, overlæge")
        elif p.role is PartyRole.KOMMUNE and not p.name:
            p = dataclasses.replace(p, name="Kis Kommunesen, sagsbehandler")
        elif p.role is PartyRole.EGEN_LAEGE:
            p = dataclasses.replace(p, name="Lis Lægesen", organisation="Lægehuset Eksempelvej")
        parties.append(p)
    agreement = kind is PlanKind.UDSKRIVNINGSAFTALE
    return dataclasses.replace(
        content,
        parties=tuple(parties),
        treatment_offers=content.treatment_offers or (Offer("Ambulant opfølgning", "Distriktspsykiatrien"),),
        social_offers=content.social_offers or (Offer("Bostøtte 3 timer om ugen", "Socialpsykiatrien"),),
        overlaege=content.overlaege or "Rie Regionsen",
        reaction_who="Kontaktpersonen i Socialpsykiatrien",
        reaction_how="Ringer til patienten og kontakter distriktspsykiatrien samme dag.",
        end=date(2027, 5, 31),
        patient_agrees=agreement,
        patient_agreed_on=today if agreement else None,
    )
