"""The layout engine's public face: the names the slide kinds import, from the modules that own
them.

- ``compose``: the ``Composer``, which fits every title and text box to its box (smaller, then
  cut with … and reported, naming the slide) and checks tables against the slide's bottom;
- ``widths``: column widths that keep words whole (``cell_floor``, ``word_widths``,
  ``auto_widths``);
- ``tables``: the splitting protocol (``Flowable``, ``pack``, ``balance``) and tables fitted to
  the slide (``TableFlow``, ``word_table``, ``fit_table``, ``table_slides``);
- ``items``: narrative from Markdown as ``Item`` values, and its type scale (``BODY_SCALE``);
- ``story``: narrative cut into columns and slides (``Story``, ``fit_flow``, ``flow``).

Measurements come from ``measure`` (the calibrated metrics of ``render.layout``).
"""

from __future__ import annotations

from aomori_dx.render.deck.compose import Composer
from aomori_dx.render.deck.items import BODY_SCALE, Item, blocks, heading_size, sections, table_size
from aomori_dx.render.deck.story import Story, draw_story, fit_flow, fit_story, flow
from aomori_dx.render.deck.tables import (
    Flowable,
    Row,
    TableFlow,
    balance,
    fit_table,
    pack,
    table_slides,
    word_table,
)
from aomori_dx.render.deck.widths import auto_widths, cell_floor, word_widths

__all__ = [
    "BODY_SCALE",
    "Composer",
    "Flowable",
    "Item",
    "Row",
    "Story",
    "TableFlow",
    "auto_widths",
    "balance",
    "blocks",
    "cell_floor",
    "draw_story",
    "fit_flow",
    "fit_story",
    "fit_table",
    "flow",
    "heading_size",
    "pack",
    "sections",
    "table_size",
    "table_slides",
    "word_table",
    "word_widths",
]
