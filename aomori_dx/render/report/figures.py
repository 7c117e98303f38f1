"""The report's chapters of figures: 基本目標 (the goals table), 目標達成状況 (each field's KPIs
with their rate bars and 前期差) and 中間指標の状況 (each KPI's indicator table, its column widths
fitted to the figures, the values that changed since the previous period in the changed colour).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from aomori_dx.compute import Result
from aomori_dx.format import japanese_date, percent, points, value_with_unit
from aomori_dx.render.layout import word_width
from aomori_dx.render.report.fit import CELL_MARGINS_MM, TABLE_SIZE, least_mm
from aomori_dx.render.report.writer import (
    CHANGED,
    MAIN,
    MUTED,
    TABLE_TEXT,
    Cell,
    Report,
    bar,
    para,
    run,
    table,
)
from aomori_dx.render.views import CHANGED_LEGEND, IndicatorRow, RateCell, ValueCell, indicator_rows, kpi_line

# The indicator table's header, each line a phrase that fits its column (the formulas go in the
# note under the table: 「(D/A)×100=E」 in a 15 mm column broke as 「×100= / E」).
INDICATOR_HEADER = (
    "中間指標名",
    "目標値\n(A)",
    "前期の値\n(B)",
    "前期の\n達成率\n(B/A)",
    "直近の値\n(D)",
    "直近の\n達成率\n(D/A)",
    "データの出所",
)
INDICATOR_SHARES = (39, 22, 21, 15, 22, 15, 36)
INDICATOR_NOTE = "※ 達成率 ＝ 値 ÷ 目標値 × 100（前期の達成率 ＝ B ÷ A × 100、直近の達成率 ＝ D ÷ A × 100）"
LEAST_TEXT_COLUMNS_MM = 50.0  # name and source together, however long the numbers


def goals(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    period = result.period
    if period.meeting.goals_intro:
        report.text(period.meeting.goals_intro)
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    widths = (width * 0.40, width * 0.17, width * 0.11, width * 0.10, width * 0.22)
    header = [Cell(text) for text in ("目標", "基準値", "基準年", "目標年", "出典")]
    rows = []
    for goal in period.goals:
        name = goal.name + (f"\n（{goal.description}）" if goal.description else "")
        baseline = value_with_unit(goal.baseline, goal.unit) if goal.baseline is not None else "—"
        rows.append(
            [
                Cell(name),
                Cell(baseline, "right"),
                Cell(goal.baseline_year or "—", "center"),
                Cell(goal.target_year or "—", "center"),
                Cell(goal.source),
            ]
        )
    report.add(table(widths, header, rows, style))
    report.text("（基準値・目標値は資料に記載のあるもののみ）", colour=MUTED)


def dashboard(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    meeting = result.period.meeting
    # The previous period by its label (令和5年度下半期), not by its folder name.
    basis = (
        f"{result.previous.meeting.period_label or result.previous.id}との比較"
        if result.previous
        else "前期のデータがないため前期差は「-」"
    )
    report.text(
        f"{meeting.period_label}の達成状況です（基準日 {japanese_date(meeting.as_of, weekday=False) if meeting.as_of else '—'}、{basis}）。KPI は中間指標の達成率の単純平均、{CHANGED_LEGEND}です。",
    )
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    widths = (width * 0.30, width * 0.13, width * 0.20, width * 0.11, width * 0.26)
    for field in result.fields:
        report.heading(2, field.name)
        header = [Cell("KPI"), Cell("達成率"), Cell("達成率（棒）"), Cell("前期差"), Cell("指標の構成要素")]
        rows = []
        for kpi in field.kpis:
            colour = CHANGED if kpi.changed else None
            rate_bar = bar(kpi.rate, widths[2] - 3, MAIN)
            rows.append(
                [
                    Cell(kpi.kpi.name, bold=True),
                    Cell(percent(kpi.rate), "right", True, colour),
                    Cell(raw=f"{rate_bar}"),
                    Cell(points(kpi.delta), "right"),
                    Cell(kpi.kpi.components or "—"),
                ]
            )
        report.add(table(widths, header, rows, style))


def _indicator_texts(row: IndicatorRow) -> list[list[tuple[str, float]]]:
    """What each column of an indicator row prints, with its size in pt, to measure."""
    return [
        [],
        [(row.target.text, TABLE_SIZE)],
        [(row.previous.text, TABLE_SIZE), (f"({row.previous.period})", 8)],
        [(row.previous_rate.text, TABLE_SIZE)],
        [(row.latest.text, TABLE_SIZE), (f"({row.latest.period})", 8), (row.note, 7.5)],
        [(row.latest_rate.text, TABLE_SIZE)],
        [],
    ]


def _indicator_widths(width: float, rows: Sequence[IndicatorRow]) -> list[float]:
    """Column widths shared by every indicator table: a number with its unit and each header
    phrase fit their column whole (measured generously, see layout), and the name and source
    columns share what is left."""
    least = [least_mm(text, TABLE_SIZE * 1.05) for text in INDICATOR_HEADER]
    for row in rows:
        for column, texts in enumerate(_indicator_texts(row)):
            for text, size in texts:
                least[column] = max(least[column], word_width(text, size) * 25.4)
    preferred = [share * width / sum(INDICATOR_SHARES) for share in INDICATOR_SHARES]
    flexible = (0, 6)
    fixed = {i: max(preferred[i], least[i] + CELL_MARGINS_MM) for i in range(7) if i not in flexible}
    room = width - sum(fixed.values())
    if room < LEAST_TEXT_COLUMNS_MM:
        # Hostile numbers: the figures give way (they wrap) before the names become unreadable.
        scale = (width - LEAST_TEXT_COLUMNS_MM) / sum(fixed.values())
        fixed = {i: w * scale for i, w in fixed.items()}
        room = LEAST_TEXT_COLUMNS_MM
    shares = sum(preferred[i] for i in flexible)
    return [fixed[i] if i in fixed else room * preferred[i] / shares for i in range(7)]


def _indicator_table(
    report: Report, rows: Sequence[IndicatorRow], changed: bool, rate: Decimal | None, widths: Sequence[float]
) -> None:
    style = report.styles[TABLE_TEXT]
    header = [Cell(text) for text in INDICATOR_HEADER]
    report.add(table(widths, header, [_indicator_row(row, style) for row in rows], style))
    report.add(
        para(
            run(kpi_line(rate), True, CHANGED if changed else MAIN, 12),
            report.styles["Normal"],
            "right",
            spacing=(4, 2),
        )
    )
    report.add(para(run(INDICATOR_NOTE, colour=MUTED, size=8), report.styles["Normal"], spacing=(0, 10)))


def _indicator_row(row: IndicatorRow, style: str) -> list[Cell]:
    def value(cell: ValueCell, note: str = "") -> Cell:
        extra = ""
        if cell.period:
            extra += para(
                run(f"({cell.period})", colour=CHANGED if cell.changed else MUTED, size=8), style, "right"
            )
        if note:
            extra += para(run(note, colour=MUTED, size=7.5), style)
        return Cell(cell.text, "right", colour=CHANGED if cell.changed else None, extra=extra)

    def rate(cell: RateCell) -> Cell:
        return Cell(cell.text, "right", colour=CHANGED if cell.changed else None)

    return [
        Cell(row.name),
        value(row.target),
        value(row.previous),
        rate(row.previous_rate),
        value(row.latest, row.note),
        rate(row.latest_rate),
        Cell(row.source),
    ]


def indicators(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    tables = [(kpi, indicator_rows(kpi)) for kpi in result.kpis]
    widths = _indicator_widths(report.text_width_mm, [row for _, rows in tables for row in rows])
    for kpi, rows in tables:
        progress(f"中間指標 {kpi.kpi.name}")
        report.heading(2, kpi.kpi.name)
        line = f"分野: {kpi.kpi.field}" + (
            f"　【指標の構成要素】{kpi.kpi.components}" if kpi.kpi.components else ""
        )
        report.add(para(run(line, colour=MUTED), report.styles["Normal"], keep_next=True))
        _indicator_table(report, rows, kpi.changed, kpi.rate, widths)
