"""A featured project: the header table (No., 分野, 事業名, 事業費, 概要 …), the plan/actual grid
by fiscal year and the project sheet's details.

Sizes are chosen by measuring, as the seed's one-page sheets read from the back of a room: the
header table, the grid and the details go on one slide (details in two columns below the grid)
at the largest step of ``STEPS`` at which all three fit.  When even the smallest step (body
12 pt, tables 11 pt) does not hold them, the header and the grid get a slide of their own and the
details follow on the next, each at the largest step that fills its slide; details longer than a
slide flow on with （続き）.  A roadmap longer than ``GRID_YEARS`` shows its grid in parts, one
slide each.  The grid is a table whose plan and actual spans are merged cells filled as bars, so
that PowerPoint edits it as a table.
"""

from __future__ import annotations

from aomori_dx.compute import ProjectStatus
from aomori_dx.model import Project
from aomori_dx.render.deck.flow import Composer, Item, flow
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.slides.project_details import Details, grown, sheet_items
from aomori_dx.render.deck.slides.project_grid import (
    Part,
    grid_parts,
    grid_table,
    grid_widths,
    legend_height,
    paged_grid,
    place_grid,
)
from aomori_dx.render.deck.slides.project_table import MINIMUM, STEPS, MeasuredTable, Step, header_table
from aomori_dx.render.deck.style import (
    BOTTOM,
    MARGIN,
    MUTED,
    SLIDE_W,
    TOP,
    Align,
    p,
)
from aomori_dx.render.deck.writer import Slide

__all__ = ["STEPS", "Step", "project_slides"]

# The details on a slide of their own: up to 18 pt, as a short sheet would leave half of it empty.
DETAIL_STEPS = (Step(18, 16), Step(17, 15), *STEPS)
# The grid on a slide of its own (with the header table): larger, as it is all the slide shows.
GRID_SIZES = (18.0, 16.0, 14.0, 13.0, 12.0, 11.0)
HEADER_TOP = TOP - 0.1
GAP = 0.15  # between the header table, the grid and the details


def project_slides(ctx: Context, status: ProjectStatus) -> None:
    project = status.project
    division = f"（{project.division}）" if project.division else ""
    title = f"No.{project.no} {project.name}{division}"
    parts = grid_parts(ctx, project)
    sheet = ctx.result.period.sheet(project.no)
    items = sheet_items(sheet)
    # Without details the grid slide alone fills the slide (at up to 18 pt).
    if items and len(parts) <= 1 and _one_slide(ctx, project, title, parts[0] if parts else None, items):
        return
    _grid_slides(ctx, project, title, parts)
    if items:
        _detail_slides(ctx.deck, title, items)


# --- the slides --------------------------------------------------------------------------------


def _new_slide(ctx: Context, title: str) -> Slide:
    slide = ctx.deck.slide(title)
    roadmap_title = ctx.result.period.meeting.roadmap_title
    if roadmap_title:
        # The running header of the seed's sheets: which roadmap the project belongs to.
        ctx.deck.textbox(
            slide,
            SLIDE_W - MARGIN - 4.5,
            0.02,
            4.5,
            0.25,
            [p(roadmap_title, 9, colour=MUTED, align=Align.RIGHT)],
        )
    return slide


def _one_slide(ctx: Context, project: Project, title: str, part: Part | None, items: list[Item]) -> bool:
    """Header, grid and details on one slide at the largest step that holds them; ``False``
    (and nothing written) when not even the minimum does."""
    for step in STEPS:
        header = header_table(ctx, project, step.table)
        grid = grid_table(*part, step.table) if part is not None else None
        grid_top = HEADER_TOP + header.height + GAP
        top = grid_top + (grid.height + legend_height(step.table) + GAP if grid is not None else 0.0)
        details = Details(items, step, BOTTOM - top)
        if not details.fits:
            continue
        slide = _new_slide(ctx, title)
        header.place(ctx.deck, slide, HEADER_TOP)
        if grid is not None:
            place_grid(ctx.deck, slide, grid, grid_top, step.table)
        details.place(ctx.deck, slide, top)
        return True
    return False


def _grid_slides(ctx: Context, project: Project, title: str, parts: list[Part]) -> None:
    """The header table and the grid, each part of the grid on its own slide at the largest
    size that fits, its rows sharing what is left of the slide; a grid longer than a slide
    even at the minimum continues with （続き）."""
    slide = _new_slide(ctx, title)
    if not parts:
        header_table(ctx, project, STEPS[0].table).place(ctx.deck, slide, HEADER_TOP)
        return
    for index, (rows, years) in enumerate(parts):
        if index:
            slide = ctx.deck.slide(title + "（続き）")
        for size in (*GRID_SIZES, None):
            grid_size = size or MINIMUM.table
            header = header_table(ctx, project, min(grid_size, STEPS[0].table)) if index == 0 else None
            top = HEADER_TOP + header.height + GAP if header is not None else TOP
            grid = grid_table(rows, years, grid_size)
            left = BOTTOM - top - grid.height - legend_height(grid_size)
            if size is None and left < 0:
                # Before continuing on another slide: the widths that make the grid shortest.
                grid = grid_table(rows, years, grid_size, grid_widths(rows, years, grid_size, True))
                left = BOTTOM - top - grid.height - legend_height(grid_size)
                size = grid_size if left >= 0 else None
            if size is not None and left < 0:
                continue
            if header is not None:
                header.place(ctx.deck, slide, HEADER_TOP)
            if size is None:
                paged_grid(ctx, title, slide, rows, years, top)
            else:
                _stretch(grid, left)
                place_grid(ctx.deck, slide, grid, top, grid_size)
            break


def _stretch(grid: MeasuredTable, extra: float) -> None:
    """The grid's rows taller by a share of ``extra`` inches (at most half their height), so that
    the grid fills its slide."""
    body = grid.heights[1:]
    grow = min(extra, sum(body) / 2) / sum(body)
    grid.heights[1:] = [height * (1 + grow) for height in body]


def _detail_slides(deck: Composer, title: str, items: list[Item]) -> None:
    """The details on one slide at the largest step that fills it, or flowed over several."""
    for step in DETAIL_STEPS:
        details = Details(items, step, BOTTOM - TOP)
        if details.fits:
            details.place(deck, deck.slide(title), TOP)
            return
    flow(deck, title, [grown(item, MINIMUM.body) for item in items], columns=2)
