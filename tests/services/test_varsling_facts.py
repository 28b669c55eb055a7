"""What the varslingsblanket carries for the kommune (issue 17), through the services as the Send dialog uses them:
funktionsniveau, LAB § 6 and the expected discharge day recorded on the event and prefilled from the admission's
previous notification; the doctor behind the expected færdigbehandlet day on every kind; the original færdigmelding
on i bero / genoptaget / afmelding; the consent's date and scope (or the legal basis); the actual discharge day; and
the recipient's secure mailbox for the dialog's warning."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from helpers.ward import DOCTOR, Admitted, admit, assess, record_consent, send_faerdigmelding, service_context
from pypdf import PdfReader

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import EventKind
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService, FormDetails
from coordinator_app.services.notifications import NotificationInput, NotificationService, SendResult
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

K = EventKind
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 23 November 2026
TODAY = date(2026, 11, 23)
EXPECTED = date(2026, 12, 7)
FACTS = FormDetails(
    current_indsats="Bostøtte 2 timer om ugen",
    funktionsniveau="Klarer sig selv i hjemmet; brug for hjælp til medicin og indkøb.",
    lab6="ja",
    expected_discharge=date(2026, 12, 10),
)


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator.test")


def b5_patient(ctx: ServiceContext, *, consent: bool = True) -> Admitted:
    admitted = admit(ctx)
    if consent:
        record_consent(ctx, admitted, given_on=date(2026, 11, 3), scope="Indlæggelse, funktionsniveau og udskrivning")
    assess(ctx, admitted, scenario=2, b5=True, expected=EXPECTED)
    return admitted


def send(ctx: ServiceContext, admitted: Admitted, kind: EventKind, **fields: Any) -> SendResult:
    return NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=kind, **fields))


def varsling(ctx: ServiceContext, admitted: Admitted, **fields: Any) -> SendResult:
    return send(ctx, admitted, K.VARSLING, expected_faerdigbehandlet=EXPECTED, expected_judged_by=DOCTOR, **fields)


def pdf_text(ctx: ServiceContext, result: SendResult) -> str:
    assert result.document_id is not None
    content = DocumentService(ctx).content(result.document_id)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_a_varsling_records_and_prints_funktionsniveau_lab6_discharge_doctor_and_consent(ctx) -> None:
    admitted = b5_patient(ctx)
    result = varsling(ctx, admitted, form=FACTS)
    with ctx.database.session() as session:
        event = EventRepository(session).get(result.event_id)
    assert event.data["form"]["funktionsniveau"] == FACTS.funktionsniveau
    assert (event.data["form"]["lab6"], event.data["form"]["expected_discharge"]) == ("ja", "2026-12-10")
    assert event.data["consent"] == {
        "given_to": "Københavns Kommune",
        "scope": "Indlæggelse, funktionsniveau og udskrivning",
        "method": "mundtligt",
        "given_on": "2026-11-03",
    }
    text = pdf_text(ctx, result)
    for printed in (
        f"Funktionsniveau {FACTS.funktionsniveau}",
        "Udskrivningskoordinator Ja (patientens ønske efter lov om aktiv beskæftigelsesindsats § 6)",
        "Forventes udskrevet 10-12-2026",
        f"Forventet færdigbehandlet 07-12-2026 – lægelig vurdering Vurderet af (læge) {DOCTOR}",
        "Samtykket er givet 03-11-2026, mundtligt Samtykket gælder Københavns Kommune",
        "Samtykket omfatter Indlæggelse, funktionsniveau og udskrivning",
    ):
        assert printed in text, printed
    # Reissued from the record: the same facts.
    again = DocumentService(ctx).issue_for_event(result.event_id)
    reissued = SendResult(result.event_id, again.id, result.changes)
    assert f"Funktionsniveau {FACTS.funktionsniveau}" in pdf_text(ctx, reissued)


def test_every_send_dialog_starts_from_the_previous_notifications_funktionsniveau_and_lab6(ctx) -> None:
    admitted = b5_patient(ctx)
    service = NotificationService(ctx)
    first = service.draft(admitted.admission_id, K.ORIENTERING_INDLAEGGELSE)
    assert (first.form.funktionsniveau, first.form.lab6) == ("", "")
    send(ctx, admitted, K.ORIENTERING_INDLAEGGELSE, form=FACTS)
    for kind in (K.VARSLING, K.FAERDIGMELDING, K.ORIENTERING_UDSKRIVNING):
        draft = service.draft(admitted.admission_id, kind)
        assert (draft.form.funktionsniveau, draft.form.lab6) == (FACTS.funktionsniveau, "ja"), kind


def test_the_expected_discharge_starts_from_the_admissions_planned_discharge(ctx) -> None:
    admitted = b5_patient(ctx)
    with ctx.database.session() as session:
        admissions = AdmissionRepository(session)
        admission = admissions.get(admitted.admission_id)
        admissions.update(replace(admission, planned_discharge=date(2026, 12, 14)))
    draft = NotificationService(ctx).draft(admitted.admission_id, K.ORIENTERING_INDLAEGGELSE)
    assert draft.form.expected_discharge == date(2026, 12, 14)
    result = send(ctx, admitted, K.ORIENTERING_INDLAEGGELSE)  # the dialog's field left as the draft gave it: none
    assert "Forventes udskrevet 14-12-2026" in pdf_text(ctx, result)


def test_an_unknown_lab6_answer_is_refused_and_nothing_is_recorded(ctx) -> None:
    admitted = b5_patient(ctx)
    with pytest.raises(ValidationError) as caught:
        send(ctx, admitted, K.ORIENTERING_INDLAEGGELSE, form=FormDetails(lab6="måske"))
    assert caught.value.field == "lab6" and "Ikke spurgt" in caught.value.message
    assert DocumentService(ctx).documents(admitted.admission_id) == []


def test_i_bero_genoptaget_and_afmelding_name_the_original_faerdigmelding_and_the_doctor(ctx) -> None:
    admitted = b5_patient(ctx)
    varsling(ctx, admitted)
    later = service_context(ctx.database, now=datetime(2026, 12, 8, 9, tzinfo=UTC), user="koordinator.test")
    send_faerdigmelding(later, admitted, judged_on=date(2026, 12, 8))
    for day, kind in ((9, K.I_BERO), (10, K.GENOPTAGET), (11, K.AFMELDING)):
        moment = datetime(2026, 12, day, 9, tzinfo=UTC)
        result = send(service_context(ctx.database, now=moment, user="koordinator.test"), admitted, kind)
        text = pdf_text(later, result)
        assert "Oprindelig færdigmelding 08-12-2026 – sengedagsbetaling efter sundhedsloven § 238" in text, kind
        assert f"Vurderet af (læge) {DOCTOR}" in text, kind


def test_a_sending_without_consent_prints_its_legal_basis(ctx) -> None:
    admitted = b5_patient(ctx, consent=False)
    result = send(ctx, admitted, K.ORIENTERING_INDLAEGGELSE, legal_basis="underretning efter serviceloven § 154")
    text = pdf_text(ctx, result)
    assert "Grundlag for videregivelse Uden samtykke, med lovhjemmel: underretning efter serviceloven § 154" in text
    assert "Samtykket er givet" not in text


def test_the_orientering_om_udskrivning_says_the_discharge_day_expected_then_actual(ctx) -> None:
    """Sent on the morning of the discharge (B9: it cannot follow it) with the day the dialog asked for; issued again
    once the discharge is recorded, it prints the actual day."""
    admitted = b5_patient(ctx)
    morning = service_context(ctx.database, now=datetime(2026, 11, 30, 8, tzinfo=UTC), user="koordinator.test")
    form = FormDetails(expected_discharge=date(2026, 11, 30))
    result = send(morning, admitted, K.ORIENTERING_UDSKRIVNING, form=form)
    assert "Forventes udskrevet 30-11-2026" in pdf_text(morning, result)
    noon = service_context(ctx.database, now=datetime(2026, 11, 30, 11, tzinfo=UTC), user="koordinator.test")
    send(noon, admitted, K.DISCHARGE, without_plan_reason="Ikke relevant for testen")
    again = DocumentService(noon).issue_for_event(result.event_id)
    text = pdf_text(noon, SendResult(result.event_id, again.id, result.changes))
    assert "Udskrevet 30-11-2026" in text and "Forventes udskrevet" not in text


def test_the_recipients_secure_mailbox_is_read_from_the_kontaktbog_each_time(ctx) -> None:
    admitted = b5_patient(ctx)
    service = NotificationService(ctx)
    before = service.recipient(admitted.admission_id, K.VARSLING)
    assert (before.code, before.secure_mail) == ("101", "")
    ContactService(ctx).set_kommune_entrance("101", "sikkerpost@kk.example.dk")
    assert service.recipient(admitted.admission_id, K.VARSLING).secure_mail == "sikkerpost@kk.example.dk"
