"""Tables fitted to the slide, and the splitting protocol that every flowing thing follows.

One protocol for every slide kind (ReportLab's flowables):

- a ``Flowable`` answers ``wrap(avail_h)`` (the height it needs) and ``split(avail_h)``
  (``[what fits, the rest]``, or ``[]``); ``TableFlow`` is one for a table of ``Row`` values,
  measured at one size, its header repeated in every frame (and, with ``caption``, a caption and
  the header over every group of rows, e.g. 【事務局】); ``story.Story`` is one for narrative;
- ``pack(flowable, avail_h)`` cuts it into frames, ``balance(flowable, avail_h, n)`` into ``n``
  frames cut evenly (the fullest frame as low as it can be);
- ``fit_table(make, scale, avail_h, per_page)`` calls ``make(size)`` for each size of the type
  scale (``style.TABLE_SCALE``, 18 down to 11 pt) and keeps the largest at which the table
  fits in as many slides as it needs at the smallest size, balanced; ``word_table`` makes a
  table whose layouts (``widths``) keep words whole, for ``fit_table`` to try in turn;
- ``table_slides(deck, title, make, columns=…, note=…, reserve=…, foot=…, drawn=…)`` does the
  above and draws the slides: ``columns`` frames a slide, （続き） on continuations, a note under
  the table on every slide (above the page number's line), ``foot`` for what a slide kind adds
  under its table (footnotes, the KPI box), ``drawn`` to merge cells of each table drawn.

A slide kind adopts it by writing ``make(size) -> TableFlow`` (its header and rows built at
``size``) and calling ``table_slides``; see slides/people.py, indicators.py and roadmap.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from aomori_dx.render.deck.compose import Composer
from aomori_dx.render.deck.measure import fitting_rows, paras_height, row_height
from aomori_dx.render.deck.style import (
    BOTTOM,
    CONTENT_W,
    CONTINUED,
    MARGIN,
    PAGE_NUMBER_W,
    TABLE_SCALE,
    TOP,
    Para,
)
from aomori_dx.render.deck.widths import auto_widths, word_widths
from aomori_dx.render.deck.writer import Slide, TableRef

__all__ = [
    "Flowable",
    "Row",
    "TableFlow",
    "balance",
    "draw_frame",
    "fit_table",
    "pack",
    "table_slides",
    "word_table",
]


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


def pack(
    flowable: Flowable, avail_h: float, overflow: Callable[[Flowable], Sequence[Flowable]] | None = None
) -> list[Flowable] | None:
    """``flowable`` cut into frames ``avail_h`` high, filling each in turn; ``None`` when a piece
    fits no frame, unless ``overflow`` cuts it there anyway (``[what overflows, the rest]``)."""
    frames: list[Flowable] = []
    rest = flowable
    while rest.wrap(avail_h) > avail_h:
        parts = rest.split(avail_h) or (overflow(rest) if overflow is not None else [])
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
            bottom = max(bottom, draw_frame(deck, slide, MARGIN + column * (col_w + gap), top, frame, drawn))
        if note is not None:
            # Above BOTTOM, so that it never runs under the page number.
            deck.textbox(slide, MARGIN, bottom + 0.05, CONTENT_W - PAGE_NUMBER_W, note_h - 0.05, [note])
            bottom += note_h
        if foot is not None:
            foot(slide, bottom, page, index == len(pages) - 1)
    return size


def draw_frame(
    deck: Composer,
    slide: Slide,
    left: float,
    top: float,
    frame: TableFlow,
    drawn: Callable[[TableRef, TableFlow], None] | None,
) -> float:
    """One frame of a table (a table per group, each under its caption) from ``top``; returns
    its bottom."""
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
