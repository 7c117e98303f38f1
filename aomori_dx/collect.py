"""Preparing the next meeting: roll a period forward, ask each division for its figures with an
Excel workbook, merge the answers, and show what is still missing.

The loop the secretariat runs before each meeting:

1. ``new_period`` copies the previous period; every indicator value is kept but marked as not
   yet confirmed (the ``confirmed`` column), published rates of the old document are cleared, and
   the meeting's date, as-of date and label are left blank for editing.
2. ``make_requests`` writes one workbook per responsible division (担当課, or the data source
   when no division is given): its indicators and its projects' plan/actual grids, with the cells
   to fill unlocked and highlighted and everything else protected.
3. ``collect`` reads returned workbooks, checks them with the same parsers as ``validate``
   (issues name the workbook, sheet and cell), and merges the accepted values into the period's
   CSV tables — all or nothing, and only after the merged period has been validated.
4. ``division_status`` lists, by division, the indicators not yet confirmed and the projects
   without an actual entry for the current fiscal year.

A workbook identifies itself by a hidden sheet (period and division); the locked cells are
compared with what the tool would write today, so an edited protected cell is caught even if the
sheet protection was removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from aomori_dx.errors import AomoriDxError, InputFileError, describe_os_error
from aomori_dx.format import number
from aomori_dx.load.xlsx import cell_text, formula_cells_without_value, open_workbook, sheet_rows
from aomori_dx.model import Indicator, PeriodData, Project
from aomori_dx.output import NAME_BYTES, clip_bytes, temp_prefix, write_atomic
from aomori_dx.parse import (
    FiscalYear,
    ParseError,
    control_characters,
    is_percent_unit,
    normalize,
    parse_bool,
    parse_number,
    parse_period,
)
from aomori_dx.validate import Issue, Report, validate_period
from aomori_dx.validate.period import magnitude_problem
from aomori_dx.validate.tables import SCHEMAS, normalize_header

__all__ = [
    "Change",
    "DivisionStatus",
    "collect",
    "division_status",
    "make_requests",
    "new_period",
]

META_SHEET = "_meta"
INDICATOR_SHEET = "中間指標"
ROADMAP_SHEET = "ロードマップ"
GUIDE_SHEET = "説明"
INDICATOR_HEADERS = (
    "KPI番号",
    "中間指標名",
    "単位",
    "目標値",
    "前期の値",
    "前期の時点",
    "直近の値（前回）",
    "直近の時点（前回）",
    "新しい値",
    "新しい値の時点",
    "変更なし（○）",
    "備考",
)
LOCKED_INDICATOR_COLUMNS = 8  # A–H are for reference
FILL = "FFF2CC"  # the cells to fill: light yellow, as Japanese forms usually mark them
BLANK_ON_ROLL = ("date", "start", "end", "as_of", "period_label")


# --- new period ------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    from aomori_dx.load import decode

    text, _ = decode(path, path.read_bytes())
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_csv(path: Path, rows: Sequence[Sequence[str]]) -> bytes:
    """The rows as CSV in the file's own encoding: a BOM stays (Excel needs it to read UTF-8),
    CP932 stays CP932 when every character fits, else UTF-8 with BOM."""
    original = path.read_bytes() if path.is_file() else b""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if b"\r\n" in original else "\n").writerows(rows)
    text = buffer.getvalue()
    if original.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    try:
        original.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return text.encode("cp932")
        except UnicodeEncodeError:
            return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def _column(header: Sequence[str], table: str, name: str) -> int | None:
    """Index of the canonical column ``name`` in a header written with any accepted alias."""
    schema = SCHEMAS[table]
    wanted = next(column for column in schema.columns if column.name == name)
    keys = {normalize_header(alias) for alias in (wanted.name, *wanted.aliases)}
    for index, text in enumerate(header):
        if normalize_header(text) in keys:
            return index
    return None


def new_period(
    source: Path, target: Path, label: str | None = None, as_of: dt.date | None = None
) -> list[str]:
    """Create ``target`` from ``source``; return what was changed, in words.  Never overwrites.

    ``label`` and ``as_of`` fill the period's label and as-of date, which the request workbooks
    need; without them the notes say what to fill first."""
    if target.exists():
        raise AomoriDxError(
            f"{target} は既にあります。上書きしないので、別の名前にするか、今のフォルダを移動してください。"
        )
    if not source.is_dir():
        raise AomoriDxError(f"元の期のフォルダがありません: {source}")
    spreadsheets = [name for name in ("meeting", "indicators", "kpis") if (source / f"{name}.xlsx").is_file()]
    if spreadsheets:
        # Rolling forward rewrites these tables; we only rewrite CSV, and copying an .xlsx
        # unchanged would carry the old dates and unconfirmed values over without a word.
        listed = "、".join(f"{name}.xlsx" for name in spreadsheets)
        raise AomoriDxError(
            f"{listed} は Excel の表なので、new-period では書き換えられません。"
            "Excel で「CSV UTF-8 (コンマ区切り)」として保存し直してから実行してください。"
        )
    notes: list[str] = []
    staging = Path(
        tempfile.mkdtemp(
            prefix=temp_prefix(target.name), dir=target.parent if target.parent.exists() else None
        )
    )
    try:
        work = staging / target.name
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("NOTES.md", ".*"))
        meeting = work / "meeting.csv"
        if meeting.is_file():
            rows = _read_csv(meeting)
            given = {"period_label": label or "", "as_of": as_of.isoformat() if as_of else ""}
            for row in rows[1:]:
                if len(row) >= 2 and row[0] in BLANK_ON_ROLL:
                    row[1] = given.get(row[0], "")
                elif len(row) >= 2 and row[0] == "number" and row[1].strip().isdigit():
                    row[1] = str(int(row[1]) + 1)
            present = {row[0] for row in rows[1:] if row}
            rows.extend([key, value] for key, value in given.items() if value and key not in present)
            meeting.write_bytes(_write_csv(meeting, rows))
            notes.append(_meeting_note(target / "meeting.csv", given))
        indicators = work / "indicators.csv"
        if indicators.is_file():
            rows = _read_csv(indicators)
            header = rows[0]
            for name, label in (("division", "担当課"), ("confirmed", "confirmed")):
                if _column(header, "indicators", name) is None:
                    header.append(label if name == "division" else "confirmed")
                    for row in rows[1:]:
                        row.append("")
            confirmed = _column(header, "indicators", "confirmed")
            published = [
                _column(header, "indicators", n) for n in ("previous_rate_published", "latest_rate_published")
            ]
            for row in rows[1:]:
                row.extend([""] * (len(header) - len(row)))
                if confirmed is not None:
                    row[confirmed] = ""
                for index in published:
                    if index is not None:
                        row[index] = ""
            indicators.write_bytes(_write_csv(indicators, rows))
            notes.append(
                f"indicators.csv: {len(rows) - 1} 件の値を引き継ぎ、すべて「未確認」にしました。"
                "公表済みの達成率（照合用）は空欄にしました。"
            )
        kpis = work / "kpis.csv"
        if kpis.is_file():
            rows = _read_csv(kpis)
            index = _column(rows[0], "kpis", "rate_published")
            if index is not None:
                for row in rows[1:]:
                    if index < len(row):
                        row[index] = ""
                kpis.write_bytes(_write_csv(kpis, rows))
        target.parent.mkdir(parents=True, exist_ok=True)
        work.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return notes


def _meeting_note(meeting: Path, given: dict[str, str]) -> str:
    filled = "、".join(f"{key} を「{value}」" for key, value in given.items() if value)
    todo = [
        f"{key}（{what}）"
        for key, what in (
            ("period_label", "期の名前。例: 令和6年度下半期"),
            ("as_of", "基準日。例: 2025-05-31"),
        )
        if not given[key]
    ]
    text = (
        "meeting.csv: 回数を1つ増やし、開催日・時刻"
        + ("" if filled else "・基準日・期の名前")
        + "を空欄にしました。"
    )
    if filled:
        text += f"{filled}にしました。"
    if todo:
        text += (
            f"まず {meeting} の {'、'.join(todo)} を入力してください"
            "（照会ファイルの題名と、実績を入力できる年度に使います。入力するまで requests は作れません）。"
        )
    return text + "開催日（date）も入力してください。"


# --- request workbooks -----------------------------------------------------------------------


def _current_fiscal_year(data: PeriodData) -> FiscalYear:
    day = data.meeting.as_of or dt.date.today()
    return FiscalYear(day.year if day.month >= 4 else day.year - 1)


def _divisions(data: PeriodData) -> dict[str, tuple[list[Indicator], list[Project]]]:
    groups: dict[str, tuple[list[Indicator], list[Project]]] = {}
    for indicator in data.indicators:
        groups.setdefault(indicator.responsible, ([], []))[0].append(indicator)
    for project in data.projects:
        if data.activities_of(project.no):
            groups.setdefault(project.division or "（担当課未設定）", ([], []))[1].append(project)
    return dict(sorted(groups.items()))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _stored(value: Decimal | None) -> int | float | None:
    """A figure as a number cell: Excel holds doubles, and the tables' figures fit one exactly
    enough (at most 15 significant digits)."""
    if value is None:
        return None
    return int(value) if _decimals(value) == 0 else float(value)


def _number_format(places: int, percent: bool, optional: int = 0) -> str:
    """``#,##0.0"%"`` and the like, with ▲ for negatives as the tables print them.  The ``%`` is a
    quoted literal: Excel's own percent format would store 45% as 0.45."""
    body = "#,##0" + ("." + "0" * places + "#" * optional if places or optional else "")
    suffix = '"%"' if percent else ""
    return f'{body}{suffix};"▲"{body}{suffix}'


def _figures(indicator: Indicator) -> list[Decimal]:
    return [v for v in (indicator.target, indicator.previous, indicator.latest) if v is not None]


def _whole(indicator: Indicator) -> bool:
    """Counts (人, 件, 社, 台 …) are whole numbers: the answer cell then takes only integers.  The
    unit alone does not say it (時間 or 枚 may or may not be counted), the figures do."""
    return not is_percent_unit(indicator.unit) and all(_decimals(v) == 0 for v in _figures(indicator))


def _answer_format(indicator: Indicator) -> str:
    if _whole(indicator):
        return _number_format(0, False)
    # Up to three more decimals appear as typed, so that the cell never shows a rounded figure.
    return _number_format(1, is_percent_unit(indicator.unit), optional=3)


def _grid_rows(data: PeriodData, project: Project) -> list[tuple[str, str, list[str]]]:
    years = data.meeting.roadmap_years
    entries = data.activities_of(project.no)
    rows = []
    for activity in dict.fromkeys(entry.activity for entry in entries):
        for kind, label in (("plan", "計画"), ("actual", "実績")):
            cells = []
            for year in years:
                texts = [
                    e.text for e in entries if e.activity == activity and e.kind == kind and e.covers(year)
                ]
                cells.append("／".join(dict.fromkeys(texts)))
            rows.append((activity, label, cells))
    return rows


# A file name must not start like a formula (a list of files pasted into a sheet) or be hidden,
# and Windows reserves these device names whatever the extension.
_UNSAFE_START = "=+-@. \u3000"
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³")}
)


def _safe(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+', "_", name).strip("_")[:60]
    return cleaned.rstrip(". ") or "division"


def _file_names(period_id: str, divisions: Sequence[str]) -> dict[str, str]:
    """A distinct, safe file name per division.  Names that differ only in the characters that are
    replaced, past the cut, or in case and width (one file on Windows) get ``_2``, ``_3`` …"""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for division in divisions:
        stem = f"{_safe(period_id)}_{_safe(division)}".lstrip(_UNSAFE_START) or "division"
        # Room for a counter, ".xlsx" and our temporary names beside the file.
        stem = clip_bytes(stem, NAME_BYTES - 120)
        if stem.split(".")[0].upper() in _RESERVED:
            stem = f"_{stem}"
        candidate, counter = stem, 1
        while normalize(candidate).casefold() in taken:
            counter += 1
            candidate = f"{stem}_{counter}"
        taken.add(normalize(candidate).casefold())
        names[division] = f"{candidate}.xlsx"
    return names


def make_requests(data: PeriodData, out: Path) -> list[Path]:
    """One request workbook per responsible division; returns the paths written.

    The period's label and as-of date head every workbook, so they must be filled first."""
    meeting = data.meeting
    blank = [
        f"{key}（{what}）"
        for key, what, value in (
            ("period_label", "期の名前。例: 令和6年度下半期", meeting.period_label),
            ("as_of", "基準日。例: 2025-05-31", meeting.as_of),
        )
        if not value
    ]
    if blank:
        raise AomoriDxError(
            f"{data.path / 'meeting.csv'} の {'、'.join(blank)} が空欄です。"
            "照会ファイルの題名と、実績を入力できる年度に使うので、入力してから作り直してください。"
        )
    groups = _divisions(data)
    names = _file_names(data.id, list(groups))
    written = []
    for division, (indicators, projects) in groups.items():
        path = out / names[division]
        write_atomic(path, _workbook(data, division, indicators, projects))
        written.append(path)
    return written


# Text that starts like a formula is kept as text, whatever spacing or width it starts with.
_FORMULA_START = frozenset("=+-@＝＋－＠")


def _put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write one cell; text from the inputs never becomes a formula, also when edited later."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.lstrip(" \t\r\n\u3000")[:1] in _FORMULA_START:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# Print: A4 landscape with narrow margins, fitted to the width only while the letters stay at
# 10 pt or more; a wider sheet prints at full size over several pages, its key columns repeated.
# The workbook's default font is the cells' font, BIZ UDPゴシック 11 pt (on every Japanese Windows
# PC since 2018): Excel and LibreOffice count column widths in its digits, 11 pixels wide
# (0.72 em, rounded up), plus 7 pixels of padding.
FONT_NAME = "BIZ UDPゴシック"
BODY_PT = 11
MIN_PRINTED_PT = 10
A4_LANDSCAPE_PT = 841.89
MARGIN_INCH = 0.3
DIGIT_PX = 11
PADDING_PX = 7
EM_PER_UNIT = DIGIT_PX / (BODY_PT * 96 / 72)
INDICATOR_WIDTHS = (4, 19, 5, 7, 7, 7, 7, 8, 7, 10, 9, 8)
MIN_NAME_WIDTH = 11
GUIDE_WIDTH = 96
ROADMAP_WIDTHS = (4, 14, 14, 4)  # No., 事業名, 取組, 区分; then each year
YEAR_WIDTH = 12


def print_scale(widths: Sequence[float]) -> float:
    """The scale at which columns of these widths fill the printable width of A4 landscape."""
    content = sum(DIGIT_PX * width + PADDING_PX for width in widths) * 72 / 96
    return min(1.0, (A4_LANDSCAPE_PT - 2 * MARGIN_INCH * 72) / content)


def _widest(columns: int) -> float:
    """The sum of the widths of ``columns`` columns that still print at ``MIN_PRINTED_PT``."""
    content_px = (A4_LANDSCAPE_PT - 2 * MARGIN_INCH * 72) * BODY_PT / MIN_PRINTED_PT * 96 / 72
    return (content_px - PADDING_PX * columns) / DIGIT_PX


def _print_setup(sheet: Any, widths: Sequence[float], title_columns: str) -> None:
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_margins = PageMargins(left=MARGIN_INCH, right=MARGIN_INCH, top=0.6, bottom=0.6)
    if BODY_PT * print_scale(widths) >= MIN_PRINTED_PT:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        sheet.page_setup.scale = 100
        sheet.print_title_cols = title_columns
    sheet.print_title_rows = "1:1"


def _units(text: str) -> float:
    """The width of ``text`` in column-width units, from the advance widths of BIZ UDPゴシック
    (proportional: digits 0.72 em, a comma 0.31 em, kanji and kana about 1 em)."""
    import unicodedata

    def em(character: str) -> float:
        if unicodedata.east_asian_width(character) in "WFA" or character == "%":
            return 1.0
        if character.isdigit():
            return 0.72
        return 0.31 if character in ",.:;'!| " else 0.65

    return sum(em(character) for character in text) / EM_PER_UNIT


def _text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs."""
    import math

    if not text:
        return 1
    return sum(max(1, math.ceil(_units(line) / max(1.0, width - 0.5))) for line in text.split("\n"))


def _fit_rows(sheet: Any, widths: Sequence[float]) -> None:
    # Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: set it.
    for row in sheet.iter_rows():
        lines = max(
            _text_lines(str(cell.value or ""), widths[cell.column - 1])
            for cell in row
            if cell.column <= len(widths)
        )
        sheet.row_dimensions[row[0].row].height = 15 * lines + 4


def _set_widths(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _guide_lines(data: PeriodData, division: str, projects: list[Project]) -> list[str]:
    meeting = data.meeting
    as_of = meeting.as_of.isoformat() if meeting.as_of else ""
    return [
        f"{meeting.council}　{meeting.period_label} の数値照会（基準日: {as_of}）",
        f"担当課: {division}",
        "",
        "お願い",
        "1. 「中間指標」シートの黄色のセルに、最新の値とその時点（例: R6年度、R6年11月末時点）を入力してください。",
        "   値は数字だけを入力してください（単位・桁区切りは不要です。マイナスは ▲ または - ）。",
        "   % の指標は、45% なら 45 と入力してください（セルには 45.0% と表示されます）。",
        "   値が前回と同じで変更がない場合は、「変更なし（○）」の一覧から ○ を選んでください。",
        *(
            [
                "2. 「ロードマップ」シートの黄色のセルに、年度ごとの計画・実績を入力・修正してください。",
                "   実績は、今年度までの年度だけ入力できます。",
            ]
            if projects
            else ["2. （この担当課のロードマップの照会はありません。）"]
        ),
        "3. 黄色以外のセルは変更しないでください（変更されたファイルは取り込めません）。",
        "4. 保存して（ファイル名はそのまま）、事務局に返送してください。",
        "",
        f"期: {meeting.period_label}　基準日: {as_of}",
    ]


def _workbook(data: PeriodData, division: str, indicators: list[Indicator], projects: list[Project]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils.indexed_list import IndexedList

    book = Workbook()
    # The default font sets the unit of column widths (see FONT_NAME); openpyxl has no public
    # setter for it.
    default = Font(name=FONT_NAME, size=BODY_PT, family=3, charset=128)
    book._fonts = IndexedList([default])
    book._named_styles["Normal"].font = default
    thin = Side(style="thin", color="A6A6A6")
    looks = _Looks(
        font=Font(name=FONT_NAME, size=BODY_PT),
        bold=Font(name=FONT_NAME, size=BODY_PT, bold=True, color="FFFFFF"),
        head=PatternFill("solid", fgColor="1F4E79"),
        fill=PatternFill("solid", fgColor=FILL),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        wrap=Alignment(wrap_text=True, vertical="top"),
    )
    guide = book.active
    guide.title = GUIDE_SHEET
    for index, line in enumerate(_guide_lines(data, division, projects), start=1):
        cell = _put(guide, index, 1, line)
        cell.font = Font(name=FONT_NAME, size=14 if index == 1 else BODY_PT, bold=index in (1, 4))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _set_widths(guide, [GUIDE_WIDTH])
    _fit_rows(guide, [GUIDE_WIDTH])
    _print_setup(guide, [GUIDE_WIDTH], "A:A")
    guide.protection.sheet = True

    _indicator_sheet(book.create_sheet(INDICATOR_SHEET), indicators, looks)
    if projects:
        _grid_sheet(book.create_sheet(ROADMAP_SHEET), data, projects, looks)
    _meta_sheet(book, data.id, division)
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Looks:
    """The styles every sheet shares."""

    font: Any
    bold: Any
    head: Any
    fill: Any
    border: Any
    wrap: Any


def _header(sheet: Any, titles: Sequence[str], looks: _Looks) -> None:
    from openpyxl.styles import Alignment

    for column, title in enumerate(titles, start=1):
        # "直近の値（前回）" breaks before its parenthesis, not inside it.
        cell = _put(sheet, 1, column, title.replace("（前回）", "\n（前回）").replace("KPI番号", "KPI\n番号"))
        cell.font, cell.fill, cell.border = looks.bold, looks.head, looks.border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _indicator_sheet(sheet: Any, indicators: list[Indicator], looks: _Looks) -> None:
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    _header(sheet, INDICATOR_HEADERS, looks)
    common = {"allow_blank": True, "showErrorMessage": True, "showInputMessage": True}
    decimal = DataValidation(
        type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
        errorTitle="数値を入力してください", error="新しい値には数値だけを入力してください（単位は不要です）。",
        promptTitle="新しい値", prompt="数値だけを入力してください。% の指標は 45% を 45 と入力します。", **common,
    )  # fmt: skip
    whole = DataValidation(
        type="whole", operator="between", formula1="-999999999999999", formula2="999999999999999",
        errorTitle="整数を入力してください", error="この指標の値は整数です。数字だけを入力してください。",
        promptTitle="新しい値", prompt="整数だけを入力してください（単位・桁区切りは不要です）。", **common,
    )  # fmt: skip
    periods = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1="20", allow_blank=True,
        showInputMessage=True, promptTitle="時点", prompt="例: R6年度、R6年11月末時点、R6年",
    )  # fmt: skip
    unchanged = DataValidation(type="list", formula1='"○"', error="変更がない場合だけ ○ を選んでください。",
                               **common)  # fmt: skip
    for row, indicator in enumerate(indicators, start=2):
        percent = is_percent_unit(indicator.unit)
        reference: list[object] = [
            indicator.kpi, indicator.name, indicator.unit, _stored(indicator.target), _stored(indicator.previous),
            indicator.previous_period.text if indicator.previous_period else None,
            _stored(indicator.latest), indicator.latest_period.text if indicator.latest_period else None,
        ]  # fmt: skip
        for column, value in enumerate(reference, start=1):
            cell = _put(sheet, row, column, value)
            cell.font, cell.border, cell.alignment = looks.font, looks.border, looks.wrap
            if isinstance(value, int | float):
                cell.number_format = _number_format(_decimals(Decimal(str(value))), percent)
        for column in range(LOCKED_INDICATOR_COLUMNS + 1, len(INDICATOR_HEADERS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.fill, cell.border, cell.font = looks.fill, looks.border, looks.font
            cell.alignment = looks.wrap
            cell.protection = Protection(locked=False)
        sheet[f"I{row}"].number_format = _answer_format(indicator)
        (whole if _whole(indicator) else decimal).add(f"I{row}")
        periods.add(f"J{row}")
        unchanged.add(f"K{row}")
    # A rule without cells is left out: openpyxl would write an empty <dataValidations/>, which
    # the schema forbids (CT_DataValidations needs one dataValidation) and Excel repairs.
    for validation in (decimal, whole, periods, unchanged):
        if validation.sqref:
            sheet.add_data_validation(validation)
    widths = _indicator_widths(indicators)
    _set_widths(sheet, widths)
    _fit_rows(sheet, widths)
    _print_setup(sheet, widths, "A:B")
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True


def _indicator_widths(indicators: list[Indicator]) -> list[float]:
    """The columns of the indicator sheet: the figure columns as wide as their longest figure
    (else Excel shows ###), the name column taking what is left of the width that still prints
    at 10 pt or more."""
    widths: list[float] = list(INDICATOR_WIDTHS)
    for index, attribute in ((3, "target"), (4, "previous"), (6, "latest")):
        for indicator in indicators:
            value = getattr(indicator, attribute)
            if value is not None:
                text = number(value) + ("%" if is_percent_unit(indicator.unit) else "")
                widths[index] = max(widths[index], _units(text) + 1)
    widths[8] = max(widths[8], widths[3])  # the new value may be as long as the target
    others = sum(widths) - widths[1]
    widths[1] = max(MIN_NAME_WIDTH, int(_widest(len(widths)) - others))
    return widths


def _grid_sheet(sheet: Any, data: PeriodData, projects: list[Project], looks: _Looks) -> None:
    from openpyxl.styles import Protection

    years = data.meeting.roadmap_years
    _header(sheet, ["No.", "事業名", "取組", "区分", *(year.era_label for year in years)], looks)
    current = _current_fiscal_year(data)
    row = 2
    for project in projects:
        for activity, label, cells in _grid_rows(data, project):
            for column, value in enumerate([project.no, project.name, activity, label], start=1):
                cell = _put(sheet, row, column, value)
                cell.font, cell.border, cell.alignment = looks.font, looks.border, looks.wrap
            for offset, (year, value) in enumerate(zip(years, cells, strict=True)):
                cell = _put(sheet, row, 5 + offset, value or None)
                cell.font, cell.border, cell.alignment = looks.font, looks.border, looks.wrap
                if label == "計画" or year <= current:
                    cell.fill = looks.fill
                    cell.protection = Protection(locked=False)
            row += 1
    widths = [*ROADMAP_WIDTHS, *([YEAR_WIDTH] * len(years))]
    _set_widths(sheet, widths)
    _fit_rows(sheet, widths)
    _print_setup(sheet, widths, "A:D")
    sheet.freeze_panes = "E2"
    sheet.protection.sheet = True


def _meta_sheet(book: Any, period_id: str, division: str) -> None:
    meta = book.create_sheet(META_SHEET)
    for index, (key, value) in enumerate(
        (("period", period_id), ("division", division), ("tool", "aomori-dx")), start=1
    ):
        _put(meta, index, 1, key)
        _put(meta, index, 2, value)
    # What every cell said when the workbook was made: protected cells are compared with it
    # (not with today's tables, which an earlier collect may have changed), and so are the
    # roadmap cells, so that only what the division changed is merged.
    row = 5
    for name in (INDICATOR_SHEET, ROADMAP_SHEET):
        if name not in book.sheetnames:
            continue
        for cells in book[name].iter_rows(min_row=2):
            for cell in cells:
                locked = cell.protection.locked
                if locked or name == ROADMAP_SHEET:
                    for column, value in enumerate(
                        (
                            "ref" if locked else "orig",
                            name,
                            cell.coordinate,
                            cell_text(cell.value, "General").strip(),
                        ),
                        start=1,
                    ):
                        _put(meta, row, column, value)
                    row += 1
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


# --- collecting the answers ------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One cell of the period's tables that ``collect`` changes."""

    file: str
    row: int
    column: str
    old: str
    new: str
    source: str


@dataclass
class _Answer:
    path: Path
    division: str
    # By indicator key: value, period, unchanged, their texts, and the row of the sheet.
    indicators: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # By (project, activity, kind): the row's texts by year, the texts when the workbook was
    # made, and the row of the sheet.
    grids: dict[tuple[int, str, str], tuple[list[str], list[str], int]] = field(default_factory=dict)
    remarks: list[tuple[str, str]] = field(default_factory=list)


# --- reading a workbook: every sheet once, lazily and bounded --------------------------------


@dataclass(frozen=True)
class _Sheet:
    """The non-empty cells of a sheet by coordinate, as (value, number format)."""

    cells: dict[str, tuple[object, str]]
    rows: int

    def text(self, coordinate: str) -> str:
        """The cell as the person sees it (see ``load.xlsx.cell_text``), trimmed."""
        return cell_text(*self.cells.get(coordinate, (None, "General"))).strip()


def _read_book(path: Path, names: Sequence[str]) -> dict[str, _Sheet]:
    """The named sheets of a workbook, each read once and lazily (``load.xlsx`` bounds the cost);
    ``InputFileError`` when it cannot be read."""
    from openpyxl.utils import get_column_letter

    book = open_workbook(path)
    sheets = {}
    try:
        for name in names:
            if name not in book.sheetnames:
                continue
            cells: dict[str, tuple[object, str]] = {}
            last = 0
            for number, row in sheet_rows(book[name], path=path):
                for column, (value, number_format) in enumerate(row, start=1):
                    if value is not None:
                        cells[f"{get_column_letter(column)}{number}"] = (value, number_format)
                last = number
            sheets[name] = _Sheet(cells, last)
    finally:
        book.close()
    return sheets


def _row_of(coordinate: str) -> int:
    return int(re.sub(r"[A-Z]+", "", coordinate))


class _Issues:
    """Issues of one workbook, each naming its sheet and cell."""

    def __init__(self, path: Path, report: Report) -> None:
        self.path = path
        self.report = report
        self.start = len(report.errors)

    def error(
        self,
        code: str,
        message: str,
        sheet: str | None = None,
        cell: str | None = None,
        value: str | None = None,
    ) -> None:
        row = _row_of(cell) if cell else None
        self.report.add(
            Issue("error", code, str(self.path), message, row=row, value=value, sheet=sheet, cell=cell)
        )

    def warning(self, code: str, message: str, sheet: str, cell: str, value: str) -> None:
        self.report.add(
            Issue(
                "warning",
                code,
                str(self.path),
                message,
                row=_row_of(cell),
                value=value,
                sheet=sheet,
                cell=cell,
            )
        )

    @property
    def found(self) -> bool:
        return len(self.report.errors) > self.start

    def answer(self, sheet: _Sheet, name: str, coordinate: str) -> str | None:
        """The text of an answer cell; ``None`` (and an error) when it holds a control character."""
        text = sheet.text(coordinate)
        found = control_characters(text)
        if found:
            where = "、".join(f"{offset}文字目 ({code})" for offset, code in found)
            self.error(
                "control-character",
                f"Word や PowerPoint で扱えない制御文字があります: {where}。削除してください。",
                name, coordinate, text,
            )  # fmt: skip
            return None
        return text


def _read_answer(path: Path, data: PeriodData, report: Report) -> _Answer | None:
    issues = _Issues(path, report)
    try:
        sheets = _read_book(path, (META_SHEET, INDICATOR_SHEET, ROADMAP_SHEET))
    except InputFileError as exc:
        issues.error("unreadable-file", exc.reason)
        return None
    if META_SHEET not in sheets:
        issues.error(
            "not-a-request", "aomori-dx の照会ファイルではありません（識別用のシートがありません）。"
        )
        return None
    meta_sheet = sheets[META_SHEET]
    meta = {meta_sheet.text(f"A{row}"): meta_sheet.text(f"B{row}") for row in range(1, 4)}
    refs: dict[tuple[str, str], str] = {}
    originals: dict[tuple[str, str], str] = {}
    for row in range(5, meta_sheet.rows + 1):
        kind, sheet_name, coordinate, value = (meta_sheet.text(f"{letter}{row}") for letter in "ABCD")
        (refs if kind == "ref" else originals)[(sheet_name, coordinate)] = value
    if meta.get("period") != data.id:
        issues.error(
            "wrong-period",
            f"この照会ファイルは期「{meta.get('period')}」のものです。取り込み先の期は「{data.id}」です。",
            META_SHEET, "B1", meta.get("period"),
        )  # fmt: skip
        return None
    division = meta.get("division", "")
    if division not in _divisions(data):
        issues.error(
            "wrong-division", f"担当課「{division}」はこの期にありません。", META_SHEET, "B2", division
        )
        return None
    for name in (INDICATOR_SHEET, ROADMAP_SHEET):
        if any(sheet == name for sheet, _ in refs) and name not in sheets:
            issues.error(
                "missing-sheet", f"シート「{name}」がありません。シートを削除・改名しないでください。"
            )
            return None
    # Protected cells: exactly as written when the workbook was made.
    for (sheet_name, coordinate), want in sorted(refs.items()):
        got = sheets[sheet_name].text(coordinate)
        if got != want:
            issues.error(
                "protected-cell-edited",
                f"変更できないセルが変更されています。元の値は「{want}」です。",
                sheet_name, coordinate, got,
            )  # fmt: skip
    if issues.found:
        return None
    indicator_rows = sorted({_row_of(c) for s, c in refs if s == INDICATOR_SHEET})
    answer_cells = {
        INDICATOR_SHEET: [f"{letter}{row}" for row in indicator_rows for letter in "IJKL"],
        ROADMAP_SHEET: [c for s, c in originals if s == ROADMAP_SHEET],
    }
    _uncomputed(path, sheets, answer_cells, issues)
    if issues.found:
        return None
    answer = _Answer(path, division)
    if INDICATOR_SHEET in sheets:
        _indicator_answers(sheets[INDICATOR_SHEET], indicator_rows, data, answer, issues)
    if ROADMAP_SHEET in sheets:
        rows = sorted({_row_of(c) for s, c in originals if s == ROADMAP_SHEET})
        _grid_answers(sheets[ROADMAP_SHEET], rows, data, originals, answer, issues)
    return None if issues.found else answer


def _uncomputed(path: Path, sheets: dict[str, _Sheet], cells: dict[str, list[str]], issues: _Issues) -> None:
    """A formula whose result was never saved (a program that does not calculate wrote it) reads
    as blank: the answer would be lost silently, or a roadmap entry deleted."""
    for name, coordinates in cells.items():
        blank = [c for c in coordinates if name in sheets and not sheets[name].text(c)]
        try:
            found = formula_cells_without_value(path, name, blank) if blank else []
        except InputFileError as exc:
            issues.error("unreadable-file", exc.reason)
            return
        for coordinate in found:
            issues.error(
                "formula-without-value",
                "数式の結果が保存されていません（数式を計算しないソフトで作られたブックです）。"
                "Excel で開いて保存し直すか、値を入力してください。",
                name, coordinate, "",
            )  # fmt: skip


def _indicator_answers(
    sheet: _Sheet, rows: list[int], data: PeriodData, answer: _Answer, issues: _Issues
) -> None:
    from openpyxl.utils import get_column_letter

    last = rows[-1] if rows else 1
    extra = sorted(
        (_row_of(c), c) for c in sheet.cells if _row_of(c) > last and sheet.text(c) and
        re.sub(r"\d+", "", c) in {get_column_letter(n) for n in range(1, len(INDICATOR_HEADERS) + 1)}
    )  # fmt: skip
    if extra:
        coordinate = extra[0][1]
        issues.error("protected-cell-edited", "表の下に行が追加されています。行は追加しないでください。",
                     INDICATOR_SHEET, coordinate, sheet.text(coordinate))  # fmt: skip
    by_key = {indicator.key: indicator for indicator in data.indicators}
    for row in rows:
        key = (sheet.text(f"A{row}"), sheet.text(f"B{row}"))
        indicator = by_key.get(key)
        if indicator is None:
            issues.error("stale-request", "照会ファイルを作った後で、この中間指標が期の表から削除・改名されています。",
                         INDICATOR_SHEET, f"B{row}", key[1])  # fmt: skip
            continue
        _indicator_answer(sheet, row, indicator, answer, issues)


def _indicator_answer(
    sheet: _Sheet, row: int, indicator: Indicator, answer: _Answer, issues: _Issues
) -> None:
    coordinates = [f"{letter}{row}" for letter in "IJKL"]
    texts = [issues.answer(sheet, INDICATOR_SHEET, coordinate) for coordinate in coordinates]
    if any(text is None for text in texts):
        return
    value_text, period_text, unchanged_text, note = (text or "" for text in texts)
    entry: dict[str, Any] = {"note": note, "row": row}
    for key, text, coordinate, reader in (
        ("value", value_text, coordinates[0], lambda t: parse_number(t, indicator.unit)),
        ("period", period_text, coordinates[1], parse_period),
        ("unchanged", unchanged_text, coordinates[2], parse_bool),
    ):
        try:
            entry[key] = reader(text) if (text or key == "unchanged") else None
        except ParseError as exc:
            issues.error(exc.code, exc.message, INDICATOR_SHEET, coordinate, text)
            return
    if entry["value"] is not None and entry["period"] is None:
        issues.error("missing-value", "新しい値の時点（例: R6年度）を入力してください。",
                     INDICATOR_SHEET, coordinates[1], "")  # fmt: skip
        return
    if entry["period"] is not None and entry["value"] is None:
        issues.error("missing-value", "新しい値を入力してください（時点だけが入力されています）。",
                     INDICATOR_SHEET, coordinates[0], "")  # fmt: skip
        return
    latest = indicator.latest_period
    if entry["period"] is not None and latest is not None and entry["period"].end < latest.end:
        issues.error(
            "period-order",
            f"新しい値の時点「{period_text}」が直近の時点「{latest.text}」より前です。",
            INDICATOR_SHEET, coordinates[1], period_text,
        )  # fmt: skip
        return
    if entry["value"] is not None:
        # The rule of validate (implausible-magnitude), with the answer as the new latest value
        # and the figure it replaces as the previous one: one rule, whichever way a value arrives.
        last = indicator.latest if indicator.latest is not None else indicator.previous
        doubt = magnitude_problem(
            replace(indicator, previous=last, latest=entry["value"]), "latest", entry["value"]
        )
        if doubt:
            issues.warning("implausible-magnitude", doubt, INDICATOR_SHEET, coordinates[0], value_text)
    entry["value_text"] = value_text
    entry["period_text"] = period_text
    if note:
        answer.remarks.append((indicator.name, note))
    if entry["value"] is not None or entry["unchanged"]:
        answer.indicators[indicator.key] = entry


def _grid_answers(
    sheet: _Sheet,
    rows: list[int],
    data: PeriodData,
    originals: dict[tuple[str, str], str],
    answer: _Answer,
    issues: _Issues,
) -> None:
    from openpyxl.utils import get_column_letter

    years = data.meeting.roadmap_years
    current = _current_fiscal_year(data)
    known = {(p.no, e.activity) for p in data.projects for e in data.activities_of(p.no)}
    for row in rows:
        try:
            project = int(sheet.text(f"A{row}"))
        except ValueError:
            continue
        activity, label = sheet.text(f"C{row}"), sheet.text(f"D{row}")
        if (project, activity) not in known:
            issues.error("stale-request", "照会ファイルを作った後で、この取組が期の表から削除・改名されています。",
                         ROADMAP_SHEET, f"C{row}", activity)  # fmt: skip
            continue
        texts, before = [], []
        for offset, year in enumerate(years):
            coordinate = f"{get_column_letter(5 + offset)}{row}"
            text = issues.answer(sheet, ROADMAP_SHEET, coordinate)
            was = originals.get((ROADMAP_SHEET, coordinate), "")
            if text is not None and label == "実績" and year > current and text != was:
                issues.error("actual-in-future", f"{year}年度はまだ始まっていないため、実績は入力できません。",
                             ROADMAP_SHEET, coordinate, text)  # fmt: skip
            texts.append(was if text is None else text)
            before.append(was)
        if texts != before:
            answer.grids[(project, activity, "plan" if label == "計画" else "actual")] = (texts, before, row)


# --- two workbooks answering the same thing --------------------------------------------------


def _indicator_said(entry: dict[str, Any]) -> tuple[object, ...]:
    return (entry["value"], entry["period_text"], bool(entry["unchanged"]))


def _indicator_words(entry: dict[str, Any]) -> str:
    if entry["value"] is None:
        return "変更なし（○）"
    return f"{number(entry['value'])}（{entry['period_text']}）"


def _conflicts(answers: Sequence[_Answer], report: Report) -> set[int]:
    """Answers that contradict another workbook's: each side is reported with the other's cell;
    returns the positions of the workbooks to leave out."""
    from openpyxl.utils import get_column_letter

    said: dict[tuple[str, ...], list[tuple[int, str, str, str]]] = {}
    for position, answer in enumerate(answers):
        for key, entry in answer.indicators.items():
            letter = "I" if entry["value"] is not None else "K"
            said.setdefault(("indicator", *key), []).append(
                (position, f"{letter}{entry['row']}", repr(_indicator_said(entry)), _indicator_words(entry))
            )
        for (project, activity, kind), (texts, before, row) in answer.grids.items():
            for offset, (text, was) in enumerate(zip(texts, before, strict=True)):
                if text != was:
                    cell = f"{get_column_letter(5 + offset)}{row}"
                    said.setdefault(("grid", str(project), activity, kind, str(offset)), []).append(
                        (position, cell, text, text or "（空欄）")
                    )
    dropped: set[int] = set()
    for subject, answered in said.items():
        sheet = INDICATOR_SHEET if subject[0] == "indicator" else ROADMAP_SHEET
        for mine, theirs in itertools.permutations(answered, 2):
            if mine[2] == theirs[2] or answers[mine[0]].path == answers[theirs[0]].path:
                continue
            dropped.add(mine[0])
            other = answers[theirs[0]].path
            report.add(
                Issue(
                    "error",
                    "conflicting-answer",
                    str(answers[mine[0]].path),
                    f"別の照会ファイル {other} の {sheet}!{theirs[1]} と回答が違います"
                    f"（こちら「{mine[3]}」、あちら「{theirs[3]}」）。どちらのファイルも取り込みません。"
                    "正しいほうを確かめ、そのファイルだけでもう一度 collect してください。",
                    row=_row_of(mine[1]),
                    value=mine[3],
                    sheet=sheet,
                    cell=mine[1],
                )
            )
    return dropped


# --- one collect at a time -------------------------------------------------------------------

LOCK_NAME = ".collect.lock"


def _acquire(lock: Path) -> str | None:
    """Create the lock file atomically; ``None`` when taken, else who holds it (in words)."""
    import getpass
    import socket

    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            with lock.open("rb") as stream:
                holder = json.loads(stream.read(4096).decode("utf-8"))
            return (
                f"{holder['host']} の {holder['user']}（プロセス {holder['pid']}）が {holder['since']} から"
            )
        except (OSError, ValueError, KeyError, TypeError):
            return "誰かが（ロックファイルの中身が読めません）"
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: still lock
        user = "（不明）"
    holder = {
        "user": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(holder, stream, ensure_ascii=False)
    except BaseException:
        lock.unlink(missing_ok=True)
        raise
    return None


def _locked_out(lock: Path, holder: str) -> Report:
    report = Report()
    report.add(
        Issue(
            "error",
            "collect-locked",
            str(lock),
            f"この期には、{holder}取り込み（collect）をしています。終わってから、もう一度実行してください。"
            f"その collect が途中で止まって（強制終了・停電など）ロックファイルだけが残っているときは、"
            f"誰も collect していないことを確かめてから {lock} を削除してください。",
        )
    )
    return report


def _spans(years: Sequence[FiscalYear], texts: Sequence[str]) -> list[tuple[FiscalYear, FiscalYear, str]]:
    """Consecutive years with the same text become one span."""
    spans: list[tuple[FiscalYear, FiscalYear, str]] = []
    for year, text in zip(years, texts, strict=True):
        if not text:
            continue
        if spans and spans[-1][2] == text and spans[-1][1].year == year.year - 1:
            spans[-1] = (spans[-1][0], year, text)
        else:
            spans.append((year, year, text))
    return spans


def collect(folder: Path, workbooks: Sequence[Path], dry_run: bool = False) -> tuple[list[Change], Report]:
    """Merge the answers of ``workbooks`` into ``folder``; all or nothing.

    Workbooks with problems, and workbooks whose answers contradict another's, are reported and
    left out; the others are merged.  The merged tables are validated before anything is
    written; if they do not validate, nothing is.  A lock file in the period folder keeps a
    second ``collect`` from reading the tables while this one rewrites them (a dry run only
    reads, and the tables are replaced atomically, so it takes no lock).
    """
    if dry_run or not folder.is_dir():
        return _collect(folder, workbooks, dry_run)
    lock = folder / LOCK_NAME
    try:
        holder = _acquire(lock)
    except OSError as exc:
        raise AomoriDxError(f"{lock}: ロックファイルを作れません（{describe_os_error(exc)}）。") from exc
    if holder is not None:
        return [], _locked_out(lock, holder)
    try:
        return _collect(folder, workbooks, dry_run)
    finally:
        lock.unlink(missing_ok=True)


def _collect(folder: Path, workbooks: Sequence[Path], dry_run: bool) -> tuple[list[Change], Report]:
    data, period_report = validate_period(folder, complete=False)
    if data is None:
        return [], period_report
    # The period's own warnings (values not yet confirmed, which is why we collect) are not
    # repeated here: the report is about the workbooks.
    report = Report()
    answers = []
    for path in workbooks:
        if not path.is_file():
            report.add(Issue("error", "missing-file", str(path), "ファイルがありません。"))
            continue
        answer = _read_answer(path, data, report)
        if answer is not None:
            answers.append(answer)
            for name, note in answer.remarks:
                # The 備考 column is for the secretariat: shown, not written into the tables.
                report.add(
                    Issue("warning", "remark", str(path), f"備考（{name}）: {note}", sheet=INDICATOR_SHEET)
                )
    dropped = _conflicts(answers, report)
    answers = [answer for position, answer in enumerate(answers) if position not in dropped]
    changes: list[Change] = []
    outputs: dict[Path, bytes] = {}
    merges = (
        ("indicators", any(answer.indicators for answer in answers), _merge_indicators),
        ("activities", any(answer.grids for answer in answers), _merge_activities),
    )
    for stem, needed, merge in merges:
        if not needed:
            continue
        path = folder / f"{stem}.csv"
        if not path.is_file():
            message = f"collect は CSV の表（{stem}.csv）にだけ書き込めます。"
            report.add(Issue("error", "csv-only", str(folder / f"{stem}.xlsx"), message))
            return [], report
        outputs[path] = merge(path, data, answers, changes)
    if not outputs:
        return changes, report
    # Validate the merged period in a copy before touching the real one.
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / folder.name
        shutil.copytree(folder, copy)
        for path, content in outputs.items():
            (copy / path.name).write_bytes(content)
        merged, merged_report = validate_period(copy, complete=False)
        if merged is None:
            for item in merged_report.errors:
                report.add(
                    Issue(
                        "error",
                        item.code,
                        str(folder / Path(item.file).name),
                        "取り込むと入力にエラーが出るため、取り込みませんでした: " + item.message,
                        item.row,
                        item.column,
                        item.value,
                    )
                )
            return [], report
    if not dry_run:
        for path, content in outputs.items():
            write_atomic(path, content)
    return changes, report


def _merge_indicators(
    path: Path, data: PeriodData, answers: Sequence[_Answer], changes: list[Change]
) -> bytes:
    rows = _read_csv(path)
    header = rows[0]
    if _column(header, "indicators", "confirmed") is None:
        header.append("confirmed")
        for row in rows[1:]:
            row.append("")
    index = {name: _column(header, "indicators", name) for name in (
        "kpi", "name", "previous", "previous_period", "latest", "latest_period", "confirmed",
        "previous_rate_published", "latest_rate_published",
    )}  # fmt: skip
    by_key = {indicator.key: indicator for indicator in data.indicators}

    def set_cell(row: list[str], number_: int, name: str, value: str, source: Path) -> None:
        column = index[name]
        if column is None:
            return
        row.extend([""] * (len(header) - len(row)))
        if row[column] != value:
            changes.append(Change(path.name, number_, header[column], row[column], value, source.name))
            row[column] = value

    for number_, row in enumerate(rows[1:], start=2):
        kpi_i, name_i = index["kpi"], index["name"]
        if kpi_i is None or name_i is None or len(row) <= max(kpi_i, name_i):
            continue
        key = (row[kpi_i].strip(), row[name_i].strip())
        for answer in answers:
            entry = answer.indicators.get(key)
            if entry is None:
                continue
            indicator = by_key[key]
            if entry["value"] is not None:
                later = indicator.latest_period is None or entry["period"].end > indicator.latest_period.end
                if later and indicator.latest is not None:
                    # The old latest figure becomes the previous one (前期の値), as the tables do.
                    set_cell(row, number_, "previous", number(indicator.latest), answer.path)
                    set_cell(
                        row,
                        number_,
                        "previous_period",
                        indicator.latest_period.text if indicator.latest_period else "",
                        answer.path,
                    )
                    set_cell(row, number_, "previous_rate_published", "", answer.path)
                set_cell(row, number_, "latest", number(entry["value"]), answer.path)
                set_cell(row, number_, "latest_period", entry["period_text"], answer.path)
                set_cell(row, number_, "latest_rate_published", "", answer.path)
            set_cell(row, number_, "confirmed", "○", answer.path)
    return _write_csv(path, rows)


def _merge_activities(
    path: Path, data: PeriodData, answers: Sequence[_Answer], changes: list[Change]
) -> bytes:
    rows = _read_csv(path)
    header = rows[0]
    index = {
        name: _column(header, "activities", name)
        for name in ("project", "activity", "kind", "from", "to", "text")
    }
    years = data.meeting.roadmap_years
    # Workbooks that change different cells of one row each keep their change (their answers
    # do not conflict, or _conflicts would have left them out).
    replaced: dict[tuple[int, str, str], tuple[list[str], Path]] = {}
    for answer in answers:
        for key, (texts, before, _) in answer.grids.items():
            merged, _source = replaced.get(key, (list(before), answer.path))
            for offset, (text, was) in enumerate(zip(texts, before, strict=True)):
                if text != was:
                    merged[offset] = text
            replaced[key] = (merged, answer.path)
    kinds = {"計画": "plan", "plan": "plan", "実績": "actual", "actual": "actual"}
    out = [header]
    done: set[tuple[int, str, str]] = set()

    def key_of(row: list[str]) -> tuple[int, str, str] | None:
        try:
            project = int(row[index["project"] or 0])
        except (ValueError, IndexError):
            return None
        return (project, row[index["activity"] or 0].strip(), kinds.get(row[index["kind"] or 0].strip(), ""))

    def append_spans(key: tuple[int, str, str], texts: list[str], source: Path) -> None:
        """The division's row as entries: consecutive years with the same text in one span."""
        label = "計画" if key[2] == "plan" else "実績"
        for first, last, text in _spans(years, texts):
            new = [""] * len(header)
            values = {"project": str(key[0]), "activity": key[1], "kind": label, "from": first.era_label,
                      "to": last.era_label, "text": text}  # fmt: skip
            for name, value in values.items():
                column = index[name]
                if column is not None:
                    new[column] = value
            out.append(new)
            changes.append(Change(path.name, len(out), "text", "", f"{first}〜{last} {text}", source.name))

    for number_, row in enumerate(rows[1:], start=2):
        found = key_of(row)
        if found is None or found not in replaced:
            out.append(row)
            continue
        key = found
        texts, source = replaced[key]
        changes.append(
            Change(path.name, number_, "text", row[index["text"] or 0], "（置き換え）", source.name)
        )
        if key not in done:
            done.add(key)
            append_spans(key, texts, source)
    for key, (texts, source) in replaced.items():
        if key not in done:
            append_spans(key, texts, source)
    return _write_csv(path, out)


# --- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DivisionStatus:
    """What a division still owes the secretariat."""

    division: str
    indicators: int
    unconfirmed: tuple[str, ...]
    projects: int
    missing_actuals: tuple[str, ...]

    @property
    def done(self) -> bool:
        """Nothing left to ask for."""
        return not self.unconfirmed and not self.missing_actuals


def division_status(data: PeriodData) -> list[DivisionStatus]:
    """By division: unconfirmed indicators and projects without an actual for the current year."""
    current = _current_fiscal_year(data)
    result = []
    for division, (indicators, projects) in _divisions(data).items():
        missing = []
        for project in projects:
            entries = data.activities_of(project.no)
            if not any(e.kind == "actual" and e.covers(current) for e in entries):
                missing.append(f"No.{project.no} {project.name}")
        result.append(
            DivisionStatus(
                division,
                len(indicators),
                tuple(indicator.name for indicator in indicators if not indicator.confirmed),
                len(projects),
                tuple(missing),
            )
        )
    return result
