"""The rule table (rules.py): every duty of the agreement has an ID, Danish text and, if due, a number."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coordinator_app.domain.model import EventKind
from coordinator_app.domain.rules import (
    RULES,
    RULES_BY_KEY,
    Milestone,
    RuleOverride,
    RuleSettings,
    Trigger,
    Unit,
    apply_offset,
    calendar_label,
    rules_for,
)
from coordinator_app.domain.special_groups import GROUPS
from coordinator_app.domain.workdays import WorkCalendar

D = date
CAL = WorkCalendar()

#: Every A–G rule that puts a duty on someone (docs/regler.md); A2 is the ongoing information duty.
DUTY_IDS = [
    *(f"A{i}" for i in range(1, 6)),
    *(f"B{i}" for i in range(1, 10)),
    *(f"C{i}" for i in range(1, 11)),
    *(f"D{i}" for i in range(1, 10)),
    "E1", "E2", "E3", "F1", "F2", "F3", "G1", "G2", "G3",
]  # fmt: skip


@pytest.mark.parametrize("rule_id", DUTY_IDS)
def test_every_agreement_duty_is_in_the_table(rule_id: str) -> None:
    entries = rules_for(rule_id)
    assert entries, f"{rule_id} missing from rules.RULES"
    assert all(r.text and r.reference for r in entries)


@pytest.mark.parametrize(
    ("key", "rule_id", "trigger", "offset", "unit", "before"),
    [
        ("varsling", "B5", Trigger.EXPECTED_FAERDIGBEHANDLET, 8, Unit.CALENDAR_DAYS, True),
        ("faerdigmelding", "B5", Trigger.EXPECTED_FAERDIGBEHANDLET, 0, Unit.CALENDAR_DAYS, False),
        ("netvaerksmoede", "C2", EventKind.MEETING_INVITED, 5, Unit.WORKING_DAYS, False),
        ("netvaerksmoede_efter_udskrivning", "C3", EventKind.MEETING_INVITED, 5, Unit.WORKING_DAYS, False),
        ("netvaerksmoede_ved_udskrivning", "C4", EventKind.MEETING_INVITED, 5, Unit.WORKING_DAYS, False),
        ("epikrise", "D1", EventKind.DISCHARGE, 24, Unit.HOURS, False),
        ("korrespondance_svar", "D3", Milestone.KORRESPONDANCE_SENDT, 3, Unit.WORKING_DAYS, False),
        ("botilbud_opfoelgning", "D5", EventKind.DISCHARGE, 1, Unit.CALENDAR_DAYS, False),
        ("botilbud_opfoelgning_konkret", "D5", EventKind.DISCHARGE, 5, Unit.CALENDAR_DAYS, False),
        ("underretning_vurdering", "A4", Milestone.UNDERRETNING_SENDT, 24, Unit.HOURS, False),
        ("sagsbehandling", "G1", EventKind.VARSLING, 12, Unit.WEEKS, False),
        ("statusmoede", "G2", EventKind.FAERDIGMELDING, 14, Unit.CALENDAR_DAYS, False),
        ("eskalering", "G3", Milestone.UENIGHED, 1, Unit.WEEKS, False),
        ("plan_udloeber", "E3", Milestone.UDSKRIVNINGSAFTALE, 0, Unit.CALENDAR_DAYS, False),
    ],
)
def test_deadline_rules_carry_their_numbers(
    key: str, rule_id: str, trigger: str, offset: int, unit: Unit, before: bool
) -> None:
    rule = RULES_BY_KEY[key]
    assert (rule.rule_id, rule.trigger, rule.offset, rule.unit, rule.before) == (
        rule_id,
        trigger,
        offset,
        unit,
        before,
    )
    assert rule.has_deadline


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("varsling", "Varsling senest 8 dage før færdigbehandlet"),
        ("netvaerksmoede", "Netværksmøde senest 5 arbejdsdage efter invitationen"),
        ("epikrise", "Epikrise til egen læge inden 24 timer efter udskrivning"),
        ("korrespondance_svar", "Egen læge svarer på korrespondancemeddelelsen inden 3 arbejdsdage"),
        ("botilbud_opfoelgning", "Botilbudsteamet følger op 1 dag efter udskrivning"),
        ("sagsbehandling", "Kommunens sagsbehandlingsfrist: 12 uger fra varsling/færdigmelding"),
        ("statusmoede", "Statusmøde hver 14. dag, mens patienten er færdigmeldt"),
        ("eskalering", "Uenighed om udskrivning løftes til chefniveau inden 1 uge"),
    ],
)
def test_descriptions_are_danish_and_show_the_number(key: str, text: str) -> None:
    assert RULES_BY_KEY[key].description == text


def test_keys_are_unique() -> None:
    assert len(RULES_BY_KEY) == len(RULES)


def test_triggers_and_fulfilments_name_known_events_or_milestones() -> None:
    known = {k.value for k in EventKind} | {m.value for m in Milestone} | {t.value for t in Trigger}
    for rule in RULES:
        assert rule.trigger is None or rule.trigger in known, rule.key
        assert set(rule.fulfilled_by) <= known, rule.key


def test_special_group_names_are_known() -> None:
    assert {r.group for r in RULES if r.group} <= set(GROUPS)


def test_latest_send_applies_only_to_the_varsling() -> None:
    """Only a *latest sending day* moves back to a working day (docs/regler.md, B5)."""
    assert [r.key for r in RULES if r.latest_send] == ["varsling"]


def test_child_psychiatry_counts_the_varsling_in_hverdage() -> None:
    rule = RuleSettings.child_psychiatry().rule("varsling")
    assert rule.unit is Unit.WORKING_DAYS
    assert rule.description == "Varsling senest 8 arbejdsdage før færdigbehandlet"


def test_settings_override_offset_and_keep_the_rest() -> None:
    settings = RuleSettings({"netvaerksmoede": RuleOverride(offset=3)})
    rule = settings.rule("netvaerksmoede")
    assert (rule.offset, rule.unit, rule.rule_id) == (3, Unit.WORKING_DAYS, "C2")
    assert settings.rule("varsling") is RULES_BY_KEY["varsling"]


def test_settings_reject_unknown_rules() -> None:
    with pytest.raises(KeyError, match="ukendt"):
        RuleSettings({"ukendt": RuleOverride(offset=1)})


def test_varsling_offset_counts_back_and_moves_to_previous_working_day() -> None:
    """B5: færdigbehandlet Monday 20 May 2024 → 12 May is a Sunday → Friday 10 May."""
    assert apply_offset(RULES_BY_KEY["varsling"], D(2024, 5, 20), CAL) == D(2024, 5, 10)


def test_hours_count_from_the_moment_in_danish_time() -> None:
    """D1: discharged 00:30 Danish time (22:30 UTC the day before) → epikrise due the next Danish day."""
    rule = RULES_BY_KEY["epikrise"]
    assert apply_offset(rule, datetime(2024, 5, 27, 22, 30, tzinfo=UTC), CAL) == D(2024, 5, 29)
    assert apply_offset(rule, D(2024, 5, 28), CAL) == D(2024, 5, 29)


def test_weeks_and_working_days() -> None:
    assert apply_offset(RULES_BY_KEY["sagsbehandling"], D(2024, 1, 1), CAL) == D(2024, 3, 25)
    assert apply_offset(RULES_BY_KEY["korrespondance_svar"], D(2024, 3, 27), CAL) == D(2024, 4, 4)


def test_a_duty_without_number_has_no_due_date() -> None:
    with pytest.raises(ValueError, match="B4"):
        apply_offset(RULES_BY_KEY["orientering_udskrivning_b4"], D(2024, 1, 1), CAL)


def test_calendar_label_names_the_calendar_only_when_it_mattered() -> None:
    assert calendar_label(RULES_BY_KEY["netvaerksmoede"], CAL) == CAL.name
    assert calendar_label(RULES_BY_KEY["varsling"], CAL) == CAL.name
    assert calendar_label(RULES_BY_KEY["sagsbehandling"], CAL) == "Kalenderdage"
