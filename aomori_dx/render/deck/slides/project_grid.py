"""A featured project's plan/actual grid by fiscal year: rows by activity and kind (plan,
actual), the activity column's width, the bars (merged cells filled in the kind's colour), the
legend, and a grid too long for one slide continued with （続き）."""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.model import Project
from aomori_dx.parse import FiscalYear
from aomori_dx.render import views
from aomori_dx.render.deck.flow import Composer, cell_floor
from aomori_dx.render.deck.measure import (
    cell_height,
    paras_height,
)
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.slides.project_table import (
    MINIMUM,
    MeasuredTable,
    line_height,
    text_need,
)
from aomori_dx.render.deck.style import (
    BOTTOM,
    CONTENT_W,
    MARGIN,
    MUTED,
    TOP,
    Align,
    Colour,
    Para,
    Run,
    cell,
)
from aomori_dx.render.deck.writer import Slide
from aomori_dx.render.layout import paginate
from aomori_dx.render.views import ACTUAL_COLOUR, KIND_COLOURS, KIND_LABELS, PLAN_COLOUR, GridPart, GridRow

__all__ = [
    "GridRow",
    "Part",
    "grid_parts",
    "grid_table",
    "grid_widths",
    "legend_height",
    "paged_grid",
    "place_grid",
]

NOTE_MIN = 10.0
ACTIVITY_WIDTHS = (1.8, 2.2, 2.6, 3.0, 3.4)  # the grid's first column, tried in turn

Part = GridPart  # a grid's rows and its years

# How much white is mixed into the theme colour of a bar: dark enough to read as a bar from the
# back of a room, light enough for black text at 11 pt (contrast above 7:1 with the default theme).
BAR_TINT = 60


def grid_parts(ctx: Context, project: Project) -> list[Part]:
    """The grid's rows for each part of the roadmap's years (``views.grid_parts``)."""
    return views.grid_parts(ctx.result.period, project)


def grid_widths(
    rows: Sequence[GridRow], years: list[FiscalYear], size: float, shortest: bool = False
) -> list[float]:
    """The activity column about as wide as makes the grid shortest (a long name wraps rather
    than the spans, which are the denser text), or with ``shortest`` exactly so; the years
    share the rest."""
    label_w = text_need([KIND_LABELS["plan"]], size)
    need = text_need([row[0] for row in rows], size)
    # Never narrower than the widest word of an activity: a name wraps between its words.
    floor = min(max(cell_floor(cell(row[0], size)) for row in rows), ACTIVITY_WIDTHS[-1])
    widest = max(floor, min(need, ACTIVITY_WIDTHS[-1]))
    candidates = [width for width in ACTIVITY_WIDTHS if floor <= width < need] + [widest]
    if floor > ACTIVITY_WIDTHS[0]:
        candidates.insert(0, floor)  # in place of the widths it ruled out

    def widths_for(activity_w: float) -> list[float]:
        year_w = (CONTENT_W - activity_w - label_w) / len(years)
        return [activity_w, label_w, *([year_w] * len(years))]

    def height(activity_w: float) -> float:
        widths = widths_for(activity_w)
        return sum(sum(_pair_heights(rows[i : i + 2], widths, years, size)) for i in range(0, len(rows), 2))

    heights = {width: height(width) for width in candidates}
    # The widest that costs little: a name broken over four lines reads worse than a grid a
    # few hundredths of an inch taller.
    least = min(heights.values())
    if shortest:
        return widths_for(min(heights, key=lambda width: (heights[width], -width)))
    return widths_for(max(width for width, h in heights.items() if h <= least * 1.05))


def grid_table(
    rows: Sequence[GridRow], years: list[FiscalYear], size: float, widths: list[float] | None = None
) -> MeasuredTable:
    """The grid at ``size``: a header of years, then for each activity a 計画 and a 実績 row
    whose spans are merged cells filled in the plan's or the actual's colour (the bars)."""
    widths = widths or grid_widths(rows, years, size)
    header = [
        cell("取組", size, True, align=Align.CENTER),
        cell("", size),
        *(cell(y.era_label, size, True, align=Align.CENTER) for y in years),
    ]
    table = MeasuredTable(widths, [header], [line_height(size)])
    for index in range(0, len(rows), 2):
        pair = rows[index : index + 2]
        for row, height in zip(pair, _pair_heights(pair, widths, years, size), strict=True):
            activity, kind, spans = row
            r = len(table.rows)
            texts = [""] * len(years)
            for first, last, text in spans:
                a, b = years.index(first), years.index(last)
                texts[a] = text
                if b > a:
                    table.merges.append((r, a + 2, r, b + 2))
                theme = Colour(KIND_COLOURS[kind].theme)
                table.fills.append((r, a + 2, theme, BAR_TINT))
            table.rows.append(
                [
                    cell(activity if kind == "plan" else "", size),
                    cell(KIND_LABELS[kind], size, True, align=Align.CENTER),
                    *(cell(t, size) for t in texts),
                ]
            )
            table.heights.append(height)
            if kind == "plan" and len(pair) == 2:
                table.merges.append((r, 0, r + 1, 0))
    return table


def _pair_heights(
    pair: Sequence[GridRow], widths: Sequence[float], years: list[FiscalYear], size: float
) -> list[float]:
    """The heights of an activity's 計画 and 実績 rows: their tallest span, and together at
    least the activity's name (a cell merged over both)."""
    year_w = widths[2]
    heights = []
    for _, _, spans in pair:
        span_heights = [
            cell_height(cell(text, size), year_w * (years.index(last) - years.index(first) + 1))
            for first, last, text in spans
        ]
        heights.append(max([line_height(size), *span_heights]))
    name = cell_height(cell(pair[0][0], size), widths[0])
    if name > sum(heights):
        heights = [height + (name - sum(heights)) / len(heights) for height in heights]
    return heights


def _legend(size: float) -> list[Para]:
    size = max(NOTE_MIN, min(size - 1, 12))
    return [
        Para(
            [
                Run(KIND_LABELS["plan"], size, True, Colour(PLAN_COLOUR.theme)),
                Run("・", size, False, MUTED),
                Run(KIND_LABELS["actual"], size, True, Colour(ACTUAL_COLOUR.theme)),
                Run(" の色つきの範囲が取組の期間", size, False, MUTED),
            ]
        )
    ]


def legend_height(size: float) -> float:
    return 0.03 + paras_height(_legend(size), 6)


def place_grid(deck: Composer, slide: Slide, grid: MeasuredTable, top: float, size: float) -> None:
    grid.place(deck, slide, top)
    deck.textbox(slide, MARGIN, top + grid.height + 0.03, 6, paras_height(_legend(size), 6), _legend(size))


def paged_grid(
    ctx: Context, title: str, slide: Slide, rows: list[GridRow], years: list[FiscalYear], top: float
) -> None:
    """A grid too long for a slide at the minimum: activities (計画 and 実績 together) continue
    on （続き） slides under the repeated header."""
    size = MINIMUM.table
    widths = grid_widths(rows, years, size)
    pairs = [rows[i : i + 2] for i in range(0, len(rows), 2)]
    header_h = line_height(size) + legend_height(size)
    available = BOTTOM - TOP - header_h

    def height(pair: list[GridRow]) -> float:
        return sum(_pair_heights(pair, widths, years, size))

    first = BOTTOM - top - header_h
    if height(pairs[0]) > first:
        # Below a tall project table there is no room for the first activity: a new slide.
        slide = ctx.deck.slide(title + "（続き）")
        top, first = TOP, available
    for page in paginate(pairs, height, available, first):
        if page.continued:
            slide = ctx.deck.slide(title + "（続き）")
            top = TOP
        place_grid(
            ctx.deck, slide, grid_table([r for pair in page.items for r in pair], years, size), top, size
        )
