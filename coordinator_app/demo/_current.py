"""The ~40 current admissions: one spec per process stage, built backwards from today.

Each :class:`CurrentSpec` is a stage a coordinator meets on a Monday morning (just admitted, varsling
due today, færdigmeldt for months, i bero, afmeldt …). ``exact`` specs keep their dates when the list
is repeated, so "due today" stays due today; ``again`` changes a spec for its repeat (the second copy of
an overdue stage is usually the same stage handled in time), so the ward's overdue list stays short.

The milestone notes (``_milestones``) make the deadlines look like a real ward's: children checked at
admission, status meetings every 14 days while færdigmeldt, the special groups' duties done before the
expected discharge. What is *not* done is chosen here, one stage each: a children check missing, an
orientering missing, a varsling overdue, a netværksmøde not held, a kommune past its 12 weeks (G1), a status
meeting skipped (G2).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from coordinator_app.demo import _milestones as notes
from coordinator_app.demo._names import DOCTORS
from coordinator_app.demo._stories import faerdig_channel, notify_channel
from coordinator_app.demo._timeline import ORIENT_OUT, K, Plan, Timeline, answers, days
from coordinator_app.domain.model import AdmissionFlags, Channel
from coordinator_app.domain.rules import Milestone
from coordinator_app.domain.workdays import WorkCalendar


@dataclass(frozen=True)
class CurrentSpec:
    """A current admission at a given process stage; all ``*_ago`` are calendar days before today."""

    name: str
    scenario: int | None
    b5: bool = False
    admitted_ago: int = 10
    assessed: bool = True
    oriented: bool = True
    expected_in: int | None = None  # expected færdigbehandlet = today + n (B5 deadline = that - 8)
    varslet_ago: int | None = None
    faerdig_ago: tuple[int, ...] = ()  # færdigmelding(s)
    bero: tuple[int, int | None] | None = None  # (i bero, genoptaget or None)
    afmeldt_ago: int | None = None
    revarslet_ago: int | None = None
    meeting: tuple[int, int | None] | None = None  # (invited, held or None), days ago
    # … a meeting not yet held was invited ``meeting[0]`` *arbejdsdage* before today (C2 counts those)
    meeting_today: bool = False  # a meeting not yet held is planned for today (else 4 working days out)
    discharge_noticed_ago: int | None = None  # orientering om udskrivning (B4, B9)
    exact: bool = False  # keep the dates on repeat (the "due today" cases)
    children_checked: bool = True  # A4 recorded at admission (when the children flag is set)
    flags: tuple[str, ...] = ()  # special groups forced on (AdmissionFlags field names)
    not_flags: tuple[str, ...] = ()  # … and forced off
    statusmoede_gap: bool = False  # G2: the last status meeting was skipped (overdue)
    afgoerelse_ago: int | None = None  # G1: the kommune's decision
    uenighed: tuple[int, int] | None = None  # G3: disagreement and escalation, days ago
    again: tuple[tuple[str, Any], ...] = ()  # field changes for the repeat (second copy)

    def copy(self, n: int) -> CurrentSpec:
        """The spec for its ``n``-th copy (0 = first)."""
        return dataclasses.replace(self, **dict(self.again)) if n and self.again else self


_C = "children"

CURRENT_SPECS: tuple[CurrentSpec, ...] = (
    CurrentSpec(
        "indlagt i dag",
        None,
        admitted_ago=0,
        assessed=False,
        oriented=False,
        exact=True,
        flags=(_C,),  # A4 due today
        again=(("flags", ()), ("not_flags", (_C,))),
    ),
    CurrentSpec(
        "indlagt i går",
        3,
        admitted_ago=1,
        oriented=False,  # B3 contact overdue since yesterday
        exact=True,
        not_flags=(_C,),
        again=(("admitted_ago", 5), ("oriented", True)),  # the repeat: contacted in time
    ),
    CurrentSpec(
        "ikke vurderet",
        None,
        admitted_ago=3,
        assessed=False,
        oriented=False,
        flags=(_C,),
        children_checked=False,  # A4 overdue
        again=(("flags", ()), ("children_checked", True)),
    ),
    CurrentSpec("ingen kommunal indsats", None, admitted_ago=14, oriented=False),
    CurrentSpec("scenarie 1 orienteret", 1, admitted_ago=12),
    CurrentSpec("scenarie 1 orientering mangler", 1, admitted_ago=7, oriented=False, again=(("oriented", True),)),
    CurrentSpec("scenarie 2 B4 møde indkaldt", 2, admitted_ago=9, meeting=(2, None)),
    CurrentSpec(
        "scenarie 3 B4 udskrivning meldt",
        3,
        admitted_ago=20,
        expected_in=3,
        discharge_noticed_ago=1,
        meeting=(12, 8),
    ),
    CurrentSpec("scenarie 2 B5 varsling i god tid", 2, True, admitted_ago=6, expected_in=24),
    CurrentSpec(
        "scenarie 3 B5 varsling senest i dag",
        3,
        True,
        admitted_ago=15,
        expected_in=8,
        exact=True,
        again=(("varslet_ago", 1),),
    ),
    CurrentSpec(
        "scenarie 3 B5 varsling overskredet",
        3,
        True,
        admitted_ago=18,
        expected_in=3,
        again=(("varslet_ago", 2),),  # the repeat was varslet, late
    ),
    CurrentSpec("scenarie 2 B5 varslet", 2, True, admitted_ago=16, expected_in=5, varslet_ago=6, meeting=(5, 2)),
    CurrentSpec("scenarie 3 B5 varslet for sent", 3, True, admitted_ago=11, expected_in=2, varslet_ago=3),
    CurrentSpec("færdigmeldt for nylig", 2, True, admitted_ago=30, varslet_ago=14, faerdig_ago=(2,), meeting=(13, 9)),
    CurrentSpec(
        "færdigmeldt længe",
        3,
        True,
        admitted_ago=75,
        varslet_ago=55,
        faerdig_ago=(45,),
        meeting=(50, 47),
        again=(("statusmoede_gap", True),),  # G2 overdue on the repeat
    ),
    CurrentSpec(
        "færdigmeldt meget længe",
        2,
        True,
        admitted_ago=190,
        varslet_ago=150,
        faerdig_ago=(130,),
        meeting=(140, 126),
        uenighed=(40, 36),  # G1 overdue: no decision after 12 weeks; G3 escalated in time
        again=(("afgoerelse_ago", 75), ("uenighed", None)),
    ),
    CurrentSpec("færdigmelding i bero", 3, True, admitted_ago=45, varslet_ago=30, faerdig_ago=(20,), bero=(6, None)),
    CurrentSpec("færdigmelding genoptaget", 2, True, admitted_ago=50, varslet_ago=35, faerdig_ago=(25,), bero=(15, 8)),
    CurrentSpec("afmeldt", 3, True, admitted_ago=35, varslet_ago=22, faerdig_ago=(12,), afmeldt_ago=5),
    CurrentSpec(
        "færdigmeldt igen",
        2,
        True,
        admitted_ago=70,
        varslet_ago=52,
        faerdig_ago=(40, 5),
        afmeldt_ago=30,
        revarslet_ago=15,
        meeting=(20, 17),
    ),
    CurrentSpec(
        "møde ikke holdt inden 5 arbejdsdage",
        2,
        True,
        admitted_ago=25,
        expected_in=4,
        varslet_ago=9,
        meeting=(9, None),  # invited 9 arbejdsdage ago: C2 overdue
    ),
    CurrentSpec(
        "møde i dag",
        3,
        True,
        admitted_ago=22,
        expected_in=10,
        varslet_ago=2,
        meeting=(7, None),
        meeting_today=True,
        exact=True,
    ),
    CurrentSpec(
        "færdigbehandlet i dag",
        2,
        True,
        admitted_ago=26,
        expected_in=0,  # færdigmelding due today
        varslet_ago=10,
        meeting=(12, 9),
        exact=True,
    ),
    CurrentSpec(
        "færdigmelding mangler",
        3,
        True,
        admitted_ago=24,
        expected_in=-2,  # færdigbehandlet two days ago, færdigmelding overdue
        varslet_ago=12,
        meeting=(15, 11),
    ),
)


def admitted_on(spec: CurrentSpec, today: date, shift: int) -> date:
    return today - days(spec.admitted_ago + (0 if spec.exact else shift) if spec.admitted_ago else 0)


def current_plan(
    spec: CurrentSpec,
    rng: random.Random,
    cal: WorkCalendar,
    today: date,
    shift: int,
    flags: AdmissionFlags,
) -> Plan:
    """Build ``spec`` as of ``today``; ``shift`` moves every date a week or more back further (variety on
    repeats) and leaves the last week alone, so a stage due this week stays due this week."""
    s = 0 if spec.exact else shift
    last = cal.previous_working_day(today - days(1))  # events only on past working days

    def ago(n: int) -> date:
        return cal.previous_working_day(today - days(n + s if n >= 7 else n))

    admitted = admitted_on(spec, today, shift)
    tl = Timeline(cal, rng, admitted)
    started = tl.first <= last  # anything recorded yet
    faerdig = [ago(n) for n in spec.faerdig_ago]
    expected = today + days(spec.expected_in) if spec.expected_in is not None else None
    if expected is None and faerdig:
        expected = faerdig[-1]
    if spec.assessed and started:
        tl.assess(admitted, spec.scenario, spec.b5).data = answers(spec.scenario, spec.b5, expected)
    if spec.oriented and started:
        tl.state(K.ORIENTERING_INDLAEGGELSE, min(admitted + days(rng.randint(0, 2)), last), notify_channel(rng))
    judge = DOCTORS[0]  # who judges the dates (B5): the doctor of the expected-date judgement, when there is one
    if expected is not None and started:
        judged = ago(spec.varslet_ago + 2) if spec.varslet_ago is not None else min(admitted + days(3), last)
        judge = tl.expected(min(judged, last), faerdig[0] if faerdig else expected)
    varslet = None
    if spec.varslet_ago is not None:
        varslet = tl.varsling(ago(spec.varslet_ago), faerdig[0] if faerdig else expected or today, judge)
    if faerdig:
        tl.faerdigmelding(faerdig[0], faerdig_channel(rng), judge)
    if spec.bero:
        tl.state(
            K.I_BERO,
            ago(spec.bero[0]),
            Channel.SIKKER_MAIL,
            note="Afventer lægelige oplysninger til kommunen.",
        )
        if spec.bero[1] is not None:
            tl.state(K.GENOPTAGET, ago(spec.bero[1]), Channel.SIKKER_MAIL)
    afmeldt = None
    if spec.afmeldt_ago is not None:
        afmeldt = tl.state(
            K.AFMELDING,
            ago(spec.afmeldt_ago),
            Channel.TELEFON,
            note="Tilstanden er forværret; behandlingen er genoptaget.",
        )
    if spec.revarslet_ago is not None:  # B7: a new round; the doctor judges a new expected date first
        ready_again = faerdig[1] if len(faerdig) > 1 else expected or today
        judge = tl.expected(ago(spec.revarslet_ago), ready_again)
        tl.varsling(ago(spec.revarslet_ago), ready_again, judge)
    if len(faerdig) > 1:
        tl.faerdigmelding(faerdig[1], faerdig_channel(rng), judge)
    if spec.meeting:
        invited = ago(spec.meeting[0])
        held = ago(spec.meeting[1]) if spec.meeting[1] is not None else None
        if held is None:  # counted in arbejdsdage back from today (the next working day when closed)
            invited = cal.add_working_days(cal.next_working_day(today), -spec.meeting[0])
        if spec.meeting_today:  # invited 5 arbejdsdage before: C2 due today
            planned = cal.next_working_day(today)
            invited = cal.add_working_days(planned, -5)
        else:
            planned = held or cal.add_working_days(invited, 4)
        tl.meeting(invited, held, planned, last)
    if spec.discharge_noticed_ago is not None:
        tl.side(
            K.ORIENTERING_UDSKRIVNING,
            ago(spec.discharge_noticed_ago),
            ORIENT_OUT,
            channel=notify_channel(rng),
            notify=True,
            data={"planned_discharge": cal.add_working_days(today, 2).isoformat()},
        )
    _notes(spec, tl, rng, flags, today, last, ago, expected, faerdig, varslet, afmeldt)
    return Plan(admitted, None, spec.scenario, spec.b5, expected, tl.finish(), assessed=spec.assessed)


def _notes(
    spec: CurrentSpec,
    tl: Timeline,
    rng: random.Random,
    flags: AdmissionFlags,
    today: date,
    last: date,
    ago: Callable[[int], date],
    expected: date | None,
    faerdig: list[date],
    varslet: date | None,
    afmeldt: date | None,
) -> None:
    """The milestones recorded so far: admission duties, the groups' duties before the expected discharge,
    G2 status meetings for each færdigmeldt round, G1 decision and G3 escalation where the spec says."""
    notes.admission_notes(tl, rng, flags, last, children_checked=spec.children_checked)
    ready = expected or (tl.admitted + days(21))
    notes.stay_notes(tl, rng, flags, max(ready, tl.first), last)
    if faerdig:
        rounds = [(faerdig[0], afmeldt or today)]
        if afmeldt is not None and len(faerdig) > 1:
            rounds.append((faerdig[1], today))
        for i, (start, end) in enumerate(rounds):
            gap = spec.statusmoede_gap and i == len(rounds) - 1
            notes.faerdigmeldt_notes(tl, rng, start, end, last, gap=gap)
    if spec.afgoerelse_ago is not None and varslet is not None:
        notes.afgoerelse_note(tl, max(ago(spec.afgoerelse_ago), varslet), last)
    if spec.uenighed is not None:
        disagreed, escalated = (ago(n) for n in spec.uenighed)
        tl.note(
            Milestone.UENIGHED,
            disagreed,
            last,
            "Uenighed med kommunen om, hvorvidt borgeren kan udskrives til den anviste indsats (G3).",
        )
        tl.note(Milestone.UENIGHED_ESKALERET, escalated, last, "Uenigheden er løftet til chefniveau (G3).")
