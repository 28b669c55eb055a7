"""The docs keep up with the app and stand on their own.

* Every rule ID the app shows — the rule table (``domain/rules.py``), the scenario wizard and the special groups'
  labels, Statistik's figures and the user guide's rule list — has its entry in ``docs/regler.md``, and that page
  explains no ID the app does not know. Each entry says what the deadline is, who owes it and where the source
  says it.
* No tracked file refers to the team's notes outside the repository (the names in ``OUTSIDE``): the README,
  ``docs/``, the resources' and installer's READMEs, the guide, ``pyproject.toml`` and the scripts must make sense
  to someone who has only the repository.

Nothing here imports Qt: the wizard's texts are read from its source, as ``tests/ui/shell/test_help_and_about.py`` does.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.rule_ids import wizard_rule_ids

from coordinator_app.domain.rules import RULES
from coordinator_app.domain.statistics import FIGURES

ROOT = Path(__file__).resolve().parents[1]
RULES_PAGE = ROOT / "docs" / "regler.md"
GUIDE = ROOT / "resources" / "guide" / "brugervejledning.html"

#: A rule ID inside a text (A1 … G3). H is matched only where a rule ID is a field of its own: a bare "H" in a
#: text is as often a time format ("%H:%M").
RULE_ID_IN_TEXT = re.compile(r"\b([A-G](?:10|[1-9]))\b")
RULE_ID = re.compile(r"^(?:[A-G](?:10|[1-9])|H)$")
#: An entry of docs/regler.md is a third-level heading that starts with its ID: "### B5 · Varsling …".
ENTRY = re.compile(r"^### ([A-H](?:10|[1-9])?) ", re.MULTILINE)
#: The team's notes that live outside the repository. Written so that this file does not match itself.
OUTSIDE = re.compile(r"agreement\.md|shared[/]|style\.md|recipes\.md|reference-data\.md|glossary\.md")


# -- the rule IDs the app shows ----------------------------------------------------------------------------------
def rule_table_ids() -> set[str]:
    return {rule.rule_id for rule in RULES}


def wizard_ids() -> set[str]:
    return wizard_rule_ids()


def statistics_ids() -> set[str]:
    """The rule column of Statistik: "H", "B5", "C2–C4", "B4/B9"."""
    return {part for _label, rule_id, _unit, _text in FIGURES.values() for part in re.split(r"[–/]", rule_id)}


def guide_ids() -> set[str]:
    """The rule list of the user guide (F1): one anchor per ID."""
    anchors = re.findall(r'id="([^"]+)"', GUIDE.read_text(encoding="utf-8"))
    return {a for a in anchors if RULE_ID.match(a)}


def documented() -> dict[str, str]:
    """docs/regler.md's entries: ID → the entry's text (up to the next heading)."""
    text = RULES_PAGE.read_text(encoding="utf-8")
    heads = list(ENTRY.finditer(text))
    entries: dict[str, str] = {}
    for head in heads:
        rest = text[head.end() :]
        following = re.search(r"^#{1,3} ", rest, re.MULTILINE)
        assert head.group(1) not in entries, f"{head.group(1)} has two entries in docs/regler.md"
        entries[head.group(1)] = rest[: following.start()] if following else rest
    return entries


SOURCES = {
    "the rule table": rule_table_ids,
    "the scenario wizard": wizard_ids,
    "Statistik": statistics_ids,
    "the user guide": guide_ids,
}


@pytest.mark.parametrize("source", SOURCES)
def test_every_rule_id_the_app_shows_has_its_entry_in_the_rules_page(source: str) -> None:
    ids = SOURCES[source]()
    assert ids, f"found no rule IDs in {source}: the way this test reads them is out of date"
    assert all(RULE_ID.match(i) for i in ids), sorted(ids)
    missing = sorted(ids - documented().keys())
    assert not missing, f"docs/regler.md has no entry (### <ID> …) for these IDs of {source}: {missing}"


def test_the_rules_page_explains_no_id_the_app_does_not_know() -> None:
    known = set().union(*(find() for find in SOURCES.values()))
    stale = sorted(documented().keys() - known)
    assert not stale, f"docs/regler.md explains IDs the app no longer has: {stale}"


def test_every_entry_says_the_deadline_who_owes_it_and_the_source() -> None:
    entries = documented()
    for rule_id, text in entries.items():
        for field in ("**Betyder**", "**Frist**", "**Ansvarlig**", "**Kilde**"):
            assert field in text, f"{rule_id} in docs/regler.md has no {field}"
    # Every ID is also in the overview table at the top.
    text = RULES_PAGE.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([A-H](?:10|[1-9])?) \|", text, re.MULTILINE))
    assert rows == entries.keys()


# -- nothing outside the repository ------------------------------------------------------------------------------
def tracked_text_files() -> Iterator[tuple[str, str]]:
    """(path, text) of every tracked file that is text (fonts, icons and other binaries are skipped)."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"not a git checkout ({exc})")
    for name in sorted(filter(None, listing.decode("utf-8").split("\0"))):
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        try:
            yield name, data.decode("utf-8")
        except UnicodeDecodeError:
            continue


def outside_references(*, code: bool) -> list[str]:
    """``path:line: text`` of each line naming a note outside the repository, in code (.py) or in the rest."""
    found = []
    for name, text in tracked_text_files():
        if name.endswith(".py") != code:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_docs_and_configuration_refer_to_nothing_outside_the_repository() -> None:
    found = outside_references(code=False)
    assert not found, "these lines name notes outside the repository:\n" + "\n".join(found)


def test_code_refers_to_nothing_outside_the_repository() -> None:
    found = outside_references(code=True)
    assert not found, "these lines name notes outside the repository:\n" + "\n".join(found)


def test_every_relative_link_in_the_docs_names_a_file_in_the_repository() -> None:
    """The document samples (docs/dokumenter/*.png) and the pages link to each other; a renamed file breaks none."""
    links = 0
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            links += 1
            assert (page.parent / target).is_file(), f"{page.name}: {target}"
    assert links >= 13
