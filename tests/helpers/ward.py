"""The synthetic ward the service and command-line tests set up through the services: a context with a frozen clock,
the admitted patient (Testa Fiktivsen, synthetic CPR), her consent and varsling, a held netværksmøde, and numbered
events for ``bulk_load``.

Every factory takes keyword arguments for what tests vary; a test that relies on a value passes it, so a default
here never decides what a test checks. The defaults are the suite's most common ward: Afsnit 1, Psykiatrisk Center
København, admitted Monday 2 November 2026 and living in København (101), the clock at Monday 23 November 2026,
10:00 in Copenhagen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple, TypedDict, Unpack

from coordinator_app.domain.meetings import Meeting, MeetingContent, Occasion
from coordinator_app.domain.model import (
    AdmissionFlags,
    ConsentMethod,
    ConsentRecipient,
    Event,
    EventKind,
    PlanFacts,
)
from coordinator_app.domain.workdays import COPENHAGEN
from coordinator_app.services.admissions import AdmissionInput, AdmissionService
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.notifications import NotificationInput, NotificationService, SendResult
from coordinator_app.services.plans import PlanService
from coordinator_app.services.scenario import ScenarioAssessment, ScenarioService
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.storage.database import Database
from coordinator_app.storage.repositories import AdmissionRepository

#: Monday 23 November 2026, 10:00 in Copenhagen: the suite's usual "now".
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
#: Testa Fiktivsen's synthetic CPR number, as the admission dialog takes it (with the dash).
CPR = "010190-9909"

#: What ``admission_input`` and ``admit`` fill in unless told otherwise.
ADMISSION = AdmissionInput(
    cpr=CPR,
    given_name="Testa",
    family_name="Fiktivsen",
    bopaelskommune="101",
    center="Psykiatrisk Center København",
    ward="Afsnit 1",
    admitted=date(2026, 11, 2),
)


class AdmissionChanges(TypedDict, total=False):
    """The fields of ``AdmissionInput`` a test may change (keyword arguments of ``admission_input`` and ``admit``)."""

    cpr: str
    given_name: str
    family_name: str
    bopaelskommune: str
    center: str
    ward: str
    admitted: date | None
    replacement_cpr: bool
    address: str | None
    opholdskommune: str | None
    handlekommune: str | None
    discharged: date | None
    involuntary: bool
    expected_faerdigbehandlet: date | None
    flags: AdmissionFlags


class Admitted(NamedTuple):
    """The ids of an admitted patient: ``admitted.admission_id`` or ``patient_id, admission_id = admitted``."""

    patient_id: int
    admission_id: int


def service_context(
    database: Database, *, now: datetime = NOW, user: str | None = None, reference_data: bool = True
) -> ServiceContext:
    """A context on ``database`` whose clock stands still at ``now``, writing as ``user`` (left out: the context's own
    default, ``demo``), with the kommuner loaded (``ensure_reference_data``) unless ``reference_data`` is false."""
    clock = fixed_clock(now)
    ctx = (
        ServiceContext(database=database, clock=clock)
        if user is None
        else ServiceContext(database=database, clock=clock, user=user)
    )
    if reference_data:
        ensure_reference_data(ctx)
    return ctx


def admission_input(**changes: Unpack[AdmissionChanges]) -> AdmissionInput:
    """What the admission dialog would send for Testa Fiktivsen (``ADMISSION``), with ``changes``."""
    return dataclasses.replace(ADMISSION, **changes)


def admit(ctx: ServiceContext, **changes: Unpack[AdmissionChanges]) -> Admitted:
    """Admit Testa Fiktivsen (``ADMISSION`` with ``changes``) through ``AdmissionService``; her ids."""
    created = AdmissionService(ctx).create_admission(admission_input(**changes))
    assert created.patient_id is not None and created.admission_id is not None
    return Admitted(created.patient_id, created.admission_id)


def record_consent(
    ctx: ServiceContext,
    admitted: Admitted,
    *,
    recipient: ConsentRecipient = ConsentRecipient.KOMMUNE,
    given_to: str = "Københavns Kommune",
    scope: str = "Indlæggelse og udskrivning",
    method: ConsentMethod = ConsentMethod.MUNDTLIGT,
    given_on: date | None = None,
) -> None:
    """The patient's consent (F1), by default spoken and to her kommune, given today (``given_on`` None)."""
    ConsentService(ctx).record(
        admitted.patient_id, admitted.admission_id, ConsentInput(recipient, given_to, scope, method, given_on)
    )


def assess_scenario(ctx: ServiceContext, admitted: Admitted, assessment: ScenarioAssessment | None = None) -> None:
    """The scenario assessed through the wizard's service (A1): ``assessment``, by default "intet scenarie" (no
    indsats, no need) — an answer that meets A1 and starts no B1–B5 duty. Assessing stores the assessment's expected
    færdigbehandlet date on the admission (None unless given)."""
    ScenarioService(ctx).assess(
        admitted.admission_id, assessment or ScenarioAssessment(has_indsats=False, may_need_support=False)
    )


#: The doctor the helpers name as having judged a date (B5: færdigbehandlet is always a medical judgement).
DOCTOR = "Overlæge Prøve Testesen"


def assess(
    ctx: ServiceContext,
    admitted: Admitted,
    *,
    scenario: int | None,
    b5: bool = False,
    expected: date | None = None,
    judged_by: str = DOCTOR,
) -> None:
    """The scenario wizard's answers (A1, B1–B5) saved through ``ScenarioService``, as the wizard saves them: scenario
    1, 2, 3 or ``None`` (intet scenarie); in scenarios 2 and 3 the B5 branch (``b5``, cannot be discharged before the
    indsats) or B4; the expected færdigbehandlet date and, with a date, the doctor who judged it. The special groups
    stay as recorded on the admission (the wizard's page shows them prefilled)."""
    with ctx.database.session() as session:  # read as stored: the service's details would log a look (issue 8)
        flags = AdmissionRepository(session).get(admitted.admission_id).flags
    ScenarioService(ctx).assess(
        admitted.admission_id,
        ScenarioAssessment(
            has_indsats=scenario in (1, 2),
            need_greater=scenario == 2,
            may_need_support=scenario == 3,
            can_discharge_before_support=not (b5 and scenario in (2, 3)),
            expected_faerdigbehandlet=expected,
            judged_by=judged_by if expected is not None else "",
            flags=flags,
        ),
    )


def send_varsling(ctx: ServiceContext, admitted: Admitted) -> SendResult:
    """Send the varsling (B5) to the kommune: the event, and the varslingsblanket issued and archived. The kommune's
    consent must be recorded first (F1), and the admission assessed on the B5 branch with an expected færdigbehandlet
    date and its doctor (``assess``)."""
    return NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))


def require_plan(
    ctx: ServiceContext, admitted: Admitted, facts: PlanFacts, *, planned_discharge: date | None = None
) -> None:
    """The Aftale/plan tab's facts (E1/E2) and planned discharge saved for the admission."""
    plans = PlanService(ctx)
    version = plans.panel(admitted.admission_id).admission.version
    assert version is not None
    plans.set_facts(admitted.admission_id, facts, planned_discharge, expected_version=version)


def discharge(ctx: ServiceContext, admitted: Admitted, *, without_plan_reason: str = "", note: str = "") -> SendResult:
    """Send → «Udskriv patienten…» → Registrér, now: ``without_plan_reason`` is the answer when the dialog asks why a
    required udskrivningsaftale/koordinationsplan is missing (E1/E2); left out, none is given."""
    data = NotificationInput(kind=EventKind.DISCHARGE, note=note, without_plan_reason=without_plan_reason)
    return NotificationService(ctx).send(admitted.admission_id, data)


def send_faerdigmelding(
    ctx: ServiceContext,
    admitted: Admitted,
    *,
    judged_on: date,
    judged_by: str = DOCTOR,
    occurred_at: datetime | None = None,
    confirmed_early: bool = False,
) -> SendResult:
    """Send the færdigmelding (B5) as the dialog does: the doctor who judged the patient færdigbehandlet on
    ``judged_on``, at ``occurred_at`` (None: now), confirmed when it comes before the expected day
    (``confirmed_early``)."""
    return NotificationService(ctx).send(
        admitted.admission_id,
        NotificationInput(
            kind=EventKind.FAERDIGMELDING,
            occurred_at=occurred_at,
            judged_by=judged_by,
            judged_on=judged_on,
            confirmed_early=confirmed_early,
        ),
    )


def held_meeting(
    ctx: ServiceContext,
    admitted: Admitted,
    content: MeetingContent,
    *,
    invited_on: date,
    planned_at: datetime | None,
    place: str = "",
    close: bool = True,
) -> Meeting:
    """A netværksmøde under indlæggelse scheduled, started and ``content`` saved, then (``close``) closed, which turns
    its agreements into tasks; the meeting as it stands after the last step. A meeting whose planned day lies ahead
    is started as the coordinator does after confirming the early start (``before_planned_day``, C2–C4)."""
    meetings = MeetingService(ctx)
    meeting = meetings.schedule(
        ScheduleInput(
            patient_id=admitted.patient_id,
            admission_id=admitted.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=invited_on,
            planned_at=planned_at,
            place=place,
        )
    )
    assert meeting.id is not None
    started = meetings.start(meeting.id, before_planned_day=True)
    assert started.version is not None
    saved = meetings.save_content(meeting.id, content, expected_version=started.version)
    assert saved.version is not None
    if not close:
        return saved
    return meetings.close(meeting.id, expected_version=saved.version).meeting


#: One admission's story: what happened on which Danish date, with the event's data.
Story = Sequence[tuple[EventKind, date, dict[str, Any]]]


def events_from_stories(stories: Mapping[int, Story], *, recorded_by: str = "koordinator.test") -> list[Event]:
    """Numbered events (ids from 1, for ``bulk_load``) from each admission's story: at 10:00 in Copenhagen, the
    minute counting up with the events so one day's keep their order."""
    out: list[Event] = []
    for admission_id, story in stories.items():
        for kind, day, data in story:
            moment = datetime.combine(day, time(10, len(out) % 50), tzinfo=COPENHAGEN).astimezone(UTC)
            out.append(Event(len(out) + 1, admission_id, kind, moment, recorded_by, data=data))
    return out


# -- the command-line tests' ward (tests/cli) -------------------------------------------------------------------------


def admit_in_glostrup(
    ctx: ServiceContext, *, cpr: str = CPR, given_name: str = "Testa", kommune: str = "157"
) -> Admitted:
    """A fictitious patient admitted to Afsnit 2, Psykiatrisk Center Glostrup, living in Gentofte (157) unless told."""
    return admit(
        ctx,
        cpr=cpr,
        given_name=given_name,
        bopaelskommune=kommune,
        center="Psykiatrisk Center Glostrup",
        ward="Afsnit 2",
    )


def varsle_gentofte(ctx: ServiceContext, admitted: Admitted) -> SendResult:
    """Scenario 2 on the B5 branch, færdigbehandlet expected on 7 December 2026 (judged by ``DOCTOR``), written
    consent to tell Gentofte Kommune (F1), then the varsling (B5) — its blanket is issued and archived."""
    assess(ctx, admitted, scenario=2, b5=True, expected=date(2026, 12, 7))
    record_consent(ctx, admitted, given_to="Gentofte Kommune", scope="Udskrivning", method=ConsentMethod.SKRIFTLIGT)
    return send_varsling(ctx, admitted)
