"""Estimate how much room text takes, so that slides and pages can be filled without overflow.

Neither python-pptx nor python-docx can measure text, and the fonts differ between machines, so
we estimate from character classes: an East Asian wide character takes one em, Latin letters and
digits a little over half an em.  The estimate errs on the generous side (slightly wider than
BIZ UDPGothic and Noto Sans CJK measure), so that what we place fits in PowerPoint, LibreOffice
and Google Slides alike.  Pure functions, no document library.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = [
    "GRID_YEARS",
    "LINE_SPACING",
    "Page",
    "even_parts",
    "paginate",
    "split_text",
    "text_height",
    "text_lines",
    "text_width",
]

LINE_SPACING = 1.2
# Fiscal-year columns in one plan/actual table (deck and report): a longer roadmap is shown in
# parts, as a 25-year grid would leave 0.4 inch a year on a slide and 5 mm on A4.
GRID_YEARS = 10
_WIDE = frozenset({"W", "F", "A"})

T = TypeVar("T")


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
    return sum(_char_em(char) for char in text) * size_pt / 72


def _line_starts(paragraph: str, width_in: float, size_pt: float) -> list[int]:
    """Where each wrapped line of one paragraph starts (Japanese breaks anywhere)."""
    em = size_pt / 72
    starts = [0]
    used = 0.0
    for index, char in enumerate(paragraph):
        width = _char_em(char) * em
        if used + width > width_in and used > 0:
            starts.append(index)
            used = 0.0
        used += width
    return starts


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
            cut = offset + starts[left]
            return text[:cut], text[cut:]
        left -= len(starts)
        offset += len(paragraph) + 1
    return text, ""  # pragma: no cover - text_lines said it does not fit


def text_height(text: str, width_in: float, size_pt: float, spacing: float = LINE_SPACING) -> float:
    """Height in inches of ``text`` wrapped in a box ``width_in`` wide."""
    return text_lines(text, width_in, size_pt) * size_pt * spacing / 72


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
