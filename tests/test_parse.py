"""Value parsing: numbers as the meeting tables print them, period labels, era years."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aomori_dx.parse import (
    FiscalYear,
    ParseError,
    Period,
    control_characters,
    parse_bool,
    parse_fiscal_year,
    parse_number,
    parse_period,
    round_half_up,
)
from aomori_dx.validate.codes import Code


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("375", "件", Decimal("375")),
        ("375件", "件", Decimal("375")),
        ("87,974,100 枚", "枚", Decimal("87974100")),
        ("▲2,799,388", "枚", Decimal("-2799388")),
        ("△5", "", Decimal("-5")),
        ("−3.2", "", Decimal("-3.2")),
        ("-3.2", "", Decimal("-3.2")),
        ("29.1%", "%", Decimal("29.1")),
        ("100.0 %", "%", Decimal("100.0")),
        ("０．９時間", "時間", Decimal("0.9")),
        ("１，６８３台", "台", Decimal("1683")),
        ("0.0 時間", "時間", Decimal("0.0")),
        ("0", "枚", Decimal("0")),
    ],
)
def test_numbers_as_printed(text: str, unit: str, expected: Decimal) -> None:
    value = parse_number(text, unit)
    assert value == expected
    # The exponent is kept, so 100.0 can be shown as typed.
    assert value is not None and value.as_tuple().exponent == expected.as_tuple().exponent


@pytest.mark.parametrize("text", ["", "   ", "—", "－", "-", "ー", "―", "–"])
def test_no_value_is_none_never_zero(text: str) -> None:
    assert parse_number(text, "件") is None


@pytest.mark.parametrize(
    ("text", "unit", "code"),
    [
        ("多数", "件", "invalid-number"),
        ("約5億円", "千円", "invalid-number"),
        ("375件", "人", "unit-mismatch"),
        ("12社", "", "unit-mismatch"),
        ("1,2,3", "", "invalid-number"),
        ("3 4", "", "invalid-number"),
        ("inf", "", "invalid-number"),
        ("NaN", "", "invalid-number"),
        ("1e5", "", "invalid-number"),
    ],
)
def test_bad_numbers(text: str, unit: str, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_number(text, unit)
    assert Code.of_problem(info.value.problem) == code
    assert text in info.value.message


def _separated(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip_with_separators_and_marks(n: int) -> None:
    text = _separated(abs(n))
    assert parse_number(("▲" if n < 0 else "") + text) == n
    assert parse_number(text.replace(",", "")) == abs(n)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimals_round_trip_in_full_width(value: Decimal) -> None:
    text = f"{abs(value):f}"
    # Full-width digits and point: NFKC turns them back.
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "." else c for c in text)
    expected = -abs(value) if value < 0 else abs(value)
    assert parse_number(("▲" if value < 0 else "") + wide) == expected


@given(st.text(alphabet=st.characters(categories=["L", "So"]), min_size=1, max_size=5))
def test_a_unit_suffix_must_equal_the_unit_column(unit: str) -> None:
    unit = unicodedata.normalize("NFKC", unit).strip()
    if not unit or any(c.isdigit() or c in ",.%" for c in unit) or unit[0] in "-−▲△ー―–":
        return
    assert parse_number(f"12{unit}", unit) == 12
    with pytest.raises(ParseError):
        parse_number(f"12{unit}", unit + "x")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.05", "0.1"),
        ("0.25", "0.3"),  # round() would give 0.2
        ("33.005", "33.0"),
        ("74.875", "74.9"),
        ("-3.25", "-3.3"),  # half away from zero, as 四捨五入 of ▲3.25
        ("-3.18", "-3.2"),
        ("99.95", "100.0"),
    ],
)
def test_round_half_up(value: str, expected: str) -> None:
    assert str(round_half_up(Decimal(value))) == expected


@pytest.mark.parametrize(
    ("text", "kind", "year", "month", "end"),
    [
        ("R4年度", "fiscal_year", 2022, None, dt.date(2023, 3, 31)),
        ("令和6年度", "fiscal_year", 2024, None, dt.date(2025, 3, 31)),
        ("R3年", "calendar_year", 2021, None, dt.date(2021, 12, 31)),
        ("R5年度末", "fiscal_year", 2023, None, dt.date(2024, 3, 31)),
        ("R6年11月末時点", "month", 2024, 11, dt.date(2024, 11, 30)),
        ("R6年11月末 時点", "month", 2024, 11, dt.date(2024, 11, 30)),
        ("平成30年度", "fiscal_year", 2018, None, dt.date(2019, 3, 31)),
        ("H30年", "calendar_year", 2018, None, dt.date(2018, 12, 31)),
        ("令和元年度", "fiscal_year", 2019, None, dt.date(2020, 3, 31)),
        ("2024年度", "fiscal_year", 2024, None, dt.date(2025, 3, 31)),
        ("Ｒ６年度", "fiscal_year", 2024, None, dt.date(2025, 3, 31)),
        ("R7年2月", "month", 2025, 2, dt.date(2025, 2, 28)),
    ],
)
def test_period_labels(text: str, kind: str, year: int, month: int | None, end: dt.date) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.kind, period.year, period.month, period.end) == (kind, year, month, end)
    assert period.text == text


def test_period_details() -> None:
    assert parse_period("R5年度末") == Period("fiscal_year", 2023, None, True, "R5年度末")
    assert parse_period("R4年度").western == "2022年度"  # type: ignore[union-attr]
    assert parse_period("R7年2月").fiscal_year == 2024  # type: ignore[union-attr]
    assert parse_period("") is None
    assert parse_period("—") is None


@pytest.mark.parametrize("text", ["R4年どこか", "昨年度", "R6年13月", "令和", "FY2024", "12年度"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_period(text)
    assert Code.of_problem(info.value.problem) == "invalid-period"


@given(st.integers(min_value=1, max_value=60))
def test_reiwa_years(n: int) -> None:
    fiscal = parse_period(f"R{n}年度")
    western = parse_period(f"{2018 + n}年度")
    assert fiscal is not None and western is not None
    assert fiscal.end == western.end
    assert parse_fiscal_year(f"R{n}") == FiscalYear(2018 + n)
    assert FiscalYear(2018 + n).era_label == f"R{n}"


def test_fiscal_years() -> None:
    assert parse_fiscal_year("R6") == FiscalYear(2024)
    assert parse_fiscal_year("令和6年度") == FiscalYear(2024)
    assert parse_fiscal_year("2024") == FiscalYear(2024)
    assert parse_fiscal_year("") is None
    with pytest.raises(ParseError):
        parse_fiscal_year("来年")


def test_flags() -> None:
    assert parse_bool("○") and parse_bool("参考") and parse_bool("1")
    assert not parse_bool("") and not parse_bool("×")
    with pytest.raises(ParseError):
        parse_bool("たぶん")


def test_control_characters_are_located() -> None:
    assert control_characters("ab\x0bc\x1b") == [(3, "U+000B"), (5, "U+001B")]
    assert control_characters("改行\nとタブ\tは可") == []
    assert control_characters("\ufffe") == [(1, "U+FFFE")]
