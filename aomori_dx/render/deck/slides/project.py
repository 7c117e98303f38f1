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

from collections.abc import Sequence
from dataclasses import dataclass, field

from aomori_dx.compute import ProjectStatus, grid_spans
from aomori_dx.format import number
from aomori_dx.model import ActivityEntry, Document, Figure, Project
from aomori_dx.model import Table as TextTable
from aomori_dx.parse import FiscalYear
from aomori_dx.render.deck.flow import Composer, Item, blocks, cell_floor, flow, sections, word_widths
from aomori_dx.render.deck.measure import (
    BOX_PAD,
    CELL_LINE,
    cell_height,
    para_height,
    paras_height,
    row_height,
)
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
    figure_columns,
    p,
)
from aomori_dx.render.deck.style import caption as table_caption
from aomori_dx.render.deck.writer import Slide, picture_pixels
from aomori_dx.render.layout import GRID_YEARS, even_parts, paginate, text_width

__all__ = ["STEPS", "Step", "project_slides"]


@dataclass(frozen=True)
class Step:
    """One size of the scale: body text and tables (the header table, the grid, the sheet's
    tables) in points."""

    body: float
    table: float


# Largest first.  The last is the minimum of the deck's type scale: body 12 pt, tables 11 pt.
STEPS = (Step(16, 14), Step(15, 14), Step(14, 13), Step(13, 12), Step(12, 12), Step(12, 11))
MINIMUM = STEPS[-1]
# The details on a slide of their own: up to 18 pt, as a short sheet would leave half of it empty.
DETAIL_STEPS = (Step(18, 16), Step(17, 15), *STEPS)
# The grid on a slide of its own (with the header table): larger, as it is all the slide shows.
GRID_SIZES = (18.0, 16.0, 14.0, 13.0, 12.0, 11.0)
BODY_MIN = 12.0
TABLE_MIN = MINIMUM.table
NOTE_MIN = 10.0
HEADER_TOP = TOP - 0.1
GAP = 0.15  # between the header table, the grid and the details
COLUMN_GAP = 0.35
TABLE_GAP = 0.25  # between small tables side by side
ACTIVITY_WIDTHS = (1.8, 2.2, 2.6, 3.0, 3.4)  # the grid's first column, tried in turn
CELL_PAD = 0.25  # a cell's margins and a little slack: a line as wide as this less fits
FIGURE_MAX_H = 3.2

GridRow = tuple[str, str, list[tuple[FiscalYear, FiscalYear, str]]]  # activity, 計画/実績, spans
Part = tuple[list[GridRow], list[FiscalYear]]  # a grid's rows and its years

# How much white is mixed into the theme colour of a bar: dark enough to read as a bar from the
# back of a room, light enough for black text at 11 pt (contrast above 7:1 with the default theme).
BAR_TINT = 60


def project_slides(ctx: Context, status: ProjectStatus) -> None:
    project = status.project
    division = f"（{project.division}）" if project.division else ""
    title = f"No.{project.no} {project.name}{division}"
    parts = _grid_parts(ctx, project)
    sheet = ctx.result.period.sheet(project.no)
    items = _items(sheet)
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
        header = _header_table(ctx, project, step.table)
        grid = _grid_table(*part, step.table) if part is not None else None
        grid_top = HEADER_TOP + header.height + GAP
        top = grid_top + (grid.height + _legend_height(step.table) + GAP if grid is not None else 0.0)
        details = _Details(items, step, BOTTOM - top)
        if not details.fits:
            continue
        slide = _new_slide(ctx, title)
        header.place(ctx.deck, slide, HEADER_TOP)
        if grid is not None:
            _place_grid(ctx.deck, slide, grid, grid_top, step.table)
        details.place(ctx.deck, slide, top)
        return True
    return False


def _grid_slides(ctx: Context, project: Project, title: str, parts: list[Part]) -> None:
    """The header table and the grid, each part of the grid on its own slide at the largest
    size that fits, its rows sharing what is left of the slide; a grid longer than a slide
    even at the minimum continues with （続き）."""
    slide = _new_slide(ctx, title)
    if not parts:
        _header_table(ctx, project, STEPS[0].table).place(ctx.deck, slide, HEADER_TOP)
        return
    for index, (rows, years) in enumerate(parts):
        if index:
            slide = ctx.deck.slide(title + "（続き）")
        for size in (*GRID_SIZES, None):
            grid_size = size or MINIMUM.table
            header = _header_table(ctx, project, min(grid_size, STEPS[0].table)) if index == 0 else None
            top = HEADER_TOP + header.height + GAP if header is not None else TOP
            grid = _grid_table(rows, years, grid_size)
            left = BOTTOM - top - grid.height - _legend_height(grid_size)
            if size is None and left < 0:
                # Before continuing on another slide: the widths that make the grid shortest.
                grid = _grid_table(rows, years, grid_size, _grid_widths(rows, years, grid_size, True))
                left = BOTTOM - top - grid.height - _legend_height(grid_size)
                size = grid_size if left >= 0 else None
            if size is not None and left < 0:
                continue
            if header is not None:
                header.place(ctx.deck, slide, HEADER_TOP)
            if size is None:
                _paged_grid(ctx, title, slide, rows, years, top)
            else:
                _stretch(grid, left)
                _place_grid(ctx.deck, slide, grid, top, grid_size)
            break


def _stretch(grid: _Table, extra: float) -> None:
    """The grid's rows taller by a share of ``extra`` inches (at most half their height), so that
    the grid fills its slide."""
    body = grid.heights[1:]
    grow = min(extra, sum(body) / 2) / sum(body)
    grid.heights[1:] = [height * (1 + grow) for height in body]


def _detail_slides(deck: Composer, title: str, items: list[Item]) -> None:
    """The details on one slide at the largest step that fills it, or flowed over several."""
    for step in DETAIL_STEPS:
        details = _Details(items, step, BOTTOM - TOP)
        if details.fits:
            details.place(deck, deck.slide(title), TOP)
            return
    flow(deck, title, [_grown(item, MINIMUM.body) for item in items], columns=2)


# --- the header table --------------------------------------------------------------------------


@dataclass
class _Table:
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


def _fiscal_label(year: FiscalYear | None, open_label: str = "未定") -> str:
    return year.era_label if year is not None else open_label


def _line_height(size: float) -> float:
    """A one-line table row."""
    return size * CELL_LINE / 72 + 0.12


def _need(texts: Sequence[str], size: float) -> float:
    """The width that holds each of ``texts`` (and each of their lines) on one line."""
    return max(text_width(line, size) for text in texts for line in text.split("\n")) + CELL_PAD


def _share(needs: Sequence[float], width: float) -> list[float]:
    """``width`` shared by what each column needs: spare room in proportion, and when short,
    columns that need little keep it and the long ones share the rest (and wrap)."""
    if sum(needs) <= width:
        spare = width - sum(needs)
        return [need + spare * need / sum(needs) for need in needs]
    fair = width / len(needs)
    short = sum(need for need in needs if need <= fair)
    long_total = sum(need for need in needs if need > fair)
    return [need if need <= fair else (width - short) * need / long_total for need in needs]


def _header_table(ctx: Context, project: Project, size: float) -> _Table:
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
         _fiscal_label(project.start, "—"), "事業終期", _fiscal_label(project.end)),
        ("概要", project.summary or "—", "", "", "", "", "", "", "", ""),
    )  # fmt: skip
    labels = [(0, 0), (0, 2), (0, 4), (0, 6), (0, 8), (1, 0), (1, 4), (1, 6), (1, 8), (2, 0)]

    def needs(size: float) -> tuple[list[float], list[float]]:
        label_needs = [
            _need([rows[r][c] for r, c in labels if c == column], size) for column in (0, 2, 4, 6, 8)
        ]
        # The summary spans the value columns and wraps; 事業名 spans the No., 分野 and the
        # field's columns, so the field's column makes up what the name needs.
        no_need = _need([str(project.no)], size)
        value_needs = [
            no_need,
            max(_need([project.field], size), _need([project.name], size) - label_needs[1] - no_need),
            _need([rows[0][5], rows[1][5]], size),
            _need([rows[0][7], rows[1][7]], size),
            _need([rows[0][9], rows[1][9]], size),
        ]
        return label_needs, value_needs

    while size > TABLE_MIN and sum(map(sum, needs(size))) > CONTENT_W:
        size -= 1
    label_needs, value_needs = needs(size)
    values = _share(value_needs, CONTENT_W - sum(label_needs))
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
    line = _line_height(size)
    heights = [
        row_height(cells[0], widths, line),
        max(
            row_height([cells[1][0], cells[1][1]], (widths[0], sum(widths[1:4])), line),
            row_height(cells[1][4:], widths[4:], line),
        ),
        max(line, cell_height(cells[2][1], sum(widths[1:]))),
    ]
    fills: list[tuple[int, int, Colour, int | None]] = [(r, c, Colour.BACKGROUND_2, None) for r, c in labels]
    return _Table(widths, cells, heights, [(1, 1, 1, 3), (2, 1, 2, 9)], fills, header_rows=0)


# --- the plan/actual grid ----------------------------------------------------------------------


def _grid_parts(ctx: Context, project: Project) -> list[Part]:
    """The grid's rows for each part of the roadmap's years (``GRID_YEARS`` at most each); a
    later part shows only the activities with something in its years."""
    years = list(ctx.result.period.meeting.roadmap_years)
    entries = list(ctx.result.period.activities_of(project.no))
    if not years:
        years = sorted({FiscalYear(y) for e in entries for y in range(e.first.year, e.last.year + 1)})
    if not entries or not years:
        return []
    parts = []
    for index, part in enumerate(even_parts(years, GRID_YEARS)):
        shown = entries if index == 0 else [e for e in entries if e.first <= part[-1] and e.last >= part[0]]
        if shown:
            parts.append((_grid_rows(shown, list(part)), list(part)))
    return parts


def _grid_rows(entries: Sequence[ActivityEntry], years: list[FiscalYear]) -> list[GridRow]:
    rows: list[GridRow] = []
    for activity in dict.fromkeys(e.activity for e in entries):
        for kind, label in (("plan", "計画"), ("actual", "実績")):
            spans = grid_spans([e for e in entries if e.activity == activity and e.kind == kind])
            # A span that reaches beyond these years is shown on the years it has here.
            shown = [
                (max(first, years[0]), min(last, years[-1]), text)
                for first, last, text in spans
                if first <= years[-1] and last >= years[0]
            ]
            rows.append((activity, label, shown))
    return rows


def _grid_widths(
    rows: Sequence[GridRow], years: list[FiscalYear], size: float, shortest: bool = False
) -> list[float]:
    """The activity column about as wide as makes the grid shortest (a long name wraps rather
    than the spans, which are the denser text), or with ``shortest`` exactly so; the years
    share the rest."""
    label_w = _need(["計画"], size)
    need = _need([row[0] for row in rows], size)
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


def _grid_table(
    rows: Sequence[GridRow], years: list[FiscalYear], size: float, widths: list[float] | None = None
) -> _Table:
    """The grid at ``size``: a header of years, then for each activity a 計画 and a 実績 row
    whose spans are merged cells filled in the plan's or the actual's colour (the bars)."""
    widths = widths or _grid_widths(rows, years, size)
    header = [
        cell("取組", size, True, align=Align.CENTER),
        cell("", size),
        *(cell(y.era_label, size, True, align=Align.CENTER) for y in years),
    ]
    table = _Table(widths, [header], [_line_height(size)])
    for index in range(0, len(rows), 2):
        pair = rows[index : index + 2]
        for row, height in zip(pair, _pair_heights(pair, widths, years, size), strict=True):
            activity, label, spans = row
            r = len(table.rows)
            texts = [""] * len(years)
            for first, last, text in spans:
                a, b = years.index(first), years.index(last)
                texts[a] = text
                if b > a:
                    table.merges.append((r, a + 2, r, b + 2))
                theme = Colour.ACCENT_1 if label == "計画" else Colour.ACCENT_4
                table.fills.append((r, a + 2, theme, BAR_TINT))
            table.rows.append(
                [
                    cell(activity if label == "計画" else "", size),
                    cell(label, size, True, align=Align.CENTER),
                    *(cell(t, size) for t in texts),
                ]
            )
            table.heights.append(height)
            if label == "計画" and len(pair) == 2:
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
        heights.append(max([_line_height(size), *span_heights]))
    name = cell_height(cell(pair[0][0], size), widths[0])
    if name > sum(heights):
        heights = [height + (name - sum(heights)) / len(heights) for height in heights]
    return heights


def _legend(size: float) -> list[Para]:
    size = max(NOTE_MIN, min(size - 1, 12))
    return [
        Para(
            [
                Run("計画", size, True, Colour.ACCENT_1),
                Run("・", size, False, MUTED),
                Run("実績", size, True, Colour.ACCENT_4),
                Run(" の色つきの範囲が取組の期間", size, False, MUTED),
            ]
        )
    ]


def _legend_height(size: float) -> float:
    return 0.03 + paras_height(_legend(size), 6)


def _place_grid(deck: Composer, slide: Slide, grid: _Table, top: float, size: float) -> None:
    grid.place(deck, slide, top)
    deck.textbox(slide, MARGIN, top + grid.height + 0.03, 6, paras_height(_legend(size), 6), _legend(size))


def _paged_grid(
    ctx: Context, title: str, slide: Slide, rows: list[GridRow], years: list[FiscalYear], top: float
) -> None:
    """A grid too long for a slide at the minimum: activities (計画 and 実績 together) continue
    on （続き） slides under the repeated header."""
    size = MINIMUM.table
    widths = _grid_widths(rows, years, size)
    pairs = [rows[i : i + 2] for i in range(0, len(rows), 2)]
    header_h = _line_height(size) + _legend_height(size)
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
        _place_grid(
            ctx.deck, slide, _grid_table([r for pair in page.items for r in pair], years, size), top, size
        )


# --- the details ---------------------------------------------------------------------------------


def _items(sheet: Document | None) -> list[Item]:
    """The sheet as narrative items at the body size of 12 pt (``_grown`` makes them larger)."""
    if sheet is None:
        return []
    return blocks(sheet.blocks, BODY_MIN) + sections(sheet.sections, BODY_MIN, level_offset=1)


def _grown(item: Item, body: float) -> Item:
    """``item`` with its text ``body - 12`` points larger, and never below the body minimum
    (a nested bullet is a point smaller than its parent in ``flow``'s look)."""
    if item.paras is None:
        return item
    extra = body - BODY_MIN
    paras = [
        Para(
            [Run(run.text, max(BODY_MIN, run.size + extra), run.bold, run.colour) for run in para.runs],
            para.align,
            para.bullet,
            para.space_before,
        )
        for para in item.paras
    ]
    return Item(paras, heading=item.heading)


@dataclass
class _Piece:
    """A narrative item at one step, measured for a column: text (kept in one box with the text
    around it), tables side by side with their captions, or a figure with its caption."""

    height: float
    heading: bool = False
    paras: list[Para] | None = None
    tables: list[tuple[list[Para], _Table]] = field(default_factory=list)
    caption: list[Para] = field(default_factory=list)
    figure: Figure | None = None
    figure_size: tuple[float, float] = (0.0, 0.0)


class _Details:
    """The sheet's items at one step in columns ``room`` inches tall (two, or one when a table
    needs the width): where the column break falls and whether they fit."""

    def __init__(self, items: list[Item], step: Step, room: float) -> None:
        wide = any(item.table is not None and len(item.table.header) > 5 for item in items)
        self.columns = 1 if wide else 2
        self.width = (CONTENT_W - COLUMN_GAP * (self.columns - 1)) / self.columns
        self.pieces = _pieces(items, step, self.width, room)
        self.split = self._split(room)
        self.fits = room > 0 and self.split is not None

    def _split(self, room: float) -> int | None:
        """The index of the first piece of the second column: the break at a heading or table
        that fits, else the one that balances the columns; ``None`` when none fits."""
        pieces = self.pieces
        if self.columns == 1 or len(pieces) < 2:
            return len(pieces) if _column_height(pieces) <= room else None
        candidates = []
        for index in range(1, len(pieces) + 1):
            if pieces[index - 1].heading:
                continue  # a heading never ends a column
            tallest = max(_column_height(pieces[:index]), _column_height(pieces[index:]))
            if tallest <= room:
                at_section = index < len(pieces) and (pieces[index].heading or bool(pieces[index].tables))
                candidates.append((not at_section, tallest, index))
        return min(candidates)[2] if candidates else None

    def place(self, deck: Composer, slide: Slide, top: float) -> None:
        assert self.split is not None
        for column, pieces in enumerate((self.pieces[: self.split], self.pieces[self.split :])):
            _place_column(deck, slide, pieces, MARGIN + column * (self.width + COLUMN_GAP), top, self.width)


def _pieces(items: list[Item], step: Step, width: float, room: float) -> list[_Piece]:
    """The items measured at ``step``; small tables that follow each other share a row, as
    they would on a printed sheet, when their columns fit side by side without wrapping."""
    pieces: list[_Piece] = []
    run: list[Item] = []
    for item in [*items, Item()]:
        if item.table is not None and (
            not run or _natural_width([*run, item], step.table) + TABLE_GAP * len(run) <= width
        ):
            run.append(item)
            continue
        if run:
            pieces.append(_tables_piece(run, step, width))
            run = [item] if item.table is not None else []
        if item.table is None and (item.paras is not None or item.figure is not None):
            pieces.append(_piece(item, step, width, room))
    return pieces


def _natural_width(items: Sequence[Item], size: float) -> float:
    return sum(sum(_column_needs(item.table, size)) for item in items if item.table is not None)


def _tables_piece(items: Sequence[Item], step: Step, width: float) -> _Piece:
    slots = _share(
        [_natural_width([item], step.table) for item in items], width - TABLE_GAP * (len(items) - 1)
    )
    tables = []
    for item, slot in zip(items, slots, strict=True):
        assert item.table is not None
        caption = table_caption(item.title, step.body + 1) if item.title else []
        tables.append((caption, _text_table(item.table, step.table, slot)))
    captions_h = max(
        paras_height(caption, slot) if caption else 0.0
        for (caption, _), slot in zip(tables, slots, strict=True)
    )
    return _Piece(captions_h + max(table.height for _, table in tables) + 0.12, tables=tables)


def _piece(item: Item, step: Step, width: float, room: float) -> _Piece:
    if item.paras is not None:
        paras = _grown(item, step.body).paras or []
        return _Piece(sum(para_height(para, width) for para in paras), item.heading, paras)
    assert item.figure is not None
    figure = item.figure
    caption = (
        [p(figure.caption, max(NOTE_MIN, step.body - 2), colour=MUTED, align=Align.CENTER)]
        if figure.caption
        else []
    )
    caption_h = paras_height(caption, width) if caption else 0.0
    size = _picture_size(figure, width, min(FIGURE_MAX_H, room - caption_h - 0.15))
    return _Piece(0.05 + size[1] + caption_h + 0.1, caption=caption, figure=figure, figure_size=size)


def _picture_size(figure: Figure, max_width: float, max_height: float) -> tuple[float, float]:
    """The picture's size in inches, scaled to fit, keeping its proportions."""
    pixels_w, pixels_h = picture_pixels(figure.path)
    aspect = pixels_h / pixels_w if pixels_w else 1.0
    width, height = max_width, max_width * aspect
    if height > max_height > 0:
        width, height = max_height / aspect, max_height
    return width, height


def _column_needs(table: TextTable, size: float) -> list[float]:
    return [
        _need([row[i] for row in (table.header, *table.rows) if i < len(row)], size)
        for i in range(len(table.header))
    ]


def _text_table(table: TextTable, size: float, width: float) -> _Table:
    header = [cell(text, size, True, align=Align.CENTER) for text in table.header]
    aligns = [Align.RIGHT if figures else Align.LEFT for figures in figure_columns(table.rows)]
    rows = [
        [cell(text, size, align=align) for text, align in zip(row, aligns, strict=False)]
        for row in table.rows
    ]
    shared = _share(_column_needs(table, size), width)
    # Phrases whole where the columns allow (取り組める, not 取り|組める), else words.
    widths, whole = word_widths([header, *rows], shared, width, phrases=True)
    if not whole:
        widths, _ = word_widths([header, *rows], shared, width)
    line = _line_height(size)
    return _Table(widths, [header, *rows], [row_height(row, widths, line) for row in [header, *rows]])


def _column_height(pieces: Sequence[_Piece]) -> float:
    """A column's height: its pieces, and the margins of each text box (one box a run of text)."""
    height = 0.0
    for index, piece in enumerate(pieces):
        height += piece.height
        if piece.paras is not None and (index == 0 or pieces[index - 1].paras is None):
            height += BOX_PAD
    return height


def _place_column(
    deck: Composer, slide: Slide, pieces: Sequence[_Piece], left: float, top: float, width: float
) -> None:
    y = top
    text: list[Para] = []

    def flush() -> None:
        nonlocal y, text
        if text:
            height = paras_height(text, width)
            deck.textbox(slide, left, y, width, height, text)
            y += height
            text = []

    for piece in pieces:
        if piece.paras is not None:
            text.extend(piece.paras)
            continue
        flush()
        if piece.tables:
            y = _place_tables(deck, slide, piece.tables, left, y)
        if piece.figure is not None:
            figure_w, figure_h = piece.figure_size
            deck.writer.picture(
                slide, piece.figure.path, left + (width - figure_w) / 2, y + 0.05, figure_w, figure_h
            )
            y += 0.05 + figure_h
            if piece.caption:
                caption_h = paras_height(piece.caption, width)
                deck.textbox(slide, left, y, width, caption_h, piece.caption)
                y += caption_h
            y += 0.1
    flush()


def _place_tables(
    deck: Composer, slide: Slide, tables: list[tuple[list[Para], _Table]], left: float, top: float
) -> float:
    """Tables side by side under their captions; the bottom of the tallest."""
    captions_h = max(paras_height(caption, table.width) if caption else 0.0 for caption, table in tables)
    for caption, table in tables:
        if caption:
            deck.textbox(slide, left, top, table.width, paras_height(caption, table.width), caption)
        table.place(deck, slide, top + captions_h, left)
        left += table.width + TABLE_GAP
    return top + captions_h + max(table.height for _, table in tables) + 0.12
