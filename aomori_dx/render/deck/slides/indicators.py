"""The indicator table of a KPI (target, previous and latest values with their rates, source),
continued with （続き）, and the KPI's average rate in a box below it."""

from __future__ import annotations

from decimal import Decimal

from aomori_dx.compute import IndicatorResult, KpiResult
from aomori_dx.format import indicator_note, percent, value_with_unit
from aomori_dx.render.deck.flow import paged_table
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    CHANGED,
    MAIN,
    MARGIN,
    MUTED,
    SLIDE_W,
    TEXT,
    Align,
    Anchor,
    Colour,
    Para,
    cell,
    p,
)
from aomori_dx.render.deck.writer import Slide
from aomori_dx.render.layout import text_width

__all__ = ["indicator_slides"]

VALUE_W = {"target": 1.35, "previous": 1.6, "latest": 1.75}


def _fit(text: str, width: float, largest: float = 14, smallest: float = 9) -> float:
    """The largest size (in half points) at which ``text`` stays on one line in ``width`` inches:
    a figure must never break in the middle."""
    size = largest
    while size > smallest and text_width(text, size) > width - 0.14:
        size -= 0.5
    return size


def _value_paras(
    value: Decimal | None, unit: str, period: str, note: str, changed: bool, width: float
) -> list[Para]:
    colour = CHANGED if changed else TEXT
    text = value_with_unit(value, unit)
    paras = [p(text, _fit(text, width), False, colour, align=Align.RIGHT)]
    if period:
        paras.append(p(f"({period})", 10, False, colour if changed else MUTED, align=Align.RIGHT))
    if note:
        paras.append(p(note, 9, False, MUTED, align=Align.LEFT))
    return paras


def indicator_slides(ctx: Context, result: KpiResult) -> None:
    widths = (3.3, VALUE_W["target"], VALUE_W["previous"], 1.25, VALUE_W["latest"], 1.25, 2.03)
    header = [
        cell(text, 10, True, align=Align.CENTER)
        for text in (
            "中間指標名",
            "目標値\n(A)",
            "前期の値\n(B)",
            "前期の\n達成率\n(B/A)×100=C",
            "直近の値\n(D)",
            "直近の\n達成率\n(D/A)×100=E",
            "データの出所",
        )
    ]
    rows = [_indicator_row(item) for item in result.indicators]

    def kpi_box(slide: Slide, bottom: float) -> None:
        paras = [
            p(
                f"KPI {percent(result.rate)}",
                22,
                True,
                CHANGED if result.changed else MAIN,
                align=Align.CENTER,
            ),
            p("（達成率の単純平均）", 11, align=Align.CENTER),
        ]
        box = ctx.deck.writer.box(
            slide, SLIDE_W - MARGIN - 3.2, bottom + 0.15, 3.2, 0.95, Colour.BACKGROUND_2, MAIN, rounded=True
        )
        ctx.deck.fit_shape(slide, box, paras, anchor=Anchor.MIDDLE)

    paged_table(
        ctx.deck,
        f"{result.kpi.name}（{result.kpi.field}）",
        widths,
        header,
        rows,
        reserve=1.15,
        after=kpi_box,
        min_row=0.55,
    )


def _indicator_row(item: IndicatorResult) -> list[list[Para]]:
    indicator = item.indicator
    changed = set(item.changed_fields) | ({"target", "previous", "latest"} if item.new else set())
    previous_changed = bool(changed & {"previous", "previous_period"})
    latest_changed = bool(changed & {"latest", "latest_period"})
    target_changed = bool(changed & {"target", "unit"})
    previous_period = indicator.previous_period.text if indicator.previous_period else ""
    latest_period = indicator.latest_period.text if indicator.latest_period else ""

    def rate(value: Decimal | None, is_changed: bool) -> list[Para]:
        return cell(percent(value), 14, False, CHANGED if is_changed else TEXT, Align.RIGHT)

    target_text = value_with_unit(indicator.target, indicator.unit)
    return [
        cell(indicator.name, 12),
        cell(
            target_text,
            _fit(target_text, VALUE_W["target"]),
            False,
            CHANGED if target_changed else TEXT,
            Align.RIGHT,
        ),
        _value_paras(
            indicator.previous, indicator.unit, previous_period, "", previous_changed, VALUE_W["previous"]
        ),
        rate(item.previous_rate, previous_changed or target_changed),
        _value_paras(
            indicator.latest,
            indicator.unit,
            latest_period,
            indicator_note(indicator),
            latest_changed,
            VALUE_W["latest"],
        ),
        rate(item.latest_rate, latest_changed or target_changed),
        cell(indicator.source, 10),
    ]
