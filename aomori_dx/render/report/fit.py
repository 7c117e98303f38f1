"""The report's measures: units, the table text size, and how wide a column must be and where its
lines break so that a word or a figure never parts (「ステ / ージ」, 「1,000,0 / 00」).

Plain numbers and strings only: the writer and the chapters both ask it, neither writes XML here.
"""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.render.layout import line_breaks, text_width, word_width

TWIPS_PER_MM = 56.6929
TABLE_SIZE = 9.0  # pt: the Table Text style of the default template
CELL_PADDING_MM = 2 * 70 / TWIPS_PER_MM  # the tables' left and right cell margins
CELL_MARGINS_MM = CELL_PADDING_MM + 0.5  # and some slack, for the least width of a column
SHORT_LABEL = 6  # characters: a label this short is kept on one line whole


def least_mm(text: str, size: float) -> float:
    """The narrowest a column may be for ``text``: its widest phrase, or the whole of a short
    line (BudouX would part 「育成年数」 as 「育 / 成年数」)."""
    return max(
        (text_width(line, size) if len(line) <= SHORT_LABEL else word_width(line, size)) * 25.4
        for line in text.split("\n")
    )


def phrased(text: str, width_mm: float, size: float) -> str:
    """``text`` with line breaks between phrases where a cell ``width_mm`` wide would wrap it."""
    inner = (width_mm - CELL_PADDING_MM) / 25.4
    return "\n".join(line for part in text.split("\n") for line in line_breaks(part, inner, size))


def fitted(preferred: Sequence[float], least: Sequence[float], total: float) -> list[float]:
    """``preferred`` widths changed so that each column is at least ``least`` wide (its widest
    word: a header or a figure never breaks inside), taking the room from the columns that
    have some to spare; all scaled down when even the least widths do not fit ``total``."""
    if sum(least) >= total:
        return [width * total / sum(least) for width in least]
    short = sum(max(0.0, need - width) for width, need in zip(preferred, least, strict=True))
    spare = [max(0.0, width - need) for width, need in zip(preferred, least, strict=True)]
    return [
        max(width, need) - short * room / sum(spare)
        for width, need, room in zip(preferred, least, spare, strict=True)
    ]
