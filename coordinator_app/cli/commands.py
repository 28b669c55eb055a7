"""Command line: ``koordinator [--database URL] [--demo] [--smoke] [--version]``.

Without ``--database`` the workstation's choice from the first run is used (issue 9, ``services.connection``);
``--demo`` alone opens the separate practice file ``demo.db``, never the real database.

Later features add subcommands (``pdf``, ``audit`` …) to ``build_parser``. Qt is imported only when a
window is needed, so headless commands stay quick.

Headless commands on an encrypted database read its passphrase from ``KOORDINATOR_PASSPHRASE`` or ask for it
(``getpass``, only on a terminal) — never from the command line, where other users and the shell history
could read it.

Commands that read, issue or copy out patient data (``pdf``, ``audit``, ``backup``, ``checkout``) log in as a user
of the database (issue 8, issue 18 for ``backup``): ``KOORDINATOR_USER``/``KOORDINATOR_PASSWORD``, or a prompt on a
terminal, else a clear refusal (exit status 2); the role counts as in the window (``backup`` and ``restore`` are the
administrator's; ``checkout``, issue 19, the koordinator's and the administrator's). A demo database, and a real one
before its first administrator exists, needs no login. ``restore`` replaces every patient's data, so it logs in too
(issue 18) — against the database, or, when that is missing (``--ny``) or too damaged to log in to, against the
backup's own users. ``check`` shows no patient data: the database's passphrase and the file's permissions guard it.

Commands that read never create (issue 18): ``check``, ``audit``, ``pdf``, ``backup``, ``checkout`` and ``restore``
refuse a missing or empty (0-byte) database, in Danish with exit status 2, and leave nothing behind (``must_exist``);
only the first-run wizard, ``--demo`` and ``restore --ny`` make a database. ``pdf`` and ``audit`` write (the
migration, the login's and the export's audit lines), so their file is ``quick_check``-ed first and a damaged one is
refused untouched. Every failure ends in a Danish message and exit status 2, never a traceback: argparse speaks
Danish (``cli.parser``), numbers out of range and unusable file names are refused before the database is opened, and
the operating system's errors are told in Danish (``infra.oserrors``). ``checkout`` takes the laptop file's
passphrase from ``KOORDINATOR_PASSPHRASE`` or asks twice (an encrypted ward's database then opens with the same
passphrase from the environment; on a terminal each is asked for on its own).

Every command works through the services, as the window does: ``services.database`` opens the database,
``services.backups`` backs up, restores and checks it, and ``services.exports`` writes ``pdf -o`` and
``audit export`` (the role, encryption unless a demo, an atomic write, the audit line; a varslingsblanket issued
for ``-o`` is archived only once its file is written). No storage or documents
module is imported here (``tests/test_architecture.py`` and the import-linter contracts hold it so).
"""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coordinator_app import __version__
from coordinator_app.cli import checkin as checkin_cli
from coordinator_app.cli.audit import SEND_SEPARATELY, add_audit_commands, export_password, run_audit, typed_twice
from coordinator_app.cli.checkin import add_checkin_command
from coordinator_app.cli.parser import DanishArgumentParser, file_argument, record_id
from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import (
    AuthenticationError,
    DamagedDatabaseError,
    KoordinatorError,
    NotEncryptedError,
    NotFoundError,
    PassphraseRequiredError,
    StorageError,
    WrongPassphraseError,
)
from coordinator_app.infra.files import private_folder
from coordinator_app.infra.folders import data_dir
from coordinator_app.infra.oserrors import describe
from coordinator_app.lazy import lazy_import
from coordinator_app.services.context import ServiceContext, require

if TYPE_CHECKING:
    from coordinator_app.domain import discharge_plans
    from coordinator_app.services import backups as backup_service
    from coordinator_app.services import connection as connection_service
    from coordinator_app.services import database as database_service
    from coordinator_app.services import documents as document_service
    from coordinator_app.services import exports as export_service
    from coordinator_app.services import offline as offline_service
    from coordinator_app.services import plans as plan_service
    from coordinator_app.services import users as user_service
    from coordinator_app.services.database import Database
    from coordinator_app.ui.shell import app as shell_app
    from coordinator_app.ui.shell import startup
else:  # what a command needs, when it runs: `koordinator --version` and the window's first screen load none of it
    discharge_plans = lazy_import("coordinator_app.domain.discharge_plans")
    backup_service = lazy_import("coordinator_app.services.backups")
    connection_service = lazy_import("coordinator_app.services.connection")
    database_service = lazy_import("coordinator_app.services.database")
    document_service = lazy_import("coordinator_app.services.documents")
    export_service = lazy_import("coordinator_app.services.exports")
    offline_service = lazy_import("coordinator_app.services.offline")
    plan_service = lazy_import("coordinator_app.services.plans")
    user_service = lazy_import("coordinator_app.services.users")
    shell_app = lazy_import("coordinator_app.ui.shell.app")
    startup = lazy_import("coordinator_app.ui.shell.startup")

PASSPHRASE_ENV = "KOORDINATOR_PASSPHRASE"
PASSPHRASE_PROMPT = "Adgangskode til databasen: "
_PROMPTS = 3
USER_ENV = "KOORDINATOR_USER"
USER_PASSWORD_ENV = "KOORDINATOR_PASSWORD"
LOGIN_REFUSED = (
    "Databasen kræver login, og kommandoen kører ikke uden brugernavn og adgangskode. Sæt miljøvariablerne "
    f"{USER_ENV} og {USER_PASSWORD_ENV}, eller kør kommandoen i en terminal, så du bliver spurgt. Skriv aldrig "
    "adgangskoden på kommandolinjen."
)


def default_demo_url() -> str:
    """The demo database used by ``make run``: beside the user's real one, never the same file."""
    folder = private_folder(data_dir())
    return f"sqlite:///{folder / 'demo.db'}"


def build_parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(
        prog="koordinator",
        description="Koordinator – udskrivningskoordinering i voksenpsykiatrien.",
    )
    parser.add_argument(
        "--version", action="version", version=f"Koordinator {__version__}", help="vis programmets version og afslut"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="databasen: en SQLite-fil (sti eller sqlite:///…) eller postgresql+psycopg://… "
        "(standard: din lokale database)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fyld databasen med en frisk demo-afdeling (kun en tom database eller en demo-database)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start uden skærm, indlæs listen og afslut (til installations- og pakketest)",
    )
    parser.add_argument("--print-demo-url", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    pdf = commands.add_parser("pdf", help="udsted et dokument som PDF (arkiveres som ved udskrift fra programmet)")
    documents = pdf.add_subparsers(dest="document", metavar="DOKUMENT", required=True)
    blanket = documents.add_parser(
        "varslingsblanket",
        help="varslingsblanketten for indlæggelsens seneste orientering/varsling/færdigmelding/afmelding",
    )
    admission = record_id("Indlæggelsens nummer")
    blanket.add_argument("--admission", type=admission, required=True, metavar="NR", help="indlæggelsens nummer")
    blanket.add_argument(
        "-o", "--output", type=file_argument, required=True, metavar="FIL", help="hvor PDF'en skal gemmes"
    )
    for kind, law in (("udskrivningsaftale", "§ 13 a"), ("koordinationsplan", "§ 13 b")):
        plan = documents.add_parser(
            kind, help=f"den arkiverede PDF af indlæggelsens {kind} ({law}), som den blev sat i kraft"
        )
        plan.add_argument("--admission", type=admission, required=True, metavar="NR", help="indlæggelsens nummer")
        plan.add_argument(
            "-o", "--output", type=file_argument, required=True, metavar="FIL", help="hvor PDF'en skal gemmes"
        )
    backup = commands.add_parser(
        "backup", help="tag en sikkerhedskopi af den lokale database nu (krypteret som databasen, kontrolleret)"
    )
    backup.add_argument(
        "--to",
        type=file_argument,
        metavar="MAPPE",
        help="hvor sikkerhedskopien skal gemmes (standard: mappen backups ved databasen)",
    )
    restore = commands.add_parser(
        "restore",
        help="gendan den lokale database fra en sikkerhedskopi (administrator; den nuværende gemmes som "
        ".before-restore, -2, -3 …)",
    )
    restore.add_argument("file", type=file_argument, metavar="FIL", help="sikkerhedskopien, der skal gendannes")
    restore.add_argument(
        "--ny",
        action="store_true",
        help="databasen findes ikke (længere): læg sikkerhedskopien på plads som en ny database",
    )
    restore.add_argument(
        "--krypteret",
        action="store_true",
        help="gendan en krypteret sikkerhedskopi over en ukrypteret database (den får sikkerhedskopiens adgangskode)",
    )
    checkout = commands.add_parser(
        "checkout",
        help="tag indlæggelser med offline: en krypteret offline-kopi til en bærbar; afsnittet kan kun læse dem, "
        "til kopien er afleveret",
    )
    checkout.add_argument(
        "--admission",
        type=admission,
        action="append",
        default=[],
        metavar="NR",
        help="indlæggelsens nummer (gentag for flere indlæggelser)",
    )
    checkout.add_argument(
        "--patient",
        type=record_id("Patientens nummer"),
        action="append",
        default=[],
        metavar="NR",
        help="en ambulant patients nummer (uden indlæggelse, fx med et planlagt møde; gentag for flere)",
    )
    checkout.add_argument(
        "-o", "--output", type=file_argument, required=True, metavar="FIL", help="hvor offline-kopien skal gemmes"
    )
    checkout.add_argument(
        "--baerbar", metavar="NAVN", help="den bærbares navn, som afsnittet ser ved sagerne (standard: filens navn)"
    )
    check = commands.add_parser("check", help="kontrollér at den lokale database er hel (SQLite quick_check)")
    check.add_argument("--fuld", action="store_true", help="den grundige kontrol (integrity_check), tager længere")
    add_audit_commands(commands)
    add_checkin_command(commands)  # issue 19: cli.checkin
    return parser


def passphrase_from_environment() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


def _ask_passphrase() -> str | None:
    """Ask on the terminal; ``None`` when there is none to ask on (a script, a pipe)."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(PASSPHRASE_PROMPT)


def _no_terminal_hint(message: str) -> str:
    return (
        f"{message}\nSæt miljøvariablen {PASSPHRASE_ENV} til adgangskoden, eller kør kommandoen i en terminal, "
        "så du bliver spurgt. Skriv aldrig adgangskoden på kommandolinjen."
    )


def configured_database(database: str | None) -> str | None:
    """Without ``--database``: the workstation's saved choice from the first run (issue 9,
    ``services.connection``), else ``None`` — the default file of an older install."""
    if database is not None:
        return database
    config = connection_service.load_config()
    return config.database_url() if config is not None else None


def open_for_command(database: str | None, *, migrate: bool = True, check_first: bool | None = None) -> Database:
    """Open the database for a headless command, with the passphrase from the environment, the system keyring
    (if the user chose to keep it there) or the terminal.

    Raises ``KoordinatorError`` with a Danish message (and what to do) when it cannot be opened. ``check_first``
    (default: when it migrates) refuses a damaged file (``DamagedDatabaseError``) before anything is written.
    """
    database = configured_database(database)
    passphrase = passphrase_from_environment()
    from_environment = passphrase is not None
    keyring_tried = False
    for attempt in range(_PROMPTS + 2):
        try:
            return database_service.open_database(
                database,
                passphrase=passphrase,
                migrate=migrate,
                must_exist=True,
                check_first=migrate if check_first is None else check_first,
            )
        except (PassphraseRequiredError, WrongPassphraseError) as exc:
            if from_environment and isinstance(exc, WrongPassphraseError):
                raise StorageError(f"{exc.message} (adgangskoden fra {PASSPHRASE_ENV})") from None
            if not keyring_tried and isinstance(exc, PassphraseRequiredError):
                keyring_tried = True
                path = database_service.local_path(database, create_folder=False)
                remembered = connection_service.read_secret(str(path)) if path is not None else None
                if remembered:
                    passphrase = remembered
                    continue
            if attempt >= _PROMPTS:
                raise
            if isinstance(exc, WrongPassphraseError):
                print(exc.message, file=sys.stderr)
            passphrase = _ask_passphrase()
            if passphrase is None:
                raise StorageError(_no_terminal_hint(exc.message)) from None
    raise AssertionError("unreachable")


def command_context(db: Database) -> ServiceContext:
    """Who runs a headless command (issue 8): the demo user (named after the login account) where no login is
    needed, else the user from the environment or a terminal prompt. ``KoordinatorError`` (Danish) when the
    credentials are missing or wrong."""
    ctx = ServiceContext(database=db, user=getpass.getuser())
    users = user_service.UserService(ctx)
    if not users.needs_login():
        return ctx
    username, password = os.environ.get(USER_ENV), os.environ.get(USER_PASSWORD_ENV)
    if username and password:
        user = users.authenticate(username, password)
    elif sys.stdin.isatty():
        for attempt in range(_PROMPTS):
            sys.stderr.write("Brugernavn: ")
            sys.stderr.flush()
            username = sys.stdin.readline().strip()
            try:
                user = users.authenticate(username, getpass.getpass("Adgangskode: "))
                break
            except AuthenticationError as exc:
                if attempt == _PROMPTS - 1 or exc.locked_until is not None:
                    raise
                print(exc.message, file=sys.stderr)
    else:
        raise AuthenticationError(LOGIN_REFUSED)
    return ServiceContext(database=db, principal=user.principal)


def open_for_audit(
    database: str | None, *, before_login: Callable[[Database], None] | None = None
) -> tuple[Database, ServiceContext]:
    """``audit``: open, log in, and only an administrator gets further (VIEW_AUDIT). The login is handed over, so
    the export's audit line names the administrator, not the OS account. ``before_login`` is called with the open
    database before the login writes its line (``audit verify`` reads the log's end then, issue 18)."""
    db = open_for_command(database)
    try:
        if before_login is not None:
            before_login(db)
        ctx = command_context(db)
        require(ctx, Permission.VIEW_AUDIT)
    except BaseException:
        db.dispose()
        raise
    return db, ctx


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} kB"
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def _seconds(s: float) -> str:
    return f"{s:.1f} s".replace(".", ",")


def run_backup(args: argparse.Namespace) -> int:
    """``backup [--to DIR]``: an online backup of the open database, checked before it counts."""
    try:
        db = open_for_command(args.database, migrate=False)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:  # issue 18: a backup copies every patient out, so it logs in and needs the BACKUP permission (logged)
        info = backup_service.take_backup(command_context(db), Path(args.to).expanduser() if args.to else None)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        db.dispose()
    kind = "krypteret" if info.encrypted else "ikke krypteret (demo)"
    print(f"Sikkerhedskopi gemt: {info.path}")
    print(f"  {kind}, {_size(info.size)}, kontrolleret (integrity_check), {_seconds(info.seconds or 0.0)}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """``restore FILE``: replace the local database with a checked backup, as an administrator (issue 18); every
    earlier file is kept. The backup must be a file; the database must exist (a typo would make a new one) unless
    ``--ny`` says to. The login is checked against the database — or, when it is missing (``--ny``) or too damaged
    to log in to, against the backup's own users (``restore_unopened``)."""
    backup = Path(args.file).expanduser().resolve()
    try:
        target = backup_service.restore_target(configured_database(args.database))
        _require_backup_file(backup)
        missing = _restore_target_state(target)
        if missing and not args.ny:
            raise StorageError(
                f"Databasen {target} {missing}. Kontrollér stien (--database). Skal sikkerhedskopien lægges på plads "
                "som en ny database (fx når den gamle fil er tabt), så tilføj --ny. Intet er ændret."
            )
        passphrase = None
        if backup_service.is_encrypted_backup(backup):
            passphrase = passphrase_from_environment() or _ask_passphrase()
            if passphrase is None:
                raise StorageError(_no_terminal_hint(f"Sikkerhedskopien {backup} er krypteret."))
        info = _restore(args, target, backup, passphrase, missing=bool(missing))
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(f"Databasen {info.path} er gendannet fra {backup} ({_seconds(info.seconds)}).")
    if info.previous is not None:
        print(f"Den tidligere database er gemt som {info.previous}.")
    return 0


def _restore(
    args: argparse.Namespace, target: Path, backup: Path, passphrase: str | None, *, missing: bool
) -> backup_service.RestoreInfo:
    if not missing:
        try:
            db = open_for_command(args.database, migrate=False, check_first=True)
        except DamagedDatabaseError:
            pass  # too damaged to log in to: the backup's users are asked below
        else:
            try:
                ctx = command_context(db)
                return backup_service.restore(ctx, backup, passphrase=passphrase, encrypt=args.krypteret)
            finally:
                db.dispose()
    return backup_service.restore_unopened(
        target, backup, login=command_context, passphrase=passphrase, encrypt=args.krypteret
    )


def _require_backup_file(backup: Path) -> None:
    try:
        if backup.is_dir():
            raise StorageError(f"{backup} er en mappe. Angiv sikkerhedskopiens fil, fx {backup / 'koordinator.db'}.")
        size = backup.stat().st_size
    except OSError as exc:
        raise StorageError(
            f"Sikkerhedskopien {backup} kan ikke bruges: {describe(exc)}. Databasen er ikke ændret."
        ) from None
    if size == 0:
        raise StorageError(f"Sikkerhedskopien {backup} er tom (0 byte). Vælg en anden. Databasen er ikke ændret.")


def _restore_target_state(target: Path) -> str:
    """Why the database a restore replaces is not there ("findes ikke", "er tom (0 byte)"), or "" when it is: a
    mistyped ``--database`` is not made from the backup unless ``--ny`` says so."""
    try:
        if target.is_dir():
            raise StorageError(f"{target} er en mappe, ikke en databasefil. Intet er ændret.")
        if target.stat().st_size == 0:
            return "er tom (0 byte)"
    except (FileNotFoundError, NotADirectoryError):
        return "findes ikke"
    except OSError as exc:
        raise StorageError(f"Databasen {target} kan ikke bruges: {describe(exc)}. Intet er ændret.") from None
    return ""


def run_check(args: argparse.Namespace) -> int:
    """``check [--fuld]``: SQLite's quick_check (or integrity_check) of the local database; exit 2 if damaged."""
    try:
        db = open_for_command(args.database, migrate=False)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        result = backup_service.integrity_check(db) if args.fuld else backup_service.quick_check(db)
    finally:
        db.dispose()
    check = "integrity_check" if args.fuld else "quick_check"
    if result.ok:
        print(f"Databasen {db.where} er i orden ({check}, {_seconds(time.perf_counter() - started)}).")
        return 0
    print(
        f"Databasen {db.where} er beskadiget ({check} fandt {len(result.problems)} fejl). Gendan den fra en "
        "sikkerhedskopi med «koordinator restore FIL», og kontakt IT.",
        file=sys.stderr,
    )
    for problem in result.problems[:20]:
        print(f"  {problem}", file=sys.stderr)
    return 2


def run_pdf(args: argparse.Namespace) -> int:
    """Headless: issue the document and write its exact bytes to the file — archived only once the file is written
    (a target that cannot be written is refused first, in Danish, rc 2); a plan's PDF is the one archived when it
    was put in force, so nothing new is archived."""
    try:
        db = open_for_command(args.database)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        ctx = command_context(db)
        exports = export_service.ExportService(ctx)
        exports.check_documents()  # the role before a password is asked or a document issued
        output = Path(args.output)
        exports.check_target(output)  # a file that cannot be written: said before anything is asked or issued
        password = None
        if exports.encrypts():  # issue 8: a file with patient data leaves the database encrypted (not a demo's)
            password = export_password("Dokumentet", "PDF med AES-256")
            if password is None:
                return 2
        if args.document == "varslingsblanket":  # issued, written and archived all or nothing (issue 17)
            event = document_service.DocumentService(ctx).latest_notification(args.admission)
            assert event.id is not None
            document, saved = exports.issue_to_file(event.id, output, password)  # EXPORT_DOCUMENT, logged
        else:  # a plan's PDF is issued when it is put in force: write the archived, signed-ready one, nothing new
            kind = discharge_plans.PlanKind(args.document)
            document = plan_service.PlanService(ctx).issued_document(args.admission, kind)
            assert document.id is not None
            saved = exports.write(exports.document(document.id), output, password)  # EXPORT_DOCUMENT, logged
    except NotFoundError:  # the services' wording is the window's ("opdatér listen")
        print(
            f"Indlæggelse nr. {args.admission} findes ikke i databasen {db.where}. Kontrollér nummeret. Intet er gemt.",
            file=sys.stderr,
        )
        return 2
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"PDF'en kunne ikke gemmes i {args.output}: {describe(exc)}. Vælg en anden fil.", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    note = f" – krypteret. {SEND_SEPARATELY}" if saved.encrypted else " – demo, ikke krypteret"
    print(f"{document.title}: {output} (dokument nr. {document.id}, SHA-256 {document.sha256[:12]}…){note}")
    return 0


def _offline_passphrase() -> str | None:
    """The laptop file's passphrase (issue 19): ``KOORDINATOR_PASSPHRASE``, else typed twice in a terminal; ``None``
    (the Danish reason printed) when neither gives a usable one."""
    given = passphrase_from_environment()
    if given is not None:
        problem = export_service.password_problem(given)
        if problem is not None:
            print(f"{PASSPHRASE_ENV}: {problem} Intet er udlånt.", file=sys.stderr)
            return None
        return given
    if not sys.stdin.isatty():
        print(
            f"Offline-kopien skal have en adgangskode. Sæt miljøvariablen {PASSPHRASE_ENV}, eller kør kommandoen i en "
            "terminal, så du bliver spurgt. Skriv aldrig adgangskoden på kommandolinjen. Intet er udlånt.",
            file=sys.stderr,
        )
        return None
    return typed_twice("Adgangskode til offline-kopien: ", "Intet er udlånt.", _PROMPTS)


def run_checkout(args: argparse.Namespace) -> int:
    """``checkout --admission NR … [--patient NR …] -o FIL``: lend the admissions (and ``--patient``: ambulant
    patients, no admission, with their meetings) to a laptop file (issue 19). Logs in like ``pdf``; the role is checked
    before a passphrase is asked; rc 0 lent, 2 refused (nothing lent, no file)."""
    if not args.admission and not args.patient:
        print("Angiv mindst én --admission NR eller --patient NR. Intet er udlånt.", file=sys.stderr)
        return 2
    try:
        try:
            db = open_for_command(args.database)
        except NotEncryptedError:  # KOORDINATOR_PASSPHRASE is the laptop file's; the ward's database is plain (demo)
            db = database_service.open_database(configured_database(args.database), must_exist=True, check_first=True)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        ctx = command_context(db)
        require(ctx, Permission.LEND_CASES)
        output = Path(args.output)
        passphrase = _offline_passphrase()
        if passphrase is None:
            return 2
        result = offline_service.check_out(
            ctx, args.admission, output, passphrase, laptop=args.baerbar or output.name, patient_ids=args.patient
        )
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    finally:
        db.dispose()
    loan = result.loan
    count = len(loan.admission_ids)
    ambulant = len(set(args.patient))
    what = [f"{count} {'indlæggelse' if count == 1 else 'indlæggelser'}"] if count else []
    if ambulant:
        what.append(f"{ambulant} {'ambulant patient' if ambulant == 1 else 'ambulante patienter'}")
    cases = count + ambulant
    print(f"Offline-kopi gemt: {result.path} (krypteret, {_seconds(result.seconds)})")
    print(
        f"  {' og '.join(what)} {loan.ward_label[0].lower()}{loan.ward_label[1:]}; afsnittet kan kun læse "
        f"{'den' if cases == 1 else 'dem'}, til kopien er afleveret."
    )
    return 0


def _open_lending_database(database: str | None) -> Database:
    """The ward's database for ``checkin`` (issue 19); ``KOORDINATOR_PASSPHRASE`` is the laptop file's, so a plain
    (demo) ward opens without it."""
    try:
        return open_for_command(database)
    except NotEncryptedError:
        return database_service.open_database(configured_database(database), must_exist=True, check_first=True)


def run_checkin(args: argparse.Namespace) -> int:
    """``checkin FIL`` (issue 19, ``cli.checkin``): rc 0 merged or handed in already, 3 conflicts wait, 2 refused."""
    return checkin_cli.run_checkin(args, _open_lending_database, command_context)


#: What each headless command runs.
COMMANDS = {
    "pdf": run_pdf,
    "backup": run_backup,
    "restore": run_restore,
    "check": run_check,
    "checkout": run_checkout,
    "checkin": run_checkin,
}


def run_command(args: argparse.Namespace) -> int:
    """A headless command, and the last guard that none ends in a traceback: a failure the command did not word
    itself is said in Danish (a file's by ``infra.oserrors``) with exit status 2."""
    try:
        if args.command == "audit":
            return run_audit(args, open_for_audit)
        return COMMANDS[args.command](args)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"Kommandoen kunne ikke gøres færdig{where}: {describe(exc)}. Intet mere er gjort.", file=sys.stderr)
    except (ValueError, OverflowError) as exc:
        print(f"Kommandoen kunne ikke gøres færdig: {describe(exc)}. Kontrollér det, der er angivet.", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    # A path in a message may hold bytes that are not UTF-8 (``surrogateescape``): shown escaped, never a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    if args.print_demo_url:
        print(default_demo_url())
        return 0
    if args.command is not None:
        return run_command(args)
    database = args.database
    demo = args.demo
    tmp: tempfile.TemporaryDirectory[str] | None = None
    settings_path = None
    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        tmp = tempfile.TemporaryDirectory(prefix="koordinator-smoke-")
        settings_path = str(Path(tmp.name) / "settings.ini")
        if database is None:
            database = f"sqlite:///{Path(tmp.name) / 'smoke.db'}"
            demo = True
    elif demo and database is None:
        database = default_demo_url()  # the practice file beside the real database, never the real one (issue 9)
    if (
        not args.smoke
        and sys.platform.startswith("linux")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))
    ):
        print(
            "Koordinator kan ikke finde en skærm (DISPLAY er ikke sat). Start programmet fra skrivebordet, "
            "eller brug --smoke for en test uden skærm.",
            file=sys.stderr,
        )
        return 2
    options = startup.LaunchOptions(database_url=database, demo=demo, smoke=args.smoke, settings_path=settings_path)
    # The start creates objects that live as long as the program (modules, mappings, widgets): the cyclic garbage
    # collector would only walk them again and again. ``run`` turns it back on before the event loop (issue 7).
    gc.disable()
    try:
        first = startup.show_first_screen(options)  # the ward's list on screen before the storage layer loads (issue 7)
        return shell_app.run(options, first)
    finally:
        gc.enable()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
