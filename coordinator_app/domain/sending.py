"""What the agreement asks of a notification before it is sent: the scenario-aware layer over ``process``.

``process`` knows the order of the events (a færdigmelding after a varsling, an afmelding only when færdigmeldt).
This module knows what the admission's current scenario assessment (``scenarios.current_assessment``) allows, and
the B5 facts a varsling and a færdigmelding carry:

* **Scenario** (B1, B4, B5). Varsling and færdigmelding belong to the B5 branch of scenarios 2 and 3 (the patient
  cannot be discharged before the kommune's indsats is in place). Scenario 1 ("Der sker ikke varsling", B1), the
  B4 branch ("sker der ikke varsling og færdigmelding"), "intet scenarie" (no indsats, no need: B1–B5 ask nothing)
  and an admission not assessed yet are refused, naming the rule and telling the coordinator to assess the
  scenario (again, if the situation changed). Orientering (A1, B1–B3), orientering om udskrivning (B4, B9), i bero,
  genoptag and afmelding (B6, B7) and the discharge follow the process alone; B8's consent gate is the services'
  (F1). The history is never judged by this layer: an old varsling stays readable when the assessment changes.
* **Varsling** (B5) needs the expected færdigbehandlet date and who judged it – færdigbehandlet is always a medical
  judgement. Sent after the latest varsling day it is allowed, and marked late with the days it came too late
  (``VarslingTiming``).
* **Færdigmelding** (B5) needs the doctor who judged the patient færdigbehandlet and the day of that judgement. It
  warns, and never refuses, when the current round (after the last afmelding, B7) has no varsling or the varsling
  was late, saying how many days of notice the kommune got (``Notice``); before the expected færdigbehandlet day
  it needs the coordinator's explicit confirmation (``confirmed_early``).

The facts are recorded on the event as ``data["b5"]`` when it is sent (``VarslingTiming.record``,
``Notice.record``); ``notice_lines`` turns that record into the Danish lines the history shows, and
``faerdigmelding_notices`` reads every færdigmelding's notice back (Færdigmeldte, Statistik) – from the record, or
worked out from the history for færdigmeldinger recorded before the record existed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import Admission, Event, EventKind
from coordinator_app.domain.process import ProcessState, allowed_actions, check_transition, effective_events
from coordinator_app.domain.rules import RuleSettings, milestone_label
from coordinator_app.domain.scenarios import Assessment, current_assessment, varsling_due
from coordinator_app.domain.workdays import WorkCalendar, local_date

K = EventKind
#: The kinds the scenario decides (B5); everything else follows the process alone.
B5_SENDS = frozenset({K.VARSLING, K.FAERDIGMELDING})
RECORD = "b5"  # the key of the facts in ``Event.data``
AGAIN = "Vurder scenarie igen, hvis situationen har ændret sig."


def _day(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


def _notice(n: int) -> str:
    """The notice the kommune got, in Danish: "1 dags varsel", "5 dages varsel"."""
    return f"{n} dags varsel" if n == 1 else f"{n} dages varsel"


# -- the scenario (B1, B4, B5) ---------------------------------------------------------------------------------------


def scenario_refusal(assessment: Assessment, kind: EventKind) -> tuple[str, str] | None:
    """Why the current assessment does not allow ``kind`` – (Danish reason, rule ID) – or ``None`` when it does."""
    if kind not in B5_SENDS or assessment.branch == "B5":
        return None
    what = "Varsling" if kind is K.VARSLING else "Færdigmelding"
    if not assessment.assessed:
        return (
            f"Scenariet er ikke vurderet. {what} hører til scenarie 2 og 3, når patienten ikke kan udskrives, før "
            "den kommunale indsats er på plads (B5). Vurder scenarie først.",
            "B5",
        )
    if assessment.scenario == 1:
        sends = "der varsles ikke" if kind is K.VARSLING else "der varsles og færdigmeldes ikke"
        return (
            f"Scenarie 1 (uændret behov): kommunen orienteres ved indlæggelsen og om udskrivningen; {sends} (B1). "
            + AGAIN,
            "B1",
        )
    if assessment.scenario in (2, 3) and assessment.branch is None:  # answers without the B4/B5 question
        return (
            f"Scenarie {assessment.scenario} er vurderet uden svar på, om patienten kan udskrives, før den kommunale "
            f"indsats er på plads. {what} hører til B5-sporet (B5). " + AGAIN,
            "B5",
        )
    if assessment.branch == "B4":
        return (
            "Patienten kan udskrives, før den kommunale indsats er på plads: ingen varsling og ingen færdigmelding "
            "– orientér kommunen om udskrivningen (B4). " + AGAIN,
            "B4",
        )
    return (
        "Intet scenarie (ingen kommunal indsats og intet forventet behov): kommunen varsles og færdigmeldes ikke "
        "(B5). " + AGAIN,
        "B5",
    )


def contact_refusal(state: ProcessState) -> str | None:
    """B2/B3: a contact with the kommune (a NOTE with the milestone ``kommune_kontakt``) is logged while the patient
    is admitted – the duty is to contact the kommune before the discharge; ``None`` when it may be logged."""
    if state.is_discharged:
        return (
            "Patienten er udskrevet. Kontakt med kommunen om behovet ved udskrivningen (B2/B3) registreres under "
            "indlæggelsen."
        )
    return None


def send_refusals(state: ProcessState, assessment: Assessment) -> dict[EventKind, str | None]:
    """Every event kind → ``None`` if it may be sent now, else the Danish reason (a disabled action's tooltip):
    the process's reason first, then the scenario's. A NOTE is the Send menu's contact with the kommune
    (``contact_refusal``)."""
    reasons = allowed_actions(state)
    reasons[K.NOTE] = reasons[K.NOTE] or contact_refusal(state)
    for kind in B5_SENDS:
        if reasons[kind] is None and (refusal := scenario_refusal(assessment, kind)) is not None:
            reasons[kind] = refusal[0]
    return reasons


def check_send(state: ProcessState, assessment: Assessment, kind: EventKind, on: date) -> None:
    """``process.check_transition``, then the scenario: ``ProcessError`` naming the rule when ``kind`` may not be
    sent on ``on``."""
    check_transition(state, kind, on)
    refusal = scenario_refusal(assessment, kind)
    if refusal is not None:
        raise ProcessError(refusal[0], rule=refusal[1])


# -- the expected færdigbehandlet date of the current round (B5, B7) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpectedDate:
    """The expected færdigbehandlet day of the current round and the doctor who judged it (``""``: not known)."""

    day: date | None
    judged_by: str = ""


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _expected_in(admission: Admission, history: Sequence[Event], assessment: Assessment | None) -> ExpectedDate:
    """As ``deadlines`` reads it: the latest judgement since the last afmelding (B7: a new round needs a new date);
    without an afmelding also the admission's date, else the date given with the scenario answers."""
    afmeldt = [i for i, e in enumerate(history) if e.kind is K.AFMELDING]
    start = afmeldt[-1] if afmeldt else -1
    for event in reversed(history[start + 1 :]):
        if event.kind is K.EXPECTED_FAERDIGBEHANDLET and (day := _iso(event.data.get("date"))) is not None:
            return ExpectedDate(day, str(event.data.get("by") or "").strip())
    if start >= 0:
        return ExpectedDate(None)
    day = admission.expected_faerdigbehandlet or (assessment.expected if assessment else None)
    return ExpectedDate(day)


def current_expected(admission: Admission, events: Iterable[Event]) -> ExpectedDate:
    """The expected færdigbehandlet day the B5 deadlines are counted from now, and who judged it."""
    history = effective_events(events)
    return _expected_in(admission, history, current_assessment(admission, history))


# -- the varsling (B5) ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VarslingTiming:
    """A varsling sent on ``sent_on`` for the expected færdigbehandlet day ``expected`` (judged by ``judged_by``),
    whose latest day was ``due``."""

    sent_on: date
    expected: date
    due: date
    judged_by: str = ""

    @property
    def days_late(self) -> int:
        return max(0, (self.sent_on - self.due).days)

    @property
    def late(self) -> bool:
        return self.days_late > 0

    @property
    def notice_days(self) -> int:
        """Days of notice before the expected færdigbehandlet day (none when sent on or after it)."""
        return max(0, (self.expected - self.sent_on).days)

    def warning(self) -> str | None:
        """The Danish warning for a late varsling, ``None`` when it is in time."""
        if not self.late:
            return None
        return (
            f"Varslingen er for sen: seneste varslingsdag var {_day(self.due)} (forventet færdigbehandlet "
            f"{_day(self.expected)}). Kommunen får {_notice(self.notice_days)} – {_days(self.days_late)} for "
            "sent (B5). Den kan sendes og markeres som for sen."
        )

    def record(self) -> dict[str, Any]:
        return {
            "expected": self.expected.isoformat(),
            "expected_by": self.judged_by,
            "due": self.due.isoformat(),
            "days_late": self.days_late,
            "notice_days": self.notice_days,
        }

    @classmethod
    def from_record(cls, sent_on: date, data: Mapping[str, Any]) -> VarslingTiming | None:
        expected, due = _iso(data.get("expected")), _iso(data.get("due"))
        if expected is None or due is None:
            return None
        return cls(sent_on, expected, due, str(data.get("expected_by") or ""))


def varsling_timing(
    expected: ExpectedDate, sent_on: date, cal: WorkCalendar, settings: RuleSettings | None = None
) -> VarslingTiming:
    """The varsling's timing; ``ValidationError`` (B5) when the expected date or who judged it is missing."""
    if expected.day is None:
        raise ValidationError(
            "Varslingen kræver en forventet færdigbehandlet-dato: angiv den dag, lægen forventer, at patienten er "
            "færdigbehandlet (B5).",
            field="expected_faerdigbehandlet",
            rule="B5",
        )
    if not expected.judged_by.strip():
        raise ValidationError(
            "Angiv den læge, der har vurderet den forventede færdigbehandlet-dato – det er altid en lægelig "
            "vurdering (B5).",
            field="expected_judged_by",
            rule="B5",
        )
    due = varsling_due(expected.day, cal, settings)
    assert due is not None
    return VarslingTiming(sent_on, expected.day, due, expected.judged_by.strip())


# -- the færdigmelding (B5) ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Notice:
    """What the kommune had been told when a færdigmelding was sent on ``faerdigmeldt_on``: the varsling of the
    round (``None``: none), the varsling's latest day and the expected færdigbehandlet day at the time (``None``:
    no date), and the doctor's judgement."""

    faerdigmeldt_on: date
    varslet_on: date | None
    varsling_due: date | None
    expected: date | None
    judged_by: str = ""
    judged_on: date | None = None
    confirmed_early: bool = False

    @property
    def notice_days(self) -> int:
        """Days between the varsling and the færdigmelding: the notice the kommune got (0 without a varsling)."""
        return (self.faerdigmeldt_on - self.varslet_on).days if self.varslet_on is not None else 0

    @property
    def no_varsling(self) -> bool:
        return self.varslet_on is None

    @property
    def varsling_late(self) -> bool:
        return self.varslet_on is not None and self.varsling_due is not None and self.varslet_on > self.varsling_due

    @property
    def short(self) -> bool:
        """No varsling, or a late one: the warning (B5)."""
        return self.no_varsling or self.varsling_late

    @property
    def days_early(self) -> int:
        """Days before the expected færdigbehandlet day (0 on or after it, or without one)."""
        return max(0, (self.expected - self.faerdigmeldt_on).days) if self.expected is not None else 0

    def warnings(self) -> tuple[str, ...]:
        """The Danish warnings before sending: no varsling, or a late one, with the days of notice (B5)."""
        if self.no_varsling:
            return (
                "Der er ikke sendt en varsling: kommunen får ingen varsel (0 dage) før færdigmeldingen (B5). "
                "Færdigmeldingen kan sendes; det registreres på den.",
            )
        if self.varsling_late:
            assert self.varslet_on is not None and self.varsling_due is not None
            return (
                f"Varslingen blev sendt for sent ({_day(self.varslet_on)}; seneste varslingsdag var "
                f"{_day(self.varsling_due)}): kommunen har fået {_notice(self.notice_days)} før "
                "færdigmeldingen (B5). Færdigmeldingen kan sendes; det registreres på den.",
            )
        return ()

    def early_question(self) -> str | None:
        """What the coordinator confirms before a færdigmelding ahead of the expected day; ``None`` when not early."""
        if not self.days_early:
            return None
        assert self.expected is not None
        return (
            f"Færdigmeldingen ligger {_days(self.days_early)} før den forventede færdigbehandlet-dato "
            f"{_day(self.expected)}. Er patienten efter lægelig vurdering færdigbehandlet nu (B5)?"
        )

    def short_text(self) -> str:
        """The notice in a table cell: "8 dage", "⚠ Ingen varsling" (0 days), "⚠ 5 dage, for sen" (a late varsling)."""
        if self.no_varsling:
            return "⚠ Ingen varsling"
        if self.varsling_late:
            return f"⚠ {_days(self.notice_days)}, for sen"
        return _days(self.notice_days)

    def lines(self) -> tuple[str, ...]:
        """The Danish lines the history and the Færdigmeldte tooltip show."""
        out = []
        if self.judged_by:
            on = f", {_day(self.judged_on)}" if self.judged_on else ""
            out.append(f"Lægelig vurdering: {self.judged_by}{on}")
        if self.no_varsling:
            out.append("⚠ Ingen varsling sendt – kommunen fik ingen varsel (0 dage) før færdigmeldingen (B5)")
        elif self.varsling_late:
            assert self.varslet_on is not None and self.varsling_due is not None
            out.append(
                f"⚠ Varslet for sent ({_day(self.varslet_on)}; seneste varslingsdag {_day(self.varsling_due)}) – "
                f"kommunen fik {_notice(self.notice_days)} (B5)"
            )
        else:
            assert self.varslet_on is not None
            out.append(f"Varslet {_day(self.varslet_on)} – kommunen fik {_notice(self.notice_days)} (B5)")
        if self.days_early:
            assert self.expected is not None
            confirmed = " – bekræftet af koordinatoren" if self.confirmed_early else ""
            out.append(
                f"Færdigmeldt {_days(self.days_early)} før forventet færdigbehandlet ({_day(self.expected)}){confirmed}"
            )
        return tuple(out)

    def record(self) -> dict[str, Any]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d is not None else None

        return {
            "judged_by": self.judged_by,
            "judged_on": iso(self.judged_on),
            "varslet_on": iso(self.varslet_on),
            "varsling_due": iso(self.varsling_due),
            "expected": iso(self.expected),
            "notice_days": self.notice_days,
            "no_varsling": self.no_varsling,
            "varsling_late": self.varsling_late,
            "days_early": self.days_early,
            "confirmed_early": self.confirmed_early,
        }

    @classmethod
    def from_record(cls, faerdigmeldt_on: date, data: Mapping[str, Any]) -> Notice:
        return cls(
            faerdigmeldt_on=faerdigmeldt_on,
            varslet_on=_iso(data.get("varslet_on")),
            varsling_due=_iso(data.get("varsling_due")),
            expected=_iso(data.get("expected")),
            judged_by=str(data.get("judged_by") or ""),
            judged_on=_iso(data.get("judged_on")),
            confirmed_early=bool(data.get("confirmed_early")),
        )


def _round_notice(
    admission: Admission,
    before: Sequence[Event],
    on: date,
    cal: WorkCalendar,
    settings: RuleSettings | None,
    assessment: Assessment | None,
) -> Notice:
    """The notice of a færdigmelding on ``on`` after the effective history ``before`` (oldest first)."""
    afmeldt = [i for i, e in enumerate(before) if e.kind is K.AFMELDING]
    start = afmeldt[-1] if afmeldt else -1
    varslet = next((local_date(e.occurred_at) for e in before[start + 1 :] if e.kind is K.VARSLING), None)
    expected = _expected_in(admission, before, assessment).day
    return Notice(on, varslet, varsling_due(expected, cal, settings), expected)


def faerdigmelding_notice(
    admission: Admission,
    events: Iterable[Event],
    on: date,
    cal: WorkCalendar,
    settings: RuleSettings | None = None,
) -> Notice:
    """The notice the kommune gets from a færdigmelding sent on ``on`` after the admission's history (the warning
    and early question before sending; the judgement is the sender's to add)."""
    history = effective_events(events)
    return _round_notice(admission, history, on, cal, settings, current_assessment(admission, history))


def check_judgement(judged_by: str, judged_on: date | None, faerdigmeldt_on: date, admitted: date) -> None:
    """B5: færdigbehandlet is a doctor's judgement – who and when; ``ValidationError`` when missing or impossible."""
    if not judged_by.strip():
        raise ValidationError(
            "Angiv den læge, der har vurderet, at patienten er færdigbehandlet – færdigmelding sker efter en "
            "lægelig vurdering (B5).",
            field="judged_by",
            rule="B5",
        )
    if judged_on is None:
        raise ValidationError("Angiv datoen for lægens vurdering (B5).", field="judged_on", rule="B5")
    if judged_on > faerdigmeldt_on:
        raise ValidationError(
            f"Lægens vurdering ({_day(judged_on)}) ligger efter færdigmeldingen ({_day(faerdigmeldt_on)}). "
            "Færdigmeld, når patienten er vurderet færdigbehandlet (B5).",
            field="judged_on",
            rule="B5",
        )
    if judged_on < admitted:
        raise ValidationError(
            f"Lægens vurdering ({_day(judged_on)}) ligger før indlæggelsesdatoen {_day(admitted)} (B5).",
            field="judged_on",
            rule="B5",
        )


def check_early(notice: Notice) -> None:
    """A færdigmelding before the expected day needs the coordinator's confirmation (``Notice.confirmed_early``)."""
    question = notice.early_question()
    if question is not None and not notice.confirmed_early:
        raise ValidationError(
            question + " Bekræft færdigmeldingen for at sende den.",
            field="confirmed_early",
            rule="B5",
        )


def faerdigmelding_notices(
    admission: Admission,
    events: Iterable[Event],
    cal: WorkCalendar,
    settings: RuleSettings | None = None,
) -> list[tuple[Event, Notice]]:
    """Every (uncorrected) færdigmelding with its notice, oldest first: as recorded when it was sent, else worked
    out from the history before it (færdigmeldinger recorded before the record existed)."""
    history = effective_events(events)
    assessment: Assessment | None = None
    out = []
    for i, event in enumerate(history):
        if event.kind is not K.FAERDIGMELDING:
            continue
        on = local_date(event.occurred_at)
        recorded = event.data.get(RECORD) if event.data else None
        if isinstance(recorded, Mapping):
            out.append((event, Notice.from_record(on, recorded)))
            continue
        if assessment is None:
            assessment = current_assessment(admission, history)
        out.append((event, _round_notice(admission, history[:i], on, cal, settings, assessment)))
    return out


def notice_lines(event: Event) -> tuple[str, ...]:
    """The Danish lines an event's B5 record adds in the history: the judgement and the notice of a færdigmelding,
    the expected date, who judged it and the late mark of a varsling; and for a milestone note what it records, with
    its rule (``rules.milestone_label``: "Kontakt med kommunen (B2/B3)", "Epikrise sendt til egen læge (D1)"). Empty
    without a record."""
    if event.kind is K.NOTE and event.data and (label := milestone_label(event.data.get("milestone"))) is not None:
        return (label,)
    recorded = event.data.get(RECORD) if event.data else None
    if not isinstance(recorded, Mapping):
        return ()
    on = local_date(event.occurred_at)
    if event.kind is K.FAERDIGMELDING:
        return Notice.from_record(on, recorded).lines()
    if event.kind is K.VARSLING:
        timing = VarslingTiming.from_record(on, recorded)
        if timing is None:
            return ()
        by = f" (vurderet af {timing.judged_by})" if timing.judged_by else ""
        lines = [f"Forventet færdigbehandlet {_day(timing.expected)}{by}"]
        if timing.late:
            lines.append(
                f"⚠ For sen: sendt {_days(timing.days_late)} efter seneste varslingsdag {_day(timing.due)} – "
                f"kommunen fik {_notice(timing.notice_days)} (B5)"
            )
        return tuple(lines)
    return ()
