"""Reference data the ward's IT may edit: the 98 kommuner and the psychiatric centres with their wards.

The tables live as UTF-8 CSV files in ``resources/`` (see ``resources/README.md``), not in code, because
centres, wards and catchment areas change over time. This module reads their *content*
(:func:`parse_kommuner`, :func:`parse_centres`); finding and reading the files is infrastructure
(``coordinator_app.infra.resources.load_kommuner`` / ``load_centres``). A malformed file gives a Danish
``ValidationError`` naming the file and line, so IT can fix it without reading a traceback.

Also home of :func:`danish_sort_key`, the one Danish collation used for every list of names.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Kommune

KOMMUNER_FILE = "kommuner.csv"
CENTRES_FILE = "centre.csv"

#: The five regions, as written in ``kommuner.csv`` (a leading "Region " is accepted and dropped).
REGIONS: tuple[str, ...] = ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")
#: The product's own region; its kommuner come first in every kommune list.
HOME_REGION = "Hovedstaden"


@dataclass(frozen=True, slots=True)
class Centre:
    """A psychiatric centre and its wards (døgnafsnit), in the order of ``centre.csv``."""

    name: str
    wards: tuple[str, ...]


# -- Danish collation ------------------------------------------------------------------------------

# Letters after z, in the Danish alphabet's order: æ (ä), ø (ö, ő), å (aa). ü sorts as y.
# Value: (primary stand-in, secondary rank): the Danish letter itself ranks before its variants.
_LETTERS = {
    "æ": ("{", "0"),
    "ä": ("{", "1"),
    "ø": ("|", "0"),
    "ö": ("|", "1"),
    "ő": ("|", "2"),
    "å": ("}", "0"),
    "ü": ("y", "1"),
    "ű": ("y", "2"),
}


@lru_cache(maxsize=65536)
def danish_sort_key(text: str) -> str:
    """A key that sorts names as a Danish dictionary does (CLDR ``da``): …, x, y, z, æ, ø, å.

    - æ and ä sort after z, ø and ö after æ, å last; ü sorts as y;
    - a double "aa" is the letter å (Aabenraa and Aalborg come after Ærø and Ølstykke, as in
      Danish lists), following the CLDR Danish tailoring;
    - case and accents are ignored at first (é = e); then the plain letter comes before its variant
      (Ærlig < Ärlig, Århus < Aarhus, Rene < René), then lower case before upper, so the order is total;
    - spaces and punctuation sort before letters ("Høje-Taastrup" before "Højer").

    The key is a plain ``str``, so it works with ``sorted`` and inside tuples in the UI's sort keys.
    """
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    primary: list[str] = []
    secondary: list[str] = []
    i = 0
    while i < len(folded):
        ch = folded[i]
        if folded.startswith("aa", i):
            primary.append("}")
            secondary.append("1")
            i += 2
            continue
        if ch in _LETTERS:
            letter, rank = _LETTERS[ch]
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            letter = "".join(c for c in decomposed if not unicodedata.combining(c))
            rank = "0" if letter == decomposed else "1"
        primary.append(letter)
        secondary.append(rank)
        i += 1
    # NUL separators: a shorter primary (a prefix) sorts first; ties fall back to accents, then the text.
    return "".join(primary) + "\x00" + "".join(secondary) + "\x00" + folded + "\x00" + text.swapcase()


# -- CSV reading -----------------------------------------------------------------------------------


def _rows(raw: bytes, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` from the bytes of the small editable CSV file ``name``.

    Accepts what a ward's IT produces: UTF-8 with or without BOM (Excel's "CSV UTF-8"), comma or
    semicolon as separator (Danish Excel), blank lines and ``#`` comment lines.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"Fejl i {name}, linje {bad_line}: filen er ikke gemt som UTF-8. "
            'Gem den igen som "CSV UTF-8" (i Excel: Gem som → CSV UTF-8).',
            field=name,
        ) from None
    lines = text.splitlines()
    numbered = [(i, line) for i, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise ValidationError(f"Filen {name} er tom. Den skal have en overskriftslinje: {','.join(required)}.")
    header_no, header_line = numbered[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [h.strip().casefold() for h in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            f"Fejl i {name}, linje {header_no}: overskriften mangler kolonnen "
            f"{', '.join(missing)}. Første linje skal være: {','.join(required)}.",
            field=name,
        )
    for line_no, line in numbered[1:]:
        cells = next(csv.reader([line], delimiter=delimiter))
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise ValidationError(
                f"Fejl i {name}, linje {line_no}: der er {len(cells)} felter, men overskriften har "
                f"{len(header)}. Står der et ekstra komma eller semikolon i et navn? Sæt så navnet i "
                "anførselstegn.",
                field=name,
            )
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        yield line_no, values


def normalise_kommunekode(code: str | int) -> str | None:
    """``"101"``, ``"0101"`` (DAGI's 4 digits) or ``101`` → ``"101"``; anything else → ``None``."""
    text = str(code).strip()
    if len(text) == 4 and text.startswith("0"):
        text = text[1:]
    if len(text) == 3 and text.isascii() and text.isdigit():
        return text
    return None


def _region(value: str) -> str | None:
    value = value.strip()
    if value.casefold().startswith("region "):
        value = value[len("region ") :].strip()
    for region in REGIONS:
        if value.casefold() == region.casefold():
            return region
    return None


def parse_kommuner(raw: bytes, name: str = KOMMUNER_FILE) -> list[Kommune]:
    """All kommuner from the bytes of ``kommuner.csv``: Region Hovedstaden first, then the rest; each part by name.

    Both parts are sorted by :func:`danish_sort_key` (not by code): the list feeds pickers where a
    coordinator looks for a name. The file's own row order does not matter.
    """
    seen: dict[str, int] = {}
    kommuner: list[Kommune] = []
    for line_no, row in _rows(raw, name, ("kode", "navn", "region")):
        where = f"Fejl i {name}, linje {line_no}"
        code = normalise_kommunekode(row["kode"])
        if code is None:
            raise ValidationError(
                f"{where}: kommunekoden {row['kode']!r} skal være tre cifre (fx 101 for København).",
                field=name,
            )
        if code in seen:
            raise ValidationError(
                f"{where}: kommunekoden {code} står allerede på linje {seen[code]}. Slet den ene linje.",
                field=name,
            )
        if not row["navn"]:
            raise ValidationError(f"{where}: kommunen med kode {code} mangler et navn.", field=name)
        region = _region(row["region"])
        if region is None:
            raise ValidationError(
                f"{where}: regionen {row['region']!r} kendes ikke. Brug en af: {', '.join(REGIONS)}.",
                field=name,
            )
        seen[code] = line_no
        mail = row.get("sikker_mail", "") or None
        kommuner.append(Kommune(code=code, name=row["navn"], region=region, secure_mail=mail))
    kommuner.sort(key=lambda k: (k.region != HOME_REGION, danish_sort_key(k.name), k.code))
    return kommuner


def kommune_by_code(code: str | int, kommuner: Iterable[Kommune]) -> Kommune | None:
    """The kommune with this kommunekode (``"101"``, ``"0101"`` or ``101``) in ``kommuner``, or ``None``."""
    wanted = normalise_kommunekode(code)
    if wanted is None:
        return None
    for kommune in kommuner:
        if kommune.code == wanted:
            return kommune
    return None


def parse_centres(raw: bytes, name: str = CENTRES_FILE) -> list[Centre]:
    """Centres and their wards from the bytes of ``centre.csv`` (one line per ward), in the file's order.

    A line with an empty ``afsnit`` lists a centre without wards yet.
    """
    wards: dict[str, list[str]] = {}
    for line_no, row in _rows(raw, name, ("center", "afsnit")):
        where = f"Fejl i {name}, linje {line_no}"
        centre, ward = row["center"], row["afsnit"]
        if not centre:
            raise ValidationError(f"{where}: kolonnen center er tom. Skriv centrets navn.", field=name)
        listed = wards.setdefault(centre, [])
        if ward:
            if ward in listed:
                raise ValidationError(f"{where}: afsnittet {ward!r} står to gange under {centre}.", field=name)
            listed.append(ward)
    return [Centre(name=name, wards=tuple(ws)) for name, ws in wards.items()]


#: Official names that are not "<navn> Kommune".
KOMMUNE_OFFICIAL = {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}


def official_kommune_name(kommune: str) -> str:
    """ "København" → "Københavns Kommune", "Gentofte" → "Gentofte Kommune" (as written on letters and plans)."""
    return KOMMUNE_OFFICIAL.get(kommune, f"{kommune} Kommune")
