"""Two workstations racing on the ward's loans (issue 19): the worker each process runs, and its handle in the test.

``Workstation`` starts ``serve`` in a process of its own (``multiprocessing``'s spawn context: a fresh interpreter, as
a second Koordinator would be). The test sends it commands — lend admissions to a laptop file (``check_out``), hand
a laptop file in (``check_in``), write a note on an admission (``add_note``), autosave a meeting's referat
(``save_content``), edit a Kontaktbog entry's phone (``ContactService.update``), save a meeting template, revoke a
loan — and reads what it was told: ``("ok", detail)``, ``("refused", error class, Danish message)``, or ``("crash",
traceback)`` for anything that is not a Koordinator error (the tests require there is none).

The handshakes, never a sleep:

* ``sync``: both workstations wait at a shared barrier and then call the service at the same moment;
* ``hold``: the worker stops half-way — a check-out after its first table is copied (its transaction holds the loans
  and its snapshot is taken), a note after it is flushed and before its audit line (its guard has passed, nothing is
  committed), a check-in after its first change is written (``hold=True``) or just after it has read the ward's row
  of a table (``hold="contacts"``: between the read its compare-and-set uses and its write), a Kontaktbog edit after
  it is flushed — answers ``("holding",)`` and waits for ``release``;
* ``started``: the worker answers ``("started",)`` just before it calls the service.

``patience``: "long" opens the database with a 30 s busy timeout, "short" with 0.3 s (a wait that outlasts it must be
told in Danish, not as "database is locked").
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import text

from coordinator_app.domain.audit import AuditEntry
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import MeetingContent
from coordinator_app.domain.model import Contact
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.audit import AuditService
from coordinator_app.services.checkin import check_in
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService
from coordinator_app.storage import checkin as storage_checkin
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.repositories import ContactRepository

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
            held = options.get("hold")
            action = _action(ctx, kind, args, hold if held else None, held if isinstance(held, str) else None)
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
    ctx: ServiceContext, kind: str, args: tuple[Any, ...], hold: Callable[[], None] | None, table: str | None = None
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
    if kind == "checkin":
        path, passphrase = args
        return lambda: _check_in(ctx, Path(path), passphrase, hold, table)
    if kind == "phone":  # a ward user saves the phone of a Kontaktbog entry read at ``version`` (their screen)
        contact_id, phone, version = args
        contacts = ContactService(ctx)

        def edit() -> str:
            with _after(ContactRepository, "update", hold) if hold is not None else nullcontext():
                current = contacts.get(contact_id)
                return str(contacts.update(contact_id, _contact_input(current, phone), version).version)

        return edit
    if kind == "template":  # a ward user saves a new version of the meeting template, without its last section
        meetings = MeetingService(ctx)

        def save() -> str:
            current = meetings.current_template()
            saved = meetings.save_template(dataclasses.replace(current, sections=current.sections[:-1]))
            return f"{saved.name} {saved.version}"

        return save
    raise ValueError(kind)


def _check_in(
    ctx: ServiceContext, path: Path, passphrase: str, hold: Callable[[], None] | None, table: str | None
) -> str:
    """Hand the laptop file in; "merged", "already", or "conflicts " and the conflicts' keys."""
    progress = _once(hold) if hold is not None and table is None else None
    with _after_reading(table, hold) if hold is not None and table is not None else nullcontext():
        result = check_in(ctx, path, passphrase, progress=progress)
    if result.merged:
        return "merged"
    if result.already:
        return "already"
    return "conflicts " + " ".join(sorted(c.key for c in result.conflicts))


@contextmanager
def _after_reading(table: str, hold: Callable[[], None]) -> Iterator[None]:
    """The check-in holds once it has read the ward's row of ``table`` (its compare-and-set's read), before writing."""
    original = storage_checkin._Apply.ward_row

    def ward_row(self: Any, of: Any, key: str) -> Any:
        row = original(self, of, key)
        if of.name == table:
            hold()
        return row

    with mock.patch.object(storage_checkin._Apply, "ward_row", ward_row):
        yield


@contextmanager
def _after(cls: type, method: str, hold: Callable[[], None]) -> Iterator[None]:
    """``cls.method`` holds after it has run (its change is flushed; nothing is committed)."""
    original = getattr(cls, method)

    def held(*args: Any, **kwargs: Any) -> Any:
        done = original(*args, **kwargs)
        hold()
        return done

    with mock.patch.object(cls, method, held):
        yield


def _contact_input(current: Contact, phone: str) -> ContactInput:
    values = {f.name: getattr(current, f.name) for f in dataclasses.fields(ContactInput)}
    return ContactInput(**{**values, "phone": phone})


def until_waiting(database: Database) -> None:
    """PostgreSQL: return once some transaction waits for a lock (the other worker, behind the held one). SQLite shows
    no waiter: return at once."""
    if database.dialect != "postgresql":
        return
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with database.session() as session:
            if session.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                return
        time.sleep(0.01)
    raise AssertionError("the second worker never waited for the first")


def no_crash(*answers: tuple[object, ...]) -> None:
    """Every answer is a result or a Koordinator refusal, never a traceback."""
    for answer in answers:
        assert answer[0] in ("ok", "refused"), answer[-1]


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
