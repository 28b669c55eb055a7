"""Patienter: the admission list (search, Vis udskrevne, sorting, selection) beside the details of the selected
admission, and the Aftale/plan actions of those details (E1–E3).

The main window (``ui.shell.main_window``) puts the tab in its place and connects the details' requests to the
features that carry them out (``patient_actions``, ``ui.meetings.meeting_actions``). ``refresh_all`` is the
window's refresh: this list and the other tab being looked at; ``after_change`` calls it after a write and shows
the admission written to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.registry import Services
from coordinator_app.services.ward_view import AdmissionRow
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.patients.admission_table import COL_DISCHARGED, COL_NEXT, AdmissionTableModel
from coordinator_app.ui.patients.details import DetailsPanel
from coordinator_app.ui.patients.details_overview import open_actions

if TYPE_CHECKING:
    from coordinator_app.ui.plans import plan_dialogs
else:  # the plan editor and PDF preview are not needed to show the list (issue 7: start-up)
    plan_dialogs = lazy_import("coordinator_app.ui.plans.plan_dialogs")

#: The list's column widths on a first start (afterwards the window remembers the header).
DEFAULT_WIDTHS = (165, 92, 330, 90, 62, 115, 82, 70, 82)


class PatientsTab(QWidget):
    """The list and the details. ``message``: a text for the status bar (from the Aftale/plan actions)."""

    message = Signal(str)

    def __init__(self, services: Services, *, refresh_all: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._refresh_all = refresh_all
        self._plan_actions: plan_dialogs.PlanActions | None = None  # built when the first admission is shown

        self.search = QLineEdit()
        self.search.setPlaceholderText("Søg navn, CPR, kommune, status …  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Søg i patientlisten")
        self.show_discharged = QCheckBox("Vis &udskrevne")
        self.count_label = plain_label()
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
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        for col, width in enumerate(DEFAULT_WIDTHS):
            self.table.setColumnWidth(col, width)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(0)  # filtering costs ~ms; coalesce bursts of keystrokes only
        self._filter_timer.timeout.connect(self.apply_filter)
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
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(list_side)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    # -- the list -----------------------------------------------------------------------------------------
    def show_first_screen(self, rows: Sequence[AdmissionRow]) -> None:
        """The rows ``services.first_screen`` read before the services were loaded (issue 7)."""
        self.model.set_rows(rows)
        self._update_count()
        self.details.show_details(None)

    def refresh_list(self) -> bool:
        """Reload the list, keeping the selected admission selected. False: it could not be read (told)."""
        selected = self.selected_admission_id()
        try:
            rows = self._services.admissions.list_rows(include_discharged=self.show_discharged.isChecked())
        except KoordinatorError as exc:
            show_error(self.window(), exc)
            return False
        self.model.set_rows(rows)
        self._update_count()
        if selected is not None:
            self.select_admission(selected)
        else:
            self.details.show_details(None)
        return True

    def apply_filter(self) -> None:
        selected = self.selected_admission_id()
        self.model.set_filter(self.search.text())
        self._update_count()
        if selected is not None and not self.select_admission(selected):
            self.details.show_details(None)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def sync_discharged_column(self) -> None:
        """The Udskrevet column is shown with the discharged admissions only (also after a restored header)."""
        self.table.setColumnHidden(COL_DISCHARGED, not self.show_discharged.isChecked())

    def _discharged_toggled(self, _on: bool) -> None:
        self.sync_discharged_column()
        self._refresh_all()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count
        self.count_label.setText(f"{shown} af {total}" if shown != total else f"{total} indlæggelser")

    # -- selection ------------------------------------------------------------------------------------------
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

    def open_admission(self, admission_id: int) -> None:
        """Select the admission (the window shows this tab first): clear the search, reload, or show the
        discharged admissions if that is what it takes; then the list has the focus."""
        if not self.select_admission(admission_id):
            self.search.clear()
            self.apply_filter()
            if not self.select_admission(admission_id):
                self._refresh_all()  # admitted on another workstation since the list was loaded
                if not self.select_admission(admission_id) and not self.show_discharged.isChecked():
                    self.show_discharged.setChecked(True)  # a discharged one (from Statistik): show them
                    self._refresh_all()
                    self.select_admission(admission_id)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def after_change(self, admission_id: int, changed: bool) -> None:
        """After a write to the admission (a dialog closed, a meeting or plan saved): refresh, and show it."""
        if changed:
            self._refresh_all()
            self.select_admission(admission_id)
            if self.selected_admission_id() == admission_id or self.model.row_of_admission(admission_id) is None:
                self.show_admission(admission_id)

    def show_saved(self, admission_id: int | None) -> None:
        """After the admission form saved ``admission_id`` (maybe a new one): refresh and select it, clearing the
        search text if that hides it."""
        self._refresh_all()
        if admission_id is None:
            return
        self.select_admission(admission_id)
        if self.model.row_of_admission(admission_id) is None:
            # The new row is hidden by the search text: clear it so the user sees what was saved.
            self.search.clear()
            self.apply_filter()
            self.select_admission(admission_id)

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        admission_id = self.selected_admission_id()
        if admission_id is None:
            self.details.show_details(None)
            return
        self.show_admission(admission_id)

    # -- details ----------------------------------------------------------------------------------------------
    def show_admission(self, admission_id: int) -> None:
        self._connect_plan_actions()  # the plan tab's buttons act from the first admission shown
        services = self._services
        try:
            details = services.admissions.details(admission_id)
            actions = services.notifications.actions(admission_id)
            documents = services.documents.documents(admission_id)
            meetings = services.meetings.for_admission(admission_id)
            tasks = services.meetings.tasks_for_admission(admission_id)
            plan = services.plans.panel(admission_id)
            # Issue 16: each open deadline's action, greyed out in Overblik when the services refuse it now.
            refusals = services.overview.action_refusals(admission_id, open_actions(details.deadlines), sends=actions)
        except KoordinatorError as exc:
            show_error(self.window(), exc)
            return
        self.details.show_details(
            details,
            calendar_name=services.ctx.calendar.name,
            actions=actions,
            documents=documents,
            meetings=meetings,
            tasks=tasks,
            today=services.ctx.clock.today(),
            plan=plan,
            action_refusals=refusals,
        )

    @property
    def plan_actions(self) -> plan_dialogs.PlanActions:
        """Aftale/plan (E1–E3) in the details (built with the first admission shown)."""
        return self._connect_plan_actions()

    def _connect_plan_actions(self) -> plan_dialogs.PlanActions:
        """Every plan write refreshes the list too: its next deadline may be E1/E2 now."""
        if self._plan_actions is None:
            services = self._services
            actions = self._plan_actions = plan_dialogs.PlanActions(
                self.window(),
                services.plans,
                today=services.ctx.clock.today,
                fetch_pdf=services.documents.content,
                last_change=services.admissions.last_change,  # the conflict dialog names who saved first and when
            )
            actions.connect_tab(self.details.plan_tab)
            actions.changed.connect(lambda admission_id: self.after_change(admission_id, True))
            actions.message.connect(self.message)
        return self._plan_actions
