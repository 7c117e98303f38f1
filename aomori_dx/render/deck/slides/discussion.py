"""The discussion: each section of discussion.md flowed over its own slides in two columns."""

from __future__ import annotations

from aomori_dx.model import Document
from aomori_dx.render.deck.flow import Item, blocks, flow, sections
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import p

__all__ = ["discussion"]


def discussion(ctx: Context) -> None:
    document: Document = ctx.result.period.discussion
    for section in document.sections:
        items = blocks(section.blocks, 13) + sections(section.children, 12, level_offset=1)
        flow(ctx.deck, section.title, items or [Item([p("", 12)])], columns=2)
