"""Input rules that are the domain's, not a dialog's: names, dates that must make sense.

Each failure is an ``errors.ValidationError`` with a Danish message that says what to do and the
field it concerns, so every entry point (dialog, CLI, service call) gives the same answer.
"""

from __future__ import annotations

from datetime import date, timedelta

from coordinator_app.errors import ValidationError

#: How far ahead a planned or expected date may lie before we call it a typing error.
MAX_FUTURE = timedelta(days=366)
#: Earliest admission date the app accepts (history imported from paper stops here).
EARLIEST_DATE = date(1990, 1, 1)
MAX_NAME_LENGTH = 100


def require_name(text: str | None, *, field: str, label: str) -> str:
    """A person's name part: required, trimmed, printable, at most ``MAX_NAME_LENGTH`` characters."""
    value = " ".join((text or "").split())
    if not value:
        raise ValidationError(f"{label} skal udfyldes.", field=field)
    if len(value) > MAX_NAME_LENGTH:
        raise ValidationError(f"{label} er for langt ({len(value)} tegn); højst {MAX_NAME_LENGTH} tegn.", field=field)
    if any(not ch.isprintable() for ch in value):
        raise ValidationError(f"{label} indeholder tegn, der ikke kan vises. Skriv navnet igen.", field=field)
    if not any(ch.isalpha() for ch in value):
        raise ValidationError(f"{label} skal indeholde bogstaver.", field=field)
    return value


def optional_text(text: str | None, *, field: str, label: str, max_length: int = 500) -> str | None:
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > max_length:
        raise ValidationError(f"{label} er for lang ({len(value)} tegn); højst {max_length} tegn.", field=field)
    return value


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
