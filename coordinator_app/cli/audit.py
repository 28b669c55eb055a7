"""``koordinator [--database URL] audit verify|export`` (issue 8): the administrator's two audit-log commands.

* ``audit verify [--noteret LINJE:KONTROLSUM]`` first reads where the log ends — before it logs in, so before its
  own login line exists — and, once the administrator is logged in, prints that end (issue 18: "Revisionsloggens ende
  før dette login: linje N, kontrolsum …"). Then it walks the whole hash chain and checks its end against the
  stored head: "Revisionsloggen er intakt (N linjer)." and exit status 0, or the first line that does not fit
  (changed, missing, out of order, not pointing at the line before, past the head), a log cut short or emptied
  ("Revisionsloggen er afkortet: den sluttede ved linje N, men …"), a missing or edited head, and exit status 1.
  The newest line's number and hash are printed last, as "N:<hash>" to note down outside the database; given back
  with ``--noteret`` at the next check, line N must still be there with that hash — which also catches a log cut
  and re-sealed by someone holding the key. Then, while the chain holds, every archived document is re-hashed
  (``services.archive``, issue 17) and compared
  with its row's SHA-256 and the one its issue line recorded in the chain: a document changed after it was issued
  is named (number, kind, title, masked CPR) and the exit status is 1; documents issued before the digest was
  logged are checked against their row only and listed as such.
* ``audit export --patient NR -o FIL`` writes one patient's lines as CSV for an access request (GDPR art. 15);
  the export itself is logged. The lines say who looked at a psychiatric patient's record, so the CSV is written
  inside an AES-256 zip (issue 8: exported files with patient data are encrypted); the password comes from
  ``KOORDINATOR_EXPORT_PASSWORD`` or is asked for twice in the terminal, and is sent separately from the file.
  A demo database (fictitious patients) writes the plain CSV and says so. The file is written by
  ``services.exports`` (which decides the encryption, writes atomically and checks VIEW_AUDIT).

The lines are written by the logged-in user of the command (``cli.command_context``), not by the OS account.

Kept apart from ``cli.py`` (which only registers and dispatches): the database is opened by the opener ``cli``
passes in, so a passphrase or any other way of opening stays in one place.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordinator_app.cli.parser import file_argument, record_id
from coordinator_app.domain.audit import AuditHead, parse_noted
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra.oserrors import describe
from coordinator_app.lazy import lazy_import
from coordinator_app.services.context import ServiceContext

if TYPE_CHECKING:
    from coordinator_app.services import admissions as admission_service
    from coordinator_app.services import archive as archive_service
    from coordinator_app.services import audit as audit_service
    from coordinator_app.services import exports as export_service
    from coordinator_app.services.database import Database
else:  # only when an audit command runs
    admission_service = lazy_import("coordinator_app.services.admissions")
    archive_service = lazy_import("coordinator_app.services.archive")
    audit_service = lazy_import("coordinator_app.services.audit")
    export_service = lazy_import("coordinator_app.services.exports")

#: Exit status of ``audit verify`` when the chain is broken (2 is "could not run at all", as for ``pdf``).
BROKEN = 1
#: The export's password for scripted use; never logged, never stored.
EXPORT_PASSWORD_ENV = "KOORDINATOR_EXPORT_PASSWORD"
NO_PASSWORD = (
    "{what} indeholder patientoplysninger og gemmes krypteret ({how}). Angiv en adgangskode i "
    f"{EXPORT_PASSWORD_ENV}, eller kør kommandoen i en terminal, så du bliver spurgt. Intet er gemt."
)
SEND_SEPARATELY = "Send adgangskoden ad en anden vej end filen (ring, eller send en sms)."


def add_audit_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Register ``audit verify`` and ``audit export`` on the main parser's subcommands."""
    audit = commands.add_parser("audit", help="revisionsloggen: kontrollér den, eller udtræk én patients log")
    actions = audit.add_subparsers(dest="audit_command", metavar="HANDLING", required=True)
    verify = actions.add_parser(
        "verify",
        help="kontrollér at ingen linje i revisionsloggen er ændret, slettet eller flyttet, og at den ikke er "
        "afkortet (exit-status 0 kun når den er intakt)",
    )
    verify.add_argument(
        "--noteret",
        type=noted_argument,
        metavar="LINJE:KONTROLSUM",
        help="loggens ende, som den blev noteret ved en tidligere kontrol: linjen skal stadig findes med den "
        "kontrolsum",
    )
    export = actions.add_parser("export", help="gem én patients revisionslog som CSV (indsigt efter GDPR art. 15)")
    export.add_argument(
        "--patient", type=record_id("Patientens nummer"), required=True, metavar="NR", help="patientens nummer"
    )
    export.add_argument(
        "-o", "--output", type=file_argument, required=True, metavar="FIL", help="hvor CSV-filen skal gemmes"
    )


def noted_argument(text: str) -> tuple[int, str]:
    """The type of ``--noteret``: "LINJE:KONTROLSUM" as ``audit verify`` printed it, else refused in Danish."""
    noted = parse_noted(text)
    if noted is None:
        raise argparse.ArgumentTypeError(
            "skrives som linjenummer, kolon og de 64 tegn i kontrolsummen, sådan som «audit verify» skrev dem "
            "(fx 42:3fa9…)"
        )
    return noted


def run_audit(args: argparse.Namespace, open_db: Callable[..., Any]) -> int:
    """Run ``args.audit_command`` on what ``open_db(args.database)`` opens: ``(Database, ServiceContext)`` — the
    database and the logged-in administrator — or, from an older caller, just the ``Database``. For ``verify`` the
    opener is also given ``before_login``, called with the open database before anyone logs in: it reads the log's
    end then."""
    ends: list[AuditHead | None] = []
    try:
        if args.audit_command == "verify":
            opened = open_db(args.database, before_login=lambda db: ends.append(audit_service.log_end(db)))
        else:
            opened = open_db(args.database)
        db, ctx = _opened(opened)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        if ends:
            print(_end_before_login(ends[0]))
        return _run(args, db, ctx, ends)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Filen kunne ikke gemmes i {args.output}: {describe(exc)}. Vælg en anden fil.", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _end_before_login(head: AuditHead | None) -> str:
    if head is None:
        return "Revisionsloggens ende før dette login: markeringen af loggens ende mangler."
    return f"Revisionsloggens ende før dette login: {head.message}."


def _opened(opened: Any) -> tuple[Database, ServiceContext]:
    if isinstance(opened, tuple):
        return opened[0], opened[1]
    # An opener that does not hand over its login: the lines are at least named after the OS account.
    return opened, ServiceContext(database=opened, user=getpass.getuser())


def _run(args: argparse.Namespace, db: Database, ctx: ServiceContext, ends: list[AuditHead | None]) -> int:
    audit = audit_service.AuditService(ctx)
    if args.audit_command == "verify":
        result = audit.verify(noted=getattr(args, "noteret", None))
        if ends:  # lines missing up to where the log ended before this login's line: its end was cut off
            result = result.seen_from(ends[0])
        print(result.message)
        if not result.ok:  # the documents' logged hashes are only as good as the chain they are in
            return BROKEN
        if result.count:
            noted = f"{result.count}:{result.last_hash}"
            print(f"Seneste linjes kontrolsum: {result.last_hash} (linje {result.count}). Notér «{noted}» uden for "
                  f"databasen, og giv den ved næste kontrol: audit verify --noteret {noted}")  # fmt: skip
        archived = archive_service.ArchiveService(ctx).verify()
        if archived.checked:
            print("\n".join(archived.lines()))
        return 0 if archived.ok else BROKEN
    if not admission_service.AdmissionService(ctx).patient_names([args.patient]):  # before anything is logged
        print(
            f"Patient nr. {args.patient} findes ikke i databasen {db.where}. Kontrollér nummeret. Intet er gemt eller "
            "logget.",
            file=sys.stderr,
        )
        return 2
    output = Path(args.output)
    exports = export_service.ExportService(ctx)
    exports.check_target(output)  # as given: a folder is refused, not turned into "<folder>.zip" beside it
    encrypts = exports.encrypts()  # not a demo database: the lines leave in an AES zip
    if encrypts:
        output = output.with_suffix(".zip") if output.suffix.lower() == ".csv" else output
        if output.suffix.lower() != ".zip":
            output = output.with_name(f"{output.name}.zip")
    exports.check_target(output)  # the name written: said before a password is asked or a line logged
    password = None
    if encrypts:
        password = export_password()
        if password is None:
            return 2
    export = exports.patient_log(args.patient, output)  # VIEW_AUDIT; its own line (naming the file) is in it too
    lines = len(list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))) - 1  # minus heading
    saved = exports.write(export, output, password)
    if not saved.encrypted:
        print(
            f"Revisionsloggen for patient nr. {args.patient}: {lines} linjer gemt i {output} (demo – ikke krypteret)."
        )
        return 0
    inner = export.inner_name
    print(
        f"Revisionsloggen for patient nr. {args.patient}: {lines} linjer gemt krypteret i {output} ({inner} i en zip "
        f"med adgangskode). {SEND_SEPARATELY}"
    )
    return 0


def export_password(what: str = "Revisionsloggen", how: str = "zip med AES-256") -> str | None:
    """The password for an exported file: ``KOORDINATOR_EXPORT_PASSWORD``, else asked twice in a terminal; ``None``
    (the Danish reason printed to stderr) if neither gives a usable one. Also for ``pdf -o FIL`` in ``cli.py``."""
    given = os.environ.get(EXPORT_PASSWORD_ENV)
    if given:
        problem = export_service.password_problem(given)
        if problem is not None:
            print(f"{EXPORT_PASSWORD_ENV}: {problem} Intet er gemt.", file=sys.stderr)
            return None
        return given
    if not sys.stdin.isatty():
        print(NO_PASSWORD.format(what=what, how=how), file=sys.stderr)
        return None
    return typed_twice("Adgangskode til filen: ", "Intet er gemt.")


def typed_twice(prompt: str, nothing_done: str, attempts: int = 3) -> str | None:
    """A new password typed twice in a terminal under the export password rules, ``attempts`` tries; ``None`` (the
    reason printed, ending with ``nothing_done``) when none was usable. Also for ``checkout``'s laptop file."""
    for _attempt in range(attempts):
        first = getpass.getpass(prompt)
        problem = export_service.password_problem(first)
        if problem is None and getpass.getpass("Gentag adgangskoden: ") != first:
            problem = "De to adgangskoder er ikke ens."
        if problem is None:
            return first
        print(problem, file=sys.stderr)
    print(f"Ingen gyldig adgangskode. {nothing_done}", file=sys.stderr)
    return None
