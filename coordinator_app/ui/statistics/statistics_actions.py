"""Statistik in the main window: the tab (built on first show, Ctrl+5), marked stale after a write, and the
click-through from a figure to the admissions behind it, each one a double-click from its record
(``admission_requested``: the window opens it in Patienter).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.registry import Services
from coordinator_app.ui.common.errors import show_error

if TYPE_CHECKING:
    from coordinator_app.ui.statistics import admission_list, statistics_tab
else:
    admission_list = lazy_import("coordinator_app.ui.statistics.admission_list")
    statistics_tab = lazy_import("coordinator_app.ui.statistics.statistics_tab")


class StatisticsActions(QObject):
    """``tab`` once built; ``admission_list``: the click-through dialog last opened (kept alive while open)."""

    admission_requested = Signal(int)

    def __init__(self, window: QWidget, services: Services) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self.tab: statistics_tab.StatisticsTab | None = None
        self.admission_list: admission_list.AdmissionListDialog | None = None

    def build_tab(self) -> statistics_tab.StatisticsTab:
        services = self._services
        self.tab = statistics_tab.StatisticsTab(
            services.statistics,
            self.open_admission_list,
            today=services.ctx.clock.today,
            exports=services.exports,  # encrypted, except a demo's (issue 8); role-checked and logged
        )
        return self.tab

    def mark_stale(self) -> None:
        """Data changed: the tab computes again when next shown (nothing to do before it is built)."""
        if self.tab is not None:
            self.tab.mark_stale()

    def open_admission_list(self, ids: Sequence[int], title: str) -> None:
        """Statistik's click-through: the admissions behind a figure, each one a double-click from its record."""
        try:
            dialog = admission_list.open_admission_list(self._window, self._services.admissions, ids, title)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog.admission_activated.connect(self.admission_requested)
        self.admission_list = dialog
