"""A plan save or a facts save that lost to a colleague's (optimistic locking, issue 8): nothing typed is lost.

The plan editor and the Aftale/plan tab reuse ``ConflictDialog`` with their own three ways on:

* **Gem min kladde som ny version** (or **Gem mine**): the user's changed fields are put on top of the stored
  record and saved as the newest version. Fields only the colleague changed keep the colleague's value, and the
  colleague's version stays in the plan's history (E3: every save is a version).
* **Hent den gemte**: the stored record is shown; the user's text is dropped (they chose so).
* **Annuller**: back to editing with the user's text; nothing is saved.

Here: the fields' Danish names, their values as shown, and the field-by-field merge.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from typing import Any

from coordinator_app.domain.discharge_plans import PARTY_ROLE_LABELS, PartyRole, PlanContent, PlanVersion
from coordinator_app.domain.model import PlanFacts
from coordinator_app.services.audit import LastChange
from coordinator_app.ui.common.conflict_dialog import ConflictDialog, FieldDifference
from coordinator_app.ui.common.safe_text import markup

#: PlanContent's fields as the dialog names them, in the editor's order.
CONTENT_LABELS: dict[str, str] = {
    "parties": "Parter",
    "treatment_offers": "Behandlingstilbud",
    "social_offers": "Sociale tilbud",
    "wishes": "Patientens ønsker",
    "goals": "Patientens mål",
    "contact_person": "Kontaktperson / koordinator",
    "reaction_who": "Hvem reagerer, hvis planen ikke følges",
    "reaction_how": "Hvordan",
    "start": "Startdato",
    "end": "Slutdato",
    "patient_agrees": "Patientens tilslutning",
    "patient_agreed_on": "Tilslutning dato",
    "sent_to": "Sendt til",
    "note": "Note",
}

#: The admission's plan facts (the tab's check boxes) and the planned discharge day.
#: Short, so the dialog's table leaves room for the values (the tab has the long wording).
FACT_LABELS: dict[str, str] = {
    "afsnit_v_support": "Støtte efter servicelovens afsnit V",
    "wont_seek_help": "Vil ikke selv søge behandling (§ 13 a, stk. 2)",
    "refuses_participation": "Vil ikke medvirke (§ 13 b)",
    "planned_discharge": "Planlagt udskrivning",
}

_FACTS = [f.name for f in dataclasses.fields(PlanFacts)]


def shown(value: Any) -> str:
    """A field's value as the user reads it: dates dd-mm-åååå, Ja/Nej, rows one a line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, PartyRole) and value in PARTY_ROLE_LABELS:
        return PARTY_ROLE_LABELS[value]
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple | list):
        return "\n".join(shown(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [
            ("med epikrise" if getattr(value, f.name) else "") if f.type == "bool" else shown(getattr(value, f.name))
            for f in dataclasses.fields(value)
        ]
        return ", ".join(p for p in parts if p)
    return str(value)


def content_values(content: PlanContent) -> dict[str, str]:
    return {name: shown(getattr(content, name)) for name in CONTENT_LABELS}


def merged_content(mine: PlanContent, read: PlanContent, stored: PlanContent) -> PlanContent:
    """The stored content with the fields the user changed since ``read`` taken from ``mine``: a field only the
    colleague changed keeps the colleague's value; a field both changed gets the user's (they chose to save)."""
    changes = {
        f.name: getattr(mine, f.name)
        for f in dataclasses.fields(PlanContent)
        if getattr(mine, f.name) != getattr(read, f.name)
    }
    return dataclasses.replace(stored, **changes)


def facts_values(facts: PlanFacts, planned: date | None) -> dict[str, str]:
    return {
        **{name: shown(getattr(facts, name)) for name in _FACTS},
        "planned_discharge": shown(planned),
    }


def merged_facts(
    mine: tuple[PlanFacts, date | None], read: tuple[PlanFacts, date | None], stored: tuple[PlanFacts, date | None]
) -> tuple[PlanFacts, date | None]:
    """As ``merged_content``, for the facts and the planned discharge day."""
    changes = {name: getattr(mine[0], name) for name in _FACTS if getattr(mine[0], name) != getattr(read[0], name)}
    planned = mine[1] if mine[1] != read[1] else stored[1]
    return dataclasses.replace(stored[0], **changes), planned


def last_saved(versions: list[PlanVersion]) -> LastChange | None:
    """Who saved the plan's newest version and when: the plan's own history says it exactly."""
    if not versions:
        return None
    v = versions[-1]
    return LastChange(v.saved_by, v.saved_at, f"{v.action or 'Gemt'} som version {v.number}")


def plan_conflict_dialog(
    *,
    what: str,
    diffs: list[FieldDifference],
    last: LastChange | None,
    keep_text: str,
    keep_hint: str,
    parent: Any,
) -> ConflictDialog:
    """``ConflictDialog`` with the plan's ways on: keep mine as the newest version, fetch the stored, or cancel.
    ``ConflictChoice.KEEP_AS_NOTE`` means "keep mine" here, ``RELOAD`` "Hent den gemte"."""
    dialog = ConflictDialog(what=what, diffs=diffs, last=last, parent=parent)
    dialog.note_button.setText(keep_text)
    dialog.reload_button.setText("&Hent den gemte")
    who = last.user if last is not None else "din kollega"
    if diffs:
        dialog.hint.setText(
            f"{keep_hint}<br>"
            + markup("<b>Hent den gemte</b>: dine ændringer kasseres, og du ser det, {} gemte.<br>", who)
            + "<b>Annuller</b>: tilbage til redigeringen med din tekst; intet gemmes endnu."
        )
    else:
        dialog.hint.setText(
            "Dine ændringer er de samme som de gemte, så der er intet at gemme. "
            "<b>Hent den gemte</b> viser den gemte version."
        )
    return dialog
