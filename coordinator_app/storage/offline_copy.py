"""The laptop file's rows (issue 19, ``docs/offline.md``): copy exactly what working on some patients needs from the
ward's database into a new, migrated (encrypted) database.

Rows are copied table by table through Core, in foreign-key order, with their ids: never a file copy with other
patients deleted afterwards (a deleted row can survive in the file's free pages). Every table of the schema has a
``POLICY`` here — a new table fails ``copy_cases`` until someone decides whether a laptop needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum

from sqlalchemy import Connection, Select, Table, select

from coordinator_app.domain.access import Role
from coordinator_app.storage import tables as t

__all__ = ["POLICY", "Policy", "copy_cases"]

#: ``app_meta`` keys that never go to a laptop (the demo reload's transient flag).
_LOCAL_META = frozenset({"demo_reload"})


class Policy(Enum):
    ALL = "all"  # reference data the work needs: every row
    CASES = "cases"  # rows of the lent patients only
    USERS = "users"  # the active users who may write (not læseadgang)
    META = "meta"  # the ward's settings and profile (``app_meta``), less local flags
    NONE = "none"  # not copied: the laptop's own audit chain starts empty; loans stay on the ward


POLICY: dict[str, Policy] = {
    "kommuner": Policy.ALL,
    "centres": Policy.ALL,
    "wards": Policy.ALL,
    "contacts": Policy.ALL,
    "meeting_templates": Policy.ALL,
    "app_meta": Policy.META,
    "users": Policy.USERS,
    "patients": Policy.CASES,
    "admissions": Policy.CASES,
    "events": Policy.CASES,
    "consents": Policy.CASES,
    "documents": Policy.CASES,
    "meetings": Policy.CASES,
    "discharge_plans": Policy.CASES,
    "discharge_plan_versions": Policy.CASES,
    "audit_log": Policy.NONE,
    "audit_head": Policy.NONE,
    "loans": Policy.NONE,
    "loan_cases": Policy.NONE,
    "offline_journal": Policy.NONE,  # a laptop file's journal starts empty (issue 19, storage.journal)
}

_BATCH = 200


def _case_rows(table: Table, patients: list[int]) -> Select[tuple[object, ...]]:
    """The rows of ``table`` that belong to the lent ``patients``."""
    stmt = select(table)
    c = table.c
    if table is t.patients:
        return stmt.where(c.id.in_(patients))
    if table is t.events:
        return stmt.where(c.admission_id.in_(select(t.admissions.c.id).where(t.admissions.c.patient_id.in_(patients))))
    if table is t.discharge_plan_versions:
        plans = t.discharge_plans.c
        return stmt.where(c.plan_id.in_(select(plans.id).where(plans.patient_id.in_(patients))))
    return stmt.where(c.patient_id.in_(patients))


def _rows(table: Table, policy: Policy, patients: list[int]) -> Select[tuple[object, ...]] | None:
    if policy is Policy.NONE:
        return None
    if policy is Policy.CASES:
        stmt = _case_rows(table, patients)
    elif policy is Policy.USERS:
        stmt = select(table).where(t.users.c.active.is_(True), t.users.c.role != Role.LAESEADGANG.value)
    elif policy is Policy.META:
        stmt = select(table).where(t.app_meta.c.key.not_in(_LOCAL_META))
    else:
        stmt = select(table)
    return stmt.order_by(*table.primary_key.columns)


def copy_cases(
    source: Connection,
    target: Connection,
    patient_ids: Iterable[int],
    *,
    meta: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Copy the lent patients' rows and the reference data from ``source`` (the ward, in the loan's transaction) into
    ``target`` (a new migrated laptop database), then write ``meta`` into its ``app_meta``. Returns the number of rows
    per table. ``progress(done, total)`` after each table."""
    missing = [table.name for table in t.METADATA.sorted_tables if table.name not in POLICY]
    if missing:
        raise RuntimeError(f"no offline policy for the tables {missing}: decide what a laptop file needs of them")
    patients = sorted(set(patient_ids))
    tables = t.METADATA.sorted_tables
    counts: dict[str, int] = {}
    for done, table in enumerate(tables, start=1):
        stmt = _rows(table, POLICY[table.name], patients)
        if stmt is not None:
            counts[table.name] = 0
            for chunk in source.execute(stmt).mappings().partitions(_BATCH):
                target.execute(table.insert(), [dict(row) for row in chunk])
                counts[table.name] += len(chunk)
        if progress is not None:
            progress(done, len(tables))
    app_meta = t.app_meta
    target.execute(app_meta.delete().where(app_meta.c.key.in_(list(meta))))
    target.execute(app_meta.insert(), [{"key": k, "value": v} for k, v in meta.items()])
    return counts
