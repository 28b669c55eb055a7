"""Sending to the kommune (B1–B9, F1): process gate, consent gate, archived forms, corrections — both backends."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime
from typing import Unpack

import pytest
from helpers.ward import DOCTOR, AdmissionChanges, assess, record_consent, service_context
from helpers.ward import admit as admit_patient
from pypdf import PdfReader

from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import AdmissionFlags, Channel, EventKind
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.consent import ConsentService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService, FormDetails
from coordinator_app.services.notifications import NotificationInput, NotificationService
from coordinator_app.storage.repositories import DocumentRepository, EventRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator.test")


def admit(ctx: ServiceContext, *, consent: bool = True, **changes: Unpack[AdmissionChanges]) -> int:
    """Testa Fiktivsen, expected færdigbehandlet 7 December, with ``changes``, assessed as scenario 2 on the B5 branch
    (the expected date judged by ``DOCTOR``); with ``consent``, her spoken consent of 3 November to tell Københavns
    Kommune. The admission's id."""
    changes.setdefault("expected_faerdigbehandlet", date(2026, 12, 7))
    admitted = admit_patient(ctx, **changes)
    assess(ctx, admitted, scenario=2, b5=True, expected=changes["expected_faerdigbehandlet"])
    if consent:
        record_consent(ctx, admitted, given_on=date(2026, 11, 3))
    return admitted.admission_id


def send(ctx, admission_id, kind, **kw):
    return NotificationService(ctx).send(admission_id, NotificationInput(kind=kind, **kw))


def status(ctx, admission_id) -> str:
    return AdmissionService(ctx).details(admission_id).status


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_varsling_is_recorded_and_its_form_archived_byte_identical(ctx) -> None:
    admission_id = admit(ctx)
    result = send(
        ctx,
        admission_id,
        EventKind.VARSLING,
        channel=Channel.SIKKER_MAIL,
        form=FormDetails(current_indsats="Bostøtte 2 timer om ugen", expected_needs="Mere bostøtte"),
    )
    assert status(ctx, admission_id) == "Varslet"
    assert result.document_id is not None
    docs = DocumentService(ctx).documents(admission_id)
    assert [d.id for d in docs] == [result.document_id]
    content = DocumentService(ctx).content(result.document_id)
    assert hashlib.sha256(content).hexdigest() == docs[0].sha256
    assert DocumentService(ctx).content(result.document_id) == content
    text = pdf_text(content)
    for expected in ("Testa Fiktivsen", "010190-9909", "København", "Bostøtte 2 timer om ugen", "Fortroligt"):
        assert expected in text, expected
    with ctx.database.session() as s:
        (event,) = [e for e in EventRepository(s).for_admission(admission_id) if e.kind is EventKind.VARSLING]
        assert event.recipient_kommune == "101"
        assert event.channel is Channel.SIKKER_MAIL
        assert "Samtykke" in event.data["basis"]
        assert DocumentRepository(s).get(result.document_id).event_id == event.id


def test_without_consent_or_legal_basis_nothing_is_sent(ctx) -> None:
    admission_id = admit(ctx, consent=False)
    with pytest.raises(ValidationError) as info:
        send(ctx, admission_id, EventKind.VARSLING)
    assert info.value.field == "consent"
    assert info.value.rule == "F1"
    assert "samtykke" in info.value.message
    assert status(ctx, admission_id) == "Indlagt"
    assert DocumentService(ctx).documents(admission_id) == []


def test_a_stated_legal_basis_allows_sending_and_is_printed(ctx) -> None:
    admission_id = admit(ctx, consent=False)
    result = send(ctx, admission_id, EventKind.ORIENTERING_INDLAEGGELSE, legal_basis="Underretning, serviceloven §133")
    text = pdf_text(DocumentService(ctx).content(result.document_id))
    assert "Underretning, serviceloven §133" in text


def test_withdrawn_consent_is_honoured(ctx) -> None:
    admission_id = admit(ctx)
    details = AdmissionService(ctx).details(admission_id)
    assert details.patient.id is not None
    (consent,) = ConsentService(ctx).for_patient(details.patient.id)
    assert consent.id is not None
    ConsentService(ctx).withdraw(consent.id)
    with pytest.raises(ValidationError, match="samtykke"):
        send(ctx, admission_id, EventKind.VARSLING)


def test_the_process_refuses_afmelding_of_someone_never_faerdigmeldt_and_writes_nothing(ctx) -> None:
    admission_id = admit(ctx)
    actions = {a.kind: a for a in NotificationService(ctx).actions(admission_id)}
    assert actions[EventKind.VARSLING].allowed
    assert not actions[EventKind.AFMELDING].allowed
    reason = actions[EventKind.AFMELDING].reason
    assert reason is not None and "B7" in reason
    with pytest.raises(ProcessError) as info:
        send(ctx, admission_id, EventKind.AFMELDING)
    assert info.value.rule == "B7"
    assert DocumentService(ctx).documents(admission_id) == []


def test_faerdigmelding_afmelding_and_new_faerdigmelding(ctx) -> None:
    admission_id = admit(ctx)
    send(ctx, admission_id, EventKind.VARSLING, occurred_at=datetime(2026, 11, 10, 9, tzinfo=UTC))
    doctor = {"judged_by": DOCTOR, "confirmed_early": True}  # B5: the doctor's judgement; before 7 December: confirmed
    faerdig = datetime(2026, 11, 18, 9, tzinfo=UTC)
    send(ctx, admission_id, EventKind.FAERDIGMELDING, occurred_at=faerdig, judged_on=date(2026, 11, 18), **doctor)
    assert status(ctx, admission_id) == "Færdigmeldt"
    send(ctx, admission_id, EventKind.AFMELDING, occurred_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    assert status(ctx, admission_id) == "Afmeldt"
    result = send(ctx, admission_id, EventKind.FAERDIGMELDING, judged_on=date(2026, 11, 23), **doctor)
    assert status(ctx, admission_id) == "Færdigmeldt"
    assert "§ 238" in pdf_text(DocumentService(ctx).content(result.document_id))
    assert len(DocumentService(ctx).documents(admission_id)) == 4


def test_homeless_varsling_goes_to_the_opholdskommune(ctx) -> None:
    admission_id = admit(ctx, flags=AdmissionFlags(homeless=True), opholdskommune="147")
    result = send(ctx, admission_id, EventKind.VARSLING)
    with ctx.database.session() as s:
        (event,) = [e for e in EventRepository(s).for_admission(admission_id) if e.kind is EventKind.VARSLING]
    assert event.recipient_kommune == "147"
    assert "Frederiksberg" in pdf_text(DocumentService(ctx).content(result.document_id))


def test_a_mistaken_send_is_undone_by_a_correction_and_both_stay_in_history(ctx) -> None:
    admission_id = admit(ctx)
    result = send(ctx, admission_id, EventKind.VARSLING)
    NotificationService(ctx).correct(result.event_id, "Sendt til forkert patient")
    assert status(ctx, admission_id) == "Indlagt"
    with ctx.database.session() as s:
        kinds = [e.kind for e in EventRepository(s).for_admission(admission_id)]
    assert kinds.count(EventKind.VARSLING) == 1
    assert kinds.count(EventKind.CORRECTION) == 1
    with pytest.raises(ValidationError, match="allerede korrigeret"):
        NotificationService(ctx).correct(result.event_id, "igen")
    with pytest.raises(ValidationError):
        NotificationService(ctx).correct(result.event_id, "   ")


def test_discharge_ends_the_admission_and_the_actions(ctx) -> None:
    admission_id = admit(ctx)
    send(ctx, admission_id, EventKind.DISCHARGE)
    details = AdmissionService(ctx).details(admission_id)
    assert details.admission.discharged == date(2026, 11, 23)
    assert status(ctx, admission_id) == "Udskrevet"
    assert not any(a.allowed for a in NotificationService(ctx).actions(admission_id))


def test_reissuing_makes_a_new_document(ctx) -> None:
    admission_id = admit(ctx)
    first = send(ctx, admission_id, EventKind.VARSLING)
    again = DocumentService(ctx).issue_for_event(first.event_id)
    assert again.id != first.document_id
    assert len(DocumentService(ctx).documents(admission_id)) == 2


def test_a_time_in_the_future_is_refused(ctx) -> None:
    admission_id = admit(ctx)
    with pytest.raises(ValidationError, match="fremtiden"):
        send(ctx, admission_id, EventKind.VARSLING, occurred_at=datetime(2026, 11, 24, 9, tzinfo=UTC))
