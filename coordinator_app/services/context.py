"""The services' shared context: the database, the ward's calendar and rules, the clock and who is working.

``calendar`` and ``rules`` are the ward's working-day calendar and rule units (Indstillinger → Kalender og regler):
every deadline a service computes uses both. ``services.settings.build_calendar_and_rules`` loads them from the
database at start-up and ``save_calendar_settings`` replaces them when the setting changes — new objects, so every
``DeadlineCache`` (keyed on their identity) recomputes. Left out, they are the 2022 adult agreement's defaults.

Passed in by the composition root (``ui/shell/app.py`` or the CLI); never a global.

``principal`` is the signed-in user and their role (issue 8); every write checks it with ``require`` before
anything is written. Left out, it is ``DEMO_PRINCIPAL`` (full rights) named ``user`` — demo databases, ``--smoke``,
tests and set-up code. Given, it names the records: ``user`` becomes ``principal.record_name``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from coordinator_app.domain.access import DEMO_PRINCIPAL, Permission, Principal, Role, check_permission
from coordinator_app.domain.rules import DEFAULT_SETTINGS, RuleSettings
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.infra.actor import acting

if TYPE_CHECKING:  # the first screen is built before the storage layer loads (issue 7: cold start)
    from coordinator_app.storage.database import Database

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    """Today and now, injectable so tests and the engine never read the wall clock behind our back."""

    now_utc: Callable[[], datetime] = _now_utc

    def now(self) -> datetime:
        return self.now_utc()

    def today(self) -> date:
        """Today's date in Denmark (the date a coordinator would write on a form)."""
        return self.now_utc().astimezone(COPENHAGEN).date()


def fixed_clock(moment: datetime) -> Clock:
    """A clock frozen at ``moment`` (aware), for tests and reproducible demos."""
    return Clock(now_utc=lambda: moment.astimezone(UTC))


@dataclass
class ServiceContext:
    database: Database
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    clock: Clock = field(default_factory=Clock)
    user: str = "demo"  # the name written into records and the audit log
    principal: Principal = DEMO_PRINCIPAL
    rules: RuleSettings = DEFAULT_SETTINGS  # the rule units (dage/hverdage); with ``calendar``, the ward's settings

    def __post_init__(self) -> None:
        if self.principal is DEMO_PRINCIPAL:
            self.principal = replace(DEMO_PRINCIPAL, username=self.user)
        else:
            self.user = self.principal.record_name

    @property
    def role(self) -> Role:
        return self.principal.role

    def may(self, permission: Permission) -> bool:
        """For the UI's courtesy (greying out); the services enforce with ``require``."""
        return self.principal.may(permission)


def require(ctx: ServiceContext, permission: Permission) -> None:
    """Refuse (``AccessDeniedError``, Danish) unless the context's role may ``permission``. Called at the top of
    every write, before anything is read or written, so a denial leaves nothing behind."""
    check_permission(ctx.principal, permission)
    acting(ctx.user, ctx.clock.now)  # the offline change journal names the author (issue 19, storage.journal)
