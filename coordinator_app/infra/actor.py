"""Who is writing now: the signed-in user and their clock, for records written below the services (issue 19).

``services.context.require`` — called at the top of every service write, before anything is read or written — sets
it; the offline change journal (``storage.journal``) reads it to name each change's author and time. A
``ContextVar``, so each thread (a worker running a service) sees its own service's user.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Actor", "acting", "current_actor"]


@dataclass(frozen=True, slots=True)
class Actor:
    user: str
    now: Callable[[], datetime]


_ACTOR: ContextVar[Actor | None] = ContextVar("koordinator_actor", default=None)


def acting(user: str, now: Callable[[], datetime]) -> None:
    """The service about to write works as ``user`` with the clock ``now``."""
    _ACTOR.set(Actor(user, now))


def current_actor() -> Actor | None:
    """The user of the service writing in this thread, or ``None`` outside any service."""
    return _ACTOR.get()
