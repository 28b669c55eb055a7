"""Fast loading of whole data sets (the demo ward) and clearing patient data.

Core ``executemany`` of plain dicts: 3,000 admissions and ~20,000 events load in a fraction of a
second, where ORM ``add_all`` takes seconds (measured at 10,000 admissions + 50,000 events: ORM ~7 s, bulk
insert ~0.8 s).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.dialects import sqlite

from coordinator_app.domain.errors import StorageError
from coordinator_app.domain.model import Admission, Event, Kommune, Patient
from coordinator_app.lazy import lazy_import
from coordinator_app.storage.convert import admission_values, event_values, kommune_values, patient_values

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:  # only a shared database needs it: ~40 ms of a local start otherwise
    orm = lazy_import("coordinator_app.storage.orm")
    postgresql = lazy_import("sqlalchemy.dialects.postgresql")

#: Tables whose integer ids come from a PostgreSQL sequence.
SERIAL_TABLES = (
    "patients",
    "admissions",
    "events",
    "centres",
    "wards",
    "consents",
    "documents",
    "meeting_templates",
    "meetings",
    "contacts",
    "discharge_plans",
    "discharge_plan_versions",
)


def table_of(cls: type[orm.Base]) -> Table:
    table = cls.__table__
    assert isinstance(table, Table)
    return table


def upsert_kommuner(session: Session, kommuner: Iterable[Kommune]) -> None:
    """Insert new kommuner and update known ones (name, region, secure mail) in one statement."""
    rows = [kommune_values(k) for k in kommuner]
    if not rows:
        return
    conn = session.connection()
    table = table_of(orm.KommuneRow)
    stmt: Any
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(table)
    else:
        stmt = sqlite.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.code],
        set_={c: stmt.excluded[c] for c in ("name", "region", "secure_mail")},
    )
    conn.execute(stmt, rows)


def _with_ids(items: Iterable[Any], values: Any, what: str, **extra: Any) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        if item.id is None:
            raise ValueError(f"bulk_load needs {what} that already carry ids")
        rows.append({"id": item.id, **values(item), **extra})
    return rows


def bulk_load(
    session: Session,
    *,
    kommuner: Iterable[Kommune] = (),
    patients: Iterable[Patient] = (),
    admissions: Iterable[Admission] = (),
    events: Iterable[Event] = (),
) -> None:
    """Insert records that already carry integer ids (the demo generator numbers from 1).

    Kommuner are upserted (the reference list is usually there already). Afterwards PostgreSQL's id
    sequences continue after the highest id, so a later ordinary insert does not collide.
    """
    upsert_kommuner(session, kommuner)
    conn = session.connection()
    now = datetime.now(UTC)
    for table, rows in (
        (table_of(orm.PatientRow), _with_ids(patients, patient_values, "patients", created_at=now, version=1)),
        (table_of(orm.AdmissionRow), _with_ids(admissions, admission_values, "admissions", version=1)),
        # Sorted by id: a correction always follows the event it corrects (SQLite checks each row).
        (table_of(orm.EventRow), sorted(_with_ids(events, event_values, "events"), key=lambda r: r["id"])),
    ):
        if rows:
            conn.execute(table.insert(), rows)
    reset_sequences(session)


def reset_sequences(session: Session) -> None:
    """PostgreSQL: continue each id sequence after the table's highest id (no-op on SQLite)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    for name in SERIAL_TABLES:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


#: ``app_meta`` key that marks a demo database (``services.setup.DEMO_META_KEY``; migration 0009's trigger reads it).
DEMO_KEY = "demo"
#: ``app_meta`` key ``clear_all`` writes for the length of its own transaction (migration 0009's trigger reads it).
DEMO_RELOAD_KEY = "demo_reload"


def clear_all(session: Session) -> None:
    """Delete all patient data of a demo database: loans of cases to laptops, discharge plans with their versions,
    documents, meetings, consents, events, admissions, patients (children first). The audit log stays.

    Reference data (kommuner with their F3 entrances, centres, the contact directory), meeting templates and
    app_meta stay. The one place archived documents and plan versions are deleted: a Core DELETE on the
    connection, which the ORM's immutability guard (``orm.DocumentRow``, ``orm.DischargePlanVersionRow``)
    deliberately does not see.

    The database refuses to delete an archived document (issue 18, migration 0009's trigger) unless ``app_meta``
    says ``demo = 1`` *and* holds the ``demo_reload`` flag, which only this function writes — and removes again —
    inside the caller's transaction, so it is never there after a commit. That is no way round for a real ward:
    this function refuses (``StorageError``, nothing deleted) a database that holds patients and is not marked as a
    demo, and the trigger checks the demo mark itself, so the flag alone opens nothing. Only someone writing raw SQL
    with the database's key could set both — and could as well drop the trigger; ``audit verify`` names the
    documents whose issue lines remain.
    """
    conn = session.connection()
    meta = table_of(orm.AppMetaRow)
    demo = conn.execute(select(meta.c.value).where(meta.c.key == DEMO_KEY)).scalar()
    if demo != "1" and conn.execute(select(func.count()).select_from(table_of(orm.PatientRow))).scalar_one():
        raise StorageError(
            "Databasen er ikke en demo-database, så dens patientdata ryddes ikke. Intet er slettet. Start med en "
            "anden database (--database) for at se demoen."
        )
    conn.execute(delete(meta).where(meta.c.key == DEMO_RELOAD_KEY))
    conn.execute(meta.insert().values(key=DEMO_RELOAD_KEY, value="1"))
    # A follow-up meeting points at the meeting it follows up: unlink before deleting.
    conn.execute(table_of(orm.MeetingRow).update().values(follow_up_of=None))
    for cls in (
        orm.LoanCaseRow,  # a demo's loans (issue 19) go with the patients they lent
        orm.LoanRow,
        orm.DischargePlanVersionRow,
        orm.DischargePlanRow,  # points at documents, events and meetings
        orm.DocumentRow,
        orm.MeetingRow,
        orm.ConsentRow,
        orm.EventRow,
        orm.AdmissionRow,
        orm.PatientRow,
    ):
        conn.execute(delete(table_of(cls)))
    conn.execute(delete(meta).where(meta.c.key == DEMO_RELOAD_KEY))
    session.expunge_all()
