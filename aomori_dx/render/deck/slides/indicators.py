"""The indicator table of a KPI (target, previous and latest values with their rates, source) at
the largest size that fits, continued with （続き）; the KPI's average rate in a box below it, and
beside it a footnote for every rate that differs from the one the department published."""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.compute import KpiResult
from aomori_dx.format import indicator_note, percent
from aomori_dx.rates import published_differs
from aomori_dx.render.deck.flow import Row, TableFlow, table_slides, word_table
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import (
    CHANGED,
    CONTENT_W,
    MAIN,
    MARGIN,
    MUTED,
    NOTE_MIN,
    SLIDE_W,
    TABLE_MIN,
    TEXT,
    Align,
    Anchor,
    Colour,
    Para,
    Run,
    cell,
    p,
)
from aomori_dx.render.deck.writer import Slide
from aomori_dx.render.layout import text_width
from aomori_dx.render.views import AVERAGE_NOTE, INDICATOR_HEADER, IndicatorRow, ValueCell, indicator_rows

__all__ = ["indicator_slides"]

KPI_BOX_W = 3.2
KPI_BOX_H = 1.15  # the KPI box and the space above it
NOTES_W = CONTENT_W - KPI_BOX_W - 0.2  # the footnotes, beside the KPI box
NOTE_SIZE = 12.0  # larger than a note needs: members will ask about a figure that differs
# The columns' preferred widths; ``word_widths`` widens one whose widest word (a figure with
# its unit, a katakana run of the source) needs more, taking it from those with room to spare.
WIDTHS = (2.93, 1.35, 1.6, 1.44, 1.75, 1.44, 2.03)
MARK = "※"  # after a rate that differs from the published one; explained under the table


def _fit(text: str, width: float, largest: float, smallest: float = TABLE_MIN) -> float:
    """The largest size (in half points) at which ``text`` stays on one line in ``width`` inches:
    a figure must never break in the middle (if the table's minimum allows)."""
    size = largest
    # The cell's margins and a little more: a mark such as ※1 must not wrap alone.
    while size > smallest and text_width(text, size) > width - 0.25 + 1e-9:
        size -= 0.5
    return size


def _fitted(row: list[list[Para]], widths: Sequence[float]) -> list[list[Para]]:
    """``row`` with each figure (a right-aligned paragraph) as much smaller as keeps it on one
    line in its column: only where the columns could not all be made wide enough."""
    return [
        [
            Para(
                [Run(run.text, _fit(para.text, width, run.size), run.bold, run.colour) for run in para.runs],
                para.align,
            )
            if para.align is Align.RIGHT
            else para
            for para in paras
        ]
        for paras, width in zip(row, widths, strict=True)
    ]


def _value_paras(value: ValueCell, mark: str, size: float) -> list[Para]:
    colour = CHANGED if value.changed else TEXT
    paras = [p(value.text + mark, size + 1, False, colour, align=Align.RIGHT)]
    if value.period:
        paras.append(
            p(
                f"（{value.period}）",
                max(NOTE_MIN, size - 2),
                False,
                colour if value.changed else MUTED,
                align=Align.RIGHT,
            )
        )
    return paras


def indicator_slides(ctx: Context, result: KpiResult) -> None:
    marks = _marks(result)

    def table(size: float) -> TableFlow:
        header_size = min(size, 12.0)
        header = [cell(text, header_size, True, align=Align.CENTER) for text in INDICATOR_HEADER]
        rows = [
            Row(_indicator_row(row, index, size, marks), str(index))
            for index, row in enumerate(indicator_rows(result))
        ]
        return word_table(header, rows, WIDTHS, min_row=0.55, refit=_fitted)

    def kpi_box(slide: Slide, bottom: float) -> None:
        paras = [
            p(
                f"KPI {percent(result.rate)}",
                22,
                True,
                CHANGED if result.changed else MAIN,
                align=Align.CENTER,
            ),
            p(AVERAGE_NOTE, 12, align=Align.CENTER),
        ]
        box = ctx.deck.writer.box(
            slide,
            SLIDE_W - MARGIN - KPI_BOX_W,
            bottom + 0.15,
            KPI_BOX_W,
            0.95,
            Colour.BACKGROUND_2,
            MAIN,
            rounded=True,
        )
        ctx.deck.fit_shape(slide, box, paras, anchor=Anchor.MIDDLE)

    def foot(slide: Slide, bottom: float, parts: Sequence[TableFlow], last: bool) -> None:
        shown = {int(key) for part in parts for key in part.row_keys()}
        notes = [_footnote(mark, text) for (index, _), (mark, text) in marks.items() if index in shown]
        if notes:
            ctx.deck.textbox(
                slide, MARGIN, bottom + 0.1, NOTES_W, paras_height(notes, NOTES_W), notes, what="注記"
            )
        if last:
            kpi_box(slide, bottom)

    every_note = [_footnote(mark, text) for mark, text in marks.values()]
    reserve = max(KPI_BOX_H, paras_height(every_note, NOTES_W) + 0.15)
    table_slides(ctx.deck, f"{result.kpi.name}（{result.kpi.field}）", table, reserve=reserve, foot=foot)


def _marks(result: KpiResult) -> dict[tuple[int, str], tuple[str, str]]:
    """The footnotes of the table, by (indicator's position, ``previous``, ``note`` or ``latest``
    — the columns C, D and E): their mark (※1, ※2 … in the table's order) and text.  A rate that
    differs from its published one says so; an indicator's note (its basis, the decrease rule)
    goes under the table too, since in the value's narrow column it would take five lines."""
    marks: dict[tuple[int, str], tuple[str, str]] = {}
    for index, item in enumerate(result.indicators):
        indicator = item.indicator
        note = " ".join(line.strip().lstrip(MARK).strip() for line in indicator_note(indicator).splitlines())
        for which, rate, published in (
            ("previous", item.previous_rate, indicator.previous_rate_published),
            ("note", None, None),
            ("latest", item.latest_rate, indicator.latest_rate_published),
        ):
            if which == "note" and note.strip():
                marks[(index, which)] = (f"{MARK}{len(marks) + 1}", note)
            elif published is not None and published_differs(rate, published):
                text = f"達成率は値と目標値から再計算しています（公表値 {percent(published)}）"
                marks[(index, which)] = (f"{MARK}{len(marks) + 1}", text)
    return marks


def _footnote(mark: str, text: str) -> Para:
    return p(f"{mark} {text}", NOTE_SIZE, colour=MUTED)


def _indicator_row(
    row: IndicatorRow, index: int, size: float, marks: dict[tuple[int, str], tuple[str, str]]
) -> list[list[Para]]:
    def mark(which: str) -> str:
        found = marks.get((index, which))
        return found[0] if found else ""

    def rate(which: str) -> list[Para]:
        shown = row.previous_rate if which == "previous" else row.latest_rate
        return cell(
            shown.text + mark(which), size + 2, False, CHANGED if shown.changed else TEXT, Align.RIGHT
        )

    return [
        cell(row.name, size),
        cell(row.target.text, size + 1, False, CHANGED if row.target.changed else TEXT, Align.RIGHT),
        _value_paras(row.previous, "", size),
        rate("previous"),
        _value_paras(row.latest, mark("note"), size),
        rate("latest"),
        cell(row.source, max(TABLE_MIN, size - 2)),
    ]
