"""The opening content: the history of the plan, the basic goals as cards, and the KPIs by field."""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.compute import KpiResult
from aomori_dx.format import value_with_unit
from aomori_dx.model import Goal
from aomori_dx.render.deck.flow import blocks, fit_flow, sections
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    BOTTOM,
    CONTENT_W,
    MAIN,
    MARGIN,
    MUTED,
    TEXT,
    TOP,
    Align,
    Anchor,
    Colour,
    Para,
    full_width_brackets,
    p,
)
from aomori_dx.render.deck.writer import Slide

__all__ = ["GOAL_SCALES", "NO_VALUE", "goal_card", "goals", "history", "kpi_list"]

NO_VALUE = "現状値：記載なし"
INTRO_H = (BOTTOM - TOP) / 3  # goals_intro, kpis_intro: the goals and KPIs below are the content
GOAL_SCALES = (1.3, 1.15, 1.0, 0.85, 0.7)  # of the goal cards' type, largest first
KPI_NAME_SIZES = (20, 18, 16, 14)  # on the KPI list, largest first


def history(ctx: Context) -> None:
    """The history of the plan at the largest size at which it fills its slide."""
    document = ctx.result.period.history
    if document.blocks or document.sections:
        fit_flow(
            ctx.deck,
            "検討の経緯",
            lambda size: blocks(document.blocks, size) + sections(document.sections, size),
        )


def _intro(ctx: Context, slide: Slide, text: str, column: str) -> float:
    """meeting.csv's introduction of a slide (``column``) at its top, in at most a third of it;
    the top of what follows."""
    if not text:
        return TOP
    paras = [p(text, 16)]
    height = min(INTRO_H, paras_height(paras, CONTENT_W))
    ctx.deck.textbox(slide, MARGIN, TOP, CONTENT_W, height, paras, what=f"meeting.csv の {column} の文")
    return TOP + height + 0.3


def goals(ctx: Context) -> None:
    period = ctx.result.period
    deck = ctx.deck
    if not period.goals:
        return
    slide = deck.slide("基本目標")
    top = _intro(ctx, slide, period.meeting.goals_intro, "goals_intro")
    count = len(period.goals)
    gap = 0.25
    width = (CONTENT_W - gap * (count - 1)) / count
    room = BOTTOM - top
    # The largest type at which the fullest card fills at most most of the room; the cards are
    # as tall as the fullest one, so they line up and none is mostly empty.
    for scale in GOAL_SCALES:
        cards = [goal_card(goal, scale) for goal in period.goals]
        height = max(paras_height(paras, width - 0.2) for paras in cards) + 0.2
        if height <= room * 0.85:
            break
    height = min(room, height)
    # In the middle of the room the intro leaves: read as one row, not text stuck under the title.
    top += (BOTTOM - top - height) / 2
    for index, paras in enumerate(cards):
        left = MARGIN + index * (width + gap)
        deck.writer.box(slide, left, top, width, height, Colour.BACKGROUND_2, MAIN, rounded=True, corner=0.05)
        deck.textbox(
            slide, left + 0.1, top + 0.1, width - 0.2, height - 0.2, paras, what="基本目標の枠の文字"
        )


def goal_card(goal: Goal, scale: float = 1.0) -> list[Para]:
    """A goal's card: its name, the value now with its year, the target, and the source; a goal
    the plan gives no value for says so (two of the seed's four).  ``scale`` enlarges the type."""

    def pt(size: float) -> float:
        return round(size * scale * 2) / 2

    paras = [p(full_width_brackets(goal.name), pt(20), True, MAIN)]
    if goal.description:
        paras.append(p(f"（{full_width_brackets(goal.description)}）", pt(16)))
    if goal.baseline is None:
        paras.append(p(NO_VALUE, pt(18), True, TEXT, space_before=12))
    else:
        # No larger: a value and its unit stay on one line of a card a quarter of the slide wide.
        paras.append(
            p(value_with_unit(goal.baseline, goal.unit), min(40, pt(40)), True, TEXT, space_before=8)
        )
        if goal.baseline_year:
            paras.append(p(f"（{goal.baseline_year}）", pt(18)))
    if goal.target is not None:
        target = f"目標 {value_with_unit(goal.target, goal.unit)}（{goal.target_year}）"
        paras.append(p(target, pt(18), True, MAIN, space_before=8))
    elif goal.target_year:
        paras.append(p(f"目標年 {goal.target_year}", pt(18), False, MAIN, space_before=8))
    if goal.source:
        paras.append(p(f"〈{full_width_brackets(goal.source)}〉", pt(14), colour=MUTED, space_before=12))
    return paras


def kpi_list(ctx: Context) -> None:
    period = ctx.result.period
    deck = ctx.deck
    slide = deck.slide("重要業績評価指標（KPI）")
    top = _intro(ctx, slide, period.meeting.kpis_intro, "kpis_intro")
    fields = list(ctx.result.fields)
    gap = 0.25
    width = (CONTENT_W - gap * (len(fields) - 1)) / max(1, len(fields))
    room = BOTTOM - top - 0.75
    # The largest size at which every field's names fit (20 pt: read from the back of the room).
    size = next(
        (
            size
            for size in KPI_NAME_SIZES
            if all(paras_height(_kpi_names(f.kpis, size), width) <= room for f in fields)
        ),
        KPI_NAME_SIZES[-1],
    )
    for index, field_result in enumerate(fields):
        left = MARGIN + index * (width + gap)
        colour = ctx.field_colour[field_result.name]
        head = deck.writer.box(slide, left, top, width, 0.6, colour)
        deck.fit_shape(
            slide,
            head,
            [p(field_result.name, 20, True, Colour.BACKGROUND_1, align=Align.CENTER)],
            "分野名",
            anchor=Anchor.MIDDLE,
        )
        paras = _kpi_names(field_result.kpis, size)
        height = min(BOTTOM - top - 0.75, max(1.0, paras_height(paras, width)))
        deck.textbox(slide, left, top + 0.75, width, height, paras, what="KPI の名前")


def _kpi_names(kpis: Sequence[KpiResult], size: float) -> list[Para]:
    return [p(kpi.kpi.name, size, bullet=1, space_before=size * 0.6) for kpi in kpis]
