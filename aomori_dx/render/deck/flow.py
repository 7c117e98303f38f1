"""The layout engine: text made to fit its box, tables and narrative paginated over columns and
slides with （続き）, and the warnings about text that had to be cut.

``Composer`` wraps the writer: every text box and title is first fitted (smaller, down to a
scale but never below the body minimum, then cut with … and reported, naming the slide), every
table checked against the slide's bottom.  ``flow`` places narrative ``Item`` values
(paragraphs, tables, pictures) in columns.  Measurements come from ``measure`` (the calibrated
metrics of ``render.layout``).

Fitting a table to the slide, one protocol for every slide kind (ReportLab's flowables):

- a ``Flowable`` answers ``wrap(avail_h)`` (the height it needs) and ``split(avail_h)``
  (``[what fits, the rest]``, or ``[]``); ``TableFlow`` is one for a table of ``Row`` values,
  measured at one size, its header repeated in every frame (and, with ``caption``, a caption and
  the header over every group of rows, e.g. 【事務局】);
- ``pack(flowable, avail_h)`` cuts it into frames, ``balance(flowable, avail_h, n)`` into ``n``
  frames cut evenly (the fullest frame as low as it can be);
- ``fit_table(make, scale, avail_h, per_page)`` calls ``make(size)`` for each size of the type
  scale (``style.TABLE_SCALE``, 18 down to 11 pt) and keeps the largest at which the table
  fits in as many slides as it needs at the smallest size, balanced;
- ``table_slides(deck, title, make, columns=…, note=…, reserve=…, foot=…, drawn=…)`` does the
  above and draws the slides: ``columns`` frames a slide, （続き） on continuations, a note under
  the table on every slide (above the page number's line), ``foot`` for what a slide kind adds
  under its table (footnotes, the KPI box), ``drawn`` to merge cells of each table drawn.

A slide kind adopts it by writing ``make(size) -> TableFlow`` (its header and rows built at
``size``) and calling ``table_slides``; see slides/people.py, indicators.py and roadmap.py.

Narrative (paragraphs, bullets, headings, tables and pictures from Markdown) follows the same
protocol: ``Story`` is the flowable of narrative ``Item`` values in a column, cut between lines
(never one line of a paragraph alone), between table rows (header and caption repeated) and
never after a heading.  ``fit_flow(deck, title, make)`` calls ``make(size)`` for each size of
``BODY_SCALE`` (24 down to 12 pt) and keeps the largest at which the story fits one slide, in
one column or two; only when not even 12 pt fits does it continue on （続き） slides, balanced.
``fit_story`` fits a story to one frame (the cases beside the KPI cards), ``draw_story`` draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aomori_dx.model import Block, BulletList, Figure, Paragraph, Section, Table
from aomori_dx.render.deck.measure import (
    BOX_PAD,
    cut,
    fitting_rows,
    para_height,
    paras_height,
    row_height,
    scaled,
    split_paras,
)
from aomori_dx.render.deck.style import (
    BODY_MIN,
    BOTTOM,
    CONTENT_W,
    CONTINUED,
    MAIN,
    MARGIN,
    MUTED,
    NOTE_MIN,
    PAGE_NUMBER_W,
    SLIDE_H,
    TABLE_MIN,
    TABLE_SCALE,
    TEXT,
    TOP,
    Align,
    Anchor,
    Para,
    Run,
    cell,
    p,
)
from aomori_dx.render.deck.writer import Deck, Shape, Slide, TableRef, picture_pixels
from aomori_dx.render.layout import LINE_SPACING, text_width

__all__ = [
    "BODY_SCALE",
    "Composer",
    "Flowable",
    "Item",
    "Row",
    "Story",
    "TableFlow",
    "balance",
    "blocks",
    "draw_story",
    "fit_flow",
    "fit_story",
    "fit_table",
    "flow",
    "heading_size",
    "pack",
    "sections",
    "table_size",
    "table_slides",
]


def _short(text: str, limit: int = 30) -> str:
    """A long text shortened for a message."""
    return text if len(text) <= limit else text[:limit] + "…"


class Composer:
    """Slides filled through the writer with text that fits; collects the layout warnings."""

    def __init__(self, writer: Deck) -> None:
        self.writer = writer
        self._warned: list[tuple[int, int, str, str]] = []  # first and last slide, title, problem

    def slide(self, title: str) -> Slide:
        """A content slide with its title fitted."""
        slide = self.writer.add_slide("content", title)
        shape = self.writer.title_shape(slide)
        if shape is not None:
            # A cut title keeps its （続き）: the reader must still see that the slide continues.
            end = CONTINUED if title.endswith(CONTINUED) else ""
            paras = [Para([Run(title, 24, True, MAIN)])]
            self.fit_shape(slide, shape, paras, "タイトル", 0.5, keep_end=end)
        return slide

    def warn(self, slide: Slide, problem: str) -> None:
        """Record a layout warning naming ``slide`` by number and title; the same problem on the
        slides that follow (a long title repeated on continuations) joins it as a range."""
        number_, title = self.writer.label(slide)
        title = title.removesuffix(CONTINUED)
        if self._warned and self._warned[-1][1:] == (number_ - 1, title, problem):
            self._warned[-1] = (self._warned[-1][0], number_, title, problem)
        else:
            self._warned.append((number_, number_, title, problem))

    @property
    def warnings(self) -> list[str]:
        """``スライド 12「…」: …`` or ``スライド 34〜43「…」: …`` for each problem."""
        return [
            f"スライド {first}{'' if last == first else f'〜{last}'}「{_short(title)}」: {problem}"
            for first, last, title, problem in self._warned
        ]

    def fit(
        self,
        slide: Slide,
        paras: Sequence[Para],
        box: tuple[float, float, float, float],
        what: str = "文字",
        min_scale: float = 0.75,
        keep_end: str = "",
    ) -> list[Para]:
        """``paras`` made to fit a box (width, height, side and top inset, in inches): smaller
        (down to ``min_scale`` of their size), then cut with …, which is reported as a warning."""
        width, height, inset_x, inset_y = box
        inner = width - 2 * inset_x + 0.08  # para_height keeps 0.1 of slack beside the text

        def needed(candidate: Sequence[Para]) -> float:
            # A box sized from its text (most of them) must not shrink by a rounding error.
            return sum(para_height(para, inner) for para in candidate) + 2 * inset_y + 0.02 - 0.005

        if needed(paras) <= height:
            return list(paras)
        steps = round((1 - min_scale) / 0.05)
        for step in range(1, steps + 1):
            smaller = scaled(paras, 1 - 0.05 * step, BODY_MIN)
            if needed(smaller) <= height:
                return smaller
        shortened = cut(scaled(paras, min_scale, BODY_MIN), inner, height - 2 * inset_y - 0.02, keep_end)
        original = "".join(para.text for para in paras)
        quoted = "" if what == "タイトル" else f"（「{_short(original)}」）"
        self.warn(
            slide,
            f"{what}が長く、枠に入りきらないため後ろを「…」で省略しました{quoted}。元の文を短くしてください。",
        )
        return shortened

    def fit_shape(
        self,
        slide: Slide,
        shape: Shape,
        paras: Sequence[Para],
        what: str = "文字",
        min_scale: float = 0.75,
        anchor: Anchor | None = None,
        keep_end: str = "",
    ) -> None:
        """Fill a placeholder or shape whose size comes from the template or the caller."""
        box = self.writer.text_box(shape)
        self.writer.fill(shape, self.fit(slide, paras, box, what, min_scale, keep_end), anchor)

    def textbox(
        self,
        slide: Slide,
        left: float,
        top: float,
        width: float,
        height: float,
        paras: Sequence[Para],
        anchor: Anchor = Anchor.TOP,
        what: str = "文字",
    ) -> None:
        box = self.writer.add_textbox(slide, left, top, width, height)
        self.writer.fill(box, self.fit(slide, paras, (width, height, 0.04, 0.02), what), anchor)
        if top + height > SLIDE_H + 0.01:
            self.warn(
                slide, f"文がスライドの下にはみ出しています（「{_short(''.join(p.text for p in paras))}」）。"
            )

    def table(
        self,
        slide: Slide,
        left: float,
        top: float,
        widths: Sequence[float],
        rows: Sequence[Sequence[list[Para]]],
        heights: Sequence[float],
        header_rows: int = 1,
    ) -> TableRef:
        table = self.writer.table(slide, left, top, widths, rows, heights, header_rows)
        if top + sum(heights) > SLIDE_H + 0.01:
            self.warn(
                slide, "表がスライドの下にはみ出しています。表の中の文を短くするか、行を分けてください。"
            )
        return table


# --- the splitting protocol: tables fitted to the slide --------------------------------------


class Flowable(Protocol):
    """What can be placed in a frame (a column of a slide) and continued in the next one.

    ReportLab's protocol: ``wrap`` says how tall the whole of it is, ``split`` cuts it where
    ``avail_h`` inches are full and gives ``[what fits, the rest]`` (``[]`` when not even its
    first piece fits).  ``pack`` and ``balance`` place any flowable; ``fit_table`` also picks its
    size from a type scale."""

    def wrap(self, avail_h: float) -> float: ...

    def split(self, avail_h: float) -> Sequence[Flowable]: ...


GROUP_GAP = 0.1  # above a group's caption that starts inside a frame


@dataclass(frozen=True)
class Row:
    """A table row.  Rows of one ``key`` form a group (a caption over each group, or a merged
    cell); ``opening`` is the row as it looks when it opens a frame (the text of a merged cell
    written again on the continuation)."""

    cells: list[list[Para]]
    key: str = ""
    opening: list[list[Para]] | None = None


@dataclass
class _Measured:
    """A table measured once at one size: every row's height, and running sums to cut it fast."""

    widths: tuple[float, ...]
    header: list[list[Para]]
    rows: list[Row]
    min_row: float
    header_h: float
    caption: Callable[[str], list[Para]] | None
    caption_h: float
    opening_h: list[float]
    sums: list[float]  # sums[i]: the rows before i, with the captions of the groups they open


class TableFlow:
    """A table as a flowable: its header repeated in every frame and, with ``caption``, a caption
    and the header over every group of rows (``Row.key``).  A row taller than ``room`` is split
    between its lines by ``fitted`` (``measure.split_row``), so every piece fits a frame."""

    def __init__(
        self,
        widths: Sequence[float],
        header: list[list[Para]],
        rows: Sequence[Row],
        min_row: float = 0.3,
        caption: Callable[[str], list[Para]] | None = None,
    ) -> None:
        header_h = row_height(header, widths, 0.3)
        caption_h = paras_height(caption(rows[0].key), sum(widths)) if caption and rows else 0.0
        heights = [row_height(row.cells, widths, min_row) for row in rows]
        opening_h = [
            height if row.opening is None else row_height(row.opening, widths, min_row)
            for row, height in zip(rows, heights, strict=True)
        ]
        sums = [0.0]
        for index, height in enumerate(heights):
            opens_group = caption is not None and index > 0 and rows[index].key != rows[index - 1].key
            sums.append(sums[-1] + height + (GROUP_GAP + caption_h + header_h if opens_group else 0.0))
        self._m = _Measured(
            tuple(widths), header, list(rows), min_row, header_h, caption, caption_h, opening_h, sums
        )
        self.start = 0
        self.stop = len(rows)

    def fitted(self, avail_h: float) -> TableFlow:
        """This table with every row taller than a frame of ``avail_h`` split between its lines."""
        m = self._m
        room = avail_h - m.header_h - m.caption_h
        if all(height <= room for height in m.opening_h):
            return self
        rows = [
            Row(piece, row.key, None if index else row.opening)
            for row in m.rows
            for index, piece in enumerate(fitting_rows([row.opening or row.cells], m.widths, room, m.min_row))
        ]
        return TableFlow(m.widths, m.header, rows, m.min_row, m.caption)

    def _part(self, start: int, stop: int) -> TableFlow:
        part = object.__new__(TableFlow)
        part._m, part.start, part.stop = self._m, start, stop
        return part

    def _height(self, start: int, stop: int) -> float:
        m = self._m
        if stop <= start:
            return 0.0
        lead = m.header_h + (m.caption_h if m.caption else 0.0)
        return lead + m.opening_h[start] + m.sums[stop] - m.sums[start + 1]

    def wrap(self, avail_h: float) -> float:
        return self._height(self.start, self.stop)

    def split(self, avail_h: float) -> list[TableFlow]:
        low, high = self.start, self.stop  # the most rows that fit, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if self._height(self.start, middle) <= avail_h:
                low = middle
            else:
                high = middle - 1
        rows = self._m.rows
        if (
            self._m.caption
            and self.start < low - 1 < self.stop - 1
            and rows[low - 1].key != rows[low - 2].key
            and rows[low].key == rows[low - 1].key
        ):
            low -= 1  # a caption with a single row of its group at the bottom: move both on
        if low == self.start:
            return []
        return [self._part(self.start, low), self._part(low, self.stop)]

    @property
    def widths(self) -> tuple[float, ...]:
        return self._m.widths

    @property
    def caption(self) -> tuple[Callable[[str], list[Para]] | None, float]:
        """How a group's caption is written, and its height."""
        return self._m.caption, self._m.caption_h

    def groups(self) -> list[tuple[str, list[list[Para]], list[list[list[Para]]], list[float]]]:
        """What to draw: per group (one group without ``caption``), its key, the header, its
        rows' cells and the heights of the header and the rows."""
        m = self._m
        drawn: list[tuple[str, list[list[Para]], list[list[list[Para]]], list[float]]] = []
        for index in range(self.start, self.stop):
            row = m.rows[index]
            opening = index == self.start
            if opening or (m.caption and row.key != m.rows[index - 1].key):
                drawn.append((row.key, m.header, [], [m.header_h]))
            cells = row.opening if opening and row.opening is not None else row.cells
            height = m.opening_h[index] if opening else m.sums[index + 1] - m.sums[index]
            if not opening and m.caption and row.key != m.rows[index - 1].key:
                height -= GROUP_GAP + m.caption_h + m.header_h
            drawn[-1][2].append(cells)
            drawn[-1][3].append(height)
        return drawn

    def row_keys(self) -> list[str]:
        """The key of every row in this part."""
        return [row.key for row in self._m.rows[self.start : self.stop]]


def pack(flowable: Flowable, avail_h: float) -> list[Flowable] | None:
    """``flowable`` cut into frames ``avail_h`` high, filling each in turn; ``None`` when a piece
    fits no frame."""
    frames: list[Flowable] = []
    rest = flowable
    while rest.wrap(avail_h) > avail_h:
        parts = rest.split(avail_h)
        if not parts:
            return None
        frames.append(parts[0])
        rest = parts[1]
    frames.append(rest)
    return frames


def balance(flowable: Flowable, avail_h: float, frames: int) -> list[Flowable]:
    """``flowable`` in at most ``frames`` frames of ``avail_h``, cut so that the fullest frame is as
    low as it can be: continuations are even (10 and 10 rows, not 15 and 5)."""
    best = pack(flowable, avail_h)
    assert best is not None and len(best) <= frames, "balance needs a flowable that fits"
    low, high = 0.0, avail_h
    for _ in range(20):
        middle = (low + high) / 2
        packed = pack(flowable, middle)
        if packed is not None and len(packed) <= frames:
            high, best = middle, packed
        else:
            low = middle
    return best


def fit_table(
    make: Callable[[float], TableFlow], scale: Sequence[float], avail_h: float, per_page: int = 1
) -> tuple[float, list[TableFlow]]:
    """The largest size of ``scale`` at which the table (``make(size)``) fits in as few slides as
    it needs at the smallest size (``per_page`` frames a slide), and its frames, balanced."""
    smallest = make(scale[-1]).fitted(avail_h)
    frames = pack(smallest, avail_h)
    if frames is not None:
        capacity = per_page * -(-len(frames) // per_page)
        # Larger type never takes less room, so the largest size that fits is found by bisection
        # over the scale (3 measurements of a long table instead of 6).
        chosen, low, high = (scale[-1], smallest, frames), 0, len(scale) - 1
        while low < high:
            middle = (low + high) // 2
            table = make(scale[middle]).fitted(avail_h)
            packed = pack(table, avail_h)
            if packed is not None and len(packed) <= capacity:
                chosen, high = (scale[middle], table, packed), middle
            else:
                low = middle + 1
        size, table, packed = chosen
        return size, [part for part in balance(table, avail_h, len(packed)) if isinstance(part, TableFlow)]
    # Not even a row fits at the smallest size: one row a frame, reported as overflowing.
    return scale[-1], [smallest._part(i, i + 1) for i in range(smallest.stop)]


def table_slides(
    deck: Composer,
    title: str,
    make: Callable[[float], TableFlow],
    *,
    columns: int = 1,
    scale: Sequence[float] = TABLE_SCALE,
    note: Para | None = None,
    top: float = TOP,
    reserve: float = 0.0,
    foot: Callable[[Slide, float, list[TableFlow], bool], None] | None = None,
    drawn: Callable[[TableRef, TableFlow], None] | None = None,
) -> float:
    """A table on as few slides as it needs (``columns`` frames a slide, continued with
    （続き）), at the largest size of ``scale`` that fits, with ``note`` under it on every slide.
    ``reserve`` keeps room below the table on every slide for ``foot``, called with the slide,
    the table's bottom, the parts shown and whether it is the last slide; ``drawn`` is called
    with every table drawn and the part it shows.  Returns the size chosen."""
    note_h = paras_height([note], CONTENT_W) + 0.05 if note is not None else 0.0
    room = BOTTOM - top - note_h - reserve

    size, frames = fit_table(make, scale, room, columns)
    pages = [frames[i : i + columns] for i in range(0, len(frames), columns)]
    for index, page in enumerate(pages):
        slide = deck.slide(title + (CONTINUED if index else ""))
        bottom = top
        for column, frame in enumerate(page):
            col_w = sum(frame.widths)
            gap = (CONTENT_W - columns * col_w) / (columns - 1) if columns > 1 else 0.0
            bottom = max(bottom, _draw_frame(deck, slide, MARGIN + column * (col_w + gap), top, frame, drawn))
        if note is not None:
            # Above BOTTOM, so that it never runs under the page number.
            deck.textbox(slide, MARGIN, bottom + 0.05, CONTENT_W - PAGE_NUMBER_W, note_h - 0.05, [note])
            bottom += note_h
        if foot is not None:
            foot(slide, bottom, page, index == len(pages) - 1)
    return size


def _draw_frame(
    deck: Composer,
    slide: Slide,
    left: float,
    top: float,
    frame: TableFlow,
    drawn: Callable[[TableRef, TableFlow], None] | None,
) -> float:
    """One frame's tables (one per group) from ``top``; returns their bottom."""
    caption, caption_h = frame.caption
    for index, (key, header, rows, heights) in enumerate(frame.groups()):
        if caption is not None:
            top += GROUP_GAP if index else 0.0
            deck.textbox(slide, left, top, sum(frame.widths), caption_h, caption(key))
            top += caption_h
        table = deck.table(slide, left, top, frame.widths, [header, *rows], heights)
        if drawn is not None:
            drawn(table, frame)
        top += sum(heights)
    return top


# --- narrative -----------------------------------------------------------------------------

# Narrative text (history, cases, reference material) takes the largest size of BODY_SCALE at
# which its flow fits its slide (``fit_flow``); headings a step above their text
# (``heading_size``), tables inside at the text's size (``table_size``).
BODY_SCALE = (24.0, 20.0, 18.0, 16.0, 14.0, 13.0, 12.0)


def heading_size(size: float) -> float:
    """A heading over text of ``size``: the next step of BODY_SCALE at least 2 pt larger."""
    return min((step for step in BODY_SCALE if step >= size + 2), default=size + 4)


def table_size(size: float) -> float:
    """A table's size in a flow of text of ``size``: as large (up to TABLE_SCALE's largest), but
    at the body minimum the table's own minimum, so that a long table still fits its slide."""
    return min(size, TABLE_SCALE[0]) if size > BODY_MIN else TABLE_MIN


@dataclass
class Item:
    """One piece of narrative: paragraphs (with their look), a table (at ``size``, with ``title``
    as its caption) or a picture.  A ``heading`` never ends a column alone."""

    paras: list[Para] | None = None
    table: Table | None = None
    title: str = ""
    heading: bool = False
    figure: Figure | None = None
    size: float = TABLE_MIN


def blocks(source: Iterable[Block], size: float = 12) -> list[Item]:
    """Markdown blocks as narrative items: paragraphs, bullets, tables and figures."""
    items: list[Item] = []
    for block in source:
        if isinstance(block, Paragraph):
            items.append(Item([p(block.text, size, space_before=size / 4)]))
        elif isinstance(block, BulletList):
            for bullet in block.items:
                items.extend(_bullets(bullet, 1, size))
        elif isinstance(block, Table):
            items.append(Item(table=block, size=table_size(size)))
        elif isinstance(block, Figure):
            items.append(Item(figure=block))
    return items


def _bullets(bullet: Any, depth: int, size: float) -> list[Item]:
    # Nested bullets keep their parent's size: the indent shows the level, and a smaller step
    # would fall below the body minimum at the smallest size.
    items = [Item([p(bullet.text, size, bullet=depth, space_before=size / 4)])]
    for child in bullet.children:
        items.extend(_bullets(child, depth + 1, size))
    return items


def sections(source: Iterable[Section], size: float = 12, level_offset: int = 0) -> list[Item]:
    """Markdown sections as narrative items: a heading each (● and the main colour for the two
    upper levels; the first level two steps above the text, the others one), then its blocks
    and subsections."""
    items: list[Item] = []
    for section in source:
        heading = section.title
        level = section.level - level_offset
        table_blocks = [block for block in section.blocks if isinstance(block, Table)]
        if len(table_blocks) == len(section.blocks) == 1 and not section.children:
            # A heading that only titles its table travels with it.
            items.append(Item(table=table_blocks[0], title=heading, size=table_size(size)))
            continue
        look = heading_size(heading_size(size)) if level <= 1 else heading_size(size)
        colour = MAIN if level <= 2 else TEXT
        paras = [p(("● " if level <= 2 else "") + heading, look, True, colour, space_before=look / 2)]
        items.append(Item(paras, heading=True))
        items.extend(blocks(section.blocks, size))
        items.extend(sections(section.children, size, level_offset))
    return items


def _picture_size(figure: Figure, max_width: float, max_height: float) -> tuple[float, float]:
    """The picture's size in inches, scaled to fit, keeping its proportions."""
    pixels_w, pixels_h = picture_pixels(figure.path)
    aspect = pixels_h / pixels_w if pixels_w else 1.0
    width = max_width
    height = width * aspect
    if height > max_height:
        height = max_height
        width = height / aspect
    return width, height


def _table_rows(table: Table, size: float) -> tuple[list[list[Para]], list[list[list[Para]]]]:
    header = [cell(h, size, True, align=Align.CENTER) for h in table.header]
    rows = [[cell(c, size) for c in row] for row in table.rows]
    return header, rows


def _table_widths(table: Table, width: float, size: float = 10) -> list[float]:
    """Share ``width`` by what each column needs on one line; short columns keep their need."""
    needs = []
    for index, heading in enumerate(table.header):
        texts = [heading, *(row[index] for row in table.rows if index < len(row))]
        needs.append(max(0.45, max(text_width(text, size) for text in texts) + 0.14))
    if sum(needs) <= width:
        spare = width - sum(needs)
        return [need + spare * need / sum(needs) for need in needs]
    # Columns that need little keep it; the long ones share the rest (and wrap).
    short = [need for need in needs if need <= width / len(needs)]
    rest = width - sum(short)
    long_total = sum(need for need in needs if need > width / len(needs))
    return [need if need <= width / len(needs) else rest * need / long_total for need in needs]


# --- narrative as a flowable: one story cut into columns and slides --------------------------

TABLE_GAP = 0.12  # below a table or a picture in a flow
COLUMN_GAP = 0.35


@dataclass(frozen=True)
class _Text:
    """Consecutive paragraphs, drawn as one text box; ``keep`` marks headings.  Each paragraph
    is measured once (``heights``): a long story is cut many times while it is balanced."""

    paras: tuple[Para, ...]
    keep: tuple[bool, ...]
    heights: tuple[float, ...]
    height: float


@dataclass(frozen=True)
class _Tab:
    """A table with its caption (``（続き）`` added on the parts after the first)."""

    title: str
    title_size: float
    table: TableFlow
    first: bool

    @property
    def caption(self) -> list[Para]:
        if not self.title:
            return []
        text = self.title + ("" if self.first else CONTINUED)
        return [p(text, self.title_size, True, MAIN, space_before=self.title_size / 2)]


@dataclass(frozen=True)
class _Pic:
    figure: Figure
    width: float
    height: float
    caption: tuple[Para, ...]


_Piece = _Text | _Tab | _Pic


class Story:
    """Narrative items in a column ``width`` inches wide, as a flowable (``wrap``/``split``):
    text splits between lines (never leaving one line of a paragraph alone), a table between
    rows with its header and caption repeated, a picture not at all; a heading never ends a
    frame."""

    def __init__(self, pieces: Sequence[_Piece], width: float) -> None:
        self.pieces = list(pieces)
        self.width = width
        self._heights = [self._height(piece) for piece in self.pieces]

    @classmethod
    def of(cls, items: Iterable[Item], width: float) -> Story:
        pieces: list[_Piece] = []
        paras: list[Para] = []
        keep: list[bool] = []

        def text() -> None:
            if paras:
                pieces.append(_text(paras, keep, [para_height(para, width) for para in paras]))
                paras.clear()
                keep.clear()

        for item in items:
            if item.paras is not None:
                paras.extend(item.paras)
                keep.extend([item.heading] * len(item.paras))
                continue
            text()
            if item.table is not None:
                pieces.append(_table_piece(item, width))
            elif item.figure is not None:
                pieces.append(_picture_piece(item.figure, width))
        text()
        return cls(pieces, width)

    def _height(self, piece: _Piece) -> float:
        if isinstance(piece, _Text):
            return piece.height
        if isinstance(piece, _Tab):
            return _tab_caption_height(piece, self.width) + piece.table.wrap(0) + TABLE_GAP
        return 0.05 + piece.height + _caption_height(piece, self.width) + TABLE_GAP

    def wrap(self, avail_h: float) -> float:
        return sum(self._heights)

    def split(self, avail_h: float) -> list[Story]:
        head: list[_Piece] = []
        used = 0.0
        rest: list[_Piece] = []
        for index, (piece, height) in enumerate(zip(self.pieces, self._heights, strict=True)):
            if used + height <= avail_h:
                head.append(piece)
                used += height
                continue
            parts = self._split_piece(piece, avail_h - used, avail_h)
            if parts is not None:
                head.append(parts[0])
                rest = [parts[1], *self.pieces[index + 1 :]]
            else:
                rest = self.pieces[index:]
            break
        head, rest = _keep_headings(head, rest)
        if not head:
            return []
        return [Story(head, self.width), Story(rest, self.width)]

    def _split_piece(self, piece: _Piece, room: float, frame: float) -> tuple[_Piece, _Piece] | None:
        if isinstance(piece, _Text):
            return _split_text(piece, room, self.width)
        if isinstance(piece, _Tab):
            caption_h = _tab_caption_height(piece, self.width)
            whole = caption_h + piece.table.wrap(0)
            if whole <= frame and room < frame / 2:
                return None  # a table that fits a frame is kept whole rather than cut short
            parts = piece.table.split(room - caption_h - TABLE_GAP)
            if not parts:
                return None
            first, rest = parts
            assert isinstance(first, TableFlow) and isinstance(rest, TableFlow)
            return (
                _Tab(piece.title, piece.title_size, first, piece.first),
                _Tab(piece.title, piece.title_size, rest, False),
            )
        return None

    def force(self) -> list[Story]:
        """What ``split`` gives, or the first piece alone when not even that fits a frame (it
        overflows, and the Composer reports it)."""
        return [Story(self.pieces[:1], self.width), Story(self.pieces[1:], self.width)]


def _text(paras: Sequence[Para], keep: Sequence[bool], heights: Sequence[float]) -> _Text:
    return _Text(tuple(paras), tuple(keep), tuple(heights), sum(heights) + BOX_PAD)


def _lines(para: Para, width: float) -> int:
    return round((para_height(para, width) - para.space_before / 72) / (para.size * LINE_SPACING / 72))


def _split_text(piece: _Text, room: float, width: float) -> tuple[_Text, _Text] | None:
    """``piece`` cut where ``room`` is full: between paragraphs, or between the lines of one
    when at least two lines stay on either side."""
    left = room - BOX_PAD
    index = 0
    while index < len(piece.paras) and piece.heights[index] <= left:
        left -= piece.heights[index]
        index += 1
    if index == len(piece.paras):
        return None
    para = piece.paras[index]
    first, rest = split_paras([para], width, left)
    if first and rest and _lines(first[0], width) >= 2 and _lines(rest[0], width) >= 2:
        head = [*piece.paras[:index], first[0]]
        head_h = [*piece.heights[:index], para_height(first[0], width)]
        tail = [rest[0], *piece.paras[index + 1 :]]
        tail_h = [para_height(rest[0], width), *piece.heights[index + 1 :]]
        head_keep = piece.keep[: index + 1]
    else:
        head, head_h = list(piece.paras[:index]), list(piece.heights[:index])
        tail, tail_h = list(piece.paras[index:]), list(piece.heights[index:])
        head_keep = piece.keep[:index]
    if not head:
        return None
    return _text(head, head_keep, head_h), _text(tail, piece.keep[index:], tail_h)


def _keep_headings(head: list[_Piece], rest: list[_Piece]) -> tuple[list[_Piece], list[_Piece]]:
    """Headings at the bottom of ``head`` move to the top of ``rest``, with what they head."""
    last = head[-1] if head else None
    if not isinstance(last, _Text) or not rest:
        return head, rest
    moved = 0
    while moved < len(last.keep) and last.keep[-1 - moved]:
        moved += 1
    if moved == 0 or (moved == len(last.keep) and len(head) == 1):
        return head, rest  # nothing but headings in the frame: they stay, or nothing would fit
    kept = head[:-1]
    if moved < len(last.keep):
        kept.append(_text(last.paras[:-moved], last.keep[:-moved], last.heights[:-moved]))
    paras, keep, heights = last.paras[-moved:], last.keep[-moved:], last.heights[-moved:]
    if isinstance(rest[0], _Text):
        paras, keep, heights = paras + rest[0].paras, keep + rest[0].keep, heights + rest[0].heights
        rest = rest[1:]
    return kept, [_text(paras, keep, heights), *rest]


def _table_piece(item: Item, width: float) -> _Tab:
    assert item.table is not None
    size = item.size
    header, rows = _table_rows(item.table, size)
    widths = _table_widths(item.table, width, size)
    table = TableFlow(widths, header, [Row(row) for row in rows]).fitted(BOTTOM - TOP - 0.5)
    return _Tab(item.title, heading_size(max(size, BODY_MIN)), table, True)


def _picture_piece(figure: Figure, width: float) -> _Pic:
    picture_w, picture_h = _picture_size(figure, width, min(3.2, BOTTOM - TOP - 0.4))
    caption = (p(figure.caption, NOTE_MIN, colour=MUTED, align=Align.CENTER),) if figure.caption else ()
    return _Pic(figure, picture_w, picture_h, caption)


def _tab_caption_height(piece: _Tab, width: float) -> float:
    return paras_height(piece.caption, width) if piece.title else 0.0


def _caption_height(piece: _Pic, width: float) -> float:
    return paras_height(piece.caption, width) if piece.caption else 0.0


def draw_story(deck: Composer, slide: Slide, story: Story, left: float, top: float) -> float:
    """Draw a frame of a story from ``top``; returns its bottom."""
    width = story.width
    for piece in story.pieces:
        if isinstance(piece, _Text):
            deck.textbox(slide, left, top, width, piece.height, list(piece.paras))
            top += piece.height
        elif isinstance(piece, _Tab):
            if piece.title:
                caption_h = _tab_caption_height(piece, width)
                deck.textbox(slide, left, top, width, caption_h, piece.caption)
                top += caption_h
            top = _draw_frame(deck, slide, left, top, piece.table, None) + TABLE_GAP
        else:
            x = left + (width - piece.width) / 2
            deck.writer.picture(slide, piece.figure.path, x, top + 0.05, piece.width, piece.height)
            top += 0.05 + piece.height
            if piece.caption:
                caption_h = _caption_height(piece, width)
                deck.textbox(slide, left, top, width, caption_h, list(piece.caption))
                top += caption_h
            top += TABLE_GAP
    return top


def _column_width(columns: int, width: float = CONTENT_W) -> float:
    return (width - COLUMN_GAP * (columns - 1)) / columns


def _one_column(items: Sequence[Item], columns: Sequence[int]) -> Sequence[int]:
    # A table of more than five columns needs the slide's width.
    wide = any(item.table is not None and len(item.table.header) > 5 for item in items)
    return (1,) if wide else columns


def fit_story(
    make: Callable[[float], Sequence[Item]], width: float, height: float, scale: Sequence[float] = BODY_SCALE
) -> tuple[float, Story] | None:
    """The largest size of ``scale`` at which the items (``make(size)``) fit one frame
    ``width`` × ``height``, and their story; ``None`` when not even the smallest fits."""
    for size in scale:
        story = Story.of(make(size), width)
        if story.wrap(height) <= height:
            return size, story
    return None


def fit_flow(
    deck: Composer,
    title: str,
    make: Callable[[float], Sequence[Item]],
    *,
    columns: Sequence[int] = (1, 2),
    scale: Sequence[float] = BODY_SCALE,
    top: float = TOP,
) -> float:
    """Narrative on one slide at the largest size of ``scale`` at which it fits there (in one
    column or two, in the order of ``columns``); when not even the smallest size fits, at that
    size on as few slides as it needs, continued with （続き） and cut evenly.  Returns the size."""
    room = BOTTOM - top
    for size in scale:
        items = make(size)
        for count in _one_column(items, columns):
            story = Story.of(items, _column_width(count))
            frames = pack(story, room)
            if frames is not None and len(frames) <= count:
                _place(deck, title, story, count, room, top)
                return size
    items = make(scale[-1])
    count = _one_column(items, columns)[-1]
    _place(deck, title, Story.of(items, _column_width(count)), count, room, top)
    return scale[-1]


def flow(deck: Composer, title: str, items: list[Item], columns: int = 2) -> None:
    """Narrative items at their own sizes in ``columns`` columns, on as many slides as they need,
    continued with （続き） and cut evenly (``fit_flow`` also picks the size)."""
    count = _one_column(items, (columns,))[0]
    _place(deck, title, Story.of(items, _column_width(count)), count, BOTTOM - TOP, TOP)


def _place(deck: Composer, title: str, story: Story, columns: int, room: float, top: float) -> None:
    """``story`` in frames of ``room``, ``columns`` a slide, balanced over the slides it needs."""
    frames = pack(story, room)
    if frames is None:
        frames = _forced(story, room)
    else:
        # Even columns and slides: no column left empty beside a full one, no 15 rows against 5.
        frames = balance(story, room, -(-len(frames) // columns) * columns)
    for index in range(0, len(frames), columns):
        slide = deck.slide(title + (CONTINUED if index else ""))
        for column, frame in enumerate(frames[index : index + columns]):
            assert isinstance(frame, Story)
            draw_story(deck, slide, frame, MARGIN + column * (story.width + COLUMN_GAP), top)


def _forced(story: Story, room: float) -> list[Flowable]:
    """Frames for a story with a piece taller than a frame: that piece alone, overflowing."""
    frames: list[Flowable] = []
    rest = story
    while rest.wrap(room) > room:
        parts = rest.split(room) or rest.force()
        frames.append(parts[0])
        rest = parts[1]
    frames.append(rest)
    return frames
