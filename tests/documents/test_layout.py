"""The shared A4 frame: header and footer on every page, page numbers, flowing text, fonts, determinism."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pdf_helpers import fonts_used, long_text, page_texts
from pypdf import PdfReader

from coordinator_app.documents import layout
from coordinator_app.documents.layout import CONFIDENTIAL, DocumentMeta, build_pdf


def _document(text: str) -> list:
    flowables: list = [layout.title("Prøvedokument – æøå ÆØÅ")]
    flowables += layout.section("Felter", 1)
    flowables += layout.field_rows([("Navn", "Testa Fiktivsen"), ("Dato", layout.format_date(date(2026, 1, 5)))])
    flowables.append(layout.checkbox_grid([("Valgt", True), ("Fravalgt", False)], columns=2))
    flowables += layout.section("Tekst", 2)
    flowables += layout.text_block(text)
    flowables.append(layout.signature_block("Kåre Prøvesen", "Udskrivningskoordinator", date(2026, 1, 5)))
    return flowables


def test_meta_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DocumentMeta("X-1", "Titel", datetime(2026, 1, 1, 12, 0), "0.1.0")


def test_danish_date_formats() -> None:
    assert layout.format_date(date(2026, 3, 7)) == "07-03-2026"
    assert layout.format_date(None, "Ikke angivet") == "Ikke angivet"
    assert layout.format_datetime(datetime(2026, 1, 15, 12, 30, tzinfo=UTC)) == "15-01-2026 13:30"  # CET
    assert layout.format_datetime(datetime(2026, 7, 15, 12, 30, tzinfo=UTC)) == "15-07-2026 14:30"  # CEST


def test_header_footer_and_page_numbers_on_every_page(meta) -> None:
    text = long_text(60)
    pdf = build_pdf(meta(), _document(text))
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert CONFIDENTIAL in page
        assert meta().title in page
        assert f"Side {number} af {len(pages)}" in page
        assert "Dokument-ID: KO-7-42-20261120101500000000" in page
        assert "Oprettet 20-11-2026 10:15" in page
        assert "Dannet af Koordinator 0.1.0" in page


def test_long_text_flows_over_pages_without_loss(meta) -> None:
    text = long_text(60)
    pages = page_texts(build_pdf(meta(), _document(text)))
    # Header and footer are drawn after each page's body, so the body is everything before them.
    body = " ".join(page[: page.index(CONFIDENTIAL)].strip() for page in pages)
    for paragraph in text.split("\n\n"):
        assert body.count(paragraph) == 1, paragraph
    starts = [body.index(f"Afsnit {i:03d}:") for i in range(1, 61)]
    assert starts == sorted(starts)
    assert "Kåre Prøvesen" in pages[-1] and "Underskrift" in pages[-1]


def test_long_field_value_flows_instead_of_overflowing(meta) -> None:
    value = " ".join(f"ord{i:04d}" for i in range(1500))  # far more than a page in a table row
    pdf = build_pdf(meta(), layout.field_rows([("Lang værdi", value), ("Kort", "x")]))
    whole = " ".join(page_texts(pdf))
    assert len(page_texts(pdf)) >= 2
    for i in range(1500):
        assert f"ord{i:04d}" in whole


def test_text_is_escaped_and_long_words_wrap(meta) -> None:
    url = "https://eksempel.dk/" + "a" * 400
    pdf = build_pdf(meta(), layout.text_block("1 < 2 & <b>ikke fed</b>\nny linje\n\n" + url))
    whole = "".join(page_texts(pdf)).replace(" ", "")
    assert "1<2&<b>ikkefed</b>nylinje" in whole
    assert url in whole


def test_empty_text_block_says_so(meta) -> None:
    pdf = build_pdf(meta(), layout.text_block("  ", empty="Ingen bemærkninger."))
    assert "Ingen bemærkninger." in page_texts(pdf)[0]


def test_checkboxes_and_signature(meta) -> None:
    page = page_texts(build_pdf(meta(), _document("Kort tekst.")))[0]
    assert "☒ Valgt" in page and "☐ Fravalgt" in page
    for caption in ("Underskrift", "Navn", "Titel", "Dato", "05-01-2026", "Udskrivningskoordinator"):
        assert caption in page


def test_only_embedded_truetype_fonts(meta) -> None:
    used = fonts_used(build_pdf(meta(), _document(long_text(10))))
    assert used
    for font in used:
        assert font["subtype"] == "/TrueType", font
        assert font["embedded"], font
        assert "+" in font["name"], font  # subset prefix
        assert "Helvetica" not in font["name"] and "Times" not in font["name"] and "Courier" not in font["name"]


def test_identical_input_gives_identical_bytes(meta) -> None:
    first = build_pdf(meta(), _document(long_text(20)))
    second = build_pdf(meta(), _document(long_text(20)))
    assert first == second
    other_time = build_pdf(meta(created_at=datetime(2026, 11, 21, 8, 0, tzinfo=UTC)), _document(long_text(20)))
    assert other_time != first


def test_pdf_metadata_comes_from_meta_without_personal_data(meta) -> None:
    info = PdfReader(io.BytesIO(build_pdf(meta(), _document("Testa Fiktivsen")))).metadata
    assert info is not None
    assert info["/CreationDate"] == "D:20261120101500+01'00'"
    assert info["/Title"] == meta().title
    assert info["/Creator"] == "Koordinator 0.1.0"
    assert all("Fiktivsen" not in str(value) for value in info.values())
