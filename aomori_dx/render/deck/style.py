"""The deck's vocabulary above the XML: text runs and paragraphs, theme colours by role, alignment,
and the slide's geometry in inches.

Plain data that every slide kind builds and the writer turns into DrawingML; nothing here knows
python-pptx.  Colours are the template's theme colours (accent1 main, accent2–4 fields, accent5
muted, accent6 changed values), so a branded template re-colours the deck.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from aomori_dx.render.views import CHANGED_COLOUR

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
    "caption",
    "cell",
    "figure_columns",
    "full_width_brackets",
    "is_figure",
    "p",
    "table_cells",
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


# A text box's margins at the sides and above and below, in inches: small, as the flow engine
# places text close to its box.
BOX_MARGINS = (0.04, 0.02)


class Anchor(Enum):
    """Where text sits in its box, top to bottom."""

    TOP = "t"
    MIDDLE = "ctr"
    BOTTOM = "b"


MAIN = Colour.ACCENT_1
MUTED = Colour.ACCENT_5
CHANGED = Colour(CHANGED_COLOUR.theme)
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


_HALF_WIDTH_PAIR = re.compile(r"\(([^()]*)\)")
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_ADDRESS = re.compile(r"://|@|www\.", re.IGNORECASE)


def full_width_brackets(text: str) -> str:
    """Half-width brackets in Japanese text as full-width ones (森羽紙業(五所川原市) as typed into
    the inputs becomes 森羽紙業（五所川原市）), so that every slide prints them alike.

    A pair is swapped when what it holds has a Japanese character, or when it follows one and
    holds no web or e-mail address.  Kept as typed: identifiers at a line start or after Latin
    text, such as the column formulas (A), (B/A)×100=C of the indicator tables, and brackets
    around an address (https://…, info@…), which are copied, not read."""

    def swap(match: re.Match[str]) -> str:
        inside = match[1]
        before = text[max(0, match.start() - 1) : match.start()]
        japanese = bool(_JAPANESE.search(inside)) or (
            bool(_JAPANESE.search(before)) and not _ADDRESS.search(inside)
        )
        return f"（{inside}）" if japanese else match[0]

    return _HALF_WIDTH_PAIR.sub(swap, text)


@dataclass
class Run:
    """A piece of text with its look.  Every text of every slide is a run, so brackets are made
    full-width here (``full_width_brackets``), once for the whole deck."""

    text: str
    size: float = 12
    bold: bool = False
    colour: Colour | None = None

    def __post_init__(self) -> None:
        if "(" in self.text:
            self.text = full_width_brackets(self.text)


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


# A figure: a number with its sign, unit and a mark (1,683台, ▲3.2%, 87,974,100枚, 70.4%※1,
# 12,345千円, 約17.4億円), or no value (—).
_FIGURE = re.compile(
    r"(?:約|計|最大|最小|概ね)?[▲△▼+＋\-－−±]?[¥￥$＄]?[0-9０-９]+(?:[,，.．][0-9０-９]+)*\s?"
    r"(?:[%％‰]|[^\s0-9０-９]{1,3})?(?:※[0-9０-９]*)?"
    r"|[—―－-]"
)
_NOTE = re.compile(r"[（(][^（）()]*[）)]")


def is_figure(text: str) -> bool:
    """Whether a table cell's ``text`` is a figure (its first line a number with its unit or
    —, its other lines figures or bracketed notes such as （当初 10,000）): right-aligned in
    every table, so that digits line up."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return (
        bool(lines)
        and _FIGURE.fullmatch(lines[0]) is not None
        and all(_FIGURE.fullmatch(line) or _NOTE.fullmatch(line) for line in lines[1:])
    )


def figure_columns(rows: Sequence[Sequence[str]]) -> list[bool]:
    """For each column of a table's body ``rows``, whether it holds figures (every cell that is
    not empty is one, ``is_figure``): such a column is right-aligned, and a column that mixes
    figures with words (6月 … 11月～, 合計) is left-aligned throughout."""
    width = max((len(row) for row in rows), default=0)
    return [
        any(row[i].strip() for row in rows if i < len(row))
        and all(is_figure(row[i]) for row in rows if i < len(row) and row[i].strip())
        for i in range(width)
    ]


def cell(
    text: str,
    size: float = 10.5,
    bold: bool = False,
    colour: Colour | None = None,
    align: Align | None = None,
) -> list[Para]:
    """A table cell's paragraphs: one a line of ``text``; a figure (``is_figure``) is
    right-aligned unless ``align`` says otherwise."""
    if align is None and is_figure(text):
        align = Align.RIGHT
    return [Para([Run(line, size, bold, colour)], align) for line in (text.split("\n") if text else [""])]


def table_cells(
    header: Sequence[str], rows: Sequence[Sequence[str]], size: float
) -> tuple[list[list[Para]], list[list[list[Para]]]]:
    """A text table's cells at ``size`` (a Markdown table): the header bold and centred, a
    column of figures right-aligned and any other column left-aligned (``figure_columns``)."""
    head = [cell(text, size, True, align=Align.CENTER) for text in header]
    aligns = [Align.RIGHT if figures else Align.LEFT for figures in figure_columns(rows)]
    body = [[cell(text, size, align=align) for text, align in zip(row, aligns, strict=False)] for row in rows]
    return head, body


def caption(text: str, size: float = 13) -> list[Para]:
    """A table's title above it, alike on every slide: bold, in the main colour."""
    return [p(text, size, True, MAIN, space_before=6)]
