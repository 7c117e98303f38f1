"""Every number, percent, yen amount and year as the meeting material prints it.

One module for all renderers, so the deck, the report, the terminal and the site never disagree:
thousands separators, ▲ for negatives (the Japanese accounting minus), one decimal for rates
(rounded half-up, 四捨五入), points with a sign for 前期差, 千円 → 億/万円, and era years with the
Western year beside them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from aomori_dx.parse import FiscalYear, Period, round_half_up

__all__ = [
    "CORE_TEXT_LIMIT",
    "NO_VALUE",
    "clip",
    "era_fiscal_year",
    "indicator_note",
    "japanese_date",
    "number",
    "percent",
    "period_label",
    "points",
    "rate_value",
    "value_with_unit",
    "yen_from_thousands",
]

NO_VALUE = "—"
CORE_TEXT_LIMIT = 255  # characters in a document's title or author (python-pptx, python-docx)
MINUS = "▲"


def number(value: Decimal | None, places: int | None = None) -> str:
    """``3,000``, ``▲2,799,388``, ``100.0`` (the typed decimals are kept unless ``places`` is given)."""
    if value is None:
        return NO_VALUE
    if places is not None:
        value = round_half_up(value, places)
    sign = MINUS if value < 0 else ""
    magnitude = abs(value)
    exponent = magnitude.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{sign}{magnitude:,.{decimals}f}"


def rate_value(rate: Decimal | None) -> Decimal | None:
    """A rate rounded half-up to 0.1, for export (``None`` stays ``None``)."""
    return None if rate is None else round_half_up(rate, 1)


def percent(rate: Decimal | None) -> str:
    """``29.1%``, ``▲3.2%``, ``100.0%``; ``—`` when there is no rate."""
    if rate is None:
        return NO_VALUE
    return number(round_half_up(rate, 1)) + "%"


def points(delta: Decimal | None) -> str:
    """前期差 in points: ``+1.2pt``, ``▲0.5pt``, ``±0.0pt``; ``-`` when there is no earlier snapshot."""
    if delta is None:
        return "-"
    shown = round_half_up(delta, 1)
    if shown == 0:
        return "±0.0pt"
    return ("+" if shown > 0 else "") + number(shown) + "pt"


def value_with_unit(value: Decimal | None, unit: str) -> str:
    """``375件``, ``29.1%``, ``87,974,100枚``; ``—`` for no value."""
    if value is None:
        return NO_VALUE
    return number(value) + unit


def era_fiscal_year(year: FiscalYear) -> str:
    """``R6年度（2024年度）``."""
    return f"{year.era_label}年度（{year.year}年度）"


def period_label(period: Period | None, western: bool = False) -> str:
    """The label as typed (``R4年度``), optionally with the Western year: ``R4年度（2022年度）``."""
    if period is None:
        return ""
    if not western:
        return period.text
    return f"{period.text}（{period.western}）"


_WEEKDAYS = "月火水木金土日"


def japanese_date(day: dt.date, weekday: bool = True) -> str:
    """``令和6年12月18日(水)``: the date as the cover of the material prints it (``weekday=False``:
    ``令和6年11月30日``, for a date in running text such as the as-of date)."""
    if day.year >= 2019:
        era = f"令和{'元' if day.year == 2019 else day.year - 2018}年"
    else:
        era = f"平成{'元' if day.year == 1989 else day.year - 1988}年"
    shown = f"{era}{day.month}月{day.day}日"
    return f"{shown}({_WEEKDAYS[day.weekday()]})" if weekday else shown


def yen_from_thousands(thousands: Decimal | None) -> str:
    """An amount in 千円 written with 億 and 万, as the seed does: 2,082,501 → ``20億8,250万1千円``."""
    if thousands is None:
        return NO_VALUE
    sign = MINUS if thousands < 0 else ""
    yen = int(round_half_up(abs(thousands) * 1000, 0))
    oku, rest = divmod(yen, 10**8)
    man, rest = divmod(rest, 10**4)
    sen, rest = divmod(rest, 1000)
    parts = []
    if oku:
        parts.append(f"{oku:,}億")
    if man:
        parts.append(f"{man:,}万")
    if sen:
        parts.append(f"{sen}千")
    if rest:
        parts.append(f"{rest}")
    if not parts:
        return "0円"
    return sign + "".join(parts) + "円"


def clip(text: str, limit: int = CORE_TEXT_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with ``…`` (a document's title
    and author properties hold at most 255: python-pptx and python-docx raise on longer ones)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Noted(Protocol):
    """What ``indicator_note`` reads of an indicator (format.py sits below the model)."""

    @property
    def note(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def baseline(self) -> Decimal | None: ...
    @property
    def unit(self) -> str: ...


def indicator_note(indicator: _Noted) -> str:
    """The note printed with an indicator: its own note, and for a lower-is-better indicator the
    rule its rates follow, since the tables' headers say (D/A)×100 and a reader holding the
    figures would otherwise find a different rate (docs/rules.md 1a)."""
    if indicator.direction != "decrease":
        return indicator.note
    baseline = value_with_unit(indicator.baseline, indicator.unit)
    rule = f"※減らす指標: 達成率 ＝（基準値 {baseline} − 値）÷（基準値 − 目標値）× 100"
    return f"{indicator.note}\n{rule}" if indicator.note else rule
