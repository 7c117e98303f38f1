"""The meeting deck (.pptx) in the order and format of the meeting material.

Reads only the computed ``Result`` (and the period's narrative) and a template.  Nothing
overflows: text is measured and long tables and text continue on the next slide with the header
repeated and （続き）.  The file is deterministic: fixed core properties and zip times.

The package is layered so that a change to one kind of slide touches one small file:

- ``writer``: the only module that knows python-pptx (slides, text, tables, shapes, pictures,
  charts, saving), with ``drawingml`` writing its paragraphs and tables as XML text;
- ``style``: runs, paragraphs, theme colour roles and the slide's geometry, as plain values;
- the layout engine, whose names ``flow`` gathers: ``measure`` (heights, cutting), ``compose``
  (text fitted to its box, warnings), ``widths`` (columns that keep words whole), ``tables``
  (the splitting protocol, tables paginated with （続き）), ``items`` and ``story`` (narrative);
- ``slides/``: one module per kind of slide; ``build``: their order in the deck.
"""

from __future__ import annotations

from aomori_dx.render.deck.build import BuiltDeck, build_deck, render_deck
from aomori_dx.render.deck.writer import DEFAULT_FONT, DEFAULT_TEMPLATE, DeckOptions, layout_names

__all__ = [
    "DEFAULT_FONT",
    "DEFAULT_TEMPLATE",
    "BuiltDeck",
    "DeckOptions",
    "build_deck",
    "layout_names",
    "render_deck",
]
