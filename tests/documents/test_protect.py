"""Exported files with patient data are password protected (issue 8): PDF (AES-256), XLSX (Office encryption),
CSV in an AES zip. Each opens with the password, not without it, and holds exactly what was given."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import msoffcrypto
import pypdfium2 as pdfium
import pytest
import pyzipper
from openpyxl import Workbook, load_workbook
from pdf_helpers import long_text, normalise
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from coordinator_app.documents import layout
from coordinator_app.documents.layout import DocumentMeta, build_pdf
from coordinator_app.documents.protect import password_problem, protect_pdf, protect_xlsx, protect_zip

PASSWORD = "Ærø-kode 2026!"  # non-ASCII on purpose: readers take the password as UTF-8


def sample_pdf(paragraphs: int = 3) -> bytes:
    meta = DocumentMeta("VB-7", "Varslingsblanket (prøve)", datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "1.0")
    flowables = [layout.title("Varslingsblanket – Testa Fiktivsen")]
    flowables += layout.field_rows([("CPR-nummer", "010190-9909"), ("Dato", layout.format_date(date(2026, 11, 23)))])
    flowables += layout.text_block(long_text(paragraphs))
    return build_pdf(meta, flowables)


def texts(reader: PdfReader) -> list[str]:
    return [normalise(page.extract_text() or "") for page in reader.pages]


def test_a_protected_pdf_opens_only_with_the_password_and_keeps_every_page() -> None:
    plain = sample_pdf(40)
    protected = protect_pdf(plain, PASSWORD)
    assert b"Fiktivsen" not in protected and b"010190" not in protected

    reader = PdfReader(io.BytesIO(protected))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(protected)).decrypt("forkert-kode")

    reader = PdfReader(io.BytesIO(protected))
    assert reader.decrypt(PASSWORD)
    assert reader._encryption is not None and reader._encryption.R == 6  # AES-256, PDF 2.0
    original = PdfReader(io.BytesIO(plain))
    assert texts(reader) == texts(original)
    assert len(reader.pages) > 1
    assert "010190-9909" in texts(reader)[0]
    assert reader.metadata is not None and original.metadata is not None
    assert reader.metadata.title == original.metadata.title


def test_a_pdf_is_protected_once_and_only_pdfs_are_accepted() -> None:
    protected = protect_pdf(sample_pdf(), PASSWORD)
    with pytest.raises(ValueError, match="allerede krypteret"):
        protect_pdf(protected, PASSWORD)
    with pytest.raises(ValueError, match="ikke en PDF"):
        protect_pdf(b"PK\x03\x04", PASSWORD)
    with pytest.raises(ValueError, match="kan ikke læses"):
        protect_pdf(b"%PDF-1.4\nnot a pdf after all", PASSWORD)


def test_a_protected_pdf_opens_in_pdfium_and_poppler_only_with_the_password(tmp_path: Path) -> None:
    """Readers other than the library that encrypts: PDFium (Chrome, Edge; our print preview) and poppler."""
    protected = protect_pdf(sample_pdf(), PASSWORD)
    for wrong in (None, "forkert-kode"):
        with pytest.raises(pdfium.PdfiumError, match="password"):
            pdfium.PdfDocument(protected, password=wrong)
    document = pdfium.PdfDocument(protected, password=PASSWORD)
    try:
        assert "010190-9909" in document[0].get_textpage().get_text_range()
    finally:
        document.close()

    assert shutil.which("pdftotext") is not None, "poppler-utils is installed by scripts/setup.sh"
    path = tmp_path / "beskyttet.pdf"
    path.write_bytes(protected)
    for no_or_wrong_password in ([], ["-upw", "forkert-kode"]):
        done = subprocess.run(["pdftotext", *no_or_wrong_password, str(path), "-"], capture_output=True, text=True)
        assert done.returncode != 0 and "010190" not in done.stdout
    done = subprocess.run(["pdftotext", "-upw", PASSWORD, str(path), "-"], capture_output=True, text=True, check=True)
    assert "010190-9909" in done.stdout


def test_a_protected_xlsx_needs_the_password_and_then_opens_in_openpyxl() -> None:
    book = Workbook()
    book.active.append(["CPR", "Navn"])
    book.active.append(["010190-9909", "Testa Fiktivsen"])
    plain = io.BytesIO()
    book.save(plain)
    protected = protect_xlsx(plain.getvalue(), PASSWORD)
    assert not zipfile.is_zipfile(io.BytesIO(protected))  # an encrypted OLE container, not a readable xlsx

    office = msoffcrypto.OfficeFile(io.BytesIO(protected))
    assert office.is_encrypted()
    office.load_key(password="forkert-kode")
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        office.decrypt(io.BytesIO())
    office = msoffcrypto.OfficeFile(io.BytesIO(protected))
    office.load_key(password=PASSWORD)
    opened = io.BytesIO()
    office.decrypt(opened)
    rows = list(load_workbook(opened).active.iter_rows(values_only=True))
    assert rows == [("CPR", "Navn"), ("010190-9909", "Testa Fiktivsen")]


def test_a_protected_zip_needs_the_password() -> None:
    csv = b"CPR;Navn\r\n010190-9909;Testa Fiktivsen\r\n"
    protected = protect_zip("revisionslog.csv", csv, PASSWORD)
    assert b"Fiktivsen" not in protected
    with pyzipper.AESZipFile(io.BytesIO(protected)) as zf:
        assert zf.namelist() == ["revisionslog.csv"]
        with pytest.raises(RuntimeError):
            zf.read("revisionslog.csv")
        zf.setpassword(b"forkert-kode")
        with pytest.raises(RuntimeError):
            zf.read("revisionslog.csv")
        zf.setpassword(PASSWORD.encode())
        assert zf.read("revisionslog.csv") == csv


@pytest.mark.parametrize(
    ("password", "problem"),
    [("kort", "mindst 8"), (" mellemrum foran", "mellemrum"), ("tab\tinde i", "styretegn"), ("lang-nok-kode", None)],
)
def test_the_password_rules_in_danish(password: str, problem: str | None) -> None:
    found = password_problem(password)
    assert (found is None) if problem is None else (problem in (found or ""))
    if problem is not None:
        with pytest.raises(ValueError):
            protect_zip("x.csv", b"x", password)
