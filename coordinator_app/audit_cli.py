"""``koordinator [--database URL] audit verify|export`` (issue 8): the administrator's two audit-log commands.

* ``audit verify`` walks the whole hash chain: "Revisionsloggen er intakt (N linjer)." and exit status 0, or the
  first line that does not fit (changed, missing, out of order, not pointing at the line before) and exit status 1.
  The newest line's hash is printed too: noted down outside the database, it also reveals a cut-off end later.
* ``audit export --patient NR -o FIL`` writes one patient's lines as CSV for an access request (GDPR art. 15);
  the export itself is logged.

Kept apart from ``cli.py`` (which only registers and dispatches): the database is opened by the opener ``cli``
passes in, so a passphrase or any other way of opening stays in one place.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coordinator_app.storage import Database

#: Exit status of ``audit verify`` when the chain is broken (2 is "could not run at all", as for ``pdf``).
BROKEN = 1


def add_audit_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Register ``audit verify`` and ``audit export`` on the main parser's subcommands."""
    audit = commands.add_parser("audit", help="revisionsloggen: kontrollér den, eller udtræk én patients log")
    actions = audit.add_subparsers(dest="audit_command", metavar="HANDLING", required=True)
    actions.add_parser(
        "verify",
        help="kontrollér at ingen linje i revisionsloggen er ændret, slettet eller flyttet (exit-status 0 kun når "
        "den er intakt)",
    )
    export = actions.add_parser("export", help="gem én patients revisionslog som CSV (indsigt efter GDPR art. 15)")
    export.add_argument("--patient", type=int, required=True, metavar="NR", help="patientens nummer")
    export.add_argument("-o", "--output", required=True, metavar="FIL", help="hvor CSV-filen skal gemmes")


def run_audit(args: argparse.Namespace, open_db: Callable[[str | None], Database]) -> int:
    """Run ``args.audit_command`` on the database ``open_db(args.database)`` opens."""
    import getpass

    from coordinator_app.errors import KoordinatorError
    from coordinator_app.services.audit import AuditService
    from coordinator_app.services.context import ServiceContext

    try:
        db = open_db(args.database)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        audit = AuditService(ServiceContext(database=db, user=getpass.getuser()))
        if args.audit_command == "verify":
            result = audit.verify()
            print(result.message)
            if not result.ok:
                return BROKEN
            if result.count:
                print(f"Seneste linjes kontrolsum: {result.last_hash}")
            return 0
        content = audit.export_patient_log(args.patient)
        _write(Path(args.output), content)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Filen kunne ikke gemmes i {args.output}: {exc.strerror or exc}. Vælg en anden fil.", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    lines = len(list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))) - 1  # minus the heading
    print(f"Revisionsloggen for patient nr. {args.patient}: {lines} linjer gemt i {args.output}.")
    return 0


def _write(output: Path, content: bytes) -> None:
    """All or nothing: a half-written file never stands where the export should be."""
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_bytes(content)
        tmp.replace(output)
    finally:
        if tmp.exists():
            tmp.unlink()
