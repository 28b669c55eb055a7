"""Finished admissions for the history (H in docs/regler.md): the scenario drives the notifications."""

from __future__ import annotations

import math
import random
from datetime import date

from coordinator_app.demo import _milestones as notes
from coordinator_app.demo._timeline import DISCHARGE, ORIENT_OUT, K, Plan, Timeline, answers, days
from coordinator_app.domain.discharge_plans import WithoutPlan, discharge_without_plan, missing_at_discharge
from coordinator_app.domain.model import AdmissionFlags, Channel, PlanFacts
from coordinator_app.domain.workdays import WorkCalendar

#: Why a patient left without the required udskrivningsaftale/koordinationsplan, as a coordinator writes it (E1/E2).
WITHOUT_PLAN_B8 = "Patienten ønskede at gå og kunne ikke tilbageholdes (B8); kommunen er orienteret med samtykke."
WITHOUT_PLAN_REASONS = (
    "Kommunen kunne ikke deltage før udskrivningen; netværksmøde aftalt efter udskrivningen (C3).",
    "Overflyttet akut til somatisk afdeling; distriktspsykiatrien laver aftalen ved udskrivningen derfra.",
)


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
    flags: AdmissionFlags,
    involuntary: bool,
) -> Plan | None:
    """A finished admission: the scenario drives the notifications; ``None`` if it would still be open.

    Lengths of stay: treatment ~ lognormal (median 21 days, long tail); B5 adds a færdigmeldt period
    (median 5 days, tail to months). Varsling is late (< 8 days before the expected date) ~1 in 5;
    netværksmøder are held within 5 arbejdsdage of the invitation ~85 % of the time. The milestones a
    ward records (``_milestones``) follow: epikrise mostly within 24 hours, status meetings every 14 days
    while færdigmeldt, the kommune's decision on long cases, the special groups' duties.
    """
    meeting_prone = (flags.botilbud and involuntary) or flags.misbrug or flags.retslig_foranstaltning
    scenario = rng.choices((1, 2, 3, None), weights=(30, 20, 25, 25))[0]
    b5 = scenario in (2, 3) and rng.random() < 0.6
    treat = lognormal_days(rng, 21, 0.8, 1, 320)
    tl = Timeline(cal, rng, admitted)
    assessment = tl.assess(admitted + days(rng.choice((0, 0, 1, 2))), scenario, b5)
    tl.last_state = max(tl.last_state, assessment.day)  # what is sent follows the assessment (A1, B1–B5)
    expected: date | None = None
    oriented = tl.first
    faerdig_period: tuple[date, date | None] | None = None  # (færdigmeldt, afmeldt or None)
    varslet: date | None = None
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
        judge = tl.expected(min(target - days(rng.randint(0, 5)), expected), expected)
        varslet = tl.varsling(target, expected, judge)
        faerdig = tl.faerdigmelding(max(ready, varslet), faerdig_channel(rng), judge)
        faerdig_period = (faerdig, None)
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
            faerdig_period = (faerdig, withdrawn)
            # B7: a new round — the doctor judges a new expected date, the varsling carries it.
            again = cal.next_working_day(withdrawn + days(rng.randint(2, 8)))
            ready_again = again + days(rng.randint(3, 12))
            judge = tl.expected(again, ready_again)
            again = tl.varsling(again, ready_again, judge)
            tl.faerdigmelding(ready_again, faerdig_channel(rng), judge)
        discharged = cal.next_working_day(max(faerdig + days(wait), tl.last_state))
        invite_from = varslet + days(rng.randint(-3, 4))
    else:
        discharged = cal.next_working_day(max(admitted + days(treat), tl.last_state))
        invite_from = oriented + days(rng.randint(2, 10))
    if discharged >= today:
        return None
    if (
        (b5 and rng.random() < 0.75)
        or (scenario in (2, 3) and rng.random() < 0.4)
        or (meeting_prone and rng.random() < 0.5)
    ):
        invited = cal.next_working_day(max(invite_from, oriented))
        within = rng.random() < 0.85
        held = cal.add_working_days(invited, rng.randint(1, 5) if within else rng.randint(6, 10))
        tl.meeting(invited, held, held, discharged)
    if scenario == 1 or (scenario in (2, 3) and not b5) or flags.wants_to_leave:
        note = (
            "Patienten ønsker udskrivning og har givet samtykke til orientering (B8)." if flags.wants_to_leave else ""
        )
        tl.side(
            K.ORIENTERING_UDSKRIVNING,
            max(cal.add_working_days(discharged, -rng.randint(0, 3)), tl.last_state),
            ORIENT_OUT,
            channel=notify_channel(rng),
            notify=True,
            note=note,
        )
    last = cal.previous_working_day(today - days(1))
    notes.admission_notes(tl, rng, flags, discharged)
    plan_end = discharged + days(rng.randint(90, 180))
    facts, plan_made = notes.stay_notes(
        tl, rng, flags, discharged, discharged, plan_end=plan_end, involuntary=involuntary
    )
    if faerdig_period is not None and varslet is not None:
        start, stop = faerdig_period
        notes.faerdigmeldt_notes(tl, rng, start, stop or discharged, discharged)
        if (discharged - varslet).days >= 28 and rng.random() < 0.8:  # G1 on long cases
            latest = min(varslet + days(84), discharged)
            notes.afgoerelse_note(tl, varslet + days(rng.randint(14, max(14, (latest - varslet).days))), discharged)
    without = None if plan_made else _without_plan(facts, flags, discharged)
    tl.side(
        K.DISCHARGE,
        discharged,
        DISCHARGE,
        data=without.data if without else None,
        note=without.note if without else "",
    )
    notes.discharge_notes(tl, rng, flags, discharged, last)
    assessment.data = answers(scenario, b5, expected)
    return Plan(admitted, discharged, scenario, b5, expected, tl.finish(), plan_facts=facts)


def _without_plan(facts: PlanFacts, flags: AdmissionFlags, discharged: date) -> WithoutPlan | None:
    """E1/E2: what the coordinator answered when the patient left without the required plan (no extra random
    draw: the answer follows from the patient's situation and the day)."""
    missing = missing_at_discharge(facts, [], discharged)
    if missing is None:
        return None
    reason = WITHOUT_PLAN_B8 if flags.wants_to_leave else WITHOUT_PLAN_REASONS[discharged.toordinal() % 2]
    return discharge_without_plan(missing, reason)
