"""The discussion as the meeting material lays it out, from discussion.md.

Each ``#`` heading is a theme, or reference material when it starts with 参考.  The slides are:
an overview of every theme side by side (its text before its first question, and its diagrams);
the reference material, flowed in two columns; then for each theme one slide per question (a
``##`` heading) in large type, and one slide per diagram (a ``図`` heading, ``model.Diagram``)
drawn across the slide.  Nothing here knows a theme's words: they all come from the Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aomori_dx.model import Block, Diagram, Section, diagram_of, is_diagram_heading
from aomori_dx.render.deck.flow import Composer, Item, blocks, fit_flow, heading_size
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.slides.diagram import MIN_LABEL, diagram_height, draw_diagram
from aomori_dx.render.deck.style import BOTTOM, CONTENT_W, CONTINUED, MAIN, MARGIN, TEXT, TOP, Para, p
from aomori_dx.render.deck.writer import Slide

__all__ = ["OVERVIEW_TITLE", "REFERENCE_MARK", "discussion", "is_reference", "questions"]

OVERVIEW_TITLE = "ディスカッションのテーマ"
REFERENCE_MARK = "参考"
OVERVIEW_SIZES = (18, 16, 15, 14, 13, 12)
QUESTION_SIZES = (32.0, 28.0, 24.0, 20.0)  # a question is read aloud to the members: never small
DIAGRAM_SIZES = (28, 24, 22, 20, 18, 16, MIN_LABEL)
THEMES_PER_SLIDE = 3
GAP = 0.35


def is_reference(section: Section) -> bool:
    """Reference material (参考…) rather than a theme put to the members."""
    return section.title.startswith(REFERENCE_MARK)


def questions(theme: Section) -> list[Section]:
    """A theme's questions: its ``##`` headings that are not diagrams."""
    return [child for child in theme.children if child.level == 2 and not is_diagram_heading(child.title)]


def _diagrams(section: Section) -> list[Diagram]:
    found = diagram_of(section)
    own = [found] if found is not None else []
    return own + [d for child in section.children for d in _diagrams(child)]


def discussion(ctx: Context) -> None:
    document = ctx.result.period.discussion
    themes = [section for section in document.sections if not is_reference(section)]
    if themes:
        _overview(ctx, themes)
    for section in document.sections:
        if is_reference(section):
            _reference(ctx.deck, section)
    for theme in themes:
        for question in questions(theme):
            _question(ctx.deck, theme.title, question)
        for diagram in [
            d for child in theme.children if child not in questions(theme) for d in _diagrams(child)
        ]:
            _diagram_slide(ctx, theme.title, diagram)


def _reference(deck: Composer, section: Section) -> None:
    """Reference material: the largest size at which it fills one slide, in one column when it
    fits there and two otherwise; continued when even the smallest does not fit."""
    fit_flow(deck, section.title, lambda size: _narrative(section, size, "● ") or [Item([p("", size)])])


# --- the overview --------------------------------------------------------------------------


@dataclass
class _Column:
    """One theme on the overview: text and diagrams, in the order written."""

    pieces: list[list[Para] | Diagram] = field(default_factory=list)
    dropped: bool = False  # a table or picture, which the overview cannot show


def _text(column: _Column, paras: list[Para]) -> None:
    if column.pieces and isinstance(column.pieces[-1], list):
        column.pieces[-1].extend(paras)
    else:
        column.pieces.append(list(paras))


def _overview_blocks(column: _Column, source: Sequence[Block], size: float) -> None:
    for item in blocks(source, size):
        if item.paras is not None:
            _text(column, item.paras)
        else:
            column.dropped = True


def _overview_column(theme: Section, size: float) -> _Column:
    column = _Column()
    _text(column, [p(theme.title, size + 4, True, MAIN)])
    _overview_blocks(column, theme.blocks, size)
    asked = questions(theme)

    def walk(section: Section) -> None:
        found = diagram_of(section)
        if found is not None:
            column.pieces.append(found)
            return
        _text(column, [p(section.title, size + 1, True, TEXT if section.level > 3 else MAIN, space_before=8)])
        _overview_blocks(column, section.blocks, size)
        for child in section.children:
            walk(child)

    for child in theme.children:
        if child not in asked:
            walk(child)
    return column


def _height(column: _Column, width: float, size: float) -> float:
    return sum(
        diagram_height(piece, width, max(size, MIN_LABEL)) + 0.1
        if isinstance(piece, Diagram)
        else paras_height(piece, width)
        for piece in column.pieces
    )


def _overview(ctx: Context, themes: list[Section]) -> None:
    deck = ctx.deck
    groups = [themes[i : i + THEMES_PER_SLIDE] for i in range(0, len(themes), THEMES_PER_SLIDE)]
    for page, group in enumerate(groups):
        width = (CONTENT_W - GAP * (len(group) - 1)) / len(group)
        # The largest size at which every theme fits; below the smallest, text is cut and reported.
        for size in OVERVIEW_SIZES:
            columns = [_overview_column(theme, size) for theme in group]
            if all(_height(column, width, size) <= BOTTOM - TOP for column in columns):
                break
        slide = deck.slide(OVERVIEW_TITLE + (CONTINUED if page else ""))
        for index, column in enumerate(columns):
            _place_column(ctx, slide, column, MARGIN + index * (width + GAP), width, size)


def _place_column(
    ctx: Context, slide: Slide, column: _Column, left: float, width: float, size: float
) -> None:
    deck = ctx.deck
    top = TOP
    for piece in column.pieces:
        if isinstance(piece, Diagram):
            height = diagram_height(piece, width, max(size, MIN_LABEL))
            if top + height > BOTTOM:
                deck.warn(
                    slide,
                    "テーマの概要が長く、図が入りきらないため、この一覧のスライドでは図を省きました"
                    "（図はテーマのスライドに出ます）。概要の文を短くしてください。",
                )
                continue
            draw_diagram(deck, slide, piece, (left, top + 0.05, width, height), size, ctx.field_colour)
            top += height + 0.1
        elif BOTTOM - top >= 0.3:
            # What does not fit is cut with … and reported by the textbox (deck.md 3.1).
            height = min(paras_height(piece, width), BOTTOM - top)
            deck.textbox(slide, left, top, width, height, piece, what="ディスカッションのテーマの文")
            top += height
        else:
            deck.warn(
                slide,
                f"テーマの概要が長く、枠に入りきらないため後ろを省略しました（「{piece[0].text[:30]}」から）。"
                "元の文を短くしてください。",
            )
            break
    if column.dropped:
        deck.warn(
            slide,
            "discussion.md のテーマの最初の ## より前にある表・画像は、この一覧のスライドに載せられません。"
            "## の問いか 参考 の見出しの下に移してください。",
        )


# --- a question, a diagram -----------------------------------------------------------------


def _narrative(section: Section, size: float, mark: str = "") -> list[Item]:
    """A section's text and its sub-headings (bold, a step above the text) as flow items."""
    items = blocks(section.blocks, size)
    for child in section.children:
        heading = p(mark + child.title, heading_size(size), True, MAIN, space_before=10)
        items.append(Item([heading], heading=True))
        items.extend(_narrative(child, size, mark))
    return items


def _question_paras(question: Section, size: float) -> list[Item]:
    heading = Item([p(question.title, size + 4, True, MAIN, space_before=4)], heading=True)
    return [heading, *_narrative(question, size)]


def _question(deck: Composer, title: str, question: Section) -> None:
    """One question on its own slide: the largest size at which it fits, else continued."""
    fit_flow(deck, title, lambda size: _question_paras(question, size), columns=(1,), scale=QUESTION_SIZES)


def _diagram_slide(ctx: Context, title: str, diagram: Diagram) -> None:
    """A diagram across the slide, its labels as large as the slide allows."""
    room = BOTTOM - TOP - 0.1
    size = next((s for s in DIAGRAM_SIZES if diagram_height(diagram, CONTENT_W, s) <= room), MIN_LABEL)
    height = max(room, diagram_height(diagram, CONTENT_W, size))
    slide = ctx.deck.slide(title)
    if height > room:
        ctx.deck.warn(
            slide, "図の行（横断する取組）が多く、スライドの下にはみ出しています。行を減らしてください。"
        )
    draw_diagram(ctx.deck, slide, diagram, (MARGIN, TOP + 0.05, CONTENT_W, height), size, ctx.field_colour)
