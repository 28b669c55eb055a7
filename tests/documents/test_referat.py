"""The netværksmøde referat (C5–C8): every section in the template version's order, participants, roles,
agreements with owner and deadline ("Mangler" when missing), follow-up, distribution (C7), pages, fonts,
determinism, PNG, and text of any length (a word of 5,000 characters, a table cell longer than a page)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers.meetings import meeting_record
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

from coordinator_app.documents.layout import CONFIDENTIAL, DocumentMeta
from coordinator_app.documents.referat import (
    DISTRIBUTION_NOTE,
    HEALTH_PROFESSIONAL_NOTE,
    HEALTH_PROFESSIONAL_RULE,
    MISSING_NOTE,
    REFERAT_TITLE,
    render_referat,
)
from coordinator_app.domain.meetings import (
    OCCASION_LABELS,
    AgreementItem,
    AgreementStatus,
    FollowUp,
    Inviter,
    Meeting,
    MeetingContent,
    MeetingForm,
    MeetingStatus,
    MeetingTemplate,
    Occasion,
    Participant,
    SectionKind,
    TemplateSection,
    default_template,
)
from coordinator_app.domain.model import Sector

CPH = ZoneInfo("Europe/Copenhagen")
ADMISSION = "Psykiatrisk Center København, Afsnit 7 – indlæggelse nr. 12"

PARTICIPANTS = (
    Participant("p1", "Testa Fiktivsen", "", Sector.BORGER, "patient", "12 34 56 78", "testa@example.dk"),
    Participant(
        "p2",
        "Kåre Prøvesen",
        "Psykiatrisk Center Testrup",
        Sector.REGION,
        "udskrivningskoordinator",
        "12 34 56 79",
        "kaare.proevesen@example.dk",
    ),
    Participant(
        "p3",
        "Ørnulf Åby",
        "Psykiatrisk Center Testrup",
        Sector.REGION,
        "overlæge",
        "12 34 56 80",
        "oernulf.aaby@example.dk",
        health_professional=True,
    ),
    Participant(
        "p4",
        "Bodil Sagsen",
        "Testrup Kommune, Socialforvaltningen",
        Sector.KOMMUNE,
        "sagsbehandler",
        "12 34 56 81",
        "bodil.sagsen@example.dk",
    ),
    Participant(
        "p5", "Søren Søstersen", "", Sector.PAAROERENDE, "bror", "12 34 56 82", "soeren@example.dk", present=False
    ),
)

AGREEMENTS = (
    AgreementItem("a1", "Bostøtte øges til fire timer ugentligt", "p4", date(2026, 12, 1)),
    AgreementItem("a2", "Medicinlisten sendes til egen læge", "p3", date(2026, 11, 27), AgreementStatus.UDFOERT),
    AgreementItem("a3", "Søge om plads på værested", None, date(2026, 12, 15)),  # no owner
    AgreementItem("a4", "Aftale om økonomisk rådgivning", "p2", None),  # no deadline
)

TEXTS = {
    "formaal": "Status på indlæggelsen.\n\nPatientens ønsker: egen bolig med støtte – også i weekenden.",
    "behandling": "Fortsætter med depotmedicin hver 14. dag; blodprøve før udskrivning.",
}

#: The footer line of a continuation page (page 2 on).
PATIENT_LINE = "Patient: Testa Fiktivsen · CPR 010190-9909"


def _meeting(**changes: Any) -> Meeting:
    content = MeetingContent(
        texts=dict(TEXTS),
        participants=PARTICIPANTS,
        leader_key="p2",
        referent_key="p3",
        tovholder_key="p4",
        agreements=AGREEMENTS,
        follow_up=FollowUp(needed=True, when=date(2026, 12, 10), caller_key="p2"),
        invited_by=Inviter("Kåre Prøvesen", "Psykiatrisk Center Testrup, Afsnit 7"),
        agenda_with_patient=True,
    )
    base = meeting_record(
        content,
        id=12,
        patient_id=7,
        admission_id=42,
        invited_on=date(2026, 11, 16),
        reference="NM-2026-0012",
        planned_at=datetime(2026, 11, 20, 13, 0, tzinfo=ZoneInfo("UTC")),  # 14:00 Danish time
        form=MeetingForm.BLANDET,
        place="Mødelokale 3, Afsnit 7 / video via sikkert link",
        status=MeetingStatus.AFSLUTTET,
        closed_at=datetime(2026, 11, 20, 14, 30, tzinfo=ZoneInfo("UTC")),
    )
    return replace(base, **changes)


def _content(**changes: Any) -> MeetingContent:
    return replace(_meeting().content, **changes)


@pytest.fixture
def referat_meta() -> DocumentMeta:
    return DocumentMeta(
        document_id="NM-2026-0012-20261120153000",
        title=REFERAT_TITLE,
        created_at=datetime(2026, 11, 20, 15, 30, tzinfo=CPH),
        app_version="0.1.0",
    )


def _render(meeting: Meeting, meta: DocumentMeta) -> bytes:
    return render_referat(
        meeting, patient_name="Testa Fiktivsen", cpr="0101909909", admission_label=ADMISSION, meta=meta
    )


def _pages(meeting: Meeting, meta: DocumentMeta) -> list[str]:
    return page_texts(_render(meeting, meta))


def _body(pages: list[str]) -> str:
    """The text drawn by the flowables (header and footer are drawn after each page's body)."""
    return " ".join(page[: page.index(CONFIDENTIAL)].strip() for page in pages)


def test_head_meeting_and_patient(referat_meta) -> None:
    text = " ".join(_pages(_meeting(), referat_meta))
    for snippet in (
        REFERAT_TITLE,
        "Mødereference NM-2026-0012",
        "Status Afsluttet 20-11-2026 kl. 15.30",
        "Dato og tidspunkt fredag 20-11-2026 kl. 14.00",
        "Mødeform Blandet (fysisk fremmøde og video/telefon)",
        "Sted / link Mødelokale 3, Afsnit 7 / video via sikkert link",
        "Anledning Under indlæggelse",
        "Indkaldt af Kåre Prøvesen (Psykiatrisk Center Testrup, Afsnit 7)",
        "Indkaldt den 16-11-2026",
        "Dagsorden med patienten Ja – forberedt sammen med patienten",
        "Skabelon Netværksmøde (samarbejdsaftalen), version 1",
        "Patient Testa Fiktivsen",
        "CPR-nummer 010190-9909",
        f"Indlæggelse {ADMISSION}",
    ):
        assert snippet in text, snippet
    assert "Udkast" not in text


@pytest.mark.parametrize("form", list(MeetingForm))
def test_every_form_has_a_label(form: MeetingForm, referat_meta) -> None:
    text = " ".join(_pages(_meeting(form=form), referat_meta))
    label = {"fysisk": "Fysisk fremmøde", "video": "Video", "telefon": "Telefon", "blandet": "Blandet"}[form]
    assert f"Mødeform {label}" in text


def test_draft_unplanned_ambulant_and_late(referat_meta) -> None:
    meeting = _meeting(status=MeetingStatus.I_GANG, planned_at=None, place="", late_reason="Patienten var syg.")
    text = " ".join(
        page_texts(
            render_referat(
                meeting, patient_name="Testa Fiktivsen", cpr="0101909909", admission_label="", meta=referat_meta
            )
        )
    )
    for snippet in (
        "Udkast: mødet er ikke afsluttet",
        "Status Udkast – mødet er ikke afsluttet",
        "Dato og tidspunkt Ikke fastsat",
        "Sted / link Ikke oplyst",
        "Begrundelse for afholdelse efter fristen Patienten var syg.",
        "Indlæggelse Ambulant forløb",
    ):
        assert snippet in text, snippet


def test_sections_in_the_default_templates_order(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    titles = [s.title for s in default_template().sections]
    positions = [body.index(f"{n} {t}") for n, t in enumerate(titles, start=1)]
    assert positions == sorted(positions)
    assert body.index("6 Opfølgning") < body.index("Distribution")


def test_ward_edited_template_renamed_reordered_and_added_sections(referat_meta) -> None:
    d = {s.key: s for s in default_template().sections}
    edited = MeetingTemplate(
        id=3,
        name="Afsnit 7's netværksmøde",
        version=4,
        sections=(
            replace(d["deltagere"], title="Hvem deltog"),
            replace(d["formaal"], title="Mødets formål (aftalt med patienten)"),
            TemplateSection("bolig", SectionKind.TEXT, "Bolig og økonomi", "Kort status."),
            d["aftaler"],
            replace(d["roller"], title="Mødeleder, referent og tovholder"),
            d["opfoelgning"],
            d["behandling"],
        ),
    )
    texts = {**TEXTS, "bolig": "Lejligheden på Prøvevej beholdes; huslejen er betalt til januar."}
    meeting = _meeting(template=edited, content=_content(texts=texts))
    body = _body(_pages(meeting, referat_meta))
    expected = [
        "1 Hvem deltog",
        "2 Mødets formål (aftalt med patienten)",
        "3 Bolig og økonomi",
        "4 Aftaler",
        "5 Mødeleder, referent og tovholder",
        "6 Opfølgning",
        "7 Behandling og medicin",
        "Distribution",
    ]
    positions = [body.index(heading) for heading in expected]
    assert positions == sorted(positions)
    assert "Formål og dagsorden" not in body and "1 Deltagere" not in body  # renamed titles replace the old
    assert "Lejligheden på Prøvevej beholdes; huslejen er betalt til januar." in body
    assert body.index("3 Bolig og økonomi") < body.index("Lejligheden") < body.index("4 Aftaler")
    assert "Skabelon Afsnit 7's netværksmøde, version 4" in body


def test_agenda_and_free_text(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    assert "Status på indlæggelsen. Patientens ønsker: egen bolig med støtte – også i weekenden." in body
    assert body.index("1 Formål og dagsorden") < body.index("Status på indlæggelsen.") < body.index("2 Deltagere")
    empty = _body(_pages(_meeting(content=_content(texts={})), referat_meta))
    assert "1 Formål og dagsorden Ikke udfyldt." in empty


def test_health_professional_section_is_marked(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))  # referent p3 is a health professional
    assert f"4 Behandling og medicin {HEALTH_PROFESSIONAL_NOTE} Fortsætter med depotmedicin" in body
    assert body.count(HEALTH_PROFESSIONAL_NOTE) == 1
    # A referent who is not a health professional: the referat states the rule instead of claiming it (C6).
    other = _body(_pages(_meeting(content=_content(referent_key="p2")), referat_meta))
    assert f"4 Behandling og medicin {HEALTH_PROFESSIONAL_RULE}" in other
    assert HEALTH_PROFESSIONAL_NOTE not in other


def test_every_participant_with_contact_details(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    assert "Navn og rolle Organisation Sektor Telefon og e-mail Fremmøde" in body
    for row in (
        "Testa Fiktivsen patient Borger 12 34 56 78 testa@example.dk Til stede",
        "Kåre Prøvesen udskrivningskoordinator Psykiatrisk Center Testrup Region 12 34 56 79 "
        "kaare.proevesen@example.dk Til stede",
        "Ørnulf Åby overlæge sundhedsfaglig Psykiatrisk Center Testrup Region 12 34 56 80 "
        "oernulf.aaby@example.dk Til stede",
        "Bodil Sagsen sagsbehandler Testrup Kommune, Socialforvaltningen Kommune 12 34 56 81 "
        "bodil.sagsen@example.dk Til stede",
        "Søren Søstersen bror Pårørende 12 34 56 82 soeren@example.dk Afbud",
    ):
        assert row in body, row


def test_roles_by_name(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    assert "Mødeleder Kåre Prøvesen (Psykiatrisk Center Testrup)" in body
    assert "Referent Ørnulf Åby (Psykiatrisk Center Testrup)" in body
    assert "Tovholder Bodil Sagsen (Testrup Kommune, Socialforvaltningen)" in body
    none = _body(
        _pages(_meeting(content=_content(leader_key=None, referent_key="gone", tovholder_key=None)), referat_meta)
    )
    for role in ("Mødeleder", "Referent", "Tovholder"):
        assert f"{role} Ikke aftalt" in none


def test_every_agreement_with_owner_and_deadline(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    assert "Nr. Hvad er aftalt Ansvarlig Frist Status" in body
    for row in (
        "1. Bostøtte øges til fire timer ugentligt Bodil Sagsen Testrup Kommune, Socialforvaltningen 01-12-2026 Åben",
        "2. Medicinlisten sendes til egen læge Ørnulf Åby Psykiatrisk Center Testrup 27-11-2026 Udført",
        "3. Søge om plads på værested Mangler 15-12-2026 Åben",
        "4. Aftale om økonomisk rådgivning Kåre Prøvesen Psykiatrisk Center Testrup Mangler Åben",
    ):
        assert row in body, row
    assert MISSING_NOTE in body
    assert "Mangler: aftalen har endnu ingen ansvarlig eller ingen frist (samarbejdsaftalen, «Fælles skabelon" in body


def test_complete_agreements_print_no_mangler_and_empty_rows_are_skipped(referat_meta) -> None:
    agreements = (*AGREEMENTS[:2], AgreementItem("a9", "   ", None, None))
    body = _body(_pages(_meeting(content=_content(agreements=agreements)), referat_meta))
    section = body[body.index("5 Aftaler") : body.index("6 Opfølgning")]
    assert "1. Bostøtte" in section and "2. Medicinlisten" in section
    assert "Mangler" not in body and "3." not in section
    none = _body(_pages(_meeting(content=_content(agreements=())), referat_meta))
    assert "5 Aftaler Ingen aftaler registreret." in none


def test_owner_who_is_no_longer_a_participant_is_missing(referat_meta) -> None:
    agreements = (AgreementItem("a1", "Ansøgning om bostøtte", "slettet", date(2026, 12, 1)),)
    body = _body(_pages(_meeting(content=_content(agreements=agreements)), referat_meta))
    assert "1. Ansøgning om bostøtte Mangler 01-12-2026 Åben" in body


@pytest.mark.parametrize(
    ("follow_up", "expected", "absent"),
    [
        (
            FollowUp(True, date(2026, 12, 10), "p2"),
            "Opfølgningsmøde Ja Hvornår 10-12-2026 Hvem indkalder Kåre Prøvesen (Psykiatrisk Center Testrup)",
            None,
        ),
        (FollowUp(True, None, None), "Opfølgningsmøde Ja Hvornår Ikke fastsat Hvem indkalder Ikke aftalt", None),
        (FollowUp(False), "Opfølgningsmøde Nej", "Hvem indkalder"),
        (FollowUp(None), "Opfølgningsmøde Ikke besluttet", "Hvem indkalder"),
    ],
)
def test_follow_up(follow_up: FollowUp, expected: str, absent: str | None, referat_meta) -> None:
    body = _body(_pages(_meeting(content=_content(follow_up=follow_up)), referat_meta))
    assert expected in body
    if absent:
        assert absent not in body


def test_notes_typed_under_a_structured_section_are_kept(referat_meta) -> None:
    texts = {**TEXTS, "opfoelgning": "Mødet holdes i kommunens lokaler."}
    body = _body(_pages(_meeting(content=_content(texts=texts)), referat_meta))
    assert "Bemærkninger Mødet holdes i kommunens lokaler." in body


def test_distribution_lists_present_participants_only(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    distribution = body[body.index("Distribution") :]
    assert DISTRIBUTION_NOTE in distribution
    assert "Modtager (til stede) Organisation E-mail" in distribution
    for name, email in (
        ("Testa Fiktivsen", "testa@example.dk"),
        ("Kåre Prøvesen", "kaare.proevesen@example.dk"),
        ("Ørnulf Åby", "oernulf.aaby@example.dk"),
        ("Bodil Sagsen", "bodil.sagsen@example.dk"),
    ):
        assert name in distribution and email in distribution
    assert "Søren Søstersen" not in distribution  # afbud


def test_no_participants(referat_meta) -> None:
    body = _body(_pages(_meeting(content=_content(participants=())), referat_meta))
    assert "2 Deltagere Ingen deltagere registreret." in body
    assert "Ingen deltagere er registreret som til stede." in body
    assert "Mødeleder Ikke aftalt" in body


def test_danish_letters_survive(referat_meta) -> None:
    text = "ÆØÅ æøå – § 13a; «citat» og ‘enkelt’ … Åse Ærø-Øster"
    body = _body(_pages(_meeting(content=_content(texts={"formaal": text})), referat_meta))
    assert text in body
    assert "Ørnulf Åby" in body and "Søge om plads på værested" in body


def test_long_agenda_flows_over_pages(referat_meta) -> None:
    agenda = long_text(45)
    pages = _pages(_meeting(content=_content(texts={**TEXTS, "formaal": agenda})), referat_meta)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.count(CONFIDENTIAL) == 1
        assert REFERAT_TITLE in page
        assert f"Side {number} af {len(pages)}" in page
        assert "Dokument-ID: NM-2026-0012-20261120153000" in page
        assert "Oprettet 20-11-2026 15:30" in page
        # A continuation page names the patient in its footer (page 1 does in its body).
        assert (f"{PATIENT_LINE} Side {number}" in page) is (number > 1)
    body = _body(pages)
    for paragraph in agenda.split("\n\n"):
        assert body.count(paragraph) == 1, paragraph
    assert body.index("Afsnit 045:") < body.index("2 Deltagere")
    assert "Distribution" in pages[-1]


def test_many_participants_and_agreements_repeat_the_table_header(referat_meta) -> None:
    people = tuple(
        Participant(
            f"x{i}",
            f"Deltager {i:02d} Fiktivsen",
            "Testrup Kommune",
            Sector.KOMMUNE,
            "kontaktperson",
            "12 34 56 78",
            f"deltager{i:02d}@example.dk",
        )
        for i in range(40)
    )
    agreements = tuple(AgreementItem(f"a{i}", f"Aftale nummer {i:02d}", f"x{i}", date(2026, 12, 1)) for i in range(40))
    pages = _pages(_meeting(content=_content(participants=people, agreements=agreements)), referat_meta)
    assert len(pages) >= 3
    body = _body(pages)
    for i in range(40):
        assert f"Deltager {i:02d} Fiktivsen" in body
        assert f"{i + 1}. Aftale nummer {i:02d} Deltager {i:02d} Fiktivsen Testrup Kommune 01-12-2026" in body
    assert body.count("Navn og rolle Organisation Sektor") >= 2  # repeated on the continuation page


def test_fonts_are_embedded(referat_meta) -> None:
    used = fonts_used(_render(_meeting(content=_content(texts={"formaal": long_text(30)})), referat_meta))
    assert {f["subtype"] for f in used} == {"/TrueType"}
    assert all(f["embedded"] for f in used)
    assert all("DejaVuSans" in f["name"] for f in used)


def test_identical_meetings_render_identical_bytes(referat_meta) -> None:
    first = _render(_meeting(), referat_meta)
    assert _render(_meeting(), referat_meta) == first
    assert _render(_meeting(reference="NM-2026-0013"), referat_meta) != first


def test_page_renders_to_png(referat_meta, tmp_path: Path) -> None:
    pngs = png_pages(_render(_meeting(), referat_meta), tmp_path, first_only=True)
    assert len(pngs) == 1
    content = pngs[0]
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(content)
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi
    assert len(content) > 20_000


def test_a_long_table_starts_under_its_heading_instead_of_leaving_a_blank_page(referat_meta) -> None:
    people = tuple(
        Participant(f"x{i}", f"Deltager {i:02d} Fiktivsen", "Testrup Kommune", Sector.KOMMUNE, "kontaktperson")
        for i in range(30)
    )
    pages = _pages(_meeting(content=_content(participants=people)), referat_meta)
    first = pages[0]
    assert "2 Deltagere Navn og rolle Organisation Sektor" in first and "Deltager 00 Fiktivsen" in first
    assert "Deltager 29 Fiktivsen" not in first


def test_a_too_wide_email_breaks_after_the_at_sign(referat_meta) -> None:
    email = "sagsbehandler@testrup.example.dk"
    people = (*PARTICIPANTS, Participant("p9", "Lang Adressesen", "Testrup Kommune", Sector.KOMMUNE, email=email))
    body = _body(_pages(_meeting(content=_content(participants=people)), referat_meta))
    participants, distribution = body[: body.index("3 Roller")], body[body.index("Distribution") :]
    assert "sagsbehandler@ testrup.example.dk" in participants  # 49 mm column: broken after the @
    assert "sagsbehandler@testrup.example.dk" in distribution  # 64 mm column: fits whole
    assert "kaare.proevesen@example.dk" in participants  # an address that fits is left whole


@pytest.mark.parametrize("paragraphs", range(0, 30, 3))
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(paragraphs: int, referat_meta) -> None:
    agenda = long_text(paragraphs) or "Kort dagsorden."
    pages = _pages(_meeting(content=_content(texts={**TEXTS, "formaal": agenda})), referat_meta)
    headings = tuple(f"{n} {s.title}" for n, s in enumerate(default_template().sections, start=1))
    for page in pages[:-1]:
        body = page[: page.index(CONFIDENTIAL)].strip()
        assert not body.endswith((*headings, "Distribution", HEALTH_PROFESSIONAL_NOTE)), body[-80:]
    # The distribution table may continue on the last page (between rows, under its repeated header).
    assert "Distribution" in " ".join(pages[-2:]) and "bodil.sagsen@example.dk" in pages[-1]


def test_one_5000_character_word_in_every_free_text_field_prints(referat_meta) -> None:
    """Any text the services accept prints (an agreement of one 2,502-character word raised reportlab's
    LayoutError, so the closed meeting never got its referat). Each field holds its own long word; the ward's
    template (name, section titles) too."""
    person = Participant(
        "p1",
        long_word("A"),  # name
        long_word("B"),  # organisation
        Sector.KOMMUNE,
        long_word("C"),  # role
        long_word("D"),  # phone
        long_word("E"),  # e-mail
        health_professional=True,
    )
    template = default_template()
    template = replace(
        template, name=long_word("F"), sections=tuple(replace(s, title=long_word("G")) for s in template.sections)
    )
    content = MeetingContent(
        texts={s.key: long_word("H") for s in template.sections},  # agenda, free text, notes under the rest
        participants=(person,),
        leader_key="p1",
        referent_key="p1",
        tovholder_key="p1",
        agreements=(AgreementItem("a1", long_word("J"), "p1", date(2026, 12, 1)),),
        follow_up=FollowUp(needed=True, when=date(2026, 12, 10), caller_key="p1"),
        invited_by=Inviter(long_word("P"), long_word("Q")),
    )
    meeting = _meeting(template=template, content=content, place=long_word("K"), late_reason=long_word("L"))
    pdf = render_referat(
        meeting, patient_name=long_word("M"), cpr="0101909909", admission_label=long_word("N"), meta=referat_meta
    )
    sections = len(template.sections)
    pages = assert_long_words_printed(
        pdf,
        {"A": 1, "B": 1, "C": 1, "D": 1, "E": 1, "F": 1, "G": sections, "H": sections, "J": 1, "K": 1, "L": 1}
        | {"M": 1, "N": 1, "P": 1, "Q": 1},
    )
    assert len(pages) > 20
    assert "Distribution" in _body(pages)


def test_an_agreement_longer_than_a_page_continues_on_the_next_pages(referat_meta) -> None:
    """A table cell of many long paragraphs splits across pages (the header repeated), nothing lost, in order."""
    agreement = long_text(60)
    agreements = (AGREEMENTS[0], replace(AGREEMENTS[1], what=agreement), AGREEMENTS[2])
    pages = _pages(_meeting(content=_content(agreements=agreements)), referat_meta)
    body = _body(pages)
    starts = [body.index(f"Afsnit {i:03d}:") for i in range(1, 61)]
    assert starts == sorted(starts)
    for i in range(1, 61):
        assert body.count(f"Afsnit {i:03d}:") == 1 and f"Slut på afsnit {i:03d}." in body
    on = [page for page in pages if "Afsnit 0" in page]
    assert len(on) >= 3  # the cell spans at least three pages ...
    assert all("Nr. Hvad er aftalt Ansvarlig Frist Status" in page for page in on)  # ... with the header on each
    # The row's other cells and the rows around it are all there.
    assert "1. Bostøtte øges til fire timer ugentligt Bodil Sagsen" in body
    assert body.index("2. Afsnit 001:") < body.index("Ørnulf Åby Psykiatrisk Center Testrup 27-11-2026 Udført")
    assert "3. Søge om plads på værested Mangler 15-12-2026" in body


# -- issue 17: a referat a kommune can act on -------------------------------------------------------------------
#: The labels a participant needs on the referat, by the agreement's section they come from (C1–C8).
REQUIRED_LABELS: dict[str, tuple[str, ...]] = {
    "Fælles skabelon for tværsektorielle netværksmøder": (
        "Formål og dagsorden",  # the agenda, written beforehand with the patient
        "Dagsorden med patienten",
        "forberedt sammen med patienten",
        "Deltagere",
        "Navn og rolle",
        "Organisation",
        "Telefon og e-mail",  # concrete contact details
        "Aftaler",
        "Hvad er aftalt",
        "Ansvarlig",
        "Frist",
        "Opfølgning",
        "Opfølgningsmøde",
        "Hvornår",
        "Hvem indkalder",
    ),
    "Hvordan holdes et tværsektorielt netværksmøde?": (
        "Patient",
        "CPR-nummer",
        "Indlæggelse",
        "Indkaldt af",  # the party with the need calls the meeting
        "Fremmøde",
        "Roller",
        "Mødeleder",
        "Referent",
        "Tovholder",
        HEALTH_PROFESSIONAL_NOTE,  # treatment and medication written by a health professional
        "Distribution",
        "Modtager (til stede)",  # the participants receive the referat; others only with consent
        "patientens samtykke",
    ),
    "Mødeform for tværsektorielle netværksmøder": ("Dato og tidspunkt", "Mødeform", "Sted / link"),
    "Tværsektorielle netværksmøder under indlæggelse": ("Anledning", "Indkaldt den", "Mødereference", "Status"),
}
RULE_ID = re.compile(r"\b[A-H]\d{1,2}\b")


def _filled(tag: str, length: int = 5000) -> str:
    """A free text of (just over) ``length`` characters: numbered words ``<tag>0000 <tag>0001 …``."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) - 1 < length:
        words.append(f"{tag}{len(words):04d}")
    return " ".join(words)


def test_the_referat_carries_every_label_the_agreement_asks_for(referat_meta) -> None:
    body = _body(_pages(_meeting(), referat_meta))
    missing = [(section, label) for section, labels in REQUIRED_LABELS.items() for label in labels if label not in body]
    assert not missing
    # The values behind them: who invited, an agreement with who and by when, the next meeting.
    assert "Indkaldt af Kåre Prøvesen (Psykiatrisk Center Testrup, Afsnit 7)" in body
    assert (
        "1. Bostøtte øges til fire timer ugentligt Bodil Sagsen Testrup Kommune, Socialforvaltningen 01-12-2026" in body
    )
    assert "Opfølgningsmøde Ja Hvornår 10-12-2026 Hvem indkalder Kåre Prøvesen (Psykiatrisk Center Testrup)" in body


def test_every_free_text_field_at_5000_characters_renders_whole_with_the_patient_on_every_page(referat_meta) -> None:
    fields = {
        "agenda": _filled("dagsorden"),
        "treatment": _filled("medicin"),
        "notes": _filled("noter"),
        "name": _filled("navn"),
        "organisation": _filled("organisation"),
        "role": _filled("rolle"),
        "phone": _filled("telefon"),
        "email": _filled("mail"),
        "what": _filled("aftale"),
        "place": _filled("sted"),
        "late": _filled("begrundelse"),
        "inviter": _filled("indkalder"),
        "inviter_org": _filled("forvaltning"),
    }
    person = Participant(
        "p1", fields["name"], fields["organisation"], Sector.KOMMUNE, fields["role"], fields["phone"], fields["email"]
    )
    content = MeetingContent(
        texts={"formaal": fields["agenda"], "behandling": fields["treatment"], "aftaler": fields["notes"]},
        participants=(person, PARTICIPANTS[2]),
        leader_key="p1",
        referent_key="p3",
        tovholder_key="p1",
        agreements=(AgreementItem("a1", fields["what"], "p1", date(2026, 12, 1)),),
        follow_up=FollowUp(needed=True, when=date(2026, 12, 10), caller_key="p1"),
        invited_by=Inviter(fields["inviter"], fields["inviter_org"]),
        agenda_with_patient=False,
    )
    pages = _pages(_meeting(content=content, place=fields["place"], late_reason=fields["late"]), referat_meta)
    assert len(pages) > 5
    text = " ".join(pages).replace(" ", "")
    for key, value in fields.items():
        assert len(value) >= 5000
        lost = [word for word in value.split() if word not in text]
        assert not lost, (key, lost[:3])
    for number, page in enumerate(pages[1:], start=2):
        assert PATIENT_LINE in page, number
    assert not RULE_ID.search(" ".join(pages))


def test_every_optional_field_empty_says_ikke_oplyst_never_none(referat_meta) -> None:
    """A meeting from before who invited and the agenda's preparation were recorded, with nothing else filled in."""
    meeting = _meeting(content=MeetingContent(), planned_at=None, place="", status=MeetingStatus.I_GANG)
    text = " ".join(
        page_texts(
            render_referat(
                meeting, patient_name="Testa Fiktivsen", cpr="0101909909", admission_label="", meta=referat_meta
            )
        )
    )
    for snippet in (
        "Indkaldt af Ikke oplyst",
        "Dagsorden med patienten Ikke oplyst",
        "Sted / link Ikke oplyst",
        "Dato og tidspunkt Ikke fastsat",
        "Mødeleder Ikke aftalt",
        "Opfølgningsmøde Ikke besluttet",
        "Ingen aftaler registreret.",
    ):
        assert snippet in text, snippet
    assert "None" not in text and "Ingen deltagere registreret." in text
    assert not RULE_ID.search(text)


@pytest.mark.parametrize("occasion", list(Occasion))
def test_no_rule_ids_on_paper(occasion: Occasion, referat_meta) -> None:
    """Koordinator's rule IDs mean nothing to a kommune: every occasion, the late reason the app writes for a
    follow-up meeting, the health professional rule and the missing-owner note print without them (the
    agreement's sections are cited instead); the screen's labels keep theirs."""
    assert RULE_ID.search(OCCASION_LABELS[occasion])  # on screen
    meeting = _meeting(
        occasion=occasion,
        late_reason="Opfølgningsmøde aftalt på netværksmøde NM-2026-0011 (C5).",
        content=_content(referent_key="p2"),  # not a health professional: the rule is stated
    )
    body = _body(_pages(meeting, referat_meta))
    assert not RULE_ID.search(body), RULE_ID.search(body)
    assert "Begrundelse for afholdelse efter fristen Opfølgningsmøde aftalt på netværksmøde NM-2026-0011." in body
    assert "samarbejdsaftalen, «Hvordan holdes et tværsektorielt netværksmøde?»" in body
    assert "samarbejdsaftalen, «Fælles skabelon for tværsektorielle netværksmøder»" in body


def test_a_name_and_a_participant_with_markup_print_as_typed(referat_meta) -> None:
    participant = replace(PARTICIPANTS[1], name=f"{MARKUP_NAME} deltager")
    meeting = _meeting(content=_content(participants=(PARTICIPANTS[0], participant, *PARTICIPANTS[2:])))
    pdf = render_referat(
        meeting, patient_name=MARKUP_NAME, cpr="0101909909", admission_label=ADMISSION, meta=referat_meta
    )
    assert_printed_literally(pdf, f"{MARKUP_NAME} deltager")
    assert_printed_literally(pdf, f"Patient {MARKUP_NAME}")
