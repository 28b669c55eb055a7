"""The check-in's rules (issue 19, ``domain.checkin``): the journal collapsed per row and column, values compared and
shown to a person, conflicts described side by side, decisions checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coordinator_app.domain.checkin import (
    Conflict,
    JournalEntry,
    collapse,
    conflict_label,
    row_name,
    same,
    shown,
    template_shown,
    unresolved,
)
from coordinator_app.domain.errors import ValidationError

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
LATER = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _entry(
    row: str, action: str, changes: dict[str, list[object]], *, table: str = "contacts", at: datetime = AT
) -> JournalEntry:
    return JournalEntry(table, row, action, changes, "Mette Hansen (mhansen)", at)


def test_collapse_keeps_the_check_out_value_and_the_last_new_one_per_column() -> None:
    (row,) = collapse(
        [
            _entry("4", "update", {"phone": ["11", "22"]}),
            _entry("4", "update", {"phone": ["22", "33"], "note": ["", "ny"]}, at=LATER),
        ]
    )
    assert row.action == "update" and row.at == LATER
    assert (row.columns["phone"].old, row.columns["phone"].new, row.columns["phone"].at) == ("11", "33", LATER)
    assert (row.columns["note"].old, row.columns["note"].new) == ("", "ny")


def test_a_row_made_offline_stays_an_insert_and_made_then_deleted_is_nothing() -> None:
    made = collapse([_entry("9", "insert", {"name": [None, "A"]}), _entry("9", "update", {"name": ["A", "B"]})])
    assert [(r.row_key, r.action) for r in made] == [("9", "insert")]
    assert collapse([_entry("9", "insert", {}), _entry("9", "delete", {})]) == []
    assert [r.action for r in collapse([_entry("4", "update", {}), _entry("4", "delete", {})])] == ["delete"]


def test_values_compare_by_content_and_show_as_a_person_reads_them() -> None:
    assert same({"b": 1, "a": [1, 2]}, {"a": [1, 2], "b": 1}) and not same("1", 1)
    assert shown(None) == shown("") == "(tom)" and shown(True) == "ja" and shown(False) == "nej"
    assert shown("2026-11-23T09:00:00+00:00") == "23-11-2026 10.00"  # a moment, in Copenhagen
    assert shown({"schema": 1, "texts": {"formaal": "Udskrivelse", "andet": ""}, "agreements": []}) == "Udskrivelse"
    assert shown({"texts": {"a": "x" * 100}}).endswith("…") and len(shown({"texts": {"a": "x" * 100}})) == 80
    assert shown({"texts": {"a": "x" * 100}}, None) == "x" * 100  # the conflicts dialog shows the words whole


def test_a_template_version_shows_its_number_and_its_sections_titles() -> None:
    sections = [{"key": "formaal", "title": "Formål"}, {"key": "deltagere", "title": "Deltagere"}]
    assert template_shown(3, sections) == "version 3: Formål, Deltagere"
    assert template_shown(2, []) == "version 2: (ingen afsnit)"
    long = template_shown(4, [{"title": "Afsnit med en lang overskrift"}] * 10)
    assert len(long) == 120 and long.endswith("…")
    assert conflict_label("meeting_templates", "Netværksmøde", "sections") == "Mødeskabelon: Netværksmøde, afsnit"


def test_labels_name_the_row_as_a_person_knows_it() -> None:
    assert conflict_label("contacts", row_name("contacts", {"name": "Aarhus Kommune"}, "4"), "phone") == (
        "Kontaktbog: Aarhus Kommune, telefon"
    )
    assert row_name("meetings", {"reference": "NM-2026-0001"}, "3") == "NM-2026-0001"
    assert row_name("patients", {"given_name": "Testa", "family_name": "Fiktivsen"}, "1") == "Testa Fiktivsen"
    assert row_name("events", None, "7") == "nr. 7"


def test_a_conflict_is_described_side_by_side_and_decisions_are_checked() -> None:
    conflict = Conflict(
        "contacts", "4", "phone", "Kontaktbog: Aarhus Kommune, telefon", "55", "", None, "99", "Mette", LATER
    )
    assert conflict.key == "contacts:4:phone"
    assert conflict.describe() == (
        "Kontaktbog: Aarhus Kommune, telefon: afsnittet «55» (ukendt) ↔ bærbaren «99» (Mette 23-11-2026 13.00)"
    )
    assert unresolved([conflict], None) == [conflict] and unresolved([conflict], {conflict.key: "ward"}) == []
    with pytest.raises(ValidationError, match=r"«laptop» .* eller «ward»"):
        unresolved([conflict], {conflict.key: "begge"})
