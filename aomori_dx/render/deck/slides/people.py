"""The attendees: the members' table (continued with （続き）) and the prefecture's staff in two
columns grouped by their department."""

from __future__ import annotations

from aomori_dx.render.deck.flow import paged_table, two_column_tables
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import CHANGED, Align, Para, cell

__all__ = ["people"]


def people(ctx: Context) -> None:
    period = ctx.result.period
    if period.members:
        widths = (2.2, 8.2, 2.1)
        header = [cell(h, 12, True, align=Align.CENTER) for h in ("氏名", "役職", "備考")]
        rows = [
            [cell(m.name, 12), cell(m.title, 12), cell(m.note, 12, colour=CHANGED if m.absent else None)]
            for m in period.members
        ]
        paged_table(ctx.deck, "出席者", widths, header, rows, note="（敬称略、五十音順）")
    if period.staff:
        groups = list(dict.fromkeys(s.group for s in period.staff))
        widths = (3.35, 1.3, 1.5)
        items: list[tuple[str, list[list[Para]]]] = []
        for group in groups:
            for person in period.staff:
                if person.group == group:
                    items.append(
                        (group, [cell(person.division, 10), cell(person.title, 10), cell(person.name, 10)])
                    )
        two_column_tables(ctx.deck, "出席者（県側出席者）", widths, ("所属", "役職", "氏名"), items, size=10)
