"""Indstillinger → Sengedagstakst: the kommune's payment per færdigmeldt bed day (sundhedsloven § 238), by year
and from which færdigmeldt day, with its source."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.bed_days import RateBand
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import (
    format_kroner,
    load_rate_setting,
    rates_from_rows,
    save_rates,
)
from coordinator_app.ui.common.style import (
    INFO_STYLE,
    MUTED,
    WARNING_STYLE,
    buddy_label,
    text_label,
)
from coordinator_app.ui.settings.settings_page import SettingsPage

RATE_COLUMNS = ("År", "Fra færdigmeldt dag nr.", "Beløb pr. sengedag (kr.)")


class RatesPage(SettingsPage):
    """The bed-day rate per year (B5, sundhedsloven § 238), with bands from a færdigmeldt day number."""

    key = "rates"
    title = "Sengedagstakst"

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.save_button.setText("&Gem takster")
        intro = text_label(
            "Kommunen betaler regionen pr. sengedag, fra patienten er færdigmeldt (sundhedsloven § 238, B5). "
            "Angiv årets takst, så Statistik og Færdigmeldte regner med den rigtige sats. Et år uden takst bruger "
            "det seneste tidligere års. En takst kan skifte fra en bestemt færdigmeldt dag (fx fra dag 3)."
        )
        self.current = text_label()
        self.table = QTableWidget(0, len(RATE_COLUMNS))
        self.table.setHorizontalHeaderLabels(RATE_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.table.itemChanged.connect(lambda _item: self.changed())
        self.add_button = QPushButton("&Tilføj år")
        self.add_button.clicked.connect(self.add_year)
        self.remove_button = QPushButton("&Fjern række")
        self.remove_button.clicked.connect(self.remove_row)
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
        self.source = QLineEdit()
        self.source.setPlaceholderText("fx Region Hovedstadens takstblad 2026")
        self.source.textEdited.connect(lambda _t: self.changed())

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        source = QFormLayout()
        source.addRow(buddy_label("K&ilde:", self.source), self.source)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(buttons)
        left.addLayout(source)
        help_text = text_label(
            "Sådan udfyldes tabellen:\n"
            "• Én række pr. år med beløbet pr. færdigmeldt sengedag.\n"
            "• Skifter beløbet fra en bestemt færdigmeldt dag, så tilføj en række for samme år med den dag i "
            "»Fra færdigmeldt dag nr.«.\n"
            "• Skriv beløb som 2.150 eller 2150,50 (kroner og øre).\n"
            "• Skriv kilden, fx regionens takstblad; den står ved hvert beløb i Statistik.",
            MUTED,
        )
        right = QVBoxLayout()
        right.addWidget(self.current)
        right.addWidget(help_text)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addLayout(self.footer())
        self.load()

    def load(self) -> None:
        setting = load_rate_setting(self._ctx)
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        if not setting.is_default:
            for year, bands in sorted(setting.rates.items()):
                for band in bands:
                    self._append(str(year), str(band.from_day), format_kroner(band.amount).removesuffix(" kr."))
        self.table.blockSignals(False)
        self.source.setText("" if setting.is_default else setting.source)
        if setting.is_default:
            self.current.setText(
                "Der er ikke angivet en takst. Indtil da regnes med lovens loft: højst 1.976 kr. pr. sengedag "
                "(2016-niveau, sundhedsloven § 238, stk. 4) – det er ikke årets takst. Tilføj årets takst herunder."
            )
            self.current.setStyleSheet(WARNING_STYLE)
        else:
            self.current.setText(f"I brug: {setting.label}")
            self.current.setStyleSheet(INFO_STYLE)
        self.dirty = False

    def _append(self, year: str, day: str, amount: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((year, day, amount)):
            item = QTableWidgetItem(text)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        return row

    def rows(self) -> list[tuple[str, str, str]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]

    def add_year(self) -> None:
        years = [int(y) for y, _d, _a in self.rows() if y.strip().isdigit()]
        year = max(years) + 1 if years else self._ctx.clock.today().year
        row = self._append(str(year), "1", "")
        self.changed()
        self.table.setCurrentCell(row, 2)
        self.table.setFocus()
        item = self.table.item(row, 2)
        if item is not None:
            self.table.editItem(item)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed()

    def save(self) -> bool:
        try:
            table: dict[int, tuple[RateBand, ...]] = rates_from_rows(self.rows())
            save_rates(self._ctx, table, source=self.source.text().strip())
        except ValidationError as exc:
            field = exc.field or ""
            if field.startswith("rate_row:"):
                row = int(field.split(":")[1])
                self.table.setCurrentCell(row, 2)
            self.refused(exc, self.table)
            return False
        except KoordinatorError as exc:  # no right to change settings, a conflict, the database gone: said in Danish
            self.refused(exc)
            return False
        self.load()
        self.done("Taksterne er gemt. Statistik og Færdigmeldte bruger dem ved næste beregning.")
        return True


# -- Kalender og regler -----------------------------------------------------------------------------------------
