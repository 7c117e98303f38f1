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
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aomori_dx.errors import AomoriDxError
from aomori_dx.format import number
from aomori_dx.model import Indicator, PeriodData, Project
from aomori_dx.output import write_atomic
from aomori_dx.parse import FiscalYear, ParseError, parse_bool, parse_number, parse_period
from aomori_dx.validate import Issue, Report, validate_period
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


def new_period(source: Path, target: Path) -> list[str]:
    """Create ``target`` from ``source``; return what was changed, in words.  Never overwrites."""
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
        tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent if target.parent.exists() else None)
    )
    try:
        work = staging / target.name
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("NOTES.md", ".*"))
        meeting = work / "meeting.csv"
        if meeting.is_file():
            rows = _read_csv(meeting)
            for row in rows[1:]:
                if len(row) >= 2 and row[0] in BLANK_ON_ROLL:
                    row[1] = ""
                elif len(row) >= 2 and row[0] == "number" and row[1].strip().isdigit():
                    row[1] = str(int(row[1]) + 1)
            meeting.write_bytes(_write_csv(meeting, rows))
            notes.append(
                "meeting.csv: 回数を1つ増やし、開催日・時刻・基準日・期の名前を空欄にしました（入力してください）。"
            )
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


def _indicator_reference(indicator: Indicator) -> list[str]:
    return [
        indicator.kpi,
        indicator.name,
        indicator.unit,
        number(indicator.target),
        number(indicator.previous) if indicator.previous is not None else "",
        indicator.previous_period.text if indicator.previous_period else "",
        number(indicator.latest) if indicator.latest is not None else "",
        indicator.latest_period.text if indicator.latest_period else "",
    ]


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


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:60] or "division"


def make_requests(data: PeriodData, out: Path) -> list[Path]:
    """One request workbook per responsible division; returns the paths written."""
    written = []
    for division, (indicators, projects) in _divisions(data).items():
        path = out / f"{data.id}_{_safe(division)}.xlsx"
        write_atomic(path, _workbook(data, division, indicators, projects))
        written.append(path)
    return written


def _workbook(data: PeriodData, division: str, indicators: list[Indicator], projects: list[Project]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    fill = PatternFill("solid", fgColor=FILL)
    head = PatternFill("solid", fgColor="1F4E79")
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="BIZ UDPゴシック", size=10)
    bold = Font(name="BIZ UDPゴシック", size=10, bold=True, color="FFFFFF")
    wrap = Alignment(wrap_text=True, vertical="top")

    guide = book.active
    guide.title = GUIDE_SHEET
    meeting = data.meeting
    lines = [
        f"{meeting.council}　{meeting.period_label or data.id} の数値照会",
        f"担当課: {division}",
        "",
        "お願い",
        "1. 「中間指標」シートの黄色のセルに、最新の値とその時点（例: R6年度、R6年11月末時点）を入力してください。",
        "   値は数字だけを入力してください（単位・桁区切りは不要です。マイナスは ▲ または - ）。",
        "   値が前回と同じで変更がない場合は、「変更なし（○）」に ○ を入力してください。",
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
        f"期: {data.id}　基準日: {meeting.as_of.isoformat() if meeting.as_of else '（未定）'}",
    ]
    for index, line in enumerate(lines, start=1):
        cell = guide.cell(row=index, column=1, value=line)
        cell.font = Font(name="BIZ UDPゴシック", size=12 if index == 1 else 10, bold=index in (1, 4))
    guide.column_dimensions["A"].width = 110
    guide.protection.sheet = True

    sheet = book.create_sheet(INDICATOR_SHEET)
    for column, title in enumerate(INDICATOR_HEADERS, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font, cell.fill, cell.border = bold, head, border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    numbers = DataValidation(
        type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True,
        showErrorMessage=True, errorTitle="数値を入力してください",
        error="新しい値には数値だけを入力してください（単位は不要です）。",
        showInputMessage=True, promptTitle="新しい値", prompt="数値だけを入力してください。",
    )  # fmt: skip
    periods = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1="20", allow_blank=True,
        showInputMessage=True, promptTitle="時点", prompt="例: R6年度、R6年11月末時点、R6年",
    )  # fmt: skip
    unchanged = DataValidation(type="list", formula1='"○"', allow_blank=True, showErrorMessage=True,
                               error="変更がない場合だけ ○ を選んでください。")  # fmt: skip
    for validation in (numbers, periods, unchanged):
        sheet.add_data_validation(validation)
    for row, indicator in enumerate(indicators, start=2):
        for column, value in enumerate(_indicator_reference(indicator), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font, cell.border, cell.alignment = font, border, wrap
        for column in range(LOCKED_INDICATOR_COLUMNS + 1, len(INDICATOR_HEADERS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.fill, cell.border, cell.font = fill, border, font
            cell.protection = Protection(locked=False)
        numbers.add(f"I{row}")
        periods.add(f"J{row}")
        unchanged.add(f"K{row}")
    widths = (8, 44, 8, 12, 12, 12, 12, 14, 12, 14, 10, 24)
    for letter, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    _fit_rows(sheet, widths)
    _print_setup(sheet)
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True

    years = meeting.roadmap_years
    grid = book.create_sheet(ROADMAP_SHEET) if projects else None
    if grid is not None:
        _grid_sheet(grid, data, projects, years, (font, bold, head, fill, border, wrap))
    meta = book.create_sheet(META_SHEET)
    for index, (key, value) in enumerate(
        (("period", data.id), ("division", division), ("tool", "aomori-dx")), start=1
    ):
        meta.cell(row=index, column=1, value=key)
        meta.cell(row=index, column=2, value=value)
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
                    meta.cell(row=row, column=1, value="ref" if locked else "orig")
                    meta.cell(row=row, column=2, value=name)
                    meta.cell(row=row, column=3, value=cell.coordinate)
                    meta.cell(row=row, column=4, value=_text(cell.value))
                    row += 1
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs; a column width counts half-width characters."""
    import math
    import unicodedata

    if not text:
        return 1
    units = sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)
    return max(1, math.ceil(units / max(1.0, width - 1)))


def _fit_rows(sheet: Any, widths: Sequence[float]) -> None:
    # Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: set it.
    for row in sheet.iter_rows(min_row=2):
        lines = max(
            _text_lines(str(cell.value or ""), widths[cell.column - 1])
            for cell in row
            if cell.column <= len(widths)
        )
        sheet.row_dimensions[row[0].row].height = 15 * lines + 3


def _print_setup(sheet: Any) -> None:
    """A4 landscape, the width of the table on one page, the header row on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _grid_sheet(
    grid: Any, data: PeriodData, projects: list[Project], years: Sequence[FiscalYear], looks: tuple[Any, ...]
) -> None:
    from openpyxl.styles import Alignment, Protection

    font, bold, head, fill, border, wrap = looks
    headers = ["No.", "事業名", "取組", "区分", *(year.era_label for year in years)]
    for column, title in enumerate(headers, start=1):
        cell = grid.cell(row=1, column=column, value=title)
        cell.font, cell.fill, cell.border = bold, head, border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    current = _current_fiscal_year(data)
    row = 2
    for project in projects:
        for activity, label, cells in _grid_rows(data, project):
            for column, value in enumerate([str(project.no), project.name, activity, label], start=1):
                cell = grid.cell(row=row, column=column, value=value)
                cell.font, cell.border, cell.alignment = font, border, wrap
            for offset, (year, value) in enumerate(zip(years, cells, strict=True)):
                cell = grid.cell(row=row, column=5 + offset, value=value or None)
                cell.font, cell.border, cell.alignment = font, border, wrap
                if label == "計画" or year <= current:
                    cell.fill = fill
                    cell.protection = Protection(locked=False)
            row += 1
    widths = [6, 30, 30, 6, *([24] * len(years))]
    for index, width in enumerate(widths):
        grid.column_dimensions[chr(ord("A") + index)].width = width
    _fit_rows(grid, widths)
    _print_setup(grid)
    grid.freeze_panes = "E2"
    grid.protection.sheet = True


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
    indicators: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    grids: dict[tuple[int, str, str], list[str]] = field(default_factory=dict)
    remarks: list[tuple[str, str]] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _read_answer(path: Path, data: PeriodData, report: Report) -> _Answer | None:
    from openpyxl import load_workbook

    def issue(
        code: str,
        message: str,
        sheet: str | None = None,
        cell: str | None = None,
        value: str | None = None,
        row: int | None = None,
    ) -> None:
        report.add(Issue("error", code, str(path), message, row=row, value=value, sheet=sheet, cell=cell))

    try:
        book = load_workbook(path, data_only=True)
    except Exception:  # any damage in the file means the same to the user
        issue(
            "unreadable-file",
            "Excel ファイル (.xlsx) として開けません。返送されたファイルを確認してください。",
        )
        return None
    if META_SHEET not in book.sheetnames:
        issue("not-a-request", "aomori-dx の照会ファイルではありません（識別用のシートがありません）。")
        return None
    meta_rows = [
        [_text(cell.value) for cell in row] for row in book[META_SHEET].iter_rows(min_row=1, max_col=4)
    ]
    meta = {row[0]: row[1] for row in meta_rows[:3] if row}
    refs: dict[tuple[str, str], str] = {}
    originals: dict[tuple[str, str], str] = {}
    for kind, sheet_name, coordinate, value in (row for row in meta_rows[4:] if len(row) == 4):
        (refs if kind == "ref" else originals)[(sheet_name, coordinate)] = value
    if meta.get("period") != data.id:
        issue(
            "wrong-period",
            f"この照会ファイルは期「{meta.get('period')}」のものです。取り込み先の期は「{data.id}」です。",
            META_SHEET, "B1", meta.get("period"), 1,
        )  # fmt: skip
        return None
    groups = _divisions(data)
    division = meta.get("division", "")
    if division not in groups:
        issue("wrong-division", f"担当課「{division}」はこの期にありません。", META_SHEET, "B2", division, 2)
        return None
    answer = _Answer(path, division)
    start = len(report.errors)
    for name in (INDICATOR_SHEET, ROADMAP_SHEET):
        if any(sheet == name for sheet, _ in refs) and name not in book.sheetnames:
            issue("missing-sheet", f"シート「{name}」がありません。シートを削除・改名しないでください。")
            return None
    # Protected cells: exactly as written when the workbook was made.
    for (sheet_name, coordinate), want in sorted(refs.items()):
        got = _text(book[sheet_name][coordinate].value)
        if got != want:
            row_number = int(re.sub(r"[A-Z]+", "", coordinate))
            issue(
                "protected-cell-edited",
                f"変更できないセルが変更されています。元の値は「{want}」です。",
                sheet_name, coordinate, got, row_number,
            )  # fmt: skip
    if len(report.errors) > start:
        return None
    by_key = {indicator.key: indicator for indicator in data.indicators}
    if INDICATOR_SHEET in book.sheetnames:
        sheet = book[INDICATOR_SHEET]
        rows = sorted({int(re.sub(r"[A-Z]+", "", c)) for s, c in refs if s == INDICATOR_SHEET})
        last = rows[-1] if rows else 1
        for extra in sheet.iter_rows(min_row=last + 1, max_col=len(INDICATOR_HEADERS)):
            filled = [cell for cell in extra if _text(cell.value)]
            if filled:
                issue("protected-cell-edited", "表の下に行が追加されています。行は追加しないでください。",
                      INDICATOR_SHEET, filled[0].coordinate, _text(filled[0].value), filled[0].row)  # fmt: skip
        for row_index in rows:
            key = (_text(sheet[f"A{row_index}"].value), _text(sheet[f"B{row_index}"].value))
            indicator = by_key.get(key)
            if indicator is None:
                issue("stale-request", "照会ファイルを作った後で、この中間指標が期の表から削除・改名されています。",
                      INDICATOR_SHEET, f"B{row_index}", key[1], row_index)  # fmt: skip
                continue
            _indicator_answer(sheet, row_index, indicator, answer, issue)
    if ROADMAP_SHEET in book.sheetnames:
        grid = book[ROADMAP_SHEET]
        years = data.meeting.roadmap_years
        current = _current_fiscal_year(data)
        known = {(p.no, e.activity) for p in data.projects for e in data.activities_of(p.no)}
        rows = sorted({int(re.sub(r"[A-Z]+", "", c)) for s, c in originals if s == ROADMAP_SHEET})
        for row_index in rows:
            try:
                project = int(_text(grid[f"A{row_index}"].value))
            except ValueError:
                continue
            activity, label = _text(grid[f"C{row_index}"].value), _text(grid[f"D{row_index}"].value)
            if (project, activity) not in known:
                issue("stale-request", "照会ファイルを作った後で、この取組が期の表から削除・改名されています。",
                      ROADMAP_SHEET, f"C{row_index}", activity, row_index)  # fmt: skip
                continue
            texts, before = [], []
            for offset, year in enumerate(years):
                cell = grid.cell(row=row_index, column=5 + offset)
                text = _text(cell.value)
                was = originals.get((ROADMAP_SHEET, cell.coordinate), "")
                if label == "実績" and year > current and text != was:
                    issue("actual-in-future", f"{year}年度はまだ始まっていないため、実績は入力できません。",
                          ROADMAP_SHEET, cell.coordinate, text, row_index)  # fmt: skip
                texts.append(text)
                before.append(was)
            if texts != before:
                answer.grids[(project, activity, "plan" if label == "計画" else "actual")] = texts
    return answer if len(report.errors) == start else None


def _indicator_answer(sheet: Any, row_index: int, indicator: Indicator, answer: _Answer, issue: Any) -> None:
    cells = [sheet.cell(row=row_index, column=column) for column in range(9, 13)]
    value_text, period_text, unchanged_text, note = (_text(cell.value) for cell in cells)
    entry: dict[str, Any] = {"note": note}
    for key, text, cell, reader in (
        ("value", value_text, cells[0], lambda t: parse_number(t, indicator.unit)),
        ("period", period_text, cells[1], parse_period),
        ("unchanged", unchanged_text, cells[2], parse_bool),
    ):
        try:
            entry[key] = reader(text) if (text or key == "unchanged") else None
        except ParseError as exc:
            issue(exc.code, exc.message, INDICATOR_SHEET, cell.coordinate, text, row_index)
            return
    if entry["value"] is not None and entry["period"] is None:
        issue(
            "missing-value",
            "新しい値の時点（例: R6年度）を入力してください。",
            INDICATOR_SHEET,
            cells[1].coordinate,
            "",
            row_index,
        )
        return
    if entry["period"] is not None and entry["value"] is None:
        issue(
            "missing-value",
            "新しい値を入力してください（時点だけが入力されています）。",
            INDICATOR_SHEET,
            cells[0].coordinate,
            "",
            row_index,
        )
        return
    latest = indicator.latest_period
    if entry["period"] is not None and latest is not None and entry["period"].end < latest.end:
        issue(
            "period-order",
            f"新しい値の時点「{period_text}」が直近の時点「{latest.text}」より前です。",
            INDICATOR_SHEET, cells[1].coordinate, period_text, row_index,
        )  # fmt: skip
        return
    entry["value_text"] = value_text
    entry["period_text"] = period_text
    if note:
        answer.remarks.append((indicator.name, note))
    if entry["value"] is not None or entry["unchanged"]:
        answer.indicators[indicator.key] = entry


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

    Workbooks with problems are reported and left out; the others are merged.  The merged
    tables are validated before anything is written; if they do not validate, nothing is.
    """
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
    replaced: dict[tuple[int, str, str], tuple[list[str], Path]] = {}
    for answer in answers:
        for key, texts in answer.grids.items():
            replaced[key] = (texts, answer.path)
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
