"""A featured project's details (its project sheet): the items measured at a step, small tables
side by side, figures with captions, and the split into two columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aomori_dx.model import Document, Figure
from aomori_dx.model import Table as TextTable
from aomori_dx.render.deck.flow import Composer, Item, blocks, sections, word_widths
from aomori_dx.render.deck.measure import (
    BOX_PAD,
    para_height,
    paras_height,
    row_height,
)
from aomori_dx.render.deck.slides.project_table import (
    MeasuredTable,
    Step,
    line_height,
    text_need,
)
from aomori_dx.render.deck.story import picture_size
from aomori_dx.render.deck.style import (
    CONTENT_W,
    MARGIN,
    MUTED,
    Align,
    Para,
    Run,
    cell,
    figure_columns,
    p,
)
from aomori_dx.render.deck.style import caption as table_caption
from aomori_dx.render.deck.widths import share
from aomori_dx.render.deck.writer import Slide

__all__ = ["BODY_MIN", "Details", "grown", "sheet_items"]

BODY_MIN = 12.0
NOTE_MIN = 10.0
COLUMN_GAP = 0.35
TABLE_GAP = 0.25  # between small tables side by side
FIGURE_MAX_H = 3.2


def sheet_items(sheet: Document | None) -> list[Item]:
    """The sheet as narrative items at the body size of 12 pt (``grown`` makes them larger)."""
    if sheet is None:
        return []
    return blocks(sheet.blocks, BODY_MIN) + sections(sheet.sections, BODY_MIN, level_offset=1)


def grown(item: Item, body: float) -> Item:
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
    tables: list[tuple[list[Para], MeasuredTable]] = field(default_factory=list)
    caption: list[Para] = field(default_factory=list)
    figure: Figure | None = None
    figure_size: tuple[float, float] = (0.0, 0.0)


class Details:
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
    slots = share(
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
        paras = grown(item, step.body).paras or []
        return _Piece(sum(para_height(para, width) for para in paras), item.heading, paras)
    assert item.figure is not None
    figure = item.figure
    caption = (
        [p(figure.caption, max(NOTE_MIN, step.body - 2), colour=MUTED, align=Align.CENTER)]
        if figure.caption
        else []
    )
    caption_h = paras_height(caption, width) if caption else 0.0
    size = picture_size(figure, width, min(FIGURE_MAX_H, room - caption_h - 0.15))
    return _Piece(0.05 + size[1] + caption_h + 0.1, caption=caption, figure=figure, figure_size=size)


def _column_needs(table: TextTable, size: float) -> list[float]:
    return [
        text_need([row[i] for row in (table.header, *table.rows) if i < len(row)], size)
        for i in range(len(table.header))
    ]


def _text_table(table: TextTable, size: float, width: float) -> MeasuredTable:
    header = [cell(text, size, True, align=Align.CENTER) for text in table.header]
    aligns = [Align.RIGHT if figures else Align.LEFT for figures in figure_columns(table.rows)]
    rows = [
        [cell(text, size, align=align) for text, align in zip(row, aligns, strict=False)]
        for row in table.rows
    ]
    shared = share(_column_needs(table, size), width)
    # Phrases whole where the columns allow (取り組める, not 取り|組める), else words.
    widths, whole = word_widths([header, *rows], shared, width, phrases=True)
    if not whole:
        widths, _ = word_widths([header, *rows], shared, width)
    line = line_height(size)
    return MeasuredTable(widths, [header, *rows], [row_height(row, widths, line) for row in [header, *rows]])


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
    deck: Composer, slide: Slide, tables: list[tuple[list[Para], MeasuredTable]], left: float, top: float
) -> float:
    """Tables side by side under their captions; the bottom of the tallest."""
    captions_h = max(paras_height(caption, table.width) if caption else 0.0 for caption, table in tables)
    for caption, table in tables:
        if caption:
            deck.textbox(slide, left, top, table.width, paras_height(caption, table.width), caption)
        table.place(deck, slide, top + captions_h, left)
        left += table.width + TABLE_GAP
    return top + captions_h + max(table.height for _, table in tables) + 0.12
