"""CPR validation (stdnum rules, Danish messages), erstatnings-CPR and the demo convention."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.dk import cpr as stdnum_cpr

from coordinator_app.domain import cpr
from coordinator_app.domain.errors import ValidationError

TODAY = date(2026, 3, 2)


def error_for(text: str, *, replacement: bool = False) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        cpr.validate_cpr(text, replacement=replacement, today=TODAY)
    assert info.value.field == "cpr"
    return info.value


@pytest.mark.parametrize("text", ["211062-5629", "2110625629", " 211062 5629 ", "211062–5629"])
def test_valid_cpr_is_normalised_to_ten_digits(text: str) -> None:
    assert cpr.validate_cpr(text, today=TODAY) == "2110625629"


def test_modulus_11_is_not_required_as_in_stdnum() -> None:
    # CPR-kontoret has issued numbers without modulus-11 since 1 October 2007.
    assert stdnum_cpr.checksum("0101651234") != 0
    assert cpr.validate_cpr("010165-1234", today=TODAY) == "0101651234"


def test_empty_asks_for_the_number_and_mentions_erstatnings_cpr() -> None:
    message = error_for("   ").message
    assert "Skriv patientens CPR-nummer" in message
    assert "Erstatnings-CPR" in message


@pytest.mark.parametrize("text", ["211062-562", "21106256291", "2110"])
def test_wrong_length_says_ten_digits_and_how_many_were_typed(text: str) -> None:
    message = error_for(text).message
    assert "10 cifre" in message
    assert f"der står {len(text.replace('-', ''))}" in message


@pytest.mark.parametrize("text", ["21106A-5629", "2110625629x", "211062/5629", "٢١١٠٦٢٥٦٢٩"])
def test_letters_or_other_characters_are_refused(text: str) -> None:
    message = error_for(text).message
    assert "kun indeholde cifre" in message
    assert "Erstatnings-CPR" in message


@pytest.mark.parametrize("text", ["310290-1234", "000190-1234", "011390-1234", "290221-1234"])
def test_impossible_birth_date_names_the_digits_and_the_way_out(text: str) -> None:
    message = error_for(text).message
    assert text[:6] in message
    assert "ikke en gyldig fødselsdato" in message
    assert "Erstatnings-CPR" in message


def test_birth_date_in_the_future_is_refused_relative_to_the_given_today() -> None:
    # 7th digit 4 and year 27 → 2027; not yet born on TODAY.
    message = error_for("010127-4123").message
    assert "01-01-2027" in message
    assert "ligger efter i dag" in message
    # ... but valid once that day has come: today is passed in, not read from the clock.
    assert cpr.validate_cpr("010127-4123", today=date(2027, 1, 1)) == "0101274123"


def test_a_replacement_number_without_the_box_ticked_points_to_erstatnings_cpr() -> None:
    assert "Erstatnings-CPR" in error_for("670590-1234").message
    assert "Erstatnings-CPR" in error_for("070590-K123").message


class TestErstatningsCpr:
    def test_cpr_kontoret_form_day_plus_60(self) -> None:
        assert cpr.validate_cpr("670590-1234", replacement=True, today=TODAY) == "6705901234"
        assert cpr.birth_date("6705901234", today=TODAY) == date(1990, 5, 7)
        assert cpr.is_replacement("6705901234")

    def test_letter_form_birth_date_letter_three_digits(self) -> None:
        assert cpr.validate_cpr("070590-k123", replacement=True, today=TODAY) == "070590K123"
        assert cpr.birth_date("070590K123", today=TODAY) == date(1990, 5, 7)
        assert cpr.birth_date("070510K123", today=TODAY) == date(2010, 5, 7)
        assert cpr.is_replacement("070590K123")

    def test_a_real_cpr_cannot_be_used_as_replacement(self) -> None:
        message = error_for("211062-5629", replacement=True).message
        assert "almindeligt CPR-nummer" in message
        assert not cpr.is_replacement("2110625629")

    @pytest.mark.parametrize("text", ["920590-1234", "900290-1234", "073290-K123", "67059-1234", "0705901K23"])
    def test_malformed_replacements_are_refused(self, text: str) -> None:
        assert error_for(text, replacement=True).message

    def test_future_replacement_birth_date(self) -> None:
        assert "ligger efter i dag" in error_for("610127-4123", replacement=True).message


def test_format_and_mask() -> None:
    assert cpr.format_cpr("0101901234") == "010190-1234"
    assert cpr.format_cpr("010190-1234") == "010190-1234"
    assert cpr.format_cpr("070590K123") == "070590-K123"
    assert cpr.mask_cpr("0101901234") == "010190-xxxx"
    assert cpr.mask_cpr("garbage") == "xxxxxx-xxxx"
    assert cpr.format_cpr("123") == "123"


def test_birth_date_uses_the_century_digit() -> None:
    assert cpr.birth_date("0101651234", today=TODAY) == date(1965, 1, 1)
    assert cpr.birth_date("0101054123", today=TODAY) == date(2005, 1, 1)
    assert cpr.birth_date("0101379123", today=TODAY) == date(1937, 1, 1)
    with pytest.raises(ValidationError):
        cpr.birth_date("3102901234", today=TODAY)


class TestDemoConvention:
    def test_synthetic_numbers_are_valid_for_stdnum_and_recognised(self) -> None:
        seen = set()
        for born in (date(1941, 1, 1), date(1980, 5, 17), date(2005, 12, 31)):
            for female in (True, False):
                for index in range(40):
                    number = cpr.synthetic_cpr(born, index, female=female)
                    assert stdnum_cpr.validate(number) == number
                    assert cpr.validate_cpr(number, today=TODAY) == number
                    assert cpr.birth_date(number, today=TODAY) == born
                    assert cpr.is_synthetic(number)
                    assert number[6:8] == "99"
                    assert stdnum_cpr.checksum(number) != 0
                    assert (int(number[-1]) % 2 == 0) == female
                    seen.add(number)
        assert len(seen) == 3 * 2 * 40

    def test_real_looking_numbers_are_not_synthetic(self) -> None:
        assert not cpr.is_synthetic("2110625629")  # løbenummer not 99xx
        assert not cpr.is_synthetic("0101909913")  # 99xx but modulus-11 holds
        assert stdnum_cpr.checksum("0101909913") == 0
        assert not cpr.is_synthetic("6705909912")  # erstatnings-CPR
        assert not cpr.is_synthetic("")

    def test_birth_years_outside_the_century_code_are_refused(self) -> None:
        with pytest.raises(ValueError):
            cpr.synthetic_cpr(date(1930, 1, 1), 0, female=True)


@given(st.text(max_size=30), st.booleans())
def test_validate_cpr_never_raises_anything_but_validation_error(text: str, replacement: bool) -> None:
    try:
        result = cpr.validate_cpr(text, replacement=replacement, today=TODAY)
    except ValidationError as exc:
        assert exc.message and exc.field == "cpr"
    else:
        assert len(result) == 10
        assert cpr.format_cpr(result)[6] == "-"


@given(st.from_regex(r"[0-9]{6}-?[0-9A-Z]{4}", fullmatch=True), st.booleans())
def test_validate_cpr_on_cpr_shaped_text(text: str, replacement: bool) -> None:
    try:
        result = cpr.validate_cpr(text, replacement=replacement, today=TODAY)
    except ValidationError:
        return
    assert cpr.is_replacement(result) == replacement
    assert cpr.birth_date(result, today=TODAY) <= TODAY


@given(st.text(max_size=20))
def test_display_helpers_never_raise(text: str) -> None:
    assert isinstance(cpr.format_cpr(text), str)
    assert cpr.mask_cpr(text).endswith("xxxx")
    assert isinstance(cpr.is_synthetic(text), bool)
    assert isinstance(cpr.is_replacement(text), bool)
