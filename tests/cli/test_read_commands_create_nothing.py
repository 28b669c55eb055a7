"""Issue 18: the commands that read never create a database, and no input ends in a traceback.

``check``, ``audit …``, ``pdf …``, ``backup`` and ``restore`` are run as a user runs them (a process of its own, its
home and XDG folders in the test's folder) on a mistyped path, a 0-byte file, no database at all, and words that are
no path; each is refused in Danish with exit status 2, and the folder — the home with the default database's folder
included — is exactly as before: no file, no ``-wal``/``-shm``, no folder. Then hostile input: numbers out of range,
a folder where a file belongs, names too long or not UTF-8, an unknown patient or admission, and a damaged file that
``audit verify`` must not write its login line into.
"""

from __future__ import annotations

import errno
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers.commands import run_koordinator
from helpers.sandbox import home_environment
from helpers.tamper import damage_a_table_page
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte
from sqlalchemy import text

import coordinator_app
from coordinator_app.cli import commands as cli
from coordinator_app.storage.database import open_database

#: The repository, so the command runs from any folder (``cwd``) as the installed entry point would.
SOURCE = str(Path(coordinator_app.__file__).resolve().parents[1])
#: Every command that only reads the database (or copies it); ``{out}`` is a file in the test's folder.
READ_COMMANDS = {
    "check": ["check"],
    "check --fuld": ["check", "--fuld"],
    "audit verify": ["audit", "verify"],
    "audit export": ["audit", "export", "--patient", "1", "-o", "{out}/log.csv"],
    "pdf varslingsblanket": ["pdf", "varslingsblanket", "--admission", "1", "-o", "{out}/blanket.pdf"],
    "pdf udskrivningsaftale": ["pdf", "udskrivningsaftale", "--admission", "1", "-o", "{out}/aftale.pdf"],
    "pdf koordinationsplan": ["pdf", "koordinationsplan", "--admission", "1", "-o", "{out}/plan.pdf"],
    "backup": ["backup"],
    "backup --to": ["backup", "--to", "{out}/kopier"],
    "restore": ["restore", "{out}/kopi.db"],
    "checkout": ["checkout", "--admission", "1", "-o", "{out}/offline.kdb"],  # issue 19: reads the ward, writes a copy
}


def snapshot(folder: Path) -> set[tuple[str, int]]:
    """Every file and folder below ``folder`` with its size: what a command must leave as it was."""
    return {(str(p.relative_to(folder)), p.stat().st_size if p.is_file() else -1) for p in folder.rglob("*")}


@pytest.fixture
def place(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The test's folder with a home of its own in it (the default database's folder would be made there), a valid
    backup to restore from, and the environment a user's shell would give the command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_")}
    env.update(home_environment(tmp_path / "hjem"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [SOURCE, env.get("PYTHONPATH")]))
    env["KOORDINATOR_EXPORT_PASSWORD"] = "Indsigt-2026-test"
    backup = open_database(tmp_path / "kopi.db")  # a real (plain) database file to restore from
    backup.dispose()
    return tmp_path, env


def run_in(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_koordinator(*(a.replace("{out}", str(folder)) for a in args), env=env, cwd=folder)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.mark.parametrize("command", READ_COMMANDS.values(), ids=READ_COMMANDS.keys())
def test_a_mistyped_or_empty_database_is_refused_and_nothing_is_created(place, command: list[str]) -> None:
    folder, env = place
    (folder / "tom.db").write_bytes(b"")
    before = snapshot(folder)
    typo = run_in(folder, env, "--database", str(folder / "kordinator.db"), *command)
    refused(typo, f"Databasen {folder / 'kordinator.db'} findes ikke", "Intet er")
    empty = run_in(folder, env, "--database", str(folder / "tom.db"), *command)
    refused(empty, "tom (0 byte)", "Intet er ændret")
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", READ_COMMANDS.values(), ids=READ_COMMANDS.keys())
def test_without_a_database_nothing_is_created_not_even_its_folder(place, command: list[str]) -> None:
    """No ``--database`` and no choice from a first run: the user's default file, which does not exist yet."""
    folder, env = place
    before = snapshot(folder)
    refused(run_in(folder, env, *command), "koordinator.db", "findes ikke")
    assert snapshot(folder) == before
    assert not (folder / "hjem" / ".local" / "share" / "Koordinator").exists()


@pytest.mark.parametrize(
    ("database", "words"),
    [
        pytest.param("not a url at all", "ligner hverken en filsti eller en databaseadresse", id="words"),
        pytest.param("a" * 5000, "stien er for lang", id="5000-characters"),
        pytest.param(f"{'b' * 300}.db", "navnet er for langt", id="name-over-255"),
        pytest.param("mysql://bruger@server/db", "kun bruge SQLite eller PostgreSQL", id="other-engine"),
        pytest.param("sqlite://", "i hukommelsen er altid tom", id="in-memory"),
        pytest.param(os.fsdecode(b"ikke-utf8-\xff.db"), "findes ikke", id="not-utf-8"),
        pytest.param("mappe", "er en mappe", id="a-folder"),
    ],
)
def test_a_database_name_that_cannot_be_one_is_refused_in_danish(place, database: str, words: str) -> None:
    folder, env = place
    (folder / "mappe").mkdir()
    before = snapshot(folder)
    refused(run_in(folder, env, "--database", database, "check"), words)
    refused(run_in(folder, env, "--database", database, "audit", "verify"), words)
    assert snapshot(folder) == before


# -- hostile input on a real database -------------------------------------------------------------------------


@pytest.fixture
def ward(place) -> tuple[Path, dict[str, str], Path, int, int]:
    """A ward database (no users yet: no login) with one varslet admission: (folder, env, file, patient, admission)."""
    folder, env = place
    path = folder / "ward.db"
    db = open_database(path)
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC), user="koordinator")
    created = admit_in_glostrup(ctx)
    varsle_gentofte(ctx, created)
    db.dispose()
    return folder, env, path, created.patient_id, created.admission_id


def audit_lines(path: Path) -> int:
    db = open_database(path, migrate=False)
    try:
        with db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one())
    finally:
        db.dispose()


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("command", "words"),
    [
        pytest.param(["pdf", "varslingsblanket", "--admission", HUGE], "Indlæggelsens nummer skal", id="pdf-overflow"),
        pytest.param(["pdf", "koordinationsplan", "--admission", "-3"], "Indlæggelsens nummer skal", id="pdf-negative"),
        pytest.param(["pdf", "udskrivningsaftale", "--admission", "0"], "fra 1 til", id="pdf-zero"),
        pytest.param(["pdf", "varslingsblanket", "--admission", "٣"], "helt tal", id="pdf-arabic-digit"),
        pytest.param(["audit", "export", "--patient", HUGE], "Patientens nummer skal", id="audit-overflow"),
        pytest.param(["audit", "export", "--patient", "-1"], "Patientens nummer skal", id="audit-negative"),
        pytest.param(["audit", "export", "--patient", "tre"], "helt tal", id="audit-words"),
    ],
)
def test_a_number_out_of_range_is_refused_before_the_database_is_opened(ward, command, words: str) -> None:
    folder, env, path, _, _ = ward
    lines, before = audit_lines(path), snapshot(folder)
    result = run_in(folder, env, "--database", str(path), *command, "-o", "{out}/ud.pdf")
    refused(result, words, "Brug: koordinator")
    assert snapshot(folder) == before and audit_lines(path) == lines


def test_an_unknown_patient_is_refused_before_anything_is_written_or_logged(ward) -> None:
    folder, env, path, _, _ = ward
    lines, before = audit_lines(path), snapshot(folder)
    result = run_in(folder, env, "--database", str(path), "audit", "export", "--patient", "424242", "-o", "{out}/x.csv")
    refused(result, "Patient nr. 424242 findes ikke", "Intet er gemt eller logget")
    assert snapshot(folder) == before and audit_lines(path) == lines


def test_an_unknown_admission_is_said_in_the_command_lines_words(ward) -> None:
    folder, env, path, _, _ = ward
    result = run_in(folder, env, "--database", str(path), "pdf", "varslingsblanket", "--admission", "424242", "-o",
                    "{out}/x.pdf")  # fmt: skip
    refused(result, "Indlæggelse nr. 424242 findes ikke", "Kontrollér nummeret")
    assert "opdatér listen" not in result.stderr.lower() and not (folder / "x.pdf").exists()


@pytest.mark.parametrize(
    ("target", "words"),
    [
        pytest.param("{out}", "er en mappe", id="a-folder"),
        pytest.param("{out}/mangler/x.csv", "findes ikke", id="missing-folder"),
        pytest.param("{out}/" + "n" * 300 + ".csv", "navnet er for langt", id="name-too-long"),
    ],
)
def test_an_export_target_that_cannot_be_written_is_refused_before_logging(ward, target: str, words: str) -> None:
    folder, env, path, patient, _ = ward
    lines = audit_lines(path)
    result = run_in(folder, env, "--database", str(path), "audit", "export", "--patient", str(patient), "-o", target)
    refused(result, words)
    assert audit_lines(path) == lines


def test_restore_of_a_folder_or_a_missing_backup_is_refused(ward) -> None:
    folder, env, path, _, _ = ward
    before = path.read_bytes()
    refused(run_in(folder, env, "--database", str(path), "restore", str(folder)), "er en mappe")
    refused(run_in(folder, env, "--database", str(path), "restore", "{out}/ingen.db"), "ingen.db", "findes ikke")
    (folder / "tom-kopi.db").write_bytes(b"")
    refused(run_in(folder, env, "--database", str(path), "restore", "{out}/tom-kopi.db"), "er tom (0 byte)")
    assert path.read_bytes() == before


def test_restore_onto_a_missing_database_needs_ny(place) -> None:
    """``--ny`` is the explicit create: the backup laid down where the lost database was."""
    folder, env = place
    target = folder / "tabt.db"
    refused(run_in(folder, env, "--database", str(target), "restore", "{out}/kopi.db"), "findes ikke", "--ny")
    assert not target.exists()
    result = run_in(folder, env, "--database", str(target), "restore", "{out}/kopi.db", "--ny")
    assert result.returncode == 0, result.stderr
    assert "er gendannet fra" in result.stdout and target.stat().st_size > 0


def test_a_damaged_file_is_not_written_to_by_audit_or_pdf(ward) -> None:
    """``check`` calls it damaged; ``audit verify`` (whose login writes a line) and ``pdf`` leave it untouched."""
    folder, env, path, _, admission = ward
    damage_a_table_page(path)
    refused(run_in(folder, env, "--database", str(path), "check"), "er beskadiget")
    before = path.read_bytes()
    refused(run_in(folder, env, "--database", str(path), "audit", "verify"), "er beskadiget", "intet skrives i den")
    result = run_in(folder, env, "--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission),
                    "-o", "{out}/x.pdf")  # fmt: skip
    refused(result, "er beskadiget")
    assert path.read_bytes() == before and not (folder / "x.pdf").exists()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_database_without_read_permission_is_said_in_danish(ward, monkeypatch, capsys) -> None:
    """In the program itself, the file's first read failing as a file without read permission does (the suite may run
    as root, whom ``chmod 0`` does not stop)."""
    _folder, _env, path, _, _ = ward
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    assert cli.main(["--database", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert "ingen adgang" in err and "Permission denied" not in err and "Traceback" not in err


# -- what no process can be given: NUL bytes, in the program itself ----------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--database", "ward\x00.db", "check"], id="database"),
        pytest.param(["--database", "x.db", "pdf", "varslingsblanket", "--admission", "1", "-o", "a\x00.pdf"], id="o"),
        pytest.param(["--database", "x.db", "restore", "k\x00opi.db"], id="restore"),
        pytest.param(["--database", "x.db", "backup", "--to", "mappe\x00"], id="backup-to"),
    ],
)
def test_a_nul_byte_is_refused_in_danish(argv: list[str], tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    status: object
    try:
        status = cli.main(argv)
    except SystemExit as exit_:  # argparse's refusal of an argument
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert "styretegn" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
