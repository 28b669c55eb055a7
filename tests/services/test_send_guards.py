"""The agreement's guards on sending (issue 16), driven through the services as the Send menu and dialog drive them,
on SQLite and PostgreSQL: the scenario decides what may be sent (B1, B4, B5), a varsling carries its expected date and
doctor and is marked late (B5), a færdigmelding carries the doctor's judgement, warns about a missing or late varsling
and is confirmed when early (B5, B7), the consent gate of a patient who wants to leave (B8), and a sent notification
closes the contact duty it fulfils (B1, B2, B3) — I dag never lists a duty that is done."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from helpers.ward import DOCTOR, Admitted, admit, assess, record_consent, send_faerdigmelding, service_context
from pypdf import PdfReader

from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import AdmissionFlags, DeadlineState, EventKind
from coordinator_app.domain.process import replay
from coordinator_app.domain.scenarios import current_assessment
from coordinator_app.domain.sending import RECORD, check_send, contact_refusal
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.services.notifications import NotificationInput, NotificationService, SendCheck, SendResult
from coordinator_app.services.overview import OverviewService
from coordinator_app.services.setup import load_demo_ward
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

K = EventKind
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 23 November 2026, 10:00 in Copenhagen
TODAY = date(2026, 11, 23)
EXPECTED = date(2026, 12, 7)  # the latest varsling day is Friday 27 November (8 days before, a working day)


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator.test")


def patient(
    ctx: ServiceContext, *, consent: bool = True, flags: AdmissionFlags | None = None, **changes: Any
) -> Admitted:
    """Testa Fiktivsen (or whom ``changes`` name: another synthetic CPR), admitted 2 November, living in København,
    with (``consent``) her consent to tell the kommune (F1)."""
    admitted = admit(ctx, flags=flags or AdmissionFlags(), **changes)
    if consent:
        record_consent(ctx, admitted, given_on=date(2026, 11, 3))
    return admitted


def menu(ctx: ServiceContext, admitted: Admitted) -> dict[EventKind, str | None]:
    """The Send menu: each action's reason (None: enabled)."""
    return {a.kind: a.reason for a in NotificationService(ctx).actions(admitted.admission_id)}


def send(ctx: ServiceContext, admitted: Admitted, kind: EventKind, **fields: Any) -> SendResult:
    """As the dialog sends: ``fields`` are ``NotificationInput``'s."""
    return NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=kind, **fields))


def checked(ctx: ServiceContext, admitted: Admitted, kind: EventKind) -> SendCheck:
    """What the dialog shows before sending ``kind`` now."""
    return NotificationService(ctx).check(admitted.admission_id, NotificationInput(kind=kind))


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def deadline_states(ctx: ServiceContext, admitted: Admitted) -> dict[str, tuple[DeadlineState, date | None]]:
    details = AdmissionService(ctx).details(admitted.admission_id)
    return {d.rule_id: (d.state, d.met_on) for d in details.deadlines}


def on_today(ctx: ServiceContext, admitted: Admitted) -> set[str]:
    """The rule IDs I dag lists for the admission."""
    return {i.rule_id for i in OverviewService(ctx).today_items() if i.admission_id == admitted.admission_id}


def record(ctx: ServiceContext, admitted: Admitted, kind: EventKind) -> dict[str, object]:
    with ctx.database.session() as session:
        (event,) = [e for e in EventRepository(session).for_admission(admitted.admission_id) if e.kind is kind][-1:]
    found = event.data[RECORD]
    assert isinstance(found, dict)
    return found


def pdf_text(ctx: ServiceContext, document_id: int | None) -> str:
    """The archived PDF's text, every run of white space (a wrapped table cell) one space."""
    assert document_id is not None
    content = DocumentService(ctx).content(document_id)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


# -- B1: scenario 1 is orientering only --------------------------------------------------------------------------


def test_b1_scenario_1_greys_out_varsling_and_faerdigmelding_and_refuses_them(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=1)
    reasons = menu(ctx, admitted)
    for kind in (K.VARSLING, K.FAERDIGMELDING):
        reason = reasons[kind]
        assert reason is not None and "(B1)" in reason and "Vurder scenarie igen" in reason
    with pytest.raises(ProcessError) as caught:
        send(ctx, admitted, K.VARSLING, expected_faerdigbehandlet=EXPECTED, expected_judged_by=DOCTOR)
    assert caught.value.rule == "B1"
    assert DocumentService(ctx).documents(admitted.admission_id) == []


def test_b1_the_orientering_closes_the_duty_and_i_dag_drops_it(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=1)
    assert "B1" in on_today(ctx, admitted)
    assert menu(ctx, admitted)[K.ORIENTERING_INDLAEGGELSE] is None
    send(ctx, admitted, K.ORIENTERING_INDLAEGGELSE)
    assert deadline_states(ctx, admitted)["B1"] == (DeadlineState.MET, TODAY)
    assert "B1" not in on_today(ctx, admitted)


# -- B2, B3: the contact is met by a varsling or a logged contact to the same kommune ------------------------------


def test_b2_a_varsling_to_the_kommune_closes_the_contact_duty(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=2, b5=True, expected=EXPECTED)
    assert "B2" in on_today(ctx, admitted)
    send(ctx, admitted, K.VARSLING)
    assert deadline_states(ctx, admitted)["B2"] == (DeadlineState.MET, TODAY)
    assert on_today(ctx, admitted).isdisjoint({"B2"})


def test_b3_a_logged_contact_to_the_kommune_closes_the_contact_duty(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=3)
    AdmissionService(ctx).add_note(
        admitted.admission_id,
        "Ringede til Københavns Kommune om mulige behov ved udskrivningen.",
        data={"milestone": "kommune_kontakt", "kommune": "101"},
    )
    assert deadline_states(ctx, admitted)["B3"] == (DeadlineState.MET, TODAY)
    assert "B3" not in on_today(ctx, admitted)


def test_b3_the_send_menus_contact_is_logged_to_the_contact_kommune_and_closes_the_duty(ctx) -> None:
    from coordinator_app.domain.model import Channel
    from coordinator_app.domain.sending import notice_lines

    admitted = patient(ctx, consent=False)
    assess(ctx, admitted, scenario=3)
    assert menu(ctx, admitted)[K.NOTE] is None  # "Registrér kontakt med kommunen…"
    talk = "Ringede til Københavns Kommune om mulige behov ved udskrivningen."
    with pytest.raises(ValidationError) as caught:  # no consent, no legal basis (F1)
        send(ctx, admitted, K.NOTE, kommune_contact=True, note=talk, channel=Channel.TELEFON)
    assert caught.value.rule == "F1"
    record_consent(ctx, admitted)
    with pytest.raises(ValidationError) as caught:  # what was said is the point of the record
        send(ctx, admitted, K.NOTE, kommune_contact=True, channel=Channel.TELEFON)
    assert caught.value.field == "note"
    assert "B3" in on_today(ctx, admitted)
    result = send(ctx, admitted, K.NOTE, kommune_contact=True, note=talk, channel=Channel.TELEFON)
    assert result.document_id is None  # a logged contact, no blanket
    assert deadline_states(ctx, admitted)["B3"] == (DeadlineState.MET, TODAY)
    assert "B3" not in on_today(ctx, admitted)
    (event,) = [e for e in AdmissionService(ctx).details(admitted.admission_id).events if e.kind is K.NOTE]
    assert (event.recipient_kommune, event.channel) == ("101", Channel.TELEFON)
    assert event.data["milestone"] == "kommune_kontakt"
    assert notice_lines(event) == ("Kontakt med kommunen (B2/B3)",)
    send(ctx, admitted, K.DISCHARGE)
    assert "udskrevet" in (menu(ctx, admitted)[K.NOTE] or "")
    with pytest.raises(ProcessError) as refused:
        send(ctx, admitted, K.NOTE, kommune_contact=True, note=talk, channel=Channel.TELEFON)
    assert refused.value.rule == "B2/B3"


def test_b3_a_contact_with_another_kommune_leaves_the_duty_open(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=3)
    AdmissionService(ctx).add_note(
        admitted.admission_id, "Talte med Frederiksberg.", data={"milestone": "kommune_kontakt", "kommune": "147"}
    )
    assert deadline_states(ctx, admitted)["B3"][1] is None
    assert "B3" in on_today(ctx, admitted)


# -- B4: can be discharged before the indsats: no varsling, no færdigmelding ------------------------------------


@pytest.mark.parametrize("scenario", [2, 3])
def test_b4_refuses_varsling_and_faerdigmelding_and_offers_the_orientering_om_udskrivning(ctx, scenario: int) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=scenario, b5=False)
    reasons = menu(ctx, admitted)
    assert "(B4)" in (reasons[K.VARSLING] or "") and "(B4)" in (reasons[K.FAERDIGMELDING] or "")
    assert reasons[K.ORIENTERING_UDSKRIVNING] is None
    with pytest.raises(ProcessError) as caught:
        send_faerdigmelding(ctx, admitted, judged_on=TODAY)
    assert caught.value.rule == "B4"
    send(ctx, admitted, K.ORIENTERING_UDSKRIVNING)


def test_without_an_assessment_varsling_asks_for_the_scenario_first(ctx) -> None:
    admitted = patient(ctx)
    reason = menu(ctx, admitted)[K.VARSLING]
    assert reason is not None and "Vurder scenarie" in reason
    with pytest.raises(ProcessError) as caught:
        send(ctx, admitted, K.VARSLING, expected_faerdigbehandlet=EXPECTED, expected_judged_by=DOCTOR)
    assert caught.value.rule == "B5"


# -- B5: the varsling --------------------------------------------------------------------------------------------


def test_b5_a_varsling_needs_the_expected_date_and_who_judged_it(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=2, b5=True)  # on B5, but no date judged yet
    assert menu(ctx, admitted)[K.VARSLING] is None  # the dialog asks for it
    with pytest.raises(ValidationError) as caught:
        send(ctx, admitted, K.VARSLING)
    assert (caught.value.field, caught.value.rule) == ("expected_faerdigbehandlet", "B5")
    with pytest.raises(ValidationError) as caught:
        send(ctx, admitted, K.VARSLING, expected_faerdigbehandlet=EXPECTED)
    assert (caught.value.field, caught.value.rule) == ("expected_judged_by", "B5")
    assert DocumentService(ctx).documents(admitted.admission_id) == []


def test_b5_a_varsling_with_a_new_date_records_the_judgement_and_moves_the_deadline(ctx) -> None:
    admitted = patient(ctx)
    assess(ctx, admitted, scenario=3, b5=True)
    draft = NotificationService(ctx).draft(admitted.admission_id, K.VARSLING)
    assert (draft.expected, draft.expected_judged_by) == (None, "")
    send(ctx, admitted, K.VARSLING, expected_faerdigbehandlet=EXPECTED, expected_judged_by="Overlæge Hanne Holm")
    details = AdmissionService(ctx).details(admitted.admission_id)
    assert details.admission.expected_faerdigbehandlet == EXPECTED
    judged = [e for e in details.events if e.kind is K.EXPECTED_FAERDIGBEHANDLET]
    assert [(e.data["date"], e.data["by"]) for e in judged] == [(EXPECTED.isoformat(), "Overlæge Hanne Holm")]
    assert record(ctx, admitted, K.VARSLING) == {
        "expected": "2026-12-07",
        "expected_by": "Overlæge Hanne Holm",
        "due": "2026-11-27",
        "days_late": 0,
        "notice_days": 14,
    }
    varsling = next(d for d in details.deadlines if d.kind == "varsling")
    assert (varsling.due, varsling.met_on) == (date(2026, 11, 27), TODAY)


def test_b5_a_late_varsling_is_sent_and_marked_late_on_screen_in_history_and_on_the_form(ctx) -> None:
    admitted = patient(ctx)
    soon = date(2026, 11, 27)  # the latest varsling day was 19 November
    assess(ctx, admitted, scenario=2, b5=True, expected=soon)
    check = checked(ctx, admitted, K.VARSLING)
    (warning,) = check.warnings
    assert "for sen" in warning and "4 dages varsel" in warning and "4 dage for sent" in warning
    result = send(ctx, admitted, K.VARSLING)
    assert record(ctx, admitted, K.VARSLING)["days_late"] == 4
    text = pdf_text(ctx, result.document_id)
    assert "FOR SEN VARSLING" in text and "4 dage efter seneste varslingsdag" in text
    assert f"Vurderet af (læge) {DOCTOR}" in text


# -- B5: the færdigmelding ---------------------------------------------------------------------------------------


def b5_patient(ctx: ServiceContext, expected: date = EXPECTED, **changes: Any) -> Admitted:
    admitted = patient(ctx, **changes)
    assess(ctx, admitted, scenario=2, b5=True, expected=expected)
    return admitted


def test_b5_a_faerdigmelding_needs_the_doctor_who_judged_the_patient_faerdigbehandlet(ctx) -> None:
    admitted = b5_patient(ctx, expected=TODAY)
    with pytest.raises(ValidationError) as caught:
        send(ctx, admitted, K.FAERDIGMELDING)
    assert (caught.value.field, caught.value.rule) == ("judged_by", "B5")
    with pytest.raises(ValidationError) as caught:
        send(ctx, admitted, K.FAERDIGMELDING, judged_by=DOCTOR)
    assert (caught.value.field, caught.value.rule) == ("judged_on", "B5")
    assert AdmissionService(ctx).details(admitted.admission_id).status == "Indlagt"


def test_b5_faerdigmelding_without_varsling_warns_and_the_fact_is_recorded_and_shown(ctx) -> None:
    admitted = b5_patient(ctx, expected=TODAY)
    check = checked(ctx, admitted, K.FAERDIGMELDING)
    (warning,) = check.warnings
    assert "ikke sendt en varsling" in warning and "0 dage" in warning and check.confirm is None
    result = send_faerdigmelding(ctx, admitted, judged_on=TODAY)  # warned, not refused
    facts = record(ctx, admitted, K.FAERDIGMELDING)
    assert (facts["no_varsling"], facts["notice_days"], facts["judged_by"]) == (True, 0, DOCTOR)
    history = AdmissionService(ctx).details(admitted.admission_id).events
    assert any(e.kind is K.FAERDIGMELDING for e in history)
    assert f"Lægelig vurdering {DOCTOR}, 23-11-2026" in pdf_text(ctx, result.document_id)


def test_b5_the_notice_of_a_faerdigmelding_shows_in_the_history_faerdigmeldte_and_statistik(ctx) -> None:
    from coordinator_app.domain.sending import notice_lines
    from coordinator_app.domain.statistics import FigureKey
    from coordinator_app.services.statistics import StatisticsService

    without = b5_patient(ctx, expected=TODAY)
    send_faerdigmelding(ctx, without, judged_on=TODAY)  # no varsling: 0 days of notice
    # The latest varsling day was 13 November.
    late = b5_patient(ctx, expected=TODAY, cpr="020290-9908", given_name="Anden")
    send(ctx, late, K.VARSLING, occurred_at=at(date(2026, 11, 18)))
    send_faerdigmelding(ctx, late, judged_on=TODAY)
    timely = b5_patient(ctx, expected=TODAY, cpr="010170-9999", given_name="Tredje")
    send(ctx, timely, K.VARSLING, occurred_at=at(date(2026, 11, 12)))
    send_faerdigmelding(ctx, timely, judged_on=TODAY)

    (event,) = [e for e in AdmissionService(ctx).details(without.admission_id).events if e.kind is K.FAERDIGMELDING]
    assert any("Ingen varsling sendt" in line and "0 dage" in line for line in notice_lines(event))
    rows = {r.admission_id: r for r in OverviewService(ctx).faerdigmeldte().rows}
    shown = {
        who: (notice.short_text(), notice.short)
        for who, a in (("without", without), ("late", late), ("timely", timely))
        if (notice := rows[a.admission_id].notice) is not None
    }
    assert shown == {
        "without": ("⚠ Ingen varsling", True),
        "late": ("⚠ 5 dage, for sen", True),
        "timely": ("11 dage", False),
    }
    stats = StatisticsService(ctx).compute(date(2026, 11, 1), TODAY)
    share, median_days = stats.figure(FigureKey.FAERDIGMELDT_WITH_NOTICE), stats.figure(FigureKey.NOTICE_DAYS)
    assert (share.numerator, share.denominator, share.admission_ids) == (1, 3, (timely.admission_id,))
    assert median_days.value == 5
    assert set(median_days.admission_ids) == {without.admission_id, late.admission_id, timely.admission_id}


def test_b5_faerdigmelding_after_a_late_varsling_says_how_many_days_the_kommune_got(ctx) -> None:
    admitted = b5_patient(ctx, expected=TODAY)  # the latest varsling day was 13 November
    send(ctx, admitted, K.VARSLING, occurred_at=at(date(2026, 11, 18)))
    (warning,) = (
        NotificationService(ctx).check(admitted.admission_id, NotificationInput(kind=K.FAERDIGMELDING)).warnings
    )
    assert "sendt for sent (18-11-2026; seneste varslingsdag var 13-11-2026)" in warning and "5 dages varsel" in warning
    send_faerdigmelding(ctx, admitted, judged_on=TODAY)
    facts = record(ctx, admitted, K.FAERDIGMELDING)
    assert (facts["varsling_late"], facts["notice_days"], facts["varslet_on"]) == (True, 5, "2026-11-18")


def test_b5_an_early_faerdigmelding_is_refused_until_confirmed_and_the_confirmation_is_recorded(ctx) -> None:
    admitted = b5_patient(ctx)
    send(ctx, admitted, K.VARSLING, occurred_at=at(date(2026, 11, 16)))
    check = checked(ctx, admitted, K.FAERDIGMELDING)
    assert check.warnings == () and check.confirm is not None and "14 dage før" in check.confirm
    with pytest.raises(ValidationError) as caught:
        send_faerdigmelding(ctx, admitted, judged_on=TODAY)
    assert (caught.value.field, caught.value.rule) == ("confirmed_early", "B5")
    assert AdmissionService(ctx).details(admitted.admission_id).status == "Varslet"
    send_faerdigmelding(ctx, admitted, judged_on=TODAY, confirmed_early=True)
    facts = record(ctx, admitted, K.FAERDIGMELDING)
    assert (facts["confirmed_early"], facts["days_early"], facts["notice_days"]) == (True, 14, 7)


def test_b5_the_faerdigmelding_starts_from_the_varslings_content(ctx) -> None:
    from coordinator_app.domain.model import Channel
    from coordinator_app.services.documents import FormDetails

    admitted = b5_patient(ctx)
    form = FormDetails(current_indsats="Bostøtte 2 timer om ugen", expected_needs="Botilbud", considered_13a=True)
    send(ctx, admitted, K.VARSLING, form=form, channel=Channel.TELEFON)
    draft = NotificationService(ctx).draft(admitted.admission_id, K.FAERDIGMELDING)
    assert draft.form == form and draft.channel is Channel.TELEFON and draft.varslet_on == TODAY


# -- B7: after an afmelding a new round --------------------------------------------------------------------------


def test_b7_after_an_afmelding_the_new_faerdigmelding_warns_that_the_round_has_no_varsling(ctx) -> None:
    admitted = b5_patient(ctx, expected=date(2026, 11, 18))
    send(ctx, admitted, K.VARSLING, occurred_at=at(date(2026, 11, 9)))
    send_faerdigmelding(ctx, admitted, judged_on=date(2026, 11, 18), occurred_at=at(date(2026, 11, 18)))
    send(ctx, admitted, K.AFMELDING, occurred_at=at(date(2026, 11, 20)))
    assert menu(ctx, admitted)[K.FAERDIGMELDING] is None
    (warning,) = (
        NotificationService(ctx).check(admitted.admission_id, NotificationInput(kind=K.FAERDIGMELDING)).warnings
    )
    assert "ikke sendt en varsling" in warning


def test_b7_an_afmelding_stays_possible_after_a_new_assessment_but_not_a_new_faerdigmelding(ctx) -> None:
    admitted = b5_patient(ctx, expected=TODAY)
    send(ctx, admitted, K.VARSLING, occurred_at=at(date(2026, 11, 12)))
    send_faerdigmelding(
        ctx, admitted, judged_on=date(2026, 11, 20), occurred_at=at(date(2026, 11, 20)), confirmed_early=True
    )
    assess(ctx, admitted, scenario=2, b5=False, expected=TODAY)  # now it can be discharged before the indsats (B4)
    assert menu(ctx, admitted)[K.AFMELDING] is None
    send(ctx, admitted, K.AFMELDING)
    assert "(B4)" in (menu(ctx, admitted)[K.FAERDIGMELDING] or "")


# -- B8: the patient wants to leave: only with consent -----------------------------------------------------------


def test_b8_without_consent_nothing_is_sent_about_a_patient_who_wants_to_leave(ctx) -> None:
    admitted = patient(ctx, consent=False, flags=AdmissionFlags(wants_to_leave=True))
    assess(ctx, admitted, scenario=2, b5=False)
    with pytest.raises(ValidationError) as caught:
        send(ctx, admitted, K.ORIENTERING_UDSKRIVNING)
    assert caught.value.rule == "F1" and "B8" in caught.value.message
    record_consent(ctx, admitted)
    send(ctx, admitted, K.ORIENTERING_UDSKRIVNING)


# -- the demo ward offers nothing the agreement forbids ------------------------------------------------------------


def test_no_current_demo_admission_offers_an_action_the_agreement_forbids(ctx) -> None:
    load_demo_ward(ctx)
    service = NotificationService(ctx)
    rows = AdmissionService(ctx).list_rows()
    assert len(rows) > 20
    offered: dict[EventKind, int] = {}
    for row in rows:
        with ctx.database.session() as session:
            admission = AdmissionRepository(session).get(row.admission_id)
            history = EventRepository(session).for_admission(row.admission_id)
        state, assessment = replay(admission, history), current_assessment(admission, history)
        for action in service.actions(row.admission_id):
            if not action.allowed:
                continue
            offered[action.kind] = offered.get(action.kind, 0) + 1
            check_send(state, assessment, action.kind, TODAY)  # the domain allows it
            if action.kind in (K.VARSLING, K.FAERDIGMELDING):
                assert assessment.scenario in (2, 3) and assessment.branch == "B5", row.admission_id
            if action.kind is K.NOTE:  # the contact with the kommune (B2/B3): only while admitted
                assert contact_refusal(state) is None and not state.is_discharged, row.admission_id
    assert offered.get(K.VARSLING) and offered.get(K.FAERDIGMELDING)  # the demo shows both offered somewhere
    refused = [a for row in rows for a in service.actions(row.admission_id) if a.kind is K.VARSLING and not a.allowed]
    assert any("(B1)" in (a.reason or "") for a in refused)  # … and refused where the scenario says so
