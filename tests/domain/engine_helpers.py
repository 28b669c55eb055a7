"""Builders for the engine tests: admissions and events on Danish dates, no database, no Qt."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from coordinator_app.domain.model import Admission, AdmissionFlags, Event, EventKind

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
_ids = itertools.count(1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Danish wall-clock moment on ``day``, as the aware datetime the database stores (UTC)."""
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN).astimezone(ZoneInfo("UTC"))


def ev(
    kind: EventKind,
    day: date,
    *,
    hour: int = 10,
    minute: int = 0,
    data: dict[str, Any] | None = None,
    corrects: int | None = None,
    event_id: int | None = None,
) -> Event:
    return Event(
        id=next(_ids) if event_id is None else event_id,
        admission_id=1,
        kind=kind,
        occurred_at=at(day, hour, minute),
        recorded_by="test",
        data=data or {},
        corrects_event_id=corrects,
    )


def milestone(name: str, day: date, *, hour: int = 10, **data: Any) -> Event:
    """A NOTE recording a milestone (rules.Milestone) such as ``epikrise_sendt``."""
    return ev(EventKind.NOTE, day, hour=hour, data={"milestone": name, **data})


def expected(day: date, on: date) -> Event:
    """A medical judgement, recorded on ``on``, that the patient will be færdigbehandlet on ``day``."""
    return ev(EventKind.EXPECTED_FAERDIGBEHANDLET, on, data={"date": day.isoformat(), "by": "overlæge"})


def admission(
    admitted: date = date(2024, 5, 1),
    *,
    scenario: int | None = None,
    b5: bool | None = None,
    expected_faerdigbehandlet: date | None = None,
    discharged: date | None = None,
    involuntary: bool = False,
    opholdskommune: str | None = None,
    handlekommune: str | None = None,
    group_flags: dict[str, bool] | None = None,
    **flags: bool,
) -> Admission:
    answers: dict[str, Any] = {}
    if scenario is not None:
        answers = {
            "has_indsats": scenario in (1, 2),
            "need_greater": scenario == 2,
            "may_need_support": scenario == 3,
            "can_discharge_before_support": not b5 if b5 is not None else None,
        }
    return Admission(
        id=1,
        patient_id=1,
        center="Psykiatrisk Center København",
        ward="Afsnit 7",
        admitted=admitted,
        bopaelskommune="101",
        opholdskommune=opholdskommune,
        handlekommune=handlekommune,
        discharged=discharged,
        involuntary=involuntary,
        expected_faerdigbehandlet=expected_faerdigbehandlet,
        scenario=scenario,
        scenario_answers=answers,
        flags=AdmissionFlags(**{**(group_flags or {}), **flags}),
    )
