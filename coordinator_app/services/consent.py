"""Consent (F1, F2, B8): record what the patient agreed to share, with whom and how; honour withdrawal.

Sending to a kommune needs an active consent for the kommune, or a legal basis written on the
notification (e.g. underretning); ``require_kommune_consent`` is the one gate every sender uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import CONSENT_RECIPIENT_LABELS, Consent, ConsentMethod, ConsentRecipient
from coordinator_app.services.admissions import Changes
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import COPENHAGEN, ServiceContext, require
from coordinator_app.storage.repositories import ConsentRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ConsentInput:
    recipient: ConsentRecipient
    given_to: str  # free text: "Københavns Kommune, socialforvaltningen", "søster"
    scope: str  # what may be shared
    method: ConsentMethod
    given_on: date | None = None  # None: now
    note: str = ""


def active_consent(consents: Sequence[Consent], recipient: ConsentRecipient) -> Consent | None:
    """The newest consent to ``recipient`` that has not been withdrawn (F1)."""
    found = [c for c in consents if c.recipient is recipient and c.active]
    return max(found, key=lambda c: c.given_at) if found else None


def require_kommune_consent(consents: Sequence[Consent], legal_basis: str | None) -> str:
    """What the sending rests on: the consent or the stated legal basis. Refuses with a Danish reason."""
    consent = active_consent(consents, ConsentRecipient.KOMMUNE)
    if consent is not None:
        return f"Samtykke ({consent.method.value}) til {consent.given_to}"
    basis = (legal_basis or "").strip()
    if basis:
        return f"Lovhjemmel uden samtykke: {basis}"
    raise ValidationError(
        "Patienten har ikke givet samtykke til, at kommunen må få oplysninger, og der er ikke angivet en "
        "lovhjemmel. Registrér samtykket (hvad, til hvem, mundtligt/skriftligt), eller skriv lovhjemlen "
        "(fx underretning efter serviceloven) — ellers kan der ikke sendes noget (F1, B8).",
        field="consent",
        rule="F1",
    )


class ConsentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @staticmethod
    def record_in(
        session: Session, ctx: ServiceContext, patient_id: int, admission_id: int | None, data: ConsentInput
    ) -> Consent:
        require(ctx, Permission.MANAGE_CONSENT)
        given_to = validation.require_name(data.given_to, field="given_to", label="Hvem samtykket gælder")
        scope = validation.require_name(data.scope, field="scope", label="Hvad samtykket omfatter")
        now = ctx.clock.now()
        if data.given_on is None:
            given_at = now
        else:
            if data.given_on > ctx.clock.today():
                raise ValidationError("Samtykket kan ikke være givet i fremtiden.", field="given_on", rule="F1")
            given_at = datetime.combine(data.given_on, time(12, 0), COPENHAGEN).astimezone(UTC)
        consent = ConsentRepository(session).add(
            Consent(
                id=None,
                patient_id=patient_id,
                admission_id=admission_id,
                recipient=data.recipient,
                given_to=given_to,
                scope=scope,
                method=data.method,
                given_at=given_at,
                recorded_by=ctx.user,
                note=validation.optional_text(data.note, field="note", label="Noten", max_length=2000) or "",
            )
        )
        AuditService(ctx).record_in(  # who and what it covers are free text: they stay in the consent
            session,
            AuditAction.OPRET,
            f"Samtykke nr. {consent.id} til {CONSENT_RECIPIENT_LABELS[consent.recipient].lower()} registreret "
            f"({consent.method.value})",
            patient_id=patient_id,
            admission_id=admission_id,
        )
        return consent

    def record(self, patient_id: int, admission_id: int | None, data: ConsentInput) -> Changes:
        require(self._ctx, Permission.MANAGE_CONSENT)
        with self._ctx.database.session() as session:
            self.record_in(session, self._ctx, patient_id, admission_id, data)
        return Changes(admission_id=admission_id, patient_id=patient_id, list_changed=False)

    def withdraw(self, consent_id: int) -> Changes:
        """F1: withdrawal is honoured from now on; the record stays (history)."""
        require(self._ctx, Permission.MANAGE_CONSENT)
        with self._ctx.database.session() as session:
            consent = ConsentRepository(session).withdraw(consent_id, self._ctx.clock.now())
            AuditService(self._ctx).record_in(
                session,
                AuditAction.RET,
                f"Samtykke nr. {consent_id} trukket tilbage",
                patient_id=consent.patient_id,
                admission_id=consent.admission_id,
            )
        return Changes(admission_id=consent.admission_id, patient_id=consent.patient_id, list_changed=False)

    def for_patient(self, patient_id: int) -> list[Consent]:
        with self._ctx.database.session() as session:
            return ConsentRepository(session).for_patient(patient_id)
