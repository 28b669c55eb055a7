"""The ward at a glance (issue 7): *I dag* — every open deadline the ward must act on — and *Færdigmeldte* —
each færdigmeldt patient's days, what the kommune is doing (G1–G3) and what the wait costs (§ 238).

Both read the current admissions in one session and in bulk, like the patient list (``AdmissionService.list_rows``):
the list's Core select, the admissions and their events by id chunks, the closed meetings (their agreements are
tasks, C5) and the kommune names. Each admission's deadlines come from the deadline cache the patient list shares
(derived again only for an admission whose stamp changed).

Which deadlines are on *I dag*: the same ones the patient list picks its *next deadline* from — the ward's own
(``responsible == "center"``) that are neither met nor missed, without a plan's end date (E3 is not an action),
plus the open agreements from closed netværksmøder, whoever owns them (someone at the table promised them).
The kommune's own deadlines (G1 12 weeks, G2 status meetings) are on *Færdigmeldte* instead.

Buckets, by the due date against ``today``: ``overdue`` before today, ``today`` on it, ``week`` the next 7 days
(tomorrow up to and including today + 7 — always the rest of this week and as far as the same weekday next
week), ``later`` after that. An admission whose history cannot be replayed is never left out: it is an ``error``
row before all the others (issue 16).

Each row carries the action that fulfils it (``deadline_actions``); ``action_refusals`` says which of them may
not be taken now and why — the role, the process (what the Send menu says), a discharged admission — so I dag and
Overblik grey them out with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coordinator_app.domain.access import Permission, denial_message
from coordinator_app.domain.bed_days import bed_day_cost, bed_day_dates
from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.errors import KoordinatorError, ProcessError
from coordinator_app.domain.meetings import Task, tasks_of
from coordinator_app.domain.model import Deadline, DeadlineState
from coordinator_app.domain.process import STATUS_LABELS, Period, Status, replay
from coordinator_app.domain.sending import Notice, faerdigmelding_notices
from coordinator_app.domain.special_groups import BOPAELSKOMMUNE, OPHOLDSKOMMUNE, responsible_kommune
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.deadline_actions import ActionKind, DeadlineAction
from coordinator_app.services.deadline_cache import DeadlineCache
from coordinator_app.services.notifications import ActionState, NotificationService, permission_for
from coordinator_app.services.settings import load_rate_setting
from coordinator_app.services.ward_view import (
    WEEK_DAYS,
    Bucket,
    TodayItem,
    bucket_of,
    today_items_of,
)
from coordinator_app.storage import reads
from coordinator_app.storage.quick_read import WardRead
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    EventRepository,
)

__all__ = [
    "WEEK_DAYS",
    "Bucket",
    "FaerdigmeldtOverview",
    "FaerdigmeldtRow",
    "OverviewService",
    "TodayItem",
    "bucket_of",
]

log = logging.getLogger("koordinator.services.overview")

FAERDIG = (Status.FAERDIGMELDT, Status.I_BERO)


@dataclass(frozen=True, slots=True)
class FaerdigmeldtRow:
    """One færdigmeldt (or i bero) admission: the days, the kommune's deadlines and the cost so far."""

    admission_id: int
    patient_id: int
    patient_name: str
    cpr_masked: str
    kommune_code: str  # the kommune that pays (B5 recipient: bopæl, or last opholdskommune for a homeless patient)
    kommune_name: str
    kommune_role: str  # special_groups role of that kommune: "bopaelskommune" or "opholdskommune"
    status: Status  # FAERDIGMELDT or I_BERO
    status_label: str
    faerdigmeldt_on: date  # the current færdigmelding (after the last afmelding, B7)
    bed_days: int  # færdigmeldt bed days of the admission (bed_days.py's counting rule; not i bero)
    bero_days: int  # days i bero (B6), counted the same way
    g1: Deadline | None  # the kommune's 12-week case processing (G1)
    g2: Deadline | None  # the next 14-day status meeting (G2)
    g3: tuple[Deadline, ...]  # open disagreements and their 1-week escalation (G3)
    cost: Decimal | None  # None when no rate covers a bed day's year (``cost_note`` says why)
    cost_note: str = ""
    notice: Notice | None = None  # B5: what the kommune was told before the current færdigmelding (issue 16)

    @property
    def overdue(self) -> bool:
        """G1, G2 or a G3 escalation is past its date."""
        found = [d for d in (self.g1, self.g2, *self.g3) if d is not None]
        return any(d.state is DeadlineState.OVERDUE for d in found)


@dataclass(frozen=True)
class FaerdigmeldtOverview:
    rows: tuple[FaerdigmeldtRow, ...]
    today: date
    rate_label: str  # "Sats …" with year(s) and source (services.settings)
    rate_is_default: bool

    @property
    def bed_days(self) -> int:
        return sum(r.bed_days for r in self.rows)

    @property
    def bero_days(self) -> int:
        return sum(r.bero_days for r in self.rows)

    @property
    def cost(self) -> Decimal:
        return sum((r.cost for r in self.rows if r.cost is not None), Decimal(0))

    @property
    def cost_complete(self) -> bool:
        return all(r.cost is not None for r in self.rows)


def _bero_days(periods: Sequence[Period], today: date) -> int:
    """Days i bero, counted like bed days (``bed_days.py``): ``start <= d < end``, ``end`` = today while open."""
    return sum(((p.end if p.end is not None else today) - p.start).days for p in periods)


def _last(deadlines: list[Deadline]) -> Deadline | None:
    return deadlines[-1] if deadlines else None


#: Who may take a deadline's action (a Send action: as sending that notification, ``notifications.permission_for``).
ACTION_PERMISSIONS: dict[ActionKind, Permission] = {
    ActionKind.ASSESS: Permission.EDIT_ADMISSION,
    ActionKind.SEND: Permission.SEND_NOTIFICATION,
    ActionKind.MEETING: Permission.MANAGE_MEETING,
    ActionKind.PLAN: Permission.EDIT_PLAN,
    ActionKind.EDIT: Permission.EDIT_ADMISSION,
    ActionKind.RECORD: Permission.EDIT_ADMISSION,  # services.milestones.PERMISSION
}


class OverviewService:
    def __init__(self, ctx: ServiceContext, *, cache: DeadlineCache | None = None) -> None:
        self._ctx = ctx
        # Each admission's deadlines, derived again only when its stamp changed; ``cache``: the one the patient
        # list uses (``services.registry``), so I dag and the list derive an admission once between changes.
        self._derived = cache if cache is not None else DeadlineCache()

    def _load(self, *, with_tasks: bool) -> WardRead:
        with self._ctx.database.connect() as connection:  # Core reads: the ORM loads after start (issue 15)
            rows = reads.list_rows(connection, include_discharged=False)
            ids = [r.admission_id for r in rows]
            admissions = reads.admissions(connection, ids) if ids else {}
            events = reads.events_of(connection, ids) if ids else {}
            closed = reads.closed_meetings(connection, ids) if ids and with_tasks else []
            names = reads.kommune_names(connection)
        tasks: dict[int, list[Task]] = {}
        for meeting in closed:
            if meeting.admission_id is not None:
                tasks.setdefault(meeting.admission_id, []).extend(tasks_of(meeting))
        return WardRead(rows=rows, admissions=admissions, events=events, tasks=tasks, kommune_names=names)

    # -- I dag ---------------------------------------------------------------------------------------------
    def today_items(self, today: date | None = None) -> list[TodayItem]:
        """Every open deadline of the ward's current admissions (see the module docstring), overdue first,
        then by due date."""
        today = today or self._ctx.clock.today()
        ward = self._load(with_tasks=True)
        cal, rules = self._ctx.calendar, self._ctx.rules
        derived = {
            admission_id: self._derived.get(admission, ward.events.get(admission_id, []), cal, today, rules)
            for admission_id, admission in ward.admissions.items()
        }
        return today_items_of(ward, cal, today, rules, derived=derived)

    def action_refusals(
        self,
        admission_id: int,
        actions: Iterable[DeadlineAction],
        *,
        sends: Sequence[ActionState] | None = None,
    ) -> dict[DeadlineAction, str | None]:
        """Each action → None when it may be taken now for this admission, else the Danish reason: the role first,
        then for a Send action the process's own reason (the Send menu's; ``sends``: that menu's states when the
        caller has them already), for the others an unreadable history (only *Ret indlæggelse…* fixes that) or, for
        *Vurder scenarie…*, a discharged admission (*Registrér som udført…* is not refused for one: a note may follow
        discharge, and the epikrise, D1, does). The services the actions open refuse the same; this is what the
        UI greys out and says."""
        wanted = list(dict.fromkeys(actions))
        if not wanted:
            return {}
        out: dict[DeadlineAction, str | None] = {}
        send_reasons = {a.kind: a.reason for a in sends} if sends is not None else None
        problem: tuple[str | None, bool] | None = None  # (unreadable history's message, discharged)
        for action in wanted:
            denied = self.role_refusal(action)
            if denied is not None:
                out[action] = denied
                continue
            event = action.event
            if action.kind is ActionKind.SEND and event is not None:
                if send_reasons is None:
                    send_reasons = {a.kind: a.reason for a in NotificationService(self._ctx).actions(admission_id)}
                out[action] = send_reasons.get(event, "Handlingen findes ikke.")
                continue
            if problem is None:
                problem = self._readable(admission_id)
            error, discharged = problem
            if error is not None and action.kind is not ActionKind.EDIT:
                out[action] = f"{error} Ret indlæggelsen først (Ret indlæggelse…)."
            elif discharged and action.kind is ActionKind.ASSESS:
                out[action] = "Indlæggelsen er afsluttet; scenariet kan ikke vurderes igen."
            else:
                out[action] = None
        return out

    def role_refusal(self, action: DeadlineAction) -> str | None:
        """Why the user's role may not take ``action`` on any admission (the first of ``action_refusals``' reasons),
        or None; reads nothing, so I dag can grey out every row's link with it."""
        needed = (
            permission_for(action.event)
            if action.kind is ActionKind.SEND and action.event is not None
            else ACTION_PERMISSIONS[action.kind]
        )
        return None if self._ctx.may(needed) else denial_message(self._ctx.role, needed)

    def _readable(self, admission_id: int) -> tuple[str | None, bool]:
        """(why the history cannot be replayed or None, whether the admission is discharged)."""
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            events = EventRepository(session).for_admission(admission_id)
        try:
            state = replay(admission, events)
        except ProcessError as exc:
            return exc.message, admission.discharged is not None
        return None, state.is_discharged

    # -- Færdigmeldte --------------------------------------------------------------------------------------
    def faerdigmeldte(self, today: date | None = None) -> FaerdigmeldtOverview:
        """Each current admission that is færdigmeldt or i bero, longest færdigmeldt first, with totals and the
        rate the cost was computed with."""
        today = today or self._ctx.clock.today()
        setting = load_rate_setting(self._ctx)
        rates = setting.table()
        ward = self._load(with_tasks=False)
        out: list[FaerdigmeldtRow] = []
        for row in ward.rows:
            admission = ward.admissions.get(row.admission_id)
            if admission is None:
                continue
            events = ward.events.get(row.admission_id, [])
            try:
                state = replay(admission, events)
            except ProcessError:
                continue
            if state.status not in FAERDIG or state.faerdigmeldt_on is None:
                continue
            deadlines = compute_deadlines(admission, events, self._ctx.calendar, today, self._ctx.rules)
            by_kind: dict[str, list[Deadline]] = {}
            for d in deadlines:
                by_kind.setdefault(d.kind, []).append(d)
            cost: Decimal | None
            note = ""
            try:
                cost = bed_day_cost(admission, events, today, rates).total
            except KoordinatorError as exc:
                cost, note = None, exc.message
            code = responsible_kommune(admission)
            notices = faerdigmelding_notices(admission, events, self._ctx.calendar, self._ctx.rules)
            out.append(
                FaerdigmeldtRow(
                    admission_id=row.admission_id,
                    patient_id=row.patient_id,
                    patient_name=row.name,
                    cpr_masked=mask_cpr(row.cpr),
                    kommune_code=code,
                    kommune_name=ward.kommune_name(code),
                    kommune_role=BOPAELSKOMMUNE if code == admission.bopaelskommune else OPHOLDSKOMMUNE,
                    status=state.status,
                    status_label=STATUS_LABELS[state.status],
                    faerdigmeldt_on=state.faerdigmeldt_on,
                    bed_days=len(bed_day_dates(state, today)),
                    bero_days=_bero_days(state.bero_periods, today),
                    g1=_last(by_kind.get("sagsbehandling", [])),
                    g2=_last(by_kind.get("statusmoede", [])),
                    g3=tuple(d for d in by_kind.get("eskalering", []) if d.state is not DeadlineState.MET),
                    cost=cost,
                    cost_note=note,
                    notice=notices[-1][1] if notices else None,
                )
            )
        out.sort(key=lambda r: (-(r.bed_days + r.bero_days), r.faerdigmeldt_on, r.patient_name.casefold()))
        return FaerdigmeldtOverview(
            rows=tuple(out), today=today, rate_label=setting.label, rate_is_default=setting.is_default
        )
