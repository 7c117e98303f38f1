"""The opening content: the history of the plan, the basic goals as cards, and the KPIs by field."""

from __future__ import annotations

from aomori_dx.format import value_with_unit
from aomori_dx.render.deck.flow import blocks, flow, sections
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
    p,
)

__all__ = ["goals", "history", "kpi_list"]

INTRO_H = (BOTTOM - TOP) / 3  # goals_intro, kpis_intro: the goals and KPIs below are the content


def history(ctx: Context) -> None:
    document = ctx.result.period.history
    items = blocks(document.blocks, 16) + sections(document.sections, 16)
    if items:
        flow(ctx.deck, "検討の経緯", items, columns=1)


def goals(ctx: Context) -> None:
    period = ctx.result.period
    deck = ctx.deck
    if not period.goals:
        return
    slide = deck.slide("基本目標")
    top = TOP
    if period.meeting.goals_intro:
        height = min(INTRO_H, paras_height([p(period.meeting.goals_intro, 14)], CONTENT_W))
        paras = [p(period.meeting.goals_intro, 14)]
        deck.textbox(slide, MARGIN, top, CONTENT_W, height, paras, what="meeting.csv の goals_intro の文")
        top += height + 0.15
    count = len(period.goals)
    gap = 0.2
    width = (CONTENT_W - gap * (count - 1)) / count
    height = min(4.2, BOTTOM - top)
    for index, goal in enumerate(period.goals):
        left = MARGIN + index * (width + gap)
        deck.writer.box(slide, left, top, width, height, Colour.BACKGROUND_2, MAIN, rounded=True, corner=0.05)
        paras = [p(goal.name, 14, True, MAIN)]
        if goal.description:
            paras.append(p(f"（{goal.description}）", 12))
        if goal.baseline is not None:
            paras.append(p(value_with_unit(goal.baseline, goal.unit), 24, True, TEXT, space_before=10))
            if goal.baseline_year:
                paras.append(p(f"（{goal.baseline_year}）", 12))
        if goal.target is not None:
            paras.append(
                p(f"目標 {value_with_unit(goal.target, goal.unit)}（{goal.target_year}）", 14, True, MAIN)
            )
        if goal.source:
            paras.append(p(f"〈{goal.source}〉", 11, colour=MUTED, space_before=10))
        deck.textbox(
            slide, left + 0.1, top + 0.1, width - 0.2, height - 0.2, paras, what="基本目標の枠の文字"
        )


def kpi_list(ctx: Context) -> None:
    period = ctx.result.period
    deck = ctx.deck
    slide = deck.slide("重要業績評価指標（KPI）")
    top = TOP
    if period.meeting.kpis_intro:
        paras = [p(period.meeting.kpis_intro, 13)]
        height = min(INTRO_H, paras_height(paras, CONTENT_W))
        deck.textbox(slide, MARGIN, top, CONTENT_W, height, paras, what="meeting.csv の kpis_intro の文")
        top += height + 0.15
    fields = list(ctx.result.fields)
    gap = 0.25
    width = (CONTENT_W - gap * (len(fields) - 1)) / max(1, len(fields))
    for index, field_result in enumerate(fields):
        left = MARGIN + index * (width + gap)
        colour = ctx.field_colour[field_result.name]
        head = deck.writer.box(slide, left, top, width, 0.5, colour)
        deck.fit_shape(
            slide,
            head,
            [p(field_result.name, 16, True, Colour.BACKGROUND_1, align=Align.CENTER)],
            "分野名",
            anchor=Anchor.MIDDLE,
        )
        paras = [p(kpi.kpi.name, 14, bullet=1, space_before=6) for kpi in field_result.kpis]
        height = min(BOTTOM - top - 0.6, max(1.0, paras_height(paras, width)))
        deck.textbox(slide, left, top + 0.6, width, height, paras, what="KPI の名前")
