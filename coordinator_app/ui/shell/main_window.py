"""The main window: the tabs I dag, Patienter (list + details), Færdigmeldte and Møder, menus, shortcuts,
remembered layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QItemSelection, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.model import EventKind, Kommune
from coordinator_app.domain.reference import Centre
from coordinator_app.services.context import ServiceContext
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.style import ElidedLabel
from coordinator_app.ui.patients.admission_table import COL_DISCHARGED, COL_NEXT, AdmissionTableModel
from coordinator_app.ui.patients.details import DetailsPanel
from coordinator_app.ui.shell.help_window import install_help_menu
from coordinator_app.ui.today.today_tab import TodayTab

if TYPE_CHECKING:  # built on first use (issue 7: start-up imports only what the first screen needs)
    from coordinator_app.domain.meetings import Meeting
    from coordinator_app.services.admissions import AdmissionService
    from coordinator_app.services.consent import ConsentService
    from coordinator_app.services.deadline_cache import DeadlineCache
    from coordinator_app.services.documents import DocumentService
    from coordinator_app.services.meetings import MeetingService
    from coordinator_app.services.notifications import NotificationService, SendResult
    from coordinator_app.services.overview import OverviewService
    from coordinator_app.services.plans import PlanService
    from coordinator_app.services.scenario import ScenarioService
    from coordinator_app.services.ward_view import AdmissionRow, TodayItem
    from coordinator_app.ui.meetings.meetings_tab import MeetingsTab
    from coordinator_app.ui.patients.admission_dialog import AdmissionDialog
    from coordinator_app.ui.plans.plan_dialogs import PlanActions
    from coordinator_app.ui.shell.idle_lock import IdleLock
    from coordinator_app.ui.statistics.statistics_tab import StatisticsTab
    from coordinator_app.ui.today.faerdigmeldte_tab import FaerdigmeldteTab


@dataclass
class _LazyTab:
    title: str
    build: Callable[[], QWidget]
    refresh: Callable[[], None] | None
    placeholder: QWidget
    widget: QWidget | None = None


@dataclass(frozen=True)
class DatabaseLabel:
    """How the status bar names the database: demo, local or shared."""

    text: str
    warning: bool = False


class MainWindow(QMainWindow):
    # -- services: made on first use (issue 7: start-up). The first screen (``show_first_screen``) is filled
    # before the storage layer is loaded; every service call comes after ``ctx.database`` is set.

    @cached_property
    def admissions(self) -> AdmissionService:
        from coordinator_app.services.admissions import AdmissionService

        return AdmissionService(self._ctx)

    @cached_property
    def notifications(self) -> NotificationService:
        from coordinator_app.services.notifications import NotificationService

        return NotificationService(self._ctx)

    @cached_property
    def plans(self) -> PlanService:
        from coordinator_app.services.plans import PlanService

        return PlanService(self._ctx)

    @cached_property
    def overview(self) -> OverviewService:
        from coordinator_app.services.overview import OverviewService

        return OverviewService(self._ctx)

    @cached_property
    def documents(self) -> DocumentService:
        from coordinator_app.services.documents import DocumentService

        return DocumentService(self._ctx)

    @cached_property
    def scenarios(self) -> ScenarioService:
        from coordinator_app.services.scenario import ScenarioService

        return ScenarioService(self._ctx)

    @cached_property
    def consents(self) -> ConsentService:
        from coordinator_app.services.consent import ConsentService

        return ConsentService(self._ctx)

    @cached_property
    def meetings(self) -> MeetingService:
        from coordinator_app.services.meetings import MeetingService

        return MeetingService(self._ctx)

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        settings: QSettings,
        centres: Sequence[Centre],
        database_label: DatabaseLabel,
        ward_name: str = "",
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self.passphrase: str | None = None  # the encrypted database's adgangskode, in memory only (backup/restore)
        self.restored = False  # the database was restored from a backup: this window's data is stale
        self._settings = settings
        self._centres = list(centres)
        self._kommuner: list[Kommune] | None = None
        self._windows: list[QWidget] = []  # live meeting windows kept alive while open
        self._open_dialog: QDialog | None = None  # the last dialog opened from here, kept alive while open
        self.backup_timer: QTimer | None = None  # the automatic backups, when ui/app.py starts them
        self.setWindowTitle(f"Koordinator — {ward_name}" if ward_name else "Koordinator")
        self.setMinimumSize(900, 560)

        # -- list side --------------------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setPlaceholderText("Søg navn, CPR, kommune, status …  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Søg i patientlisten")
        self.show_discharged = QCheckBox("Vis &udskrevne")
        self.count_label = QLabel()
        self.model = AdmissionTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NEXT, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionsMovable(True)
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Patientliste")
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._default_widths()

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(0)  # filtering costs ~ms; coalesce bursts of keystrokes only
        self._filter_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._filter_timer.start())
        self.show_discharged.toggled.connect(self._discharged_toggled)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_discharged)
        top.addWidget(self.count_label)
        list_side = QWidget()
        ls = QVBoxLayout(list_side)
        ls.setContentsMargins(0, 0, 0, 0)
        ls.addLayout(top)
        ls.addWidget(self.table, 1)

        self.details = DetailsPanel()
        self.details.edit_requested.connect(self.edit_admission)
        self.details.assess_requested.connect(self.assess_scenario)
        self.details.action_requested.connect(self.send_notification)
        self.details.correct_requested.connect(self.correct_event)
        self.details.document_requested.connect(self.document_action)
        self.details.new_meeting_requested.connect(self.new_meeting)
        self.details.consents_requested.connect(self.edit_consents)
        self.details.meeting_requested.connect(self.meeting_action)
        self._plan_actions: PlanActions | None = None  # Aftale/plan: built when the first admission is shown

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(list_side)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        # -- the tabs: I dag is the start view ("what must I do today?"), Ctrl+1… in the order shown --------
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._tab_actions: list[QAction] = []
        self._tab_refresh: dict[QWidget, Callable[[], None]] = {}
        self._view_menu: QMenu | None = None
        self._view_tabs_end: QAction | None = None
        self.today_tab = TodayTab()
        self.today_tab.open_requested.connect(self.open_admission)
        # No mnemonic: every letter of "I dag" is taken by a button of the details (Dokumenter, Gem …); Ctrl+1.
        self.add_tab(self.today_tab, "I dag", refresh=self.refresh_today)
        self.patients_tab = QWidget()
        pl = QVBoxLayout(self.patients_tab)
        pl.addWidget(self.splitter)
        self.add_tab(self.patients_tab, "&Patienter")
        # The other tabs are built the first time they are shown (or their attribute is read): start-up builds
        # only what the first screen needs (issue 7).
        self._lazy_tabs: dict[str, _LazyTab] = {}
        self.add_lazy_tab("faerdigmeldte_tab", "F&ærdigmeldte", self._build_faerdigmeldte, self.refresh_faerdigmeldte)
        self.act_meetings = self.add_lazy_tab("meetings_tab", "&Møder", self._build_meetings, self.refresh_meetings)
        self.act_meetings.setShortcuts([*self.act_meetings.shortcuts(), QKeySequence("Ctrl+M")])
        # Statistik computes on first show and after a write (mark_stale); no mnemonic clash-free letter: Ctrl+5.
        self.add_lazy_tab("statistics_tab", "Statistik", self._build_statistics)
        self.tabs.setCurrentWidget(self.today_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

        self._build_actions()
        self._build_menus()
        install_help_menu(self, database_kind=database_label.text)  # Hjælp: brugervejledning (F1), Om Koordinator
        self.db_label = QLabel(database_label.text)
        if database_label.warning:
            self.db_label.setStyleSheet("QLabel { color: #8a1010; font-weight: bold; }")
        # Gives way to the database label in a narrow window: that one says what the user must act on.
        self.calendar_label = ElidedLabel(f"Kalender: {ctx.calendar.name}")
        self.statusBar().addWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.calendar_label)
        self._restore_layout()
        self.table.setColumnHidden(COL_DISCHARGED, not self.show_discharged.isChecked())
        self.idle_lock: IdleLock | None = None  # installed by the composition root (ui/app.py)
        self._apply_role()

    # -- actions and menus ------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None, slot: object) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.act_new = action("&Ny indlæggelse…", QKeySequence.StandardKey.New, self.new_admission)
        self.act_edit = action("&Ret indlæggelse…", "Ctrl+E", self.edit_selected)
        self.act_refresh = action("&Opdater", QKeySequence.StandardKey.Refresh, self.refresh)
        self.act_refresh.setShortcuts([QKeySequence("F5")])
        self.act_quit = action("&Afslut", "Ctrl+Q", self.close)
        self.act_find = action("&Søg", QKeySequence.StandardKey.Find, self.focus_search)
        self.act_find.setShortcuts([QKeySequence("Ctrl+F")])
        self.act_discharged = QAction("Vis &udskrevne indlæggelser", self)
        self.act_discharged.setCheckable(True)
        self.act_discharged.setShortcut(QKeySequence("Ctrl+U"))
        self.act_discharged.toggled.connect(self.show_discharged.setChecked)
        self.show_discharged.toggled.connect(self.act_discharged.setChecked)
        self.act_reveal = QAction("Vis fulde &CPR-numre i listen", self)
        self.act_reveal.setCheckable(True)
        self.act_reveal.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.act_reveal.toggled.connect(self.model.set_reveal_cpr)
        self.act_template = action("&Mødeskabelon…", None, self.edit_template)
        self.act_contacts = action("&Kontaktbog…", None, self.edit_contacts)
        self.act_settings = action("&Indstillinger…", "Ctrl+,", self.edit_settings)
        self.act_backups = action("&Sikkerhedskopier…", None, self.edit_backups)
        self.act_lock = action("&Lås", "Ctrl+L", self.lock_screen)
        self.act_users = action("&Brugere…", None, self.edit_users)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&Filer")
        m.addAction(self.act_new)
        m.addSeparator()
        m.addAction(self.act_lock)
        m.addAction(self.act_quit)
        m = bar.addMenu("&Rediger")
        m.addAction(self.act_find)
        m.addAction(self.act_edit)
        m = bar.addMenu("&Vis")
        m.addAction(self.act_refresh)
        m.addSeparator()
        m.addActions(self._tab_actions)
        self._view_tabs_end = m.addSeparator()
        self._view_menu = m
        m.addAction(self.act_discharged)
        m.addAction(self.act_reveal)
        m = bar.addMenu("&Funktioner")
        m.addAction(self.act_template)
        m.addAction(self.act_contacts)
        m.addAction(self.act_backups)
        m.addSeparator()
        m.addAction(self.act_users)
        m.addAction(self.act_settings)

    def add_tab(self, widget: QWidget, title: str, *, refresh: Callable[[], None] | None = None) -> QAction:
        """A top-level tab with its entry in the Vis menu and Ctrl+<position> (Ctrl+1 … Ctrl+9).

        ``refresh`` reloads the tab's data whenever it is shown, and after every write while it is shown."""
        self.tabs.addTab(widget, title)
        position = self.tabs.count()
        act = QAction(title, self)
        if position <= 9:
            act.setShortcut(QKeySequence(f"Ctrl+{position}"))
        act.triggered.connect(lambda: self.tabs.setCurrentWidget(widget))
        self.addAction(act)
        self._tab_actions.append(act)
        if self._view_menu is not None and self._view_tabs_end is not None:  # a tab added after the menus
            self._view_menu.insertAction(self._view_tabs_end, act)
        if refresh is not None:
            self._tab_refresh[widget] = refresh
        return act

    def add_lazy_tab(
        self, name: str, title: str, build: Callable[[], QWidget], refresh: Callable[[], None] | None = None
    ) -> QAction:
        """``add_tab`` for a tab built on first show: an empty page holds its place (and its Ctrl+<position>)
        until the user opens it or code reads ``window.<name>``; then ``build()`` makes the widget, which takes the
        page's place."""
        placeholder = QWidget()
        act = self.add_tab(placeholder, title)
        act.triggered.disconnect()
        act.triggered.connect(lambda: self.tabs.setCurrentWidget(self._lazy_widget(name)))
        self._lazy_tabs[name] = _LazyTab(title, build, refresh, placeholder)
        return act

    def _lazy_widget(self, name: str) -> QWidget:
        """The lazy tab ``name``'s widget, built (and put in its page's place) the first time it is asked for."""
        lazy = self._lazy_tabs[name]
        if lazy.widget is None:
            widget = lazy.widget = lazy.build()
            index = self.tabs.indexOf(lazy.placeholder)
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)  # a swap, not a change of tab: _tab_changed must not see it
            self.tabs.insertTab(index, widget, lazy.title)
            self.tabs.removeTab(index + 1)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            lazy.placeholder.deleteLater()
            if lazy.refresh is not None:
                self._tab_refresh[widget] = lazy.refresh
        return lazy.widget

    def _built(self, name: str) -> QWidget | None:
        """The lazy tab's widget if it has been built, else None (nothing to refresh)."""
        return self._lazy_tabs[name].widget

    @property
    def faerdigmeldte_tab(self) -> FaerdigmeldteTab:
        return cast("FaerdigmeldteTab", self._lazy_widget("faerdigmeldte_tab"))

    @property
    def meetings_tab(self) -> MeetingsTab:
        return cast("MeetingsTab", self._lazy_widget("meetings_tab"))

    @property
    def statistics_tab(self) -> StatisticsTab:
        return cast("StatisticsTab", self._lazy_widget("statistics_tab"))

    def _build_faerdigmeldte(self) -> QWidget:
        from coordinator_app.ui.today.faerdigmeldte_tab import FaerdigmeldteTab

        tab = FaerdigmeldteTab()
        tab.open_requested.connect(self.open_admission)
        return tab

    def _build_meetings(self) -> QWidget:
        from coordinator_app.ui.meetings.meetings_tab import MeetingsTab

        tab = MeetingsTab()
        tab.live_requested.connect(lambda mid: self.meeting_action(mid, "live"))
        tab.ics_requested.connect(lambda mid: self.meeting_action(mid, "ics"))
        tab.referat_requested.connect(lambda mid: self.meeting_action(mid, "referat"))
        tab.template_requested.connect(self.edit_template)
        tab.patient_requested.connect(self.show_patient_of_meeting)
        tab.ambulant_requested.connect(self.new_ambulant_meeting)
        return tab

    def _build_statistics(self) -> QWidget:
        from coordinator_app.services.exports import ExportService
        from coordinator_app.services.statistics import StatisticsService
        from coordinator_app.ui.statistics.statistics_tab import StatisticsTab

        return StatisticsTab(
            StatisticsService(self._ctx),
            self.open_admission_list,
            today=self._ctx.clock.today,
            exports=ExportService(self._ctx),  # encrypted, except a demo's (issue 8); role-checked and logged
        )

    @property
    def plan_actions(self) -> PlanActions:
        """Aftale/plan (E1–E3) in the details: every write refreshes the list too — its next deadline may be E1/E2
        now. Built when first needed (the plan editor and PDF preview are not needed to show the list)."""
        if self._plan_actions is None:
            from coordinator_app.ui.plans.plan_dialogs import PlanActions

            actions = self._plan_actions = PlanActions(
                self,
                self.plans,
                today=self._ctx.clock.today,
                fetch_pdf=self.documents.content,
                last_change=self.admissions.last_change,  # the conflict dialog names who saved first and when
            )
            actions.connect_tab(self.details.plan_tab)
            actions.changed.connect(lambda admission_id: self._after_change(admission_id, True))
            actions.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        return self._plan_actions

    # -- data ---------------------------------------------------------------------------------------------
    def show_first_screen(self, rows: Sequence[AdmissionRow], items: Sequence[TodayItem], today: date) -> None:
        """The list and I dag as ``services.first_screen`` read them before the services were loaded (issue 7);
        the composition root's first ``refresh`` replaces them a moment later."""
        self.model.set_rows(rows)
        self._update_count()
        self.details.show_details(None)
        self.today_tab.set_items(items, today)

    def use_deadline_cache(self, cache: DeadlineCache) -> None:
        """Start the list's service with the derivations the first screen made (before its first use)."""
        from coordinator_app.services.admissions import AdmissionService

        assert "admissions" not in self.__dict__, "the admission service is already in use"
        self.__dict__["admissions"] = AdmissionService(self._ctx, cache=cache)

    def refresh(self) -> None:
        """Reload the list (keeping the selected admission selected) and the overview tab being looked at."""
        selected = self.selected_admission_id()
        try:
            rows = self.admissions.list_rows(include_discharged=self.show_discharged.isChecked())
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self.model.set_rows(rows)
        self._update_count()
        if selected is not None:
            self.select_admission(selected)
        else:
            self.details.show_details(None)
        shown = self._tab_refresh.get(self.tabs.currentWidget())
        if shown is not None:
            shown()
        statistics = self._built("statistics_tab")
        if statistics is not None:
            cast("StatisticsTab", statistics).mark_stale()

    def refresh_today(self) -> None:
        today = self._ctx.clock.today()
        try:
            items = self.overview.today_items(today)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self.today_tab.set_items(items, today)

    def refresh_faerdigmeldte(self) -> None:
        if self._built("faerdigmeldte_tab") is None:
            return  # built and filled when first shown
        try:
            overview = self.overview.faerdigmeldte(self._ctx.clock.today())
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self.faerdigmeldte_tab.set_overview(overview)

    def open_admission(self, admission_id: int) -> None:
        """Show the admission in the Patienter tab: selected in the list, details beside it."""
        self.tabs.setCurrentWidget(self.patients_tab)
        if not self.select_admission(admission_id):
            self.search.clear()
            self._apply_filter()
            if not self.select_admission(admission_id):
                self.refresh()  # admitted on another workstation since the list was loaded
                if not self.select_admission(admission_id) and not self.show_discharged.isChecked():
                    self.show_discharged.setChecked(True)  # a discharged one (from Statistik): show them
                    self.refresh()
                    self.select_admission(admission_id)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_admission_list(self, ids: Sequence[int], title: str) -> None:
        """Statistik's click-through: the admissions behind a figure, each one a double-click from its record."""
        from coordinator_app.ui.statistics.admission_list import open_admission_list

        try:
            dialog = open_admission_list(self, self.admissions, ids, title)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        dialog.admission_activated.connect(self.open_admission)
        self._admission_list = dialog

    def edit_backups(self) -> None:
        """Funktioner → Sikkerhedskopier…: take, check and restore backups (issue 8)."""
        from coordinator_app.ui.settings.backup_dialog import open_backup_dialog

        dialog = open_backup_dialog(self, self._ctx.database, passphrase=self.passphrase, on_restored=self._restored)
        if self.backup_timer is not None:
            dialog.restore_started.connect(self.backup_timer.stop)  # no automatic backup of a file being replaced
        self._open_dialog = dialog

    def _restored(self, _path: Path) -> None:
        """The database file was replaced: this window's data is stale. Close; the user starts again."""
        self.restored = True
        QMessageBox.information(
            self,
            "Koordinator",
            "Databasen er gendannet fra sikkerhedskopien. Koordinator lukker nu – start programmet igen for at "
            "arbejde videre i den gendannede database.",
        )
        self.close()

    # -- users and the lock (issue 8) -----------------------------------------------------------------------
    def _apply_role(self) -> None:
        """A courtesy: grey out what the role may not do (the services refuse it anyway, in Danish)."""
        may = self._ctx.may
        self.act_new.setEnabled(may(Permission.EDIT_ADMISSION))
        self.act_template.setEnabled(may(Permission.MANAGE_MEETING))
        for act in (self.act_settings, self.act_backups):
            act.setEnabled(may(Permission.MANAGE_SETTINGS))
        self.act_users.setEnabled(may(Permission.MANAGE_USERS))

    def lock_screen(self) -> None:
        """Filer → Lås (Ctrl+L): hide patient data now; the password opens it again."""
        if self.idle_lock is not None:
            self.idle_lock.lock()

    def edit_users(self) -> None:
        from coordinator_app.services.users import UserService
        from coordinator_app.ui.settings.users_dialog import UsersDialog

        try:
            dialog = UsersDialog(self._ctx, UserService(self._ctx), self)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        dialog.open()
        self._open_dialog = dialog

    def edit_settings(self) -> None:
        from coordinator_app.ui.settings.settings_dialog import open_settings_dialog

        self._open_dialog = open_settings_dialog(self, self._ctx, on_saved=self._settings_saved)

    def _settings_saved(self, what: str) -> None:
        """A settings page was saved. Kalender og regler already sits on the context (``save_calendar_settings``):
        the refresh recomputes every deadline shown with it."""
        if what == "calendar":
            self.calendar_label.setText(f"Kalender: {self._ctx.calendar.name}")
        self.refresh()

    def _apply_filter(self) -> None:
        selected = self.selected_admission_id()
        self.model.set_filter(self.search.text())
        self._update_count()
        if selected is not None and not self.select_admission(selected):
            self.details.show_details(None)

    def _discharged_toggled(self, on: bool) -> None:
        self.table.setColumnHidden(COL_DISCHARGED, not on)
        self.refresh()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count
        self.count_label.setText(f"{shown} af {total}" if shown != total else f"{total} indlæggelser")

    def selected_admission_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).admission_id if rows else None

    def select_admission(self, admission_id: int) -> bool:
        row = self.model.row_of_admission(admission_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        admission_id = self.selected_admission_id()
        if admission_id is None:
            self.details.show_details(None)
            return
        self.show_admission(admission_id)

    def show_admission(self, admission_id: int) -> None:
        self.plan_actions  # noqa: B018 -- the plan tab's buttons act from the first admission shown
        try:
            details = self.admissions.details(admission_id)
            actions = self.notifications.actions(admission_id)
            documents = self.documents.documents(admission_id)
            meetings = self.meetings.for_admission(admission_id)
            tasks = self.meetings.tasks_for_admission(admission_id)
            plan = self.plans.panel(admission_id)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self.details.show_details(
            details,
            calendar_name=self._ctx.calendar.name,
            actions=actions,
            documents=documents,
            meetings=meetings,
            tasks=tasks,
            today=self._ctx.clock.today(),
            plan=plan,
        )

    # -- dialogs ------------------------------------------------------------------------------------------
    def _kommune_list(self) -> list[Kommune]:
        if self._kommuner is None:
            self._kommuner = self.admissions.kommuner()
        return self._kommuner

    def new_admission(self) -> None:
        from coordinator_app.ui.patients.admission_dialog import AdmissionDialog

        dialog = AdmissionDialog(
            self.admissions,
            kommuner=self._kommune_list(),
            centres=self._centres,
            today=self._ctx.clock.today(),
            parent=self,
        )
        self._run_dialog(dialog)

    def edit_selected(self) -> None:
        admission_id = self.selected_admission_id()
        if admission_id is not None:
            self.edit_admission(admission_id)

    def edit_admission(self, admission_id: int) -> None:
        try:
            details = self.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        from coordinator_app.ui.patients.admission_dialog import AdmissionDialog

        dialog = AdmissionDialog(
            self.admissions,
            kommuner=self._kommune_list(),
            centres=self._centres,
            today=self._ctx.clock.today(),
            existing=details,
            parent=self,
        )
        self._run_dialog(dialog)

    def _run_dialog(self, dialog: AdmissionDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._dialog_done(dialog))
        dialog.open()
        self._open_dialog = dialog

    def _dialog_done(self, dialog: AdmissionDialog) -> None:
        changes = dialog.changes
        self._open_dialog = None
        if changes is None:
            return
        self.refresh()
        if changes.admission_id is not None:
            self.select_admission(changes.admission_id)
            if self.model.row_of_admission(changes.admission_id) is None:
                # The new row is hidden by the search text: clear it so the user sees what was saved.
                self.search.clear()
                self._apply_filter()
                self.select_admission(changes.admission_id)

    # -- scenario, notifications, corrections, documents ------------------------------------------------
    def assess_scenario(self, admission_id: int) -> None:
        from coordinator_app.ui.patients.scenario_wizard import open_scenario_wizard

        try:
            details = self.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        wizard = open_scenario_wizard(self, self.scenarios, details, self._ctx.clock.today())
        wizard.finished.connect(lambda _r: self._after_change(admission_id, wizard.changes is not None))
        wizard.finished.connect(wizard.deleteLater)
        self._open_dialog = wizard

    def send_notification(self, admission_id: int, kind_value: str) -> None:
        kind = EventKind(kind_value)
        try:
            details = self.admissions.details(admission_id)
            consents = self.consents.for_patient(details.patient.id or 0)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        from coordinator_app.ui.patients.notification_dialog import NotificationDialog

        dialog = NotificationDialog(
            self.notifications, details, kind, consents=consents, now=self._ctx.clock.now(), parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._notification_done(admission_id, dialog.result_value))
        dialog.open()
        self._open_dialog = dialog

    def _notification_done(self, admission_id: int, result: SendResult | None) -> None:
        self._open_dialog = None
        if result is None:
            return
        message = "Registreret."
        if result.document_id is not None:
            message = "Sendt og registreret – blanketten er gemt under Dokumenter."
        self.statusBar().showMessage(message, 8000)
        self._after_change(admission_id, True)

    def _after_change(self, admission_id: int, changed: bool) -> None:
        self._open_dialog = None
        if changed:
            self.refresh()
            self.select_admission(admission_id)
            if self.selected_admission_id() == admission_id or self.model.row_of_admission(admission_id) is None:
                self.show_admission(admission_id)

    def correct_event(self, event_id: int) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Korrigér hændelse",
            "Hvorfor var registreringen forkert? Hændelsen bliver stående i historikken med en korrektion.",
        )
        if not ok:
            return
        admission_id = self.selected_admission_id()
        try:
            self.notifications.correct(event_id, reason)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage("Korrektionen er registreret.", 8000)
        if admission_id is not None:
            self._after_change(admission_id, True)

    def document_action(self, document_id: int, what: str) -> None:
        from coordinator_app.ui.common import printing

        if what == "reissue":
            self.reissue_document(document_id)
            return
        name = f"koordinator-dokument-{document_id}.pdf"
        if what == "save":  # an export (services.exports): encrypted, except a demo's fictitious documents; logged
            from coordinator_app.services.exports import ExportService

            printing.save_document_as(
                self,
                ExportService(self._ctx),
                document_id,
                name,
                saved=lambda path: self.statusBar().showMessage(f"Gemt: {path}", 8000),
            )
            return
        # The audit log (issue 8) says what was done with the document: printed, saved as a file, or looked at.
        use = AuditAction.UDSKRIV if what == "print" else AuditAction.VIS
        try:
            content = self.documents.content(document_id, use=use)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        if what == "print":
            dialog = printing.print_preview(self, content, name)
            dialog.open()
            self._open_dialog = dialog
        else:
            try:
                printing.open_externally(content, name)
            except OSError as exc:
                QMessageBox.warning(self, "Koordinator", printing.save_error_message(Path(name), exc))

    # -- netværksmøder --------------------------------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        for name, lazy in self._lazy_tabs.items():
            if lazy.widget is None and self.tabs.widget(index) is lazy.placeholder:
                self._lazy_widget(name)  # clicked for the first time: build it in the page's place
        page = self.tabs.widget(index)
        refresh = self._tab_refresh.get(page) if page is not None else None
        if refresh is not None:
            refresh()

    def refresh_meetings(self) -> None:
        tab = self._built("meetings_tab")
        if tab is None:
            return  # built and filled when first shown
        try:
            meetings = self.meetings.upcoming(self._ctx.clock.today())
            # By the meeting's patient: an ambulant patient has no row in the admission list.
            names = self.admissions.patient_names([m.patient_id for m in meetings])
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        cast("MeetingsTab", tab).set_meetings(meetings, names=names, deadline=self.meetings.deadline)

    def new_meeting(self, admission_id: int) -> None:
        from coordinator_app.ui.meetings.meeting_schedule_dialog import open_schedule_dialog

        try:
            details = self.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        dialog = open_schedule_dialog(
            self,
            self.meetings,
            patient_id=details.patient.id or 0,
            admission_id=admission_id,
            today=self._ctx.clock.today(),
            now=self._ctx.clock.now(),
            calendar=self._ctx.calendar,
            rules=self._ctx.rules,
        )
        dialog.finished.connect(lambda _r: self._after_change(admission_id, dialog.meeting is not None))
        self._open_dialog = dialog

    def new_ambulant_meeting(self) -> None:
        """A netværksmøde for a patient in ambulant treatment (no admission): who, then the schedule dialog
        with the C4 occasion preselected (same 5-arbejdsdage rule during ambulant treatment)."""
        from coordinator_app.ui.patients.ambulant_patient_dialog import open_ambulant_patient_dialog

        who = open_ambulant_patient_dialog(self, self.admissions)

        def chosen() -> None:
            if who.patient is not None and who.patient.id is not None:
                self._schedule_ambulant(who.patient.id)

        who.accepted.connect(chosen)
        self._open_dialog = who

    def _schedule_ambulant(self, patient_id: int) -> None:
        from coordinator_app.domain.meetings import Occasion
        from coordinator_app.ui.meetings.meeting_schedule_dialog import open_schedule_dialog

        dialog = open_schedule_dialog(
            self,
            self.meetings,
            patient_id=patient_id,
            admission_id=None,
            today=self._ctx.clock.today(),
            now=self._ctx.clock.now(),
            calendar=self._ctx.calendar,
            rules=self._ctx.rules,
            occasion=Occasion.PATIENT_ELLER_PAAROERENDE,
        )

        def done(_result: int) -> None:
            if dialog.meeting is not None:
                self.refresh_meetings()

        dialog.finished.connect(done)
        self._open_dialog = dialog

    def meeting_action(self, meeting_id: int, what: str) -> None:
        from coordinator_app.ui.common import printing

        try:
            meeting = self.meetings.get(meeting_id)
            if what == "ics":
                content = self.meetings.ics(meeting_id)
                name, _f = QFileDialog.getSaveFileName(
                    self, "Gem invitation", f"{meeting.reference}.ics", "Kalenderinvitation (*.ics)"
                )
                if name:
                    printing.write_pdf(Path(name), content)  # same atomic write; the bytes are an .ics
                    self.statusBar().showMessage(f"Invitation gemt: {name} (uden patientoplysninger)", 8000)
                return
            if what == "referat":
                from coordinator_app.ui.meetings.referat_dialog import ReferatDialog

                dialog = ReferatDialog(self.meetings, meeting_id, self)
                admission_id = meeting.admission_id
                dialog.issued.connect(
                    lambda document: self.statusBar().showMessage(f"Referatet er arkiveret: {document.title}", 8000)
                )

                def referat_done(_result: int) -> None:
                    if admission_id is not None:
                        self._after_change(admission_id, dialog.document is not None)

                dialog.finished.connect(referat_done)
                dialog.open()
                self._open_dialog = dialog
                return
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        except OSError as exc:
            QMessageBox.warning(self, "Koordinator", printing.save_error_message(Path(meeting.reference), exc))
            return
        self.open_live(meeting)

    def open_live(self, meeting: Meeting) -> None:
        from coordinator_app.ui.meetings.live_meeting import open_live_meeting

        try:  # by the meeting's patient: an ambulant meeting has no admission
            label = self.admissions.patient_names([meeting.patient_id]).get(meeting.patient_id, "")
        except KoordinatorError:
            label = ""
        assert meeting.id is not None
        try:  # starting a planned meeting needs a role that may hold it (issue 8)
            window = open_live_meeting(
                self,
                self.meetings,
                meeting.id,
                today=self._ctx.clock.today(),
                calendar=self._ctx.calendar,
                patient_label=label,
                may_run=self._ctx.may(Permission.RUN_MEETING),  # read-only for a role that may not hold it
            )
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self._windows.append(window)
        admission_id = meeting.admission_id

        def closed(*_args: object) -> None:
            if admission_id is not None:
                self._after_change(admission_id, True)
            self.refresh_meetings()

        window.meeting_closed.connect(closed)
        window.destroyed.connect(lambda *_a: self._windows.remove(window) if window in self._windows else None)

    def edit_consents(self, admission_id: int) -> None:
        from coordinator_app.ui.patients.consent_dialog import ConsentDialog

        try:
            details = self.admissions.details(admission_id)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        dialog = ConsentDialog(
            self.consents,
            patient_id=details.patient.id or 0,
            admission_id=admission_id,
            patient_name=details.patient.name,
            today=self._ctx.clock.today(),
            parent=self,
        )
        dialog.open()
        self._open_dialog = dialog

    def edit_contacts(self) -> None:
        from coordinator_app.services.contacts import ContactService
        from coordinator_app.ui.contacts.contacts_dialog import open_contacts_dialog

        self._open_dialog = open_contacts_dialog(self, ContactService(self._ctx))

    def edit_template(self) -> None:
        from coordinator_app.ui.meetings.meeting_template_editor import open_template_editor

        self._open_dialog = open_template_editor(self, self.meetings)

    def show_patient_of_meeting(self, admission_id: int) -> None:
        self.open_admission(admission_id)

    def reissue_document(self, document_id: int) -> None:
        """Issue the form again from today's data: a new archived document; the old one is kept (issue 4)."""
        admission_id = self.selected_admission_id()
        try:
            self.documents.reissue(document_id)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage("Dokumentet er udstedt igen som et nyt dokument.", 8000)
        if admission_id is not None:
            self.show_admission(admission_id)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.patients_tab)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- layout memory --------------------------------------------------------------------------------------
    def _default_widths(self) -> None:
        for col, width in enumerate((165, 92, 330, 90, 62, 115, 82, 70, 82)):
            self.table.setColumnWidth(col, width)

    def _restore_layout(self) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # first start: 1440 × 860, but never larger than the screen (a 1366 × 768 laptop)
            screen = self.screen().availableGeometry()
            width, height = min(1440, screen.width()), min(860, screen.height())
            self.resize(width, height)
            self.splitter.setSizes([width * 6 // 10, width * 4 // 10])
        for key, target in (("main/splitter", self.splitter), ("main/header", self.table.horizontalHeader())):
            state = self._settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                target.restoreState(state)

    def save_layout(self) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/splitter", self.splitter.saveState())
        self._settings.setValue("main/header", self.table.horizontalHeader().saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
