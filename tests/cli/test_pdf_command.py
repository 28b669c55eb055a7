"""`koordinator [--database URL] pdf varslingsblanket --admission ID -o FILE`, run as a user would."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from helpers.commands import run_koordinator
from helpers.folders import read_only_folder_if_named
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte

from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.storage.database import open_database


@pytest.fixture
def database_file(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "ward.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    sent = admit_in_glostrup(ctx)
    silent = admit_in_glostrup(ctx, cpr="020290-9909", given_name="Anders", kommune="101")
    varsle_gentofte(ctx, sent)
    db.dispose()
    return path, sent.admission_id, silent.admission_id


#: A synthetic password for the exported file (issue 8: outside demo databases a PDF leaves encrypted).
EXPORT_PASSWORD = "Blanket-2026-test"


def run(*args: str, password: str | None = EXPORT_PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KOORDINATOR_EXPORT_PASSWORD"}
    if password is not None:
        env["KOORDINATOR_EXPORT_PASSWORD"] = password
    return run_koordinator(*args, env=env)


def test_pdf_command_writes_and_archives_the_varslingsblanket(database_file, tmp_path: Path) -> None:
    path, admission_id, _ = database_file
    out = tmp_path / "blanket.pdf"
    result = run("--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Varsling" in result.stdout and "krypteret" in result.stdout
    reader = pypdf.PdfReader(out)
    assert reader.is_encrypted  # a real (non-demo) database: the file leaves AES-256 encrypted
    assert not reader.decrypt("forkert adgangskode")
    reader = pypdf.PdfReader(out)
    assert reader.decrypt(EXPORT_PASSWORD)
    db = open_database(f"sqlite:///{path}")
    documents = DocumentService(ServiceContext(database=db)).documents(admission_id)
    assert len(documents) == 2  # the one sent from the app and the one just issued
    assert documents[0].id is not None
    archived = pypdf.PdfReader(io.BytesIO(DocumentService(ServiceContext(database=db)).content(documents[0].id)))
    db.dispose()
    assert [p.extract_text() for p in reader.pages] == [p.extract_text() for p in archived.pages]


def archived_count(path: Path, admission_id: int) -> int:
    db = open_database(f"sqlite:///{path}")
    try:
        return len(DocumentService(ServiceContext(database=db)).documents(admission_id))
    finally:
        db.dispose()


#: An ``-o`` that cannot be written, and the Danish words that say why (issue 17).
UNWRITABLE = [
    pytest.param("mangler/blanket.pdf", "findes ikke", id="missing-folder"),
    pytest.param("mappe", "er en mappe", id="folder-as-target"),
    pytest.param("skrivebeskyttet/blanket.pdf", "Der kan ikke gemmes filer i mappen", id="read-only-folder"),
]


@pytest.mark.parametrize(("target", "phrase"), UNWRITABLE)
def test_a_pdf_that_cannot_be_written_is_refused_in_danish_and_archives_nothing(
    database_file, tmp_path: Path, target: str, phrase: str
) -> None:
    """Issue 17: two failed writes once made two permanent archive entries. Now the target is checked first (rc 2,
    Danish, nothing archived, twice over), and a good target afterwards archives exactly one."""
    path, admission_id, _ = database_file
    (tmp_path / "mappe").mkdir()
    before = archived_count(path, admission_id)
    folder = tmp_path / "skrivebeskyttet"
    with read_only_folder_if_named(folder, target):
        for _ in range(2):
            out = tmp_path / target
            args = ("--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id))
            result = run(*args, "-o", str(out))
            assert result.returncode == 2, result.stdout
            assert phrase in result.stderr and "Intet er gemt" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
            assert archived_count(path, admission_id) == before
        assert not folder.exists() or list(folder.iterdir()) == []
    assert list((tmp_path / "mappe").iterdir()) == []
    result = run(*args, "-o", str(tmp_path / "blanket.pdf"))
    assert result.returncode == 0, result.stderr
    assert archived_count(path, admission_id) == before + 1


@pytest.mark.parametrize(("target", "phrase"), UNWRITABLE)
def test_a_plan_pdf_that_cannot_be_written_is_refused_and_issues_nothing(
    tmp_path: Path, target: str, phrase: str
) -> None:
    """A plan's PDF was archived when it was put in force: a failed ``-o`` adds nothing, a good one nothing either."""
    from coordinator_app.services.plans import PlanService
    from coordinator_app.services.setup import load_demo_ward

    path = tmp_path / "demo.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    load_demo_ward(ctx)
    plans = PlanService(ctx)
    admission_id, kind = next(
        (row.admission_id, p.kind)
        for row in AdmissionService(ctx).list_rows()
        for p in plans.panel(row.admission_id).plans
        if p.document_id is not None
    )
    db.dispose()
    (tmp_path / "mappe").mkdir()
    before = archived_count(path, admission_id)
    args = ("--database", str(path), "pdf", kind.value, "--admission", str(admission_id))
    with read_only_folder_if_named(tmp_path / "skrivebeskyttet", target):
        result = run(*args, "-o", str(tmp_path / target))
        assert (result.returncode, "Traceback" in result.stderr) == (2, False), result.stderr
        assert phrase in result.stderr and "Intet er gemt" in result.stderr, result.stderr
    assert archived_count(path, admission_id) == before
    assert run(*args, "-o", str(tmp_path / "plan.pdf")).returncode == 0
    assert archived_count(path, admission_id) == before


def test_pdf_command_without_an_export_password_writes_nothing(database_file, tmp_path: Path) -> None:
    path, admission_id, _ = database_file
    out = tmp_path / "blanket.pdf"
    result = run(
        "--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id), "-o", str(out),
        password=None,
    )  # fmt: skip
    assert result.returncode == 2
    assert "KOORDINATOR_EXPORT_PASSWORD" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_pdf_command_explains_in_danish_when_there_is_nothing_to_print(database_file, tmp_path: Path) -> None:
    path, _, silent_id = database_file
    out = tmp_path / "x.pdf"
    result = run("--database", str(path), "pdf", "varslingsblanket", "--admission", str(silent_id), "-o", str(out))
    assert result.returncode == 2
    assert "endnu ingen" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    result = run("--database", str(path), "pdf", "varslingsblanket", "--admission", "9999", "-o", str(out))
    assert result.returncode == 2
    assert "findes ikke" in result.stderr


def test_pdf_command_writes_the_archived_plan_in_force(tmp_path: Path) -> None:
    """`pdf udskrivningsaftale`/`koordinationsplan`: the exact archived bytes, nothing new issued (E1, E2)."""
    from coordinator_app.domain.discharge_plans import PlanKind
    from coordinator_app.services.plans import PlanService
    from coordinator_app.services.setup import load_demo_ward

    path = tmp_path / "demo.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    load_demo_ward(ctx)
    plans = PlanService(ctx)
    in_force = {}
    missing = None
    for row in AdmissionService(ctx).list_rows():
        panel = plans.panel(row.admission_id)
        for p in panel.plans:
            if p.document_id is not None:
                in_force[p.kind] = (row.admission_id, p.document_id)
        if panel.overview.requirement.kind is PlanKind.UDSKRIVNINGSAFTALE and not panel.plans:
            missing = row.admission_id
    before = {k: DocumentService(ctx).content(doc) for k, (_, doc) in in_force.items()}
    db.dispose()
    assert set(in_force) == {PlanKind.UDSKRIVNINGSAFTALE, PlanKind.KOORDINATIONSPLAN} and missing is not None
    for kind, (admission_id, _) in in_force.items():
        out = tmp_path / f"{kind}.pdf"
        result = run("--database", str(path), "pdf", kind.value, "--admission", str(admission_id), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_bytes() == before[kind]
    out = tmp_path / "none.pdf"
    result = run("--database", str(path), "pdf", "udskrivningsaftale", "--admission", str(missing), "-o", str(out))
    assert (result.returncode, "Traceback" in result.stderr, out.exists()) == (2, False, False)
    assert "ingen udskrivningsaftale, der er sat i kraft" in result.stderr


def test_on_the_demo_ward_both_plan_documents_print_without_login_or_password(tmp_path: Path) -> None:
    """`koordinator --database demo.db pdf koordinationsplan|udskrivningsaftale --admission N -o F` on the demo ward
    (issue 16: it has both kinds in force): no login, no export password — a demo's fictitious documents leave
    plain, byte for byte the archived PDF."""
    from coordinator_app.domain.discharge_plans import PlanKind
    from coordinator_app.services.plans import PlanService
    from coordinator_app.services.setup import load_demo_ward

    path = tmp_path / "demo.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 12, 7, 9, tzinfo=UTC))  # a day the demo once had no koordinationsplan
    load_demo_ward(ctx)
    plans = PlanService(ctx)
    archived: dict[PlanKind, tuple[int, bytes]] = {}
    for row in AdmissionService(ctx).list_rows():
        for p in plans.panel(row.admission_id).plans:
            if p.document_id is not None and p.kind not in archived:
                archived[p.kind] = (row.admission_id, DocumentService(ctx).content(p.document_id))
    db.dispose()
    assert set(archived) == set(PlanKind)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_")}
    for kind, (admission_id, content) in archived.items():
        out = tmp_path / f"{kind}.pdf"
        args = ("--database", str(path), "pdf", kind.value, "--admission", str(admission_id), "-o", str(out))
        result = run_koordinator(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert not pypdf.PdfReader(out).is_encrypted
        assert out.read_bytes() == content
