"""Deadlines of an admission, derived from its events — never stored (rules in ``rules.py``).

Change or correct an event and every dependent deadline moves. ``today`` is always passed in.

What produces which deadline:

* **A1** the scenario assessed at admission (asking whether the patient has kommunal støtte): due on the
  admission day, met by the first SCENARIO_ASSESSED — "intet scenarie" counts, it is an answer.
* **B1–B3** contact/orientering: due the day the need was identified (first SCENARIO_ASSESSED with a scenario,
  else the admission date); met by ORIENTERING_INDLAEGGELSE, and B2/B3 also by a varsling or a logged contact
  (NOTE with ``data["milestone"] == "kommune_kontakt"``) to the same kommune.
* **B5** varsling (latest send day before the expected færdigbehandlet date) and færdigmelding (on that date),
  when the plan is B5 or the B5 process has begun. Only the *current round* counts: after an afmelding (B7)
  a new expected date and a new varsling are needed. The expected date is the latest EXPECTED_FAERDIGBEHANDLET
  event (``data["date"]``), else ``admission.expected_faerdigbehandlet``, else the scenario answers.
* **C2–C4** one netværksmøde deadline per invitation (C3 when invited after discharge; ``data["rule"]`` may
  say ``"C4"``); each MEETING_HELD meets the earliest open invitation.
* **D1** epikrise 24 h after the DISCHARGE event's moment; **D5** botilbud follow-up; **D3** GP answer per
  korrespondance; **A4** children check and 24-hour underretning assessment; **G1** 12 weeks from the first
  varsling/færdigmelding; **G2** next status meeting while færdigmeldt; **G3** escalation per disagreement;
  **E1/E2** the required udskrivningsaftale/koordinationsplan (``discharge_plans.requirement``) by the planned
  discharge day, else the expected færdigbehandlet day; met by its milestone event — once the patient has left
  without it, it is overdue and missed (never "due today"). **E3** end of each
  udskrivningsaftale/koordinationsplan (``data["end"]``) — met (ended) after the end date
  or at readmission.

A deadline that can no longer be met (a varsling after the færdigmelding, anything before discharge once the
patient is discharged) keeps its OVERDUE state for the record but is ``missed``: ``next_deadline`` skips it.

Speed (issue 7): ~50 µs per admission. The history is replayed once (``deadlines_and_state`` also returns the
state), each event's Danish date is computed once, and the rules look markers up in an index instead of scanning
the history. The services keep results per admission in ``services.deadline_cache`` and recompute only changed
admissions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from coordinator_app.domain.discharge_plans import plan_due, requirement
from coordinator_app.domain.model import Admission, Deadline, DeadlineState, Event, EventKind
from coordinator_app.domain.process import ProcessState, Status, effective_events, replay_effective
from coordinator_app.domain.rules import (
    DEFAULT_SETTINGS,
    Milestone,
    Rule,
    RuleSettings,
    Unit,
    apply_offset,
    calendar_label,
)
from coordinator_app.domain.scenarios import Assessment, assessment_from
from coordinator_app.domain.special_groups import (
    GROUPS,
    Reminder,
    contact_role,
    notify_role,
    recipient_kommune,
    reminders,
)
from coordinator_app.domain.workdays import WorkCalendar, local_date

__all__ = [
    "Deadline",
    "DeadlineState",
    "Reminder",  # undated duties of special groups, from special_groups
    "compute_deadlines",
    "deadlines_and_state",
    "next_deadline",
    "reminders",
]

K = EventKind
M = Milestone


def _state(due: date, met_on: date | None, today: date) -> DeadlineState:
    if met_on is not None:
        return DeadlineState.MET
    if today > due:
        return DeadlineState.OVERDUE
    return DeadlineState.DUE_TODAY if today == due else DeadlineState.OPEN


class _Known:
    """A rule as ``RuleSettings.rule`` gives it, with its formatted Danish description."""

    __slots__ = ("description", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.description = rule.description


#: Rules by key per settings object (identity; the entry holds the settings, so an id is never reused while
#: cached). ``RuleSettings`` is frozen: the same object always gives the same rules.
_KNOWN: dict[int, tuple[RuleSettings, dict[str, _Known]]] = {}


def _known_rules(settings: RuleSettings) -> dict[str, _Known]:
    entry = _KNOWN.get(id(settings))
    if entry is None or entry[0] is not settings:
        if len(_KNOWN) >= 8:  # settings objects are few; a new one per call must not grow this
            _KNOWN.clear()
        entry = _KNOWN[id(settings)] = (settings, {})
    return entry[1]


class _Facts:
    """What the rules read, gathered once from the effective history.

    ``index`` maps each marker (event kind, ``data["milestone"]``) to the positions in ``history`` that carry
    it, so ``first``/``all`` look markers up instead of scanning the history for every rule.
    """

    __slots__ = (
        "_known",
        "_labels",
        "_settings",
        "admission",
        "cal",
        "history",
        "index",
        "plan_ended",
        "state",
        "today",
    )

    def __init__(
        self,
        admission: Admission,
        history: Sequence[Event],
        cal: WorkCalendar,
        today: date,
        settings: RuleSettings,
    ) -> None:
        days = [local_date(e.occurred_at) for e in history]
        index: dict[str, list[int]] = {}
        plan_ended: list[int] = []
        for i, event in enumerate(history):
            kind = event.kind
            found = index.get(kind)
            if found is None:
                index[kind] = [i]
            else:
                found.append(i)
            data = event.data
            if data:
                milestone = data.get("milestone")
                if isinstance(milestone, str) and milestone != kind:
                    found = index.get(milestone)
                    if found is None:
                        index[milestone] = [i]
                    else:
                        found.append(i)
                if "plan_ended" in data:
                    plan_ended.append(i)
        self.admission = admission
        self.history: list[tuple[Event, date]] = list(zip(history, days, strict=True))
        self.index = index
        self.plan_ended = plan_ended
        self.state: ProcessState = replay_effective(admission, history, days)
        self.cal = cal
        self.today = today
        self._known = _known_rules(settings)
        self._labels: dict[str, str] = {}
        self._settings = settings

    def rule(self, key: str) -> Rule:
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = _Known(self._settings.rule(key))
        return known.rule

    def first(self, wanted: Iterable[str], after: int = -1) -> tuple[int, Event, date] | None:
        index = self.index
        best = -1
        for name in wanted:
            found = index.get(name)
            if found:
                for i in found:
                    if i > after:
                        if best < 0 or i < best:
                            best = i
                        break
        if best < 0:
            return None
        event, day = self.history[best]
        return best, event, day

    def all(self, wanted: Iterable[str]) -> list[tuple[int, Event, date]]:
        index = self.index
        lists = [found for name in wanted if (found := index.get(name))]
        if not lists:
            return []
        positions = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
        history = self.history
        return [(i, *history[i]) for i in positions]

    def make(self, rule: Rule, due: date, met_on: date | None, recipient: str | None, missed: bool = False) -> Deadline:
        today = self.today
        if met_on is not None:
            state = DeadlineState.MET
        elif today > due:
            state = DeadlineState.OVERDUE
        else:
            state = DeadlineState.DUE_TODAY if today == due else DeadlineState.OPEN
        key = rule.key
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = calendar_label(rule, self.cal)
        return Deadline(
            rule_id=rule.rule_id,
            kind=key,
            description=self._known[key].description,
            due=due,
            state=state,
            met_on=met_on,
            calendar=label,
            recipient=recipient,
            responsible=rule.responsible,
            missed=missed and state is not DeadlineState.MET,
        )


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return local_date(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _assessment(f: _Facts) -> Assessment:
    """The current assessment (``scenarios.assessment_from``) — the latest one wins."""
    history = f.history
    return assessment_from(
        f.admission,
        ((e.data, d) for e, d in (history[i] for i in f.index.get(K.SCENARIO_ASSESSED, ())) if e.data),
    )


def _round_start(f: _Facts) -> int:
    """Index of the last afmelding (B7) in the history; -1 when there is none."""
    found = f.index.get(K.AFMELDING)
    return found[-1] if found else -1


_CONTACT_RULES = {1: "orientering_scenarie_1", 2: "kontakt_scenarie_2", 3: "kontakt_scenarie_3"}
_MEETING_RULES = {
    "C2": "netvaerksmoede",
    "C3": "netvaerksmoede_efter_udskrivning",
    "C4": "netvaerksmoede_ved_udskrivning",
}


def _contacted_on(f: _Facts, rule: Rule) -> date | None:
    """B1–B3: the day of the first event that fulfils the contact duty. An orientering counts wherever it went (the
    service sends it to the contact kommune); a varsling or a logged contact (a note with the milestone
    ``kommune_kontakt``, B2/B3) counts when it went to the kommune the duty names (A5: a homeless patient's
    handlekommune when known) or names no kommune (records from before the kommune was kept)."""
    kommune = recipient_kommune(f.admission, contact_role(f.admission))
    for _, event, day in f.all(rule.fulfilled_by):
        if event.kind is K.ORIENTERING_INDLAEGGELSE:
            return day
        to = event.recipient_kommune or (event.data.get("kommune") if event.data else None)
        if to is None or to == kommune:
            return day
    return None


def _scenario_deadlines(f: _Facts) -> list[Deadline]:
    """B1–B3 contact at once; B5 varsling and færdigmelding for the current round."""
    assessed = _assessment(f)
    scenario, branch, identified, answered_expected = (
        assessed.scenario,
        assessed.branch,
        assessed.identified_on,
        assessed.expected,
    )
    out: list[Deadline] = []
    discharged = f.state.is_discharged
    if scenario in (1, 2, 3):
        rule = f.rule(_CONTACT_RULES[scenario])
        due = apply_offset(rule, identified, f.cal)
        out.append(f.make(rule, due, _contacted_on(f, rule), contact_role(f.admission), missed=discharged))
    begun = f.first([K.VARSLING, K.FAERDIGMELDING]) is not None
    if not (begun or (scenario in (2, 3) and branch == "B5")):
        return out
    start = _round_start(f)
    expected_events = [_as_date(e.data.get("date")) for i, e, _ in f.all([K.EXPECTED_FAERDIGBEHANDLET]) if i > start]
    expected_events = [d for d in expected_events if d is not None]
    expected = expected_events[-1] if expected_events else None
    if expected is None and start < 0:
        expected = f.admission.expected_faerdigbehandlet or answered_expected
    if expected is None:
        return out
    notify = notify_role(f.admission)
    faerdig = f.first([K.FAERDIGMELDING], after=start)
    varsling_rule = f.rule("varsling")
    varslet = f.first(varsling_rule.fulfilled_by, after=start)
    due = apply_offset(varsling_rule, expected, f.cal)
    missed = discharged or faerdig is not None
    out.append(f.make(varsling_rule, due, varslet[2] if varslet else None, notify, missed=missed))
    fm_rule = f.rule("faerdigmelding")
    due = apply_offset(fm_rule, expected, f.cal)
    out.append(f.make(fm_rule, due, faerdig[2] if faerdig else None, notify, missed=discharged))
    return out


def _paired(f: _Facts, key: str, triggers: Sequence[str]) -> list[tuple[Rule, int, Event, date, date | None]]:
    """Each trigger paired with the first later fulfilling event not already used by an earlier trigger."""
    rule = f.rule(key)
    used: set[int] = set()
    out: list[tuple[Rule, int, Event, date, date | None]] = []
    triggered = f.all(triggers)
    if not triggered:
        return out
    fulfilling = f.all(rule.fulfilled_by)
    for i, event, day in triggered:
        met_on = None
        for j, _, met_day in fulfilling:
            if j > i and j not in used:
                used.add(j)
                met_on = met_day
                break
        out.append((rule, i, event, day, met_on))
    return out


def _meeting_deadlines(f: _Facts) -> list[Deadline]:
    """C2–C4: the meeting at the latest 5 arbejdsdage after the invitation (invitation day is day 0)."""
    keys = _MEETING_RULES
    out = []
    discharge = f.first([K.DISCHARGE])
    discharged_on = f.state.discharged
    for _, i, event, day, met_on in _paired(f, "netvaerksmoede", [K.MEETING_INVITED]):
        named = event.data.get("rule") if event.data else None
        if named not in keys:
            if discharge is not None:
                after = i > discharge[0]
            else:  # discharged by date only (no event): invitations after that day
                after = discharged_on is not None and day > discharged_on
            named = "C3" if after else "C2"
        rule = f.rule(keys[named])
        missed = named == "C2" and f.state.is_discharged  # a meeting after discharge is a new C3 request
        out.append(f.make(rule, apply_offset(rule, day, f.cal), met_on, contact_role(f.admission), missed))
    return out


def _discharge_deadlines(f: _Facts) -> list[Deadline]:
    """D1 epikrise (24 h from the discharge moment) and D5 botilbud follow-up."""
    if f.state.discharged is None:
        return []
    found = f.all([K.DISCHARGE])
    anchor: date | datetime = found[-1][1].occurred_at if found else f.state.discharged
    out = []
    rule = f.rule("epikrise")
    hit = f.first(rule.fulfilled_by)
    out.append(f.make(rule, apply_offset(rule, anchor, f.cal), hit[2] if hit else None, None))
    if GROUPS["botilbud"](f.admission):
        concrete = f.first([M.BOTILBUD_KONKRET_VURDERING]) is not None
        rule = f.rule("botilbud_opfoelgning_konkret" if concrete else "botilbud_opfoelgning")
        hit = f.first(rule.fulfilled_by)
        out.append(f.make(rule, apply_offset(rule, f.state.discharged, f.cal), hit[2] if hit else None, None))
    return out


def _event_deadlines(f: _Facts) -> list[Deadline]:
    """Deadlines counted from recorded milestones: D3 GP answer, A4 underretning, G3 escalation."""
    out = []
    for key, trigger, recipient in (
        ("korrespondance_svar", M.KORRESPONDANCE_SENDT, None),
        ("underretning_vurdering", M.UNDERRETNING_SENDT, contact_role(f.admission)),
        ("eskalering", M.UENIGHED, notify_role(f.admission)),
    ):
        for rule, _, event, day, met_on in _paired(f, key, [trigger]):
            anchor: date | datetime = event.occurred_at if rule.unit is Unit.HOURS else day
            out.append(f.make(rule, apply_offset(rule, anchor, f.cal), met_on, recipient))
    return out


def _admission_deadlines(f: _Facts) -> list[Deadline]:
    """A1: "ved indlæggelsen spørge borgeren, om denne modtager støtte fra kommunen" — the scenario assessment is
    due on the admission day and met by the first recorded assessment. An admission whose scenario was stored
    without an assessment event (imported data) has no date to show: no A1 deadline."""
    rule = f.rule("spoerg_om_stoette")
    hit = f.first(rule.fulfilled_by)
    if hit is None and (f.admission.scenario is not None or f.admission.scenario_answers):
        return []
    due = apply_offset(rule, f.admission.admitted, f.cal)
    return [f.make(rule, due, hit[2] if hit else None, None, missed=f.state.is_discharged)]


def _group_deadlines(f: _Facts) -> list[Deadline]:
    """A4: children checked at admission."""
    if not GROUPS["children"](f.admission):
        return []
    rule = f.rule("boern_vurdering")
    hit = f.first(rule.fulfilled_by)
    due = apply_offset(rule, f.admission.admitted, f.cal)
    return [f.make(rule, due, hit[2] if hit else None, None, missed=f.state.is_discharged)]


def _municipal_deadlines(f: _Facts) -> list[Deadline]:
    """G1: 12 weeks from the first varsling/færdigmelding. G2: next status meeting while færdigmeldt."""
    out = []
    start = f.first([K.VARSLING, K.FAERDIGMELDING])
    if start is not None:
        rule = f.rule("sagsbehandling")
        hit = f.first(rule.fulfilled_by, after=start[0])
        due = apply_offset(rule, start[2], f.cal)
        out.append(f.make(rule, due, hit[2] if hit else None, notify_role(f.admission)))
    if f.state.status in (Status.FAERDIGMELDT, Status.I_BERO) and f.state.faerdigmeldt_on is not None:
        rule = f.rule("statusmoede")
        held = [d for _, _, d in f.all(rule.fulfilled_by) if d >= f.state.faerdigmeldt_on]
        anchor = max([f.state.faerdigmeldt_on, *held])
        out.append(f.make(rule, apply_offset(rule, anchor, f.cal), None, notify_role(f.admission)))
    return out


def _plan_deadlines(f: _Facts) -> list[Deadline]:
    """E1/E2: a required plan before the planned discharge. E3: a plan ends at its end date or at readmission."""
    out = []
    needed = requirement(f.admission.plan_facts)
    by_hand = {
        e.data.get("plan_id"): _as_date(e.data.get("plan_ended")) for e, _ in (f.history[i] for i in f.plan_ended)
    }
    if needed.kind is not None:
        rule = f.rule(needed.kind.value)  # "udskrivningsaftale" (E1) or "koordinationsplan" (E2)
        expected = [_as_date(e.data.get("date")) for _, e, _ in f.all([K.EXPECTED_FAERDIGBEHANDLET])]
        expected = [d for d in expected if d is not None]
        due = plan_due(
            f.admission.planned_discharge, expected[-1] if expected else f.admission.expected_faerdigbehandlet
        )
        left = f.state.discharged or f.admission.discharged if f.state.is_discharged else None
        if left is not None:  # the plan had to exist by the day the patient actually left
            due = min(due, left) if due is not None else left
        if due is not None:
            # A plan ended by hand before the patient left (replaced, made in error) no longer meets E1/E2.
            left = f.state.discharged if f.state.is_discharged else None
            hits = [
                d
                for _, e, d in f.all(rule.fulfilled_by)
                if (stop := by_hand.get(e.data.get("plan_id"))) is None or (left is not None and stop >= left)
            ]
            made = f.make(rule, due, hits[0] if hits else None, None, missed=f.state.is_discharged)
            if made.missed and made.state is not DeadlineState.OVERDUE:
                # Discharged without the plan: missed, never "due" (the discharge day may be today).
                made = dataclasses.replace(made, state=DeadlineState.OVERDUE)
            out.append(made)
    rule = f.rule("plan_udloeber")
    # A revised plan records a new milestone with the same data["plan_id"]: only its newest one has an end.
    newest: dict[object, Event] = {}
    for _, event, _ in f.all([M.UDSKRIVNINGSAFTALE, M.KOORDINATIONSPLAN]):
        newest[event.data.get("plan_id") or ("event", event.id)] = event
    for key, event in newest.items():
        end = _as_date(event.data.get("end"))
        if end is None:
            continue
        stops = [end] if f.today > end else []
        if f.state.readmitted is not None and f.state.readmitted <= end:
            stops.append(f.state.readmitted)
        if (stopped := by_hand.get(key)) is not None and stopped <= end:
            stops.append(stopped)
        out.append(f.make(rule, end, min(stops) if stops else None, None))
    return out


_PARTS = (
    _admission_deadlines,
    _scenario_deadlines,
    _meeting_deadlines,
    _discharge_deadlines,
    _event_deadlines,
    _group_deadlines,
    _municipal_deadlines,
    _plan_deadlines,
)


def compute_deadlines(
    admission: Admission,
    events: Sequence[Event],
    cal: WorkCalendar,
    today: date,
    settings: RuleSettings | None = None,
) -> list[Deadline]:
    """Every dated deadline of the admission, by due date. ``ProcessError`` on an illegal history."""
    return deadlines_and_state(admission, events, cal, today, settings)[1]


def deadlines_and_state(
    admission: Admission,
    events: Sequence[Event],
    cal: WorkCalendar,
    today: date,
    settings: RuleSettings | None = None,
) -> tuple[ProcessState, list[Deadline]]:
    """``compute_deadlines`` together with the process state it replayed (``process.replay``'s result): the
    patient list needs both, and the history is then replayed once instead of twice."""
    facts = _Facts(admission, effective_events(events), cal, today, settings or DEFAULT_SETTINGS)
    out: list[Deadline] = []
    for part in _PARTS:
        out.extend(part(facts))
    out.sort(key=lambda d: (d.due, d.rule_id, d.kind))
    return facts.state, out


def next_deadline(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The earliest deadline still to act on: not met, not missed; overdue ones first."""
    pending = [d for d in deadlines if d.state is not DeadlineState.MET and not d.missed]
    if not pending:
        return None
    return min(pending, key=lambda d: (d.state is not DeadlineState.OVERDUE, d.due, d.rule_id))


def due_on(deadlines: Iterable[Deadline], day: date) -> list[Deadline]:
    """Deadlines falling on ``day`` (for a day overview)."""
    return [d for d in deadlines if d.due == day]
