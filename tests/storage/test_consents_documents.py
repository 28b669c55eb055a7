"""Consents (F1, F2) and immutably archived documents, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.orm import Session
from storage_data import MOMENT, patient
from storage_data import event as history_event

from coordinator_app.domain.errors import NotFoundError, ValidationError
from coordinator_app.domain.model import (
    Admission,
    ArchivedDocument,
    Consent,
    ConsentMethod,
    ConsentRecipient,
    Patient,
)
from coordinator_app.storage.bulk import table_of
from coordinator_app.storage.database import Database
from coordinator_app.storage.orm import DocumentRow
from coordinator_app.storage.repositories import (
    ConsentRepository,
    DocumentRepository,
    EventRepository,
    PatientRepository,
    clear_all,
)

Admitted = tuple[Database, Patient, Admission]
COPENHAGEN_WINTER = timezone(timedelta(hours=1))
EVERY_BYTE = bytes(range(256))


def consent(patient_id: int, at: datetime = MOMENT, **kw: Any) -> Consent:
    values: dict[str, Any] = {
        "recipient": ConsentRecipient.KOMMUNE,
        "given_to": "Københavns Kommune",
        "scope": "Varsling og færdigmelding, oplysninger om funktionsniveau",
        "method": ConsentMethod.MUNDTLIGT,
        "given_at": at,
        "recorded_by": "koordinator",
        **kw,
    }
    return Consent(id=None, patient_id=patient_id, **values)


def document(admission_id: int | None, content: bytes | None = EVERY_BYTE, **kw: Any) -> ArchivedDocument:
    values: dict[str, Any] = {
        "kind": "varslingsblanket",
        "title": "Varslingsblanket – varsling (æøå)",
        "created_at": MOMENT,
        "created_by": "koordinator",
        "sha256": hashlib.sha256(content).hexdigest() if content is not None else "0" * 64,
        "data_version": hashlib.sha256(b"input data").hexdigest(),
        "content": content,
        **kw,
    }
    return ArchivedDocument(id=None, admission_id=admission_id, **values)


def _ids(p: Patient, a: Admission) -> tuple[int, int]:
    assert p.id is not None and a.id is not None
    return p.id, a.id


# -- consents ---------------------------------------------------------------------------------------


def test_consents_round_trip_with_enums_and_aware_utc_in_given_order(admitted: Admitted) -> None:
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    later = consent(
        patient_id,
        datetime(2026, 11, 24, 10, 30, tzinfo=COPENHAGEN_WINTER),  # 09:30 UTC
        admission_id=admission_id,
        recipient=ConsentRecipient.PAAROERENDE,
        given_to="pårørende: søster",
        method=ConsentMethod.SKRIFTLIGT,
        note="Må kun kontaktes om eftermiddagen",
    )
    with db.session() as session:
        repo = ConsentRepository(session)
        second = repo.add(later)
        first = repo.add(consent(patient_id))
        other = PatientRepository(session).add(patient("0202902345"))
        assert other.id is not None
        repo.add(consent(other.id))
    assert first.id is not None and second.id is not None
    assert second == dataclasses.replace(later, id=second.id, given_at=MOMENT + timedelta(days=1))
    assert second.given_at.tzinfo is UTC and second.active

    with db.session() as session:
        repo = ConsentRepository(session)
        listed = repo.for_patient(patient_id)
        assert repo.get(second.id) == second
    assert listed == [first, second]
    assert all(c.given_at.tzinfo is UTC for c in listed)
    assert type(listed[1].recipient) is ConsentRecipient and type(listed[1].method) is ConsentMethod
    assert listed[0].admission_id is None and listed[0].note == ""


def test_a_consent_is_withdrawn_once_and_the_first_moment_kept(admitted: Admitted) -> None:
    db, p, _a = admitted
    patient_id, _ = _ids(p, _a)
    with db.session() as session:
        added = ConsentRepository(session).add(consent(patient_id))
    assert added.id is not None
    withdrawn_at = datetime(2026, 11, 25, 15, 5, tzinfo=COPENHAGEN_WINTER)
    with db.session() as session:
        withdrawn = ConsentRepository(session).withdraw(added.id, withdrawn_at)
    assert withdrawn == dataclasses.replace(added, withdrawn_at=withdrawn_at)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at.tzinfo is UTC
    assert not withdrawn.active

    with (
        pytest.raises(ValidationError, match=r"Samtykket er allerede trukket tilbage \(den 25\.11\.2026 kl\. 15\.05\)"),
        db.session() as session,
    ):
        ConsentRepository(session).withdraw(added.id, withdrawn_at + timedelta(days=1))
    with db.session() as session:
        assert ConsentRepository(session).get(added.id) == withdrawn


def test_missing_consent_and_naive_moments_are_refused(admitted: Admitted) -> None:
    db, p, _a = admitted
    patient_id, _ = _ids(p, _a)
    with db.session() as session:
        repo = ConsentRepository(session)
        with pytest.raises(NotFoundError, match=r"Samtykket \(nr\. 4242\) findes ikke"):
            repo.get(4242)
        with pytest.raises(NotFoundError, match="Samtykket"):
            repo.withdraw(4242, MOMENT)
        with pytest.raises(ValueError, match="timezone-aware"):
            repo.add(consent(patient_id, datetime(2026, 11, 23, 9, 0)))
        added = repo.add(consent(patient_id))
        assert added.id is not None
        with pytest.raises(ValueError, match="timezone-aware"):
            repo.withdraw(added.id, datetime(2026, 11, 23, 9, 0))
        assert repo.get(added.id).active


# -- documents --------------------------------------------------------------------------------------


TWO_MB = random.Random(2026).randbytes(2 * 1024 * 1024)


def test_document_bytes_come_back_byte_identical(admitted: Admitted) -> None:
    db, _p, a = admitted
    _, admission_id = _ids(_p, a)
    contents = [EVERY_BYTE * 3 + b"\x00", TWO_MB]
    with db.session() as session:
        noted = EventRepository(session).append(history_event(admission_id, MOMENT))
        originals = [
            document(
                admission_id,
                content,
                event_id=noted.id,
                created_at=datetime(2026, 11, 23, 10, 30, tzinfo=COPENHAGEN_WINTER),  # = MOMENT
            )
            for content in contents
        ]
        added = [DocumentRepository(session).add(d) for d in originals]
    for original, content, stored in zip(originals, contents, added, strict=True):
        assert stored.id is not None
        # The patient comes from the admission when only the admission is given (migration 0005).
        assert stored == dataclasses.replace(original, id=stored.id, created_at=MOMENT, content=None, patient_id=_p.id)
        with db.session() as session:
            repo = DocumentRepository(session)
            read = repo.get(stored.id)
            without = repo.get(stored.id, with_content=False)
        assert type(read.content) is bytes
        assert read.content == content
        assert hashlib.sha256(read.content).hexdigest() == read.sha256 == original.sha256
        assert read == dataclasses.replace(stored, content=content)
        assert without == stored
        assert read.created_at.tzinfo is UTC and read.event_id == noted.id


def test_a_document_whose_digest_does_not_match_is_refused(admitted: Admitted) -> None:
    db, _p, a = admitted
    _, admission_id = _ids(_p, a)
    with db.session() as session:
        repo = DocumentRepository(session)
        with pytest.raises(ValueError, match="not the digest"):
            repo.add(document(admission_id, sha256=hashlib.sha256(b"other").hexdigest()))
        with pytest.raises(ValueError, match="not the digest"):
            repo.add(document(admission_id, sha256=hashlib.sha256(EVERY_BYTE).hexdigest().upper()))
        with pytest.raises(ValueError, match="content bytes"):
            repo.add(document(admission_id, content=None))
        with pytest.raises(NotFoundError, match=r"Dokumentet \(nr\. 4242\) findes ikke"):
            repo.get(4242)
    with db.session() as session:
        assert DocumentRepository(session).for_admission(admission_id) == []


def _change_title(session: Session, document_id: int) -> None:
    row = session.get(DocumentRow, document_id)
    assert row is not None
    row.title = "Omskrevet"
    session.flush()


def _replace_content(session: Session, document_id: int) -> None:
    row = session.get(DocumentRow, document_id)
    assert row is not None
    row.content = b"forged"
    session.flush()


def _delete_row(session: Session, document_id: int) -> None:
    row = session.get(DocumentRow, document_id)
    assert row is not None
    session.delete(row)
    session.flush()


def _bulk_update(session: Session, document_id: int) -> None:
    session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(title="Omskrevet"))


def _core_delete(session: Session, document_id: int) -> None:
    table = table_of(DocumentRow)
    session.execute(delete(table).where(table.c.id == document_id))


CHANGES: dict[str, Callable[[Session, int], None]] = {
    "update title": _change_title,
    "update content": _replace_content,
    "delete": _delete_row,
    "ORM bulk update": _bulk_update,
    "Core delete through the session": _core_delete,
}


def test_an_archived_document_cannot_be_changed_or_deleted(admitted: Admitted) -> None:
    """Every way the ORM offers is refused, and the transaction's other writes roll back with it."""
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    with db.session() as session:
        added = DocumentRepository(session).add(document(admission_id))
    assert added.id is not None
    for how, change in CHANGES.items():
        try:
            with db.session() as session:
                ConsentRepository(session).add(consent(patient_id))  # written first in the same transaction
                change(session, added.id)
        except RuntimeError as exc:
            assert "archived immutably" in str(exc), how
        else:
            pytest.fail(f"{how}: an archived document was changed")
    with db.session() as session:
        assert DocumentRepository(session).get(added.id) == dataclasses.replace(added, content=EVERY_BYTE)
        assert ConsentRepository(session).for_patient(patient_id) == []  # nothing half-written


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_for_admission_lists_newest_first_without_loading_the_bytes(admitted: Admitted) -> None:
    db, _p, a = admitted
    _, admission_id = _ids(_p, a)
    with db.session() as session:
        repo = DocumentRepository(session)
        old = repo.add(document(admission_id, created_at=MOMENT - timedelta(days=2)))
        new = repo.add(document(admission_id, EVERY_BYTE[::-1], created_at=MOMENT, kind="udskrivningsaftale"))
        same_moment = repo.add(document(admission_id, b"%PDF-1.7", created_at=MOMENT))
    with db.session() as session, _statements(db) as seen:
        listed = DocumentRepository(session).for_admission(admission_id)
        assert DocumentRepository(session).for_admission(admission_id + 1) == []
    assert listed == [same_moment, new, old]
    assert all(d.content is None for d in listed)
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert selects and not any("content" in s for s in selects)


def test_an_ambulant_document_belongs_to_the_patient_without_an_admission(admitted: Admitted) -> None:
    """Issue 5: an ambulant patient's referat is archived at the patient; for_patient lists everything."""
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    with db.session() as session:
        other = PatientRepository(session).add(patient(cpr="0101909909", given_name="Testa", family_name="Fiktivsen"))
        assert other.id is not None
        repo = DocumentRepository(session)
        at_admission = repo.add(document(admission_id, created_at=MOMENT - timedelta(days=1)))
        ambulant = repo.add(
            document(None, b"%PDF ambulant", patient_id=patient_id, kind="netvaerksmoede_referat", created_at=MOMENT)
        )
        elsewhere = repo.add(document(None, b"%PDF other", patient_id=other.id))
    assert ambulant.id is not None
    assert (ambulant.admission_id, ambulant.patient_id) == (None, patient_id)
    assert at_admission.patient_id == patient_id and elsewhere.patient_id == other.id
    with db.session() as session, _statements(db) as seen:
        repo = DocumentRepository(session)
        listed = repo.for_patient(patient_id)
        assert repo.for_patient(other.id) == [elsewhere]
        assert repo.for_admission(admission_id) == [at_admission]
        assert repo.for_patient(4242) == []
    assert listed == [ambulant, at_admission]
    assert all(d.content is None for d in listed)
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert selects and not any("content" in s for s in selects)
    with db.session() as session:
        assert DocumentRepository(session).get(ambulant.id).content == b"%PDF ambulant"


def test_a_document_needs_a_patient_and_the_admission_must_be_theirs(admitted: Admitted) -> None:
    db, p, a = admitted
    _, admission_id = _ids(p, a)
    with db.session() as session:
        other = PatientRepository(session).add(patient(cpr="0101909909", given_name="Testa", family_name="Fiktivsen"))
        repo = DocumentRepository(session)
        with pytest.raises(ValueError, match="needs patient_id or admission_id"):
            repo.add(document(None))
        with pytest.raises(ValueError, match="names admission"):
            repo.add(document(admission_id, patient_id=other.id))
        with pytest.raises(NotFoundError):
            repo.add(document(admission_id + 100))
    with db.session() as session:
        assert DocumentRepository(session).for_patient(other.id or 0) == []


# -- demo reload ------------------------------------------------------------------------------------


def test_clear_all_removes_consents_and_documents_too(admitted: Admitted) -> None:
    db, p, a = admitted
    patient_id, admission_id = _ids(p, a)
    with db.session() as session:
        noted = EventRepository(session).append(history_event(admission_id, MOMENT))
        doc = DocumentRepository(session).add(document(admission_id, event_id=noted.id))
        ambulant = DocumentRepository(session).add(document(None, b"%PDF", patient_id=patient_id))
        given = ConsentRepository(session).add(consent(patient_id, admission_id=admission_id))
    assert doc.id is not None and given.id is not None
    db.set_meta("demo", "1")  # issue 18: clear_all refuses a database with patients that is not a demo
    with db.session() as session:
        clear_all(session)
    with db.session() as session:
        assert DocumentRepository(session).for_admission(admission_id) == []
        assert DocumentRepository(session).for_patient(patient_id) == []
        assert ConsentRepository(session).for_patient(patient_id) == []
        with pytest.raises(NotFoundError):
            DocumentRepository(session).get(ambulant.id or 0)
        with pytest.raises(NotFoundError):
            DocumentRepository(session).get(doc.id)
    with db.session() as session:  # ids carry on after a reload, without colliding
        again = PatientRepository(session).add(patient())
        assert again.id is not None
        assert ConsentRepository(session).add(consent(again.id)).id is not None
