"""The attendees: the members' table (continued with （続き）) and the prefecture's staff in two
columns grouped by their department, each at the largest size of the type scale that fits."""

from __future__ import annotations

from aomori_dx.render.deck.flow import Row, TableFlow, table_slides
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import CHANGED, CONTENT_W, MAIN, MUTED, Align, Para, cell, p

__all__ = ["people"]

COLUMN_GAP = 0.35  # between the two columns of staff tables


def people(ctx: Context) -> None:
    period = ctx.result.period
    if period.members:
        widths = (2.4, 8.0, 2.1)

        def members(size: float) -> TableFlow:
            header = [cell(h, size, True, align=Align.CENTER) for h in ("氏名", "役職", "備考")]
            rows = [
                Row(
                    [
                        cell(m.name, size),
                        cell(m.title, size),
                        cell(m.note, size, colour=CHANGED if m.absent else None),
                    ]
                )
                for m in period.members
            ]
            return TableFlow(widths, header, rows)

        note = p("（敬称略、五十音順）", 12, colour=MUTED, align=Align.RIGHT)
        table_slides(ctx.deck, "出席者", members, note=note)
    if period.staff:
        column_w = (CONTENT_W - COLUMN_GAP) / 2
        widths = (column_w * 0.52, column_w * 0.24, column_w * 0.24)
        order = {group: index for index, group in enumerate(dict.fromkeys(s.group for s in period.staff))}
        # Grouped in the order the groups first appear; within a group, as written.
        staff = sorted(period.staff, key=lambda s: order[s.group])

        def caption(group: str) -> list[Para]:
            return [p(f"【{group}】", 14, True, MAIN, space_before=4)]

        def staff_table(size: float) -> TableFlow:
            header = [cell(h, size, True, align=Align.CENTER) for h in ("所属", "役職", "氏名")]
            rows = [
                Row([cell(s.division, size), cell(s.title, size), cell(s.name, size)], key=s.group)
                for s in staff
            ]
            return TableFlow(widths, header, rows, caption=caption)

        table_slides(ctx.deck, "出席者（県側出席者）", staff_table, columns=2)
