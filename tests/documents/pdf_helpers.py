"""Reading rendered PDFs back in tests: text per page, fonts, pages as PNG images, and long fictitious text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pypdf import PdfReader


def normalise(text: str) -> str:
    """Extracted PDF text with non-breaking spaces as spaces and all whitespace runs as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def page_texts(pdf: bytes) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def long_text(paragraphs: int) -> str:
    """Numbered, unique sentences in blank-line-separated paragraphs (to check that nothing is lost)."""
    return "\n\n".join(
        f"Afsnit {i:03d}: Testa Fiktivsen har talt med kontaktpersonen om bolig, økonomi og pårørende. "
        f"Søster ønsker at deltage; æble, øl og ål på Ærø. Slut på afsnit {i:03d}."
        for i in range(1, paragraphs + 1)
    )


def fonts_used(pdf: bytes) -> list[dict[str, Any]]:
    """Every font resource of every page: name, subtype and whether a TrueType file is embedded."""
    found: list[dict[str, Any]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]  # pypdf types every value as a bare PdfObject
        for font in resources["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found.append(
                {
                    "name": str(font["/BaseFont"]),
                    "subtype": str(font["/Subtype"]),
                    "embedded": "/FontFile2" in descriptor,
                }
            )
    return found


def png_pages(pdf: bytes, folder: Path, *, first_only: bool = False) -> list[bytes]:
    """The pages of ``pdf`` (with ``first_only``, page 1 alone) as PNG images at 60 dpi, drawn by poppler's
    ``pdftoppm`` in ``folder`` — what a reader's viewer would show, not what the PDF says it holds."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "pdftoppm (poppler-utils) mangler: kør scripts/setup.sh"
    source = folder / "dokument.pdf"
    source.write_bytes(pdf)
    pages = ["-f", "1", "-l", "1"] if first_only else []
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", *pages, str(source), str(folder / "side")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return [png.read_bytes() for png in sorted(folder.glob("side*.png"))]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


#: The length of :func:`long_word`: wider than any column, and in a narrow column taller than a page.
LONG_WORD = 5000


def long_word(letter: str) -> str:
    """One word of ``LONG_WORD`` characters: ``letter`` repeated (a field's own letter, so the test can tell the
    fields apart in the extracted text)."""
    return letter * LONG_WORD


def assert_long_words_printed(pdf: bytes, fields: Mapping[str, int]) -> list[str]:
    """Every page parses, and each ``letter`` was printed at least ``count`` × ``LONG_WORD`` times: the ``count``
    fields that hold ``long_word(letter)`` are all there in full, however the renderer broke the word into lines,
    cells and pages (whitespace and hyphens it may insert are ignored). Returns the pages' text."""
    pages = page_texts(pdf)
    text = re.sub(r"[\s\-\u00ad\u200b]", "", "".join(pages))
    for letter, count in fields.items():
        assert text.count(letter) >= count * LONG_WORD, (letter, count, text.count(letter))
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in page
    return pages


#: A synthetic name that is also markup: reportlab's Paragraph would print "Fed" in bold and drop the tags.
MARKUP_NAME = '<b>Fed</b> <a href="x">Link</a> &amp; <img src="y">'


def assert_printed_literally(pdf: bytes, text: str) -> None:
    """``text`` is in the PDF character for character (spaces aside: extraction may drop or add them)."""
    whole = "".join(page_texts(pdf)).replace(" ", "")
    assert text.replace(" ", "") in whole, f"{text!r} is not printed as typed"
