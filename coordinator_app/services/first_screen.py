"""The first screen — I dag and the patient list — read before the storage layer loads (issue 7: cold start).

A start that needs no login (a demo database; ``--smoke`` on a database without users) opens on the ward's data.
Importing SQLAlchemy and mapping the tables takes longer than everything else the start does, so a plain, current
local file is first read directly (``storage.quick_read``) and turned into the same rows and items the services
make (``services.ward_view``). The window shows them at once; the storage layer then opens the file as always,
and the window's first ``refresh`` through the services replaces them (``ui.first_screen``). Having read the
file, it also begins the start's ``quick_check`` of it (``storage.backup.start_check_early``), which the opening
takes over (``services.backups.check_in_background``): the check runs while the rest of the program loads.

``None`` means "start the usual way": a login is needed, the file is encrypted, missing, elsewhere than a local
disk or not at this version's schema — or ``--demo``, which rebuilds the demo ward first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from coordinator_app.domain.reference import Centre
from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.deadline_cache import DeadlineCache
from coordinator_app.services.settings import (
    CalendarSettings,
    centres_from,
    load_calendar_settings,
    use_calendar_settings,
)
from coordinator_app.services.ward import is_demo, ward_title
from coordinator_app.services.ward_view import AdmissionRow, TodayItem, admission_rows, today_items_of
from coordinator_app.storage.backup import start_check_early
from coordinator_app.storage.locations import is_risky_location
from coordinator_app.storage.quick_read import QuickRead
from coordinator_app.storage.sqlite_file import SqliteFile

if TYPE_CHECKING:
    from coordinator_app.storage.database import Database

log = logging.getLogger("koordinator.services.first_screen")


@dataclass(frozen=True)
class FirstScreen:
    """What the window shows before the services are ready, and what it was computed with."""

    path: Path
    demo: bool
    ctx: ServiceContext  # calendar and rules set; ``database`` is set when the storage layer has opened the file
    calendar_settings: CalendarSettings
    centres: list[Centre]
    ward_name: str
    today: date
    rows: list[AdmissionRow]
    today_items: list[TodayItem]
    cache: DeadlineCache  # the list's derivations, for the services' first refresh


def plain_file(url: str | None) -> Path | None:
    """The local file a ``--database`` value names, if it is a plain path or ``sqlite:///…`` URL without options
    (anything else — PostgreSQL, an encrypted URL, the saved connection — starts the usual way)."""
    if not url or "?" in url:
        return None
    if url.startswith("sqlite:///"):
        rest = url[len("sqlite:///") :]
        if not rest or rest == ":memory:":
            return None
        path = Path(rest)
    elif "://" in url or url == ":memory:":
        return None
    else:
        path = Path(url)
    return path.expanduser().resolve()


def read_first_screen(path: Path, *, clock: Clock, without_users_ok: bool) -> FirstScreen | None:
    """The first screen of ``path`` (see the module docstring), or None. ``without_users_ok``: a real database
    without users opens without a login too (``--smoke``); else only a demo database does."""
    if is_risky_location(path):
        return None
    quick = QuickRead.open(path)
    if quick is None:
        return None
    try:
        with quick:
            ctx = ServiceContext(database=cast("Database", quick), clock=clock)
            demo = is_demo(ctx)
            if not demo and not (without_users_ok and not quick.has_users()):
                return None  # a login comes first
            calendar_settings = load_calendar_settings(ctx)
            use_calendar_settings(ctx, calendar_settings)
            centres = centres_from(quick.centres())  # as settings.centre_list
            ward_name = ward_title(ctx, demo)
            today = clock.today()
            ward = quick.ward()
    except Exception:  # never a failed start: the usual way reads the file again and says what is wrong
        log.warning("Første skærm kunne ikke læses direkte; starter på den sædvanlige måde", exc_info=True)
        return None
    start_check_early(SqliteFile(path))  # the start's quick_check, while the window is built and the rest loads
    cache = DeadlineCache()
    derived = {
        admission_id: cache.compute(admission, ward.events.get(admission_id, []), ctx.calendar, today, ctx.rules)
        for admission_id, admission in ward.admissions.items()
    }
    return FirstScreen(
        path=path,
        demo=demo,
        ctx=ctx,
        calendar_settings=calendar_settings,
        centres=centres,
        ward_name=ward_name,
        today=today,
        rows=admission_rows(ward.rows, derived, ward.tasks, today),
        today_items=today_items_of(ward, ctx.calendar, today, ctx.rules, derived=derived),
        cache=cache,
    )
