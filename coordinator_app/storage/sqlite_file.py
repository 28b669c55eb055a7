"""One local SQLite file, plain or encrypted with SQLCipher: what it is, how to connect, how to check it.

Encrypted files use SQLCipher 4 (``sqlcipher3``): AES-256 pages with an HMAC each, the key derived from the
passphrase with PBKDF2-HMAC-SHA512 (256,000 iterations) and a random salt kept in the file's first 16 bytes.
The passphrase is never written anywhere: it is handed to SQLCipher with ``set_key`` (``sqlite3_key``), not in
SQL text or a URL, so no statement log, URL rendering or ``repr`` can show it.

The derivation costs ~0.2 s, and SQLCipher would pay it on every new connection (the migration's, each pooled
one, each backup and its check). ``keyed_file`` derives the key ONCE, exactly as SQLCipher does, and hands
SQLCipher the raw key with the file's salt (``x'<key><salt>'``); a backup gets its own salt, and so its own key,
derived from the same passphrase (``storage.backup``), so it opens with the same passphrase. Should SQLCipher's
defaults ever differ from ours, the raw key does not open the file and we fall back to letting SQLCipher derive
it. Plain files (demo, tests) use ``sqlite3``.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import hmac
import os
import re
import sqlite3
import struct
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coordinator_app.domain.errors import StorageError
from coordinator_app.infra.files import create_private, fsync_file, make_private, replace_durably
from coordinator_app.infra.oserrors import describe
from coordinator_app.lazy import lazy_import

if TYPE_CHECKING:
    import sqlcipher3.dbapi2 as sqlcipher
else:  # only an encrypted file needs SQLCipher: the first screen reads a plain one without it
    sqlcipher = lazy_import("sqlcipher3.dbapi2")

SQLITE_HEADER = b"SQLite format 3\x00"
#: The smallest SQLite page; an encrypted file is a whole number of pages (4,096 bytes by default).
MIN_PAGE_SIZE = 512
#: SQLCipher 4's key derivation (``PRAGMA cipher_default_kdf_iter`` etc.).
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
#: SQLCipher 4's pages (``cipher_page_size``): each ends with a 16-byte IV and a 64-byte HMAC-SHA512 of the page's
#: ciphertext, IV and page number, keyed with a key derived from the page key (2 PBKDF2 iterations, the salt XOR
#: 0x3a). ``damaged_start`` checks one itself.
CIPHER_PAGE_SIZE = 4096
_HMAC_BYTES = 64
_HMAC_SALT_MASK = 0x3A
_HMAC_KDF_ITERATIONS = 2
#: Bytes 18–23 of SQLite's header in every database file: read/write versions 1 or 2, reserved space varies,
#: payload fractions 64/32/32.
_PLAIN_HEADER_REST = re.compile(rb"[\x01\x02][\x01\x02].\x40\x20\x20", re.DOTALL)


class FileKind(enum.Enum):
    MISSING = "missing"  # no file, or an empty one: a new database will be created
    PLAIN = "plain"  # starts with SQLite's header
    ENCRYPTED = "encrypted"  # no header, whole pages: SQLCipher (or random bytes – only a key can tell)
    UNKNOWN = "unknown"  # anything else: not a database


def file_kind(path: Path) -> FileKind:
    """What ``path`` holds, from its size and first 16 bytes (a SQLCipher file starts with its random salt)."""
    try:
        size = path.stat().st_size
        if size == 0:
            return FileKind.MISSING
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return FileKind.MISSING
    if head == SQLITE_HEADER:
        return FileKind.PLAIN
    return FileKind.ENCRYPTED if size % MIN_PAGE_SIZE == 0 else FileKind.UNKNOWN


@dataclass(frozen=True)
class SqliteFile:
    """A database file and, if it is encrypted, its passphrase (kept out of ``repr`` and comparisons)."""

    path: Path
    passphrase: str | None = field(default=None, repr=False, compare=False)
    raw_key: str | None = field(default=None, repr=False, compare=False)  # x'<key><salt>', see ``keyed_file``

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @property
    def module(self) -> Any:
        """The DBAPI module for this file (SQLAlchemy wraps only that module's exceptions)."""
        return sqlcipher if self.encrypted else sqlite3

    def with_path(self, path: Path) -> SqliteFile:
        """Another file with the same key: a backup, a temporary copy."""
        return replace(self, path=path)

    def with_passphrase(self, passphrase: str | None) -> SqliteFile:
        return replace(self, passphrase=passphrase, raw_key=None)

    def connect(self, *, read_only: bool = False, timeout: float = 5.0) -> Any:
        """A DBAPI connection in autocommit mode (we emit ``BEGIN`` ourselves), keyed if encrypted.

        A wrong key is only noticed at the first read ("file is not a database", ``SQLITE_NOTADB``).

        Opened for writing, a missing file is created first with mode 0600, and an existing one (with its
        ``-wal``/``-shm``) tightened to it: SQLite would create it 0644, and gives its ``-wal``, ``-shm`` and
        ``-journal`` the database file's mode (issue 18).
        """
        if not read_only:
            create_private(self.path)
            make_private(self.path, *sidecars(self.path))
        target = f"{self.path.resolve().as_uri()}?mode=ro" if read_only else str(self.path)
        conn = self.module.connect(
            target, timeout=timeout, uri=read_only, isolation_level=None, check_same_thread=False
        )
        if self.passphrase is not None:
            try:
                # Before the key: SQLCipher would otherwise print "hmac check failed" to stderr on a wrong key.
                conn.execute("PRAGMA cipher_log_level = NONE")
                conn.set_key(self.raw_key or self.passphrase)
            except BaseException:
                conn.close()
                raise
        return conn


def keyed_file(path: Path, passphrase: str | None) -> SqliteFile:
    """``path`` with its key derived once (an existing file's salt, or a new random one for a new file).

    If the derived key does not open an existing file, the returned file lets SQLCipher derive the key from
    the passphrase itself: right passphrase, other SQLCipher settings → it opens (slower); wrong passphrase →
    the caller's first read fails with "file is not a database" as usual.
    """
    if passphrase is None:
        return SqliteFile(path)
    plain = SqliteFile(path, passphrase)
    if file_kind(path) is FileKind.ENCRYPTED:
        with path.open("rb") as fh:
            salt = fh.read(SALT_BYTES)
    else:
        salt = os.urandom(SALT_BYTES)
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    derived = replace(plain, raw_key=f"x'{key.hex()}{salt.hex()}'")
    if file_kind(path) is FileKind.ENCRYPTED and not _opens(derived):
        return plain
    return derived


def plain_header_damaged(head: bytes) -> bool:
    """True for the first bytes of a plain SQLite file whose 16-byte magic is gone but whose header is otherwise
    there (an encrypted file's bytes 18–23 are ciphertext: matching by chance is about one in 10¹¹)."""
    return not head.startswith(SQLITE_HEADER) and len(head) >= 24 and bool(_PLAIN_HEADER_REST.fullmatch(head[18:24]))


def read_head(path: Path) -> bytes:
    """The first 100 bytes of ``path`` (SQLite's header), empty if it cannot be read."""
    try:
        with path.open("rb") as fh:
            return fh.read(100)
    except OSError:
        return b""


def damaged_start(path: Path, passphrase: str) -> bool:
    """For a file SQLCipher would not read with ``passphrase`` ("file is not a database"): True when it is the
    file's first page that is damaged, not the passphrase that is wrong — a plain SQLite file whose first bytes
    were overwritten (the rest of SQLite's header is still there), or an encrypted file whose later pages verify
    with the key derived from ``passphrase`` and the file's salt (SQLCipher never gets past page 1). False when
    the salt itself is damaged too (no key can be derived then; ``storage.database`` asks the backups)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(CIPHER_PAGE_SIZE * 3)
    except OSError:
        return False
    if plain_header_damaged(head):
        return True
    pages = [head[n * CIPHER_PAGE_SIZE : (n + 1) * CIPHER_PAGE_SIZE] for n in (1, 2)]
    pages = [page for page in pages if len(page) == CIPHER_PAGE_SIZE]
    if not pages:
        return False
    salt = head[:SALT_BYTES]
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    mask = bytes(b ^ _HMAC_SALT_MASK for b in salt)
    hmac_key = hashlib.pbkdf2_hmac("sha512", key, mask, _HMAC_KDF_ITERATIONS, KEY_BYTES)
    for number, page in enumerate(pages, start=2):
        body, mac = page[:-_HMAC_BYTES], page[-_HMAC_BYTES:]
        expected = hmac.new(hmac_key, body + struct.pack("<I", number), hashlib.sha512).digest()
        if hmac.compare_digest(expected, mac):
            return True
    return False


def passphrase_opens(path: Path, passphrase: str) -> bool:
    """True when ``path`` (an encrypted file, e.g. a backup) opens and reads with ``passphrase``."""
    if file_kind(path) is not FileKind.ENCRYPTED:
        return False
    try:
        file = keyed_file(path, passphrase)
        return file.raw_key is not None or _opens(file)
    except (OSError, sqlcipher.Error):
        return False


def _opens(file: SqliteFile) -> bool:
    try:
        conn = file.connect(read_only=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlcipher.DatabaseError:
        return False
    return True


@dataclass(frozen=True)
class CheckResult:
    """The outcome of SQLite's ``quick_check``/``integrity_check`` (and SQLCipher's page HMAC check)."""

    ok: bool
    problems: tuple[str, ...] = ()


def check_connection(conn: Any, *, full: bool, encrypted: bool) -> CheckResult:
    """Run the check on an open DBAPI connection; a file too damaged to read is a failed check, not a crash.

    ``full`` runs ``integrity_check`` (every index entry against its row) and, for an encrypted file,
    ``cipher_integrity_check`` (every page's HMAC — a single flipped byte anywhere is found).
    """
    problems: list[str] = []
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}")]
        if rows != ["ok"]:
            problems.extend(rows)
        if full and encrypted:
            problems.extend(str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check"))
    except (sqlite3.DatabaseError, sqlcipher.DatabaseError) as exc:
        problems.append(str(exc))
    return CheckResult(ok=not problems, problems=tuple(problems))


def check_file(file: SqliteFile, *, full: bool = True) -> CheckResult:
    """Open ``file`` read-only and check it; opening problems (a wrong key, garbage) are failed checks too."""
    try:
        conn = file.connect(read_only=True)
    except (sqlite3.Error, sqlcipher.Error) as exc:
        return CheckResult(ok=False, problems=(str(exc),))
    try:
        return check_connection(conn, full=full, encrypted=file.encrypted)
    finally:
        conn.close()


def sidecars(path: Path) -> tuple[Path, Path]:
    """SQLite's ``-wal`` and ``-shm`` files for ``path``: a stale ``-wal`` would be replayed into a new file."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def encrypt_plain_file(path: Path, passphrase: str) -> None:
    """Encrypt a plain database in place (a coordinator's file from before encryption), atomically.

    SQLCipher's ``sqlcipher_export`` writes an encrypted copy beside it, which is checked, flushed and renamed
    over the plain file. The plain bytes are gone from the file system, not wiped from the disk. Backups taken
    before stay plain: delete them, or keep them as safely as the database. Close the database first.
    """
    if file_kind(path) is not FileKind.PLAIN:
        raise StorageError(f"{path} er ikke en ukrypteret Koordinator-database, så den kan ikke krypteres.")
    if not passphrase:
        raise StorageError("Adgangskoden til databasen må ikke være tom. Skriv en adgangskode.")
    tmp = path.with_name(f".{path.name}.encrypt-tmp")
    remove_quietly(tmp, *sidecars(tmp))
    try:
        encrypted = keyed_file(tmp, passphrase)
        create_private(tmp)
        conn = sqlcipher.connect(str(path), isolation_level=None)
        try:
            conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(tmp), encrypted.raw_key))
            conn.execute("SELECT sqlcipher_export('encrypted')").fetchall()
            conn.execute("DETACH DATABASE encrypted")
        finally:
            conn.close()
        result = check_file(encrypted)
        if not result.ok:
            raise StorageError(f"Den krypterede kopi bestod ikke kontrollen ({result.problems[0]}). Intet er ændret.")
        if any(side.exists() for side in sidecars(path)):
            raise StorageError(
                f"Databasen {path} er åben i et andet vindue eller program. Luk det, og prøv igen. Intet er ændret."
            )
        fsync_file(tmp)
        replace_durably(tmp, path)
    except (OSError, sqlite3.Error, sqlcipher.Error) as exc:
        raise StorageError(
            f"Databasen {path} kunne ikke krypteres ({describe(exc) if isinstance(exc, OSError) else exc}). "
            "Intet er ændret. "
            "Kontrollér at der er plads på disken, og prøv igen."
        ) from exc
    finally:
        remove_quietly(tmp, *sidecars(tmp))
