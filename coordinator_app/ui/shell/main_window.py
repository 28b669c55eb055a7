"""The main window composes the tabs — I dag, Patienter, Færdigmeldte, Møder, Statistik — and owns what is common
to them: the tab bar (``tab_book``: the later tabs built on first show), the menus and shortcuts (README:
Tastatur), the status bar, the role's greyed-out actions, the lock, the remembered layout, and the refresh after a
write.

What each tab does lives in its feature package: ``ui.patients`` (``PatientsTab``, ``PatientActions``),
``ui.today`` (``OverviewTabs``), ``ui.meetings`` (``MeetingActions``), ``ui.statistics`` (``StatisticsActions``),
``ui.settings`` (``SettingsActions``) and ``ui.offline`` (``OfflineActions``: «Tag med offline…», «Udlånte sager…»,
«Aflever offline-kopi…», and the «Offline-kopi» banner above the tabs when the database is a laptop file). The
window gets its services from the composition root (``ui.shell.app.build_window``,
``ui.shell.startup.show_first_screen``) and hands each feature what it uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout, QWidget

from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.reference import Centre
from coordinator_app.services.deadline_actions import ActionKind, DeadlineAction
from coordinator_app.services.registry import Services
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import ElidedLabel
from coordinator_app.ui.meetings.meeting_actions import MeetingActions
from coordinator_app.ui.offline.offline_actions import NO_LOANS_HERE, OfflineActions
from coordinator_app.ui.offline.offline_banner import OfflineBanner
from coordinator_app.ui.patients.patient_actions import PatientActions
from coordinator_app.ui.patients.patients_tab import PatientsTab
from coordinator_app.ui.settings.settings_actions import SettingsActions
from coordinator_app.ui.shell.help_menu import install_help_menu
from coordinator_app.ui.shell.tab_book import TabBook
from coordinator_app.ui.statistics.statistics_actions import StatisticsActions
from coordinator_app.ui.today.overview_tabs import OverviewTabs

if TYPE_CHECKING:
    from coordinator_app.services.offline import OfflineCopyInfo
    from coordinator_app.services.ward_view import AdmissionRow, TodayItem
    from coordinator_app.ui.meetings.meetings_tab import MeetingsTab
    from coordinator_app.ui.shell.idle_lock import IdleLock
    from coordinator_app.ui.statistics.statistics_tab import StatisticsTab
    from coordinator_app.ui.today.faerdigmeldte_tab import FaerdigmeldteTab

#: Every status bar message of the features stays this long (ms).
MESSAGE_MS = 8000


@dataclass(frozen=True)
class DatabaseLabel:
    """How the status bar names the database: demo, local or shared."""

    text: str
    warning: bool = False


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services,
        *,
        settings: QSettings,
        centres: Sequence[Centre],
        database_label: DatabaseLabel,
        ward_name: str = "",
    ) -> None:
        """``services``: the session's (the first screen's window gets them before the storage layer is loaded,
        issue 7; every service call comes after ``services.ctx.database`` is set)."""
        super().__init__()
        self.services = services
        self.passphrase: str | None = None  # the encrypted database's adgangskode, in memory only (backup/restore)
        self.restored = False  # the database was restored from a backup: this window's data is stale
        self.backup_timer: QTimer | None = None  # the automatic backups, when ui/app.py starts them
        self.idle_lock: IdleLock | None = None  # installed by the composition root (ui/app.py)
        self._settings = settings
        self.setWindowTitle(f"Koordinator — {ward_name}" if ward_name else "Koordinator")
        self.setMinimumSize(900, 560)

        # -- the features ---------------------------------------------------------------------------------
        self.patients_tab = PatientsTab(services, refresh_all=self.refresh)
        self.patient_actions = PatientActions(self, services, self.patients_tab, centres=centres)
        self.overview_tabs = OverviewTabs(self, services)
        self.today_tab = self.overview_tabs.today_tab
        self.meeting_actions = MeetingActions(self, services)
        self.statistics_actions = StatisticsActions(self, services)
        self.settings_actions = SettingsActions(self, services)
        selected = self.patients_tab.selected_admission_id
        self.offline_actions = OfflineActions(self, services, settings, selected=selected)
        self.offline_banner: OfflineBanner | None = None  # shown when the database is a laptop file
        self._connect_features()

        # -- the tabs: I dag is the start view ("what must I do today?"), Ctrl+1… in the order shown --------
        tabs = self.tabs = TabBook(self)
        # No mnemonic: every letter of "I dag" is taken by a button of the details (Dokumenter, Gem …); Ctrl+1.
        tabs.add_tab(self.today_tab, "I dag", refresh=self.overview_tabs.refresh_today)
        tabs.add_tab(self.patients_tab, "&Patienter")
        # The other tabs are built the first time they are shown (or their attribute is read): start-up builds
        # only what the first screen needs (issue 7).
        overview, meetings = self.overview_tabs, self.meeting_actions
        tabs.add_lazy_tab(
            "faerdigmeldte_tab", "F&ærdigmeldte", overview.build_faerdigmeldte, overview.refresh_faerdigmeldte
        )
        self.act_meetings = tabs.add_lazy_tab("meetings_tab", "&Møder", meetings.build_tab, meetings.refresh_tab)
        self.act_meetings.setShortcuts([*self.act_meetings.shortcuts(), QKeySequence("Ctrl+M")])
        # Statistik computes on first show and after a write (mark_stale); no mnemonic clash-free letter: Ctrl+5.
        tabs.add_lazy_tab("statistics_tab", "Statistik", self.statistics_actions.build_tab)
        tabs.open_on(self.today_tab)
        central = QWidget()
        self._central = QVBoxLayout(central)  # the «Offline-kopi» banner goes above the tabs
        self._central.setContentsMargins(0, 0, 0, 0)
        self._central.setSpacing(0)
        self._central.addWidget(tabs, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        install_help_menu(self, database_kind=database_label.text)  # Hjælp: brugervejledning (F1), Om Koordinator
        self.db_label = plain_label(database_label.text)
        if database_label.warning:
            self.db_label.setStyleSheet("QLabel { color: #8a1010; font-weight: bold; }")
        # Gives way to the database label in a narrow window: that one says what the user must act on.
        self.calendar_label = ElidedLabel(f"Kalender: {services.ctx.calendar.name}")
        self.statusBar().addWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.calendar_label)
        self._restore_layout()
        self.patients_tab.sync_discharged_column()
        self._apply_role()

    def _connect_features(self) -> None:
        """What one feature asks of another goes through here: the shell knows them all, they know only their own."""
        patients, details = self.patients_tab, self.patients_tab.details
        meetings = self.meeting_actions
        details.new_meeting_requested.connect(meetings.new_meeting)
        details.meeting_requested.connect(meetings.meeting_action)
        meetings.changed.connect(lambda admission_id: patients.after_change(admission_id, True))
        meetings.ambulant_requested.connect(self.patient_actions.choose_ambulant_patient)
        self.patient_actions.ambulant_chosen.connect(meetings.schedule_ambulant)
        # The Send dialog's link to the Kontaktbog when the recipient's secure mailbox is unknown (issue 17).
        self.patient_actions.open_contacts = self.settings_actions.open_contacts_at
        self.overview_tabs.admission_requested.connect(self.open_admission)
        # Issue 16: a deadline's action, from I dag or Overblik, opens what fulfils it.
        self.overview_tabs.deadline_action_requested.connect(self.deadline_action)
        details.deadline_action_requested.connect(self.deadline_action)
        meetings.admission_requested.connect(self.open_admission)
        self.statistics_actions.admission_requested.connect(self.open_admission)
        patients.message.connect(self.show_message)
        self.patient_actions.message.connect(self.show_message)
        meetings.message.connect(self.show_message)
        self.settings_actions.saved.connect(self._settings_saved)
        self.settings_actions.restored.connect(self._restored)
        self.offline_actions.lent.connect(self._lent)
        self.offline_actions.revoked.connect(self.refresh)
        self.offline_actions.handed_in.connect(self.refresh)
        self.offline_actions.message.connect(self.show_message)

    # -- actions and menus ------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None, slot: object) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        patients, functions = self.patient_actions, self.settings_actions
        self.act_new = action("&Ny indlæggelse…", QKeySequence.StandardKey.New, patients.new_admission)
        self.act_edit = action("&Ret indlæggelse…", "Ctrl+E", patients.edit_selected)
        self.act_refresh = action("&Opdater", QKeySequence.StandardKey.Refresh, self.refresh)
        self.act_refresh.setShortcuts([QKeySequence("F5")])
        self.act_quit = action("&Afslut", "Ctrl+Q", self.close)
        self.act_find = action("&Søg", QKeySequence.StandardKey.Find, self.focus_search)
        self.act_find.setShortcuts([QKeySequence("Ctrl+F")])
        show_discharged = self.patients_tab.show_discharged
        self.act_discharged = QAction("Vis &udskrevne indlæggelser", self)
        self.act_discharged.setCheckable(True)
        self.act_discharged.setShortcut(QKeySequence("Ctrl+U"))
        self.act_discharged.toggled.connect(show_discharged.setChecked)
        show_discharged.toggled.connect(self.act_discharged.setChecked)
        self.act_reveal = QAction("Vis fulde &CPR-numre i listen", self)
        self.act_reveal.setCheckable(True)
        self.act_reveal.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.act_reveal.toggled.connect(self.patients_tab.model.set_reveal_cpr)
        self.act_template = action("&Mødeskabelon…", None, self.meeting_actions.edit_template)
        self.act_contacts = action("&Kontaktbog…", None, functions.edit_contacts)
        self.act_settings = action("&Indstillinger…", "Ctrl+,", functions.edit_settings)
        self.act_backups = action("&Sikkerhedskopier…", None, self.edit_backups)
        self.act_lock = action("&Lås", "Ctrl+L", self.lock_screen)
        self.act_users = action("&Brugere…", None, functions.edit_users)
        self.act_take_offline = action("Tag med &offline…", None, self.offline_actions.take_offline)
        self.act_hand_in = action("A&flever offline-kopi…", None, self.offline_actions.hand_in)
        self.act_loans = action("U&dlånte sager…", None, self.offline_actions.show_loans)

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
        self.tabs.add_to_menu(m)
        m.addAction(self.act_discharged)
        m.addAction(self.act_reveal)
        m = bar.addMenu("&Funktioner")
        m.setToolTipsVisible(True)  # a greyed-out item says why
        m.addAction(self.act_template)
        m.addAction(self.act_contacts)
        m.addAction(self.act_backups)
        m.addSeparator()
        m.addAction(self.act_take_offline)
        m.addAction(self.act_loans)
        m.addAction(self.act_hand_in)
        m.addSeparator()
        m.addAction(self.act_users)
        m.addAction(self.act_settings)

    # -- the tabs built on first show -------------------------------------------------------------------------
    @property
    def faerdigmeldte_tab(self) -> FaerdigmeldteTab:
        return cast("FaerdigmeldteTab", self.tabs.page("faerdigmeldte_tab"))

    @property
    def meetings_tab(self) -> MeetingsTab:
        return cast("MeetingsTab", self.tabs.page("meetings_tab"))

    @property
    def statistics_tab(self) -> StatisticsTab:
        return cast("StatisticsTab", self.tabs.page("statistics_tab"))

    # -- data -------------------------------------------------------------------------------------------------
    def show_first_screen(self, rows: Sequence[AdmissionRow], items: Sequence[TodayItem], today: date) -> None:
        """The list and I dag as ``services.first_screen`` read them before the services were loaded (issue 7);
        the composition root's first ``refresh`` replaces them a moment later."""
        self.patients_tab.show_first_screen(rows)
        self.overview_tabs.show_first_screen(items, today)

    def refresh(self) -> None:
        """Reload the list (keeping the selected admission selected) and the overview tab being looked at."""
        if not self.patients_tab.refresh_list():
            return
        self.tabs.refresh_shown()
        self.statistics_actions.mark_stale()

    def open_admission(self, admission_id: int) -> None:
        """Show the admission in the Patienter tab: selected in the list, details beside it."""
        self.tabs.setCurrentWidget(self.patients_tab)
        self.patients_tab.open_admission(admission_id)

    def deadline_action(self, admission_id: int, action: DeadlineAction) -> None:
        """Carry out a deadline's action (``services.deadline_actions``) with the feature that owns it — unless the
        services say it may not be taken now: then their reason, in Danish, and nothing opens."""
        try:
            reason = self.services.overview.action_refusals(admission_id, [action]).get(action)
        except KoordinatorError as exc:
            show_error(self, exc)
            return
        if reason is not None:
            QMessageBox.information(self, action.label.rstrip("…"), literal(reason))
            return
        kind, patients = action.kind, self.patient_actions
        if kind is ActionKind.ASSESS:
            patients.assess_scenario(admission_id)
        elif kind is ActionKind.SEND and action.event is not None:
            patients.send_notification(admission_id, action.event.value)
        elif kind is ActionKind.MEETING:
            self.meeting_actions.new_meeting(admission_id)
        elif kind is ActionKind.PLAN:
            self.patients_tab.plan_actions.work_on_required_plan(admission_id)
        elif kind is ActionKind.EDIT:
            patients.edit_admission(admission_id)
        elif kind is ActionKind.RECORD and action.rule is not None:
            patients.record_milestone(admission_id, action.rule)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.patients_tab)
        self.patients_tab.focus_search()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    # -- settings, backups, users and the lock (issue 8) -------------------------------------------------------
    def edit_backups(self) -> None:
        """Funktioner → Sikkerhedskopier…, with what the start gave this window: the adgangskode, the timer."""
        self.settings_actions.edit_backups(passphrase=self.passphrase, backup_timer=self.backup_timer)

    def _restored(self) -> None:
        """The database file was replaced: this window's data is stale. Close; the user starts again."""
        self.restored = True
        QMessageBox.information(
            self,
            "Koordinator",
            "Databasen er gendannet fra sikkerhedskopien. Koordinator lukker nu – start programmet igen for at "
            "arbejde videre i den gendannede database.",
        )
        self.close()

    def _settings_saved(self, what: str) -> None:
        """A settings page was saved. Kalender og regler already sits on the context (``save_calendar_settings``):
        the refresh recomputes every deadline shown with it."""
        if what == "calendar":
            self.calendar_label.setText(f"Kalender: {self.services.ctx.calendar.name}")
        self.refresh()

    def _apply_role(self) -> None:
        """A courtesy: grey out what the role may not do (the services refuse it anyway, in Danish)."""
        may = self.services.ctx.may
        self.act_new.setEnabled(may(Permission.EDIT_ADMISSION))
        self.act_template.setEnabled(may(Permission.MANAGE_MEETING))
        for act in (self.act_settings, self.act_backups):
            act.setEnabled(may(Permission.MANAGE_SETTINGS))
        self.act_users.setEnabled(may(Permission.MANAGE_USERS))
        refusal = self.offline_actions.take_offline_refusal()
        self.act_take_offline.setEnabled(refusal is None)
        self.act_take_offline.setToolTip(literal(refusal or "Tag sager med på en bærbar i en krypteret offline-kopi"))
        refusal = self.offline_actions.hand_in_refusal()
        self.act_hand_in.setEnabled(refusal is None)
        self.act_hand_in.setToolTip(literal(refusal or "Flet en offline-kopi fra en bærbar ind i afsnittets database"))
        in_copy = self.offline_actions.copy_info is not None  # a laptop file holds no loans
        self.act_loans.setEnabled(not in_copy)
        self.act_loans.setToolTip(literal(NO_LOANS_HERE if in_copy else "Sager, der er taget med offline på en bærbar"))
        self.patients_tab.details.documents_tab.set_may_export(may(Permission.EXPORT_DOCUMENT))

    # -- offline laptops (issue 19) -----------------------------------------------------------------------------
    def check_offline_copy(self) -> OfflineCopyInfo | None:
        """Called by the composition root once the database is open: a laptop file gets the «Offline-kopi» banner
        above the tabs (always visible) and «Tag med offline…» is not offered."""
        info = self.offline_actions.read_copy_info()
        if info is not None and self.offline_banner is None:
            self.offline_banner = OfflineBanner(info)
            self._central.insertWidget(0, self.offline_banner)
            self.setWindowTitle(f"Offline-kopi — {self.windowTitle()}")
            self._apply_role()
        return info

    def _lent(self, admission_ids: list[int]) -> None:
        """Cases were taken offline: the list is read again and the first one shown, its details saying where."""
        self.refresh()
        if admission_ids:
            self.open_admission(admission_ids[0])

    def lock_screen(self) -> None:
        """Filer → Lås (Ctrl+L): hide patient data now; the password opens it again."""
        if self.idle_lock is not None:
            self.idle_lock.lock()

    # -- layout memory ----------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        splitter, header = self.patients_tab.splitter, self.patients_tab.table.horizontalHeader()
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:  # first start: 1440 × 860, but never larger than the screen (a 1366 × 768 laptop)
            screen = self.screen().availableGeometry()
            width, height = min(1440, screen.width()), min(860, screen.height())
            self.resize(width, height)
            splitter.setSizes([width * 6 // 10, width * 4 // 10])
        for key, target in (("main/splitter", splitter), ("main/header", header)):
            state = self._settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                target.restoreState(state)

    def save_layout(self) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/splitter", self.patients_tab.splitter.saveState())
        self._settings.setValue("main/header", self.patients_tab.table.horizontalHeader().saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
