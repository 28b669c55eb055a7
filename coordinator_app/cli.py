"""Command line: ``koordinator [--database URL] [--demo] [--smoke] [--version]``.

Later features add subcommands (``pdf``, ``audit`` …) to ``build_parser``. Qt is imported only when a
window is needed, so headless commands stay quick.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from coordinator_app import __version__


def default_demo_url() -> str:
    """The demo database used by ``make run``: beside the user's real one, never the same file."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("Koordinator", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'demo.db'}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="koordinator",
        description="Koordinator – udskrivningskoordinering i voksenpsykiatrien.",
    )
    parser.add_argument("--version", action="version", version=f"Koordinator {__version__}")
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
    blanket.add_argument("--admission", type=int, required=True, metavar="NR", help="indlæggelsens nummer")
    blanket.add_argument("-o", "--output", required=True, metavar="FIL", help="hvor PDF'en skal gemmes")
    for kind, law in (("udskrivningsaftale", "§ 13 a"), ("koordinationsplan", "§ 13 b")):
        plan = documents.add_parser(
            kind, help=f"den arkiverede PDF af indlæggelsens {kind} ({law}), som den blev sat i kraft"
        )
        plan.add_argument("--admission", type=int, required=True, metavar="NR", help="indlæggelsens nummer")
        plan.add_argument("-o", "--output", required=True, metavar="FIL", help="hvor PDF'en skal gemmes")
    return parser


def run_pdf(args: argparse.Namespace) -> int:
    """Headless: issue (and archive) the document, write the exact bytes to the file."""
    import getpass

    from coordinator_app.discharge_plans import PlanKind
    from coordinator_app.errors import KoordinatorError
    from coordinator_app.services.context import ServiceContext
    from coordinator_app.services.documents import DocumentService
    from coordinator_app.services.plans import PlanService
    from coordinator_app.storage import open_database

    try:
        db = open_database(args.database)
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    try:
        ctx = ServiceContext(database=db, user=getpass.getuser())
        service = DocumentService(ctx)
        if args.document == "varslingsblanket":
            event = service.latest_notification(args.admission)
            assert event.id is not None
            document = service.issue_for_event(event.id)
        else:  # a plan's PDF is issued when it is put in force: write the archived, signed-ready one
            document = PlanService(ctx).issued_document(args.admission, PlanKind(args.document))
        assert document.id is not None
        content = service.content(document.id)
        output = Path(args.output)
        tmp = output.with_name(f".{output.name}.tmp")
        try:
            tmp.write_bytes(content)
            tmp.replace(output)
        finally:
            if tmp.exists():
                tmp.unlink()
    except KoordinatorError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"PDF'en kunne ikke gemmes i {args.output}: {exc.strerror or exc}. Vælg en anden fil.", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(f"{document.title}: {output} (dokument nr. {document.id}, SHA-256 {document.sha256[:12]}…)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.print_demo_url:
        print(default_demo_url())
        return 0
    if args.command == "pdf":
        return run_pdf(args)
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
    elif sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            "Koordinator kan ikke finde en skærm (DISPLAY er ikke sat). Start programmet fra skrivebordet, "
            "eller brug --smoke for en test uden skærm.",
            file=sys.stderr,
        )
        return 2
    from coordinator_app.ui.app import LaunchOptions, run

    try:
        return run(LaunchOptions(database_url=database, demo=demo, smoke=args.smoke, settings_path=settings_path))
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
