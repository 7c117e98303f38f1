"""Read the cells of a worksheet as the person who typed them sees them.

``sheet_rows`` reads rows lazily (after ``reset_dimensions()``, so a ``<dimension>`` claiming a
million rows costs nothing) with caps on rows and columns; ``cell_text`` gives a percent cell as
``45%``, a float with Excel's 15 significant digits (never ``32.50000000000001``), a date through
its Japanese number format (``2024年11月`` stays ``2024年11月``), and decodes Excel's ``_x000B_``
escapes so that validation sees — and reports — the real character.  Opening the workbook with
bounded cost is ``xlsx``'s part.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from aomori_dx.errors import InputFileError
from aomori_dx.parse import EXCEL_DIGITS

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "REMEDY",
    "ExcelError",
    "cell_text",
    "decode_escapes",
    "sheet_rows",
    "workbook_name",
]

MAX_ROWS = 20_000
MAX_COLUMNS = 200
REMEDY = "Excel で開いて「Excel ブック (*.xlsx)」で保存し直してください。"


def workbook_name(workbook: Any) -> str:
    archive = getattr(workbook, "_archive", None)
    return str(getattr(archive, "filename", "") or "Excel ファイル")


# Japanese Excel stores these built-in formats by number only (ECMA-376 §18.8.30, ja-JP); openpyxl
# knows just the international ones and would call them "General", losing the date.
_JA_BUILTIN_FORMATS = {
    27: "[$-411]ge.m.d",
    28: '[$-411]ggge"年"m"月"d"日"',
    29: '[$-411]ggge"年"m"月"d"日"',
    30: "m/d/yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"時"mm"分"',
    33: 'h"時"mm"分"ss"秒"',
    34: 'yyyy"年"m"月"',
    35: 'm"月"d"日"',
    36: "[$-411]ge.m.d",
    50: "[$-411]ge.m.d",
    51: '[$-411]ggge"年"m"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: '[$-411]ggge"年"m"月"d"日"',
    55: 'yyyy"年"m"月"',
    56: 'm"月"d"日"',
    57: "[$-411]ge.m.d",
    58: '[$-411]ggge"年"m"月"d"日"',
}


def _number_format(cell: Any) -> str:
    number_format = str(getattr(cell, "number_format", "") or "General")
    if number_format == "General":
        style = getattr(cell, "style_array", None)
        fmt_id = getattr(style, "numFmtId", 0)
        return _JA_BUILTIN_FORMATS.get(fmt_id, number_format)
    return number_format


def _date_value(value: object, number_format: str, epoch: dt.datetime) -> object:
    # A date in a Japanese built-in format reaches us as its serial number (see above).
    from openpyxl.styles.numbers import is_date_format
    from openpyxl.utils.datetime import from_excel

    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and number_format in _JA_BUILTIN_FORMATS.values()
        and is_date_format(number_format)
    ):
        try:
            return from_excel(value, epoch)
        except (OverflowError, ValueError):
            return value
    return value


class ExcelError(str):
    """The saved result of a formula that failed (``#REF!``, ``#N/A``): text, but not a value anyone typed."""


def _row_cells(
    row: Sequence[Any], present: Callable[[Any], bool], epoch: dt.datetime
) -> list[tuple[object, str]]:
    # openpyxl pads every row to max_col with one shared empty cell; look only at the cells the
    # XML holds (filter runs in C), so a row costs what its cells cost, not max_col.
    filled = [cell for cell in filter(present, row) if cell.value is not None and cell.value != ""]
    if not filled:
        return []
    cells: list[tuple[object, str]] = [(None, "")] * int(filled[-1].column)
    for cell in filled:
        number_format = _number_format(cell)
        value = ExcelError(cell.value) if getattr(cell, "data_type", None) == "e" else cell.value
        if number_format in _JA_BUILTIN_FORMATS.values():
            value = _date_value(value, number_format, epoch)
        cells[int(cell.column) - 1] = (value, number_format)
    return cells


def _sheet_error(sheet: Any, path: Path | str | None, reason: str) -> InputFileError:
    return InputFileError(path or workbook_name(sheet.parent), f"シート「{sheet.title}」: {reason}")


def sheet_rows(
    sheet: Any,
    *,
    path: Path | str | None = None,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> Iterator[tuple[int, list[tuple[object, str]]]]:
    """Yield ``(row number, [(value, number_format), ...])`` for each non-empty row, lazily.

    The sheet's declared dimension is ignored (``reset_dimensions``); trailing empty cells are
    dropped.  A value below row ``max_rows`` or right of column ``max_columns`` raises
    ``InputFileError`` (``path`` names the file in the message).  Values are as openpyxl gives
    them, except that a date stored in a Japanese built-in format comes back as a datetime;
    ``cell_text`` turns them into text.
    """
    from openpyxl.cell.read_only import EMPTY_CELL

    sheet.reset_dimensions()
    epoch = getattr(sheet.parent, "epoch", dt.datetime(1899, 12, 30))
    present = functools.partial(operator.is_not, EMPTY_CELL)
    gap: object = None
    try:
        for number, row in enumerate(sheet.iter_rows(max_col=max_columns + 1), start=1):
            # openpyxl fills a gap in the row numbers with one shared empty row: skip it at once,
            # so that a value at row 1,048,576 costs a second, not a minute.
            if row is gap:
                continue
            if not any(map(present, row)):
                gap = row
                continue
            cells = _row_cells(row, present, epoch)
            if not cells:
                continue
            if len(cells) > max_columns:
                from openpyxl.utils import get_column_letter

                raise _sheet_error(
                    sheet,
                    path,
                    f"{get_column_letter(max_columns + 1)}{number} に値があります。"
                    f"表は {max_columns} 列目（{get_column_letter(max_columns)} 列）までにしてください。",
                )
            if number > max_rows:
                raise _sheet_error(
                    sheet, path, f"{number}行目に値があります。表は {max_rows:,} 行目までにしてください。"
                )
            yield number, cells
    except InputFileError:
        raise
    except Exception as exc:  # the sheet's XML is parsed lazily, row by row
        raise _sheet_error(sheet, path, f"シートの中身が壊れていて読めません。{REMEDY}") from exc


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_escapes(text: str) -> str:
    """Excel's ``_xHHHH_`` escapes as the characters they stand for (``_x005F_`` is ``_``)."""
    return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def _decimal_text(value: float | int, number_format: str) -> str:
    # Excel keeps 15 significant digits: the formula bar shows 32.5 for 32.50000000000001.
    number = Decimal(f"{value:.{EXCEL_DIGITS}g}") if isinstance(value, float) else Decimal(value)
    if _is_percent(number_format):
        # A cell shown as 29.1% holds 0.291: give the parser what the user sees.
        return f"{(number * 100).normalize():f}%"
    return f"{number.normalize():f}"


def _is_percent(number_format: str) -> bool:
    # A % inside quotes or after a backslash is a literal character, not "times 100".
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format)


def cell_text(value: object, number_format: str) -> str:
    """The text a person sees in the cell (and would type into a CSV)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, int | float):
        return _decimal_text(value, number_format)
    if isinstance(value, dt.datetime | dt.date):
        japanese = _japanese_date(value, number_format)
        if japanese is not None:
            return japanese
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return decode_escapes(str(value))


# --- Japanese date formats ------------------------------------------------------------------

# (first day, era name, letter): what ``ggg``/``g`` and ``e`` print.
_ERAS = (
    (dt.date(2019, 5, 1), "令和", "R"),
    (dt.date(1989, 1, 8), "平成", "H"),
    (dt.date(1926, 12, 25), "昭和", "S"),
)
_DATE_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[(?P<bracket>[^\]]*)\]|(?P<token>y+|e+|g+|m+|d+|a{3,4})|(?P<other>.)',
    re.IGNORECASE,
)
_WEEKDAYS = "月火水木金土日"


def _era(date: dt.date) -> tuple[str, str, int]:
    for start, name, letter in _ERAS:
        if date >= start:
            return name, letter, date.year - start.year + 1
    return "", "", date.year


def _japanese_date(value: dt.date, number_format: str) -> str | None:
    """``value`` through a Japanese date format (年/月/日 or an era); None for other formats."""
    section = number_format.split(";")[0]
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)
    japanese = re.search("[年月日]", section) or re.search("[ge]", bare, re.IGNORECASE)
    if not japanese or re.search("[hs]", bare, re.IGNORECASE):
        return None
    date = value.date() if isinstance(value, dt.datetime) else value
    name, letter, era_year = _era(date)
    out: list[str] = []
    for match in _DATE_TOKEN.finditer(section):
        if match.group("quoted") is not None:
            out.append(match.group("quoted"))
        elif match.group("escaped") is not None:
            out.append(match.group("escaped"))
        elif match.group("bracket") is not None:
            continue  # locale and colour codes: [$-411], [$-ja-JP], [Red]
        elif (token := match.group("token")) is not None:
            out.append(_date_token(token.lower(), date, name, letter, era_year))
        else:
            out.append(match.group("other"))
    return "".join(out)


def _date_token(token: str, date: dt.date, name: str, letter: str, era_year: int) -> str:
    kind, width = token[0], len(token)
    if kind == "y":
        return f"{date.year:04d}" if width > 2 else f"{date.year % 100:02d}"
    if kind == "e":
        return f"{era_year:02d}" if width > 1 else str(era_year)
    if kind == "g":
        return name if width >= 3 else (name[:1] if width == 2 else letter)
    if kind == "m":
        return f"{date.month:02d}" if width > 1 else str(date.month)
    if kind == "d":
        return f"{date.day:02d}" if width > 1 else str(date.day)
    weekday = _WEEKDAYS[date.weekday()]
    return weekday if width == 3 else weekday + "曜日"
