"""Bad input through the services (issue 8), property-based: thousands of CPR-like strings, impossible dates,
huge and odd Unicode text, empty required fields and unreadable amounts.

The property, for every operation: either it succeeds and what was stored reads back as the service documents
(trimmed, whitespace collapsed in names, the CPR without dash), or it raises a ``KoordinatorError`` whose
message is Danish — never another exception (that would be a traceback in the user's face) — and the database
is exactly as before: the same number of rows in every table, the same record versions, the same settings
(no half-written record).

Accepted input must not poison what reads it later either: after a success the patient list, the admission's
details, the Aftale/plan panel and the meeting views are read back too.

SQLite always, PostgreSQL with fewer examples (the ``database`` fixture is parametrised); the whole module takes
well under a minute. ``KOORDINATOR_FUZZ_SCALE=10`` runs ten times as many for a long hunt. Each operation's
figures (inputs, accepted, refused, crashes, partial records) are written to ``/tmp/fuzz_summary.txt`` and the
total is printed at the end of the module.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fuzz_strategies import (
    NOW,
    TODAY,
    amount_text,
    any_date,
    cpr_like,
    far_dates,
    good_name,
    good_text,
    maybe_good_text,
    moments,
    mostly_good,
    name_text,
    near_dates,
    odd_text,
    optional_date,
    synthetic_cprs,
    year_text,
)
from helpers.ward import Admitted, admission_input, service_context
from helpers.ward import admit as admit_patient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coordinator_app.domain import cpr as cpr_rules
from coordinator_app.domain import validation
from coordinator_app.domain.bed_days import RateBand
from coordinator_app.domain.discharge_plans import (
    Offer,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    PlanStatus,
    SentTo,
)
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    MeetingContent,
    MeetingForm,
    Occasion,
    Participant,
)
from coordinator_app.domain.model import (
    AdmissionFlags,
    Channel,
    ConsentMethod,
    ConsentRecipient,
    EventKind,
    PlanFacts,
    Sector,
)
from coordinator_app.services import settings as app_settings
from coordinator_app.services.admissions import AdmissionInput, AdmissionService
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import FormDetails
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.notifications import NotificationInput, NotificationService
from coordinator_app.services.plans import PlanService
from coordinator_app.services.ward import load_profile
from coordinator_app.storage.database import Database
from coordinator_app.storage.orm import AppMetaRow, Base, KommuneRow
from coordinator_app.storage.repositories import EventRepository, PatientRepository

pytestmark = pytest.mark.fuzz

SUMMARY = Path("/tmp/fuzz_summary.txt")
#: (backend, operation) → {"inputs", "accepted", "refused"}; a crash or a partial record fails the test.
TALLY: dict[tuple[str, str], Counter[str]] = {}
#: ``KOORDINATOR_FUZZ_SCALE=10`` multiplies every figure below, for a long hunt before a release.
SCALE = float(os.environ.get("KOORDINATOR_FUZZ_SCALE", "1"))
#: Examples per service operation: every example is a real transaction, PostgreSQL's are slower.
EXAMPLES = {"sqlite": round(60 * SCALE), "postgresql": round(15 * SCALE)}
#: Pure checks (no database) run once, not per backend.
PURE_EXAMPLES = round(1000 * SCALE)
KOMMUNER = ("101", "147", "751")
CENTER, WARD = "Psykiatrisk Center København", "Afsnit 7"

# -- harness --------------------------------------------------------------------------------------------------

_DANISH = re.compile(
    r"[æøåÆØÅ]|\b(skal|ikke|er|og|til|med|på|kan|en|et|den|det|findes|mangler|skriv|vælg|angiv|før|efter|"
    r"højst|tegn|eller|har|som|for|i|af)\b",
    re.IGNORECASE,
)
_ENGLISH = (
    "Traceback",
    "Error",
    "Exception",
    "invalid literal",
    "object has no attribute",
    "NoneType",
    "codec",
    "surrogates not allowed",
    "NUL",
    "not supported",
    "argument",
)


def assert_danish(message: str, inputs: tuple[Any, ...] = ()) -> None:
    """A message for the user: non-empty, Danish, no exception text. Echoed input is left out of the check."""
    assert isinstance(message, str) and message.strip(), "empty message"
    text = message
    for value in inputs:
        if isinstance(value, str):
            for form in (value, value.strip(), " ".join(value.split())):
                if len(form) >= 4:  # a shorter one ("i", "er") would cut the message's own words apart
                    text = text.replace(form, " ")
    assert _DANISH.search(text), f"not Danish: {message!r}"
    for english in _ENGLISH:
        assert english not in text, f"English exception text in {message!r}"


def backend(database: Database) -> str:
    return "sqlite" if str(database.url).startswith("sqlite") else "postgresql"


def snapshot(database: Database) -> tuple[tuple[int, ...], dict[str, str], tuple[tuple[str, str | None], ...]]:
    """Row count of every table, the sum of the record versions, the settings and the kommuner's entrances."""
    parts: list[Any] = []
    for table in Base.metadata.sorted_tables:
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        if "version" in table.c:
            parts.append(select(func.coalesce(func.sum(table.c.version), 0)).scalar_subquery())
    with database.session() as session:
        counts = tuple(session.execute(select(*parts)).one())
        meta = {k: v for k, v in session.execute(select(AppMetaRow.key, AppMetaRow.value))}
        entrances = tuple(session.execute(select(KommuneRow.code, KommuneRow.secure_mail).order_by(KommuneRow.code)))
    return counts, meta, tuple((str(c), m) for c, m in entrances)


def attempt(
    database: Database,
    operation: str,
    action: Callable[[], Any],
    *,
    inputs: tuple[Any, ...] = (),
    accepted: Callable[[Any], None] | None = None,
) -> Any:
    """Run one input through ``action``: on success ``accepted(result)`` checks the read-back; on a refusal the
    message must be Danish and the database unchanged. Any other exception propagates (a crash)."""
    tally = TALLY.setdefault((backend(database), operation), Counter())
    tally["inputs"] += 1
    before = snapshot(database)
    try:
        result = action()
    except KoordinatorError as exc:
        assert_danish(exc.message, inputs)
        if snapshot(database) != before:
            tally["partial"] += 1
            raise AssertionError(f"{operation}: partial record after the refusal {exc.message!r}") from exc
        tally["refused"] += 1
        return None
    except Exception:
        tally["crashes"] += 1
        raise
    tally["accepted"] += 1
    if accepted is not None:
        accepted(result)
    return result


def run(
    database: Database | None,
    strategy: st.SearchStrategy[Any],
    body: Callable[[Any], None],
    *,
    found: Sequence[Any] = (),
) -> None:
    """``body`` for each example of ``strategy``, as many as the backend affords. ``found``: values the fuzzer
    once failed on (each of the strategy's shape), run first every time as explicit ``@example``s, so a fixed
    failure stays fixed."""
    examples = PURE_EXAMPLES if database is None else EXAMPLES[backend(database)]

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )
    @given(strategy)
    def examples_of(value: Any) -> None:
        body(value)

    for value in found:
        examples_of = example(value)(examples_of)
    examples_of()


def pure(operation: str, action: Callable[[], Any], inputs: tuple[Any, ...]) -> Any:
    tally = TALLY.setdefault(("ingen database", operation), Counter())
    tally["inputs"] += 1
    try:
        result = action()
    except KoordinatorError as exc:
        assert_danish(exc.message, inputs)
        tally["refused"] += 1
        return None
    except Exception:
        tally["crashes"] += 1
        raise
    tally["accepted"] += 1
    return result


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    TALLY.clear()
    yield
    lines = [
        f"{where:15} {operation:38} {t['inputs']:6} input  {t['accepted']:5} gemt  {t['refused']:5} afvist"
        for (where, operation), t in sorted(TALLY.items())
    ]
    total, crashes, partial = (sum(t[k] for t in TALLY.values()) for k in ("inputs", "crashes", "partial"))
    lines.append(f"I alt: {total} input, {crashes} nedbrud, {partial} halvt gemte poster")
    SUMMARY.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(f"fuzz: {lines[-1]} (detaljer i {SUMMARY})")


# -- fixtures -------------------------------------------------------------------------------------------------


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator.test")


def admit(ctx: ServiceContext) -> Admitted:
    """Testa Fiktivsen on ``WARD`` (her CPR number typed without the dash)."""
    return admit_patient(ctx, cpr="0101909909", center=CENTER, ward=WARD)


def collapse(text: str) -> str:
    return " ".join(text.split())


def still_readable(ctx: ServiceContext, admission_id: int) -> None:
    """What was accepted must not poison the views that read it later (a far date, an odd text)."""
    AdmissionService(ctx).details(admission_id)
    AdmissionService(ctx).list_rows(include_discharged=True)
    PlanService(ctx).panel(admission_id)


def meeting_views_readable(ctx: ServiceContext, admission_id: int, patient_id: int) -> None:
    service = MeetingService(ctx)
    service.upcoming(TODAY)
    service.tasks_for_admission(admission_id)
    service.known_participants(patient_id)
    PlanService(ctx).panel(admission_id)
    still_readable(ctx, admission_id)


# -- pure rules (no database): many inputs --------------------------------------------------------------------


def test_validate_cpr_refuses_in_danish_or_normalises() -> None:
    def body(args: tuple[str, bool]) -> None:
        text, replacement = args
        number = pure(
            "cpr.validate_cpr",
            lambda: cpr_rules.validate_cpr(text, replacement=replacement, today=TODAY),
            (text,),
        )
        if number is not None:
            assert len(number) == 10 and number.isascii() and number.isalnum()
            assert cpr_rules.validate_cpr(number, replacement=replacement, today=TODAY) == number
            assert cpr_rules.is_replacement(number) if replacement else cpr_rules.is_synthetic(number)

    run(None, st.tuples(cpr_like, st.booleans()), body)


def test_names_and_free_text_are_checked_in_danish() -> None:
    def body(text: str) -> None:
        name = pure(
            "validation.require_name", lambda: validation.require_name(text, field="f", label="Navnet"), (text,)
        )
        if name is not None:
            assert name == collapse(text) and 0 < len(name) <= validation.MAX_NAME_LENGTH and name.isprintable()
        note = pure(
            "validation.optional_text", lambda: validation.optional_text(text, field="f", label="Noten"), (text,)
        )
        if note is not None:
            assert note == text.strip() and len(note) <= 500

    run(None, name_text, body)


def test_admission_dates_are_checked_in_danish() -> None:
    def body(days: tuple[date, date | None, date | None]) -> None:
        admitted, discharged, expected = days
        pure(
            "validation.check_admission_dates",
            lambda: validation.check_admission_dates(admitted, discharged, expected, today=TODAY),
            (),
        )

    run(None, st.tuples(any_date, optional_date, optional_date), body)


def test_amounts_and_rate_rows_are_read_or_refused_in_danish() -> None:
    def body(rows: list[tuple[str, str, str]]) -> None:
        for _year, _day, amount in rows:
            parsed = app_settings.parse_amount(amount)  # None, never an exception
            assert parsed is None or parsed.is_finite()
        flat = tuple(part for row in rows for part in row)
        table = pure("settings.rates_from_rows", lambda: app_settings.rates_from_rows(rows), flat)
        if table:
            for year, bands in table.items():
                assert app_settings.MIN_YEAR <= year <= app_settings.MAX_YEAR and bands[0].from_day == 1
                assert all(0 < b.amount <= app_settings.MAX_RATE for b in bands)

    row = st.tuples(year_text, st.one_of(st.just(""), year_text), amount_text)
    run(None, st.lists(row, max_size=4), body)


# -- admissions -----------------------------------------------------------------------------------------------


def fuzzed(
    cls: type, good: dict[str, st.SearchStrategy[Any]], bad: dict[str, st.SearchStrategy[Any]], max_changes: int = 3
) -> st.SearchStrategy[Any]:
    """Half the time a good input with a few bad fields (one clear cause per refusal, and successes to read
    back), half the time every field bad at once."""
    return st.one_of(mostly_good(cls, good, bad, max_changes), st.builds(cls, **{**good, **bad}))


_good_admitted = st.dates(date(2020, 1, 1), TODAY)
admission_inputs = fuzzed(
    AdmissionInput,
    good={
        "cpr": synthetic_cprs,
        "given_name": good_name,
        "family_name": good_name,
        "bopaelskommune": st.sampled_from(KOMMUNER),
        "center": st.just(CENTER),
        "ward": st.just(WARD),
        "admitted": _good_admitted,
        "replacement_cpr": st.just(False),
        "address": st.one_of(st.none(), good_text),
        "opholdskommune": st.one_of(st.none(), st.sampled_from(KOMMUNER)),
        "handlekommune": st.one_of(st.none(), st.sampled_from(KOMMUNER)),
        "discharged": st.just(TODAY),  # so a repeated CPR is readmitted rather than refused as still admitted
        "involuntary": st.booleans(),
        "expected_faerdigbehandlet": st.one_of(st.none(), st.just(TODAY + timedelta(days=10))),
        "flags": st.just(AdmissionFlags()),
    },
    bad={
        "cpr": cpr_like,
        "given_name": name_text,
        "family_name": name_text,
        "bopaelskommune": st.one_of(st.sampled_from(KOMMUNER), odd_text),
        "center": name_text,
        "ward": name_text,
        "admitted": st.one_of(st.none(), any_date),
        "replacement_cpr": st.booleans(),
        "address": maybe_good_text,
        "opholdskommune": odd_text,
        "discharged": optional_date,
        "expected_faerdigbehandlet": optional_date,
        "flags": st.builds(AdmissionFlags, homeless=st.booleans()),
    },
)


def _inputs_of(data: Any) -> tuple[Any, ...]:
    return tuple(getattr(data, f.name) for f in dataclasses.fields(data))


def _check_stored_admission(ctx: ServiceContext, admission_id: int, data: AdmissionInput) -> None:
    details = AdmissionService(ctx).details(admission_id)
    patient, admission = details.patient, details.admission
    assert patient.cpr == cpr_rules.validate_cpr(data.cpr, replacement=data.replacement_cpr, today=TODAY)
    assert patient.replacement_cpr == data.replacement_cpr
    assert (patient.given_name, patient.family_name) == (collapse(data.given_name), collapse(data.family_name))
    if (data.address or "").strip():
        assert patient.address == (data.address or "").strip()
    assert (admission.center, admission.ward) == (data.center.strip(), data.ward.strip())
    assert (admission.admitted, admission.discharged) == (data.admitted, data.discharged)
    assert admission.expected_faerdigbehandlet == data.expected_faerdigbehandlet
    assert admission.bopaelskommune == data.bopaelskommune
    assert admission.opholdskommune == (data.opholdskommune or None)


#: Found by this module: a kommune code was looked up unchecked, so NUL (PostgreSQL) or a lone surrogate (both
#: backends) was a crash instead of a Danish message. Run as explicit examples of ``test_create_admission`` too.
UNSTORABLE_KOMMUNE_CODES = {"NUL": "1\x0001", "surrogate": "1\ud80001"}
ADMISSION_FOUND = tuple(
    admission_input(cpr="0101909909", center=CENTER, ward=WARD, opholdskommune=code)
    for code in UNSTORABLE_KOMMUNE_CODES.values()
)


@pytest.mark.parametrize("data", ADMISSION_FOUND, ids=list(UNSTORABLE_KOMMUNE_CODES))
def test_admission_with_an_unstorable_kommune_code_is_refused_in_danish(
    ctx: ServiceContext, data: AdmissionInput
) -> None:
    before = snapshot(ctx.database)
    with pytest.raises(KoordinatorError) as refused:  # a regression case, not a fuzzed input: not tallied
        AdmissionService(ctx).create_admission(data)
    assert_danish(refused.value.message)
    assert snapshot(ctx.database) == before


def test_create_admission(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)

    def body(data: AdmissionInput) -> None:
        def accepted(changes: Any) -> None:
            _check_stored_admission(ctx, changes.admission_id, data)
            still_readable(ctx, changes.admission_id)

        attempt(
            ctx.database,
            "admissions.create_admission",
            lambda: service.create_admission(data),
            inputs=_inputs_of(data),
            accepted=accepted,
        )

    run(ctx.database, admission_inputs, body, found=ADMISSION_FOUND)


def test_update_admission(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)
    _patient_id, admission_id = admit(ctx)

    def body(data: AdmissionInput) -> None:
        before = service.details(admission_id)

        def accepted(_changes: Any) -> None:
            _check_stored_admission(ctx, admission_id, data)
            version = before.admission.version or 0
            assert service.details(admission_id).admission.version in (version, version + 1)  # + 1 when changed
            still_readable(ctx, admission_id)

        attempt(
            ctx.database,
            "admissions.update_admission",
            lambda: service.update_admission(
                admission_id,
                data,
                admission_version=before.admission.version,
                patient_version=before.patient.version,
            ),
            inputs=_inputs_of(data),
            accepted=accepted,
        )

    run(ctx.database, admission_inputs, body)


def test_find_or_create_patient(ctx: ServiceContext) -> None:
    service = AdmissionService(ctx)

    def body(args: tuple[str, str, str, bool]) -> None:
        number, given, family, replacement = args

        def accepted(patient: Any) -> None:
            with ctx.database.session() as session:
                stored = PatientRepository(session).find_by_cpr(patient.cpr)
            assert stored == patient
            assert patient.cpr == cpr_rules.validate_cpr(number, replacement=replacement, today=TODAY)

        attempt(
            ctx.database,
            "admissions.find_or_create_patient",
            lambda: service.find_or_create_patient(number, given, family, replacement),
            inputs=args,
            accepted=accepted,
        )

    good = st.tuples(synthetic_cprs, good_name, good_name, st.just(False))
    run(ctx.database, st.one_of(good, st.tuples(cpr_like, name_text, name_text, st.booleans())), body)


# -- consent --------------------------------------------------------------------------------------------------

consent_inputs = fuzzed(
    ConsentInput,
    good={
        "recipient": st.sampled_from(ConsentRecipient),
        "given_to": st.sampled_from(["Københavns Kommune", "Søster", "Egen læge"]),
        "scope": st.sampled_from(["Oplysninger om indlæggelse og udskrivning", "Referater"]),
        "method": st.sampled_from(ConsentMethod),
        "given_on": st.one_of(st.none(), st.dates(date(2026, 11, 2), TODAY)),
        "note": st.one_of(st.just(""), good_text),
    },
    bad={"given_to": name_text, "scope": name_text, "given_on": any_date, "note": odd_text},
)


def test_record_consent(ctx: ServiceContext) -> None:
    service = ConsentService(ctx)
    patient_id, admission_id = admit(ctx)

    def body(data: ConsentInput) -> None:
        def accepted(_changes: Any) -> None:
            newest = max(service.for_patient(patient_id), key=lambda c: c.id or 0)
            assert (newest.given_to, newest.scope) == (collapse(data.given_to), collapse(data.scope))
            assert newest.note == data.note.strip()

        attempt(
            ctx.database,
            "consent.record",
            lambda: service.record(patient_id, admission_id, data),
            inputs=_inputs_of(data),
            accepted=accepted,
        )

    run(ctx.database, consent_inputs, body)


# -- notifications --------------------------------------------------------------------------------------------

form_details = fuzzed(
    FormDetails,
    good={"current_indsats": good_text, "expected_needs": good_text, "free_text": good_text},
    bad={"current_indsats": odd_text, "expected_needs": odd_text, "free_text": odd_text},
    max_changes=1,
)
notification_inputs = fuzzed(
    NotificationInput,
    good={
        "kind": st.sampled_from([EventKind.NOTE, EventKind.ORIENTERING_INDLAEGGELSE]),
        "channel": st.sampled_from(Channel),
        "occurred_at": st.one_of(st.none(), st.just(NOW - timedelta(hours=1))),
        "note": st.one_of(st.just(""), good_text),
        "legal_basis": st.one_of(st.none(), st.just("Underretning efter serviceloven § 154")),
        "form": st.just(FormDetails(free_text="Bostøtte ønskes")),
        "issue_document": st.booleans(),
    },
    bad={"occurred_at": moments, "note": odd_text, "legal_basis": st.one_of(st.none(), odd_text), "form": form_details},
)


def test_send_notification(ctx: ServiceContext) -> None:
    service = NotificationService(ctx)
    _patient_id, admission_id = admit(ctx)

    def body(data: NotificationInput) -> None:
        def accepted(result: Any) -> None:
            with ctx.database.session() as session:
                event = EventRepository(session).get(result.event_id)
            assert event.note == data.note.strip()
            assert event.occurred_at == (data.occurred_at or NOW).astimezone(UTC)
            if data.kind is EventKind.ORIENTERING_INDLAEGGELSE:
                assert event.data["form"] == dataclasses.asdict(data.form)
            form_text = (data.form.current_indsats, data.form.expected_needs, data.form.free_text)
            assert (result.document_id is not None) == (data.issue_document and data.kind is not EventKind.NOTE), (
                form_text
            )
            still_readable(ctx, admission_id)

        fields = (*_inputs_of(data), *_inputs_of(data.form))
        attempt(
            ctx.database,
            "notifications.send",
            lambda: service.send(admission_id, data),
            inputs=fields,
            accepted=accepted,
        )

    run(ctx.database, notification_inputs, body)


#: Reasons as typed (a required short text, like a name).
reasons = st.sampled_from(["Sendt til forkert kommune", "Fejlregistrering – æøå", "Dobbelt registreret 👍"])


def test_correct_notification(ctx: ServiceContext) -> None:
    service = NotificationService(ctx)
    _patient_id, admission_id = admit(ctx)

    def body(reason: str) -> None:
        target = service.send(admission_id, NotificationInput(kind=EventKind.NOTE, note="Fejlregistrering"))

        def accepted(_changes: Any) -> None:
            with ctx.database.session() as session:
                events = EventRepository(session).for_admission(admission_id)
            correction = next(e for e in events if e.corrects_event_id == target.event_id)
            assert correction.note.endswith(": " + collapse(reason))

        attempt(
            ctx.database,
            "notifications.correct",
            lambda: service.correct(target.event_id, reason),
            inputs=(reason,),
            accepted=accepted,
        )

    run(ctx.database, st.one_of(reasons, name_text), body)


# -- netværksmøder --------------------------------------------------------------------------------------------


def test_schedule_meeting(ctx: ServiceContext) -> None:
    service = MeetingService(ctx)
    patient_id, admission_id = admit(ctx)
    inputs = fuzzed(
        ScheduleInput,
        good={
            "patient_id": st.just(patient_id),
            "admission_id": st.just(admission_id),
            "occasion": st.just(Occasion.UNDER_INDLAEGGELSE),
            "invited_on": st.dates(TODAY - timedelta(days=3), TODAY),
            "planned_at": st.one_of(st.none(), st.just(NOW + timedelta(days=2))),
            "form": st.sampled_from(MeetingForm),
            "place": st.one_of(st.just(""), st.just("Afsnittets mødelokale"), good_text),
            "late_reason": st.one_of(st.just(""), good_text),
        },
        bad={
            "occasion": st.sampled_from(Occasion),
            "invited_on": any_date,
            "planned_at": moments,
            "place": odd_text,
            "late_reason": odd_text,
        },
    )

    def body(data: ScheduleInput) -> None:
        def accepted(meeting: Any) -> None:
            stored = service.get(meeting.id)
            assert (stored.place, stored.late_reason) == (data.place.strip(), data.late_reason.strip())
            assert stored.planned_at == (data.planned_at.astimezone(UTC) if data.planned_at else None)
            assert stored.invited_on == data.invited_on
            meeting_views_readable(ctx, admission_id, patient_id)

        attempt(
            ctx.database,
            "meetings.schedule",
            lambda: service.schedule(data),
            inputs=_inputs_of(data),
            accepted=accepted,
        )

    run(ctx.database, inputs, body)


participants = fuzzed(
    Participant,
    good={
        "key": st.sampled_from(["p1", "p2"]),
        "name": good_name,
        "organisation": good_text,
        "sector": st.sampled_from(Sector),
        "role": good_text,
        "phone": st.sampled_from(["", "12 34 56 78"]),
        "email": st.sampled_from(["", "kim@kk.example.dk"]),
        "present": st.booleans(),
    },
    bad={
        "key": odd_text,
        "name": name_text,
        "organisation": odd_text,
        "role": odd_text,
        "phone": odd_text,
        "email": odd_text,
    },
    max_changes=1,
)
agreements = fuzzed(
    AgreementItem,
    good={
        "key": st.sampled_from(["a1", "a2"]),
        "what": good_text,
        "owner_key": st.one_of(st.none(), st.just("p1")),
        "deadline": st.one_of(st.none(), near_dates),
        "status": st.sampled_from(AgreementStatus),
    },
    bad={"key": odd_text, "what": odd_text, "owner_key": st.one_of(st.just(""), odd_text), "deadline": far_dates},
    max_changes=1,
)
meeting_contents = fuzzed(
    MeetingContent,
    good={
        "texts": st.dictionaries(st.sampled_from(["formaal", "behandling"]), good_text, max_size=2),
        "participants": st.lists(participants, max_size=3).map(tuple),
        "leader_key": st.one_of(st.none(), st.just("p1")),
        "agreements": st.lists(agreements, max_size=3).map(tuple),
        "follow_up": st.builds(FollowUp, needed=st.one_of(st.none(), st.booleans()), when=st.none()),
    },
    bad={
        "texts": st.dictionaries(odd_text, maybe_good_text, max_size=3),
        "leader_key": st.one_of(st.just(""), odd_text),
        "follow_up": st.builds(
            FollowUp,
            needed=st.one_of(st.none(), st.booleans()),
            when=optional_date,
            caller_key=st.one_of(st.none(), odd_text),
        ),
    },
    max_changes=2,
)


def as_stored(content: MeetingContent) -> MeetingContent:
    """The content as the codec documents it reads back: an empty key is no key (``None``)."""
    return dataclasses.replace(
        content,
        leader_key=content.leader_key or None,
        referent_key=content.referent_key or None,
        tovholder_key=content.tovholder_key or None,
        agreements=tuple(dataclasses.replace(a, owner_key=a.owner_key or None) for a in content.agreements),
        follow_up=dataclasses.replace(content.follow_up, caller_key=content.follow_up.caller_key or None),
    )


def _texts_of(content: MeetingContent) -> tuple[str, ...]:
    out: list[str] = [*content.texts, *content.texts.values()]
    for p in content.participants:
        out += [p.key, p.name, p.organisation, p.role, p.phone, p.email]
    for a in content.agreements:
        out += [a.key, a.what]
    return tuple(out)


def test_autosave_meeting_content(ctx: ServiceContext) -> None:
    service = MeetingService(ctx)
    patient_id, admission_id = admit(ctx)
    meeting = service.schedule(
        ScheduleInput(
            patient_id=patient_id,
            admission_id=admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            place="Afsnittets mødelokale",
        )
    )
    assert meeting.id is not None
    meeting_id = meeting.id

    def body(content: MeetingContent) -> None:
        version = service.get(meeting_id).version
        assert version is not None

        def accepted(saved: Any) -> None:
            stored = service.get(meeting_id)
            assert stored.content == as_stored(content) and stored.version == version + 1 == saved.version
            meeting_views_readable(ctx, admission_id, patient_id)

        attempt(
            ctx.database,
            "meetings.save_content",
            lambda: service.save_content(meeting_id, content, expected_version=version),
            inputs=_texts_of(content),
            accepted=accepted,
        )

    run(ctx.database, meeting_contents, body)


#: What the fuzzer found for ``test_close_meeting_and_issue_referat``: values of ``meeting_contents``, run as
#: explicit examples every time. Every one stays here.
REFERAT_FOUND = (
    # An agreement of one 2,502-character word (``huge_text``): its table row was taller than a page, reportlab
    # raised LayoutError and the closed meeting could never get its referat.
    MeetingContent(
        texts={},
        participants=(),
        leader_key=None,
        agreements=(
            AgreementItem(key="a1", what="x" * 2502, owner_key=None, deadline=None, status=AgreementStatus.AABEN),
        ),
        follow_up=FollowUp(needed=None, when=None),
    ),
)


def test_close_meeting_and_issue_referat(ctx: ServiceContext) -> None:
    """Closing turns the agreements into tasks (on the patient list) and the referat is a PDF: odd content must
    reach both, or be refused before it is saved."""
    service = MeetingService(ctx)
    patient_id, admission_id = admit(ctx)

    def body(content: MeetingContent) -> None:
        meeting = service.schedule(
            ScheduleInput(
                patient_id=patient_id,
                admission_id=admission_id,
                occasion=Occasion.UNDER_INDLAEGGELSE,
                invited_on=TODAY,
            )
        )
        assert meeting.id is not None and meeting.version is not None
        meeting_id, version = meeting.id, meeting.version
        saved = attempt(
            ctx.database,
            "meetings.save_content",
            lambda: service.save_content(meeting_id, content, expected_version=version),
            inputs=_texts_of(content),
        )
        if saved is None:
            return

        def closed_ok(result: Any) -> None:
            assert result.meeting.content == as_stored(content)
            meeting_views_readable(ctx, admission_id, patient_id)

        closed = attempt(
            ctx.database,
            "meetings.close",
            lambda: service.close(meeting_id, expected_version=saved.version),
            inputs=_texts_of(content),
            accepted=closed_ok,
        )
        if closed is None:
            return

        def issued(document: Any) -> None:
            assert document.id is not None and document.title.startswith("Referat af netværksmøde")

        attempt(
            ctx.database,
            "meetings.issue_referat",
            lambda: service.issue_referat(meeting_id),
            inputs=_texts_of(content),
            accepted=issued,
        )

    run(ctx.database, meeting_contents, body, found=REFERAT_FOUND)


def test_add_referat_recipient(ctx: ServiceContext) -> None:
    service = MeetingService(ctx)
    patient_id, admission_id = admit(ctx)
    ConsentService(ctx).record(
        patient_id,
        admission_id,
        ConsentInput(ConsentRecipient.PAAROERENDE, "Søster", "Referater af netværksmøder", ConsentMethod.MUNDTLIGT),
    )
    meeting = service.schedule(
        ScheduleInput(
            patient_id=patient_id, admission_id=admission_id, occasion=Occasion.UNDER_INDLAEGGELSE, invited_on=TODAY
        )
    )
    assert meeting.id is not None
    meeting_id = meeting.id

    def body(args: tuple[str, str, ConsentRecipient]) -> None:
        name, address, recipient = args

        def accepted(entries: Any) -> None:
            assert any(e.address.casefold() == collapse(address).casefold() for e in entries)
            assert entries == service.distribution(meeting_id)

        attempt(
            ctx.database,
            "meetings.add_recipient",
            lambda: service.add_recipient(meeting_id, name=name, address=address, recipient=recipient),
            inputs=args,
            accepted=accepted,
        )

    good = st.tuples(
        good_name,
        st.sampled_from(["soester@example.dk", "Vej 1, 2100 København Ø"]),
        st.just(ConsentRecipient.PAAROERENDE),
    )
    bad = st.tuples(name_text, maybe_good_text, st.sampled_from(ConsentRecipient))
    run(ctx.database, st.one_of(good, bad), body)


# -- udskrivningsaftale / koordinationsplan -------------------------------------------------------------------

offers = st.lists(
    fuzzed(
        Offer,
        good={
            "what": good_text,
            "responsible": good_name,
            "from_date": st.one_of(st.none(), near_dates),
            "note": st.just(""),
        },
        bad={"what": odd_text, "responsible": odd_text, "from_date": far_dates, "note": odd_text},
        max_changes=1,
    ),
    max_size=2,
).map(tuple)
parties = fuzzed(
    Party,
    good={
        "role": st.sampled_from(PartyRole),
        "name": good_name,
        "organisation": good_text,
        "phone": st.just(""),
        "email": st.just(""),
    },
    bad={"name": odd_text, "organisation": odd_text, "phone": odd_text, "email": odd_text},
    max_changes=1,
)
plan_contents = fuzzed(
    PlanContent,
    good={
        "parties": st.lists(parties, max_size=4).map(tuple),
        "treatment_offers": offers,
        "social_offers": offers,
        "wishes": good_text,
        "goals": good_text,
        "contact_person": good_text,
        "overlaege": good_text,
        "reaction_who": good_text,
        "reaction_how": good_text,
        "start": st.one_of(st.none(), st.just(TODAY)),
        "end": st.one_of(st.none(), st.just(date(2027, 5, 31))),
        "patient_agrees": st.booleans(),
        "patient_agreed_on": st.one_of(st.none(), st.just(TODAY)),
        "sent_to": st.lists(st.builds(SentTo, recipient=good_text, sent_on=st.none()), max_size=2).map(tuple),
        "note": good_text,
    },
    bad={
        "wishes": odd_text,
        "goals": odd_text,
        "contact_person": odd_text,
        "overlaege": odd_text,
        "reaction_who": odd_text,
        "reaction_how": odd_text,
        "start": optional_date,
        "end": optional_date,
        "patient_agreed_on": optional_date,
        "sent_to": st.lists(st.builds(SentTo, recipient=odd_text, sent_on=optional_date), max_size=2).map(tuple),
        "note": odd_text,
    },
)


def _plan_texts(content: PlanContent) -> tuple[str, ...]:
    out = [content.wishes, content.goals, content.contact_person, content.overlaege]
    out += [content.reaction_who, content.reaction_how]
    out += [content.note, *(s.recipient for s in content.sent_to)]
    for p in content.parties:
        out += [p.name, p.organisation, p.phone, p.email]
    for o in (*content.treatment_offers, *content.social_offers):
        out += [o.what, o.responsible, o.note]
    return tuple(out)


def test_save_plan_kladde(ctx: ServiceContext) -> None:
    plans = PlanService(ctx)
    _patient_id, admission_id = admit(ctx)
    plan = plans.create(admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    assert plan.id is not None
    plan_id = plan.id

    def body(content: PlanContent) -> None:
        version = plans.versions(plan_id)[-1].number

        def accepted(saved: Any) -> None:
            assert saved.content == content
            assert plans.versions(plan_id)[-1].content == content
            assert plans.versions(plan_id)[-1].number == version + 1
            still_readable(ctx, admission_id)

        attempt(
            ctx.database,
            "plans.save",
            lambda: plans.save(plan_id, content, expected_version=plans.panel(admission_id).plans[0].version or 0),
            inputs=_plan_texts(content),
            accepted=accepted,
        )

    run(ctx.database, plan_contents, body)


def _completed(content: PlanContent) -> PlanContent:
    """Fill the parts ``check_complete`` needs with ordinary text where the fuzzed content left them out."""
    parties = (
        *content.parties,
        Party(PartyRole.PATIENT, "Testa Fiktivsen"),
        Party(PartyRole.PSYKIATRI, "Afsnit 7"),
        Party(PartyRole.KOMMUNE, "Københavns Kommune"),
    )
    return dataclasses.replace(
        content,
        parties=tuple(p for p in parties if p.name.strip()),
        treatment_offers=(Offer("Ambulant opfølgning", "Distriktspsykiatrien"),),
        overlaege=content.overlaege if content.overlaege.strip() else "Rie Regionsen",
        reaction_who=content.reaction_who if content.reaction_who.strip() else "Kontaktpersonen",
        reaction_how=content.reaction_how if content.reaction_how.strip() else "Ringer samme dag.",
        start=content.start or TODAY,
        end=content.end or date(2027, 5, 31),
        patient_agrees=True,
    )


def test_activate_plan(ctx: ServiceContext) -> None:
    """Putting a plan in force renders and archives its PDF: odd and huge text must reach the PDF or be refused."""
    plans = PlanService(ctx)
    _patient_id, admission_id = admit(ctx)

    def body(args: tuple[PlanContent, bool]) -> None:
        drawn, complete = args
        content = _completed(drawn) if complete else drawn
        plan = plans.create(admission_id, PlanKind.UDSKRIVNINGSAFTALE)
        assert plan.id is not None and plan.version is not None
        plan_id, version = plan.id, plan.version

        def accepted(result: Any) -> None:
            activated, document = result
            assert activated.status is PlanStatus.I_KRAFT and activated.content == content
            assert document.id is not None
            still_readable(ctx, admission_id)

        attempt(
            ctx.database,
            "plans.activate",
            lambda: plans.activate(plan_id, content, expected_version=version),
            inputs=_plan_texts(content),
            accepted=accepted,
        )

    run(ctx.database, st.tuples(plan_contents, st.sampled_from([True, True, True, False])), body)


def test_set_plan_facts(ctx: ServiceContext) -> None:
    plans = PlanService(ctx)
    _patient_id, admission_id = admit(ctx)
    facts = st.builds(PlanFacts, st.booleans(), st.booleans(), st.booleans())

    def body(args: tuple[PlanFacts, date | None]) -> None:
        chosen, planned = args
        version = plans.panel(admission_id).admission.version
        assert version is not None

        before = plans.panel(admission_id).admission

        def accepted(admission: Any) -> None:
            stored = plans.panel(admission_id).admission
            assert (stored.plan_facts, stored.planned_discharge) == (chosen, planned)
            changed = (before.plan_facts, before.planned_discharge) != (chosen, planned)
            assert stored.version == version + changed  # an unchanged row keeps its version
            assert admission == stored
            still_readable(ctx, admission_id)

        attempt(
            ctx.database,
            "plans.set_facts",
            lambda: plans.set_facts(admission_id, chosen, planned, expected_version=version),
            inputs=(),
            accepted=accepted,
        )

    run(ctx.database, st.tuples(facts, optional_date), body)


def test_end_plan(ctx: ServiceContext) -> None:
    plans = PlanService(ctx)
    _patient_id, admission_id = admit(ctx)

    def body(args: tuple[str, date | None]) -> None:
        reason, on = args
        plan = plans.create(admission_id, PlanKind.KOORDINATIONSPLAN)
        assert plan.id is not None and plan.version is not None
        plan_id, version = plan.id, plan.version

        def accepted(ended: Any) -> None:
            assert ended.status is PlanStatus.AFSLUTTET and ended.ended_reason == collapse(reason)
            assert ended.ended_on == (on or TODAY)
            assert plans.versions(plan_id)[-1].status is PlanStatus.AFSLUTTET

        attempt(
            ctx.database,
            "plans.end",
            lambda: plans.end(plan_id, reason, expected_version=version, on=on),
            inputs=(reason,),
            accepted=accepted,
        )

    run(ctx.database, st.one_of(st.tuples(reasons, st.none()), st.tuples(name_text, optional_date)), body)


# -- contacts -------------------------------------------------------------------------------------------------

contact_inputs = fuzzed(
    ContactInput,
    good={
        "name": good_name,
        "organisation": st.one_of(st.just(""), good_text),
        "sector": st.sampled_from(Sector),
        "role": st.sampled_from(["", "sagsbehandler", "overlæge"]),
        "phone": st.sampled_from(["12 34 56 78", "+45 12 34 56 78", ""]),
        "email": st.sampled_from(["kim@kk.example.dk", "", "a@b.dk", "æøå@æøå.dk"]),
        "kommune_code": st.one_of(st.none(), st.sampled_from(KOMMUNER)),
        "note": st.one_of(st.just(""), good_text),
    },
    bad={
        "name": name_text,
        "organisation": odd_text,
        "role": odd_text,
        "phone": st.one_of(st.sampled_from(["١٢٣٤", "１２３４", "x@y"]), odd_text),
        "email": st.one_of(st.sampled_from(["x@y", "@", "a@@b.dk"]), odd_text),
        "kommune_code": odd_text,
        "note": odd_text,
    },
)


def _check_contact(stored: Any, data: ContactInput) -> None:
    assert stored.name == collapse(data.name)
    assert (stored.organisation, stored.role, stored.note) == (
        data.organisation.strip(),
        data.role.strip(),
        data.note.strip(),
    )
    assert (stored.phone, stored.email) == (collapse(data.phone), data.email.strip())
    assert stored.kommune_code == ((data.kommune_code or "").strip() or None)


def test_add_and_update_contact(ctx: ServiceContext) -> None:
    service = ContactService(ctx)
    first = service.add(ContactInput(name="Kim Kommune", organisation="Københavns Kommune"))
    assert first.id is not None
    contact_id = first.id

    def body(args: tuple[ContactInput, bool]) -> None:
        data, update = args
        if update:
            version = service.get(contact_id).version
            assert version is not None
            attempt(
                ctx.database,
                "contacts.update",
                lambda: service.update(contact_id, data, version),
                inputs=_inputs_of(data),
                accepted=lambda c: _check_contact(service.get(contact_id), data),
            )
        else:
            attempt(
                ctx.database,
                "contacts.add",
                lambda: service.add(data),
                inputs=_inputs_of(data),
                accepted=lambda c: _check_contact(service.get(c.id), data),
            )

    run(ctx.database, st.tuples(contact_inputs, st.booleans()), body)


def test_set_kommune_entrance(ctx: ServiceContext) -> None:
    service = ContactService(ctx)

    def body(args: tuple[str, str]) -> None:
        code, address = args

        def accepted(kommune: Any) -> None:
            stored = {k.code: k for k in service.kommune_entrances()}[code]
            assert stored == kommune and stored.secure_mail == (address.strip() or None)

        attempt(
            ctx.database,
            "contacts.set_kommune_entrance",
            lambda: service.set_kommune_entrance(code, address),
            inputs=args,
            accepted=accepted,
        )

    addresses = st.one_of(st.sampled_from(["sikkerpost@kk.example.dk", ""]), odd_text)
    run(ctx.database, st.tuples(st.one_of(st.sampled_from(KOMMUNER), odd_text), addresses), body)


# -- settings -------------------------------------------------------------------------------------------------

rate_values = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("0"), Decimal("1E+999999")]),
    st.lists(
        st.builds(RateBand, st.integers(-5, 400), st.decimals(allow_nan=True, allow_infinity=True)), max_size=3
    ).map(tuple),
)


def test_save_rates(ctx: ServiceContext) -> None:
    def body(args: tuple[dict[int, Any], str]) -> None:
        rates, source = args

        def accepted(_none: Any) -> None:
            stored = app_settings.load_rate_setting(ctx)
            assert not stored.is_default and stored.source == source.strip()
            assert set(stored.rates) == set(rates)

        attempt(
            ctx.database,
            "settings.save_rates",
            lambda: app_settings.save_rates(ctx, rates, source),
            inputs=(source,),
            accepted=accepted,
        )

    years = st.one_of(st.integers(1990, 2110), st.integers())
    good = st.tuples(
        st.dictionaries(st.integers(2000, 2100), st.decimals(1, 100_000, places=2), min_size=1, max_size=3),
        st.sampled_from(["", "Regionens takstblad 2026"]),
    )
    run(
        ctx.database, st.one_of(good, st.tuples(st.dictionaries(years, rate_values, max_size=3), maybe_good_text)), body
    )


def test_update_ward_profile(ctx: ServiceContext) -> None:
    def body(args: tuple[str, str, str]) -> None:
        phone, mail, title = args

        def accepted(profile: Any) -> None:
            assert load_profile(ctx) == profile
            assert profile.coordinator_title == collapse(title)

        attempt(
            ctx.database,
            "settings.update_ward_profile",
            lambda: app_settings.update_ward_profile(ctx, phone=phone, secure_mail=mail, coordinator_title=title),
            inputs=args,
            accepted=accepted,
        )

    phones = st.one_of(st.sampled_from(["12 34 56 78", ""]), odd_text)
    mails = st.one_of(st.sampled_from(["afsnit7@regionh.example.dk", ""]), odd_text)
    run(ctx.database, st.tuples(phones, mails, st.one_of(st.just("Udskrivningskoordinator"), name_text)), body)


def test_add_ward(ctx: ServiceContext) -> None:
    def body(args: tuple[str, str]) -> None:
        centre, ward = args

        def accepted(centres: Any) -> None:
            assert centres == app_settings.centre_list(ctx)
            found = {c.name.casefold(): c for c in centres}[collapse(centre).casefold()]
            if ward.strip():
                assert collapse(ward).casefold() in {w.casefold() for w in found.wards}

        attempt(
            ctx.database,
            "settings.add_ward",
            lambda: app_settings.add_ward(ctx, centre, ward),
            inputs=args,
            accepted=accepted,
        )

    centres = st.one_of(st.just(CENTER), good_name, name_text)
    run(ctx.database, st.tuples(centres, st.one_of(st.just(""), good_name, name_text)), body)


def test_the_danish_heuristic_itself() -> None:
    """A Danish message passes; exception text, an empty message and a message that is only echoed input do not."""
    assert_danish("Fornavn skal udfyldes.")
    assert_danish("Adressen »Error 42« ligner ikke en e-mailadresse.", ("Error 42",))  # echoed input is not judged
    for bad in ("invalid literal for int() with base 10: '²'", "", "   ", "PostgreSQL text fields cannot contain NUL"):
        with pytest.raises(AssertionError):
            assert_danish(bad)
    with pytest.raises(AssertionError):
        assert_danish("Traceback (most recent call last): ValueError – æøå")


def test_no_generated_cpr_is_a_real_one() -> None:
    """The CPR strategy never hands a service a number that could belong to a living person: every one it draws
    is refused by ``validate_cpr`` or follows the demo convention (99xx, failing modulus-11)."""

    @settings(max_examples=PURE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cpr_like)
    def check(text: str) -> None:
        try:
            number = cpr_rules.validate_cpr(text, today=TODAY)
        except ValidationError:
            return
        assert cpr_rules.is_synthetic(number), text

    check()
