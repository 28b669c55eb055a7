"""Reference data: the 98 kommuner, the centres, Danish sort order and friendly CSV errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.domain import reference
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Kommune
from coordinator_app.domain.reference import danish_sort_key, kommune_by_code
from coordinator_app.infra.resources import load_centres, load_kommuner

# The 29 of Region Hovedstaden (resources/kommuner.csv) and a sample of the other regions.
HOVEDSTADEN = {
    "101": "København",
    "147": "Frederiksberg",
    "151": "Ballerup",
    "153": "Brøndby",
    "155": "Dragør",
    "157": "Gentofte",
    "159": "Gladsaxe",
    "161": "Glostrup",
    "163": "Herlev",
    "165": "Albertslund",
    "167": "Hvidovre",
    "169": "Høje-Taastrup",
    "173": "Lyngby-Taarbæk",
    "175": "Rødovre",
    "183": "Ishøj",
    "185": "Tårnby",
    "187": "Vallensbæk",
    "190": "Furesø",
    "201": "Allerød",
    "210": "Fredensborg",
    "217": "Helsingør",
    "219": "Hillerød",
    "223": "Hørsholm",
    "230": "Rudersdal",
    "240": "Egedal",
    "250": "Frederikssund",
    "260": "Halsnæs",
    "270": "Gribskov",
    "400": "Bornholm",
}
SAMPLE = {
    "253": ("Greve", "Sjælland"),
    "306": ("Odsherred", "Sjælland"),
    "316": ("Holbæk", "Sjælland"),
    "376": ("Guldborgsund", "Sjælland"),
    "461": ("Odense", "Syddanmark"),
    "492": ("Ærø", "Syddanmark"),
    "580": ("Aabenraa", "Syddanmark"),
    "630": ("Vejle", "Syddanmark"),
    "615": ("Horsens", "Midtjylland"),
    "751": ("Aarhus", "Midtjylland"),
    "766": ("Hedensted", "Midtjylland"),
    "779": ("Skive", "Midtjylland"),
    "773": ("Morsø", "Nordjylland"),
    "825": ("Læsø", "Nordjylland"),
    "851": ("Aalborg", "Nordjylland"),
    "860": ("Hjørring", "Nordjylland"),
}


@pytest.fixture
def kommuner() -> list:
    return load_kommuner()


def test_all_98_kommuner_with_unique_three_digit_codes(kommuner: list) -> None:
    assert len(kommuner) == 98
    codes = [k.code for k in kommuner]
    assert len(set(codes)) == 98
    assert all(len(c) == 3 and c.isdigit() for c in codes)
    assert len({k.name for k in kommuner}) == 98
    assert all(k.secure_mail is None for k in kommuner)  # F3: filled in by the ward's IT


def test_regions_have_their_official_number_of_kommuner(kommuner: list) -> None:
    counts = {r: sum(k.region == r for k in kommuner) for r in reference.REGIONS}
    assert counts == {
        "Hovedstaden": 29,
        "Sjælland": 17,
        "Syddanmark": 22,
        "Midtjylland": 19,
        "Nordjylland": 11,
    }


def test_hovedstaden_codes_match_reference_data(kommuner: list) -> None:
    assert {k.code: k.name for k in kommuner if k.region == "Hovedstaden"} == HOVEDSTADEN


@pytest.mark.parametrize(("code", "expected"), SAMPLE.items())
def test_sample_of_other_regions_has_exact_codes(kommuner: list, code: str, expected: tuple[str, str]) -> None:
    k = kommune_by_code(code, kommuner)
    assert k is not None
    assert (k.name, k.region) == expected


def test_hovedstaden_first_then_the_rest_each_by_danish_name(kommuner: list) -> None:
    regions = [k.region == "Hovedstaden" for k in kommuner]
    assert regions == sorted(regions, reverse=True)
    names = [k.name for k in kommuner]
    home, rest = names[:29], names[29:]
    assert home == sorted(home, key=danish_sort_key)
    assert rest == sorted(rest, key=danish_sort_key)
    assert home[0] == "Albertslund" and home[-1] == "Vallensbæk"
    assert rest[-5:] == ["Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus"]


def name_of(kommune: Kommune | None) -> str | None:
    return kommune.name if kommune is not None else None


def test_kommune_by_code_accepts_dagi_four_digits_and_ints(kommuner: list) -> None:
    assert name_of(kommune_by_code("0101", kommuner)) == "København"
    assert name_of(kommune_by_code(851, kommuner)) == "Aalborg"
    assert kommune_by_code("411", kommuner) is None  # Christiansø is not a kommune
    assert kommune_by_code("abc", kommuner) is None
    assert name_of(kommune_by_code("860", load_kommuner())) == "Hjørring"


class TestDanishSortKey:
    def test_ae_oe_aa_come_after_z_in_that_order(self) -> None:
        names = ["Åby", "Ølstykke", "Ærø", "Zealand", "Aabenraa", "Vejle", "Abild"]
        assert sorted(names, key=danish_sort_key) == [
            "Abild",
            "Vejle",
            "Zealand",
            "Ærø",
            "Ølstykke",
            "Aabenraa",
            "Åby",
        ]

    def test_double_aa_is_the_letter_aa(self) -> None:
        # CLDR Danish: "Aarhus" sorts as "Århus", so the two spellings sit together after Ø.
        names = ["Aarhus", "Odense", "Århus", "Østerbro", "Aalborg"]
        assert sorted(names, key=danish_sort_key) == ["Odense", "Østerbro", "Aalborg", "Århus", "Aarhus"]

    def test_german_and_swedish_letters_sort_as_danish(self) -> None:
        names = ["Özil", "Ørsted", "Ärlig", "Ærlig", "Zorro", "Müller", "Mxyz", "Mzz"]
        assert sorted(names, key=danish_sort_key) == [
            "Mxyz",
            "Müller",
            "Mzz",
            "Zorro",
            "Ærlig",
            "Ärlig",
            "Ørsted",
            "Özil",
        ]

    def test_case_and_accents_do_not_decide_but_break_ties(self) -> None:
        assert sorted(["HANSEN", "Hansen", "hansen", "Hansan"], key=danish_sort_key) == [
            "Hansan",
            "hansen",
            "Hansen",
            "HANSEN",
        ]
        assert danish_sort_key("Rene") < danish_sort_key("René") < danish_sort_key("Renz")
        assert danish_sort_key("andersen") < danish_sort_key("Bach") < danish_sort_key("bech")
        assert danish_sort_key("Hansen") != danish_sort_key("hansen")  # total order

    def test_punctuation_and_spaces_sort_before_letters(self) -> None:
        assert danish_sort_key("Høje-Taastrup") < danish_sort_key("Højer")
        assert danish_sort_key("Lund") < danish_sort_key("Lund Hansen") < danish_sort_key("Lunde")

    def test_key_is_a_plain_string(self) -> None:
        assert isinstance(danish_sort_key("Ærø"), str)
        assert danish_sort_key("") < danish_sort_key("a")


def test_centres_of_region_hovedstaden_with_wards() -> None:
    centres = load_centres()
    names = [c.name for c in centres]
    for expected in ("Amager", "Ballerup", "Bornholm", "Glostrup", "København", "Nordsjælland", "Sct. Hans"):
        assert f"Psykiatrisk Center {expected}" in names
    assert "Børne- og Ungdomspsykiatrisk Center" in names
    assert names[0] == "Psykiatrisk Center København"  # the demo ward's centre
    assert all(c.wards and len(set(c.wards)) == len(c.wards) for c in centres)
    assert all(w.startswith("Afsnit ") for c in centres for w in c.wards)


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "kommuner.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


class TestEditedFiles:
    def test_excel_semicolons_bom_comments_and_blank_lines(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "# redigeret af IT\nkode;navn;region;sikker_mail\n\n"
            "0101;København;Region Hovedstaden;kk@sikker.example.dk\n751;Aarhus;Midtjylland;\n",
            encoding="utf-8-sig",
        )
        kommuner = load_kommuner(path)
        assert [(k.code, k.name, k.region, k.secure_mail) for k in kommuner] == [
            ("101", "København", "Hovedstaden", "kk@sikker.example.dk"),
            ("751", "Aarhus", "Midtjylland", None),
        ]

    @pytest.mark.parametrize(
        ("body", "line", "words"),
        [
            ("kode,navn,region\n101,København,Hovedstaden\n10x,Ballerup,Hovedstaden\n", 3, "tre cifre"),
            (
                "kode,navn,region\n101,København,Hovedstaden\n\n101,Kbh,Hovedstaden\n",
                4,
                "står allerede på linje 2",
            ),
            ("kode,navn,region\n101,,Hovedstaden\n", 2, "mangler et navn"),
            ("kode,navn,region\n101,København,Sjællands\n", 2, "regionen 'Sjællands' kendes ikke"),
            ("kode,navn\n101,København\n", 1, "mangler kolonnen region"),
            ("kode,navn,region\n101,København,Hovedstaden,x,y\n", 2, "ekstra komma"),
        ],
    )
    def test_malformed_kommuner_name_the_line(self, tmp_path: Path, body: str, line: int, words: str) -> None:
        with pytest.raises(ValidationError) as info:
            load_kommuner(write(tmp_path, body))
        assert f"linje {line}" in info.value.message
        assert words in info.value.message
        assert "kommuner.csv" in info.value.message

    def test_not_utf8_asks_for_csv_utf8(self, tmp_path: Path) -> None:
        path = write(tmp_path, "kode,navn,region\n101,København,Hovedstaden\n", encoding="cp1252")
        with pytest.raises(ValidationError, match=r"linje 2: filen er ikke gemt som UTF-8.*CSV UTF-8"):
            load_kommuner(path)

    def test_empty_file(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match="er tom"):
            load_kommuner(write(tmp_path, "\n# kun kommentar\n"))

    def test_centres_keep_file_order_and_allow_a_centre_without_wards(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "center,afsnit\nPC B,Afsnit 2\nPC A,\nPC B,Afsnit 1\n",
            name="centre.csv",
        )
        assert load_centres(path) == [
            reference.Centre("PC B", ("Afsnit 2", "Afsnit 1")),
            reference.Centre("PC A", ()),
        ]

    def test_duplicate_ward_names_the_line(self, tmp_path: Path) -> None:
        path = write(tmp_path, "center,afsnit\nPC B,Afsnit 2\nPC B,Afsnit 2\n", name="centre.csv")
        with pytest.raises(ValidationError, match=r"centre\.csv, linje 3: afsnittet 'Afsnit 2' står to"):
            load_centres(path)
