"""Where each rule comes from in the agreement, by the agreement's own section headings — for paper.

The rule IDs (A1 … G3) are Koordinator's numbering: the samarbejdsaftale has no numbers, so a kommune or a GP
reading a form cannot look "B5" up. On screen the IDs stay (they lead to ``docs/regler.md``); a document that
leaves the ward cites the section instead: :func:`cite` ("samarbejdsaftalen, «Orientering, varsling og
færdigmelding»"). ``docs/regler.md`` gives the same heading under each rule's *Kilde*
(``tests/domain/test_agreement_sections.py`` checks they agree).

Each entry is the heading a reader finds in the agreement's table of contents: the section, or for a rule whose
section sits under a chapter with a generic name ("Samarbejde mellem …"), the chapter and the section.
"""

from __future__ import annotations

#: The agreement's name as printed on forms.
AGREEMENT_NAME = "Samarbejdsaftale om voksne borgere med psykisk sygdom (2022)"

#: The short name used inside a citation.
AGREEMENT_SHORT = "samarbejdsaftalen"

#: Rule ID → the agreement's section heading(s) the rule comes from (``docs/regler.md``, *Kilde*).
SECTIONS: dict[str, str] = {
    "A1": "Indlæggelse: Samarbejde mellem Region Hovedstadens Psykiatri og kommunerne",
    "A2": "Indlæggelse: Samarbejde mellem Region Hovedstadens Psykiatri og kommunerne",
    "A3": "Udskrivningskoordinatorer",
    "A4": "Børn i familier med psykisk sygdom",
    "A5": "Hjemløse",
    "B1": "Orientering, varsling og færdigmelding",
    "B2": "Orientering, varsling og færdigmelding",
    "B3": "Orientering, varsling og færdigmelding",
    "B4": "Orientering, varsling og færdigmelding",
    "B5": "Orientering, varsling og færdigmelding",
    "B6": "Orientering, varsling og færdigmelding",
    "B7": "Afmelding af færdigmelding – genoptagelse af behandling",
    "B8": "Orientering, varsling og færdigmelding",
    "B9": "Udskrivning: Samarbejde mellem Region Hovedstadens Psykiatri og kommunerne",
    "C1": "Hvad er et tværsektorielt netværksmøde?",
    "C2": "Tværsektorielle netværksmøder under indlæggelse",
    "C3": "Tværsektorielle netværksmøder under indlæggelse",
    "C4": "Tværsektorielt netværksmøde ved udskrivning",
    "C5": "Fælles skabelon for tværsektorielle netværksmøder",
    "C6": "Hvordan holdes et tværsektorielt netværksmøde?",
    "C7": "Hvordan holdes et tværsektorielt netværksmøde?",
    "C8": "Mødeform for tværsektorielle netværksmøder",
    "C9": "Tværsektorielle netværksmøder efter tvangsindlæggelse",
    "C10": "Tværsektorielle netværksmøder som koordinerende indsatsplaner",
    "D1": "Samarbejde med praktiserende læge ved udskrivning",
    "D2": "Samarbejde med praktiserende læge ved udskrivning",
    "D3": "Samarbejde med praktiserende læge ved udskrivning",
    "D4": "Genoptræningsplan",
    "D5": "Regionale ambulante botilbudsteams",
    "D6": "Borgere med samtidig psykisk sygdom og misbrug",
    "D7": "Hjemløse",
    "D8": "Borgere med psykisk sygdom og retslig foranstaltning",
    "D9": "Overgang fra ung til voksen",
    "E1": "Udskrivningsaftale",
    "E2": "Koordinationsplan",
    "E3": "Opfølgning efter udskrivning",
    "F1": "Samtykke",
    "F2": "Pårørende, recovery-mentorer, peers og frivillige",
    "F3": "Kontaktoplysninger",
}


def section(rule_id: str) -> str:
    """The agreement's section heading behind ``rule_id`` (``KeyError`` for an ID that is not the agreement's:
    G1–G3 come from a kommune's action plan, H from no source — neither is cited on paper)."""
    return SECTIONS[rule_id]


def cite(*rule_ids: str) -> str:
    """A citation for paper: ``cite("B5")`` → ``"samarbejdsaftalen, «Orientering, varsling og færdigmelding»"``;
    several rules from different sections are joined ("… «Udskrivningsaftale» og «Koordinationsplan»"), each
    section named once."""
    names: list[str] = []
    for rule_id in rule_ids:
        name = section(rule_id)
        if name not in names:
            names.append(name)
    quoted = [f"«{name}»" for name in names]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " og " + quoted[-1]
    return f"{AGREEMENT_SHORT}, {joined}"
