"""Fixtures for the PDF documents: fictitious form data, document meta, a clean font registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coordinator_app.documents import fonts, layout
from coordinator_app.documents.layout import DocumentMeta
from coordinator_app.documents.varslingsblanket import FORM_TITLES, FormType, VarslingsblanketData

CPH = ZoneInfo("Europe/Copenhagen")
CREATED = datetime(2026, 11, 20, 10, 15, tzinfo=CPH)


@pytest.fixture
def meta() -> Callable[..., DocumentMeta]:
    def make(form_type: FormType = FormType.VARSLING, **changes: Any) -> DocumentMeta:
        base = DocumentMeta(
            document_id="KO-7-42-20261120101500000000",
            title=FORM_TITLES[form_type],
            created_at=CREATED,
            app_version="0.1.0",
        )
        return replace(base, **changes)

    return make


@pytest.fixture
def form_data() -> Callable[..., VarslingsblanketData]:
    def make(form_type: FormType = FormType.VARSLING, **changes: Any) -> VarslingsblanketData:
        base = VarslingsblanketData(
            form_type=form_type,
            patient_name="Testa Fiktivsen",
            cpr="0101909909",
            address="Prøvevej 12, 2. th., 2400 København NV",
            homeless=False,
            recipient_kommune_name="København",
            recipient_kommune_code="101",
            recipient_role="bopaelskommune",
            recipient_secure_mail="sikkerpost@kk.example.dk",
            sender_center="Psykiatrisk Center Testrup",
            sender_ward="Afsnit Ø12",
            coordinator_name="Kåre Prøvesen",
            sender_phone="12 34 56 78",
            sender_secure_mail="pc-testrup@regionh.example.dk",
            admitted=date(2026, 11, 2),
            expected_faerdigbehandlet=date(2026, 12, 1),
            faerdigbehandlet_from=date(2026, 12, 3),
            scenario=2,
            current_indsats="Bostøtte to timer ugentligt fra Bostøtteteam Nørrebro.",
            expected_needs="Øget bostøtte og hjælp til medicinhåndtering.",
            netvaerksmoede_requested=True,
            considered_13a=True,
            considered_13b=False,
            consent_basis="Samtykke (mundtligt) til Københavns Kommune, givet 20-11-2026",
            free_text="Patienten ønsker, at søsteren deltager i netværksmødet.",
            signature_name="Kåre Prøvesen",
            signature_title="Udskrivningskoordinator",
            signature_date=date(2026, 11, 20),
            event_time=datetime(2026, 11, 20, 9, 5, tzinfo=ZoneInfo("UTC")),
            expected_judged_by="overlæge Hanne Holm",
            judged_by="overlæge Hanne Holm",
            judged_on=date(2026, 12, 2),
            expected_discharge=date(2026, 12, 8),
            funktionsniveau="Klarer personlig hygiejne; brug for hjælp til indkøb og medicin.",
            lab6="Nej",
            original_faerdigmelding=date(2026, 11, 27),
            consent_given_on=date(2026, 11, 3),
            consent_given_to="Københavns Kommune",
            consent_scope="Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning",
            consent_method="mundtligt",
        )
        return replace(base, **changes)

    return make


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    """Forget the registered font family and styles before and after the test (fallback tests)."""
    fonts.document_fonts.cache_clear()
    layout.styles.cache_clear()
    yield
    fonts.document_fonts.cache_clear()
    layout.styles.cache_clear()
