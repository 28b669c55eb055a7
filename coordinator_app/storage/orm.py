"""SQLAlchemy 2 mappings: the tables. Only ``storage`` sees these classes; the app sees ``model``.

Every change here needs a migration in ``migrations/versions`` — ``tests/storage/test_migrations.py``
compares this metadata with the migrated schema and fails on any difference.

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

# No "from __future__ import annotations" here: SQLAlchemy reads the Mapped[...] annotations below, and real
# objects spare it evaluating each one from a string (measured: importing the mappings took 53 ms instead of 64,
# median of 12).

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, ORMExecuteState, Session, mapped_column

from coordinator_app.storage.convert import FLAG_COLUMNS, PLAN_FACT_COLUMNS  # noqa: F401  (re-exported)
from coordinator_app.storage.types import JSONDict, UTCDateTime, json_default, json_list

#: Stable constraint names, so migrations can refer to them on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KOMMUNE_CODE = String(3)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSONDict}


def _flag() -> Mapped[bool]:
    return mapped_column(Boolean, default=False, server_default=false())


class KommuneRow(Base):
    __tablename__ = "kommuner"

    code: Mapped[str] = mapped_column(KOMMUNE_CODE, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(50))
    secure_mail: Mapped[str | None] = mapped_column(String(200))


class CentreRow(Base):
    """Psychiatric centres; editable reference data like the kommuner."""

    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class WardRow(Base):
    __tablename__ = "wards"
    __table_args__ = (UniqueConstraint("centre_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))


class PatientRow(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cpr: Mapped[str] = mapped_column(String(10), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    replacement_cpr: Mapped[bool] = _flag()
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class AdmissionRow(Base):
    __tablename__ = "admissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    center: Mapped[str] = mapped_column(String(200))
    ward: Mapped[str] = mapped_column(String(100))
    admitted: Mapped[date] = mapped_column(Date)
    discharged: Mapped[date | None] = mapped_column(Date, index=True)
    bopaelskommune: Mapped[str] = mapped_column(ForeignKey("kommuner.code"))
    opholdskommune: Mapped[str | None] = mapped_column(ForeignKey("kommuner.code"))
    handlekommune: Mapped[str | None] = mapped_column(ForeignKey("kommuner.code"))
    involuntary: Mapped[bool] = _flag()
    expected_faerdigbehandlet: Mapped[date | None] = mapped_column(Date)
    scenario: Mapped[int | None] = mapped_column(SmallInteger)
    scenario_answers: Mapped[dict[str, Any]] = mapped_column(default=json_default, server_default=text("'{}'"))
    # model.AdmissionFlags, one column each (test_orm checks the names match the dataclass).
    homeless: Mapped[bool] = _flag()
    botilbud: Mapped[bool] = _flag()
    misbrug: Mapped[bool] = _flag()
    retslig_foranstaltning: Mapped[bool] = _flag()
    children: Mapped[bool] = _flag()
    lab_par6: Mapped[bool] = _flag()
    wants_to_leave: Mapped[bool] = _flag()
    multiple_antipsychotics: Mapped[bool] = _flag()
    # model.PlanFacts (E1, E2), one column each (test_orm checks the names match the dataclass).
    afsnit_v_support: Mapped[bool] = _flag()
    wont_seek_help: Mapped[bool] = _flag()
    refuses_participation: Mapped[bool] = _flag()
    planned_discharge: Mapped[date | None] = mapped_column(Date)  # the E1/E2 deadline day
    demo: Mapped[bool] = _flag()
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_admission_id_occurred_at", "admission_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admission_id: Mapped[int] = mapped_column(ForeignKey("admissions.id"))
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    recipient_kommune: Mapped[str | None] = mapped_column(KOMMUNE_CODE)
    channel: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=json_default, server_default=text("'{}'"))
    corrects_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))


class ConsentRow(Base):
    """F1/F2: what the patient agreed to share, with whom; a withdrawal is recorded, never deleted."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    admission_id: Mapped[int | None] = mapped_column(ForeignKey("admissions.id"))
    recipient: Mapped[str] = mapped_column(String(20))  # model.ConsentRecipient value
    given_to: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))  # model.ConsentMethod value
    given_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    withdrawn_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class DocumentRow(Base):
    """An issued document: the exact bytes and their SHA-256. Immutable (see the listeners below)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Every document belongs to a patient; an ambulant patient's (a referat, issue 5) has no admission.
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    admission_id: Mapped[int | None] = mapped_column(ForeignKey("admissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(CHAR(64))
    data_version: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    # Deferred: a loaded row does not drag megabytes of PDF along unless asked to.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class MeetingTemplateRow(Base):
    """One version of a netværksmøde template (C5). Immutable once written: editing saves a new version,
    so a meeting keeps exactly the sections it was created with (the listeners below refuse changes)."""

    __tablename__ = "meeting_templates"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSONDict)  # meeting_codec.sections_to_json
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class MeetingRow(Base):
    """A netværksmøde (C1–C10). ``content`` is what is typed during the meeting (``meeting_codec``), saved
    whole by autosave with a conditional UPDATE on ``version``; ``recipients`` are the extra referat
    recipients beyond the participants, each resting on a recorded consent (C7, F1)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    admission_id: Mapped[int | None] = mapped_column(ForeignKey("admissions.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("meeting_templates.id"))
    occasion: Mapped[str] = mapped_column(String(40))  # meetings.Occasion value
    invited_on: Mapped[date] = mapped_column(Date)
    planned_at: Mapped[datetime | None] = mapped_column(index=True)
    form: Mapped[str] = mapped_column(String(20))  # meetings.MeetingForm value
    place: Mapped[str] = mapped_column(Text, default="", server_default="")
    late_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20))  # meetings.MeetingStatus value
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    content: Mapped[dict[str, Any]] = mapped_column(default=json_default, server_default=text("'{}'"))
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSONDict, default=json_list, server_default=text("'[]'"))
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow)
    closed_at: Mapped[datetime | None]
    follow_up_of: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class ContactRow(Base):
    """The contact directory (kontaktbog, C1/C5): people the ward meets. Ward reference data like the kommuner:
    ``bulk.clear_all`` keeps it. Never deleted by the app: ``active = false`` hides a person from pickers while
    old referater naming them stay explainable. ``version`` guards edits (optimistic locking)."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sector: Mapped[str] = mapped_column(String(20))  # meetings.Sector value
    role: Mapped[str] = mapped_column(String(100), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    kommune_code: Mapped[str | None] = mapped_column(ForeignKey("kommuner.code"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class DischargePlanRow(Base):
    """An udskrivningsaftale (§13a) or koordinationsplan (§13b) of an admission (E1–E3). ``content`` is
    ``discharge_plans.PlanContent.to_dict()``; ``version`` guards every save (optimistic locking), and each save
    appends a ``DischargePlanVersionRow``."""

    __tablename__ = "discharge_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admission_id: Mapped[int] = mapped_column(ForeignKey("admissions.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # discharge_plans.PlanKind value
    status: Mapped[str] = mapped_column(String(20))  # discharge_plans.PlanStatus value
    content: Mapped[dict[str, Any]] = mapped_column(default=json_default, server_default=text("'{}'"))
    source_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    activated_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    ended_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))  # the milestone event
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # the archived PDF
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class DischargePlanVersionRow(Base):
    """One saved version of a plan (E3: the history keeps every version). Append-only (the listeners below);
    the unique (plan_id, number) index also serves the lookups by plan."""

    __tablename__ = "discharge_plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("discharge_plans.id"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … per plan
    saved_at: Mapped[datetime]
    saved_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # discharge_plans.PlanStatus value
    action: Mapped[str] = mapped_column(Text, default="", server_default="")  # Danish: "Oprettet", "Sat i kraft", …
    content: Mapped[dict[str, Any]] = mapped_column()


class AuditRow(Base):
    """One line of the audit log (issue 8; ``coordinator_app.domain.audit``): append-only and hash-chained. ``seq`` is
    numbered by ``AuditRepository.append`` (no gaps), not by a sequence. No foreign keys: the log outlives the
    records it speaks of. The listeners below refuse updates and deletes."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    username: Mapped[str] = mapped_column(String(100))  # "user" is reserved in PostgreSQL
    action: Mapped[str] = mapped_column(String(20))  # audit.AuditAction value
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    admission_id: Mapped[int | None] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(CHAR(64))
    hash: Mapped[str] = mapped_column(CHAR(64))


class AuditHeadRow(Base):
    """Where the audit log ends (issue 18; ``domain.audit.AuditHead``): one row, ``id`` 1, holding the newest line's
    ``seq`` and ``hash`` and a ``seal`` over both. Moved forward by ``AuditRepository.append`` in the same transaction
    as each line; the next line chains to it. Migration 0009 writes it and its triggers (never deleted, only moved
    one line forward onto a line that is there)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(CHAR(64))
    seal: Mapped[str] = mapped_column(CHAR(64))


class UserRow(Base):
    """A user of the program (issue 8). ``username`` is stored in lower case, so the unique constraint makes it
    case-insensitive on both backends. ``password_hash`` is an Argon2id PHC string, never the password. Never
    deleted (the audit log names users): ``active = false`` deactivates. ``version`` guards edits; the login
    bookkeeping (``failed_attempts``, ``locked_until``, ``last_login_at``) is counted in place. The repository is
    ``storage.users``."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(20))  # access.Role value
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class LoanRow(Base):
    """Cases lent to a laptop file (issue 19, ``domain.offline.Loan``). ``loan_id`` is the random id the file
    carries; ``state`` is a ``LoanState`` value. Never deleted: a loan that ended says how (``ended_*``)."""

    __tablename__ = "loans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[str] = mapped_column(String(32), unique=True)
    laptop: Mapped[str] = mapped_column(String(100))
    lent_by: Mapped[str] = mapped_column(String(100))
    lent_at: Mapped[datetime]
    expected_return: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), index=True)
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(100))
    ended_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class LoanCaseRow(Base):
    """One patient in a loan, with one of the admissions lent (``admission_id``) or none (an ambulant patient, or
    the patient's row of a loan of admissions)."""

    __tablename__ = "loan_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    admission_id: Mapped[int | None] = mapped_column(ForeignKey("admissions.id"))


class AppMetaRow(Base):
    """Small facts about the database itself, e.g. ``demo = "1"`` for a demo database."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


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
    DocumentRow.__tablename__: lambda what: _refuse_document_change(what, "each document"),
    DischargePlanVersionRow.__tablename__: lambda what: _refuse_plan_version_change(what, "each plan version"),
    AuditRow.__tablename__: lambda what: _refuse_audit_change(what, "each line"),
    AuditHeadRow.__tablename__: _refuse_head_change,
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


# The offline change journal's Core table (issue 19) joins this metadata, so migrations and ``test_migrations`` see
# it; importing it also installs the journal's flush listener.
from coordinator_app.storage import journal as _journal  # noqa: E402, F401
