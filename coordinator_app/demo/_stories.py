"""One admission's history as dated event drafts, legal for the færdigmelding process.

State events (orientering, varsling, færdigmelding, i bero, genoptaget, afmelding) form a chain with
non-decreasing working days in the order the process allows:

    indlagt → orienteret → varslet → færdigmeldt ⇄ i bero; færdigmeldt → afmeldt → varslet → færdigmeldt

Side events (scenario assessment, expected færdigbehandlet date, netværksmøder, orientering om
udskrivning) may fall anywhere between admission and discharge. ``udskrivning`` is always last.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coordinator_app.demo._calendar import WorkCalendar
from coordinator_app.demo._names import DOCTORS
from coordinator_app.model import Channel, EventKind

K = EventKind
# Same-day order: assessment, expected date, process chain, meetings, orientering om udskrivning, udskrivning.
ASSESS, EXPECTED, STATE, MEETING, ORIENT_OUT, DISCHARGE = range(6)
MEETING_FORMS = ("fysisk", "fysisk", "video", "telefon", "blandet")  # C8


def days(n: int) -> timedelta:
    return timedelta(days=n)


@dataclass
class Draft:
    kind: EventKind
    day: date
    order: int
    channel: Channel | None = None
    notify: bool = False  # sets Event.recipient_kommune
    data: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    invitation: Draft | None = None  # MEETING_HELD → its MEETING_INVITED


@dataclass
class Plan:
    admitted: date
    discharged: date | None
    scenario: int | None
    b5: bool
    expected: date | None
    drafts: list[Draft]
    assessed: bool = True


def answers(scenario: int | None, b5: bool, expected: date | None) -> dict[str, Any]:
    """``scenario_answers`` (B1–B5): the two facts that choose the scenario, then the B4/B5 branch."""
    has = scenario in (1, 2)
    return {
        "has_indsats": has,
        "need_greater": (scenario == 2) if has else None,
        "may_need_support": None if has else scenario == 3,
        "can_discharge_before_support": (not b5) if scenario in (2, 3) else None,
        "expected_faerdigbehandlet": expected.isoformat() if expected else None,
    }


class Timeline:
    """Collects drafts; state events never go back in time, every event lands on a working day."""

    def __init__(self, cal: WorkCalendar, rng: random.Random, admitted: date) -> None:
        self.cal, self.rng, self.admitted = cal, rng, admitted
        self.first = cal.on_or_after(admitted)
        self.last_state = self.first
        self.drafts: list[Draft] = []

    def state(
        self,
        kind: EventKind,
        day: date,
        channel: Channel,
        *,
        data: dict[str, Any] | None = None,
        note: str = "",
    ) -> date:
        d = self.cal.on_or_after(max(day, self.last_state))
        self.last_state = d
        self.drafts.append(Draft(kind, d, STATE, channel, True, data or {}, note))
        return d

    def side(
        self,
        kind: EventKind,
        day: date,
        order: int,
        *,
        channel: Channel | None = None,
        notify: bool = False,
        data: dict[str, Any] | None = None,
        note: str = "",
    ) -> Draft:
        d = self.cal.on_or_after(max(day, self.first))
        draft = Draft(kind, d, order, channel, notify, data or {}, note)
        self.drafts.append(draft)
        return draft

    def assess(self, day: date, scenario: int | None, b5: bool) -> Draft:
        return self.side(K.SCENARIO_ASSESSED, day, ASSESS, data=answers(scenario, b5, None))

    def expected(self, day: date, expected: date) -> None:
        by = self.rng.choice(DOCTORS)
        self.side(K.EXPECTED_FAERDIGBEHANDLET, day, EXPECTED, data={"date": expected.isoformat(), "by": by})

    def meeting(self, invited: date, held: date | None, planned: date, limit: date) -> None:
        """Netværksmøde (C2–C4): invitation, and the meeting if it was held by ``limit``."""
        invited = self.cal.on_or_after(max(invited, self.first))
        if invited > limit or (held is not None and self.cal.on_or_after(held) > limit):
            return
        data = {"meeting_date": planned.isoformat(), "form": self.rng.choice(MEETING_FORMS)}
        invitation = self.side(
            K.MEETING_INVITED, invited, MEETING, channel=Channel.SIKKER_MAIL, notify=True, data=data
        )
        if held is not None:
            done = self.side(
                K.MEETING_HELD,
                max(held, invited + days(1)),
                MEETING,
                channel=Channel.NETVAERKSMOEDE,
                notify=True,
            )
            done.invitation = invitation
            done.data = {"meeting_date": done.day.isoformat()}

    def finish(self) -> list[Draft]:
        return sorted(self.drafts, key=lambda d: (d.day, d.order))  # stable: chain order kept


def notify_channel(rng: random.Random) -> Channel:
    return Channel.SIKKER_MAIL if rng.random() < 0.75 else Channel.TELEFON


def faerdig_channel(rng: random.Random) -> Channel:
    return Channel.MOF if rng.random() < 0.4 else Channel.SIKKER_MAIL


def lognormal_days(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.lognormvariate(math.log(median), sigma))))


# -- history ---------------------------------------------------------------------------------------


def history_plan(
    rng: random.Random,
    cal: WorkCalendar,
    admitted: date,
    today: date,
    *,
    wants_to_leave: bool,
    meeting_prone: bool,
) -> Plan | None:
    """A finished admission: the scenario drives the notifications; ``None`` if it would still be open.

    Lengths of stay: treatment ~ lognormal (median 21 days, long tail); B5 adds a færdigmeldt period
    (median 5 days, tail to months). Varsling is late (< 8 days before the expected date) ~1 in 5;
    netværksmøder are held within 5 arbejdsdage of the invitation ~85 % of the time.
    """
    scenario = rng.choices((1, 2, 3, None), weights=(30, 20, 25, 25))[0]
    b5 = scenario in (2, 3) and rng.random() < 0.6
    treat = lognormal_days(rng, 21, 0.8, 1, 320)
    tl = Timeline(cal, rng, admitted)
    assessment = tl.assess(admitted + days(rng.choice((0, 0, 1, 2))), scenario, b5)
    expected: date | None = None
    oriented = tl.first
    if scenario is not None:
        oriented = tl.state(
            K.ORIENTERING_INDLAEGGELSE,
            tl.first + days(rng.choice((0, 0, 1, 1, 2, 3, 5, 9))),
            notify_channel(rng),
        )
    if b5:
        ready = admitted + days(treat)
        expected = max(ready + days(rng.choice((-3, -2, -1, 0, 0, 0, 1, 2, 4))), admitted + days(1))
        late = rng.random() < 0.22
        target = expected - days(rng.randint(0, 7) if late else 8 + rng.randint(0, 10))
        tl.expected(min(target - days(rng.randint(0, 5)), expected), expected)
        varslet = tl.state(
            K.VARSLING, target, Channel.SIKKER_MAIL, data={"expected_faerdigbehandlet": expected.isoformat()}
        )
        faerdig = tl.state(K.FAERDIGMELDING, max(ready, varslet), faerdig_channel(rng))
        wait = lognormal_days(rng, 5, 1.1, 0, 260)
        roll = rng.random()
        if wait >= 8 and roll < 0.12:
            paused = tl.state(
                K.I_BERO,
                faerdig + days(rng.randint(1, wait // 2)),
                Channel.SIKKER_MAIL,
                note="Afventer lægelige oplysninger til kommunen (B6).",
            )
            tl.state(K.GENOPTAGET, paused + days(rng.randint(2, 10)), Channel.SIKKER_MAIL)
        elif wait >= 10 and roll < 0.24:
            withdrawn = tl.state(
                K.AFMELDING,
                faerdig + days(rng.randint(1, wait // 3)),
                Channel.TELEFON,
                note="Tilstanden er forværret; behandlingen er genoptaget (B7).",
            )
            again = tl.state(K.VARSLING, withdrawn + days(rng.randint(2, 8)), Channel.SIKKER_MAIL)
            tl.state(K.FAERDIGMELDING, again + days(rng.randint(3, 12)), faerdig_channel(rng))
        discharged = cal.on_or_after(max(faerdig + days(wait), tl.last_state))
        invite_from = varslet + days(rng.randint(-3, 4))
    else:
        discharged = cal.on_or_after(max(admitted + days(treat), tl.last_state))
        invite_from = oriented + days(rng.randint(2, 10))
    if discharged >= today:
        return None
    if (
        (b5 and rng.random() < 0.75)
        or (scenario in (2, 3) and rng.random() < 0.4)
        or (meeting_prone and rng.random() < 0.5)
    ):
        invited = cal.on_or_after(max(invite_from, oriented))
        within = rng.random() < 0.85
        held = cal.add(invited, rng.randint(1, 5) if within else rng.randint(6, 10))
        tl.meeting(invited, held, held, discharged)
    if scenario == 1 or (scenario in (2, 3) and not b5) or wants_to_leave:
        note = (
            "Patienten ønsker udskrivning og har givet samtykke til orientering (B8)."
            if wants_to_leave
            else ""
        )
        tl.side(
            K.ORIENTERING_UDSKRIVNING,
            max(cal.add(discharged, -rng.randint(0, 3)), tl.last_state),
            ORIENT_OUT,
            channel=notify_channel(rng),
            notify=True,
            note=note,
        )
    tl.side(K.DISCHARGE, discharged, DISCHARGE)
    assessment.data = answers(scenario, b5, expected)
    return Plan(admitted, discharged, scenario, b5, expected, tl.finish())
