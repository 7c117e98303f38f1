"""Narrative as a flowable: one story of ``items.Item`` values cut into columns and slides.

``Story`` follows the protocol of ``tables`` (``wrap``/``split``): it is cut between lines
(never one line of a paragraph alone), between table rows (header and caption repeated) and
never after a heading; a picture is not cut.  ``fit_flow(deck, title, make)`` calls
``make(size)`` for each size of ``items.BODY_SCALE`` (24 down to 12 pt) and keeps the largest at
which the story fits one slide, in one column or two; only when not even 12 pt fits does it
continue on （続き） slides, balanced.  ``flow`` places items at their own sizes,
``fit_story`` fits a story to one frame (the cases beside the KPI cards), ``draw_story`` draws
it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from aomori_dx.model import Figure, Table
from aomori_dx.render.deck.compose import Composer
from aomori_dx.render.deck.items import BODY_SCALE, Item, heading_size
from aomori_dx.render.deck.measure import BOX_PAD, para_height, paras_height, split_paras
from aomori_dx.render.deck.style import (
    BODY_MIN,
    BOTTOM,
    CONTENT_W,
    CONTINUED,
    MARGIN,
    MUTED,
    NOTE_MIN,
    TABLE_SCALE,
    TOP,
    Align,
    Para,
    p,
    table_cells,
)
from aomori_dx.render.deck.style import caption as table_caption
from aomori_dx.render.deck.tables import Flowable, Row, TableFlow, balance, draw_frame, pack
from aomori_dx.render.deck.widths import CELL_MARGINS, share, word_widths
from aomori_dx.render.deck.writer import Slide, picture_pixels
from aomori_dx.render.layout import LINE_SPACING, text_width

__all__ = ["Story", "draw_story", "fit_flow", "fit_story", "flow", "picture_size"]


def picture_size(figure: Figure, max_width: float, max_height: float) -> tuple[float, float]:
    """The picture's size in inches, scaled to fit, keeping its proportions."""
    pixels_w, pixels_h = picture_pixels(figure.path)
    aspect = pixels_h / pixels_w if pixels_w else 1.0
    width, height = max_width, max_width * aspect
    if height > max_height > 0:
        width, height = max_height / aspect, max_height
    return width, height


def _table_widths(table: Table, width: float, size: float) -> tuple[list[float], bool]:
    """Share ``width`` by what each column needs on one line (short columns keep their need, the
    long ones share the rest and wrap), then widen a column narrower than its widest word
    (``word_widths``)."""
    needs = []
    for index, heading in enumerate(table.header):
        texts = [heading, *(row[index] for row in table.rows if index < len(row))]
        needs.append(max(0.45, max(text_width(text, size) for text in texts) + CELL_MARGINS))
    shared = share(needs, width)
    if sum(needs) <= width:
        return shared, True
    header, rows = table_cells(table.header, table.rows, size)
    return word_widths([header, *rows], shared, width)


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
        return table_caption(text, self.title_size)


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
        """The first piece alone, and the rest: where ``split`` gives nothing, as not even the
        first piece fits a frame (it overflows, and the Composer reports it)."""
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
    # The table follows its text's size, one step down the table scale at a time while a word
    # would not fit its column (a ten-column plan table is wider than a column of 16 pt figures).
    for size in [item.size, *(step for step in TABLE_SCALE if step < item.size)]:
        header, rows = table_cells(item.table.header, item.table.rows, size)
        widths, whole = _table_widths(item.table, width, size)
        if whole:
            break
    table = TableFlow(widths, header, [Row(row) for row in rows]).fitted(BOTTOM - TOP - 0.5)
    return _Tab(item.title, heading_size(max(item.size, BODY_MIN)), table, True)


def _picture_piece(figure: Figure, width: float) -> _Pic:
    picture_w, picture_h = picture_size(figure, width, min(3.2, BOTTOM - TOP - 0.4))
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
            top = draw_frame(deck, slide, left, top, piece.table, None) + TABLE_GAP
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
        # A piece taller than a frame: that piece alone, overflowing (the Composer reports it).
        frames = pack(story, room, _overflow)
        assert frames is not None
    else:
        # Even columns and slides: no column left empty beside a full one, no 15 rows against 5.
        frames = balance(story, room, -(-len(frames) // columns) * columns)
    for index in range(0, len(frames), columns):
        slide = deck.slide(title + (CONTINUED if index else ""))
        for column, frame in enumerate(frames[index : index + columns]):
            assert isinstance(frame, Story)
            draw_story(deck, slide, frame, MARGIN + column * (story.width + COLUMN_GAP), top)


def _overflow(frame: Flowable) -> list[Story]:
    assert isinstance(frame, Story)
    return frame.force()
