"""The varslingsblanket: every field with the right value for every kind, the labels the agreement asks for, no rule
ID on paper, one page when it fits, pages, fonts, determinism, PNG, empty fields, and a word of 5,000 characters in
every field."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pdf_helpers import (
    MARKUP_NAME,
    assert_long_words_printed,
    assert_printed_literally,
    fonts_used,
    long_text,
    long_word,
    page_texts,
    png_pages,
    png_size,
)

from coordinator_app.documents.layout import CONFIDENTIAL
from coordinator_app.documents.varslingsblanket import (
    FORM_LABELS,
    FORM_NOTES,
    FORM_TITLES,
    FormType,
    kind_boxes,
    recipient_role_label,
    render_varslingsblanket,
)
from coordinator_app.domain.agreement_sections import cite

#: The footer line of a continuation page (page 2 on).
PATIENT_LINE = "Patient: Testa Fiktivsen · CPR 010190-9909"


def _text(data, meta) -> str:
    return " ".join(page_texts(render_varslingsblanket(data, meta)))


def test_every_kind_has_a_title_a_label_and_a_note() -> None:
    for table in (FORM_TITLES, FORM_LABELS, FORM_NOTES):
        assert set(table) == set(FormType)
    assert FORM_TITLES[FormType.VARSLING] == "Varsling – forventet behov for kommunal indsats ved udskrivning"


@pytest.mark.parametrize("kind", list(FormType))
def test_every_field_is_printed(kind: FormType, form_data, meta) -> None:
    text = _text(form_data(kind), meta(kind))
    expected = [
        FORM_TITLES[kind],
        "Blanket til orientering, varsling og færdigmelding",
        # 1 Patient, 2 Modtager (side by side)
        "1 Patient 2 Modtager",
        "Navn Testa Fiktivsen",
        "CPR-nummer 010190-9909",
        "Adresse Prøvevej 12, 2. th., 2400 København NV",
        "Kommune København",
        "Kommunekode 101",
        "Modtager som Bopælskommune",
        "Sikker postkasse sikkerpost@kk.example.dk",
        # 3 Afsender
        "3 Afsender",
        "Psykiatrisk center Psykiatrisk Center Testrup",
        "Afsnit Afsnit Ø12",
        "Kontaktperson på afsnittet Kåre Prøvesen",
        "Telefon 12 34 56 78",
        "Sikker mail pc-testrup@regionh.example.dk",
        "Afsendt 20-11-2026 10:05",  # 09:05 UTC in Danish time
        # 4 Indlæggelse og udskrivning
        "4 Indlæggelse og udskrivning",
        "Indlagt 02-11-2026 Forventes udskrevet 08-12-2026",
        "Scenarie 2 – har en kommunal indsats; behovet for støtte forventes større ved udskrivningen",
        "Forventet færdigbehandlet 01-12-2026 – lægelig vurdering Vurderet af (læge) overlæge Hanne Holm",
        # 5 Funktionsniveau og kommunal indsats
        "5 Funktionsniveau og kommunal indsats",
        "Funktionsniveau Klarer personlig hygiejne; brug for hjælp til indkøb og medicin.",
        "Nuværende indsats Bostøtte to timer ugentligt fra Bostøtteteam Nørrebro.",
        "Forventede behov ved udskrivning Øget bostøtte og hjælp til medicinhåndtering.",
        "Udskrivningskoordinator Nej (patientens ønske efter lov om aktiv beskæftigelsesindsats § 6)",
        # 6 Planlagte tiltag
        "6 Planlagte tiltag",
        "☒ Tværsektorielt netværksmøde ønskes",
        "☒ Udskrivningsaftale overvejet (psykiatriloven § 13 a)",
        "☐ Koordinationsplan overvejet (psykiatriloven § 13 b)",
        # 7 Samtykke
        "7 Samtykke og hjemmel",
        "Samtykket er givet 03-11-2026, mundtligt Samtykket gælder Københavns Kommune",
        "Samtykket omfatter Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning",
        # 8 Bemærkninger
        "8 Bemærkninger",
        "Patienten ønsker, at søsteren deltager i netværksmødet.",
        # 9 Underskrift
        "9 Underskrift",
        "Kåre Prøvesen Udskrivningskoordinator 20-11-2026",
        "Navn Titel Dato",
        FORM_NOTES[kind],
    ]
    for snippet in expected:
        assert snippet in text, snippet
    # The sender is not the LAB § 6 udskrivningskoordinator (the agreement's section Udskrivningskoordinatorer).
    assert "Udskrivningskoordinator Kåre Prøvesen" not in text
    for other, label in FORM_LABELS.items():
        box = "☒" if other is kind else "☐"
        assert f"{box} {label}" in text, (box, label)
    assert text.count("☒") == 1 + 2  # the kind and two planned measures


DATE_ROWS = {
    FormType.FAERDIGMELDING: ("Færdigbehandlet fra", "03-12-2026 – sengedagsbetaling fra denne dato"),
    FormType.AFMELDING: ("Afmeldt fra", "03-12-2026 – behandlingen genoptaget"),
    FormType.I_BERO: ("I bero fra", "03-12-2026 – afventer lægelige oplysninger"),
    FormType.GENOPTAGET: ("Genoptaget fra", "03-12-2026 – oplysningerne er leveret"),
    FormType.VARSLING: ("Varsling senest", "23-11-2026 – senest 8 dage før forventet færdigbehandlet"),
}


@pytest.mark.parametrize("kind", list(FormType))
def test_kind_specific_dates(kind: FormType, form_data, meta) -> None:
    text = _text(form_data(kind), meta(kind))
    for other, (label, value) in DATE_ROWS.items():
        if other is kind:
            assert f"{label} {value}" in text
        else:
            assert f"{label} 0" not in text and f"{label} 2" not in text, label


def test_kind_notes_cite_the_agreement() -> None:
    faerdig = FORM_NOTES[FormType.FAERDIGMELDING]
    assert "sundhedsloven § 238" in faerdig and "pr. sengedag" in faerdig and "anden støtte" in faerdig
    assert f"({cite('B5')})" in faerdig  # by the agreement's section, not Koordinator's "B5"
    assert "«Afmelding af færdigmelding – genoptagelse af behandling»" in FORM_NOTES[FormType.AFMELDING]
    assert "«Orientering, varsling og færdigmelding»" in FORM_NOTES[FormType.I_BERO]
    assert "«Orientering, varsling og færdigmelding»" in FORM_NOTES[FormType.GENOPTAGET]
    assert "senest 8 dage" in FORM_NOTES[FormType.VARSLING]


def test_varsling_deadline_moves_back_to_a_working_day(form_data, meta) -> None:
    # 07-12-2026 is a Monday; 8 days before is Sunday 29-11-2026 → Friday 27-11-2026.
    data = form_data(FormType.VARSLING, expected_faerdigbehandlet=date(2026, 12, 7))
    assert "Varsling senest 27-11-2026" in _text(data, meta())
    # The ward's own computation wins when given.
    data = replace(data, varsling_latest=date(2026, 11, 25))
    assert "Varsling senest 25-11-2026 – senest varslingsdag" in _text(data, meta())


def test_unknown_and_empty_values_are_spelled_out(form_data, meta) -> None:
    data = form_data(
        FormType.VARSLING,
        sender_phone=None,
        sender_secure_mail="",
        recipient_secure_mail=None,
        expected_faerdigbehandlet=None,
        scenario=None,
        current_indsats="",
        expected_needs="  ",
        consent_basis="",
        free_text="",
        netvaerksmoede_requested=False,
        considered_13a=False,
        event_time=None,
        address=None,
        consent_given_on=None,
        consent_given_to="",
        consent_scope="",
    )
    text = _text(data, meta())
    for snippet in (
        "Telefon Ikke oplyst",
        "Sikker mail Ikke oplyst",
        "Sikker postkasse Ikke oplyst",
        "Forventet færdigbehandlet Ikke fastsat endnu – lægelig vurdering",
        "Varsling senest Kan ikke beregnes",
        "Scenarie Ikke oplyst",
        "Nuværende indsats Ikke oplyst",
        "Forventede behov ved udskrivning Ikke oplyst",
        "Grundlag for videregivelse Ikke oplyst",
        "Ingen bemærkninger.",
        "☐ Tværsektorielt netværksmøde ønskes",
        "Adresse Ikke oplyst",
    ):
        assert snippet in text, snippet
    assert "Afsendt" not in text
    # Unknown is said as unknown: "Ingen" would contradict scenario 1 or 2 on the same form.
    for old in ("Nuværende indsats Ingen", "Ikke anført", "Ikke angivet", "Ikke registreret"):
        assert old not in text, old


def test_homeless_patient_and_recipient_roles(form_data, meta) -> None:
    data = form_data(FormType.FAERDIGMELDING, homeless=True, address=None, recipient_role="opholdskommune")
    text = _text(data, meta(FormType.FAERDIGMELDING))
    assert "Adresse Hjemløs" in text
    assert "Modtager som Senest kendte opholdskommune (hjemløs)" in text
    with_address = _text(replace(data, address="Herberget, Testgade 1"), meta(FormType.FAERDIGMELDING))
    assert "Hjemløs (senest kendte adresse: Herberget, Testgade 1)" in with_address
    assert recipient_role_label("handlekommune") == "Handlekommune"
    assert recipient_role_label("opholdskommune") == "Senest kendte opholdskommune (hjemløs)"
    assert recipient_role_label("bopaelskommune") == "Bopælskommune"


def test_danish_letters_survive(form_data, meta) -> None:
    data = form_data(free_text="ÆØÅ æøå – § 13a; «citat» og ‘enkelt’ … Åse Ærø-Øster")
    assert "ÆØÅ æøå – § 13a; «citat» og ‘enkelt’ … Åse Ærø-Øster" in _text(data, meta())


def test_very_long_remarks_flow_onto_more_pages(form_data, meta) -> None:
    remarks = long_text(70)
    pdf = render_varslingsblanket(form_data(free_text=remarks), meta())
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count(CONFIDENTIAL) == 1
        assert FORM_TITLES[FormType.VARSLING] in page
        assert f"Side {number} af {len(pages)}" in page
        assert "Dokument-ID: KO-7-42-20261120101500000000" in page
        # A continuation page names the patient in its footer (page 1 does in its body).
        assert (f"{PATIENT_LINE} Side {number}" in page) is (number > 1)
    body = " ".join(page[: page.index(CONFIDENTIAL)].strip() for page in pages)
    for paragraph in remarks.split("\n\n"):
        assert body.count(paragraph) == 1, paragraph
    assert body.index("Afsnit 070:") < body.index("9 Underskrift")
    assert "Kåre Prøvesen Udskrivningskoordinator 20-11-2026" in pages[-1]


def test_fonts_are_embedded_and_not_base14(form_data, meta) -> None:
    used = fonts_used(render_varslingsblanket(form_data(free_text=long_text(40)), meta()))
    assert {f["subtype"] for f in used} == {"/TrueType"}
    assert all(f["embedded"] for f in used)
    assert all("DejaVuSans" in f["name"] for f in used)


def test_identical_data_renders_identical_bytes(form_data, meta) -> None:
    first = render_varslingsblanket(form_data(), meta())
    assert render_varslingsblanket(form_data(), meta()) == first
    assert render_varslingsblanket(form_data(patient_name="Testo Fiktivsen"), meta()) != first


def test_page_one_renders_to_png(form_data, meta, tmp_path: Path) -> None:
    pdf = render_varslingsblanket(form_data(free_text=long_text(30)), meta())
    pngs = png_pages(pdf, tmp_path, first_only=True)
    assert len(pngs) == 1
    content = pngs[0]
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(content)
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
    assert len(content) > 20_000  # a page full of text, not a blank one


HEADINGS = (
    "1 Patient 2 Modtager",
    "3 Afsender",
    "4 Indlæggelse og udskrivning",
    "5 Funktionsniveau og kommunal indsats",
    "6 Planlagte tiltag",
    "7 Samtykke og hjemmel",
    "8 Bemærkninger",
    "9 Underskrift",
)


@pytest.mark.parametrize("paragraphs", range(0, 24, 3))
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(paragraphs: int, form_data, meta) -> None:
    pages = page_texts(render_varslingsblanket(form_data(free_text=long_text(paragraphs)), meta()))
    for page in pages:
        body = page[: page.index(CONFIDENTIAL)].strip()
        assert not body.endswith(HEADINGS), body[-80:]
    last = pages[-1]
    assert "9 Underskrift" in last and "Navn Titel Dato" in last  # heading and signature stay together


#: Every text field the form prints, whatever the kind (a færdigmelding also prints ``judged_by``; the consent's
#: facts, or without them the worded basis or the legal basis: see ``LONG_VARIANTS``).
LONG_FIELDS = (
    "patient_name",
    "address",
    "recipient_kommune_name",
    "recipient_kommune_code",
    "recipient_role",
    "recipient_secure_mail",
    "sender_center",
    "sender_ward",
    "coordinator_name",
    "sender_phone",
    "sender_secure_mail",
    "current_indsats",
    "expected_needs",
    "free_text",
    "signature_name",
    "signature_title",
    "funktionsniveau",
    "expected_judged_by",
)
NO_CONSENT = {"consent_given_on": None, "consent_given_to": "", "consent_scope": ""}
LONG_VARIANTS = {
    "samtykke": ("consent_given_to", "consent_scope"),
    "grundlag": ("consent_basis",),
    "lovhjemmel": ("legal_basis",),
}


@pytest.mark.parametrize("variant", list(LONG_VARIANTS))
@pytest.mark.parametrize("kind", list(FormType))
def test_one_5000_character_word_in_every_free_text_field_prints(kind: FormType, variant: str, form_data, meta) -> None:
    """Any text the services accept prints (the signature block, kept on one page, raised reportlab's
    LayoutError for a name taller than a page): each field holds its own word of 5,000 characters, all of it is in
    the text, and every continuation page names the patient in its footer."""
    fields = [*LONG_FIELDS, *LONG_VARIANTS[variant]]
    if kind is FormType.FAERDIGMELDING:
        fields.append("judged_by")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: len(fields)]
    changes: dict[str, object] = {} if variant == "samtykke" else dict(NO_CONSENT)
    changes |= {field: long_word(letter) for field, letter in zip(fields, letters, strict=True)}
    data = form_data(kind, **changes)
    pages = assert_long_words_printed(render_varslingsblanket(data, meta(kind)), dict.fromkeys(letters, 1))
    assert len(pages) > 10
    assert "Navn Titel Dato" in pages[-1]  # the signature block, last
    for page in pages[1:]:
        assert "Patient: AAAA" in page  # the name, cut to fit the footer line


def _all_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


#: What the kommune needs on every kind, from the agreement's sections: who the patient is (*Orientering, varsling
#: og færdigmelding*: the form identifies the patient), to whom and as which kommune (*Hjemløse*: the last known
#: opholdskommune), who sends and how to reach them (*Kontaktoplysninger*), admission and discharge (*Indlæggelse*,
#: *Udskrivning*), the expected færdigbehandlet day as a doctor's judgement and the doctor, the patient's functioning
#: and the support today and at discharge (scenarios), LAB § 6 (*Udskrivningskoordinatorer*), the planned
#: netværksmøde / udskrivningsaftale / koordinationsplan (*Tværsektorielle netværksmøder*, *Udskrivningsaftale*,
#: *Koordinationsplan*), the consent with its date and scope (*Samtykke*), and a signature.
REQUIRED_LABELS = (
    "Navn Testa Fiktivsen",
    "CPR-nummer 010190-9909",
    "Adresse ",
    "Kommune København",
    "Kommunekode 101",
    "Modtager som Bopælskommune",
    "Sikker postkasse sikkerpost@kk.example.dk",
    "Psykiatrisk center ",
    "Afsnit ",
    "Kontaktperson på afsnittet Kåre Prøvesen",
    "Telefon 12 34 56 78",
    "Sikker mail pc-testrup@regionh.example.dk",
    "Afsendt 20-11-2026 10:05",
    "Indlagt 02-11-2026",
    "Forventet færdigbehandlet 01-12-2026 – lægelig vurdering",
    "Vurderet af (læge) overlæge Hanne Holm",
    "Scenarie 2",
    "Funktionsniveau Klarer personlig hygiejne",
    "Nuværende indsats Bostøtte",
    "Forventede behov ved udskrivning Øget bostøtte",
    "Udskrivningskoordinator Nej (patientens ønske efter lov om aktiv beskæftigelsesindsats § 6)",
    "Tværsektorielt netværksmøde ønskes",
    "Udskrivningsaftale overvejet (psykiatriloven § 13 a)",
    "Koordinationsplan overvejet (psykiatriloven § 13 b)",
    "Samtykket er givet 03-11-2026, mundtligt",
    "Samtykket gælder Københavns Kommune",
    "Samtykket omfatter Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning",
    "Underskrift Navn Titel Dato",
)
#: The kind-specific facts (section *Orientering, varsling og færdigmelding*; sundhedsloven § 238).
KIND_LABELS: dict[FormType, tuple[str, ...]] = {
    FormType.ORIENTERING: ("Forventes udskrevet 08-12-2026",),
    FormType.VARSLING: (
        "Forventes udskrevet 08-12-2026",
        "Varsling senest 23-11-2026 – senest 8 dage før forventet færdigbehandlet",
    ),
    FormType.FAERDIGMELDING: (
        "Forventes udskrevet 08-12-2026",
        "Færdigbehandlet fra 03-12-2026 – sengedagsbetaling fra denne dato (sundhedsloven § 238)",
        "Lægelig vurdering overlæge Hanne Holm, 02-12-2026",
        "betaler kommunen regionen pr. sengedag (sundhedsloven § 238, stk. 1)",
    ),
    FormType.I_BERO: (
        "I bero fra 03-12-2026",
        "Oprindelig færdigmelding 27-11-2026 – sengedagsbetaling efter sundhedsloven § 238 fra denne dato",
    ),
    FormType.GENOPTAGET: (
        "Genoptaget fra 03-12-2026",
        "Oprindelig færdigmelding 27-11-2026 – sengedagsbetaling efter sundhedsloven § 238 fra denne dato",
    ),
    FormType.AFMELDING: (
        "Afmeldt fra 03-12-2026",
        "Oprindelig færdigmelding 27-11-2026 – sengedagsbetaling efter sundhedsloven § 238 fra denne dato",
    ),
    FormType.ORIENTERING_UDSKRIVNING: ("Udskrevet 30-11-2026",),
}


@pytest.mark.parametrize("kind", list(FormType))
def test_each_kind_prints_what_the_agreement_asks_for(kind: FormType, form_data, meta) -> None:
    changes = {"discharged": date(2026, 11, 30)} if kind is FormType.ORIENTERING_UDSKRIVNING else {}
    text = _all_text(render_varslingsblanket(form_data(kind, **changes), meta(kind)))
    for label in (*REQUIRED_LABELS, *KIND_LABELS[kind]):
        assert label in text, label
    if kind is FormType.ORIENTERING_UDSKRIVNING:  # discharged: the actual day, not an expected one
        assert "Forventes udskrevet" not in text


#: Every optional field unknown: the consent without facts and basis, no doctor, no discharge day, …
EMPTY = {
    "address": None,
    "recipient_secure_mail": None,
    "sender_phone": None,
    "sender_secure_mail": None,
    "expected_faerdigbehandlet": None,
    "faerdigbehandlet_from": None,
    "scenario": None,
    "current_indsats": "",
    "expected_needs": "",
    "consent_basis": "",
    "free_text": "",
    "expected_judged_by": "",
    "judged_by": "",
    "judged_on": None,
    "discharged": None,
    "expected_discharge": None,
    "funktionsniveau": "",
    "lab6": "",
    "original_faerdigmelding": None,
    **NO_CONSENT,
}


@pytest.mark.parametrize("kind", list(FormType))
def test_every_optional_field_empty_reads_ikke_oplyst(kind: FormType, form_data, meta) -> None:
    text = _all_text(render_varslingsblanket(form_data(kind, **EMPTY), meta(kind)))
    for label in (
        "Adresse Ikke oplyst",
        "Sikker postkasse Ikke oplyst",
        "Telefon Ikke oplyst",
        "Sikker mail Ikke oplyst",
        "Forventes udskrevet Ikke oplyst",
        "Vurderet af (læge) Ikke oplyst",
        "Scenarie Ikke oplyst",
        "Funktionsniveau Ikke oplyst",
        "Nuværende indsats Ikke oplyst",
        "Forventede behov ved udskrivning Ikke oplyst",
        "Udskrivningskoordinator Ikke oplyst",
        "Grundlag for videregivelse Ikke oplyst",
        "Samtykket er givet Ikke oplyst",
        "Samtykket omfatter Ikke oplyst",
    ):
        assert label in text, label
    if kind in FROM_KINDS:
        assert f"{FROM_KINDS[kind]} Ikke oplyst" in text
    if kind in (FormType.I_BERO, FormType.GENOPTAGET, FormType.AFMELDING):
        assert "Oprindelig færdigmelding Ikke oplyst" in text
    if kind is FormType.FAERDIGMELDING:
        assert "Lægelig vurdering Ikke oplyst" in text
    for wrong in ("None", "Ingen ", "Ikke anført", "Ikke angivet", "Ikke registreret"):
        assert wrong not in text.replace("Ingen bemærkninger.", ""), wrong


FROM_KINDS = {
    FormType.FAERDIGMELDING: "Færdigbehandlet fra",
    FormType.AFMELDING: "Afmeldt fra",
    FormType.I_BERO: "I bero fra",
    FormType.GENOPTAGET: "Genoptaget fra",
}
RULE_ID = re.compile(r"\b[A-H]\d{1,2}\b")


@pytest.mark.parametrize("kind", list(FormType))
def test_no_rule_id_on_paper(kind: FormType, form_data, meta) -> None:
    """Koordinator's rule IDs ("B5", "F1", "C2") mean nothing to a kommune: the paper cites the agreement's sections
    (a late varsling, a homeless patient and empty fields included)."""
    variants = [
        form_data(kind),
        form_data(kind, **EMPTY),
        form_data(kind, homeless=True, recipient_role="opholdskommune", days_late=3, notice_days=5),
        form_data(kind, recipient_role="handlekommune", legal_basis="underretning efter serviceloven", **NO_CONSENT),
    ]
    for data in variants:
        text = _all_text(render_varslingsblanket(data, meta(kind)))
        assert RULE_ID.findall(text) == [], RULE_ID.findall(text)
    assert "samarbejdsaftalen, «" in _all_text(render_varslingsblanket(form_data(kind), meta(kind)))


@pytest.mark.parametrize("kind", list(FormType))
def test_a_typical_filled_form_is_one_page(kind: FormType, form_data, meta) -> None:
    late = {"days_late": 2, "notice_days": 6} if kind is FormType.VARSLING else {}
    pages = page_texts(render_varslingsblanket(form_data(kind, **late), meta(kind)))
    assert len(pages) == 1, [len(p) for p in pages]
    assert "Navn Titel Dato" in pages[0]


@pytest.mark.parametrize("kind", list(FormType))
def test_the_ticked_kind_label_does_not_wrap(kind: FormType) -> None:
    """The chosen kind is set in bold, which is wider: its column is as wide as the bold label."""
    table = kind_boxes(kind)
    table.wrap(170 * 2.8346, 800)
    for row in table._cellvalues:
        for cell in row:
            if hasattr(cell, "blPara"):
                assert len(cell.blPara.lines) == 1, cell.text


@pytest.mark.parametrize("kind", list(FormType), ids=lambda k: k.name.lower())
def test_a_name_and_a_remark_with_markup_print_as_typed(kind: FormType, form_data, meta) -> None:
    pdf = render_varslingsblanket(form_data(kind, patient_name=MARKUP_NAME, free_text=MARKUP_NAME), meta(kind))
    assert_printed_literally(pdf, MARKUP_NAME)
