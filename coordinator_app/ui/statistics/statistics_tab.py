"""The Statistik tab (issue 7, measure H): the agreement's numbers for a period and kommune, as charts a manager
can put on a slide, exported to XLSX/CSV with the same numbers, and every figure traced to its admissions.

* **Period** Fra/Til with presets (Sidste 12 måneder, Sidste år, Dette år, Sidste kvartal) and a **kommune**
  filter; changes recompute after a short pause (a year at 10,000 admissions takes ~0.4 s: busy cursor).
* **Nøgletal**: one row per figure (``statistics.FIGURES``) — value in Danish format, its basis, the rule ID;
  the chosen figure's definition under the table (and as tooltip). Charts: the shares (B5, C2–C4, B4/B9, H)
  on 0–100 % and the length of stay.
* **Kommuner**: færdigmeldte sengedage and betaling per kommune (top 10 + Øvrige) and the full table, with the
  bed-day rate that priced them (§ 238).
* **Click-through**: double-click (or Enter on) a figure row, a bar or a kommune row →
  ``open_admissions(ids, title)``; the main window shows them in ``AdmissionListDialog``.
* **Export**: exactly the ``Statistics`` on screen, written to a temporary file beside the target and moved into
  place, so a full disk or a missing permission leaves nothing half-written (Danish message).
* **Encrypted export** (issue 8): the figures are aggregate, but the sheet *Indlæggelser bag tallene* lists the
  admission ids behind each figure — pseudonymous, and so still personal data (GDPR art. 4(5)): whoever has the
  program finds the patient from the id. So the export is encrypted with a password the user types twice: XLSX
  as Excel encrypts it, CSV inside an AES zip. A demo database (``demo=True``, fictitious patients) exports plain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.reference import official_kommune_name
from coordinator_app.domain.statistics import Figure, KommuneCost, Statistics
from coordinator_app.services.settings import format_kroner
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.export_password import ExportPasswordDialog, ask_export_password
from coordinator_app.ui.common.style import (
    ERROR_STYLE,
    INFO_STYLE,
    MUTED,
    OK_STYLE,
    WARNING_STYLE,
    buddy_label,
    text_label,
)
from coordinator_app.ui.common.widgets import DateField, cell
from coordinator_app.ui.statistics.admission_list import (
    ID_ROLE,
    AdmissionListDialog,
    SortItem,
    activate_on_enter,
    open_admission_list,
    read_only_table,
)
from coordinator_app.ui.statistics.charts import HorizontalBarChart, format_count
from coordinator_app.ui.statistics.statistics_view import (
    CUSTOM,
    PRESETS,
    cost_bars,
    day,
    export_error_text,
    figure_basis,
    figure_value,
    preset_period,
    share_bars,
    stay_bars,
    write_atomically,
)

#: The click-through dialog lives in ``admission_list``; importable from here too.
__all__ = ["AdmissionListDialog", "StatisticsTab", "open_admission_list"]

OpenAdmissions = Callable[[Sequence[int], str], None]

FIGURE_COLUMNS = ("Nøgletal", "Værdi", "Grundlag", "Regel")
KOMMUNE_COLUMNS = ("Kommune", "Indlæggelser", "Færdigmeldte", "Sengedage", "Beløb", "Sats-år")
TOP_KOMMUNER = 10
RECOMPUTE_DELAY_MS = 350


class StatisticsTab(QWidget):
    """Statistik: period and kommune, Nøgletal and Kommuner pages, click-through, export (module docstring)."""

    computed = Signal()

    def __init__(
        self,
        service: StatisticsService,
        open_admissions: OpenAdmissions,
        *,
        today: Callable[[], date],
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._demo = demo  # a demo database's fictitious figures export plain (issue 8)
        self.password_dialog: ExportPasswordDialog | None = None
        self._open_admissions = open_admissions
        self._today = today
        self._stats: Statistics | None = None
        self._stale = True
        self._kommuner_loaded = False
        self._share_figures: list[Figure] = []
        self._cost_groups: list[tuple[str, tuple[int, ...]]] = []
        self.export_dir: Path | None = None
        self.message_box: QMessageBox | None = None
        self.last_export: Path | None = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.recompute)

        layout = QVBoxLayout(self)
        layout.addLayout(self._controls())
        self.heading = QLabel()
        heading_font = QFont(self.heading.font())
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.15)
        self.heading.setFont(heading_font)
        self.status = text_label(style=MUTED)
        self.status.setWordWrap(False)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.status)
        layout.addLayout(head)
        self.message = text_label()
        self.message.hide()
        layout.addWidget(self.message)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self._figures_page(), "&Nøgletal")
        self.pages.addTab(self._kommune_page(), "&Kommuner og betaling")
        layout.addWidget(self.pages, 1)
        self.set_period(*preset_period(PRESETS[0], today()))

    # -- building ---------------------------------------------------------------------------------------------------
    def _controls(self) -> QHBoxLayout:
        self.preset = QComboBox()
        self.preset.addItems([*PRESETS, CUSTOM])
        self.preset.setToolTip("Vælg en fast periode, eller skriv datoerne selv")
        self.preset.activated.connect(self._preset_chosen)
        today = self._today()
        self.date_from = DateField(today)
        self.date_to = DateField(today)
        for field in (self.date_from, self.date_to):
            field.dateChanged.connect(self._dates_edited)
        self.kommune = QComboBox()
        self.kommune.setMinimumContentsLength(18)
        self.kommune.addItem("Alle kommuner", None)
        self.kommune.currentIndexChanged.connect(lambda _i: self.schedule_recompute())
        self.compute_button = QPushButton("&Beregn")
        self.compute_button.setToolTip("Beregn tallene igen (fx efter ændringer i indlæggelserne)")
        self.compute_button.clicked.connect(self.recompute)
        self.xlsx_button = QPushButton("Eksportér &XLSX…")
        self.xlsx_button.setToolTip("Gem tallene og indlæggelserne bag dem som Excel-projektmappe")
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button = QPushButton("Eksportér &CSV…")
        self.csv_button.setToolTip("Gem tallene som CSV (semikolon, decimalkomma) til Excel på dansk")
        self.csv_button.clicked.connect(lambda: self.export("csv"))

        row = QHBoxLayout()
        row.addWidget(buddy_label("&Periode:", self.preset))
        row.addWidget(self.preset)
        row.addSpacing(8)
        row.addWidget(buddy_label("&Fra:", self.date_from))
        row.addWidget(self.date_from)
        row.addWidget(buddy_label("&Til:", self.date_to))
        row.addWidget(self.date_to)
        row.addSpacing(8)
        row.addWidget(buddy_label("K&ommune:", self.kommune))
        row.addWidget(self.kommune)
        row.addWidget(self.compute_button)
        row.addStretch(1)
        row.addWidget(self.xlsx_button)
        row.addWidget(self.csv_button)
        return row

    def _figures_page(self) -> QWidget:
        page = QWidget()
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

        self.share_chart = HorizontalBarChart("Frister og genindlæggelser", maximum=100, axis_format=self._percent)
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
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)
        return page

    def _kommune_page(self) -> QWidget:
        page = QWidget()
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
            label.setToolTip(tip)
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
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.cost_chart, 4)
        layout.addLayout(right, 6)
        return page

    @staticmethod
    def _percent(value: float) -> str:
        return f"{value:.0f} %"

    # -- period, kommune, computing ---------------------------------------------------------------------------
    def period(self) -> tuple[date, date]:
        return self.date_from.value(), self.date_to.value()

    def kommune_code(self) -> str | None:
        data = self.kommune.currentData()
        return str(data) if data else None

    def set_period(self, start: date, end: date, preset: str | None = None) -> None:
        for field, value in ((self.date_from, start), (self.date_to, end)):
            field.blockSignals(True)
            field.set_value(value)
            field.blockSignals(False)
        chosen = preset or next((p for p in PRESETS if preset_period(p, self._today()) == (start, end)), CUSTOM)
        self.preset.setCurrentText(chosen)
        self.schedule_recompute()

    def set_kommune(self, code: str | None) -> None:
        self._load_kommuner()
        index = self.kommune.findData(code) if code else 0
        self.kommune.setCurrentIndex(max(index, 0))

    def _preset_chosen(self, _index: int) -> None:
        text = self.preset.currentText()
        if text != CUSTOM:
            self.set_period(*preset_period(text, self._today()), preset=text)

    def _dates_edited(self) -> None:
        start, end = self.period()
        self.preset.setCurrentText(
            next((p for p in PRESETS if preset_period(p, self._today()) == (start, end)), CUSTOM)
        )
        self.schedule_recompute()

    def schedule_recompute(self) -> None:
        """Recompute after a short pause (typing a date), or when the tab is next shown."""
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def mark_stale(self) -> None:
        """The admissions changed: recompute (and reload the kommuner) when the tab is next shown."""
        self._kommuner_loaded = False
        self.schedule_recompute()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._timer.start(0)

    def _load_kommuner(self) -> None:
        if self._kommuner_loaded:
            return
        current = self.kommune_code()
        self.kommune.blockSignals(True)
        try:
            self.kommune.clear()
            self.kommune.addItem("Alle kommuner", None)
            for k in self._service.kommuner_in_use():
                self.kommune.addItem(f"{k.name} ({k.code})", k.code)
            self.kommune.setCurrentIndex(max(self.kommune.findData(current), 0) if current else 0)
        finally:
            self.kommune.blockSignals(False)
        self._kommuner_loaded = True

    def recompute(self) -> bool:
        """Compute the figures for the chosen period and kommune now; ``False`` (message shown) when refused."""
        self._timer.stop()
        start, end = self.period()
        if start > end:
            self._say("Fra-datoen ligger efter til-datoen. Ret perioden.", ERROR_STYLE)
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.status.setText("Beregner …")
            self.status.repaint()
            self._load_kommuner()
            stats = self._service.compute(start, end, self.kommune_code())
        except KoordinatorError as exc:
            self._say(exc.message, ERROR_STYLE)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.show_statistics(stats)
        return True

    def statistics(self) -> Statistics | None:
        """The figures on screen, computed first if a change is still waiting; ``None`` when the chosen period is
        refused (the message says why) — never figures for another period than the one chosen."""
        if (self._stale or self._timer.isActive()) and not self.recompute():
            return None
        return self._stats

    def _say(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.message.setVisible(bool(text))

    # -- showing -------------------------------------------------------------------------------------------------
    def show_statistics(self, stats: Statistics) -> None:
        self._stats = stats
        self._stale = False
        where = official_kommune_name(stats.kommune_name or "") if stats.kommune_code else "Alle kommuner"
        self.heading.setText(f"{day(stats.period_from)} – {day(stats.period_to)} · {where}")
        self.status.setText(f"Opgjort pr. {day(stats.today)}")
        if stats.unreadable_ids:
            ids = ", ".join(str(i) for i in stats.unreadable_ids)
            self._say(
                f"⚠ {len(stats.unreadable_ids)} indlæggelser har en historik, der ikke kan læses; de tæller kun med i "
                f"antal og indlæggelsestid (nr. {ids}).",
                WARNING_STYLE,
            )
        else:
            self._say("", "")
        self._fill_figures(stats)
        self._fill_charts(stats)
        self._fill_kommuner(stats)
        note = stats.rate_note or "Ingen sengedagstakst angivet."
        style = WARNING_STYLE if "Indstillinger" in note else MUTED
        for label in (self.figure_rate, self.kommune_rate):
            label.setText(note)
            label.setStyleSheet(style)
        self.computed.emit()

    def _fill_figures(self, stats: Statistics) -> None:
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
                item.setToolTip(tip)
                item.setData(ID_ROLE, f.key.value)
                self.figures.setItem(row, column, item)
        current = self.figures.currentRow()
        if current < 0:
            self.figures.selectRow(0)
        self._explain(max(current, 0))

    def _explain(self, row: int) -> None:
        """The chosen figure's definition under the table (also its tooltip)."""
        f = self._figure_at(row)
        if f is None:
            self.definition.setText("")
            return
        basis = figure_basis(f)
        self.definition.setText(
            f"{f.label} ({f.rule_id}): {figure_value(f)}" + (f" – {basis}" if basis else "") + f"\n{f.definition}\n"
            f"Dobbeltklik (eller Enter) for at se de {format_count(len(f.admission_ids))} indlæggelser bag tallet; "
            "højreklik for flere valg."
        )

    def _fill_charts(self, stats: Statistics) -> None:
        self._share_figures, bars = share_bars(stats)
        self.share_chart.set_bars(bars, subtitle="Andel i procent; tæller af nævner i parentes")
        bars, subtitle = stay_bars(stats)
        self.stay_chart.set_bars(bars, subtitle=subtitle)
        self._cost_groups, bars, subtitle = cost_bars(stats, TOP_KOMMUNER)
        self.cost_chart.set_bars(bars, subtitle=subtitle)

    def _fill_kommuner(self, stats: Statistics) -> None:
        table = self.kommune_table
        table.setSortingEnabled(False)
        table.setRowCount(len(stats.kommuner))
        for row, k in enumerate(stats.kommuner):
            cost = SortItem(format_kroner(k.cost), float(k.cost), right=True)
            if k.unpriced_days:
                cost.setText(f"⚠ {cost.text()}")
                cost.setToolTip(f"{k.unpriced_days} sengedage uden takst for deres år – angiv taksten i Indstillinger")
            cells = (
                SortItem(k.name, k.name.casefold()),
                SortItem(format_count(k.admissions), k.admissions, right=True),
                SortItem(format_count(k.faerdigmeldt_admissions), k.faerdigmeldt_admissions, right=True),
                SortItem(format_count(k.bed_days), k.bed_days, right=True),
                cost,
                SortItem(", ".join(str(y) for y in k.rate_years) or "–"),
            )
            cells[0].setToolTip(f"{k.name} (kommunekode {k.code})")
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
    def _title(self, what: str) -> str:
        stats = self._stats
        assert stats is not None
        where = official_kommune_name(stats.kommune_name or "") if stats.kommune_code else "alle kommuner"
        return f"{what} · {day(stats.period_from)} – {day(stats.period_to)} · {where}"

    def _figure_at(self, row: int) -> Figure | None:
        if self._stats is None or not 0 <= row < len(self._stats.figures):
            return None
        return self._stats.figure(cell(self.figures, row, 0).data(ID_ROLE))

    def open_figure(self, row: int, *, denominator: bool = False) -> None:
        f = self._figure_at(row)
        if f is None:
            return
        if denominator:
            self._open_admissions(f.denominator_ids, self._title(f"{f.label} – alle målte ({figure_basis(f)})"))
        else:
            self._open_admissions(f.admission_ids, self._title(f"{f.label}: {figure_value(f)}"))

    def _figure_menu(self, pos: QPoint) -> None:
        row = self.figures.rowAt(pos.y())
        f = self._figure_at(row)
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
        menu.popup(self.figures.viewport().mapToGlobal(pos))
        self.figure_menu = menu

    def open_share(self, index: int) -> None:
        f = self._share_figures[index]
        self._open_admissions(f.admission_ids, self._title(f"{f.label}: {figure_value(f)}"))

    def open_stay_bucket(self, index: int) -> None:
        assert self._stats is not None
        bucket = self._stats.stay_distribution[index]
        self._open_admissions(bucket.admission_ids, self._title(f"Indlæggelsestid {bucket.label}"))

    def open_cost_bar(self, index: int) -> None:
        name, ids = self._cost_groups[index]
        self._open_admissions(ids, self._title(f"Færdigmeldte sengedage – {name}"))

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
            self._open_admissions(k.admission_ids, self._title(f"Indlæggelser – {k.name}"))
        else:
            self._open_admissions(k.faerdigmeldt_ids, self._title(f"Færdigmeldte sengedage – {k.name}"))

    # -- export -------------------------------------------------------------------------------------------------
    def default_file_name(self, kind: str) -> str:
        start, end = self.period()
        return f"koordinator-statistik-{start.isoformat()}-{end.isoformat()}.{self._suffix(kind)}"

    def _suffix(self, kind: str) -> str:
        """The file's extension: an encrypted CSV travels in an AES zip."""
        return "zip" if kind == "csv" and not self._demo else kind

    def export(self, kind: str) -> bool:
        """Eksportér XLSX…/CSV…: ask where, then (unless demo) for a password, then write the figures on screen.

        True when the file is written at once (a demo database); False when cancelled or refused, and while the
        password is being asked for — the file is written when the user accepts it."""
        stats = self.statistics()
        if stats is None:
            return False
        folder = self.export_dir or Path.home()
        suffix = self._suffix(kind)
        if kind == "xlsx":
            caption, pattern = "Eksportér statistik som Excel-projektmappe", "Excel-projektmappe (*.xlsx)"
        elif suffix == "zip":
            caption, pattern = "Eksportér statistik som CSV (krypteret zip)", "CSV i krypteret zip (*.zip)"
        else:
            caption, pattern = "Eksportér statistik som CSV", "CSV til Excel (*.csv)"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, caption, str(folder / self.default_file_name(kind)), pattern
        )
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(f"{path.name}.{suffix}")
        if self._demo:
            return self.export_to(path, kind)
        data = self._figures(stats, kind)  # the role is checked before a password is asked or a file exists
        if data is None:
            return False
        self.password_dialog = ask_export_password(
            self, "Statistikken", lambda password: self._write(path, kind, stats, data, password)
        )
        self.password_dialog.finished.connect(lambda _r: setattr(self, "password_dialog", None))
        return False

    def export_to(self, path: Path, kind: str, *, password: str | None = None) -> bool:
        """Write the figures on screen to ``path`` atomically — encrypted with ``password`` when given (CSV then in
        an AES zip) — and log the export; a failure is explained in Danish."""
        stats = self.statistics()
        if stats is None:
            return False
        data = self._figures(stats, kind)
        if data is None:
            return False
        return self._write(path, kind, stats, data, password)

    def _figures(self, stats: Statistics, kind: str) -> bytes | None:
        try:
            return self._service.export(stats, kind)  # the role is checked before a file exists (issue 8)
        except KoordinatorError as exc:
            show_error(self, exc)
            return None

    def _write(self, path: Path, kind: str, stats: Statistics, data: bytes, password: str | None) -> bool:
        if password is not None:
            from coordinator_app.documents.protect import protect_xlsx, protect_zip

            if kind == "xlsx":
                data = protect_xlsx(data, password)
            else:
                data = protect_zip(path.with_suffix(".csv").name, data, password)
        try:
            write_atomically(path, data)
        except OSError as exc:
            text = export_error_text(path, exc)
            self._say(f"⚠ {text.splitlines()[0]} {text.splitlines()[2]}", ERROR_STYLE)
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Eksport mislykkedes", text, QMessageBox.StandardButton.Ok, self
            )
            box.open()
            self.message_box = box
            return False
        try:
            self._service.record_export(stats, kind)
        except KoordinatorError as exc:  # the file is written; say that the log line could not be
            show_error(self, exc)
        self.export_dir = path.parent
        self.last_export = path
        how = " (krypteret – send adgangskoden ad en anden vej)" if password is not None else ""
        if password is None and self._demo:
            how = " (demo – ikke krypteret)"
        self._say(f"✓ Statistikken er gemt i {path}{how}", OK_STYLE)
        return True
