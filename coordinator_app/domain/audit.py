"""The audit log (issue 8): who saw or changed which patient's record, when, and what — hash-chained.

Every line carries the SHA-256 of its own fields *and* of the line before it (``prev_hash``; the first line
points at ``GENESIS``). Changing a line breaks its own hash; deleting or moving one breaks the numbering or the
next line's pointer. ``verify_chain`` walks the lines once, in order, and names the first line that does not fit
— in Danish, for ``koordinator audit verify`` and the administrator.

What the chain cannot see on its own: the newest lines cut off the end (the rest still fits together), or the
whole chain recomputed by someone with write access to the database. ``VerifyResult.last_hash`` is printed by
the verify command so it can be noted down outside the database and compared later.

Lines never carry a CPR number or a name: the patient id is enough to find the person (GDPR art. 15 export).

The line that records a document's issue ends with ``issued_document``'s text — "(dokument 12, SHA-256 <hex>)" — so
the archived bytes' digest sits in the chain (issue 17): rewriting a document's bytes and the hash in its own row no
longer goes unnoticed (``issued_hash`` reads it back). Older lines end with "(dokument 12)" and carry no digest.
Pure Python: no database, no Qt.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

__all__ = [
    "ACTION_LABELS",
    "GENESIS",
    "AuditAction",
    "AuditEntry",
    "VerifyResult",
    "canonical",
    "chain_hash",
    "issued_document",
    "issued_hash",
    "seal",
    "verify_chain",
]

#: The pointer of the very first line: 64 zeros (no line before it).
GENESIS = "0" * 64


class AuditAction(StrEnum):
    """What was done. The values are stored in the log and are part of each line's hash: never rename them."""

    VIS = "vis"  # a patient's record (or an archived document) was viewed
    OPRET = "opret"  # something was created: an admission, a consent, a sending, a meeting, a plan
    RET = "ret"  # something was changed
    KORRIGER = "korriger"  # a mistaken event was undone by a correction (the history keeps both)
    UDSKRIV = "udskriv"  # a document was issued (archived PDF) or printed
    EKSPORT = "eksport"  # data left the program: statistics, a patient's log, a saved PDF
    SLET = "slet"  # data was removed (the demo reload)
    LOGIN = "login"  # a login, a failed login, a lock-out, the idle lock lifted (no patient)


ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.VIS: "Visning",
    AuditAction.OPRET: "Oprettelse",
    AuditAction.RET: "Ændring",
    AuditAction.KORRIGER: "Korrektion",
    AuditAction.UDSKRIV: "Udskrift",
    AuditAction.EKSPORT: "Eksport",
    AuditAction.SLET: "Sletning",
    AuditAction.LOGIN: "Login",
}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the log. ``seq`` numbers the lines 1, 2, 3 … without gaps; ``at`` is an aware UTC moment."""

    seq: int
    at: datetime
    user: str
    action: AuditAction
    patient_id: int | None
    admission_id: int | None
    what: str  # Danish, e.g. "Varslingsblanket udstedt (dokument 12)"; never a CPR number or a name
    prev_hash: str
    hash: str


def _moment(at: datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: audit lines carry aware UTC moments")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(prev_hash: str, entry: AuditEntry) -> bytes:
    """The exact bytes a line's hash is taken over: its fields (not its own hash) and ``prev_hash``, as JSON
    with sorted keys and no spaces, UTF-8. Stable across Python versions and both databases."""
    fields = {
        "seq": entry.seq,
        "at": _moment(entry.at),
        "user": entry.user,
        "action": AuditAction(entry.action).value,
        "patient_id": entry.patient_id,
        "admission_id": entry.admission_id,
        "what": entry.what,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def chain_hash(prev_hash: str, entry: AuditEntry) -> str:
    """SHA-256 (hex) of the line's canonical form chained to ``prev_hash``; ``entry.prev_hash``/``hash`` ignored."""
    return hashlib.sha256(canonical(prev_hash, entry)).hexdigest()


def seal(
    previous: AuditEntry | None,
    *,
    at: datetime,
    user: str,
    action: AuditAction,
    what: str,
    patient_id: int | None = None,
    admission_id: int | None = None,
) -> AuditEntry:
    """The next line after ``previous`` (None: the first line), numbered and hashed."""
    _moment(at)  # refuses a naive moment
    prev_hash = previous.hash if previous is not None else GENESIS
    draft = AuditEntry(
        seq=previous.seq + 1 if previous is not None else 1,
        at=at.astimezone(UTC),
        user=user,
        action=AuditAction(action),
        patient_id=patient_id,
        admission_id=admission_id,
        what=what,
        prev_hash=prev_hash,
        hash="",
    )
    return dataclasses.replace(draft, hash=chain_hash(prev_hash, draft))


def _lines(count: int) -> str:
    return "1 linje" if count == 1 else f"{count} linjer"


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """``ok`` with the number of lines checked, or the first line that does not fit and why (Danish)."""

    ok: bool
    count: int  # lines checked (all of them when ok)
    first_bad_seq: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS  # the newest line's hash when ok: note it down to detect a cut-off end later

    @property
    def message(self) -> str:
        if self.ok:
            return f"Revisionsloggen er intakt ({_lines(self.count)})."
        return f"Revisionsloggen er ikke intakt: {self.reason}."


def verify_chain(entries: Iterable[AuditEntry]) -> VerifyResult:
    """Check the lines in order (a generator is fine: one pass, one line kept in memory).

    Per line: the number follows the previous one (a gap means a deleted line), the hash matches the line's
    fields (else the line was changed), and ``prev_hash`` is the previous line's hash (else a line was replaced
    or moved). Stops at the first line that does not fit.
    """
    previous: AuditEntry | None = None
    count = 0
    for entry in entries:
        expected = previous.seq + 1 if previous is not None else 1
        if entry.seq > expected:
            return _broken(count, expected, f"Linje {expected} mangler (hul i rækkefølgen)")
        if entry.seq < expected:
            after = f"efter linje {previous.seq}" if previous is not None else "først"
            return _broken(count, entry.seq, f"Linje {entry.seq} står {after} (forkert rækkefølge)")
        try:
            intact = chain_hash(entry.prev_hash, entry) == entry.hash
        except ValueError:  # a naive or unreadable moment: the line is not what was written
            intact = False
        if not intact:
            return _broken(count, entry.seq, f"Linje {entry.seq} er ændret")
        if previous is None and entry.prev_hash != GENESIS:
            return _broken(count, entry.seq, f"Linje {entry.seq} peger ikke på loggens begyndelse")
        if previous is not None and entry.prev_hash != previous.hash:
            return _broken(count, entry.seq, f"Linje {entry.seq} peger ikke på linje {previous.seq}")
        previous = entry
        count += 1
    return VerifyResult(ok=True, count=count, last_hash=previous.hash if previous is not None else GENESIS)


def _broken(checked: int, seq: int, reason: str) -> VerifyResult:
    return VerifyResult(ok=False, count=checked, first_bad_seq=seq, reason=reason)


#: The end of an issue line (``issued_document``): the document's id and the SHA-256 of its archived bytes.
_ISSUED = re.compile(r"\(dokument (\d+), SHA-256 ([0-9a-f]{64})\)$")


def issued_document(document_id: int | None, sha256: str) -> str:
    """How an issue line names the archived document (inside its closing brackets): "dokument 12, SHA-256 <hex>".
    The document must be stored (have an id) and ``sha256`` be a hex digest."""
    if document_id is None or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"issue line for document {document_id!r} with digest {sha256!r}")
    return f"dokument {document_id}, SHA-256 {sha256}"


def issued_hash(entry: AuditEntry) -> tuple[int, str] | None:
    """``(document id, SHA-256)`` recorded by an issue line (``UDSKRIV`` ending in ``issued_document``'s text), else
    None: another line, or a document issued before the digest was logged."""
    if entry.action is not AuditAction.UDSKRIV:
        return None
    found = _ISSUED.search(entry.what)
    return (int(found.group(1)), found.group(2)) if found else None
