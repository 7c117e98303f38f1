"""The roadmap lists (each field's projects by category, in two table columns, continued with
（続き）) and the list of each field's featured projects."""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.compute import ProjectStatus
from aomori_dx.render.deck.flow import Item, Row, TableFlow, flow, table_slides
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import BOTTOM, CONTENT_W, MAIN, MUTED, NOTE_MIN, TEXT, TOP, Align, cell, p
from aomori_dx.render.deck.writer import TableRef
from aomori_dx.render.layout import text_width
from aomori_dx.render.views import DEFAULT_ROADMAP_TITLE, REFERENCE_CATEGORY

__all__ = ["featured_list", "roadmap_list"]

COLUMN_GAP = 0.35  # between the two table columns of a roadmap list
FEATURED_SCALE = ((26.0, 22.0), (24.0, 20.0), (22.0, 18.0), (20.0, 17.0), (18.0, 16.0))  # heading, body


def roadmap_list(ctx: Context, field_name: str, statuses: Sequence[ProjectStatus]) -> None:
    """The field's projects by category in two table columns, at the largest size that fits."""
    meeting = ctx.result.period.meeting
    entries = [(s.project.category, s) for s in statuses if not s.project.reference]
    entries += [(REFERENCE_CATEGORY, s) for s in statuses if s.project.reference]
    title = f"{meeting.roadmap_title or DEFAULT_ROADMAP_TITLE}　{field_name}（{len(statuses)}事業）"
    column_w = (CONTENT_W - COLUMN_GAP) / 2
    widest_no = max((str(s.project.no) for s in statuses), key=len, default="0")

    def table(size: float) -> TableFlow:
        no_w = max(0.55, text_width(widest_no, size) + 0.25)
        category_w = (column_w - no_w) * 0.28  # the names need the room; a category is written once
        widths = (category_w, no_w, column_w - no_w - category_w)
        header = [cell(h, size, True, align=Align.CENTER) for h in ("項目", "No.", "事業名")]
        rows = []
        for index, (category, status) in enumerate(entries):
            project = status.project
            featured = project.featured is not None
            rest = [
                cell(str(project.no), size, align=Align.RIGHT),
                cell(project.name, size, featured, MAIN if featured else TEXT),
            ]
            # A category is written once, in the merged cell of its run of rows: only the first
            # row of a run (and a row that opens a column) needs its height.
            first = index == 0 or entries[index - 1][0] != category
            named = [cell(category, size), *rest]
            rows.append(Row(named if first else [cell("", size), *rest], category, named))
        return TableFlow(widths, header, rows, min_row=0.27)

    def merge(table_ref: TableRef, part: TableFlow) -> None:
        _merge_categories(table_ref, part.row_keys())

    note = None
    if any(s.project.featured is not None for s in statuses):
        note = p("太字は各分野の主な取組", NOTE_MIN, colour=MUTED)
    table_slides(ctx.deck, title, table, columns=2, note=note, drawn=merge)


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
    # The largest look at which the list fits one slide; the smallest continues with （続き）.
    for heading, body in FEATURED_SCALE:
        items = _featured_items(ctx, heading, body)
        if sum(paras_height(item.paras or [], CONTENT_W) for item in items) <= BOTTOM - TOP:
            break
    flow(ctx.deck, "各分野の主な取組", items, columns=1)


def _featured_items(ctx: Context, heading: float, body: float) -> list[Item]:
    items: list[Item] = []
    for field_name in ctx.result.period.fields:
        chosen = [s for s in ctx.result.roadmap.featured if s.project.field == field_name]
        if not chosen:
            continue
        colour = ctx.field_colour.get(field_name, MAIN)
        items.append(Item([p(f"【{field_name}】", heading, True, colour, space_before=heading * 0.6)]))
        for status in chosen:
            project = status.project
            division = f"（{project.division}）" if project.division else ""
            items.append(
                Item([p(f"{project.featured}. {project.name}{division}", body, space_before=body / 3)])
            )
    return items
