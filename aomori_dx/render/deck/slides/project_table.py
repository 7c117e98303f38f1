"""A featured project's measured tables: the type steps they are sized by, ``MeasuredTable``
(cells, widths and heights ready to place, with merges and bar fills) with the width helpers,
and the project's header table (No., 分野, 事業名, 事業費, 概要 …)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aomori_dx.format import number
from aomori_dx.model import Project
from aomori_dx.parse import FiscalYear
from aomori_dx.render.deck.flow import Composer, word_widths
from aomori_dx.render.deck.measure import (
    CELL_LINE,
    cell_height,
    row_height,
)
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    CONTENT_W,
    MARGIN,
    Align,
    Colour,
    Para,
    cell,
)
from aomori_dx.render.deck.widths import share
from aomori_dx.render.deck.writer import Slide
from aomori_dx.render.layout import text_width

__all__ = [
    "MINIMUM",
    "STEPS",
    "MeasuredTable",
    "Step",
    "header_table",
    "line_height",
    "text_need",
]


@dataclass(frozen=True)
class Step:
    """One size of the scale: body text and tables (the header table, the grid, the sheet's
    tables) in points."""

    body: float
    table: float


# Largest first.  The last is the minimum of the deck's type scale: body 12 pt, tables 11 pt.
STEPS = (Step(16, 14), Step(15, 14), Step(14, 13), Step(13, 12), Step(12, 12), Step(12, 11))
MINIMUM = STEPS[-1]
TABLE_MIN = MINIMUM.table
CELL_PAD = 0.25  # a cell's margins and a little slack: a line as wide as this less fits


@dataclass
class MeasuredTable:
    """A table measured and ready to place: cells, column widths, row heights, merged blocks
    (first row, first column, last row, last column) and filled cells."""

    widths: list[float]
    rows: list[list[list[Para]]]
    heights: list[float]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    fills: list[tuple[int, int, Colour, int | None]] = field(default_factory=list)
    header_rows: int = 1

    @property
    def height(self) -> float:
        return sum(self.heights)

    @property
    def width(self) -> float:
        return sum(self.widths)

    def place(self, deck: Composer, slide: Slide, top: float, left: float = MARGIN) -> None:
        table = deck.table(slide, left, top, self.widths, self.rows, self.heights, self.header_rows)
        for block in self.merges:
            table.merge(*block)
        for row, column, colour, tint in self.fills:
            table.shade(row, column, colour, tint)


def fiscal_label(year: FiscalYear | None, open_label: str = "未定") -> str:
    return year.era_label if year is not None else open_label


def line_height(size: float) -> float:
    """A one-line table row."""
    return size * CELL_LINE / 72 + 0.12


def text_need(texts: Sequence[str], size: float) -> float:
    """The width that holds each of ``texts`` (and each of their lines) on one line."""
    return max(text_width(line, size) for text in texts for line in text.split("\n")) + CELL_PAD


def header_table(ctx: Context, project: Project, size: float) -> MeasuredTable:
    """The header table of a detail sheet: No., 分野, 項目, 担当部局, 担当課等 / 事業名, 事業費,
    始期, 終期 / 概要, at ``size`` or as much smaller (not below the table minimum) as keeps
    every value but the summary on one line; the labels keep one line."""
    meeting = ctx.result.period.meeting
    year = meeting.fiscal_year.era_label if meeting.fiscal_year else ""
    budget = number(project.budget) if project.budget is not None else "—"
    if project.budget_original is not None:
        budget += f"\n（当初 {number(project.budget_original)}）"
    rows = (
        ("No.", str(project.no), "分野", project.field, "項目", project.category or "—", "担当部局",
         project.department or "—", "担当課等", project.division or "—"),
        ("事業名", project.name, "", "", f"{year}事業費\n(千円)", budget, "事業始期",
         fiscal_label(project.start, "—"), "事業終期", fiscal_label(project.end)),
        ("概要", project.summary or "—", "", "", "", "", "", "", "", ""),
    )  # fmt: skip
    labels = [(0, 0), (0, 2), (0, 4), (0, 6), (0, 8), (1, 0), (1, 4), (1, 6), (1, 8), (2, 0)]

    def needs(size: float) -> tuple[list[float], list[float]]:
        label_needs = [
            text_need([rows[r][c] for r, c in labels if c == column], size) for column in (0, 2, 4, 6, 8)
        ]
        # The summary spans the value columns and wraps; 事業名 spans the No., 分野 and the
        # field's columns, so the field's column makes up what the name needs.
        no_need = text_need([str(project.no)], size)
        value_needs = [
            no_need,
            max(text_need([project.field], size), text_need([project.name], size) - label_needs[1] - no_need),
            text_need([rows[0][5], rows[1][5]], size),
            text_need([rows[0][7], rows[1][7]], size),
            text_need([rows[0][9], rows[1][9]], size),
        ]
        return label_needs, value_needs

    while size > TABLE_MIN and sum(map(sum, needs(size))) > CONTENT_W:
        size -= 1
    label_needs, value_needs = needs(size)
    values = share(value_needs, CONTENT_W - sum(label_needs))
    cells = [
        [
            cell(text, size, (r, c) in labels, align=Align.CENTER if (r, c) in labels else None)
            for c, text in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    # The first two rows hold a value a column (事業名 spans three: left to its own column's
    # share); the summary wraps over all of them.
    per_column = [cells[0], [*cells[1][:1], *([cell("")] * 3), *cells[1][4:]]]
    shared, _ = word_widths(
        [[row[c] for c in range(1, 10, 2)] for row in per_column], values, CONTENT_W - sum(label_needs)
    )
    widths = [width for pair in zip(label_needs, shared, strict=True) for width in pair]
    line = line_height(size)
    heights = [
        row_height(cells[0], widths, line),
        max(
            row_height([cells[1][0], cells[1][1]], (widths[0], sum(widths[1:4])), line),
            row_height(cells[1][4:], widths[4:], line),
        ),
        max(line, cell_height(cells[2][1], sum(widths[1:]))),
    ]
    fills: list[tuple[int, int, Colour, int | None]] = [(r, c, Colour.BACKGROUND_2, None) for r, c in labels]
    return MeasuredTable(widths, cells, heights, [(1, 1, 1, 3), (2, 1, 2, 9)], fills, header_rows=0)
