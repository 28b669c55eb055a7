"""The rule IDs the scenario wizard can show, for the tests that the user guide and ``docs/regler.md`` explain them:
the IDs in the wizard's texts (read from its modules' source — no Qt is imported), in the special-group labels, and
in every plan the domain can decide for the wizard's answers."""

from __future__ import annotations

import ast
import importlib.util
import itertools
import re
from datetime import date
from pathlib import Path

from coordinator_app.domain.scenarios import ScenarioAnswers, decide
from coordinator_app.domain.workdays import WorkCalendar
from coordinator_app.ui.common.labels import FLAG_LABELS

#: The wizard and its pages.
WIZARD_MODULES = (
    "coordinator_app.ui.patients.scenario_wizard",
    "coordinator_app.ui.patients.scenario_pages",
    "coordinator_app.ui.patients.scenario_plan_page",
)
#: A rule ID inside a text (A1 … G3). H is left out: a bare "H" in a text is as often a time format ("%H:%M").
RULE_ID_IN_TEXT = re.compile(r"\b([A-G](?:10|[1-9]))\b")


def ids_in_texts(text: str) -> set[str]:
    return set(RULE_ID_IN_TEXT.findall(text))


def wizard_rule_ids() -> set[str]:
    ids: set[str] = set()
    for name in WIZARD_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, f"{name} moved: update WIZARD_MODULES"
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                ids |= ids_in_texts(node.value)
    for _name, label in FLAG_LABELS:
        ids |= ids_in_texts(label)
    cal = WorkCalendar()
    for has, greater, may, can, homeless in itertools.product((False, True), repeat=5):
        if (greater and not has) or (may and has):
            continue
        answers = ScenarioAnswers(
            admitted=date(2026, 11, 2),
            has_indsats=has,
            need_greater=greater,
            may_need_support=may,
            can_discharge_before_support=can,
            expected_faerdigbehandlet=date(2026, 11, 30),
            homeless=homeless,
        )
        plan = decide(answers, cal)
        ids |= {step.rule for step in plan.steps} | ({plan.branch} if plan.branch else set())
    return ids
