"""A featured project: the header table (No., 分野, 事業名, 事業費, 概要 …), the plan/actual grid
by fiscal year (in parts when the roadmap is longer than ``GRID_YEARS``) and the project sheet's
details flowed after it."""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.compute import ProjectStatus, grid_spans
from aomori_dx.format import number
from aomori_dx.model import ActivityEntry, Project
from aomori_dx.parse import FiscalYear
from aomori_dx.render.deck.flow import blocks, flow, sections
from aomori_dx.render.deck.measure import cell_height, row_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    BOTTOM,
    CONTENT_W,
    MARGIN,
    MUTED,
    SLIDE_W,
    TOP,
    Align,
    Colour,
    Para,
    Run,
    cell,
    p,
)
from aomori_dx.render.deck.writer import Slide
from aomori_dx.render.layout import GRID_YEARS, even_parts, paginate

__all__ = ["project_slides"]


def project_slides(ctx: Context, status: ProjectStatus) -> None:
    project = status.project
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    division = f"（{project.division}）" if project.division else ""
    title = f"No.{project.no} {project.name}{division}"
    slide = deck.slide(title)
    if meeting.roadmap_title:
        deck.textbox(
            slide,
            SLIDE_W - MARGIN - 4.5,
            0.02,
            4.5,
            0.25,
            [p(meeting.roadmap_title, 9, colour=MUTED, align=Align.RIGHT)],
        )
    bottom = _project_header(ctx, slide, project, TOP - 0.1)
    _grid(ctx, project, title, bottom + 0.15, slide)
    sheet = ctx.result.period.sheet(project.no)
    if sheet is not None:
        items = blocks(sheet.blocks) + sections(sheet.sections, 11.5, level_offset=1)
        if items:
            flow(ctx.deck, title, items, columns=2)


def _fiscal_label(year: FiscalYear | None, open_label: str = "未定") -> str:
    return year.era_label if year is not None else open_label


def _project_header(ctx: Context, slide: Slide, project: Project, top: float) -> float:
    """The header table of a detail sheet: No., 分野, 項目, 担当部局, 担当課等 / 事業名, 事業費, 始期, 終期 / 概要."""
    meeting = ctx.result.period.meeting
    deck = ctx.deck
    widths = (0.85, 0.75, 0.7, 1.85, 0.95, 1.45, 0.95, 1.45, 0.95, 2.63)
    year = meeting.fiscal_year.era_label if meeting.fiscal_year else ""
    budget = number(project.budget) if project.budget is not None else "—"
    if project.budget_original is not None:
        budget += f"\n（当初 {number(project.budget_original)}）"
    rows = (
        ("No.", str(project.no), "分野", project.field, "項目", project.category or "—", "担当部局",
         project.department or "—", "担当課等", project.division or "—"),
        ("事業名", project.name, "", "", f"{year}事業費\n(千円)", budget, "事業始期",
         _fiscal_label(project.start, "—"), "事業終期", _fiscal_label(project.end)),
        ("概要", project.summary or "—", "", "", "", "", "", "", "", ""),
    )  # fmt: skip
    labels = {(0, 0), (0, 2), (0, 4), (0, 6), (0, 8), (1, 0), (1, 4), (1, 6), (1, 8), (2, 0)}
    size = 10
    cells = [
        [cell(text, 9 if (r, c) in labels else size, (r, c) in labels) for c, text in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    heights = [
        row_height(cells[0], widths, 0.3),
        max(
            row_height([cells[1][0], cell(project.name, size)], (widths[0], sum(widths[1:4])), 0.3),
            row_height(cells[1][4:], widths[4:], 0.3),
        ),
        max(0.35, cell_height(cell(project.summary, size), sum(widths[1:]))),
    ]
    table = deck.table(slide, MARGIN, top, widths, cells, heights, header_rows=0)
    table.merge(1, 1, 1, 3)
    table.merge(2, 1, 2, 9)
    for r, c in labels:
        table.shade(r, c, Colour.BACKGROUND_2)
    return top + sum(heights)


def _grid(ctx: Context, project: Project, title: str, top: float, slide: Slide) -> None:
    """The plan/actual grid; a roadmap of more than ``GRID_YEARS`` years is shown in parts of
    about equal length, each on its own slide."""
    years = list(ctx.result.period.meeting.roadmap_years)
    entries = list(ctx.result.period.activities_of(project.no))
    if not years:
        years = sorted({FiscalYear(y) for e in entries for y in range(e.first.year, e.last.year + 1)})
    if not entries or not years:
        return
    for index, part in enumerate(even_parts(years, GRID_YEARS)):
        # A later part shows only the activities with something in its years (and none without).
        shown = entries if index == 0 else [e for e in entries if e.first <= part[-1] and e.last >= part[0]]
        if not shown:
            continue
        if index:
            slide = ctx.deck.slide(title + "（続き）")
            top = TOP
        _grid_part(ctx, shown, list(part), title, top, slide)


Spans = list[tuple[FiscalYear, FiscalYear, str]]


def _grid_part(
    ctx: Context,
    entries: Sequence[ActivityEntry],
    years: list[FiscalYear],
    title: str,
    top: float,
    slide: Slide,
) -> None:
    deck = ctx.deck
    activities = list(dict.fromkeys(e.activity for e in entries))
    year_w = (CONTENT_W - 2.6 - 0.55) / len(years)
    widths = [2.6, 0.55, *([year_w] * len(years))]
    size = 10.5
    header = [
        cell("取組", 10, True, align=Align.CENTER),
        cell("", 10),
        *(cell(y.era_label, 10, True, align=Align.CENTER) for y in years),
    ]
    rows: list[tuple[str, str, Spans]] = []
    for activity in activities:
        for kind, label in (("plan", "計画"), ("actual", "実績")):
            spans = grid_spans([e for e in entries if e.activity == activity and e.kind == kind])
            # A span that reaches beyond these years is shown on the years it has here.
            shown = [
                (max(first, years[0]), min(last, years[-1]), text)
                for first, last, text in spans
                if first <= years[-1] and last >= years[0]
            ]
            rows.append((activity, label, shown))

    def cells_of(activity: str, label: str, spans: Spans) -> list[list[Para]]:
        texts = [""] * len(years)
        for first, _, text in spans:
            if first in years:
                texts[years.index(first)] = text
        return [
            cell(activity if label == "計画" else "", 10),
            cell(label, 9, True, align=Align.CENTER),
            *(cell(t, size) for t in texts),
        ]

    def height_of(row: tuple[str, str, Spans]) -> float:
        activity, label, spans = row
        span_h = [
            cell_height(
                cell(text, size),
                year_w * (min(years.index(b), len(years) - 1) - years.index(a) + 1)
                if a in years and b in years
                else year_w,
            )
            for a, b, text in spans
        ]
        name_h = cell_height(cell(activity, 10), widths[0]) / 2 if label == "計画" else 0
        return max([0.42, name_h, *span_h])

    header_h = 0.32
    pairs = [rows[i : i + 2] for i in range(0, len(rows), 2)]
    available = BOTTOM - top - header_h
    if sum(height_of(r) for r in pairs[0]) > available:
        # Below a tall project table there is no room for the first activity: a new slide.
        slide = deck.slide(title + "（続き）")
        top = TOP
        available = BOTTOM - top - header_h
    pages = paginate(pairs, lambda pair: sum(height_of(r) for r in pair), BOTTOM - TOP - header_h, available)
    for page in pages:
        if page.continued:
            slide = deck.slide(title + "（続き）")
            top = TOP
        flat = [row for pair in page.items for row in pair]
        heights = [header_h, *(height_of(r) for r in flat)]
        table = deck.table(slide, MARGIN, top, widths, [header, *(cells_of(*r) for r in flat)], heights)
        for index, (_activity, label, spans) in enumerate(flat, start=1):
            if label == "計画":
                table.merge(index, 0, index + 1, 0)
            theme = Colour.ACCENT_1 if label == "計画" else Colour.ACCENT_4
            for first, last, _ in spans:
                if first not in years:
                    continue
                a = years.index(first) + 2
                b = (years.index(last) if last in years else len(years) - 1) + 2
                if b > a:
                    table.merge(index, a, index, b)
                table.shade(index, a, theme, tint=75)
        legend = [
            Para(
                [
                    Run("計画", 9, True, Colour.ACCENT_1),
                    Run("・", 9),
                    Run("実績", 9, True, Colour.ACCENT_4),
                    Run(" の色つきの範囲が取組の期間", 9, False, MUTED),
                ]
            )
        ]
        deck.textbox(slide, MARGIN, top + sum(heights) + 0.03, 6, 0.25, legend)
