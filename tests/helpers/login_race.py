"""Many workstations guessing one user's password at the same moment (issue 18): the worker each process runs.

``guess_in_parallel`` runs in a process of its own (``multiprocessing``'s spawn context: a fresh interpreter, as a
second Koordinator would be). It opens the database, waits at the barrier with the other processes, then makes
``threads`` wrong guesses at once and reports how many of them reached the password check — counted by the hasher
itself, so a guess refused before the check cannot be mistaken for one that was checked — and what each was told.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from argon2 import PasswordHasher

from coordinator_app.domain.errors import AuthenticationError, KoordinatorError
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.users import UserService
from coordinator_app.storage.database import open_database

#: What a guess was told: "wrong" (the password was checked), "locked" (refused before the check), or the message.
WRONG, LOCKED = "wrong", "locked"


class CountingHasher(PasswordHasher):
    """Cheap Argon2id parameters (the test checks the behaviour, not the cost) that count the password checks."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checks = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._lock:
            self.checks += 1
        return super().verify(hash, password)


def guess_in_parallel(url: str, username: str, threads: int, barrier: Any, results: Any) -> None:
    """Put (password checks made, what each guess was told) on ``results``."""
    db = open_database(url)
    hasher = CountingHasher()
    service = UserService(ServiceContext(database=db), hasher=hasher)

    def guess(number: int) -> str:
        try:
            service.authenticate(username, f"forkert gæt nummer {number}")
        except AuthenticationError as refused:
            return LOCKED if refused.message.startswith("Kontoen er spærret") else WRONG
        except KoordinatorError as failed:
            return failed.message
        return "logget ind med et forkert gæt"

    try:
        barrier.wait(timeout=60)
        with ThreadPoolExecutor(threads) as pool:
            told = list(pool.map(guess, range(threads)))
        results.put((hasher.checks, told))
    finally:
        db.dispose()
