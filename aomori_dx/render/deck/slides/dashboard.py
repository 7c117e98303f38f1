"""The dashboard of a field: KPI cards (doughnut, rate, 前期差, components), three to a slide, and
the field's representative cases beside them (what does not fit continues on its own slides)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from aomori_dx.compute import KpiResult
from aomori_dx.format import percent, points
from aomori_dx.model import Paragraph
from aomori_dx.render.deck.flow import Item, blocks, flow, sections
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    BOTTOM,
    CHANGED,
    CONTENT_W,
    MARGIN,
    MUTED,
    TEXT,
    TOP,
    Anchor,
    Colour,
    Para,
    Run,
    full_width_brackets,
    p,
)
from aomori_dx.render.deck.writer import Slide

__all__ = ["dashboard"]

CARDS_PER_SLIDE = 3  # as the meeting material shows them; more KPIs continue on the next slide


def dashboard(ctx: Context, field_name: str, kpis: Sequence[KpiResult]) -> None:
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    colour = ctx.field_colour[field_name]
    cases = [case for case in ctx.result.period.cases if case.field == field_name]
    left_w = 7.2 if cases else CONTENT_W
    title = f"目標達成状況ダッシュボード　{field_name}"
    pages = [kpis[i : i + CARDS_PER_SLIDE] for i in range(0, len(kpis), CARDS_PER_SLIDE)] or [[]]
    slide = None
    for number_, page in enumerate(pages):
        current = deck.slide(title + ("（続き）" if number_ else ""))
        if slide is None:
            slide = current
        _cards(ctx, current, page, left_w, colour)
    assert slide is not None
    if not cases:
        return
    until = f"（{meeting.as_of.year}年{meeting.as_of.month}月末まで）" if meeting.as_of else ""
    right_left = MARGIN + left_w + 0.3
    right_w = CONTENT_W - left_w - 0.3
    heading = [p(f"代表的な事例{until}", 16, True, colour)]
    deck.textbox(slide, right_left, TOP, right_w, 0.45, heading)
    _cases_beside(ctx, slide, cases, field_name, right_left, right_w, colour)


def _cards(ctx: Context, slide: Slide, kpis: Sequence[KpiResult], left_w: float, colour: Colour) -> None:
    """KPI cards: doughnut, name, rate (once, large, beside the doughnut), 前期差 and the components."""
    deck = ctx.deck
    count = max(1, CARDS_PER_SLIDE)
    gap = 0.12
    card_h = min(2.0, (BOTTOM - TOP - gap * (count - 1)) / count)
    for index, result in enumerate(kpis):
        top = TOP + index * (card_h + gap)
        deck.writer.box(
            slide, MARGIN, top, left_w, card_h, Colour.BACKGROUND_1, colour, rounded=True, corner=0.06
        )
        size = card_h - 0.2
        shown = float(max(Decimal(0), min(Decimal(100), result.rate or Decimal(0))))
        chart = deck.writer.doughnut(slide, MARGIN + 0.1, top + 0.1, size, shown, colour)
        deck.writer.describe(chart, f"KPI {result.kpi.name} の達成率 {percent(result.rate)}")
        rate_colour = CHANGED if result.changed else TEXT
        text_left = MARGIN + size + 0.3
        text_w = left_w - size - 0.4
        paras = [
            p(full_width_brackets(result.kpi.name), 16, True, colour),
            Para(
                [
                    Run(percent(result.rate), 32, True, rate_colour),
                    Run(f"　前期差 {points(result.delta)}", 16, False, TEXT),
                ]
            ),
        ]
        if result.kpi.components:
            paras.append(p("【指標の構成要素】", 12, True, MUTED))
            paras.append(p(full_width_brackets(result.kpi.components), 12, colour=MUTED))
        deck.textbox(
            slide, text_left, top + 0.05, text_w, card_h - 0.1, paras, Anchor.MIDDLE, "KPI のカードの文字"
        )
    if any(result.changed for result in kpis):
        deck.textbox(slide, MARGIN, BOTTOM, 6, 0.3, [p("赤字は前期から変わった値", 11, colour=CHANGED)])


def _cases_beside(
    ctx: Context,
    slide: Slide,
    cases: Sequence[Any],
    field_name: str,
    right_left: float,
    right_w: float,
    colour: Colour,
) -> None:
    """The field's representative cases beside the cards; what does not fit continues after."""
    deck = ctx.deck
    y = TOP + 0.5
    overflow: list[Item] = []
    for case in cases:
        paras = [_case_title(case.title, colour)]
        paras += [p(full_width_brackets(b.text), 12) for b in case.blocks if isinstance(b, Paragraph)]
        others = [block for block in case.blocks if not isinstance(block, Paragraph)]
        height = paras_height(paras, right_w)
        if overflow or y + height > BOTTOM:
            overflow.append(Item(paras))
        else:
            deck.textbox(slide, right_left, y, right_w, height, paras)
            y += height + 0.08
        if others or case.sections:
            overflow.append(Item([_case_title(case.title, colour)]))
            overflow.extend(blocks(others, 12))
            overflow.extend(sections(case.sections, 12))
    if overflow:
        flow(ctx.deck, f"代表的な事例　{field_name}", overflow, columns=2)


def _case_title(title: str, colour: Colour) -> Para:
    """A case's title, the same beside the cards and on the slides that continue the cases."""
    return p(full_width_brackets(title), 14, True, colour, space_before=6)
