"""The varslingsblanket: every field with the right value for every kind, pages, fonts, determinism, PNG, and a
word of 5,000 characters in every field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pdf_helpers import assert_long_words_printed, fonts_used, long_text, long_word, page_texts, png_pages, png_size

from coordinator_app.documents.layout import CONFIDENTIAL
from coordinator_app.documents.varslingsblanket import (
    FORM_LABELS,
    FORM_NOTES,
    FORM_TITLES,
    FormType,
    recipient_role_label,
    render_varslingsblanket,
)

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
        # 1 Patient
        "1 Patient",
        "Navn Testa Fiktivsen",
        "CPR-nummer 010190-9909",
        "Adresse Prøvevej 12, 2. th., 2400 København NV",
        # 2 Modtager
        "2 Modtager",
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
        # 4 Indlæggelse og forløb
        "4 Indlæggelse og forløb",
        "Indlagt 02-11-2026",
        "Scenarie 2 – har en kommunal indsats; behovet for støtte forventes større ved udskrivningen",
        "Forventet færdigbehandlet 01-12-2026 – lægelig vurdering (B5)",
        # 5 Kommunal indsats
        "5 Kommunal indsats",
        "Nuværende indsats Bostøtte to timer ugentligt fra Bostøtteteam Nørrebro.",
        "Forventede behov ved udskrivning Øget bostøtte og hjælp til medicinhåndtering.",
        # 6 Planlagte tiltag
        "6 Planlagte tiltag",
        "☒ Tværsektorielt netværksmøde ønskes (C2)",
        "☒ Udskrivningsaftale overvejet (psykiatriloven § 13a)",
        "☐ Koordinationsplan overvejet (psykiatriloven § 13b)",
        # 7 Samtykke
        "7 Samtykke og hjemmel (F1)",
        "Grundlag for videregivelse Samtykke (mundtligt) til Københavns Kommune, givet 20-11-2026",
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
    FormType.AFMELDING: ("Afmeldt fra", "03-12-2026 – behandlingen genoptaget (B7)"),
    FormType.I_BERO: ("I bero fra", "03-12-2026 – afventer lægelige oplysninger (B6)"),
    FormType.GENOPTAGET: ("Genoptaget fra", "03-12-2026 – oplysningerne er leveret (B6)"),
    FormType.VARSLING: ("Varsling senest", "23-11-2026 – senest 8 dage før forventet færdigbehandlet (B5)"),
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
    assert "(B5)" in faerdig
    assert "(B7)" in FORM_NOTES[FormType.AFMELDING]
    assert "(B6)" in FORM_NOTES[FormType.I_BERO] and "(B6)" in FORM_NOTES[FormType.GENOPTAGET]
    assert "senest 8 dage" in FORM_NOTES[FormType.VARSLING]


def test_varsling_deadline_moves_back_to_a_working_day(form_data, meta) -> None:
    # 07-12-2026 is a Monday; 8 days before is Sunday 29-11-2026 → Friday 27-11-2026.
    data = form_data(FormType.VARSLING, expected_faerdigbehandlet=date(2026, 12, 7))
    assert "Varsling senest 27-11-2026" in _text(data, meta())
    # The ward's own computation wins when given.
    data = replace(data, varsling_latest=date(2026, 11, 25))
    assert "Varsling senest 25-11-2026 – senest varslingsdag (B5)" in _text(data, meta())


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
    )
    text = _text(data, meta())
    for snippet in (
        "Telefon Ikke oplyst",
        "Sikker mail Ikke oplyst",
        "Sikker postkasse Ikke oplyst",
        "Forventet færdigbehandlet Ikke fastsat endnu – lægelig vurdering (B5)",
        "Varsling senest Kan ikke beregnes",
        "Scenarie Ikke oplyst",
        "Nuværende indsats Ikke oplyst",
        "Forventede behov ved udskrivning Ikke oplyst",
        "Grundlag for videregivelse Ikke oplyst",
        "Ingen bemærkninger.",
        "☐ Tværsektorielt netværksmøde ønskes (C2)",
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
    assert "Modtager som Senest kendte opholdskommune (hjemløs, B5)" in text
    with_address = _text(replace(data, address="Herberget, Testgade 1"), meta(FormType.FAERDIGMELDING))
    assert "Hjemløs (senest kendte adresse: Herberget, Testgade 1)" in with_address
    assert recipient_role_label("handlekommune", FormType.ORIENTERING) == "Handlekommune (A5)"
    assert recipient_role_label("opholdskommune", FormType.ORIENTERING) == "Senest kendte opholdskommune (hjemløs, A5)"
    assert recipient_role_label("bopaelskommune", FormType.VARSLING) == "Bopælskommune"


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
    "1 Patient",
    "2 Modtager",
    "3 Afsender",
    "4 Indlæggelse og forløb",
    "5 Kommunal indsats",
    "6 Planlagte tiltag",
    "7 Samtykke og hjemmel (F1)",
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


@pytest.mark.parametrize("kind", list(FormType))
def test_one_5000_character_word_in_every_free_text_field_prints(kind: FormType, form_data, meta) -> None:
    """Any text the services accept prints (the signature block, kept on one page, raised reportlab's
    LayoutError for a name taller than a page): each field holds its own word of 5,000 characters."""
    fields = (
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
        "consent_basis",
        "free_text",
        "signature_name",
        "signature_title",
    )
    letters = "ABCDEFGHIJKLMNOPQ"
    data = form_data(kind, **{field: long_word(letter) for field, letter in zip(fields, letters, strict=True)})
    pages = assert_long_words_printed(render_varslingsblanket(data, meta(kind)), dict.fromkeys(letters, 1))
    assert len(pages) > 10
    assert "Navn Titel Dato" in pages[-1]  # the signature block, last
