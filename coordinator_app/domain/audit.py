"""The audit log (issue 8): who saw or changed which patient's record, when, and what — hash-chained.

Every line carries the SHA-256 of its own fields *and* of the line before it (``prev_hash``; the first line
points at ``GENESIS``). Changing a line breaks its own hash; deleting or moving one breaks the numbering or the
next line's pointer. ``verify_chain`` walks the lines once, in order, and names the first line that does not fit
— in Danish, for ``koordinator audit verify`` and the administrator.

What the chain cannot see on its own: the newest lines cut off the end (the rest still fits together). So the end
is anchored (issue 18): an ``AuditHead`` — the newest line's number and hash, with a ``seal`` over both — is kept in
a row of its own (``audit_head``), moved forward in the same transaction as every appended line, and the next line
is chained to the *head*, not to whatever line is last in the table. ``verify_chain(…, head=…)`` then names a log
that ends before its head (cut off or emptied: ``truncated``), a head that does not match its line, lines past the
head, a changed seal and a missing head. The seal is a plain SHA-256 (the chain has no secret): it catches a head
edited by hand, not one recomputed together with the lines by someone who holds the database's key and drops its
triggers; that is caught only outside the database — the head ``audit verify`` prints before it logs in, noted down
and given back with ``--noteret``, or the head inside every backup (a backup is a copy of the file).

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
    "START",
    "AuditAction",
    "AuditEntry",
    "AuditHead",
    "VerifyResult",
    "canonical",
    "chain_hash",
    "check_noted",
    "head_after",
    "head_seal",
    "issued_document",
    "issued_hash",
    "parse_noted",
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


def head_seal(seq: int, last_hash: str) -> str:
    """The head's own SHA-256 over its line number and hash (canonical JSON, as the lines'): a head edited by hand
    no longer matches it. Stable: the migration that creates the head computes the same bytes."""
    fields = {"head_seq": seq, "head_hash": last_hash}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditHead:
    """Where the log ends: the newest line's number (0: no line yet) and hash (``GENESIS`` then), and ``seal``."""

    seq: int
    hash: str
    seal: str

    @property
    def sealed(self) -> bool:
        return self.seal == head_seal(self.seq, self.hash)

    @property
    def noted(self) -> str:
        """How a person notes it down and gives it back (``--noteret``): "12:<hash>"."""
        return f"{self.seq}:{self.hash}"

    @property
    def message(self) -> str:
        if self.seq == 0:
            return "ingen linjer endnu"
        return f"linje {self.seq}, kontrolsum {self.hash}"


#: The head of an empty log (written by the migration that creates ``audit_head``).
START = AuditHead(0, GENESIS, head_seal(0, GENESIS))


def head_after(entry: AuditEntry) -> AuditHead:
    """The head once ``entry`` is the newest line."""
    return AuditHead(entry.seq, entry.hash, head_seal(entry.seq, entry.hash))


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
    previous: AuditEntry | AuditHead | None,
    *,
    at: datetime,
    user: str,
    action: AuditAction,
    what: str,
    patient_id: int | None = None,
    admission_id: int | None = None,
) -> AuditEntry:
    """The next line after ``previous`` — a line, or the log's head (None: the first line), numbered and hashed."""
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
    """``ok`` with the number of lines checked, or the first line that does not fit and why (Danish).

    ``truncated``: the lines fit together but end before the head — the newest lines were cut off, or all of them."""

    ok: bool
    count: int  # lines checked (all of them when ok)
    first_bad_seq: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS  # the newest line's hash when ok
    truncated: bool = False
    missing: tuple[int, int] | None = None  # the first and last line found missing (a gap, or a cut-off end)

    @property
    def message(self) -> str:
        if self.ok:
            return f"Revisionsloggen er intakt ({_lines(self.count)})."
        if self.truncated:
            return f"Revisionsloggen er afkortet: {self.reason}."
        return f"Revisionsloggen er ikke intakt: {self.reason}."

    def seen_from(self, end: AuditHead | None) -> VerifyResult:
        """This result for someone who saw the log end at ``end`` — the head ``audit verify`` read before its login
        wrote a line: lines missing up to exactly that end were cut off the end, not out of the middle."""
        if self.ok or self.truncated or end is None or self.missing is None or self.missing[1] != end.seq:
            return self
        return _cut(self.missing[0] - 1, end.seq)


#: ``head`` not given: the chain alone is checked (``verify_chain(entries)``).
_UNCHECKED = object()


def verify_chain(entries: Iterable[AuditEntry], *, head: object = _UNCHECKED) -> VerifyResult:
    """Check the lines in order (a generator is fine: one pass, one line kept in memory).

    Per line: the number follows the previous one (a gap means a deleted line), the hash matches the line's
    fields (else the line was changed), and ``prev_hash`` is the previous line's hash (else a line was replaced
    or moved). Stops at the first line that does not fit.

    With ``head`` (the stored ``AuditHead``, or None when its row is gone) the end is checked too: the head's seal,
    then that the lines end exactly at the head — not before it (cut off, or emptied), not after it (lines added
    behind the program's back) — and that the last line's hash is the head's.
    """
    if head is not _UNCHECKED:
        if head is None:
            return _broken(0, None, "Markeringen af loggens ende mangler (den er slettet uden om programmet)")
        assert isinstance(head, AuditHead)
        if not head.sealed:
            return _broken(0, None, "Markeringen af loggens ende er ændret (dens kontrolsum passer ikke)")
    previous: AuditEntry | None = None
    count = 0
    for entry in entries:
        expected = previous.seq + 1 if previous is not None else 1
        if entry.seq > expected:
            gap = _broken(count, expected, f"{_span(expected, entry.seq - 1)} mangler (hul i rækkefølgen)")
            return dataclasses.replace(gap, missing=(expected, entry.seq - 1))
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
    last_seq, last_hash = (previous.seq, previous.hash) if previous is not None else (0, GENESIS)
    if isinstance(head, AuditHead):
        if last_seq < head.seq:
            return _cut(count, head.seq)
        if last_seq > head.seq:
            return _broken(
                count,
                head.seq + 1,
                f"{_span(head.seq + 1, last_seq)} står efter markeringen af loggens ende (linje {head.seq}): skrevet "
                "uden om programmet, eller markeringen er flyttet tilbage",
            )
        if last_hash != head.hash:
            return _broken(count, last_seq, f"Linje {last_seq} passer ikke med markeringen af loggens ende")
    return VerifyResult(ok=True, count=count, last_hash=last_hash)


def _span(first: int, last: int) -> str:
    return f"Linje {first}" if first == last else f"Linje {first}–{last}"


def _cut(kept: int, end: int) -> VerifyResult:
    """Lines 1…``kept`` are there, ``kept + 1``…``end`` are not."""
    if kept == 0:
        missing = f"alle linjer mangler ({_span(1, end).lower()})"
    else:
        missing = f"{_span(kept + 1, end).lower()} mangler"
    reason = f"den sluttede ved linje {end}, men {missing}"
    return VerifyResult(
        ok=False, count=kept, first_bad_seq=kept + 1, reason=reason, truncated=True, missing=(kept + 1, end)
    )


def check_noted(entries: Iterable[AuditEntry], noted: tuple[int, str]) -> str | None:
    """A head noted down earlier (``parse_noted``) against the lines now: None if line ``seq`` is still there with
    the same hash, else why not (Danish). Reads only until that line."""
    seq, expected = noted
    if seq == 0:
        return None
    for entry in entries:
        if entry.seq == seq:
            if entry.hash == expected:
                return None
            return f"Linje {seq} har ikke længere den noterede kontrolsum (loggen er ændret eller genberegnet)"
        if entry.seq > seq:
            break
    return f"Linje {seq}, som loggen var nået til, da den blev noteret, findes ikke længere (loggen er afkortet)"


def parse_noted(text: str) -> tuple[int, str] | None:
    """ "12:<64 hex>" (as ``AuditHead.noted`` prints it) → (12, hash); None if it is not written that way."""
    found = re.fullmatch(r"\s*(\d{1,18})\s*[:,]\s*([0-9a-fA-F]{64})\s*", text)
    return (int(found.group(1)), found.group(2).lower()) if found else None


def _broken(checked: int, seq: int | None, reason: str) -> VerifyResult:
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
