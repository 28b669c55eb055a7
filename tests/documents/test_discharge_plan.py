"""The udskrivningsaftale (§ 13 a) and koordinationsplan (§ 13 b) as PDF: every section, party and offer for both
kinds, the kind-specific parts (patient agreement, § 13 b note, epikrise line), E3 (who reacts, the period),
signatures for every party and the overlæge on one page, long texts (a word of 5,000 characters in every field),
draft marking, fonts, determinism, PNG."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

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

from coordinator_app.documents.discharge_plan import (
    AGREEMENT_CITATIONS,
    CONDITION_CAPTIONS,
    DRAFT_MARKING,
    EPIKRISE_LINE,
    PARTIES_NOTES,
    PERIOD_NOTES,
    DischargePlanDocument,
    document_title,
    render_discharge_plan,
)
from coordinator_app.documents.layout import CONFIDENTIAL
from coordinator_app.domain.discharge_plans import (
    LEGAL_REFERENCES,
    PARTY_ROLE_LABELS,
    Offer,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    SendChannel,
    SentTo,
    legal_condition,
)
from coordinator_app.domain.model import PlanFacts

AFTALE = PlanKind.UDSKRIVNINGSAFTALE
PLAN = PlanKind.KOORDINATIONSPLAN

PATIENT = Party(PartyRole.PATIENT, "Testa Fiktivsen", "", "12 34 56 70", "testa.fiktivsen@example.dk")
PARTIES = (
    Party(
        PartyRole.PSYKIATRI,
        "Kåre Prøvesen",
        "Psykiatrisk Center København, Afsnit 7",
        "12 34 56 71",
        "kaare.proevesen@example.dk",
    ),
    Party(
        PartyRole.KOMMUNE,
        "Bodil Sagsen",
        "Københavns Kommune, Socialpsykiatrien",
        "12 34 56 72",
        "bodil.sagsen@kk.example.dk",
    ),
    Party(PartyRole.EGEN_LAEGE, "Læge Ørnulf Åby", "Lægerne Prøvevej", "12 34 56 73", "laegerne@example.dk"),
    Party(PartyRole.PAAROERENDE, "Søren Søstersen", "", "12 34 56 74", ""),
    Party(PartyRole.ANDEN, "Bente Botilbudsen", "Botilbuddet Solsikken", "12 34 56 75", "solsikken@example.dk"),
)
TREATMENT = (
    Offer(
        "Ambulant opfølgning i distriktspsykiatrien",
        "Distriktspsykiatrien Nørrebro",
        date(2026, 12, 8),
        "Tid sendes i e-Boks",
    ),
    Offer("Depotmedicin hver 14. dag", "Egen læge", date(2026, 12, 15)),
)
SOCIAL = (
    Offer(
        "Bostøtte efter servicelovens § 85",
        "Københavns Kommune, Socialpsykiatrien",
        date(2026, 12, 2),
        "Øges fra 2 til 4 timer",
    ),
    Offer("Hjælp til økonomi og budget", "Jobcenter København"),
)
CONTENT = PlanContent(
    parties=(PATIENT, *PARTIES),
    treatment_offers=TREATMENT,
    social_offers=SOCIAL,
    wishes="Patienten ønsker at bo i egen lejlighed.",
    goals="Fastholde behandlingen og komme i beskæftigelse.",
    contact_person="Bodil Sagsen, Socialpsykiatrien, tlf. 12 34 56 72",
    reaction_who="Bostøtten og distriktspsykiatrien",
    reaction_how="Bostøtten kontakter patienten samme dag og indkalder til netværksmøde inden for 5 hverdage.",
    start=date(2026, 12, 1),
    end=date(2027, 5, 31),
    patient_agrees=True,
    patient_agreed_on=date(2026, 11, 24),
    sent_to=(
        SentTo("Lægerne Prøvevej (egen læge)", date(2026, 12, 1), with_epikrise=True, channel=SendChannel.SIKKER_POST),
        SentTo("Københavns Kommune, Socialpsykiatrien", date(2026, 12, 2), channel=SendChannel.PAPIR),
    ),
    note="Aftalen er drøftet på netværksmødet.",
)

AFTALE_HEADINGS = (
    "1 Patient og indlæggelse",
    "2 Parter",
    "3 Behandlingstilbud",
    "4 Sociale tilbud",
    "5 Patientens ønsker og mål",
    "6 Kontaktperson / koordinator efter udskrivning",
    "7 Hvis aftalen ikke følges – hvem reagerer og hvordan",
    "8 Periode",
    "9 Patientens tilslutning",
    "10 Bemærkninger",
    "11 Sendt til",
    "12 Underskrifter",
)
PLAN_HEADINGS = (
    "1 Patient og indlæggelse",
    "2 Parter",
    "3 Behandlingstilbud",
    "4 Sociale tilbud",
    "5 Patientens ønsker og mål",
    "6 Kontaktperson / koordinator efter udskrivning",
    "7 Hvis planen ikke følges – hvem reagerer og hvordan",
    "8 Periode",
    "9 Bemærkninger",
    "10 Sendt til",
    "11 Underskrifter",
)
HEADINGS = {AFTALE: AFTALE_HEADINGS, PLAN: PLAN_HEADINGS}

#: The footer line of a continuation page (page 2 on).
PATIENT_LINE = "Patient: Testa Fiktivsen · CPR 010190-9909"


def _document(kind: PlanKind = AFTALE, **changes: Any) -> DischargePlanDocument:
    content = CONTENT
    if kind is PLAN:  # the patient takes no part in a koordinationsplan (§ 13 b)
        content = replace(CONTENT, parties=PARTIES, patient_agrees=False, patient_agreed_on=None)
    base = DischargePlanDocument(
        kind=kind,
        content=content,
        patient_name="Testa Fiktivsen",
        cpr="0101909909",
        address="Prøvevej 12, 2. th., 2400 København NV",
        center="Psykiatrisk Center København",
        ward="Afsnit 7",
        admitted=date(2026, 11, 2),
        planned_discharge=date(2026, 12, 1),
        kommune_name="København",
        coordinator_name="Kåre Prøvesen",
        coordinator_phone="12 34 56 78",
        coordinator_secure_mail="pc-kbh@regionh.example.dk",
        version_number=3,
        source_meeting="Netværksmøde NM-2026-0012, 20-11-2026",
    )
    return replace(base, **changes)


def _content(kind: PlanKind, **changes: Any) -> PlanContent:
    return replace(_document(kind).content, **changes)


@pytest.fixture
def render(meta):
    def run(data: DischargePlanDocument) -> bytes:
        return render_discharge_plan(data, meta(title=document_title(data.kind)))

    return run


def _pages(render, data: DischargePlanDocument) -> list[str]:
    return page_texts(render(data))


def _body(pages: list[str]) -> str:
    """The pages' bodies (header and footer are drawn after the body, so the body is what comes before them)."""
    return " ".join(page[: page.index(CONFIDENTIAL)].strip() for page in pages)


def test_titles_carry_the_legal_reference() -> None:
    assert document_title(AFTALE) == "Udskrivningsaftale (psykiatriloven § 13 a)"
    assert document_title(PLAN) == "Koordinationsplan (psykiatriloven § 13 b)"
    for kind in PlanKind:
        assert LEGAL_REFERENCES[kind] in document_title(kind)


@pytest.mark.parametrize("kind", list(PlanKind))
def test_every_section_party_and_offer_is_printed(kind: PlanKind, render) -> None:
    data = _document(kind)
    pages = _pages(render, data)
    text = " ".join(pages)
    assert pages[0].startswith(f"{document_title(kind)} Version 3 · Grundlag: Netværksmøde NM-2026-0012, 20-11-2026")
    positions = [text.index(heading) for heading in HEADINGS[kind]]
    assert positions == sorted(positions)
    for snippet in (
        # 1 Patient og indlæggelse
        "Navn Testa Fiktivsen",
        "CPR-nummer 010190-9909",
        "Adresse Prøvevej 12, 2. th., 2400 København NV",
        "Bopælskommune København",
        "Psykiatrisk center Psykiatrisk Center København",
        "Afsnit Afsnit 7",
        "Indlagt 02-11-2026",
        "Planlagt udskrivning 01-12-2026",
        # 5 wishes and goals
        "Patientens ønsker Patienten ønsker at bo i egen lejlighed.",
        "Patientens mål Fastholde behandlingen og komme i beskæftigelse.",
        # 6 contact
        "Kontaktperson Bodil Sagsen, Socialpsykiatrien, tlf. 12 34 56 72",
        "Udarbejdet af Kåre Prøvesen, Psykiatrisk Center København, Afsnit 7",
        "Telefon 12 34 56 78",
        "Sikker mail pc-kbh@regionh.example.dk",
        # 7 E3: who reacts, and how
        "Hvem reagerer Bostøtten og distriktspsykiatrien",
        "Hvordan Bostøtten kontakter patienten samme dag og indkalder til netværksmøde inden for 5 hverdage.",
        # 8 period
        "Startdato 01-12-2026",
        "Slutdato 31-05-2027",
        PERIOD_NOTES[kind],
        # notes and sent to
        "Aftalen er drøftet på netværksmødet.",
        "Lægerne Prøvevej (egen læge) 01-12-2026 Sikker post med epikrise",
        "Københavns Kommune, Socialpsykiatrien 02-12-2026 Papir (brev)",
    ):
        assert snippet in text, snippet
    compact = text.replace(" ", "")  # an e-mail too wide for its column is broken after the "@"
    parties = data.content.parties
    for party in parties:
        row = f"{PARTY_ROLE_LABELS[party.role]} {party.name} {party.organisation}".strip()
        assert f"{row} {party.phone}" in text, party
        assert party.email.replace(" ", "") in compact, party.email
    for offer in (*TREATMENT, *SOCIAL):
        date_text = offer.from_date.strftime("%d-%m-%Y") if offer.from_date else "–"
        assert f"{offer.what} {offer.responsible} {date_text} {offer.note}".strip() in text, offer


def test_the_aftale_has_the_patient_agreement_and_the_epikrise_line(render) -> None:
    text = " ".join(_pages(render, _document(AFTALE)))
    assert "Patienten tilslutter sig udskrivningsaftalen ☒ Ja ☐ Nej Dato for tilslutning 24-11-2026" in text
    assert EPIKRISE_LINE in text
    assert "Patient Testa Fiktivsen 12 34 56 70" in text  # the patient is a party
    assert PARTIES_NOTES[PLAN] not in text
    refused = " ".join(_pages(render, _document(AFTALE, content=_content(AFTALE, patient_agrees=False))))
    assert "☐ Ja ☒ Nej" in refused and "udarbejdes i stedet en koordinationsplan" in refused


def test_the_plan_has_the_13b_note_and_no_patient_agreement(render) -> None:
    text = " ".join(_pages(render, _document(PLAN)))
    assert "2 Parter " + PARTIES_NOTES[PLAN] in text
    assert "Patienten medvirker ikke (psykiatriloven § 13 b)" in text
    assert "tilslutning" not in text and "tilslutter" not in text
    assert EPIKRISE_LINE not in text


@pytest.mark.parametrize("kind", list(PlanKind))
def test_a_signature_field_for_every_party_and_the_overlaege_on_one_page(kind: PlanKind, render) -> None:
    data = _document(kind)
    pages = _pages(render, data)
    signing = next(page for page in pages if HEADINGS[kind][-1] in page)
    fields = signing[signing.index(HEADINGS[kind][-1]) :]
    assert fields.count("Underskrift Dato") == len(data.content.parties) + 1
    assert "ANSVARLIG OVERLÆGE Psykiatrisk Center København, Afsnit 7 Underskrift Dato Navn (blokbogstaver)" in fields
    for party in data.content.parties:
        signer = f"{PARTY_ROLE_LABELS[party.role].upper()} {party.name} {party.organisation}".strip()
        assert f"{signer} Underskrift Dato" in fields, party


def test_the_patient_of_a_koordinationsplan_does_not_sign(render) -> None:
    content = _content(PLAN, parties=(PATIENT, *PARTIES))  # typed in by mistake
    pages = _pages(render, _document(PLAN, content=content))
    text = " ".join(pages)
    assert "Patient Testa Fiktivsen 12 34 56 70" in text  # printed as typed, nothing is lost
    fields = pages[-1][pages[-1].index("11 Underskrifter") :]
    assert "PATIENT Testa" not in fields
    assert fields.count("Underskrift Dato") == len(PARTIES) + 1


@pytest.mark.parametrize("lines", range(0, 60, 6))
def test_signatures_are_never_split_and_no_heading_ends_a_page(lines: int, render) -> None:
    wishes = "\n".join(f"Ønske {i:02d}: mere tid i haven og ro om aftenen." for i in range(lines))
    data = _document(AFTALE, content=_content(AFTALE, wishes=wishes))
    pages = _pages(render, data)
    assert sum(page.count("Underskrift Dato") for page in pages) == len(data.content.parties) + 1
    last = pages[-1]
    assert "12 Underskrifter" in last and last.count("Underskrift Dato") == len(data.content.parties) + 1
    for page in pages:
        body = page[: page.index(CONFIDENTIAL)].strip()
        assert not body.endswith(AFTALE_HEADINGS), body[-80:]
        assert not body.endswith(("Patientens ønsker", "Patientens mål")), body[-80:]


def test_more_signers_than_a_page_holds_continue_on_the_next_page(render) -> None:
    many = tuple(
        Party(PartyRole.ANDEN, f"Part {i:02d} Prøvesen", f"Organisation {i:02d}", "12 34 56 79", "part@example.dk")
        for i in range(20)
    )
    data = _document(AFTALE, content=_content(AFTALE, parties=(PATIENT, *PARTIES, *many)))
    text = _body(_pages(render, data))
    assert text.count("Underskrift Dato") == 1 + 1 + len(PARTIES) + 20
    for i in range(20):
        assert f"Part {i:02d} Prøvesen Organisation {i:02d} Underskrift Dato" in text


def test_empty_values_are_spelled_out(render) -> None:
    data = _document(
        AFTALE,
        content=PlanContent(),
        address=None,
        planned_discharge=None,
        coordinator_phone=None,
        coordinator_secure_mail="",
        source_meeting=None,
    )
    pages = _pages(render, data)
    text = " ".join(pages)
    assert pages[0].startswith(f"{document_title(AFTALE)} Version 3 Samarbejdsaftale")
    assert "Grundlag" not in text
    for snippet in (
        "Adresse Ikke oplyst",
        "Planlagt udskrivning Ikke fastsat",
        "Ingen parter registreret.",
        "Ingen behandlingstilbud anført.",
        "Ingen sociale tilbud anført.",
        "Patientens ønsker Ikke oplyst Patientens mål Ikke oplyst",
        "Kontaktperson Ikke angivet",
        "Telefon Ikke oplyst",
        "Sikker mail Ikke oplyst",
        "Hvem reagerer Ikke angivet Hvordan Ikke angivet",
        "Startdato Ikke angivet Slutdato Ikke angivet",
        "☐ Ja ☒ Nej Dato for tilslutning Ikke angivet",
        "Ingen bemærkninger.",
        "Ikke sendt endnu.",
    ):
        assert snippet in text, snippet
    assert text.count("Underskrift Dato") == 1  # only the overlæge


def test_missing_names_and_owners_are_visible(render) -> None:
    content = _content(
        AFTALE,
        parties=(Party(PartyRole.KOMMUNE, "", "Københavns Kommune"),),
        treatment_offers=(Offer("Samtaleforløb", ""),),
    )
    text = " ".join(_pages(render, _document(AFTALE, content=content)))
    assert "Kommune Ikke angivet Københavns Kommune" in text
    assert "Samtaleforløb Ikke angivet –" in text


def test_300_lines_of_wishes_flow_onto_more_pages_without_loss(render) -> None:
    wishes = "\n".join(f"Ønske linje {i:03d}: bo tæt på søsteren i Ærøskøbing." for i in range(300))
    short = _pages(render, _document(PLAN))
    pages = _pages(render, _document(PLAN, content=_content(PLAN, wishes=wishes)))
    assert len(pages) >= len(short) + 4
    for number, page in enumerate(pages, start=1):
        assert page.count(CONFIDENTIAL) == 1
        assert document_title(PLAN) in page
        assert f"Side {number} af {len(pages)}" in page
        # A continuation page names the patient in its footer (page 1 does in its body).
        assert (f"{PATIENT_LINE} Side {number}" in page) is (number > 1)
    body = _body(pages)
    starts = [body.index(f"Ønske linje {i:03d}: bo tæt på søsteren i Ærøskøbing.") for i in range(300)]
    assert starts == sorted(starts)
    assert all(body.count(f"Ønske linje {i:03d}:") == 1 for i in range(300))
    assert body.index("Ønske linje 299") < body.index("Patientens mål") < body.index("11 Underskrifter")
    # The heading stays on the page where the wishes start, and no page is left (nearly) empty before them.
    start_page = next(page for page in pages if "Ønske linje 000" in page)
    assert "5 Patientens ønsker og mål Patientens ønsker Ønske linje 000" in start_page
    for page in pages[:-1]:
        assert len(page[: page.index(CONFIDENTIAL)]) > 600, page[:120]


def test_long_texts_in_tables_and_the_reaction_box_are_not_lost(render) -> None:
    def words(tag: str, count: int) -> str:
        return " ".join(f"{tag}{i:04d}" for i in range(count))

    content = _content(
        AFTALE,
        reaction_how=words("hv", 1500),
        contact_person=words("kp", 400),
        note=long_text(40),
        treatment_offers=(*TREATMENT, Offer("Samtaler", "Egen læge", None, words("bm", 1500))),
    )
    pages = _pages(render, _document(AFTALE, content=content))
    body = _body(pages)
    for tag, count in (("hv", 1500), ("kp", 400), ("bm", 1500)):
        assert all(f"{tag}{i:04d}" in body for i in range(count)), tag
    for paragraph in long_text(40).split("\n\n"):
        assert body.count(paragraph) == 1
    assert "12 Underskrifter" in pages[-1]


@pytest.mark.parametrize("kind", list(PlanKind))
def test_one_5000_character_word_in_every_free_text_field_prints(kind: PlanKind, render) -> None:
    """Any text the services accept prints (reportlab raised LayoutError for a table row or a signature field
    taller than a page): each field holds its own word of 5,000 characters."""
    w = long_word
    offer = Offer(w("N"), w("O"), date(2026, 12, 1), w("P"))
    content = _content(
        kind,
        parties=(Party(PartyRole.KOMMUNE, w("J"), w("K"), w("L"), w("M")),),
        treatment_offers=(offer,),
        social_offers=(offer,),
        wishes=w("Q"),
        goals=w("R"),
        contact_person=w("S"),
        reaction_who=w("T"),
        reaction_how=w("U"),
        sent_to=(SentTo(w("V"), date(2026, 12, 1), with_epikrise=True, channel=SendChannel.PAPIR),),
        note=w("W"),
        overlaege=w("X"),
    )
    data = _document(
        kind,
        content=content,
        patient_name=w("A"),
        address=w("B"),
        center=w("C"),
        ward=w("D"),
        kommune_name=w("E"),
        coordinator_name=w("F"),
        coordinator_phone=w("G"),
        coordinator_secure_mail=w("H"),
        source_meeting=w("I"),
    )
    once = "ABCDEFGHIJKLMQRSTUVW"
    twice = {"N": 2, "O": 2, "P": 2, "X": 2}  # X: section 6 and the overlæge's signature box
    pages = assert_long_words_printed(render(data), {letter: 1 for letter in once} | twice)
    assert len(pages) > 20
    assert HEADINGS[kind][-1] in _body(pages)  # the signatures, last
    for page in pages[1:]:  # every continuation page names the patient (a name this long cut to fit)
        assert "Patient: AAAA" in page[page.index(CONFIDENTIAL) :]


def test_draft_marking_only_on_a_draft(render) -> None:
    for kind in PlanKind:
        content = _content(kind, wishes=long_text(20))
        draft = _pages(render, _document(kind, content=content, draft=True))
        assert len(draft) >= 2
        for page in draft:
            assert DRAFT_MARKING in page
        final = " ".join(_pages(render, _document(kind, content=content)))
        assert "KLADDE" not in final and "ikke gældende" not in final


@pytest.mark.parametrize("kind", list(PlanKind))
def test_fonts_are_embedded_and_pages_numbered(kind: PlanKind, render) -> None:
    pdf = render(_document(kind))
    used = fonts_used(pdf)
    assert used and {f["subtype"] for f in used} == {"/TrueType"}
    assert all(f["embedded"] for f in used)
    assert all("DejaVuSans" in f["name"] for f in used)
    pages = page_texts(pdf)
    assert f"Side 1 af {len(pages)}" in pages[0]
    assert all("Dokument-ID: KO-7-42-20261120101500000000" in page for page in pages)


def test_identical_data_renders_identical_bytes(render) -> None:
    first = render(_document(AFTALE))
    assert render(_document(AFTALE)) == first
    assert render(_document(AFTALE, version_number=4)) != first
    assert render(_document(AFTALE, draft=True)) != first


def test_danish_letters_survive(render) -> None:
    content = _content(PLAN, goals="ÆØÅ æøå – § 13 b; «citat» og ‘enkelt’ … Åse Ærø-Øster")
    assert "ÆØÅ æøå – § 13 b; «citat» og ‘enkelt’ … Åse Ærø-Øster" in " ".join(
        _pages(render, _document(PLAN, content=content))
    )


@pytest.mark.parametrize("kind", list(PlanKind))
def test_every_page_renders_to_png(kind: PlanKind, render, tmp_path: Path) -> None:
    pdf = render(_document(kind, draft=True))
    pngs = png_pages(pdf, tmp_path)
    assert len(pngs) == len(page_texts(pdf))
    for content in pngs:
        assert content.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = png_size(content)
        assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
        assert len(content) > 15_000  # a page with content, not a blank one


# -- what the recipients need (issue 17) --------------------------------------------------------------------------

#: The labels a kommune and a GP look for, from the agreement's sections «Udskrivningsaftale» and
#: «Koordinationsplan» (and psykiatriloven §§ 13 a–13 b, which they quote): the patient, the parties and their
#: roles, the offers and who is responsible for each, the patient's wishes and goals, the contact persons, who
#: reacts and how if the plan is not followed, the period, the legal condition, the signatures with the
#: responsible overlæge by name, and to whom, when and how it was sent.
REQUIRED_LABELS = (
    "Navn Testa Fiktivsen",
    "CPR-nummer 010190-9909",
    "Bopælskommune København",
    "Parter",
    "Rolle Navn Organisation / enhed Telefon E-mail",
    "Psykiatrisk afdeling Kåre Prøvesen",
    "Kommune Bodil Sagsen",
    "Egen læge Læge Ørnulf Åby",
    "Behandlingstilbud Tilbud Ansvarlig Fra dato Bemærkning",
    "Sociale tilbud Tilbud Ansvarlig Fra dato Bemærkning",
    "Patientens ønsker",
    "Patientens mål",
    "Kontaktperson Bodil Sagsen",
    "Ansvarlig overlæge Birgitte Vang",
    "Hvem reagerer",
    "Hvordan",
    "Periode Startdato 01-12-2026 Slutdato 31-05-2027",
    "Sendt til",
    "Modtager Sendt Hvordan Bemærkning",
    "Lægerne Prøvevej (egen læge) 01-12-2026 Sikker post med epikrise",
    "Underskrifter",
    "ANSVARLIG OVERLÆGE Birgitte Vang Psykiatrisk Center København, Afsnit 7 Underskrift Dato",
)
KIND_LABELS = {
    AFTALE: (
        CONDITION_CAPTIONS[AFTALE],
        "Patienten modtager støtte efter servicelovens afsnit V",
        "samarbejdsaftalen, «Udskrivningsaftale»",
        "Patient Testa Fiktivsen",
        "Hvis aftalen ikke følges – hvem reagerer og hvordan",
        "Patientens tilslutning",
        "Dato for tilslutning 24-11-2026",
        EPIKRISE_LINE,
    ),
    PLAN: (
        CONDITION_CAPTIONS[PLAN],
        "Patienten vil ikke medvirke til at indgå en udskrivningsaftale (psykiatriloven § 13 b).",
        "samarbejdsaftalen, «Koordinationsplan»",
        "Patienten medvirker ikke (psykiatriloven § 13 b)",
        "Hvis planen ikke følges – hvem reagerer og hvordan",
    ),
}
FACTS = {
    AFTALE: PlanFacts(afsnit_v_support=True),
    PLAN: PlanFacts(afsnit_v_support=True, refuses_participation=True),
}
RULE_ID = re.compile(r"\b[A-H]\d{1,2}\b")


def _issued(kind: PlanKind) -> DischargePlanDocument:
    """A plan as issued: the overlæge named, the condition recorded, sent once before (version 1)."""
    data = _document(kind)
    return replace(
        data,
        content=replace(data.content, overlaege="Birgitte Vang"),
        condition=legal_condition(kind, FACTS[kind]),
        earlier_sendings=((1, SentTo("Egen læge", date(2026, 11, 24), True, SendChannel.UDLEVERET)),),
    )


@pytest.mark.parametrize("kind", list(PlanKind))
def test_the_plan_carries_every_label_its_recipients_need(kind: PlanKind, render) -> None:
    text = " ".join(_pages(render, _issued(kind)))
    missing = [label for label in (*REQUIRED_LABELS, *KIND_LABELS[kind]) if label not in text]
    assert not missing
    assert AGREEMENT_CITATIONS[kind] in text
    assert "Tidligere udsendelser (tidligere versioner) Version Modtager Sendt Hvordan Bemærkning" in text
    assert "1 Egen læge 24-11-2026 Udleveret på mødet med epikrise" in text


@pytest.mark.parametrize("kind", list(PlanKind))
def test_every_optional_field_empty_reads_ikke_oplyst_never_none(kind: PlanKind, render) -> None:
    data = _document(
        kind,
        content=PlanContent(sent_to=(SentTo("Egen læge", date(2026, 12, 1)),)),  # sent, the channel not recorded
        address=None,
        planned_discharge=None,
        coordinator_phone=None,
        coordinator_secure_mail=None,
        source_meeting=None,
        kommune_name="",
    )
    text = " ".join(_pages(render, data))
    assert "None" not in text
    for snippet in (
        f"{CONDITION_CAPTIONS[kind]} Ikke oplyst",  # no fact recorded on the admission
        "Adresse Ikke oplyst",
        "Bopælskommune Ikke oplyst",
        "Patientens ønsker Ikke oplyst Patientens mål Ikke oplyst",
        "Telefon Ikke oplyst",
        "Sikker mail Ikke oplyst",
        "Egen læge 01-12-2026 Ikke oplyst",
        "Ansvarlig overlæge Ikke angivet",  # required: shown as missing
        "ANSVARLIG OVERLÆGE Psykiatrisk Center København, Afsnit 7 Underskrift Dato Navn (blokbogstaver)",
    ):
        assert snippet in text, snippet
    assert "Tidligere udsendelser" not in text


@pytest.mark.parametrize("kind", list(PlanKind))
@pytest.mark.parametrize("filled", [True, False])
def test_no_rule_id_of_koordinator_is_printed(kind: PlanKind, filled: bool, render) -> None:
    """The recipients cannot look up Koordinator's rule IDs: the agreement is cited by its section names."""
    data = _issued(kind) if filled else _document(kind, content=PlanContent())
    text = " ".join(_pages(render, data))
    assert RULE_ID.search(text) is None, RULE_ID.findall(text)
    assert "samarbejdsaftalen, «Opfølgning efter udskrivning»" in text


@pytest.mark.parametrize("sentences", range(10, 32, 2))
def test_a_tall_first_row_takes_its_heading_along(sentences: int, render) -> None:
    """A table whose first row is too tall for the rest of the page but fits on one moves whole (rows are never split
    under a repeated header) — and its section heading moves with it instead of ending the page alone."""
    remark = " ".join(f"Bemærkning {i:02d} om opfølgningen i distriktspsykiatrien." for i in range(sentences))
    tall = Offer("Ambulant opfølgning", "Distriktspsykiatrien Nørrebro", date(2026, 12, 8), remark)
    pages = _pages(render, _document(AFTALE, content=_content(AFTALE, treatment_offers=(tall,))))
    assert f"Bemærkning {sentences - 1:02d}" in _body(pages)
    for page in pages:
        body = page[: page.index(CONFIDENTIAL)].strip()
        assert not body.endswith(AFTALE_HEADINGS), body[-80:]
        assert not body.endswith("Tilbud Ansvarlig Fra dato Bemærkning"), body[-80:]


@pytest.mark.parametrize("kind", [AFTALE, PLAN], ids=["aftale", "plan"])
def test_a_name_and_a_wish_with_markup_print_as_typed(kind: PlanKind, render) -> None:
    data = _document(kind, patient_name=MARKUP_NAME, content=_content(kind, wishes=f"Ønske: {MARKUP_NAME}"))
    pdf = render(data)
    assert_printed_literally(pdf, MARKUP_NAME)
    assert_printed_literally(pdf, f"Ønske: {MARKUP_NAME}")
