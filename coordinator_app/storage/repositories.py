"""Repositories: the only way the app reads and writes records. In: model dataclasses; out: the same.

Each repository works inside the caller's session (``Database.session()``), so a service groups
several writes into one transaction. Reads of many rows use Core selects (no ORM objects) — those the start also
needs run through ``storage.reads`` on the session's connection, the very functions the start's services call on a
Core connection; writes go through the ORM so ``version_id_col`` guards updates against another user's concurrent
edit.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, Engine, func, or_, select, update

from coordinator_app.domain.errors import NotFoundError, ValidationError
from coordinator_app.domain.meetings import Meeting, MeetingContent, MeetingStatus, MeetingTemplate
from coordinator_app.domain.model import Admission, ArchivedDocument, Consent, Contact, Event, Kommune, Patient, Sector
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import reads, selects, tables
from coordinator_app.storage.bulk import bulk_load, clear_all, reset_sequences, table_of, upsert_kommuner
from coordinator_app.storage.convert import (
    DOCUMENT_FIELDS,
    admission_from,
    admission_values,
    consent_from,
    consent_values,
    document_from,
    document_values,
    event_from,
    event_values,
    events_from,
    kommune_from,
    patient_from,
    patient_values,
    utc,
)
from coordinator_app.storage.failures import conflict
from coordinator_app.storage.journal import after_core_update, before_core_update
from coordinator_app.storage.loans import hold_against_checkout, not_lent, refuse_lent
from coordinator_app.storage.meeting_codec import (
    content_to_json,
    meeting_from,
    meeting_values,
    sections_to_json,
    template_from,
)
from coordinator_app.storage.reads import ListRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = [
    "AdmissionRepository",
    "CentreRepository",
    "ConsentRepository",
    "ContactRepository",
    "DocumentRepository",
    "EventRepository",
    "KommuneRepository",
    "ListRow",
    "MeetingRepository",
    "MeetingTemplateRepository",
    "PatientRepository",
    "bulk_load",
    "clear_all",
    "reset_sequences",
]

_chunks = reads.chunks


def _hold(session: Session, row: object) -> None:
    """Keep a loaded row alive for the session's lifetime.

    The identity map holds rows weakly and we hand out dataclasses, so without this a row read by
    ``get()`` would be forgotten and ``update()`` would re-read the *newest* version, silently
    overwriting a change another user committed in between. Held, the UPDATE carries the version we
    read (``version_id_col``) and a concurrent change raises ``ConflictError`` instead.
    """
    held: list[object] = session.info.setdefault("koordinator_rows", [])
    held.append(row)


def _rowcount(result: object) -> int:
    """The rows an UPDATE matched (``Session.execute`` is typed as returning any Result; an UPDATE's has a cursor)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def _check_version(record: object, current: int) -> None:
    expected = getattr(record, "version", None)
    if expected is not None and expected != current:
        raise conflict()


class KommuneRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[Kommune]:
        rows = self._session.execute(select(orm.KommuneRow.__table__).order_by(orm.KommuneRow.name))
        return [kommune_from(r) for r in rows]

    def names(self) -> dict[str, str]:
        """Kommune code → name."""
        return reads.kommune_names(reads.of_session(self._session))

    def get(self, code: str) -> Kommune | None:
        row = self._session.execute(select(orm.KommuneRow.__table__).where(orm.KommuneRow.code == code)).first()
        return kommune_from(row) if row is not None else None

    def upsert_many(self, kommuner: Iterable[Kommune]) -> None:
        upsert_kommuner(self._session, kommuner)

    def set_secure_mail(self, code: str, address: str | None) -> Kommune:
        """F3: the kommune's one system-based entrance (``None`` or empty clears it). ``NotFoundError`` for an
        unknown code. The caller validates the address (``services.contacts``)."""
        table = table_of(orm.KommuneRow)
        journaled = before_core_update(self._session, table, [code], ("secure_mail",))
        result = self._session.execute(
            update(table).where(table.c.code == code).values(secure_mail=(address or "").strip() or None)
        )
        after_core_update(self._session, table, journaled, ("secure_mail",))
        if _rowcount(result) == 0:
            raise NotFoundError(f"Kommunen med kode {code} findes ikke i kommunelisten. Opdatér visningen.")
        found = self.get(code)
        assert found is not None
        return found


class CentreRepository:
    """Centres and their wards (editable reference data): ``{centre name: [ward names]}``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> dict[str, list[str]]:
        return reads.centres(reads.of_session(self._session))

    def save(self, centre: str, wards: Iterable[str]) -> None:
        """Add the centre and any wards it does not have yet (existing wards are kept)."""
        row = self._session.scalar(select(orm.CentreRow).where(orm.CentreRow.name == centre))
        if row is None:
            row = orm.CentreRow(name=centre)
            self._session.add(row)
            self._session.flush()
        known = set(self._session.scalars(select(orm.WardRow.name).where(orm.WardRow.centre_id == row.id)))
        new = [w for w in dict.fromkeys(wards) if w not in known]
        self._session.add_all(orm.WardRow(centre_id=row.id, name=w) for w in new)
        self._session.flush()


class PatientRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, patient_id: int) -> orm.PatientRow:
        row = self._session.get(orm.PatientRow, patient_id)
        if row is None:
            raise NotFoundError(
                f"Patienten (nr. {patient_id}) findes ikke længere. En anden bruger kan have slettet den; "
                "opdatér listen."
            )
        _hold(self._session, row)
        return row

    def add(self, patient: Patient) -> Patient:
        row = orm.PatientRow(**patient_values(patient))
        if patient.id is not None:
            row.id = patient.id
        self._session.add(row)
        self._session.flush()
        _hold(self._session, row)
        return patient_from(row)

    def get(self, patient_id: int) -> Patient:
        return patient_from(self._row(patient_id))

    def names(self, patient_ids: Iterable[int]) -> dict[int, str]:
        """Patient id → "Fornavn Efternavn" for the ids that exist (one query per 5,000 ids)."""
        out: dict[int, str] = {}
        for chunk in _chunks(list(dict.fromkeys(patient_ids))):
            rows = self._session.execute(
                select(orm.PatientRow.id, orm.PatientRow.given_name, orm.PatientRow.family_name).where(
                    orm.PatientRow.id.in_(chunk)
                )
            )
            out.update({r.id: f"{r.given_name} {r.family_name}".strip() for r in rows})
        return out

    def update(self, patient: Patient) -> Patient:
        """Save changes; raises ``ConflictError`` if another user changed the patient meanwhile."""
        if patient.id is None:
            raise ValueError("update() needs a patient with an id; use add() for a new one")
        row = self._row(patient.id)
        _check_version(patient, row.version)
        for key, value in patient_values(patient).items():
            setattr(row, key, value)
        self._session.flush()
        return patient_from(row)

    def find_by_cpr(self, cpr: str) -> Patient | None:
        row = self._session.scalar(select(orm.PatientRow).where(orm.PatientRow.cpr == cpr))
        if row is None:
            return None
        _hold(self._session, row)
        return patient_from(row)


class AdmissionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, admission_id: int) -> orm.AdmissionRow:
        row = self._session.get(orm.AdmissionRow, admission_id)
        if row is None:
            raise NotFoundError(
                f"Indlæggelsen (nr. {admission_id}) findes ikke længere. En anden bruger kan have slettet "
                "den; opdatér listen."
            )
        _hold(self._session, row)
        return row

    def add(self, admission: Admission) -> Admission:
        row = orm.AdmissionRow(**admission_values(admission))
        if admission.id is not None:
            row.id = admission.id
        self._session.add(row)
        self._session.flush()
        _hold(self._session, row)
        return admission_from(row)

    def get(self, admission_id: int) -> Admission:
        return admission_from(self._row(admission_id))

    def get_many(self, admission_ids: Iterable[int]) -> dict[int, Admission]:
        """The admissions with these ids (missing ids are simply absent), in one query per 5,000 ids."""
        return reads.admissions(reads.of_session(self._session), admission_ids)

    def overlapping(self, first: date, last: date) -> dict[int, Admission]:
        """Statistik's admissions: every one with at least one day in ``first``–``last`` (admitted on or before
        ``last``, not discharged before ``first``), by id — one query, no id list (``services.statistics``)."""
        table = orm.AdmissionRow.__table__
        query = (
            select(table)
            .where(table.c.admitted <= last, or_(table.c.discharged.is_(None), table.c.discharged >= first))
            .order_by(table.c.id)
        )
        return {row.id: admission_from(row) for row in self._session.execute(query)}

    def update(self, admission: Admission) -> Admission:
        """Save changes; raises ``ConflictError`` if another user changed the admission meanwhile."""
        if admission.id is None:
            raise ValueError("update() needs an admission with an id; use add() for a new one")
        row = self._row(admission.id)
        _check_version(admission, row.version)
        for key, value in admission_values(admission).items():
            setattr(row, key, value)
        self._session.flush()
        return admission_from(row)

    def for_patient(self, patient_id: int) -> list[Admission]:
        table = orm.AdmissionRow.__table__
        rows = self._session.execute(
            select(table).where(table.c.patient_id == patient_id).order_by(table.c.admitted, table.c.id)
        )
        return [admission_from(r) for r in rows]

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(orm.AdmissionRow)) or 0


class EventRepository:
    """Append-only history: events are added, never changed (a correction is a new event)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, event: Event) -> Event:
        row = orm.EventRow(**event_values(event))
        if event.id is not None:
            row.id = event.id
        self._session.add(row)
        self._session.flush()
        return event_from(row)

    def get(self, event_id: int) -> Event:
        row = self._session.execute(selects.EVENTS.where(_EVENTS.c.id == event_id)).first()
        if row is None:
            raise NotFoundError(
                f"Hændelsen (nr. {event_id}) findes ikke. En anden bruger kan have genindlæst demodata; opdatér listen."
            )
        return events_from([row])[0]

    def for_admission(self, admission_id: int) -> list[Event]:
        """The admission's history in the order it happened (ties by id, i.e. recording order)."""
        return events_from(
            self._session.execute(
                selects.EVENTS.where(_EVENTS.c.admission_id == admission_id).order_by(
                    _EVENTS.c.occurred_at, _EVENTS.c.id
                )
            ).all()
        )

    def for_admissions(self, admission_ids: Iterable[int]) -> dict[int, list[Event]]:
        """Every requested admission's history (``[]`` when it has none), ordered as ``for_admission``
        (``reads.events_of``: the patient list's deadlines and Statistik read thousands of events here)."""
        return reads.events_of(reads.of_session(self._session), admission_ids)


_EVENTS = tables.events


class ConsentRepository:
    """F1/F2 consents: added and withdrawn, never edited or deleted (the record stays as history)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, consent: Consent) -> Consent:
        row = orm.ConsentRow(**consent_values(consent))
        if consent.id is not None:
            row.id = consent.id
        self._session.add(row)
        self._session.flush()
        return consent_from(row)

    def get(self, consent_id: int) -> Consent:
        row = self._session.execute(select(_CONSENTS).where(_CONSENTS.c.id == consent_id)).first()
        if row is None:
            raise NotFoundError(
                f"Samtykket (nr. {consent_id}) findes ikke. En anden bruger kan have genindlæst data; "
                "opdatér visningen."
            )
        return consent_from(row)

    def for_patient(self, patient_id: int) -> list[Consent]:
        """All the patient's consents, withdrawn ones included, in the order they were given."""
        rows = self._session.execute(
            select(_CONSENTS).where(_CONSENTS.c.patient_id == patient_id).order_by(_CONSENTS.c.given_at, _CONSENTS.c.id)
        )
        return [consent_from(r) for r in rows]

    def withdraw(self, consent_id: int, at: datetime) -> Consent:
        """Record the withdrawal at ``at`` (aware). Only once: a second withdrawal raises ``ValidationError``.

        One conditional UPDATE (``… WHERE withdrawn_at IS NULL``), so two coordinators withdrawing the
        same consent at once cannot both succeed, and the first moment is never overwritten.
        """
        at = utc(at, "withdrawn_at")
        journaled = before_core_update(self._session, _CONSENTS, [consent_id], ("withdrawn_at",))
        result = self._session.execute(
            update(_CONSENTS)
            .where(_CONSENTS.c.id == consent_id, _CONSENTS.c.withdrawn_at.is_(None))
            .values(withdrawn_at=at)
        )
        after_core_update(self._session, _CONSENTS, journaled, ("withdrawn_at",))
        consent = self.get(consent_id)  # NotFoundError when there is no such consent
        if _rowcount(result) == 0:
            assert consent.withdrawn_at is not None
            local = consent.withdrawn_at.astimezone(COPENHAGEN)
            raise ValidationError(
                f"Samtykket er allerede trukket tilbage (den {local:%d.%m.%Y} kl. {local:%H.%M}). "
                "Et samtykke kan kun trækkes tilbage én gang; opdatér visningen.",
                field="consent",
                rule="F1",
            )
        return consent


class DocumentRepository:
    """Issued documents, archived immutably: the exact bytes, checked against their SHA-256 on the way in."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, document: ArchivedDocument) -> ArchivedDocument:
        """Archive ``document`` (``content`` required, ``sha256`` its hex digest); returned with id, without content.

        ``patient_id`` is taken from the admission when only ``admission_id`` is given; an ambulant patient's
        document (no admission) needs ``patient_id``, and both given must agree."""
        if document.content is None:
            raise ValueError("DocumentRepository.add() needs the document's content bytes")
        content = bytes(document.content)
        if document.admission_id is not None:
            owner = AdmissionRepository(self._session).get(document.admission_id).patient_id
            if document.patient_id is None:
                document = dataclasses.replace(document, patient_id=owner)
            elif document.patient_id != owner:
                raise ValueError(
                    f"document for patient {document.patient_id} names admission {document.admission_id} "
                    f"of patient {owner}"
                )
        elif document.patient_id is None:
            raise ValueError("DocumentRepository.add() needs patient_id or admission_id")
        digest = hashlib.sha256(content).hexdigest()
        if document.sha256 != digest:
            raise ValueError(f"sha256 {document.sha256!r} is not the digest of the content ({digest})")
        row = orm.DocumentRow(**document_values(dataclasses.replace(document, content=content)))
        if document.id is not None:
            row.id = document.id
        self._session.add(row)
        self._session.flush()
        added = document_from(row, with_content=False)
        self._session.expunge(row)  # nothing keeps the bytes alive, and no later flush can touch the row
        return added

    def get(self, document_id: int, *, with_content: bool = True) -> ArchivedDocument:
        columns = _DOCUMENT_COLUMNS + ((_DOCUMENTS.c.content,) if with_content else ())
        row = self._session.execute(select(*columns).where(_DOCUMENTS.c.id == document_id)).first()
        if row is None:
            raise NotFoundError(
                f"Dokumentet (nr. {document_id}) findes ikke. En anden bruger kan have genindlæst data; "
                "opdatér visningen."
            )
        return document_from(row, with_content=with_content)

    def for_admission(self, admission_id: int) -> list[ArchivedDocument]:
        """The admission's documents, newest first, without their bytes (``content`` is None)."""
        rows = self._session.execute(
            select(*_DOCUMENT_COLUMNS)
            .where(_DOCUMENTS.c.admission_id == admission_id)
            .order_by(_DOCUMENTS.c.created_at.desc(), _DOCUMENTS.c.id.desc())
        )
        return [document_from(r, with_content=False) for r in rows]

    def issued_at(self, kind: str, titles: Iterable[str]) -> dict[str, datetime]:
        """When a document of ``kind`` with each of ``titles`` was last issued (a title never issued is absent):
        e.g. the referat of each held netværksmøde (its title names the meeting's reference), one query per chunk."""
        out: dict[str, datetime] = {}
        for chunk in _chunks(list(dict.fromkeys(titles))):
            rows = self._session.execute(
                select(_DOCUMENTS.c.title, func.max(_DOCUMENTS.c.created_at))
                .where(_DOCUMENTS.c.kind == kind, _DOCUMENTS.c.title.in_(chunk))
                .group_by(_DOCUMENTS.c.title)
            )
            out.update({title: utc(created, "ArchivedDocument.created_at") for title, created in rows})
        return out

    def ids(self) -> list[int]:
        """Every archived document's id, oldest first (``audit verify`` re-hashes them one at a time)."""
        return list(self._session.scalars(select(_DOCUMENTS.c.id).order_by(_DOCUMENTS.c.id)))

    def for_patient(self, patient_id: int) -> list[ArchivedDocument]:
        """All the patient's documents (every admission and ambulant ones), newest first, without their bytes."""
        rows = self._session.execute(
            select(*_DOCUMENT_COLUMNS)
            .where(_DOCUMENTS.c.patient_id == patient_id)
            .order_by(_DOCUMENTS.c.created_at.desc(), _DOCUMENTS.c.id.desc())
        )
        return [document_from(r, with_content=False) for r in rows]


_CONSENTS = tables.consents
_DOCUMENTS = tables.documents
_DOCUMENT_COLUMNS = tuple(_DOCUMENTS.c[name] for name in DOCUMENT_FIELDS)


# -- netværksmøder ---------------------------------------------------------------------------------------------
_TEMPLATES = tables.meeting_templates
_MEETINGS = tables.meetings
_MEETING_ACTIVE = (MeetingStatus.PLANLAGT.value, MeetingStatus.I_GANG.value)


def _templates_of(session: Session) -> dict[int, MeetingTemplate]:
    bind = session.get_bind()
    return reads.template_cache(bind if isinstance(bind, Engine) else bind.engine)


class MeetingTemplateRepository:
    """Versions of the netværksmøde template (C5): added, never changed (a new version instead)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, template: MeetingTemplate, *, created_by: str, at: datetime) -> MeetingTemplate:
        """Write ``template`` (its name and version as given) as a new, immutable row."""
        row = orm.MeetingTemplateRow(
            name=template.name,
            version=template.version,
            sections=sections_to_json(template.sections),
            created_at=utc(at, "MeetingTemplate.created_at"),
            created_by=created_by,
        )
        self._session.add(row)
        self._session.flush()
        added = template_from(row)
        self._session.expunge(row)  # nothing can flush a change to it later
        assert added.id is not None
        _templates_of(self._session)[added.id] = added
        return added

    def get(self, template_id: int) -> MeetingTemplate:
        cache = _templates_of(self._session)
        found = cache.get(template_id)
        if found is None:
            row = self._session.execute(select(_TEMPLATES).where(_TEMPLATES.c.id == template_id)).first()
            if row is None:
                raise NotFoundError(f"Mødeskabelonen (nr. {template_id}) findes ikke. Opdatér visningen.")
            found = cache[template_id] = template_from(row)
        return found

    def get_many(self, template_ids: Iterable[int]) -> dict[int, MeetingTemplate]:
        return reads.templates(reads.of_session(self._session), template_ids)

    def latest(self) -> MeetingTemplate | None:
        """The most recently saved version of any template (the ward's current template)."""
        row = self._session.execute(select(_TEMPLATES).order_by(_TEMPLATES.c.id.desc()).limit(1)).first()
        return template_from(row) if row is not None else None

    def versions(self, name: str) -> list[MeetingTemplate]:
        rows = self._session.execute(select(_TEMPLATES).where(_TEMPLATES.c.name == name).order_by(_TEMPLATES.c.version))
        return [template_from(r) for r in rows]

    def max_version(self, name: str) -> int:
        found = self._session.scalar(select(func.max(_TEMPLATES.c.version)).where(_TEMPLATES.c.name == name))
        return int(found or 0)


class MeetingRepository:
    """Netværksmøder. Schedule and status changes go through the ORM (``version_id_col``); autosave of the
    content is one conditional UPDATE (``save_content``) that touches nothing but the meeting's row."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, meeting_id: int) -> orm.MeetingRow:
        row = self._session.get(orm.MeetingRow, meeting_id)
        if row is None:
            raise _meeting_not_found(meeting_id)
        _hold(self._session, row)
        return row

    def _from_rows(self, rows: Sequence[Any]) -> list[Meeting]:
        return reads.meetings_from(reads.of_session(self._session), rows)

    def add(self, meeting: Meeting, *, created_by: str, at: datetime) -> Meeting:
        at = utc(at, "Meeting.created_at")
        row = orm.MeetingRow(
            **meeting_values(meeting), recipients=[], created_at=at, created_by=created_by, updated_at=at
        )
        self._session.add(row)
        self._session.flush()
        _hold(self._session, row)
        return meeting_from(row, meeting.template)

    def get(self, meeting_id: int) -> Meeting:
        row = self._session.execute(select(_MEETINGS).where(_MEETINGS.c.id == meeting_id)).first()
        if row is None:
            raise _meeting_not_found(meeting_id)
        return self._from_rows([row])[0]

    def update(self, meeting: Meeting, *, at: datetime) -> Meeting:
        """Save schedule, status and content; ``ConflictError`` if someone saved the meeting meanwhile."""
        if meeting.id is None:
            raise ValueError("update() needs a meeting with an id; use add() for a new one")
        row = self._row(meeting.id)
        _check_version(meeting, row.version)
        for key, value in meeting_values(meeting).items():
            setattr(row, key, value)
        row.updated_at = utc(at, "Meeting.updated_at")
        self._session.flush()
        return meeting_from(row, meeting.template)

    def save_content(self, meeting_id: int, content: MeetingContent, *, expected_version: int, at: datetime) -> Meeting:
        """Autosave: ``UPDATE meetings SET content … WHERE id = ? AND version = ?`` returning the new row.

        No other table is read (the template comes from the immutable-template cache) but the loans, inside the same
        statement (issue 19: ``not_lent``), so the write transaction stays as short as one statement (on PostgreSQL
        after a ``LOCK`` that waits for a check-out running now, ``storage.loans.hold_against_checkout``).
        ``ConflictError`` when the version moved on; ``ValidationError`` when the meeting is closed; ``NotFoundError``
        when it is gone; ``LentCaseError`` when the patient is out on a laptop file.
        """
        hold_against_checkout(self._session.connection())  # PostgreSQL: a check-out running now is waited for
        journaled = before_core_update(self._session, _MEETINGS, [meeting_id], _AUTOSAVED)  # a laptop file only
        stmt = (
            update(_MEETINGS)
            .where(
                _MEETINGS.c.id == meeting_id,
                _MEETINGS.c.version == expected_version,
                _MEETINGS.c.status != MeetingStatus.AFSLUTTET.value,
                not_lent(_MEETINGS.c.patient_id),  # issue 19: a Core UPDATE, which the flush guard does not see
            )
            .values(
                content=content_to_json(content),
                version=_MEETINGS.c.version + 1,
                updated_at=utc(at, "Meeting.updated_at"),
            )
            .returning(*_MEETINGS.c)
        )
        row = self._session.execute(stmt).first()
        if row is None:
            refuse_lent(self._session, meeting_ids=[meeting_id], what="Sagen")
            found = self._session.execute(
                select(_MEETINGS.c.reference, _MEETINGS.c.version, _MEETINGS.c.status).where(
                    _MEETINGS.c.id == meeting_id
                )
            ).first()
            if found is None:
                raise _meeting_not_found(meeting_id)
            if found.version == expected_version:  # same version, so it is the status: closed
                raise ValidationError(
                    f"Mødet {found.reference} er afsluttet; referatet kan ikke ændres længere. "
                    "Ret en aftales status under opgaverne, eller planlæg et opfølgningsmøde.",
                    field="status",
                )
            raise conflict()
        after_core_update(self._session, _MEETINGS, journaled, _AUTOSAVED)
        return self._from_rows([row])[0]

    def _select(self, *where: Any, order: Sequence[Any] = ()) -> list[Meeting]:
        rows = self._session.execute(select(_MEETINGS).where(*where).order_by(*order, _MEETINGS.c.id)).all()
        return self._from_rows(rows)

    def for_admission(self, admission_id: int) -> list[Meeting]:
        """The admission's meetings in invitation order."""
        return self._select(_MEETINGS.c.admission_id == admission_id, order=(_MEETINGS.c.invited_on,))

    def closed_for_admissions(self, admission_ids: Iterable[int]) -> list[Meeting]:
        """Closed meetings of these admissions (their agreements are tracked tasks), one query per chunk."""
        return reads.closed_meetings(reads.of_session(self._session), admission_ids)

    def for_patient(self, patient_id: int) -> list[Meeting]:
        """All the patient's meetings (every admission and ambulant), in invitation order."""
        return self._select(_MEETINGS.c.patient_id == patient_id, order=(_MEETINGS.c.invited_on,))

    def active(self) -> list[Meeting]:
        """Planned and running meetings (the service filters and sorts them by time)."""
        return self._select(_MEETINGS.c.status.in_(_MEETING_ACTIVE))

    def closed(self) -> list[Meeting]:
        """Closed (held) meetings, the most recently closed first (the Møder tab's «Afholdte»)."""
        return self._select(_MEETINGS.c.status == MeetingStatus.AFSLUTTET.value, order=(_MEETINGS.c.closed_at.desc(),))

    def references(self, prefix: str) -> list[str]:
        return list(
            self._session.scalars(select(_MEETINGS.c.reference).where(_MEETINGS.c.reference.like(f"{prefix}%")))
        )

    def recipients(self, meeting_id: int) -> list[dict[str, Any]]:
        """Extra referat recipients (beyond the participants), as stored."""
        found = self._session.scalar(select(_MEETINGS.c.recipients).where(_MEETINGS.c.id == meeting_id))
        return list(found or [])

    def set_recipients(self, meeting_id: int, recipients: Sequence[dict[str, Any]]) -> None:
        """Replace the extra recipients. Deliberately leaves ``version`` alone: the distribution list is not
        the minutes, so adding a recipient never makes a running meeting's next autosave a conflict."""
        journaled = before_core_update(self._session, _MEETINGS, [meeting_id], ("recipients",))
        result = self._session.execute(
            update(_MEETINGS).where(_MEETINGS.c.id == meeting_id).values(recipients=list(recipients))
        )
        if _rowcount(result) == 0:
            raise _meeting_not_found(meeting_id)
        after_core_update(self._session, _MEETINGS, journaled, ("recipients",))


#: What the meeting autosave's Core UPDATE changes (journaled on a laptop file, issue 19).
_AUTOSAVED = ("content", "updated_at", "version")


def _meeting_not_found(meeting_id: int) -> NotFoundError:
    return NotFoundError(
        f"Netværksmødet (nr. {meeting_id}) findes ikke længere. En anden bruger kan have genindlæst data; "
        "opdatér visningen."
    )


# -- the contact directory (kontaktbog) ------------------------------------------------------------------------
_CONTACTS = tables.contacts
_CONTACT_FIELDS = ("name", "organisation", "role", "phone", "email", "kommune_code", "note", "active")


def _contact_from(row: Any) -> Contact:
    return Contact(
        id=row.id,
        name=row.name,
        organisation=row.organisation,
        sector=Sector(row.sector),
        role=row.role,
        phone=row.phone,
        email=row.email,
        kommune_code=row.kommune_code,
        note=row.note,
        active=bool(row.active),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _contact_values(contact: Contact) -> dict[str, Any]:
    values = {name: getattr(contact, name) for name in _CONTACT_FIELDS}
    values["sector"] = Sector(contact.sector).value
    return values


class ContactRepository:
    """The contact directory: added, edited (``version_id_col`` guards against a concurrent edit) and
    deactivated — never deleted, so old referater naming a person stay explainable."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, contact_id: int) -> orm.ContactRow:
        row = self._session.get(orm.ContactRow, contact_id)
        if row is None:
            raise NotFoundError(f"Kontaktpersonen (nr. {contact_id}) findes ikke i kontaktbogen. Opdatér visningen.")
        _hold(self._session, row)
        return row

    def all(self, *, include_inactive: bool = False) -> list[Contact]:
        """Everyone in the directory, by name then organisation (the service sorts the Danish way)."""
        stmt = select(_CONTACTS).order_by(_CONTACTS.c.name, _CONTACTS.c.organisation, _CONTACTS.c.id)
        if not include_inactive:
            stmt = stmt.where(_CONTACTS.c.active.is_(True))
        return [_contact_from(r) for r in self._session.execute(stmt)]

    def get(self, contact_id: int) -> Contact:
        return _contact_from(self._row(contact_id))

    def add(self, contact: Contact, *, at: datetime) -> Contact:
        at = utc(at, "Contact.created_at")
        row = orm.ContactRow(**_contact_values(contact), created_at=at, updated_at=at)
        self._session.add(row)
        self._session.flush()
        _hold(self._session, row)
        return _contact_from(row)

    def update(self, contact: Contact, *, at: datetime) -> Contact:
        """Save every field (``active`` included); ``ConflictError`` when ``contact.version`` is not the stored
        one, or another user saves in between."""
        if contact.id is None:
            raise ValueError("update() needs a contact with an id; use add() for a new one")
        row = self._row(contact.id)
        _check_version(contact, row.version)
        for key, value in _contact_values(contact).items():
            setattr(row, key, value)
        row.updated_at = utc(at, "Contact.updated_at")
        self._session.flush()
        return _contact_from(row)
