"""The milestone notes a well-run ward records, so the deadline engine sees its duties done.

A milestone (``rules.Milestone``) is a NOTE event with ``data["milestone"]``: the facts that have no event
kind of their own. Without them every children check (A4), epikrise (D1), botilbud follow-up (D5) and
status meeting (G2) would look overdue. Each helper records what a ward usually does, mostly on time and
now and then late or not at all, so the numbers (H in docs/regler.md) have something to show:

* at admission: A4 children check (and an underretning now and then, assessed by the kommune within
  24 hours), A3 udskrivningskoordinator offered, D8 Kriminalforsorgen, B8/F1 samtykke;
* during the stay: D6 misbrug contact (with samtykke), D2 GP dialogue, D7 opholdssted (kommune), E1/E2
  udskrivningsaftale or koordinationsplan before discharge;
* while færdigmeldt: G2 status meetings about every 14 days, G1 the kommune's decision within 12 weeks;
* after discharge: D1 epikrise (mostly within 24 hours), D3 korrespondance and the GP's answer, D5 the
  botilbudsteam's follow-up.

``until`` is the last day a note may carry: the discharge day for duties before discharge, the last
working day before ``today`` for anything else — a date after it means "not done yet".
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from coordinator_app.demo._timeline import AFTER, Timeline
from coordinator_app.domain.model import AdmissionFlags, PlanFacts
from coordinator_app.domain.rules import Milestone

M = Milestone


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + _days(rng.randint(0, max(0, (end - start).days)))


def admission_notes(
    tl: Timeline,
    rng: random.Random,
    flags: AdmissionFlags,
    until: date,
    *,
    children_checked: bool = True,
) -> None:
    """A4, A3, D8 and B8 in the first days of the stay."""
    cal, first = tl.cal, tl.first
    if flags.children and children_checked:  # A4: checked at admission (a day or two late now and then)
        checked = first if rng.random() < 0.92 else cal.add_working_days(first, rng.randint(1, 2))
        text = "Børn i familien undersøgt; der er en voksen, der tager sig af dem (A4)."
        if rng.random() < 0.2:
            text = "Børn i familien undersøgt; underretning sendt til kommunen (A4, skærpet underretningspligt)."
        day = tl.note(M.BOERN_VURDERET, checked, until, text)
        if day is not None and "underretning" in text:
            tl.note(M.UNDERRETNING_SENDT, day, until, "Underretning sendt via sikker post (A4).")
            answer = cal.add_working_days(day, 1 if rng.random() < 0.85 else 2)
            tl.note(M.UNDERRETNING_VURDERET, answer, until, "Kommunen har vurderet underretningen (A4).")
    if flags.lab_par6 and rng.random() < 0.9:  # A3: offered; the kommune contacted if the patient wants it
        wanted = rng.random() < 0.6
        text = (
            "Udskrivningskoordinator tilbudt og ønsket; jobcenteret er kontaktet (A3, LAB §167 stk. 2)."
            if wanted
            else "Udskrivningskoordinator tilbudt; patienten ønsker det ikke (A3)."
        )
        tl.note(M.UDSKRIVNINGSKOORDINATOR, first + _days(rng.randint(0, 4)), until, text, data={"wanted": wanted})
    if flags.retslig_foranstaltning and rng.random() < 0.8:  # D8
        tl.note(
            M.KRIMINALFORSORGEN,
            first + _days(rng.randint(1, 6)),
            until,
            "Kriminalforsorgen orienteret og inviteres til netværksmøder (D8).",
        )
    if flags.wants_to_leave and rng.random() < 0.85:  # B8, F1: consent to inform the kommune
        tl.note(
            M.SAMTYKKE,
            first + _days(rng.randint(0, 3)),
            until,
            "Mundtligt samtykke til at orientere kommunen om udskrivningen (B8, F1).",
            data={"what": "orientering om udskrivning", "to": "kommunen", "form": "mundtligt"},
        )


def stay_notes(
    tl: Timeline,
    rng: random.Random,
    flags: AdmissionFlags,
    ready: date,
    until: date,
    *,
    plan_end: date | None = None,
    involuntary: bool = False,
) -> tuple[PlanFacts, bool]:
    """D6, D2, D7 before ``ready`` (the expected discharge); E1/E2 when ``plan_end`` is given (discharged).

    Returns the admission's E1/E2 facts and whether the required plan was made: a patient who wants to leave
    (B8) presumably will not seek treatment, one in a botilbud gets support under serviceloven afsnit V; about
    three in four of them leave with the plan (the others' discharge records why not).
    """
    first = tl.first
    if flags.misbrug and rng.random() < 0.75:  # D6 with consent (F1)
        day = _between(rng, first + _days(2), max(first + _days(2), ready - _days(3)))
        tl.note(
            M.SAMTYKKE,
            day,
            until,
            "Skriftligt samtykke til kontakt med kommunens misbrugsbehandling (D6, F1).",
            data={"what": "misbrugsbehandling", "to": "kommunens behandlingssystem", "form": "skriftligt"},
        )
        tl.note(M.MISBRUG_KONTAKT, day, until, "Kommunens misbrugsbehandling kontaktet (D6).")
    if flags.multiple_antipsychotics and rng.random() < 0.9:  # D2
        day = _between(rng, max(first, ready - _days(7)), max(first, ready - _days(1)))
        tl.note(M.GP_DIALOG, day, until, "Dialog med egen læge om antipsykotisk behandling før udskrivning (D2).")
    if flags.homeless and rng.random() < 0.7:  # D7, the kommune's duty
        day = _between(rng, max(first, ready - _days(10)), max(first, ready - _days(1)))
        tl.note(M.OPHOLDSSTED, day, until, "Kommunen har fundet opholdssted (herberg) til udskrivningen (D7).")
    needs_plan = flags.wants_to_leave or (flags.botilbud and involuntary)
    if plan_end is None or not needs_plan:
        return PlanFacts(), False
    facts = PlanFacts(afsnit_v_support=flags.botilbud, wont_seek_help=flags.wants_to_leave)
    if rng.random() >= 0.75:
        return facts, False
    refuses = flags.wants_to_leave and rng.random() < 0.3  # E2: will not take part in an udskrivningsaftale
    milestone = M.KOORDINATIONSPLAN if refuses else M.UDSKRIVNINGSAFTALE
    text = (
        "Koordinationsplan lavet med kommunen; patienten ville ikke medvirke til en udskrivningsaftale (E2)."
        if refuses
        else "Udskrivningsaftale indgået med patient, kommune og egen læge (E1)."
    )
    day = _between(rng, max(first, ready - _days(4)), ready)
    made = tl.note(milestone, day, until, text, data={"end": plan_end.isoformat()})  # with an end date (E3)
    return replace(facts, refuses_participation=refuses), made is not None


def faerdigmeldt_notes(
    tl: Timeline,
    rng: random.Random,
    faerdig: date,
    end: date,
    until: date,
    *,
    gap: bool = False,
) -> None:
    """G2: the kommune's status meetings about every 14 days from the færdigmelding until ``end``."""
    cal, day, held = tl.cal, faerdig, []
    while True:
        day = cal.previous_working_day(day + _days(rng.randint(11, 14)))
        if day >= end or day > until:
            break
        held.append(day)
    if gap and held:  # one meeting skipped: the next status meeting is overdue
        held.pop()
    for day in held:
        tl.note(M.STATUSMOEDE, day, until, "Statusmøde i kommunen om den færdigmeldte borger (G2).")


def afgoerelse_note(tl: Timeline, day: date, until: date) -> None:
    """G1: the kommune's decision on the case (within 12 weeks of the varsling, as a rule)."""
    tl.note(M.KOMMUNAL_AFGOERELSE, day, until, "Kommunen har truffet afgørelse om indsats (G1).")


def discharge_notes(tl: Timeline, rng: random.Random, flags: AdmissionFlags, discharged: date, until: date) -> None:
    """D1 epikrise, D3 korrespondance and answer, D5 botilbud follow-up — after the discharge."""
    cal = tl.cal
    roll = rng.random()
    if roll < 0.86:
        epikrise = discharged
    else:
        epikrise = cal.add_working_days(discharged, 1 if roll < 0.95 else rng.randint(2, 4))
    sent = tl.note(M.EPIKRISE_SENDT, epikrise, until, "Epikrise sendt til egen læge; FMK opdateret (D1).", order=AFTER)
    if sent is not None and rng.random() < 0.25:  # D3: the GP takes over the treatment
        tl.note(
            M.KORRESPONDANCE_SENDT,
            sent,
            until,
            "Korrespondancemeddelelse sendt til egen læge (D3).",
            order=AFTER,
        )
        roll = rng.random()
        if roll < 0.99:  # now and then the GP never answers
            answer = cal.add_working_days(sent, rng.randint(1, 3) if roll < 0.82 else rng.randint(4, 6))
            tl.note(M.KORRESPONDANCE_BESVARET, answer, until, "Egen læge har svaret (D3).", order=AFTER)
    if flags.botilbud:  # D5: the day after, or within 5 days after a concrete judgement
        next_day = discharged + _days(1)
        if cal.is_working_day(next_day) and rng.random() < 0.8:
            follow = next_day if rng.random() < 0.93 else cal.add_working_days(next_day, 1)
        else:
            tl.note(
                M.BOTILBUD_KONKRET_VURDERING,
                discharged,
                until,
                "Konkret vurdering: botilbudsteamet følger op inden for 5 dage (D5).",
                order=AFTER,
            )
            follow = cal.add_working_days(discharged, rng.randint(1, 3) if rng.random() < 0.9 else 5)
        tl.note(
            M.BOTILBUD_OPFOELGNING,
            follow,
            until,
            "Botilbudsteamet har holdt opfølgningssamtale (D5).",
            order=AFTER,
        )
