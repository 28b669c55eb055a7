"""The demo ward shows every document kind in force or issued (issue 16), whatever day it is loaded on: both plan
kinds in force with their PDFs, a kladde and plans still missing (E1/E2), every notification kind with its archived
varslingsblanket (issued by who sent it, when it was sent, on the consent it rests on) and a netværksmøde's referat.
Loaded through ``services.setup.load_demo_ward`` into a SQLite file, as ``koordinator --demo`` does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers.ward import service_context

from coordinator_app.domain.discharge_plans import PlanKind, PlanState
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import EventKind
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.consent import ConsentService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import FORM_FOR_EVENT, VARSLINGSBLANKET, DocumentService
from coordinator_app.services.meetings import REFERAT
from coordinator_app.services.notifications import NotificationInput, NotificationService
from coordinator_app.services.plans import PlanService
from coordinator_app.services.setup import load_demo_ward
from coordinator_app.storage.database import open_database

#: Loaded on these days (10:00 in Copenhagen): the suite's Monday, the day the issue saw no koordinationsplan in
#: force, and 2. påskedag (closed).
DAYS = (date(2026, 11, 23), date(2026, 12, 7), date(2027, 3, 29))


def demo_context(tmp_path: Path, day: date) -> ServiceContext:
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    ctx = service_context(db, now=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    load_demo_ward(ctx)
    return ctx


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_document_kind_is_there_to_open(tmp_path: Path, day: date) -> None:
    ctx = demo_context(tmp_path, day)
    plans = PlanService(ctx)
    documents = DocumentService(ctx)
    states: set[str] = set()
    printed: set[EventKind] = set()
    kinds: set[str] = set()
    for row in AdmissionService(ctx).list_rows():
        panel = plans.panel(row.admission_id)
        for plan in panel.plans:
            assert plan.id is not None
            state = panel.states[plan.id].state
            states.add(f"{plan.kind}: {state}")
            if state is PlanState.I_KRAFT:
                assert plan.document_id is not None and plan.kind is panel.overview.requirement.kind
        if panel.overview.requirement.required and not panel.plans:
            states.add(f"{panel.overview.requirement.kind}: mangler")
        details = AdmissionService(ctx).details(row.admission_id)
        events = {e.id: e for e in details.events}
        for document in documents.documents(row.admission_id):
            kinds.add(document.kind)
            if document.kind == VARSLINGSBLANKET:
                event = events[document.event_id]
                printed.add(event.kind)
                # Issued as the Send dialog issues it: by who sent it, when it was sent, on its consent (F1).
                assert (document.created_at, document.created_by) == (event.occurred_at, event.recorded_by)
                assert "Samtykke" in event.data["basis"]
    assert {
        "udskrivningsaftale: i_kraft",
        "koordinationsplan: i_kraft",
        "udskrivningsaftale: kladde",
        "udskrivningsaftale: mangler",
        "koordinationsplan: mangler",
    } <= states
    assert printed == set(FORM_FOR_EVENT)  # orientering, varsling, færdigmelding, i bero, genoptaget, afmelding, …
    assert kinds == {VARSLINGSBLANKET, REFERAT, "udskrivningsaftale", "koordinationsplan"}
    ctx.database.dispose()


def test_a_patient_who_wants_to_leave_has_withdrawn_the_consent_the_sendings_rested_on(tmp_path: Path) -> None:
    ctx = demo_context(tmp_path, DAYS[0])
    admissions = AdmissionService(ctx)
    leaving = [
        d
        for d in (admissions.details(r.admission_id) for r in admissions.list_rows())
        if d.admission.flags.wants_to_leave
    ]
    assert leaving
    for details in leaving:
        assert details.patient.id is not None and details.admission.id is not None
        consents = ConsentService(ctx).for_patient(details.patient.id)
        assert consents and all(c.withdrawn_at is not None for c in consents)
        action = NotificationInput(kind=EventKind.ORIENTERING_UDSKRIVNING, issue_document=False)
        with pytest.raises(ValidationError) as refused:  # B8, F1: no consent now, no legal basis given
            NotificationService(ctx).send(details.admission.id, action)
        assert refused.value.rule == "F1"
    ctx.database.dispose()


def test_the_plan_kinds_required_are_the_ones_made(tmp_path: Path) -> None:
    """A koordinationsplan in force only where the patient will not take part (§ 13 b), an udskrivningsaftale
    where the patient agrees (§ 13 a)."""
    ctx = demo_context(tmp_path, DAYS[1])
    plans = PlanService(ctx)
    for row in AdmissionService(ctx).list_rows():
        panel = plans.panel(row.admission_id)
        for plan in panel.plans:
            refuses = panel.admission.plan_facts.refuses_participation
            assert plan.kind is (PlanKind.KOORDINATIONSPLAN if refuses else PlanKind.UDSKRIVNINGSAFTALE)
            assert plan.content.patient_agrees is not refuses or plan.status.value == "kladde"
    ctx.database.dispose()
