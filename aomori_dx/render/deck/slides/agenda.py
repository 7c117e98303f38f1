"""The agenda, and the same agenda as a divider before each part with that part emphasised."""

from __future__ import annotations

from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import BOTTOM, CONTENT_W, MAIN, MARGIN, MUTED, TEXT, TOP, Para, Run

__all__ = ["agenda"]


def agenda(ctx: Context, current: str | None) -> None:
    """The agenda; with ``current`` (a section name) as a divider with that item emphasised."""
    items = ctx.result.period.agenda
    if not items:
        return
    deck = ctx.deck
    slide = deck.slide("次第")
    paras = []
    for item in items:
        chosen = current is not None and (
            item.section == current or (current == "closing" and item is items[-1])
        )
        colour = MAIN if chosen else (MUTED if current is not None else TEXT)
        size = {1: 28, 2: 24, 3: 21}.get(item.level, 21)
        text = f"{item.number} {item.text}".strip()
        paras.append(
            Para(
                [Run(("▶ " if chosen else "") + text, size, chosen or item.level == 1, colour)],
                space_before=10 if item.level == 1 else 4,
            )
        )
        _indent(paras[-1], item.level)
    # As large as the agenda fits: the fitting shrinks it (not below the body minimum) when long.
    box = deck.writer.add_textbox(slide, MARGIN + 0.8, TOP + 0.2, CONTENT_W - 1.6, BOTTOM - TOP - 0.4)
    deck.fit_shape(slide, box, paras, "次第の文字", 0.5)


def _indent(para: Para, level: int) -> None:
    # Agenda levels are shown by leading full-width spaces, which survive every viewer.
    if level > 1:
        para.runs[0].text = "　" * (level - 1) * 2 + para.runs[0].text
