"""The ward at a glance (issue 7): the I dag tab (the start view, built with the window) and the Færdigmeldte tab
(built on first show), filled from ``OverviewService``. Enter or a double-click in either asks the window to open
the admission in Patienter (``admission_requested``); a deadline's action in I dag asks the window to carry it out
(``deadline_action_requested``, issue 16), greyed out with the services' reason when it may not be taken now.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.deadline_actions import DeadlineAction
from coordinator_app.services.registry import Services
from coordinator_app.services.ward_view import TodayItem
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.today.today_tab import TodayTab

if TYPE_CHECKING:
    from coordinator_app.ui.today import faerdigmeldte_tab
else:
    faerdigmeldte_tab = lazy_import("coordinator_app.ui.today.faerdigmeldte_tab")


class OverviewTabs(QObject):
    """``today_tab`` and, once built, ``faerdigmeldte`` (the Færdigmeldte tab); errors are shown over ``window``."""

    admission_requested = Signal(int)
    deadline_action_requested = Signal(int, object)  # admission id, services.deadline_actions.DeadlineAction

    def __init__(self, window: QWidget, services: Services) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self.today_tab = TodayTab()
        self.today_tab.open_requested.connect(self.admission_requested)
        self.today_tab.action_requested.connect(self.deadline_action_requested)
        self.today_tab.action_refusal = self.action_refusal
        self.faerdigmeldte: faerdigmeldte_tab.FaerdigmeldteTab | None = None

    def action_refusal(self, admission_id: int, action: DeadlineAction) -> str | None:
        """Why the action may not be taken now (the services' answer), or None."""
        try:
            return self._services.overview.action_refusals(admission_id, [action]).get(action)
        except KoordinatorError as exc:  # e.g. the admission was deleted on another workstation
            return exc.message

    def show_first_screen(self, items: Sequence[TodayItem], today: date) -> None:
        """I dag as ``services.first_screen`` read it before the services were loaded (issue 7)."""
        self.today_tab.set_items(items, today)

    def refresh_today(self) -> None:
        today = self._services.ctx.clock.today()
        try:
            overview = self._services.overview
            items = overview.today_items(today)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        # What the role may never do is greyed out on every row at once; the rest is asked when a row is chosen.
        actions = {i.action for i in items if i.action is not None}
        refused = {a: reason for a in actions if (reason := overview.role_refusal(a)) is not None}
        self.today_tab.set_items(items, today, refused=refused)

    def build_faerdigmeldte(self) -> faerdigmeldte_tab.FaerdigmeldteTab:
        tab = self.faerdigmeldte = faerdigmeldte_tab.FaerdigmeldteTab()
        tab.open_requested.connect(self.admission_requested)
        return tab

    def refresh_faerdigmeldte(self) -> None:
        if self.faerdigmeldte is None:
            return  # built and filled when first shown
        try:
            overview = self._services.overview.faerdigmeldte(self._services.ctx.clock.today())
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        self.faerdigmeldte.set_overview(overview)
