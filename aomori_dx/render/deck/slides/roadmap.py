"""The roadmap lists (each field's projects by category, in two table columns, continued with
（続き）) and the list of each field's featured projects."""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.compute import ProjectStatus
from aomori_dx.render.deck.flow import Item, flow
from aomori_dx.render.deck.measure import fitting_rows, row_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    BOTTOM,
    CONTENT_W,
    MAIN,
    MARGIN,
    MUTED,
    TEXT,
    TOP,
    Align,
    Para,
    cell,
    p,
)
from aomori_dx.render.deck.writer import TableRef

__all__ = ["featured_list", "roadmap_list"]


def roadmap_list(ctx: Context, field_name: str, statuses: Sequence[ProjectStatus]) -> None:
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    regular = [s for s in statuses if not s.project.reference]
    reference = [s for s in statuses if s.project.reference]
    widths = (1.9, 0.5, 3.75)
    size = 10.5
    header = [cell(h, 11, True, align=Align.CENTER) for h in ("項目", "No.", "事業名")]
    title = f"{meeting.roadmap_title or 'ロードマップ'}　{field_name}（{len(statuses)}事業）"

    def line(status: ProjectStatus, category: str) -> list[list[Para]]:
        project = status.project
        colour = MAIN if project.featured is not None else TEXT
        return [
            cell(category, size),
            cell(str(project.no), size, align=Align.RIGHT),
            cell(project.name, size, project.featured is not None, colour),
        ]

    entries = [(s.project.category, line(s, s.project.category)) for s in regular]
    entries += [("（参考事業）", line(s, "（参考事業）")) for s in reference]
    header_h = row_height(header, widths, 0.3)
    available = BOTTOM - TOP - header_h - 0.3
    entries = [
        (category, piece)
        for category, cells in entries
        for piece in fitting_rows([cells], widths, available, 0.27)
    ]
    heights = [row_height(cells, widths, 0.27) for _, cells in entries]
    columns: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if columns[-1] and used + height > available:
            columns.append([])
            used = 0.0
        columns[-1].append(index)
        used += height
    col_w = sum(widths)
    gap = CONTENT_W - 2 * col_w
    for page_index in range(0, len(columns), 2):
        slide = deck.slide(title + ("（続き）" if page_index else ""))
        for offset, column in enumerate(columns[page_index : page_index + 2]):
            left = MARGIN + offset * (col_w + gap)
            rows = [entries[i][1] for i in column]
            table = deck.table(
                slide, left, TOP, widths, [header, *rows], [header_h, *(heights[i] for i in column)]
            )
            _merge_categories(table, [entries[i][0] for i in column])
        if any(s.project.featured is not None for s in statuses):
            deck.textbox(
                slide, MARGIN, BOTTOM - 0.05, CONTENT_W, 0.3, [p("太字は各分野の主な取組", 9, colour=MUTED)]
            )


def _merge_categories(table: TableRef, categories: Sequence[str]) -> None:
    """Merge the 項目 cells of consecutive rows with the same category, as the material does."""
    start = 0
    for index in range(1, len(categories) + 1):
        if index == len(categories) or categories[index] != categories[start]:
            if index - start > 1:
                table.merge(start + 1, 0, index, 0)
            start = index


def featured_list(ctx: Context) -> None:
    featured = ctx.result.roadmap.featured
    if not featured:
        return
    items: list[Item] = []
    for field_name in ctx.result.period.fields:
        chosen = [s for s in featured if s.project.field == field_name]
        if not chosen:
            continue
        items.append(
            Item([p(f"【{field_name}】", 18, True, ctx.field_colour.get(field_name, MAIN), space_before=10)])
        )
        for status in chosen:
            project = status.project
            division = f"（{project.division}）" if project.division else ""
            items.append(Item([p(f"{project.featured}. {project.name}{division}", 16, space_before=4)]))
    flow(ctx.deck, "各分野の主な取組", items, columns=1)
