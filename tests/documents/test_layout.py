"""The shared A4 frame: header and footer on every page, page numbers, flowing text, fonts, determinism, and
text of any length (long words, table rows and headings taller than a page)."""

from __future__ import annotations

import io
import time
from datetime import UTC, date, datetime

import pytest
from pdf_helpers import assert_long_words_printed, fonts_used, long_text, long_word, page_texts
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from coordinator_app.documents import layout
from coordinator_app.documents.fonts import document_fonts
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
    assert layout.format_moment(datetime(2026, 5, 30, 8, 0, tzinfo=UTC)) == "30-05-2026 kl. 10.00"  # CEST
    assert layout.format_moment(None, "Ikke fastsat") == "Ikke fastsat"


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


def test_a_table_row_taller_than_a_page_continues_on_the_next_page(meta) -> None:
    """A plain reportlab table raises LayoutError for such a row; a FlowingTable splits it inside."""
    rows = [[layout.caption("Kort"), layout.caption(long_word("Q"))], [layout.caption("Efter"), layout.caption("Slut")]]
    table = layout.FlowingTable(rows, colWidths=[30 * mm, 40 * mm])
    pages = assert_long_words_printed(build_pdf(meta(), [layout.title("Tabel"), table]), {"Q": 1})
    assert len(pages) >= 3 and "Efter Slut" in pages[-1]


def test_rows_of_ordinary_height_are_never_split_inside(meta) -> None:
    """Even where the first row does not fit (reportlab's ``splitInRow`` would split it) it moves on whole."""
    cell = "Række {0:02d} linje 1\nRække {0:02d} linje 2\nRække {0:02d} linje 3"
    rows = [[layout.caption(f"{i:02d}"), layout.text_block(cell.format(i))] for i in range(80)]
    table = layout.FlowingTable(rows, colWidths=[20 * mm, 100 * mm])
    pages = page_texts(build_pdf(meta(), [layout.spacer(layout.FRAME_HEIGHT / mm - 12), table]))
    assert len(pages) >= 3
    for i in range(80):
        assert any(f"Række {i:02d} linje 1" in page and f"Række {i:02d} linje 3" in page for page in pages), i


def _ruled(rows: list[list], widths: list[float], **kw) -> layout.FlowingTable:
    header = [layout.caption("Nr."), layout.caption("Hvad er aftalt")]
    table = layout.FlowingTable([header, *rows], colWidths=widths, repeatRows=1, **kw)
    table.setStyle(layout.grid_style())
    return table


@pytest.mark.parametrize("split_in_row", [0, 1])
def test_a_row_that_would_straddle_a_page_break_moves_whole_under_the_repeated_header(meta, split_in_row) -> None:
    """The row is half a page tall and starts a third of a page above the page's end: it moves whole to the next
    page, under the repeated header – also in a table made with ``splitInRow`` (the plans' tables), where
    reportlab would split it. Every page that holds part of the table starts with its header."""
    frame_mm = layout.FRAME_HEIGHT / mm
    lines = "\n".join(f"Aftale linje {i:02d}" for i in range(30))  # ~ 1/2 page
    rows = [[layout.caption("1."), layout.caption("Kort aftale")], [layout.caption("2."), layout.caption(lines)]]
    table = _ruled(rows, [20 * mm, 100 * mm], splitInRow=split_in_row)
    pages = page_texts(build_pdf(meta(), [layout.spacer(frame_mm * 2 / 3), table]))
    assert len(pages) == 2
    assert "Kort aftale" in pages[0] and "Aftale linje 00" not in pages[0]
    assert "Aftale linje 00" in pages[1] and "Aftale linje 29" in pages[1]
    assert pages[1].index("Nr. Hvad er aftalt") < pages[1].index("Aftale linje 00")
    assert layout.CONTINUED not in " ".join(pages)


def test_a_row_taller_than_a_page_is_split_and_its_continuation_marked(meta) -> None:
    """A 5,000-character cell (in a narrow column, taller than a page) still prints whole: its text continues
    under the repeated header, marked "(fortsat)"; the short cell beside it is not marked."""
    words = " ".join(f"ord{i:04d}" for i in range(700))  # ~5,000 characters
    rows = [[layout.caption("1."), layout.caption(words)], [layout.caption("2."), layout.caption("Sidste aftale")]]
    table = _ruled(rows, [20 * mm, 40 * mm])
    pages = page_texts(build_pdf(meta(), [layout.title("Tabel"), table]))
    assert len(pages) >= 3
    text = " ".join(pages)
    assert all(f"ord{i:04d}" in text for i in range(700))
    for page in pages[1:]:
        assert page.startswith("Nr. Hvad er aftalt (fortsat) ord"), page[:200]
    assert text.count(layout.CONTINUED) == len(pages) - 1
    assert "Sidste aftale" in pages[-1]


def test_a_table_inside_a_cell_taller_than_a_page_splits_where_the_cell_is(meta) -> None:
    """A boxed field (a table in a table's cell, as the plans' signatures) cannot move to a page of its own: its
    rows split where the outer row does, and the document is made quickly with nothing lost."""
    halves = [" ".join(f"navn{i:04d}" for i in range(start, start + 150)) for start in (0, 150)]  # ~ 2/3 page each
    inner = layout.FlowingTable(
        [[layout.caption(halves[0])], [layout.caption(halves[1])], [layout.caption("Slut på feltet")]],
        colWidths=[40 * mm],
    )
    outer = layout.FlowingTable([[inner, layout.caption("Ved siden af")]], colWidths=[50 * mm, 50 * mm])
    started = time.perf_counter()
    pdf = build_pdf(meta(), [layout.spacer(layout.FRAME_HEIGHT / mm - 100), outer])  # 10 cm left on page 1
    assert time.perf_counter() - started < 20
    pages = page_texts(pdf)
    text = " ".join(pages)
    assert len(pages) <= 4 and all(f"navn{i:04d}" in text for i in range(300)) and "Slut på feltet" in text


def test_a_heading_is_kept_with_the_start_of_a_long_paragraph_not_all_of_it(meta) -> None:
    """reportlab would move the heading with the whole paragraph to the next page and leave this one half empty."""
    frame_mm = layout.FRAME_HEIGHT / mm
    long = layout.text_block(" ".join(f"ord{i:04d}" for i in range(700)))  # more than a page
    pages = page_texts(build_pdf(meta(), [layout.spacer(frame_mm - 45), *layout.section("Lang", 2), *long]))
    assert "2 Lang ord0000" in pages[0]
    # A text shorter than a third of a page is still kept whole with its heading: both move on.
    short = layout.text_block(" ".join(f"kort{i:03d}" for i in range(60)))  # five lines
    pages = page_texts(build_pdf(meta(), [layout.spacer(frame_mm - 25), *layout.section("Kort", 3), *short]))
    assert "3 Kort" not in pages[0] and "3 Kort kort000" in pages[1] and "kort059" in pages[1]


def test_long_section_title_and_signature_print(meta) -> None:
    """A ward may give a section any title, and a name can be long: neither may stop the document."""
    flowables = [
        *layout.section(long_word("T"), 1),
        *layout.text_block("Tekst efter overskriften."),
        layout.signature_block(long_word("N"), long_word("U"), date(2026, 1, 5)),
    ]
    pages = assert_long_words_printed(build_pdf(meta(), flowables), {"T": 1, "N": 1, "U": 1})
    assert "Tekst efter overskriften." in " ".join(pages)


@pytest.mark.parametrize("length", [0, 1, 40, 5_000])
def test_fit_text_keeps_what_fits_and_cuts_the_rest_with_an_ellipsis(length: int) -> None:
    font = document_fonts().bold
    text = ("Kåre Prøvesen " * 400)[:length]
    width = 120.0
    fitted = layout.fit_text(text, font, 7.5, width)
    assert stringWidth(fitted, font, 7.5) <= width
    if stringWidth(text, font, 7.5) <= width:
        assert fitted == text
    else:
        assert fitted.endswith("…") and text.startswith(fitted[:-1])
        # the longest such cut: one more character would not fit
        longer = text[: len(fitted[:-1]) + 1].rstrip() + "…"
        assert len(longer) <= len(fitted) or stringWidth(longer, font, 7.5) > width


@pytest.mark.parametrize("length", [3, 60, 5_000])
def test_the_continuation_footer_cuts_a_long_name_but_never_the_cpr(length: int) -> None:
    font = document_fonts().bold
    name = ("Kåre Prøvesen " * 400)[:length].strip()
    meta = DocumentMeta("X-1", "Titel", datetime(2026, 1, 5, tzinfo=UTC), "0", patient_name=name, cpr="0101909909")
    width = 200.0
    line = meta.patient_line_within(font, 7.5, width)
    assert stringWidth(line, font, 7.5) <= width
    assert line.endswith(" · CPR 010190-9909") and line.startswith("Patient: ")
    assert line == meta.patient_line or "…" in line


def test_a_long_name_leaves_the_cpr_in_every_continuation_footer(meta) -> None:
    named = meta().for_patient(long_word("N"), "0101909909")
    pages = page_texts(build_pdf(named, layout.text_block(long_text(40))))
    assert len(pages) >= 2
    assert all("CPR 010190-9909" in page for page in pages[1:])
