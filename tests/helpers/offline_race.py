"""Two workstations racing on the ward's loans (issue 19): the worker each process runs, and its handle in the test.

``Workstation`` starts ``serve`` in a process of its own (``multiprocessing``'s spawn context: a fresh interpreter, as
a second Koordinator would be). The test sends it commands — lend admissions to a laptop file (``check_out``), write
a note on an admission (``add_note``), autosave a meeting's referat (``save_content``), revoke a loan — and reads
what it was told: ``("ok", detail)``, ``("refused", error class, Danish message)``, or ``("crash", traceback)`` for
anything that is not a Koordinator error (the tests require there is none).

The handshakes, never a sleep:

* ``sync``: both workstations wait at a shared barrier and then call the service at the same moment;
* ``hold``: the worker stops half-way — a check-out after its first table is copied (its transaction holds the loans
  and its snapshot is taken), a note after it is flushed and before its audit line (its guard has passed, nothing is
  committed) — answers ``("holding",)`` and waits for ``release``;
* ``started``: the worker answers ``("started",)`` just before it calls the service.

``patience``: "long" opens the database with a 30 s busy timeout, "short" with 0.3 s (a wait that outlasts it must be
told in Danish, not as "database is locked").
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coordinator_app.domain.audit import AuditEntry
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import MeetingContent
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService
from coordinator_app.storage.database import Database, open_database

PASSPHRASE = "Bærbar-kapløb-1"
PATIENCE = {"long": 30.0, "short": 0.3}
WAIT = 60.0  # seconds a handshake may take before the test fails (never reached when all goes well)


def serve(url: str, user: str, commands: Any, answers: Any, gate: Any, barrier: Any) -> None:
    """Run the commands on ``commands`` until ``None``, putting each answer on ``answers``."""
    databases: dict[str, Database] = {}

    def context(patience: str) -> ServiceContext:
        if patience not in databases:
            databases[patience] = open_database(url, busy_timeout=PATIENCE[patience])
        return ServiceContext(database=databases[patience], user=user)

    def hold() -> None:
        answers.put(("holding",))
        if not gate.wait(WAIT):
            raise TimeoutError("never released")
        gate.clear()

    try:
        while (command := commands.get(timeout=WAIT * 2)) is not None:
            kind, args, options = command
            ctx = context(options.get("patience", "long"))
            action = _action(ctx, kind, args, hold if options.get("hold") else None)
            if options.get("sync"):
                barrier.wait(WAIT)
            if options.get("started"):
                answers.put(("started",))
            try:
                answers.put(("ok", action()))
            except KoordinatorError as refused:
                answers.put(("refused", type(refused).__name__, refused.message))
            except Exception:
                answers.put(("crash", traceback.format_exc()))
    finally:
        for database in databases.values():
            database.dispose()


def _action(
    ctx: ServiceContext, kind: str, args: tuple[Any, ...], hold: Callable[[], None] | None
) -> Callable[[], str]:
    if kind == "checkout":
        admission_id, output, laptop = args
        progress = _once(hold) if hold is not None else None
        return lambda: (
            offline.check_out(
                ctx, [admission_id], Path(output), PASSPHRASE, laptop=laptop, progress=progress
            ).loan.loan_id
        )
    if kind == "note":
        admission_id, text = args
        service = AdmissionService(ctx)
        if hold is not None:  # the note is flushed (its guard has passed); its audit line comes next
            service._audit = _HeldAudit(ctx, hold)
        return lambda: str(service.add_note(admission_id, text).admission_id)
    if kind == "autosave":
        meeting_id, version, text = args
        content = MeetingContent(texts={"dagsorden": text})
        meetings = MeetingService(ctx)
        return lambda: str(meetings.save_content(meeting_id, content, expected_version=version).version)
    if kind == "revoke":
        (loan_id,) = args
        return lambda: offline.revoke(ctx, loan_id, "Bærbaren er bortkommet").state.value
    raise ValueError(kind)


def _once(hold: Callable[[], None]) -> Callable[[int, int], None]:
    held: list[bool] = []

    def progress(_done: int, _total: int) -> None:
        if not held:
            held.append(True)
            hold()

    return progress


class _HeldAudit(AuditService):
    """Holds before the line is written, in the transaction of the change it records."""

    def __init__(self, ctx: ServiceContext, hold: Callable[[], None]) -> None:
        super().__init__(ctx)
        self._hold = hold

    def record_in(self, *args: Any, **kwargs: Any) -> AuditEntry:
        self._hold()
        return super().record_in(*args, **kwargs)


class Workstation:
    """A second Koordinator in a process of its own, run by the test (see the module's docstring)."""

    def __init__(self, url: str, user: str, barrier: Any) -> None:
        spawn = multiprocessing.get_context("spawn")
        self.commands, self.answers, self.gate = spawn.Queue(), spawn.Queue(), spawn.Event()
        self.process = spawn.Process(
            target=serve, args=(url, user, self.commands, self.answers, self.gate, barrier), daemon=True
        )
        self.process.start()

    def send(self, kind: str, *args: Any, **options: Any) -> None:
        self.commands.put((kind, args, options))

    def answer(self) -> tuple[Any, ...]:
        answer: tuple[Any, ...] = self.answers.get(timeout=WAIT)
        return answer

    def release(self) -> None:
        self.gate.set()

    def stop(self) -> None:
        self.commands.put(None)
        self.process.join(timeout=WAIT)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
