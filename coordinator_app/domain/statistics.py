"""Statistik for a period and kommune (measure H; B4/B9, B5, C2–C4) — every figure names the admissions behind it.

The agreement asks for the numbers a ward and its kommuner argue about (H) but gives no formulas; these are the
definitions used here, chosen so each figure can be checked by hand and traced to its admissions (click-through):

* **Period** ``period_from``–``period_to``, both days included. **Kommune** of an admission: the kommune that
  receives the varsling/færdigmelding and pays for færdigmeldt bed days (B5) — the bopælskommune, for a homeless
  patient the last known opholdskommune (else the bopælskommune). The kommune filter keeps only its admissions.
* **Admissions in the period** (the population): admitted on or before ``period_to`` and not discharged before
  ``period_from`` — at least one day in the period. Dates are the admission's admitted/discharged dates.
* **Indlæggelser**: admitted in the period. **Udskrivninger**: discharged in the period.
* **Length of stay** (udskrivninger only): days from admission to discharge (midnights, as bed days are counted;
  same-day discharge = 0); median, mean and buckets 0–7, 8–14, 15–30, 31–60, 61–90, over 90 days.
* **Readmission within 30 days** (H): a discharge in the period after which the same patient has an admission
  whose admission date is 1–30 days after the discharge date (that admission may lie after the period). Share
  of the discharges; the ids are the discharged admissions that were followed by a readmission.
* **Varsling in time** (B5): the varsling deadline ``compute_deadlines`` gives each admission (the current round,
  after the last afmelding, B7) when its due day is in the period and it is decided — met, or overdue by
  ``today``. In time = the first varsling of the round was sent on or before the due day (met and not ``late``);
  never sent counts as not in time. Deadlines not yet reached do not count.
* **Færdigmeldinger with timely varsling** and **notice before færdigmelding** (B5): each (uncorrected)
  færdigmelding dated in the period, with the notice the kommune got as recorded on it when it was sent
  (``sending.faerdigmelding_notices``; worked out from the history for older ones). With timely varsling = the
  round (after the last afmelding, B7) had a varsling sent on or before its latest day; no varsling or a late one
  does not. The notice is the days from the varsling to the færdigmelding (0 without a varsling); median over the
  færdigmeldinger. Counts færdigmeldinger, not admissions.
* **Netværksmøde in time** (C2–C4): each invitation's deadline with its due day in the period, decided as above;
  in time = held on or before the 5th arbejdsdag after the invitation. Counts meetings, not admissions.
* **Discharge date announced in time** (B4/B9): ``deadlines.py`` has no dated B4/B9 deadline (the source says
  "så snart … kendskab til en udskrivningsdato"), so: of the discharges in the period that owe the kommune an
  orientering om udskrivning — scenario 1, or scenario 2/3 without a færdigmelding (B4; after a færdigmelding
  the kommune sets the pace, B5) — the share whose first orientering om udskrivning is dated *before* the
  discharge day, i.e. the kommune heard at least a day ahead. Sent on the day, after it, or never: not in time.
* **Discharged without a required plan** (E1/E2): of the discharges in the period whose admission required an
  udskrivningsaftale or koordinationsplan (``discharge_plans.requirement`` of its facts), those whose E1/E2
  deadline was not met by the discharge day — no plan in force when the patient left (the reason given is on the
  discharge event). A count; its basis is the discharges that required a plan.
* **Færdigmeldte sengedage and cost** (B5, §238): ``bed_days``' counting rule (one per midnight færdigmeldt, not
  i bero, the open period closing at ``today``), only the bed days dated in the period; each priced at its own
  year's rate with the bands numbered over the admission's whole færdigmelding (``BedDayRates``). A bed day
  with no rate for its year or earlier is counted as a day but not priced (``unpriced_days``).

An admission whose history cannot be replayed (``ProcessError``) still counts as admitted/discharged, but not in
the figures that read its events; its id is listed in ``unreadable_ids``. Pure domain: no Qt, no database.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from statistics import fmean, median
from typing import Any

from coordinator_app.domain.bed_days import BedDayRates, bed_day_dates
from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.discharge_plans import PLAN_RULES, requirement
from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import Admission, Deadline, DeadlineState, Event, EventKind
from coordinator_app.domain.process import effective_events, replay_effective
from coordinator_app.domain.rules import DEFAULT_SETTINGS, RuleSettings
from coordinator_app.domain.sending import faerdigmelding_notices
from coordinator_app.domain.special_groups import kommune_of, responsible_kommune
from coordinator_app.domain.workdays import WorkCalendar, local_date

__all__ = [
    "FIGURES",
    "STAY_BUCKETS",
    "Figure",
    "FigureKey",
    "FigureUnit",
    "KommuneCost",
    "Statistics",
    "StayBucket",
    "compute_statistics",
    "kommune_of",
    "responsible_kommune",
]

K = EventKind
READMISSION_DAYS = 30
#: Length-of-stay buckets (days, both ends included; ``None`` = no upper end).
STAY_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, None))
_MEETING_KINDS = frozenset({"netvaerksmoede", "netvaerksmoede_efter_udskrivning", "netvaerksmoede_ved_udskrivning"})
_DECIDED = (DeadlineState.MET, DeadlineState.OVERDUE)
#: Events without which an admission has no varsling (B5) or netværksmøde (C2–C4) deadline — unless on B5.
_DEADLINE_KINDS = frozenset({K.VARSLING, K.FAERDIGMELDING, K.MEETING_INVITED})


class FigureKey(StrEnum):
    ADMISSIONS = "admissions"
    DISCHARGES = "discharges"
    STAY_MEDIAN = "stay_median"
    STAY_MEAN = "stay_mean"
    READMISSIONS = "readmissions_30d"
    VARSLING_IN_TIME = "varsling_in_time"
    FAERDIGMELDT_WITH_NOTICE = "faerdigmeldt_with_notice"
    NOTICE_DAYS = "notice_days_median"
    MEETINGS_IN_TIME = "meetings_in_time"
    DISCHARGE_ANNOUNCED = "discharge_announced"
    DISCHARGED_WITHOUT_PLAN = "discharged_without_plan"
    BED_DAYS = "bed_days"
    BED_DAY_COST = "bed_day_cost"


class FigureUnit(StrEnum):
    COUNT = "antal"
    DAYS = "dage"
    SHARE = "andel"
    KRONER = "kr."


_STAY = "Udskrivninger i perioden: dage fra indlæggelse til udskrivning (antal midnatter)."
_NOT_YET = "Frister, der endnu ikke er nået, tæller ikke med."
#: Each figure's Danish label, rule ID, unit and definition; ``{varsling}``/``{meeting}`` are the rules' texts.
FIGURES: dict[FigureKey, tuple[str, str, FigureUnit, str]] = {
    FigureKey.ADMISSIONS: ("Indlæggelser", "H", FigureUnit.COUNT, "Indlæggelser med indlæggelsesdato i perioden."),
    FigureKey.DISCHARGES: ("Udskrivninger", "H", FigureUnit.COUNT, "Indlæggelser med udskrivningsdato i perioden."),
    FigureKey.STAY_MEDIAN: ("Indlæggelsestid, median", "H", FigureUnit.DAYS, _STAY),
    FigureKey.STAY_MEAN: ("Indlæggelsestid, gennemsnit", "H", FigureUnit.DAYS, _STAY),
    FigureKey.READMISSIONS: (
        "Genindlæggelser inden for 30 dage",
        "H",
        FigureUnit.SHARE,
        "Udskrivninger i perioden, hvor samme patient blev indlagt igen 1–30 dage efter udskrivningen.",
    ),
    FigureKey.VARSLING_IN_TIME: (
        "Varslinger sendt rettidigt",
        "B5",
        FigureUnit.SHARE,
        "Varslingsfrister ({varsling}) i perioden: varslingen sendt senest på fristdagen. " + _NOT_YET,
    ),
    FigureKey.FAERDIGMELDT_WITH_NOTICE: (
        "Færdigmeldinger med rettidig varsling",
        "B5",
        FigureUnit.SHARE,
        "Færdigmeldinger i perioden, hvor kommunen forinden fik en rettidig varsling (ikke ingen eller for sen "
        "varsling).",
    ),
    FigureKey.NOTICE_DAYS: (
        "Varsel før færdigmelding, median",
        "B5",
        FigureUnit.DAYS,
        "Færdigmeldinger i perioden: dage fra varslingen til færdigmeldingen (0 dage uden varsling).",
    ),
    FigureKey.MEETINGS_IN_TIME: (
        "Netværksmøder holdt rettidigt",
        "C2–C4",
        FigureUnit.SHARE,
        "Indkaldte netværksmøder med frist i perioden ({meeting}): mødet holdt senest på fristdagen. " + _NOT_YET,
    ),
    FigureKey.DISCHARGE_ANNOUNCED: (
        "Udskrivningsdato meldt ud i tide",
        "B4/B9",
        FigureUnit.SHARE,
        "Udskrivninger i perioden med pligt til orientering om udskrivning (scenarie 1, scenarie 2–3 uden "
        "færdigmelding): kommunen orienteret før udskrivningsdagen.",
    ),
    FigureKey.DISCHARGED_WITHOUT_PLAN: (
        "Udskrevet uden krævet aftale/plan",
        "E1/E2",
        FigureUnit.COUNT,
        "Udskrivninger i perioden, hvor en udskrivningsaftale eller koordinationsplan var krævet, men ikke var i "
        "kraft ved udskrivningen (begrundelsen står på udskrivningen i historikken).",
    ),
    FigureKey.BED_DAYS: (
        "Færdigmeldte sengedage",
        "B5",
        FigureUnit.DAYS,
        "Sengedage i perioden, hvor patienten var færdigmeldt (én pr. midnat; ikke i bero eller efter afmelding).",
    ),
    FigureKey.BED_DAY_COST: (
        "Betaling for færdigmeldte sengedage",
        "B5",
        FigureUnit.KRONER,
        "Kommunernes betaling for de færdigmeldte sengedage i perioden (sundhedsloven § 238).",
    ),
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One number. For a share ``value`` is numerator/denominator (``None`` when nothing was measured).

    ``numerator``/``denominator`` count the measured items (discharges, varslinger, meetings); the id tuples
    name the admissions they belong to, each once, sorted: ``admission_ids`` behind the value (the numerator
    of a share), ``denominator_ids`` behind the denominator.
    """

    key: FigureKey
    label: str  # Danish
    rule_id: str  # as docs/regler.md names them: "H", "B5", "C2–C4", "B4/B9"
    unit: FigureUnit
    value: int | float | Decimal | None
    admission_ids: tuple[int, ...]
    numerator: int | None = None
    denominator: int | None = None
    denominator_ids: tuple[int, ...] = ()
    definition: str = ""  # Danish, one sentence

    @property
    def is_share(self) -> bool:
        return self.unit is FigureUnit.SHARE


@dataclass(frozen=True, slots=True)
class StayBucket:
    low: int
    high: int | None
    count: int
    share: float | None  # of the discharges
    admission_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"Over {self.low - 1} dage" if self.high is None else f"{self.low}–{self.high} dage"


@dataclass(frozen=True, slots=True)
class KommuneCost:
    """One kommune's line (or the total, ``code == ""``): admissions and færdigmeldt bed days in the period."""

    code: str
    name: str
    admissions: int  # admitted in the period
    admission_ids: tuple[int, ...]
    faerdigmeldt_admissions: int  # with at least one færdigmeldt bed day in the period
    faerdigmeldt_ids: tuple[int, ...]
    bed_days: int
    cost: Decimal  # the priced bed days (§238)
    rate_years: tuple[int, ...]  # the rate table years used
    unpriced_days: int = 0  # bed days with no rate for their year or earlier


@dataclass(frozen=True)
class Statistics:
    period_from: date
    period_to: date
    today: date
    kommune_code: str | None  # the filter; None = every kommune
    kommune_name: str | None
    figures: tuple[Figure, ...]
    stay_distribution: tuple[StayBucket, ...]
    kommuner: tuple[KommuneCost, ...]
    total: KommuneCost
    rate_note: str = ""  # Danish: which bed-day rate was used and where it comes from
    unreadable_ids: tuple[int, ...] = ()
    _by_key: dict[FigureKey, Figure] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {f.key: f for f in self.figures})

    def figure(self, key: FigureKey | str) -> Figure:
        return self._by_key[FigureKey(key)]


@dataclass
class _Kommune:
    admitted: list[int] = field(default_factory=list)
    faerdigmeldt: list[int] = field(default_factory=list)
    bed_days: int = 0
    cost: Decimal = Decimal(0)
    unpriced: int = 0
    rate_years: set[int] = field(default_factory=set)

    def row(self, code: str, name: str) -> KommuneCost:
        return KommuneCost(
            code=code,
            name=name,
            admissions=len(self.admitted),
            admission_ids=tuple(sorted(self.admitted)),
            faerdigmeldt_admissions=len(self.faerdigmeldt),
            faerdigmeldt_ids=tuple(sorted(self.faerdigmeldt)),
            bed_days=self.bed_days,
            cost=self.cost,
            rate_years=tuple(sorted(self.rate_years)),
            unpriced_days=self.unpriced,
        )

    def add(self, other: _Kommune) -> None:
        self.admitted += other.admitted
        self.faerdigmeldt += other.faerdigmeldt
        self.bed_days += other.bed_days
        self.cost += other.cost
        self.unpriced += other.unpriced
        self.rate_years |= other.rate_years


@dataclass
class _Share:
    """Numerator and denominator of a share, with the admissions behind each."""

    hits: int = 0
    total: int = 0
    hit_ids: set[int] = field(default_factory=set)
    all_ids: set[int] = field(default_factory=set)

    def count(self, admission_id: int, hit: bool) -> None:
        self.total += 1
        self.all_ids.add(admission_id)
        if hit:
            self.hits += 1
            self.hit_ids.add(admission_id)

    def parts(self) -> dict[str, Any]:
        """The share's ``Figure`` fields."""
        return {
            "value": self.hits / self.total if self.total else None,
            "ids": self.hit_ids,
            "numerator": self.hits,
            "denominator": self.total,
            "denominator_ids": tuple(sorted(self.all_ids)),
        }


class _Readmissions:
    """Each patient's admission dates, to find an admission 1–30 days after a discharge."""

    def __init__(self, admissions: Iterable[Admission]) -> None:
        by_patient: dict[int, list[tuple[date, int]]] = {}
        for a in admissions:
            by_patient.setdefault(a.patient_id, []).append((a.admitted, a.id or 0))
        self._by_patient = {p: sorted(v) for p, v in by_patient.items()}

    def after(self, admission: Admission, discharged: date) -> bool:
        later = self._by_patient.get(admission.patient_id, [])
        first, last = discharged + timedelta(days=1), discharged + timedelta(days=READMISSION_DAYS)
        for admitted, admission_id in later[bisect_left(later, (first, -1)) :]:
            if admitted > last:
                return False
            if admission_id != admission.id:
                return True
        return False


@dataclass
class _Tally:
    period_from: date
    period_to: date
    today: date
    rates: BedDayRates
    admitted: list[int] = field(default_factory=list)
    discharged: list[int] = field(default_factory=list)
    stays: list[tuple[int, int]] = field(default_factory=list)  # (days, admission id)
    readmitted: _Share = field(default_factory=_Share)
    varsling: _Share = field(default_factory=_Share)
    meetings: _Share = field(default_factory=_Share)
    announced: _Share = field(default_factory=_Share)
    without_plan: _Share = field(default_factory=_Share)  # E1/E2: hits = left without it, of those requiring one
    noticed: _Share = field(default_factory=_Share)  # færdigmeldinger after a timely varsling (B5)
    notice_days: list[tuple[int, int]] = field(default_factory=list)  # (days of notice, admission id) (B5)
    kommuner: dict[str, _Kommune] = field(default_factory=dict)
    unreadable: list[int] = field(default_factory=list)

    def within(self, day: date | None) -> bool:
        return day is not None and self.period_from <= day <= self.period_to

    def deadlines(self, admission_id: int, deadlines: Sequence[Deadline]) -> None:
        for d in deadlines:
            if d.state not in _DECIDED or not self.within(d.due):
                continue
            in_time = d.met_on is not None and not d.late
            if d.kind == "varsling":
                self.varsling.count(admission_id, in_time)
            elif d.kind in _MEETING_KINDS:
                self.meetings.count(admission_id, in_time)

    def announcement(self, admission: Admission, history: Sequence[Event]) -> None:
        """B4/B9: orientering om udskrivning before the discharge day (see the module docstring)."""
        assert admission.id is not None and admission.discharged is not None
        if admission.scenario not in (1, 2, 3) or any(e.kind is K.FAERDIGMELDING for e in history):
            return
        sent = next((local_date(e.occurred_at) for e in history if e.kind is K.ORIENTERING_UDSKRIVNING), None)
        self.announced.count(admission.id, sent is not None and sent < admission.discharged)

    def plan_at_discharge(self, admission: Admission, deadlines: Sequence[Deadline]) -> None:
        """E1/E2: the required plan in force by the discharge day (see the module docstring)."""
        assert admission.id is not None and admission.discharged is not None
        rules = set(PLAN_RULES.values())
        found = next((d for d in deadlines if d.rule_id in rules), None)
        if found is not None:
            self.without_plan.count(admission.id, found.met_on is None or found.met_on > admission.discharged)

    def notices(self, admission: Admission, raw: Sequence[Event], cal: WorkCalendar, settings: RuleSettings) -> None:
        """B5: each færdigmelding in the period and the notice the kommune got before it."""
        assert admission.id is not None
        for event, notice in faerdigmelding_notices(admission, raw, cal, settings):
            if self.within(local_date(event.occurred_at)):
                self.noticed.count(admission.id, not notice.short)
                self.notice_days.append((notice.notice_days, admission.id))

    def bed_days(self, admission_id: int, days: Sequence[date], line: _Kommune) -> None:
        counted = 0
        for number, day in enumerate(days, start=1):
            if not self.within(day):
                continue
            counted += 1
            try:
                rate_year, band = self.rates.amount(day.year, number)
            except ValidationError:
                line.unpriced += 1
                continue
            line.cost += band.amount
            line.rate_years.add(rate_year)
        if counted:
            line.bed_days += counted
            line.faerdigmeldt.append(admission_id)


def compute_statistics(
    admissions: Iterable[Admission],
    events: Mapping[int, Sequence[Event]],
    period_from: date,
    period_to: date,
    *,
    cal: WorkCalendar,
    today: date,
    rates: BedDayRates,
    kommune: str | None = None,
    kommune_names: Mapping[str, str] | None = None,
    settings: RuleSettings | None = None,
    rate_note: str = "",
) -> Statistics:
    """The figures for ``period_from``–``period_to`` (definitions in the module docstring).

    ``admissions`` may hold more than the period's: all of them are searched for readmissions (so pass the
    patients' admissions up to 30 days after the period). ``events`` maps admission id → its events and is
    needed only for the admissions in the period. ``ValidationError`` when the period is reversed.
    """
    if period_from > period_to:
        raise ValidationError("Periodens startdato ligger efter slutdatoen.", field="period_from", rule="H")
    settings = settings or DEFAULT_SETTINGS
    everyone = [a for a in admissions if a.id is not None]
    readmissions = _Readmissions(everyone)
    tally = _Tally(period_from, period_to, today, rates)
    for a in everyone:
        if a.admitted > period_to or (a.discharged is not None and a.discharged < period_from):
            continue
        code = responsible_kommune(a)
        if kommune is not None and code != kommune:
            continue
        _count(tally, a, code, events.get(a.id or 0, ()), readmissions, cal, settings)
    return _result(tally, kommune, kommune_names or {}, settings, rate_note)


def _count(
    tally: _Tally,
    a: Admission,
    code: str,
    raw: Sequence[Event],
    readmissions: _Readmissions,
    cal: WorkCalendar,
    settings: RuleSettings,
) -> None:
    assert a.id is not None
    line = tally.kommuner.setdefault(code, _Kommune())
    if tally.within(a.admitted):
        tally.admitted.append(a.id)
        line.admitted.append(a.id)
    discharged_in_period = tally.within(a.discharged)
    if discharged_in_period:
        assert a.discharged is not None
        tally.discharged.append(a.id)
        tally.stays.append(((a.discharged - a.admitted).days, a.id))
        tally.readmitted.count(a.id, readmissions.after(a, a.discharged))
    history = effective_events(raw)
    kinds = {e.kind for e in history}
    needs_plan = discharged_in_period and requirement(a.plan_facts).required  # E1/E2
    deadlines: list[Deadline] = []
    try:
        if kinds & _DEADLINE_KINDS or _may_be_b5(a, history) or needs_plan:
            deadlines = compute_deadlines(a, raw, cal, tally.today, settings)
            tally.deadlines(a.id, deadlines)
        if K.FAERDIGMELDING in kinds:
            tally.notices(a, raw, cal, settings)
            tally.bed_days(a.id, bed_day_dates(replay_effective(a, history), tally.today), line)
    except ProcessError:
        tally.unreadable.append(a.id)
        return
    if discharged_in_period:
        tally.announcement(a, history)
        if needs_plan:
            tally.plan_at_discharge(a, deadlines)


def _may_be_b5(admission: Admission, history: Sequence[Event]) -> bool:
    """Could an assessment put the admission on the B5 branch (a varsling deadline without any varsling)?

    A cheap superset of ``deadlines``' own reading: only an explicit ``branch: "B5"`` or
    ``can_discharge_before_support: False`` in the answers chooses B5 (the answers default to B4).
    """
    answers = [admission.scenario_answers, *(e.data for e in history if e.kind is K.SCENARIO_ASSESSED)]
    for data in answers:
        can = data.get("can_discharge_before_support")
        if data.get("branch") == "B5" or (can is not None and not can):
            return True
    return False


def _result(
    tally: _Tally,
    kommune: str | None,
    names: Mapping[str, str],
    settings: RuleSettings,
    rate_note: str,
) -> Statistics:
    stays = [days for days, _ in tally.stays]
    notices = [days for days, _ in tally.notice_days]
    total = _Kommune()
    rows = []
    for code, line in tally.kommuner.items():
        total.add(line)
        if line.admitted or line.bed_days or line.unpriced:
            rows.append(line.row(code, names.get(code, code)))
    rows.sort(key=lambda r: (r.name.casefold(), r.code))
    total_row = total.row("", "I alt")
    texts = {
        "varsling": settings.rule("varsling").description.lower(),
        "meeting": settings.rule("netvaerksmoede").description.lower(),
    }
    values: dict[FigureKey, dict[str, Any]] = {
        FigureKey.ADMISSIONS: {"value": len(tally.admitted), "ids": tally.admitted},
        FigureKey.DISCHARGES: {"value": len(tally.discharged), "ids": tally.discharged},
        FigureKey.STAY_MEDIAN: {"value": median(stays) if stays else None, "ids": tally.discharged},
        FigureKey.STAY_MEAN: {"value": fmean(stays) if stays else None, "ids": tally.discharged},
        FigureKey.READMISSIONS: tally.readmitted.parts(),
        FigureKey.VARSLING_IN_TIME: tally.varsling.parts(),
        FigureKey.FAERDIGMELDT_WITH_NOTICE: tally.noticed.parts(),
        FigureKey.NOTICE_DAYS: {
            "value": median(notices) if notices else None,
            "ids": {i for _, i in tally.notice_days},
            "denominator": len(notices),  # the færdigmeldinger the median is taken over (an admission may have more)
        },
        FigureKey.MEETINGS_IN_TIME: tally.meetings.parts(),
        FigureKey.DISCHARGE_ANNOUNCED: tally.announced.parts(),
        FigureKey.DISCHARGED_WITHOUT_PLAN: {**tally.without_plan.parts(), "value": tally.without_plan.hits},
        FigureKey.BED_DAYS: {"value": total_row.bed_days, "ids": total_row.faerdigmeldt_ids},
        FigureKey.BED_DAY_COST: {"value": total_row.cost, "ids": total_row.faerdigmeldt_ids},
    }
    figures = []
    for key, (label, rule_id, unit, definition) in FIGURES.items():
        parts = dict(values[key])
        ids = tuple(sorted(parts.pop("ids")))
        figures.append(
            Figure(key, label, rule_id, unit, admission_ids=ids, definition=definition.format(**texts), **parts)
        )
    return Statistics(
        period_from=tally.period_from,
        period_to=tally.period_to,
        today=tally.today,
        kommune_code=kommune,
        kommune_name=names.get(kommune, kommune) if kommune is not None else None,
        figures=tuple(figures),
        stay_distribution=_distribution(tally.stays),
        kommuner=tuple(rows),
        total=total_row,
        rate_note=rate_note,
        unreadable_ids=tuple(sorted(tally.unreadable)),
    )


def _distribution(stays: Sequence[tuple[int, int]]) -> tuple[StayBucket, ...]:
    out = []
    for low, high in STAY_BUCKETS:
        ids = sorted(i for days, i in stays if days >= low and (high is None or days <= high))
        out.append(StayBucket(low, high, len(ids), len(ids) / len(stays) if stays else None, tuple(ids)))
    return tuple(out)
