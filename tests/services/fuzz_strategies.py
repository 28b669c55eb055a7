"""Hypothesis strategies for bad input (issue 8): CPR-like strings, odd Unicode text, impossible dates, amounts.

Synthetic data only. A CPR-like string is never a valid real CPR number: every generated string either fails
``cpr.validate_cpr`` or follows the demo convention (løbenummer 99xx with a failing modulus-11 check,
``cpr.is_synthetic``); ``never_real`` enforces this on whatever a strategy builds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from coordinator_app.domain import cpr
from coordinator_app.domain.errors import ValidationError

#: The tests' fixed today (a Monday); CPR validity and "future" are judged against it.
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

# -- text -----------------------------------------------------------------------------------------------------

DANISH_WORDS = ("Ærø", "Søren", "Åse", "Bøgh-Jensen", "Lærkevej 7, 2. th.", "Østerbro", "København")
CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x85", "\u2028", "\u2029"]
ODD = (
    "\x00",  # NUL: PostgreSQL text cannot hold it
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    "\udfff",
    "\u200d",  # zero-width joiner
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\ufeff",  # byte-order mark
    "\ufffe",  # a noncharacter
    "\u00ad",  # soft hyphen
    "\u0301",  # combining acute accent
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
)
EMOJI = ("👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "👍🏽", "🇩🇰", "😀")
RTL = ("שלום", "مرحبا بالعالم", "\u202bعربي\u202c")
COMBINING = ("e\u0301", "Z\u0351\u0352\u0357\u035b\u0346", "a" + "\u0300" * 50)


def _repeat(unit: str, times: int) -> str:
    return unit * times


#: Text a user could never type but a paste, a scanner or a bug could produce, plus ordinary text.
huge_text = st.builds(
    _repeat, st.sampled_from(["x", "æøå ", "👍", "a\u0301", "\x00", " \n"]), st.integers(1_000, 100_000)
)
odd_text = st.one_of(
    st.just(""),
    st.sampled_from([" ", "   ", "\t", "\n", "\u00a0", "\u3000 \u2003", " \n\t "]),  # whitespace only
    st.sampled_from(DANISH_WORDS + EMOJI + RTL + COMBINING),
    st.lists(st.sampled_from(ODD + tuple(CONTROL) + DANISH_WORDS + EMOJI + RTL + COMBINING), max_size=8).map("".join),
    st.text(max_size=40),  # any code point hypothesis likes, surrogates included
    st.text(st.characters(codec="utf-8"), max_size=300),
    huge_text,
)
#: Mostly odd, sometimes an ordinary value, so the success path (read back what was stored) is exercised too.
maybe_good_text = st.one_of(odd_text, st.sampled_from(DANISH_WORDS))
#: Short texts for names (a required field): empty, whitespace, odd characters, very long ones.
name_text = st.one_of(
    st.sampled_from(("Testa", "Fiktivsen", "Ærø", "Ånd Øster-Ærø", "Ni\u0301els")),
    odd_text,
    st.builds(_repeat, st.sampled_from(["a", "æ", "a "]), st.integers(90, 400)),
)

# -- CPR ------------------------------------------------------------------------------------------------------

_DASHES = ("-", "‐", "–", "—", "−", "/", ".", " ")
_FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))


def _synthetic(born: date, index: int, female: bool) -> str:
    return cpr.synthetic_cpr(born, index, female=female)


#: Demo CPR numbers (valid for cpr.py, recognisably synthetic): the success path.
synthetic_cprs = st.builds(_synthetic, st.dates(date(1937, 1, 1), TODAY), st.integers(0, 20), st.booleans())


def _future_demo(born: date, index: int, female: bool) -> str:
    return cpr.synthetic_cpr(born, index, female=female)


#: Birth date after today: real-shaped, demo løbenummer, refused (the birth date is in the future).
future_cprs = st.builds(
    _future_demo, st.dates(TODAY + timedelta(days=1), date(2036, 12, 31)), st.integers(0, 20), st.booleans()
)


def _plus_sixty(number: str) -> str:
    """The erstatnings-CPR form (day + 60) of a demo number: refused unless flagged as erstatnings-CPR."""
    return f"{int(number[:2]) + 60:02d}{number[2:]}"


def _bad_date(day: int, month: int, rest: str) -> str:
    return f"{day:02d}{month:02d}{rest}"


#: Ten digits whose first six are no date at all (day 0 or 32–60 or 92–99, month 0 or 13–99).
no_date_cprs = st.builds(
    _bad_date,
    st.one_of(st.just(0), st.integers(32, 60), st.integers(92, 99), st.integers(1, 28)),
    st.one_of(st.just(0), st.integers(13, 99)),
    st.text("0123456789", min_size=6, max_size=6),
)


def _with_separators(number: str, cuts: list[int], dashes: list[str]) -> str:
    out = number
    for cut, dash in sorted(zip(cuts, dashes, strict=False), reverse=True):
        out = out[:cut] + dash + out[cut:]
    return out


def _separated(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Dashes (ASCII and Unicode) and spaces in odd places."""
    return st.builds(
        _with_separators,
        base,
        st.lists(st.integers(0, 10), max_size=4),
        st.lists(st.sampled_from(_DASHES), min_size=4, max_size=4),
    )


def _inject(number: str, position: int, junk: str) -> str:
    return number[:position] + junk + number[position:]


def never_real(text: str) -> str:
    """``text`` unchanged, unless it is a valid CPR number that is not a demo number: then its month is made 13,
    so no test ever handles a number that could belong to a living person."""
    try:
        number = cpr.validate_cpr(text, today=TODAY)
    except ValidationError:
        return text
    if cpr.is_synthetic(number):
        return text
    return number[:2] + "13" + number[4:]


cpr_like = st.one_of(
    synthetic_cprs,
    _separated(synthetic_cprs),
    synthetic_cprs.map(lambda n: f"  {n[:6]}-{n[6:]}\t"),  # whitespace around: normalised, accepted
    synthetic_cprs.map(lambda n: n.translate(_FULLWIDTH)),  # full-width digits
    synthetic_cprs.map(_plus_sixty),
    future_cprs,
    no_date_cprs,
    st.builds(_inject, synthetic_cprs, st.integers(0, 10), st.sampled_from(ODD + tuple(CONTROL) + ("a", "K", "ß"))),
    st.text("0123456789", max_size=20).filter(lambda s: len(s) != 10),  # wrong length
    st.text("0123456789-K ", max_size=14),
    st.from_regex(r"[0-9]{6}-?[A-Za-zÆØÅæøå][0-9]{3}", fullmatch=True),  # letter form (erstatnings-CPR)
    odd_text,
).map(never_real)

# -- dates ----------------------------------------------------------------------------------------------------

far_dates = st.one_of(
    st.sampled_from([date.min, date(1, 12, 31), date(1899, 12, 31), date(1989, 12, 31), date(9999, 12, 31)]),
    st.dates(),
)
near_dates = st.dates(TODAY - timedelta(days=400), TODAY + timedelta(days=400))
any_date = st.one_of(far_dates, near_dates, st.just(TODAY))
optional_date = st.one_of(st.none(), any_date)


def _aware(moment: datetime, zone_hours: int) -> datetime:
    from datetime import timezone

    return moment.replace(tzinfo=timezone(timedelta(hours=zone_hours)))


#: Moments: naive ones, aware ones far away, just now, in the future.
moments = st.one_of(
    st.none(),
    st.datetimes(),  # naive
    st.builds(_aware, st.datetimes(), st.integers(-12, 14)),
    st.builds(_aware, st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)), st.integers(-12, 14)),
    st.sampled_from(
        [
            datetime.min.replace(tzinfo=UTC),
            datetime.max.replace(tzinfo=UTC),
            NOW,
            NOW - timedelta(minutes=1),
            NOW + timedelta(minutes=1),
        ]
    ),
)

# -- amounts (bed-day rates) ----------------------------------------------------------------------------------

amount_text = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "-2.150,00",
            "2.150",
            "2150,50",
            "1.976",
            "1976.5",
            "2.150,00 kr.",
            "1.2.3",
            "1,2,3",
            "NaN",
            "nan",
            "sNaN",
            "Infinity",
            "-Infinity",
            "1e999999",
            "1e-999999",
            "1E+5000",
            "0,001",
            "99999999999999999999999999999999999",
            "١٢٣",  # Arabic-Indic digits
            "１９７６",  # full-width digits
            "²",
            "½",
            "kr.",
            "1\x002",
        ]
    ),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: str(d).replace(".", ",")),
    st.text("0123456789.,- kr", max_size=15),
    odd_text,
)
year_text = st.one_of(
    st.sampled_from(["", "2026", "1999", "2101", "0", "-2026", "2026.5", "²", "２０２６", "9" * 5000, " 2026 "]),
    st.integers(-10_000, 10_000).map(str),
    st.text(max_size=8),
)

# -- mostly good input ----------------------------------------------------------------------------------------

GOOD_NAMES = ("Testa", "Fiktivsen", "Ærø", "Åse Østergård", "Bøgh-Jensen", "Ni\u0301els", "Ümit", "Zoë")
good_name = st.sampled_from(GOOD_NAMES)
#: What the text policy refuses besides control characters (issue 18, ``domain.validation``): bidi embeddings,
#: overrides and isolates, zero-width characters, the BOM and the line/paragraph separators. Good text has none.
POLICY_REFUSED = "\u200b\u200c\u200d\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
good_text = st.one_of(
    st.sampled_from(
        [
            *(t for t in DANISH_WORDS + EMOJI + RTL + COMBINING if not set(t) & set(POLICY_REFUSED)),
            "Linje 1\nLinje 2\tmed tab",
        ]
    ),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters=POLICY_REFUSED),
        max_size=200,
    ),
)


@st.composite
def mostly_good(
    draw: st.DrawFn,
    cls: type,
    good: dict[str, st.SearchStrategy[object]],
    bad: dict[str, st.SearchStrategy[object]],
    max_changes: int = 3,
) -> object:
    """``cls`` built from ``good`` values with up to ``max_changes`` fields swapped for ``bad`` ones, so every
    refusal has one clear cause and the success path (read back what was stored) is exercised too."""
    values = {name: draw(strategy) for name, strategy in good.items()}
    for name in draw(st.lists(st.sampled_from(sorted(bad)), max_size=max_changes, unique=True)):
        values[name] = draw(bad[name])
    return cls(**values)
