"""The agreement's section headings cited on paper instead of Koordinator's rule IDs (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coordinator_app.domain.agreement_sections import SECTIONS, cite, section
from coordinator_app.domain.rules import RULES

RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "regler.md"


def _sources() -> dict[str, str]:
    """Rule ID → its *Kilde* paragraph in docs/regler.md (continuation lines joined)."""
    sources: dict[str, str] = {}
    rule_id = None
    lines = RULES_DOC.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        heading = re.match(r"### (\w+) · ", line)
        if heading:
            rule_id = heading.group(1)
        elif line.startswith("- **Kilde**") and rule_id is not None:
            text = [line]
            for more in lines[i + 1 :]:
                if not more.startswith("  "):
                    break
                text.append(more.strip())
            sources[rule_id] = re.sub(r"\s+", " ", " ".join(text))
    return sources


def test_every_rule_of_the_agreement_has_a_section() -> None:
    agreement_rules = {r.rule_id for r in RULES if not r.rule_id.startswith(("G", "H"))}
    assert agreement_rules <= set(SECTIONS)


@pytest.mark.parametrize("rule_id", sorted(SECTIONS))
def test_the_section_is_the_one_docs_name_as_the_source(rule_id: str) -> None:
    """The printed heading is the last part of a heading docs/regler.md gives under *Kilde* for the same rule."""
    source = _sources()[rule_id]
    assert source.startswith("- **Kilde**: aftalen"), source
    last_part = section(rule_id).split(": ")[-1]
    assert last_part in source, (rule_id, last_part, source)


def test_cite_names_each_section_once_and_no_rule_id() -> None:
    assert cite("B5") == "samarbejdsaftalen, «Orientering, varsling og færdigmelding»"
    assert cite("B5", "B6") == cite("B5")
    assert cite("E1", "E2", "E3") == (
        "samarbejdsaftalen, «Udskrivningsaftale», «Koordinationsplan» og «Opfølgning efter udskrivning»"
    )
    for rule_id in SECTIONS:
        assert not re.search(r"\b[A-H]\d{1,2}\b", cite(rule_id)), rule_id


def test_an_id_from_outside_the_agreement_is_not_cited() -> None:
    with pytest.raises(KeyError):
        cite("G1")
