"""The deadline cache (issue 7) gives exactly what the engine gives, and forgets a result when its inputs change.

Runs on SQLite and PostgreSQL (the ``database`` fixture): the stamps come from a query there.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Unpack

import pytest
from helpers.ward import AdmissionChanges, admission_input

from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.errors import ProcessError
from coordinator_app.domain.model import Channel, DeadlineState, Event, EventKind
from coordinator_app.domain.process import replay
from coordinator_app.domain.rules import RuleSettings
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.deadline_cache import DeadlineCache, Derived, derive, stamp_of
from coordinator_app.services.overview import OverviewService
from coordinator_app.services.registry import Services
from coordinator_app.services.setup import load_demo_ward
from coordinator_app.storage import reads
from coordinator_app.storage.reads import ListRow, deadline_stamps, list_rows
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository
from coordinator_app.storage.selects import CURRENT_LIST, LIST

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = NOW.date()


def uncached(admission, events, cal: WorkCalendar, today: date, settings: RuleSettings | None = None) -> Derived:
    """The engine called directly, as the services did before the cache."""
    try:
        state = replay(admission, events)
        deadlines = tuple(compute_deadlines(admission, events, cal, today, settings))
    except ProcessError as exc:
        return Derived(None, (), exc.message)
    return Derived(state, deadlines)


#: Testa Fiktivsen as these tests admit her (CPR 010170-9999), expected færdigbehandlet Friday 4 December.
ADMISSION = admission_input(cpr="010170-9999", expected_faerdigbehandlet=date(2026, 12, 4))


def admit(service: AdmissionService, **changes: Unpack[AdmissionChanges]) -> int:
    """Admit ``ADMISSION`` with ``changes`` through ``service`` (its own deadline cache); the admission's id."""
    created = service.create_admission(dataclasses.replace(ADMISSION, **changes))
    assert created.admission_id is not None
    return created.admission_id


def append(ctx: ServiceContext, admission_id: int, kind: EventKind, on: date, **fields) -> Event:
    with ctx.database.session() as s:
        return EventRepository(s).append(
            Event(
                id=None,
                admission_id=admission_id,
                kind=kind,
                occurred_at=datetime(on.year, on.month, on.day, 10, tzinfo=UTC),
                recorded_by="test",
                **fields,
            )
        )


# -- the demo ward: cached == uncached, for every admission --------------------------------------------------------


def test_cached_and_uncached_agree_across_the_demo_ward(ctx: ServiceContext) -> None:
    ctx.clock = fixed_clock(NOW)
    load_demo_ward(ctx)
    with ctx.database.session() as s:
        ids = [r.admission_id for r in list_rows(s.connection(), include_discharged=True)]
        admissions = AdmissionRepository(s).get_many(ids)
        events = EventRepository(s).for_admissions(ids)
        stamps = deadline_stamps(s.connection(), ids)
    assert len(ids) > 100
    cache = DeadlineCache()
    settings = RuleSettings.child_psychiatry()
    with_deadlines = unreadable = 0
    for cal, today, rules in (
        (ctx.calendar, TODAY, None),
        (WorkCalendar(extra_closing_days=False), TODAY - timedelta(days=200), settings),
    ):
        for admission_id in ids:
            admission, history = admissions[admission_id], events[admission_id]
            expected = uncached(admission, history, cal, today, rules)
            assert derive(admission, history, cal, today, rules) == expected
            assert cache.get(admission, history, cal, today, rules) == expected  # computed
            assert cache.get(admission, history, cal, today, rules) == expected  # from the cache
            assert cache.lookup(admission_id, stamps[admission_id], cal, today, rules) == expected
            # The database's stamp is the loaded data's stamp: the list's lookups can hit.
            assert stamps[admission_id] == stamp_of(admission, history)
            with_deadlines += bool(expected.deadlines)
            unreadable += expected.error is not None
    assert cache.hits == 2 * 2 * len(ids)
    assert with_deadlines > len(ids)  # the comparison is not between empty lists
    assert unreadable < len(ids) // 100


def test_stamps_read_by_id_list_and_whole_agree(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """``deadline_stamps`` reads the ids' stamps through an id list, or every stamp and picks when there are many
    ids (on SQLite each through its select's generated text): both give the same, an unknown id absent."""
    ctx.clock = fixed_clock(NOW)
    load_demo_ward(ctx)
    with ctx.database.connect() as connection:
        every = [r.admission_id for r in list_rows(connection, include_discharged=True)]
        ids = [*every[:: len(every) // 1000 + 1], 999_999]  # spread over the ward's years
        assert len(ids) <= reads._STAMP_CHUNK  # the id list
        by_list = deadline_stamps(connection, ids)
        monkeypatch.setattr(reads, "_STAMP_CHUNK", 1)
        whole = deadline_stamps(connection, ids)
    assert by_list == whole
    assert len(by_list) == len(ids) - 1 and 999_999 not in by_list
    assert sum(events for *_, events in by_list.values()) > len(by_list)  # not only admissions without events


def test_the_list_and_details_are_the_same_with_a_warm_cache(ctx: ServiceContext) -> None:
    ctx.clock = fixed_clock(NOW)
    load_demo_ward(ctx)
    service = AdmissionService(ctx)
    cold = service.list_rows(include_discharged=True)
    cache: DeadlineCache = service._derived
    current = [r.admission_id for r in cold if r.discharged is None]
    assert current and cache.misses == len(current) and cache.hits == 0
    warm = service.list_rows(include_discharged=True)
    assert cache.hits == len(current)  # nothing recomputed
    assert warm == cold == AdmissionService(ctx).list_rows(include_discharged=True)
    assert service.list_rows() == [r for r in cold if r.discharged is None]
    assert any(r.next_due is not None for r in warm)
    fresh = AdmissionService(ctx)
    for admission_id in current[:15]:
        assert service.details(admission_id) == fresh.details(admission_id)


def test_the_list_query_gives_what_sqlalchemys_core_result_gives(ctx: ServiceContext) -> None:
    """On SQLite the list converts the driver's rows itself (storage/reads.py): same values, same types."""
    ctx.clock = fixed_clock(NOW)
    load_demo_ward(ctx)
    for include_discharged, query in ((True, LIST), (False, CURRENT_LIST)):
        with ctx.database.session() as s:
            rows = list_rows(s.connection(), include_discharged=include_discharged)
            core = [ListRow._make(row) for row in s.connection().execute(query).all()]
        assert rows == core
        assert [tuple(map(type, r)) for r in rows] == [tuple(map(type, r)) for r in core]
    assert {type(r.discharged) for r in rows} == {type(None)}
    assert {type(v) for r in core for v in (r.admitted, r.involuntary, *r[-8:])} == {date, bool}


# -- invalidation ----------------------------------------------------------------------------------------------


def test_a_new_event_recomputes_that_admission_only(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    first = admit(service)
    second = admit(service, cpr="020290-9908", given_name="Anden")
    before = {r.admission_id: r for r in service.list_rows()}
    assert before[first].status == "Indlagt"
    append(ctx, first, EventKind.ORIENTERING_INDLAEGGELSE, date(2026, 11, 10), recipient_kommune="101")
    cache: DeadlineCache = service._derived
    hits = cache.hits
    after = {r.admission_id: r for r in service.list_rows()}
    assert cache.hits == hits + 1  # the second admission came from the cache
    assert after[first].status == "Orienteret"
    assert after[second] == before[second]
    assert list(after.values()) == AdmissionService(ctx).list_rows()
    assert service.details(first).status == "Orienteret"


def test_i_dag_shares_the_lists_cache_and_sees_a_new_event(ctx: ServiceContext) -> None:
    """The desktop's services share one cache (``Services``): I dag derives nothing the list derived already, and a
    new event is derived again for that admission only — I dag then shows what an uncached read shows."""
    ctx.clock = fixed_clock(NOW)
    services = Services(ctx)
    first = admit(services.admissions)
    second = admit(services.admissions, cpr="020290-9908", given_name="Anden")
    services.admissions.list_rows()
    cache: DeadlineCache = services.admissions._derived
    assert services.overview._derived is cache
    misses = cache.misses
    services.overview.today_items(TODAY)
    assert cache.misses == misses  # both admissions came from the list's derivations
    append(ctx, first, EventKind.ORIENTERING_INDLAEGGELSE, date(2026, 11, 10), recipient_kommune="101")
    hits = cache.hits
    items = services.overview.today_items(TODAY)
    assert cache.hits == hits + 1 and cache.misses == misses + 1  # only the first admission was derived again
    assert items == OverviewService(ctx).today_items(TODAY)  # a fresh service with its own, empty cache
    assert {i.admission_id for i in items} >= {second}


def test_a_correction_recomputes(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    admission_id = admit(service)
    sent = append(ctx, admission_id, EventKind.ORIENTERING_INDLAEGGELSE, date(2026, 11, 10), recipient_kommune="101")
    assert service.details(admission_id).status == "Orienteret"
    assert service.list_rows()[0].status == "Orienteret"
    append(ctx, admission_id, EventKind.CORRECTION, date(2026, 11, 11), corrects_event_id=sent.id)
    assert service.list_rows()[0].status == "Indlagt"
    details = service.details(admission_id)
    assert details.status == "Indlagt"
    assert details == AdmissionService(ctx).details(admission_id)


def test_an_edited_admission_recomputes(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    admission_id = admit(service, expected_faerdigbehandlet=date(2026, 12, 4))
    append(ctx, admission_id, EventKind.SCENARIO_ASSESSED, date(2026, 11, 2))  # A1 met
    append(ctx, admission_id, EventKind.VARSLING, date(2026, 11, 16), recipient_kommune="101")
    (row,) = service.list_rows()
    assert (row.next_kind, row.next_due) == ("faerdigmelding", date(2026, 12, 4))
    assert service.details(admission_id).deadlines
    # Only the admission row changes (its version), no event: the expected færdigbehandlet date moves.
    details = service.details(admission_id)
    service.update_admission(
        admission_id,
        dataclasses.replace(ADMISSION, expected_faerdigbehandlet=date(2026, 12, 11)),
        admission_version=details.admission.version,
    )
    (edited,) = service.list_rows()
    assert (edited.next_kind, edited.next_due) == ("faerdigmelding", date(2026, 12, 11))
    details = service.details(admission_id)
    assert next(d for d in details.deadlines if d.kind == "faerdigmelding").due == date(2026, 12, 11)
    assert edited == AdmissionService(ctx).list_rows()[0]
    assert details == AdmissionService(ctx).details(admission_id)


def test_a_new_day_recomputes(ctx: ServiceContext, clock) -> None:
    service = AdmissionService(ctx)
    admission_id = admit(service, expected_faerdigbehandlet=date(2026, 12, 4))
    append(ctx, admission_id, EventKind.SCENARIO_ASSESSED, date(2026, 11, 2))  # A1 met
    append(ctx, admission_id, EventKind.VARSLING, date(2026, 11, 16), recipient_kommune="101")
    states = []
    for moment in (NOW, datetime(2026, 12, 4, 9, tzinfo=UTC), datetime(2026, 12, 7, 9, tzinfo=UTC)):
        clock.moment = moment
        (row,) = service.list_rows()
        assert row == AdmissionService(ctx).list_rows()[0]
        assert service.details(admission_id) == AdmissionService(ctx).details(admission_id)
        states.append(row.next_state)
    assert states == [DeadlineState.OPEN, DeadlineState.DUE_TODAY, DeadlineState.OVERDUE]


def test_another_calendar_recomputes(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    admission_id = admit(service)
    # C2: 5 arbejdsdage from Monday 21 December 2026 — juleaften counts only when it is not a closing day.
    append(ctx, admission_id, EventKind.MEETING_INVITED, date(2026, 12, 21))
    dues = []
    for extra in (True, False, True):
        ctx.calendar = WorkCalendar(extra_closing_days=extra)
        (row,) = service.list_rows()
        assert row == AdmissionService(ctx).list_rows()[0]
        details = service.details(admission_id)
        assert details == AdmissionService(ctx).details(admission_id)
        dues.append(next(d.due for d in details.deadlines if d.rule_id == "C2"))
    assert dues == [date(2026, 12, 30), date(2026, 12, 29), date(2026, 12, 30)]


def test_an_unreadable_history_is_cached_as_unreadable(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    admission_id = admit(service)
    # A færdigmelding while færdigmeldt is not a legal move (B7): the history cannot be replayed.
    append(ctx, admission_id, EventKind.FAERDIGMELDING, date(2026, 11, 10), recipient_kommune="101")
    append(ctx, admission_id, EventKind.FAERDIGMELDING, date(2026, 11, 12), recipient_kommune="101")
    for _ in range(2):
        (row,) = service.list_rows()
        details = service.details(admission_id)
        assert row.status == details.status == "Historik kan ikke læses"
        assert details.status_error and "færdigmeldt" in details.status_error
        assert details.deadlines == () and row.next_due is None
    assert details == AdmissionService(ctx).details(admission_id)


def test_the_database_stamp_is_the_loaded_datas_stamp(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    admission_id = admit(service)
    with ctx.database.session() as s:
        admission = AdmissionRepository(s).get(admission_id)
        assert deadline_stamps(s.connection(), [admission_id]) == {
            admission_id: (admission.version, admission.patient_id, None, 0)
        }
    note = append(ctx, admission_id, EventKind.NOTE, date(2026, 11, 5), note="x", channel=Channel.TELEFON)
    with ctx.database.session() as s:
        admission = AdmissionRepository(s).get(admission_id)
        events = EventRepository(s).for_admission(admission_id)
        stamps = deadline_stamps(s.connection(), [admission_id, 999_999])
    assert stamps == {admission_id: stamp_of(admission, events)}  # an unknown id is simply absent
    assert stamps[admission_id] == (admission.version, admission.patient_id, note.id, 1)
