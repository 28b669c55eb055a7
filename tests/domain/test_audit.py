"""The audit log's chain (issue 8): every line hashed with the one before, and verify names the first line that
does not fit — a changed field, a deleted line, a moved line, a forged hash."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinator_app.domain.audit import (
    GENESIS,
    AuditAction,
    AuditEntry,
    canonical,
    chain_hash,
    issued_document,
    issued_hash,
    seal,
    verify_chain,
)

START = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def chain(count: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(count):
        entries.append(
            seal(
                entries[-1] if entries else None,
                at=START + timedelta(minutes=i),
                user="koordinator",
                action=list(AuditAction)[i % len(AuditAction)],
                what=f"Hændelse {i} – æøå",
                patient_id=i % 4 or None,
                admission_id=(i % 4) * 10 or None,
            )
        )
    return entries


def test_the_first_line_points_at_64_zeros_and_each_next_line_at_the_one_before() -> None:
    entries = chain(3)
    assert GENESIS == "0" * 64
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert len({e.hash for e in entries}) == 3


def test_the_hash_is_sha256_over_sorted_compact_json_of_the_fields_and_the_previous_hash() -> None:
    entry = chain(1)[0]
    expected = {
        "seq": 1,
        "at": "2026-12-01T08:30:00.000000+00:00",
        "user": "koordinator",
        "action": "vis",
        "patient_id": None,
        "admission_id": None,
        "what": "Hændelse 0 – æøå",
        "prev_hash": GENESIS,
    }
    raw = json.dumps(expected, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert canonical(GENESIS, entry) == raw
    assert entry.hash == hashlib.sha256(raw).hexdigest() == chain_hash(GENESIS, entry)


def test_the_same_moment_in_another_time_zone_hashes_the_same() -> None:
    entry = chain(1)[0]
    copenhagen = dataclasses.replace(entry, at=entry.at.astimezone(timezone(timedelta(hours=1))))
    assert chain_hash(GENESIS, copenhagen) == entry.hash
    assert verify_chain([copenhagen]).ok


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        seal(None, at=datetime(2026, 12, 1, 8, 30), user="x", action=AuditAction.VIS, what="x")


def test_an_intact_chain_verifies_with_its_count_and_newest_hash() -> None:
    entries = chain(5)
    result = verify_chain(entries)
    assert (result.ok, result.count, result.first_bad_seq, result.reason) == (True, 5, None, None)
    assert result.last_hash == entries[-1].hash
    assert result.message == "Revisionsloggen er intakt (5 linjer)."


def test_an_empty_log_and_a_single_line_are_intact() -> None:
    assert verify_chain([]).message == "Revisionsloggen er intakt (0 linjer)."
    assert verify_chain([]).last_hash == GENESIS
    assert verify_chain(chain(1)).message == "Revisionsloggen er intakt (1 linje)."


def test_verify_reads_a_generator_once() -> None:
    assert verify_chain(e for e in chain(4)).count == 4


@pytest.mark.parametrize(
    "change",
    [
        {"what": "Noget andet"},
        {"user": "en anden"},
        {"action": AuditAction.SLET},
        {"patient_id": 99},
        {"admission_id": 99},
        {"at": START + timedelta(days=1)},
    ],
    ids=lambda c: next(iter(c)),
)
def test_a_changed_field_is_named_by_its_line(change: dict[str, object]) -> None:
    entries = chain(5)
    entries[2] = dataclasses.replace(entries[2], **change)  # type: ignore[arg-type]
    result = verify_chain(entries)
    assert (result.ok, result.first_bad_seq, result.count) == (False, 3, 2)
    assert result.reason == "Linje 3 er ændret"
    assert result.message == "Revisionsloggen er ikke intakt: Linje 3 er ændret."


def test_a_deleted_line_is_a_gap() -> None:
    entries = chain(5)
    del entries[2]
    result = verify_chain(entries)
    assert (result.ok, result.first_bad_seq, result.reason) == (False, 3, "Linje 3 mangler (hul i rækkefølgen)")


def test_a_deleted_first_line_is_a_gap_at_line_1() -> None:
    result = verify_chain(chain(3)[1:])
    assert (result.first_bad_seq, result.reason) == (1, "Linje 1 mangler (hul i rækkefølgen)")


def test_a_deleted_line_renumbered_to_hide_the_gap_is_caught_by_the_hash() -> None:
    entries = chain(5)
    del entries[2]
    entries[2] = dataclasses.replace(entries[2], seq=3)  # the old line 4 now claims to be line 3
    result = verify_chain(entries)
    assert (result.first_bad_seq, result.reason) == (3, "Linje 3 er ændret")


def test_reordered_lines_are_caught() -> None:
    entries = chain(5)
    entries[2], entries[3] = entries[3], entries[2]
    result = verify_chain(entries)
    assert (result.first_bad_seq, result.reason) == (3, "Linje 3 mangler (hul i rækkefølgen)")


def test_a_repeated_line_is_out_of_order() -> None:
    entries = chain(3)
    result = verify_chain([*entries, entries[1]])
    assert (result.first_bad_seq, result.reason) == (2, "Linje 2 står efter linje 3 (forkert rækkefølge)")


def test_a_forged_hash_is_a_changed_line() -> None:
    entries = chain(4)
    entries[1] = dataclasses.replace(entries[1], hash="f" * 64)
    result = verify_chain(entries)
    assert (result.first_bad_seq, result.reason) == (2, "Linje 2 er ændret")


def test_a_line_rewritten_with_a_fresh_hash_breaks_the_next_lines_pointer() -> None:
    """Whoever rewrites line 2 and recomputes its hash still leaves line 3 pointing at the old line 2."""
    entries = chain(4)
    forged = dataclasses.replace(entries[1], what="Ingenting")
    entries[1] = dataclasses.replace(forged, hash=chain_hash(forged.prev_hash, forged))
    result = verify_chain(entries)
    assert (result.first_bad_seq, result.reason) == (3, "Linje 3 peger ikke på linje 2")


def test_a_first_line_that_does_not_start_at_genesis_is_caught() -> None:
    draft = dataclasses.replace(chain(1)[0], prev_hash="a" * 64)
    forged = dataclasses.replace(draft, hash=chain_hash(draft.prev_hash, draft))
    result = verify_chain([forged])
    assert (result.first_bad_seq, result.reason) == (1, "Linje 1 peger ikke på loggens begyndelse")


def test_a_line_with_a_naive_moment_counts_as_changed() -> None:
    entries = chain(2)
    entries[1] = dataclasses.replace(entries[1], at=entries[1].at.replace(tzinfo=None))
    assert verify_chain(entries).reason == "Linje 2 er ændret"


# -- any log, any single change ------------------------------------------------------------------------------

LINE = st.tuples(
    st.sampled_from(list(AuditAction)),
    st.text(max_size=40),
    st.text(min_size=1, max_size=12),
    st.none() | st.integers(1, 10**9),
    st.none() | st.integers(1, 10**9),
    st.integers(0, 10**9),  # microseconds after START
)


def build(lines: list[tuple[AuditAction, str, str, int | None, int | None, int]]) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for action, what, user, patient, admission, offset in lines:
        entries.append(
            seal(
                entries[-1] if entries else None,
                at=START + timedelta(microseconds=offset),
                user=user,
                action=action,
                what=what,
                patient_id=patient,
                admission_id=admission,
            )
        )
    return entries


@given(st.lists(LINE, max_size=30))
def test_any_sealed_log_verifies(lines: list[tuple[AuditAction, str, str, int | None, int | None, int]]) -> None:
    entries = build(lines)
    result = verify_chain(entries)
    assert result.ok and result.count == len(entries)


@given(
    st.lists(LINE, min_size=1, max_size=30),
    st.data(),
    st.sampled_from(["what", "user", "action", "patient_id", "admission_id", "at", "prev_hash", "hash"]),
)
def test_any_single_changed_field_is_caught_at_its_line(
    lines: list[tuple[AuditAction, str, str, int | None, int | None, int]], data: st.DataObject, name: str
) -> None:
    entries = build(lines)
    index = data.draw(st.integers(0, len(entries) - 1))
    old = getattr(entries[index], name)
    other: st.SearchStrategy[Any] = {  # the strategy of the field `name` names
        "what": st.text(max_size=40),
        "user": st.text(max_size=12),
        "action": st.sampled_from(list(AuditAction)),
        "patient_id": st.none() | st.integers(1, 10**9),
        "admission_id": st.none() | st.integers(1, 10**9),
        "at": st.integers(0, 10**9).map(lambda us: START + timedelta(microseconds=us)),
        "prev_hash": st.text("0123456789abcdef", min_size=64, max_size=64),
        "hash": st.text("0123456789abcdef", min_size=64, max_size=64),
    }[name]
    new = data.draw(other.filter(lambda v: v != old))
    entries[index] = dataclasses.replace(entries[index], **{name: new})
    result = verify_chain(entries)
    assert not result.ok
    assert result.first_bad_seq == index + 1
    assert result.reason == f"Linje {index + 1} er ændret"


@given(st.lists(LINE, min_size=2, max_size=30), st.data())
def test_any_deleted_line_but_the_last_is_caught(
    lines: list[tuple[AuditAction, str, str, int | None, int | None, int]], data: st.DataObject
) -> None:
    entries = build(lines)
    index = data.draw(st.integers(0, len(entries) - 2))
    del entries[index]
    result = verify_chain(entries)
    assert (result.ok, result.first_bad_seq) == (False, index + 1)


def test_cutting_off_the_newest_lines_shows_only_as_an_older_last_hash() -> None:
    """What the chain alone cannot see (module docstring): the verify command prints the newest hash to note."""
    entries = chain(5)
    assert verify_chain(entries[:3]).ok
    assert verify_chain(entries[:3]).last_hash != verify_chain(entries).last_hash


# -- the issue line carries the document's SHA-256 (issue 17) ----------------------------------------------------
DIGEST = hashlib.sha256(b"%PDF").hexdigest()


def line(action: AuditAction, what: str) -> AuditEntry:
    return seal(None, at=START, user="koordinator", action=action, what=what, patient_id=1, admission_id=2)


def test_an_issue_line_names_the_document_and_its_digest_and_reads_back() -> None:
    what = f"Varslingsblanket (varsling) udstedt ({issued_document(12, DIGEST)})"
    assert what == f"Varslingsblanket (varsling) udstedt (dokument 12, SHA-256 {DIGEST})"
    assert issued_hash(line(AuditAction.UDSKRIV, what)) == (12, DIGEST)


@pytest.mark.parametrize(
    ("action", "what"),
    [
        (AuditAction.UDSKRIV, "Varslingsblanket (varsling) udstedt (dokument 12)"),  # before issue 17: no digest
        (AuditAction.UDSKRIV, "Dokument 12 (Varslingsblanket – varsling) udskrevet"),  # printed, not issued
        (AuditAction.VIS, f"Noget andet (dokument 12, SHA-256 {DIGEST})"),  # not an issue line
        (AuditAction.UDSKRIV, f"(dokument 12, SHA-256 {DIGEST}) og mere"),  # not at the end
    ],
)
def test_other_lines_record_no_digest(action: AuditAction, what: str) -> None:
    assert issued_hash(line(action, what)) is None


@pytest.mark.parametrize(("document_id", "digest"), [(None, DIGEST), (12, "abc"), (12, DIGEST.upper())])
def test_an_issue_line_needs_a_stored_document_and_a_hex_digest(document_id: int | None, digest: str) -> None:
    with pytest.raises(ValueError):
        issued_document(document_id, digest)
