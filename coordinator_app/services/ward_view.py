"""What the first screen shows — the patient list's rows and the *I dag* items — computed from loaded data.

No database and no SQLAlchemy here: ``AdmissionService.list_rows`` and ``OverviewService.today_items`` load the
ward through the repositories and call these; the first screen (``services.first_screen``, issue 7) loads it
straight from the file (``storage.quick_read``) and calls the same functions, so both show the same.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.domain.deadlines import next_deadline
from coordinator_app.domain.meetings import Task, task_deadlines
from coordinator_app.domain.model import Admission, Deadline, DeadlineState
from coordinator_app.domain.process import STATUS_LABELS, Status
from coordinator_app.domain.rules import RuleSettings
from coordinator_app.domain.special_groups import RECIPIENT_LABELS, recipient_kommune, responsible_kommune
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.services.deadline_actions import HISTORY_ERROR, DeadlineAction, action_for
from coordinator_app.services.deadline_cache import Derived, derive
from coordinator_app.storage.quick_read import WardRead
from coordinator_app.storage.sqlite_rows import ListRow

log = logging.getLogger("koordinator.services.ward_view")

CENTER = "center"  # rules.Rule.responsible for the ward's own duties
PLAN_ENDS = "plan_udloeber"  # E3: an end date, not an action
TASK_KIND = "moedeaftale"  # meetings.task_deadlines
WEEK_DAYS = 7  # the "week" bucket: tomorrow … today + 7
STATUS_UNKNOWN = "Historik kan ikke læses"
UNREAD = Derived(None, ())


class Bucket(StrEnum):
    ERROR = "error"  # an admission whose history cannot be replayed: to fix before anything else (issue 16)
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    LATER = "later"


def bucket_of(due: date, today: date) -> Bucket:
    """Overdue before today, today, the next ``WEEK_DAYS`` days, later."""
    if due < today:
        return Bucket.OVERDUE
    if due == today:
        return Bucket.TODAY
    return Bucket.WEEK if due <= today + timedelta(days=WEEK_DAYS) else Bucket.LATER


@dataclass(frozen=True, slots=True)
class TodayItem:
    """One open deadline on *I dag*: what, for whom, by when and which rule made it."""

    admission_id: int
    patient_id: int
    patient_name: str  # "Fornavn Efternavn"
    cpr_masked: str  # "010190-xxxx"
    kommune_code: str  # the recipient's kommune when the deadline has one, else the one that pays (B5)
    kommune_name: str
    what: str  # Danish rule text, or "Aftale fra netværksmøde: …"
    kind: str  # rules.Rule.key, or "moedeaftale"
    rule_id: str
    due: date
    state: DeadlineState
    bucket: Bucket
    recipient: str | None  # "Bopælskommune", "Opholdskommune", "Handlekommune" — who receives it
    responsible: str  # "center" for the ward's duties; a meeting agreement's owner ("Navn (organisation)")
    action: DeadlineAction | None = None  # what fulfils it (``deadline_actions``); None: the row opens the admission

    @property
    def is_task(self) -> bool:
        return self.kind == TASK_KIND

    @property
    def is_error(self) -> bool:
        """An admission whose history cannot be replayed (``Bucket.ERROR``): ``what`` says why."""
        return self.kind == HISTORY_ERROR


@dataclass(frozen=True, slots=True)
class AdmissionRow:
    """One line of the patient list, everything precomputed (the list filters and sorts in Python)."""

    admission_id: int
    patient_id: int
    given_name: str
    family_name: str
    cpr: str
    replacement_cpr: bool
    center: str
    ward: str
    kommune_code: str
    kommune_name: str
    admitted: date
    discharged: date | None
    scenario: int | None
    status: str  # Danish label
    next_kind: str | None  # rules.Rule.key, e.g. "varsling"
    next_description: str | None  # e.g. "Varsling senest 8 dage før færdigbehandlet"
    next_rule: str | None
    next_due: date | None
    next_state: DeadlineState | None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


def status_and_next(derived: Derived, today: date, tasks: Sequence[Task] = ()) -> tuple[str, Deadline | None]:
    """The list's status label and next deadline of one admission."""
    state, deadlines = derived.state, derived.deadlines
    if state is None:
        return STATUS_UNKNOWN, None
    # The list shows what the ward must do next; the kommune's own deadlines (G1, G2) are in the details.
    # Agreements from closed netværksmøder (C5) count too: someone at the table owns them.
    # A plan's end date (E3) is not an action: it is shown in the details and on the Aftale/plan tab.
    own = [d for d in deadlines if d.responsible == CENTER and d.kind != PLAN_ENDS] + task_deadlines(tasks, today)
    return STATUS_LABELS[state.status], next_deadline(own)


def admission_rows(
    rows: Sequence[ListRow], derived: Mapping[int, Derived], tasks: Mapping[int, Sequence[Task]], today: date
) -> list[AdmissionRow]:
    """The patient list's rows: discharged ones «Udskrevet» without a deadline, current ones with their status and
    next deadline (``derived``: each current admission's status and deadlines; ``tasks``: its meeting agreements)."""
    out: list[AdmissionRow] = []
    discharged_label = STATUS_LABELS[Status.UDSKREVET]
    for r in rows:
        status = discharged_label
        nxt: Deadline | None = None
        if r.discharged is None:
            # Absent only if the admission was deleted since the list was read (a demo reload elsewhere).
            found = derived.get(r.admission_id, UNREAD)
            status, nxt = status_and_next(found, today, tasks.get(r.admission_id, []))
        out.append(
            AdmissionRow(
                admission_id=r.admission_id,
                patient_id=r.patient_id,
                given_name=r.given_name,
                family_name=r.family_name,
                cpr=r.cpr,
                replacement_cpr=r.replacement_cpr,
                center=r.center,
                ward=r.ward,
                kommune_code=r.bopaelskommune_code,
                kommune_name=r.bopaelskommune_name,
                admitted=r.admitted,
                discharged=r.discharged,
                scenario=r.scenario,
                status=status,
                next_kind=nxt.kind if nxt else None,
                next_description=nxt.description if nxt else None,
                next_rule=nxt.rule_id if nxt else None,
                next_due=nxt.due if nxt else None,
                next_state=nxt.state if nxt else None,
            )
        )
    return out


def today_items_of(
    ward: WardRead,
    cal: WorkCalendar,
    today: date,
    rules: RuleSettings,
    *,
    derived: Mapping[int, Derived] | None = None,
) -> list[TodayItem]:
    """Every open deadline of the ward's current admissions, overdue first, then by due date
    (``services.overview`` says which); before them, one error row per admission whose history cannot be replayed
    (its deadlines are unknown — never left out silently, issue 16). ``derived``: the admissions' deadlines already
    derived for the same day, calendar and rules (the first screen's, for the list); the others are computed here."""
    out: list[TodayItem] = []
    for row in ward.rows:
        admission = ward.admissions.get(row.admission_id)
        if admission is None:
            continue
        found = derived.get(row.admission_id) if derived is not None else None
        if found is None:
            found = derive(admission, ward.events.get(row.admission_id, []), cal, today, rules)
        if found.error is not None:
            # The patient list says "Historik kan ikke læses"; its deadlines are unknown: an error row to fix.
            log.warning("admission %s: history cannot be replayed; shown in I dag as an error", row.admission_id)
            out.append(_error_item(row, admission, found.error, today, ward))
        deadlines = found.deadlines
        own = [d for d in deadlines if d.responsible == CENTER and d.kind != PLAN_ENDS]
        own += task_deadlines(ward.tasks.get(row.admission_id, []), today)
        for d in own:
            if d.state is DeadlineState.MET or d.missed:
                continue
            out.append(_today_item(row, admission, d, today, ward))
    out.sort(
        key=lambda i: (
            i.bucket is not Bucket.ERROR,
            i.bucket is not Bucket.OVERDUE,
            i.due,
            i.patient_name.casefold(),
            i.rule_id,
            i.what,
        )
    )
    return out


def _error_item(row: ListRow, admission: Admission, error: str, today: date, ward: WardRead) -> TodayItem:
    """The I dag row of an admission whose history cannot be replayed: why, and *Ret indlæggelse…* to fix it."""
    code = responsible_kommune(admission)
    return TodayItem(
        admission_id=row.admission_id,
        patient_id=row.patient_id,
        patient_name=row.name,
        cpr_masked=mask_cpr(row.cpr),
        kommune_code=code,
        kommune_name=ward.kommune_name(code),
        what=f"{STATUS_UNKNOWN}: {error}",
        kind=HISTORY_ERROR,
        rule_id="",
        due=today,
        state=DeadlineState.OVERDUE,
        bucket=Bucket.ERROR,
        recipient=None,
        responsible=CENTER,
        action=action_for(HISTORY_ERROR),
    )


def _today_item(row: ListRow, admission: Admission, d: Deadline, today: date, ward: WardRead) -> TodayItem:
    code = recipient_kommune(admission, d.recipient) or responsible_kommune(admission)
    return TodayItem(
        admission_id=row.admission_id,
        patient_id=row.patient_id,
        patient_name=row.name,
        cpr_masked=mask_cpr(row.cpr),
        kommune_code=code,
        kommune_name=ward.kommune_name(code),
        what=d.description,
        kind=d.kind,
        rule_id=d.rule_id,
        due=d.due,
        state=d.state,
        bucket=bucket_of(d.due, today),
        recipient=RECIPIENT_LABELS.get(d.recipient or ""),
        responsible=d.responsible,
        action=action_for(d.kind),
    )
