"""Indstillinger → Kalender og regler: the extra closing days on or off, and each day-counting rule in dage or
hverdage; the page says the change applies at once to every deadline shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.rules import RULES_BY_KEY, RuleSettings, Unit
from coordinator_app.domain.workdays import EXTRA_CLOSING_DAYS, WorkCalendar
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import (
    CalendarSettings,
    load_calendar_settings,
    save_calendar_settings,
    unit_rules,
)
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import (
    INFO_STYLE,
    MUTED,
    text_label,
)
from coordinator_app.ui.settings.settings_page import SettingsPage

UNIT_TEXT = {Unit.CALENDAR_DAYS: "dage (kalenderdage)", Unit.WORKING_DAYS: "arbejdsdage (hverdage)"}
#: Shown under the calendar page: this workstation counts with the new settings at once (the main window applies
#: ``calendar_saved``); others when they start next.
CALENDAR_EFFECT = (
    "Indstillingerne gælder for alle, der bruger databasen. Her regnes fristerne med dem med det samme; på andre "
    "arbejdspladser næste gang Koordinator startes."
)


class CalendarPage(SettingsPage):
    """Extra closing days on or off, and each day-counting rule in dage or hverdage (docs/regler.md)."""

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
            description = plain_label()
            bold = description.font()
            bold.setBold(True)
            rule_id = plain_label(rule.rule_id)
            rule_id.setFont(bold)
            assert rule.unit is not None  # unit_rules() are those counting days
            default = plain_label(f"aftalen: {UNIT_TEXT[rule.unit].split(' ')[0]}")
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
        presets.addWidget(plain_label("Brug:"))
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
