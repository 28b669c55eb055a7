"""Password protection of files with patient data that leave the program (issue 8: exports are encrypted).

* :func:`protect_pdf` – AES-256 (PDF 2.0 standard security handler, revision 6), the form every current PDF
  reader opens after asking for the password. It encrypts the *exact* PDF given — an archived document's bytes,
  the pages that were issued — rather than rendering it again: the text stays text, the layout is unchanged.
* :func:`protect_xlsx` – Office's own "Krypter med adgangskode" (Agile encryption, AES-256), which Excel and
  LibreOffice open by asking for the password (``msoffcrypto-tool``).
* :func:`protect_zip` – one file in a zip with WinZip AES-256 (``pyzipper``), for CSV: Windows' 7-Zip, WinZip
  and macOS's Archive Utility ask for the password.

The password is never stored or logged; the user sends it by another way than the file (phone, SMS).

Why our own PDF writer: reportlab can only encrypt a document while it renders it (``StandardEncryption``), and
its 256-bit mode is the withdrawn revision 5; pypdf, which can encrypt existing files, is a test-only
dependency. Our PDFs all come from reportlab (``documents/``): classic cross-reference tables, no object streams,
which is the structure :func:`protect_pdf` accepts — anything else is refused with ``ValueError``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from typing import TypedDict

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
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def protect_zip(name: str, data: bytes, password: str) -> bytes:
    """A zip holding ``data`` as ``name``, AES-256 encrypted (WinZip AES); opening it asks for ``password``."""
    _check(password)
    import pyzipper

    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password.encode("utf-8"))
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        zf.writestr(name, data)
    return out.getvalue()


# -- AES ------------------------------------------------------------------------------------------------------------
def _aes_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    """AES-CBC without padding (``data`` is a multiple of 16 bytes). ``cryptography`` when present (it comes with
    msoffcrypto-tool and is ~100× faster), else the pure-Python ``pyaes`` reportlab uses."""
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    except ImportError:  # pragma: no cover - cryptography is installed with msoffcrypto-tool
        import pyaes

        mode = pyaes.AESModeOfOperationCBC(key, iv=iv)
        return b"".join(mode.encrypt(data[i : i + 16]) for i in range(0, len(data), 16))
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _aes_padded(key: bytes, data: bytes) -> bytes:
    """A string or stream as AESV3 stores it: a random IV, then the PKCS#7-padded data encrypted."""
    pad = 16 - len(data) % 16
    iv = os.urandom(16)
    return iv + _aes_cbc(key, iv, data + bytes([pad]) * pad)


# -- PDF revision 6 security handler (ISO 32000-2, 7.6.4.3) -----------------------------------------------------------
def _hash_2b(password: bytes, salt: bytes, udata: bytes) -> bytes:
    """Algorithm 2.B: the hardened password hash of revision 6."""
    k = hashlib.sha256(password + salt + udata).digest()
    i = 0
    while True:
        k1 = (password + k + udata) * 64
        e = _aes_cbc(k[:16], k[16:32], k1)
        k = {0: hashlib.sha256, 1: hashlib.sha384, 2: hashlib.sha512}[sum(e[:16]) % 3](e).digest()
        i += 1
        if i >= 64 and e[-1] <= i - 32:
            return k[:32]


def _password_bytes(password: str) -> bytes:
    """SASLprep (approximated by NFKC, which covers what a keyboard types) in UTF-8, at most 127 bytes."""
    return unicodedata.normalize("NFKC", password).encode("utf-8")[:127]


class _Security(TypedDict):
    """The /Encrypt dictionary's entries (PDF 2.0, revision 6), named as in the PDF."""

    U: bytes
    UE: bytes
    O: bytes  # noqa: E741
    OE: bytes
    Perms: bytes
    P: int


def _security(password: str, file_key: bytes) -> _Security:
    pw = _password_bytes(password)
    zero = bytes(16)
    u_salts = os.urandom(16)
    u = _hash_2b(pw, u_salts[:8], b"") + u_salts
    ue = _aes_cbc(_hash_2b(pw, u_salts[8:], b""), zero, file_key)
    o_salts = os.urandom(16)  # the owner password is the same: whoever has it may do everything anyway
    o = _hash_2b(pw, o_salts[:8], u) + o_salts
    oe = _aes_cbc(_hash_2b(pw, o_salts[8:], u), zero, file_key)
    permissions = -4  # print, copy, … all allowed: the protection is the password itself
    perms_plain = permissions.to_bytes(4, "little", signed=True) + b"\xff\xff\xff\xffTadb" + os.urandom(4)
    perms = _aes_cbc(file_key, zero, perms_plain)  # one block: CBC with a zero IV is ECB
    return {"U": u, "UE": ue, "O": o, "OE": oe, "Perms": perms, "P": permissions}


_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_STREAM = re.compile(rb"stream(\r\n|\n|\r)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+(\d+)\s+R)?")
_DELIMITERS = b"()<>[]{}/%"
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """The bytes of the literal string opening at ``data[start] == '('`` and the index after its ')'."""
    out = bytearray()
    depth, i = 1, start + 1
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            nxt = data[i]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
            elif 0x30 <= nxt <= 0x37:
                digits = data[i : i + 3]
                n = 0
                while n < len(digits) and 0x30 <= digits[n] <= 0x37:
                    n += 1
                out.append(int(digits[:n], 8) & 0xFF)
                i += n - 1
            elif nxt == 0x0D:  # a backslash before a line break continues the string
                if data[i + 1 : i + 2] == b"\n":
                    i += 1
            elif nxt != 0x0A:
                out.append(nxt)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        elif c == 0x0D:  # an unescaped line break is a newline
            out += b"\n"
            if data[i + 1 : i + 2] == b"\n":
                i += 1
        else:
            out.append(c)
        i += 1
    raise ValueError("PDF'en har en streng uden afslutning")


def _encrypt_strings(body: bytes, key: bytes) -> bytes:
    """``body`` (an object without its stream) with every string encrypted and written as hex."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c == 0x28:  # (
            text, i = _literal(body, i)
            out += b"<" + _aes_padded(key, text).hex().encode() + b">"
        elif c == 0x3C and body[i + 1 : i + 2] != b"<":  # a hex string, not a dictionary
            end = body.index(b">", i)
            digits = re.sub(rb"\s", b"", body[i + 1 : end])
            if len(digits) % 2:
                digits += b"0"
            out += b"<" + _aes_padded(key, bytes.fromhex(digits.decode())).hex().encode() + b">"
            i = end + 1
        elif c == 0x3C:
            out += b"<<"
            i += 2
        elif c == 0x25:  # a comment runs to the end of the line
            end = len(body)
            for eol in (b"\r", b"\n"):
                found = body.find(eol, i)
                if found != -1:
                    end = min(end, found)
            out += body[i:end]
            i = end
        else:
            out.append(c)
            i += 1
    return bytes(out)


def protect_pdf(data: bytes, password: str) -> bytes:
    """``data`` (a PDF from ``documents/``) encrypted with AES-256; a reader asks for ``password`` to open it."""
    _check(password)
    if not data.startswith(b"%PDF-"):
        raise ValueError("Filen er ikke en PDF")
    if b"/Encrypt" in data:
        raise ValueError("PDF'en er allerede krypteret")
    if b"/ObjStm" in data or b"/XRef" in data:
        raise ValueError("PDF'en har objektstrømme, som ikke kan krypteres her")
    trailer_at = data.rfind(b"trailer")
    if trailer_at == -1:
        raise ValueError("PDF'en mangler sin trailer")
    trailer = data[trailer_at : data.rfind(b"startxref")]
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer)
    if root is None:
        raise ValueError("PDF'en mangler sit katalog (/Root)")
    info = re.search(rb"/Info\s+(\d+\s+\d+\s+R)", trailer)
    ident = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>", trailer)

    objects = _objects(data[:trailer_at])
    file_key = os.urandom(32)
    header_end = data.index(b"\n", data.index(b"%PDF-")) + 1
    out = bytearray(data[:header_end] + b"%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, tuple[int, int]] = {}
    for number, generation, body, stream in objects:
        offsets[number] = (len(out), generation)
        head = f"{number} {generation} obj\n".encode()
        if stream is None:
            out += head + _encrypt_strings(body, file_key) + b"\nendobj\n"
            continue
        secret = _aes_padded(file_key, stream)
        dictionary = _LENGTH.sub(f"/Length {len(secret)}".encode(), body, count=1)
        out += head + _encrypt_strings(dictionary, file_key) + b"\nstream\n" + secret + b"\nendstream\nendobj\n"

    encrypt_number = max(offsets) + 1
    security = _security(password, file_key)
    offsets[encrypt_number] = (len(out), 0)
    out += (
        f"{encrypt_number} 0 obj\n<< /Filter /Standard /V 5 /R 6 /Length 256 "
        "/CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV3 /Length 32 >> >> /StmF /StdCF /StrF /StdCF "
        f"/O <{security['O'].hex()}> /U <{security['U'].hex()}> "
        f"/OE <{security['OE'].hex()}> /UE <{security['UE'].hex()}> "
        f"/Perms <{security['Perms'].hex()}> /P {security['P']} /EncryptMetadata true >>\nendobj\n"
    ).encode()

    size = encrypt_number + 1
    xref_at = len(out)
    lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
    for number in range(1, size):
        if number in offsets:
            offset, generation = offsets[number]
            lines.append(f"{offset:010d} {generation:05d} n \n")
        else:
            lines.append("0000000000 65535 f \n")
    out += "".join(lines).encode()
    first_id = ident.group(1).decode() if ident else os.urandom(16).hex()
    out += (
        f"trailer\n<< /Size {size} /Root {root.group(1).decode()} "
        + (f"/Info {info.group(1).decode()} " if info else "")
        + f"/Encrypt {encrypt_number} 0 R /ID [<{first_id}> <{os.urandom(16).hex()}>] >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _objects(data: bytes) -> list[tuple[int, int, bytes, bytes | None]]:
    """Every ``n g obj … endobj`` in ``data``: number, generation, the body without its stream, the stream bytes."""
    objects: list[tuple[int, int, bytes, bytes | None]] = []
    seen: set[int] = set()
    position = 0
    lengths: dict[int, int] = {}
    while True:
        match = _OBJ.search(data, position)
        if match is None:
            break
        number, generation = int(match.group(1)), int(match.group(2))
        start = match.end()
        stream_match = None
        end = data.find(b"endobj", start)
        if end == -1:
            raise ValueError(f"PDF-objekt {number} mangler endobj")
        body_end = end
        candidate = _STREAM.search(data, start, end)
        if candidate is not None and data.rfind(b">>", start, candidate.start()) != -1:
            stream_match = candidate
        stream: bytes | None = None
        if stream_match is not None:
            body_end = stream_match.start()
            body = data[start:body_end]
            length = _LENGTH.search(body)
            if length is None:
                raise ValueError(f"PDF-objekt {number} har en strøm uden /Length")
            size = int(length.group(1)) if length.group(2) is None else _indirect(data, int(length.group(1)), lengths)
            stream = data[stream_match.end() : stream_match.end() + size]
            end = data.find(b"endobj", stream_match.end() + size)
        if number in seen:
            raise ValueError("PDF'en er ændret trinvis (samme objekt flere gange), og kan ikke krypteres her")
        seen.add(number)
        objects.append((number, generation, data[start:body_end].strip(), stream))
        position = end + len(b"endobj")
    if not objects:
        raise ValueError("PDF'en har ingen objekter")
    return objects


def _indirect(data: bytes, number: int, cache: dict[int, int]) -> int:
    """The integer held by object ``number`` (a stream's /Length given as a reference)."""
    if number not in cache:
        found = re.search(rb"(?<![0-9])" + str(number).encode() + rb"\s+\d+\s+obj\s+(\d+)\s+endobj", data)
        if found is None:
            raise ValueError(f"PDF'ens længde-objekt {number} findes ikke")
        cache[number] = int(found.group(1))
    return cache[number]
