"""Statistik as XLSX and CSV (issue 7): the same numbers as the screen, and the admissions behind each.

Both formats are built from the same rows (``meta_rows``, ``figure_rows``, ``kommune_rows``, ``stay_rows``,
``id_rows``), so they cannot drift apart:

* **XLSX** (openpyxl): sheets *Nøgletal* (period, kommune, rate, then one line per figure), *Kommuner*
  (færdigmeldte sengedage and betaling per kommune, with a total), *Indlæggelsestid* (the distribution) and
  *Indlæggelser bag tallene* (one line per figure and admission id). Shares are stored as fractions shown as
  percentages, amounts as numbers shown in kroner — a spreadsheet can compute with them.
* **CSV** for Danish Excel: ``;`` between fields, decimal comma, UTF-8 with BOM (so æøå survive a double-click
  open), the four tables one after the other separated by an empty line. Shares are written as percentages
  with one decimal, days with one decimal, kroner with two — no thousands separators.

The export goes to the kommuner, who cannot look up Koordinator's rule IDs ("B5", "C2–C4"): the column
*Grundlag i samarbejdsaftalen* names the agreement's own sections instead (``agreement_sections.cite``), and a
figure the agreement asks nothing about (H) says so in words (:func:`agreement_basis`). Dates are dd-mm-åååå.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from coordinator_app.domain.agreement_sections import cite
from coordinator_app.domain.statistics import Figure, FigureUnit, Statistics

__all__ = [
    "BASIS_HEADER",
    "FIGURE_HEADERS",
    "ID_HEADERS",
    "KOMMUNE_HEADERS",
    "SHEET_FIGURES",
    "SHEET_IDS",
    "SHEET_KOMMUNER",
    "SHEET_STAY",
    "STAY_HEADERS",
    "agreement_basis",
    "to_csv",
    "to_xlsx",
]

SHEET_FIGURES = "Nøgletal"
SHEET_KOMMUNER = "Kommuner"
SHEET_STAY = "Indlæggelsestid"
SHEET_IDS = "Indlæggelser bag tallene"

#: Where a figure comes from in the agreement (in place of Koordinator's rule ID).
BASIS_HEADER = "Grundlag i samarbejdsaftalen"
#: A figure the agreement sets no duty for (rule H: Koordinator's own key figures).
OWN_FIGURE = "Intet krav i samarbejdsaftalen – Koordinators eget nøgletal"
FIGURE_HEADERS = ("Nøgletal", "Værdi", "Enhed", "Tæller", "Nævner", BASIS_HEADER, "Definition")
KOMMUNE_HEADERS = (
    "Kommunekode",
    "Kommune",
    "Indlæggelser",
    "Indlæggelser med færdigmeldte sengedage",
    "Færdigmeldte sengedage",
    "Betaling (kr.)",
    "Takstår",
    "Sengedage uden takst",
)
STAY_HEADERS = ("Indlæggelsestid", "Udskrivninger", "Andel")
ID_HEADERS = ("Tal", BASIS_HEADER, "Indgår som", "Indlæggelses-id")

UNIT_TEXT = {FigureUnit.COUNT: "antal", FigureUnit.DAYS: "dage", FigureUnit.SHARE: "pct.", FigureUnit.KRONER: "kr."}
NUMERATOR, DENOMINATOR, BASIS = "Tæller", "Nævner", "Grundlag"

Cell = str | int | float | Decimal | None


_RULE_ID = re.compile(r"([A-H])(\d{1,2})")


def agreement_basis(rule_id: str) -> str:
    """A figure's rule ID as the agreement's section(s): ``"B5"`` → ``"samarbejdsaftalen, «Orientering, varsling og
    færdigmelding»"``; a range ``"C2–C4"`` and a choice ``"B4/B9"`` name each section once; ``"H"`` (no duty in the
    agreement) says so in words."""
    ids: list[str] = []
    for part in rule_id.split("/"):
        ends = [(m.group(1), int(m.group(2))) for m in _RULE_ID.finditer(part)]
        if len(ends) == 2 and ends[0][0] == ends[1][0]:  # "C2–C4": C2, C3 and C4
            ids += [f"{ends[0][0]}{n}" for n in range(ends[0][1], ends[1][1] + 1)]
        else:
            ids += [f"{letter}{n}" for letter, n in ends]
    try:
        return cite(*ids) if ids else OWN_FIGURE
    except KeyError:  # a rule from no section of the agreement (G: a kommune's action plan)
        return OWN_FIGURE


def _day(d: date) -> str:
    return f"{d:%d-%m-%Y}"


def meta_rows(stats: Statistics) -> list[tuple[Cell, ...]]:
    """What the figures are for: period, kommune, the date they were computed, the bed-day rate."""
    rows: list[tuple[Cell, ...]] = [
        ("Statistik", "Koordinator – udskrivningskoordinering"),
        ("Periode", f"{_day(stats.period_from)} – {_day(stats.period_to)}"),
        ("Kommune", f"{stats.kommune_name} ({stats.kommune_code})" if stats.kommune_code else "Alle kommuner"),
        ("Opgjort pr.", _day(stats.today)),
        ("Sengedagstakst", stats.rate_note or "–"),
    ]
    if stats.unreadable_ids:
        ids = ", ".join(str(i) for i in stats.unreadable_ids)
        rows.append(("Historik kan ikke læses", f"Indgår kun i antal og indlæggelsestid: {ids}"))
    return rows


def figure_rows(stats: Statistics) -> list[tuple[Cell, ...]]:
    return [
        (f.label, f.value, UNIT_TEXT[f.unit], f.numerator, f.denominator, agreement_basis(f.rule_id), f.definition)
        for f in stats.figures
    ]


def kommune_rows(stats: Statistics) -> list[tuple[Cell, ...]]:
    return [
        (
            k.code,
            k.name,
            k.admissions,
            k.faerdigmeldt_admissions,
            k.bed_days,
            k.cost,
            ", ".join(str(y) for y in k.rate_years) or None,
            k.unpriced_days,
        )
        for k in (*stats.kommuner, stats.total)
    ]


def stay_rows(stats: Statistics) -> list[tuple[Cell, ...]]:
    return [(b.label, b.count, b.share) for b in stats.stay_distribution]


def _figure_ids(f: Figure) -> Iterator[tuple[Cell, ...]]:
    basis = agreement_basis(f.rule_id)
    if f.is_share:
        yield from ((f.label, basis, NUMERATOR, i) for i in f.admission_ids)
        yield from ((f.label, basis, DENOMINATOR, i) for i in f.denominator_ids)
    else:
        yield from ((f.label, basis, BASIS, i) for i in f.admission_ids)


def id_rows(stats: Statistics) -> list[tuple[Cell, ...]]:
    """Every figure, bucket and kommune line with the admissions behind it, one id per line."""
    rows: list[tuple[Cell, ...]] = []
    for f in stats.figures:
        rows.extend(_figure_ids(f))
    own, bed_days = agreement_basis("H"), agreement_basis("B5")
    for b in stats.stay_distribution:
        rows.extend((f"Indlæggelsestid {b.label}", own, BASIS, i) for i in b.admission_ids)
    for k in stats.kommuner:
        rows.extend((f"Indlæggelser – {k.name}", own, BASIS, i) for i in k.admission_ids)
        rows.extend((f"Færdigmeldte sengedage – {k.name}", bed_days, BASIS, i) for i in k.faerdigmeldt_ids)
    return rows


# -- XLSX -------------------------------------------------------------------------------------------------

_FORMATS = {FigureUnit.SHARE: "0.0%", FigureUnit.DAYS: "0.0", FigureUnit.KRONER: "#,##0.00", FigureUnit.COUNT: "0"}
_BOLD = Font(bold=True)


def _styled(ws: Any, value: Cell, *, bold: bool = False, number_format: str | None = None) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    if bold:
        cell.font = _BOLD
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _sheet(wb: Workbook, title: str, widths: tuple[int, ...]) -> Any:
    """A write-only sheet (rows are streamed: ~3× faster than the normal mode for the id listing)."""
    ws = wb.create_sheet(title)
    for column, width in zip("ABCDEFGH", widths, strict=False):
        ws.column_dimensions[column].width = width
    return ws


def _header(ws: Any, headers: tuple[str, ...]) -> None:
    ws.append([_styled(ws, h, bold=True) for h in headers])


def to_xlsx(stats: Statistics) -> bytes:
    """The statistics as an .xlsx workbook (four sheets, see the module docstring)."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, SHEET_FIGURES, (44, 14, 8, 10, 10, 60, 100))
    for row in meta_rows(stats):
        ws.append(row)
    ws.append(())
    _header(ws, FIGURE_HEADERS)
    for f, row in zip(stats.figures, figure_rows(stats), strict=True):
        ws.append([row[0], _styled(ws, row[1], number_format=_FORMATS[f.unit]), *row[2:]])

    ws = _sheet(wb, SHEET_KOMMUNER, (14, 24, 14, 22, 22, 18, 12, 20))
    _header(ws, KOMMUNE_HEADERS)
    rows = kommune_rows(stats)
    for n, row in enumerate(rows, start=1):
        total = n == len(rows)  # "I alt", bold
        ws.append(
            [
                _styled(ws, v, bold=total, number_format=_FORMATS[FigureUnit.KRONER] if i == 5 else None)
                for i, v in enumerate(row)
            ]
        )

    ws = _sheet(wb, SHEET_STAY, (18, 14, 10))
    _header(ws, STAY_HEADERS)
    for label, count, share in stay_rows(stats):
        ws.append([label, count, _styled(ws, share, number_format=_FORMATS[FigureUnit.SHARE])])

    ws = _sheet(wb, SHEET_IDS, (44, 60, 12, 16))
    ws.freeze_panes = "A2"
    _header(ws, ID_HEADERS)
    for row in id_rows(stats):
        ws.append(row)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- CSV --------------------------------------------------------------------------------------------------


def _number(value: float | Decimal, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _csv_value(value: Cell, unit: FigureUnit | None = None) -> str:
    """Danish Excel's number format: decimal comma, no thousands separator; shares as percentages."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return _number(value, 2)
    if unit is FigureUnit.SHARE:
        return _number(value * 100, 1)
    if isinstance(value, float):
        return _number(value, 1)
    return str(value)


def to_csv(stats: Statistics) -> str:
    """The statistics as one CSV text for Danish Excel (``;``, decimal comma, BOM); see the module docstring."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    for row in meta_rows(stats):
        writer.writerow(row)
    writer.writerow(())
    writer.writerow(FIGURE_HEADERS)
    for f, row in zip(stats.figures, figure_rows(stats), strict=True):
        writer.writerow([_csv_value(v, f.unit if i == 1 else None) for i, v in enumerate(row)])
    writer.writerow(())
    writer.writerow(KOMMUNE_HEADERS)
    writer.writerows([_csv_value(v) for v in row] for row in kommune_rows(stats))
    writer.writerow(())
    writer.writerow((*STAY_HEADERS[:2], f"{STAY_HEADERS[2]} (pct.)"))
    writer.writerows(
        [_csv_value(v, FigureUnit.SHARE if i == 2 else None) for i, v in enumerate(row)] for row in stay_rows(stats)
    )
    writer.writerow(())
    writer.writerow(ID_HEADERS)
    writer.writerows(id_rows(stats))
    return out.getvalue()
