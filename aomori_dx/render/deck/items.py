"""Narrative as ``Item`` values: Markdown sections and blocks (history, cases, reference
material) turned into paragraphs, headings, tables and pictures at a body size, and the type
scale that narrative is fitted by (``BODY_SCALE``, ``heading_size``, ``table_size``).

``story.Story`` places the items in columns and slides; this module only says what they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aomori_dx.model import Block, BulletList, Figure, Paragraph, Section, Table
from aomori_dx.render.deck.style import BODY_MIN, MAIN, TABLE_MIN, TABLE_SCALE, TEXT, Para, p

__all__ = ["BODY_SCALE", "Item", "blocks", "heading_size", "sections", "table_size"]

# Narrative text (history, cases, reference material) takes the largest size of BODY_SCALE at
# which its flow fits its slide (``fit_flow``); headings a step above their text
# (``heading_size``), tables inside at the text's size (``table_size``).
BODY_SCALE = (24.0, 20.0, 18.0, 16.0, 14.0, 13.0, 12.0)


def heading_size(size: float) -> float:
    """A heading over text of ``size``: the next step of BODY_SCALE at least 2 pt larger."""
    return min((step for step in BODY_SCALE if step >= size + 2), default=size + 4)


def table_size(size: float) -> float:
    """A table's size in a flow of text of ``size``: as large (up to TABLE_SCALE's largest), but
    at the body minimum the table's own minimum, so that a long table still fits its slide."""
    return min(size, TABLE_SCALE[0]) if size > BODY_MIN else TABLE_MIN


@dataclass
class Item:
    """One piece of narrative: paragraphs (with their look), a table (at ``size``, with ``title``
    as its caption) or a picture.  A ``heading`` never ends a column alone."""

    paras: list[Para] | None = None
    table: Table | None = None
    title: str = ""
    heading: bool = False
    figure: Figure | None = None
    size: float = TABLE_MIN


def blocks(source: Iterable[Block], size: float = 12) -> list[Item]:
    """Markdown blocks as narrative items: paragraphs, bullets, tables and figures."""
    items: list[Item] = []
    for block in source:
        if isinstance(block, Paragraph):
            items.append(Item([p(block.text, size, space_before=size / 4)]))
        elif isinstance(block, BulletList):
            for bullet in block.items:
                items.extend(_bullets(bullet, 1, size))
        elif isinstance(block, Table):
            items.append(Item(table=block, size=table_size(size)))
        elif isinstance(block, Figure):
            items.append(Item(figure=block))
    return items


def _bullets(bullet: Any, depth: int, size: float) -> list[Item]:
    # Nested bullets keep their parent's size: the indent shows the level, and a smaller step
    # would fall below the body minimum at the smallest size.
    items = [Item([p(bullet.text, size, bullet=depth, space_before=size / 4)])]
    for child in bullet.children:
        items.extend(_bullets(child, depth + 1, size))
    return items


def sections(source: Iterable[Section], size: float = 12, level_offset: int = 0) -> list[Item]:
    """Markdown sections as narrative items: a heading each (● and the main colour for the two
    upper levels; the first level two steps above the text, the others one), then its blocks
    and subsections."""
    items: list[Item] = []
    for section in source:
        heading = section.title
        level = section.level - level_offset
        if section.blocks and isinstance(section.blocks[0], Table):
            # A heading over a table titles it (the same look as every table title) and
            # travels with it; what follows the table comes after.
            items.append(Item(table=section.blocks[0], title=heading, size=table_size(size)))
            items.extend(blocks(section.blocks[1:], size))
            items.extend(sections(section.children, size, level_offset))
            continue
        look = heading_size(heading_size(size)) if level <= 1 else heading_size(size)
        colour = MAIN if level <= 2 else TEXT
        paras = [p(("● " if level <= 2 else "") + heading, look, True, colour, space_before=look / 2)]
        items.append(Item(paras, heading=True))
        items.extend(blocks(section.blocks, size))
        items.extend(sections(section.children, size, level_offset))
    return items
