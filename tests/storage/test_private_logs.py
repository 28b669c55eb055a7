"""Logs hold no patient data (issue 18, point 9): a failing statement's parameters are hidden by the engine
(``hide_parameters``), and a logged exception shows its type and code locations, never its text — on both backends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra import logs
from coordinator_app.storage.database import Database

CPR = "0101909909"  # synthetic (løbenummer 99xx)
NAME = "Fiktivsen"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's own handler and formatter, on a file of the test's."""
    path = tmp_path / "koordinator.log"
    handler = logs.PrivateRotatingFileHandler(path, encoding="utf-8")
    handler.setFormatter(logs.PrivateFormatter(logs.FORMAT))
    root = logging.getLogger("koordinator")
    root.addHandler(handler)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()


def _shown(exc: BaseException) -> str:
    """What can reach a user: a ``KoordinatorError``'s Danish message (its cause only goes to the log, without its
    text — PostgreSQL's "Failing row contains (…)" is there), anything else's text."""
    return exc.message if isinstance(exc, KoordinatorError) else str(exc)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT :cpr, :name FROM no_such_table",  # an error nobody translates: a bug, shown to the crash handler
        "INSERT INTO patients (cpr, given_name) VALUES (:cpr, :name)",  # NOT NULL: translated to Danish
    ],
    ids=["untranslated", "integrity"],
)
def test_a_failing_statements_cpr_and_name_reach_neither_the_log_nor_the_message(
    database: Database, log_file: Path, statement: str
) -> None:
    with pytest.raises(Exception) as caught:
        with database.session() as session:
            session.execute(text(statement), {"cpr": CPR, "name": NAME})
    logging.getLogger("koordinator.test").error("Uventet fejl", exc_info=caught.value)
    logged = log_file.read_text(encoding="utf-8")
    assert "Uventet fejl" in logged and "(teksten udeladt)" in logged
    shown = _shown(caught.value)
    for secret in (CPR, NAME):
        assert secret not in logged
        assert secret not in shown


def test_an_exceptions_text_is_left_out_of_the_log_with_its_causes(log_file: Path) -> None:
    try:
        try:
            raise KeyError(CPR)
        except KeyError as inner:
            raise ValueError(f"{NAME} {CPR}") from inner
    except ValueError:
        logging.getLogger("koordinator.test").exception("Uventet fejl: %s", "ValueError")
    logged = log_file.read_text(encoding="utf-8")
    assert "builtins.ValueError (teksten udeladt)" in logged
    assert "builtins.KeyError (teksten udeladt)" in logged  # the cause's type, also without its text
    assert "test_private_logs.py" in logged  # the code locations are kept
    assert CPR not in logged and NAME not in logged
