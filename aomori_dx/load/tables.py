"""Read a CSV or XLSX table into raw text cells, keeping the position a person would look for.

Positions are what a spreadsheet user sees: the header is row 1, the first data row is row 2,
and a cell with line breaks inside quotes is still one row.  For XLSX the sheet and the A1
reference are kept as well.  Nothing is interpreted here: every cell stays text, so that
"1,683台" or "—" reach the parser as typed (pandas would coerce them).

We read CSV with the standard library rather than pandas: it gives the record positions
directly, and ``aomori-dx validate`` does not pay pandas' import time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from aomori_dx.errors import InputFileError

__all__ = ["RawRow", "RawTable", "column_letter", "decode", "read_table", "read_text"]

# utf-8-sig accepts UTF-8 with and without a BOM.  cp932, not shift_jis: Excel on Windows writes
# cp932, and 髙 or ① exist only there.  Never errors="replace": mojibake must not pass silently.
ENCODINGS = ("utf-8-sig", "cp932")


@dataclass(frozen=True)
class RawRow:
    """One data row: its spreadsheet row number and its cells in header order."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A table as read: header texts, rows, and where it came from."""

    path: Path
    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]
    sheet: str | None = None
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)

    def cell_ref(self, row: int, column_index: int) -> str | None:
        """The A1 reference of a cell, for XLSX only (CSV has no cell names people use)."""
        if self.sheet is None:
            return None
        return f"{column_letter(column_index)}{row}"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text file as UTF-8 (with or without BOM) or CP932; refuse anything else."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputFileError(path, "ファイルが空です。見出し行とデータを入力して保存し直してください。")
    if b"\x00" in data:
        raise InputFileError(
            path,
            "テキストファイルではありません（バイナリ、または UTF-16 で保存されています）。"
            "Excel では「CSV UTF-8 (コンマ区切り)」で保存してください。",
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, ("utf-8" if encoding == "utf-8-sig" else encoding)
    raise InputFileError(
        path,
        "文字コードを判別できません（UTF-8 でも Shift_JIS(CP932) でもありません）。"
        "Excel では「CSV UTF-8 (コンマ区切り)」で保存してください。",
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError(path, "ファイルがありません。") from exc
    except IsADirectoryError as exc:
        raise InputFileError(path, "ファイルではなくフォルダです。") from exc
    except OSError as exc:
        raise InputFileError(path, f"ファイルを読めません（{exc.strerror}）。") from exc


def read_text(path: Path) -> str:
    """A Markdown or other text file, decoded like the CSV files."""
    data = _read_bytes(path)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return ""
    text, _ = decode(path, data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_table(path: Path) -> RawTable:
    """Read ``path`` (.csv or .xlsx) into text cells; raise ``InputFileError`` if unreadable."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise InputFileError(path, "CSV (.csv) か Excel (.xlsx) の表にしてください。")


def _pad(cells: list[str], width: int) -> tuple[str, ...]:
    if len(cells) < width:
        cells = cells + [""] * (width - len(cells))
    return tuple(cells)


def _read_csv(path: Path) -> RawTable:
    text, encoding = decode(path, _read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        # The broken record is the one after the last complete one: that is where the stray
        # quote opened, which is where the user has to look (the reader notices only later).
        row = len(records) + 1
        raise InputFileError(
            path,
            f'{row}行目: CSV の形式が崩れています（引用符 " が閉じていないか、余分にあります）。その行の引用符を確認してください。',
            row=row,
        ) from exc
    return _table(path, records, encoding=encoding)


def _table(
    path: Path, records: list[list[str]], sheet: str | None = None, encoding: str = "utf-8"
) -> RawTable:
    # Drop trailing empty records (a file ending in blank lines) but keep inner ones, so that
    # row numbers stay what the user sees.
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise InputFileError(path, "ファイルが空です。見出し行とデータを入力して保存し直してください。")
    headers = tuple(cell.strip() for cell in records[0])
    width = len(headers)
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append(RawRow(index, _pad(list(record), width)))
    return RawTable(path, headers, tuple(rows), sheet=sheet, encoding=encoding)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _cell_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        # repr is the shortest text that round-trips: 29.1 stays "29.1", not 29.099999…; the
        # "f" format never writes an exponent (5e-05 → 0.00005).
        number = Decimal(repr(value))
        if "%" in number_format:
            # A cell shown as 29.1% holds 0.291: give the parser what the user sees.
            return f"{(number * 100).normalize():f}%"
        text = f"{number.normalize():f}" if number == number.to_integral_value() else f"{number:f}"
    elif isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        return value.isoformat()
    else:
        # Excel stores characters that XML cannot hold as _x000B_; openpyxl hands them over
        # literally.  Decode them so that validation sees (and reports) the real character.
        return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), str(value))
    if "%" in number_format:
        return f"{(Decimal(text) * 100).normalize():f}%"
    return text


def _read_xlsx(path: Path) -> RawTable:
    # openpyxl costs import time; only XLSX inputs pay it.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    data = _read_bytes(path)
    if not data:
        raise InputFileError(path, "ファイルが空です。Excel で開いて保存し直してください。")
    broken = "Excel ファイル (.xlsx) として開けません。壊れているか、別の形式です。Excel で開いて .xlsx で保存し直してください。"
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputFileError(path, broken) from exc
    except Exception as exc:
        # A damaged part inside a valid zip surfaces as whatever its XML parser raises
        # (ElementTree, lxml, …): all of them mean the same thing to the user.
        raise InputFileError(path, broken) from exc
    try:
        sheet = workbook.worksheets[0]
        records: list[list[str]] = []
        for row in sheet.iter_rows():
            records.append(
                [
                    _cell_text(getattr(cell, "value", None), getattr(cell, "number_format", "") or "")
                    for cell in row
                ]
            )
        title = str(sheet.title)
    except Exception as exc:  # the sheet's XML is read lazily, row by row: same reasoning
        raise InputFileError(path, broken) from exc
    finally:
        workbook.close()
    return _table(path, records, sheet=title, encoding="xlsx")
