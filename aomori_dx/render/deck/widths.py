"""Column widths for the deck's tables: how wide a column must be so that no word of its cells
breaks, and how a table's width is shared among its columns.

``cell_floor`` is a cell's narrowest width (its widest word, or phrase, and the margins);
``word_widths`` moves width from the columns with room to spare to those below their floor;
``auto_widths`` shares the width the way CSS's automatic table layout does; ``share`` gives
short columns what they need on one line and lets the long ones share the rest.  Pure
functions over ``style.Para``, measured with ``render.layout``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aomori_dx.render.deck.style import Align, Para
from aomori_dx.render.layout import text_width, word_width
from aomori_dx.render.phrases import PHRASE, break_levels

__all__ = ["CELL_MARGINS", "auto_widths", "cell_floor", "share", "word_widths"]

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


def share(needs: Sequence[float], width: float) -> list[float]:
    """``width`` shared by what each column ``needs`` on one line: the spare room in proportion
    when all fit, and when not, the columns that need little keep it and the long ones share
    the rest (and wrap)."""
    if sum(needs) <= width:
        spare = width - sum(needs)
        return [need + spare * need / sum(needs) for need in needs]
    fair = width / len(needs)
    short = sum(need for need in needs if need <= fair)
    long_total = sum(need for need in needs if need > fair)
    return [need if need <= fair else (width - short) * need / long_total for need in needs]
