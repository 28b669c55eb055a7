"""The one font family every PDF uses: DejaVu Sans, embedded and subsetted.

A document sent to a kommune must look the same on every screen and printer, so the font travels inside
the PDF. reportlab's built-in Helvetica is *not* embedded (the viewer substitutes a font of its own), so
it is never used.

Where the files come from, in order:

1. ``resources/fonts/DejaVuSans*.ttf`` (shipped with the app, licence in ``LICENSE-DejaVu.txt``), found
   through :func:`coordinator_app.infra.resources.resources_dir`;
2. reportlab's bundled Bitstream Vera (``reportlab/fonts/Vera*.ttf``), also embedded, with a warning in
   the log: the documents stay correct (æ, ø, å, §, –), but Vera has no ☐/☒, so check boxes print
   as ``[X]``/``[ ]``;
3. neither: :class:`~coordinator_app.domain.errors.KoordinatorError` with a Danish message telling the user to
   reinstall.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra.resources import resources_dir

log = logging.getLogger("koordinator.documents.fonts")

FONTS_FOLDER = "fonts"
#: Where reportlab keeps its bundled Vera fonts (a module attribute so tests can point it elsewhere).
VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"

BALLOT_BOX = "\u2610"  # ☐
BALLOT_BOX_WITH_X = "\u2612"  # ☒


@dataclass(frozen=True, slots=True)
class FontFamily:
    """Registered reportlab font names of one family, and what its glyphs allow."""

    family: str  # the name used in paragraph styles (bold/italic map through the family)
    regular: str
    bold: str
    italic: str
    bold_italic: str
    has_ballot_boxes: bool  # ☐ and ☒ exist in the font
    fallback: bool  # True: reportlab's Vera, because DejaVu Sans was missing

    def checkbox(self, checked: bool) -> str:
        """☒/☐ where the font has them; otherwise ``[X]``/``[ ]``."""
        if self.has_ballot_boxes:
            return BALLOT_BOX_WITH_X if checked else BALLOT_BOX
        return "[X]" if checked else "[\u00a0\u00a0]"


@dataclass(frozen=True, slots=True)
class _Candidate:
    family: str
    folder: Path
    files: tuple[str, str, str, str]  # regular, bold, italic, bold italic
    fallback: bool


def fonts_dir() -> Path:
    """``resources/fonts`` of the installed app (or of ``$KOORDINATOR_RESOURCES``)."""
    return resources_dir() / FONTS_FOLDER


def _candidates() -> tuple[_Candidate, ...]:
    return (
        _Candidate(
            "KoordinatorDejaVuSans",
            fonts_dir(),
            ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
            fallback=False,
        ),
        _Candidate(
            "KoordinatorVera",
            VERA_DIR,
            ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"),
            fallback=True,
        ),
    )


_SUFFIXES = ("", "-Bold", "-Italic", "-BoldItalic")


def _register(candidate: _Candidate) -> FontFamily:
    """Register the four faces (raises ``OSError``/``TTFError`` when a file is missing or broken)."""
    names = tuple(candidate.family + suffix for suffix in _SUFFIXES)
    fonts = [TTFont(name, str(candidate.folder / file)) for name, file in zip(names, candidate.files, strict=True)]
    for font in fonts:
        pdfmetrics.registerFont(font)
    regular, bold, italic, bold_italic = names
    addMapping(candidate.family, 0, 0, regular)
    addMapping(candidate.family, 1, 0, bold)
    addMapping(candidate.family, 0, 1, italic)
    addMapping(candidate.family, 1, 1, bold_italic)
    glyphs = fonts[0].face.charToGlyph
    return FontFamily(
        family=candidate.family,
        regular=regular,
        bold=bold,
        italic=italic,
        bold_italic=bold_italic,
        has_ballot_boxes=ord(BALLOT_BOX) in glyphs and ord(BALLOT_BOX_WITH_X) in glyphs,
        fallback=candidate.fallback,
    )


def load_fonts() -> FontFamily:
    """Register the best available embedded family (see the module docstring). Not cached: use
    :func:`document_fonts`."""
    tried: list[str] = []
    for candidate in _candidates():
        try:
            family = _register(candidate)
        except (OSError, TTFError) as exc:
            tried.append(str(candidate.folder))
            log.warning("Font family %s not loaded from %s: %s", candidate.family, candidate.folder, exc)
            continue
        if candidate.fallback:
            log.warning("DejaVu Sans missing in %s; PDFs use reportlab's Vera (embedded) instead", fonts_dir())
        return family
    raise KoordinatorError(
        "Skrifttypen til PDF-dokumenter (DejaVu Sans) mangler, og reserveskrifttypen kunne heller ikke "
        f"indlæses (søgt i: {'; '.join(tried)}). Geninstallér Koordinator, eller bed IT om at lægge "
        f"skrifttypefilerne i mappen {fonts_dir()}."
    )


@cache
def document_fonts() -> FontFamily:
    """The registered family, loaded once per process (an error is not cached: the next call retries)."""
    return load_fonts()
