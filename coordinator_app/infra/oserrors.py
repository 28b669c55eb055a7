"""What the operating system said, in Danish: one helper for every message that shows a file error.

Python's ``OSError.strerror`` is the C library's English ("No such file or directory", "[Errno 36] File name too
long"); shown inside a Danish sentence it is half a message. ``describe`` names the failure by its ``errno`` in a
few Danish words that fit after the file's name — "Filen X kunne ikke gemmes: findes ikke." — and ``path_problem``
says, before anything is tried, why a typed path cannot be a file name at all (a NUL byte, a name longer than the
file system takes). Used by the command line (``cli``), the storage layer's opening of a database and the
services' checks of a target file.
"""

from __future__ import annotations

import errno
import os

__all__ = ["MAX_NAME_BYTES", "MAX_PATH_BYTES", "describe", "path_problem"]

#: The longest file name (one path component) the common file systems take (ext4, NTFS, APFS: 255).
MAX_NAME_BYTES = 255
#: The longest path Linux takes (``PATH_MAX``); Windows' long paths reach about as far.
MAX_PATH_BYTES = 4096

_BY_ERRNO: dict[int, str] = {
    errno.ENOENT: "findes ikke",
    errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.EISDIR: "er en mappe, ikke en fil",
    errno.EACCES: "ingen adgang",
    errno.EPERM: "ingen adgang",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "drevet er skrivebeskyttet",
    errno.EEXIST: "findes allerede",
    errno.EBUSY: "er i brug af et andet program",
    errno.ETXTBSY: "er i brug af et andet program",
    errno.ELOOP: "stien peger på sig selv (for mange genveje)",
    errno.EINVAL: "ugyldigt filnavn",
    errno.EIO: "læse- eller skrivefejl på drevet",
    errno.EMFILE: "for mange åbne filer",
    errno.ENFILE: "for mange åbne filer",
    errno.EXDEV: "kan ikke flyttes mellem to drev",
    errno.ENOTEMPTY: "mappen er ikke tom",
    errno.EFBIG: "filen er for stor",
    errno.ENXIO: "enheden findes ikke",
    errno.ENODEV: "enheden findes ikke",
    errno.ETIMEDOUT: "drevet svarer ikke",
}
_DISK_QUOTA = getattr(errno, "EDQUOT", None)
if _DISK_QUOTA is not None:
    _BY_ERRNO[_DISK_QUOTA] = "din plads på drevet er brugt op"


def describe(exc: BaseException) -> str:
    """A few Danish words for what went wrong with a file (no full stop): "findes ikke", "ingen adgang", "er en
    mappe, ikke en fil", "navnet er for langt", "disken er fuld", "drevet er skrivebeskyttet" … An error without a
    known ``errno`` gets "systemfejl" and its symbolic name (``ENXIO``), never the English text; a ``ValueError``
    from a NUL byte in a name says so."""
    if isinstance(exc, OSError) and exc.errno is not None:
        known = _BY_ERRNO.get(exc.errno)
        if known is not None:
            return known
        return f"systemfejl {errno.errorcode.get(exc.errno, str(exc.errno))}"
    if isinstance(exc, ValueError) and "null" in str(exc).lower():
        return "navnet indeholder et nul-tegn (NUL), som ikke kan stå i et filnavn"
    if isinstance(exc, UnicodeError):
        return "navnet indeholder tegn, som filsystemet ikke kan gemme"
    return "systemfejl"


def path_problem(text: str) -> str | None:
    """Why ``text`` cannot name a file, in Danish (no full stop), or ``None`` when it can: empty, a NUL or other
    control character, a name or path longer than the file system takes."""
    if not text.strip():
        return "stien er tom"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "stien indeholder et styretegn (fx NUL eller linjeskift), som ikke kan stå i et filnavn"
    raw = os.fsencode(text) if _encodable(text) else text.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_PATH_BYTES:
        return f"stien er for lang ({len(raw)} tegn; højst {MAX_PATH_BYTES})"
    for part in raw.replace(b"\\", b"/").split(b"/"):
        if len(part) > MAX_NAME_BYTES:
            return f"navnet er for langt ({len(part)} tegn; højst {MAX_NAME_BYTES} i ét fil- eller mappenavn)"
    return None


def _encodable(text: str) -> bool:
    try:
        os.fsencode(text)
    except UnicodeError:
        return False
    return True
