"""One admission's history as dated event drafts, legal for the færdigmelding process.

State events (orientering, varsling, færdigmelding, i bero, genoptaget, afmelding) form a chain with
non-decreasing working days in the order the process allows:

    indlagt → orienteret → varslet → færdigmeldt ⇄ i bero; færdigmeldt → afmeldt → varslet → færdigmeldt

Side events (scenario assessment, expected færdigbehandlet date, netværksmøder, milestone notes,
orientering om udskrivning) may fall anywhere between admission and discharge. ``udskrivning`` is the last
event but for the notes that record post-discharge duties (D1 epikrise, D3 korrespondance, D5 botilbud).

Milestones (``rules.Milestone``) are NOTE events with ``data["milestone"]``: the facts a well-run ward records
so the deadline engine sees a duty done (A3, A4, B8, D1–D8, E1–E2, F1, G1–G3). See ``_milestones.py``.
Every event lands on a working day of ``coordinator_app.domain.workdays.WorkCalendar``.

Written as a careful coordinator would (B5): a varsling carries the expected færdigbehandlet date and the doctor
who judged it (``varsling``), a færdigmelding the doctor who judged the patient færdigbehandlet and the day
(``faerdigmelding``); ``expected`` records that medical judgement itself and says who made it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coordinator_app.demo._names import DOCTORS
from coordinator_app.domain.model import Channel, EventKind, PlanFacts
from coordinator_app.domain.workdays import WorkCalendar

K = EventKind
# Same-day order: assessment, expected date, process chain, meetings, milestone notes, orientering om
# udskrivning, udskrivning, then the notes that follow the discharge (D1, D3, D5).
ASSESS, EXPECTED, STATE, MEETING, NOTE, ORIENT_OUT, DISCHARGE, AFTER = range(8)
MEETING_FORMS = ("fysisk", "fysisk", "video", "telefon", "blandet")  # C8
#: B5 "lægelig vurdering" on a varsling and a færdigmelding: who judged, and (færdigmelding) on which day.
JUDGED_BY, JUDGED_ON = "judged_by", "judged_on"


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
    plan_facts: PlanFacts = field(default_factory=PlanFacts)  # E1/E2 (the history's; current ones by the setup)


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
        self.first = cal.next_working_day(admitted)
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
        d = self.cal.next_working_day(max(day, self.last_state))
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
        d = self.cal.next_working_day(max(day, self.first))
        draft = Draft(kind, d, order, channel, notify, data or {}, note)
        self.drafts.append(draft)
        return draft

    def note(
        self,
        milestone: str,
        day: date,
        until: date,
        text: str,
        *,
        order: int = NOTE,
        data: dict[str, Any] | None = None,
    ) -> date | None:
        """A milestone NOTE (``data["milestone"]``) on the first working day from ``day``.

        Nothing is recorded when that day is after ``until`` (not done yet); returns the day recorded.
        """
        d = self.cal.next_working_day(max(day, self.first))
        if d > until:
            return None
        self.drafts.append(Draft(K.NOTE, d, order, data={"milestone": milestone, **(data or {})}, note=text))
        return d

    def assess(self, day: date, scenario: int | None, b5: bool) -> Draft:
        return self.side(K.SCENARIO_ASSESSED, day, ASSESS, data=answers(scenario, b5, None))

    def expected(self, day: date, expected: date) -> str:
        """The doctor's judgement of the expected færdigbehandlet date (B5); returns who judged."""
        by = self.rng.choice(DOCTORS)
        self.side(K.EXPECTED_FAERDIGBEHANDLET, day, EXPECTED, data={"date": expected.isoformat(), "by": by})
        return by

    def varsling(self, day: date, expected: date, judged_by: str) -> date:
        """B5: the varsling by sikker mail, with the expected færdigbehandlet date and who judged it."""
        data = {"expected_faerdigbehandlet": expected.isoformat(), JUDGED_BY: judged_by}
        return self.state(K.VARSLING, day, Channel.SIKKER_MAIL, data=data)

    def faerdigmelding(self, day: date, channel: Channel, judged_by: str) -> date:
        """B5: the færdigmelding, with the doctor who judged the patient færdigbehandlet on the day it is sent."""
        sent = self.state(K.FAERDIGMELDING, day, channel, data={JUDGED_BY: judged_by})
        self.drafts[-1].data[JUDGED_ON] = sent.isoformat()
        return sent

    def meeting(self, invited: date, held: date | None, planned: date, limit: date) -> None:
        """Netværksmøde (C2–C4): invitation, and the meeting if it was held by ``limit``."""
        invited = self.cal.next_working_day(max(invited, self.first))
        if invited > limit or (held is not None and self.cal.next_working_day(held) > limit):
            return
        data = {"meeting_date": planned.isoformat(), "form": self.rng.choice(MEETING_FORMS)}
        invitation = self.side(K.MEETING_INVITED, invited, MEETING, channel=Channel.SIKKER_MAIL, notify=True, data=data)
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
