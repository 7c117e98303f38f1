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
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aomori_dx.errors import InputFileError, reading
from aomori_dx.load.cells import MAX_ROWS, ExcelError, cell_text, sheet_rows
from aomori_dx.load.xlsx import (
    MAX_PART_BYTES,
    formula_cells_without_value,
    hidden_lines,
    merged_ranges,
    named_like,
    open_workbook,
    visible_sheet,
)
from aomori_dx.parse import visible

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
    # XLSX cells (row number, column index) holding a formula whose result was never saved.
    uncomputed: tuple[tuple[int, int], ...] = ()
    # Which sheet was read and why, when the workbook shows others that were not read.
    sheet_note: str = ""
    # XLSX hidden rows (numbers) and columns (indexes) that hold values nobody sees in Excel.
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[int, ...] = ()
    # XLSX cells (row number, column index) holding a formula's error result (#REF!, #N/A).
    failed: tuple[tuple[int, int], ...] = ()
    # XLSX merged ranges as (range, top row, left column index): ("A2:A4", 2, 0).  Only their
    # top-left cell holds the value.
    merged: tuple[tuple[str, int, int], ...] = ()

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
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InputFileError(
            path,
            "中身が Excel ファイルです（拡張子だけが .csv です）。Excel で開き"
            "「CSV UTF-8 (コンマ区切り)」で保存し直すか、.xlsx のファイルとして置いてください。",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode テキスト" save: UTF-16 with a BOM, tab-separated.
        first_line = data.decode("utf-16", errors="replace").split("\n", 1)[0]
        kind = "タブ区切りの UTF-16 のテキスト" if "\t" in first_line else "UTF-16 のテキスト"
        raise InputFileError(
            path,
            f"{kind}（Excel の「Unicode テキスト」など）で保存されています。"
            "Excel で開き「名前を付けて保存」で「CSV UTF-8 (コンマ区切り) (*.csv)」を選んで保存し直してください。",
        )
    if b"\x00" in data:
        raise InputFileError(
            path,
            "テキストファイルではありません（バイナリ、または UTF-16 で保存されています）。"
            "Excel では「CSV UTF-8 (コンマ区切り)」で保存してください。",
        )
    failures: list[int] = []
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            # utf-8-sig counts from after the BOM; the user counts from the start of the file.
            bom = 3 if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else 0
            failures.append(exc.start + bom)
            continue
        return text, ("utf-8" if encoding == "utf-8-sig" else encoding)
    # The encoding that read further is the one the file was meant to be in: its first failure
    # is the damaged byte (a CP932 file fails as UTF-8 at its first Japanese character).
    # The line is a text editor's line (the file cannot be opened as a table): it goes into the
    # message, not into the row, which counts spreadsheet rows.
    offset = max(failures)
    line = data.count(b"\n", 0, offset) + 1
    raise InputFileError(
        path,
        f"{line}行目（先頭から {offset + 1:,} バイト目）の 0x{data[offset]:02X} が UTF-8 でも Shift_JIS(CP932) でも"
        "読めません（文字コードが混ざっているか、ファイルが壊れています）。"
        "Excel では「CSV UTF-8 (コンマ区切り)」で保存してください。",
    )


def _read_bytes(path: Path) -> bytes:
    # The same bound as one sheet of a workbook: a text file of 1 GB would be read whole and take
    # minutes to check.
    with reading(path):
        size = path.stat().st_size
        if size > MAX_PART_BYTES:
            raise InputFileError(
                path,
                f"ファイルが大きすぎます（{size:,} バイト。上限 {MAX_PART_BYTES:,} バイト）。"
                "期のフォルダに置くファイルを取り違えていないか確かめてください。",
            )
        return path.read_bytes()


def read_text(path: Path) -> str:
    """A Markdown or other text file, decoded like the CSV files."""
    data = _read_bytes(path)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return ""
    text, _ = decode(path, data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_table(path: Path, sheet_names: Sequence[str] = ()) -> RawTable:
    """Read ``path`` (.csv or .xlsx) into text cells; raise ``InputFileError`` if unreadable.

    For a workbook, ``sheet_names`` are the names the table's sheet may have (see
    ``xlsx.visible_sheet``: hidden sheets are never read).
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet_names)
    raise InputFileError(path, "CSV (.csv) か Excel (.xlsx) の表にしてください。")


def _pad(cells: list[str], width: int) -> tuple[str, ...]:
    if len(cells) < width:
        cells = cells + [""] * (width - len(cells))
    return tuple(cells)


def _read_csv(path: Path) -> RawTable:
    text, encoding = decode(path, _read_bytes(path))
    _check_delimiter(path, text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(records) >= MAX_ROWS and any(cell.strip() for cell in record):
                # As for a sheet (load.cells.sheet_rows): 1,000,000 rows took minutes to check.
                raise InputFileError(
                    path,
                    f"{len(records) + 1}行目に値があります。表は {MAX_ROWS:,} 行目までにしてください。",
                    row=len(records) + 1,
                )
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


_DELIMITERS = {"\t": ("タブ区切り", "タブ"), ";": ("セミコロン区切り", "「;」")}


def _check_delimiter(path: Path, text: str) -> None:
    # Judged on the header line, outside quotes: a table's headers hold no tabs or semicolons,
    # while a file saved as "Text (tab-delimited)" or by a European Excel has them between all
    # columns.  Refuse rather than guess: a guess could split a value that contains one.
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    for delimiter, (name, shown) in _DELIMITERS.items():
        if header.count(delimiter) > header.count(","):
            raise InputFileError(
                path,
                f"{name}のファイルです（1行目の列が「,」ではなく{shown}で"
                "区切られています）。Excel で開き「名前を付けて保存」で「CSV UTF-8 (コンマ区切り) (*.csv)」を"
                "選んで保存し直してください。",
                row=1,
            )


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


def _sheet_note(workbook: Any, sheet: Any, sheet_names: Sequence[str]) -> str:
    others = [other for other in workbook.worksheets if other.sheet_state == "visible" and other is not sheet]
    if not others:
        return ""
    if sheet is workbook.active:
        why = "保存したときに開いていたシート"
    elif named_like(str(sheet.title), sheet_names):
        why = "表の名前のシート"
    else:
        why = "表示されているシートのうち一番左のもの"
    names = "・".join(f"「{visible(str(other.title))}」" for other in others)
    return (
        f"表示されているシートが {len(others) + 1} 枚あります。読むのは{why}「{visible(str(sheet.title))}」だけで、"
        f"{names}は読みません。ほかのシートを読ませたいときは、そのシートを開いた状態で保存してください。"
    )


def _holds_value(records: list[list[str]], row: int, width: int) -> bool:
    return row <= len(records) and any(cell.strip() for cell in records[row - 1][:width])


def _top_left(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import range_boundaries

    column, row, _, _ = range_boundaries(ref)
    assert column is not None and row is not None  # merged_ranges only finds "A1:B2" forms
    return row, column - 1


def _read_xlsx(path: Path, sheet_names: Sequence[str]) -> RawTable:
    from openpyxl.utils.cell import coordinate_to_tuple

    workbook = open_workbook(path)
    try:
        sheet = visible_sheet(workbook, sheet_names)
        title = str(sheet.title)
        note = _sheet_note(workbook, sheet, sheet_names)
        merged = merged_ranges(path, sheet)
        hidden_rows, hidden_columns = hidden_lines(path, sheet)
        records: list[list[str]] = []
        failed: list[tuple[int, int]] = []
        for number, cells in sheet_rows(sheet, path=path):
            records.extend([] for _ in range(number - 1 - len(records)))
            records.append([cell_text(value, number_format) for value, number_format in cells])
            failed += [
                (number, index) for index, (value, _) in enumerate(cells) if isinstance(value, ExcelError)
            ]
    finally:
        workbook.close()
    uncomputed = formula_cells_without_value(path, title)
    try:
        table = _table(path, records, sheet=title, encoding="xlsx")
    except InputFileError:
        if not uncomputed:
            raise
        raise InputFileError(
            path,
            f"シート「{title}」の数式の結果が保存されていません（{uncomputed[0]} など {len(uncomputed)} 個のセル。"
            "数式を計算しないソフトで作られたブックです）。Excel で開いて保存し直してください。",
        ) from None
    # Header cells, and the cells under a header, even in rows that look empty: those are the
    # cells a formula without a result would silently blank.
    width = max(len(table.headers), 1)
    positions = [coordinate_to_tuple(coordinate) for coordinate in uncomputed]
    return replace(
        table,
        sheet_note=note,
        merged=tuple((ref, *_top_left(ref)) for ref in merged),
        failed=tuple((row, column) for row, column in failed if row == 1 or column < width),
        hidden_rows=tuple(row for row in sorted(set(hidden_rows)) if _holds_value(records, row, width)),
        hidden_columns=tuple(
            column - 1
            for column in sorted(set(hidden_columns))
            if column <= width
            and any(column <= len(record) and record[column - 1].strip() for record in records)
        ),
        uncomputed=tuple((row, column - 1) for row, column in positions if row == 1 or column <= width),
    )
