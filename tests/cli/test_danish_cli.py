"""Issue 18, point 10: the command line speaks Danish — ``--help`` of the program and of every subcommand, and every
usage error argparse words itself ("usage:", "the following arguments are required", "invalid choice" …).

Run as a user runs it (a process of its own). The subcommands are read from the parser, so a new one is covered
without a change here.
"""

from __future__ import annotations

import argparse
import os
import subprocess

import pytest
from helpers.commands import run_koordinator

from coordinator_app.cli import commands as cli
from coordinator_app.cli import parser as danish_parser

#: What argparse says in English; none may reach the user.
ENGLISH = (
    "usage:",
    "show this help",
    "options:",
    "positional arguments",
    "optional arguments",
    "error:",
    "required",
    "invalid",
    "unrecognized",
    "expected",
    "ambiguous",
    "choose from",
    "show program",
)


def subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path below ``parser`` (``("pdf", "varslingsblanket")`` …), the program itself first."""
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += subcommands(sub, (*path, name))
    return found


COMMANDS = subcommands(cli.build_parser())


def koordinator(*args: str) -> subprocess.CompletedProcess[str]:
    return run_koordinator(*args, env={k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_")})


def assert_danish(text: str) -> None:
    lowered = text.lower()
    assert not [phrase for phrase in ENGLISH if phrase in lowered], text


def test_every_subcommand_is_found() -> None:
    assert {" ".join(c) for c in COMMANDS} >= {
        "",
        "pdf",
        "pdf varslingsblanket",
        "pdf udskrivningsaftale",
        "pdf koordinationsplan",
        "backup",
        "restore",
        "check",
        "audit",
        "audit verify",
        "audit export",
    }


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) or "koordinator" for c in COMMANDS])
def test_help_is_danish(command: tuple[str, ...]) -> None:
    result = koordinator(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Brug: koordinator{''.join(' ' + c for c in command)}")
    assert "vis denne hjælp og afslut" in result.stdout and "Tilvalg:" in result.stdout
    assert_danish(result.stdout)
    assert result.stderr == ""


#: Usage errors, each with the Danish words argparse's English became.
USAGE_ERRORS = [
    pytest.param(["pdf"], "disse skal angives: DOKUMENT", id="missing-subcommand"),
    pytest.param(["audit"], "disse skal angives: HANDLING", id="missing-audit-action"),
    pytest.param(["pdf", "varslingsblanket"], "disse skal angives: --admission, -o/--output", id="required"),
    pytest.param(["pdf", "varslingsblanket", "--admission"], "--admission: mangler en værdi", id="expected-one"),
    pytest.param(["pdf", "varslingsblanket", "--admission", "x", "-o", "a.pdf"], "skal være et helt tal", id="int"),
    pytest.param(["check", "--bogus"], "ukendte argumenter: --bogus", id="unrecognized"),
    pytest.param(["bogus"], "ukendt valg 'bogus' (vælg mellem 'pdf'", id="invalid-choice"),
    pytest.param(["pdf", "faktura"], "ukendt valg 'faktura'", id="invalid-document"),
    pytest.param(["--d", "x.db", "check"], "tvetydigt tilvalg --d", id="ambiguous"),
    pytest.param(["restore"], "disse skal angives: FIL", id="missing-file"),
]


@pytest.mark.parametrize(("argv", "words"), USAGE_ERRORS)
def test_usage_errors_are_danish(argv: list[str], words: str) -> None:
    result = koordinator(*argv)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Brug: koordinator"), result.stderr
    assert ": fejl: " in result.stderr and words in result.stderr, result.stderr
    assert "--help» for at se" in result.stderr
    assert_danish(result.stderr)
    assert "Traceback" not in result.stderr


def test_the_version_is_said_and_its_help_is_danish() -> None:
    result = koordinator("--version")
    assert result.returncode == 0 and result.stdout.startswith("Koordinator ")
    assert "vis programmets version og afslut" in cli.build_parser().format_help()


def test_argparse_keeps_its_english_outside_koordinators_parser() -> None:
    """The swap is for Koordinator's parsers only: another parser in the same process (pytest's) is untouched."""
    cli.build_parser().format_help()
    other = argparse.ArgumentParser(prog="andet")
    assert "usage: andet" in other.format_help() and "show this help message and exit" in other.format_help()
    assert getattr(argparse, "_")("usage: ") == "usage: "  # noqa: B009 (typeshed does not declare it)


def test_the_catalogue_translates_every_text_argparse_words_for_a_user() -> None:
    """Each message id argparse passes to ``_`` for help and usage errors (Python 3.11's source) has Danish."""
    for message_id in (
        "usage: ",
        "positional arguments",
        "options",
        "show this help message and exit",
        "%(prog)s: error: %(message)s\n",
        "argument %(argument_name)s: %(message)s",
        "the following arguments are required: %s",
        "unrecognized arguments: %s",
        "invalid choice: %(value)r (choose from %(choices)s)",
        "invalid %(type)s value: %(value)r",
        "expected one argument",
        "ambiguous option: %(option)s could match %(matches)s",
    ):
        assert danish_parser.CATALOGUE[message_id] != message_id
