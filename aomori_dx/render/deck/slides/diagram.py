"""A diagram of columns crossed by bands, drawn with native shapes so it stays editable.

The columns (a theme's fields) are tall rectangles side by side, each with its name in a bar of
the field's colour; the bands (what cuts across every field) are wide rectangles laid over them.
Names come from the Markdown (``model.Diagram``); labels are never smaller than 14 pt, so the
diagram reads from the back of the room.
"""

from __future__ import annotations

from aomori_dx.model import Diagram
from aomori_dx.render.deck.flow import Composer
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.style import FIELD_COLOURS, MAIN, MUTED, Align, Anchor, Colour, Para, p
from aomori_dx.render.deck.writer import Slide

__all__ = ["MIN_LABEL", "diagram_height", "draw_diagram"]

MIN_LABEL = 14.0
COLUMN_GAP = 0.15
OVERHANG = 0.15  # the bands reach past the outer columns: they cross them
BAND_GAP = 0.12
SHAPE_PAD_X = 0.2  # a shape's own text margins (0.1 inch each side)
SHAPE_PAD_Y = 0.1


def _column_width(diagram: Diagram, width: float) -> float:
    columns = max(1, len(diagram.columns))
    return (width - 2 * OVERHANG - COLUMN_GAP * (columns - 1)) / columns


def _label(text: str, size: float, colour: Colour) -> list[Para]:
    return [p(text, size, True, colour, align=Align.CENTER)]


def _head_height(diagram: Diagram, width: float, size: float) -> float:
    column_w = _column_width(diagram, width)
    return (
        max(
            (paras_height(_label(name, size, MAIN), column_w - SHAPE_PAD_X) for name in diagram.columns),
            default=0.0,
        )
        + SHAPE_PAD_Y
    )


def _band_height(diagram: Diagram, width: float, size: float) -> float:
    return (
        max(
            (paras_height(_label(name, size, MAIN), width - SHAPE_PAD_X) for name in diagram.bands),
            default=0.0,
        )
        + SHAPE_PAD_Y
        + 0.08
    )


def _caption(diagram: Diagram) -> list[Para]:
    return [p(diagram.caption, 12, colour=MUTED, align=Align.CENTER)] if diagram.caption else []


def diagram_height(diagram: Diagram, width: float, size: float) -> float:
    """The least height the diagram needs at ``size`` (its caption included)."""
    bands = len(diagram.bands)
    caption = _caption(diagram)
    return (
        _head_height(diagram, width, size)
        + BAND_GAP
        + bands * _band_height(diagram, width, size)
        + (bands - 1) * BAND_GAP
        + BAND_GAP
        + (paras_height(caption, width) if caption else 0.0)
    )


def draw_diagram(
    deck: Composer,
    slide: Slide,
    diagram: Diagram,
    box: tuple[float, float, float, float],
    size: float,
    field_colours: dict[str, Colour],
) -> None:
    """The diagram in ``box`` (left, top, width, height; at least ``diagram_height``): the bands
    share the height left below the column names."""
    left, top, width, height = box
    size = max(size, MIN_LABEL)
    caption = _caption(diagram)
    caption_h = paras_height(caption, width) if caption else 0.0
    head_h = _head_height(diagram, width, size)
    column_w = _column_width(diagram, width)
    body_h = height - caption_h
    for index, name in enumerate(diagram.columns):
        # A column named like a field of the period keeps that field's colour everywhere.
        colour = field_colours.get(name, FIELD_COLOURS[index % len(FIELD_COLOURS)])
        x = left + OVERHANG + index * (column_w + COLUMN_GAP)
        body = deck.writer.box(slide, x, top, column_w, body_h, colour, colour)
        deck.writer.tint(body, colour, 80)
        head = deck.writer.box(slide, x, top, column_w, head_h, colour)
        label = _label(name, size, Colour.BACKGROUND_1)
        deck.fit_shape(slide, head, label, "図の列の名前", 1.0, Anchor.MIDDLE)
    bands = max(1, len(diagram.bands))
    natural = _band_height(diagram, width, size)
    room = body_h - head_h
    # Spare height goes partly to the bands and partly between them, so the columns show
    # through the gaps and the bands read as crossing them.
    band_h = min(natural * 1.5, (room - BAND_GAP * (bands + 1)) / bands)
    gap = (room - band_h * bands) / (bands + 1)
    for index, name in enumerate(diagram.bands):
        y = top + head_h + gap + index * (band_h + gap)
        band = deck.writer.box(slide, left, y, width, band_h, MAIN, rounded=True, corner=0.2)
        label = _label(name, size, Colour.BACKGROUND_1)
        deck.fit_shape(slide, band, label, "図の横断する取組の名前", 1.0, Anchor.MIDDLE)
    if caption:
        deck.textbox(slide, left, top + body_h, width, caption_h, caption)
