"""The embedded font family: DejaVu Sans from resources/fonts, reportlab's Vera as fallback, else a Danish error."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pdf_helpers import fonts_used, page_texts

from coordinator_app.documents import fonts
from coordinator_app.documents.varslingsblanket import FormType, render_varslingsblanket
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra.resources import RESOURCES_ENV, resources_dir

FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")


def test_dejavu_and_its_licence_are_shipped() -> None:
    folder = resources_dir() / "fonts"
    for face in FACES:
        assert (folder / face).stat().st_size > 100_000, face
    licence = (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


@pytest.mark.usefixtures("fresh_fonts")
def test_dejavu_is_the_default_family() -> None:
    family = fonts.document_fonts()
    assert not family.fallback
    assert family.has_ballot_boxes
    assert family.checkbox(True) == "☒" and family.checkbox(False) == "☐"
    assert fonts.document_fonts() is family  # registered once


@pytest.mark.usefixtures("fresh_fonts")
def test_missing_dejavu_falls_back_to_embedded_vera(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, form_data, meta
) -> None:
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path))  # no fonts/ folder there
    with caplog.at_level(logging.WARNING, logger="koordinator.documents.fonts"):
        family = fonts.load_fonts()
    assert family.fallback
    assert not family.has_ballot_boxes  # Vera has no ☐/☒ …
    assert family.checkbox(True) == "[X]"  # … so boxes print as text
    assert any("Vera" in r.getMessage() for r in caplog.records)

    pdf = render_varslingsblanket(form_data(FormType.FAERDIGMELDING), meta(FormType.FAERDIGMELDING))
    used = fonts_used(pdf)
    assert used and all(f["embedded"] and f["subtype"] == "/TrueType" and "Vera" in f["name"] for f in used)
    text = " ".join(page_texts(pdf))
    assert "[X] Færdigmelding" in text
    assert "Prøvevej 12" in text and "Kåre Prøvesen" in text


@pytest.mark.usefixtures("fresh_fonts")
def test_broken_dejavu_file_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    for face in FACES:
        (folder / face).write_bytes(b"this is not a TrueType font")
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path))
    assert fonts.load_fonts().fallback


@pytest.mark.usefixtures("fresh_fonts")
def test_no_font_at_all_is_a_danish_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as missing:  # only these patches end below, not the test's isolated home
        missing.setenv(RESOURCES_ENV, str(tmp_path))
        missing.setattr(fonts, "VERA_DIR", tmp_path / "ingen-vera")
        with pytest.raises(KoordinatorError) as caught:
            fonts.document_fonts()
    message = caught.value.message
    assert message.startswith("Skrifttypen")
    assert "mangler" in message and "Geninstallér Koordinator" in message
    # The error is not cached: once the files are back, the next call succeeds.
    assert not fonts.document_fonts().fallback
