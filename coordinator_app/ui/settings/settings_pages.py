"""The pages of Indstillinger: Sengedagstakst (B5, § 238), Kalender og regler (agreement.md *Working days*) and
Afsnittets profil (F3). Each page saves on its own button, shows a refusal in Danish on the page with the field
or row in focus, and remembers unsaved changes so the dialog can ask before closing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.bed_days import RateBand
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.rules import RULES_BY_KEY, RuleSettings, Unit
from coordinator_app.domain.workdays import EXTRA_CLOSING_DAYS, WorkCalendar
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import (
    CalendarSettings,
    format_kroner,
    load_calendar_settings,
    load_rate_setting,
    rates_from_rows,
    save_calendar_settings,
    save_rates,
    unit_rules,
    update_ward_profile,
)
from coordinator_app.services.ward import load_profile
from coordinator_app.ui.common.style import (
    INFO_STYLE,
    MUTED,
    OK_STYLE,
    WARNING_STYLE,
    buddy_label,
    error_label,
    text_label,
)

__all__ = ["CALENDAR_EFFECT", "CalendarPage", "ProfilePage", "RatesPage", "SettingsPage"]

UNIT_TEXT = {Unit.CALENDAR_DAYS: "dage (kalenderdage)", Unit.WORKING_DAYS: "arbejdsdage (hverdage)"}
#: Shown under the calendar page: this workstation counts with the new settings at once (the main window applies
#: ``calendar_saved``); others when they start next.
CALENDAR_EFFECT = (
    "Indstillingerne gælder for alle, der bruger databasen. Her regnes fristerne med dem med det samme; på andre "
    "arbejdspladser næste gang Koordinator startes."
)


class SettingsPage(QWidget):
    """A page with its own Gem button, an ok/error line and an unsaved-changes flag."""

    saved = Signal(str)
    key = ""
    title = ""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.dirty = False
        self.error = error_label()
        self.ok = text_label(style=OK_STYLE)
        self.ok.hide()
        self.save_button = QPushButton("&Gem")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)

    def footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.ok, 1)
        row.addStretch(0)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        return row

    def changed(self) -> None:
        self.dirty = True
        self.ok.hide()

    def refused(self, exc: KoordinatorError, focus: QWidget | None = None) -> None:
        self.error.setText("⚠ " + exc.message)
        self.error.show()
        self.ok.hide()
        if focus is not None:
            focus.setFocus()

    def done(self, text: str) -> None:
        self.error.hide()
        self.ok.setText("✓ " + text)
        self.ok.show()
        self.dirty = False
        self.saved.emit(self.key)

    def save(self) -> bool:
        raise NotImplementedError


# -- Sengedagstakst ---------------------------------------------------------------------------------------------

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


class CalendarPage(SettingsPage):
    """Extra closing days on or off, and each day-counting rule in dage or hverdage (agreement.md)."""

    key = "calendar"
    title = "Kalender og regler"
    calendar_saved = Signal(object, object)  # WorkCalendar, RuleSettings

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.save_button.setText("&Gem kalender og regler")
        days = ", ".join(f"{name.lower()} ({d}.{m}.)" for (m, d), name in EXTRA_CLOSING_DAYS.items())
        self.extra = QCheckBox(f"L&ukkedage ud over helligdagene: {days}")
        self.extra.toggled.connect(lambda _on: self._refresh())
        closing = QGroupBox("Arbejdsdage og hverdage")
        box = QVBoxLayout(closing)
        box.addWidget(
            text_label(
                "Arbejdsdage er mandag–fredag uden danske helligdage. Mange offentlige arbejdspladser holder også "
                "lukket grundlovsdag, juleaften og nytårsaften. 1. maj er ikke en lukkedag."
            )
        )
        box.addWidget(self.extra)
        self.calendar_name = text_label(style=MUTED)
        box.addWidget(self.calendar_name)

        units = QGroupBox("Fristernes enhed")
        grid = QGridLayout(units)
        grid.addWidget(
            text_label(
                "Voksenaftalen (2022) tæller varslingens »8 dage« i kalenderdage; børne- og ungdomspsykiatriens "
                "aftale siger »8 hverdage«. Vælg enheden for hver frist, der tæller dage."
            ),
            0,
            0,
            1,
            4,
        )
        self.unit_boxes: dict[str, QComboBox] = {}
        self.unit_texts: dict[str, QLabel] = {}
        for row, key in enumerate(unit_rules(), start=1):
            rule = RULES_BY_KEY[key]
            combo = QComboBox()
            for unit in (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS):
                combo.addItem(UNIT_TEXT[unit], unit)
            combo.currentIndexChanged.connect(lambda _i: self._refresh())
            combo.setAccessibleName(f"Enhed for {rule.rule_id}")
            description = QLabel()
            bold = description.font()
            bold.setBold(True)
            rule_id = QLabel(rule.rule_id)
            rule_id.setFont(bold)
            assert rule.unit is not None  # unit_rules() are those counting days
            default = QLabel(f"aftalen: {UNIT_TEXT[rule.unit].split(' ')[0]}")
            default.setStyleSheet(MUTED)
            grid.addWidget(rule_id, row, 0)
            grid.addWidget(description, row, 1)
            grid.addWidget(combo, row, 2)
            grid.addWidget(default, row, 3)
            self.unit_boxes[key] = combo
            self.unit_texts[key] = description
        grid.setColumnStretch(1, 1)
        self.adult_button = QPushButton("&Voksenaftalen (standard)")
        self.adult_button.clicked.connect(lambda: self.show_settings(CalendarSettings(self.extra.isChecked())))
        self.child_button = QPushButton("&Børne- og ungdomspsykiatrien")
        self.child_button.setToolTip("Varsling 8 hverdage før færdigbehandlet (B5)")
        self.child_button.clicked.connect(
            lambda: self.show_settings(CalendarSettings.child_psychiatry(self.extra.isChecked()))
        )
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Brug:"))
        presets.addWidget(self.adult_button)
        presets.addWidget(self.child_button)
        presets.addStretch(1)
        for b in (self.adult_button, self.child_button):
            b.setAutoDefault(False)
        grid.addLayout(presets, len(self.unit_boxes) + 1, 0, 1, 4)

        self.effect = text_label(CALENDAR_EFFECT, INFO_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(closing)
        layout.addWidget(units)
        layout.addStretch(1)
        layout.addWidget(self.effect)
        layout.addWidget(self.error)
        layout.addLayout(self.footer())
        self._loading = False
        self.show_settings(load_calendar_settings(ctx))
        self.dirty = False

    def show_settings(self, settings: CalendarSettings) -> None:
        self._loading = True
        try:
            self.extra.setChecked(settings.extra_closing_days)
            for key, combo in self.unit_boxes.items():
                combo.setCurrentIndex(combo.findData(settings.unit(key)))
        finally:
            self._loading = False
        self._refresh()

    def settings(self) -> CalendarSettings:
        return CalendarSettings(
            self.extra.isChecked(), {key: Unit(combo.currentData()) for key, combo in self.unit_boxes.items()}
        )

    def _refresh(self) -> None:
        settings = self.settings()
        rules = settings.rules()
        for key, label in self.unit_texts.items():
            label.setText(rules.rule(key).description)
        self.calendar_name.setText(f"Kalender i brug for fristerne: {settings.calendar().name}")
        if not self._loading:
            self.changed()

    def save(self) -> bool:
        try:
            stored = save_calendar_settings(self._ctx, self.settings())
        except ValidationError as exc:
            self.refused(exc)
            return False
        except KoordinatorError as exc:
            self.refused(exc)
            return False
        self.show_settings(stored)
        self.done("Kalender og regler er gemt.")
        calendar: WorkCalendar = stored.calendar()
        rules: RuleSettings = stored.rules()
        self.calendar_saved.emit(calendar, rules)
        return True


# -- Afsnittets profil --------------------------------------------------------------------------------------------


class ProfilePage(SettingsPage):
    """The ward's sender on every document: phone, secure mailbox (F3), the coordinator's title."""

    key = "profile"
    title = "Afsnittets profil"

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.save_button.setText("&Gem profil")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("fx 38 64 00 00")
        self.secure_mail = QLineEdit()
        self.secure_mail.setPlaceholderText("afsnittets sikre postkasse, fx afsnit7@regionh.dk")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Udskrivningskoordinator")
        for edit in (self.phone, self.secure_mail, self.title_edit):
            edit.textEdited.connect(lambda _t: self.changed())
        self.fields: dict[str, QWidget] = {
            "phone": self.phone,
            "secure_mail": self.secure_mail,
            "coordinator_title": self.title_edit,
        }
        for edit in (self.phone, self.secure_mail, self.title_edit):
            edit.textChanged.connect(lambda _t: self._preview())
            edit.setMaximumWidth(520)
        self.preview = text_label(style=INFO_STYLE)
        self.preview.setAccessibleName("Sådan står afsenderen")
        self.preview.setMaximumWidth(680)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label("&Telefon:", self.phone), self.phone)
        form.addRow(buddy_label("Sikker &postkasse (F3):", self.secure_mail), self.secure_mail)
        form.addRow(buddy_label("Koordinatorens t&itel:", self.title_edit), self.title_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            text_label(
                "Afsenderen på varslingsblanketten, mødeindkaldelser, referater og planer. Den sikre postkasse er "
                "afsnittets systembaserede indgang (F3), som kommunen svarer til."
            )
        )
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addLayout(self.footer())
        self.load()

    def _preview(self) -> None:
        """The sender block as the varslingsblanket prints it (the coordinator's name is the one who sends)."""
        phone = " ".join(self.phone.text().split()) or "Ikke oplyst"
        mail = self.secure_mail.text().strip() or "Ikke oplyst"
        title = " ".join(self.title_edit.text().split()) or "–"
        self.preview.setText(
            "Sådan står afsenderen på varslingsblanketten og de andre dokumenter:\n"
            f"Telefon: {phone}\nSikker mail: {mail}\nUnderskrift: <koordinatorens navn>, {title}"
        )

    def load(self) -> None:
        profile = load_profile(self._ctx)
        self.phone.setText(profile.phone)
        self.secure_mail.setText(profile.secure_mail)
        self.title_edit.setText(profile.coordinator_title)
        self.dirty = False

    def save(self) -> bool:
        try:
            update_ward_profile(
                self._ctx,
                phone=self.phone.text(),
                secure_mail=self.secure_mail.text(),
                coordinator_title=self.title_edit.text(),
            )
        except ValidationError as exc:
            self.refused(exc, self.fields.get(exc.field or ""))
            return False
        except KoordinatorError as exc:
            self.refused(exc)
            return False
        self.load()
        self.done("Afsnittets profil er gemt; nye dokumenter bruger den.")
        return True
