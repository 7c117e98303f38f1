"""The dashboard of a field: KPI cards (doughnut, rate, 前期差, components), three to a slide (fewer
cards grow), and the field's representative cases beside them at the largest size that fits
there; the cases' tables, sections and pictures, and the cases that do not fit beside the cards,
follow on the field's own cases slides (``flow.fit_flow``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aomori_dx.compute import KpiResult
from aomori_dx.format import percent, points
from aomori_dx.model import Paragraph
from aomori_dx.render.deck.flow import (
    BODY_SCALE,
    Item,
    blocks,
    draw_story,
    fit_flow,
    fit_story,
    heading_size,
    sections,
)
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
from aomori_dx.render.views import CHANGED_LEGEND, shown_share

__all__ = ["dashboard"]

CARDS_PER_SLIDE = 3  # as the meeting material shows them; more KPIs continue on the next slide


def dashboard(ctx: Context, field_name: str, kpis: Sequence[KpiResult]) -> None:
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    colour = ctx.field_colour[field_name]
    cases = [case for case in ctx.result.period.cases if case.field == field_name]
    left_w = 6.6 if cases else CONTENT_W
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
    beside = _cases_beside(ctx, slide, cases, (right_left, right_w), colour, f"代表的な事例{until}")
    _case_details(ctx, cases, beside, field_name, colour)


# Cases are narrative at most 16 pt: their titles (one look beside the cards and on the cases'
# own slides) stay a step above the text at every size.
CASE_SCALE = tuple(size for size in BODY_SCALE if size <= 16)
CASE_TITLE = heading_size(CASE_SCALE[0])
CARD_H = 1.95  # three cards to the slide; fewer cards grow (their type too, up to GROW)
GROW = 1.25


def _cards(ctx: Context, slide: Slide, kpis: Sequence[KpiResult], left_w: float, colour: Colour) -> None:
    """KPI cards: doughnut, name, rate (once, large, beside the doughnut), 前期差 and the components."""
    deck = ctx.deck
    count = max(2, len(kpis))  # a single card is as tall as two: a doughnut, not a poster
    gap = 0.12
    card_h = (BOTTOM - TOP - gap * (count - 1)) / count
    grow = min(GROW, card_h / CARD_H)

    def pt(size: float) -> float:
        return round(size * grow * 2) / 2

    for index, result in enumerate(kpis):
        top = TOP + index * (card_h + gap)
        deck.writer.box(
            slide, MARGIN, top, left_w, card_h, Colour.BACKGROUND_1, colour, rounded=True, corner=0.06
        )
        size = min(card_h - 0.2, CARD_H * GROW)
        shown = float(shown_share(result.rate))
        chart = deck.writer.doughnut(slide, MARGIN + 0.1, top + (card_h - size) / 2, size, shown, colour)
        deck.writer.describe(chart, f"KPI {result.kpi.name} の達成率 {percent(result.rate)}")
        rate_colour = CHANGED if result.changed else TEXT
        text_left = MARGIN + size + 0.3
        text_w = left_w - size - 0.4
        paras = [
            p(full_width_brackets(result.kpi.name), pt(16), True, colour),
            Para(
                [
                    Run(percent(result.rate), pt(32), True, rate_colour),
                    Run(f"　前期差 {points(result.delta)}", pt(16), False, TEXT),
                ]
            ),
        ]
        if result.kpi.components:
            paras.append(p("【指標の構成要素】", pt(12), True, MUTED))
            paras.append(p(full_width_brackets(result.kpi.components), pt(12), colour=MUTED))
        deck.textbox(
            slide, text_left, top + 0.05, text_w, card_h - 0.1, paras, Anchor.MIDDLE, "KPI のカードの文字"
        )
    if any(result.changed for result in kpis):
        deck.textbox(slide, MARGIN, BOTTOM, 6, 0.3, [p(CHANGED_LEGEND, 11, colour=CHANGED)])


def _summary(case: Any, size: float, colour: Colour) -> list[Item]:
    """A case's title and its paragraphs."""
    items = [Item([_case_title(case.title, colour)], heading=True)]
    items += [
        Item([p(full_width_brackets(b.text), size, space_before=size / 4)])
        for b in case.blocks
        if isinstance(b, Paragraph)
    ]
    return items


def _cases_beside(
    ctx: Context,
    slide: Slide,
    cases: Sequence[Any],
    column: tuple[float, float],
    colour: Colour,
    heading: str,
) -> int:
    """As many cases as fit beside the cards at the smallest size (their titles and paragraphs),
    at the largest size at which they fit; returns how many."""
    left, width = column
    top = TOP + 0.5
    for count in range(len(cases), 0, -1):
        chosen = cases[:count]
        fitted = fit_story(
            lambda size: [item for case in chosen for item in _summary(case, size, colour)],  # noqa: B023
            width,
            BOTTOM - top,
            CASE_SCALE,
        )
        if fitted is not None:
            ctx.deck.textbox(slide, left, TOP, width, 0.45, [p(heading, 16, True, colour)])
            draw_story(ctx.deck, slide, fitted[1], left, top)
            return count
    return 0


def _case_details(ctx: Context, cases: Sequence[Any], beside: int, field_name: str, colour: Colour) -> None:
    """What is not beside the cards (the cases that did not fit, the tables, pictures and
    sections of every case) on the field's own cases slides, as large as they fit there."""

    def items(size: float) -> list[Item]:
        found: list[Item] = []
        for index, case in enumerate(cases):
            others = [block for block in case.blocks if not isinstance(block, Paragraph)]
            if index < beside:
                if others or case.sections:
                    found.append(Item([_case_title(case.title, colour)], heading=True))
            else:
                found.extend(_summary(case, size, colour))
            found.extend(blocks(others, size))
            found.extend(sections(case.sections, size))
        return found

    if items(CASE_SCALE[-1]):
        fit_flow(ctx.deck, f"代表的な事例　{field_name}", items, scale=CASE_SCALE)


def _case_title(title: str, colour: Colour) -> Para:
    """A case's title, the same beside the cards and on the slides that continue the cases."""
    return p(full_width_brackets(title), CASE_TITLE, True, colour, space_before=CASE_TITLE / 2)
