"""Open Excel workbooks with bounded cost and read cells as the person who typed them sees them.

One implementation for every workbook aomori-dx reads (input tables and returned request
workbooks), so that the rules below hold everywhere:

* **Bounded cost.**  Before openpyxl parses anything, the zip's central directory is checked:
  number of parts, uncompressed size of each part and of all parts, and the compression ratio of
  large parts (a zip bomb inflates 1 KB into 1 MB; real sheets stay far below ``MAX_RATIO``).  The
  declared sizes are binding: Python's zip reader stops at the declared size and fails the CRC.
  Every worksheet part is then scanned as a byte stream for more row elements, or more cells in a
  row, than a table can have: openpyxl builds a whole row in memory (a 7 MB file with one row of
  1.5 million cells took 0.9 GB) and spends ~9 µs on every row element.  Rows are then read lazily
  after ``reset_dimensions()``, so a ``<dimension ref="A1:XFD1048576">`` costs nothing, with caps
  on rows and columns.  The limits and what they were measured against are below.
* **What the cell shows.**  ``cell_text`` gives a percent cell as ``45%``, a float with Excel's
  15 significant digits (never ``32.50000000000001``), a date through its Japanese number format
  (``2024年11月`` stays ``2024年11月``), and decodes Excel's ``_x000B_`` escapes so that
  validation sees — and reports — the real character.
* **No hidden data.**  ``visible_sheet`` never returns a hidden sheet.
* **Precise reasons.**  ``open_workbook`` tells an encrypted workbook, an old ``.xls``, an
  ``.xlsb`` and a file that is not a workbook at all apart from a broken ``.xlsx``.

openpyxl is imported inside the functions: ``aomori-dx validate`` on a CSV-only period must not
pay for it.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from aomori_dx.errors import InputFileError, reading
from aomori_dx.parse import EXCEL_DIGITS

__all__ = [
    "MAX_CELLS_PER_ROW",
    "MAX_COLUMNS",
    "MAX_PARTS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_ROW_ELEMENTS",
    "MAX_TOTAL_BYTES",
    "MAX_TREE_PART_BYTES",
    "cell_text",
    "decode_escapes",
    "formula_cells_without_value",
    "named_like",
    "open_workbook",
    "sheet_rows",
    "visible_sheet",
]

# Measured (numbers in docs/inputs.md 1.3): an indicators table of 10,000 rows written by openpyxl
# (inline strings, long Japanese texts) has a 10.3 MB sheet part compressed 18 : 1 and reads in
# about 2 s.  The limits leave room for twice that; the worst file they accept (a 23 MB sheet of
# random numbers, stopped at row 20,001) reads in about 3 s and 120 MB.
MAX_PART_BYTES = 24 * 1024 * 1024
# openpyxl parses the other XML parts (styles, workbook, relationships) whole, as a tree: 25 MB of
# styles took 10 s and 650 MB; Excel's own maximum of 64,000 cell formats, each with an alignment,
# is 10.8 MB and reads in ~4 s.
MAX_TREE_PART_BYTES = 12 * 1024 * 1024
MAX_TOTAL_BYTES = 48 * 1024 * 1024
MAX_PARTS = 2_000
# Ratios are judged only on parts large enough to matter: small XML parts compress well anyway.
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024
# Excel's own limit is 16,384 cells a row; a row with more is not a sheet Excel wrote.
MAX_CELLS_PER_ROW = 16_384
MAX_ROWS = 20_000
# Row elements in a sheet's XML, empty formatted rows included: each costs ~9 µs to parse and
# pad (a million empty rows took 9 s), so they are bounded too, generously above MAX_ROWS.
MAX_ROW_ELEMENTS = 100_000
MAX_COLUMNS = 200

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_REMEDY = "Excel で開いて「Excel ブック (*.xlsx)」で保存し直してください。"


def _check_not_ole(path: Path, head: bytes) -> None:
    if not head.startswith(_OLE_MAGIC):
        return
    # An OLE compound file: Excel's "password to open" wraps the .xlsx in one with an
    # EncryptionInfo stream; without it, it is the old binary format (.xls, or another Office file).
    # The directory may sit anywhere in the file, so read it whole (its size was checked first).
    if _ENCRYPTION_INFO in path.read_bytes():
        raise InputFileError(
            path,
            "パスワードで保護（暗号化）されたブックのため読めません。Excel で開き、"
            "「ファイル」→「情報」→「ブックの保護」→「パスワードを使用して暗号化」でパスワードを消してから保存し直してください。",
        )
    raise InputFileError(path, f"古い形式の Excel ファイル (.xls) のため読めません。{_REMEDY}")


def _check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > MAX_PARTS:
        raise InputFileError(
            path, f"ブックの中の部品が多すぎます（{len(infos)} 個。上限 {MAX_PARTS} 個）。{_REMEDY}"
        )
    if "xl/workbook.bin" in names:
        raise InputFileError(path, f"Excel バイナリ ブック (.xlsb) の形式のため読めません。{_REMEDY}")
    if "[Content_Types].xml" not in names:
        raise InputFileError(
            path, f"Excel ファイル (.xlsx) ではありません（中身が別の形式の zip です）。{_REMEDY}"
        )
    if not any(name.startswith("xl/") for name in names):
        raise InputFileError(
            path,
            f"Excel ファイル (.xlsx) ではありません（Word や PowerPoint など、別の Office ファイルです）。{_REMEDY}",
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _part_limit(info.filename) or (
            info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO
        ):
            raise InputFileError(
                path,
                f"ブックの部品 {info.filename} が展開すると大きすぎます（{info.file_size:,} バイト、"
                f"圧縮率 {ratio:,.0f} 倍。上限 {_part_limit(info.filename):,} バイト・{MAX_RATIO} 倍）。"
                "表のデータだけを新しいブックにコピーして保存し直してください。",
            )
    if total > MAX_TOTAL_BYTES:
        raise InputFileError(
            path,
            f"ブックが展開すると大きすぎます（{total:,} バイト。上限 {MAX_TOTAL_BYTES:,} バイト）。"
            "表のデータだけを新しいブックにコピーして保存し直してください。",
        )


def _part_limit(name: str) -> int:
    streamed = name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
    tree = name.endswith((".xml", ".rels")) and not streamed
    return MAX_TREE_PART_BYTES if tree else MAX_PART_BYTES


# A row start, or a cell start, with or without a namespace prefix (``<row ``, ``<x:c>``).
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")


def _check_row_widths(path: Path, archive: zipfile.ZipFile) -> None:
    # A byte scan of the stream (~0.1 s per 10 MB), before openpyxl parses any row.
    for name in _worksheet_parts(archive):
        cells = rows = 0
        data = b""
        with archive.open(name) as stream:
            while True:
                chunk = stream.read(1024 * 1024)
                data += chunk
                # A tag cut at the chunk boundary is scanned with the next chunk.
                end = max(len(data) - 16, 0) if chunk else len(data)
                for match in _ROW_OR_CELL.finditer(data):
                    if match.start() >= end:
                        break
                    if match.group(1) == b"row":
                        cells, rows = 0, rows + 1
                    else:
                        cells += 1
                    if rows > MAX_ROW_ELEMENTS:
                        raise InputFileError(
                            path,
                            f"シートに行が多すぎます（{name}。書式だけの空の行も含めて {MAX_ROW_ELEMENTS:,} 行を超えています）。"
                            "表のデータだけを新しいブックにコピーして保存し直してください。",
                        )
                    if cells > MAX_CELLS_PER_ROW:
                        raise InputFileError(
                            path,
                            f"シートの1行に {MAX_CELLS_PER_ROW:,} 個を超えるセルがあります（{name}）。"
                            "Excel で作られたシートではありません。表のデータだけを新しいブックにコピーして保存し直してください。",
                        )
                if not chunk:
                    break
                data = data[end:]


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """Open ``path`` read-only after the size checks; the caller must ``close()`` the workbook.

    Raises ``InputFileError`` naming the reason: missing, empty, encrypted, old ``.xls``, ``.xlsb``,
    not a workbook, too large (limits in this module), or broken.
    """
    from openpyxl import load_workbook

    with reading(path):
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    if size == 0:
        raise InputFileError(path, "ファイルが空です。Excel で開いて保存し直してください。")
    if size > MAX_TOTAL_BYTES:
        raise InputFileError(
            path, f"ファイルが大きすぎます（{size:,} バイト。上限 {MAX_TOTAL_BYTES:,} バイト）。"
        )
    _check_not_ole(path, head)
    if not head.startswith(b"PK"):
        raise InputFileError(
            path, f"Excel ファイル (.xlsx) ではありません（中身が Excel の形式ではありません）。{_REMEDY}"
        )
    broken = f"Excel ファイル (.xlsx) として開けません。壊れています。{_REMEDY}"
    try:
        with zipfile.ZipFile(path) as archive:
            _check_parts(path, archive)
            _check_row_widths(path, archive)
    except InputFileError:
        raise
    except Exception as exc:  # a damaged zip fails in many ways; all mean the same to the user
        raise InputFileError(path, broken) from exc
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:
        # A damaged part surfaces as whatever its XML parser raises (ElementTree, lxml, KeyError…).
        raise InputFileError(path, broken) from exc


def _sheet_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def named_like(title: str, names: Sequence[str]) -> bool:
    """Whether a sheet title is one of ``names``, ignoring width, case and spaces."""
    return _sheet_key(title) in {_sheet_key(name) for name in names}


def visible_sheet(workbook: Any, names: Sequence[str] = ()) -> Any:
    """The worksheet a person sees when opening ``workbook``; never a hidden one.

    In order: the active sheet (the one shown when the workbook opens) if it is visible; else a
    visible sheet named like one of ``names`` (compared ignoring width, case and spaces:
    ``indicators``, ``ｉｎｄｉｃａｔｏｒｓ``, ``中間指標``); else the first visible sheet.  Raises
    ``InputFileError`` naming the hidden sheets when no sheet is visible.  When several sheets
    are visible the choice may surprise: ``read_table`` warns (``several-sheets``).
    """
    sheets = list(workbook.worksheets)
    visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
    if not sheets:
        raise InputFileError(
            _workbook_name(workbook),
            "表のシートがありません（グラフのシートしかありません）。1行目に見出しを入れた表のシートを作ってください。",
        )
    if not visible:
        hidden = "、".join(f"「{sheet.title}」" for sheet in sheets)
        raise InputFileError(
            _workbook_name(workbook),
            f"表示されているシートがありません（非表示のシート: {hidden}）。"
            "読むシートを Excel で再表示して保存し直してください。",
        )
    active = workbook.active
    if any(active is sheet for sheet in visible):
        return active
    for sheet in visible:
        if named_like(str(sheet.title), names):
            return sheet
    return visible[0]


def _workbook_name(workbook: Any) -> str:
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
        value = cell.value
        if number_format in _JA_BUILTIN_FORMATS.values():
            value = _date_value(value, number_format, epoch)
        cells[int(cell.column) - 1] = (value, number_format)
    return cells


def _sheet_error(sheet: Any, path: Path | str | None, reason: str) -> InputFileError:
    return InputFileError(path or _workbook_name(sheet.parent), f"シート「{sheet.title}」: {reason}")


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
        raise _sheet_error(sheet, path, f"シートの中身が壊れていて読めません。{_REMEDY}") from exc


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


# --- Formulas without a cached value ---------------------------------------------------------


def formula_cells_without_value(
    path: Path,
    sheet_title: str,
    among: Collection[str] | None = None,
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> list[str]:
    """Coordinates (``"D12"``) of formula cells whose result was never computed and saved.

    A workbook written by a program that does not calculate (openpyxl writing ``=A1*2``) holds the
    formula but no result: read with ``data_only`` it looks blank, which would be a silent
    "no value".  Excel's own blank result of a text formula (``=IF(A1="","",A1)``) is saved as an
    empty text result and is not reported.

    How to call: read the sheet as usual with ``open_workbook`` + ``sheet_rows``; if some cells
    you use are blank, call this with the workbook's path, the sheet title and, as ``among``, the
    coordinates of those blank cells (or ``None`` to look at the whole sheet).  It reads the sheet
    again, lazily, with ``data_only=False`` — and a third time, only when it found formulas, to
    confirm that their results are missing.  Report each coordinate returned as "数式の結果が保存
    されていません".
    """
    wanted = None if among is None else set(among)
    if not _has_formula_tags(path):
        return []
    formulas = _formula_coordinates(path, sheet_title, wanted, max_rows, max_columns)
    if not formulas:
        return []
    return _without_cached_value(path, sheet_title, formulas, max_rows, max_columns)


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formula_tags(path: Path) -> bool:
    # A byte scan of the worksheets (~0.05 s for 10 MB) spares most workbooks, which hold no
    # formula at all, the two extra openpyxl passes.
    with zipfile.ZipFile(path) as archive:
        for name in _worksheet_parts(archive):
            with archive.open(name) as stream:
                tail = b""
                while chunk := stream.read(1024 * 1024):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    return [
        name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")
    ]


def _cells(path: Path, sheet_title: str, data_only: bool, max_rows: int, max_columns: int) -> Iterator[Any]:
    """The cells present in the sheet's XML (not openpyxl's padding), lazily."""
    from openpyxl.cell.read_only import EMPTY_CELL

    workbook = open_workbook(path, data_only=data_only)
    try:
        sheet = workbook[sheet_title]
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(max_col=max_columns), start=1):
            if number > max_rows:
                break
            yield from (cell for cell in row if cell is not EMPTY_CELL)
    finally:
        workbook.close()


def _formula_coordinates(
    path: Path, sheet_title: str, wanted: set[str] | None, max_rows: int, max_columns: int
) -> list[str]:
    found = []
    for cell in _cells(path, sheet_title, False, max_rows, max_columns):
        if getattr(cell, "data_type", None) == "f" and (wanted is None or cell.coordinate in wanted):
            found.append(str(cell.coordinate))
    return found


def _without_cached_value(
    path: Path, sheet_title: str, formulas: list[str], max_rows: int, max_columns: int
) -> list[str]:
    pending = set(formulas)
    missing = set()
    for cell in _cells(path, sheet_title, True, max_rows, max_columns):
        coordinate = getattr(cell, "coordinate", None)
        if coordinate not in pending:
            continue
        # Excel saves an empty text result as t="str" with an empty value: that blank is real.
        if cell.value is None and cell.data_type != "str":
            missing.add(coordinate)
        pending.discard(coordinate)
        if not pending:
            break
    return [coordinate for coordinate in formulas if coordinate in missing]
