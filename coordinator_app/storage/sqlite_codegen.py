"""Writes ``storage/selects_sqlite.py``: ``storage.selects``' reads compiled for SQLite, with their rows' converters.

Run ``.venv/bin/python -m coordinator_app.storage.sqlite_codegen`` after changing a select in ``storage.selects``
or a column type in ``storage.orm``, and commit what it writes; ``tests/storage/test_selects.py`` fails while the
committed file is not what this writes now.

Each read (``READS``) becomes a ``sqlite_rows.SqliteRead``: the select's SQLite text (its expanding "IN" parameter,
which SQLAlchemy compiles to ``__[POSTCOMPILE_ids]``, becomes ``sqlite_rows.ID_LIST``: the reader puts "?, ?, …"
there), the names of its columns and bound parameters, the values the select binds itself, and a converter of its
rows. The converter is one comprehension with each column's decoding written out (``DECODE``, by ORM type; a
nullable column's ``None`` passes): a loop over per-column decoders costs about twice as much, which the list's
10,000 rows would feel (``benchmarks/run.py --only query``). The generated module imports no SQLAlchemy.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, LargeBinary, Select, String
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.expression import ColumnElement, FromClause, Join

from coordinator_app.storage import selects
from coordinator_app.storage.sqlite_rows import ID_LIST, IDS
from coordinator_app.storage.types import JSONDict, UTCDateTime

#: Any select, whatever its columns.
AnySelect = Select[*tuple[Any, ...]]

#: The generated module.
TARGET = Path(__file__).with_name("selects_sqlite.py")
#: The one command that rewrites it (the stale-file test names it).
COMMAND = ".venv/bin/python -m coordinator_app.storage.sqlite_codegen"

#: name in ``selects_sqlite`` → (the select, the row class its converter makes; None: plain tuples).
READS: dict[str, tuple[AnySelect, str | None]] = {
    "LIST": (selects.LIST, "ListRow"),
    "CURRENT_LIST": (selects.CURRENT_LIST, "ListRow"),
    "EVENTS_OF_ADMISSIONS": (selects.EVENTS_OF_ADMISSIONS, None),
    "ADMISSIONS_BY_ID": (selects.ADMISSIONS_BY_ID, None),
    "CLOSED_MEETINGS_OF_ADMISSIONS": (selects.CLOSED_MEETINGS_OF_ADMISSIONS, None),
    "TEMPLATES_BY_ID": (selects.TEMPLATES_BY_ID, None),
    "STAMP_VERSIONS": (selects.STAMP_VERSIONS, None),
    "STAMP_VERSIONS_OF": (selects.STAMP_VERSIONS_OF, None),
    "STAMP_NEWEST": (selects.STAMP_NEWEST, None),
    "STAMP_NEWEST_OF": (selects.STAMP_NEWEST_OF, None),
    "KOMMUNE_COUNT": (selects.KOMMUNE_COUNT, None),
    "KOMMUNE_NAMES": (selects.KOMMUNE_NAMES, None),
    "CENTRES_WITH_WARDS": (selects.CENTRES_WITH_WARDS, None),
    "META_VALUE": (selects.META_VALUE, None),
    "USER_COUNT": (selects.USER_COUNT, None),
}

#: How SQLite hands back a (non-NULL) value of each ORM type that needs decoding, as an expression of the driver's
#: value ``{v}`` through ``sqlite_rows``' converters (checked before ``PLAIN``).
DECODE: tuple[tuple[type[Any], str], ...] = (
    (Date, "day({v})"),
    (Boolean, "{v} == 1"),
    (UTCDateTime, "moment({v})"),
    (JSONDict, "document({v})"),
)
#: Types SQLite returns as the app uses them (text, numbers, bytes); ``Text``, ``CHAR`` and ``SmallInteger`` included.
PLAIN: tuple[type[Any], ...] = (String, Integer, LargeBinary)

_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")
_WIDTH = 120


def render() -> str:
    """The text of ``selects_sqlite.py`` as the selects and the ORM types make it now."""
    converters: dict[str, str] = {}  # a converter's code → its name (LIST and CURRENT_LIST share one)
    reads: list[str] = []
    for name, (select, row_class) in READS.items():
        values = decoded_columns(select)
        plain = all(value == f"c{i}" for i, value in enumerate(values))
        function = converters.setdefault(
            _converter(values, row_class), f"_plain{len(values)}" if plain else f"_{name.lower()}"
        )
        reads.append(_read(name, select, row_class, function))
    functions = [code.replace("def _rows(", f"def {function}(", 1) for code, function in converters.items()]
    body = "\n\n".join([*functions, *reads])
    return f"{_header(body)}\n\n{body}"


_HEADER = '''"""SQLite's text of ``storage.selects``' reads, with their rows' converters. GENERATED: do not edit.

Written by ``{command}``; ``tests/storage/test_selects.py`` fails while
this is stale. Imports no SQLAlchemy: the first screen reads with it before SQLAlchemy loads
(``storage.quick_read``).
"""

# fmt: off
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from coordinator_app.storage.sqlite_rows import {names}
'''


def _header(body: str) -> str:
    """The module's docstring and imports: ``sqlite_rows``' names the body uses."""
    with_list_row = re.search(r"\bListRow\b", body) is not None
    converters = [n for n in ("day", "document", "moment") if re.search(rf"\b{n}\(", body)]
    names = ", ".join([*(["ListRow"] if with_list_row else []), "SqliteRead", *converters])
    header = _HEADER.format(command=COMMAND, names=names)
    return header + "\n_new = tuple.__new__\n" if with_list_row else header


def _converter(values: list[str], row_class: str | None) -> str:
    """A function ``_rows`` (renamed by ``render``) making each row of ``values`` (``decoded_columns``)."""
    names = [f"c{i}" for i in range(len(values))]
    made = row_class or "tuple[Any, ...]"
    row = (f"_new({row_class}, (", "))") if row_class else ("(", ")")
    trail = "," if len(names) == 1 else ""
    made_row = f"{row[0]}{', '.join(values)}{trail}{row[1]}"
    loop = f"for ({', '.join(names)}{trail}) in rows" if trail else f"for {', '.join(names)} in rows"
    if max(len(made_row), len(loop)) + 8 <= _WIDTH:  # short: one line each
        comprehension = [f"        {made_row}", f"        {loop}"]
    else:
        comprehension = [
            f"        {row[0]}",
            *_wrapped(values, " " * 12),
            f"        {row[1]}",
            "        for (",
            *_wrapped(names, " " * 12),
            "        ) in rows",
        ]
    lines = [f"def _rows(rows: Iterable[Sequence[Any]]) -> list[{made}]:", "    return [", *comprehension, "    ]"]
    return "\n".join(lines) + "\n"


def decoded_columns(select: AnySelect) -> list[str]:
    """Each column's value decoded from the driver's ``c0``, ``c1``, …"""
    outer = _outer_joined(select)
    return [_decoded(column, f"c{i}", outer) for i, column in enumerate(select.selected_columns)]


def _decoded(column: ColumnElement[Any], name: str, outer: set[str]) -> str:
    kind = column.type
    for cls, expression in DECODE:
        if isinstance(kind, cls):
            decoded = expression.format(v=name)
            return f"None if {name} is None else {decoded}" if _nullable(column, outer) else decoded
    if isinstance(kind, PLAIN):
        return name
    raise TypeError(f"{column}: no SQLite decoding for {type(kind).__name__}; add it to sqlite_codegen.DECODE or PLAIN")


def _nullable(column: ColumnElement[Any], outer: set[str]) -> bool:
    """Whether the column can come back NULL: a nullable column, one of an outer-joined table, or an expression."""
    if not isinstance(column, Column):
        return True
    return bool(column.nullable) or column.table.name in outer


def _outer_joined(select: AnySelect) -> set[str]:
    """The names of the tables on the NULL side of the select's outer joins (by name: an ORM attribute's table is
    an annotated copy of the join's)."""
    found: set[str] = set()

    def walk(clause: FromClause, null_side: bool) -> None:
        if isinstance(clause, Join):
            walk(clause.left, null_side or clause.full)
            walk(clause.right, null_side or clause.isouter)
        elif null_side:
            found.add(getattr(clause, "name", ""))

    for clause in select.get_final_froms():
        walk(clause, False)
    return found


def _read(name: str, select: AnySelect, row_class: str | None, function: str) -> str:
    compiled = select.compile(dialect=sqlite.dialect())
    sql = str(compiled)
    if ID_LIST in sql:
        raise ValueError(f"{name}: the SQL holds {ID_LIST!r}, which marks the id list")
    parameters: list[str] = []
    values: dict[str, Any] = {}
    for parameter in compiled.positiontup or ():
        bind = compiled.binds[parameter]
        parameters.append(parameter)
        if bind.expanding:
            if parameter != IDS:
                raise ValueError(f"{name}: an expanding parameter must be selects.ids(), not {parameter!r}")
        elif not bind.required:
            values[parameter] = bind.effective_value
    expanded = _POSTCOMPILE.findall(sql)
    if expanded not in ([], [IDS]):
        raise ValueError(f"{name}: one id list at most, as selects.ids(); found {expanded}")
    sql = sql.replace(f"__[POSTCOMPILE_{IDS}]", ID_LIST)
    row_type = row_class or "tuple[Any, ...]"
    columns = select.selected_columns.keys()  # their names, made unique as SQLAlchemy's result names them
    lines = [
        f"#: ``selects.{name}``",
        f"{name}: SqliteRead[{row_type}] = SqliteRead(",
        "    sql=(",
        *(f"        {_literal(part)}" for part in _sql_lines(sql)),
        "    ),",
        "    columns=(",
        *_wrapped(map(_literal, columns), " " * 8),
        "    ),",
        f"    parameters={_tuple(parameters)},",
        f"    values={{{', '.join(f'{_literal(k)}: {_literal(v)}' for k, v in values.items())}}},",
        f"    convert={function},",
        ")",
    ]
    return "\n".join(lines) + "\n"


def _literal(value: object) -> str:
    """A Python literal of a str, int or bool; strings in double quotes (single ones around a double quote)."""
    if isinstance(value, bool | int):
        return repr(value)
    if not isinstance(value, str) or any(ord(ch) < 32 and ch != "\n" for ch in value):
        raise TypeError(f"cannot write {value!r} into the generated module")
    text = value.replace("\\", "\\\\").replace("\n", "\\n")
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', '\\"') + '"'


def _tuple(items: list[str]) -> str:
    texts = [_literal(item) for item in items]
    return f"({texts[0]},)" if len(texts) == 1 else f"({', '.join(texts)})"


def _sql_lines(sql: str) -> list[str]:
    """The SQL cut into pieces that fit a line as literals, each clause (after a line break) a new piece; joined,
    they are the SQL again."""
    pieces: list[str] = []
    for token in re.findall(r"\S+\s*|\s+", sql):
        if pieces and not pieces[-1].endswith("\n") and len(_literal(pieces[-1] + token)) + 8 <= _WIDTH:
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


def _wrapped(items: Iterable[str], indent: str) -> list[str]:
    """``items`` comma-separated over lines of at most ``_WIDTH`` characters, each line ending in a comma."""
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line} {item}," if line else f"{indent}{item},"
        if line and len(candidate) > _WIDTH:
            lines.append(line)
            candidate = f"{indent}{item},"
        line = candidate
    if line:
        lines.append(line)
    return lines


def main() -> int:
    text = render()
    if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text:
        print(f"{TARGET} er allerede opdateret")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"Skrev {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
