"""The mapping stays in step with the domain records, and the test fixtures fail loudly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from db_fixtures import _pg_bin_dir

from coordinator_app.domain.discharge_plans import DischargePlan, PlanVersion
from coordinator_app.domain.model import AdmissionFlags, Event, PlanFacts
from coordinator_app.storage.convert import EVENT_FIELDS
from coordinator_app.storage.orm import (
    FLAG_COLUMNS,
    PLAN_FACT_COLUMNS,
    AdmissionRow,
    DischargePlanRow,
    DischargePlanVersionRow,
    EventRow,
)
from coordinator_app.storage.reads import ListRow


def test_every_admission_flag_has_its_own_column() -> None:
    names = tuple(f.name for f in dataclasses.fields(AdmissionFlags))
    assert names == FLAG_COLUMNS
    assert set(names) <= set(AdmissionRow.__table__.c.keys())
    assert ListRow._fields[-len(names) :] == names  # ListRow.flags builds AdmissionFlags from these


def test_every_plan_fact_has_its_own_column() -> None:
    names = tuple(f.name for f in dataclasses.fields(PlanFacts))
    assert names == PLAN_FACT_COLUMNS
    assert set(names) | {"planned_discharge"} <= set(AdmissionRow.__table__.c.keys())


def test_every_discharge_plan_field_has_its_column() -> None:
    assert {f.name for f in dataclasses.fields(DischargePlan)} <= set(DischargePlanRow.__table__.c.keys())
    assert {f.name for f in dataclasses.fields(PlanVersion)} <= set(DischargePlanVersionRow.__table__.c.keys())


def test_every_event_field_has_its_column() -> None:
    assert tuple(f.name for f in dataclasses.fields(Event)) == EVENT_FIELDS
    assert set(EVENT_FIELDS) <= set(EventRow.__table__.c.keys())


def test_missing_postgresql_fails_with_setup_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOORDINATOR_PG_BIN", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match=r"scripts/setup\.sh"):
        _pg_bin_dir()
