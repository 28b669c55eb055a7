"""The Statistik tab's two pages (``statistics_tab``), each filled from one ``Statistics`` and each a way into the
admissions behind what it shows.

* ``FiguresPage`` (**Nøgletal**): one row per figure (``statistics.FIGURES``) — value in Danish format, its basis,
  the rule ID — with the chosen figure's definition under the table (and as tooltip), the bed-day rate, and the
  charts of the shares (B5, C2–C4, B4/B9, H; 0–100 %) and of the length of stay.
* ``KommunePage`` (**Kommuner og betaling**): færdigmeldte sengedage and betaling per kommune (top 10 + Øvrige) as
  bars, and the full table with the total and the bed-day rate that priced them (§ 238).

**Click-through**: double-click (or Enter on) a figure row, a bar or a kommune row calls
``open_admissions(ids, what)``; the tab adds the period and kommune to ``what`` for the list's title.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QMenu, QVBoxLayout, QWidget

from coordinator_app.domain.statistics import Figure, KommuneCost, Statistics
from coordinator_app.services.settings import format_kroner
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import INFO_STYLE, MUTED, text_label
from coordinator_app.ui.common.tables import ID_ROLE, SortItem, activate_on_enter, read_only_table
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.statistics.charts import HorizontalBarChart, format_count
from coordinator_app.ui.statistics.statistics_view import cost_bars, figure_basis, figure_value, share_bars, stay_bars

__all__ = ["FIGURE_COLUMNS", "KOMMUNE_COLUMNS", "TOP_KOMMUNER", "FiguresPage", "KommunePage", "OpenWhat"]

#: ``open_admissions(ids, what)``: show these admissions; ``what`` is the list's title before period and kommune.
OpenWhat = Callable[[Sequence[int], str], None]

FIGURE_COLUMNS = ("Nøgletal", "Værdi", "Grundlag", "Regel")
KOMMUNE_COLUMNS = ("Kommune", "Indlæggelser", "Færdigmeldte", "Sengedage", "Beløb", "Sats-år")
TOP_KOMMUNER = 10


class FiguresPage(QWidget):
    """Nøgletal: the figures' table, the chosen figure explained, and the shares and stay charts."""

    def __init__(self, open_admissions: OpenWhat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._open_admissions = open_admissions
        self._stats: Statistics | None = None
        self._share_figures: list[Figure] = []
        self.figure_menu: QMenu | None = None

        self.figures = read_only_table(FIGURE_COLUMNS)
        header = self.figures.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figures.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.figures.customContextMenuRequested.connect(self._figure_menu)
        self.figures.doubleClicked.connect(lambda index: self.open_figure(index.row()))
        activate_on_enter(self.figures, lambda: self.open_figure(self.figures.currentRow()))
        self.figures.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # rows fill the height
        self.figures.currentCellChanged.connect(lambda row, *_: self._explain(row))
        self.definition = text_label(style=INFO_STYLE)
        self.definition.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.definition.setAccessibleName("Om tallet")
        self.figure_rate = text_label(style=MUTED)
        self.figure_rate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.share_chart = HorizontalBarChart("Frister og genindlæggelser", maximum=100, axis_format=_percent)
        self.share_chart.bar_activated.connect(self.open_share)
        self.stay_chart = HorizontalBarChart("Indlæggelsestid")
        self.stay_chart.bar_activated.connect(self.open_stay_bucket)

        left = QVBoxLayout()
        left.addWidget(self.figures, 1)
        left.addWidget(self.definition)
        left.addWidget(self.figure_rate)
        right = QVBoxLayout()
        right.addWidget(self.share_chart, 4)
        right.addWidget(self.stay_chart, 5)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)

    def show_statistics(self, stats: Statistics) -> None:
        self._stats = stats
        self.figures.setRowCount(len(stats.figures))
        bold = QFont(self.figures.font())
        bold.setBold(True)
        for row, f in enumerate(stats.figures):
            count = format_count(len(f.admission_ids))
            tip = f"{f.definition}\n\nDobbeltklik for at se de {count} indlæggelser bag tallet."
            cells = (
                SortItem(f.label),
                SortItem(figure_value(f), right=True),
                SortItem(figure_basis(f), right=True),
                SortItem(f.rule_id),
            )
            cells[1].setFont(bold)
            for column, item in enumerate(cells):
                item.setToolTip(literal(tip))
                item.setData(ID_ROLE, f.key.value)
                self.figures.setItem(row, column, item)
        current = self.figures.currentRow()
        if current < 0:
            self.figures.selectRow(0)
        self._explain(max(current, 0))
        self._share_figures, bars = share_bars(stats)
        self.share_chart.set_bars(bars, subtitle="Andel i procent; tæller af nævner i parentes")
        bars, subtitle = stay_bars(stats)
        self.stay_chart.set_bars(bars, subtitle=subtitle)

    def _explain(self, row: int) -> None:
        """The chosen figure's definition under the table (also its tooltip)."""
        f = self.figure_at(row)
        if f is None:
            self.definition.setText("")
            return
        basis = figure_basis(f)
        self.definition.setText(
            f"{f.label} ({f.rule_id}): {figure_value(f)}" + (f" – {basis}" if basis else "") + f"\n{f.definition}\n"
            f"Dobbeltklik (eller Enter) for at se de {format_count(len(f.admission_ids))} indlæggelser bag tallet; "
            "højreklik for flere valg."
        )

    # -- click-through ------------------------------------------------------------------------------------------
    def figure_at(self, row: int) -> Figure | None:
        if self._stats is None or not 0 <= row < len(self._stats.figures):
            return None
        return self._stats.figure(cell(self.figures, row, 0).data(ID_ROLE))

    def open_figure(self, row: int, *, denominator: bool = False) -> None:
        f = self.figure_at(row)
        if f is None:
            return
        if denominator:
            self._open_admissions(f.denominator_ids, f"{f.label} – alle målte ({figure_basis(f)})")
        else:
            self._open_admissions(f.admission_ids, f"{f.label}: {figure_value(f)}")

    def _figure_menu(self, pos: QPoint) -> None:
        row = self.figures.rowAt(pos.y())
        f = self.figure_at(row)
        if f is None:
            return
        menu = QMenu(self)
        menu.addAction(
            f"Vis indlæggelserne bag tallet ({format_count(len(f.admission_ids))})", lambda: self.open_figure(row)
        )
        if f.is_share:
            menu.addAction(
                f"Vis alle målte indlæggelser – nævneren ({format_count(len(f.denominator_ids))})",
                lambda: self.open_figure(row, denominator=True),
            )
        elif f.denominator_ids:  # E1/E2: the discharges that required a plan
            menu.addAction(
                f"Vis alle udskrivninger med krav om aftale/plan ({format_count(len(f.denominator_ids))})",
                lambda: self.open_figure(row, denominator=True),
            )
        menu.popup(self.figures.viewport().mapToGlobal(pos))
        self.figure_menu = menu

    def open_share(self, index: int) -> None:
        f = self._share_figures[index]
        self._open_admissions(f.admission_ids, f"{f.label}: {figure_value(f)}")

    def open_stay_bucket(self, index: int) -> None:
        assert self._stats is not None
        bucket = self._stats.stay_distribution[index]
        self._open_admissions(bucket.admission_ids, f"Indlæggelsestid {bucket.label}")


class KommunePage(QWidget):
    """Kommuner og betaling: the bars of the largest kommuner and the table of all, with the total."""

    def __init__(self, open_admissions: OpenWhat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._open_admissions = open_admissions
        self._stats: Statistics | None = None
        self._cost_groups: list[tuple[str, tuple[int, ...]]] = []

        self.cost_chart = HorizontalBarChart("Færdigmeldte sengedage pr. kommune")
        self.cost_chart.bar_activated.connect(self.open_cost_bar)
        self.kommune_table = read_only_table(KOMMUNE_COLUMNS)
        header = self.kommune_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.kommune_table.setSortingEnabled(True)
        self.kommune_table.doubleClicked.connect(lambda index: self.open_kommune(index.row(), index.column()))
        activate_on_enter(
            self.kommune_table,
            lambda: self.open_kommune(self.kommune_table.currentRow(), self.kommune_table.currentColumn()),
        )
        for column, tip in enumerate(
            (
                "Dobbeltklik: indlæggelserne med indlæggelsesdato i perioden",
                "Indlæggelser med indlæggelsesdato i perioden (dobbeltklik for at se dem)",
                "Indlæggelser med færdigmeldte sengedage i perioden (dobbeltklik for at se dem)",
                "Færdigmeldte sengedage i perioden (B5)",
                "Kommunens betaling for sengedagene (sundhedsloven § 238)",
                "Året for den sengedagstakst, der er brugt",
            )
        ):
            label = self.kommune_table.horizontalHeaderItem(column)
            assert label is not None  # read_only_table set the column labels
            label.setToolTip(literal(tip))
        self.total = text_label()
        self.total_font = QFont(self.total.font())
        self.total_font.setBold(True)
        self.total.setFont(self.total_font)
        self.kommune_rate = text_label(style=MUTED)
        self.kommune_rate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QVBoxLayout()
        right.addWidget(self.kommune_table, 1)
        right.addWidget(self.total)
        right.addWidget(self.kommune_rate)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.cost_chart, 4)
        layout.addLayout(right, 6)

    def show_statistics(self, stats: Statistics) -> None:
        self._stats = stats
        self._cost_groups, bars, subtitle = cost_bars(stats, TOP_KOMMUNER)
        self.cost_chart.set_bars(bars, subtitle=subtitle)
        table = self.kommune_table
        table.setSortingEnabled(False)
        table.setRowCount(len(stats.kommuner))
        for row, k in enumerate(stats.kommuner):
            cost = SortItem(format_kroner(k.cost), float(k.cost), right=True)
            if k.unpriced_days:
                cost.setText(f"⚠ {cost.text()}")
                cost.setToolTip(
                    literal(f"{k.unpriced_days} sengedage uden takst for deres år – angiv taksten i Indstillinger")
                )
            cells = (
                SortItem(k.name, k.name.casefold()),
                SortItem(format_count(k.admissions), k.admissions, right=True),
                SortItem(format_count(k.faerdigmeldt_admissions), k.faerdigmeldt_admissions, right=True),
                SortItem(format_count(k.bed_days), k.bed_days, right=True),
                cost,
                SortItem(", ".join(str(y) for y in k.rate_years) or "–"),
            )
            cells[0].setToolTip(literal(f"{k.name} (kommunekode {k.code})"))
            for column, item in enumerate(cells):
                item.setData(ID_ROLE, k.code)
                table.setItem(row, column, item)
        table.setSortingEnabled(True)
        table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        t = stats.total
        self.total.setText(
            f"I alt: {format_count(t.admissions)} indlæggelser · {format_count(t.faerdigmeldt_admissions)} med "
            f"færdigmeldte sengedage · {format_count(t.bed_days)} sengedage · {format_kroner(t.cost)}"
            + (f" · {format_count(t.unpriced_days)} sengedage uden takst" if t.unpriced_days else "")
        )

    # -- click-through ------------------------------------------------------------------------------------------
    def open_cost_bar(self, index: int) -> None:
        name, ids = self._cost_groups[index]
        self._open_admissions(ids, f"Færdigmeldte sengedage – {name}")

    def kommune_at(self, row: int) -> KommuneCost | None:
        if self._stats is None or not 0 <= row < self.kommune_table.rowCount():
            return None
        code = cell(self.kommune_table, row, 0).data(ID_ROLE)
        return next((k for k in self._stats.kommuner if k.code == code), None)

    def open_kommune(self, row: int, column: int) -> None:
        """Name or Indlæggelser → the admissions; the bed-day columns → the færdigmeldte admissions."""
        k = self.kommune_at(row)
        if k is None:
            return
        if column <= 1:
            self._open_admissions(k.admission_ids, f"Indlæggelser – {k.name}")
        else:
            self._open_admissions(k.faerdigmeldt_ids, f"Færdigmeldte sengedage – {k.name}")


def _percent(value: float) -> str:
    return f"{value:.0f} %"
