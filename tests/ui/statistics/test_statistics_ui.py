"""Statistik (issue 7, measure H) on the demo ward: the figures on screen are the service's, every figure, bar and
kommune row opens the admissions behind it, and the XLSX/CSV export re-read holds the numbers on screen —
written atomically, with a Danish message and no file when the disk or the folder says no."""

from __future__ import annotations

import csv
import errno
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from helpers.screens import grab
from openpyxl import load_workbook
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QTableWidget, QToolTip

from coordinator_app.documents.statistics_export import (
    FIGURE_HEADERS,
    KOMMUNE_HEADERS,
    SHEET_FIGURES,
    SHEET_IDS,
    SHEET_KOMMUNER,
    agreement_basis,
)
from coordinator_app.domain.statistics import FigureKey, FigureUnit, Statistics
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.exports import ExportService
from coordinator_app.services.settings import format_kroner
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.statistics.admission_list import open_admission_list
from coordinator_app.ui.statistics.charts import format_count, format_days, format_decimal, format_share, nice_ticks
from coordinator_app.ui.statistics.statistics_tab import StatisticsTab
from coordinator_app.ui.statistics.statistics_view import figure_basis, figure_value, preset_period

DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # as tests/ui/conftest.py
LAST_12_MONTHS = (date(2025, 11, 24), date(2026, 11, 23))
UNIT_OF = {"antal": FigureUnit.COUNT, "dage": FigureUnit.DAYS, "pct.": FigureUnit.SHARE, "kr.": FigureUnit.KRONER}


@dataclass
class Screen:
    tab: StatisticsTab
    opened: list[tuple[tuple[int, ...], str]] = field(default_factory=list)

    def last_ids(self) -> tuple[int, ...]:
        assert self.opened, "nothing was opened"
        return self.opened[-1][0]


@pytest.fixture
def ctx(demo_db_path: Path) -> Iterator[ServiceContext]:
    from coordinator_app.storage.database import open_database

    db = open_database(f"sqlite:///{demo_db_path}")
    yield ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT), user="koordinator.test")
    db.dispose()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for exports (``tmp_path`` also holds the demo database)."""
    folder = tmp_path / "eksport"
    folder.mkdir()
    return folder


@pytest.fixture
def screen(qtbot, ctx: ServiceContext) -> Screen:
    from coordinator_app.ui.shell.app import ensure_application, install_danish

    install_danish(ensure_application())
    opened: list[tuple[tuple[int, ...], str]] = []
    tab = StatisticsTab(
        StatisticsService(ctx),
        lambda ids, title: opened.append((tuple(ids), title)),
        today=ctx.clock.today,
        exports=ExportService(ctx),
    )  # a demo database: the exports are plain (the encrypted path has its own tests)
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    with qtbot.waitSignal(tab.computed, timeout=10_000):
        tab.show()  # the first show computes the figures
    return Screen(tab, opened)


def exported_lines(screen: Screen) -> list[str]:
    """The audit log's lines about statistics exports (issue 8)."""
    from coordinator_app.storage.audit_repository import AuditRepository

    with screen.tab._service._ctx.database.session() as session:
        return [e.what for e in AuditRepository(session).all() if e.what.startswith("Statistik eksporteret")]


def texts(table: QTableWidget, row: int) -> list[str]:
    return [cell(table, row, column).text() for column in range(table.columnCount())]


def kommune_rows(tab: StatisticsTab) -> dict[str, list[str]]:
    """The kommune table by kommune code."""
    table = tab.kommune_table
    return {cell(table, r, 0).data(Qt.ItemDataRole.UserRole): texts(table, r) for r in range(table.rowCount())}


def double_click_cell(qtbot, table: QTableWidget, row: int, column: int) -> None:
    table.scrollToItem(cell(table, row, column))
    rect = table.visualItemRect(cell(table, row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double-click starts so
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def double_click_bar(qtbot, chart, index: int) -> None:
    qtbot.mouseDClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(index).center())


def screen_value(unit: FigureUnit, value: float | None) -> str:
    """A spreadsheet number written the way the screen writes it."""
    if value is None:
        return "–"
    if unit is FigureUnit.SHARE:
        return format_share(float(value))
    if unit is FigureUnit.DAYS:
        return format_days(float(value))
    if unit is FigureUnit.KRONER:
        return format_kroner(Decimal(str(value)))
    return format_count(int(value))


# -- the figures -----------------------------------------------------------------------------------------------


def test_the_tab_opens_on_the_last_12_months_with_the_services_figures(screen: Screen, ctx: ServiceContext) -> None:
    tab = screen.tab
    assert tab.period() == LAST_12_MONTHS
    assert tab.preset.currentText() == "Sidste 12 måneder"
    expected = StatisticsService(ctx).compute(*LAST_12_MONTHS)
    shown = tab.statistics()
    assert shown is not None and shown.figures == expected.figures
    assert tab.figures.rowCount() == len(expected.figures)
    for row, f in enumerate(expected.figures):
        assert texts(tab.figures, row) == [f.label, figure_value(f), figure_basis(f), f.rule_id]
        assert f.definition in cell(tab.figures, row, 1).toolTip()
    assert tab.heading.text() == "24-11-2025 – 23-11-2026 · Alle kommuner"
    assert "1.976 kr." in tab.figure_rate.text() and "Indstillinger" in tab.figure_rate.text()


def test_values_are_written_the_danish_way(screen: Screen) -> None:
    stats = screen.tab.statistics()
    assert stats is not None
    by_key = {f.key: texts(screen.tab.figures, row)[1] for row, f in enumerate(stats.figures)}
    assert by_key[FigureKey.ADMISSIONS] == format_count(int(stats.figure("admissions").value or 0))
    assert by_key[FigureKey.VARSLING_IN_TIME].endswith(" %") and "," in by_key[FigureKey.VARSLING_IN_TIME]
    assert by_key[FigureKey.STAY_MEAN].endswith(" dage") and "," in by_key[FigureKey.STAY_MEAN]
    assert by_key[FigureKey.BED_DAY_COST].endswith(" kr.") and "." in by_key[FigureKey.BED_DAY_COST]
    assert (format_share(0.125), format_days(6.5), format_days(1), format_count(12345)) == (
        "12,5 %",
        "6,5 dage",
        "1 dag",
        "12.345",
    )
    assert format_share(None) == "–"
    assert nice_ticks(2379) == [0, 1000, 2000, 3000]
    assert nice_ticks(24) == [0, 10, 20, 30]


def test_choosing_a_figure_explains_it_under_the_table(screen: Screen) -> None:
    tab = screen.tab
    stats = tab.statistics()
    assert stats is not None
    tab.figures.setCurrentCell(5, 0)
    f = stats.figures[5]
    assert f.key is FigureKey.VARSLING_IN_TIME
    assert tab.definition.text().startswith(f"{f.label} (B5): {figure_value(f)} – {figure_basis(f)}")
    assert f.definition in tab.definition.text()


@pytest.mark.parametrize(
    ("preset", "period"),
    [
        ("Sidste år", (date(2025, 1, 1), date(2025, 12, 31))),
        ("Dette år", (date(2026, 1, 1), date(2026, 11, 23))),
        ("Sidste kvartal", (date(2026, 7, 1), date(2026, 9, 30))),
        ("Sidste 12 måneder", LAST_12_MONTHS),
    ],
)
def test_presets_set_the_period_and_the_figures_follow(
    qtbot, screen: Screen, ctx: ServiceContext, preset: str, period: tuple[date, date]
) -> None:
    tab = screen.tab
    tab.preset.setCurrentText(preset)
    with qtbot.waitSignal(tab.computed, timeout=10_000):
        tab.preset.activated.emit(tab.preset.currentIndex())
    assert tab.period() == period
    shown = tab.statistics()
    assert shown is not None and shown.figures == StatisticsService(ctx).compute(*period).figures


def test_editing_a_date_by_hand_is_a_custom_period() -> None:
    assert preset_period("Sidste kvartal", date(2026, 1, 15)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert preset_period("Sidste 12 måneder", date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


def test_a_date_typed_by_hand_recomputes_after_a_pause(qtbot, screen: Screen) -> None:
    tab = screen.tab
    with qtbot.waitSignal(tab.computed, timeout=10_000):
        tab.date_from.set_value(date(2026, 6, 1))
    assert tab.preset.currentText() == "Valgfri periode"
    shown = tab.statistics()
    assert shown is not None and shown.period_from == date(2026, 6, 1)


def test_kommune_filter_lists_the_kommuner_in_use_and_filters(screen: Screen, ctx: ServiceContext) -> None:
    tab = screen.tab
    service = StatisticsService(ctx)
    in_use = service.kommuner_in_use()
    assert tab.kommune.itemText(0) == "Alle kommuner"
    assert [tab.kommune.itemData(i) for i in range(1, tab.kommune.count())] == [k.code for k in in_use]
    tab.set_kommune("147")
    assert tab.recompute()
    expected = service.compute(*LAST_12_MONTHS, kommune_code="147")
    shown = tab.statistics()
    assert shown is not None and shown.figures == expected.figures
    assert tab.heading.text().endswith("Frederiksberg Kommune")
    assert list(kommune_rows(tab)) == ["147"]
    tab.set_kommune("101")
    assert tab.recompute()
    assert tab.heading.text().endswith("Københavns Kommune")


def test_a_reversed_period_is_refused_in_danish_and_not_exported(screen: Screen, out: Path) -> None:
    tab = screen.tab
    tab.date_from.set_value(date(2026, 11, 1))
    tab.date_to.set_value(date(2026, 10, 1))
    assert not tab.recompute()
    assert tab.message.isVisibleTo(tab)
    assert tab.message.text() == "Fra-datoen ligger efter til-datoen. Ret perioden."
    assert not tab.export_to(out / "s.xlsx", "xlsx")
    assert list(out.iterdir()) == []


def test_showing_the_tab_computes_lazily_and_again_after_mark_stale(qtbot, ctx: ServiceContext) -> None:
    calls: list[tuple[date, date, str | None]] = []

    class Counting(StatisticsService):
        def compute(self, period_from: date, period_to: date, kommune_code: str | None = None) -> Statistics:
            calls.append((period_from, period_to, kommune_code))
            return super().compute(period_from, period_to, kommune_code)

    tab = StatisticsTab(Counting(ctx), lambda _ids, _title: None, today=ctx.clock.today, exports=ExportService(ctx))
    qtbot.addWidget(tab)
    assert calls == []  # building the main window costs nothing
    with qtbot.waitSignal(tab.computed, timeout=10_000):
        tab.show()
    assert calls == [(*LAST_12_MONTHS, None)]
    tab.hide()
    tab.mark_stale()
    assert len(calls) == 1
    with qtbot.waitSignal(tab.computed, timeout=10_000):
        tab.show()
    assert len(calls) == 2


# -- click-through ---------------------------------------------------------------------------------------------


def test_double_click_on_a_figure_opens_its_admissions(qtbot, screen: Screen) -> None:
    tab = screen.tab
    stats = tab.statistics()
    assert stats is not None
    for row, f in enumerate(stats.figures):
        double_click_cell(qtbot, tab.figures, row, 1)
        assert screen.last_ids() == f.admission_ids
        assert screen.opened[-1][1].startswith(f"{f.label}: {figure_value(f)} · 24-11-2025 – 23-11-2026")
    tab.figures.setFocus()
    tab.figures.setCurrentCell(2, 0)
    qtbot.keyClick(tab.figures, Qt.Key.Key_Return)
    assert screen.last_ids() == stats.figures[2].admission_ids


def test_the_context_menu_also_opens_a_shares_denominator(screen: Screen) -> None:
    tab = screen.tab
    stats = tab.statistics()
    assert stats is not None
    row = next(r for r, f in enumerate(stats.figures) if f.key is FigureKey.MEETINGS_IN_TIME)
    f = stats.figures[row]
    page = tab.figures_page
    page._figure_menu(tab.figures.visualItemRect(cell(tab.figures, row, 0)).center())
    assert page.figure_menu is not None
    actions = [a.text() for a in page.figure_menu.actions()]
    assert actions == [
        f"Vis indlæggelserne bag tallet ({len(f.admission_ids)})",
        f"Vis alle målte indlæggelser – nævneren ({len(f.denominator_ids)})",
    ]
    page.figure_menu.actions()[1].trigger()
    page.figure_menu.close()
    assert screen.last_ids() == f.denominator_ids


def test_double_click_on_a_bar_opens_its_admissions(qtbot, screen: Screen) -> None:
    tab = screen.tab
    stats = tab.statistics()
    assert stats is not None
    shares = [
        FigureKey.VARSLING_IN_TIME,
        FigureKey.FAERDIGMELDT_WITH_NOTICE,  # issue 16: færdigmeldinger after a timely varsling (B5)
        FigureKey.MEETINGS_IN_TIME,
        FigureKey.DISCHARGE_ANNOUNCED,
    ]
    for index, key in enumerate([*shares, FigureKey.READMISSIONS]):
        double_click_bar(qtbot, tab.share_chart, index)
        assert screen.last_ids() == stats.figure(key).admission_ids
    assert [b.text.split("  ")[0] for b in tab.share_chart.bars()][:4] == [
        figure_value(stats.figure(k)) for k in shares
    ]
    for index, bucket in enumerate(stats.stay_distribution):
        double_click_bar(qtbot, tab.stay_chart, index)
        assert screen.last_ids() == bucket.admission_ids
        assert f"Indlæggelsestid {bucket.label}" in screen.opened[-1][1]


def test_the_cost_chart_shows_the_top_kommuner_and_the_rest(qtbot, screen: Screen) -> None:
    tab = screen.tab
    tab.pages.setCurrentIndex(1)
    stats = tab.statistics()
    assert stats is not None
    ranked = sorted((k for k in stats.kommuner if k.bed_days), key=lambda k: (-k.bed_days, k.name))
    bars = tab.cost_chart.bars()
    assert [b.label for b in bars[:10]] == [k.name for k in ranked[:10]]
    assert bars[0].text == f"{format_count(ranked[0].bed_days)} dage · {format_kroner(ranked[0].cost)}"
    assert bars[-1].label == f"Øvrige ({len(ranked) - 10} kommuner)" and bars[-1].muted
    assert sum(b.value for b in bars) == stats.total.bed_days
    double_click_bar(qtbot, tab.cost_chart, 0)
    assert screen.last_ids() == ranked[0].faerdigmeldt_ids
    double_click_bar(qtbot, tab.cost_chart, len(bars) - 1)
    assert screen.last_ids() == tuple(sorted({i for k in ranked[10:] for i in k.faerdigmeldt_ids}))
    tab.cost_chart.setFocus()
    qtbot.keyClick(tab.cost_chart, Qt.Key.Key_Up)  # from the last bar up one
    qtbot.keyClick(tab.cost_chart, Qt.Key.Key_Return)
    assert screen.last_ids() == ranked[9].faerdigmeldt_ids


def test_kommune_table_holds_each_kommunes_numbers_and_opens_them(qtbot, screen: Screen) -> None:
    tab = screen.tab
    tab.pages.setCurrentIndex(1)
    stats = tab.statistics()
    assert stats is not None
    rows = kommune_rows(tab)
    assert len(rows) == len(stats.kommuner)
    for k in stats.kommuner:
        assert rows[k.code] == [
            k.name,
            format_count(k.admissions),
            format_count(k.faerdigmeldt_admissions),
            format_count(k.bed_days),
            format_kroner(k.cost),
            ", ".join(str(y) for y in k.rate_years) or "–",
        ]
    first = cell(tab.kommune_table, 0, 0).data(Qt.ItemDataRole.UserRole)
    assert first == max(stats.kommuner, key=lambda k: k.bed_days).code  # most bed days first
    t = stats.total
    assert tab.total.text().startswith(f"I alt: {format_count(t.admissions)} indlæggelser")
    assert f"{format_count(t.bed_days)} sengedage · {format_kroner(t.cost)}" in tab.total.text()
    copenhagen = next(k for k in stats.kommuner if k.code == "101")
    table = tab.kommune_table
    row = next(r for r in range(table.rowCount()) if cell(table, r, 0).data(Qt.ItemDataRole.UserRole) == "101")
    double_click_cell(qtbot, tab.kommune_table, row, 1)
    assert screen.last_ids() == copenhagen.admission_ids
    double_click_cell(qtbot, tab.kommune_table, row, 3)
    assert screen.last_ids() == copenhagen.faerdigmeldt_ids
    assert screen.opened[-1][1].startswith("Færdigmeldte sengedage – København")


def test_the_admission_list_shows_the_admissions_and_opens_one(qtbot, screen: Screen, ctx: ServiceContext) -> None:
    stats = screen.tab.statistics()
    assert stats is not None
    ids = stats.figure(FigureKey.VARSLING_IN_TIME).admission_ids
    dialog = open_admission_list(None, AdmissionService(ctx), [*ids, 999_999], "Varslinger sendt rettidigt")
    qtbot.addWidget(dialog)
    assert sorted(dialog.admission_ids()) == list(ids)
    assert cell(dialog.table, 0, 2).text().endswith("-xxxx")  # CPR masked
    header = dialog.table.horizontalHeaderItem(3)
    assert header is not None and header.text() == "Indlagt"
    first = dialog.admission_ids()[0]
    with qtbot.waitSignal(dialog.admission_activated) as signal:
        double_click_cell(qtbot, dialog.table, 0, 1)
    assert signal.args == [first]
    dialog.close()


# -- export ---------------------------------------------------------------------------------------------------


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    suggested: list[str] = []

    def fake(_parent, _caption, directory, _filter):
        suggested.append(directory)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return suggested


def test_xlsx_export_reread_equals_the_screen(screen: Screen, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = screen.tab
    suggested = choose_file(monkeypatch, out / "statistik")
    assert tab.export("xlsx")
    assert Path(suggested[0]).name == "koordinator-statistik-2025-11-24-2026-11-23.xlsx"
    path = out / "statistik.xlsx"  # the extension is added
    assert tab.last_export == path and tab.export_dir == out
    assert "gemt" in tab.message.text()
    assert exported_lines(screen) == [
        f"Statistik eksporteret som XLSX: 24-11-2025–23-11-2026, alle kommuner, fil: {path}"
    ]
    workbook = load_workbook(path, read_only=True)

    sheet = list(workbook[SHEET_FIGURES].iter_rows(values_only=True))
    start = sheet.index(FIGURE_HEADERS) + 1
    exported = {}
    for label, value, unit, numerator, denominator, rule, _definition in sheet[start:]:
        basis = f"{format_count(numerator)} af {format_count(denominator)}" if unit == "pct." else None
        exported[label] = (screen_value(UNIT_OF[unit], value), basis, rule)
    on_screen = {texts(tab.figures, r)[0]: texts(tab.figures, r) for r in range(tab.figures.rowCount())}
    assert set(exported) == set(on_screen)
    for label, (value, basis, rule) in exported.items():
        assert on_screen[label][1] == value
        assert agreement_basis(on_screen[label][3]) == rule  # the screen's rule ID, as the agreement's section
        if basis is not None:
            assert on_screen[label][2] == basis

    rows = kommune_rows(tab)
    kommuner = list(workbook[SHEET_KOMMUNER].iter_rows(values_only=True))
    assert kommuner[0] == KOMMUNE_HEADERS
    for code, name, admissions, faerdigmeldte, bed_days, cost, years, _unpriced in kommuner[1:-1]:
        assert rows[code] == [
            name,
            format_count(admissions),
            format_count(faerdigmeldte),
            format_count(bed_days),
            format_kroner(Decimal(str(cost))),
            years or "–",
        ]
    assert kommuner[-1][1] == "I alt"
    assert f"{format_count(kommuner[-1][4])} sengedage · {format_kroner(Decimal(str(kommuner[-1][5])))}" in (
        tab.total.text()
    )

    # The admissions behind each figure in the workbook are the ones the click-through opens.
    behind: dict[str, list[int]] = {}
    for label, _rule, role, admission_id in list(workbook[SHEET_IDS].iter_rows(values_only=True))[1:]:
        if role in ("Tæller", "Grundlag"):
            behind.setdefault(label, []).append(admission_id)
    workbook.close()
    stats = tab.statistics()
    assert stats is not None
    for row, f in enumerate(stats.figures):
        screen.opened.clear()
        tab.open_figure(row)
        assert list(screen.last_ids()) == behind.get(f.label, [])


def test_csv_export_reread_equals_the_screen(screen: Screen, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = screen.tab
    choose_file(monkeypatch, out / "statistik.csv")
    assert tab.export("csv")
    raw = (out / "statistik.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Danish Excel reads æøå
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    start = lines.index(list(FIGURE_HEADERS)) + 1
    end = lines.index([], start)
    on_screen = {texts(tab.figures, r)[0]: texts(tab.figures, r) for r in range(tab.figures.rowCount())}
    for label, value, unit, numerator, denominator, rule, _definition in lines[start:end]:
        number = float(value.replace(",", ".")) if value else None
        if unit == "pct." and number is not None:
            number /= 100
        shown = {screen_value(UNIT_OF[unit], number)}
        if UNIT_OF[unit] is FigureUnit.DAYS and number is not None:
            # The CSV keeps one decimal: 32,96 days is "33,0" there and "33,0 dage" on screen, while 33 days
            # exactly is "33,0" there and "33 dage" on screen — the CSV cannot tell the two apart.
            shown.add(f"{format_decimal(number, 1)} dage")
        assert on_screen[label][1] in shown, label
        assert agreement_basis(on_screen[label][3]) == rule  # the screen's rule ID, as the agreement's section
        if unit == "pct.":
            assert on_screen[label][2] == f"{format_count(int(numerator))} af {format_count(int(denominator))}"
    start = lines.index(list(KOMMUNE_HEADERS)) + 1
    end = lines.index([], start)
    rows = kommune_rows(tab)
    for code, _name, admissions, faerdigmeldte, bed_days, cost, _years, _unpriced in lines[start:end]:
        if code:  # the last line is the total
            assert rows[code][1:5] == [
                format_count(int(admissions)),
                format_count(int(faerdigmeldte)),
                format_count(int(bed_days)),
                format_kroner(Decimal(cost.replace(",", "."))),
            ]


def test_export_to_a_missing_folder_says_so_in_danish_and_writes_nothing(screen: Screen, out: Path) -> None:
    tab = screen.tab
    target = out / "findes-ikke" / "statistik.xlsx"
    assert not tab.export_to(target, "xlsx")
    box = tab.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "Eksport mislykkedes"
    assert f"Mappen {target.parent} findes ikke. Vælg en anden mappe." in box.text()
    assert "Intet er skrevet" in box.text()
    assert tab.message.text().startswith("⚠ Statistikken blev ikke gemt")
    box.close()
    assert list(out.iterdir()) == []
    assert exported_lines(screen) == []  # nothing exported, nothing logged


def test_a_full_disk_leaves_the_earlier_file_and_no_half_written_one(
    screen: Screen, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os  # what the export's atomic write (infra.files.write_atomically) calls

    target = out / "statistik.csv"
    target.write_text("den gamle fil", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert not screen.tab.export_to(target, "csv")
    box = screen.tab.message_box
    assert box is not None and "Der er ikke plads nok på drevet" in box.text()
    box.close()
    assert target.read_text(encoding="utf-8") == "den gamle fil"
    assert list(out.iterdir()) == [target]  # the temporary file is gone too


def test_no_permission_is_explained(screen: Screen, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os  # what the export's atomic write (infra.files.write_atomically) calls

    def refused(_src: str, _dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    assert not screen.tab.export_to(out / "statistik.xlsx", "xlsx")
    box = screen.tab.message_box
    assert box is not None
    text = box.text()
    box.close()
    assert f"Du har ikke adgang til at gemme i mappen {out}" in text
    assert list(out.iterdir()) == []


def test_export_uses_the_figures_on_screen_not_a_fresh_computation(screen: Screen, out: Path) -> None:
    tab = screen.tab
    tab.set_kommune("147")
    assert tab.export_to(out / "s.xlsx", "xlsx")  # a pending change is computed first
    sheet = list(load_workbook(out / "s.xlsx")[SHEET_FIGURES].iter_rows(values_only=True))
    assert ("Kommune", "Frederiksberg (147)") in [row[:2] for row in sheet]
    QApplication.processEvents()
    assert tab.heading.text().endswith("Frederiksberg Kommune")


def test_chart_bar_under_the_mouse_and_its_tooltip(screen: Screen) -> None:
    chart = screen.tab.share_chart
    assert chart.bar_at(chart.bar_rect(3).center()) == 3
    assert chart.bar_at(QPoint(2, 2)) is None
    stats = screen.tab.statistics()
    assert stats is not None
    f = stats.figure(FigureKey.DISCHARGE_ANNOUNCED)  # the 4th bar since issue 16 put the færdigmeldinger' 2nd
    pos = chart.bar_rect(3).center()
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    tip = QToolTip.text()
    assert tip.startswith(f"{f.label}: {figure_value(f)}") and f.definition in tip
    assert tip.endswith("Dobbeltklik for at se indlæggelserne bag tallet.")
    QToolTip.hideText()


def test_discharges_without_a_required_plan_have_their_row(qtbot, screen: Screen) -> None:
    """E1/E2: the count of discharges that left without the required udskrivningsaftale/koordinationsplan, of those
    that required one; a double-click opens them, the context menu all that required one."""
    tab = screen.tab
    stats = tab.statistics()
    assert stats is not None
    row = next(r for r, f in enumerate(stats.figures) if f.key is FigureKey.DISCHARGED_WITHOUT_PLAN)
    f = stats.figures[row]
    assert f.value and f.denominator and 0 < int(f.value) < f.denominator  # the demo's history has both
    assert texts(tab.figures, row) == [
        "Udskrevet uden krævet aftale/plan",
        format_count(int(f.value)),
        f"af {format_count(f.denominator)} med krav",
        "E1/E2",
    ]
    tab.figures.setCurrentCell(row, 0)
    assert "begrundelsen står på udskrivningen" in tab.definition.text()
    double_click_cell(qtbot, tab.figures, row, 1)
    assert screen.last_ids() == f.admission_ids
    page = tab.figures_page
    page._figure_menu(tab.figures.visualItemRect(cell(tab.figures, row, 0)).center())
    assert page.figure_menu is not None
    actions = page.figure_menu.actions()
    assert [a.text() for a in actions][1] == f"Vis alle udskrivninger med krav om aftale/plan ({f.denominator})"
    actions[1].trigger()
    page.figure_menu.close()
    assert screen.last_ids() == f.denominator_ids
    grab(tab, "statistik-udskrevet-uden-aftale")
