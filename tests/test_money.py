"""Tests for kompalloc.money: reading and writing amounts in exact øre."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompalloc.money import ORE_PER_KRONE, MoneyError, format_kr, format_mnok, parse_money

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
KR = ORE_PER_KRONE
MILL = 1_000_000 * KR


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        # digits only: whole kroner
        ("20000000", 20_000_000 * KR),
        ("0", 0),
        ("7", 7 * KR),
        ("  1500\n", 1_500 * KR),
        # thousands separators
        ("7 000 000", 7_000_000 * KR),
        ("20 000 000", 20_000_000 * KR),
        (f"20{NBSP}000{NBSP}000", 20_000_000 * KR),
        (f"20{NNBSP}000{NNBSP}000", 20_000_000 * KR),
        (f"20{THIN}000{THIN}000", 20_000_000 * KR),
        (f"7{NBSP}000 000", 7_000_000 * KR),
        ("999 999", 999_999 * KR),
        ("1 000", 1_000 * KR),
        # kroner units, before or after, any case, with or without a space
        ("7 000 000 kr", 7_000_000 * KR),
        ("7 000 000 kr.", 7_000_000 * KR),
        ("7 000 000kr", 7_000_000 * KR),
        ("kr 7 000 000", 7_000_000 * KR),
        ("kr. 7 000 000", 7_000_000 * KR),
        ("kr7000000", 7_000_000 * KR),
        ("Kr 7 000 000", 7_000_000 * KR),
        ("NOK 2 500 000", 2_500_000 * KR),
        ("2 500 000 NOK", 2_500_000 * KR),
        ("2 500 000 nok", 2_500_000 * KR),
        ("2 500 000 kroner", 2_500_000 * KR),
        ("kroner 2 500", 2_500 * KR),
        (f"20 000 000{NBSP}kr", 20_000_000 * KR),
        # ',-' means whole kroner
        ("350 000,-", 350_000 * KR),
        ("kr 350 000,-", 350_000 * KR),
        ("kr 350 000,\u2013", 350_000 * KR),
        ("350 000,- kr", 350_000 * KR),
        ("0,-", 0),
        # thousands
        ("500 TNOK", 500_000 * KR),
        ("500 tnok", 500_000 * KR),
        ("500 kNOK", 500_000 * KR),
        ("500 tusen", 500_000 * KR),
        ("500 tusen kroner", 500_000 * KR),
        ("1,5 TNOK", 1_500 * KR),
        # millions
        ("20 MNOK", 20 * MILL),
        ("20MNOK", 20 * MILL),
        ("20 mnok", 20 * MILL),
        ("1,5 MNOK", 150_000_000),
        ("1,5 mill", 150_000_000),
        ("1,5 mill.", 150_000_000),
        ("1,5 mill. kr", 150_000_000),
        ("1,5 mill.kr", 150_000_000),
        ("1,5 Mill. NOK", 150_000_000),
        ("1 million", MILL),
        ("2 millioner", 2 * MILL),
        ("2 millioner kroner", 2 * MILL),
        ("1,2345 MNOK", 123_450_000),
        ("1,2345678 MNOK", 123_456_780),  # exactly 1 234 567,80 kr
        ("0,05 MNOK", 5_000_000),
        ("1 000 MNOK", 1_000 * MILL),
        # billions
        ("2 mrd", 2_000 * MILL),
        ("2 mrd.", 2_000 * MILL),
        ("2,5 mrd. kr", 2_500 * MILL),
        ("1 milliard", 1_000 * MILL),
        ("3 milliarder kroner", 3_000 * MILL),
        # decimal comma
        ("1 250 000,50 kr", 125_000_050),
        ("1 250 000,5 kr", 125_000_050),
        ("1250000,50", 125_000_050),
        ("0,50 kr", 50),
        ("0,01", 1),
        ("0,5", 50),
        ("0,0", 0),
        ("12,00", 1_200),
        ("12,0000", 1_200),  # four decimals are not ambiguous, and are whole øre
        ("1 250,5", 125_050),
        ("0,500 kr", 50),  # three decimals after a lone 0 cannot mean thousands
        ("0,120 TNOK", 12_000),
        # the largest accepted sizes: 18 digits
        ("999999999999999999", 999_999_999_999_999_999 * KR),
        ("999 999 999 999 999 999 kr", 999_999_999_999_999_999 * KR),
    ],
)
def test_parse_good(text: str, ore: int) -> None:
    assert parse_money(text) == ore


@pytest.mark.parametrize(
    "text",
    [
        # empty
        "",
        "   ",
        "\n\t",
        NBSP,
        # negative
        "-5",
        "- 5 kr",
        "\u22125",
        "-5 000 kr",
        "kr -5",
        "-0",
        "-1,5 MNOK",
        "+5",
        # dots
        "20.000.000",
        "1.5 MNOK",
        "1.5",
        "1.500",
        "20.000.000 kr",
        "2.0e+7",
        "1.000,50",
        "5.",
        ".5",
        # comma as thousands separator, or ambiguous comma
        "20,000,000",
        "1,500,-",
        "1,500",
        "1,500 kr",
        "2,500 MNOK",
        "1 250,500",
        "1,000",
        "1,5 00",
        "5,",
        # leading zeros
        "010",
        "00",
        "00,5",
        "0 500",
        # wrong grouping
        "70 00 000",
        "7000 000",
        "7 0000",
        "7  000",
        "5 5",
        # not decimal notation
        "2e7",
        "2E7",
        "1e3 kr",
        "2e-7",
        ".inf",
        "-.inf",
        ".Inf",
        "inf",
        "infinity",
        "nan",
        ".nan",
        ".NaN",
        "0x1F",
        "0o17",
        "0b101",
        "1:30",
        "20_000_000",
        "1_000 kr",
        # unknown or misplaced units
        "20 EUR",
        "20 MUSD",
        "5 dollars",
        "5 €",
        "EUR 20",
        "MNOK 5",
        "mill 5",
        "5 kr MNOK",
        "5 MNOK mill",
        "kr 5 kr",
        "NOK 5 kroner",
        "5 tusen.",
        "5,- MNOK",
        "1,5 MNOK,-",
        # not a (single) amount
        "abc",
        "kr",
        "MNOK",
        ",-",
        "about 7 MNOK",
        "7 MNOK approx",
        "7-8 MNOK",
        "7\u20138 MNOK",
        "5 kr 5",
        "5 kr og 6 kr",
        "(5)",
        "5 %",
        "\u0663",  # ARABIC-INDIC DIGIT THREE
        "\uff15",  # FULLWIDTH DIGIT FIVE
        # not a whole number of øre
        "0,001 kr",
        "0,001",
        "1,234567891 MNOK",
        "0,123456 TNOK",
        # absurd sizes
        "1234567890123456789",
        "1 234 567 890 123 456 789",
        "9" * 5000,
        "1" + " 000" * 30,
    ],
)
def test_parse_bad(text: str) -> None:
    result = parse_money(text)
    assert isinstance(result, MoneyError), result
    assert result.message
    assert result.hint is None or result.hint


@pytest.mark.parametrize(
    ("text", "in_message", "in_hint"),
    [
        ("20.000.000", "ambiguous", "'20 000 000'"),
        ("1.5 MNOK", "'.'", "'1,5 MNOK'"),
        ("1.500", "'.'", "'1 500' for thousands or '1,5' for decimals"),
        ("1,500", "ambiguous", "write '1 500' for thousands or '1,5' for decimals"),
        ("1,500 kr", "ambiguous", "'1 500 kr' for thousands or '1,5 kr' for decimals"),
        ("2,500 MNOK", "ambiguous", "'2 500 MNOK' for thousands or '2,5 MNOK' for decimals"),
        ("1,234", "ambiguous", "'1,2340' for decimals"),
        ("20,000,000", "','", "'20 000 000'"),
        ("1,500,-", "','", "'1 500,-'"),
        ("1.000,50", "'.'", "write '1 000,50' for thousands"),
        ("20_000_000", "'_'", "write '20 000 000'"),
        ("70 00 000", "grouped", "'7 000 000'"),
        ("010", "octal", "'10'"),
        ("-5", "amounts cannot be negative", None),
        ("- 5 kr", "amounts cannot be negative", None),
        ("\u22125", "amounts cannot be negative", None),
        ("+5 kr", "'+'", "'5 kr'"),
        ("20 EUR", "'EUR'", "MNOK"),
        ("20 MUSD", "'MUSD'", "kroner"),
        ("5 dollars", "'dollars'", "kr"),
        ("2e7", "exponent", "20 000 000"),
        ("0,001 kr", "øre", "2 decimals"),
        ("1,234567891 MNOK", "øre", "8 decimals"),
        ("7-8 MNOK", "single amount", None),
        ("abc", "not an amount", None),
        ("", "empty", None),
        ("5,- MNOK", "',-'", "'5 MNOK'"),
    ],
)
def test_parse_bad_explains(text: str, in_message: str, in_hint: str | None) -> None:
    result = parse_money(text)
    assert isinstance(result, MoneyError), result
    assert in_message in result.message
    if in_hint is not None:
        assert result.hint is not None
        assert in_hint in result.hint


def test_parse_bad_quotes_the_input() -> None:
    result = parse_money("  20.000.000 kr ")
    assert isinstance(result, MoneyError)
    assert "'20.000.000 kr'" in result.message


@pytest.mark.parametrize("text", ["9" * 5000, "1 " * 100_000, "kr" * 10**6, " " * 10**6 + "5"])
def test_parse_long_input_is_quick(text: str) -> None:
    start = time.perf_counter()
    result = parse_money(text)
    assert time.perf_counter() - start < 0.5
    if text.strip() == "5":
        assert result == 500
    else:
        assert isinstance(result, MoneyError)


def test_money_error_is_frozen() -> None:
    error = MoneyError("x")
    assert error.hint is None
    with pytest.raises(AttributeError):
        error.message = "y"  # type: ignore[misc]


@given(st.integers(min_value=0, max_value=10**15))
def test_format_kr_round_trips(ore: int) -> None:
    assert parse_money(format_kr(ore)) == ore
    assert parse_money(format_kr(ore, space=" ")) == ore
    assert parse_money(format_kr(ore, space="\u202f")) == ore


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_plain_digits_are_kroner(kroner: int) -> None:
    assert parse_money(str(kroner)) == kroner * KR
    assert parse_money(f"{kroner:,}".replace(",", " ") + " kr") == kroner * KR


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_kroner(kroner: int, ore: int) -> None:
    assert parse_money(f"{kroner},{ore:02d} kr") == kroner * KR + ore


@given(st.text())
def test_parse_never_raises(text: str) -> None:
    result = parse_money(text)
    assert isinstance(result, int | MoneyError)
    if isinstance(result, int):
        assert result >= 0


@given(st.text(alphabet="0123456789 ,.-+_:eExbo\u00a0\u2212krNOKMmilrd", max_size=30))
def test_parse_never_raises_on_amount_like_text(text: str) -> None:
    result = parse_money(text)
    assert isinstance(result, int | MoneyError)
    if isinstance(result, int):
        assert result >= 0


@pytest.mark.parametrize(
    ("ore", "text"),
    [
        (0, f"0{NBSP}kr"),
        (1, f"0,01{NBSP}kr"),
        (50, f"0,50{NBSP}kr"),
        (100, f"1{NBSP}kr"),
        (100_000, f"1{NBSP}000{NBSP}kr"),
        (2_000_000_000, f"20{NBSP}000{NBSP}000{NBSP}kr"),
        (125_000_050, f"1{NBSP}250{NBSP}000,50{NBSP}kr"),
        (-500_000, f"-5{NBSP}000{NBSP}kr"),
        (-1, f"-0,01{NBSP}kr"),
    ],
)
def test_format_kr(ore: int, text: str) -> None:
    assert format_kr(ore) == text


def test_format_kr_space() -> None:
    assert format_kr(125_000_050, space=" ") == "1 250 000,50 kr"
    assert format_kr(-500_000, space=" ") == "-5 000 kr"


@pytest.mark.parametrize(
    ("ore", "decimals", "text"),
    [
        (2_000_000_000, 1, "20,0 MNOK"),
        (683_000_000, 1, "6,8 MNOK"),
        (5_000_000, 1, "0,1 MNOK"),  # 50 000 kr = 0,05 MNOK rounds half up
        (4_999_999, 1, "0,0 MNOK"),
        (0, 1, "0,0 MNOK"),
        (-683_000_000, 1, "-6,8 MNOK"),
        (-5_000_000, 1, "-0,1 MNOK"),
        (-4_999_999, 1, "0,0 MNOK"),
        (2_000_000_000, 0, "20 MNOK"),
        (150_000_000, 0, "2 MNOK"),
        (149_999_999, 0, "1 MNOK"),
        (123_456_789, 2, "1,23 MNOK"),
        (123_456_789, 3, "1,235 MNOK"),
        (150_000_000_000, 1, "1 500,0 MNOK"),
    ],
)
def test_format_mnok(ore: int, decimals: int, text: str) -> None:
    assert format_mnok(ore, decimals) == text


def test_format_mnok_default_decimals() -> None:
    assert format_mnok(683_000_000) == "6,8 MNOK"


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=4))
def test_format_mnok_rounds_half_up(ore: int, decimals: int) -> None:
    steps = abs(Fraction(ore, MILL)) * 10**decimals
    rounded = int(steps + Fraction(1, 2))  # half up, on the exact fraction
    whole, frac = divmod(rounded, 10**decimals)
    expected = f"{whole:,}".replace(",", " ") + (f",{frac:0{decimals}d}" if decimals else "")
    sign = "-" if ore < 0 and rounded else ""
    assert format_mnok(ore, decimals) == f"{sign}{expected} MNOK"
    if decimals != 3:  # 'x,yyy MNOK' is refused as ambiguous, on purpose
        back = parse_money(format_mnok(ore, decimals).removeprefix("-"))
        assert back == rounded * MILL // 10**decimals


@pytest.mark.parametrize("bad", [1.5, "100", True, None])
def test_format_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_kr(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_mnok(bad)  # type: ignore[arg-type]


def test_format_mnok_rejects_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_mnok(100, -1)
