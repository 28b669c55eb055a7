"""CPR numbers: validation with Danish messages, display, erstatnings-CPR and the demo convention.

Validation follows ``stdnum.dk.cpr``: ten digits whose first six (plus the century digit, position 7)
form a real birth date that is not in the future. The modulus-11 check is **not** required — CPR-kontoret
stopped guaranteeing it on 1 October 2007 — and ``today`` is passed in (stdnum uses the clock).

**Erstatnings-CPR** (a patient with no Danish CPR, or whose CPR is unknown) — two accepted forms, both
impossible to mistake for a real CPR number:

1. *CPR-kontoret's recommendation* (cpr.dk, "Erstatningspersonnummer i eksterne systemer"): the real
   birth date with **60 added to the day** (born the 7th → ``67``), then a four-digit løbenummer;
   e.g. ``670590-1234`` for a person born 7 May 1990. Position 7 gives the century as for a real CPR.
2. *Hospital practice*: the real birth date, then **a letter and three digits**, e.g. ``070590-K123``.
   The century is the most recent one that does not put the birth date in the future.

**Demo CPR numbers** (``coordinator_app.demo``) are valid for stdnum but recognisably synthetic: a real
birth date, a løbenummer in **9900–9999** ("99" in positions 7–8) **and a failing modulus-11 check**.
CPR-kontoret issues numbers without modulus-11 only for birth dates whose modulus-11 numbers are used
up, so such a combination practically never belongs to a living person. :func:`is_synthetic` tests
exactly this convention.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from coordinator_app.domain.errors import ValidationError
from coordinator_app.lazy import lazy_import

if TYPE_CHECKING:
    from stdnum import exceptions as stdnum_exceptions
    from stdnum import util as stdnum_util
    from stdnum.dk import cpr as stdnum_cpr
else:  # python-stdnum pulls in pydoc: not at start, where shown numbers need only formatting
    stdnum_exceptions = lazy_import("stdnum.exceptions")
    stdnum_util = lazy_import("stdnum.util")
    stdnum_cpr = lazy_import("stdnum.dk.cpr")

FIELD = "cpr"
_REPLACEMENT_HINT = (
    "Har patienten ikke et dansk CPR-nummer (eller kendes det ikke), så markér »Erstatnings-CPR« og "
    "brug fødselsdatoen med 60 lagt til dagen (fx 670590-1234) eller fødselsdato + bogstav + tre cifre "
    "(fx 070590-K123)."
)
_DIGITS = re.compile(r"[0-9]{10}")
_LETTER_FORM = re.compile(r"[0-9]{6}[A-Z][0-9]{3}")
_SYNTHETIC_SERIAL_PREFIX = "99"


def _compact(text: str) -> str:
    """Drop whitespace and dashes (including Unicode dashes, as stdnum does), upper-case letters."""
    if isinstance(text, str) and text.isascii():  # stdnum maps only non-ASCII characters: the same answer
        return "".join(text.replace("-", "").split()).upper()
    try:
        cleaned = stdnum_util.clean(text, " -")
    except stdnum_exceptions.ValidationError:  # pragma: no cover - clean() only fails on non-iterables
        cleaned = str(text)
    return "".join(cleaned.split()).upper()


def _error(message: str) -> ValidationError:
    return ValidationError(message, field=FIELD)


def _century_date(number: str, day_offset: int = 0) -> date | None:
    """Birth date of a ten-digit number by stdnum's century rule, or ``None`` if impossible."""
    day = int(number[:2]) - day_offset
    if not 1 <= day <= 31:
        return None
    shifted = f"{day:02d}{number[2:]}"
    try:
        return stdnum_cpr.get_birth_date(shifted)
    except (stdnum_exceptions.ValidationError, ValueError):
        return None


def _letter_form_date(number: str, today: date) -> date | None:
    day, month, yy = int(number[:2]), int(number[2:4]), int(number[4:6])
    for century in (2000, 1900):
        try:
            born = date(century + yy, month, day)
        except ValueError:
            return None
        if born <= today:
            return born
    return None


def _check_not_future(born: date, today: date, *, what: str) -> None:
    if born > today:
        raise _error(
            f"Fødselsdatoen i {what}, {born:%d-%m-%Y}, ligger efter i dag. Tjek årstallet (5.–6. ciffer) "
            "og 7. ciffer, som angiver århundredet."
        )


def validate_cpr(text: str, *, replacement: bool = False, today: date) -> str:
    """The normalised CPR number (10 characters, no dash) or a ``ValidationError(field="cpr")``.

    ``replacement=True`` validates an erstatnings-CPR in one of the two forms described in the module
    docstring, and refuses a number that looks like a real CPR (it could belong to someone else).
    """
    number = _compact(text or "")
    if not number:
        raise _error("Skriv patientens CPR-nummer (ddmmåå-xxxx). " + _REPLACEMENT_HINT)
    if replacement:
        return _validate_replacement(number, today=today)
    if _LETTER_FORM.fullmatch(number):
        raise _error(
            "Nummeret har et bogstav og ligner et erstatnings-CPR. Markér »Erstatnings-CPR«, hvis "
            "patienten ikke har et dansk CPR-nummer; ellers skriv de 10 cifre."
        )
    if not all("0" <= ch <= "9" for ch in number):
        raise _error("Et CPR-nummer må kun indeholde cifre og evt. en bindestreg (ddmmåå-xxxx). " + _REPLACEMENT_HINT)
    if len(number) != 10:
        raise _error(
            f"Et CPR-nummer har 10 cifre (ddmmåå-xxxx), men der står {len(number)}. Tjek, om et ciffer "
            "mangler eller er skrevet to gange."
        )
    born = _century_date(number)
    if born is None:
        if _century_date(number, day_offset=60) is not None:
            raise _error(
                "Dagen i nummeret er over 60 – det er et erstatnings-CPR. Markér »Erstatnings-CPR«, "
                "hvis patienten ikke har et dansk CPR-nummer."
            )
        raise _error(
            f"De første seks cifre, {number[:6]}, er ikke en gyldig fødselsdato (ddmmåå). Tjek dag og "
            "måned. " + _REPLACEMENT_HINT
        )
    _check_not_future(born, today, what="CPR-nummeret")
    return number


def _validate_replacement(number: str, *, today: date) -> str:
    if len(number) != 10:
        raise _error(f"Et erstatnings-CPR har 10 tegn (fx 670590-1234 eller 070590-K123), men der står {len(number)}.")
    if _LETTER_FORM.fullmatch(number):
        born = _letter_form_date(number, today)
        if born is None:
            raise _error(
                f"De første seks cifre, {number[:6]}, er ikke en gyldig fødselsdato (ddmmåå). I et "
                "erstatnings-CPR med bogstav er de første seks cifre den rigtige fødselsdato."
            )
        return number
    if not _DIGITS.fullmatch(number):
        raise _error(
            "Et erstatnings-CPR er enten fødselsdato med 60 lagt til dagen + fire cifre (fx 670590-1234) "
            "eller fødselsdato + ét bogstav + tre cifre (fx 070590-K123)."
        )
    if _century_date(number) is not None:
        raise _error(
            "Nummeret er et gyldigt almindeligt CPR-nummer og kan derfor ikke bruges som erstatnings-CPR "
            "(det kan tilhøre en anden). Fjern markeringen af »Erstatnings-CPR«, eller læg 60 til dagen."
        )
    born = _century_date(number, day_offset=60)
    if born is None:
        raise _error(
            f"{number[:6]} er ikke en gyldig fødselsdato med 60 lagt til dagen (dag 61–91, fx 670590 for "
            "7. maj 1990). Tjek dag og måned."
        )
    _check_not_future(born, today, what="erstatnings-CPR'et")
    return number


def is_replacement(cpr: str) -> bool:
    """True for a well-formed erstatnings-CPR of either form (dates are not checked against today)."""
    number = _compact(cpr or "")
    if _LETTER_FORM.fullmatch(number):
        return _letter_form_date(number, date.max) is not None
    return (
        bool(_DIGITS.fullmatch(number))
        and _century_date(number) is None
        and _century_date(number, day_offset=60) is not None
    )


def birth_date(cpr: str, *, today: date) -> date:
    """Birth date of a CPR or erstatnings-CPR (either form).

    ``today`` only matters for the letter form, whose century must be guessed; the caller passes its clock's
    date (the domain never reads the wall clock).
    """
    number = _compact(cpr or "")
    if _LETTER_FORM.fullmatch(number):
        born = _letter_form_date(number, today)
    elif _DIGITS.fullmatch(number):
        born = _century_date(number) or _century_date(number, day_offset=60)
    else:
        born = None
    if born is None:
        raise _error(f"{mask_cpr(number)} indeholder ingen gyldig fødselsdato.")
    return born


def format_cpr(cpr: str) -> str:
    """``"0101901234"`` → ``"010190-1234"``. Anything that is not 10 characters is shown unchanged."""
    number = _compact(cpr or "")
    return f"{number[:6]}-{number[6:]}" if len(number) == 10 else (cpr or "")


def mask_cpr(cpr: str) -> str:
    """``"0101901234"`` → ``"010190-xxxx"``: the birth date stays visible, the løbenummer is hidden."""
    number = _compact(cpr or "")
    return f"{number[:6]}-xxxx" if len(number) == 10 else "xxxxxx-xxxx"


# -- the demo convention -------------------------------------------------------------------------


def _modulus11(number: str) -> int:
    return stdnum_cpr.checksum(number)


def is_synthetic(cpr: str) -> bool:
    """True for a demo CPR: valid date, løbenummer 99xx and a failing modulus-11 check."""
    number = _compact(cpr or "")
    return (
        bool(_DIGITS.fullmatch(number))
        and number[6:8] == _SYNTHETIC_SERIAL_PREFIX
        and _century_date(number) is not None
        and _modulus11(number) != 0
    )


def synthetic_cpr(born: date, index: int, *, female: bool) -> str:
    """The ``index``-th demo CPR for this birth date and sex (last digit even = female, as in CPR).

    Birth years 1937–2036 only (løbenummer 9xxx encodes those centuries). At most ~45 numbers exist
    per date and sex; a larger ``index`` raises ``ValueError``.
    """
    if not 1937 <= born.year <= 2036:
        raise ValueError(f"demo CPR numbers need a birth year 1937–2036, not {born.year}")
    stem = f"{born:%d%m%y}{_SYNTHETIC_SERIAL_PREFIX}"
    found = -1
    for serial in range(100):
        if (serial % 2 == 0) != female:
            continue
        number = f"{stem}{serial:02d}"
        if _modulus11(number) != 0:
            found += 1
            if found == index:
                return number
    raise ValueError(f"no demo CPR number {index} for {born}")
