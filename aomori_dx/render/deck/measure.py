"""How much room paragraphs, table cells and rows take on a slide, and how they shrink or split.

Pure functions over ``style.Para`` built on the calibrated metrics of ``render.layout``: the
heights that the flow engine places by, text scaled down to fit, text cut with …, and paragraphs
and table rows split where a column is full (the rest continues on the next column or slide).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from aomori_dx.render.deck.style import Para, Run
from aomori_dx.render.layout import LINE_SPACING, line_breaks, split_text, text_height, text_lines

__all__ = [
    "BOX_PAD",
    "CELL_LINE",
    "cell_height",
    "cut",
    "fitting_rows",
    "para_height",
    "paras_height",
    "row_height",
    "scaled",
    "soft_breaks",
    "split_paras",
    "split_row",
]

BOX_PAD = 0.06  # a text box's top and bottom margins
# Table rows are estimated with a taller line than text boxes: a viewer grows a row to fit its
# tallest line, and a glyph from a fallback font (Noto Sans CJK lines are 1.45 em, BIZ
# UDPGothic's 1.0 em) must not push a table over what follows it.
CELL_LINE = 1.3


def scaled(paras: Sequence[Para], scale: float, floor: float = 0) -> list[Para]:
    """``paras`` with every run ``scale`` times its size (in half points, as PowerPoint sets it),
    but no run below ``floor`` (or its own size, if that is smaller)."""
    return [
        Para(
            [
                Run(
                    run.text,
                    max(math.floor(run.size * scale * 2) / 2, min(run.size, floor)),
                    run.bold,
                    run.colour,
                )
                for run in para.runs
            ],
            para.align,
            para.bullet,
            para.space_before * scale,
        )
        for para in paras
    ]


def cut(paras: Sequence[Para], width: float, room: float, keep_end: str = "") -> list[Para]:
    """``paras`` shortened to ``room`` inches: the paragraph of most lines gives up the lines
    that are too many and ends with … (and ``keep_end``); short paragraphs (a figure) are kept."""
    kept = list(paras)
    for _ in range(4 * len(kept) + 4):
        over = sum(para_height(para, width) for para in kept) - room
        if over <= 0 or not kept:
            break
        index = max(range(len(kept)), key=lambda i: para_height(kept[i], width))
        para = kept[index]
        inner = _inner_width(para, width)
        lines = text_lines(para.text, inner, para.size) - math.ceil(over / (para.size * LINE_SPACING / 72))
        if lines < 1 or len(para.runs) != 1:
            if len(kept) == 1:
                break  # not even one line fits: left as it is (and reported)
            kept.pop(index)
            continue
        head, _ = split_text(para.text, inner, para.size, lines)
        run = para.runs[0]
        shortened = head[: -1 - len(keep_end)] + "…" + keep_end
        kept[index] = Para(
            [Run(shortened, run.size, run.bold, run.colour)], para.align, para.bullet, para.space_before
        )
    return kept


def _inner_width(para: Para, width: float) -> float:
    indent = 0.18 + 0.22 * (para.bullet - 1) if para.bullet else 0
    return width - indent - 0.1


def para_height(para: Para, width: float) -> float:
    """A paragraph's height in a text box ``width`` inches wide."""
    return text_height(para.text or " ", _inner_width(para, width), para.size) + para.space_before / 72


def paras_height(paras: Sequence[Para], width: float) -> float:
    """The height of a text box holding ``paras``, its margins included."""
    return sum(para_height(para, width) for para in paras) + BOX_PAD


def soft_breaks(para: Para, width: float, cell: bool = False) -> list[int]:
    """Where in ``para.text`` to write a soft line break so that a viewer shows the lines that
    ``para_height`` (or ``cell_height`` with ``cell``) counted at ``width``: at phrase
    boundaries (``layout.line_breaks``); empty when the viewer may wrap the text itself."""
    inner = width - 0.2 if cell else _inner_width(para, width)
    text = para.text
    if inner <= 0 or not text:
        return []
    breaks = []
    position = 0
    for line in line_breaks(text, inner, para.size):
        position += len(line)
        if position >= len(text):
            break
        if text[position] == "\n":
            position += 1
        else:
            breaks.append(position)
    return breaks


def cell_height(paras: Sequence[Para], width: float) -> float:
    """A table cell's height, its margins included."""
    inner = width - 0.2
    return sum(text_height(para.text or " ", inner, para.size, CELL_LINE) for para in paras) + 0.12


def row_height(cells: Sequence[Sequence[Para]], widths: Sequence[float], minimum: float = 0.3) -> float:
    """A table row's height: its tallest cell, and at least ``minimum``."""
    return max([minimum, *(cell_height(paras, width) for paras, width in zip(cells, widths, strict=True))])


def split_paras(
    paras: Sequence[Para], width: float, room: float, cell: bool = False
) -> tuple[list[Para], list[Para]]:
    """``paras`` cut where ``room`` inches are full (in a text box, or a table cell with
    ``cell``): what fits and the rest.  A one-run paragraph is cut between its lines."""
    spacing = CELL_LINE if cell else LINE_SPACING
    head: list[Para] = []
    used = 0.0
    for index, para in enumerate(paras):
        inner = width - 0.2 if cell else _inner_width(para, width)
        height = text_height(para.text or " ", inner, para.size, spacing) + para.space_before / 72
        if used + height <= room:
            head.append(para)
            used += height
            continue
        lines = int((room - used - para.space_before / 72) / (para.size * spacing / 72))
        if lines < 1 or len(para.runs) != 1:
            return head, list(paras[index:])
        first, rest = split_text(para.text, inner, para.size, lines)
        run = para.runs[0]
        head.append(
            Para([Run(first, run.size, run.bold, run.colour)], para.align, para.bullet, para.space_before)
        )
        tail = Para([Run(rest, run.size, run.bold, run.colour)], para.align, para.bullet)
        return head, [tail, *paras[index + 1 :]]
    return head, []


def split_row(
    cells: Sequence[list[Para]], widths: Sequence[float], room: float
) -> tuple[list[list[Para]], list[list[Para]]] | None:
    """A table row taller than ``room`` as two rows: what fits, and the rest of every cell
    (continued in the same column on the next slide).  ``None`` when not even a line fits."""
    head: list[list[Para]] = []
    tail: list[list[Para]] = []
    for paras, width in zip(cells, widths, strict=True):
        first, rest = split_paras(paras, width, room - 0.12, cell=True)
        empty = [Para([Run("", paras[0].size if paras else 10.5)], paras[0].align if paras else None)]
        head.append(first or empty)
        tail.append(rest or empty)
    if not any(para.text for paras in head for para in paras):
        return None
    return head, tail


def fitting_rows(
    rows: Sequence[list[list[Para]]], widths: Sequence[float], room: float, minimum: float
) -> list[list[list[Para]]]:
    """``rows`` with every row taller than ``room`` split into rows that fit it."""
    fitted: list[list[list[Para]]] = []
    for row in rows:
        while row_height(row, widths, minimum) > room:
            split = split_row(row, widths, room)
            if split is None:
                break
            fitted.append(split[0])
            row = split[1]
        fitted.append(row)
    return fitted
