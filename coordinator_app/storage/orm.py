"""SQLAlchemy 2 mappings: the tables. Only ``storage`` sees these classes; the app sees ``model``.

The tables themselves are Core ``Table`` objects in ``storage.tables`` (issue 15: the first refresh after start
reads through Core, before this module loads); these classes are mapped onto them. A schema change goes there, with
its migration in ``migrations/versions`` (``tests/storage/test_migrations.py`` compares).

``patients`` and ``admissions`` carry a ``version`` column (SQLAlchemy ``version_id_col``): an UPDATE
that finds another user's newer version changes nothing and raises, so one coordinator never silently
overwrites another's edit on the shared database. ``events`` is append-only (a correction is a new
event pointing at the old one); the mapper refuses updates. ``documents`` (issued PDFs) are archived
immutably: the ORM refuses to update or delete them, only ``bulk.clear_all`` (demo reload) removes them.
``meeting_templates`` rows are immutable too (a template edit is a new version); ``meetings`` carry a
``version`` column like patients and admissions. ``discharge_plans`` (udskrivningsaftale/koordinationsplan, E1–E3)
carry a ``version`` too, and every save appends a ``discharge_plan_versions`` row, which the ORM refuses to
update or delete (only ``bulk.clear_all`` removes them, with their plans). ``audit_log`` lines (issue 8) are never
updated or deleted at all; ``audit_head`` (issue 18) is the one row that says where the log ends. ``users`` (issue 8)
are never deleted, only deactivated; a demo reload keeps them.

The ORM's refusals below guard the program against itself. The database refuses too (issue 18, migration 0009):
triggers on both backends (and revoked privileges on PostgreSQL) refuse UPDATE and DELETE of ``audit_log`` and
``documents`` and anything but a one-line step forward of ``audit_head``, so raw SQL needs the database owner's
deliberate ``DROP TRIGGER`` — which ``audit verify`` still catches.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, ORMExecuteState, Session, deferred

from coordinator_app.storage import journal, loans, tables
from coordinator_app.storage.convert import FLAG_COLUMNS, PLAN_FACT_COLUMNS  # noqa: F401  (re-exported)
from coordinator_app.storage.tables import KOMMUNE_CODE, NAMING_CONVENTION  # noqa: F401  (re-exported)


class Base(DeclarativeBase):
    """The classes are mapped onto ``storage.tables`` (``__table__``): one schema, which Core reads need without
    this module. The ``Mapped[...]`` annotations are for typing only; the columns come from the tables."""

    metadata = tables.METADATA


class KommuneRow(Base):
    __table__ = tables.kommuner

    code: Mapped[str]
    name: Mapped[str]
    region: Mapped[str]
    secure_mail: Mapped[str | None]


class CentreRow(Base):
    """Psychiatric centres; editable reference data like the kommuner."""

    __table__ = tables.centres

    id: Mapped[int]
    name: Mapped[str]


class WardRow(Base):
    __table__ = tables.wards

    id: Mapped[int]
    centre_id: Mapped[int]
    name: Mapped[str]


class PatientRow(Base):
    __table__ = tables.patients

    id: Mapped[int]
    cpr: Mapped[str]
    given_name: Mapped[str]
    family_name: Mapped[str]
    replacement_cpr: Mapped[bool]
    address: Mapped[str | None]
    phone: Mapped[str | None]
    created_at: Mapped[datetime]
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.patients.c.version}


class AdmissionRow(Base):
    __table__ = tables.admissions

    id: Mapped[int]
    patient_id: Mapped[int]
    center: Mapped[str]
    ward: Mapped[str]
    admitted: Mapped[date]
    discharged: Mapped[date | None]
    bopaelskommune: Mapped[str]
    opholdskommune: Mapped[str | None]
    handlekommune: Mapped[str | None]
    involuntary: Mapped[bool]
    expected_faerdigbehandlet: Mapped[date | None]
    scenario: Mapped[int | None]
    scenario_answers: Mapped[dict[str, Any]]
    # model.AdmissionFlags, one column each (test_orm checks the names match the dataclass).
    homeless: Mapped[bool]
    botilbud: Mapped[bool]
    misbrug: Mapped[bool]
    retslig_foranstaltning: Mapped[bool]
    children: Mapped[bool]
    lab_par6: Mapped[bool]
    wants_to_leave: Mapped[bool]
    multiple_antipsychotics: Mapped[bool]
    # model.PlanFacts (E1, E2), one column each (test_orm checks the names match the dataclass).
    afsnit_v_support: Mapped[bool]
    wont_seek_help: Mapped[bool]
    refuses_participation: Mapped[bool]
    planned_discharge: Mapped[date | None]  # the E1/E2 deadline day
    demo: Mapped[bool]
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.admissions.c.version}


class EventRow(Base):
    __table__ = tables.events

    id: Mapped[int]
    admission_id: Mapped[int]
    kind: Mapped[str]
    occurred_at: Mapped[datetime]
    recorded_by: Mapped[str]
    recipient_kommune: Mapped[str | None]
    channel: Mapped[str | None]
    note: Mapped[str]
    data: Mapped[dict[str, Any]]
    corrects_event_id: Mapped[int | None]


class ConsentRow(Base):
    """F1/F2: what the patient agreed to share, with whom; a withdrawal is recorded, never deleted."""

    __table__ = tables.consents

    id: Mapped[int]
    patient_id: Mapped[int]
    admission_id: Mapped[int | None]
    recipient: Mapped[str]  # model.ConsentRecipient value
    given_to: Mapped[str]
    scope: Mapped[str]
    method: Mapped[str]  # model.ConsentMethod value
    given_at: Mapped[datetime]
    recorded_by: Mapped[str]
    withdrawn_at: Mapped[datetime | None]
    note: Mapped[str]


class DocumentRow(Base):
    """An issued document: the exact bytes and their SHA-256. Immutable (see the listeners below)."""

    __table__ = tables.documents

    id: Mapped[int]
    # Every document belongs to a patient; an ambulant patient's (a referat, issue 5) has no admission.
    patient_id: Mapped[int]
    admission_id: Mapped[int | None]
    kind: Mapped[str]
    title: Mapped[str]
    created_at: Mapped[datetime]
    created_by: Mapped[str]
    sha256: Mapped[str]
    data_version: Mapped[str]
    event_id: Mapped[int | None]
    # Deferred: a loaded row does not drag megabytes of PDF along unless asked to.
    content: Mapped[bytes] = deferred(tables.documents.c.content)


class MeetingTemplateRow(Base):
    """One version of a netværksmøde template (C5). Immutable once written: editing saves a new version,
    so a meeting keeps exactly the sections it was created with (the listeners below refuse changes)."""

    __table__ = tables.meeting_templates

    id: Mapped[int]
    name: Mapped[str]
    version: Mapped[int]
    sections: Mapped[list[dict[str, Any]]]  # meeting_codec.sections_to_json
    created_at: Mapped[datetime]
    created_by: Mapped[str]


class MeetingRow(Base):
    """A netværksmøde (C1–C10). ``content`` is what is typed during the meeting (``meeting_codec``), saved
    whole by autosave with a conditional UPDATE on ``version``; ``recipients`` are the extra referat
    recipients beyond the participants, each resting on a recorded consent (C7, F1)."""

    __table__ = tables.meetings

    id: Mapped[int]
    patient_id: Mapped[int]
    admission_id: Mapped[int | None]
    template_id: Mapped[int]
    occasion: Mapped[str]  # meetings.Occasion value
    invited_on: Mapped[date]
    planned_at: Mapped[datetime | None]
    form: Mapped[str]  # meetings.MeetingForm value
    place: Mapped[str]
    late_reason: Mapped[str]
    status: Mapped[str]  # meetings.MeetingStatus value
    reference: Mapped[str]
    content: Mapped[dict[str, Any]]
    recipients: Mapped[list[dict[str, Any]]]
    created_at: Mapped[datetime]
    created_by: Mapped[str]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    follow_up_of: Mapped[int | None]
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.meetings.c.version}


class ContactRow(Base):
    """The contact directory (kontaktbog, C1/C5): people the ward meets. Ward reference data like the kommuner:
    ``bulk.clear_all`` keeps it. Never deleted by the app: ``active = false`` hides a person from pickers while
    old referater naming them stay explainable. ``version`` guards edits (optimistic locking)."""

    __table__ = tables.contacts

    id: Mapped[int]
    name: Mapped[str]
    organisation: Mapped[str]
    sector: Mapped[str]  # meetings.Sector value
    role: Mapped[str]
    phone: Mapped[str]
    email: Mapped[str]
    kommune_code: Mapped[str | None]
    note: Mapped[str]
    active: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.contacts.c.version}


class DischargePlanRow(Base):
    """An udskrivningsaftale (§13a) or koordinationsplan (§13b) of an admission (E1–E3). ``content`` is
    ``discharge_plans.PlanContent.to_dict()``; ``version`` guards every save (optimistic locking), and each save
    appends a ``DischargePlanVersionRow``."""

    __table__ = tables.discharge_plans

    id: Mapped[int]
    admission_id: Mapped[int]
    patient_id: Mapped[int]
    kind: Mapped[str]  # discharge_plans.PlanKind value
    status: Mapped[str]  # discharge_plans.PlanStatus value
    content: Mapped[dict[str, Any]]
    source_meeting_id: Mapped[int | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str]
    activated_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    ended_reason: Mapped[str]
    event_id: Mapped[int | None]  # the milestone event
    document_id: Mapped[int | None]  # the archived PDF
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.discharge_plans.c.version}


class DischargePlanVersionRow(Base):
    """One saved version of a plan (E3: the history keeps every version). Append-only (the listeners below);
    the unique (plan_id, number) index also serves the lookups by plan."""

    __table__ = tables.discharge_plan_versions

    id: Mapped[int]
    plan_id: Mapped[int]
    number: Mapped[int]  # 1, 2, … per plan
    saved_at: Mapped[datetime]
    saved_by: Mapped[str]
    status: Mapped[str]  # discharge_plans.PlanStatus value
    action: Mapped[str]  # Danish: "Oprettet", "Sat i kraft", …
    content: Mapped[dict[str, Any]]


class AuditRow(Base):
    """One line of the audit log (issue 8; ``coordinator_app.domain.audit``): append-only and hash-chained. ``seq`` is
    numbered by ``AuditRepository.append`` (no gaps), not by a sequence. No foreign keys: the log outlives the
    records it speaks of. The listeners below refuse updates and deletes."""

    __table__ = tables.audit_log

    seq: Mapped[int]
    at: Mapped[datetime]
    username: Mapped[str]  # "user" is reserved in PostgreSQL
    action: Mapped[str]  # audit.AuditAction value
    patient_id: Mapped[int | None]
    admission_id: Mapped[int | None]
    what: Mapped[str]
    prev_hash: Mapped[str]
    hash: Mapped[str]


class AuditHeadRow(Base):
    """Where the audit log ends (issue 18; ``domain.audit.AuditHead``): one row, ``id`` 1, holding the newest line's
    ``seq`` and ``hash`` and a ``seal`` over both. Moved forward by ``AuditRepository.append`` in the same transaction
    as each line; the next line chains to it. Migration 0009 writes it and its triggers (never deleted, only moved
    one line forward onto a line that is there)."""

    __table__ = tables.audit_head

    id: Mapped[int]
    seq: Mapped[int]
    hash: Mapped[str]
    seal: Mapped[str]


class UserRow(Base):
    """A user of the program (issue 8). ``username`` is stored in lower case, so the unique constraint makes it
    case-insensitive on both backends. ``password_hash`` is an Argon2id PHC string, never the password. Never
    deleted (the audit log names users): ``active = false`` deactivates. ``version`` guards edits; the login
    bookkeeping (``failed_attempts``, ``locked_until``, ``last_login_at``) is counted in place. The repository is
    ``storage.users``."""

    __table__ = tables.users

    id: Mapped[int]
    username: Mapped[str]
    full_name: Mapped[str]
    role: Mapped[str]  # access.Role value
    password_hash: Mapped[str]
    active: Mapped[bool]
    failed_attempts: Mapped[int]
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
    version: Mapped[int]

    __mapper_args__ = {"version_id_col": tables.users.c.version}


class LoanRow(Base):
    """Cases lent to a laptop file (issue 19, ``domain.offline.Loan``). ``loan_id`` is the random id the file
    carries; ``state`` is a ``LoanState`` value. Never deleted: a loan that ended says how (``ended_*``)."""

    __table__ = tables.loans

    id: Mapped[int]
    loan_id: Mapped[str]
    laptop: Mapped[str]
    lent_by: Mapped[str]
    lent_at: Mapped[datetime]
    expected_return: Mapped[date | None]
    state: Mapped[str]  # offline.LoanState value
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None]
    ended_reason: Mapped[str]


class LoanCaseRow(Base):
    """One patient in a loan, with one of the admissions lent (``admission_id``) or none (an ambulant patient, or
    the patient's row of a loan of admissions)."""

    __table__ = tables.loan_cases

    id: Mapped[int]
    loan_id: Mapped[int]
    patient_id: Mapped[int]
    admission_id: Mapped[int | None]


class AppMetaRow(Base):
    """Small facts about the database itself, e.g. ``demo = "1"`` for a demo database."""

    __table__ = tables.app_meta

    key: Mapped[str]
    value: Mapped[str]


@event.listens_for(EventRow, "before_update")
def _events_are_append_only(_mapper: Mapper[EventRow], _connection: Any, target: EventRow) -> None:
    raise RuntimeError(f"event {target.id} is append-only history: append a correction event instead")


def _refuse_document_change(what: str, which: str) -> RuntimeError:
    return RuntimeError(f"{which} is archived immutably and cannot be {what}: issue a new document instead")


@event.listens_for(DocumentRow, "before_update")
def _documents_are_not_updated(_mapper: Mapper[DocumentRow], _connection: Any, target: DocumentRow) -> None:
    raise _refuse_document_change("updated", f"document {target.id}")


@event.listens_for(DocumentRow, "before_delete")
def _documents_are_not_deleted(_mapper: Mapper[DocumentRow], _connection: Any, target: DocumentRow) -> None:
    raise _refuse_document_change("deleted", f"document {target.id}")


@event.listens_for(MeetingTemplateRow, "before_update")
def _templates_are_not_updated(
    _mapper: Mapper[MeetingTemplateRow], _connection: Any, target: MeetingTemplateRow
) -> None:
    raise RuntimeError(f"meeting template {target.id} is immutable: save a new version instead")


@event.listens_for(MeetingTemplateRow, "before_delete")
def _templates_are_not_deleted(
    _mapper: Mapper[MeetingTemplateRow], _connection: Any, target: MeetingTemplateRow
) -> None:
    raise RuntimeError(f"meeting template {target.id} is immutable: meetings keep the version they were made with")


def _refuse_plan_version_change(what: str, which: str) -> RuntimeError:
    return RuntimeError(f"{which} is append-only history and cannot be {what}: save a new version instead")


@event.listens_for(DischargePlanVersionRow, "before_update")
def _plan_versions_are_not_updated(
    _mapper: Mapper[DischargePlanVersionRow], _connection: Any, target: DischargePlanVersionRow
) -> None:
    raise _refuse_plan_version_change("updated", f"version {target.number} of discharge plan {target.plan_id}")


@event.listens_for(DischargePlanVersionRow, "before_delete")
def _plan_versions_are_not_deleted(
    _mapper: Mapper[DischargePlanVersionRow], _connection: Any, target: DischargePlanVersionRow
) -> None:
    raise _refuse_plan_version_change("deleted", f"version {target.number} of discharge plan {target.plan_id}")


def _refuse_audit_change(what: str, which: str) -> RuntimeError:
    return RuntimeError(f"{which} of the audit log is append-only and cannot be {what}")


@event.listens_for(AuditRow, "before_update")
def _audit_lines_are_not_updated(_mapper: Mapper[AuditRow], _connection: Any, target: AuditRow) -> None:
    raise _refuse_audit_change("updated", f"line {target.seq}")


@event.listens_for(AuditRow, "before_delete")
def _audit_lines_are_not_deleted(_mapper: Mapper[AuditRow], _connection: Any, target: AuditRow) -> None:
    raise _refuse_audit_change("deleted", f"line {target.seq}")


def _refuse_head_change(what: str) -> RuntimeError:
    return RuntimeError(f"the audit log's head is never {what} through the ORM: AuditRepository.append moves it")


@event.listens_for(AuditHeadRow, "before_update")
def _audit_head_is_not_updated(_mapper: Mapper[AuditHeadRow], _connection: Any, _target: AuditHeadRow) -> None:
    raise _refuse_head_change("updated")


@event.listens_for(AuditHeadRow, "before_delete")
def _audit_head_is_not_deleted(_mapper: Mapper[AuditHeadRow], _connection: Any, _target: AuditHeadRow) -> None:
    raise _refuse_head_change("deleted")


#: Tables whose rows are never updated or deleted through a session: table name → the refusal.
_IMMUTABLE_TABLES: dict[str, Callable[[str], RuntimeError]] = {
    tables.documents.name: lambda what: _refuse_document_change(what, "each document"),
    tables.discharge_plan_versions.name: lambda what: _refuse_plan_version_change(what, "each plan version"),
    tables.audit_log.name: lambda what: _refuse_audit_change(what, "each line"),
    tables.audit_head.name: _refuse_head_change,
}


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_changes_of_immutable_rows(state: ORMExecuteState) -> None:
    """``session.execute(update(…)/delete(…))`` of documents or plan versions bypasses the mapper events:
    refuse it too.

    ``bulk.clear_all`` deletes through the session's *connection*, which this hook does not see.
    """
    if not (state.is_update or state.is_delete):
        return
    refuse = _IMMUTABLE_TABLES.get(getattr(getattr(state.statement, "table", None), "name", None) or "")
    if refuse is not None:
        raise refuse("updated" if state.is_update else "deleted")


#: Issue 19: every flush that writes a row of a patient in a loan still out is refused before anything is written
#: (``storage.loans``), and in a laptop file every change is journaled in the same flush (``storage.journal``; a
#: file that was handed in refuses the write). Installed here, with the mappings, so no session can flush without them.
event.listen(Session, "before_flush", loans.lent_cases_are_read_only)
event.listen(Session, "before_flush", journal.returned_copies_are_read_only)
event.listen(Session, "after_flush", journal.journal_flush)
