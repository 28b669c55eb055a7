"""The one way patient data leaves Koordinator as a file (issue 8): «Gem som PDF», Statistik as XLSX or CSV,
``koordinator pdf … -o FIL`` and ``koordinator audit export``.

An export is made in two steps, so that the role is checked before anyone is asked for a password or a file exists:

1. **Prepare** (``document``, ``statistics``, ``patient_log``): check the role (``EXPORT_DOCUMENT``,
   ``EXPORT_STATISTICS``, ``VIEW_AUDIT``) and make the plain bytes — an archived document's exact bytes (checked
   against their SHA-256), the figures on screen, one patient's audit lines. The ``Export`` stays in memory.
2. **Write** (``write``): check the role again, encrypt with the user's password — unless the database is a demo
   (``encrypts``, the one place that decides it) — write the file atomically (``infra.files.write_atomically``:
   all of it or none, readable by the user only), and write the audit log's *export* line (``AuditAction.EKSPORT``)
   once the file is there: a full disk is not an export. The line names the file (``export_line``, issue 18:
   "Dokument 12 (…) eksporteret, fil: /sti/blanket.pdf"), so it reads as an export with its target, never as a
   view ("… åbnet").

A document issued for a file (``issue_to_file``, ``koordinator pdf varslingsblanket -o FIL``) is all or nothing:
the target is checked first (``check_target``: its folder exists and takes a new file, the name is not a folder),
and the document is issued, written and logged in one transaction that commits only once the file is there — a
failed write leaves no archive entry, and a file whose archive entry could not be committed is removed again.

Encryption (``documents.protect``): a PDF with AES-256, XLSX as Excel encrypts it, CSV inside an AES-256 zip. The
password is checked by ``password_problem`` (re-exported here with ``MIN_PASSWORD_LENGTH`` for the dialogs and the
command line), used once and never stored or logged; the user sends it another way than the file. A demo
database's fictitious patients are written plain, whatever password is given, and ``Saved.encrypted`` says so.

Failures: ``AccessDeniedError`` for a role without the right (nothing asked, nothing written), ``ValidationError``
for a missing or unusable password, ``KoordinatorError`` for a PDF that cannot be encrypted (nothing written),
``OSError`` from the disk for the caller to explain (an earlier file of the same name is left untouched), and
``ExportNotLoggedError`` when the file is written but its audit line could not be.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coordinator_app.documents import protect  # light: pypdf, msoffcrypto and pyzipper load on first use
from coordinator_app.documents.protect import MIN_PASSWORD_LENGTH, password_problem
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import ArchivedDocument
from coordinator_app.domain.statistics import Statistics
from coordinator_app.infra.files import write_atomically
from coordinator_app.infra.oserrors import describe
from coordinator_app.lazy import lazy_import
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.documents import DocumentService, content_line, read_archived
from coordinator_app.services.ward import is_demo

if TYPE_CHECKING:
    from coordinator_app.documents import statistics_export
else:  # openpyxl loads when statistics are first exported (issue 7: start-up)
    statistics_export = lazy_import("coordinator_app.documents.statistics_export")

__all__ = [
    "CSV",
    "MIN_PASSWORD_LENGTH",
    "PDF",
    "XLSX",
    "Export",
    "ExportNotLoggedError",
    "ExportService",
    "Saved",
    "export_line",
    "password_problem",
]

PDF, XLSX, CSV = "pdf", "xlsx", "csv"

NO_PASSWORD = (
    "Filen indeholder patientoplysninger og gemmes krypteret, men der er ingen adgangskode til den. Intet er gemt."
)


@dataclass(frozen=True)
class Export:
    """Patient data prepared for a file (the role checked): the plain bytes, in memory only until ``write``."""

    kind: str  # PDF | XLSX | CSV
    data: bytes = field(repr=False)
    permission: Permission  # checked again when the file is written
    audit_line: str | None  # the EKSPORT line written after the file; None: logged already (the audit log's own)
    patient_id: int | None = None
    admission_id: int | None = None
    inner_name: str | None = None  # CSV in a zip: the name inside (default: the zip's name with .csv)


@dataclass(frozen=True)
class Saved:
    """Where the export was written, and whether it was encrypted (not in a demo database)."""

    path: Path
    encrypted: bool


class ExportNotLoggedError(KoordinatorError):
    """The file is written (``saved``), but its line in the audit log could not be: the database's message, so the
    user knows, and the file stays where it was saved."""

    def __init__(self, cause: KoordinatorError, saved: Saved) -> None:
        super().__init__(cause.message, rule=cause.rule)
        self.saved = saved


class ExportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- the rule -------------------------------------------------------------------------------------------------
    def encrypts(self) -> bool:
        """Whether an export is encrypted with the user's password: always, except from a demo database, whose
        patients are fictitious (issue 8). The callers ask for a password only when this says so; ``write``
        enforces it."""
        return not is_demo(self._ctx)

    def may(self, permission: Permission) -> bool:
        """For the UI's courtesy (greying out «Gem som PDF», «Skriv ud», «Eksportér»); ``write`` enforces."""
        return self._ctx.may(permission)

    def suffix(self, kind: str) -> str:
        """The file's extension for ``kind``: an encrypted CSV travels in an AES zip."""
        return "zip" if kind == CSV and self.encrypts() else kind

    def check_documents(self) -> None:
        """Refuse a role that may not save documents as files (``AccessDeniedError``, Danish) — for a caller that
        asks for a password or issues the document before it has one to ``document``."""
        require(self._ctx, Permission.EXPORT_DOCUMENT)

    def check_target(self, path: Path) -> None:
        """Refuse, in Danish (``ValidationError``), a file that cannot be written — before a password is asked or a
        document issued: the folder must exist, be a folder and take a new file (tried, not guessed from the
        permission bits); the name must not be a folder."""
        folder = path.parent
        if not folder.exists():
            raise ValidationError(f"Mappen {folder} findes ikke. Vælg en mappe, der findes. Intet er gemt.")
        if not folder.is_dir():
            raise ValidationError(f"{folder} er ikke en mappe. Vælg en fil i en mappe. Intet er gemt.")
        if path.is_dir():
            raise ValidationError(f"{path} er en mappe. Angiv et filnavn, fx {path / 'dokument.pdf'}. Intet er gemt.")
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            reason = describe(exc)
            raise ValidationError(
                f"Der kan ikke gemmes filer i mappen {folder} ({reason}). Vælg en anden mappe. Intet er gemt."
            ) from exc

    # -- issuing to a file ----------------------------------------------------------------------------------------
    def issue_to_file(self, event_id: int, path: Path, password: str | None = None) -> tuple[ArchivedDocument, Saved]:
        """Issue the varslingsblanket of notification ``event_id`` straight to ``path`` (``pdf -o``): all or
        nothing. The roles, the target and the password are checked first; then the document is issued, written
        (encrypted unless a demo) and its EKSPORT line recorded in one transaction, committed only once the file
        is there. A failed write (``OSError``) archives nothing; if the commit fails, the file is removed again."""
        require(self._ctx, Permission.ISSUE_DOCUMENT)
        require(self._ctx, Permission.EXPORT_DOCUMENT)
        self.check_target(path)
        encrypted = self.encrypts()
        checked = _check_password(password) if encrypted else None
        written = False
        try:
            with self._ctx.database.session() as session:
                issued = DocumentService(self._ctx).issue_for_event_in(session, event_id)
                assert issued.id is not None
                document, content = read_archived(session, issued.id)  # the bytes as archived, hash checked
                export = Export(
                    PDF,
                    content,
                    Permission.EXPORT_DOCUMENT,
                    content_line(document, AuditAction.EKSPORT),
                    patient_id=document.patient_id,
                    admission_id=document.admission_id,
                )
                data = export.data if checked is None else _protected(export, path, checked)
                write_atomically(path, data)
                written = True
                assert export.audit_line is not None
                AuditService(self._ctx).record_in(
                    session,
                    AuditAction.EKSPORT,
                    export_line(export.audit_line, path),
                    patient_id=export.patient_id,
                    admission_id=export.admission_id,
                )
        except BaseException:
            if written:  # not archived, so not handed out either
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        return document, Saved(path, encrypted)

    # -- preparing ------------------------------------------------------------------------------------------------
    def document(self, document_id: int) -> Export:
        """An archived document's exact bytes for «Gem som PDF» or ``pdf -o`` (EXPORT_DOCUMENT)."""
        require(self._ctx, Permission.EXPORT_DOCUMENT)
        with self._ctx.database.session() as session:
            document, content = read_archived(session, document_id)
        return Export(
            PDF,
            content,
            Permission.EXPORT_DOCUMENT,
            content_line(document, AuditAction.EKSPORT),
            patient_id=document.patient_id,
            admission_id=document.admission_id,
        )

    def statistics(self, stats: Statistics, kind: str) -> Export:
        """The figures ``stats`` holds as an XLSX or CSV file (EXPORT_STATISTICS). Its sheet *Indlæggelser bag
        tallene* names admission ids — pseudonymous, still personal data — so it is encrypted like the rest."""
        require(self._ctx, Permission.EXPORT_STATISTICS)
        if kind not in (XLSX, CSV):
            raise ValueError(f"statistics export as {kind!r}")
        data = statistics_export.to_xlsx(stats) if kind == XLSX else statistics_export.to_csv(stats).encode("utf-8")
        where = stats.kommune_name or "alle kommuner"
        period = f"{stats.period_from:%d-%m-%Y}–{stats.period_to:%d-%m-%Y}"
        line = f"Statistik eksporteret som {kind.upper()}: {period}, {where}"
        return Export(kind, data, Permission.EXPORT_STATISTICS, line)

    def patient_log(self, patient_id: int, target: Path | None = None) -> Export:
        """One patient's audit log as CSV for an access request (GDPR art. 15; VIEW_AUDIT). Its EKSPORT line, naming
        ``target``, is written now, before the lines are read, so that the file shows it too
        (``AuditService.export_patient_log``)."""
        data = AuditService(self._ctx).export_patient_log(patient_id, _shown(target) if target else None)
        return Export(
            CSV,
            data,
            Permission.VIEW_AUDIT,
            None,
            patient_id=patient_id,
            inner_name=f"revisionslog-patient-{patient_id}.csv",
        )

    # -- writing --------------------------------------------------------------------------------------------------
    def write(self, export: Export, path: Path, password: str | None = None) -> Saved:
        """Write ``export`` to ``path`` — encrypted with ``password`` unless the database is a demo — and log it.
        ``path`` is used as given (the caller chose the name; ``suffix`` tells an encrypted CSV's)."""
        require(self._ctx, export.permission)
        encrypted = self.encrypts()
        data = export.data
        if encrypted:
            password = _check_password(password)
            data = _protected(export, path, password)
        write_atomically(path, data)
        saved = Saved(path, encrypted)
        if export.audit_line is not None:
            try:
                AuditService(self._ctx).record(
                    AuditAction.EKSPORT,
                    export_line(export.audit_line, path),
                    patient_id=export.patient_id,
                    admission_id=export.admission_id,
                )
            except KoordinatorError as exc:
                raise ExportNotLoggedError(exc, saved) from exc
        return saved


def export_line(line: str, path: Path) -> str:
    """An export's audit line with its target: "<what>, fil: /the/absolute/path"."""
    return f"{line}, fil: {_shown(path)}"


def _shown(path: Path) -> str:
    """The file as the audit log names it: absolute, so a relative ``-o`` still says where the file went."""
    return str(path.expanduser().absolute())


def _check_password(password: str | None) -> str:
    """The export password, or ``ValidationError`` in Danish when there is none or it is unusable."""
    if password is None:
        raise ValidationError(NO_PASSWORD)
    problem = password_problem(password)
    if problem is not None:
        raise ValidationError(f"{problem} Intet er gemt.")
    return password


def _protected(export: Export, path: Path, password: str) -> bytes:
    if export.kind == PDF:
        try:
            return protect.protect_pdf(export.data, password)
        except ValueError as exc:  # not one of our PDFs, or one encrypted already
            raise KoordinatorError(f"PDF'en kunne ikke krypteres ({exc}). Intet er gemt.") from exc
    if export.kind == XLSX:
        return protect.protect_xlsx(export.data, password)
    return protect.protect_zip(export.inner_name or path.with_suffix(".csv").name, export.data, password)
