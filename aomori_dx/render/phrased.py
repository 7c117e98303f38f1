"""Japanese text for the terminal that wraps between phrases, as the deck and the report break it.

rich wraps at spaces and folds text without them between any two characters, so a name in a
narrow column read 「相談|件数」 or 「取り|組んでいる」.  ``Phrases`` asks ``layout.wrap_cells`` for
the lines at the width rich gives it (BudouX is loaded only when a text does not fit).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from aomori_dx.render.layout import wrap_cells

__all__ = ["Phrases"]


class Phrases:
    """Lines of text, each with its style, wrapped between phrases at the width rich gives them
    (rich alone folds Japanese between any two characters: 「相談|件数」, 「取り|組んでいる」)."""

    def __init__(self, *parts: tuple[str, str]) -> None:
        self.parts = tuple((text, style) for text, style in parts if text)

    @property
    def plain(self) -> str:
        """The text without styles, a line per part."""
        return "\n".join(text for text, _ in self.parts)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.plain.split("\n")), default=0)
        return Measurement(min(widest, 10), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for text, style in self.parts:
            for line in wrap_cells(text, max(options.max_width, 1)):
                yield Text(line, style=style, overflow="fold")
