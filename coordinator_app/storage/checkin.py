"""Check-in of a laptop file in storage (issue 19, ``domain.checkin``): read the file's journal and audit lines, and
apply the changes to the ward's database in the caller's transaction, through Core.

* Rows made offline (journal ``insert``) are inserted in foreign-key order with a new id from the ward (their file
  id may be the ward's id of another row; a patient whose CPR the ward has meanwhile is the ward's patient; a plan
  version numbered after the ward's own); ``id_map`` remembers (table, file id) → ward id, and every foreign key in
  a later row — inserted or updated (a referat pointing at an offline meeting, a plan at its document) — is
  translated through it. A row with a text key (a kommune) keeps its key. A meeting template saved on both sides is
  numbered on after the ward's version and is a conflict over which is current (``_Apply.number_template``).
* Updates of rows the ward has are compare-and-set per column: applied where the ward's value is still the value at
  check-out, or already the laptop's; else a ``Conflict`` (applied only when a person chose the laptop's side). The
  bookkeeping columns follow: the laptop's ``updated_at``/``updated_by``, and ``version`` one past the ward's, so a
  ward screen holding the old version meets a conflict instead of overwriting.
* The file's audit lines are appended to the ward's chain in order, with their original user and time, ``what``
  marked with the laptop's name, patient and admission ids translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.checkin import (
    BOOKKEEPING,
    Conflict,
    JournalEntry,
    RowChange,
    Side,
    collapse,
    conflict_label,
    row_name,
    same,
    shown,
    template_shown,
)
from coordinator_app.domain.offline import LoanState
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.bulk import table_of
from coordinator_app.storage.journal import JOURNAL, plain
from coordinator_app.storage.loans import refuse_lent
from coordinator_app.storage.orm import AuditRow, Base, LoanRow

__all__ = ["Applied", "append_audit", "apply_changes", "hand_in", "read_journal"]


def read_journal(laptop: Connection, loan_id: str) -> list[JournalEntry]:
    rows = laptop.execute(select(JOURNAL).where(JOURNAL.c.loan_id == loan_id).order_by(JOURNAL.c.id)).all()
    return [JournalEntry(r.table_name, r.row_key, r.action, r.changes, r.author, r.at) for r in rows]


@dataclass
class Applied:
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    decisions: list[tuple[Conflict, str]] = field(default_factory=list)  # each decided conflict and the side chosen
    id_map: dict[tuple[str, str], str] = field(default_factory=dict)


def _tables() -> dict[str, Table]:
    return {t.name: t for t in Base.metadata.sorted_tables}


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column


def _key_value(table: Table, key: str) -> Any:
    return int(key) if isinstance(_pk(table).type, Integer) else key


#: References kept inside an event's JSON ``data`` (not foreign keys): the meeting an invitation or a held meeting
#: names, the plan a plan's milestone names. A row made offline has a new ward id, so these are translated too.
EVENT_DATA_REFERENCES = {"meeting_id": "meetings", "plan_id": "discharge_plans"}


def _references(table: Table) -> dict[str, str]:
    """Foreign-key column → the table it points at."""
    return {c.name: fk.column.table.name for c in table.columns for fk in c.foreign_keys}


class _Apply:
    def __init__(self, session: Session, laptop: Connection, resolutions: Mapping[str, str], lent_at: datetime):
        self.conn = session.connection()
        self.session = session
        self.laptop = laptop
        self.resolutions = resolutions
        self.lent_at = lent_at
        self.tables = _tables()
        self.order = {name: i for i, name in enumerate(self.tables)}
        self.out = Applied()
        self.template_sides: dict[str, str | None] = {}  # template name → the side chosen in its conflict (None: waits)
        self.ward_templates: dict[str, dict[str, Any]] = {}  # template name → the ward's version, to save again

    def translate(self, table: Table, values: dict[str, Any]) -> dict[str, Any]:
        for column, target in _references(table).items():
            value = values.get(column)
            if value is not None and (target, str(value)) in self.out.id_map:
                values[column] = _key_value(self.tables[target], self.out.id_map[(target, str(value))])
        return values

    def translate_event_data(self) -> None:
        """After every row is in: the events the laptop made or changed that name a meeting or a plan made offline
        in their ``data`` get that row's ward id (events come before meetings and plans in foreign-key order, so
        those ids are known only now)."""
        events = self.tables["events"]
        touched = {ward for (table, _file), ward in self.out.id_map.items() if table == "events"}
        for ward_key in sorted(touched, key=int):
            row = self.conn.execute(select(events.c.data).where(events.c.id == int(ward_key))).scalar_one_or_none()
            if not isinstance(row, dict):
                continue
            data = dict(row)
            for key, target in EVENT_DATA_REFERENCES.items():
                value = data.get(key)
                if value is not None and (target, str(value)) in self.out.id_map:
                    data[key] = int(self.out.id_map[(target, str(value))])
            if data != row:
                self.conn.execute(update(events).where(events.c.id == int(ward_key)).values(data=data))

    def laptop_row(self, table: Table, key: str) -> dict[str, Any] | None:
        found = self.laptop.execute(select(table).where(_pk(table) == _key_value(table, key))).mappings().first()
        return dict(found) if found is not None else None

    def ward_row(self, table: Table, key: str) -> dict[str, Any] | None:
        stmt = select(table).where(_pk(table) == _key_value(table, key))
        if self.conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        found = self.conn.execute(stmt).mappings().first()
        return dict(found) if found is not None else None

    def insert(self, change: RowChange) -> None:
        table = self.tables[change.table]
        row = self.laptop_row(table, change.row_key)
        if row is None:
            return  # journaled but not in the file: nothing to bring
        pk = _pk(table)
        values = self.translate(table, row)
        if table.name == "patients" and self.known_patient(change, values):
            return
        if table.name == "discharge_plan_versions":  # the ward saved versions too (after a revoke): number on
            taken = self.conn.execute(
                select(func.max(table.c.number)).where(table.c.plan_id == values["plan_id"])
            ).scalar()
            if taken is not None and values["number"] <= taken:
                values["number"] = taken + 1
        if table.name == "meeting_templates":
            self.number_template(change, values)
        if isinstance(pk.type, Integer):
            del values[pk.name]
            new_key = self.conn.execute(insert(table).values(values).returning(pk)).scalar_one()
        else:
            self.conn.execute(insert(table).values(values))
            new_key = values[pk.name]
        self.out.id_map[(table.name, change.row_key)] = str(new_key)
        self.out.inserted[table.name] = self.out.inserted.get(table.name, 0) + 1

    def number_template(self, change: RowChange, values: dict[str, Any]) -> None:
        """A template version saved offline whose number the ward has taken meanwhile (it saved that template too
        since check-out) is numbered on after the ward's — meetings held offline use it, so it always arrives — and
        the first such version of a template is a conflict: a person chooses which becomes the current template. When
        it is the ward's, the ward's version is saved again after the laptop's (``save_ward_templates``). The ward's
        saves of a template wait for a check-in on PostgreSQL (``MeetingService.save_template``), so the highest
        number read here stays the highest until the commit."""
        table = self.tables["meeting_templates"]
        ward = (
            self.conn.execute(
                select(table).where(table.c.name == values["name"]).order_by(table.c.version.desc()).limit(1)
            )
            .mappings()
            .first()
        )
        if ward is None or ward["version"] < values["version"]:
            return
        laptop_version = values["version"]
        values["version"] = ward["version"] + 1
        name = str(values["name"])
        if name in self.template_sides:  # a later version saved offline follows the first one's decision
            return
        by = {"name": name, "updated_by": ward["created_by"], "updated_at": ward["created_at"]}
        self.conflict(
            change,
            table,
            "sections",
            by,
            template_shown(ward["version"], plain(ward["sections"])),
            template_shown(laptop_version, plain(values["sections"])),
        )
        side = self.resolutions.get(f"{table.name}:{change.row_key}:sections")
        self.template_sides[name] = side
        if side == Side.WARD.value:
            self.ward_templates[name] = dict(ward)

    def save_ward_templates(self) -> None:
        """Each template whose conflict a person decided for the ward: its version is saved again, numbered after the
        laptop's, so it stays the ward's current template (``MeetingTemplateRepository.latest``)."""
        table = self.tables["meeting_templates"]
        for name, ward in self.ward_templates.items():
            top = self.conn.execute(select(func.max(table.c.version)).where(table.c.name == name)).scalar_one()
            again = {c: ward[c] for c in ("name", "sections", "created_at", "created_by")}
            self.conn.execute(insert(table).values({**again, "version": top + 1}))
            self.out.inserted[table.name] = self.out.inserted.get(table.name, 0) + 1

    def known_patient(self, change: RowChange, values: Mapping[str, Any]) -> bool:
        """A patient made offline whose CPR the ward has too (made there meanwhile) is the ward's patient, as
        ``find_or_create_patient`` would have found it: references go to the ward's row, its names stay. Refused
        (``LentCaseError``) when that patient is out on another laptop."""
        table = self.tables["patients"]
        known = self.conn.execute(select(table.c.id).where(table.c.cpr == values["cpr"])).scalar()
        if known is None:
            return False
        refuse_lent(self.session, patient_ids=[known], what="Patienten")
        self.out.id_map[("patients", change.row_key)] = str(known)
        return True

    def _ward_by(self, table: Table, ward: Mapping[str, Any]) -> tuple[str, datetime | None]:
        """Who changed the ward's row since check-out and when: its own ``updated_by``/``updated_at`` if it has them,
        else the newest audit line on its patient since check-out."""
        by = str(ward.get("updated_by") or "")
        at = ward.get("updated_at")
        patient = ward.get("patient_id") if table.name != "patients" else ward.get("id")
        if not by and patient is not None:
            audit = table_of(AuditRow)
            line = self.conn.execute(
                select(audit.c.username, audit.c.at)
                .where(audit.c.patient_id == patient, audit.c.at >= self.lent_at)
                .order_by(audit.c.seq.desc())
                .limit(1)
            ).first()
            if line is not None:
                by, at = line.username, line.at
        return by, at if isinstance(at, datetime) else None

    def conflict(
        self,
        change: RowChange,
        table: Table,
        column: str,
        ward: Mapping[str, Any] | None,
        ward_value: str,
        laptop: str,
        whole: tuple[str, str] = ("", ""),
    ) -> bool:
        """Record the conflict (``whole``: both values in full where ``shown`` cut them); True when a person chose
        the laptop's value."""
        named = row_name(table.name, ward or self.laptop_row(table, change.row_key), change.row_key)
        by, at = self._ward_by(table, ward) if ward is not None else ("", None)
        moved = change.columns.get(column)
        found = Conflict(
            table=table.name,
            row_key=change.row_key,
            column=column,
            label=conflict_label(table.name, named, column),
            ward_value=ward_value,
            ward_by=by,
            ward_at=at,
            laptop_value=laptop,
            laptop_by=moved.author if moved else change.author,
            laptop_at=moved.at if moved else change.at,
            ward_text=whole[0] if whole[0] != ward_value else "",
            laptop_text=whole[1] if whole[1] != laptop else "",
        )
        side = self.resolutions.get(found.key)
        if side is None:
            self.out.conflicts.append(found)
            return False
        self.out.decisions.append((found, side))
        return side == Side.LAPTOP.value

    def update(self, change: RowChange) -> None:
        table = self.tables[change.table]
        ward = self.ward_row(table, change.row_key)
        laptop = self.laptop_row(table, change.row_key)
        if laptop is None:
            return
        if ward is None:  # the ward no longer has the row: a person decides (either way nothing can be applied)
            self.conflict(change, table, "*", None, "(slettet på afsnittet)", "(rettet på bærbaren)")
            return
        laptop = self.translate(table, laptop)
        values: dict[str, Any] = {}
        for column, moved in change.columns.items():
            if column in BOOKKEEPING or column not in table.c:
                continue
            now, new = plain(ward[column]), plain(laptop[column])
            if same(new, moved.old) or same(now, new):
                continue  # changed back on the laptop, or the ward has the laptop's value already
            whole = (shown(now, None), shown(new, None))
            if same(now, moved.old) or self.conflict(change, table, column, ward, shown(now), shown(new), whole):
                values[column] = laptop[column]
        if not values:
            return
        for column in ("updated_at", "updated_by"):
            if column in table.c and column in laptop:
                values[column] = laptop[column]
        if "version" in table.c:
            values["version"] = (ward["version"] or 0) + 1
        self.conn.execute(update(table).where(_pk(table) == _key_value(table, change.row_key)).values(values))
        self.out.updated[table.name] = self.out.updated.get(table.name, 0) + 1

    def delete(self, change: RowChange) -> None:
        table = self.tables[change.table]
        ward = self.ward_row(table, change.row_key)
        if ward is None:
            return
        changed = [
            c
            for c, moved in change.columns.items()
            if c not in BOOKKEEPING and c in table.c and not same(plain(ward[c]), moved.old)
        ]
        if changed and not self.conflict(change, table, "*", ward, "(rettet på afsnittet)", "(slettet på bærbaren)"):
            return
        self.conn.execute(delete(table).where(_pk(table) == _key_value(table, change.row_key)))
        self.out.updated[table.name] = self.out.updated.get(table.name, 0) + 1


def apply_changes(
    session: Session,
    laptop: Connection,
    entries: Sequence[JournalEntry],
    *,
    resolutions: Mapping[str, str],
    lent_at: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> Applied:
    """Apply the collapsed journal to the ward in ``session``'s transaction: inserts first (foreign-key order, then
    the order they were made in), then updates and deletes. ``Applied.conflicts`` lists what no person decided yet:
    the caller must then roll back, for some changes may already be written."""
    work = _Apply(session, laptop, resolutions, lent_at)
    changes = collapse(entries)
    inserts = sorted(
        (c for c in changes if c.action == "insert"),
        key=lambda c: (work.order[c.table], int(c.row_key) if c.row_key.isdigit() else 0, c.row_key),
    )
    others = [c for c in changes if c.action != "insert"]
    total = len(inserts) + len(others)
    for done, change in enumerate([*inserts, *others], start=1):
        if change.action == "insert":
            work.insert(change)
        elif change.action == "update":
            work.update(change)
        else:
            work.delete(change)
        if progress is not None:
            progress(done, total)
    work.save_ward_templates()
    work.translate_event_data()
    return work.out


def append_audit(session: Session, laptop: Connection, laptop_name: str, id_map: Mapping[tuple[str, str], str]) -> int:
    """Append the laptop file's audit lines to the ward's chain, in order, with their original user and time, each
    marked "[Offline-kopi på <bærbar>]"; returns how many."""
    audit = table_of(AuditRow)
    repository = AuditRepository(session)
    count = 0
    for line in laptop.execute(select(audit).order_by(audit.c.seq)):
        patient = id_map.get(("patients", str(line.patient_id)), line.patient_id)
        admission = id_map.get(("admissions", str(line.admission_id)), line.admission_id)
        repository.append(
            line.username,
            AuditAction(line.action),
            f"[Offline-kopi på {laptop_name}] {line.what}",
            patient_id=int(patient) if patient is not None else None,
            admission_id=int(admission) if admission is not None else None,
            at=line.at,
        )
        count += 1
    return count


def hand_in(session: Session, loan_id: str, *, at: datetime, by: str) -> bool:
    """Mark the loan ``afleveret`` (from ``udlaant``, or ``tilbagekaldt`` keeping the revoke's reason); False when it
    was handed in already (compare-and-set: two check-ins cannot both merge)."""
    loans = table_of(LoanRow)
    row = (
        session.connection()
        .execute(select(loans.c.state, loans.c.ended_reason).where(loans.c.loan_id == loan_id))
        .first()
    )
    if row is None or row.state == LoanState.AFLEVERET.value:
        return False
    reason = "Afleveret" if row.state == LoanState.UDLAANT.value else f"Afleveret efter tilbagekald: {row.ended_reason}"
    done = session.connection().execute(
        update(loans)
        .where(loans.c.loan_id == loan_id, loans.c.state == row.state)
        .values(state=LoanState.AFLEVERET.value, ended_at=at, ended_by=by, ended_reason=reason)
    )
    return bool(done.rowcount)
