"""argparse in Danish (issue 18): ``koordinator --help``, every subcommand's help and every usage error.

argparse words its own texts — "usage:", "positional arguments", "options", "show this help message and exit",
"error: the following arguments are required", "invalid choice" — through ``gettext`` under the names ``_`` and
``ngettext`` in its module, looked up when each text is made (Python 3.11 and later). ``DanishArgumentParser`` swaps
those two names for the Danish catalogue below while it builds, parses and formats, and puts them back after (a
library or test framework in the same process keeps its English); its subparsers are of the same class
(argparse's default ``parser_class``). A text missing from the catalogue stays English, which
``tests/cli/test_danish_cli.py`` catches for every command's help and the usual errors. A process-wide
``gettext`` catalogue (a compiled ``.mo`` and ``LANGUAGE``) was the alternative: it needs a locale set up and reaches
every other user of the ``messages`` domain.

``record_id`` (a record's number: 1 … 2⁶³−1, refused before it reaches the database) and ``file_argument`` (a path
the file system can take) are the type checks of the commands' arguments, with Danish messages.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from coordinator_app.infra.oserrors import path_problem

__all__ = ["CATALOGUE", "DanishArgumentParser", "danish", "file_argument", "record_id"]

#: argparse's message ids (as in its source) → Danish. ``%`` fields keep their names; argparse fills them in.
CATALOGUE: dict[str, str] = {
    "usage: ": "Brug: ",
    "positional arguments": "Argumenter",
    "options": "Tilvalg",
    "optional arguments": "Tilvalg",  # Python < 3.10's name, kept for safety
    "subcommands": "Kommandoer",
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets version og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse skal angives: %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ukendt valg %(value)r (vælg mellem %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "ukendt kommando %(parser_name)r (vælg mellem %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ugyldig værdi %(value)r",
    "expected one argument": "mangler en værdi",
    "expected at most one argument": "tager højst én værdi",
    "expected at least one argument": "mangler mindst én værdi",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "tager ingen værdi (fik %r)",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydigt tilvalg %(option)s: kan være %(matches)s",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "option '%(option)s' is deprecated": "tilvalget '%(option)s' udgår",
    "command '%(parser_name)s' is deprecated": "kommandoen '%(parser_name)s' udgår",
    "argument '%(argument_name)s' is deprecated": "argumentet '%(argument_name)s' udgår",
}
#: ``ngettext``'s singular message id → (Danish singular, Danish plural).
PLURALS: dict[str, tuple[str, str]] = {
    "expected %s argument": ("mangler %s værdi", "mangler %s værdier"),
    "conflicting option string: %s": ("tilvalget findes allerede: %s", "tilvalgene findes allerede: %s"),
}

#: The largest number a record can have (SQLite's and PostgreSQL's BIGINT); larger ones are refused before a query.
MAX_ID = 2**63 - 1


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    danish = PLURALS.get(singular)
    if danish is None:
        return singular if n == 1 else plural
    return danish[0] if n == 1 else danish[1]


_depth = 0


@contextmanager
def danish() -> Iterator[None]:
    """argparse speaks Danish inside the block (re-entrant; argparse's own ``_``/``ngettext`` are restored after)."""
    global _depth
    module: Any = argparse
    saved = {name: getattr(module, name) for name in ("_", "ngettext") if hasattr(module, name)}
    if _depth == 0:
        module._ = _gettext
        module.ngettext = _ngettext
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            for name in ("_", "ngettext"):
                if name in saved:
                    setattr(module, name, saved[name])
                else:
                    delattr(module, name)


class DanishArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help, usage and errors are Danish; its subparsers are too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with danish():
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with danish():  # "unrecognized arguments" is worded here, outside parse_known_args
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with danish():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with danish():
            return super().format_usage()

    def format_help(self) -> str:
        with danish():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """The usage, the Danish error and where to read more; exit status 2 (as argparse)."""
        with danish():
            self.print_usage(sys.stderr)
            hint = f"Skriv «{self.prog} --help» for at se, hvad kommandoen tager.\n"
            self.exit(2, _gettext("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message} + hint)


def record_id(what: str) -> Callable[[str], int]:
    """The type of a ``--admission``/``--patient`` argument: a whole number from 1 to 2⁶³−1, else refused in Danish
    ("``what`` skal være …") before anything is opened — a larger number would overflow the database's integer."""

    def parse(text: str) -> int:
        raw = text.strip()
        if not raw.isascii() or not raw.isdigit():
            raise argparse.ArgumentTypeError(f"{what} skal være et helt tal fra 1 og opefter, ikke «{_short(text)}»")
        number = int(raw)
        if not 1 <= number <= MAX_ID:
            raise argparse.ArgumentTypeError(
                f"{what} skal være et helt tal fra 1 til {MAX_ID:,}".replace(",", ".") + f", ikke «{_short(text)}»"
            )
        return number

    parse.__name__ = "nummer"
    return parse


def file_argument(text: str) -> str:
    """The type of a file or folder argument (``-o``, ``--to``, ``restore FIL``): refused in Danish when the file
    system could not take the name (empty, a control character such as NUL, too long)."""
    problem = path_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"«{_short(text)}» kan ikke bruges: {problem}")
    return text


def _short(text: str) -> str:
    shown = text.encode("utf-8", "backslashreplace").decode("utf-8")
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)
    return shown if len(shown) <= 60 else f"{shown[:40]}…"
