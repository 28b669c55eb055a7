"""The shared A4 frame of every Koordinator document, and the building blocks that fill it.

Every page carries the same header (the confidentiality notice and the document's title) and footer
(document ID, creation time in Danish time, "Dannet af Koordinator <version>" and "Side x af y"), so a
loose page from a printed document can always be traced back and put in order; a continuation page (page 2
on) also names the patient (name and CPR, :attr:`DocumentMeta.patient_line`).

Builders (all take plain text; markup characters are escaped here):

- :func:`title`, :func:`subtitle`, :func:`section` – headings;
- :func:`field_rows` – label/value rows with a ~45 mm label column; values wrap, and a long value is set
  under its label so it may flow onto the next page;
- :class:`FlowingTable` – the table every document sets text in: it splits between rows and moves a row that
  does not fit whole to the next page; only a row taller than a page is split inside (its continuation marked
  "(fortsat)"), so no text is too long for a page;
- :func:`checkbox_grid` – ☒/☐ options in columns;
- :func:`text_block` – free text of any length (paragraphs split across pages);
- :func:`note` – a framed remark (e.g. the legal consequence of a færdigmelding);
- :func:`grid_style`, the ``cell*`` styles and :func:`cell_email` – the ruled tables of the udskrivningsaftale,
  the koordinationsplan and the referat (parties, offers, participants, agreements): a shaded header row, thin
  rules between rows, small cell text and a bold red mark for what is missing;
- :func:`signature_block` – lines for signature, name, title and date.

Any text prints, however long: a word wider than its column is broken inside (``splitLongWords``), and a
paragraph, a table cell or even a heading taller than a page continues on the next one – reportlab would
otherwise raise ``LayoutError`` and the document could not be made at all.

:func:`build_pdf` renders them; its ``marking`` (e.g. "KLADDE – ikke gældende") is stamped on every page, in
the header and diagonally across the page, so a preview can never pass for the document in force.

Identical input gives byte-identical output: reportlab runs in invariant mode and the PDF's creation date is
taken from :class:`DocumentMeta`, never from the clock.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from coordinator_app.documents.fonts import FontFamily, document_fonts
from coordinator_app.domain.cpr import format_cpr
from coordinator_app.domain.workdays import COPENHAGEN

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 28 * mm  # room for the header
MARGIN_BOTTOM = 22 * mm  # room for the footer
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
#: The height of the frame the content is set in (between header and footer).
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
LABEL_WIDTH = 45 * mm
#: A heading taller than this may be split inside; anything shorter is kept whole and moves to the next page when
#: it does not fit. (A table row is split inside only when taller than a page, see :class:`FlowingTable`.)
LONG_ROW = FRAME_HEIGHT / 3
#: The tallest table row (with the table's header) that moves whole to the next page when it does not fit; a taller
#: one is split inside like a row taller than a page (:class:`FlowingTable`). The room left above it is for the
#: heading over the table, which would otherwise end a page alone while the row moved on.
TALLEST_WHOLE_ROW = FRAME_HEIGHT - 20 * mm
#: A heading or label is kept with this much of a paragraph longer than ``LONG_ROW`` (see :class:`_KeepWithStart`).
KEEP_START = 25 * mm

CONFIDENTIAL = "Fortroligt – indeholder personfølsomme oplysninger"
PRODUCER = "Koordinator"

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
NOTE_FILL = colors.HexColor("#f2f2f2")
MARKING_COLOR = colors.HexColor("#a40000")
#: The ruled tables (:func:`grid_style`): header fill, the rules between rows, what is missing, cell padding.
HEAD_FILL = colors.HexColor("#ededed")
GRID = colors.HexColor("#c4c4c4")
MISSING_COLOR = colors.HexColor("#a40000")
CELL_PADDING = 1.6 * mm

#: What starts each cell of a table row that continues from the previous page (:class:`FlowingTable`).
CONTINUED = "(fortsat)"

#: What every form prints for an optional field the app has no value for ("Ingen" would claim there is none).
NOT_KNOWN = "Ikke oplyst"

#: A value longer than this is set under its label, where it can flow onto the next page.
LONG_VALUE_CHARS = 350


# -- meta and formatting ---------------------------------------------------------------------------


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` as it fits on one line of ``width`` points: whole, or cut with "…". The cut is found by bisection
    over the length (a header or footer line may carry any text a service accepted — a 5,000-character name took
    seconds per page when shortened a character at a time)."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits; text[:high] + "…" does not (or is the whole text)
    while high - low > 1:
        middle = (low + high) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


@dataclass(frozen=True)
class DocumentMeta:
    """What identifies a rendered document. ``created_at`` must be timezone-aware.

    ``patient_name`` and ``cpr`` (10 digits) name the patient the document concerns: they are printed in the
    footer of every continuation page (page 2 on), so a loose page is known to belong to that patient, not only
    to that document ID. Each renderer fills them from its own data (:meth:`for_patient`); a document about no
    one patient (the statistics) leaves them empty."""

    document_id: str
    title: str
    created_at: datetime
    app_version: str
    patient_name: str = ""
    cpr: str = ""

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("DocumentMeta.created_at must be timezone-aware")

    @property
    def local_created_at(self) -> datetime:
        return self.created_at.astimezone(COPENHAGEN)

    def for_patient(self, patient_name: str, cpr: str) -> DocumentMeta:
        """The same meta naming the patient on continuation pages."""
        return replace(self, patient_name=patient_name, cpr=cpr)

    @property
    def patient_line(self) -> str:
        """``"Patient: Kåre Prøvesen · CPR 010190-1234"`` (``""`` when no patient is named)."""
        parts = [self.patient_name.strip(), f"CPR {format_cpr(self.cpr)}" if self.cpr.strip() else ""]
        named = " · ".join(part for part in parts if part)
        return f"Patient: {named}" if named else ""

    def patient_line_within(self, font: str, size: float, width: float) -> str:
        """:attr:`patient_line` as it fits in ``width``: a name too long is cut ("…"), never the CPR number — the
        one thing on a loose page that identifies the patient for certain."""
        line = self.patient_line
        if not self.cpr.strip() or stringWidth(line, font, size) <= width:
            return fit_text(line, font, size, width)
        cpr = f" · CPR {format_cpr(self.cpr)}"
        name = fit_text(f"Patient: {self.patient_name.strip()}", font, size, width - stringWidth(cpr, font, size))
        return name + cpr


def format_date(day: date | None, empty: str = "") -> str:
    """``date(2026, 11, 20)`` → ``"20-11-2026"`` (dd-mm-åååå)."""
    return day.strftime("%d-%m-%Y") if day is not None else empty


def format_datetime(moment: datetime | None, empty: str = "") -> str:
    """An aware moment as Danish local time, ``"20-11-2026 14:32"`` (naive moments are taken as UTC)."""
    if moment is None:
        return empty
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M")


def format_moment(moment: datetime | None, empty: str = "") -> str:
    """An aware moment as a Danish reader writes it, ``"30-05-2026 kl. 10.00"`` (naive moments are taken as UTC)."""
    stamp = format_datetime(moment)
    if not stamp:
        return empty
    day, clock = stamp.split(" ")
    return f"{day} kl. {clock.replace(':', '.')}"


def _pdf_date(moment: datetime) -> str:
    """The PDF date string (``D:YYYYMMDDHHmmSS+hh'mm'``) of an aware moment, in Danish time."""
    local = moment.astimezone(COPENHAGEN)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{local:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


def _text(value: str) -> str:
    """Plain text → paragraph markup: escaped, line breaks kept, "§ 238" never broken after the §."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").replace("§ ", "§\u00a0").split("\n")
    return "<br/>".join(escape(line) for line in lines)


# -- styles ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    fonts: FontFamily
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    body: ParagraphStyle
    checkbox: ParagraphStyle
    checkbox_chosen: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    cell: ParagraphStyle  # the text in a ruled table (grid_style)
    cell_head: ParagraphStyle  # its header row
    cell_bold: ParagraphStyle
    cell_missing: ParagraphStyle  # "Mangler" / "Ikke angivet" where something must be filled in


@cache
def styles() -> Styles:
    """The document styles, in the embedded font family (registered on first use)."""
    fonts = document_fonts()
    base = ParagraphStyle(
        "KoordinatorBase",
        fontName=fonts.regular,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        splitLongWords=True,  # a word wider than its column is broken inside, never set past the margin
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    value = derive("KoordinatorValue")
    cell = ParagraphStyle("KoordinatorCell", parent=value, fontSize=8.5, leading=11)
    return Styles(
        fonts=fonts,
        title=derive("KoordinatorTitle", fontName=fonts.bold, fontSize=15, leading=19, spaceAfter=2),
        subtitle=derive("KoordinatorSubtitle", fontSize=9, leading=12, textColor=MUTED, spaceAfter=2),
        section=derive("KoordinatorSection", fontName=fonts.bold, fontSize=11, leading=14, spaceBefore=0, spaceAfter=0),
        label=derive("KoordinatorLabel", fontSize=9, leading=13, textColor=MUTED),
        value=value,
        body=derive("KoordinatorBody", spaceAfter=5),
        checkbox=derive("KoordinatorCheckbox"),
        checkbox_chosen=derive("KoordinatorCheckboxChosen", fontName=fonts.bold),
        note=derive("KoordinatorNote", fontSize=9, leading=12.5),
        small=derive("KoordinatorSmall", fontSize=7.5, leading=9.5, textColor=MUTED),
        small_right=derive("KoordinatorSmallRight", fontSize=7.5, leading=9.5, textColor=MUTED, alignment=TA_RIGHT),
        cell=cell,
        cell_head=ParagraphStyle("KoordinatorCellHead", parent=cell, fontName=fonts.bold, fontSize=8, leading=10),
        cell_bold=ParagraphStyle("KoordinatorCellBold", parent=cell, fontName=fonts.bold),
        cell_missing=ParagraphStyle(
            "KoordinatorCellMissing", parent=cell, fontName=fonts.bold, textColor=MISSING_COLOR
        ),
    )


# -- building blocks -------------------------------------------------------------------------------


def title(text: str) -> Paragraph:
    return Paragraph(_text(text), styles().title)


def subtitle(text: str) -> Paragraph:
    return Paragraph(_text(text), styles().subtitle)


def caption(text: str) -> Paragraph:
    """A small muted line naming what follows (e.g. above a row of check boxes)."""
    return Paragraph(_text(text), styles().label)


def spacer(height_mm: float) -> Spacer:
    return Spacer(1, height_mm * mm)


class _SectionHeading(Flowable):
    """A numbered heading with a rule underneath, kept on the page of what follows it (``keepWithNext``).
    Its space before is dropped at the top of a page. A heading too long to keep whole (a ward's section title
    of a page) is split like a paragraph; the rule goes under its last part."""

    def __init__(self, text: str | Paragraph, *, rule: bool = True) -> None:
        super().__init__()
        self._para = text if isinstance(text, Paragraph) else Paragraph(_text(text), styles().section)
        self._rule = rule
        self._gap = 1.6 * mm if rule else 0.0
        self.keepWithNext = rule

    def getSpaceBefore(self) -> float:
        return 4.5 * mm

    def getSpaceAfter(self) -> float:
        return 1.8 * mm if self._rule else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        _, h = self._para.wrap(availWidth, availHeight)
        self._para_height = h
        return availWidth, h + self._gap

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.wrap(availWidth, availHeight)[1] <= LONG_ROW:
            return []  # an ordinary heading is never split
        parts = self._para.split(availWidth, availHeight)
        if len(parts) != 2:
            return []
        rest = _SectionHeading(parts[1], rule=self._rule)
        rest.keepWithNext = self.keepWithNext
        return [_SectionHeading(parts[0], rule=False), rest]

    def draw(self) -> None:
        self._para.drawOn(self.canv, 0, self._gap)
        if self._rule:
            self.canv.setStrokeColor(RULE)
            self.canv.setLineWidth(0.6)
            self.canv.line(0, self._gap * 0.4, self._width, self._gap * 0.4)


def section(text: str, number: int | None = None) -> list[Flowable]:
    """A section heading ("3  Afsender"); never the last thing on a page."""
    label = f"{number}\u2002{text}" if number is not None else text
    return [CondPageBreak(15 * mm), _SectionHeading(label)]


class FlowingTable(Table):
    """A table for text of any length whose rows are never split under a repeated header.

    Like any reportlab table it splits between rows, and a row that does not fit on the rest of the page moves
    whole to the next page (under the repeated header) – also in a table made with ``splitInRow``, which
    reportlab would otherwise split inside its first row. Only a row taller than a whole page (below the
    table's header) is split inside: it starts where it stands when at least :data:`KEEP_START` of the page is
    left (otherwise on the next page), and each cell that continues on the next page starts with
    :data:`CONTINUED` ("(fortsat)"), so the reader sees the row goes on. (A plain table raises ``LayoutError``
    for such a row.) A document without such a row is set exactly as with a plain table that splits by rows."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        if self._width > availWidth:  # as reportlab: too wide to split here
            return []
        heights = self._rowHeights
        n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
        if n >= len(heights):
            return [self]
        if getattr(self, "_in_cell", False):  # the rest of a cell, not of a page: split wherever it must
            return list(self._splitRows(availHeight, doInRowSplit=0) or self._split_inside(availHeight))
        head = self._header_height()
        fits_a_page = heights[n] <= max(TALLEST_WHOLE_ROW, availHeight) - head
        if not fits_a_page and availHeight - sum(heights[:n]) >= KEEP_START:
            parts = self._split_inside(availHeight)
            if parts:
                return parts
        parts = self._splitRows(availHeight, doInRowSplit=0)  # between rows; [] moves the table on whole
        if not parts and availHeight >= FRAME_HEIGHT - 1:  # a whole page cannot hold the row: split it after all
            parts = self._split_inside(availHeight)
        return list(parts)

    def _header_height(self) -> float:
        repeat = self.repeatRows
        rows = range(repeat) if isinstance(repeat, int) else sorted(repeat)
        return float(sum(self._rowHeights[i] for i in rows))

    def _split_inside(self, availHeight: float) -> list[Flowable]:
        """Split inside the row that does not fit, and mark each cell that continues with "(fortsat)". A table in
        one of the row's cells is split where the cell is (it cannot move to a page of its own)."""
        n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
        for cell in self._cellvalues[n] if n < len(self._cellvalues) else ():
            for item in cell if isinstance(cell, list | tuple) else (cell,):
                if isinstance(item, FlowingTable):
                    item._in_cell = True
        parts = self._splitRows(availHeight, doInRowSplit=1)
        if len(parts) != 2:
            return list(parts)
        first, rest = parts
        repeat = rest.repeatRows
        row = repeat if isinstance(repeat, int) else len(repeat)
        before = first._cellvalues[-1]
        after = rest._cellvalues[row]
        marked = False
        for column, (top, bottom) in enumerate(zip(before, after, strict=True)):
            if _has_content(top) and _has_content(bottom) and isinstance(bottom, list | tuple):
                after[column] = [Paragraph(CONTINUED, styles().small), *bottom]
                marked = True
        if marked:
            heights = list(rest._argH)
            heights[row] = None  # measured again with the mark
            rest._argH = heights
        return [first, rest]


def _has_content(cell: Any) -> bool:
    if isinstance(cell, list | tuple):
        return len(cell) > 0
    return cell is not None and str(cell).strip() != ""


def _row_table(rows: list[list[Any]]) -> Table:
    table = FlowingTable(rows, colWidths=[LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles().fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 3 * mm),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3),
            ]
        )
    )
    return table


def field_rows(rows: Iterable[tuple[str, str]]) -> list[Flowable]:
    """Label/value rows. Values wrap in their column; a long value is set under its label instead, as
    paragraphs that may continue on the next page (a table row cannot)."""
    st = styles()
    out: list[Flowable] = []
    pending: list[list[Any]] = []

    def flush() -> None:
        if pending:
            out.append(_row_table(list(pending)))
            pending.clear()

    for label, value in rows:
        if len(value) > LONG_VALUE_CHARS or value.count("\n") > 6:
            flush()
            out.append(Paragraph(_text(label), ParagraphStyle("KoordinatorLabelKeep", parent=st.label, keepWithNext=1)))
            out.extend(_paragraphs(value, st.value, indent=LABEL_WIDTH))
        else:
            pending.append([Paragraph(_text(label), st.label), Paragraph(_text(value), st.value)])
    flush()
    return out


_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def _paragraphs(text: str, style: ParagraphStyle, *, indent: float = 0) -> list[Flowable]:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if indent:
        style = ParagraphStyle(f"{style.name}-indent{indent:.0f}", parent=style, leftIndent=indent, spaceAfter=4)
    return [Paragraph(_text(chunk.strip("\n")), style) for chunk in _BLANK_LINES.split(normalised) if chunk.strip()]


def text_block(text: str, *, empty: str = "(intet anført)") -> list[Flowable]:
    """Free text of any length: one paragraph per blank-line-separated block, split across pages."""
    st = styles()
    if not text.strip():
        return [Paragraph(_text(empty), ParagraphStyle("KoordinatorEmpty", parent=st.body, textColor=MUTED))]
    return _paragraphs(text, st.body)


def checkbox_grid(
    options: Sequence[tuple[str, bool]], *, columns: int = 1, widths: Sequence[float] | None = None
) -> Table:
    """Options as ☒ (chosen, in bold) or ☐, filled row by row into ``columns`` columns (of ``widths``,
    default equal)."""
    st = styles()
    cells: list[Any] = []
    for text, chosen in options:
        box = st.fonts.checkbox(chosen)
        style = st.checkbox_chosen if chosen else st.checkbox
        cells.append(Paragraph(f"{box}\u00a0\u00a0{_text(text)}", style))
    while len(cells) % columns:
        cells.append("")
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    col_widths = list(widths) if widths is not None else [CONTENT_WIDTH / columns] * columns
    table = FlowingTable(rows, colWidths=col_widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles().fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3),
            ]
        )
    )
    return table


def note(text: str) -> Table:
    """A framed remark on a light background (a consequence or duty the recipient must not miss)."""
    table = FlowingTable([[Paragraph(_text(text), styles().note)]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles().fonts.regular),
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
                ("LINEBEFORE", (0, 0), (0, -1), 2, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return table


def grid_style() -> TableStyle:
    """A ruled table: the header row (row 0) shaded with a rule under it, a thin rule under every other row,
    text at the top of its cell. Give the table ``repeatRows=1`` so the header is repeated on the next page."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), styles().fonts.regular),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, GRID),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 1.4 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
        ]
    )


def cell_email(address: str, column: float) -> str:
    """An e-mail address too wide for its ``column`` of a ruled table is broken after the "@", not inside a word."""
    address = address.strip()
    st = styles().cell
    if "@" in address and stringWidth(address, st.fontName, st.fontSize) > column - 2 * CELL_PADDING:
        local, _, domain = address.partition("@")
        return f"{local}@\n{domain}"
    return address


class WholeTable(FlowingTable):
    """A table that is not split across pages (moves whole to the next page instead) – unless it is taller than
    a page (a name of pages): then it flows like any :class:`FlowingTable`."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.wrap(availWidth, FRAME_HEIGHT)[1] <= FRAME_HEIGHT:
            return []
        return super().split(availWidth, availHeight)


def signature_block(name: str, title_: str, day: date | None) -> Table:
    """An empty line to sign on, then name, title and date above their lines; kept on one page (unless longer
    than a page)."""
    st = styles()
    gap = 4 * mm
    widths = [CONTENT_WIDTH * 0.42, gap, CONTENT_WIDTH * 0.34, gap, CONTENT_WIDTH * 0.24 - 2 * gap]

    def cell(text: str) -> Paragraph:
        return Paragraph(_text(text), st.value)

    def caption(text: str) -> Paragraph:
        return Paragraph(_text(text), st.small)

    rows = [
        ["", "", "", "", ""],
        [caption("Underskrift"), "", "", "", ""],
        [cell(name), "", cell(title_), "", cell(format_date(day))],
        [caption("Navn"), "", caption("Titel"), "", caption("Dato")],
    ]
    table = WholeTable(rows, colWidths=widths, rowHeights=[14 * mm, None, None, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles().fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LINEBELOW", (0, 0), (2, 0), 0.6, INK),
                ("TOPPADDING", (0, 2), (-1, 2), 5 * mm),
                ("LINEBELOW", (0, 2), (0, 2), 0.6, INK),
                ("LINEBELOW", (2, 2), (2, 2), 0.6, INK),
                ("LINEBELOW", (4, 2), (4, 2), 0.6, INK),
            ]
        )
    )
    return table


# -- page frame ------------------------------------------------------------------------------------


class _KeepWithStart(KeepTogether):
    """How a ``keepWithNext`` flowable (a heading, a label) is kept with what follows it.

    reportlab keeps it with *all* of the next flowable: a heading over a paragraph longer than the rest of the
    page moves with it to the next page and leaves this one (nearly) empty. Here a paragraph taller than
    ``LONG_ROW`` is followed only as far as its first ``KEEP_START``; it then flows on. Anything shorter is
    kept whole with its heading, as before."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        *kept, last = self._content
        if kept and isinstance(last, Paragraph) and last.wrap(aW, aH)[1] > LONG_ROW:
            _, kept_height = _listWrapOn(kept, aW, getattr(self, "canv", None))
            if kept_height + last.getSpaceBefore() + KEEP_START <= aH:
                return list(self._content)
        return super().split(aW, aH)


def _numbered_canvas(meta: DocumentMeta, fonts: FontFamily, marking: str | None = None) -> type[Canvas]:
    """A canvas class that draws header and footer once the page count is known ("Side x af y"), and the
    ``marking`` on every page when given."""
    created = format_datetime(meta.created_at)
    pdf_date = _pdf_date(meta.created_at)
    patient = meta.patient_line

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *_: pdf_date)

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                self._frame(number, total)
                super().showPage()
            super().save()

        def _frame(self, number: int, total: int) -> None:
            self.saveState()
            top = PAGE_HEIGHT - 12 * mm
            self.setFillColor(INK)
            self.setFont(fonts.bold, 8)
            self.drawString(MARGIN_LEFT, top, CONFIDENTIAL)
            self.setFillColor(MUTED)
            self.setFont(fonts.regular, 8)
            self.drawString(MARGIN_LEFT, top - 3.8 * mm, fit_text(meta.title, fonts.regular, 8, CONTENT_WIDTH))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN_LEFT, top - 6 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 6 * mm)

            bottom = 12 * mm
            self.line(MARGIN_LEFT, bottom + 4 * mm, PAGE_WIDTH - MARGIN_RIGHT, bottom + 4 * mm)
            # Two footer lines, so a long document id or "Side 28 af 29" never runs into the producer.
            self.setFont(fonts.regular, 7.5)
            self.drawString(MARGIN_LEFT, bottom, f"Dokument-ID: {meta.document_id}   ·   Oprettet {created}")
            producer = f"Dannet af {PRODUCER} {meta.app_version}"
            self.drawString(MARGIN_LEFT, bottom - 3.4 * mm, producer)
            if number > 1 and patient:
                # A continuation page names the patient (page 1 does so in its body).
                room = CONTENT_WIDTH - self.stringWidth(producer, fonts.regular, 7.5) - 8 * mm
                line = meta.patient_line_within(fonts.bold, 7.5, room)
                self.setFont(fonts.bold, 7.5)
                self.setFillColor(INK)
                self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, bottom - 3.4 * mm, line)
                self.setFillColor(MUTED)
            self.setFont(fonts.bold, 8)
            self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, bottom, f"Side {number} af {total}")
            self.restoreState()
            if marking:
                self._marking(marking, top)

        def _marking(self, text: str, top: float) -> None:
            """A framed stamp at the right of the header, and the text faintly across the page."""
            self.saveState()
            size = 8.5
            width = self.stringWidth(text, fonts.bold, size) + 4 * mm
            self.setStrokeColor(MARKING_COLOR)
            self.setFillColor(colors.white)
            self.setLineWidth(1.2)
            self.rect(PAGE_WIDTH - MARGIN_RIGHT - width, top - 4.6 * mm, width, 7.4 * mm, stroke=1, fill=1)
            self.setFillColor(MARKING_COLOR)
            self.setFont(fonts.bold, size)
            self.drawCentredString(PAGE_WIDTH - MARGIN_RIGHT - width / 2, top - 1.9 * mm, text)
            self.setFillAlpha(0.09)
            self.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            self.rotate(52)
            word = text.split()[0]
            big = 96.0
            while big > 20 and self.stringWidth(word, fonts.bold, big) > PAGE_HEIGHT * 0.62:
                big -= 4
            self.setFont(fonts.bold, big)
            self.drawCentredString(0, -big * 0.35, word)
            self.restoreState()

    return NumberedCanvas


def build_pdf(meta: DocumentMeta, flowables: Sequence[Flowable], *, marking: str | None = None) -> bytes:
    """Render ``flowables`` in the Koordinator frame; the same input gives the same bytes. A ``marking``
    (e.g. ``"KLADDE – ikke gældende"``) is stamped on every page; without it the output is unchanged."""
    fonts = document_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta.title,
        author=PRODUCER,
        subject=f"Dokument-ID {meta.document_id}",
        creator=f"{PRODUCER} {meta.app_version}",
        producer=f"{PRODUCER} {meta.app_version} (ReportLab)",
        invariant=1,
        initialFontName=fonts.regular,
        lang="da-DK",
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.keepTogetherClass = _KeepWithStart
    doc.build(list(flowables), canvasmaker=_numbered_canvas(meta, fonts, marking))
    return buffer.getvalue()
