"""The synthetic ward the command-line tests run against: one fictitious patient, admitted 2 November 2026, and
(on request) the consent and varsling that give a varslingsblanket to print and audit lines to export."""

from __future__ import annotations

from datetime import date

from coordinator_app.domain.model import ConsentMethod, ConsentRecipient, EventKind
from coordinator_app.services.admissions import AdmissionInput, AdmissionService, Changes
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.notifications import NotificationInput, NotificationService


def admit(ctx: ServiceContext, *, cpr: str = "010190-9909", given_name: str = "Testa", kommune: str = "157") -> Changes:
    """A fictitious patient admitted to Afsnit 2, Psykiatrisk Center Glostrup (synthetic CPR)."""
    return AdmissionService(ctx).create_admission(
        AdmissionInput(
            cpr=cpr,
            given_name=given_name,
            family_name="Fiktivsen",
            bopaelskommune=kommune,
            center="Psykiatrisk Center Glostrup",
            ward="Afsnit 2",
            admitted=date(2026, 11, 2),
        )
    )


def send_varsling(ctx: ServiceContext, created: Changes) -> None:
    """Written consent to tell Gentofte Kommune (F1), then the varsling (B5) — its blanket is issued and archived."""
    assert created.patient_id is not None and created.admission_id is not None
    ConsentService(ctx).record(
        created.patient_id,
        created.admission_id,
        ConsentInput(ConsentRecipient.KOMMUNE, "Gentofte Kommune", "Udskrivning", ConsentMethod.SKRIFTLIGT),
    )
    NotificationService(ctx).send(created.admission_id, NotificationInput(kind=EventKind.VARSLING))
