"""The ~40 current admissions: one spec per process stage, built backwards from today.

Each :class:`CurrentSpec` is a stage a coordinator meets on a Monday morning (just admitted, varsling
due today, færdigmeldt for months, i bero, afmeldt …). ``exact`` specs keep their dates when the list
is repeated, so "due today" stays due today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from coordinator_app.demo._calendar import WorkCalendar
from coordinator_app.demo._stories import (
    ORIENT_OUT,
    K,
    Plan,
    Timeline,
    answers,
    days,
    faerdig_channel,
    notify_channel,
)
from coordinator_app.model import Channel


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
    meeting_today: bool = False  # a meeting not yet held is planned for today (else 4 working days out)
    discharge_noticed_ago: int | None = None  # orientering om udskrivning (B4, B9)
    exact: bool = False  # keep the dates on repeat (the "due today" cases)


CURRENT_SPECS: tuple[CurrentSpec, ...] = (
    CurrentSpec("indlagt i dag", None, admitted_ago=0, assessed=False, oriented=False, exact=True),
    CurrentSpec("indlagt i går", 3, admitted_ago=1, oriented=False, exact=True),
    CurrentSpec("ikke vurderet", None, admitted_ago=3, assessed=False, oriented=False),
    CurrentSpec("ingen kommunal indsats", None, admitted_ago=14, oriented=False),
    CurrentSpec("scenarie 1 orienteret", 1, admitted_ago=12),
    CurrentSpec("scenarie 1 orientering mangler", 1, admitted_ago=7, oriented=False),
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
    CurrentSpec("scenarie 3 B5 varsling senest i dag", 3, True, admitted_ago=15, expected_in=8, exact=True),
    CurrentSpec("scenarie 3 B5 varsling overskredet", 3, True, admitted_ago=18, expected_in=3),
    CurrentSpec(
        "scenarie 2 B5 varslet", 2, True, admitted_ago=16, expected_in=5, varslet_ago=6, meeting=(5, 2)
    ),
    CurrentSpec("scenarie 3 B5 varslet for sent", 3, True, admitted_ago=11, expected_in=2, varslet_ago=3),
    CurrentSpec(
        "færdigmeldt for nylig", 2, True, admitted_ago=30, varslet_ago=14, faerdig_ago=(2,), meeting=(13, 9)
    ),
    CurrentSpec(
        "færdigmeldt længe", 3, True, admitted_ago=75, varslet_ago=55, faerdig_ago=(45,), meeting=(50, 47)
    ),
    CurrentSpec(
        "færdigmeldt meget længe",
        2,
        True,
        admitted_ago=190,
        varslet_ago=150,
        faerdig_ago=(130,),
        meeting=(140, 126),
    ),
    CurrentSpec(
        "færdigmelding i bero", 3, True, admitted_ago=45, varslet_ago=30, faerdig_ago=(20,), bero=(6, None)
    ),
    CurrentSpec(
        "færdigmelding genoptaget", 2, True, admitted_ago=50, varslet_ago=35, faerdig_ago=(25,), bero=(15, 8)
    ),
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
        meeting=(14, None),
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
)


def current_plan(spec: CurrentSpec, rng: random.Random, cal: WorkCalendar, today: date, shift: int) -> Plan:
    """Build ``spec`` as of ``today``; ``shift`` moves every past date further back (variety on repeats)."""
    s = 0 if spec.exact else shift
    last = cal.on_or_before(today - days(1))  # events only on past working days

    def ago(n: int) -> date:
        return cal.on_or_before(today - days(n + s))

    admitted = today - days(spec.admitted_ago + s if spec.admitted_ago else 0)
    tl = Timeline(cal, rng, admitted)
    faerdig = [ago(n) for n in spec.faerdig_ago]
    expected = today + days(spec.expected_in) if spec.expected_in is not None else None
    if expected is None and faerdig:
        expected = faerdig[-1]
    if spec.assessed and tl.first <= last:
        tl.assess(admitted, spec.scenario, spec.b5).data = answers(spec.scenario, spec.b5, expected)
    if spec.oriented:
        tl.state(
            K.ORIENTERING_INDLAEGGELSE, min(admitted + days(rng.randint(0, 2)), last), notify_channel(rng)
        )
    if expected is not None and tl.first <= last:
        judged = ago(spec.varslet_ago + 2) if spec.varslet_ago is not None else min(admitted + days(3), last)
        tl.expected(min(judged, last), faerdig[0] if faerdig else expected)
    if spec.varslet_ago is not None:
        tl.state(
            K.VARSLING,
            ago(spec.varslet_ago),
            Channel.SIKKER_MAIL,
            data={"expected_faerdigbehandlet": (faerdig[0] if faerdig else expected or today).isoformat()},
        )
    if faerdig:
        tl.state(K.FAERDIGMELDING, faerdig[0], faerdig_channel(rng))
    if spec.bero:
        tl.state(
            K.I_BERO,
            ago(spec.bero[0]),
            Channel.SIKKER_MAIL,
            note="Afventer lægelige oplysninger til kommunen (B6).",
        )
        if spec.bero[1] is not None:
            tl.state(K.GENOPTAGET, ago(spec.bero[1]), Channel.SIKKER_MAIL)
    if spec.afmeldt_ago is not None:
        tl.state(
            K.AFMELDING,
            ago(spec.afmeldt_ago),
            Channel.TELEFON,
            note="Tilstanden er forværret; behandlingen er genoptaget (B7).",
        )
    if spec.revarslet_ago is not None:
        tl.state(K.VARSLING, ago(spec.revarslet_ago), Channel.SIKKER_MAIL)
    if len(faerdig) > 1:
        tl.state(K.FAERDIGMELDING, faerdig[1], faerdig_channel(rng))
    if spec.meeting:
        invited = ago(spec.meeting[0])
        held = ago(spec.meeting[1]) if spec.meeting[1] is not None else None
        planned = held or (cal.on_or_after(today) if spec.meeting_today else cal.add(invited, 4))
        tl.meeting(invited, held, planned, last)
    if spec.discharge_noticed_ago is not None:
        tl.side(
            K.ORIENTERING_UDSKRIVNING,
            ago(spec.discharge_noticed_ago),
            ORIENT_OUT,
            channel=notify_channel(rng),
            notify=True,
            data={"planned_discharge": cal.add(today, 2).isoformat()},
        )
    return Plan(admitted, None, spec.scenario, spec.b5, expected, tl.finish(), assessed=spec.assessed)
