"""``koordinator [--database URL] checkin FIL`` (issue 19): hand in a laptop file to the ward's database.

Logs in like ``checkout`` (a koordinator or administrator); the laptop file's passphrase comes from
``KOORDINATOR_PASSPHRASE`` or is typed once on a terminal. Exit status: 0 merged (the counts printed) or handed in
already (said so, nothing done); 3 when conflicts wait for a person — printed side by side in Danish, nothing applied,
decided in the program (Funktioner → «Aflever offline-kopi…»); 2 on every refusal or error, in Danish. The command
works through ``services.checkin``; the opening and the login are ``cli.commands``' (passed in, as ``cli.audit``
gets them).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordinator_app.cli.parser import file_argument
from coordinator_app.domain.access import Permission
from coordinator_app.domain.checkin import CheckinResult, Conflict
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.lazy import lazy_import
from coordinator_app.services.context import ServiceContext, require

if TYPE_CHECKING:
    from coordinator_app.services import checkin as checkin_service
    from coordinator_app.services.database import Database
else:  # loaded when the command runs: the window's start-up loads none of it
    checkin_service = lazy_import("coordinator_app.services.checkin")

__all__ = ["CONFLICTS", "add_checkin_command", "run_checkin"]

#: Exit status when conflicts wait for a person (nothing applied).
CONFLICTS = 3
_ENV = "KOORDINATOR_PASSPHRASE"
DECIDE_IN_APP = "Afgør dem i programmet: Funktioner → «Aflever offline-kopi…». Intet er afleveret endnu."


def add_checkin_command(commands: argparse._SubParsersAction[Any]) -> None:
    checkin = commands.add_parser(
        "checkin",
        help="aflever en offline-kopi: bærbarens ændringer flettes ind i databasen i ét hug (3: konflikter venter)",
    )
    checkin.add_argument("file", type=file_argument, metavar="FIL", help="offline-kopien fra den bærbare")


def _passphrase() -> str | None:
    given = os.environ.get(_ENV) or None
    if given is not None:
        return given
    if not sys.stdin.isatty():
        print(
            f"Offline-kopien er krypteret. Sæt miljøvariablen {_ENV} til dens adgangskode, eller kør kommandoen i en "
            "terminal, så du bliver spurgt. Skriv aldrig adgangskoden på kommandolinjen. Intet er afleveret.",
            file=sys.stderr,
        )
        return None
    return getpass.getpass("Adgangskode til offline-kopien: ") or None


def _when(conflict: Conflict, ward: bool) -> str:
    who = (conflict.ward_by if ward else conflict.laptop_by) or "ukendt"
    at = conflict.ward_at if ward else conflict.laptop_at
    return f"{who}, {at.astimezone(COPENHAGEN):%d-%m-%Y %H.%M}" if at is not None else who


def print_conflicts(result: CheckinResult) -> None:
    count = len(result.conflicts)
    print(
        f"Offline-kopien fra {result.laptop} har {count} {'konflikt' if count == 1 else 'konflikter'}: værdier, som "
        "både afsnittet og den bærbare har ændret siden udlånet."
    )
    for conflict in result.conflicts:
        print(f"  {conflict.label}")
        print(f"    afsnittet: «{conflict.ward_value}» ({_when(conflict, True)})")
        print(f"    bærbaren:  «{conflict.laptop_value}» ({_when(conflict, False)})")
    print(DECIDE_IN_APP)


def print_merged(result: CheckinResult) -> None:
    inserted, updated = sum(result.inserted.values()), sum(result.updated.values())
    print(f"Offline-kopien fra {result.laptop} er afleveret ({result.seconds:.1f} s).".replace(".", ",", 1))
    print(
        f"  {inserted} {'række' if inserted == 1 else 'rækker'} oprettet, {updated} rettet, "
        f"{result.audit_lines} {'linje' if result.audit_lines == 1 else 'linjer'} fra bærbarens revisionslog føjet "
        "til afsnittets"
        + (
            f", {result.decided} {'konflikt' if result.decided == 1 else 'konflikter'} afgjort."
            if result.decided
            else "."
        )
    )
    print("  Sagerne kan skrives i igen her. Offline-kopien er markeret som afleveret; slet den fra den bærbare.")


def run_checkin(
    args: argparse.Namespace,
    open_ward: Callable[[str | None], Database],
    context: Callable[[Database], ServiceContext],
) -> int:
    try:
        db = open_ward(args.database)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        ctx = context(db)
        require(ctx, Permission.LEND_CASES)  # the role before the passphrase is asked
        passphrase = _passphrase()
        if passphrase is None:
            return 2
        result = checkin_service.check_in(ctx, Path(args.file), passphrase)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        db.dispose()
    if result.conflicts:
        print_conflicts(result)
        return CONFLICTS
    if result.already:
        print(f"Offline-kopien fra {result.laptop} er allerede afleveret; intet er gjort.")
        return 0
    print_merged(result)
    return 0
