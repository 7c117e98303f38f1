"""Parse the values people type into the tables: numbers, units, era years and period labels.

Everything here is pure and total: a function either returns a value or raises ``ParseError`` with a
``Problem`` (named after its issue code) and a Japanese message that says what to write instead.
Validation turns those into issues with file, row and column; nothing here knows about files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum, auto
from typing import Literal

__all__ = [
    "ERAS",
    "LAST_YEAR",
    "FiscalYear",
    "ParseError",
    "Period",
    "Problem",
    "control_characters",
    "excel_precision",
    "invisible_note",
    "is_percent_unit",
    "normalize",
    "parse_bool",
    "parse_date",
    "parse_fiscal_year",
    "parse_japanese_date",
    "parse_number",
    "parse_period",
    "round_half_up",
    "visible",
]


class Problem(Enum):
    """What kind of value could not be read.  Each is named after its issue code, which
    ``validate/codes.py`` declares (this layer sits below validate and cannot import it)."""

    INVALID_NUMBER = auto()
    UNIT_MISMATCH = auto()
    INVALID_FLAG = auto()
    INVALID_PERIOD = auto()
    INVALID_FISCAL_YEAR = auto()
    INVALID_DATE = auto()


class ParseError(ValueError):
    """A value that cannot be read: what kind of ``problem``, and a ``message`` for the user (Japanese)."""

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


# "No value" marks seen in the meeting tables.  Blank is "no value" too, and never zero.
NO_VALUE_MARKS = frozenset({"—", "―", "－", "-", "ー", "–", "‐", "─"})
# ▲ and △ are the Japanese accounting minus signs; U+2212 is the typographic minus.
MINUS_MARKS = ("▲", "△", "−", "-", "－")

_NUMBER = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?")


def normalize(text: str) -> str:
    """NFKC-normalise and trim: full-width digits, letters and punctuation become half-width."""
    return unicodedata.normalize("NFKC", text).strip()


def is_percent_unit(unit: str) -> bool:
    """Whether a unit is a percentage (``%``, full-width ``％``, ``パーセント``)."""
    return normalize(unit) in ("%", "パーセント")


def _normalize_unit(unit: str) -> str:
    return re.sub(r"\s+", "", normalize(unit))


def _is_numeral(char: str) -> bool:
    """Superscripts, circled and Roman numerals, fractions: not digits, though NFKC makes them digits."""
    return unicodedata.category(char) in ("No", "Nl")


def _normalize_keeping_numerals(text: str) -> str:
    """``normalize`` that leaves numerals (``¹``, ``①``) as they are, so that they never join a number."""
    out: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if _is_numeral(char):
            out += [unicodedata.normalize("NFKC", text[start:index]), char]
            start = index + 1
    out.append(unicodedata.normalize("NFKC", text[start:]))
    return "".join(out).strip()


def parse_number(text: str, unit: str = "") -> Decimal | None:
    """Read a number as the seed's tables print it; ``None`` for blank or a dash.

    Accepts thousands separators, full-width digits, ▲/△/− as minus, ``%`` and a unit suffix
    that equals ``unit`` (``375件`` with unit 件, ``87,974,100 枚``).  The result is exact.
    """
    raw = text.strip()
    if not raw:
        return None
    if raw in NO_VALUE_MARKS or normalize(raw) in NO_VALUE_MARKS:
        return None
    # The minus marks must be checked before NFKC, which would turn "－" into "-" anyway but
    # leaves ▲ and − alone.
    negative = False
    body = raw
    for mark in MINUS_MARKS:
        if body.startswith(mark):
            negative = True
            body = body[len(mark) :]
            break
    body = _normalize_keeping_numerals(body)
    if body.startswith("+") and not negative:
        body = body[1:]
    match = _NUMBER.match(body)
    if match is None:
        raise ParseError(
            Problem.INVALID_NUMBER,
            f"「{visible(text)}」は数値として読めません。数字だけを入力してください（例: 1,683 / 29.1 / ▲3.2）。",
        )
    suffix = body[match.end() :]
    if suffix and _is_numeral(suffix[0]):
        # NFKC would join a footnote mark to the number (109¹ → 1091, 1① → 11): refuse rather than guess.
        raise ParseError(
            Problem.INVALID_NUMBER,
            f"「{visible(text)}」の「{suffix[0]}」（上付きの数字・丸数字など）は数値として読めません。"
            "数字だけを入力し、注の印は備考の列に書いてください。",
        )
    suffix = normalize(suffix)
    if re.fullmatch(r"[eE][+-]?\d+", suffix):
        # Excel saves a large number in a General cell as it shows it: 1.23457E+11, digits lost.
        raise ParseError(
            Problem.INVALID_NUMBER,
            f"「{visible(text)}」は指数表記の数値なので読めません（Excel は大きな数を 1.23457E+11 のように、"
            "桁を省いて CSV に保存することがあります）。セルの表示形式を「数値」にして、すべての桁を入力してください。",
        )
    if suffix:
        expected = _normalize_unit(unit)
        got = _normalize_unit(suffix)
        if got != expected:
            if re.search(r"\d", suffix):
                raise ParseError(
                    Problem.INVALID_NUMBER,
                    f"「{visible(text)}」は数値として読めません。一つのセルには一つの数値だけを入力してください。",
                )
            hint = f"単位列は「{visible(unit)}」です" if expected else "この列に単位は書けません"
            raise ParseError(
                Problem.UNIT_MISMATCH,
                f"「{visible(text)}」の単位「{visible(suffix)}」が合いません（{hint}）。数値だけを入力してください。",
            )
    digits = match.group("int").replace(",", "") + (match.group("frac") or "")
    try:
        value = excel_precision(Decimal(digits))
    except InvalidOperation as exc:  # pragma: no cover - the regex only lets digits through
        raise ParseError(Problem.INVALID_NUMBER, f"「{visible(text)}」は数値として読めません。") from exc
    return -value if negative else value


EXCEL_DIGITS = 15


def excel_precision(value: Decimal) -> Decimal:
    """``value`` with at most 15 significant digits, as Excel holds and shows numbers.

    More digits are float noise from a program that wrote a CSV (``0.30000000000000004``,
    ``32.50000000000001``): they become ``0.3`` and ``32.5``.  Shorter values stay exactly as
    typed (``29.10`` keeps its zero).
    """
    if len(value.as_tuple().digits) <= EXCEL_DIGITS:
        return value
    rounded = value.quantize(Decimal(1).scaleb(value.adjusted() - EXCEL_DIGITS + 1), rounding=ROUND_HALF_UP)
    rounded = rounded.normalize()
    # normalize() writes 450 as 4.5E+2: keep whole numbers in plain notation.
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    """四捨五入 to ``places`` decimals (Python's round() is half-even: 0.25 → 0.2, not 0.3)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


_TRUE = frozenset({"1", "true", "yes", "y", "○", "◯", "〇", "はい", "参考"})
_FALSE = frozenset({"", "0", "false", "no", "n", "いいえ", "×"})


def parse_bool(text: str) -> bool:
    """A yes/no cell: blank means no; ○, はい, 1, true mean yes."""
    value = normalize(text).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ParseError(
        Problem.INVALID_FLAG,
        f"「{visible(text)}」は読めません。該当する場合は ○、しない場合は空欄にしてください。",
    )


# --- Era years -------------------------------------------------------------------------------

# (names, first Western year - 1): 令和1年 = 2019, 平成1年 = 1989, 昭和1年 = 1926.
ERAS: dict[str, tuple[str, int]] = {
    "令和": ("R", 2018),
    "R": ("R", 2018),
    "平成": ("H", 1988),
    "H": ("H", 1988),
    "昭和": ("S", 1925),
    "S": ("S", 1925),
}

# The last year a table may name.  Plans run a decade or two; anything later is a typo.
LAST_YEAR = 2999

_YEAR = r"(?P<era>令和|平成|昭和|R|H|S)?\s*(?P<year>元|\d{1,4})"


def _western_year(
    era: str | None, year: str, problem: Problem = Problem.INVALID_PERIOD, text: str = ""
) -> int:
    number = 1 if year == "元" else int(year)
    if era is not None and number == 0:
        raise ParseError(problem, f"{era}0年 はありません。元年は 1年 または 元年 と書いてください。")
    if era is None and number < 1900:
        raise ParseError(
            problem,
            f"「{visible(text or year)}」の年が読めません。R6年度、令和6年度、2024年度のように元号か西暦で書いてください。",
        )
    western = number if era is None else ERAS[era][1] + number
    if western > LAST_YEAR:
        # A typo such as 9999年度: far past any plan, and its last day (10000-03-31) is no date at all.
        raise ParseError(
            problem,
            f"「{visible(text or year)}」は西暦 {western} 年です。{LAST_YEAR} 年より後の年は書けません。打ち間違いでないか確かめてください。",
        )
    return western


@dataclass(frozen=True, order=True)
class FiscalYear:
    """A Japanese fiscal year (April to March), named by the Western year it starts in."""

    year: int

    @property
    def era_label(self) -> str:
        """``R6`` for 2024: the label used in the roadmap grid."""
        return era_label(self.year)

    def __str__(self) -> str:
        return self.era_label


def era_label(year: int) -> str:
    """The short era label of a Western year (2024 → R6, 2019 → R1, 2018 → H30)."""
    if year >= 2019:
        return f"R{year - 2018}"
    if year >= 1989:
        return f"H{year - 1988}"
    return f"S{year - 1925}"


PeriodKind = Literal["fiscal_year", "calendar_year", "month"]


@dataclass(frozen=True)
class Period:
    """When a value was measured, as the tables write it (``R4年度``, ``R6年11月末時点``).

    ``kind`` says what ``year`` counts: a fiscal year (April–March, named by its starting Western
    year), a calendar year, or a month (``month`` set, ``year`` the calendar year of that month).
    ``at_end`` records 末 (``R5年度末``); ``text`` keeps the label as written, for display.
    """

    kind: PeriodKind
    year: int
    month: int | None = None
    at_end: bool = False
    text: str = ""

    @property
    def end(self) -> dt.date:
        """The last day the period covers: what "earlier" and "later" compare."""
        if self.kind == "fiscal_year":
            return dt.date(self.year + 1, 3, 31)
        if self.kind == "calendar_year":
            return dt.date(self.year, 12, 31)
        assert self.month is not None
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def fiscal_year(self) -> int:
        """The fiscal year the period ends in (Jan–Mar belong to the previous year's)."""
        end = self.end
        return end.year if end.month >= 4 else end.year - 1

    @property
    def western(self) -> str:
        """The same period with a Western year, as printed beside the era label."""
        if self.kind == "fiscal_year":
            return f"{self.year}年度" + ("末" if self.at_end else "")
        if self.kind == "calendar_year":
            return f"{self.year}年" + ("末" if self.at_end else "")
        return f"{self.year}年{self.month}月" + ("末" if self.at_end else "")


_PERIOD = re.compile(
    _YEAR + r"\s*年\s*(?:(?P<fiscal>度)|(?P<month>\d{1,2})\s*月)?\s*(?P<end>末)?\s*(?:時点|現在)?$"
)


def parse_period(text: str) -> Period | None:
    """Read a period label; ``None`` when blank.

    ``R4年度`` / ``令和4年度`` / ``2022年度`` → fiscal year 2022; ``R3年`` → calendar year 2021;
    ``R5年度末`` → fiscal 2023 at its end; ``R6年11月末時点`` → November 2024.
    """
    raw = text.strip()
    if not raw:
        return None
    body = normalize(raw)
    if body in NO_VALUE_MARKS:
        return None
    match = _PERIOD.match(body)
    if match is None:
        raise ParseError(
            Problem.INVALID_PERIOD,
            f"「{visible(text)}」は時点として読めません。R6年度、R5年度末、R4年、R6年11月末時点 のように書いてください。",
        )
    year = _western_year(match.group("era"), match.group("year"), Problem.INVALID_PERIOD, text)
    at_end = match.group("end") is not None
    if match.group("month"):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            raise ParseError(Problem.INVALID_PERIOD, f"「{visible(text)}」の月が 1〜12 の範囲にありません。")
        return Period("month", year, month, at_end, raw)
    if match.group("fiscal"):
        return Period("fiscal_year", year, None, at_end, raw)
    return Period("calendar_year", year, None, at_end, raw)


_FISCAL = re.compile(_YEAR + r"\s*(?:年度)?$")


def parse_fiscal_year(text: str) -> FiscalYear | None:
    """A fiscal year as the roadmap writes it: ``R6``, ``R6年度``, ``令和6年度``, ``2024``."""
    body = normalize(text)
    if not body:
        return None
    match = _FISCAL.match(body)
    if match is None:
        raise ParseError(
            Problem.INVALID_FISCAL_YEAR,
            f"「{visible(text)}」は年度として読めません。R6 や 令和6年度 のように書いてください。",
        )
    return FiscalYear(
        _western_year(match.group("era"), match.group("year"), Problem.INVALID_FISCAL_YEAR, text)
    )


_JAPANESE_DATE = re.compile(_YEAR + r"\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日$")
_ERA_DOTTED_DATE = re.compile(r"(?P<era>[RHS])(?P<year>\d{1,2})\.(?P<month>\d{1,2})\.(?P<day>\d{1,2})$")


def parse_japanese_date(text: str) -> dt.date | None:
    """A date as Japanese Excel displays one: ``2024年12月18日``, ``令和6年12月18日``, ``R6.12.18``.

    ``None`` when ``text`` has neither form (the caller tries ISO dates); ``ParseError`` when it has
    one but the date does not exist.
    """
    body = normalize(text)
    match = _JAPANESE_DATE.match(body) or _ERA_DOTTED_DATE.match(body)
    if match is None:
        return None
    year = _western_year(match.group("era"), match.group("year"), Problem.INVALID_DATE, text)
    try:
        return dt.date(year, int(match.group("month")), int(match.group("day")))
    except ValueError as exc:
        raise ParseError(Problem.INVALID_DATE, f"「{visible(text)}」という日付はありません。") from exc


def parse_date(text: str) -> dt.date:
    """A date as people type one: ``2024-12-18``, ``2024/12/18`` (full-width too), or as Japanese
    Excel displays a date cell (``parse_japanese_date``).  ``ParseError`` when it is none of these
    or after ``LAST_YEAR`` (a mistyped year)."""
    body = unicodedata.normalize("NFKC", text).strip()
    try:
        iso = dt.date.fromisoformat(body.replace("/", "-").split(" ")[0])
    except ValueError:
        date = parse_japanese_date(body)
        if date is None:
            raise ParseError(
                Problem.INVALID_DATE,
                f"「{visible(text)}」は日付として読めません。2024-12-18 のように書いてください。",
            ) from None
        return date
    if iso.year > LAST_YEAR:
        raise ParseError(
            Problem.INVALID_DATE,
            f"「{visible(text)}」は {LAST_YEAR} 年より後の日付です。打ち間違いでないか確かめてください。",
        )
    return iso


# Characters that Word cannot hold at all (python-docx raises) and that python-pptx writes as
# visible "_x000B_" escapes.  Tab and line breaks are fine in both.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def control_characters(text: str) -> list[tuple[int, str]]:
    """Positions (1-based, as a person counts characters) and code points of forbidden characters."""
    return [(m.start() + 1, f"U+{ord(m.group()):04X}") for m in _CONTROL.finditer(text)]


# Characters that show as nothing, or as an ordinary space, but make two texts differ: controls (Cc),
# format characters such as U+200B zero-width space and U+FEFF BOM (Cf), spaces other than the
# ASCII one (Zs: U+00A0 NBSP, U+3000 ideographic space), line/paragraph separators, surrogates,
# private-use and unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"})
_SHOWN_AS = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text: str) -> str:
    """``text`` with every invisible character written as an escape: ``K1\u200b``, ``K1\u3000``.

    Use it wherever a message quotes what the user wrote and says it does not match something
    (a KPI number, a header, a number that cannot be read): the difference is often a character
    nobody can see.  The ASCII space stays as it is.
    """
    out = []
    for char in text:
        if char == " " or unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            out.append(char)
        elif char in _SHOWN_AS:
            out.append(_SHOWN_AS[char])
        else:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "".join(out)


def invisible_note(text: str) -> str:
    """``（見えない文字 \\u200b が入っています）`` when ``text`` holds any, else "": the real cause."""
    escapes = [visible(char) for char in dict.fromkeys(text) if char != " " and visible(char) != char]
    return f"（見えない文字 {'、'.join(escapes)} が入っています。削除してください）" if escapes else ""
