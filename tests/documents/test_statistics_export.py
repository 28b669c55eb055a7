"""Statistik export (issue 7): the XLSX re-read with openpyxl and the CSV parsed with ``csv`` give back exactly the
figures of the ``Statistics`` the screen shows — key figures, kommune lines, the stay distribution and the
admission ids behind every figure — on a quarter of the demo ward."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from coordinator_app.demo import generate_demo_ward
from coordinator_app.documents.statistics_export import (
    FIGURE_HEADERS,
    ID_HEADERS,
    KOMMUNE_HEADERS,
    OWN_FIGURE,
    SHEET_FIGURES,
    SHEET_IDS,
    SHEET_KOMMUNER,
    SHEET_STAY,
    STAY_HEADERS,
    agreement_basis,
    to_csv,
    to_xlsx,
)
from coordinator_app.domain.bed_days import BedDayRates, RateBand
from coordinator_app.domain.model import Event
from coordinator_app.domain.statistics import Statistics, compute_statistics
from coordinator_app.domain.workdays import WorkCalendar

TODAY = date(2026, 11, 23)
FROM, TO = date(2026, 4, 1), date(2026, 6, 30)
RATES = BedDayRates({2025: [RateBand(1, Decimal("2105.50")), RateBand(3, Decimal("4211"))]})


def _compute(**kw: Any) -> Statistics:
    ward = generate_demo_ward(TODAY, history_years=1)
    events: dict[int, list[Event]] = {}
    for e in ward.events:
        events.setdefault(e.admission_id, []).append(e)
    names = {k.code: k.name for k in ward.kommuner}
    options: dict[str, Any] = {"cal": WorkCalendar(), "today": TODAY, "rates": RATES, "kommune_names": names}
    return compute_statistics(
        ward.admissions, events, FROM, TO, rate_note="Sats: test (angiv i Indstillinger)", **options, **kw
    )


@pytest.fixture(scope="module")
def stats() -> Statistics:
    return _compute()


@pytest.fixture(scope="module")
def workbook(stats: Statistics) -> Any:
    return load_workbook(io.BytesIO(to_xlsx(stats)))


@pytest.fixture(scope="module")
def sections(stats: Statistics) -> list[list[list[str]]]:
    """The CSV's tables (meta, figures, kommuner, stay, ids), split at the empty lines."""
    text = to_csv(stats)
    assert text.startswith("\ufeff")
    out: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text[1:]), delimiter=";"):
        if row:
            out[-1].append(row)
        else:
            out.append([])
    return out


def rows_after(ws: Any, header: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The sheet's rows below ``header`` (matched on the whole line)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if tuple(r[: len(header)]) == header)
    return [tuple(r[: len(header)]) for r in rows[start + 1 :]]


def same(cell: Any, value: Any) -> bool:
    """A figure read back from the XLSX: exact for integers and kroner; a fraction to the 16 significant digits
    openpyxl writes (``"%.16g"`` — more than Excel's own 15)."""
    if value is None or cell is None:
        return cell is value
    if isinstance(value, Decimal):
        return Decimal(str(cell)) == value
    if isinstance(value, float):
        return cell == pytest.approx(value, rel=1e-15)
    return bool(cell == value)


def number(text: str) -> Decimal | None:
    """A Danish CSV number back to a value: "1234,50" → Decimal("1234.50"); "" → None."""
    return Decimal(text.replace(",", ".")) if text else None


def expected_ids(stats: Statistics) -> set[tuple[str, str, int]]:
    out = set()
    for f in stats.figures:
        if f.is_share:
            out |= {(f.label, "Tæller", i) for i in f.admission_ids}
            out |= {(f.label, "Nævner", i) for i in f.denominator_ids}
        else:
            out |= {(f.label, "Grundlag", i) for i in f.admission_ids}
    for b in stats.stay_distribution:
        out |= {(f"Indlæggelsestid {b.label}", "Grundlag", i) for i in b.admission_ids}
    for k in stats.kommuner:
        out |= {(f"Indlæggelser – {k.name}", "Grundlag", i) for i in k.admission_ids}
        out |= {(f"Færdigmeldte sengedage – {k.name}", "Grundlag", i) for i in k.faerdigmeldt_ids}
    return out


def test_the_quarter_has_something_in_every_figure(stats: Statistics) -> None:
    assert all(f.value for f in stats.figures), [f.key for f in stats.figures if not f.value]
    assert len(stats.kommuner) > 5


def test_xlsx_key_figures_equal_the_statistics(stats: Statistics, workbook: Any) -> None:
    assert workbook.sheetnames == [SHEET_FIGURES, SHEET_KOMMUNER, SHEET_STAY, SHEET_IDS]
    rows = rows_after(workbook[SHEET_FIGURES], FIGURE_HEADERS)
    assert len(rows) == len(stats.figures)
    for f, (label, value, unit, numerator, denominator, rule, definition) in zip(stats.figures, rows, strict=True):
        assert (label, numerator, denominator, rule, definition) == (
            f.label,
            f.numerator,
            f.denominator,
            agreement_basis(f.rule_id),
            f.definition,
        )
        assert same(value, f.value), f.key
        assert unit == ("pct." if f.is_share else f.unit.value)


def test_xlsx_shares_are_fractions_shown_as_percentages(stats: Statistics, workbook: Any) -> None:
    ws = workbook[SHEET_FIGURES]
    formats = {row[0].value: row[1].number_format for row in ws.iter_rows() if row[0].value}
    assert all(formats[f.label] == "0.0%" for f in stats.figures if f.is_share)
    assert formats["Betaling for færdigmeldte sengedage"] == "#,##0.00"


def test_xlsx_meta_names_period_kommune_and_rate(workbook: Any) -> None:
    meta = {r[0]: r[1] for r in workbook[SHEET_FIGURES].iter_rows(max_row=5, values_only=True)}
    assert meta["Periode"] == "01-04-2026 – 30-06-2026"
    assert meta["Kommune"] == "Alle kommuner"
    assert meta["Opgjort pr."] == "23-11-2026"
    assert meta["Sengedagstakst"] == "Sats: test (angiv i Indstillinger)"


def test_xlsx_kommune_lines_and_total_equal_the_statistics(stats: Statistics, workbook: Any) -> None:
    rows = rows_after(workbook[SHEET_KOMMUNER], KOMMUNE_HEADERS)
    expected = [
        (
            k.code or None,
            k.name,
            k.admissions,
            k.faerdigmeldt_admissions,
            k.bed_days,
            k.cost,
            ", ".join(map(str, k.rate_years)) or None,
            k.unpriced_days,
        )
        for k in (*stats.kommuner, stats.total)
    ]
    got = [(*r[:5], Decimal(str(r[5])), *r[6:]) for r in rows]
    assert got == expected
    assert rows[-1][1] == "I alt"


def test_xlsx_stay_distribution_equals_the_statistics(stats: Statistics, workbook: Any) -> None:
    rows = rows_after(workbook[SHEET_STAY], STAY_HEADERS)
    assert [(label, count) for label, count, _ in rows] == [(b.label, b.count) for b in stats.stay_distribution]
    assert all(same(share, b.share) for (_, _, share), b in zip(rows, stats.stay_distribution, strict=True))


def test_xlsx_lists_the_admissions_behind_every_figure(stats: Statistics, workbook: Any) -> None:
    rows = rows_after(workbook[SHEET_IDS], ID_HEADERS)
    assert {(label, role, i) for label, _, role, i in rows} == expected_ids(stats)
    rules = {label: rule for label, rule, _, _ in rows}
    assert all(rules[f.label] == agreement_basis(f.rule_id) for f in stats.figures if f.admission_ids)


def test_csv_key_figures_equal_the_statistics(stats: Statistics, sections: list[list[list[str]]]) -> None:
    meta, figures = sections[0], sections[1]
    assert ["Periode", "01-04-2026 – 30-06-2026"] in meta
    assert tuple(figures[0]) == FIGURE_HEADERS
    assert len(figures[1:]) == len(stats.figures)
    for f, (label, value, unit, numerator, denominator, rule, _) in zip(stats.figures, figures[1:], strict=True):
        assert (label, rule, number(numerator), number(denominator)) == (
            f.label,
            agreement_basis(f.rule_id),
            f.numerator,
            f.denominator,
        )
        assert f.value is not None
        if f.is_share:
            assert (unit, number(value)) == ("pct.", round(Decimal(f.value * 100), 1)), f.key
        elif isinstance(f.value, Decimal):
            assert number(value) == f.value
        elif isinstance(f.value, float):
            assert number(value) == round(Decimal(f.value), 1), f.key
        else:
            assert value == str(f.value)


def test_csv_kommuner_stay_and_ids_equal_the_statistics(stats: Statistics, sections: list[list[list[str]]]) -> None:
    kommuner, stay, ids = sections[2], sections[3], sections[4]
    assert tuple(kommuner[0]) == KOMMUNE_HEADERS
    assert [(r[0], r[1], int(r[4]), number(r[5])) for r in kommuner[1:]] == [
        (k.code, k.name, k.bed_days, k.cost) for k in (*stats.kommuner, stats.total)
    ]
    assert [(r[0], int(r[1]), number(r[2])) for r in stay[1:]] == [
        (b.label, b.count, round(Decimal((b.share or 0) * 100), 1)) for b in stats.stay_distribution
    ]
    assert tuple(ids[0]) == ID_HEADERS
    assert {(label, role, int(i)) for label, _, role, i in ids[1:]} == expected_ids(stats)


def test_csv_is_for_danish_excel(stats: Statistics) -> None:
    text = to_csv(stats)
    cost = next(line for line in text.splitlines() if line.startswith("Betaling for færdigmeldte sengedage;"))
    assert cost.split(";")[1] == f"{stats.total.cost:.2f}".replace(".", ",")
    assert "\r\n" in text and "æ" in text and "ø" in text
    text.encode("utf-8")


def test_kommune_filter_and_empty_figures_export(stats: Statistics) -> None:
    filtered = _compute(kommune="147")
    empty = compute_statistics([], {}, FROM, TO, cal=WorkCalendar(), today=TODAY, rates=RATES)
    for s, kommune in ((filtered, "Frederiksberg (147)"), (empty, "Alle kommuner")):
        wb = load_workbook(io.BytesIO(to_xlsx(s)))
        meta = {r[0]: r[1] for r in wb[SHEET_FIGURES].iter_rows(max_row=5, values_only=True)}
        assert meta["Kommune"] == kommune
        values = [r[1] for r in rows_after(wb[SHEET_FIGURES], FIGURE_HEADERS)]
        assert all(same(v, f.value) for v, f in zip(values, s.figures, strict=True))
        assert f"Kommune;{kommune}" in to_csv(s)
    assert empty.figure("stay_median").value is None


def test_the_export_for_the_kommuner_names_the_agreements_sections_not_rule_ids(
    stats: Statistics, workbook: Any
) -> None:
    """Koordinator's rule IDs ("B5", "C2–C4") mean nothing to a kommune: the export cites the agreement's sections,
    and says in words where the agreement asks for nothing (H)."""
    assert agreement_basis("B5") == "samarbejdsaftalen, «Orientering, varsling og færdigmelding»"
    assert agreement_basis("C2–C4") == (
        "samarbejdsaftalen, «Tværsektorielle netværksmøder under indlæggelse» og "
        "«Tværsektorielt netværksmøde ved udskrivning»"
    )
    assert agreement_basis("E1/E2") == "samarbejdsaftalen, «Udskrivningsaftale» og «Koordinationsplan»"
    assert agreement_basis("H") == OWN_FIGURE
    rule_id = re.compile(r"\b[A-H]\d{1,2}\b")
    assert not rule_id.search(to_csv(stats)), rule_id.search(to_csv(stats))
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and rule_id.search(v) for v in row), row
