"""A fictitious demo ward: ~40 current admissions at every process stage plus two years of history.

:func:`generate_demo_ward` is **deterministic**: the same ``today`` and ``seed`` give identical records
(one ``random.Random(seed)``; no global RNG, no clock). Ids are integers from 1 and records refer to
each other by id, so storage can bulk-load them as they are.

Everyone is made up: names come from common Danish name lists (``_names.py``), and every CPR number
follows the demo convention of :mod:`coordinator_app.domain.cpr` — a real birth date, løbenummer **99xx** and a
deliberately **failing modulus-11 check** — so it passes ``stdnum.dk.cpr.validate`` yet
``cpr.is_synthetic()`` recognises it. Every admission has ``demo=True``.

The current admissions (``_current.CURRENT_SPECS``, repeated with shifted dates to fill ``current``)
cover scenarios 1, 2, 3 and none, branches B4 and B5, and the stages: just admitted, not assessed,
orienteret (and orientering missing), varsling not yet due / due today / overdue, varslet (on time and
late), færdigbehandlet today, færdigmelding overdue, færdigmeldt (days to months), i bero, genoptaget,
afmeldt, færdigmeldt again, netværksmøde invited / held / overdue / today. Every special-group flag
(A3–A5, B8, C9–C10, D2, D5–D8) and tvangsindlæggelse occurs at least twice among them.

Milestone notes (``_milestones``: children checked, epikrise sent, status meetings, the groups' duties …)
make the deadline engine see what a well-run ward has done: of the ~40 current admissions' center
deadlines most are met, five to eight are overdue (spread over at least four duties; the not-yet-assessed
admissions' A1 among them), about four fall due today, and
the kommune side shows one case past its 12 weeks (G1) and one missed status meeting (G2). The current
admissions draw from their own random stream, so the same stages show whatever ``today`` is. Events fall
on working days of :class:`coordinator_app.domain.workdays.WorkCalendar` (the app's calendar) in office hours.

The history is sized for statistics (H in docs/regler.md), not for one ward's bed count: ~1,600
admissions a year, median stay ~3 weeks with a long tail, færdigmeldt periods, readmissions within
30 days, late varslinger and netværksmøder outside the 5-arbejdsdage limit now and then, and patients who
needed an udskrivningsaftale or koordinationsplan (E1/E2) — most left with one, the others' discharge records
why not.

The events are written as a careful coordinator writes them (``_timeline``): nothing is sent before the scenario
is assessed, a varsling carries the expected date and the doctor who judged it, a færdigmelding the doctor's
judgement. The current admissions' notifications carry the consent they rest on and the form's content, and
``consents`` holds those consents (``_paperwork``), so the set-up can archive each notification's
varslingsblanket as the Send dialog would have.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from coordinator_app.demo._current import CURRENT_SPECS, admitted_on, current_plan
from coordinator_app.demo._names import COORDINATORS, FAMILY, FEMALE, MALE
from coordinator_app.demo._paperwork import consent_for, describe
from coordinator_app.demo._stories import history_plan
from coordinator_app.demo._timeline import Draft, Plan, answers
from coordinator_app.domain.cpr import synthetic_cpr
from coordinator_app.domain.model import Admission, AdmissionFlags, Consent, Event, Kommune, Patient
from coordinator_app.domain.reference import HOME_REGION, official_kommune_name
from coordinator_app.domain.workdays import COPENHAGEN, WorkCalendar
from coordinator_app.infra.resources import load_centres, load_kommuner

__all__ = ["DEMO_CENTER", "DEMO_WARD", "DemoWard", "generate_demo_ward"]

#: Used when ``centre.csv`` is empty; normally the demo ward is the first ward of the first centre.
DEMO_CENTER = "Psykiatrisk Center København"
DEMO_WARD = "Afsnit 7"
HISTORY_PER_YEAR = 1600
FLAG_NAMES = (
    "homeless",
    "botilbud",
    "misbrug",
    "retslig_foranstaltning",
    "children",
    "lab_par6",
    "wants_to_leave",
    "multiple_antipsychotics",
)


@dataclass(frozen=True, slots=True)
class DemoWard:
    patients: list[Patient]
    admissions: list[Admission]
    events: list[Event]
    kommuner: list[Kommune]
    center: str = DEMO_CENTER
    ward: str = DEMO_WARD
    consents: list[Consent] = field(default_factory=list)  # the current patients' consent to tell the kommune (F1)


class _Timed(NamedTuple):
    moment: datetime
    admission_id: int
    seq: int
    draft: Draft
    user: str
    recipient: str


@dataclass
class _Person:
    order: int
    female: bool
    born: date
    given_name: str
    family_name: str
    kommune: str
    traits: dict[str, bool]
    busy_until: date = date.min  # last discharge; date.max while admitted
    cpr: str = ""


@dataclass
class _Stay:
    plan: Plan
    person: _Person
    flags: AdmissionFlags
    involuntary: bool
    opholdskommune: str | None = None
    handlekommune: str | None = None
    order: int = 0


class _Generator:
    def __init__(self, today: date, seed: int, kommuner: list[Kommune]) -> None:
        self.today = today
        self.seed = seed
        self.rng = random.Random(seed)
        self.cal = WorkCalendar()
        self.kommuner = kommuner
        self.people: list[_Person] = []
        self.cpr_counts: dict[tuple[date, bool], int] = {}
        codes = [k.code for k in kommuner]
        home = [k.code for k in kommuner if k.region == HOME_REGION]
        weights = {c: (45.0 if c == "101" else 6.0 if c == "147" else 1.45 if c in home else 0.15) for c in codes}
        self.kommune_codes, self.kommune_weights = codes, [weights[c] for c in codes]
        self.home_codes = home or codes

    # -- people ------------------------------------------------------------------------------------
    def new_person(self) -> _Person:
        rng = self.rng
        female = rng.random() < 0.48
        while True:  # adults 18–84, median ~40; a birth date has ~45 demo numbers per sex
            age = rng.gauss(40, 14)
            born = self.today - timedelta(days=int(age * 365.25))
            key = (born, female)
            index = self.cpr_counts.get(key, 0)
            if 18.2 <= age <= 84 and index < 40:
                break
        self.cpr_counts[key] = index + 1
        person = _Person(
            order=len(self.people),
            female=female,
            born=born,
            given_name=rng.choice(FEMALE if female else MALE),
            family_name=rng.choice(FAMILY),
            kommune=rng.choices(self.kommune_codes, self.kommune_weights)[0],
            traits={
                "homeless": rng.random() < 0.05,
                "botilbud": rng.random() < 0.07,
                "misbrug": rng.random() < 0.25,
                "children": rng.random() < 0.12,
                "lab_par6": rng.random() < 0.15,
            },
            cpr=synthetic_cpr(born, index, female=female),
        )
        self.people.append(person)
        return person

    def free_person(self, admitted: date, recent: bool) -> _Person | None:
        """A known patient free on ``admitted`` (readmission); within 30 days of discharge if ``recent``."""
        for _ in range(8):
            if not self.people:
                return None
            person = self.rng.choice(self.people[-120:] if recent else self.people)
            gap = (admitted - person.busy_until).days
            if gap > 0 and (not recent or gap <= 30):
                return person
        return None

    # -- one stay ----------------------------------------------------------------------------------
    def flags(self, person: _Person) -> tuple[AdmissionFlags, bool]:
        rng = self.rng
        flags = AdmissionFlags(
            **person.traits,
            retslig_foranstaltning=rng.random() < 0.04,
            wants_to_leave=rng.random() < 0.04,
            multiple_antipsychotics=rng.random() < 0.10,
        )
        involuntary = rng.random() < (0.3 if flags.botilbud else 0.13)
        return flags, involuntary

    def stay(self, plan: Plan, person: _Person, flags: AdmissionFlags, involuntary: bool) -> _Stay:
        stay = _Stay(plan, person, flags, involuntary)
        if flags.homeless:  # A5, B5: the opholdskommune receives the notifications
            stay.opholdskommune = "101" if self.rng.random() < 0.7 else self.rng.choice(self.home_codes)
            stay.handlekommune = stay.opholdskommune if self.rng.random() < 0.4 else None
        person.busy_until = plan.discharged or date.max
        return stay

    def history(self, years: int) -> list[_Stay]:
        rng, stays = self.rng, []
        start = self.today - timedelta(days=round(365.25 * years))
        per_day = HISTORY_PER_YEAR / 365.25
        day = start
        while day < self.today:
            for _ in range(_poisson(rng, per_day)):
                roll = rng.random()
                person = self.free_person(day, recent=True) if roll < 0.10 else None
                if person is None and roll < 0.30:
                    person = self.free_person(day, recent=False)
                person = person or self.new_person()
                flags, involuntary = self.flags(person)
                plan = history_plan(rng, self.cal, day, self.today, flags, involuntary)
                if plan is not None:
                    stays.append(self.stay(plan, person, flags, involuntary))
            day += timedelta(days=1)
        return stays

    def current(self, count: int) -> list[_Stay]:
        # Own random stream: the stages come out the same whatever the history (and so ``today``) is.
        self.rng = random.Random(f"{self.seed}:current")
        stays = []
        for i in range(count):
            copy, index = divmod(i, len(CURRENT_SPECS))
            spec = CURRENT_SPECS[index].copy(copy)
            shift = self.rng.randint(1, 6) if copy else 0
            admitted = admitted_on(spec, self.today, shift)
            person = self.free_person(admitted, recent=False) if self.rng.random() < 0.35 else None
            person = person or self.new_person()
            flags, involuntary = self.flags(person)
            for k, name in enumerate(FLAG_NAMES):  # every special group at least twice (test coverage)
                if i in ((3 * k + 1) % max(count, 1), (3 * k + 17) % max(count, 1)):
                    flags = replace(flags, **{name: True})
            flags = replace(flags, **dict.fromkeys(spec.flags, True), **dict.fromkeys(spec.not_flags, False))
            if i % 9 == 4:
                involuntary = True
            plan = current_plan(spec, self.rng, self.cal, self.today, shift, flags)
            stays.append(self.stay(plan, person, flags, involuntary))
        return stays

    def build(self, *, current: int, history_years: int, center: str, ward: str) -> DemoWard:
        stays = self.history(history_years) + self.current(current)
        for i, s in enumerate(stays):
            s.order = i
        stays.sort(key=lambda s: (s.plan.admitted, s.order))
        patient_ids: dict[int, int] = {}
        patients: list[Patient] = []
        admissions: list[Admission] = []
        consents: list[Consent] = []
        timed: list[_Timed] = []
        names = {k.code: k.name for k in self.kommuner}
        last_day = self.cal.previous_working_day(self.today - timedelta(days=1))
        for admission_id, s in enumerate(stays, start=1):
            p = s.person
            if p.order not in patient_ids:
                patient_ids[p.order] = len(patients) + 1
                patients.append(Patient(patient_ids[p.order], p.cpr, p.given_name, p.family_name))
            plan = s.plan
            if plan.discharged is None:  # a current admission: its sendings' consent and forms (F1)
                code = s.opholdskommune or p.kommune
                consent = consent_for(
                    admission_id=admission_id,
                    patient_id=patient_ids[p.order],
                    admitted=plan.admitted,
                    kommune=official_kommune_name(names.get(code, code)),
                    drafts=plan.drafts,
                    wants_to_leave=s.flags.wants_to_leave,
                    last_day=last_day,
                )
                describe(plan.drafts, consent, plan.scenario if plan.assessed else None)
                if consent is not None:
                    consents.append(consent)
            admissions.append(
                Admission(
                    id=admission_id,
                    patient_id=patient_ids[p.order],
                    center=center,
                    ward=ward,
                    admitted=plan.admitted,
                    bopaelskommune=p.kommune,
                    opholdskommune=s.opholdskommune,
                    handlekommune=s.handlekommune,
                    discharged=plan.discharged,
                    involuntary=s.involuntary,
                    expected_faerdigbehandlet=plan.expected,
                    scenario=plan.scenario if plan.assessed else None,
                    scenario_answers=answers(plan.scenario, plan.b5, plan.expected) if plan.assessed else {},
                    flags=s.flags,
                    demo=True,
                    plan_facts=plan.plan_facts,
                )
            )
            timed.extend(self.timed_events(admission_id, s))
        timed.sort(key=lambda t: t[:3])  # (moment, admission id, sequence)
        events = _number_events(timed)
        return DemoWard(patients, admissions, events, list(self.kommuner), center, ward, consents)

    def timed_events(self, admission_id: int, s: _Stay) -> list[_Timed]:
        rng = self.rng
        coordinator = rng.choice(COORDINATORS)
        recipient = s.opholdskommune or s.person.kommune
        out: list[_Timed] = []
        prev_day, minute, k = None, 0, 0
        for seq, d in enumerate(s.plan.drafts):
            k = k + 1 if d.day == prev_day else 0  # events earlier the same day
            minute = rng.randint(0, 150) if not k else min(minute + rng.randint(5, 45), 440 + k)
            prev_day = d.day
            user = coordinator if rng.random() < 0.8 else rng.choice(COORDINATORS)
            out.append(_Timed(office_moment(d.day, minute), admission_id, seq, d, user, recipient))
        return out


def _number_events(timed: list[_Timed]) -> list[Event]:
    ids = {id(t.draft): n for n, t in enumerate(timed, start=1)}
    events = []
    for n, t in enumerate(timed, start=1):
        d = t.draft
        data = dict(d.data)
        if d.invitation is not None:  # MEETING_HELD points at its invitation (C2–C4 clock)
            data["invitation_event_id"] = ids[id(d.invitation)]
        events.append(
            Event(
                id=n,
                admission_id=t.admission_id,
                kind=d.kind,
                occurred_at=t.moment,
                recorded_by=t.user,
                recipient_kommune=t.recipient if d.notify else None,
                channel=d.channel,
                note=d.note,
                data=data,
            )
        )
    return events


def office_moment(day: date, minutes_after_eight: int) -> datetime:
    """``day`` at 08:00 + minutes, Copenhagen time, as an aware UTC datetime."""
    local = datetime.combine(day, time(8, 0), tzinfo=COPENHAGEN) + timedelta(minutes=minutes_after_eight)
    return local.astimezone(UTC)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means of daily admissions."""
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


#: The demo's F3 entrances: synthetic secure-mail addresses under the reserved ``example`` domain, so a demo form
#: shows what a filled one looks like without naming a real mailbox.
DEMO_MAIL_DOMAIN = "kommune.example"


def demo_entrance(kommune: Kommune) -> Kommune:
    """``kommune`` with a synthetic secure mailbox when it is in the ward's own region and has none: the demo's forms
    carry an entrance as a real ward's do once its Kontaktbog is filled in. Kommuner outside the region keep none, so
    the send dialog's warning for a missing mailbox (F3) can be seen in the demo too."""
    if kommune.secure_mail or kommune.region != HOME_REGION:
        return kommune
    slug = kommune.name.lower()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), (" ", "-"), (".", "")):
        slug = slug.replace(danish, plain)
    return replace(kommune, secure_mail=f"sikkerpost.{slug}@{DEMO_MAIL_DOMAIN}")


def generate_demo_ward(
    today: date,
    *,
    seed: int = 2026,
    current: int = 40,
    history_years: int = 2,
    kommuner: list[Kommune] | None = None,
    center: str | None = None,
    ward: str | None = None,
) -> DemoWard:
    """A fresh demo ward as of ``today`` (see the module docstring). Deterministic in all arguments.

    By default the ward is the first ward of the first centre in ``centre.csv`` (the ward the app's
    status bar names in demo mode) and the kommuner are those of ``kommuner.csv``.
    """
    kommuner = [demo_entrance(k) for k in (kommuner if kommuner is not None else load_kommuner())]
    if center is None or ward is None:
        centres = load_centres()
        first = centres[0] if centres and centres[0].wards else None
        center = center or (first.name if first else DEMO_CENTER)
        ward = ward or (first.wards[0] if first else DEMO_WARD)
    generator = _Generator(today, seed, kommuner)
    return generator.build(current=current, history_years=history_years, center=center, ward=ward)
