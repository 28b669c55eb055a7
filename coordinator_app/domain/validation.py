"""Input rules that are the domain's, not a dialog's: names, free text, dates and moments that must make sense.

Each failure is an ``errors.ValidationError`` with a Danish message that says what to do and the
field it concerns, so every entry point (dialog, CLI, service call) gives the same answer.

One text policy for every free-text field (issues 8 and 18), refused — never silently changed — here, before any
transaction starts, with a Danish message naming the field (``check_characters``):

* control characters: C0 (NUL — PostgreSQL text cannot hold it — and the rest a paste or a scanner brings along),
  DEL and C1; in a multi-line field (a note, a referat's text) tab, line feed and carriage return are text;
* lone surrogates (not encodable as UTF-8, so no database can hold them);
* invisible formatting characters that make text read otherwise than it is stored, or two equal-looking names
  differ: the bidi embeddings and overrides U+202A–U+202E (a right-to-left override shows "Testa" as "atseT")
  and isolates U+2066–U+2069, the zero-width space, non-joiner and joiner U+200B–U+200D, the byte-order mark
  U+FEFF, and the line and paragraph separators U+2028/U+2029 (line breaks most screens and PDFs do not show);
* a line break in a single-line field (names, centres and wards, addresses' lines, kommune names, titles): checked
  on the text as typed, not folded into a space.

Right-to-left letters, combining marks, emoji without joiners, Danish letters, en/em dashes, § and quotes are
ordinary text and pass. (An emoji sequence joined with U+200D — a family — is refused with the joiners.)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from coordinator_app.domain.errors import ValidationError

#: How far ahead a planned or expected date may lie before we call it a typing error.
MAX_FUTURE = timedelta(days=366)
#: Earliest admission date the app accepts (history imported from paper stops here).
EARLIEST_DATE = date(1990, 1, 1)
MAX_NAME_LENGTH = 100
#: Longest free text the app stores in one field (a note, a section of a referat or a plan): pages of text,
#: far beyond anything typed, short of a pasted book.
MAX_FREE_TEXT = 20_000

#: C0 and C1 control characters (Unicode category Cc) but line breaks and tabs, and lone surrogates (Cs).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: Line breaks and the tab: text in a multi-line field, refused in a single-line one.
_LINE_BREAKS = re.compile("[\t\n\r]")
#: Invisible formatting characters (see the module docstring).
_INVISIBLE = re.compile("[\u200b-\u200d\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


#: An official kommunekode: three ASCII digits ("101" København).
_KOMMUNE_CODE = re.compile("[0-9]{3}")


def is_kommune_code(text: str | None) -> bool:
    """True for a well-formed kommunekode; anything else need not be looked up (nor can every string be)."""
    return bool(text) and _KOMMUNE_CODE.fullmatch(text or "") is not None


def check_characters(text: str, *, field: str, label: str, multiline: bool = True) -> None:
    """Refuse text the policy refuses (see the module docstring): ``ValidationError`` naming ``label``/``field``."""
    if _UNSTORABLE.search(text):
        raise ValidationError(
            f"{label} indeholder et tegn, der ikke kan gemmes (et kontroltegn eller et ufuldstændigt tegn, "
            "typisk fra kopieret tekst). Fjern tegnet, eller skriv teksten igen.",
            field=field,
        )
    if _INVISIBLE.search(text):
        raise ValidationError(
            f"{label} indeholder et usynligt tegn, der ændrer tekstens retning eller deler den (fx et "
            "retningsskift, et nul-bredde-tegn eller et byte-order-mærke, typisk fra kopieret tekst). Fjern "
            "tegnet, eller skriv teksten igen.",
            field=field,
        )
    if not multiline and _LINE_BREAKS.search(text):
        raise ValidationError(
            f"{label} skal stå på én linje; fjern linjeskiftet eller tabulatoren.",
            field=field,
        )


def single_line(text: str | None, *, field: str, label: str) -> str:
    """A one-line text (a name, a centre, a title): the policy checked on the text as typed — a line break is
    refused, not folded into a space — then trimmed, runs of spaces collapsed; "" when empty."""
    raw = (text or "").strip()
    check_characters(raw, field=field, label=label, multiline=False)
    return " ".join(raw.split())


def require_name(text: str | None, *, field: str, label: str) -> str:
    """A person's name part: required, one line, trimmed, printable, at most ``MAX_NAME_LENGTH`` characters."""
    value = single_line(text, field=field, label=label)
    if not value:
        raise ValidationError(f"{label} skal udfyldes.", field=field)
    if len(value) > MAX_NAME_LENGTH:
        raise ValidationError(f"{label} er for langt ({len(value)} tegn); højst {MAX_NAME_LENGTH} tegn.", field=field)
    if any(not ch.isprintable() for ch in value):
        raise ValidationError(f"{label} indeholder tegn, der ikke kan vises. Skriv navnet igen.", field=field)
    if not any(ch.isalpha() for ch in value):
        raise ValidationError(f"{label} skal indeholde bogstaver.", field=field)
    return value


def optional_text(
    text: str | None, *, field: str, label: str, max_length: int = 500, multiline: bool = True
) -> str | None:
    """Free text: trimmed, ``None`` when empty, at most ``max_length`` characters, only storable characters."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > max_length:
        raise ValidationError(f"{label} er for lang ({len(value)} tegn); højst {max_length} tegn.", field=field)
    check_characters(value, field=field, label=label, multiline=multiline)
    return value


#: Fields of structured content (a plan's parties, a referat's participants) that hold a short text, whatever
#: dataclass they are in: a name or an address is set in a box or a table cell that cannot continue on the next
#: page of a document, so it must stay short — and on one line. Field name → (most characters, what it is in a message).
SHORT_TEXTS: Mapping[str, tuple[int, str]] = {
    "key": (100, "En nøgle"),
    "name": (200, "Et navn"),
    "organisation": (200, "En organisation"),
    "role": (200, "En rolle"),
    "phone": (100, "Et telefonnummer"),
    "email": (200, "En e-mailadresse"),
    "responsible": (300, "En ansvarlig"),
    "recipient": (300, "En modtager"),
}


def check_texts(
    value: object,
    *,
    field: str,
    label: str,
    max_length: int = MAX_FREE_TEXT,
    limits: Mapping[str, tuple[int, str]] = SHORT_TEXTS,
) -> None:
    """Every string inside ``value`` (a dataclass, mapping, list or tuple, nested) is storable and not longer
    than ``max_length`` — or, directly in a dataclass field named in ``limits``, than that field's limit: for
    content saved as one document (a referat, a plan, a form's free text)."""
    if isinstance(value, str):
        _check_length(value, max_length, field=field, what=f"{label}: en tekst")
        check_characters(value, field=field, label=label)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if isinstance(item, str) and f.name in limits:
                most, what = limits[f.name]
                named = f"{label}: {what[0].lower()}{what[1:]}"
                _check_length(item, most, field=field, what=named)
                check_characters(item, field=field, label=named, multiline=False)  # a name, a phone: one line
            check_texts(item, field=field, label=label, max_length=max_length, limits=limits)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_texts(key, field=field, label=label, max_length=max_length, limits=limits)
            check_texts(item, field=field, label=label, max_length=max_length, limits=limits)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_texts(item, field=field, label=label, max_length=max_length, limits=limits)


def _check_length(text: str, most: int, *, field: str, what: str) -> None:
    if len(text) > most:
        raise ValidationError(f"{what} har for mange tegn ({len(text)}); højst {most}.", field=field)


def check_moment(moment: datetime | None, *, today: date, field: str, label: str) -> None:
    """A moment the user gave (when something was sent, when a meeting is held): with a time zone, not before
    ``EARLIEST_DATE`` and not more than ``MAX_FUTURE`` ahead — further away is a typing error (and beyond what
    the calendar can convert between time zones). Whether it may lie in the future is the caller's rule."""
    if moment is None:
        return
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(f"{label} mangler tidszone.", field=field)
    day = moment.date()  # its own wall-clock date: converting a moment at the calendar's ends would overflow
    if day < EARLIEST_DATE:
        raise ValidationError(
            f"{label} ({day:%d-%m-%Y}) ligger før {EARLIEST_DATE:%d-%m-%Y}. Tjek årstallet.", field=field
        )
    if day > today + MAX_FUTURE:
        raise ValidationError(
            f"{label} ({day:%d-%m-%Y}) ligger mere end et år ude i fremtiden. Tjek årstallet.", field=field
        )


def check_admission_dates(
    admitted: date | None,
    discharged: date | None,
    expected_faerdigbehandlet: date | None,
    *,
    today: date,
) -> None:
    """Dates of one admission must make sense together and with today.

    - the admission date is required, not before 1990 and not in the future;
    - discharge is not before admission and not in the future (it is a fact, not a plan);
    - the expected færdigbehandlet date (B5, a medical judgement) is not before admission and not more
      than a year ahead.
    """
    if admitted is None:
        raise ValidationError("Indlæggelsesdato skal udfyldes.", field="admitted")
    if admitted < EARLIEST_DATE:
        raise ValidationError(
            f"Indlæggelsesdatoen {admitted:%d-%m-%Y} er før {EARLIEST_DATE:%d-%m-%Y}. Tjek årstallet.",
            field="admitted",
        )
    if admitted > today:
        raise ValidationError(
            f"Indlæggelsesdatoen {admitted:%d-%m-%Y} ligger i fremtiden. Registrér indlæggelsen, når den sker.",
            field="admitted",
        )
    if discharged is not None:
        if discharged < admitted:
            raise ValidationError(
                f"Udskrivningsdatoen {discharged:%d-%m-%Y} er før indlæggelsesdatoen {admitted:%d-%m-%Y}.",
                field="discharged",
            )
        if discharged > today:
            raise ValidationError(
                f"Udskrivningsdatoen {discharged:%d-%m-%Y} ligger i fremtiden. "
                "Registrér udskrivningen på dagen, den sker.",
                field="discharged",
            )
    if expected_faerdigbehandlet is not None:
        if expected_faerdigbehandlet < admitted:
            raise ValidationError(
                "Forventet færdigbehandlet-dato kan ikke ligge før indlæggelsesdatoen.",
                field="expected_faerdigbehandlet",
            )
        if expected_faerdigbehandlet > today + MAX_FUTURE:
            raise ValidationError(
                "Forventet færdigbehandlet-dato ligger mere end et år ude i fremtiden. Tjek årstallet.",
                field="expected_faerdigbehandlet",
            )
