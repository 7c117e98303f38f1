"""What every slide kind is given: the deck being composed, the result, and the field colours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aomori_dx.compute import Result
from aomori_dx.render.deck.flow import Composer
from aomori_dx.render.deck.style import Colour

__all__ = ["Context"]


@dataclass
class Context:
    """The deck, the result it shows, the progress callback and each field's colour."""

    deck: Composer
    result: Result
    progress: Callable[[str], None]
    field_colour: dict[str, Colour] = field(default_factory=dict)
