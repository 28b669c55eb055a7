"""``services.exports`` (issue 8), on SQLite and PostgreSQL: the one way patient data leaves as a file. A demo
database's export is plain; a real one's is encrypted and opens only with the password (PDF, XLSX, CSV in a zip,
the audit log in a zip); a role without the right is refused in Danish before anything is written; and the audit
log says *export* once the file is there — not when the disk refused it. A varslingsblanket issued for a file
(``pdf -o``) is archived only when the file is written: a target that cannot be written is refused first, and a
write or commit that fails anyway leaves no archive entry and no file (issue 17)."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msoffcrypto
import pytest
import pyzipper
from helpers.folders import read_only_folder_if_named
from helpers.ward import admit, admit_in_glostrup, varsle_gentofte
from pypdf import PdfReader
from sqlalchemy import select

from coordinator_app.documents import layout
from coordinator_app.documents.layout import DocumentMeta, build_pdf
from coordinator_app.domain.access import ROLE_LABELS, Principal, Role
from coordinator_app.domain.audit import AuditAction, AuditEntry
from coordinator_app.domain.errors import AccessDeniedError, StorageError, ValidationError
from coordinator_app.domain.model import ArchivedDocument
from coordinator_app.domain.statistics import Statistics
from coordinator_app.infra import files
from coordinator_app.services import exports as exports_module
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.exports import CSV, PDF, XLSX, ExportNotLoggedError, ExportService, Saved
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.services.ward import DEMO_META_KEY
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.orm import Base
from coordinator_app.storage.repositories import DocumentRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PASSWORD = "Eksport-på-Ærø-2026"


@pytest.fixture
def ctx(database) -> ServiceContext:
    context = ServiceContext(database=database, clock=fixed_clock(NOW), user="koordinator.test")
    ensure_reference_data(context)
    return context


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the exports (``tmp_path`` also holds the SQLite database)."""
    folder = tmp_path / "eksport"
    folder.mkdir()
    return folder


@pytest.fixture
def demo(ctx: ServiceContext) -> ServiceContext:
    ctx.database.set_meta(DEMO_META_KEY, "1")
    return ctx


@pytest.fixture
def archived() -> bytes:
    meta = DocumentMeta("VB-1", "Varslingsblanket", NOW, "1.0")
    return build_pdf(meta, [layout.title("Varsling – Testa Fiktivsen, 010190-9909")])


@pytest.fixture
def ward(ctx: ServiceContext, archived: bytes) -> dict[str, Any]:
    """One fictitious patient (synthetic CPR) with an archived document, and the year's statistics."""
    created = admit(ctx, ward="Afsnit 7")
    document = ArchivedDocument(
        id=None,
        admission_id=created.admission_id,
        kind="varslingsblanket",
        title="Varslingsblanket – varsling",
        created_at=NOW,
        created_by="koordinator.test",
        sha256=hashlib.sha256(archived).hexdigest(),
        data_version="test",
        content=archived,
    )
    with ctx.database.session() as session:
        added = DocumentRepository(session).add(document)
    stats = StatisticsService(ctx).compute(date(2026, 1, 1), date(2026, 12, 31))
    return {
        "patient_id": created.patient_id,
        "admission_id": created.admission_id,
        "document_id": added.id,
        "stats": stats,
    }


def as_role(ctx: ServiceContext, role: Role) -> ServiceContext:
    principal = Principal(username=f"test.{role.value}", role=role, full_name=f"Test {ROLE_LABELS[role]}")
    return ServiceContext(database=ctx.database, calendar=ctx.calendar, clock=ctx.clock, principal=principal)


def log(ctx: ServiceContext) -> list[AuditEntry]:
    with ctx.database.session() as session:
        return AuditRepository(session).all()


def snapshot(ctx: ServiceContext) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: a refusal leaves all of it — the audit log included — as it was."""
    with ctx.database.session() as session:
        return {
            table.name: [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


# -- the rule: a demo database plain, a real one encrypted ------------------------------------------------------
def test_a_demo_database_exports_plain(demo: ServiceContext, ward: dict[str, Any], archived: bytes, out: Path) -> None:
    exports = ExportService(demo)
    assert not exports.encrypts() and exports.suffix(CSV) == "csv"
    saved = exports.write(exports.document(ward["document_id"]), out / "blanket.pdf")
    assert saved.path == out / "blanket.pdf" and not saved.encrypted
    assert saved.path.read_bytes() == archived  # the archived bytes, exactly
    csv_saved = exports.write(exports.statistics(ward["stats"], CSV), out / "statistik.csv", PASSWORD)
    assert not csv_saved.encrypted, "a demo's fictitious patients are written plain, whatever password is given"
    assert csv_saved.path.read_bytes().startswith(b"\xef\xbb\xbfStatistik")


def test_a_real_database_encrypts_the_pdf_so_that_only_the_password_opens_it(
    ctx: ServiceContext, ward: dict[str, Any], out: Path
) -> None:
    exports = ExportService(ctx)
    assert exports.encrypts()
    saved = exports.write(exports.document(ward["document_id"]), out / "blanket.pdf", PASSWORD)
    assert saved.encrypted
    data = saved.path.read_bytes()
    assert b"Fiktivsen" not in data
    assert not PdfReader(io.BytesIO(data)).decrypt("forkert-kode")
    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt(PASSWORD)
    assert "010190-9909" in (reader.pages[0].extract_text() or "")


def test_a_real_databases_statistics_are_encrypted_xlsx_and_a_zipped_csv(
    ctx: ServiceContext, ward: dict[str, Any], out: Path
) -> None:
    exports = ExportService(ctx)
    stats: Statistics = ward["stats"]
    xlsx = exports.write(exports.statistics(stats, XLSX), out / "statistik.xlsx", PASSWORD)
    office = msoffcrypto.OfficeFile(io.BytesIO(xlsx.path.read_bytes()))
    assert office.is_encrypted()
    with pytest.raises(Exception):  # noqa: B017 - msoffcrypto's own error for a wrong key
        office.load_key(password="forkert-kode", verify_password=True)
    office.load_key(password=PASSWORD, verify_password=True)

    assert exports.suffix(CSV) == "zip"
    zipped = exports.write(exports.statistics(stats, CSV), out / "statistik.zip", PASSWORD)
    with pyzipper.AESZipFile(zipped.path) as zf:
        assert zf.namelist() == ["statistik.csv"]
        with pytest.raises(RuntimeError):
            zf.read("statistik.csv")
        zf.setpassword(PASSWORD.encode())
        assert zf.read("statistik.csv").decode("utf-8-sig").startswith("Statistik")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; on Windows they mean nothing")
def test_every_kind_of_export_is_the_users_only_and_the_chosen_folder_keeps_its_mode(
    ctx: ServiceContext, ward: dict[str, Any], out: Path
) -> None:
    """Issue 18: 0600 for the files, whatever the umask; the folder the user chose is not ``chmod``-ed."""
    out.chmod(0o755)
    exports = ExportService(ctx)
    before = os.umask(0)
    try:
        written = [
            exports.write(exports.document(ward["document_id"]), out / "blanket.pdf", PASSWORD),
            exports.write(exports.statistics(ward["stats"], XLSX), out / "statistik.xlsx", PASSWORD),
            exports.write(exports.statistics(ward["stats"], CSV), out / "statistik.zip", PASSWORD),
        ]
    finally:
        os.umask(before)
    assert [stat.S_IMODE(s.path.stat().st_mode) for s in written] == [0o600, 0o600, 0o600]
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_a_patients_audit_log_leaves_in_an_aes_zip_with_its_own_export_line(
    ctx: ServiceContext, ward: dict[str, Any], out: Path
) -> None:
    exports = ExportService(ctx)
    export = exports.patient_log(ward["patient_id"], out / "log.zip")
    saved = exports.write(export, out / "log.zip", PASSWORD)
    name = f"revisionslog-patient-{ward['patient_id']}.csv"
    with pyzipper.AESZipFile(saved.path) as zf:
        assert zf.namelist() == [name]
        zf.setpassword(PASSWORD.encode())
        lines = zf.read(name).decode("utf-8-sig").splitlines()
    last = lines[-1].split(";")
    assert last[3:7] == [
        "Eksport",
        str(ward["patient_id"]),
        "",
        f"Revisionslog for patienten eksporteret, fil: {out / 'log.zip'}",
    ]
    exported = [e for e in log(ctx) if e.action is AuditAction.EKSPORT]
    assert len(exported) == 1, "the audit log's export is logged once, before its lines are read"


def test_a_real_database_writes_nothing_without_a_usable_password(
    ctx: ServiceContext, ward: dict[str, Any], out: Path
) -> None:
    exports = ExportService(ctx)
    export = exports.document(ward["document_id"])
    before = snapshot(ctx)
    with pytest.raises(ValidationError) as caught:
        exports.write(export, out / "blanket.pdf")
    assert "gemmes krypteret" in caught.value.message and "Intet er gemt" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        exports.write(export, out / "blanket.pdf", "kort")
    assert caught.value.message == "Adgangskoden skal være mindst 8 tegn. Intet er gemt."
    assert list(out.iterdir()) == [] and snapshot(ctx) == before


# -- roles ----------------------------------------------------------------------------------------------------
REFUSALS = [
    pytest.param(Role.LAESEADGANG, PDF, "skrive dokumenter ud eller gemme dem som fil", id="laeseadgang-pdf"),
    pytest.param(Role.MOEDELEDER, XLSX, "eksportere statistik", id="moedeleder-statistics"),
    pytest.param(Role.KOORDINATOR, CSV, "se eller eksportere revisionsloggen", id="koordinator-audit-log"),
    # issue 18: læseadgang reads on screen, and nothing leaves the program
    pytest.param(Role.LAESEADGANG, XLSX, "eksportere statistik", id="laeseadgang-statistics"),
    pytest.param(Role.LAESEADGANG, CSV, "se eller eksportere revisionsloggen", id="laeseadgang-audit-log"),
]


def _prepare(exports: ExportService, kind: str, ward: dict[str, Any]) -> Any:
    if kind == PDF:
        return exports.document(ward["document_id"])
    if kind == XLSX:
        return exports.statistics(ward["stats"], XLSX)
    return exports.patient_log(ward["patient_id"])


@pytest.mark.parametrize(("role", "kind", "phrase"), REFUSALS)
def test_a_role_without_the_right_is_refused_in_danish_and_nothing_is_written(
    ctx: ServiceContext, ward: dict[str, Any], out: Path, role: Role, kind: str, phrase: str
) -> None:
    refused = ExportService(as_role(ctx, role))
    prepared = _prepare(ExportService(ctx), kind, ward)  # by a role that may, for the write below
    before = snapshot(ctx)
    with pytest.raises(AccessDeniedError) as caught:
        _prepare(refused, kind, ward)
    denial = f"Din rolle ({ROLE_LABELS[role]}) må ikke {phrase}. Kontakt afsnittets administrator."
    assert caught.value.message == denial
    with pytest.raises(AccessDeniedError):  # an export made by another role is checked again when written
        refused.write(prepared, out / f"eksport.{kind}", PASSWORD)
    if kind == PDF:
        with pytest.raises(AccessDeniedError):
            refused.check_documents()
    assert list(out.iterdir()) == []
    assert snapshot(ctx) == before


# -- the audit line -------------------------------------------------------------------------------------------
def test_the_audit_line_says_export_once_the_file_is_written(
    ctx: ServiceContext, ward: dict[str, Any], out: Path
) -> None:
    koordinator = as_role(ctx, Role.KOORDINATOR)
    exports = ExportService(koordinator)
    export = exports.document(ward["document_id"])
    assert [e.action for e in log(ctx)][-1] is not AuditAction.EKSPORT, "preparing is not an export"
    exports.write(export, out / "blanket.pdf", PASSWORD)
    line = log(ctx)[-1]
    assert line.action is AuditAction.EKSPORT
    assert (
        line.what
        == f"Dokument {ward['document_id']} (Varslingsblanket – varsling) eksporteret, fil: {out / 'blanket.pdf'}"
    )
    assert (line.patient_id, line.admission_id) == (ward["patient_id"], ward["admission_id"])
    assert line.user == "Test Koordinator (test.koordinator)"

    exports.write(exports.statistics(ward["stats"], XLSX), out / "statistik.xlsx", PASSWORD)
    line = log(ctx)[-1]
    assert line.action is AuditAction.EKSPORT and line.patient_id is None
    assert (
        line.what
        == f"Statistik eksporteret som XLSX: 01-01-2026–31-12-2026, alle kommuner, fil: {out / 'statistik.xlsx'}"
    )


def test_a_failed_write_is_no_export_and_leaves_no_line(ctx: ServiceContext, ward: dict[str, Any], out: Path) -> None:
    exports = ExportService(ctx)
    export = exports.statistics(ward["stats"], CSV)
    before = len(log(ctx))
    with pytest.raises(FileNotFoundError):
        exports.write(export, out / "findes-ikke" / "statistik.zip", PASSWORD)
    assert len(log(ctx)) == before and list(out.iterdir()) == []


def test_a_file_written_without_its_audit_line_is_said(
    ctx: ServiceContext, ward: dict[str, Any], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StorageError("Databasen er åbnet skrivebeskyttet.")

    exports = ExportService(ctx)
    export = exports.document(ward["document_id"])
    monkeypatch.setattr(AuditService, "record", refuse)
    with pytest.raises(ExportNotLoggedError) as caught:
        exports.write(export, out / "blanket.pdf", PASSWORD)
    assert caught.value.message == "Databasen er åbnet skrivebeskyttet."
    assert caught.value.saved.path == out / "blanket.pdf" and caught.value.saved.path.exists()


# -- a document issued for a file: archived only when the file is written (issue 17) ------------------------------
@pytest.fixture
def varsling(ctx: ServiceContext) -> int:
    """A sent varsling (its blanket archived once, from the send): the notification event's id."""
    admitted = admit_in_glostrup(ctx)
    return varsle_gentofte(ctx, admitted).event_id


def documents(ctx: ServiceContext) -> list[tuple[object, ...]]:
    return snapshot(ctx)["documents"]


def test_a_document_issued_to_a_file_is_archived_once_with_its_export_line(
    ctx: ServiceContext, varsling: int, out: Path
) -> None:
    before = len(documents(ctx))
    document, saved = ExportService(ctx).issue_to_file(varsling, out / "blanket.pdf", PASSWORD)
    assert saved == Saved(out / "blanket.pdf", True) and len(documents(ctx)) == before + 1
    assert document.id is not None and document.content is not None
    reader = PdfReader(out / "blanket.pdf")
    assert reader.decrypt(PASSWORD)
    archived = PdfReader(io.BytesIO(document.content))
    assert [p.extract_text() for p in reader.pages] == [p.extract_text() for p in archived.pages]
    assert hashlib.sha256(document.content).hexdigest() == document.sha256
    issued, exported = log(ctx)[-2:]
    assert issued.action is AuditAction.UDSKRIV and exported.action is AuditAction.EKSPORT
    assert exported.what == f"Dokument {document.id} ({document.title}) eksporteret, fil: {out / 'blanket.pdf'}"


@pytest.mark.parametrize(
    ("target", "phrase"),
    [
        pytest.param("mangler/blanket.pdf", "findes ikke", id="missing-folder"),
        pytest.param("mappe", "er en mappe", id="folder-as-target"),
        pytest.param("fil/blanket.pdf", "er ikke en mappe", id="file-as-folder"),
        pytest.param("skrivebeskyttet/blanket.pdf", "Der kan ikke gemmes filer i mappen", id="read-only-folder"),
    ],
)
def test_a_target_that_cannot_be_written_is_refused_before_anything_is_issued(
    ctx: ServiceContext, varsling: int, out: Path, target: str, phrase: str
) -> None:
    (out / "mappe").mkdir()
    (out / "fil").write_bytes(b"")
    before = snapshot(ctx)
    with read_only_folder_if_named(out / "skrivebeskyttet", target):
        for _ in range(2):  # two failed writes once made two archive entries
            with pytest.raises(ValidationError) as caught:
                ExportService(ctx).issue_to_file(varsling, out / target, PASSWORD)
            assert phrase in caught.value.message and caught.value.message.endswith("Intet er gemt.")
            assert snapshot(ctx) == before
    made = {"fil", "mappe"} | ({"skrivebeskyttet"} if target.startswith("skrivebeskyttet/") else set())
    assert {p.name for p in out.rglob("*")} == made  # nothing written anywhere


def test_a_write_that_fails_anyway_archives_nothing(
    ctx: ServiceContext, varsling: int, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: Path, data: bytes, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    before = snapshot(ctx)
    monkeypatch.setattr(exports_module, "write_atomically", full_disk)
    with pytest.raises(OSError, match="No space left"):
        ExportService(ctx).issue_to_file(varsling, out / "blanket.pdf", PASSWORD)
    assert snapshot(ctx) == before and list(out.iterdir()) == []


def test_a_file_whose_archive_entry_cannot_be_committed_is_removed_again(
    ctx: ServiceContext, varsling: int, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    original = files.write_atomically

    def write_then_fail_the_log(path: Path, data: bytes, **kwargs: Any) -> None:
        original(path, data, **kwargs)
        written.append(path)
        monkeypatch.setattr(AuditService, "record_in", refuse)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StorageError("Databasen er åbnet skrivebeskyttet.")

    before = snapshot(ctx)
    monkeypatch.setattr(exports_module, "write_atomically", write_then_fail_the_log)
    with pytest.raises(StorageError):
        ExportService(ctx).issue_to_file(varsling, out / "blanket.pdf", PASSWORD)
    assert written == [out / "blanket.pdf"]
    assert snapshot(ctx) == before and list(out.iterdir()) == []


def test_issuing_to_a_file_checks_the_password_before_anything_is_issued(
    ctx: ServiceContext, varsling: int, out: Path
) -> None:
    before = snapshot(ctx)
    for password in (None, "kort"):
        with pytest.raises(ValidationError, match="Intet er gemt"):
            ExportService(ctx).issue_to_file(varsling, out / "blanket.pdf", password)
    with pytest.raises(AccessDeniedError):
        ExportService(as_role(ctx, Role.LAESEADGANG)).issue_to_file(varsling, out / "blanket.pdf", PASSWORD)
    assert snapshot(ctx) == before and list(out.iterdir()) == []
