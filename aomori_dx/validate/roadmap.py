"""The roadmap: projects.csv (numbers, budgets, featured order) and activities.csv (plan and actual by fiscal
year), checked against the roadmap's years, each project's term and the as-of date."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from aomori_dx.model import (
    ActivityEntry,
    Meeting,
    Project,
)
from aomori_dx.parse import (
    ParseError,
    parse_number,
    visible,
)
from aomori_dx.validate.codes import Code
from aomori_dx.validate.report import Issue
from aomori_dx.validate.tables import Row, TableReader

__all__ = ["check_activities", "read_activities", "read_projects"]

PLAN_WORDS = {"計画": "plan", "plan": "plan"}
ACTUAL_WORDS = {"実績": "actual", "actual": "actual"}


def read_projects(reader: TableReader) -> list[tuple[Project, int]]:
    """The projects with the row each was read from."""
    projects: list[tuple[Project, int]] = []
    seen: dict[int, int] = {}
    featured_rows: dict[int, int] = {}
    for row in reader.rows():
        no = row.integer("no")
        field = row.required("field")
        name = row.required("name")
        budget = _budget(row, "budget")
        budget_original = _budget(row, "budget_original")
        start = row.fiscal_year("start")
        end_text = row.text("end")
        end = None if end_text in ("未定", "") else row.fiscal_year("end")
        if start and end and start > end:
            row.issue(
                "end",
                Code.INVALID_FISCAL_YEAR,
                f"事業終期「{end_text}」が事業始期「{row.text('start')}」より前です。",
            )
        featured = row.integer("featured") if row.text("featured") else None
        reference = row.flag("reference")
        if no is None:
            if not row.text("no"):
                row.issue("no", Code.MISSING_VALUE, "事業番号（No.）が空欄です。")
            continue
        if no in seen:
            row.issue("no", Code.DUPLICATE_PROJECT, f"事業番号 {no} が {seen[no]}行目 と重複しています。")
            continue
        seen[no] = row.number
        featured = _featured(row, featured, featured_rows)
        if field and name:
            projects.append(
                (
                    Project(
                        no,
                        field,
                        row.text("category"),
                        name,
                        row.text("department"),
                        row.text("division"),
                        budget,
                        budget_original,
                        start,
                        end,
                        row.text("summary"),
                        featured,
                        reference,
                    ),
                    row.number,
                )
            )
    return projects


def _featured(row: Row, featured: int | None, seen: dict[int, int]) -> int | None:
    """The 主な取組 number: 1, 2, … and each at most once (the deck orders by it)."""
    if featured is None:
        return None
    if featured < 1:
        row.issue("featured", Code.INVALID_NUMBER, "主な取組の番号は 1 以上の整数にしてください。")
        return None
    if featured in seen:
        row.issue(
            "featured",
            Code.DUPLICATE_FEATURED,
            f"主な取組の番号 {featured} が {seen[featured]}行目 と重複しています。番号を付け直してください。",
        )
        return None
    seen[featured] = row.number
    return featured


def _budget(row: Row, column: str) -> Decimal | None:
    text = row.text(column)
    if not text:
        return None
    try:
        budget = parse_number(text, "千円")
    except ParseError:
        row.issue(
            column,
            Code.INVALID_BUDGET,
            f"事業費「{text}」が数値ではありません。千円単位の数値だけを入力してください（例: 48,630）。",
        )
        return None
    if budget is not None and budget < 0:
        # A negative budget would silently lower the field totals that the deck prints.
        row.issue(
            column,
            Code.INVALID_BUDGET,
            f"事業費「{text}」がマイナスです。0 以上の千円単位の数値にしてください。",
        )
        return None
    return budget


def read_activities(reader: TableReader) -> list[ActivityEntry]:
    """The roadmap's entries (project, activity, plan or actual, fiscal years, text)."""
    entries: list[ActivityEntry] = []
    for row in reader.rows():
        project = row.integer("project") if row.required("project") else None
        activity = row.required("activity")
        kind_text = row.text("kind")
        kind = PLAN_WORDS.get(kind_text) or ACTUAL_WORDS.get(kind_text)
        if kind is None:
            row.issue(
                "kind",
                Code.INVALID_KIND,
                f"区分「{visible(kind_text)}」は 計画 か 実績 のどちらかにしてください。",
            )
        first = row.fiscal_year("from")
        last = row.fiscal_year("to") if row.text("to") else first
        if first is None and not row.text("from"):
            row.issue("from", Code.MISSING_VALUE, "年度が空欄です。R6 のように書いてください。")
        text = row.required("text")
        if first and last and last < first:
            row.issue("to", Code.INVALID_FISCAL_YEAR, "終了年度が開始年度より前です。")
            continue
        if project is None or not activity or kind is None or first is None or last is None or text is None:
            continue
        entries.append(
            ActivityEntry(
                project, activity, "plan" if kind == "plan" else "actual", first, last, text, row.number
            )
        )
    return entries


def check_activities(
    entries: list[ActivityEntry],
    projects: list[tuple[Project, int]],
    meeting: Meeting | None,
    reader: TableReader,
) -> Iterator[Issue]:
    """Entries refer to known projects, lie within the grid and the project's term, and no 実績 is
    entered for a fiscal year that had not begun by the period's as-of date."""
    by_no = {project.no: project for project, _ in projects}
    years = meeting.roadmap_years if meeting else ()
    as_of = meeting.as_of if meeting else None
    for entry in entries:

        def issue(column: str, code: Code, message: str, entry: ActivityEntry = entry) -> Issue:
            value = (
                str(entry.project)
                if column == "project"
                else str(entry.first if column == "from" else entry.last)
            )
            return Issue.of(
                code,
                reader.file,
                message,
                row=entry.row,
                column=reader.header_of(column),
                value=value,
            )

        project = by_no.get(entry.project)
        if project is None:
            yield issue(
                "project",
                Code.UNKNOWN_PROJECT,
                f"事業番号 {entry.project} は事業一覧（projects）にありません。",
            )
            continue
        if years and (entry.first < years[0] or entry.last > years[-1]):
            yield issue(
                "from" if entry.first < years[0] else "to",
                Code.FISCAL_YEAR_OUTSIDE_ROADMAP,
                f"年度 {entry.first}〜{entry.last} がロードマップの年度 {years[0]}〜{years[-1]} の外にあります。",
            )
        if project.start and entry.first < project.start:
            yield issue(
                "from",
                Code.FISCAL_YEAR_OUTSIDE_TERM,
                f"年度 {entry.first} が事業始期 {project.start} より前です。",
            )
        # A plan may reach past the project's end (the roadmap shows the plan's whole period; the
        # seed's No.42 plans R9–R10 beyond its 終期 R8), but nothing can be achieved after it.
        if entry.kind == "actual" and project.end and entry.last > project.end:
            yield issue(
                "to",
                Code.FISCAL_YEAR_OUTSIDE_TERM,
                f"実績の年度 {entry.last} が事業終期 {project.end} より後です。",
            )
        if entry.kind == "actual" and as_of is not None:
            current = as_of.year if as_of.month >= 4 else as_of.year - 1
            if entry.last.year > current:
                yield issue(
                    "to" if entry.last != entry.first else "from",
                    Code.ACTUAL_IN_FUTURE,
                    f"実績が {entry.last}年度 に入力されていますが、この期の基準日 {as_of.isoformat()} には"
                    "まだ始まっていない年度です。",
                )
