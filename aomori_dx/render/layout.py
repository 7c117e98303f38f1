"""Estimate how much room text takes, so that slides and pages can be filled without overflow.

Neither python-pptx nor python-docx can measure text, and the fonts differ between machines, so
we estimate from character classes: an East Asian wide character takes one em, Latin letters and
digits a little over half an em.  The estimate errs on the generous side (slightly wider than
BIZ UDPGothic and Noto Sans CJK measure), so that what we place fits in PowerPoint, LibreOffice
and Google Slides alike.  Lines break between phrases (``phrases``: BudouX and the rules of
Japanese typesetting), never inside a word unless the word alone is wider than the line, so the
sizes chosen from these counts are sizes at which the text reads whole.  Pure functions, no
document library.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from typing import Generic, TypeVar

from aomori_dx.render.phrases import CHAR, INSIDE, PHRASE, RANGE, SCRIPT, break_levels, note_cut

__all__ = [
    "GRID_YEARS",
    "LINE_SPACING",
    "Page",
    "even_parts",
    "line_breaks",
    "paginate",
    "split_text",
    "text_height",
    "text_lines",
    "text_width",
    "word_width",
    "wrap_lines",
]

LINE_SPACING = 1.2
# Fiscal-year columns in one plan/actual table (deck and report): a longer roadmap is shown in
# parts, as a 25-year grid would leave 0.4 inch a year on a slide and 5 mm on A4.
GRID_YEARS = 10
_WIDE = frozenset({"W", "F", "A"})

T = TypeVar("T")


# Cached: a deck measures millions of characters, of a few thousand kinds.
@cache
def _char_em(char: str) -> float:
    # Measured on BIZ UDPGothic (a proportional UD font; Noto Sans CJK is close): kanji 1.0,
    # kana 0.91–0.97, full-width punctuation 0.53, digits 0.75, capitals 0.76, lower case 0.62.
    # Rounded up a little so that the estimate never falls short.
    if unicodedata.east_asian_width(char) in _WIDE:
        if unicodedata.category(char).startswith("P"):
            return 0.6
        return 1.0
    if char == " ":
        return 0.35
    if char.isupper() or char.isdigit() or char in "%&@#mwMW":
        return 0.78
    if char.isalpha():
        return 0.64
    return 0.42


def text_width(text: str, size_pt: float) -> float:
    """Width of one line of ``text`` in inches at ``size_pt``."""
    return sum(map(_char_em, text)) * size_pt / 72


@lru_cache(maxsize=16384)
def _advances(paragraph: str) -> tuple[float, ...]:
    """Where each character of ``paragraph`` ends, in ems from its start (``[0]`` is 0)."""
    return tuple(accumulate(map(_char_em, paragraph), initial=0.0))


def _fit_end(advances: Sequence[float], start: int, room: float) -> int:
    """Where the line from ``start`` ends when filled to ``room`` ems (a character wider than
    the whole line still takes a line of its own)."""
    return max(bisect_right(advances, advances[start] + room, lo=start + 1) - 1, start + 1)


def _furthest(levels: Sequence[int], start: int, end: int, least: int) -> int | None:
    """The last position in ``(start, end]`` where a break is at least as good as ``least``."""
    for index in range(end, start, -1):
        if levels[index] >= least:
            return index
    return None


def _best_break(levels: Sequence[int], start: int, end: int) -> int | None:
    """The position in ``(start, end]`` to break a line at: the last one of the best level
    (``None`` when every position there is prohibited)."""
    for least in (PHRASE, SCRIPT, RANGE, CHAR, INSIDE):
        found = _furthest(levels, start, end, least)
        if found is not None:
            return found
    return None


def _line_starts(paragraph: str, width_in: float, size_pt: float) -> list[int]:
    """Where each wrapped line of one paragraph starts.  A line breaks at the last place of the
    best level that fits (``phrases``): between phrases; inside a phrase only when the phrase
    alone is wider than the line, first where the script changes, then after a range's dash or
    an amount's 億・万, then between characters, last inside a katakana run, Latin word or number;
    against 禁則 only when nothing else fits."""
    return _starts(paragraph, _advances(paragraph), width_in * 72 / size_pt + 1e-9)


def _starts(paragraph: str, advances: Sequence[float], room: float) -> list[int]:
    """Where each line of ``paragraph`` starts, filled to ``room`` by the ``advances`` (ems in a
    proportional font, or character cells on a terminal)."""
    starts = [0]
    if advances[-1] <= room:  # most texts fit on one line: no need to find their phrases
        return starts
    levels = break_levels(paragraph)
    start = 0
    while (end := _fit_end(advances, start, room)) < len(paragraph):
        cut = _best_break(levels, start, end) or end
        if levels[cut] >= SCRIPT:
            cut = _filled(levels, advances, cut, end, room)
        starts.append(cut)
        start = cut
    return starts


def _filled(levels: Sequence[int], advances: Sequence[float], cut: int, end: int, room: float) -> int:
    """``cut``, or a later break on the same line when the next line would have to break inside
    a word anyway (a phrase wider than a whole line) and the later break is no worse: a fresh
    line then keeps no word whole, and only wastes room."""
    ahead_end = _fit_end(advances, cut, room)
    if ahead_end >= len(levels):
        return cut
    ahead = max(levels[cut + 1 : ahead_end + 1])
    later = _best_break(levels, cut, end)
    if ahead < SCRIPT and later is not None and levels[later] >= ahead:
        return later
    return cut


def text_lines(text: str, width_in: float, size_pt: float) -> int:
    """How many lines ``text`` wraps to in a box ``width_in`` wide (each ``\\n`` starts a line)."""
    if width_in <= 0:
        return max(1, len(text))
    return sum(len(_line_starts(paragraph, width_in, size_pt)) for paragraph in text.split("\n"))


def split_text(text: str, width_in: float, size_pt: float, lines: int) -> tuple[str, str]:
    """``text`` cut after its first ``lines`` wrapped lines: what fits, and the rest (``""`` when
    all fits).  The cut falls at a line break of the same estimate as ``text_lines``."""
    if width_in <= 0 or text_lines(text, width_in, size_pt) <= lines:
        return text, ""
    offset = 0
    left = max(1, lines)
    for paragraph in text.split("\n"):
        if left == 0:  # the lines end with the previous paragraph: drop the line break
            return text[: offset - 1], text[offset:]
        starts = _line_starts(paragraph, width_in, size_pt)
        if len(starts) > left:
            note_cut(paragraph, starts[left])
            cut = offset + starts[left]
            return text[:cut], text[cut:]
        left -= len(starts)
        offset += len(paragraph) + 1
    return text, ""  # pragma: no cover - text_lines said it does not fit


def text_height(text: str, width_in: float, size_pt: float, spacing: float = LINE_SPACING) -> float:
    """Height in inches of ``text`` wrapped in a box ``width_in`` wide."""
    return text_lines(text, width_in, size_pt) * size_pt * spacing / 72


def wrap_lines(text: str, width_in: float, size_pt: float) -> list[str]:
    """The lines ``text`` wraps to in a box ``width_in`` wide, broken as ``text_lines`` counts
    them (so ``len(wrap_lines(...)) == text_lines(...)`` for a positive width).  Each ``\\n``
    ends a line and is in none; the lines of one paragraph join back into it."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        starts = _line_starts(paragraph, width_in, size_pt)
        lines.extend(
            paragraph[start:end] for start, end in zip(starts, [*starts[1:], len(paragraph)], strict=True)
        )
    return lines


def _cells(char: str) -> int:
    # As a terminal (and rich) counts them: wide and full-width characters take two cells.
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap_cells(text: str, columns: int) -> list[str]:
    """The lines ``text`` wraps to on a terminal ``columns`` cells wide, broken where
    ``wrap_lines`` breaks (between phrases; a word, a number with its unit and a path kept whole
    where they fit).  Each ``\n`` ends a line; the spaces at a break are dropped."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        advances = tuple(accumulate((_cells(char) for char in paragraph), initial=0))
        starts = _starts(paragraph, advances, columns)
        for start, end in zip(starts, [*starts[1:], len(paragraph)], strict=True):
            lines.append(paragraph[start:end].strip() if len(starts) > 1 else paragraph[start:end])
    return lines


def line_breaks(text: str, width_in: float, size_pt: float) -> list[str]:
    """The lines to write ``text`` as in a box ``width_in`` wide at ``size_pt``, one soft line
    break after each but the last, so that the viewer shows the lines the layout counted and
    breaks no word (PowerPoint and Word break Japanese between any two characters).

    ``text.split("\\n")`` (no break added) when every paragraph fits on one line, or when the
    text has no East Asian character: the viewer then wraps at spaces itself, and the text keeps
    reflowing when it is edited.  Otherwise ``wrap_lines``: each line is narrower than the box by
    the generous estimate, so the viewer never wraps inside one.  The text stays editable; an
    edit does not move the breaks.  Write each line as a run and the breaks as ``<a:br/>`` with
    the runs' ``rPr`` (python-pptx: ``paragraph.text`` turns ``\\v`` into ``<a:br/>``, but
    ``run.text`` writes it as the literal ``_x000B_``); in Word, ``w:br`` inside the paragraph."""
    lines = wrap_lines(text, width_in, size_pt)
    hard = text.split("\n")
    if len(lines) == len(hard) or not any(unicodedata.east_asian_width(char) in _WIDE for char in text):
        return hard
    return lines


def word_width(text: str, size_pt: float) -> float:
    """Width in inches of the widest word of ``text``: the narrowest box in which it wraps
    without breaking a word (a katakana run, a kanji compound, a number with its unit, a
    bracketed or punctuated end that may not be parted from it).  A renderer picks a size at
    which this fits the box."""
    widest = 0.0
    for paragraph in text.split("\n"):
        advances = _advances(paragraph)
        cuts = [index for index, level in enumerate(break_levels(paragraph)) if level >= SCRIPT]
        for start, end in zip([0, *cuts], [*cuts, len(paragraph)], strict=True):
            widest = max(widest, advances[end] - advances[start])
    return widest * size_pt / 72


@dataclass(frozen=True)
class Page(Generic[T]):
    """The items that go on one page, and whether the page continues an earlier one."""

    items: tuple[T, ...]
    continued: bool


def paginate(
    items: Sequence[T], height: Callable[[T], float], available: float, first: float | None = None
) -> list[Page[T]]:
    """Split ``items`` into pages whose heights add up to at most ``available`` (``first`` for the
    first page when it has less room).  An item taller than a page gets a page of its own."""
    pages: list[Page[T]] = []
    current: list[T] = []
    used = 0.0
    room = available if first is None else first
    for item in items:
        size = height(item)
        if current and used + size > room:
            pages.append(Page(tuple(current), continued=bool(pages)))
            current, used, room = [], 0.0, available
        current.append(item)
        used += size
    if current or not pages:
        pages.append(Page(tuple(current), continued=bool(pages)))
    return pages


def even_parts(items: Sequence[T], most: int) -> list[Sequence[T]]:
    """``items`` in consecutive parts of at most ``most``, as even as possible (25 → 9, 9, 7)."""
    if not items:
        return []
    size = math.ceil(len(items) / math.ceil(len(items) / most))
    return [items[index : index + size] for index in range(0, len(items), size)]
