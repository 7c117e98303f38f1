"""The deck's vocabulary above the XML: text runs and paragraphs, theme colours by role, alignment,
and the slide's geometry in inches.

Plain data that every slide kind builds and the writer turns into DrawingML; nothing here knows
python-pptx.  Colours are the template's theme colours (accent1 main, accent2–4 fields, accent5
muted, accent6 changed values), so a branded template re-colours the deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "BODY_MIN",
    "BOTTOM",
    "CHANGED",
    "CONTENT_W",
    "CONTINUED",
    "FIELD_COLOURS",
    "MAIN",
    "MARGIN",
    "MUTED",
    "NOTE_MIN",
    "PAGE_NUMBER_W",
    "SLIDE_H",
    "SLIDE_W",
    "TABLE_MIN",
    "TABLE_SCALE",
    "TEXT",
    "TOP",
    "Align",
    "Anchor",
    "Colour",
    "Para",
    "Run",
    "cell",
    "p",
]


class Colour(Enum):
    """A theme colour of the template, by its DrawingML scheme name."""

    ACCENT_1 = "accent1"
    ACCENT_2 = "accent2"
    ACCENT_3 = "accent3"
    ACCENT_4 = "accent4"
    ACCENT_5 = "accent5"
    ACCENT_6 = "accent6"
    TEXT_1 = "tx1"
    BACKGROUND_1 = "bg1"
    BACKGROUND_2 = "bg2"


class Align(Enum):
    """A paragraph's alignment, by its DrawingML name."""

    LEFT = "l"
    CENTER = "ctr"
    RIGHT = "r"


class Anchor(Enum):
    """Where text sits in its box, top to bottom."""

    TOP = "t"
    MIDDLE = "ctr"
    BOTTOM = "b"


MAIN = Colour.ACCENT_1
MUTED = Colour.ACCENT_5
CHANGED = Colour.ACCENT_6
FIELD_COLOURS = (Colour.ACCENT_2, Colour.ACCENT_3, Colour.ACCENT_4)
TEXT = Colour.TEXT_1

CONTINUED = "（続き）"
SLIDE_W = 13.333
SLIDE_H = 7.5
MARGIN = 0.4
TOP = 1.05  # below the title
BOTTOM = SLIDE_H - 0.35
CONTENT_W = SLIDE_W - 2 * MARGIN
PAGE_NUMBER_W = 1.2  # the page number's box at the bottom right, below BOTTOM

# The type scale, in points, read from the back of a meeting room: body text at least BODY_MIN,
# table text at least TABLE_MIN, sources and notes at least NOTE_MIN; only the page number and a
# running header are smaller.  A table takes the largest size of TABLE_SCALE at which it fits
# (flow.fit_table) and continues with （続き） only when even TABLE_MIN does not fit.
BODY_MIN = 12
TABLE_MIN = 11
NOTE_MIN = 10
TABLE_SCALE = (18.0, 16.0, 14.0, 13.0, 12.0, 11.0)


@dataclass
class Run:
    """A piece of text with its look."""

    text: str
    size: float = 12
    bold: bool = False
    colour: Colour | None = None


@dataclass
class Para:
    """A paragraph: runs, alignment, bullet depth (0 = no bullet)."""

    runs: list[Run]
    align: Align | None = None
    bullet: int = 0
    space_before: float = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def size(self) -> float:
        return max((run.size for run in self.runs), default=12)


def p(
    text: str,
    size: float = 12,
    bold: bool = False,
    colour: Colour | None = None,
    *,
    align: Align | None = None,
    bullet: int = 0,
    space_before: float = 0,
) -> Para:
    """A paragraph of one run."""
    return Para([Run(text, size, bold, colour)], align, bullet, space_before)


def cell(
    text: str,
    size: float = 10.5,
    bold: bool = False,
    colour: Colour | None = None,
    align: Align | None = None,
) -> list[Para]:
    """A table cell's paragraphs: one a line of ``text``."""
    return [Para([Run(line, size, bold, colour)], align) for line in (text.split("\n") if text else [""])]
