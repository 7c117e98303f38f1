"""The layout engine: text made to fit its box, tables and narrative paginated over columns and
slides with （続き）, and the warnings about text that had to be cut.

``Composer`` wraps the writer: every text box and title is first fitted (smaller, down to a
scale, then cut with … and reported, naming the slide), every table checked against the slide's
bottom.  ``flow`` places narrative ``Item`` values (paragraphs, tables, pictures) in columns,
``paged_table`` and ``two_column_tables`` continue long tables with their header repeated.
Measurements come from ``measure`` (the calibrated metrics of ``render.layout``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

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
    BOTTOM,
    CONTENT_W,
    CONTINUED,
    MAIN,
    MARGIN,
    MUTED,
    SLIDE_H,
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
from aomori_dx.render.layout import paginate, text_width

__all__ = [
    "Composer",
    "Item",
    "blocks",
    "flow",
    "paged_table",
    "sections",
    "two_column_tables",
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
            smaller = scaled(paras, 1 - 0.05 * step)
            if needed(smaller) <= height:
                return smaller
        shortened = cut(scaled(paras, min_scale), inner, height - 2 * inset_y - 0.02, keep_end)
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


# --- long tables ---------------------------------------------------------------------------


def paged_table(
    deck: Composer,
    title: str,
    widths: Sequence[float],
    header: list[list[Para]],
    rows: Sequence[list[list[Para]]],
    note: str = "",
    left: float = MARGIN,
    top: float = TOP,
    reserve: float = 0.0,
    after: Callable[[Slide, float], None] | None = None,
    min_row: float = 0.3,
) -> None:
    """A table that continues on further slides with its header repeated and （続き）."""
    header_h = row_height(header, widths, 0.3)
    note_h = 0.35 if note else 0.0
    available = BOTTOM - top - header_h - note_h - reserve
    rows = fitting_rows(rows, widths, BOTTOM - top - header_h - note_h, min_row)
    heights = {id(row): row_height(row, widths, min_row) for row in rows}
    pages = paginate(list(rows), lambda row: heights[id(row)], available)
    for index, page in enumerate(pages):
        slide = deck.slide(title + ("（続き）" if page.continued else ""))
        row_heights = [header_h, *(heights[id(row)] for row in page.items)]
        deck.table(slide, left, top, widths, [header, *page.items], row_heights)
        bottom = top + sum(row_heights)
        if note:
            deck.textbox(
                slide,
                left,
                bottom + 0.05,
                sum(widths),
                0.3,
                [p(note, 11, colour=MUTED, align=Align.RIGHT)],
            )
            bottom += note_h
        if after is not None and index == len(pages) - 1:
            after(slide, bottom)


def two_column_tables(
    deck: Composer,
    title: str,
    widths: Sequence[float],
    headings: Sequence[str],
    items: Sequence[tuple[str, list[list[Para]]]],
    size: float = 10,
) -> None:
    """Rows grouped under 【group】 captions, in two table columns per slide."""
    column_w = sum(widths)
    gap = CONTENT_W - 2 * column_w
    header = [cell(h, size, True, align=Align.CENTER) for h in headings]
    header_h = row_height(header, widths, 0.28)
    caption_h = 0.32
    available = BOTTOM - TOP
    room = available - caption_h - header_h
    items = [(group, piece) for group, cells in items for piece in fitting_rows([cells], widths, room, 0.26)]
    # Lay out rows column by column: a new group starts with its caption and a header.
    columns: list[list[tuple[str, list[list[Para]]]]] = [[]]
    used = 0.0
    current_group = None
    for group, cells in items:
        height = row_height(cells, widths, 0.26)
        extra = caption_h + header_h if group != current_group or not columns[-1] else 0.0
        if columns[-1] and used + extra + height > available:
            columns.append([])
            used = 0.0
            extra = caption_h + header_h
        columns[-1].append((group, cells))
        used += extra + height
        current_group = group
    pages = [columns[i : i + 2] for i in range(0, len(columns), 2)]
    for page_index, page in enumerate(pages):
        slide = deck.slide(title + ("（続き）" if page_index else ""))
        for column_index, column in enumerate(page):
            left = MARGIN + column_index * (column_w + gap)
            top = TOP
            groups = list(dict.fromkeys(group for group, _ in column))
            for group in groups:
                rows = [cells for g, cells in column if g == group]
                deck.textbox(slide, left, top, column_w, caption_h, [p(f"【{group}】", 12, True, MAIN)])
                top += caption_h
                heights = [header_h, *(row_height(r, widths, 0.26) for r in rows)]
                deck.table(slide, left, top, widths, [header, *rows], heights)
                top += sum(heights) + 0.05


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
        table_blocks = [block for block in section.blocks if isinstance(block, Table)]
        if len(table_blocks) == len(section.blocks) == 1 and not section.children:
            # A heading that only titles its table travels with it.
            items.append(Item(table=table_blocks[0], title=heading))
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
        size = 10
        header, rows = _table_rows(item.table, size)
        widths = _table_widths(item.table, col_w)
        caption = [p(item.title, 13, True, MAIN, space_before=6)] if item.title else []
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
            caption = [p(item.title + "（続き）", 13, True, MAIN)] if item.title and remaining else []
            caption_h = paras_height(caption, col_w) if caption else 0.0
    flush()
