"""The tables as SQLAlchemy Core ``Table`` objects: the schema, without the ORM (issue 15: start-up).

Only ``sqlalchemy`` (Core) is needed to build these, not ``sqlalchemy.orm``: the refresh that makes the window ready
reads through them (``storage.reads`` running ``storage.selects``) before the mappings in ``storage.orm`` load.
``storage.orm`` maps its classes onto these tables (``__table__``), so there is one schema. Every change here needs a
migration in ``migrations/versions`` — ``tests/storage/test_migrations.py`` compares ``METADATA`` with the migrated
schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)

from coordinator_app.storage.types import JSONDict, UTCDateTime, json_default, json_list

#: Stable constraint names, so migrations can refer to them on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

METADATA = MetaData(naming_convention=NAMING_CONVENTION)

KOMMUNE_CODE = String(3)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _req(name: str, type_: Any, *args: Any, **kwargs: Any) -> Column[Any]:
    """A NOT NULL column (an ORM ``Mapped[X]``)."""
    return Column(name, type_, *args, nullable=False, **kwargs)


def _opt(name: str, type_: Any, *args: Any, **kwargs: Any) -> Column[Any]:
    """A nullable column (an ORM ``Mapped[X | None]``)."""
    return Column(name, type_, *args, nullable=True, **kwargs)


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean, nullable=False, default=False, server_default=false())


def _text(name: str) -> Column[str]:
    """Free text, empty by default."""
    return Column(name, Text, nullable=False, default="", server_default="")


def _json(name: str) -> Column[Any]:
    return Column(name, JSONDict, nullable=False, default=json_default, server_default=text("'{}'"))


def _moment(name: str, *, now: bool = False, nullable: bool = False, index: bool = False) -> Column[datetime]:
    return Column(name, UTCDateTime, nullable=nullable, index=index, default=_utcnow if now else None)


kommuner = Table(
    "kommuner",
    METADATA,
    Column("code", KOMMUNE_CODE, primary_key=True),
    _req("name", String(100)),
    _req("region", String(50)),
    _opt("secure_mail", String(200)),
)

centres = Table("centres", METADATA, _id(), _req("name", String(200), unique=True))

wards = Table(
    "wards",
    METADATA,
    _id(),
    _req("centre_id", Integer, ForeignKey("centres.id", ondelete="CASCADE")),
    _req("name", String(100)),
    UniqueConstraint("centre_id", "name"),
)

patients = Table(
    "patients",
    METADATA,
    _id(),
    _req("cpr", String(10), unique=True),
    _req("given_name", String(100)),
    _req("family_name", String(100)),
    _flag("replacement_cpr"),
    _opt("address", String(300)),
    _opt("phone", String(40)),
    _moment("created_at", now=True),
    _req("version", Integer),
)

admissions = Table(
    "admissions",
    METADATA,
    _id(),
    _req("patient_id", Integer, ForeignKey("patients.id"), index=True),
    _req("center", String(200)),
    _req("ward", String(100)),
    _req("admitted", Date),
    _opt("discharged", Date, index=True),
    _req("bopaelskommune", KOMMUNE_CODE, ForeignKey("kommuner.code")),
    _opt("opholdskommune", KOMMUNE_CODE, ForeignKey("kommuner.code")),
    _opt("handlekommune", KOMMUNE_CODE, ForeignKey("kommuner.code")),
    _flag("involuntary"),
    _opt("expected_faerdigbehandlet", Date),
    _opt("scenario", SmallInteger),
    _json("scenario_answers"),
    # model.AdmissionFlags, one column each (test_orm checks the names match the dataclass).
    *(
        _flag(name)
        for name in (
            "homeless",
            "botilbud",
            "misbrug",
            "retslig_foranstaltning",
            "children",
            "lab_par6",
            "wants_to_leave",
            "multiple_antipsychotics",
        )
    ),
    # model.PlanFacts (E1, E2), one column each (test_orm checks the names match the dataclass).
    _flag("afsnit_v_support"),
    _flag("wont_seek_help"),
    _flag("refuses_participation"),
    _opt("planned_discharge", Date),  # the E1/E2 deadline day
    _flag("demo"),
    _req("version", Integer),
)

events = Table(
    "events",
    METADATA,
    _id(),
    _req("admission_id", Integer, ForeignKey("admissions.id")),
    _req("kind", String(40)),
    _moment("occurred_at"),
    _req("recorded_by", String(100)),
    _opt("recipient_kommune", KOMMUNE_CODE),
    _opt("channel", String(20)),
    _text("note"),
    _json("data"),
    _opt("corrects_event_id", Integer, ForeignKey("events.id")),
    Index("ix_events_admission_id_occurred_at", "admission_id", "occurred_at"),
)

consents = Table(
    "consents",
    METADATA,
    _id(),
    _req("patient_id", Integer, ForeignKey("patients.id"), index=True),
    _opt("admission_id", Integer, ForeignKey("admissions.id")),
    _req("recipient", String(20)),  # model.ConsentRecipient value
    _req("given_to", String(200)),
    _req("scope", Text),
    _req("method", String(20)),  # model.ConsentMethod value
    _moment("given_at"),
    _req("recorded_by", String(100)),
    _moment("withdrawn_at", nullable=True),
    _text("note"),
)

documents = Table(
    "documents",
    METADATA,
    _id(),
    # Every document belongs to a patient; an ambulant patient's (a referat, issue 5) has no admission.
    _req("patient_id", Integer, ForeignKey("patients.id"), index=True),
    _opt("admission_id", Integer, ForeignKey("admissions.id"), index=True),
    _req("kind", String(40)),
    _req("title", String(200)),
    _moment("created_at"),
    _req("created_by", String(100)),
    _req("sha256", CHAR(64)),
    _req("data_version", String(100)),
    _opt("event_id", Integer, ForeignKey("events.id")),
    _req("content", LargeBinary),  # deferred by the mapping: a loaded row does not drag the PDF along
)

meeting_templates = Table(
    "meeting_templates",
    METADATA,
    _id(),
    _req("name", String(200)),
    _req("version", Integer),
    _req("sections", JSONDict),  # meeting_codec.sections_to_json
    _moment("created_at", now=True),
    _req("created_by", String(100)),
    UniqueConstraint("name", "version"),
)

meetings = Table(
    "meetings",
    METADATA,
    _id(),
    _req("patient_id", Integer, ForeignKey("patients.id"), index=True),
    _opt("admission_id", Integer, ForeignKey("admissions.id"), index=True),
    _req("template_id", Integer, ForeignKey("meeting_templates.id")),
    _req("occasion", String(40)),  # meetings.Occasion value
    _req("invited_on", Date),
    _moment("planned_at", nullable=True, index=True),
    _req("form", String(20)),  # meetings.MeetingForm value
    _text("place"),
    _text("late_reason"),
    _req("status", String(20)),  # meetings.MeetingStatus value
    _req("reference", String(20), unique=True),
    _json("content"),
    _req("recipients", JSONDict, default=json_list, server_default=text("'[]'")),
    _moment("created_at", now=True),
    _req("created_by", String(100)),
    _moment("updated_at", now=True),
    _moment("closed_at", nullable=True),
    _opt("follow_up_of", Integer, ForeignKey("meetings.id")),
    _req("version", Integer),
)

contacts = Table(
    "contacts",
    METADATA,
    _id(),
    _req("name", String(100)),
    _req("organisation", String(200), default="", server_default=""),
    _req("sector", String(20)),  # meetings.Sector value
    _req("role", String(100), default="", server_default=""),
    _req("phone", String(40), default="", server_default=""),
    _req("email", String(200), default="", server_default=""),
    _opt("kommune_code", KOMMUNE_CODE, ForeignKey("kommuner.code")),
    _text("note"),
    _req("active", Boolean, default=True, server_default=true()),
    _moment("created_at", now=True),
    _moment("updated_at", now=True),
    _req("version", Integer),
)

discharge_plans = Table(
    "discharge_plans",
    METADATA,
    _id(),
    _req("admission_id", Integer, ForeignKey("admissions.id"), index=True),
    _req("patient_id", Integer, ForeignKey("patients.id"), index=True),
    _req("kind", String(40)),  # discharge_plans.PlanKind value
    _req("status", String(20)),  # discharge_plans.PlanStatus value
    _json("content"),
    _opt("source_meeting_id", Integer, ForeignKey("meetings.id")),
    _moment("created_at", now=True),
    _req("created_by", String(100)),
    _moment("updated_at", now=True),
    _req("updated_by", String(100)),
    _opt("activated_on", Date),
    _opt("ended_on", Date),
    _text("ended_reason"),
    _opt("event_id", Integer, ForeignKey("events.id")),  # the milestone event
    _opt("document_id", Integer, ForeignKey("documents.id")),  # the archived PDF
    _req("version", Integer),
)

discharge_plan_versions = Table(
    "discharge_plan_versions",
    METADATA,
    _id(),
    _req("plan_id", Integer, ForeignKey("discharge_plans.id")),
    _req("number", Integer),  # 1, 2, … per plan
    _moment("saved_at"),
    _req("saved_by", String(100)),
    _req("status", String(20)),  # discharge_plans.PlanStatus value
    _text("action"),  # Danish: "Oprettet", "Sat i kraft", …
    _req("content", JSONDict),
    UniqueConstraint("plan_id", "number"),
)

audit_log = Table(
    "audit_log",
    METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    _moment("at"),
    _req("username", String(100)),  # "user" is reserved in PostgreSQL
    _req("action", String(20)),  # audit.AuditAction value
    _opt("patient_id", Integer, index=True),
    _opt("admission_id", Integer),
    _req("what", Text),
    _req("prev_hash", CHAR(64)),
    _req("hash", CHAR(64)),
)

audit_head = Table(
    "audit_head",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    _req("seq", Integer),
    _req("hash", CHAR(64)),
    _req("seal", CHAR(64)),
    CheckConstraint("id = 1", name="one_row"),
)

users = Table(
    "users",
    METADATA,
    _id(),
    _req("username", String(32), unique=True),
    _req("full_name", String(60)),
    _req("role", String(20)),  # access.Role value
    _req("password_hash", String(255)),
    _req("active", Boolean, default=True, server_default=true()),
    _req("failed_attempts", Integer, default=0, server_default=text("0")),
    _moment("locked_until", nullable=True),
    _moment("created_at"),
    _moment("last_login_at", nullable=True),
    _req("version", Integer),
)

loans = Table(
    "loans",
    METADATA,
    _id(),
    _req("loan_id", String(32), unique=True),  # the random id the laptop file carries
    _req("laptop", String(100)),
    _req("lent_by", String(100)),
    _moment("lent_at"),
    _opt("expected_return", Date),
    _req("state", String(20), index=True),  # offline.LoanState value
    _moment("ended_at", nullable=True),
    _opt("ended_by", String(100)),
    _text("ended_reason"),
)

loan_cases = Table(
    "loan_cases",
    METADATA,
    _id(),
    _req("loan_id", Integer, ForeignKey("loans.id"), index=True),
    _req("patient_id", Integer, ForeignKey("patients.id"), index=True),
    _opt("admission_id", Integer, ForeignKey("admissions.id")),
)

#: The change journal of a laptop file (issue 19, ``storage.journal``): empty on the ward's database.
offline_journal = Table(
    "offline_journal",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("loan_id", String(32), nullable=False),
    Column("table_name", String(50), nullable=False),
    Column("row_key", String(50), nullable=False),  # the row's primary key in the file, as text
    Column("action", String(10), nullable=False),  # insert | update | delete
    Column("changes", JSONDict, nullable=False),  # {column: [old, new]}, values as ``plain`` makes them
    Column("author", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

app_meta = Table("app_meta", METADATA, Column("key", String(50), primary_key=True), _req("value", Text))
