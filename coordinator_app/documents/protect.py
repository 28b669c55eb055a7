"""Password protection of files with patient data that leave the program (issue 8: exports are encrypted).

* :func:`protect_pdf` – AES-256 (PDF 2.0 standard security handler, revision 6), the form every current PDF
  reader opens after asking for the password (``pypdf``, whose AES runs on ``cryptography``). It encrypts the
  *exact* PDF given — an archived document's bytes, the pages that were issued — rather than rendering it again:
  the text stays text, the layout is unchanged.
* :func:`protect_xlsx` – Office's own "Krypter med adgangskode" (Agile encryption, AES-256), which Excel and
  LibreOffice open by asking for the password (``msoffcrypto-tool``).
* :func:`protect_zip` – one file in a zip with WinZip AES-256 (``pyzipper``), for CSV: Windows' 7-Zip, WinZip
  and macOS's Archive Utility ask for the password.

The password is never stored or logged; the user sends it by another way than the file (phone, SMS).
Each library is imported on first use, not at start-up.
"""

from __future__ import annotations

import io
import unicodedata
from typing import TYPE_CHECKING

from coordinator_app.lazy import lazy_import

if TYPE_CHECKING:
    import pypdf
    import pyzipper
    from msoffcrypto.format import ooxml
else:  # each when its kind of file is first exported, not at start
    pypdf = lazy_import("pypdf")
    pyzipper = lazy_import("pyzipper")
    ooxml = lazy_import("msoffcrypto.format.ooxml")

__all__ = ["MIN_PASSWORD_LENGTH", "password_problem", "protect_pdf", "protect_xlsx", "protect_zip"]

#: Shortest password accepted for an exported file (the UI says so in Danish).
MIN_PASSWORD_LENGTH = 8


def password_problem(password: str) -> str | None:
    """What is wrong with ``password`` for an exported file (Danish), or ``None`` when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn."
    if password != password.strip():
        return "Adgangskoden må ikke begynde eller slutte med mellemrum."
    if any(unicodedata.category(ch) == "Cc" for ch in password):
        return "Adgangskoden må ikke indeholde styretegn."
    return None


def _check(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise ValueError(problem)


# -- XLSX and zip -------------------------------------------------------------------------------------------------
def protect_xlsx(data: bytes, password: str) -> bytes:
    """``data`` (an .xlsx) encrypted the way Excel does it; Excel asks for ``password`` when opening it."""
    _check(password)
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def protect_zip(name: str, data: bytes, password: str) -> bytes:
    """A zip holding ``data`` as ``name``, AES-256 encrypted (WinZip AES); opening it asks for ``password``."""
    _check(password)
    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password.encode("utf-8"))
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        zf.writestr(name, data)
    return out.getvalue()


# -- PDF ----------------------------------------------------------------------------------------------------------
def protect_pdf(data: bytes, password: str) -> bytes:
    """``data`` (a PDF) encrypted with AES-256; a reader asks for ``password`` to open it.

    Raises ``ValueError`` (Danish) when ``data`` is not a PDF, is encrypted already or cannot be read."""
    _check(password)
    if not data.startswith(b"%PDF-"):
        raise ValueError("Filen er ikke en PDF")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValueError("PDF'en er allerede krypteret")
        writer = pypdf.PdfWriter(clone_from=reader)
        # The owner password is the same: whoever has it may do everything anyway; all permissions are granted,
        # the protection is the password itself.
        writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
    except pypdf.errors.PyPdfError as exc:
        raise ValueError(f"PDF'en kan ikke læses: {exc}") from exc
    return out.getvalue()
