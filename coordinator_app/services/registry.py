"""The services of one session, made from one ``ServiceContext``: what the composition root hands the windows.

``ui.shell.app.build_window`` (and ``ui.shell.startup.show_first_screen``, for the window shown before the storage
layer loads) builds one ``Services`` and passes it to the main window, which passes each tab and feature the
services it uses. No window, tab or feature builds a service itself.

Each service is made on first access, once, and its module is loaded then (``lazy.lazy_import``): the first
screen is on screen before SQLAlchemy loads (issue 7), and a session that never opens a meeting never loads the
meeting service. Every service shares the one context, so a calendar saved in Indstillinger reaches them all.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from coordinator_app.lazy import lazy_import
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.deadline_cache import DeadlineCache
from coordinator_app.services.ward import is_demo

if TYPE_CHECKING:
    from coordinator_app.services import admissions as _admissions
    from coordinator_app.services import consent as _consent
    from coordinator_app.services import contacts as _contacts
    from coordinator_app.services import documents as _documents
    from coordinator_app.services import exports as _exports
    from coordinator_app.services import meetings as _meetings
    from coordinator_app.services import milestones as _milestones
    from coordinator_app.services import notifications as _notifications
    from coordinator_app.services import overview as _overview
    from coordinator_app.services import plans as _plans
    from coordinator_app.services import scenario as _scenario
    from coordinator_app.services import statistics as _statistics
    from coordinator_app.services import users as _users
else:
    _admissions = lazy_import("coordinator_app.services.admissions")
    _consent = lazy_import("coordinator_app.services.consent")
    _contacts = lazy_import("coordinator_app.services.contacts")
    _documents = lazy_import("coordinator_app.services.documents")
    _exports = lazy_import("coordinator_app.services.exports")
    _meetings = lazy_import("coordinator_app.services.meetings")
    _milestones = lazy_import("coordinator_app.services.milestones")
    _notifications = lazy_import("coordinator_app.services.notifications")
    _overview = lazy_import("coordinator_app.services.overview")
    _plans = lazy_import("coordinator_app.services.plans")
    _scenario = lazy_import("coordinator_app.services.scenario")
    _statistics = lazy_import("coordinator_app.services.statistics")
    _users = lazy_import("coordinator_app.services.users")


class Services:
    """Every service the desktop app uses, sharing ``ctx`` and one deadline cache: the patient list and I dag
    derive each admission's status and deadlines once between changes. ``deadline_cache``: the derivations the first
    screen made (``services.first_screen``), which both start with instead of computing them again."""

    def __init__(self, ctx: ServiceContext, *, deadline_cache: DeadlineCache | None = None) -> None:
        self.ctx = ctx
        self._deadline_cache = deadline_cache if deadline_cache is not None else DeadlineCache()

    def is_demo(self) -> bool:
        """A demo database (fictitious patients): its exports are plain and say so (issue 8)."""
        return is_demo(self.ctx)

    @cached_property
    def admissions(self) -> _admissions.AdmissionService:
        return _admissions.AdmissionService(self.ctx, cache=self._deadline_cache)

    @cached_property
    def consents(self) -> _consent.ConsentService:
        return _consent.ConsentService(self.ctx)

    @cached_property
    def contacts(self) -> _contacts.ContactService:
        return _contacts.ContactService(self.ctx)

    @cached_property
    def documents(self) -> _documents.DocumentService:
        return _documents.DocumentService(self.ctx)

    @cached_property
    def exports(self) -> _exports.ExportService:
        """Every way patient data leaves the program as a file: encrypted unless demo, role-checked, logged."""
        return _exports.ExportService(self.ctx)

    @cached_property
    def meetings(self) -> _meetings.MeetingService:
        return _meetings.MeetingService(self.ctx)

    @cached_property
    def milestones(self) -> _milestones.MilestoneService:
        """Registrér som udført…: the milestone notes that meet A3, A4, D1–D9 (issue 16)."""
        return _milestones.MilestoneService(self.ctx)

    @cached_property
    def notifications(self) -> _notifications.NotificationService:
        return _notifications.NotificationService(self.ctx)

    @cached_property
    def overview(self) -> _overview.OverviewService:
        return _overview.OverviewService(self.ctx, cache=self._deadline_cache)

    @cached_property
    def plans(self) -> _plans.PlanService:
        return _plans.PlanService(self.ctx)

    @cached_property
    def scenarios(self) -> _scenario.ScenarioService:
        return _scenario.ScenarioService(self.ctx)

    @cached_property
    def statistics(self) -> _statistics.StatisticsService:
        return _statistics.StatisticsService(self.ctx)

    @cached_property
    def users(self) -> _users.UserService:
        return _users.UserService(self.ctx)
