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
"""

from __future__ import annotations

import re
from collections import deque
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
    split_row,
)
from aomori_dx.render.deck.style import (
    BODY_MIN,
    BOTTOM,
    CONTENT_W,
    CONTINUED,
    MAIN,
    MARGIN,
    MUTED,
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
    figure_columns,
    p,
)
from aomori_dx.render.deck.style import caption as table_caption
from aomori_dx.render.deck.writer import Deck, Shape, Slide, TableRef, picture_pixels
from aomori_dx.render.layout import text_width, word_width
from aomori_dx.render.phrases import PHRASE, break_levels

__all__ = [
    "Composer",
    "Flowable",
    "Item",
    "Row",
    "TableFlow",
    "auto_widths",
    "balance",
    "blocks",
    "cell_floor",
    "fit_table",
    "flow",
    "pack",
    "sections",
    "table_slides",
    "word_table",
    "word_widths",
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


# --- column widths that keep words whole ------------------------------------------------------

CELL_MARGINS = 0.2  # a cell's left and right margins (``measure.cell_height`` wraps inside them)
WORD_SLACK = 0.05  # a word as wide as its column less the margins must not wrap in a viewer


def cell_floor(paras: Sequence[Para], phrases: bool = False) -> float:
    """The narrowest column in which no word of a cell breaks: its widest word (a katakana run,
    a number with its unit: ``layout.word_width``), or with ``phrases`` its widest phrase (so
    that 「青森県デジタル人材育成方針」 does not break between デジタル and 人材 either), and the
    margins.  A right-aligned paragraph is a figure (a value, a rate with its mark, a period
    such as （R5年度）) and is kept whole."""
    widest = max((_unbroken(para, phrases) for para in paras), default=0.0)
    return widest + CELL_MARGINS + WORD_SLACK


# Kana and kanji: a paragraph without them or spaces is one token (a formula such as
# (B/A)×100=C, a code), kept whole like a figure.
_JAPANESE_OR_SPACE = re.compile(r"[\s\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _unbroken(para: Para, phrases: bool) -> float:
    if para.align is Align.RIGHT or not _JAPANESE_OR_SPACE.search(para.text):
        return text_width(para.text, para.size)
    if not phrases:
        return word_width(para.text, para.size)
    levels = break_levels(para.text)
    cuts = [index for index, level in enumerate(levels) if level >= PHRASE]
    return max(
        text_width(para.text[start:end].strip(), para.size)
        for start, end in zip([0, *cuts], [*cuts, len(para.text)], strict=True)
    )


def word_widths(
    rows: Sequence[Sequence[Sequence[Para]]],
    preferred: Sequence[float],
    total: float | None = None,
    phrases: bool = False,
) -> tuple[list[float], bool]:
    """Column widths adding up to ``total`` (``sum(preferred)`` when not given), each as near
    its ``preferred`` width as keeps every word (with ``phrases``: phrase) of its cells
    (``rows``, the header included) whole: a column narrower than that is widened, and the room
    it takes comes from the columns with room to spare beyond their own, in proportion to that
    room (a long text that wraps anyway gives the most).  Also whether every word fits; when
    not (a word wider than the table allows), the preferred widths, as before."""
    total = sum(preferred) if total is None else total
    floors = [max((cell_floor(row[i], phrases) for row in rows), default=0.0) for i in range(len(preferred))]
    shared = _shared(floors, preferred, total)
    if shared is not None:
        return shared, True
    return [want * total / sum(preferred) for want in preferred], False


def auto_widths(rows: Sequence[Sequence[Sequence[Para]]], total: float) -> tuple[list[float], bool]:
    """Column widths by the automatic table layout of CSS 2.1 (17.5.2.2): each column gets its
    widest word, and what is left of ``total`` goes to the columns in proportion to how much
    more they need to hold their longest text on one line.  Whether every word fits."""
    columns = range(len(rows[0])) if rows else range(0)
    floors = [max(cell_floor(row[i]) for row in rows) for i in columns]
    needs = [
        max(floor, max(text_width(para.text, para.size) for row in rows for para in row[i]) + CELL_MARGINS)
        for i, floor in zip(columns, floors, strict=True)
    ]
    left = total - sum(floors)
    extra = sum(needs) - sum(floors)
    if left < 0 or extra <= 0:
        return [floor * total / sum(floors) for floor in floors] if sum(floors) else [], left >= 0
    share = min(1.0, left / extra)
    widths = [floor + (need - floor) * share for floor, need in zip(floors, needs, strict=True)]
    return [width * total / sum(widths) for width in widths], True


def word_table(
    header: list[list[Para]],
    rows: Sequence[Row],
    preferred: Sequence[float],
    min_row: float = 0.3,
    refit: Callable[[list[list[Para]], Sequence[float]], list[list[Para]]] | None = None,
) -> TableFlow:
    """A table whose columns keep their words whole, in three layouts that ``fit_table`` tries
    in turn at each size (``TableFlow.fallback``): ``word_widths`` keeping phrases whole, then
    words; then ``auto_widths``, which shares the width by what each column needs rather than by
    ``preferred`` (a long source column gets the room a short name does not need).  ``refit``
    adjusts a row's cells to the widths chosen (a figure made smaller when its column could not
    be made wide enough)."""
    cells = [header, *(row.cells for row in rows)]
    layouts = [
        auto_widths(cells, sum(preferred)),
        word_widths(cells, preferred),
        word_widths(cells, preferred, phrases=True),
    ]
    table: TableFlow | None = None
    for widths, whole in layouts:
        fitted = [
            Row(refit(row.cells, widths), row.key, row.opening) if refit is not None else row for row in rows
        ]
        table = TableFlow(widths, header, fitted, min_row, whole=whole, fallback=table)
    assert table is not None
    return table


def _shared(floors: Sequence[float], preferred: Sequence[float], total: float) -> list[float] | None:
    """``total`` shared as ``word_widths`` says, no column below its floor; ``None`` when the
    floors alone are wider."""
    widths = [max(want, floor) for want, floor in zip(preferred, floors, strict=True)]
    over = sum(widths) - total
    if over <= 0:
        return [width * total / sum(widths) for width in widths]
    spare = [width - floor for width, floor in zip(widths, floors, strict=True)]
    if over > sum(spare):
        return None
    return [width - over * room / sum(spare) for width, room in zip(widths, spare, strict=True)]


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
        whole: bool = True,
        fallback: TableFlow | None = None,
    ) -> None:
        self.whole = whole  # every word fits its column (``word_widths``)
        self.fallback = fallback  # the same table laid out otherwise, should this not fit
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
        return TableFlow(m.widths, m.header, rows, m.min_row, m.caption, self.whole, self.fallback)

    def _part(self, start: int, stop: int) -> TableFlow:
        part = object.__new__(TableFlow)
        part._m, part.start, part.stop = self._m, start, stop
        part.whole, part.fallback = self.whole, None
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
    """The largest size of ``scale`` at which the table (``make(size)``, or one of its
    ``fallback`` layouts, first that fits) fits in as few slides as it needs at the smallest
    size (``per_page`` frames a slide), and its frames, balanced.  A layout in which some word
    is wider than its column (``TableFlow.whole`` false: ``word_widths`` could not make room)
    is passed over for a smaller size, except at the smallest."""
    smallest = sorted(_layouts(make(scale[-1])), key=lambda table: not table.whole)
    counts = [len(frames) for table in smallest if (frames := pack(table.fitted(avail_h), avail_h))]
    if counts:
        capacity = per_page * -(-min(counts) // per_page)

        def fitting(layouts: Sequence[TableFlow], last: bool) -> tuple[TableFlow, list[Flowable]] | None:
            for layout in layouts:
                table = layout.fitted(avail_h)
                packed = pack(table, avail_h)
                if packed is not None and len(packed) <= capacity and (layout.whole or last):
                    return table, packed
            return None

        found = fitting(smallest, True)
        assert found is not None
        chosen, low, high = (scale[-1], *found), 0, len(scale) - 1
        # Larger type never takes less room, so the largest size that fits is found by bisection
        # over the scale (3 measurements of a long table instead of 6).
        while low < high:
            middle = (low + high) // 2
            found = fitting(_layouts(make(scale[middle])), False)
            if found is not None:
                chosen, high = (scale[middle], *found), middle
            else:
                low = middle + 1
        size, table, packed = chosen
        return size, [part for part in balance(table, avail_h, len(packed)) if isinstance(part, TableFlow)]
    # Not even a row fits at the smallest size: one row a frame, reported as overflowing.
    last = smallest[-1].fitted(avail_h)
    return scale[-1], [last._part(i, i + 1) for i in range(last.stop)]


def _layouts(table: TableFlow) -> list[TableFlow]:
    """``table`` and its fallback layouts, in the order to try them."""
    layouts = [table]
    while layouts[-1].fallback is not None:
        layouts.append(layouts[-1].fallback)
    return layouts


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


@dataclass
class Item:
    """One piece of narrative: a paragraph (with its look) or a table."""

    paras: list[Para] | None = None
    table: Table | None = None
    title: str = ""
    heading: bool = False
    figure: Figure | None = None


def blocks(source: Iterable[Block], size: float = 12) -> list[Item]:
    """Markdown blocks as narrative items: paragraphs, bullets, tables and figures."""
    items: list[Item] = []
    for block in source:
        if isinstance(block, Paragraph):
            items.append(Item([p(block.text, size, space_before=3)]))
        elif isinstance(block, BulletList):
            for bullet in block.items:
                items.extend(_bullets(bullet, 1, size))
        elif isinstance(block, Table):
            items.append(Item(table=block))
        elif isinstance(block, Figure):
            items.append(Item(figure=block))
    return items


def _bullets(bullet: Any, depth: int, size: float) -> list[Item]:
    items = [Item([p(bullet.text, size if depth == 1 else size - 1, bullet=depth, space_before=3)])]
    for child in bullet.children:
        items.extend(_bullets(child, depth + 1, size))
    return items


def sections(source: Iterable[Section], size: float = 12, level_offset: int = 0) -> list[Item]:
    """Markdown sections as narrative items: a heading each, then its blocks and subsections."""
    items: list[Item] = []
    for section in source:
        heading = section.title
        level = section.level - level_offset
        look = {1: (16, MAIN), 2: (14, MAIN), 3: (13, TEXT)}.get(level, (12, TEXT))
        if section.blocks and isinstance(section.blocks[0], Table):
            # A heading over a table titles it (the same look as every table title) and
            # travels with it; what follows the table comes after.
            items.append(Item(table=section.blocks[0], title=heading))
            items.extend(blocks(section.blocks[1:], size))
            items.extend(sections(section.children, size, level_offset))
            continue
        items.append(
            Item(
                [p(("● " if level <= 2 else "") + heading, look[0], True, look[1], space_before=8)],
                heading=True,
            )
        )
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
    aligns = [Align.RIGHT if figures else Align.LEFT for figures in figure_columns(table.rows)]
    rows = [[cell(c, size, align=align) for c, align in zip(row, aligns, strict=False)] for row in table.rows]
    return header, rows


def _table_widths(table: Table, width: float, size: float) -> list[float]:
    """Share ``width`` by what each column needs on one line (short columns keep their need, the
    long ones share the rest and wrap), then widen a column narrower than its widest word
    (``word_widths``)."""
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
    shared = [need if need <= width / len(needs) else rest * need / long_total for need in needs]
    header, rows = _table_rows(table, size)
    return word_widths([header, *rows], shared, width)[0]


def flow(deck: Composer, title: str, items: list[Item], columns: int = 2, first_top: float = TOP) -> None:
    """Place narrative items in columns, continuing on new slides; tables split with headers.

    A table of more than five columns needs the slide's width, so such a flow uses one column."""
    if any(item.table is not None and len(item.table.header) > 5 for item in items):
        columns = 1
    gap = 0.35
    col_w = (CONTENT_W - gap * (columns - 1)) / columns
    slide: Slide = None
    column = columns  # forces a new slide on the first item
    y = 0.0
    buffer: list[Para] = []
    buffer_top = 0.0
    page = 0
    queue = deque(items)

    def flush() -> None:
        nonlocal buffer
        if buffer:
            height = paras_height(buffer, col_w)
            deck.textbox(slide, MARGIN + column * (col_w + gap), buffer_top, col_w, height, buffer)
            buffer = []

    def next_column() -> None:
        nonlocal slide, column, y, buffer_top, page
        flush()
        column += 1
        if column >= columns:
            slide = deck.slide(title + ("（続き）" if page else ""))
            page += 1
            column = 0
        y = first_top if page == 1 else TOP
        buffer_top = y

    while queue:
        item = queue.popleft()
        if item.figure is not None:
            width, height = _picture_size(item.figure, col_w, min(3.2, BOTTOM - TOP - 0.4))
            caption = (
                [p(item.figure.caption, 10, colour=MUTED, align=Align.CENTER)] if item.figure.caption else []
            )
            caption_h = paras_height(caption, col_w) if caption else 0.0
            if slide is None or y + height + caption_h + 0.1 > BOTTOM:
                next_column()
            flush()
            left = MARGIN + column * (col_w + gap) + (col_w - width) / 2
            deck.writer.picture(slide, item.figure.path, left, y + 0.05, width, height)
            y += height + 0.05
            if caption:
                deck.textbox(slide, MARGIN + column * (col_w + gap), y, col_w, caption_h, caption)
                y += caption_h
            y += 0.1
            buffer_top = y
            continue
        if item.paras is not None:
            paras = item.paras
            height = sum(para_height(para, col_w) for para in paras)
            # A heading needs room for a little of what follows, or it would end a column alone.
            needed = height + (0.6 if item.heading else 0.0)
            too_low = slide is None or y + needed + (0 if buffer else BOX_PAD) > BOTTOM
            # Text longer than a whole column starts in what is left of this one.
            starts_here = (
                slide is not None and height > BOTTOM - TOP - BOX_PAD and BOTTOM - y - BOX_PAD >= 0.6
            )
            if too_low and not starts_here:
                next_column()
            if height > BOTTOM - y - (0 if buffer else BOX_PAD):
                head, tail = split_paras(paras, col_w, BOTTOM - y - (0 if buffer else BOX_PAD))
                if not head:
                    next_column()
                    head, tail = split_paras(paras, col_w, BOTTOM - y - BOX_PAD)
                if head and tail:
                    queue.appendleft(Item(tail))
                    paras = head
                    height = sum(para_height(para, col_w) for para in head)
            if not buffer:
                y += BOX_PAD
            buffer.extend(paras)
            y += height
            continue
        assert item.table is not None
        size = TABLE_MIN
        header, rows = _table_rows(item.table, size)
        widths = _table_widths(item.table, col_w, size)
        caption = table_caption(item.title) if item.title else []
        caption_h = paras_height(caption, col_w) if caption else 0.0
        header_h = row_height(header, widths, 0.28)
        remaining = list(rows)
        whole = caption_h + header_h + sum(row_height(row, widths, 0.26) for row in rows)
        if slide is not None and whole <= BOTTOM - TOP and y + whole > BOTTOM:
            next_column()  # keep a table that fits a column together
        while remaining:
            first_row_h = row_height(remaining[0], widths, 0.26)
            if slide is None or y + caption_h + header_h + first_row_h > BOTTOM:
                next_column()
            flush()
            if caption:
                deck.textbox(slide, MARGIN + column * (col_w + gap), y, col_w, caption_h, caption)
                y += caption_h
            chunk: list[list[list[Para]]] = []
            heights = [header_h]
            while remaining and y + sum(heights) + row_height(remaining[0], widths, 0.26) <= BOTTOM:
                row = remaining.pop(0)
                chunk.append(row)
                heights.append(row_height(row, widths, 0.26))
            if not chunk:  # a row taller than a column: what fits here, the rest in the next
                split = split_row(remaining[0], widths, BOTTOM - y - header_h)
                row = remaining.pop(0) if split is None else split[0]
                if split is not None:
                    remaining[0] = split[1]
                chunk.append(row)
                heights.append(row_height(row, widths, 0.26))
            deck.table(slide, MARGIN + column * (col_w + gap), y, widths, [header, *chunk], heights)
            y += sum(heights) + 0.12
            buffer_top = y
            caption = table_caption(item.title + CONTINUED) if item.title and remaining else []
            caption_h = paras_height(caption, col_w) if caption else 0.0
    flush()
