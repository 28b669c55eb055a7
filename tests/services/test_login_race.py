"""The login lock-out against parallel guesses (issue 18), on SQLite and PostgreSQL: 8 processes each make 4 wrong
guesses at once for one user. Before, all 32 were checked against the password on PostgreSQL (the count ended at 5)
and SQLite answered "Databasen er låst"; now exactly the lock-out limit reaches the check, every other guess is
refused as locked (none fails otherwise), and then the right password is refused too."""

from __future__ import annotations

import multiprocessing

import pytest
from argon2 import PasswordHasher
from helpers.login_race import LOCKED, WRONG, guess_in_parallel

from coordinator_app.domain.access import LOCKOUT
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import AuthenticationError
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.users import UserService
from coordinator_app.storage.audit_repository import AuditRepository

PROCESSES, THREADS = 8, 4
PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_parallel_guesses_check_at_most_the_limit_and_the_rest_are_refused_as_locked(database, db_url: str) -> None:
    ctx = ServiceContext(database=database)  # the real clock, as the processes have
    users = UserService(ctx, hasher=FAST)
    users.create_administrator("admin", "Anne Administrator", PASSWORD)

    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    results = spawn.Queue()
    workers = [
        spawn.Process(target=guess_in_parallel, args=(db_url, "admin", THREADS, barrier, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=90) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    checks = sum(count for count, _told in reports)
    told = [answer for _count, answers in reports for answer in answers]
    assert len(told) == PROCESSES * THREADS
    assert checks == LOCKOUT.max_failures  # of 32 guesses, only the limit reached the password check …
    assert told.count(WRONG) == LOCKOUT.max_failures
    assert told.count(LOCKED) == PROCESSES * THREADS - LOCKOUT.max_failures  # … the rest were refused as locked
    with database.session() as session:
        lines = [e.what for e in AuditRepository(session).all() if e.action is AuditAction.LOGIN]
    assert sum(line.startswith("Mislykket login") for line in lines) == LOCKOUT.max_failures
    assert lines.count("Login afvist: kontoen er spærret") == PROCESSES * THREADS - LOCKOUT.max_failures

    with pytest.raises(AuthenticationError, match=r"^Kontoen er spærret efter 5 forkerte forsøg") as caught:
        users.authenticate("admin", PASSWORD)  # the right password, while locked
    assert caught.value.locked_until is not None
