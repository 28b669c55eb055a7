"""The Statistik tab (issue 7, measure H): the agreement's numbers for a period and kommune, as charts a manager
can put on a slide, exported to XLSX/CSV with the same numbers, and every figure traced to its admissions.

* **Period** Fra/Til with presets (Sidste 12 måneder, Sidste år, Dette år, Sidste kvartal) and a **kommune**
  filter; changes recompute after a short pause (a year at 10,000 admissions takes ~0.4 s: busy cursor).
* **Nøgletal** and **Kommuner og betaling**: the two pages (``statistics_pages``), filled from the same figures.
* **Click-through**: double-click (or Enter on) a figure row, a bar or a kommune row →
  ``open_admissions(ids, title)``; the main window shows them in ``AdmissionListDialog``.
* **Export** (``export_actions``): exactly the ``Statistics`` on screen, through ``services.exports`` — encrypted
  with a password the user types twice, except from a demo database; written all or nothing, and logged.

Split by what the parts hold: this module the tab (period, kommune, computing, what is shown where), the pages'
widgets in ``statistics_pages``, the export in ``export_actions``, texts and bars in ``statistics_view``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.reference import official_kommune_name
from coordinator_app.domain.statistics import Statistics
from coordinator_app.services.exports import ExportService
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, WARNING_STYLE, buddy_label, text_label
from coordinator_app.ui.common.widgets import DateField
from coordinator_app.ui.statistics.admission_list import AdmissionListDialog, open_admission_list
from coordinator_app.ui.statistics.export_actions import StatisticsExport
from coordinator_app.ui.statistics.statistics_pages import FiguresPage, KommunePage
from coordinator_app.ui.statistics.statistics_view import CUSTOM, PRESETS, day, preset_period

#: The click-through dialog lives in ``admission_list``; importable from here too.
__all__ = ["AdmissionListDialog", "StatisticsTab", "open_admission_list"]

OpenAdmissions = Callable[[Sequence[int], str], None]

RECOMPUTE_DELAY_MS = 350


class StatisticsTab(QWidget):
    """Statistik: period and kommune, Nøgletal and Kommuner pages, click-through, export (module docstring).

    ``exports``: the export service (the role, encryption unless demo, the audit line)."""

    computed = Signal()

    def __init__(
        self,
        service: StatisticsService,
        open_admissions: OpenAdmissions,
        *,
        today: Callable[[], date],
        exports: ExportService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._open_admissions = open_admissions
        self._today = today
        self._stats: Statistics | None = None
        self._stale = True
        self._kommuner_loaded = False
        self.exporter = StatisticsExport(self, exports, statistics=self.statistics, period=self.period, say=self._say)
        self._may_export = exports.may(Permission.EXPORT_STATISTICS)  # a courtesy: the export service refuses anyway

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.recompute)

        layout = QVBoxLayout(self)
        layout.addLayout(self._controls())
        self.heading = plain_label()
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
        self.figures_page = FiguresPage(self._open)
        self.kommune_page = KommunePage(self._open)
        # The pages' widgets, where the tab's callers (and tests) reach them.
        page = self.figures_page
        self.figures, self.definition, self.figure_rate = page.figures, page.definition, page.figure_rate
        self.share_chart, self.stay_chart = page.share_chart, page.stay_chart
        kommuner = self.kommune_page
        self.cost_chart, self.kommune_table = kommuner.cost_chart, kommuner.kommune_table
        self.total, self.kommune_rate = kommuner.total, kommuner.kommune_rate
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.figures_page, "&Nøgletal")
        self.pages.addTab(self.kommune_page, "&Kommuner og betaling")
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
        if not self._may_export:
            for button in (self.xlsx_button, self.csv_button):
                button.setEnabled(False)
                button.setToolTip("Din rolle må ikke eksportere statistik.")

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
        self.figures_page.show_statistics(stats)
        self.kommune_page.show_statistics(stats)
        note = stats.rate_note or "Ingen sengedagstakst angivet."
        style = WARNING_STYLE if "Indstillinger" in note else MUTED
        for label in (self.figure_rate, self.kommune_rate):
            label.setText(note)
            label.setStyleSheet(style)
        self.computed.emit()

    # -- click-through ------------------------------------------------------------------------------------------
    def _title(self, what: str) -> str:
        stats = self._stats
        assert stats is not None
        where = official_kommune_name(stats.kommune_name or "") if stats.kommune_code else "alle kommuner"
        return f"{what} · {day(stats.period_from)} – {day(stats.period_to)} · {where}"

    def _open(self, ids: Sequence[int], what: str) -> None:
        self._open_admissions(ids, self._title(what))

    def open_figure(self, row: int, *, denominator: bool = False) -> None:
        """The admissions behind the figure in ``row`` (``denominator``: all measured, for a share)."""
        self.figures_page.open_figure(row, denominator=denominator)

    # -- export ---------------------------------------------------------------------------------------------------
    def export(self, kind: str) -> bool:
        """Eksportér XLSX…/CSV… (``export_actions.StatisticsExport.export``)."""
        return self.exporter.export(kind)

    def export_to(self, path: Path, kind: str, *, password: str | None = None) -> bool:
        """Write the figures on screen to ``path`` (``export_actions.StatisticsExport.export_to``)."""
        return self.exporter.export_to(path, kind, password=password)

    def default_file_name(self, kind: str) -> str:
        return self.exporter.default_file_name(kind)

    @property
    def export_dir(self) -> Path | None:
        return self.exporter.export_dir

    @property
    def last_export(self) -> Path | None:
        return self.exporter.last_export

    @property
    def message_box(self) -> QMessageBox | None:
        return self.exporter.message_box
