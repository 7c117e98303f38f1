"""Open Excel workbooks with bounded cost, choose the sheet, and find formulas without a result.

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
* **What the cell shows** is ``load.cells``'s part (``cell_text``, ``sheet_rows``).
* **No hidden data.**  ``visible_sheet`` never returns a hidden sheet.
* **Precise reasons.**  ``open_workbook`` tells an encrypted workbook, an old ``.xls``, an
  ``.xlsb`` and a file that is not a workbook at all apart from a broken ``.xlsx``.

openpyxl is imported inside the functions: ``aomori-dx validate`` on a CSV-only period must not
pay for it.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from aomori_dx.errors import InputFileError, reading
from aomori_dx.load.cells import (
    MAX_COLUMNS,
    MAX_ROWS,
    REMEDY,
    workbook_name,
)

__all__ = [
    "MAX_CELLS_PER_ROW",
    "MAX_PARTS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_ROW_ELEMENTS",
    "MAX_TOTAL_BYTES",
    "MAX_TREE_PART_BYTES",
    "formula_cells_without_value",
    "hidden_lines",
    "merged_ranges",
    "named_like",
    "open_workbook",
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
# Row elements in a sheet's XML, empty formatted rows included: each costs ~9 µs to parse and
# pad (a million empty rows took 9 s), so they are bounded too, generously above MAX_ROWS.
MAX_ROW_ELEMENTS = 100_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


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
    raise InputFileError(path, f"古い形式の Excel ファイル (.xls) のため読めません。{REMEDY}")


def _check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > MAX_PARTS:
        raise InputFileError(
            path, f"ブックの中の部品が多すぎます（{len(infos)} 個。上限 {MAX_PARTS} 個）。{REMEDY}"
        )
    if "xl/workbook.bin" in names:
        raise InputFileError(path, f"Excel バイナリ ブック (.xlsb) の形式のため読めません。{REMEDY}")
    if "[Content_Types].xml" not in names:
        raise InputFileError(
            path, f"Excel ファイル (.xlsx) ではありません（中身が別の形式の zip です）。{REMEDY}"
        )
    if not any(name.startswith("xl/") for name in names):
        raise InputFileError(
            path,
            f"Excel ファイル (.xlsx) ではありません（Word や PowerPoint など、別の Office ファイルです）。{REMEDY}",
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
            path, f"Excel ファイル (.xlsx) ではありません（中身が Excel の形式ではありません）。{REMEDY}"
        )
    broken = f"Excel ファイル (.xlsx) として開けません。壊れています。{REMEDY}"
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
            workbook_name(workbook),
            "表のシートがありません（グラフのシートしかありません）。1行目に見出しを入れた表のシートを作ってください。",
        )
    if not visible:
        hidden = "、".join(f"「{sheet.title}」" for sheet in sheets)
        raise InputFileError(
            workbook_name(workbook),
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


# --- Merged cells ------------------------------------------------------------------------------

_MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def merged_ranges(path: Path, sheet: Any) -> list[str]:
    """The merged ranges of ``sheet`` (``"A2:A4"``), in the order the sheet lists them.

    A merged range keeps its value in the top-left cell only: the cells below read as blank, so a
    KPI number or unit merged over three rows is a value on one row and nothing on the others.
    openpyxl's read-only sheets do not parse merges; the sheet's XML is scanned for them instead
    (they follow the cell data, so the whole part is streamed, as ``_check_row_widths`` does).
    """
    return [match.group(1).decode() for match in _tags(path, sheet, _MERGE_CELL)]


def _tags(path: Path, sheet: Any, pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """The tags of ``sheet``'s XML that ``pattern`` matches, streamed a megabyte at a time."""
    part = getattr(sheet, "_worksheet_path", None)
    if not part:
        return
    with zipfile.ZipFile(path) as archive, archive.open(str(part).lstrip("/")) as stream:
        tail = b""
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            # A tag cut at the chunk boundary is scanned again with the next chunk.
            cut = data.rfind(b"<")
            yield from pattern.finditer(data[:cut])
            tail = data[cut:]
        yield from pattern.finditer(tail)


_LINE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|col)\s[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(r|min|max|hidden)="([^"]*)"')


def hidden_lines(path: Path, sheet: Any) -> tuple[list[int], list[int]]:
    """The hidden rows and columns of ``sheet`` (1-based numbers), from its XML.

    A hidden row is still in the file and openpyxl reads it like any other, but nobody sees it in
    Excel: old rows hidden instead of deleted would go into the documents.
    """
    rows: list[int] = []
    columns: list[int] = []
    for match in _tags(path, sheet, _LINE_TAG):
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        if attributes.get(b"hidden") not in (b"1", b"true"):
            continue
        if match.group(1) == b"row" and attributes.get(b"r", b"").isdigit():
            rows.append(int(attributes[b"r"]))
        elif attributes.get(b"min", b"").isdigit() and attributes.get(b"max", b"").isdigit():
            low, high = int(attributes[b"min"]), min(int(attributes[b"max"]), MAX_COLUMNS)
            columns += range(low, high + 1)
    return rows, columns


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
