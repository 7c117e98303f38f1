"""``collect``, reading: a returned request workbook checked with the same parsers as
``validate`` (issues name the workbook, sheet and cell) and turned into typed answer records.

The workbook must be one of ours for this period and division (the very hidden sheet), its
locked cells exactly as written, and its answer cells readable; cells are found through the
column maps of ``layout``, the same maps the writer used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from aomori_dx.collect.divisions import by_division, current_fiscal_year
from aomori_dx.collect.layout import (
    INDICATOR,
    INDICATOR_ANSWERS,
    INDICATOR_SHEET,
    KIND_LABELS,
    META_ENTRY,
    META_FIELD,
    META_FIELDS,
    META_FIRST_ENTRY,
    META_SHEET,
    ROADMAP,
    ROADMAP_SHEET,
    IndicatorColumn,
    meta_field_row,
    year_cell,
)
from aomori_dx.collect.workbook import Sheet, WorkbookIssues, read_book, row_of
from aomori_dx.errors import InputFileError
from aomori_dx.load.xlsx import formula_cells_without_value
from aomori_dx.model import ActivityKind, Indicator, PeriodData, name_key
from aomori_dx.parse import ParseError, Period, parse_bool, parse_number, parse_period
from aomori_dx.validate import Report
from aomori_dx.validate.codes import Code
from aomori_dx.validate.indicators import magnitude_problem

# An indicator by (KPI, name); a roadmap row by (project, activity, plan/actual).
IndicatorKey = tuple[str, str]
GridKey = tuple[int, str, ActivityKind]


@dataclass(frozen=True)
class NewValue:
    """A new latest value and when it was measured, as the division typed them."""

    value: Decimal
    period: Period
    period_text: str


@dataclass(frozen=True)
class IndicatorAnswer:
    """A division's answer for one indicator: a new value, or 変更なし (or both)."""

    row: int  # of the indicator sheet
    new: NewValue | None
    unchanged: bool


@dataclass(frozen=True)
class GridAnswer:
    """A roadmap row the division changed: its text per year, now and as written."""

    row: int  # of the roadmap sheet
    texts: tuple[str, ...]
    before: tuple[str, ...]


@dataclass(frozen=True)
class Remark:
    """A note in the 備考 column: for the secretariat, shown but not merged."""

    indicator: str
    note: str


@dataclass
class Answer:
    """Everything one workbook answers."""

    path: Path
    division: str
    indicators: dict[IndicatorKey, IndicatorAnswer] = field(default_factory=dict)
    grids: dict[GridKey, GridAnswer] = field(default_factory=dict)
    remarks: list[Remark] = field(default_factory=list)


@dataclass(frozen=True)
class _Recorded:
    """The hidden sheet: the workbook's fields, and every cell as written (locked ``refs``, and
    the roadmap's cells to fill, ``originals``), by (sheet, coordinate)."""

    fields: dict[str, str]
    refs: dict[tuple[str, str], str]
    originals: dict[tuple[str, str], str]


def _recorded(meta: Sheet) -> _Recorded:
    fields = {
        meta.text(META_FIELD.cell("key", row)): meta.text(META_FIELD.cell("value", row))
        for row in range(1, len(META_FIELDS) + 1)
    }
    refs: dict[tuple[str, str], str] = {}
    originals: dict[tuple[str, str], str] = {}
    for row in range(META_FIRST_ENTRY, meta.rows + 1):
        entry = {column.key: meta.text(META_ENTRY.cell(column.key, row)) for column in META_ENTRY}
        (refs if entry["kind"] == "ref" else originals)[(entry["sheet"], entry["cell"])] = entry["value"]
    return _Recorded(fields, refs, originals)


def answered(path: Path) -> bool:
    """Whether the request workbook at ``path`` holds what a division typed: an answer cell of the
    indicator sheet filled, or a roadmap cell other than as written.  ``False`` for a file that is
    not one of ours or cannot be read."""
    try:
        sheets = read_book(path, (META_SHEET, INDICATOR_SHEET, ROADMAP_SHEET))
    except InputFileError:
        return False
    if META_SHEET not in sheets:
        return False
    indicator = sheets.get(INDICATOR_SHEET)
    if indicator is not None and any(
        indicator.text(INDICATOR.cell(key, row))
        for row in range(2, indicator.rows + 1)
        for key in INDICATOR_ANSWERS
    ):
        return True
    recorded = _recorded(sheets[META_SHEET])
    return any(
        sheet in sheets and sheets[sheet].text(coordinate) != written
        for (sheet, coordinate), written in recorded.originals.items()
    )


def read_answer(path: Path, data: PeriodData, report: Report) -> Answer | None:
    """The answers of the workbook at ``path``; ``None`` when it has an error (in ``report``)."""
    issues = WorkbookIssues(path, report)
    try:
        sheets = read_book(path, (META_SHEET, INDICATOR_SHEET, ROADMAP_SHEET))
    except InputFileError as exc:
        issues.add(Code.UNREADABLE_FILE, exc.reason)
        return None
    if META_SHEET not in sheets:
        issues.add(
            Code.NOT_A_REQUEST, "aomori-dx の照会ファイルではありません（識別用のシートがありません）。"
        )
        return None
    recorded = _recorded(sheets[META_SHEET])
    division = _identified(recorded.fields, data, issues)
    if division is None:
        return None
    for name in (INDICATOR_SHEET, ROADMAP_SHEET):
        if any(sheet == name for sheet, _ in recorded.refs) and name not in sheets:
            issues.add(
                Code.MISSING_SHEET, f"シート「{name}」がありません。シートを削除・改名しないでください。"
            )
            return None
    # Protected cells: exactly as written when the workbook was made.
    for (sheet_name, coordinate), want in sorted(recorded.refs.items()):
        got = sheets[sheet_name].text(coordinate)
        if got != want:
            issues.add(Code.PROTECTED_CELL_EDITED,
                f"変更できないセルが変更されています。元の値は「{want}」です。",
                sheet_name, coordinate, got,
            )  # fmt: skip
    _outside_the_table(sheets, recorded, len(data.meeting.roadmap_years), issues)
    for name in (INDICATOR_SHEET, ROADMAP_SHEET):
        for merged in sheets[name].merged if name in sheets else ():
            # Only the top-left cell of a merge keeps its text: ○ merged over three rows answers one.
            top_left = merged.split(":")[0]
            issues.add(Code.MERGED_CELLS,
                f"セル {merged} が結合されています。結合したセルは左上のセル（{top_left}）にしか値がなく、"
                "ほかのセルの回答は読まれません。結合を解除し、各行に入力してください。",
                name, top_left,
            )  # fmt: skip
    if issues.found:
        return None
    indicator_rows = sorted({row_of(c) for s, c in recorded.refs if s == INDICATOR_SHEET})
    answer_cells = {
        INDICATOR_SHEET: [INDICATOR.cell(key, row) for row in indicator_rows for key in INDICATOR_ANSWERS],
        ROADMAP_SHEET: [c for s, c in recorded.originals if s == ROADMAP_SHEET],
    }
    _uncomputed(path, sheets, answer_cells, issues)
    if issues.found:
        return None
    answer = Answer(path, division)
    if INDICATOR_SHEET in sheets:
        _indicator_answers(sheets[INDICATOR_SHEET], indicator_rows, data, answer, issues)
    if ROADMAP_SHEET in sheets:
        rows = sorted({row_of(c) for s, c in recorded.originals if s == ROADMAP_SHEET})
        _grid_answers(sheets[ROADMAP_SHEET], rows, data, recorded.originals, answer, issues)
    return None if issues.found else answer


def _outside_the_table(
    sheets: dict[str, Sheet], recorded: _Recorded, years: int, issues: WorkbookIssues
) -> None:
    """Text right of a table, or on a roadmap row that is not one of ours (a new activity added
    below): nothing reads it, so the answer would be lost without a word.  Rows added below the
    indicator table have their own message (``_indicator_answers``)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    rows = {row_of(cell) for sheet, cell in (*recorded.refs, *recorded.originals) if sheet == ROADMAP_SHEET}
    widths = {INDICATOR_SHEET: len(INDICATOR), ROADMAP_SHEET: len(ROADMAP) + years}
    for name, width in widths.items():
        sheet = sheets.get(name)
        if sheet is None:
            continue
        for coordinate in sorted(sheet.cells, key=lambda c: (row_of(c), len(c), c)):
            letters, row = coordinate_from_string(coordinate)
            beside = column_index_from_string(letters) > width
            below = name == ROADMAP_SHEET and row not in rows
            if row >= 2 and (beside or below) and sheet.text(coordinate):
                issues.add(Code.PROTECTED_CELL_EDITED,
                    "表の外のセルに記入があります。取り込まれないので、表の中の黄色のセルに入力してください"
                    "（取組や行は増やせません）。",
                    name, coordinate, sheet.text(coordinate),
                )  # fmt: skip
                break


def _identified(fields: dict[str, str], data: PeriodData, issues: WorkbookIssues) -> str | None:
    """The workbook's division, when the workbook is for this period and the division is in it."""
    period = fields.get("period")
    if period != data.id:
        issues.add(Code.WRONG_PERIOD,
            f"この照会ファイルは期「{period}」のものです。取り込み先の期は「{data.id}」です。",
            META_SHEET, META_FIELD.cell("value", meta_field_row("period")), period,
        )  # fmt: skip
        return None
    division = fields.get("division", "")
    if division not in by_division(data):
        issues.add(Code.WRONG_DIVISION, f"担当課「{division}」はこの期にありません。",
            META_SHEET, META_FIELD.cell("value", meta_field_row("division")), division,
        )  # fmt: skip
        return None
    return division


def _uncomputed(
    path: Path, sheets: dict[str, Sheet], cells: dict[str, list[str]], issues: WorkbookIssues
) -> None:
    """A formula whose result was never saved (a program that does not calculate wrote it) reads
    as blank: the answer would be lost silently, or a roadmap entry deleted."""
    for name, coordinates in cells.items():
        blank = [c for c in coordinates if name in sheets and not sheets[name].text(c)]
        try:
            found = formula_cells_without_value(path, name, blank) if blank else []
        except InputFileError as exc:
            issues.add(Code.UNREADABLE_FILE, exc.reason)
            return
        for coordinate in found:
            issues.add(Code.FORMULA_WITHOUT_VALUE,
                "数式の結果が保存されていません（数式を計算しないソフトで作られたブックです）。"
                "Excel で開いて保存し直すか、値を入力してください。",
                name, coordinate, "",
            )  # fmt: skip


def _indicator_answers(
    sheet: Sheet, rows: list[int], data: PeriodData, answer: Answer, issues: WorkbookIssues
) -> None:
    last = rows[-1] if rows else 1
    extra = sorted(
        (row_of(c), c) for c in sheet.cells
        if row_of(c) > last and sheet.text(c) and re.sub(r"\d+", "", c) in INDICATOR.letters
    )  # fmt: skip
    if extra:
        coordinate = extra[0][1]
        issues.add(Code.PROTECTED_CELL_EDITED, "表の下に行が追加されています。行は追加しないでください。",
                     INDICATOR_SHEET, coordinate, sheet.text(coordinate))  # fmt: skip
    by_key = {indicator.key: indicator for indicator in data.indicators}
    for row in rows:
        name = sheet.text(INDICATOR.cell("name", row))
        key = (sheet.text(INDICATOR.cell("kpi", row)), name_key(name))
        indicator = by_key.get(key)
        if indicator is None:
            issues.add(Code.STALE_REQUEST, "照会ファイルを作った後で、この中間指標が期の表から削除・改名されています。",
                         INDICATOR_SHEET, INDICATOR.cell("name", row), name)  # fmt: skip
            continue
        _indicator_answer(sheet, row, indicator, answer, issues)


def _indicator_answer(
    sheet: Sheet, row: int, indicator: Indicator, answer: Answer, issues: WorkbookIssues
) -> None:
    cells = {key: INDICATOR.cell(key, row) for key in INDICATOR_ANSWERS}
    texts = {key: issues.answer(sheet, INDICATOR_SHEET, cell) for key, cell in cells.items()}
    if any(text is None for text in texts.values()):
        return
    given = {key: text or "" for key, text in texts.items()}
    value_text, period_text, note = given["value"], given["period"], given["note"]
    reading: IndicatorColumn = "value"
    try:
        value = parse_number(value_text, indicator.unit) if value_text else None
        reading = "period"
        period = parse_period(period_text) if period_text else None
        reading = "unchanged"
        unchanged = parse_bool(given["unchanged"])
    except ParseError as exc:
        issues.add(Code.of_problem(exc.problem), exc.message, INDICATOR_SHEET, cells[reading], given[reading])
        return
    if value is not None and period is None:
        issues.add(Code.MISSING_VALUE, "新しい値の時点（例: R6年度）を入力してください。",
                     INDICATOR_SHEET, cells["period"], "")  # fmt: skip
        return
    if period is not None and value is None:
        issues.add(Code.MISSING_VALUE, "新しい値を入力してください（時点だけが入力されています）。",
                     INDICATOR_SHEET, cells["value"], "")  # fmt: skip
        return
    latest = indicator.latest_period
    if period is not None and latest is not None and period.end < latest.end:
        issues.add(Code.PERIOD_ORDER,
            f"新しい値の時点「{period_text}」が直近の時点「{latest.text}」より前です。",
            INDICATOR_SHEET, cells["period"], period_text,
        )  # fmt: skip
        return
    new = NewValue(value, period, period_text) if value is not None and period is not None else None
    if new is not None:
        # The rule of validate (implausible-magnitude), with the answer as the new latest value
        # and the figure it replaces as the previous one: one rule, whichever way a value arrives.
        last = indicator.latest if indicator.latest is not None else indicator.previous
        doubt = magnitude_problem(replace(indicator, previous=last, latest=new.value), "latest", new.value)
        if doubt:
            issues.add(Code.IMPLAUSIBLE_MAGNITUDE, doubt, INDICATOR_SHEET, cells["value"], value_text)
    if note:
        answer.remarks.append(Remark(indicator.name, note))
    if new is not None or unchanged:
        answer.indicators[indicator.key] = IndicatorAnswer(row, new, unchanged)


def _grid_answers(
    sheet: Sheet,
    rows: list[int],
    data: PeriodData,
    originals: dict[tuple[str, str], str],
    answer: Answer,
    issues: WorkbookIssues,
) -> None:
    years = data.meeting.roadmap_years
    current = current_fiscal_year(data)
    known = {(p.no, e.activity) for p in data.projects for e in data.activities_of(p.no)}
    for row in rows:
        try:
            project = int(sheet.text(ROADMAP.cell("project", row)))
        except ValueError:
            continue
        activity = sheet.text(ROADMAP.cell("activity", row))
        kind: ActivityKind = (
            "plan" if sheet.text(ROADMAP.cell("kind", row)) == KIND_LABELS["plan"] else "actual"
        )
        if (project, activity) not in known:
            issues.add(Code.STALE_REQUEST, "照会ファイルを作った後で、この取組が期の表から削除・改名されています。",
                         ROADMAP_SHEET, ROADMAP.cell("activity", row), activity)  # fmt: skip
            continue
        texts, before = [], []
        for offset, year in enumerate(years):
            coordinate = year_cell(offset, row)
            text = issues.answer(sheet, ROADMAP_SHEET, coordinate)
            was = originals.get((ROADMAP_SHEET, coordinate), "")
            if text is not None and kind == "actual" and year > current and text != was:
                issues.add(Code.ACTUAL_IN_FUTURE, f"{year}年度はまだ始まっていないため、実績は入力できません。",
                             ROADMAP_SHEET, coordinate, text)  # fmt: skip
            texts.append(was if text is None else text)
            before.append(was)
        if texts != before:
            answer.grids[(project, activity, kind)] = GridAnswer(row, tuple(texts), tuple(before))
