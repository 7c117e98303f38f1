"""The report's roadmap chapters: the list of projects by field (各分野の主な取組 first, then each
field's table with its categories merged), and 主な取組の詳細 — one page per featured project with
its header table, the plan/actual grid by fiscal year and the project's own sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aomori_dx.compute import Result
from aomori_dx.format import number
from aomori_dx.model import Project
from aomori_dx.parse import FiscalYear
from aomori_dx.render.report.fit import TABLE_SIZE, phrased
from aomori_dx.render.report.narrative import blocks, sections
from aomori_dx.render.report.writer import MAIN, MUTED, TABLE_TEXT, Cell, Report, para, run, table
from aomori_dx.render.views import (
    ACTIVITY_KINDS,
    KIND_COLOURS,
    KIND_LABELS,
    REFERENCE_CATEGORY,
    GridRow,
    grid_parts,
)

ROWS_KEPT_TOGETHER = 40  # one-line roadmap rows: what a page holds with a heading, and room


def roadmap(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    period = result.period
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    # A 担当課等 column only when every project has one; else the few known go after the name,
    # as the material's list of main projects prints them (a column empty on most rows is noise).
    by_column = all(p.division for p in period.projects)
    widths = (
        (width * 0.22, width * 0.07, width * 0.53, width * 0.18)
        if by_column
        else (width * 0.22, width * 0.07, width * 0.71)
    )
    headers = ["項目", "No.", "事業名", *(["担当課等"] if by_column else [])]
    _featured_list(report, result)
    for field_name in dict.fromkeys(p.field for p in period.projects):
        statuses = [s for s in result.roadmap.projects if s.project.field == field_name]
        report.heading(2, f"{field_name}（{len(statuses)}事業）")
        rows: list[list[Cell]] = []
        previous = None
        ordered = [s for s in statuses if not s.project.reference] + [
            s for s in statuses if s.project.reference
        ]
        for index, status in enumerate(ordered):
            project = status.project
            category = REFERENCE_CATEGORY if project.reference else project.category
            following = ordered[index + 1] if index + 1 < len(ordered) else None
            next_category = None
            if following is not None:
                next_category = (
                    REFERENCE_CATEGORY if following.project.reference else following.project.category
                )
            if category == previous:
                merge = "continue"
            elif category == next_category:
                merge = "restart"
            else:
                merge = None
            is_featured = project.featured is not None
            name = project.name
            if not by_column and project.division:
                name += f"（{project.division}）"
            cells = [
                Cell(category if merge != "continue" else "", merge=merge),
                Cell(str(project.no), "right"),
                Cell(name, bold=is_featured, colour=MAIN if is_featured else None),
            ]
            if by_column:
                cells.append(Cell(project.division))
            rows.append(cells)
            previous = category
        # A field's list on one page, as on the material's slides (and never a few rows left
        # alone before the project sheets' new page); a list longer than a page splits.
        fits = len(rows) <= ROWS_KEPT_TOGETHER
        noted = any(s.project.featured is not None for s in statuses)
        header_cells = [Cell(text) for text in headers]
        report.add(table(widths, header_cells, rows, style, keep_together=fits, keep_last=fits and noted))
        if noted:
            report.text("太字は各分野の主な取組です。", colour=MUTED)


def _featured_list(report: Report, result: Result) -> None:
    """各分野の主な取組, kept on one page.  It opens the chapter, before the long tables: the
    chapter then ends with a table (which splits by rows), not with a list whose last lines
    alone would make a page before the project sheets' new page."""
    featured = result.roadmap.featured
    period = result.period
    if featured:
        report.heading(2, "各分野の主な取組")
        lines: list[tuple[str, bool]] = []
        for field_name in period.fields:
            chosen = [s for s in featured if s.project.field == field_name]
            if chosen:
                lines.append((f"【{field_name}】", True))
            for status in chosen:
                project = status.project
                division = f"（{project.division}）" if project.division else ""
                lines.append((f"{project.featured}. {project.name}{division}", False))
        for index, (text, is_field) in enumerate(lines):
            line = run(text, True, MAIN) if is_field else run(text)
            report.add(para(line, report.styles["Normal"], keep_next=index < len(lines) - 1))


def _fiscal(year: FiscalYear | None, open_label: str = "未定") -> str:
    return year.era_label if year is not None else open_label


def _project_header(report: Report, result: Result, project: Project) -> None:
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    widths = [w * width / 170 for w in (16, 26, 18, 26, 18, 24, 16, 26)]
    year = result.period.meeting.fiscal_year.era_label if result.period.meeting.fiscal_year else ""
    budget = number(project.budget) if project.budget is not None else "—"
    if project.budget_original is not None:
        # Broken between phrases here: Word and LibreOffice would part the figure (「1,000,0 / 00」).
        budget += "\n" + phrased(f"（当初 {number(project.budget_original)}）", widths[3], TABLE_SIZE)

    def label(text: str) -> Cell:
        return Cell(text, fill="bg2", bold=True)

    rows = [
        [label("No."), Cell(str(project.no)), label("分野"), Cell(project.field), label("項目"),
         Cell(project.category or "—"), label("担当部局"), Cell(project.department or "—")],
        [label("担当課等"), Cell(project.division or "—"), label(f"{year}事業費\n(千円)"), Cell(budget, "right"),
         label("事業始期"), Cell(_fiscal(project.start, "—")), label("事業終期"), Cell(_fiscal(project.end))],
        [label("事業名"), Cell(project.name, span=7)],
        [label("概要"), Cell(project.summary or "—", span=7)],
    ]  # fmt: skip
    report.add(table(widths, None, rows, style))


def _grid(report: Report, result: Result, project: Project) -> None:
    parts = grid_parts(result.period, project)
    if not parts:
        return
    for rows, years in parts:
        _grid_part(report, rows, years)
    legend = "・".join(KIND_LABELS[kind] for kind in ACTIVITY_KINDS)
    report.add(
        para(
            run(f"色つきのセルが取組の期間（{legend}）です。", colour=MUTED, size=8), report.styles["Normal"]
        )
    )


def _grid_part(report: Report, grid: Sequence[GridRow], years: list[FiscalYear]) -> None:
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    name_w, kind_w = width * 0.22, width * 0.07
    year_w = (width - name_w - kind_w) / len(years)
    widths = [name_w, kind_w, *([year_w] * len(years))]
    header = [Cell("取組"), Cell("区分"), *(Cell(year.era_label) for year in years)]
    rows: list[list[Cell]] = []
    for activity, kind, spans in grid:
        first_row = kind == ACTIVITY_KINDS[0]
        cells = [Cell(activity if first_row else "", merge="restart" if first_row else "continue"),
                 Cell(KIND_LABELS[kind], "center", True)]  # fmt: skip
        position = 0
        for first, last, text in spans:
            if first not in years:
                continue
            start = years.index(first)
            end = years.index(last) if last in years else len(years) - 1
            cells.extend(Cell() for _ in range(start - position))
            cells.append(Cell(text, span=end - start + 1, fill=KIND_COLOURS[kind].theme, tint=75))
            position = end + 1
        cells.extend(Cell() for _ in range(len(years) - position))
        rows.append(cells)
    report.add(table(widths, header, rows, style))


def projects(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    for index, status in enumerate(result.roadmap.featured):
        project = status.project
        progress(f"事業 No.{project.no}")
        division = f"（{project.division}）" if project.division else ""
        # Each project's sheet starts on a page of its own, as the meeting material does.
        report.heading(2, f"No.{project.no} {project.name}{division}", new_page=index > 0)
        _project_header(report, result, project)
        report.add(para("", report.styles["Normal"]))
        _grid(report, result, project)
        sheet = result.period.sheet(project.no)
        if sheet is not None:
            blocks(report, sheet.blocks)
            sections(report, sheet.sections, 3)
